//! Literal and hexadecimal strings, read as lopdf's parser reads them.

use super::{hex, is_whitespace, Reader, Step, Stop, MAX_BRACKET};
use std::borrow::Cow;

impl<'a> Reader<'a> {
    /// `( … )` with escapes and balanced parentheses; borrowed when nothing needed unescaping.
    pub(super) fn literal(&mut self) -> Step<Cow<'a, [u8]>> {
        let start = self.pos + 1;
        let end = start
            + self.data[start..]
                .iter()
                .position(|c| matches!(c, b'(' | b')' | b'\\'))
                .unwrap_or(self.data.len() - start);
        if self.data.get(end) == Some(&b')') {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(&self.data[start..end]));
        }
        let save = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        if self.literal_body(&mut out, MAX_BRACKET) && self.peek() == Some(b')') {
            self.pos += 1;
            Ok(Cow::Owned(out))
        } else {
            self.pos = save;
            Err(Stop.into())
        }
    }

    /// The inside of a literal string up to (not including) its closing parenthesis.
    fn literal_body(&mut self, out: &mut Vec<u8>, depth: usize) -> bool {
        while let Some(c) = self.peek() {
            match c {
                b')' => return true,
                b'(' => {
                    if depth == 0 {
                        return true;
                    }
                    let save = self.pos;
                    self.pos += 1;
                    let mut inner = vec![b'('];
                    if self.literal_body(&mut inner, depth - 1) && self.peek() == Some(b')') {
                        self.pos += 1;
                        inner.push(b')');
                        out.extend_from_slice(&inner);
                    } else {
                        self.pos = save;
                        return true;
                    }
                }
                b'\\' => {
                    let rest = &self.data[self.pos + 1..];
                    let octal = rest
                        .iter()
                        .take(3)
                        .take_while(|c| (b'0'..=b'7').contains(c))
                        .count();
                    if octal > 0 {
                        let v = rest[..octal]
                            .iter()
                            .fold(0u16, |v, d| v * 8 + u16::from(d - b'0'));
                        out.push(v as u8);
                        self.pos += 1 + octal;
                    } else if rest.starts_with(b"\r\n") {
                        self.pos += 3;
                    } else if let Some(&e) = rest.first() {
                        self.pos += 2;
                        match e {
                            b'\r' | b'\n' => {}
                            b'n' => out.push(b'\n'),
                            b'r' => out.push(b'\r'),
                            b't' => out.push(b'\t'),
                            b'b' => out.push(8),
                            b'f' => out.push(0x0c),
                            other => out.push(other),
                        }
                    } else {
                        return true;
                    }
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        true
    }

    /// `<4142 43>`: the digits between the brackets, checked (see `unhex`).
    pub(super) fn hexadecimal(&mut self) -> Option<&'a [u8]> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    return Some(&self.data[start..self.pos - 1]);
                }
                Some(c) if is_whitespace(c) || hex(c).is_some() => self.pos += 1,
                _ => return None,
            }
        }
    }
}

/// A hexadecimal string's bytes into `out`: whitespace between digits is skipped, an odd last
/// digit is the high half.
pub fn unhex(digits: &[u8], out: &mut Vec<u8>) {
    let mut half = false;
    for d in digits.iter().filter_map(|c| hex(*c)) {
        if half {
            if let Some(last) = out.last_mut() {
                *last |= d;
            }
        } else {
            out.push(d << 4);
        }
        half = !half;
    }
}
