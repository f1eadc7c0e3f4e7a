//! A page content stream read as a sequence of operations, for the text operators only.
//!
//! Until issue #17 the text came from lopdf's content parser, which builds an `Object` for every
//! operand of every operator; this reads the same grammar in place, keeps only what the text
//! operators use (strings, numbers in TJ arrays, font names) and borrows string bytes where no
//! escape changes them. It follows lopdf's reading where a stream is malformed, so that search
//! finds the same words as before: an operation that does not parse ends the stream (what came
//! before stays), and an inline image without its end or arrays nested past 100 levels make the
//! whole page unreadable.

use std::borrow::Cow;

mod inline_image;
mod strings;

pub use strings::unhex;

/// How deep arrays and dictionaries nest in an operand (lopdf's `MAX_NESTING_DEPTH`).
const MAX_DEPTH: usize = 100;
/// How deep parentheses nest inside a literal string (lopdf's `MAX_BRACKET`).
const MAX_BRACKET: usize = 100;

/// An operand, reduced to what the text operators read.
#[derive(Debug)]
pub enum Operand<'a> {
    Str(Cow<'a, [u8]>),
    /// A hexadecimal string's digits (and the whitespace between them) as written: decoded
    /// where it is shown, into a buffer reused for every string (`unhex`).
    Hex(&'a [u8]),
    Int(i64),
    Name(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    Bool(bool),
    /// Reals, null, dictionaries, references, inline image data.
    Other,
}

/// Why a page's content cannot be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// lopdf's parser failed hard: the page had no text.
    Page,
    /// lopdf panicked (an inline image without a colour space): the document had no text.
    Document,
}

/// Soft failure: the operation does not parse and the stream ends here.
struct Stop;

type Step<T> = Result<T, Failure>;

enum Failure {
    Stop,
    Unreadable(Unreadable),
}

impl From<Stop> for Failure {
    fn from(_: Stop) -> Self {
        Failure::Stop
    }
}

/// Reads `data` operation by operation, calling `op(operator, operands)` for each; stops at the
/// first operation that does not parse.
pub fn operations<'a>(
    data: &'a [u8],
    mut op: impl FnMut(&[u8], &[Operand<'a>]) -> Result<(), Unreadable>,
) -> Result<(), Unreadable> {
    let mut r = Reader { data, pos: 0 };
    r.content_space();
    let mut operands: Vec<Operand<'a>> = Vec::new();
    while r.pos < data.len() {
        operands.clear();
        match r.operation(&mut operands) {
            Ok(operator) => op(operator, &operands)?,
            Err(Failure::Stop) => break,
            Err(Failure::Unreadable(u)) => return Err(u),
        }
    }
    Ok(())
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0c)
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

/// Each byte's value as a hexadecimal digit, `NOT_HEX` for the others (a table: hexadecimal
/// strings carry every glyph of a CID font, four digits each).
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => NOT_HEX,
        };
        c += 1;
    }
    t
};
const NOT_HEX: u8 = 0xff;

