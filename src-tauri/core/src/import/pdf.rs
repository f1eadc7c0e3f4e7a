//! PDF checks and text extraction at import and sync (lopdf: a maintained pure-Rust PDF reader).
//!
//! A PDF is hostile until read: a few kilobytes of nested FlateDecode, or one stream referenced
//! by every page, inflate to gigabytes. Everything lopdf decompresses here is bounded (per
//! object stream while loading, per page and in total while extracting text), as are the pages
//! read, the objects held and the text kept. A PDF over a text budget is still a document: it is
//! stored without (all of) its search text, and the note says why.
//!
//! lopdf loads the file; the text is ours (issue #17): each page's content is decompressed once
//! and read by a small tokenizer of the text operators (content.rs), and each font's encoding is
//! worked out once per document (fonts.rs), a ToUnicode CMap into a flat table (cmap.rs). The
//! text is what lopdf's own extraction gave (tests/pdf_text_corpus.rs compares the two).

mod cmap;
mod content;
mod fonts;

use crate::error::{Error, ErrorCode, Result};
use content::{Operand, Unreadable};
use fonts::{Decoder, Fonts};
use std::collections::BTreeMap;

/// The budgets of one PDF's text extraction.
#[derive(Debug, Clone, Copy)]
pub struct PdfLimits {
    /// Largest object or cross-reference stream decompressed while loading.
    pub stream_bytes: usize,
    /// Object streams in one file (each is decompressed while loading).
    pub object_streams: usize,
    /// Objects held after loading.
    pub objects: usize,
    /// Decompressed content (page streams and font maps) of one page.
    pub page_bytes: usize,
    /// Decompressed content of all pages together.
    pub total_bytes: usize,
    /// Pages whose text is read.
    pub pages: usize,
    /// Characters of text kept for search.
    pub text_chars: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        // Real closing documents: a few hundred pages at most, each page's content well under
        // a megabyte; these leave a wide margin and keep one document's cost near 100 MB.
        PdfLimits {
            stream_bytes: 8 << 20,
            object_streams: 256,
            objects: 200_000,
            page_bytes: 8 << 20,
            total_bytes: 64 << 20,
            pages: 2_000,
            text_chars: 2_000_000,
        }
    }
}

/// A PDF's text, and why some or all of it is missing when a budget stopped the extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfText {
    pub text: String,
    /// Set when a limit was reached: the document is kept, its search text is partial or empty.
    pub limited: Option<String>,
}

/// Checks that the bytes are a whole PDF and returns its text (for search and recognition).
/// A PDF that parses but has no extractable text yields an empty string.
pub fn extract_text(bytes: &[u8]) -> Result<String> {
    extract(bytes, &PdfLimits::default()).map(|t| t.text)
}

/// Checks that the bytes are a whole PDF and extracts its text within `limits`.
pub fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText> {
    extract_until(bytes, limits, None).map(|(t, _)| t)
}

/// The first `chars` characters of a PDF's text (all of it when it is shorter), and whether
/// there may be more: what a sync indexes at once, the rest being read again later (issue #17:
/// reading every page of a long PDF cost a sync more than anything else). The pages after the
/// one that fills the head are not read. `limited` is set by the limits only, never by `chars`.
pub fn extract_head(bytes: &[u8], limits: &PdfLimits, chars: usize) -> Result<(PdfText, bool)> {
    extract_until(bytes, limits, Some(chars))
}

fn extract_until(bytes: &[u8], limits: &PdfLimits, head: Option<usize>) -> Result<(PdfText, bool)> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "Файл не является PDF",
        ));
    }
    // A download cut short loses its trailer; lopdf may still recover objects from such a file,
    // so the end marker is checked first.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(truncated());
    }
    // Object streams are decompressed while loading; their dictionaries are plain text (a
    // stream cannot sit inside an object stream), so counting them first bounds that cost.
    let object_streams = count(bytes, b"/ObjStm");
    if object_streams > limits.object_streams {
        return Ok((
            without_text(format!(
                "в PDF {object_streams} потоков объектов, допустимо {}",
                limits.object_streams
            )),
            false,
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.stream_bytes),
        ..Default::default()
    };
    // lopdf can panic on hostile input; a panic here must not take the program down.
    let parsed =
        std::panic::catch_unwind(|| lopdf::Document::load_mem_with_options(bytes, options));
    let doc = match parsed {
        Ok(Ok(d)) => d,
        Ok(Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
            ..
        }))) => {
            return Ok((
                without_text(format!(
                    "поток объектов PDF распаковывается больше чем в {} МиБ",
                    limits.stream_bytes >> 20
                )),
                false,
            ))
        }
        _ => return Err(truncated()),
    };
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "В PDF нет ни одной страницы",
        ));
    }
    if doc.objects.len() > limits.objects {
        return Ok((
            without_text(format!(
                "в PDF {} объектов, допустимо {}",
                doc.objects.len(),
                limits.objects
            )),
            false,
        ));
    }
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        text_of_pages(&doc, &pages, limits, head)
    }));
    Ok(read.unwrap_or_default())
}

