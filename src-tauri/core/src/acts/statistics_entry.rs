//! A statistics record typed by hand — the window's «+ Добавить статистику…» and `qoltanba acts
//! stats-add` — for users without an ORD account or before the ORD lists it. Every field is text
//! as typed, checked at once; each refusal a [`Violation`] on its field in ru/kk/en.

use super::amount::parse_roubles;
use super::catalog::MAX_FIELD;
use super::deadline::deadline;
use super::rules::Violation;
use crate::error::Error;
use crate::model::{Day, Money};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// More impressions than any campaign has: a typo (or a pasted number) past it is refused.
const MAX_IMPRESSIONS: u64 = 1_000_000_000_000;

/// The form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct StatisticsEntry {
    /// The creative's marker (erid).
    pub creative: String,
    pub platform: String,
    /// Digits; spaces between thousands are allowed («15 000»).
    pub impressions: String,
    /// Roubles as people type them («1 500,00»).
    pub amount: String,
    /// `YYYY-MM-DD`.
    pub first_shown: String,
}

/// A checked entry: what is stored.
pub(super) struct Checked {
    pub creative: String,
    pub platform: String,
    pub impressions: u64,
    pub amount: Money,
    pub first_shown: Day,
    pub deadline: Day,
}

struct Refusals(Vec<Violation>);

impl Refusals {
    fn add(&mut self, field: &str, code: &'static str, ru: String, kk: String, en: String) {
        self.0.push(Violation {
            field: field.into(),
            code,
            message: ru,
            message_kk: kk,
            message_en: en,
        });
    }

    /// Filled, within the budget of a record from the ORD, without control characters.
    fn text(&mut self, field: &str, value: &str, names: [&str; 3]) -> bool {
        let [ru, kk, en] = names;
        if value.is_empty() {
            self.add(
                field,
                "required",
                format!("Заполните поле «{ru}»"),
                format!("«{kk}» өрісін толтырыңыз"),
                format!("Fill in “{en}”"),
            );
            false
        } else if value.chars().count() > MAX_FIELD || value.chars().any(char::is_control) {
            self.add(
                field,
                "text_invalid",
                format!(
                    "Не длиннее {MAX_FIELD} символов, без переносов строк и управляющих символов"
                ),
                format!(
                    "{MAX_FIELD} таңбадан аспауы керек, жол ауыстыру мен басқару таңбаларынсыз"
                ),
                format!(
                    "At most {MAX_FIELD} characters, with no line breaks or control characters"
                ),
            );
            false
        } else {
            true
        }
    }
}

/// The checked record, or every field the entry gets wrong.
pub(super) fn check(entry: &StatisticsEntry) -> Result<Checked, Vec<Violation>> {
    let mut r = Refusals(Vec::new());
    let t = |s: &str| s.trim().to_string();
    let (creative, platform) = (t(&entry.creative), t(&entry.platform));
    r.text(
        "creative",
        &creative,
        ["Креатив (erid)", "Креатив (erid)", "Creative (erid)"],
    );
    r.text("platform", &platform, ["Площадка", "Алаң", "Platform"]);

    let typed = t(&entry.impressions);
    let mut impressions = None;
    if r.text(
        "impressions",
        &typed,
        ["Показы", "Көрсетілімдер", "Impressions"],
    ) {
        match typed.replace([' ', '\u{a0}'], "").parse::<u64>() {
            Ok(n) if n <= MAX_IMPRESSIONS => impressions = Some(n),
            _ => r.add(
                "impressions",
                "impressions_invalid",
                format!("«{typed}» — не число показов: укажите целое число, например 15 000"),
                format!("«{typed}» — көрсетілімдер саны емес: бүтін сан көрсетіңіз, мысалы 15 000"),
                format!(
                    "“{typed}” is not a number of impressions: give a whole number, e.g. 15 000"
                ),
            ),
        }
    }

    let typed = t(&entry.amount);
    let mut amount = None;
    if r.text("amount", &typed, ["Сумма", "Сомасы", "Amount"]) {
        match parse_roubles(&typed) {
            Ok(m) if m.0 >= 0 => amount = Some(m),
            _ => r.add(
                "amount",
                "amount_invalid",
                format!("«{typed}» — не сумма в рублях: например 1 500,00"),
                format!("«{typed}» — рубльдегі сома емес: мысалы 1 500,00"),
                format!("“{typed}” is not an amount in roubles: e.g. 1 500,00"),
            ),
        }
    }

    let typed = t(&entry.first_shown);
    let mut shown = None;
    if r.text(
        "firstShown",
        &typed,
        ["Первый показ", "Алғашқы көрсетілім", "First shown"],
    ) {
        match Day::parse(&typed).ok().and_then(|d| Some((d, deadline(d)?))) {
            Some(found) => shown = Some(found),
            None => r.add(
                "firstShown",
                "date_invalid",
                format!("«{typed}» — не дата: укажите существующую дату в виде ГГГГ-ММ-ДД, например 2026-10-03"),
                format!("«{typed}» — күн емес: бар күнді ЖЖЖЖ-АА-КК түрінде көрсетіңіз, мысалы 2026-10-03"),
                format!("“{typed}” is not a date: give a real date as YYYY-MM-DD, e.g. 2026-10-03"),
            ),
        }
    }

    match (impressions, amount, shown) {
        (Some(impressions), Some(amount), Some((first_shown, deadline))) if r.0.is_empty() => {
            Ok(Checked {
                creative,
                platform,
                impressions,
                amount,
                first_shown,
                deadline,
            })
        }
        _ => Err(r.0),
    }
}

