//! Inputs the fuzzers (fuzz/) found crashing, each checked here by what it should give. The raw
//! crash files are also kept in fuzz/seeds (named regression-*), which tests/fuzz_corpus.rs replays.

use qoltanba_core::ncalayer::KeyTime;

/// ncalayer_reply: a getKeyInfo reply whose certNotBefore is 34 digits of milliseconds overflowed
/// the conversion to nanoseconds (a panic in debug builds, a wrong date in release ones).
#[test]
fn a_key_time_too_large_for_any_date_is_not_a_date() {
    assert_eq!(
        KeyTime::parse(" 9999999999999999999999999999999999   "),
        None
    );
    assert_eq!(
        KeyTime::parse("170141183460469231731687303715884105727"),
        None
    );
    // Ordinary milliseconds still read.
    assert!(matches!(
        KeyTime::parse("1700000000000"),
        Some(KeyTime::Instant(t)) if t.day().year() == 2023
    ));
}
