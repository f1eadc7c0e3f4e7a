//! The documents' register: the inbox's filter (or a period) as rows an accountant reads.

use super::{day, text, time, too_many, tr, Cell, Column, Register, MAX_ROWS};
use crate::error::Result;
use crate::model::{Decision, Document, Lang, Party};
use crate::signature::SignerIdentity;
use crate::store::search::Query;
use crate::store::{Settings, Store};
use rusqlite::OptionalExtension;

/// The columns, in order. Amount and VAT are summed.
fn columns(lang: Lang) -> Vec<Column> {
    let t = |ru: &str, kk: &str, en: &str, summed: bool| Column {
        title: tr(lang, ru, kk, en),
        summed,
    };
    vec![
        t("Номер", "Нөмірі", "Number", false),
        t("Дата", "Күні", "Date", false),
        t("Вид документа", "Құжат түрі", "Kind", false),
        t("Контрагент", "Контрагент", "Counterparty", false),
        t(
            "БИН/ИИН контрагента",
            "Контрагенттің БСН/ЖСН",
            "Counterparty BIN/IIN",
            false,
        ),
        t("Сумма", "Сомасы", "Amount", true),
        t("НДС", "ҚҚС", "VAT", true),
        t("Валюта", "Валюта", "Currency", false),
        t("Статус", "Мәртебесі", "Status", false),
        t("Решение", "Шешім", "Decision", false),
        t(
            "Причина отклонения",
            "Бас тарту себебі",
            "Reason for rejection",
            false,
        ),
        t(
            "Подписан (UTC)",
            "Қол қойылды (UTC)",
            "Signed at (UTC)",
            false,
        ),
        t("Подписал", "Қол қойған", "Signer", false),
        t("Отправлен (UTC)", "Жіберілді (UTC)", "Sent at (UTC)", false),
        t(
            "Доставлен (UTC)",
            "Жеткізілді (UTC)",
            "Delivered at (UTC)",
            false,
        ),
        t("SHA-256 файла", "Файлдың SHA-256", "File SHA-256", false),
    ]
}

/// The column the currency is in (sums are made per currency).
const CURRENCY: usize = 7;

/// Every document the query finds (its cursor and page size are ignored), in the query's order.
pub fn register(store: &Store, query: &Query, lang: Lang) -> Result<Register> {
    let seller = store.seller_bin()?;
    let mut q = query.clone();
    q.cursor = None;
    q.limit = Some(500);
    let mut rows = Vec::new();
    loop {
        let page = store.list(&q)?;
        for d in &page.documents {
            if rows.len() == MAX_ROWS {
                return Err(too_many(MAX_ROWS + 1));
            }
            rows.push(row(store, d, seller.as_deref(), lang)?);
        }
        match page.next {
            Some(n) => q.cursor = Some(n),
            None => break,
        }
    }
    Ok(Register {
        sheet: tr(lang, "Реестр документов", "Құжаттар тізілімі", "Documents"),
        columns: columns(lang),
        rows,
        currency_column: Some(CURRENCY),
        lang,
    })
}

/// The other side: the party that is not the seller (the sender of what arrives, as a rule).
fn counterparty<'a>(d: &'a Document, seller: Option<&str>) -> Option<&'a Party> {
    let f = &d.fields;
    match (&f.sender, &f.recipient) {
        (Some(s), Some(r)) if Some(s.bin.as_str()) == seller => Some(r),
        (Some(s), _) => Some(s),
        (None, r) => r.as_ref(),
    }
}

fn decision(d: Option<Decision>, lang: Lang) -> Cell {
    match d {
        Some(Decision::Accept) => Cell::Text(tr(lang, "Принят", "Қабылданды", "Accepted")),
        Some(Decision::Reject) => Cell::Text(tr(lang, "Отклонён", "Қабылданбады", "Rejected")),
        None => Cell::Empty,
    }
}

fn signer_name(s: &SignerIdentity, lang: Lang) -> String {
    let name = s.common_name.clone().unwrap_or_default();
    let iin_word = tr(lang, "ИИН", "ЖСН", "IIN");
    match (&s.iin, &s.organisation) {
        (Some(iin), Some(org)) => format!("{name}, {iin_word} {iin}, {org}"),
        (Some(iin), None) => format!("{name}, {iin_word} {iin}"),
        (None, Some(org)) => format!("{name}, {org}"),
        (None, None) => name,
    }
}

/// Our latest signature's time and signer, and when the decision was sent and delivered.
struct Trail {
    signed_at: Option<String>,
    signer: Option<String>,
    sent_at: Option<String>,
    delivered_at: Option<String>,
}

fn trail(store: &Store, id: i64, lang: Lang) -> Result<Trail> {
    let own: Option<(String, Option<String>)> = store
        .conn
        .prepare_cached(
            "SELECT created_at, signer FROM signatures WHERE document_id = ?1 AND party = 'own'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (sent_at, delivered_at) = store
        .conn
        .prepare_cached(
            "SELECT MAX(CASE WHEN to_status = 'sent' THEN at END),
                    MAX(CASE WHEN to_status = 'delivered' THEN at END)
             FROM history WHERE subject = ?1",
        )?
        .query_row([format!("document:{id}")], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let signer = own
        .as_ref()
        .and_then(|(_, s)| s.as_deref())
        .and_then(|s| serde_json::from_str::<SignerIdentity>(s).ok())
        .map(|s| signer_name(&s, lang));
    Ok(Trail {
        signed_at: own.map(|(at, _)| at),
        signer,
        sent_at,
        delivered_at,
    })
}

fn row(store: &Store, d: &Document, seller: Option<&str>, lang: Lang) -> Result<Vec<Cell>> {
    let f = &d.fields;
    let party = counterparty(d, seller);
    let t = trail(store, d.id, lang)?;
    Ok(vec![
        text(f.number.as_deref()),
        day(f.date.as_deref()),
        Cell::Text(f.kind.name(lang).to_string()),
        text(party.map(|p| p.name.as_str())),
        text(party.map(|p| p.bin.as_str())),
        f.amount.map_or(Cell::Empty, Cell::Money),
        f.vat_amount.map_or(Cell::Empty, Cell::Money),
        Cell::Text(f.currency.clone()),
        Cell::Text(d.status.name(lang).to_string()),
        decision(d.decision, lang),
        text(d.reject_reason.as_deref()),
        time(t.signed_at.as_deref()),
        text(t.signer.as_deref()),
        time(t.sent_at.as_deref()),
        time(t.delivered_at.as_deref()),
        Cell::Text(d.content_sha256.clone()),
    ])
}
