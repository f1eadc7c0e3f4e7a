//! The search text that syncs and imports leave for later (see `store::text_backlog`): the
//! window runs the indexer in the background after each sync and import and at start, the CLI
//! after it reports what a sync or an import stored.

use super::{App, SYNC};
use crate::error::Result;
use crate::search_text::index_backlog;
use crate::store::{BacklogBudget, BacklogReport, TextBacklog};

impl App {
    /// Indexes the backlog batch by batch on the writer (never across a wait, never inside a
    /// sync's batch). It stops when a sync starts, so the sync keeps every core; the window starts
    /// it again when the sync ends.
    pub fn index_backlog(&self, budget: &BacklogBudget) -> Result<BacklogReport> {
        index_backlog(&mut self.store(), budget, || !self.operations.running(SYNC))
    }

    /// How many documents wait for the rest of their text to be indexed.
    pub fn text_backlog(&self) -> Result<TextBacklog> {
        self.read(|s| s.text_backlog())
    }
}
