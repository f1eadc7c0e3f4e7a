//! Long operations by id (one signing batch, one sync at a time) and their cancel switches.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The operation id of the signing batch (`cancel` with it stops the batch).
pub const SIGNING: &str = "signing";
/// The operation id of a sync.
pub const SYNC: &str = "sync";

#[derive(Default)]
pub struct Operations {
    running: Arc<Mutex<HashMap<String, Arc<Notify>>>>,
    batches: AtomicU64,
    /// Whether the operator answered last time (the `connectivity` event and sync status).
    offline: AtomicBool,
}

impl Operations {
    /// Registers a long operation; None when one already runs under that id.
    pub fn start(&self, id: &str) -> Option<Operation> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.contains_key(id) {
            return None;
        }
        let notify = Arc::new(Notify::new());
        running.insert(id.to_string(), notify.clone());
        Some(Operation {
            running: self.running.clone(),
            id: id.to_string(),
            notify,
        })
    }

    /// Cancels a running operation; false when none runs under that id.
    pub fn cancel(&self, id: &str) -> bool {
        match self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
        {
            Some(n) => {
                // notify_one keeps a permit, so a cancel that comes before the wait still counts.
                n.notify_one();
                true
            }
            None => false,
        }
    }

    pub fn running(&self, id: &str) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(id)
    }

    /// A new batch id: unique in this process, and readable in a log.
    pub fn next_batch_id(&self, unix_seconds: i64) -> String {
        let n = self.batches.fetch_add(1, Ordering::Relaxed) + 1;
        format!("batch-{unix_seconds}-{n}")
    }

    pub fn online(&self) -> bool {
        !self.offline.load(Ordering::Relaxed)
    }

    /// Records whether the operator answered; true when that changed.
    pub fn set_online(&self, online: bool) -> bool {
        self.offline.swap(!online, Ordering::Relaxed) == online
    }
}

/// A running long operation; unregistered when dropped.
pub struct Operation {
    running: Arc<Mutex<HashMap<String, Arc<Notify>>>>,
    id: String,
    notify: Arc<Notify>,
}

impl Operation {
    /// Resolves when the operation is cancelled.
    pub async fn cancelled(&self) {
        self.notify.notified().await
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}
