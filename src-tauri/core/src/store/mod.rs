//! The SQLite store: one file per installation, WAL, foreign keys, migrations with a copy of the
//! file taken before any of them runs, and every change recorded in the history chain in the
//! same transaction.

mod access;
mod alerts_shown;
mod blobs;
mod calendar_sql;
mod documents;
pub mod history;
mod notifications;
mod operator_state;
mod outbox;
mod reminders;
pub mod search;
mod set_aside;
mod setting_key;
pub(crate) mod settings;
mod summary;
pub mod text_backlog;
mod transition;

pub use access::{Access, Shared};
pub use blobs::sha256_hex;
pub use documents::{DocumentEdit, NewDocument, NewSignature, StoredSignature};
pub use notifications::{ActNotice, FieldNotice, Notification};
pub use outbox::{state as outbox_state, OutboxItem, OutboxKind};
pub use reminders::{WaitingDocument, DEFAULT_REMINDER_DAYS};
pub use set_aside::SetAside;
pub use setting_key::{SettingKey, USER_KEYS};
pub use settings::{AttachmentLimits, Settings};
pub use summary::{summary, Summary};
pub use text_backlog::{BacklogBudget, BacklogReport, TextBacklog, HEAD_CHARS};

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, ErrorCode, Result};
use crate::keychain::{self, KeySource, KeychainMode, SecretKey};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const DB_FILE: &str = "qoltanba.db";

/// The setting where the store records the fingerprint (SHA-256) of a key file this
/// installation made. A history.key without it was put there by someone else (or by a version
/// before the record) and is not trusted as it is.
const FILE_RECORD: &str = SettingKey::HistoryKeyFile.as_str();

/// The schema's steps, in order; the schema version is their count.
const STEPS: [&str; 10] = [
    include_str!("001_documents.sql"),
    include_str!("002_search.sql"),
    include_str!("003_acts.sql"),
    include_str!("004_trust.sql"),
    include_str!("005_crls.sql"),
    include_str!("006_set_aside.sql"),
    include_str!("007_act_versions.sql"),
    include_str!("008_alerts.sql"),
    include_str!("009_ord_catalog.sql"),
    include_str!("010_text_backlog.sql"),
];

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

/// Migrates a connection up to `version` only: for tests of upgrades from older files.
pub fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    migrations()
        .to_version(conn, version)
        .map_err(|e| Error::storage(e.to_string()))
}

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    STEPS.len() as i64
}

/// How to open a store.
#[derive(Clone)]
pub struct OpenOptions {
    pub clock: Arc<dyn Clock>,
    pub keychain: KeychainMode,
    /// Who the user is, for the history ("user:<name>").
    pub actor: String,
}

impl Default for OpenOptions {
    fn default() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "local".into());
        OpenOptions {
            clock: Arc::new(SystemClock),
            keychain: KeychainMode::from_env(),
            actor: format!("user:{user}"),
        }
    }
}

pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) key: SecretKey,
    pub(crate) actor: String,
    dir: PathBuf,
    key_source: KeySource,
    backup: Option<PathBuf>,
    /// Test-only: local servers (IP and port) that may serve CRLs; empty. Plain addresses, so
    /// that the store does not depend on trust (trust wraps them in `LocalCrlServers`).
    pub(crate) local_crl_servers: Vec<std::net::SocketAddr>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

fn looks_like_sqlite(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e.into()),
    };
    let mut head = [0u8; 16];
    let n = f.read(&mut head)?;
    Ok(n == 0 || (n == 16 && &head == b"SQLite format 3\0"))
}

/// The history key (see keychain.rs). A key file without this installation's record is used
/// only if it signs the first history entry, which only the real key does.
fn history_key(
    db: &Connection,
    installation: &str,
    dir: &Path,
    mode: KeychainMode,
    create: bool,
) -> Result<keychain::Loaded> {
    let recorded = settings::get(db, FILE_RECORD)?;
    let loaded = keychain::load_or_create(installation, dir, mode, create, recorded.as_deref())?;
    if loaded.unrecorded {
        let report = history::verify(db, &loaded.key)?;
        if !report.intact && report.entries == 0 {
            return Err(Error::new(
                ErrorCode::Keychain,
                "Файл ключа истории history.key не подходит к истории этой базы (он не создан этой установкой) и не используется. \
                 Если ключ в системном хранилище — запустите хранилище и повторите. Данные не изменены",
            ));
        }
    }
    Ok(loaded)
}

