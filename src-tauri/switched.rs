//! What follows the opening of another company, whoever opened it (the page's switcher or a
//! click on a desktop notification): the page is told, and the search text that waits in the
//! company opened is indexed. Its own module: the indexer depends on the window's state, so the
//! state cannot call the indexer.

use crate::state::SWITCHED_EVENT;
use qoltanba_core::company::Company;
use tauri::{AppHandle, Emitter, Runtime};

/// Tells the page that `company` is open now, and indexes what waits of its search text.
pub fn announce<R: Runtime>(app: &AppHandle<R>, company: &Company) {
    let _ = app.emit(SWITCHED_EVENT, company);
    crate::text_indexer::index_soon(app.clone());
}