/// Every field the entry gets wrong; empty when it may be added (the form's messages).
pub fn violations(entry: &StatisticsEntry) -> Vec<Violation> {
    check(entry).err().unwrap_or_default()
}

/// Every wrong field with its Russian message, one a line (`firstShown: «…» — не дата …`).
pub(super) fn refusal(violations: &[Violation]) -> Error {
    let lines: Vec<String> = violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect();
    Error::invalid(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> StatisticsEntry {
        StatisticsEntry {
            creative: "erid-1".into(),
            platform: "ozon.ru".into(),
            impressions: "15 000".into(),
            amount: "1 500,50".into(),
            first_shown: "2026-10-03".into(),
        }
    }

    fn fields(e: &StatisticsEntry) -> Vec<(String, &'static str)> {
        match check(e) {
            Ok(_) => Vec::new(),
            Err(v) => v.into_iter().map(|v| (v.field, v.code)).collect(),
        }
    }

    #[test]
    fn typed_numbers_are_read_as_people_type_them_and_every_wrong_field_is_named() {
        let ok = check(&entry()).map_err(|v| format!("{v:?}")).unwrap();
        assert_eq!((ok.impressions, ok.amount.0), (15_000, 150_050));
        assert_eq!(ok.deadline.to_string(), "2026-11-30");
        let wrong = StatisticsEntry {
            creative: " ".into(),
            platform: "ozon\n.ru".into(),
            impressions: "15к".into(),
            amount: "1,5,0".into(),
            first_shown: "2026-02-30".into(),
        };
        assert_eq!(
            fields(&wrong),
            [
                ("creative".to_string(), "required"),
                ("platform".to_string(), "text_invalid"),
                ("impressions".to_string(), "impressions_invalid"),
                ("amount".to_string(), "amount_invalid"),
                ("firstShown".to_string(), "date_invalid"),
            ]
        );
    }

    /// Budgets: a trillion impressions at most, 500 characters a field, a first impression whose
    /// deadline still exists.
    #[test]
    fn each_field_has_its_budget() {
        let mut e = entry();
        e.impressions = MAX_IMPRESSIONS.to_string();
        assert!(fields(&e).is_empty());
        e.impressions = (MAX_IMPRESSIONS + 1).to_string();
        assert_eq!(
            fields(&e),
            [("impressions".to_string(), "impressions_invalid")]
        );
        let mut e = entry();
        e.creative = "e".repeat(MAX_FIELD + 1);
        assert_eq!(fields(&e), [("creative".to_string(), "text_invalid")]);
        let mut e = entry();
        e.first_shown = "9999-12-15".into();
        assert_eq!(fields(&e), [("firstShown".to_string(), "date_invalid")]);
    }
}
