//! How each font of a document turns shown strings into text, worked out once per document.
//!
//! lopdf resolved every font's encoding again on every page (a ToUnicode CMap parsed, and a
//! reverse map built, per page and font). Here a font dictionary's decoder is built the first
//! time a page names it and reused by the pages after, as long as the page budget it was
//! checked against is the same. Which encoding a font gets is lopdf's choice (its
//! `get_font_encoding_with_limit`), so the text is the same as before; only the ToUnicode CMap
//! is read by our own reader (see cmap.rs).

use super::cmap::ToUnicode;
use super::content::Unreadable;
use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;

/// More codes than any real font maps (CJK fonts map tens of thousands): lopdf expands a CMap
/// it reads into one entry per code, so a larger one is not handed to it.
const MAX_EXPANDED_CODES: u64 = 1 << 20;

/// A font's way from a shown string's bytes to text.
pub enum Decoder<'a> {
    /// One byte, at most one character; None marks a byte lopdf fails on (the page is then
    /// unreadable, as before).
    Bytes(&'static [Option<String>]),
    /// A ToUnicode CMap.
    Cmap(ToUnicode),
    /// UTF-16BE, the UniGB-UCS2-H and UniGB-UTF16-H encodings.
    Utf16,
    /// What lopdf resolved and no table stands for (Differences over a CMap): decoded by lopdf.
    Other(Encoding<'a>),
    /// An encoding lopdf cannot decode: a string shown in it makes the page unreadable.
    Unsupported,
}

impl Decoder<'_> {
    /// Appends the text of `bytes`; an error makes the page unreadable.
    pub fn decode(
        &self,
        bytes: &[u8],
        out: &mut String,
        units: &mut Vec<u16>,
    ) -> Result<(), Unreadable> {
        match self {
            Decoder::Bytes(table) => {
                for b in bytes {
                    out.push_str(table[*b as usize].as_deref().ok_or(Unreadable::Page)?);
                }
                Ok(())
            }
            Decoder::Cmap(cmap) => {
                units.clear();
                cmap.decode(bytes, units);
                // encoding_rs sniffs a byte-order mark (UTF-16 either way, or UTF-8) at the
                // start; without one its decoding is char::decode_utf16's, replacement
                // characters for lone surrogates included.
                let marked = match units.as_slice() {
                    [0xfeff | 0xfffe, ..] => true,
                    [0xefbb, next, ..] => next >> 8 == 0xbf,
                    _ => false,
                };
                if marked {
                    let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
                    out.push_str(&utf16be(&be));
                } else {
                    out.extend(
                        char::decode_utf16(units.iter().copied())
                            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
                    );
                }
                Ok(())
            }
            Decoder::Utf16 => {
                out.push_str(&utf16be(bytes));
                Ok(())
            }
            Decoder::Other(e) => e.write_to_string(bytes, out).map_err(|_| Unreadable::Page),
            Decoder::Unsupported => Err(Unreadable::Page),
        }
    }
}

/// UTF-16BE to text as lopdf decoded it (encoding_rs, with its byte-order-mark sniffing).
fn utf16be(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    encoding_rs::UTF_16BE.decode(bytes).0
}

/// The decoders of one document's fonts, by font dictionary.
pub struct Fonts<'a> {
    doc: &'a Document,
    decoders: Vec<Decoder<'a>>,
    /// Font dictionary (by address: the same object is the same dictionary) → the budget it
    /// was built under and its decoder, or why the font makes a page unreadable.
    built: HashMap<usize, (usize, Result<usize, Unreadable>)>,
}

impl<'a> Fonts<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Fonts {
            doc,
            decoders: Vec::new(),
            built: HashMap::new(),
        }
    }

    pub fn decoder(&self, index: usize) -> &Decoder<'a> {
        &self.decoders[index]
    }

    /// The decoder of `font` on a page whose decompression budget is `budget`.
    pub fn of(&mut self, font: &'a Dictionary, budget: usize) -> Result<usize, Unreadable> {
        let key = font as *const Dictionary as usize;
        if let Some((b, r)) = self.built.get(&key) {
            if *b == budget {
                return *r;
            }
        }
        let r = build(self.doc, font, budget).map(|d| {
            self.decoders.push(d);
            self.decoders.len() - 1
        });
        self.built.insert(key, (budget, r));
        r
    }
}

fn over_budget(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
    )
}

