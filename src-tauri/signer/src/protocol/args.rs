//! Reading request arguments the way NCALayer's Java reflection does: a value of the wrong JSON
//! type is an "argument type mismatch". Arguments stay in the request frame: each is a borrowed
//! slice of it (`RawValue`), read as the type a method wants only when it wants it, so a
//! document's base64 is never copied into a `serde_json::Value` tree.

use std::borrow::Cow;

use base64::Engine;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A JSON string, borrowed from the frame (copied only when it had escapes, e.g. `\/`).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

/// The JSON text of a value is a string (its first byte is a quote).
pub fn is_string(v: &RawValue) -> bool {
    v.get().trim_start().starts_with('"')
}

/// A JSON object read as `T`, or None when the value is not an object. (A derived struct would
/// also take an array, field by position; NCALayer does not.)
pub fn object<'a, T: Deserialize<'a>>(v: &'a RawValue) -> Option<T> {
    if !v.get().trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str(v.get()).ok()
}

/// A JSON object read as `T`, read in place within a larger value; anything but an object fails
/// (a derived struct alone would also take an array, field by position), as `object` refuses it.
pub struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Fields<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                // The values are still read by the frame's own deserializer (borrowed strings
                // and slices stay in the frame).
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Fields(std::marker::PhantomData))
            .map(ObjectOnly)
    }
}

/// Positional arguments of a commonUtils method: exactly `n` of them (absent or null = none).
pub fn positional<'a>(
    method: &str,
    args: Option<&'a RawValue>,
    n: usize,
) -> Result<Vec<&'a RawValue>, String> {
    let Some(args) = args else {
        return if n == 0 {
            Ok(vec![])
        } else {
            Err(mismatch(method))
        };
    };
    if !args.get().trim_start().starts_with('[') {
        return Err(mismatch(method));
    }
    match serde_json::from_str::<Vec<&RawValue>>(args.get()) {
        Ok(items) if items.len() == n => Ok(items),
        _ => Err(mismatch(method)),
    }
}

pub fn string<'a>(method: &str, v: &'a RawValue) -> Result<Cow<'a, str>, String> {
    serde_json::from_str::<Text>(v.get())
        .map(|t| t.0)
        .map_err(|_| mismatch(method))
}

pub fn boolean(method: &str, v: &RawValue) -> Result<bool, String> {
    serde_json::from_str::<bool>(v.get()).map_err(|_| mismatch(method))
}

pub fn strings<'a>(method: &str, v: &'a RawValue) -> Result<Vec<Cow<'a, str>>, String> {
    if !v.get().trim_start().starts_with('[') {
        return Err(mismatch(method));
    }
    serde_json::from_str::<Vec<Text>>(v.get())
        .map(|items| items.into_iter().map(|t| t.0).collect())
        .map_err(|_| mismatch(method))
}

pub fn mismatch(method: &str) -> String {
    format!("java.lang.IllegalArgumentException: argument type mismatch. Method: {method}")
}

/// Java's Base64 decoder: standard alphabet, line breaks tolerated (MIME-style input is common).
pub fn base64(text: &str) -> Result<Vec<u8>, String> {
    // Most documents come without line breaks: decoded in one pass (SIMD: several times faster
    // on a batch's megabytes, and as strict as `base64`'s STANDARD), and only text that fails
    // is looked at again, for whitespace and for the exact error.
    if let Ok(bytes) = base64_simd::STANDARD.decode_to_vec(text.as_bytes()) {
        return Ok(bytes);
    }
    let engine = &base64::engine::general_purpose::STANDARD;
    let compact: std::borrow::Cow<str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        text.chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    engine.decode(compact.as_bytes()).map_err(|e| match e {
        base64::DecodeError::InvalidByte(_, b) => {
            format!("java.lang.IllegalArgumentException: Illegal base64 character {b:x}")
        }
        other => format!("java.lang.IllegalArgumentException: {other}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the decoder took and refused before the SIMD pass (the `base64` crate, whitespace
    /// removed on failure); the same answers now, errors word for word.
    fn before(text: &str) -> Result<Vec<u8>, String> {
        let engine = &base64::engine::general_purpose::STANDARD;
        if let Ok(bytes) = engine.decode(text.as_bytes()) {
            return Ok(bytes);
        }
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        engine.decode(compact.as_bytes()).map_err(|e| match e {
            base64::DecodeError::InvalidByte(_, b) => {
                format!("java.lang.IllegalArgumentException: Illegal base64 character {b:x}")
            }
            other => format!("java.lang.IllegalArgumentException: {other}"),
        })
    }

    #[test]
    fn decodes_and_refuses_what_the_base64_crate_did() {
        let engine = &base64::engine::general_purpose::STANDARD;
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let mut cases: Vec<String> = Vec::new();
        for len in (0..80).chain([1000, 2999, 3000]) {
            let good = engine.encode(&bytes[..len]);
            cases.push(good.clone());
            // Line breaks (MIME), a stray character at each place, padding taken away or
            // added, the last character's unused bits set (not canonical).
            cases.push(
                good.as_bytes()
                    .chunks(76)
                    .map(|l| std::str::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
                    .join("\r\n"),
            );
            for bad in ["-", "_", "*", " ", "=", "\u{0439}", "\0"] {
                for at in [0, good.len() / 2, good.len()] {
                    let mut t = good.clone();
                    if t.is_char_boundary(at) {
                        t.insert_str(at, bad);
                        cases.push(t);
                    }
                }
            }
            cases.push(good.trim_end_matches('=').to_string());
            cases.push(format!("{good}="));
            if let Some(last) = good.trim_end_matches('=').chars().last() {
                let stem = &good[..good.trim_end_matches('=').len() - 1];
                let pad = &good[good.trim_end_matches('=').len()..];
                for c in ["B", "R", "/", "+", "f"] {
                    if c != last.to_string() {
                        cases.push(format!("{stem}{c}{pad}"));
                    }
                }
            }
        }
        for text in &cases {
            assert_eq!(base64(text), before(text), "{text:?}");
        }
        // Some of each kind really are refused, so the comparison covers refusals too.
        assert!(cases.iter().filter(|t| before(t).is_err()).count() > 500);
    }
}
