//! The advertising acts' register, for the accountant (not the ORD's upload format): each act
//! with its amount and Russian VAT in roubles, the register's answer, for a period of act dates.

use super::{day, text, time, too_many, tr, Cell, Column, Register, MAX_ROWS};
use crate::acts::{gross, Act};
use crate::error::Result;
use crate::model::{Day, Lang, Money};
use crate::store::Store;

fn columns(lang: Lang) -> Vec<Column> {
    let t = |ru: &str, kk: &str, en: &str, summed: bool| Column {
        title: tr(lang, ru, kk, en),
        summed,
    };
    vec![
        t("Номер", "Нөмірі", "Number", false),
        t("Дата", "Күні", "Date", false),
        t("Договор", "Шарт", "Contract", false),
        t("Заказчик", "Тапсырыс беруші", "Customer role", false),
        t("Исполнитель", "Орындаушы", "Executor role", false),
        t("Период с", "Кезең басы", "Period from", false),
        t("Период по", "Кезең соңы", "Period to", false),
        t("Сумма с НДС", "ҚҚС-пен сомасы", "Amount incl. VAT", true),
        t("НДС", "ҚҚС", "VAT", true),
        t("Ставка НДС, %", "ҚҚС мөлшерлемесі, %", "VAT rate, %", false),
        t("Валюта", "Валюта", "Currency", false),
        t(
            "Статус в ЕРИР",
            "ЕРИР-дегі мәртебесі",
            "Register status",
            false,
        ),
        t(
            "Замечания ЕРИР",
            "ЕРИР ескертулері",
            "Register remarks",
            false,
        ),
        t(
            "Изменён (UTC)",
            "Өзгертілді (UTC)",
            "Updated at (UTC)",
            false,
        ),
    ]
}

const CURRENCY: usize = 10;

/// Acts dated within `from..=to` (either end open), newest first.
pub fn register(store: &Store, from: Option<Day>, to: Option<Day>, lang: Lang) -> Result<Register> {
    let table = store.vat_table()?;
    let mut rows = Vec::new();
    for act in store.acts()? {
        let date = Day::parse(&act.draft.date).ok();
        let inside = match date {
            Some(d) => from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t),
            // An act without a readable date is shown only when no period is asked for.
            None => from.is_none() && to.is_none(),
        };
        if !inside {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(too_many(MAX_ROWS + 1));
        }
        let rate = date.and_then(|d| table.rate_on(d));
        rows.push(row(&act, rate, lang));
    }
    Ok(Register {
        sheet: tr(
            lang,
            "Реестр актов ЕРИР",
            "ЕРИР актілерінің тізілімі",
            "ERIR acts",
        ),
        columns: columns(lang),
        rows,
        currency_column: Some(CURRENCY),
        lang,
    })
}

fn status(s: &str, lang: Lang) -> String {
    match s {
        "local" => tr(lang, "Не отправлен", "Жіберілмеген", "Not sent"),
        "draft" => tr(lang, "Черновик в ОРД", "ОРД-дағы жоба", "Draft at the ORD"),
        "processing" => tr(lang, "На проверке", "Тексерілуде", "Processing"),
        "accepted" => tr(lang, "Принят", "Қабылданды", "Accepted"),
        "rejected" => tr(lang, "Отклонён", "Қабылданбады", "Rejected"),
        other => other.to_string(),
    }
}

fn row(act: &Act, rate: Option<u32>, lang: Lang) -> Vec<Cell> {
    let d = &act.draft;
    let amount = Money::parse(&d.amount).ok();
    let (with_vat, vat) = match (amount, rate) {
        (Some(a), Some(p)) => {
            let g = gross(a, d.vat_included, p);
            // VAT inside a gross amount, rounded half up to the kopeck.
            let net = (g.0 as i128 * 100 + (100 + p as i128) / 2).div_euclid(100 + p as i128);
            (Cell::Money(g), Cell::Money(Money(g.0 - net as i64)))
        }
        (Some(a), None) => (Cell::Money(a), Cell::Empty),
        (None, _) => (text(Some(&d.amount)), Cell::Empty),
    };
    let remarks: Vec<String> = act
        .register_errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    vec![
        text(Some(&d.number)),
        day(Some(&d.date)),
        text(Some(&d.contract)),
        text(Some(&d.customer_role)),
        text(Some(&d.executor_role)),
        day(Some(&d.period_from)
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())),
        day(Some(&d.period_to)
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())),
        with_vat,
        vat,
        rate.map_or(Cell::Empty, |p| Cell::Text(p.to_string())),
        Cell::Text("RUB".into()),
        Cell::Text(status(&act.register_status, lang)),
        text(Some(&remarks.join("; "))),
        time(Some(&act.updated_at.to_string())),
    ]
}
