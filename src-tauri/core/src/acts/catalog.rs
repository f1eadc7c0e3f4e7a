//! The ORD's catalogue — contracts (with supplementary agreements) and creatives' statistics —
//! read page by page within budgets (pages, items, bytes), each item checked on its own: a bad
//! one is set aside with its reason and the rest are kept. CSV import turns each line into the
//! same shape and goes through the same checks (see csv.rs).

use super::act::Role;
use super::contracts::{Contract, ContractKind};
use super::ord::HttpOrd;
use super::statistics::StatisticsLine;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Day, Money};
use serde::Serialize;
use serde_json::Value;
use std::future::Future;
use ts_rs::TS;

/// How much one sync may read. Past a budget the sync stops, keeps what it read and says so.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub pages: usize,
    pub items: usize,
    pub bytes: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            pages: 200,
            items: 20_000,
            bytes: 64 * 1024 * 1024,
        }
    }
}

/// Longest text field kept (a number, a name, an id): longer is a broken item, not data.
pub(super) const MAX_FIELD: usize = 500;
/// Page size asked of the ORD.
const PAGE: &str = "200";

/// An item the sync or an import did not keep, and why (in Russian, for the person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetAside {
    /// `contracts` or `statistics`.
    pub list: String,
    /// The item's id, or its line in a CSV file ("строка 4").
    pub item: String,
    pub reason: String,
}

/// What a sync or an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CatalogReport {
    pub contracts_added: usize,
    pub contracts_updated: usize,
    pub statistics_added: usize,
    pub statistics_updated: usize,
    pub set_aside: Vec<SetAside>,
    /// Why reading stopped before the end (a budget, a broken page), if it did.
    pub stopped: Option<String>,
}

/// One page of an ORD listing, as bytes: the seam a test uses for faults the reference server
/// cannot make.
pub trait CatalogSource {
    fn page(&self, list: &str, query: &[(&str, String)]) -> impl Future<Output = Result<Vec<u8>>>;
}

impl CatalogSource for HttpOrd {
    async fn page(&self, list: &str, query: &[(&str, String)]) -> Result<Vec<u8>> {
        self.get_page(list, query).await
    }
}

fn text(v: &Value, name: &str, required: bool) -> std::result::Result<String, String> {
    let t = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        _ => return Err(format!("поле {name} — не текст")),
    };
    if required && t.is_empty() {
        return Err(format!("нет поля {name}"));
    }
    if t.chars().count() > MAX_FIELD || t.chars().any(char::is_control) {
        return Err(format!(
            "поле {name} длиннее {MAX_FIELD} символов или с управляющими символами"
        ));
    }
    Ok(t)
}

fn inn(v: &Value, name: &str) -> std::result::Result<String, String> {
    let t = text(v, name, false)?;
    let well_formed = matches!(t.len(), 10 | 12) && t.bytes().all(|b| b.is_ascii_digit());
    if !t.is_empty() && !well_formed {
        return Err(format!("{name} «{t}» — не ИНН из 10 или 12 цифр"));
    }
    Ok(t)
}

/// A role by its API code or by the page's Russian name.
pub fn role(t: &str) -> Option<Role> {
    let t = t.trim().to_lowercase();
    Role::from_code(&t).or_else(|| Role::ALL.into_iter().find(|r| r.name_ru() == t))
}

fn party_role(v: &Value, name: &str) -> std::result::Result<Role, String> {
    let t = text(v, name, true)?;
    role(&t).ok_or_else(|| {
        format!("{name} «{t}» — не роль (advertiser, agency, distributor, ad_system_operator)")
    })
}

fn day(v: &Value, name: &str) -> std::result::Result<Day, String> {
    let t = text(v, name, true)?;
    Day::parse(&t).map_err(|_| format!("{name} «{t}» — не дата ГГГГ-ММ-ДД"))
}

/// A contract as `GET /ord/contracts` lists it; `need_id`: the ORD's items must carry one, a
/// CSV line need not.
pub fn parse_contract(v: &Value, need_id: bool) -> std::result::Result<Contract, String> {
    if !v.is_object() {
        return Err("не объект договора".into());
    }
    let kind = match text(&v["kind"], "kind", false)?.as_str() {
        "" | "contract" | "договор" => ContractKind::Contract,
        "supplementary_agreement" | "доп. соглашение" | "дополнительное соглашение" => {
            ContractKind::SupplementaryAgreement
        }
        other => {
            return Err(format!(
                "kind «{other}» — не contract или supplementary_agreement"
            ))
        }
    };
    let parent_id = text(&v["parentId"], "parentId", false)?;
    if kind == ContractKind::SupplementaryAgreement && parent_id.is_empty() {
        return Err("у доп. соглашения не указан договор (parentId)".into());
    }
    let date = day(&v["date"], "date")?;
    Ok(Contract {
        ord_id: text(&v["id"], "id", need_id)?,
        number: text(&v["number"], "number", true)?,
        date: date.to_string(),
        customer_name: text(&v["customer"]["name"], "customer.name", true)?,
        customer_inn: inn(&v["customer"]["inn"], "customer.inn")?,
        customer_role: party_role(&v["customer"]["role"], "customer.role")?,
        executor_name: text(&v["executor"]["name"], "executor.name", true)?,
        executor_inn: inn(&v["executor"]["inn"], "executor.inn")?,
        executor_role: Some(party_role(&v["executor"]["role"], "executor.role")?),
        kind,
        parent_id,
    })
}

