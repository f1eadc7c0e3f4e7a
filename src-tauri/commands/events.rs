//! The window as the core's `Host`: what a use-case reports while it runs goes to the page as
//! events (names and payloads in ui/API.md).

use qoltanba_core::app::signing::SignProgress;
use qoltanba_core::app::Host;
use qoltanba_core::operator::SyncProgress;
use tauri::{AppHandle, Emitter, Runtime};

pub const SYNC_PROGRESS_EVENT: &str = "sync_progress";
pub const SIGN_PROGRESS_EVENT: &str = "sign_progress";
pub const CONNECTIVITY_EVENT: &str = "connectivity";

/// Payload of `connectivity`, sent when the operator becomes reachable or stops being so.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Connectivity {
    pub online: bool,
}

pub struct Window<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> Host for Window<R> {
    fn sync_progress(&self, p: &SyncProgress) {
        let _ = self.0.emit(SYNC_PROGRESS_EVENT, p);
    }
    fn sign_progress(&self, p: &SignProgress) {
        let _ = self.0.emit(SIGN_PROGRESS_EVENT, p);
    }
    fn connectivity(&self, online: bool) {
        let _ = self.0.emit(CONNECTIVITY_EVENT, Connectivity { online });
    }
}
