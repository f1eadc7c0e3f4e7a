//! The window's background indexer of search text (the core's `App::index_backlog`): a sync or
//! an import stores each document with the head of its text indexed and leaves the rest for
//! later; this indexes it after each sync and import, and at start while documents wait. One
//! runs at a time: asked again while it runs, it runs once more when it ends. It follows the
//! open company: a switch starts it on the company opened.

use crate::state::AppState;
use qoltanba_core::store::BacklogBudget;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Sent when a run indexed something: the page asks its search again (the note «Текст ещё
/// индексируется» goes when nothing waits).
pub const TEXT_INDEXED_EVENT: &str = "text_indexed";

/// Payload of `text_indexed`.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct TextIndexed {
    /// Documents still waiting for the rest of their text (a sync started, or the run failed).
    #[ts(type = "number")]
    pub left: u64,
}

/// Starts the indexer on a thread of its own unless one runs (then that one runs again).
pub fn index_soon<R: Runtime>(app: AppHandle<R>) {
    {
        let state = app.state::<AppState>();
        state.indexer.again.store(true, SeqCst);
        if state.indexer.running.swap(true, SeqCst) {
            return;
        }
    }
    std::thread::spawn(move || loop {
        let state = app.state::<AppState>();
        state.indexer.again.store(false, SeqCst);
        // Runs of half a second, each on the company open when it starts: a company switch
        // (which waits for whoever holds the old company) never waits for a whole backlog.
        let budget = BacklogBudget {
            total_time: Some(Duration::from_millis(500)),
            ..BacklogBudget::default()
        };
        loop {
            let open = state.app();
            let run = open.index_backlog(&budget);
            drop(open);
            match run {
                Ok(r) if r.indexed + r.set_aside > 0 => {
                    let _ = app.emit(TEXT_INDEXED_EVENT, TextIndexed { left: r.left });
                    if r.left == 0 {
                        break;
                    }
                }
                // Nothing done: nothing waits, or a sync holds the way (it asks again after).
                Ok(_) => break,
                // Kept for the next sync, import or start: nothing is lost.
                Err(e) => {
                    eprintln!("qoltanba: search text not indexed: {}", e.message);
                    break;
                }
            }
        }
        state.indexer.running.store(false, SeqCst);
        if !state.indexer.again.load(SeqCst) || state.indexer.running.swap(true, SeqCst) {
            break;
        }
    });
}
