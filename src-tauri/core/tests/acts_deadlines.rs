//! Statistics deadlines: 30 days after the end of the month of the first impression, across
//! month ends, leap years and the turn of the year; warned from 7 days before, overdue after.

mod support;

use qoltanba_core::acts::deadline::{deadline, month_end, state};
use qoltanba_core::acts::{DeadlineState, NewStatistics};
use std::sync::Arc;

use qoltanba_core::model::{Day, TimeDelta};

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[test]
fn the_deadline_is_thirty_days_after_the_month_of_the_first_impression() {
    for (first_shown, due) in [
        ("2026-10-01", "2026-11-30"), // 31-day month
        ("2026-10-31", "2026-11-30"), // the last day counts from the same month end
        ("2026-11-15", "2026-12-30"), // 30-day month
        ("2026-01-15", "2026-03-02"), // January + 30 runs over a 28-day February
        ("2024-01-15", "2024-03-01"), // … and over a leap February
        ("2024-02-29", "2024-03-30"), // leap day itself
        ("2025-02-10", "2025-03-30"), // February of a common year ends on the 28th
        ("2100-02-10", "2100-03-30"), // 2100 is not a leap year
        ("2000-02-10", "2000-03-30"), // 2000 is
        ("2025-12-05", "2026-01-30"), // December → January of the next year
        ("2026-12-31", "2027-01-30"),
    ] {
        assert_eq!(
            deadline(d(first_shown)),
            Some(d(due)),
            "first shown {first_shown}"
        );
    }
    assert_eq!(month_end(d("2024-02-03")), d("2024-02-29"));
    assert_eq!(month_end(d("2023-02-03")), d("2023-02-28"));
}

#[test]
fn the_warning_starts_seven_days_before_and_overdue_the_day_after() {
    let due = d("2026-11-30");
    assert_eq!(state(due, d("2026-11-22"), false), DeadlineState::Open);
    assert_eq!(state(due, d("2026-11-23"), false), DeadlineState::DueSoon);
    assert_eq!(state(due, d("2026-11-30"), false), DeadlineState::DueSoon);
    assert_eq!(state(due, d("2026-12-01"), false), DeadlineState::Overdue);
    assert_eq!(state(due, d("2026-12-01"), true), DeadlineState::Registered);
}

#[test]
fn the_store_lists_each_records_deadline_by_its_clock() {
    let dir = tempfile::tempdir().unwrap();
    let clock = support::fixed_clock(); // 2026-11-01
    let mut store =
        qoltanba_core::Store::open(dir.path(), support::options(Arc::clone(&clock))).unwrap();
    let add = |store: &mut qoltanba_core::Store, shown: &str| {
        store
            .add_statistics(&NewStatistics {
                creative: format!("erid-{shown}"),
                platform: "ozon.ru".into(),
                impressions: 100,
                amount: "10.00".into(),
                first_shown: shown.into(),
            })
            .unwrap()
    };
    add(&mut store, "2026-08-20"); // due 2026-09-30: overdue
    add(&mut store, "2026-09-02"); // due 2026-10-30: overdue
    add(&mut store, "2026-10-03"); // due 2026-11-30: open on 11-01
    let lines = store.deadlines().unwrap();
    let view: Vec<_> = lines
        .iter()
        .map(|l| (l.record.deadline.to_string(), l.state, l.days_left))
        .collect();
    assert_eq!(
        view,
        [
            ("2026-09-30".to_string(), DeadlineState::Overdue, -32),
            ("2026-10-30".to_string(), DeadlineState::Overdue, -2),
            ("2026-11-30".to_string(), DeadlineState::Open, 29),
        ]
    );
    clock.advance(TimeDelta::days(23)); // 2026-11-24
    assert_eq!(store.deadlines().unwrap()[2].state, DeadlineState::DueSoon);

    let bad = store
        .add_statistics(&NewStatistics {
            creative: "erid".into(),
            platform: "ozon.ru".into(),
            impressions: 1,
            amount: "1.00".into(),
            first_shown: "2026-02-30".into(),
        })
        .unwrap_err();
    assert!(bad.message.starts_with("firstShown:"), "{}", bad.message);
    assert_eq!(store.statistics().unwrap().len(), 3, "nothing added");
}

#[test]
fn a_first_impression_whose_deadline_would_pass_year_9999_is_refused_not_a_crash() {
    // Was a panic: the deadline's date arithmetic overflowed.
    assert_eq!(deadline(d("9999-12-15")), None);
    assert_eq!(deadline(d("9999-11-15")), Some(d("9999-12-30")));
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let before = store.verify_history().unwrap().entries;
    let e = store
        .add_statistics(&NewStatistics {
            creative: "erid-1".into(),
            platform: "ozon.ru".into(),
            impressions: 1,
            amount: "1.00".into(),
            first_shown: "9999-12-15".into(),
        })
        .unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::InvalidInput);
    assert!(
        e.message.contains("«9999-12-15» — не дата"),
        "{}",
        e.message
    );
    assert!(store.statistics().unwrap().is_empty());
    assert_eq!(store.verify_history().unwrap().entries, before);
}
