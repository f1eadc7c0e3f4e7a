//! Small PDFs that differ from each other the way real producers' files do: four ways of
//! encoding the text (one-byte codes with a ToUnicode CMap, Type0/Identity-H with two-byte codes,
//! a Differences encoding naming Cyrillic glyphs, WinAnsi), four layouts of the text operators
//! (Tj with T*, TJ arrays with kerning, ' and ", one BT/ET per line placed by Tm), one to three
//! pages, compressed or plain content, one or two content streams, fonts on the page or
//! inherited from the page tree. Codes are shifted per document, so no two documents in a row
//! carry the same CMap or encoding: a cache keyed on a font's bytes cannot hit every time.

use lopdf::{dictionary, Document, Object, Stream};

/// The Cyrillic letters the fonts carry, in the Adobe glyph list's afii order (Ё after Е).
const UPPER: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
const LOWER: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";

/// How a document's text is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// Type1 with one-byte codes mapped back by a ToUnicode CMap of bfchar lines.
    ByteCmap,
    /// Type0, Identity-H, two-byte glyph codes, ToUnicode of bfrange and bfchar lines.
    Type0,
    /// Type1 whose /Encoding has /Differences naming the Cyrillic glyphs, no ToUnicode.
    Differences,
    /// Type1 with WinAnsiEncoding: Latin text only.
    WinAnsi,
}

const FACES: [Face; 4] = [
    Face::ByteCmap,
    Face::Type0,
    Face::Differences,
    Face::WinAnsi,
];

/// A sales report numbered `number`, the `i`-th of a varied set: face, layout, pages, filters and
/// code shift all follow from `i`.
pub fn varied_pdf(i: usize, number: &str) -> Vec<u8> {
    let face = FACES[i % 4];
    let lines: Vec<String> = if face == Face::WinAnsi {
        vec![
            "SALES REPORT (commission) - Ozon Kazakhstan".into(),
            format!("No {number} of 31.10.2026, caf\u{e9} \u{20ac} 12"),
            "Principal: TOO Seller BIN 123456789021".into(),
            "Agent: TOO Marketplace BIN 201040012345".into(),
        ]
    } else {
        vec![
            "ОТЧЁТ О РЕАЛИЗАЦИИ ТОВАРА".into(),
            format!("№ {number} от 31.10.2026"),
            "Комитент: ТОО «Продавец» БИН 123456789021".into(),
            "Комиссионер: ТОО «Маркетплейс» БИН 201040012345".into(),
            format!("Партия {} (строка {}), ёлка", i % 977, i),
        ]
    };
    Spec {
        face,
        layout: (i / 4) % 4,
        pages: 1 + (i / 3) % 3,
        shift: (i % 13) as u32,
        compressed: i.is_multiple_of(2),
        split: i.is_multiple_of(5),
        inherited: i % 7 == 3,
    }
    .render(&lines, "Total: 125000.00 KZT")
}

/// Everything that varies between two documents.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub face: Face,
    /// 0: Tj and T*; 1: TJ arrays; 2: ' and "; 3: BT/ET per line with Tm.
    pub layout: usize,
    pub pages: usize,
    /// Moves every code by this much, so each document's font maps differ.
    pub shift: u32,
    pub compressed: bool,
    /// Each page's content in two streams.
    pub split: bool,
    /// Fonts in the page tree's /Resources instead of each page's.
    pub inherited: bool,
}

