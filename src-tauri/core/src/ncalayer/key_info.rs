//! commonUtils getKeyInfo's answer. Fields that are null are left out by NCALayer, so every one
//! is optional; dates arrive either as epoch milliseconds in a string or as `dd.MM.yyyy HH:mm:ss`.

use serde::Serialize;
use serde_json::Value;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::failure::Failure;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    pub alias: Option<String>,
    pub key_id: Option<String>,
    pub algorithm: Option<String>,
    pub subject_cn: Option<String>,
    pub subject_dn: Option<String>,
    pub issuer_cn: Option<String>,
    pub issuer_dn: Option<String>,
    pub serial_number: Option<String>,
    pub cert_not_before: Option<KeyTime>,
    pub cert_not_after: Option<KeyTime>,
    pub authority_key_identifier: Option<String>,
    pub pem: Option<String>,
}

/// A certificate date as NCALayer wrote it. The epoch form is an instant; the text form carries
/// no zone (NCALayer prints the PC's local time), so it is kept as written rather than guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum KeyTime {
    Instant(#[serde(with = "time::serde::rfc3339")] OffsetDateTime),
    Local(PrimitiveDateTime),
}

impl KeyTime {
    pub fn parse(text: &str) -> Option<KeyTime> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let ms: i128 = text.parse().ok()?;
            // Checked: a reply's digits can be any length (found by fuzzing: it overflowed).
            let t = OffsetDateTime::from_unix_timestamp_nanos(ms.checked_mul(1_000_000)?).ok()?;
            return Some(KeyTime::Instant(t));
        }
        let format = format_description!("[day].[month].[year] [hour]:[minute]:[second]");
        PrimitiveDateTime::parse(text, format)
            .ok()
            .map(KeyTime::Local)
    }
}

impl KeyInfo {
    pub(crate) fn from_response(value: Option<Value>) -> Result<KeyInfo, Failure> {
        let Some(Value::Object(obj)) = value else {
            return Err(Failure::protocol("getKeyInfo: нет объекта ключа"));
        };
        let text = |k: &str| match obj.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let date = |k: &str| -> Result<Option<KeyTime>, Failure> {
            match text(k) {
                None => Ok(None),
                Some(s) => KeyTime::parse(&s)
                    .map(Some)
                    .ok_or_else(|| Failure::protocol(format!("getKeyInfo: дата {k} «{s}»"))),
            }
        };
        Ok(KeyInfo {
            alias: text("alias"),
            key_id: text("keyId"),
            algorithm: text("algorithm"),
            subject_cn: text("subjectCn"),
            subject_dn: text("subjectDn"),
            issuer_cn: text("issuerCn"),
            issuer_dn: text("issuerDn"),
            serial_number: text("serialNumber"),
            cert_not_before: date("certNotBefore")?,
            cert_not_after: date("certNotAfter")?,
            authority_key_identifier: text("authorityKeyIdentifier"),
            pem: text("pem"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn both_date_forms_parse() {
        assert_eq!(
            KeyTime::parse("1700000000000"),
            Some(KeyTime::Instant(datetime!(2023-11-14 22:13:20 UTC)))
        );
        assert_eq!(
            KeyTime::parse("05.03.2025 09:07:01"),
            Some(KeyTime::Local(datetime!(2025-03-05 09:07:01)))
        );
        assert_eq!(KeyTime::parse("2025-03-05"), None);
    }
}
