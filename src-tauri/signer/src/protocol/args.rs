//! Reading request arguments the way NCALayer's Java reflection does: a value of the wrong JSON
//! type is an "argument type mismatch".

use base64::Engine;
use serde_json::Value;

/// Positional arguments of a commonUtils method: exactly `n` of them.
pub fn positional<'a>(method: &str, args: &'a Value, n: usize) -> Result<&'a [Value], String> {
    match args {
        Value::Array(items) if items.len() == n => Ok(items),
        Value::Null if n == 0 => Ok(&[]),
        _ => Err(mismatch(method)),
    }
}

pub fn string<'a>(method: &str, v: &'a Value) -> Result<&'a str, String> {
    v.as_str().ok_or_else(|| mismatch(method))
}

pub fn boolean(method: &str, v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| mismatch(method))
}

pub fn strings(method: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| string(method, i).map(str::to_string))
            .collect(),
        _ => Err(mismatch(method)),
    }
}

pub fn mismatch(method: &str) -> String {
    format!("java.lang.IllegalArgumentException: argument type mismatch. Method: {method}")
}

/// Java's Base64 decoder: standard alphabet, line breaks tolerated (MIME-style input is common).
pub fn base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: std::borrow::Cow<str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        text.chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| match e {
            base64::DecodeError::InvalidByte(_, b) => {
                format!("java.lang.IllegalArgumentException: Illegal base64 character {b:x}")
            }
            other => format!("java.lang.IllegalArgumentException: {other}"),
        })
}
