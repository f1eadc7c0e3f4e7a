//! Inline images (`BI … ID data EI`) skipped the way lopdf's content parser skips them, so that
//! the text after one is read as before.

use super::{Failure, Operand, Reader, Step, Unreadable, MAX_DEPTH};

impl Reader<'_> {
    /// `BI … ID data EI`: the data's length from its dictionary, or (when that cannot be
    /// worked out) the first `EI` between whitespace, as lopdf skips it.
    pub(super) fn inline_image(&mut self) -> Step<()> {
        let entries = self
            .entries(MAX_DEPTH)
            .map_err(|_| Failure::Unreadable(Unreadable::Page))?;
        if !self.starts_with(b"ID") {
            return Err(Failure::Unreadable(Unreadable::Page));
        }
        self.pos += 2;
        self.content_space();
        let get = |a: &[u8], b: &[u8]| {
            entries
                .iter()
                .rev()
                .find(|(k, _)| k.as_ref() == a)
                .or_else(|| entries.iter().rev().find(|(k, _)| k.as_ref() == b))
                .map(|(_, v)| v)
        };
        let data = match image_length(&get) {
            ImageData::Panic => return Err(Failure::Unreadable(Unreadable::Document)),
            ImageData::Length(n) if self.data.len() - self.pos >= n => Some(n),
            _ => None,
        };
        match data {
            Some(length) => {
                self.pos += length;
                self.content_space();
                if !self.starts_with(b"EI") {
                    return Err(Failure::Unreadable(Unreadable::Page));
                }
                self.pos += 2;
                self.content_space();
                Ok(())
            }
            None => {
                let at = self
                    .rest()
                    .windows(4)
                    .position(|w| {
                        matches!(w[0], b' ' | b'\n' | b'\r')
                            && &w[1..3] == b"EI"
                            && matches!(w[3], b' ' | b'\n' | b'\r')
                    })
                    .ok_or(Failure::Unreadable(Unreadable::Page))?;
                self.pos += at + 3;
                self.content_space();
                Ok(())
            }
        }
    }
}

enum ImageData {
    Length(usize),
    /// Read up to the first `EI` between whitespace.
    Skip,
    /// lopdf's reading panics here.
    Panic,
}

/// How lopdf reads an inline image's data: by its length when there is no filter and width,
/// height, bits and a colour space it knows (or an image mask) give one, else up to `EI`.
/// An inline image's dictionary entry by its short or long key.
type Entry<'e, 'a> = &'e dyn Fn(&[u8], &[u8]) -> Option<&'a Operand<'a>>;

fn image_length(get: Entry<'_, '_>) -> ImageData {
    let int = |a: &[u8], b: &[u8]| match get(a, b) {
        Some(Operand::Int(v)) => Some(*v as usize),
        _ => None,
    };
    let (Some(width), Some(height), Some(bpc)) = (
        int(b"W", b"Width"),
        int(b"H", b"Height"),
        int(b"BPC", b"BitsPerComponent"),
    ) else {
        return ImageData::Skip;
    };
    let colours = match get(b"IM", b"ImageMask") {
        Some(Operand::Bool(true)) => 1,
        _ => match get(b"CS", b"ColorSpace") {
            None => return ImageData::Panic,
            Some(Operand::Name(n)) => match n.as_ref() {
                b"DeviceGray" | b"Gray" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
                _ => return ImageData::Skip,
            },
            Some(_) => return ImageData::Skip,
        },
    };
    if get(b"F", b"Filter").is_some() {
        return ImageData::Skip;
    }
    // lopdf multiplies without a check: an overflow panics in a debug build and wraps in a
    // release one; wrapping keeps reading the stream.
    let stride = width.wrapping_mul(bpc.wrapping_mul(colours)).div_ceil(8);
    ImageData::Length(height.wrapping_mul(stride))
}
