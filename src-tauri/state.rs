//! The one managed state of the window: the core's `App` (the store, its read-only twin, the
//! clients and the long operations), plus what only a window has: a `qoltanba://` link that
//! arrived before the page was ready to listen, and the paths of files dropped on it.

use qoltanba_core::app::App;
use qoltanba_core::Result;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

pub struct AppState {
    pub app: App,
    pending_link: Mutex<Option<String>>,
    /// Files dropped on the window, by drop id: the paths come from the OS (the shell's drag and
    /// drop event), never from the page, which only names a drop by its id.
    drops: Mutex<Vec<(u64, Vec<PathBuf>)>>,
    next_drop: AtomicU64,
    /// The background indexer of search text (see text_indexer.rs).
    pub indexer: Indexer,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        AppState {
            app,
            pending_link: Mutex::new(None),
            drops: Mutex::new(Vec::new()),
            next_drop: AtomicU64::new(1),
            indexer: Default::default(),
        }
    }

    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<AppState> {
        Ok(AppState::new(App::open(dir)?))
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
