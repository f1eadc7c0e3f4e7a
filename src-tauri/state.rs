//! The one managed state of the window: the store behind an async mutex (commands that talk to
//! NCALayer or the operator keep it across awaits, so it must be tokio's), the NCALayer client
//! (kept while its settings stay the same, so one connection serves many requests), the
//! operator client of the current account, the cancel switches of long operations, and a
//! `qoltanba://` link that arrived before the page was ready to listen.

use qoltanba_core::acts::OrdClient;
use qoltanba_core::ncalayer::{self, NcaLayer, Pinning};
use qoltanba_core::operator::{self as op, HttpOperator, HttpSettings};
use qoltanba_core::store::Settings;
use qoltanba_core::{Error, OpenOptions, Result, Store};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex as SyncMutex};
use std::time::Duration;
use tokio::sync::{Mutex, Notify};

pub struct AppState {
    /// In an Arc so that a command can move its lock (`lock_owned`) to a blocking thread: the
    /// core's sync, outbox and signing futures borrow the store across awaits and are not Send.
    pub store: Arc<Mutex<Store>>,
    data_dir: PathBuf,
    signer: SyncMutex<Option<(SignerKey, Arc<NcaLayer>)>>,
    operator: SyncMutex<Option<(String, String, Arc<HttpOperator>)>>,
    /// The ORD client (acts for the register) of the same account, kept like `operator`.
    ord: SyncMutex<Option<(String, String, OrdClient)>>,
    operations: SyncMutex<HashMap<String, Arc<Notify>>>,
    pending_link: SyncMutex<Option<String>>,
    /// Files dropped on the window, by drop id: the paths come from the OS (the shell's drag and
    /// drop event), never from the page, which only names a drop by its id.
    drops: SyncMutex<Vec<(u64, Vec<PathBuf>)>>,
    next_drop: AtomicU64,
    /// Whether the operator answered last time (for the `connectivity` event and sync_status).
    pub online: AtomicBool,
    batches: AtomicU64,
}

/// The operation id of the signing batch (one at a time; `cancel_signing` stops it).
pub const SIGNING: &str = "signing";
/// The operation id of a sync.
pub const SYNC: &str = "sync";