impl Spec {
    /// The PDF: `lines` in the main face spread over the pages, `latin` in a second WinAnsi font
    /// at the end of the first page.
    pub fn render(&self, lines: &[String], latin: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = self.font(&mut doc);
        let latin_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
            "Encoding" => "WinAnsiEncoding",
        });
        let fonts = dictionary! { "F1" => font, "F2" => latin_font };
        let per_page = lines.len().div_ceil(self.pages).max(1);
        let mut kids = Vec::new();
        for (n, chunk) in lines.chunks(per_page).enumerate() {
            let mut body = self.text(chunk);
            if n == 0 {
                body.extend_from_slice(b"\nBT /F2 9 Tf 50 60 Td (");
                body.extend(escape(&winansi(latin)));
                body.extend_from_slice(b") Tj ET");
            }
            let contents: Vec<Object> = if self.split {
                let half = body.len() / 2;
                let cut = body[half..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(body.len(), |p| half + p);
                let (a, b) = body.split_at(cut);
                vec![
                    self.stream(&mut doc, a.to_vec()),
                    self.stream(&mut doc, b.to_vec()),
                ]
            } else {
                vec![self.stream(&mut doc, body)]
            };
            let mut page = dictionary! {
                "Type" => "Page", "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => contents,
            };
            if !self.inherited {
                page.set("Resources", dictionary! { "Font" => fonts.clone() });
            }
            kids.push(Object::Reference(doc.add_object(page)));
        }
        let mut pages =
            dictionary! { "Type" => "Pages", "Count" => kids.len() as i64, "Kids" => kids };
        if self.inherited {
            // By reference: lopdf looks for inherited resources only there.
            let resources = doc.add_object(dictionary! { "Font" => fonts });
            pages.set("Resources", resources);
        }
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("the PDF is written");
        out
    }

    fn stream(&self, doc: &mut Document, content: Vec<u8>) -> Object {
        let mut s = Stream::new(dictionary! {}, content);
        if self.compressed {
            s.compress().expect("deflate");
        }
        Object::Reference(doc.add_object(s))
    }

    /// The content of one page: the lines in the layout's operators.
    fn text(&self, lines: &[String]) -> Vec<u8> {
        let mut c = Vec::new();
        let show = |l: &str| self.string(l);
        match self.layout {
            0 => {
                c.extend_from_slice(b"BT /F1 12 Tf 50 780 Td 14 TL\n");
                for l in lines {
                    c.extend(show(l));
                    c.extend_from_slice(b" Tj T*\n");
                }
                c.extend_from_slice(b"ET");
            }
            1 => {
                c.extend_from_slice(b"BT /F1 11 Tf 50 780 Td\n");
                for l in lines {
                    // Words apart by a wide kern (a space to the extractor), syllables by a
                    // narrow one (no space).
                    c.push(b'[');
                    for (k, w) in l.split(' ').enumerate() {
                        if k > 0 {
                            c.extend_from_slice(b" -250 ");
                        }
                        let chars: Vec<char> = w.chars().collect();
                        let mid = chars.len() / 2;
                        let (a, b): (String, String) =
                            (chars[..mid].iter().collect(), chars[mid..].iter().collect());
                        c.extend(show(&a));
                        c.extend_from_slice(b" -30 ");
                        c.extend(show(&b));
                    }
                    c.extend_from_slice(b"] TJ 0 -14 Td\n");
                }
                c.extend_from_slice(b"ET");
            }
            2 => {
                c.extend_from_slice(b"BT /F1 10 Tf 14 TL 40 800 Td\n");
                for (k, l) in lines.iter().enumerate() {
                    if k % 2 == 0 {
                        c.extend(show(l));
                        c.extend_from_slice(b" '\n");
                    } else {
                        c.extend_from_slice(b"0.5 1 ");
                        c.extend(show(l));
                        c.extend_from_slice(b" \"\n");
                    }
                }
                c.extend_from_slice(b"ET");
            }
            _ => {
                c.extend_from_slice(b"% one text object per line\n");
                for (k, l) in lines.iter().enumerate() {
                    c.extend(format!("BT /F1 12 Tf 1 0 0 1 50 {} Tm\n", 780 - 16 * k).into_bytes());
                    c.extend(show(l));
                    c.extend_from_slice(b" Tj\nET\n");
                }
            }
        }
        c
    }

    /// A PDF string for `text` in the face's codes: hexadecimal for Type0, literal otherwise.
    fn string(&self, text: &str) -> Vec<u8> {
        match self.face {
            Face::Type0 => {
                let mut s = b"<".to_vec();
                for ch in text.chars() {
                    s.extend(format!("{:04X}", self.type0_code(ch)).into_bytes());
                }
                s.push(b'>');
                s
            }
            _ => {
                let bytes: Vec<u8> = text.chars().map(|ch| self.byte_code(ch)).collect();
                [b"(".to_vec(), escape(&bytes), b")".to_vec()].concat()
            }
        }
    }

    fn byte_code(&self, ch: char) -> u8 {
        match self.face {
            Face::WinAnsi => winansi(&ch.to_string())[0],
            _ => match cyrillic_index(ch) {
                Some(k) => 0x80 + self.shift as u8 + k as u8,
                None if ch.is_ascii() => ch as u8,
                None => b'?',
            },
        }
    }

    /// Glyph codes as a subsetting producer numbers them: printable ASCII, А…я, then Ё ё № « ».
    fn type0_code(&self, ch: char) -> u32 {
        let base = 3 + self.shift * 7;
        let c = ch as u32;
        match ch {
            ' '..='~' => base + (c - 0x20),
            'А'..='я' => base + 95 + (c - 0x410),
            _ => {
                base + 159
                    + ['Ё', 'ё', '№', '«', '»']
                        .iter()
                        .position(|x| *x == ch)
                        .unwrap_or(0) as u32
            }
        }
    }

    fn font(&self, doc: &mut Document) -> Object {
        let font = match self.face {
            Face::ByteCmap => {
                let mut cmap = cmap_head(1);
                let mut chars: Vec<(u32, char)> =
                    (0x20u8..0x7f).map(|b| (b as u32, b as char)).collect();
                chars.extend(all_cyrillic().map(|ch| (self.byte_code(ch) as u32, ch)));
                cmap += &format!("{} beginbfchar\n", chars.len());
                for (code, ch) in chars {
                    cmap += &format!("<{code:02X}> <{:04X}>\n", ch as u32);
                }
                cmap += "endbfchar\n";
                let to_unicode = self.cmap_stream(doc, cmap);
                dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "ToUnicode" => to_unicode }
            }
            Face::Type0 => {
                let base = 3 + self.shift * 7;
                let mut cmap = cmap_head(2);
                cmap += &format!(
                    "2 beginbfrange\n<{:04X}> <{:04X}> <0020>\n<{:04X}> <{:04X}> <0410>\nendbfrange\n",
                    base,
                    base + 94,
                    base + 95,
                    base + 158
                );
                cmap += "5 beginbfchar\n";
                for ch in ['Ё', 'ё', '№', '«', '»'] {
                    cmap += &format!("<{:04X}> <{:04X}>\n", self.type0_code(ch), ch as u32);
                }
                cmap += "endbfchar\n";
                let to_unicode = self.cmap_stream(doc, cmap);
                let descendant = doc.add_object(dictionary! {
                    "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans",
                    "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
                });
                dictionary! {
                    "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans",
                    "Encoding" => "Identity-H", "DescendantFonts" => vec![Object::Reference(descendant)],
                    "ToUnicode" => to_unicode,
                }
            }
            Face::Differences => {
                let mut differences: Vec<Object> = vec![(0x80 + self.shift as i64).into()];
                differences.extend(
                    glyph_names()
                        .into_iter()
                        .map(|n| Object::Name(n.into_bytes())),
                );
                dictionary! {
                    "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "TimesCyr",
                    "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding", "Differences" => differences },
                }
            }
            Face::WinAnsi => dictionary! {
                "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
            },
        };
        Object::Reference(doc.add_object(font))
    }

    fn cmap_stream(&self, doc: &mut Document, mut cmap: String) -> Object {
        cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n";
        self.stream(doc, cmap.into_bytes())
    }
}

