//! A font's ToUnicode CMap, read once per document into flat tables.
//!
//! lopdf's reader accepted the same grammar (grammar.rs) but then built a reverse map with one
//! entry per code of every range: a 300-byte CMap with the range `<00000000> <FFFFFFFF>` made four
//! billion entries (minutes of work and gigabytes of memory from a file under a kilobyte). Here a
//! range stays a range (sorted, looked up by binary search), and only one- and two-byte codes,
//! which every real font uses, get a flat table on top: a cell per code, 256 for one-byte codes
//! and a page of 256 per high byte that a two-byte range touches, at most `MAX_PAGES` pages, so a
//! hostile font costs no more than 64 KiB. The meaning of overlapping or adjacent entries is
//! lopdf's (a CMap it rejected is rejected here, and the font falls back to the standard
//! encoding as before).
//!
//! Issue #17: the glyph lookup was a B-tree search and a `Vec` allocated per glyph; a cell is one
//! or two array reads and the units are appended to the caller's buffer.

mod grammar;
#[cfg(test)]
mod tests;

use rangemap::RangeInclusiveMap;

/// What a code, or a range of codes, maps to (lopdf's `BfRangeTarget`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// The code plus this offset, one UTF-16 unit.
    Offset(u32),
    /// These units, the last one advanced by the code's distance from the range's start.
    Units(Vec<u16>),
    /// One string per code of the range.
    Each(Vec<Vec<u16>>),
}

const REPLACEMENT: u16 = 0xfffd;

/// One code's mapping in a flat table: `NONE`, one unit (the unit plus one), or `SPAN` plus the
/// index of the span whose target gives the units.
type Cell = u32;
const NONE: Cell = 0;
const SPAN: Cell = 0x1_0001;

/// Two-byte pages held flat per font; codes on other pages are found by binary search.
const MAX_PAGES: usize = 64;
/// A high byte whose two-byte codes are not in a flat page.
const SEARCHED: u8 = u8::MAX;

/// A run of codes of one length and what they map to.
#[derive(Debug)]
struct Span {
    start: u32,
    end: u32,
    target: Target,
}

/// Code → UTF-16 units, for codes of one to four bytes.
#[derive(Debug)]
pub struct ToUnicode {
    /// The ranges of one- to four-byte codes, each sorted and apart.
    spans: [Vec<Span>; 4],
    /// One-byte codes by code.
    one: Box<[Cell; 256]>,
    /// Two-byte codes: per high byte, 0 when no range touches it, `SEARCHED`, or the number (from
    /// one) of its page of 256 cells in `two`.
    pages: Box<[u8; 256]>,
    two: Vec<Cell>,
    /// How many codes the map covers (what lopdf expanded it into).
    codes: u64,
}

impl ToUnicode {
    /// Reads a CMap stream's decompressed content; None when lopdf would not have read it.
    pub fn parse(data: &[u8]) -> Option<ToUnicode> {
        maps(data).map(ToUnicode::from_maps)
    }

    fn from_maps(maps: [RangeInclusiveMap<u32, Target>; 4]) -> ToUnicode {
        let spans = maps.map(|m| {
            m.into_iter()
                .map(|(r, target)| Span {
                    start: *r.start(),
                    end: *r.end(),
                    target,
                })
                .collect::<Vec<_>>()
        });
        let codes = spans
            .iter()
            .flatten()
            .map(|s| u64::from(s.end - s.start) + 1)
            .sum();
        let mut one = Box::new([NONE; 256]);
        for (i, s) in spans[0].iter().enumerate() {
            for code in s.start..=s.end.min(255) {
                one[code as usize] = cell(s, i, code);
            }
        }
        let mut pages = Box::new([0u8; 256]);
        let mut two = Vec::new();
        for (i, s) in spans[1].iter().enumerate() {
            for code in s.start..=s.end.min(0xffff) {
                let hi = (code >> 8) as usize;
                if pages[hi] == 0 {
                    pages[hi] = if two.len() / 256 < MAX_PAGES {
                        two.resize(two.len() + 256, NONE);
                        (two.len() / 256) as u8
                    } else {
                        SEARCHED
                    };
                }
                if pages[hi] != SEARCHED {
                    two[(pages[hi] as usize - 1) * 256 + (code & 0xff) as usize] = cell(s, i, code);
                }
            }
        }
        ToUnicode {
            spans,
            one,
            pages,
            two,
            codes,
        }
    }

