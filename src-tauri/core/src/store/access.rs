//! How a workflow that waits on the network reaches the store: step by step. Each step takes
//! the store, does its reads or its one transaction, and lets go before the next wait, so a
//! window's other screens never queue behind a PIN dialog, a slow operator or a CRL download.
//!
//! A `Store` the caller owns alone (the CLI, a test) is its own access; the window shares one
//! behind a `Shared`, whose lock is a std mutex: its guard is not `Send`, so a future that kept
//! it across an `.await` would not compile where the window needs `Send` futures.

use super::Store;
use crate::error::Result;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The store, one step at a time.
pub trait Access {
    /// Runs one step with the store. A step never awaits: it cannot, it is a plain closure.
    fn with<T>(&mut self, step: impl FnOnce(&mut Store) -> Result<T>) -> Result<T>;
}

impl Access for Store {
    fn with<T>(&mut self, step: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        step(self)
    }
}

/// A store shared between the window's commands (and their workflows).
#[derive(Clone)]
pub struct Shared(Arc<Mutex<Store>>);

impl Shared {
    pub fn new(store: Store) -> Shared {
        Shared(Arc::new(Mutex::new(store)))
    }

    /// The store for a step of synchronous work. A panic in an earlier step cannot leave a
    /// transaction open (rusqlite rolls back on drop), so a poisoned lock is still usable.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Access for Shared {
    fn with<T>(&mut self, step: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        step(&mut self.lock())
    }
}