fn cmap_head(bytes: usize) -> String {
    let (lo, hi) = if bytes == 1 {
        ("00", "FF")
    } else {
        ("0000", "FFFF")
    };
    format!("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<{lo}> <{hi}>\nendcodespacerange\n")
}

fn all_cyrillic() -> impl Iterator<Item = char> {
    UPPER.chars().chain(LOWER.chars()).chain(['№', '«', '»'])
}

fn cyrillic_index(ch: char) -> Option<usize> {
    all_cyrillic().position(|x| x == ch)
}

/// The Adobe glyph list's names of `all_cyrillic`, in its order.
fn glyph_names() -> Vec<String> {
    let mut names: Vec<String> = (10017..=10049).map(|n| format!("afii{n}")).collect();
    names.extend((10065..=10097).map(|n| format!("afii{n}")));
    names.extend(["afii61352", "guillemotleft", "guillemotright"].map(String::from));
    names
}

/// Latin-1 letters as themselves, the euro sign at 0x80 (WinAnsi), anything else as '?'.
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20ac}' => 0x80,
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

/// A literal string's body: parentheses and backslashes escaped, control bytes in octal.
fn escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0..=0x1f => out.extend(format!("\\{b:03o}").into_bytes()),
            _ => out.push(b),
        }
    }
    out
}
