//! qoltanba-operator: a reference server of the operator API (shared/operator-api.md) for the demo,
//! the tests and CI. Start it in-process with [`start`], or run the `qoltanba-operator` binary.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let mut settings = qoltanba_operator::Settings::new("/tmp/operator-data");
//! settings.seed = Some(qoltanba_operator::Seed::Demo);
//! let running = qoltanba_operator::start(settings, false).await?;
//! println!("{} with token {}", running.base_url(), running.token);
//! running.shutdown().await?;
//! # Ok(()) }
//! ```

mod auth;
mod clock;
mod decisions;
mod document;
mod faults;
mod idempotency;
mod inbox;
mod ord;
mod ord_catalog;
mod paging;
mod problem;
mod refusal;
pub mod seed;
mod server;
mod settings;
mod shared;
mod store;
pub mod verification;

pub use document::KINDS;
pub use faults::Answer;
pub use server::{start, Running, StartError};
pub use settings::{Faults, Seed, Settings, DEFAULT_TOKEN};
pub use shared::{LOCK_SECONDS, MAX_ATTEMPTS};
pub use store::FILE_NAME as STORE_FILE_NAME;