/// lopdf's choice of encoding for `font` (`get_font_encoding_with_limit`), with the ToUnicode
/// CMap read by our reader.
fn build<'a>(
    doc: &'a Document,
    font: &'a Dictionary,
    budget: usize,
) -> Result<Decoder<'a>, Unreadable> {
    if !font.has_type(b"Font") {
        return Err(Unreadable::Page);
    }
    let to_unicode = || {
        font.get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
    };
    let cmap = |stream: &lopdf::Stream| match stream.get_plain_content_with_limit(budget) {
        Ok(content) => Ok(ToUnicode::parse(&content).map_or_else(standard, Decoder::Cmap)),
        Err(e) if over_budget(&e) => Err(Unreadable::Page),
        Err(_) => Ok(standard()),
    };
    match font.get(b"Encoding") {
        Ok(encoding) => match resolve(doc, encoding) {
            Some(Object::Name(n)) if n == b"Identity-H" || n == b"Identity-V" => match to_unicode()
            {
                Ok(stream) => cmap(stream),
                Err(_) => Ok(standard()),
            },
            Some(Object::Dictionary(d)) if identity_base(d) => {
                // Differences over a CMap: lopdf reads it; a CMap it would expand past any real
                // font's size is not given to it.
                if let Ok(stream) = to_unicode() {
                    match stream.get_plain_content_with_limit(budget) {
                        Ok(c)
                            if ToUnicode::parse(&c)
                                .is_some_and(|m| m.codes() > MAX_EXPANDED_CODES) =>
                        {
                            return Ok(standard())
                        }
                        Err(e) if over_budget(&e) => return Err(Unreadable::Page),
                        _ => {}
                    }
                }
                by_lopdf(doc, font, budget)
            }
            _ => by_lopdf(doc, font, budget),
        },
        Err(_) => match to_unicode() {
            Ok(stream) => cmap(stream),
            Err(_) => Ok(standard()),
        },
    }
}

/// The object an /Encoding entry names, through references (None for a cycle or a dangling one).
fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> Option<&'a Object> {
    let mut seen = std::collections::HashSet::new();
    while let Object::Reference(id) = o {
        if !seen.insert(*id) {
            return None;
        }
        o = doc.get_object(*id).ok()?;
    }
    Some(o)
}

fn identity_base(d: &Dictionary) -> bool {
    matches!(
        d.get(b"BaseEncoding").and_then(Object::as_name),
        Ok(b"Identity-H" | b"Identity-V")
    )
}

fn by_lopdf<'a>(
    doc: &'a Document,
    font: &'a Dictionary,
    budget: usize,
) -> Result<Decoder<'a>, Unreadable> {
    match font.get_font_encoding_with_limit(doc, budget) {
        Ok(e) => Ok(decoder(e)),
        Err(_) => Err(Unreadable::Page),
    }
}

/// A table for one-byte encodings, lopdf's decoding for the rest.
fn decoder(e: Encoding<'_>) -> Decoder<'_> {
    match e {
        Encoding::OneByteEncoding(_) | Encoding::SimpleEncoding(b"WinAnsiEncoding") => table(&e),
        Encoding::SimpleEncoding(b"UniGB-UCS2-H" | b"UniGB-UTF16-H") => Decoder::Utf16,
        Encoding::SimpleEncoding(_) => Decoder::Unsupported,
        Encoding::Differences(_) | Encoding::UnicodeMapEncoding(_) => Decoder::Other(e),
    }
}

/// One-byte tables by lopdf's static encoding table they come from.
type Tables = HashMap<usize, &'static [Option<String>]>;

/// Each byte decoded on its own (these encodings map one byte to at most one character). The
/// tables are lopdf's static ones, so each is worked out once per process.
fn table(e: &Encoding<'_>) -> Decoder<'static> {
    static TABLES: std::sync::OnceLock<std::sync::Mutex<Tables>> = std::sync::OnceLock::new();
    let key = match e {
        Encoding::OneByteEncoding(t) => *t as *const _ as usize,
        _ => 1,
    };
    let mut tables = TABLES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    Decoder::Bytes(tables.entry(key).or_insert_with(|| {
        let t: Vec<Option<String>> = (0u8..=255).map(|b| e.bytes_to_string(&[b]).ok()).collect();
        Box::leak(t.into_boxed_slice())
    }))
}

/// lopdf's fallback, the standard encoding (asked of lopdf through a font without an encoding,
/// as its table is not public).
fn standard() -> Decoder<'static> {
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    let doc = Document::new();
    match font.get_font_encoding(&doc) {
        Ok(e) => table(&e),
        Err(_) => Decoder::Unsupported,
    }
}
