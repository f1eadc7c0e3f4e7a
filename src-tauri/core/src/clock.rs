//! Time enters the core through a clock, so history and deadlines are deterministic in tests.

use crate::model::{TimeDelta, Timestamp};
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock for tests: starts at a given instant and moves only when told. Nanoseconds since the
/// epoch in an i64: 1677–2262, wide enough for any test.
#[derive(Debug)]
pub struct FixedClock {
    unix_nanos: AtomicI64,
}

impl FixedClock {
    pub fn at(t: Timestamp) -> Self {
        FixedClock {
            unix_nanos: AtomicI64::new(t.unix_nanos().expect("a test clock within 1677–2262")),
        }
    }
    /// Moves the clock by `d` (back when negative).
    pub fn advance(&self, d: TimeDelta) {
        let nanos = d
            .num_nanoseconds()
            .expect("a test clock step under 292 years");
        self.unix_nanos.fetch_add(nanos, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_nanos(self.unix_nanos.load(Ordering::SeqCst))
    }
}
