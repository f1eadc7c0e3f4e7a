//! The card on paper: an A4 page of text lines in an embedded, subsetted TrueType font with
//! Cyrillic and Kazakh letters (so viewers and `pdftotext` read it as a person would) and a QR
//! code drawn as filled squares. The font is the system's: DejaVu Sans (Debian's
//! fonts-dejavu-core), Arial on Windows and macOS, or the file `QOLTANBA_FONT` names.

use crate::error::{Error, ErrorCode, Result};
use printpdf::{
    Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rect, TextItem, WindingOrder,
};
use std::path::PathBuf;

const FONT_CANDIDATES: [&str; 7] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
    "/usr/share/fonts/truetype/msttcorefonts/Arial.ttf",
];

/// At most this many bytes of font file are read (DejaVu Sans is 0.7 MB, Arial under 1 MB).
const MAX_FONT_BYTES: u64 = 32 * 1024 * 1024;

fn no_font(why: String) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("Не найден шрифт с кириллицей для карточки: {why}. Установите шрифт DejaVu Sans (Linux: пакет fonts-dejavu-core) или укажите файл TTF в переменной QOLTANBA_FONT"),
    )
}

/// The font, subsetted to the letters a card uses.
pub fn load_font() -> Result<ParsedFont> {
    let path = std::env::var_os("QOLTANBA_FONT")
        .map(PathBuf::from)
        .or_else(|| {
            FONT_CANDIDATES
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        })
        .ok_or_else(|| no_font("ни один из известных файлов шрифтов не найден".into()))?;
    let len = std::fs::metadata(&path)
        .map_err(|e| no_font(format!("{}: {e}", path.display())))?
        .len();
    if len > MAX_FONT_BYTES {
        return Err(no_font(format!("{} больше 32 МиБ", path.display())));
    }
    let bytes = std::fs::read(&path).map_err(|e| no_font(format!("{}: {e}", path.display())))?;
    let bytes = super::font_subset::subset(&bytes)
        .map_err(|e| no_font(format!("{}: {e}", path.display())))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| no_font(format!("{} не читается как TrueType", path.display())))
}

/// A line of the page: its size in points and whether it is a heading.
pub struct Line {
    pub text: String,
    pub size: f32,
}

/// One page: the lines from the top, and the QR's dark modules (row by row, `width` a side).
pub struct Page {
    pub lines: Vec<Line>,
    pub qr: Option<(usize, Vec<bool>)>,
}

const LEFT_MM: f32 = 15.0;
const TOP_MM: f32 = 282.0;
/// The QR's side and its place: the top right corner.
const QR_MM: f32 = 32.0;
const QR_RIGHT_MM: f32 = 195.0;

/// Draws the QR modules as filled squares; y grows upwards in PDF, rows go down from the top.
fn qr_ops(width: usize, dark: &[bool]) -> Vec<Op> {
    let module = QR_MM / width as f32;
    let left = QR_RIGHT_MM - QR_MM;
    let mut ops = Vec::new();
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (row, col) = (i / width, i % width);
        let x = left + col as f32 * module;
        let y = TOP_MM + 5.0 - (row + 1) as f32 * module;
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(y).into(),
                width: Mm(module).into(),
                height: Mm(module).into(),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }
    ops
}

/// Renders the pages into one PDF.
pub fn render(pages: &[Page], font: &ParsedFont, title: &str) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    let font_id = doc.add_font(font);
    let handle = PdfFontHandle::External(font_id);
    let mut out = Vec::new();
    for page in pages {
        let mut ops = Vec::new();
        if let Some((w, dark)) = &page.qr {
            ops.extend(qr_ops(*w, dark));
        }
        ops.push(Op::StartTextSection);
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Mm(LEFT_MM).into(),
                y: Mm(TOP_MM).into(),
            },
        });
        let mut size = 0.0;
        for line in &page.lines {
            if line.size != size {
                size = line.size;
                ops.push(Op::SetFont {
                    font: handle.clone(),
                    size: Pt(size),
                });
                ops.push(Op::SetLineHeight {
                    lh: Pt(size * 1.35),
                });
            }
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(line.text.clone())],
            });
            ops.push(Op::AddLineBreak);
        }
        ops.push(Op::EndTextSection);
        out.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}
