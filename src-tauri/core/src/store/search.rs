//! Listing and searching the store: filters, full-text search (FTS5, ё = е, prefix matching),
//! sort, and keyset paging by an opaque cursor (stable while documents keep arriving).

use super::documents::row_to_document;
use super::{fold, Store};
use crate::error::{Error, Result};
use crate::model::{Day, Decision, Document, DocumentKind, Money, Status};
use base64::Engine;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const LIST_COLUMNS: &str = "d.id, d.operator_id, d.origin, d.kind, d.number, d.date, d.title, d.period_from, d.period_to,
    d.sender_bin, d.sender_name, d.recipient_bin, d.recipient_name, d.amount, d.vat_amount, d.currency,
    d.correction_of, d.correction_of_number, d.correction_of_operator_id, d.status, d.decision, d.reject_reason,
    d.content_sha256, d.received_at, d.updated_at";

/// The inbox tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    NeedsAction,
    /// Decided (accepted or rejected), the decision not signed yet: what the header's
    /// «N документов ожидают подписи» counts, so the header and this tab always say one number.
    ToSign,
    Accepted,
    Rejected,
    Signed,
    Sent,
    All,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::NeedsAction,
        Tab::ToSign,
        Tab::Accepted,
        Tab::Rejected,
        Tab::Signed,
        Tab::Sent,
        Tab::All,
    ];
    /// The statuses the tab holds; with [`Tab::decision`], what `Query::tab` filters on.
    pub fn statuses(self) -> Vec<Status> {
        match self {
            Tab::NeedsAction => vec![Status::Received, Status::Viewed, Status::SendFailed],
            Tab::ToSign => vec![Status::Accepted, Status::Rejected],
            Tab::Accepted => vec![Status::Accepted],
            // A rejection stays findable as one after it is signed and sent, not only under
            // "Signed"/"Sent" where an acceptance looks the same.
            Tab::Rejected => vec![
                Status::Rejected,
                Status::Signed,
                Status::Queued,
                Status::Sent,
                Status::Delivered,
            ],
            Tab::Signed => vec![Status::Signed, Status::Queued],
            Tab::Sent => vec![Status::Sent, Status::Delivered],
            Tab::All => Status::ALL.to_vec(),
        }
    }

    /// The decision the tab is limited to, when it is.
    pub fn decision(self) -> Option<Decision> {
        match self {
            Tab::Rejected => Some(Decision::Reject),
            _ => None,
        }
    }

    /// Limits `q` to this tab.
    pub fn apply_to(self, q: &mut Query) {
        q.statuses = self.statuses();
        q.decision = self.decision();
    }

    fn holds(self, status: Status, decision: Option<Decision>) -> bool {
        self.statuses().contains(&status) && self.decision().is_none_or(|d| Some(d) == decision)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Newest received first.
    #[default]
    Received,
    /// By the document's own date.
    Date,
    Amount,
    Number,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields = nullable)]
pub struct Query {
    // Every field may be left out (serde's default), so the TypeScript fields are optional.
    #[ts(as = "Option<_>", optional)]
    pub statuses: Vec<Status>,
    /// Only documents with this decision (the "Rejected" tab).
    pub decision: Option<Decision>,
    pub kind: Option<DocumentKind>,
    /// Documents dated on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Documents dated on or before this day.
    pub to: Option<String>,
    /// A BIN, or part of a counterparty's name.
    pub counterparty: Option<String>,
    pub number: Option<String>,
    pub amount_min: Option<Money>,
    pub amount_max: Option<Money>,
    /// Full-text search over title, number, counterparty and the documents' text.
    pub text: Option<String>,
    #[ts(as = "Option<_>", optional)]
    pub sort: SortKey,
    /// Oldest/smallest first instead of newest/largest first.
    #[ts(as = "Option<_>", optional)]
    pub ascending: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Rows to skip from the start (without a cursor): the page a far jump lands on.
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub documents: Vec<Document>,
    pub next: Option<String>,
    /// A text search while documents still wait for the rest of their text to be indexed: how
    /// many (the search may miss words past their first pages until then). None otherwise.
    pub text_waiting: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// The sort value of the last row (as text or integer), and its id.
    v: serde_json::Value,
    id: i64,
}

/// Turns a person's words into an FTS5 query: each word a quoted prefix, all words required.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" AND "))
    }
}

fn sort_column(k: SortKey) -> &'static str {
    match k {
        // Arrival order is the id order: ids only grow, and a clock set back cannot reorder it.
        SortKey::Received => "d.id",
        SortKey::Date => "COALESCE(d.date, '')",
        SortKey::Amount => "COALESCE(d.amount, 0)",
        SortKey::Number => "COALESCE(d.number, '')",
    }
}

