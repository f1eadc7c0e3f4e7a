//! Everything the command line can set, also built directly by tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The token accepted when none is given (documented in the crate README).
pub const DEFAULT_TOKEN: &str = "demo-token";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seed {
    /// A realistic month of every document kind for ТОО «Продавец».
    Demo,
    /// N documents made fast from one template, for load tests.
    Load(usize),
}

#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Fraction of requests answered 500 or 503 (with Retry-After).
    pub fail_rate: f64,
    /// Added before every response.
    pub latency: Duration,
    /// Response bodies longer than this are cut after this many bytes and the connection dropped.
    pub drop_after: Option<usize>,
    /// With `drop_after`: cut only the bodies of requests whose path contains this (for example
    /// "/attachments/", so the listing arrives whole and a download breaks).
    pub drop_only: Option<String>,
    /// Each events page that has new events repeats the one before the cursor.
    pub duplicate_events: bool,
    /// After this many successful writes every write is answered 409 invalid_document_state.
    pub stale_after: Option<u64>,
    /// Seed of the fault RNG, so a failing run can be repeated.
    pub rng_seed: u64,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub token: String,
    pub seed: Option<Seed>,
    /// Size of each main attachment made by `Seed::Load`.
    pub load_attachment_bytes: usize,
    /// How long a receipt (and a submitted ORD act) stays pending, so clients must poll.
    pub pending: Duration,
    /// `--register-reject FIELD:MESSAGE`: submitted ORD acts end rejected with these errors.
    pub register_rejections: Vec<(String, String)>,
    /// `--register-reject-once`: those errors only for an act's first submission (the corrected
    /// act, sent again, is accepted).
    pub register_reject_once: bool,
    /// `--sole-proprietor`: the seller is an individual entrepreneur (ИП) whose taxpayer number
    /// is its IIN (`/me` kind `individual_entrepreneur`; the demo documents are addressed to it).
    pub sole_proprietor: bool,
    pub faults: Faults,
}

impl Settings {
    /// Loopback on an OS-chosen port, default token, no seed, no faults.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            token: DEFAULT_TOKEN.to_owned(),
            seed: None,
            load_attachment_bytes: 50 * 1024,
            pending: Duration::from_millis(200),
            register_rejections: Vec::new(),
            register_reject_once: false,
            sole_proprietor: false,
            faults: Faults::default(),
        }
    }
}
