//! A Kazakh taxpayer number: a BIN (an organisation's) or an IIN (a person's, and an individual
//! entrepreneur's). Both are 12 digits; which one a number is comes from elsewhere (the setting
//! `seller_kind`, the operator's account), not from the digits.

use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize};

/// Exactly 12 ASCII digits. No check digit is verified: recognition, settings and the operator's
/// account have never asked for one, and stored documents carry numbers that would fail it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TaxNumber(String);

impl TaxNumber {
    pub const LEN: usize = 12;

    /// The number exactly as written (callers trim what a person typed).
    pub fn parse(text: &str) -> Result<TaxNumber> {
        if Self::is_valid(text) {
            Ok(TaxNumber(text.to_string()))
        } else {
            Err(Error::invalid("БИН или ИИН должен состоять из 12 цифр"))
        }
    }

    /// Whether `text` is a BIN or IIN, without building one.
    pub fn is_valid(text: &str) -> bool {
        text.len() == Self::LEN && text.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TaxNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TaxNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<TaxNumber> {
        TaxNumber::parse(s)
    }
}

impl<'de> Deserialize<'de> for TaxNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<TaxNumber, D::Error> {
        let s = String::deserialize(d)?;
        TaxNumber::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn twelve_digits_are_a_number() {
        assert_eq!(
            TaxNumber::parse("201040012345").unwrap().as_str(),
            "201040012345"
        );
        assert_eq!(
            "860101300123".parse::<TaxNumber>().unwrap().to_string(),
            "860101300123"
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_message() {
        for bad in [
            "",
            "20104001234",
            "2010400123456",
            "20104001234a",
            "２01040012345",
            "201040 12345",
            " 201040012345",
        ] {
            let e = TaxNumber::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad:?}");
            assert!(e.message.contains("12 цифр"), "{bad:?}: {}", e.message);
            assert!(!TaxNumber::is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn serde_reads_and_writes_the_plain_string() {
        let n: TaxNumber = serde_json::from_str("\"201040012345\"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"201040012345\"");
        assert!(serde_json::from_str::<TaxNumber>("\"12\"").is_err());
    }
}