    /// How many codes the map covers.
    pub fn codes(&self) -> u64 {
        self.codes
    }

    /// Appends the units of `code` (`len` bytes long), or returns false when it has none.
    fn lookup(&self, code: u32, len: usize, out: &mut Vec<u16>) -> bool {
        let c = match len {
            1 => self.one[code as usize],
            2 => match self.pages[(code >> 8) as usize] {
                0 => return false,
                SEARCHED => return self.search(code, len, out),
                p => self.two[(p as usize - 1) * 256 + (code & 0xff) as usize],
            },
            _ => return self.search(code, len, out),
        };
        match c {
            NONE => false,
            c if c >= SPAN => {
                let s = &self.spans[len - 1][(c - SPAN) as usize];
                push_value(s.start, code, &s.target, out);
                true
            }
            unit => {
                out.push((unit - 1) as u16);
                true
            }
        }
    }

    /// A code found among its length's ranges.
    fn search(&self, code: u32, len: usize, out: &mut Vec<u16>) -> bool {
        let spans = &self.spans[len - 1];
        let i = spans.partition_point(|s| s.end < code);
        match spans.get(i) {
            Some(s) if s.start <= code => {
                push_value(s.start, code, &s.target, out);
                true
            }
            _ => false,
        }
    }

    /// The units of a shown string: codes are the shortest run of bytes (up to four) the map
    /// knows, as lopdf reads them; a run of four unknown bytes, or unknown bytes at the end, is
    /// one replacement character.
    pub fn decode(&self, bytes: &[u8], out: &mut Vec<u16>) {
        decode_with(bytes, out, |code, len, out| self.lookup(code, len, out));
    }
}

/// Splits a shown string into codes with `lookup` (true: it knew the code and wrote its units),
/// as `ToUnicode::decode` describes; the tests give it the lookup as it was before.
fn decode_with(
    bytes: &[u8],
    out: &mut Vec<u16>,
    lookup: impl Fn(u32, usize, &mut Vec<u16>) -> bool,
) {
    let (mut code, mut len) = (0u32, 0usize);
    for &b in bytes {
        if len == 4 {
            out.push(REPLACEMENT);
            (code, len) = (0, 0);
        }
        len += 1;
        code = code << 8 | u32::from(b);
        if lookup(code, len, out) {
            (code, len) = (0, 0);
        }
    }
    if len > 0 && !lookup(code, len, out) {
        out.push(REPLACEMENT);
    }
}

/// The ranges a CMap's text maps, by code length; None when lopdf would not have read it.
fn maps(data: &[u8]) -> Option<[RangeInclusiveMap<u32, Target>; 4]> {
    let mut maps: [RangeInclusiveMap<u32, Target>; 4] = Default::default();
    let mut p = grammar::Parser { data, pos: 0 };
    p.document(&mut maps)?;
    Some(maps)
}

/// The cell of `code` in span number `i`: its unit where it is one, else the span.
fn cell(s: &Span, i: usize, code: u32) -> Cell {
    let unit = match &s.target {
        Target::Offset(offset) => Some(code.wrapping_add(*offset) as u16),
        Target::Each(strings) => match strings.get((code - s.start) as usize) {
            Some(units) if units.len() == 1 => Some(units[0]),
            Some(_) => None,
            None => Some(REPLACEMENT),
        },
        Target::Units(_) => None,
    };
    unit.map_or(SPAN + i as Cell, |u| Cell::from(u) + 1)
}

/// Appends what `code` maps to in a range starting at `start`.
fn push_value(start: u32, code: u32, target: &Target, out: &mut Vec<u16>) {
    match target {
        Target::Offset(offset) => out.push(code.wrapping_add(*offset) as u16),
        Target::Units(units) => {
            if let Some((last, init)) = units.split_last() {
                out.extend_from_slice(init);
                out.push(last.wrapping_add((code - start) as u16));
            }
        }
        Target::Each(strings) => match strings.get((code - start) as usize) {
            Some(units) => out.extend_from_slice(units),
            None => out.push(REPLACEMENT),
        },
    }
}
