//! The use-cases a user can start, in one place for the window and the CLI: list and open
//! documents, decide, sign a batch, sync, send the outbox, open a shared link, acts, settings,
//! diagnostics. The window's commands and the CLI's subcommands map their arguments onto these
//! functions and present what they return; neither carries a use-case of its own.
//!
//! An `App` holds the store twice: the writer, taken one short step at a time (see
//! `store::Access`), and a read-only connection for the lists, counts and document screens, so
//! those answer at once while a sync writes or NCALayer waits for a PIN. A third, read-only too
//! and opened on first use, serves the walks over the whole store (the hash chain check) so that
//! they never hold up a document the user clicked. No lock is ever held across a wait on the
//! network; the workflows' futures are `Send`.

pub mod acts;
mod alerts;
pub mod card;
mod clients;
pub mod diagnostics;
pub mod documents;
mod host;
pub mod import;
mod operations;
mod ord;
pub mod placement;
pub mod register;
pub mod settings;
pub mod signing;
pub mod sync;
mod text_index;

pub use clients::{Clients, SignerSettings};
pub use host::{Host, Silent};
pub use operations::{Operation, Operations, SIGNING, SYNC};

use crate::error::Result;
use crate::store::{OpenOptions, Shared, Store};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One installation's store and clients, shared by everything a user starts.
pub struct App {
    writer: Shared,
    reader: Shared,
    walker: OnceLock<Shared>,
    data_dir: PathBuf,
    pub clients: Clients,
    pub operations: Operations,
}

impl App {
    /// An app over `store`, with a read-only second connection to the same file.
    pub fn new(store: Store) -> Result<App> {
        let reader = Shared::new(store.open_reader()?);
        Ok(App {
            data_dir: store.dir().to_path_buf(),
            writer: Shared::new(store),
            reader,
            walker: OnceLock::new(),
            clients: Clients::default(),
            operations: Operations::default(),
        })
    }

    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<App> {
        App::new(Store::open(dir, OpenOptions::default())?)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Reads through the read-only connection (never waits for a writer's step).
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        f(&self.reader.lock())
    }

    /// Reads that walk the whole store (the hash chain of 100,000 documents' history takes a
    /// good part of a second), through a read-only connection of their own: the reads a click
    /// waits for go on meanwhile.
    pub fn read_whole<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let walker = match self.walker.get() {
            Some(w) => w,
            None => {
                let opened = self.writer.lock().open_reader()?;
                self.walker.get_or_init(|| Shared::new(opened))
            }
        };
        f(&walker.lock())
    }

    /// One write step (a transaction or a few): short, never across a wait.
    pub fn write<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        f(&mut self.writer.lock())
    }

    /// The writer, for a workflow that takes it step by step.
    pub fn store(&self) -> Shared {
        self.writer.clone()
    }
}
