//! The flat tables give what the range maps gave before issue #17's second step: the lookup as it
//! was (a B-tree per code length, a `Vec` per glyph) is kept here as the reference, and both
//! decode the same strings under CMaps written to hit every case (overlaps, adjacent equal
//! entries that the range map merges, ranges past the flat pages, strings per code, units
//! advanced past a range's end, codes of three and four bytes).

use super::{decode_with, maps, Target, ToUnicode, MAX_PAGES, REPLACEMENT};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rangemap::RangeInclusiveMap;

/// The lookup before (cmap.rs at 66afeda).
struct Before {
    maps: [RangeInclusiveMap<u32, Target>; 4],
}

impl Before {
    fn lookup(&self, code: u32, len: usize, out: &mut Vec<u16>) -> bool {
        match self.maps[len - 1].get_key_value(&code) {
            Some((range, target)) => {
                out.extend(value(*range.start(), code, target));
                true
            }
            None => false,
        }
    }

    fn decode(&self, bytes: &[u8], out: &mut Vec<u16>) {
        decode_with(bytes, out, |code, len, out| self.lookup(code, len, out));
    }
}

fn value(start: u32, code: u32, target: &Target) -> Vec<u16> {
    match target {
        Target::Offset(offset) => vec![code.wrapping_add(*offset) as u16],
        Target::Units(units) => {
            let mut v = units.clone();
            if let Some(last) = v.last_mut() {
                *last = last.wrapping_add((code - start) as u16);
            }
            v
        }
        Target::Each(strings) => strings
            .get((code - start) as usize)
            .cloned()
            .unwrap_or_else(|| vec![REPLACEMENT]),
    }
}

fn hex(code: u32, len: usize) -> String {
    format!("<{:0w$X}>", code, w = len * 2)
}

fn units(rng: &mut StdRng) -> String {
    let n = if rng.gen_bool(0.6) {
        1
    } else {
        rng.gen_range(1..4)
    };
    let u: String = (0..n)
        .map(|_| format!("{:04X}", rng.gen_range(0..=0xffffu32)))
        .collect();
    format!("<{u}>")
}

/// A CMap of random entries: one- and two-byte codes mostly, some of three and four bytes.
fn random_cmap(rng: &mut StdRng) -> String {
    let mut body = String::new();
    for _ in 0..rng.gen_range(1..6) {
        let len = [1, 2, 2, 2, 3, 4][rng.gen_range(0..6)];
        let max = if len == 4 {
            u32::MAX
        } else {
            (1u32 << (8 * len)) - 1
        };
        // Codes bunched in a small window most of the time, so that entries overlap and touch.
        let window = if rng.gen_bool(0.7) {
            rng.gen_range(0..=max.saturating_sub(600))
        } else {
            0
        };
        let code = |rng: &mut StdRng| {
            if window > 0 || rng.gen_bool(0.5) {
                (window + rng.gen_range(0..600)).min(max)
            } else {
                rng.gen_range(0..=max)
            }
        };
        let n = rng.gen_range(1..40);
        if rng.gen_bool(0.5) {
            body += &format!("{n} beginbfchar\n");
            for _ in 0..n {
                body += &format!("{} {}\n", hex(code(rng), len), units(rng));
            }
            body += "endbfchar\n";
        } else {
            body += &format!("{n} beginbfrange\n");
            for _ in 0..n {
                let a = code(rng);
                let span = if rng.gen_bool(0.1) {
                    rng.gen_range(0..70_000)
                } else {
                    rng.gen_range(0..300)
                };
                let b = a.saturating_add(span).min(max);
                let target = if rng.gen_bool(0.2) {
                    let k = rng.gen_range(1..6);
                    let all: Vec<String> = (0..k).map(|_| units(rng)).collect();
                    format!("[{}]", all.join(" "))
                } else {
                    units(rng)
                };
                body += &format!("{} {} {target}\n", hex(a, len), hex(b, len));
            }
            body += "endbfrange\n";
        }
    }
    cmap(&body)
}

