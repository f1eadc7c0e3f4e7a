//! The kinds of desktop notifications (alerts/mod.rs), here because the settings check them.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a notification is about; each kind can be turned off in Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    NewDocuments,
    Waiting,
    Deadlines,
    Errors,
}

impl AlertKind {
    pub const ALL: [AlertKind; 4] = [
        AlertKind::NewDocuments,
        AlertKind::Waiting,
        AlertKind::Deadlines,
        AlertKind::Errors,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertKind::NewDocuments => "new_documents",
            AlertKind::Waiting => "waiting",
            AlertKind::Deadlines => "deadlines",
            AlertKind::Errors => "errors",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Checks a value for `desktop_alerts_off`: kinds separated by commas, or nothing.
pub fn check_kinds_off(value: &str) -> Result<()> {
    for k in value.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        if AlertKind::parse(k).is_none() {
            let known: Vec<_> = AlertKind::ALL.iter().map(|k| k.code()).collect();
            let shown: String = k.chars().take(40).collect();
            return Err(Error::invalid(format!(
                "Неизвестный вид уведомлений «{shown}»: {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}
