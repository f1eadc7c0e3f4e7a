//! The ORD's catalogue for the account: `GET /ord/contracts?search=&after=&limit=` (contracts and
//! supplementary agreements) and `GET /ord/statistics?from=&to=&after=&limit=` (the creatives'
//! statistics), paged like every listing. The demo seed fills both so that a client's contract
//! search and statistics tab have something real to show.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Access;
use crate::paging::{self, Page, PageQuery};
use crate::problem::Problem;
use crate::server::Operator;

#[derive(Debug, Default, Deserialize)]
pub struct ContractQuery {
    pub search: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StatisticsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

fn page(after: &Option<String>, limit: &Option<String>) -> Result<Page, Problem> {
    Page::parse(&PageQuery {
        after: after.clone(),
        limit: limit.clone(),
        status: None,
    })
}

/// Rows after the cursor that `keep` accepts, at most `limit`, and the cursor of the next page
/// (null on the last one).
fn listing(
    conn: &Connection,
    table: &str,
    page: &Page,
    keep: impl Fn(&Value) -> bool,
) -> Result<(Vec<Value>, Option<String>), Problem> {
    let mut st = conn.prepare(&format!(
        "SELECT seq, body FROM {table} WHERE seq > ?1 ORDER BY seq"
    ))?;
    let rows = st.query_map([page.after_seq], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out: Vec<(i64, Value)> = Vec::new();
    for row in rows {
        let (seq, body) = row?;
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| json!({}));
        if keep(&v) {
            out.push((seq, v));
            if out.len() as i64 > page.limit {
                break;
            }
        }
    }
    let more = out.len() as i64 > page.limit;
    out.truncate(page.limit as usize);
    let next = if more {
        out.last().map(|(seq, _)| paging::encode(*seq))
    } else {
        None
    };
    Ok((out.into_iter().map(|(_, v)| v).collect(), next))
}

fn mentions(contract: &Value, needle: &str) -> bool {
    let field = |v: &Value| v.as_str().unwrap_or_default().to_lowercase();
    [
        &contract["id"],
        &contract["number"],
        &contract["customer"]["inn"],
        &contract["customer"]["name"],
        &contract["executor"]["inn"],
        &contract["executor"]["name"],
    ]
    .into_iter()
    .any(|v| field(v).contains(needle))
}

pub async fn contracts(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Query(query): Query<ContractQuery>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    let page = page(&query.after, &query.limit)?;
    let search = query.search.unwrap_or_default().trim().to_lowercase();
    operator
        .store
        .call(move |conn| {
            let (contracts, next) = listing(conn, "ord_contracts", &page, |c| {
                search.is_empty() || mentions(c, &search)
            })?;
            Ok(Json(json!({"contracts": contracts, "next": next})))
        })
        .await
}

fn day(name: &str, text: &Option<String>) -> Result<Option<String>, Problem> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => qoltanba_core::model::Day::parse(t)
            .map(|_| Some(t.to_owned()))
            .map_err(|_| Problem::validation(format!("{name} must be YYYY-MM-DD"))),
    }
}

pub async fn statistics(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Query(query): Query<StatisticsQuery>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    let page = page(&query.after, &query.limit)?;
    let (from, to) = (day("from", &query.from)?, day("to", &query.to)?);
    operator
        .store
        .call(move |conn| {
            let (statistics, next) = listing(conn, "ord_statistics", &page, |s| {
                let shown = s["firstImpressionDate"].as_str().unwrap_or_default();
                from.as_deref().is_none_or(|f| shown >= f)
                    && to.as_deref().is_none_or(|t| shown <= t)
            })?;
            Ok(Json(json!({"statistics": statistics, "next": next})))
        })
        .await
}

/// Adds (or replaces) a contract as the ORD lists it.
pub fn put_contract(conn: &Connection, contract: &Value) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ord_contracts (id, body) VALUES (?1, ?2)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body",
        params![
            contract["id"].as_str().unwrap_or_default(),
            contract.to_string()
        ],
    )?;
    Ok(())
}

/// Adds (or replaces) a statistics record as the ORD lists it.
pub fn put_statistics(conn: &Connection, record: &Value) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ord_statistics (id, first_impression_date, body) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body,
           first_impression_date = excluded.first_impression_date",
        params![
            record["id"].as_str().unwrap_or_default(),
            record["firstImpressionDate"].as_str().unwrap_or_default(),
            record.to_string()
        ],
    )?;
    Ok(())
}

fn party(inn: &str, name: &str, role: &str) -> Value {
    json!({"inn": inn, "name": name, "role": role})
}

/// The demo account's catalogue: the seller's contract with the marketplace and its
/// supplementary agreement, two initial contracts of advertisers, and October's statistics.
pub fn seed_demo(conn: &Connection) -> rusqlite::Result<()> {
    let seller = party("7701234567", "ООО «Продавец»", "advertiser");
    let marketplace = party("7704217370", "ООО «Интернет Решения»", "ad_system_operator");
    let agency = party("7725012345", "ООО «Рекламное агентство Север»", "agency");
    let contracts = [
        json!({"id": "ctr_demo_main", "number": "ДР-2026/15", "date": "2026-01-15",
               "kind": "contract", "parentId": null, "customer": seller, "executor": marketplace}),
        json!({"id": "ctr_demo_sa1", "number": "ДС-1 к ДР-2026/15", "date": "2026-09-01",
               "kind": "supplementary_agreement", "parentId": "ctr_demo_main",
               "customer": seller, "executor": marketplace}),
        json!({"id": "ctr_demo_init1", "number": "ИД-2026/101", "date": "2026-02-01",
               "kind": "contract", "parentId": null,
               "customer": party("7802111222", "ООО «Бренд Один»", "advertiser"), "executor": agency}),
        json!({"id": "ctr_demo_init2", "number": "ИД-2026/102", "date": "2026-03-10",
               "kind": "contract", "parentId": null,
               "customer": party("5403222333", "АО «Бренд Два»", "advertiser"), "executor": agency}),
    ];
    for c in &contracts {
        put_contract(conn, c)?;
    }
    let statistics = [
        (
            "stat_demo_01",
            "2VtzqvWgxEP",
            "ozon.ru",
            48_000,
            "60000.00",
            "2026-10-03",
            Some("ctr_demo_main"),
        ),
        (
            "stat_demo_02",
            "2VtzqvWgxEQ",
            "ozon.ru/app",
            32_000,
            "40000.00",
            "2026-10-05",
            Some("ctr_demo_main"),
        ),
        (
            "stat_demo_03",
            "2VtzqvWgxER",
            "ozon.ru",
            20_000,
            "20000.00",
            "2026-10-12",
            Some("ctr_demo_init1"),
        ),
        (
            "stat_demo_04",
            "2VtzqvWgxES",
            "ozon.ru",
            15_500,
            "15500.00",
            "2026-10-20",
            Some("ctr_demo_init2"),
        ),
        (
            "stat_demo_05",
            "2VtzqvWgxET",
            "ozon.ru/app",
            9_000,
            "9000.00",
            "2026-11-02",
            None,
        ),
    ];
    for (id, marker, platform, impressions, amount, shown, initial) in statistics {
        put_statistics(
            conn,
            &json!({"id": id, "creativeMarker": marker, "platform": platform,
                    "impressions": impressions, "amount": amount,
                    "firstImpressionDate": shown, "initialContractId": initial}),
        )?;
    }
    Ok(())
}