/// What an NCALayer client was made from: a change of any of these makes a new client.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SignerKey {
    url: String,
    pin: Option<String>,
    ca_file: Option<String>,
    timeout: Option<String>,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            data_dir: store.dir().to_path_buf(),
            store: Arc::new(Mutex::new(store)),
            signer: SyncMutex::new(None),
            operator: SyncMutex::new(None),
            ord: SyncMutex::new(None),
            operations: SyncMutex::new(HashMap::new()),
            pending_link: SyncMutex::new(None),
            drops: SyncMutex::new(Vec::new()),
            next_drop: AtomicU64::new(1),
            online: AtomicBool::new(true),
            batches: AtomicU64::new(0),
        }
    }

    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<AppState> {
        Ok(AppState::new(Store::open(dir, OpenOptions::default())?))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The NCALayer client for the current settings (the URL from QOLTANBA_SIGNER_URL wins, as
    /// in the CLI). Without a pinned certificate the client is in first-use mode: it connects
    /// and shows the certificate, but sends nothing to sign until the user trusts it.
    pub fn signer(&self, store: &Store) -> Result<Arc<NcaLayer>> {
        let key = SignerKey {
            url: match std::env::var("QOLTANBA_SIGNER_URL") {
                Ok(u) if !u.is_empty() => u,
                _ => store
                    .setting("signer_url")?
                    .unwrap_or_else(|| ncalayer::DEFAULT_URL.to_string()),
            },
            pin: store.setting("signer_pin")?,
            ca_file: store.setting("signer_ca_file")?,
            timeout: store.setting("signing_timeout_secs")?,
        };
        let mut slot = self.signer.lock().expect("signer lock");
        if let Some((k, c)) = slot.as_ref() {
            if *k == key {
                return Ok(c.clone());
            }
        }
        let trust = match (&key.pin, &key.ca_file) {
            (Some(pin), _) => Pinning::pin_from_hex(pin).map_err(Error::from)?,
            (None, Some(ca)) => Pinning::CaFile(PathBuf::from(ca)),
            _ => Pinning::FirstUse,
        };
        let mut s = ncalayer::Settings::new(trust);
        s.url = key.url.clone();
        if let Some(t) = key.timeout.as_deref().and_then(|t| t.parse().ok()) {
            s.reply_timeout = Duration::from_secs(t);
        }
        let client = Arc::new(NcaLayer::new(s).map_err(Error::from)?);
        *slot = Some((key, client.clone()));
        Ok(client)
    }

    /// The operator client of the current account (its token read from the OS keychain once).
    pub fn operator(&self, store: &Store) -> Result<(op::Account, Arc<HttpOperator>)> {
        let account = op::current_account(store)?;
        let mut slot = self.operator.lock().expect("operator lock");
        if let Some((name, url, c)) = slot.as_ref() {
            if *name == account.name && *url == account.url {
                return Ok((account, c.clone()));
            }
        }
        let (account, client) = op::account_url(store, HttpSettings::default())?;
        let client = Arc::new(client);
        *slot = Some((account.name.clone(), account.url.clone(), client.clone()));
        Ok((account, client))
    }

    /// Uses `client` for the account `name` at `url` (tests: a client without the keychain).
    #[cfg(test)]
    pub fn use_operator(&self, name: &str, url: &str, client: HttpOperator) {
        *self.operator.lock().expect("operator lock") =
            Some((name.into(), url.into(), Arc::new(client)));
    }

    /// Forgets the operator client (after the account changed).
    pub fn forget_operator(&self) {
        *self.operator.lock().expect("operator lock") = None;
        *self.ord.lock().expect("ord lock") = None;
    }

    /// The ORD client of the current account (its token read from the OS keychain once).
    pub fn ord(&self, store: &Store) -> Result<OrdClient> {
        let account = op::current_account(store)?;
        let mut slot = self.ord.lock().expect("ord lock");
        if let Some((name, url, c)) = slot.as_ref() {
            if *name == account.name && *url == account.url {
                return Ok(c.clone());
            }
        }
        let client = OrdClient::for_account(store)?;
        *slot = Some((account.name, account.url, client.clone()));
        Ok(client)
    }

    /// Uses `client` as the ORD client of the account `name` at `url` (tests: no keychain).
    #[cfg(test)]
    pub fn use_ord(&self, name: &str, url: &str, client: OrdClient) {
        *self.ord.lock().expect("ord lock") = Some((name.into(), url.into(), client));
    }

    /// Registers a long operation under the id the UI chose; `cancel` wakes its switch.
    pub fn start_operation(&self, id: &str) -> Operation<'_> {
        let notify = Arc::new(Notify::new());
        self.operations
            .lock()
            .expect("operations lock")
            .insert(id.to_string(), notify.clone());
        Operation {
            state: self,
            id: id.to_string(),
            notify,
        }
    }

    /// Cancels a running operation; false when none runs under that id.
    pub fn cancel(&self, id: &str) -> bool {
        match self.operations.lock().expect("operations lock").get(id) {
            Some(n) => {
                // notify_one keeps a permit, so a cancel that comes before the wait still counts.
                n.notify_one();
                true
            }
            None => false,
        }
    }

    /// Whether an operation runs under `id`.
    pub fn running(&self, id: &str) -> bool {
        self.operations
            .lock()
            .expect("operations lock")
            .contains_key(id)
    }

    /// A new batch id: unique in this process, and readable in a log.
    pub fn next_batch_id(&self) -> String {
        let n = self.batches.fetch_add(1, Ordering::Relaxed) + 1;
        let t = qoltanba_core::model::Timestamp::now().unix_seconds();
        format!("batch-{t}-{n}")
    }

    pub fn set_pending_link(&self, link: String) {
        *self.pending_link.lock().expect("link lock") = Some(link);
    }

    pub fn take_pending_link(&self) -> Option<String> {
        self.pending_link.lock().expect("link lock").take()
    }

    /// Keeps the paths of a drop until the page asks to import it; returns its id. Only the
    /// last few drops are kept (one the page never imports does not stay forever).
    pub fn add_drop(&self, paths: Vec<PathBuf>) -> u64 {
        let id = self.next_drop.fetch_add(1, Ordering::Relaxed);
        let mut drops = self.drops.lock().expect("drops lock");
        drops.push((id, paths));
        if drops.len() > KEPT_DROPS {
            drops.remove(0);
        }
        id
    }

    /// The paths of drop `id`, taken once.
    pub fn take_drop(&self, id: u64) -> Option<Vec<PathBuf>> {
        let mut drops = self.drops.lock().expect("drops lock");
        let at = drops.iter().position(|(d, _)| *d == id)?;
        Some(drops.remove(at).1)
    }
}

/// How many drops wait for the page at most.
pub const KEPT_DROPS: usize = 8;

/// Runs `f` on a blocking thread of the async runtime and waits for it. The core's futures that
/// borrow the store across awaits are not Send, so a command runs them there with
/// `tauri::async_runtime::block_on` (same runtime, so connections stay with their reactor).
pub async fn off_thread<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::storage(format!("Внутренняя ошибка выполнения: {e}")))
}

/// A running long operation; unregistered when dropped.
pub struct Operation<'a> {
    state: &'a AppState,
    id: String,
    notify: Arc<Notify>,
}

impl Operation<'_> {
    /// The switch `cancel` wakes, to wait on elsewhere (e.g. on a blocking thread).
    pub fn switch(&self) -> Arc<Notify> {
        self.notify.clone()
    }
}

impl Drop for Operation<'_> {
    fn drop(&mut self) {
        self.state
            .operations
            .lock()
            .expect("operations lock")
            .remove(&self.id);
    }
}
