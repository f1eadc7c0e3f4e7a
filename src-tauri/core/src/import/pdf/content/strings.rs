//! Literal and hexadecimal strings, read as lopdf's parser reads them.

use super::{hex, is_whitespace, Reader, Step, Stop, HEX, MAX_BRACKET, NOT_HEX};
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
                Some(c) if HEX[c as usize] != NOT_HEX || is_whitespace(c) => self.pos += 1,
                _ => return None,
            }
        }
    }
}

/// A hexadecimal string's bytes into `out`: whitespace between digits is skipped, an odd last
/// digit is the high half.
pub fn unhex(digits: &[u8], out: &mut Vec<u8>) {
    // Pairs of digits with nothing between them, the way strings are written; from the first
    // whitespace on, digit by digit.
    let mut read = 0;
    for pair in digits.chunks_exact(2) {
        let (high, low) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        if high == NOT_HEX || low == NOT_HEX {
            break;
        }
        out.push(high << 4 | low);
        read += 2;
    }
    let mut half = false;
    for d in digits[read..].iter().filter_map(|c| hex(*c)) {
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

#[cfg(test)]
mod tests {
    use super::super::{operations, Operand};
    use super::unhex;

    fn bytes(digits: &str) -> Vec<u8> {
        let mut out = vec![7];
        unhex(digits.as_bytes(), &mut out);
        out
    }

    #[test]
    fn hexadecimal_digits_read_in_pairs_across_whitespace_with_an_odd_last_half() {
        assert_eq!(bytes("4142aF"), [7, 0x41, 0x42, 0xaf]);
        assert_eq!(bytes("41 42\n4"), [7, 0x41, 0x42, 0x40]);
        assert_eq!(bytes("4 1\t42 3"), [7, 0x41, 0x42, 0x30]);
        assert_eq!(bytes("414"), [7, 0x41, 0x40]);
        assert_eq!(bytes(" "), [7]);
        assert_eq!(bytes(""), [7]);
    }

    #[test]
    fn a_hexadecimal_string_with_a_stray_character_ends_the_stream() {
        let mut shown = Vec::new();
        operations(b"<41 42> Tj <4G> Tj <43> Tj", |op, operands| {
            if let (b"Tj", [Operand::Hex(d)]) = (op, operands) {
                let mut out = Vec::new();
                unhex(d, &mut out);
                shown.push(out);
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(shown, [vec![0x41, 0x42]]);
    }

    /// The integers of each TJ array, or None for a real or reference; operators after one that
    /// does not parse are not seen.
    fn kerns(content: &[u8]) -> Vec<Vec<Option<i64>>> {
        let mut all = Vec::new();
        operations(content, |_, operands| {
            if let [Operand::Array(items)] = operands {
                all.push(
                    items
                        .iter()
                        .filter(|o| !matches!(o, Operand::Str(_) | Operand::Hex(_)))
                        .map(|o| match o {
                            Operand::Int(i) => Some(*i),
                            _ => None,
                        })
                        .collect(),
                );
            }
            Ok(())
        })
        .unwrap();
        all
    }

    #[test]
    fn integers_read_as_lopdf_parsed_them_up_to_the_limits_of_64_bits() {
        assert_eq!(
            kerns(b"[(a) -120 (b) +7 0 -0 1.5 4 0 R 70000 0 R] TJ"),
            [vec![
                Some(-120),
                Some(7),
                Some(0),
                Some(0),
                None,
                None,
                None
            ]]
        );
        assert_eq!(
            kerns(b"[<41> 9223372036854775807 -9223372036854775808] TJ"),
            [vec![Some(i64::MAX), Some(i64::MIN)]]
        );
        // A reference's generation is at most 65535; a larger one is no reference, and its `R`
        // then ends the stream.
        assert_eq!(kerns(b"[(a) 4294967295 65535 R] TJ"), [vec![None]]);
        assert_eq!(kerns(b"[(a) 5 65536 R] TJ"), Vec::<Vec<_>>::new());
        // One past the limit is no number: the array, and the stream, end there.
        assert_eq!(
            kerns(b"[(a) 1] TJ [(b) 9223372036854775808] TJ [(c)] TJ"),
            [vec![Some(1)]]
        );
        assert_eq!(
            kerns(b"[(a) -9223372036854775809] TJ"),
            Vec::<Vec<_>>::new()
        );
    }
}
