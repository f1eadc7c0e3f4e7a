//! When statistics must reach the register: within 30 days following the month in which the
//! creative was first shown, i.e. by the month's last day plus 30 days. A record is "due soon"
//! from 7 days before its deadline and "overdue" the day after it.

use crate::model::Day;
use serde::Serialize;
use ts_rs::TS;

/// Days after the end of the month of the first impression.
pub const DAYS_AFTER_MONTH: i64 = 30;
/// How early the warning starts.
pub const WARN_DAYS: i64 = 7;

/// The last day of `d`'s month (leap years included).
pub fn month_end(d: Day) -> Day {
    d.month_end()
}

/// The last day on which statistics of a creative first shown on `first_shown` may be registered;
/// `None` when that day would be past 9999-12-31 (a typo, not a date to store).
pub fn deadline(first_shown: Day) -> Option<Day> {
    month_end(first_shown).plus_days(DAYS_AFTER_MONTH)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// More than a week left.
    Open,
    /// 7 days or fewer left (the deadline day included).
    DueSoon,
    Overdue,
    /// In an act the register accepted.
    Registered,
}

impl DeadlineState {
    pub fn name_ru(self) -> &'static str {
        match self {
            DeadlineState::Open => "в срок",
            DeadlineState::DueSoon => "срок скоро истекает",
            DeadlineState::Overdue => "просрочено",
            DeadlineState::Registered => "зарегистрировано",
        }
    }
}

/// The state of a deadline on `today`.
pub fn state(deadline: Day, today: Day, registered: bool) -> DeadlineState {
    if registered {
        DeadlineState::Registered
    } else if today > deadline {
        DeadlineState::Overdue
    } else if deadline.days_since(today) <= WARN_DAYS {
        DeadlineState::DueSoon
    } else {
        DeadlineState::Open
    }
}