/// A hexadecimal digit's value (the content streams' strings and the CMaps' codes).
pub fn hex(c: u8) -> Option<u8> {
    Some(HEX[c as usize]).filter(|d| *d != NOT_HEX)
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    fn starts_with(&self, tag: &[u8]) -> bool {
        self.rest().starts_with(tag)
    }

    /// Between operands and operators: spaces, tabs and line ends only (not NUL or form feed).
    fn content_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Inside arrays and dictionaries: all whitespace and comments.
    fn space(&mut self) {
        loop {
            match self.peek() {
                Some(c) if is_whitespace(c) => self.pos += 1,
                Some(b'%') => {
                    if !self.comment() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// `%` to the end of the line, the line end included; false (nothing read) when no line end
    /// follows.
    fn comment(&mut self) -> bool {
        let rest = self.rest();
        match rest.iter().position(|c| matches!(c, b'\r' | b'\n')) {
            Some(i) if rest.first() == Some(&b'%') => {
                self.pos += i + if rest[i..].starts_with(b"\r\n") { 2 } else { 1 };
                true
            }
            _ => false,
        }
    }

    fn operation(&mut self, operands: &mut Vec<Operand<'a>>) -> Step<&'a [u8]> {
        while self.peek() == Some(b'%') && self.comment() {}
        if self.starts_with(b"BI") {
            self.pos += 2;
            self.content_space();
            self.inline_image()?;
            return Ok(b"BI");
        }
        loop {
            let start = self.pos;
            match self.object(MAX_DEPTH, false) {
                Ok(o) => {
                    operands.push(o);
                    self.content_space();
                }
                Err(Failure::Stop) => {
                    self.pos = start;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"'))
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(Failure::Stop);
        }
        let operator = &self.data[start..self.pos];
        self.content_space();
        Ok(operator)
    }

    /// One object: an operand (`nested` false) or an element of an array or dictionary (where
    /// `1 0 R` is a reference). `depth` is lopdf's nesting budget for the containers inside.
    fn object(&mut self, depth: usize, nested: bool) -> Step<Operand<'a>> {
        for (tag, value) in [
            (&b"null"[..], Operand::Other),
            (b"true", Operand::Bool(true)),
            (b"false", Operand::Bool(false)),
        ] {
            if self.starts_with(tag) {
                self.pos += tag.len();
                return Ok(value);
            }
        }
        if nested && self.reference() {
            return Ok(Operand::Other);
        }
        if let Some(b'+' | b'-' | b'.' | b'0'..=b'9') = self.peek() {
            if let Some(n) = self.number() {
                return Ok(n);
            }
        }
        match self.peek() {
            Some(b'/') => Ok(Operand::Name(self.name())),
            Some(b'(') => Ok(Operand::Str(self.literal()?)),
            Some(b'<') if self.data.get(self.pos + 1) != Some(&b'<') => {
                let start = self.pos;
                match self.hexadecimal() {
                    Some(s) => Ok(Operand::Hex(s)),
                    None => {
                        self.pos = start;
                        Err(Stop.into())
                    }
                }
            }
            Some(b'[') => self.array(depth).map(Operand::Array),
            Some(b'<') => {
                self.dictionary(depth)?;
                Ok(Operand::Other)
            }
            _ => Err(Stop.into()),
        }
    }

    /// `12 0 R` inside a container (lopdf tries it before numbers there).
    fn reference(&mut self) -> bool {
        let start = self.pos;
        let ok = self.unsigned(u32::MAX.into())
            && {
                self.space();
                self.unsigned(u16::MAX.into())
            }
            && {
                self.space();
                self.peek() == Some(b'R')
            };
        if ok {
            self.pos += 1;
        } else {
            self.pos = start;
        }
        ok
    }

    /// Digits whose value is at most `max` (`u32::MAX` for an object number, `u16::MAX` for a
    /// generation, as lopdf parses them).
    fn unsigned(&mut self, max: u64) -> bool {
        let digits = self
            .rest()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let value = self.rest()[..digits].iter().try_fold(0u64, |v, d| {
            v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        });
        let ok = digits > 0 && value.is_some_and(|v| v <= max);
        if ok {
            self.pos += digits;
        }
        ok
    }

    /// A real (`-1.5`, `.5`, `3.`) is Other; an integer is kept for TJ's spacing rule. An integer
    /// that does not fit in i64 is no number (lopdf then fails the operation).
    fn number(&mut self) -> Option<Operand<'a>> {
        let rest = self.rest();
        let sign = usize::from(matches!(rest.first(), Some(b'+' | b'-')));
        let int = rest[sign..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after = &rest[sign + int..];
        if after.first() == Some(&b'.') {
            let frac = after[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if int > 0 || frac > 0 {
                self.pos += sign + int + 1 + frac;
                return Some(Operand::Other);
            }
            return None;
        }
        if int == 0 {
            return None;
        }
        // What `str::parse::<i64>` gives, without the UTF-8 check and the generic parser (kerns
        // in TJ arrays are most of a CID font's numbers).
        let negative = rest[0] == b'-';
        let mut value = 0i64;
        for d in &rest[sign..sign + int] {
            let d = i64::from(d - b'0');
            value = value.checked_mul(10)?;
            value = if negative {
                value.checked_sub(d)?
            } else {
                value.checked_add(d)?
            };
        }
        self.pos += sign + int;
        Some(Operand::Int(value))
    }

    /// `/Name` with `#xx` escapes; an empty name is a name.
    fn name(&mut self) -> Cow<'a, [u8]> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        while let Some(c) = self.peek() {
            if c == b'#' {
                let pair = self.data.get(self.pos + 1..self.pos + 3);
                match pair.and_then(|p| Some(hex(p[0])? << 4 | hex(p[1])?)) {
                    Some(b) => {
                        owned
                            .get_or_insert_with(|| self.data[start..self.pos].to_vec())
                            .push(b);
                        self.pos += 3;
                    }
                    None => break,
                }
            } else if is_regular(c) {
                if let Some(o) = owned.as_mut() {
                    o.push(c);
                }
                self.pos += 1;
            } else {
                break;
            }
        }
        match owned {
            Some(o) => Cow::Owned(o),
            None => Cow::Borrowed(&self.data[start..self.pos]),
        }
    }

    fn array(&mut self, depth: usize) -> Step<Vec<Operand<'a>>> {
        let save = self.pos;
        self.pos += 1;
        self.space();
        let mut items = Vec::new();
        loop {
            if depth == 0 {
                return Err(Failure::Unreadable(Unreadable::Page));
            }
            let start = self.pos;
            match self.object(depth - 1, true) {
                Ok(o) => {
                    items.push(o);
                    self.space();
                }
                Err(Failure::Stop) => {
                    self.pos = start;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if self.peek() == Some(b']') {
            self.pos += 1;
            Ok(items)
        } else {
            self.pos = save;
            Err(Stop.into())
        }
    }

    fn dictionary(&mut self, depth: usize) -> Step<()> {
        let save = self.pos;
        if !self.starts_with(b"<<") {
            return Err(Stop.into());
        }
        self.pos += 2;
        self.space();
        self.entries(depth)?;
        if self.starts_with(b">>") {
            self.pos += 2;
            Ok(())
        } else {
            self.pos = save;
            Err(Stop.into())
        }
    }

    /// `/Key value` pairs until something else (an inline image's dimensions are read from them).
    fn entries(&mut self, depth: usize) -> Step<Vec<(Cow<'a, [u8]>, Operand<'a>)>> {
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            if self.peek() != Some(b'/') {
                break;
            }
            let key = self.name();
            self.space();
            if depth == 0 {
                return Err(Failure::Unreadable(Unreadable::Page));
            }
            match self.object(depth - 1, true) {
                Ok(v) => {
                    out.push((key, v));
                    self.space();
                }
                Err(Failure::Stop) => {
                    self.pos = start;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

/// Where a dictionary starting at `pos` ends (lopdf's grammar), for the CMap reader.
pub fn dictionary_end(data: &[u8], pos: usize) -> Option<usize> {
    let mut r = Reader { data, pos };
    r.dictionary(MAX_DEPTH).ok().map(|_| r.pos)
}

/// Where a `/Name` starting at `pos` ends.
pub fn name_end(data: &[u8], pos: usize) -> Option<usize> {
    let mut r = Reader { data, pos };
    (r.peek() == Some(b'/')).then(|| {
        r.name();
        r.pos
    })
}

/// Past whitespace and comments from `pos`.
pub fn skip_space(data: &[u8], pos: usize) -> usize {
    let mut r = Reader { data, pos };
    r.space();
    r.pos
}

/// Where an object starting at `pos` ends, with the whitespace after it (a dictionary value).
pub fn object_end(data: &[u8], pos: usize) -> Option<usize> {
    let mut r = Reader { data, pos };
    r.object(MAX_DEPTH - 1, true).ok()?;
    r.space();
    Some(r.pos)
}
