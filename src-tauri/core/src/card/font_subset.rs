//! A TrueType font cut down to the characters our printed forms use (the card here, the reference
//! operator's seed documents), so each PDF embeds tens of KB instead of the whole font.

/// Latin, Cyrillic with the Kazakh letters, punctuation, № and ₸.
fn repertoire() -> impl Iterator<Item = char> {
    let ranges = [
        0x20u32..=0x7e,
        0xa0..=0xff,
        0x400..=0x4ff,
        0x2010..=0x2044,
        0x2116..=0x2116,
        0x2192..=0x2192,
        0x20b8..=0x20b8,
    ];
    ranges.into_iter().flatten().filter_map(char::from_u32)
}

/// Keeps only the glyphs of `repertoire` (and glyph 0).
pub fn subset(ttf: &[u8]) -> std::result::Result<Vec<u8>, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font::{Font, MatchingPresentation};
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let data = ReadScope::new(ttf)
        .read::<FontData>()
        .map_err(|e| e.to_string())?;
    let mut font =
        Font::new(data.table_provider(0).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let mut glyphs: Vec<u16> = repertoire()
        .map(|c| {
            font.lookup_glyph_index(c, MatchingPresentation::NotRequired, None)
                .0
        })
        .filter(|&g| g != 0)
        .collect();
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    let provider = data.table_provider(0).map_err(|e| e.to_string())?;
    subset(
        &provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| e.to_string())
}
