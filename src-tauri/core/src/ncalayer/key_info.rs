//! commonUtils getKeyInfo's answer. Fields that are null are left out by NCALayer, so every one
//! is optional; dates arrive either as epoch milliseconds in a string or as `dd.MM.yyyy HH:mm:ss`.

use crate::model::{parse_local, Timestamp};
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::Value;

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
    Instant(Timestamp),
    /// Serialised as `YYYY-MM-DDTHH:MM:SS`, no zone.
    Local(NaiveDateTime),
}

impl KeyTime {
    pub fn parse(text: &str) -> Option<KeyTime> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            // Checked: a reply's digits can be any length (found by fuzzing: it overflowed).
            let ms: i64 = text.parse().ok()?;
            return Timestamp::from_unix_millis(ms).map(KeyTime::Instant);
        }
        // NCALayer's own wire form, zero-padded (`05.03.2025 09:07:01`).
        let padded = text.len() == 19 && text.is_ascii();
        padded
            .then(|| parse_local(text, "%d.%m.%Y %H:%M:%S"))
            .flatten()
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

    #[test]
    fn both_date_forms_parse() {
        assert_eq!(
            KeyTime::parse("1700000000000"),
            Some(KeyTime::Instant(
                Timestamp::parse("2023-11-14T22:13:20Z").unwrap()
            ))
        );
        let local = KeyTime::parse("05.03.2025 09:07:01").unwrap();
        assert_eq!(
            serde_json::to_value(local).unwrap(),
            serde_json::json!({"kind": "local", "value": "2025-03-05T09:07:01"})
        );
        assert_eq!(KeyTime::parse("2025-03-05"), None);
        assert_eq!(KeyTime::parse("5.3.2025 9:07:01"), None);
        assert_eq!(KeyTime::parse("99999999999999999999999"), None);
        assert_eq!(KeyTime::parse("999999999999999999"), None, "past year 9999");
    }
}