fn cmap(body: &str) -> String {
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CMapName /Test def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
         {body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
}

/// Strings near the CMap's codes and random ones, of every length up to nine bytes.
fn strings(rng: &mut StdRng, text: &str) -> Vec<Vec<u8>> {
    let known: Vec<u8> = text
        .split(['<', '>'])
        .skip(1)
        .step_by(2)
        .filter_map(|h| u32::from_str_radix(h, 16).ok())
        .flat_map(|c| c.to_be_bytes())
        .collect();
    (0..300)
        .map(|_| {
            (0..rng.gen_range(0..10))
                .map(|_| {
                    if rng.gen_bool(0.8) && !known.is_empty() {
                        known[rng.gen_range(0..known.len())].wrapping_add(rng.gen_range(0..3))
                    } else {
                        rng.gen()
                    }
                })
                .collect()
        })
        .collect()
}

fn compare(text: &str, rng: &mut StdRng) -> usize {
    let Some(m) = maps(text.as_bytes()) else {
        assert!(ToUnicode::parse(text.as_bytes()).is_none());
        return 0;
    };
    let before = Before { maps: m.clone() };
    let now = ToUnicode::from_maps(m);
    let mut all = strings(rng, text);
    all.extend((0..=255u8).map(|b| vec![b]));
    all.extend(
        (0..=0xffffu32)
            .step_by(7)
            .map(|c| (c as u16).to_be_bytes().to_vec()),
    );
    for s in &all {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        before.decode(s, &mut a);
        now.decode(s, &mut b);
        assert_eq!(a, b, "{s:02x?} under\n{text}");
    }
    all.len()
}

#[test]
fn flat_tables_decode_as_the_range_maps_did_on_random_cmaps() {
    let mut rng = StdRng::seed_from_u64(17);
    let mut checked = 0;
    for _ in 0..400 {
        checked += compare(&random_cmap(&mut rng), &mut rng);
    }
    assert!(checked > 400 * 9_000, "{checked} strings compared");
}

#[test]
fn adjacent_equal_entries_merged_by_the_range_map_read_as_before() {
    // Two codes mapping to the same two units: the range map makes one range of them, and the
    // second code then gets its last unit advanced, as lopdf's reader and ours always did.
    let text = cmap(
        "2 beginbfchar\n<0101> <00410042>\n<0102> <00410042>\nendbfchar\n\
         2 beginbfchar\n<41> <0043>\n<42> <0043>\nendbfchar\n",
    );
    let t = ToUnicode::parse(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    t.decode(&[1, 1, 1, 2, 0x41, 0x42], &mut out);
    assert_eq!(out, [0x41, 0x42, 0x41, 0x43, 0x43, 0x43]);
    compare(&text, &mut StdRng::seed_from_u64(1));
}

#[test]
fn a_font_touching_every_two_byte_page_keeps_a_few_flat_and_finds_the_rest() {
    let body: String = (0..256u32)
        .map(|hi| {
            format!(
                "{} {} <{:04X}>\n",
                hex(hi << 8, 2),
                hex(hi << 8 | 0x7f, 2),
                hi
            )
        })
        .collect();
    let text = cmap(&format!("100 beginbfrange\n{body}endbfrange\n"));
    let t = ToUnicode::parse(text.as_bytes()).unwrap();
    assert_eq!(t.two.len(), MAX_PAGES * 256, "flat pages held");
    for hi in [0u32, 63, 64, 200, 255] {
        let mut out = Vec::new();
        t.decode(&[hi as u8, 0x05], &mut out);
        assert_eq!(out, [hi as u16 + 5], "page {hi}");
    }
    compare(&text, &mut StdRng::seed_from_u64(2));
}

#[test]
fn the_widest_ranges_stay_ranges() {
    let text = cmap(
        "2 beginbfrange\n<0000> <FFFF> <0041>\n<00000000> <FFFFFFFF> <00420043>\nendbfrange\n",
    );
    let t = ToUnicode::parse(text.as_bytes()).unwrap();
    assert_eq!(t.codes(), 65_536 + (1 << 32));
    let mut out = Vec::new();
    t.decode(&[0x12, 0x34, 0x56], &mut out);
    assert_eq!(out, [0x41 + 0x1234, REPLACEMENT]);
    compare(&text, &mut StdRng::seed_from_u64(3));
}
