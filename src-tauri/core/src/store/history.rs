//! The append-only, hash-chained history. Each entry's MAC covers its fields and the previous
//! entry's MAC, keyed by the installation's secret; a signed head in settings catches a chain
//! whose last entries were cut off.

use crate::error::{Error, ErrorCode, Result};
use crate::keychain::SecretKey;
use crate::store::SettingKey;
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::Sha256;
use ts_rs::TS;

mod check;
pub use check::{verify, verify_in_segments, verify_on_one_thread};

type HmacSha256 = Hmac<Sha256>;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = SettingKey::HistoryHead.as_str();

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub seq: i64,
    /// What changed: `document:<id>`, `store`, later `act:<id>`.
    pub subject: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub reason: Option<String>,
    /// Hashes and other facts of the change, as JSON.
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
    pub prev_mac: String,
    pub mac: String,
}

/// A change to record; the chain fields are filled in by `append`.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub subject: String,
    pub at: String,
    pub actor: &'a str,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub detail: serde_json::Value,
}

fn field(m: &mut HmacSha256, v: Option<&str>) {
    match v {
        Some(s) => {
            m.update(&(s.len() as u64).to_be_bytes());
            m.update(s.as_bytes());
        }
        None => m.update(&u64::MAX.to_be_bytes()),
    }
}

/// The HMAC state after the key: cloned per entry instead of re-keying (a third of the work
/// for a short entry).
fn keyed(key: &SecretKey) -> HmacSha256 {
    HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length")
}

#[allow(clippy::too_many_arguments)]
fn compute_mac(
    keyed: &HmacSha256,
    seq: i64,
    subject: &str,
    at: &str,
    actor: &str,
    action: &str,
    from_status: Option<&str>,
    to_status: Option<&str>,
    reason: Option<&str>,
    detail: &str,
    prev_mac: &str,
) -> String {
    hex::encode(mac_bytes(
        keyed,
        seq,
        subject,
        at,
        actor,
        action,
        from_status,
        to_status,
        reason,
        detail,
        prev_mac,
    ))
}

/// The entry's MAC as bytes (the check compares its hex without allocating).
#[allow(clippy::too_many_arguments)]
fn mac_bytes(
    keyed: &HmacSha256,
    seq: i64,
    subject: &str,
    at: &str,
    actor: &str,
    action: &str,
    from_status: Option<&str>,
    to_status: Option<&str>,
    reason: Option<&str>,
    detail: &str,
    prev_mac: &str,
) -> [u8; 32] {
    let mut m = keyed.clone();
    m.update(b"qoltanba-history-v1");
    m.update(&seq.to_be_bytes());
    for v in [
        Some(subject),
        Some(at),
        Some(actor),
        Some(action),
        from_status,
        to_status,
        reason,
        Some(detail),
        Some(prev_mac),
    ] {
        field(&mut m, v);
    }
    m.finalize().into_bytes().into()
}

fn head_mac(key: &SecretKey, seq: i64, mac: &str) -> String {
    let mut m = HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length");
    m.update(b"qoltanba-history-head-v1");
    m.update(&seq.to_be_bytes());
    m.update(mac.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// Appends an entry; call inside the transaction of the change it records.
pub fn append(conn: &Connection, key: &SecretKey, e: NewEntry<'_>) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, mac FROM history ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, m)) => (s + 1, m),
        None => (1, GENESIS.to_string()),
    };
    let detail = e.detail.to_string();
    let mac = compute_mac(
        &keyed(key),
        seq,
        &e.subject,
        &e.at,
        e.actor,
        e.action,
        e.from_status,
        e.to_status,
        e.reason,
        &detail,
        &prev,
    );
    conn.prepare_cached("INSERT INTO history (seq, subject, at, actor, action, from_status, to_status, reason, detail, prev_mac, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?.execute(
        params![seq, e.subject, e.at, e.actor, e.action, e.from_status, e.to_status, e.reason, detail, prev, mac],
    )?;
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![
        HEAD_KEY,
        format!("{seq}:{}", head_mac(key, seq, &mac))
    ])?;
    Ok(seq)
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let detail: String = r.get(8)?;
    Ok(HistoryEntry {
        seq: r.get(0)?,
        subject: r.get(1)?,
        at: r.get(2)?,
        actor: r.get(3)?,
        action: r.get(4)?,
        from_status: r.get(5)?,
        to_status: r.get(6)?,
        reason: r.get(7)?,
        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
        prev_mac: r.get(9)?,
        mac: r.get(10)?,
    })
}

const COLUMNS: &str =
    "seq, subject, at, actor, action, from_status, to_status, reason, detail, prev_mac, mac";

/// The entries of one subject, oldest first.
pub fn for_subject(conn: &Connection, subject: &str) -> Result<Vec<HistoryEntry>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM history WHERE subject = ?1 ORDER BY seq"
    ))?;
    let rows = st.query_map([subject], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub entries: u64,
    pub intact: bool,
    /// The first entry that does not hold, with why.
    pub first_broken: Option<BrokenEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BrokenEntry {
    pub seq: i64,
    pub subject: Option<String>,
    pub problem: String,
}

/// Refuses to go on when the chain is broken (used where a broken chain must stop work).
pub fn require_intact(report: &ChainReport) -> Result<()> {
    match &report.first_broken {
        None => Ok(()),
        Some(b) => Err(Error::new(
            ErrorCode::HistoryBroken,
            format!("История нарушена в записи №{}: {}", b.seq, b.problem),
        )),
    }
}
