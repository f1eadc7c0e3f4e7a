//! Time enters the core through a clock, so history and deadlines are deterministic in tests.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock for tests: starts at a given instant and moves only when told.
#[derive(Debug)]
pub struct FixedClock {
    unix_nanos: AtomicI64,
}

impl FixedClock {
    pub fn at(t: OffsetDateTime) -> Self {
        FixedClock {
            unix_nanos: AtomicI64::new((t.unix_timestamp_nanos()) as i64),
        }
    }
    pub fn advance(&self, d: time::Duration) {
        self.unix_nanos
            .fetch_add(d.whole_nanoseconds() as i64, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.unix_nanos.load(Ordering::SeqCst) as i128)
            .expect("clock within range")
    }
}
