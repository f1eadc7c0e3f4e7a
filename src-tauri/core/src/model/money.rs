//! Money as an integer count of minor units (tiyn, kopecks), parsed from and printed as the
//! operator's decimal strings ("125000.00"). Floating point never touches an amount.

use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// In TypeScript the decimal string it is sent as, e.g. "125000.00".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, ts_rs::TS)]
#[ts(type = "string")]
pub struct Money(pub i64);

impl Money {
    pub fn minor(self) -> i64 {
        self.0
    }

    /// Parses "125000", "125000.5", "125000.50", "-10.00"; at most two decimals.
    pub fn parse(s: &str) -> Result<Money> {
        let bad = || {
            Error::invalid(format!(
                "«{s}» — не сумма: ожидается число с двумя знаками после точки, например 125000.00"
            ))
        };
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let t = t.replace([' ', '\u{a0}'], "").replace(',', ".");
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i.to_string(), f.to_string()),
            None => (t.clone(), String::new()),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let units: i64 = int.parse().map_err(|_| bad())?;
        let frac_val: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let v = units
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac_val))
            .ok_or_else(bad)?;
        Ok(Money(if neg { -v } else { v }))
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Money::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_operator_format() {
        assert_eq!(Money::parse("125000.00").unwrap(), Money(12_500_000));
        assert_eq!(Money::parse("13392.86").unwrap().to_string(), "13392.86");
        assert_eq!(Money::parse("10.5").unwrap(), Money(1050));
        assert_eq!(Money::parse("7").unwrap(), Money(700));
        assert_eq!(Money::parse("-0.01").unwrap().to_string(), "-0.01");
        assert_eq!(Money::parse("1 234,50").unwrap(), Money(123_450));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for s in [
            "",
            "abc",
            "1.234",
            "1e5",
            "12.3.4",
            ".5",
            "99999999999999999999",
        ] {
            assert!(Money::parse(s).is_err(), "{s}");
        }
    }
}
