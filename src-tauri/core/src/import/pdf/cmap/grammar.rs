//! The grammar of a ToUnicode CMap, as lopdf's reader accepted it.

use super::super::content::hex;
use super::Target;
use rangemap::RangeInclusiveMap;

/// What must follow a keyword: at least one space or tab, at least one space, line end or
/// comment, or nothing.
enum Gap {
    Space,
    Line,
    None,
}

pub(super) struct Parser<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
}

impl Parser<'_> {
    fn tag(&mut self, t: &[u8]) -> Option<()> {
        self.data[self.pos..]
            .starts_with(t)
            .then(|| self.pos += t.len())
    }

    /// Spaces and tabs; at least `min` of them.
    fn spaces(&mut self, min: usize) -> Option<()> {
        let n = self.data[self.pos..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        self.pos += n;
        (n >= min).then_some(())
    }

    /// Spaces, tabs, line ends and comments; at least `min` of them.
    fn multispace(&mut self, min: usize) -> Option<()> {
        let mut n = 0;
        loop {
            let rest = &self.data[self.pos..];
            let step = match rest.first() {
                Some(b' ' | b'\t' | b'\n') => 1,
                Some(b'\r') => 1 + usize::from(rest.get(1) == Some(&b'\n')),
                Some(b'%') => match rest.iter().position(|c| matches!(c, b'\r' | b'\n')) {
                    Some(i) => i + 1 + usize::from(rest[i..].starts_with(b"\r\n")),
                    None => 0,
                },
                _ => 0,
            };
            if step == 0 {
                return (n >= min).then_some(());
            }
            self.pos += step;
            n += 1;
        }
    }

    fn digits(&mut self) -> Option<()> {
        let n = self.data[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        self.pos += n;
        (n > 0).then_some(())
    }

    /// Each keyword in turn, each followed by its gap.
    fn words(&mut self, words: &[(&[u8], Gap)]) -> Option<()> {
        for (word, gap) in words {
            self.tag(word)?;
            match gap {
                Gap::Line => self.multispace(1)?,
                Gap::Space => self.spaces(1)?,
                Gap::None => {}
            }
        }
        Some(())
    }

    /// Tries `f`; on failure the position is where it was.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let save = self.pos;
        let r = f(self);
        if r.is_none() {
            self.pos = save;
        }
        r
    }

    pub(super) fn document(
        &mut self,
        maps: &mut [RangeInclusiveMap<u32, Target>; 4],
    ) -> Option<()> {
        let _ = self.tag("\u{FEFF}".as_bytes());
        self.multispace(0)?;
        self.tag(b"/CIDInit")?;
        self.spaces(0)?;
        self.tag(b"/ProcSet").or_else(|| self.tag(b"/Procset"))?;
        self.spaces(1)?;
        self.words(&[(b"findresource", Gap::Space), (b"begin", Gap::Line)])?;
        self.digits()?;
        self.spaces(1)?;
        self.words(&[
            (b"dict", Gap::Space),
            (b"begin", Gap::Line),
            (b"begincmap", Gap::Line),
        ])?;
        let mut metadata = 0;
        while metadata < 7 && self.attempt(Self::metadata).is_some() {
            metadata += 1;
        }
        if metadata == 0 {
            return None;
        }
        let mut sections = 0;
        while self.attempt(|p| p.section(maps)).is_some() {
            sections += 1;
        }
        if sections == 0 {
            return None;
        }
        self.words(&[
            (b"endcmap", Gap::Line),
            (b"CMapName", Gap::Space),
            (b"currentdict", Gap::Space),
            (b"/CMap", Gap::Space),
            (b"defineresource", Gap::Space),
            (b"pop", Gap::Line),
            (b"end", Gap::Line),
            (b"end", Gap::None),
        ])
    }

    fn metadata(&mut self) -> Option<()> {
        let rest = &self.data[self.pos..];
        if rest.starts_with(b"/CIDSystemInfo") {
            self.pos += 14;
            self.multispace(0)?;
            let end = super::super::content::dictionary_end(self.data, self.pos)
                .or_else(|| self.attempt(Self::dict_dup))?;
            self.pos = end;
            self.multispace(1)?;
        } else if rest.starts_with(b"/CMapName") {
            self.pos += 9;
            self.spaces(0)?;
            self.pos = super::super::content::name_end(self.data, self.pos)?;
            self.spaces(1)?;
        } else if rest.starts_with(b"/CMapVersion") {
            self.pos += 12;
            self.spaces(1)?;
            self.digits()?;
            let _ = self.attempt(|p| {
                p.tag(b".")?;
                p.digits()
            });
            self.spaces(1)?;
        } else if rest.starts_with(b"/XUID") {
            self.pos += 5;
            self.spaces(1)?;
            self.tag(b"[")?;
            self.digits()?;
            while self
                .attempt(|p| {
                    p.spaces(1)?;
                    p.digits()
                })
                .is_some()
            {}
            self.tag(b"]")?;
            self.spaces(1)?;
        } else {
            let key = [&b"/CMapType"[..], b"/UIDOffset", b"/WMode"]
                .into_iter()
                .find(|k| rest.starts_with(k))?;
            self.pos += key.len();
            self.spaces(1)?;
            self.digits()?;
            self.spaces(1)?;
        }
        self.tag(b"def")?;
        self.multispace(1)
    }

    /// `3 dict dup begin /Key value def … end` (a CIDSystemInfo written as PostScript); returns
    /// where it ends.
    fn dict_dup(&mut self) -> Option<usize> {
        self.digits()?;
        self.spaces(1)?;
        self.words(&[
            (b"dict", Gap::Space),
            (b"dup", Gap::Space),
            (b"begin", Gap::Line),
        ])?;
        while self
            .attempt(|p| {
                p.pos = super::super::content::name_end(p.data, p.pos)?;
                p.pos = super::super::content::skip_space(p.data, p.pos);
                p.pos = super::super::content::object_end(p.data, p.pos)?;
                p.tag(b"def")?;
                p.multispace(1)
            })
            .is_some()
        {}
        self.tag(b"end")?;
        Some(self.pos)
    }

    fn section(&mut self, maps: &mut [RangeInclusiveMap<u32, Target>; 4]) -> Option<()> {
        self.digits()?;
        self.spaces(1)?;
        if self.tag(b"begincodespacerange").is_some() {
            self.multispace(1)?;
            let mut n = 0;
            while self
                .attempt(|p| {
                    p.spaces(0)?;
                    p.code_range()?;
                    p.multispace(1)
                })
                .is_some()
            {
                n += 1;
            }
            if n == 0 {
                return None;
            }
            self.tag(b"endcodespacerange")?;
            return self.multispace(1);
        }
        // Entries are kept aside until the section's end is read: a section that does not
        // parse leaves nothing behind.
        let mut entries: Vec<(u32, u32, usize, Target)> = Vec::new();
        if self.tag(b"beginbfchar").is_some() {
            self.multispace(1)?;
            while let Some(e) = self.attempt(|p| {
                p.spaces(0)?;
                let (code, len) = p.source_code()?;
                p.spaces(0)?;
                let dst = p.target_string()?;
                p.multispace(1)?;
                let target = if dst.len() == 1 {
                    Target::Offset(u32::from(dst[0]).wrapping_sub(code))
                } else {
                    Target::Units(dst)
                };
                Some((code, code, len, target))
            }) {
                entries.push(e);
            }
            self.tag(b"endbfchar")?;
        } else {
            self.tag(b"beginbfrange")?;
            self.multispace(1)?;
            while let Some(e) = self.attempt(|p| {
                p.spaces(0)?;
                let (start, end, len) = p.code_range()?;
                p.spaces(0)?;
                let mut dst = match p.attempt(Self::target_string) {
                    Some(s) => vec![s],
                    None => p.target_array()?,
                };
                p.multispace(1)?;
                let target = if dst.len() == 1 && dst[0].len() == 1 {
                    Target::Offset(u32::from(dst[0][0]).wrapping_sub(start))
                } else if dst.len() == 1 {
                    Target::Units(dst.remove(0))
                } else {
                    Target::Each(dst)
                };
                Some((start, end, len, target))
            }) {
                entries.push(e);
            }
            self.tag(b"endbfrange")?;
        }
        self.multispace(1)?;
        for (start, end, len, target) in entries {
            if end < start {
                // lopdf rejects the whole CMap for a range that runs backwards.
                self.pos = self.data.len();
                return None;
            }
            maps[len - 1].insert(start..=end, target);
        }
        Some(())
    }

    /// `<xx…>` of one to four bytes: the code and its length.
    fn source_code(&mut self) -> Option<(u32, usize)> {
        self.tag(b"<")?;
        let mut code = 0u32;
        let mut len = 0;
        while len < 4 {
            match self.hex_byte() {
                Some(b) => {
                    code = code << 8 | u32::from(b);
                    len += 1;
                }
                None => break,
            }
        }
        self.tag(b">")?;
        (len > 0).then_some((code, len))
    }

    fn hex_byte(&mut self) -> Option<u8> {
        let pair = self.data.get(self.pos..self.pos + 2)?;
        let v = hex(pair[0])? << 4 | hex(pair[1])?;
        self.pos += 2;
        Some(v)
    }

    /// Two codes of the same length.
    fn code_range(&mut self) -> Option<(u32, u32, usize)> {
        let (start, a) = self.source_code()?;
        self.spaces(0)?;
        let (end, b) = self.source_code()?;
        (a == b).then_some((start, end, a))
    }

    /// `<0041 0042>`: one to 256 UTF-16 units.
    fn target_string(&mut self) -> Option<Vec<u16>> {
        self.tag(b"<")?;
        let mut units = Vec::new();
        while units.len() < 256 {
            let Some(unit) = self.attempt(|p| {
                let hi = p.hex_byte()?;
                let lo = p.hex_byte()?;
                Some(u16::from(hi) << 8 | u16::from(lo))
            }) else {
                break;
            };
            units.push(unit);
            self.multispace(0)?;
        }
        self.tag(b">")?;
        (!units.is_empty()).then_some(units)
    }

    /// `[<0041> <0042>]`: strings apart by spaces or tabs.
    fn target_array(&mut self) -> Option<Vec<Vec<u16>>> {
        self.tag(b"[")?;
        self.spaces(0)?;
        let mut all = vec![self.target_string()?];
        while let Some(s) = self.attempt(|p| {
            p.spaces(1)?;
            p.target_string()
        }) {
            all.push(s);
        }
        self.spaces(0)?;
        self.tag(b"]")?;
        Some(all)
    }
}
