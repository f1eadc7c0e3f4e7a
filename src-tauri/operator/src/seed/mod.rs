//! Filling an empty store: the demo month or a load-test inbox.

pub mod demo;
pub mod load;
pub mod money;
pub mod parties;
pub mod pdf;
pub mod sender;
pub mod xml;

use crate::settings::{Seed, Settings};
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Font(String),
    #[error("signing: {0}")]
    Signing(String),
    #[error("store: {0}")]
    Store(#[from] rusqlite::Error),
}

/// Seeds once: a store that already holds documents is left as it is, so a restart keeps state.
pub fn run(store: &Store, seed: &Seed, settings: &Settings) -> Result<(), SeedError> {
    let empty = store.with(|conn| {
        conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
    })? == 0;
    if !empty {
        return Ok(());
    }
    match seed {
        Seed::Demo => demo::seed(store, &settings.data_dir, &parties::seller_of(settings)),
        Seed::Load(count) => load::seed(
            store,
            &settings.data_dir,
            *count,
            settings.load_attachment_bytes,
        ),
    }
}
