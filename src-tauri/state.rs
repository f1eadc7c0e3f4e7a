//! The one managed state of the window: the open company (the core's `Desk`: its `App` — the
//! store, its read-only twin, the clients and the long operations — and switching to another
//! company), plus what only a window has: a `qoltanba://` link that arrived before the page was
//! ready to listen, and the paths of files dropped on it.
//!
//! A command takes the open company's app as an `Opened` argument: the page names the company
//! it shows in every call (`company`), and a call for a company no longer open is refused
//! before the command runs (`company_changed`), so a click made on one company's screen never
//! acts on another's.

use qoltanba_core::app::App;
use qoltanba_core::company::Desk;
use qoltanba_core::{OpenOptions, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::{CommandArg, CommandItem, InvokeBody, InvokeError};
use tauri::{Manager, Runtime};

/// The argument every call carries: the id of the company the page shows.
pub const COMPANY_ARG: &str = "company";

/// Sent when another company has been opened (by the page or by a click on a notification):
/// the page reloads everything it shows. Payload: the `Company` opened.
pub const SWITCHED_EVENT: &str = "company-switched";

pub struct AppState {
    pub desk: Desk,
    pending_link: Mutex<Option<String>>,
    /// Files dropped on the window, by drop id: the paths come from the OS (the shell's drag and
    /// drop event), never from the page, which only names a drop by its id.
    drops: Mutex<Vec<(u64, Vec<PathBuf>)>>,
    next_drop: AtomicU64,
    /// The background indexer of search text (see text_indexer.rs).
    pub indexer: Indexer,
}

impl AppState {
    pub fn new(desk: Desk) -> AppState {
        AppState {
            desk,
            pending_link: Mutex::new(None),
            drops: Mutex::new(Vec::new()),
            next_drop: AtomicU64::new(1),
            indexer: Default::default(),
        }
    }

    /// Opens the company `company` (the default one when none) of the data folder `root`.
    pub fn open(root: &Path, company: Option<&str>) -> Result<AppState> {
        Ok(AppState::new(Desk::open(
            root,
            company,
            OpenOptions::default(),
        )?))
    }

    /// The open company's app, for the window's own work (not a call from the page).
    pub fn app(&self) -> Arc<App> {
        self.desk.app()
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

/// Whether the background indexer of search text runs (see text_indexer.rs), and whether it was
/// asked again since it started.
#[derive(Default)]
pub struct Indexer {
    pub running: AtomicBool,
    pub again: AtomicBool,
}

/// How many drops wait for the page at most.
pub const KEPT_DROPS: usize = 8;

/// The open company's app, as a command's argument (see the module's note).
pub struct Opened(Arc<App>);

impl Opened {
    /// The app itself, to move into blocking work.
    pub fn shared(&self) -> Arc<App> {
        self.0.clone()
    }
}

impl std::ops::Deref for Opened {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for Opened {
    fn from_command(command: CommandItem<'de, R>) -> std::result::Result<Self, InvokeError> {
        let company = match command.message.payload() {
            InvokeBody::Json(v) => v.get(COMPANY_ARG).and_then(|c| c.as_str()),
            InvokeBody::Raw(_) => None,
        };
        let state = command.message.webview_ref().state::<AppState>();
        match state.desk.app_for(company) {
            Ok(app) => Ok(Opened(app)),
            Err(e) => Err(InvokeError::from(crate::error::IpcError::from(e))),
        }
    }
}