/// Reads the pages' text in order until a budget runs out (what was read before stays), or until
/// `head` characters are read (then true: there may be more).
fn text_of_pages(
    doc: &lopdf::Document,
    pages: &BTreeMap<u32, lopdf::ObjectId>,
    limits: &PdfLimits,
    head: Option<usize>,
) -> (PdfText, bool) {
    let mut out = PdfText::default();
    let mut fonts = Fonts::new(doc);
    let mut page_text = String::new();
    let mut spent = 0usize;
    let mut chars = 0usize;
    for (i, (page, id)) in pages.iter().enumerate() {
        if i >= limits.pages {
            out.limited = Some(format!(
                "текст прочитан с первых {} страниц из {}",
                limits.pages,
                pages.len()
            ));
            break;
        }
        let budget = limits.page_bytes.min(limits.total_bytes - spent);
        // Each content stream is decompressed once, within what is left of the page's budget.
        let content = match doc.get_page_content_with_limit(*id, budget) {
            Ok(c) => Some(c),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                out.limited = Some(if budget < limits.page_bytes {
                    format!(
                        "содержимое страниц PDF распаковывается больше чем в {} МиБ",
                        limits.total_bytes >> 20
                    )
                } else {
                    format!(
                        "содержимое страницы {page} распаковывается больше чем в {} МиБ",
                        limits.page_bytes >> 20
                    )
                });
                break;
            }
            Err(_) => None,
        };
        spent += content.as_ref().map_or(0, Vec::len);
        page_text.clear();
        // A page that cannot be read adds nothing and the next one is tried.
        let read = match &content {
            Some(c) => page_text_into(doc, *id, c, budget, &mut fonts, &mut page_text),
            None => Err(Unreadable::Page),
        };
        match read {
            Ok(()) => {}
            Err(Unreadable::Page) => page_text.clear(),
            Err(Unreadable::Document) => return (PdfText::default(), false),
        }
        let left = limits.text_chars - chars;
        let n = page_text.chars().count();
        // The head is full: the rest is for later, unless a limit would have stopped here anyway.
        if let Some(h) = head.filter(|h| *h < limits.text_chars) {
            if chars + n >= h && (chars + n > h || i + 1 < pages.len()) {
                out.text.extend(page_text.chars().take(h - chars));
                return (out, true);
            }
        }
        if n > left {
            out.text.extend(page_text.chars().take(left));
            out.limited = Some(format!(
                "для поиска сохранены первые {} знаков текста",
                limits.text_chars
            ));
            break;
        }
        chars += n;
        out.text.push_str(&page_text);
    }
    (out, false)
}

/// The text a page's content shows, in the order it is drawn: strings of Tj, TJ, ' and " in
/// the current font's encoding, a space for a TJ array and for a kern wider than 100, a line
/// end for T*, ', " and ET (one at most in a row), as lopdf's extraction wrote it.
fn page_text_into<'a>(
    doc: &'a lopdf::Document,
    page: lopdf::ObjectId,
    content: &[u8],
    budget: usize,
    fonts: &mut Fonts<'a>,
    out: &mut String,
) -> Result<(), Unreadable> {
    // Every font of the page is resolved, used or not: one that cannot be made the page
    // unreadable before, and still does.
    let mut on_page: Vec<(Vec<u8>, usize)> = Vec::new();
    for (name, font) in doc.get_page_fonts(page).map_err(|_| Unreadable::Page)? {
        on_page.push((name, fonts.of(font, budget)?));
    }
    let mut current: Option<usize> = None;
    // Line ends are not doubled within the text since the last font change.
    let mut since_font = 0usize;
    let mut buffers = Buffers::default();
    let newline = |out: &mut String, since: usize| {
        if !out[since..].ends_with('\n') {
            out.push('\n');
        }
    };
    content::operations(content, |op, operands| {
        match op {
            b"Tf" => {
                current = match operands.first() {
                    Some(Operand::Name(n)) => on_page
                        .iter()
                        .find(|(k, _)| k.as_slice() == n.as_ref())
                        .map(|(_, d)| *d),
                    _ => return Err(Unreadable::Page),
                };
                since_font = out.len();
            }
            b"Tj" | b"TJ" => {
                if let Some(d) = current {
                    shown(fonts.decoder(d), operands, out, &mut buffers)?;
                }
            }
            b"'" => {
                if let Some(d) = current {
                    newline(out, since_font);
                    shown(fonts.decoder(d), operands, out, &mut buffers)?;
                }
            }
            b"\"" => {
                if let Some(d) = current {
                    newline(out, since_font);
                    if let Some(s) = operands.get(2) {
                        shown(fonts.decoder(d), std::slice::from_ref(s), out, &mut buffers)?;
                    }
                }
            }
            b"T*" | b"ET" => newline(out, since_font),
            _ => {}
        }
        Ok(())
    })
}

/// Reused for every shown string of a page, so that no glyph or string allocates.
#[derive(Default)]
struct Buffers {
    /// A hexadecimal string's bytes.
    bytes: Vec<u8>,
    /// A string's UTF-16 units under a ToUnicode CMap.
    units: Vec<u16>,
}

/// The text of a show operator's operands (lopdf's `collect_text`).
fn shown(
    decoder: &Decoder,
    operands: &[Operand],
    out: &mut String,
    buffers: &mut Buffers,
) -> Result<(), Unreadable> {
    for o in operands {
        match o {
            Operand::Str(bytes) => decoder.decode(bytes, out, &mut buffers.units)?,
            Operand::Hex(digits) => {
                buffers.bytes.clear();
                content::unhex(digits, &mut buffers.bytes);
                decoder.decode(&buffers.bytes, out, &mut buffers.units)?;
            }
            Operand::Array(items) => {
                shown(decoder, items, out, buffers)?;
                out.push(' ');
            }
            Operand::Int(i) if *i < -100 => out.push(' '),
            _ => {}
        }
    }
    Ok(())
}

fn without_text(why: String) -> PdfText {
    PdfText {
        text: String::new(),
        limited: Some(why),
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(haystack, needle).count()
}

fn truncated() -> Error {
    Error::new(
        ErrorCode::UnsupportedFile,
        "PDF повреждён или загружен не полностью; скачайте документ заново",
    )
}