/// Creates the data folder readable by its owner only (0700); a folder that exists is left as
/// the person set it.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// The database readable by its owner only (0600): created so before SQLite opens it (SQLite
/// gives its -wal and -shm files the database's mode), and tightened if an older version left it
/// readable by others.
fn private_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let meta = std::fs::metadata(path)?;
                if meta.permissions().mode() & 0o077 != 0 {
                    let mut p = meta.permissions();
                    p.set_mode(0o600);
                    // A file of another owner cannot be changed: SQLite then says what it can.
                    let _ = std::fs::set_permissions(path, p);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// SQLite in WAL mode cannot even read without writing beside the file: a folder that takes no
/// writes gets one clear message up front instead of "unable to open database file".
fn writable(dir: &Path) -> Result<()> {
    use std::io::ErrorKind as K;
    let probe = dir.join(format!(".qoltanba-write-test-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) if matches!(e.kind(), K::PermissionDenied | K::ReadOnlyFilesystem) => {
            Err(Error::new(
                ErrorCode::Storage,
                format!(
                    "Папка данных {} доступна только для чтения: Qoltanba не может открыть в ней базу и ничего в ней не меняла. Проверьте права на папку (или укажите другую: --data-dir) ({e})",
                    dir.display()
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// Opens (creating when absent) the store in `dir`.
    pub fn open(dir: &Path, opts: OpenOptions) -> Result<Store> {
        private_dir(dir).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Не удалось создать папку данных {}: {e}", dir.display()),
            )
        })?;
        writable(dir)?;
        let path = dir.join(DB_FILE);
        private_file(&path)?;
        if !looks_like_sqlite(&path)? {
            return Err(Error::new(
                ErrorCode::NotADatabase,
                format!(
                    "Файл {} не является базой данных Qoltanba (SQLite); он не изменён",
                    path.display()
                ),
            ));
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    Error::new(
                        ErrorCode::NotADatabase,
                        format!(
                            "Файл {} повреждён или не является базой SQLite",
                            path.display()
                        ),
                    )
                }
                other => other.into(),
            })?;
        if version > schema_version() {
            return Err(Error::new(
                ErrorCode::DatabaseTooNew,
                format!(
                    "База данных создана более новой версией Qoltanba (схема {version}, эта версия знает {}). Обновите программу; файл не изменён",
                    schema_version()
                ),
            ));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut backup = None;
        if version > 0 && version < schema_version() {
            let ts = opts.clock.now().utc().format("%Y%m%dT%H%M%S");
            let to = dir.join(format!("{DB_FILE}.v{version}-{ts}.bak"));
            conn.execute("VACUUM INTO ?1", [to.to_string_lossy().as_ref()])?;
            backup = Some(to);
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| Error::storage(format!("Не удалось обновить схему базы: {e}")))?;
        let installation = settings::installation_id(&conn)?;
        let has_history: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM history)", [], |r| r.get(0))?;
        let loaded = if has_history {
            // No key is made now: no write lock, so reading works while another process holds
            // it. Adopting an older version's key file is recorded if the lock is free, else
            // checked again at the next start.
            let loaded = history_key(&conn, &installation, dir, opts.keychain, false)?;
            if let Some(fp) = &loaded.record {
                let _ = settings::set(&conn, FILE_RECORD, fp);
            }
            loaded
        } else {
            // Under the write lock: a second start at the same moment waits and then finds the
            // key file this one made, with its record.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let loaded = history_key(&tx, &installation, dir, opts.keychain, true)?;
            if let Some(fp) = &loaded.record {
                settings::set(&tx, FILE_RECORD, fp)?;
            }
            tx.commit()?;
            loaded
        };
        let (key, key_source) = (loaded.key, loaded.source);
        Ok(Store {
            conn,
            clock: opts.clock,
            key,
            actor: opts.actor,
            dir: dir.to_path_buf(),
            key_source,
            backup,
            local_crl_servers: Default::default(),
        })
    }

    /// A second connection to the same file that can only read: the window's lists, counts and
    /// document screens answer from it while a workflow writes (WAL lets readers and one writer
    /// go on at once). A write through it fails with SQLite's read-only error.
    pub fn open_reader(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            self.dir.join(DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Store {
            conn,
            clock: self.clock.clone(),
            key: self.key.clone(),
            actor: self.actor.clone(),
            dir: self.dir.clone(),
            key_source: self.key_source.clone(),
            backup: None,
            local_crl_servers: self.local_crl_servers.clone(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The id this store's keychain entries are named after (made when the store was created).
    pub fn installation(&self) -> Result<String> {
        settings::installation_id(&self.conn)
    }

    /// Whether this store's operator tokens are named after its installation id; false for a
    /// store made by a version that named them after the account alone.
    pub fn tokens_scoped(&self) -> Result<bool> {
        Ok(
            settings::get(&self.conn, SettingKey::TokenScope.as_str())?.as_deref()
                == Some(settings::TOKEN_SCOPE_INSTALLATION),
        )
    }

    /// Where the history key is kept (the OS keychain or the fallback file).
    pub fn key_source(&self) -> &KeySource {
        &self.key_source
    }

    /// The copy taken before this open migrated the file, if it did.
    pub fn migration_backup(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    pub(crate) fn now_rfc3339(&self) -> String {
        self.clock.now().to_string()
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it or none of it.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &StoreCtx<'_>) -> Result<T>,
    ) -> Result<T> {
        let at = self.now_rfc3339();
        let now_ms = self.clock.now().unix_millis();
        let ctx = StoreCtx {
            key: &self.key,
            actor: &self.actor,
            at,
            now_ms,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &ctx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Walks the history chain.
    pub fn verify_history(&self) -> Result<history::ChainReport> {
        history::verify(&self.conn, &self.key)
    }

    /// Walks the history chain on this connection and thread alone (the window's check in the
    /// background; see history::verify_on_one_thread).
    pub fn verify_history_on_one_thread(&self) -> Result<history::ChainReport> {
        history::verify_on_one_thread(&self.conn, &self.key)
    }

    /// Walks the history chain in segments of `segment` entries (on every core when there are
    /// several): the same verdict as `verify_history`, for tests that put a break at a segment's
    /// boundary and for the benchmark.
    pub fn verify_history_in_segments(&self, segment: i64) -> Result<history::ChainReport> {
        history::verify_in_segments(&self.conn, &self.key, Some(segment))
    }

    /// SQLite's own integrity check.
    pub fn integrity_check(&self) -> Result<bool> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(r == "ok")
    }
}

/// What a write needs besides the transaction.
pub(crate) struct StoreCtx<'a> {
    pub key: &'a SecretKey,
    pub actor: &'a str,
    pub at: String,
    pub now_ms: i64,
}

/// Folds text for the search index and queries: ё→е (FTS5's tokenizer does not).
pub(crate) fn fold(s: &str) -> String {
    s.replace('ё', "е").replace('Ё', "Е")
}

/// Folds and lower-cases text for recognition.
pub(crate) fn fold_lower(s: &str) -> String {
    fold(&s.to_lowercase())
}
