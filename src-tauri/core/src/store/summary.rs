//! What can be read of a store's file without opening it as the store: how many documents wait
//! in it (the list of companies shows that for every company, not only the open one) and which
//! keychain entries are its (removing a company deletes them). A plain read-only connection: no
//! history key, no migration, no write, never the writer of the company that is open.

use super::search::{waiting_in, Waiting};
use super::settings::{self, TOKEN_SCOPE_INSTALLATION};
use super::{SettingKey, DB_FILE};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// A store's file as seen from outside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The id its keychain entries are named after (none: the store never opened fully).
    pub installation: Option<String>,
    /// Whether its operator tokens are named after the installation (false: made by a version
    /// that named them after the account alone).
    pub tokens_scoped: bool,
    /// The operator accounts it has known, by name.
    pub accounts: Vec<String>,
    /// The operator ids of documents opened from an e-mailed link (each has a token).
    pub shared: Vec<String>,
    /// The seller's name as the operator reported it.
    pub seller_name: Option<String>,
    /// Documents in all.
    pub documents: u64,
    pub waiting: Waiting,
}

/// How many account and link names are read at most: a hostile file with millions of rows
/// cannot make the list of companies hang (a real store has a handful).
const MAX_NAMES: i64 = 10_000;

/// The summary of the store in `dir`; None when it has no database file yet.
pub fn summary(dir: &Path) -> Result<Option<Summary>> {
    let path = dir.join(DB_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| unreadable(&path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(2))
        .map_err(|e| unreadable(&path, e))?;
    read(&conn)
        .map_err(|e| {
            Error::new(
                e.code,
                format!("Не удалось прочитать {}: {}", path.display(), e.message),
            )
        })
        .map(Some)
}

fn read(conn: &Connection) -> Result<Summary> {
    let installation = settings::get(conn, SettingKey::InstallationId.as_str())?;
    let tokens_scoped = settings::get(conn, SettingKey::TokenScope.as_str())?.as_deref()
        == Some(TOKEN_SCOPE_INSTALLATION);
    let mut accounts = names(conn, "operator_url:")?;
    if let Some(current) = settings::get(conn, SettingKey::OperatorAccount.as_str())? {
        if !accounts.contains(&current) {
            accounts.push(current);
        }
    }
    Ok(Summary {
        installation,
        tokens_scoped,
        accounts,
        shared: names(conn, "shared_url:")?,
        seller_name: settings::get(conn, SettingKey::SellerName.as_str())?,
        documents: conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))?
            as u64,
        waiting: waiting_in(conn)?,
    })
}

/// The rest of every settings key that starts with `prefix`.
fn names(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT substr(key, length(?1) + 1) FROM settings
         WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key LIMIT ?2",
    )?;
    let rows = st.query_map(rusqlite::params![prefix, MAX_NAMES], |r| {
        r.get::<_, String>(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn unreadable(path: &Path, e: rusqlite::Error) -> Error {
    Error::new(
        ErrorCode::Storage,
        format!("Не удалось открыть {} для чтения: {e}", path.display()),
    )
}
