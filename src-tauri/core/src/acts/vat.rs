//! Russian VAT by date, kept as a table in settings (`ru_vat_rates`), never a constant: the
//! general rate is 20% for acts dated up to 31.12.2025 and 22% from 01.01.2026 (425-FZ). Acts
//! are in roubles; Kazakh VAT never enters here.

use crate::error::{Error, Result};
use crate::model::Day;
use crate::model::Money;
use serde::{Deserialize, Serialize};

/// The settings key of the table.
pub const SETTING: &str = crate::store::SettingKey::RuVatRates.as_str();

/// One row: the rate in percent that applies from `from` (inclusive) until the next row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRate {
    pub from: String,
    pub percent: u32,
}

/// The rates by date, sorted by `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatTable(Vec<(Day, u32)>);

impl Default for VatTable {
    /// The table a new store starts with (migration 003 writes the same rows).
    fn default() -> Self {
        VatTable::from_rows(&[
            VatRate {
                from: "2019-01-01".into(),
                percent: 20,
            },
            VatRate {
                from: "2026-01-01".into(),
                percent: 22,
            },
        ])
        .expect("the default table is valid")
    }
}

impl VatTable {
    pub fn from_rows(rows: &[VatRate]) -> Result<VatTable> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let d = Day::parse(&r.from).map_err(|_| {
                Error::invalid(format!("Ставки НДС: «{}» — не дата ГГГГ-ММ-ДД", r.from))
            })?;
            if r.percent > 100 {
                return Err(Error::invalid(format!(
                    "Ставки НДС: {}% — ставка должна быть от 0 до 100",
                    r.percent
                )));
            }
            out.push((d, r.percent));
        }
        out.sort();
        if out.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Error::invalid(
                "Ставки НДС: две ставки с одной датой начала",
            ));
        }
        if out.is_empty() {
            return Err(Error::invalid("Ставки НДС: таблица пуста"));
        }
        Ok(VatTable(out))
    }

    /// The table as JSON text for settings.
    pub fn parse(json: &str) -> Result<VatTable> {
        let rows: Vec<VatRate> = serde_json::from_str(json).map_err(|e| {
            Error::invalid(format!(
                "Ставки НДС: ожидается [{{\"from\":\"ГГГГ-ММ-ДД\",\"percent\":20}}, …] ({e})"
            ))
        })?;
        VatTable::from_rows(&rows)
    }

    pub fn rows(&self) -> Vec<VatRate> {
        self.0
            .iter()
            .map(|(d, p)| VatRate {
                from: d.to_string(),
                percent: *p,
            })
            .collect()
    }

    /// The rate for an act dated `date`; `None` before the table's first row.
    pub fn rate_on(&self, date: Day) -> Option<u32> {
        self.0
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, p)| *p)
    }
}

/// The amount with VAT, in kopecks rounded half up: what amounts are compared as, so that
/// "100.00 without VAT" and "120.00 with VAT" at 20% are the same amount.
pub fn gross(amount: Money, vat_included: bool, percent: u32) -> Money {
    if vat_included {
        return amount;
    }
    let v = amount.0 as i128 * (100 + percent as i128);
    Money(((v + 50).div_euclid(100)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_follows_the_act_date() {
        let t = VatTable::default();
        assert_eq!(t.rate_on(Day::parse("2025-12-31").unwrap()), Some(20));
        assert_eq!(t.rate_on(Day::parse("2026-01-01").unwrap()), Some(22));
        assert_eq!(t.rate_on(Day::parse("2018-12-31").unwrap()), None);
    }

    #[test]
    fn gross_converts_net_amounts_only() {
        assert_eq!(gross(Money(10_000), false, 20), Money(12_000));
        assert_eq!(gross(Money(10_000), false, 22), Money(12_200));
        assert_eq!(gross(Money(12_000), true, 20), Money(12_000));
        assert_eq!(gross(Money(1), false, 22), Money(1));
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert!(Day::parse("2024-02-29").is_ok());
        assert!(Day::parse("2025-02-29").is_err());
        assert!(Day::parse("2025-13-01").is_err());
        assert!(Day::parse("2025-1-01").is_err());
    }
}