fn sql_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Number(n) => Value::Integer(n.as_i64().unwrap_or(0)),
        serde_json::Value::String(s) => Value::Text(s.clone()),
        _ => Value::Null,
    }
}

/// The FROM and WHERE of a query, shared by a page of the list and its count.
struct Filter {
    from: &'static str,
    /// The sort column (the full-text index's rowid when it drives the search).
    col: &'static str,
    by_arrival: bool,
    wh: Vec<String>,
    args: Vec<Value>,
}

impl Filter {
    fn sql_where(&self) -> String {
        if self.wh.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.wh.join(" AND "))
        }
    }
}

fn filter(q: &Query) -> Result<Filter> {
    let text = q.text.as_deref().filter(|t| !t.trim().is_empty());
    let by_arrival = q.sort == SortKey::Received;
    // Newest-first search is driven by the full-text index, which yields rowids in order, so
    // a word found in every document still stops after one page instead of sorting them all.
    let fts_drives = by_arrival && text.is_some();
    let col = if fts_drives {
        "documents_fts.rowid"
    } else {
        sort_column(q.sort)
    };
    let from = if fts_drives {
        " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
    } else {
        " FROM documents d"
    };
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(t) = text {
        match fts_query(t) {
            Some(m) if fts_drives => {
                wh.push("documents_fts MATCH ?".into());
                args.push(Value::Text(m));
            }
            Some(m) => {
                wh.push(
                    "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)".into(),
                );
                args.push(Value::Text(m));
            }
            None => wh.push("0".into()),
        }
    }
    if !q.statuses.is_empty() {
        let marks = vec!["?"; q.statuses.len()].join(",");
        wh.push(format!("d.status IN ({marks})"));
        args.extend(q.statuses.iter().map(|s| Value::Text(s.code().into())));
    }
    if let Some(d) = q.decision {
        wh.push("d.decision = ?".into());
        args.push(Value::Text(
            match d {
                Decision::Accept => "accept",
                Decision::Reject => "reject",
            }
            .into(),
        ));
    }
    if let Some(k) = q.kind {
        wh.push("d.kind = ?".into());
        args.push(Value::Text(k.code().into()));
    }
    if let Some(f) = &q.from {
        Day::parse(f)?;
        wh.push("d.date >= ?".into());
        args.push(Value::Text(f.clone()));
    }
    if let Some(t) = &q.to {
        Day::parse(t)?;
        wh.push("d.date <= ?".into());
        args.push(Value::Text(t.clone()));
    }
    if let Some(c) = q.counterparty.as_deref().filter(|c| !c.trim().is_empty()) {
        let c = c.trim();
        wh.push("(d.sender_bin = ? OR d.recipient_bin = ? OR d.sender_name LIKE ? ESCAPE '\\' OR d.recipient_name LIKE ? ESCAPE '\\')".into());
        let like = format!(
            "%{}%",
            c.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        args.extend([
            Value::Text(c.into()),
            Value::Text(c.into()),
            Value::Text(like.clone()),
            Value::Text(like),
        ]);
    }
    if let Some(n) = q.number.as_deref().filter(|n| !n.trim().is_empty()) {
        wh.push("d.number = ?".into());
        args.push(Value::Text(n.trim().into()));
    }
    if let Some(m) = q.amount_min {
        wh.push("d.amount >= ?".into());
        args.push(Value::Integer(m.0));
    }
    if let Some(m) = q.amount_max {
        wh.push("d.amount <= ?".into());
        args.push(Value::Integer(m.0));
    }
    if let (Some(a), Some(b)) = (q.amount_min, q.amount_max) {
        if a > b {
            return Err(Error::invalid("Сумма «от» больше суммы «до»"));
        }
    }
    Ok(Filter {
        from,
        col,
        by_arrival,
        wh,
        args,
    })
}

impl Store {
    /// A page of the documents `q` finds: after `q.cursor` (keyset, the way the list scrolls
    /// on), or `q.offset` rows in (a far jump of the scrollbar lands on a page with no cursor
    /// before it), or from the start.
    pub fn list(&self, q: &Query) -> Result<Page> {
        let limit = q.limit.unwrap_or(50).clamp(1, 500) as usize;
        if q.cursor.is_some() && q.offset.is_some_and(|o| o > 0) {
            return Err(Error::invalid(
                "Страница списка задана и курсором, и смещением: нужно что-то одно",
            ));
        }
        let mut f = filter(q)?;
        let col = f.col;
        let (cmp, dir) = if q.ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        if let Some(c) = &q.cursor {
            let cur: Cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .ok_or_else(|| Error::invalid("Неверный курсор страницы"))?;
            if f.by_arrival {
                f.wh.push(format!("{col} {cmp} ?"));
                f.args.push(Value::Integer(cur.id));
            } else {
                f.wh.push(format!("({col}, d.id) {cmp} (?, ?)"));
                f.args.push(sql_value(&cur.v));
                f.args.push(Value::Integer(cur.id));
            }
        }
        let mut sql = format!(
            "SELECT {LIST_COLUMNS}, {col} AS sortv{}{}",
            f.from,
            f.sql_where()
        );
        if f.by_arrival {
            sql.push_str(&format!(" ORDER BY {col} {dir} LIMIT {}", limit + 1));
        } else {
            sql.push_str(&format!(
                " ORDER BY sortv {dir}, d.id {dir} LIMIT {}",
                limit + 1
            ));
        }
        if let Some(o) = q.offset.filter(|o| *o > 0) {
            sql.push_str(&format!(" OFFSET {o}"));
        }
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(f.args))?;
        let mut docs = Vec::with_capacity(limit + 1);
        let mut last: Option<(Value, i64)> = None;
        let mut more = false;
        while let Some(r) = rows.next()? {
            if docs.len() == limit {
                more = true;
                break;
            }
            let d = row_to_document(r)?;
            last = Some((r.get::<_, Value>(25)?, d.id));
            docs.push(d);
        }
        let next = match (more, last) {
            (true, Some((v, id))) => {
                let v = match v {
                    Value::Integer(i) => serde_json::json!(i),
                    Value::Text(s) => serde_json::json!(s),
                    _ => serde_json::Value::Null,
                };
                let raw = serde_json::to_vec(&Cursor { v, id }).expect("cursor serialises");
                Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))
            }
            _ => None,
        };
        let text_waiting = match q.text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(_) => Some(self.text_backlog()?.waiting).filter(|n| *n > 0),
            None => None,
        };
        Ok(Page {
            documents: docs,
            next,
            text_waiting,
        })
    }

    /// How many documents `q` finds in all (its cursor, offset and limit aside): what sizes the
    /// list's scrollbar before any page far down is fetched.
    pub fn count(&self, q: &Query) -> Result<u64> {
        let f = filter(q)?;
        let sql = format!("SELECT COUNT(*){}{}", f.from, f.sql_where());
        let mut st = self.conn.prepare_cached(&sql)?;
        let n: i64 = st.query_row(rusqlite::params_from_iter(f.args), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Documents counted by status and decision (a tab may hold a status for one decision only).
    fn status_counts(&self) -> Result<Vec<(Status, Option<Decision>, u64)>> {
        status_counts(&self.conn)
    }

    /// How many documents each tab holds.
    pub fn tab_counts(&self) -> Result<Vec<(Tab, u64)>> {
        let groups = self.status_counts()?;
        Ok(Tab::ALL
            .into_iter()
            .map(|t| (t, count_in(&groups, t)))
            .collect())
    }

    /// What waits for the user, as the window's header says it: a received document needs a
    /// decision first (it cannot be signed yet); an accepted or rejected one needs the signature
    /// of that decision. A failed send is neither: it waits for a retry, in the outbox.
    pub fn waiting_counts(&self) -> Result<Waiting> {
        waiting_in(&self.conn)
    }
}

/// Documents counted by status and decision, on any connection to a store's file.
fn status_counts(conn: &rusqlite::Connection) -> Result<Vec<(Status, Option<Decision>, u64)>> {
    let mut groups = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT status, decision, COUNT(*) FROM documents GROUP BY status, decision",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (s, d, n) = row?;
        let decision = match d.as_deref() {
            Some("accept") => Some(Decision::Accept),
            Some("reject") => Some(Decision::Reject),
            _ => None,
        };
        if let Some(s) = Status::from_code(&s) {
            groups.push((s, decision, n as u64));
        }
    }
    Ok(groups)
}

/// What waits for the user in the store behind `conn` (see `Store::waiting_counts`).
pub(crate) fn waiting_in(conn: &rusqlite::Connection) -> Result<Waiting> {
    let groups = status_counts(conn)?;
    Ok(Waiting {
        decision: sum(&groups, &[Status::Received, Status::Viewed]),
        // The «К подписи» tab's own rule, so the header and the tab cannot disagree.
        signature: count_in(&groups, Tab::ToSign),
    })
}

/// Documents waiting for the user's decision, and decided ones waiting for its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Waiting {
    pub decision: u64,
    pub signature: u64,
}

/// The documents of `tab` among the status and decision groups.
fn count_in(groups: &[(Status, Option<Decision>, u64)], tab: Tab) -> u64 {
    groups
        .iter()
        .filter(|(s, d, _)| tab.holds(*s, *d))
        .map(|(_, _, n)| n)
        .sum()
}

fn sum(groups: &[(Status, Option<Decision>, u64)], statuses: &[Status]) -> u64 {
    groups
        .iter()
        .filter(|(s, _, _)| statuses.contains(s))
        .map(|(_, _, n)| n)
        .sum()
}
