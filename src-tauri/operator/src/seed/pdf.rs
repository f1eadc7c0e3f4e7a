//! Printed forms of the documents: A4 PDFs with Cyrillic text in an embedded (subsetted) TrueType
//! font, so that viewers and `pdftotext` read them as a person would.

use std::path::PathBuf;

use printpdf::{
    Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

/// Where a font with Cyrillic glyphs is looked for (Debian's fonts-dejavu-core first).
const FONT_CANDIDATES: [&str; 3] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
];

/// `QOLTANBA_FONT` overrides the font file.
pub fn load_font() -> Result<ParsedFont, String> {
    let path = std::env::var_os("QOLTANBA_FONT")
        .map(PathBuf::from)
        .or_else(|| {
            FONT_CANDIDATES
                .iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        })
        .ok_or("no Cyrillic TTF font found: install fonts-dejavu-core or set QOLTANBA_FONT")?;
    load_font_file(&path)
}

/// The font in `path`, subsetted to the forms' characters.
pub fn load_font_file(path: &std::path::Path) -> Result<ParsedFont, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = qoltanba_core::card::subset_font(&bytes)
        .map_err(|e| format!("{}: subsetting: {e}", path.display()))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| format!("{}: not a usable TrueType font", path.display()))
}

/// What goes on the paper: a heading and lines of body text.
pub struct Sheet {
    pub title: String,
    pub lines: Vec<String>,
}

const LINES_PER_PAGE: usize = 48;
/// Characters per line that fit 170 mm of DejaVu Sans at 15 pt (title) and 10 pt (body).
const TITLE_WIDTH: usize = 52;
const BODY_WIDTH: usize = 85;

/// Breaks `text` at spaces so that no line runs off the page.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// Renders `sheet`; `info_title` goes into the PDF's document information (plain ASCII, so the
/// load seed can find and vary it in the bytes).
pub fn render(sheet: &Sheet, font: &ParsedFont, info_title: &str) -> Vec<u8> {
    let mut doc = PdfDocument::new(info_title);
    let font_id = doc.add_font(font);
    let handle = PdfFontHandle::External(font_id);
    let mut pages = Vec::new();
    let body: Vec<String> = sheet
        .lines
        .iter()
        .flat_map(|l| wrap(l, BODY_WIDTH))
        .collect();
    let chunks: Vec<&[String]> = if body.is_empty() {
        vec![&[]]
    } else {
        body.chunks(LINES_PER_PAGE).collect()
    };
    for (number, chunk) in chunks.iter().enumerate() {
        let mut ops = vec![
            Op::StartTextSection,
            Op::SetTextCursor {
                pos: Point {
                    x: Mm(20.0).into(),
                    y: Mm(275.0).into(),
                },
            },
        ];
        if number == 0 {
            ops.push(Op::SetFont {
                font: handle.clone(),
                size: Pt(15.0),
            });
            ops.push(Op::SetLineHeight { lh: Pt(22.0) });
            for line in wrap(&sheet.title, TITLE_WIDTH) {
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(line)],
                });
                ops.push(Op::AddLineBreak);
            }
        }
        ops.push(Op::SetFont {
            font: handle.clone(),
            size: Pt(10.0),
        });
        ops.push(Op::SetLineHeight { lh: Pt(14.0) });
        for line in chunk.iter() {
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(line.clone())],
            });
            ops.push(Op::AddLineBreak);
        }
        ops.push(Op::EndTextSection);
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_break_at_spaces_within_the_width() {
        let lines = wrap(
            "Акт выполненных работ (услуги по размещению товаров на Платформе)",
            30,
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 30));
        assert_eq!(
            lines.join(" "),
            "Акт выполненных работ (услуги по размещению товаров на Платформе)"
        );
    }
}