/// A record as `GET /ord/statistics` lists it; `need_id` as for contracts (a CSV line without
/// one gets a new id).
pub fn parse_statistics(v: &Value, need_id: bool) -> std::result::Result<StatisticsLine, String> {
    if !v.is_object() {
        return Err("не объект статистики".into());
    }
    let mut id = text(&v["id"], "id", need_id)?;
    if id.is_empty() {
        id = format!("stat_{}", uuid::Uuid::new_v4().simple());
    }
    let impressions = match &v["impressions"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().replace([' ', '\u{a0}'], "").parse().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("impressions {} — не число показов", v["impressions"]))?;
    let amount_text = match &v["amount"] {
        Value::Number(n) => n.to_string(),
        other => text(other, "amount", true)?,
    };
    let amount = Money::parse(&amount_text)
        .ok()
        .filter(|m| m.0 >= 0)
        .ok_or_else(|| format!("amount «{amount_text}» — не сумма в рублях вида 1000.00"))?;
    Ok(StatisticsLine {
        id,
        creative: text(&v["creativeMarker"], "creativeMarker", true)?,
        platform: text(&v["platform"], "platform", true)?,
        impressions,
        amount,
        first_shown: day(&v["firstImpressionDate"], "firstImpressionDate")?,
        initial_contract: text(&v["initialContractId"], "initialContractId", false)?,
    })
}

/// Reads every page of `list` (`contracts` or `statistics`) within `budget`, keeping the items
/// `parse` accepts. A broken page or a spent budget stops the reading; what came before stays.
pub async fn read_all<T>(
    source: &impl CatalogSource,
    list: &str,
    budget: Budget,
    parse: impl Fn(&Value) -> std::result::Result<T, String>,
    report: &mut CatalogReport,
) -> Result<Vec<T>> {
    let (mut pages, mut items, mut bytes) = (0usize, 0usize, 0u64);
    let mut after: Option<String> = None;
    let mut kept = Vec::new();
    let stop = |report: &mut CatalogReport, why: String| {
        report.stopped = Some(why);
    };
    loop {
        if pages >= budget.pages {
            stop(
                report,
                format!(
                    "ОРД прислал больше {} страниц списка {list}: загружено то, что пришло",
                    budget.pages
                ),
            );
            break;
        }
        let mut query = vec![("limit", PAGE.to_string())];
        if let Some(a) = &after {
            query.push(("after", a.clone()));
        }
        let page = match source.page(list, &query).await {
            Ok(p) => p,
            // The first page failing is the sync failing (no account, ORD down); a later one
            // keeps what came before.
            Err(e) if pages == 0 => return Err(e),
            Err(e) => {
                stop(
                    report,
                    format!("Страница {} списка {list}: {}", pages + 1, e.message),
                );
                break;
            }
        };
        pages += 1;
        bytes += page.len() as u64;
        if bytes > budget.bytes {
            stop(
                report,
                format!(
                    "Список {list} больше {} МБ: загружено то, что пришло",
                    budget.bytes / (1024 * 1024)
                ),
            );
            break;
        }
        let value: Value = match serde_json::from_slice(&page) {
            Ok(v) => v,
            Err(_) if pages == 1 => {
                return Err(Error::new(
                    ErrorCode::OperatorRejected,
                    format!("ОРД прислал не JSON в ответ на список {list}"),
                ))
            }
            Err(_) => {
                stop(report, format!("Страница {pages} списка {list} — не JSON"));
                break;
            }
        };
        let Some(entries) = value[list].as_array() else {
            let why = format!("В ответе ОРД нет массива «{list}»: это не API ОРД");
            if pages == 1 {
                return Err(Error::new(ErrorCode::OperatorRejected, why));
            }
            stop(report, why);
            break;
        };
        for entry in entries {
            if items >= budget.items {
                stop(
                    report,
                    format!(
                        "В списке {list} больше {} записей: загружены первые",
                        budget.items
                    ),
                );
                return Ok(kept);
            }
            items += 1;
            match parse(entry) {
                Ok(t) => kept.push(t),
                Err(reason) => report.set_aside.push(SetAside {
                    list: list.into(),
                    item: entry["id"]
                        .as_str()
                        .map(|s| s.chars().take(80).collect())
                        .unwrap_or_else(|| format!("№{items}")),
                    reason,
                }),
            }
        }
        match value["next"].as_str().filter(|n| !n.is_empty()) {
            // A cursor that does not move would loop forever.
            Some(n) if after.as_deref() == Some(n) => {
                stop(
                    report,
                    format!("ОРД повторил курсор списка {list}: чтение остановлено"),
                );
                break;
            }
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    Ok(kept)
}

/// Reads the ORD's contracts and statistics (the store free meanwhile), then merges what was
/// kept in one step each. Nothing is deleted locally: an entry the ORD no longer lists stays.
pub async fn sync_catalog<A: crate::store::Access>(
    store: &mut A,
    source: &impl CatalogSource,
    budget: Budget,
) -> Result<CatalogReport> {
    let mut report = CatalogReport::default();
    let contracts = read_all(
        source,
        "contracts",
        budget,
        |v| parse_contract(v, true),
        &mut report,
    )
    .await?;
    let stopped = report.stopped.take();
    let statistics = read_all(
        source,
        "statistics",
        budget,
        |v| parse_statistics(v, true),
        &mut report,
    )
    .await?;
    report.stopped = match (stopped, report.stopped.take()) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    let (c, s) = store.with(|s| {
        Ok((
            s.merge_contracts(&contracts, "ord")?,
            s.merge_statistics(&statistics, "ord")?,
        ))
    })?;
    report.contracts_added = c.added;
    report.contracts_updated = c.updated;
    report.statistics_added = s.added;
    report.statistics_updated = s.updated;
    Ok(report)
}
