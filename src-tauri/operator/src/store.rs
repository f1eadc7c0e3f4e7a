//! The server's own SQLite file: one connection behind a mutex, so every write (with its
//! idempotency record and its event) is one serialised transaction.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::problem::Problem;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    period_from TEXT,
    period_to TEXT,
    sender_bin TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    recipient_bin TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    amount TEXT NOT NULL,
    vat_amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    correction_of TEXT REFERENCES documents(id),
    requires_signature INTEGER NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status, seq);
CREATE TABLE IF NOT EXISTS attachments (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_document ON attachments(document_id, position);
CREATE TABLE IF NOT EXISTS sender_signatures (
    document_id TEXT NOT NULL REFERENCES documents(id),
    attachment_id TEXT NOT NULL REFERENCES attachments(id),
    cms BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sender_signatures_document ON sender_signatures(document_id);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS receipts (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    status TEXT NOT NULL,
    problem TEXT,
    outcome TEXT NOT NULL,
    outcome_problem TEXT,
    ready_at_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_pending ON receipts(status, ready_at_ms);
CREATE TABLE IF NOT EXISTS signatures (
    receipt_id TEXT PRIMARY KEY REFERENCES receipts(id),
    document_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    cms BLOB NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    receipt_id TEXT PRIMARY KEY REFERENCES receipts(id),
    document_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    cms BLOB NOT NULL,
    received_at TEXT NOT NULL
);
-- The refusal notice each rejection signed (rejections version 2), kept as received: the CMS in
-- `rejections` verifies only over these bytes.
CREATE TABLE IF NOT EXISTS refusal_notices (
    receipt_id TEXT PRIMARY KEY REFERENCES receipts(id),
    notice BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body TEXT NOT NULL,
    headers TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS shared_links (
    link TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS access_tokens (
    token TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ord_acts (
    external_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    register_status TEXT NOT NULL,
    register_errors TEXT NOT NULL,
    ready_at_ms INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    submissions INTEGER NOT NULL DEFAULT 0
);
-- The ORD's catalogue for the account: contracts with their supplementary agreements, and the
-- creatives' statistics (GET /ord/contracts, /ord/statistics); seq orders the pages.
CREATE TABLE IF NOT EXISTS ord_contracts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ord_statistics (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    first_impression_date TEXT NOT NULL,
    body TEXT NOT NULL
);
-- Every version of every act as PUT: an accepted act changed and sent again is version 2, 3, …
CREATE TABLE IF NOT EXISTS ord_act_versions (
    external_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    put_at TEXT NOT NULL,
    PRIMARY KEY (external_id, version)
);
"#;

/// File name of the database inside the data directory.
pub const FILE_NAME: &str = "operator.sqlite3";

#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    pub fn open(dir: &Path) -> rusqlite::Result<Store> {
        let connection = Connection::open(dir.join(FILE_NAME))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` on the connection off the async threads.
    pub async fn call<T, F>(&self, work: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Problem> + Send + 'static,
    {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            // A panic in another request must not wedge the server: take the poisoned guard.
            let mut guard = connection.lock().unwrap_or_else(|p| p.into_inner());
            work(&mut guard)
        })
        .await
        .map_err(|e| Problem::internal(e.to_string()))?
    }

    /// Synchronous access for seeding before the server accepts requests.
    pub fn with<T>(&self, work: impl FnOnce(&mut Connection) -> T) -> T {
        let mut guard = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        work(&mut guard)
    }
}
