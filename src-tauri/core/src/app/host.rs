//! What a use-case tells whoever started it while it runs: the window turns each call into an
//! event for the page, the CLI into a progress line.

use super::signing::SignProgress;
use crate::operator::SyncProgress;

pub trait Host: Send + Sync {
    /// After each document a sync takes or sets aside.
    fn sync_progress(&self, _progress: &SyncProgress) {}
    /// At each stage of a signing batch.
    fn sign_progress(&self, _progress: &SignProgress) {}
    /// When the operator answers again after failing to, or stops answering.
    fn connectivity(&self, _online: bool) {}
}

/// A host that shows nothing (scripts, tests).
pub struct Silent;

impl Host for Silent {}
