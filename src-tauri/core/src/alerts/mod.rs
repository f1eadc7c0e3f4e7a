//! Desktop notifications: what happened while the window was not in front — new documents after
//! a sync, documents waiting longer than the reminder setting, ERIR deadlines within 7 days (or
//! passed), errors (a register rejection among them). Each is shown once: what was shown, or
//! passed over because its kind is off, is recorded (`alerts_shown`), so turning a kind back on
//! never brings back old ones. The text is made here, in the window's language, because the OS
//! shows it while the window may be closed.

mod text;

use crate::acts::{ActId, DeadlineState};
use crate::error::Result;
use crate::model::{AlertKind, DocumentId, Lang};
use crate::store::{SettingKey, Settings, Store};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

/// Where a click on the notification leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "to", rename_all = "camelCase")]
pub enum AlertTarget {
    Inbox,
    Document { id: DocumentId },
    Act { id: ActId },
    Notifications,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub kind: AlertKind,
    pub title: String,
    pub body: String,
    pub target: AlertTarget,
}

/// Most notifications raised in one look: a flood would be worse than the bell.
const MOST: usize = 5;
/// Most candidates of one kind read per look (the rest wait for the next).
const CANDIDATES: usize = 500;

/// The kinds the user turned off (setting `desktop_alerts_off`, a comma list; empty: all on).
pub fn kinds_off(store: &Store) -> Result<Vec<AlertKind>> {
    Ok(store
        .setting(SettingKey::DesktopAlertsOff)?
        .unwrap_or_default()
        .split(',')
        .filter_map(|k| AlertKind::parse(k.trim()))
        .collect())
}

/// One candidate: its once-only key and, when its kind is on, what to show.
struct Due {
    key: String,
    alert: Alert,
}

/// The notifications due now that were not shown before, recorded as shown in one
/// transaction (a kind that is off is recorded and not returned).
pub fn take_due(store: &mut Store) -> Result<Vec<Alert>> {
    let lang = store
        .setting(SettingKey::Language)?
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default();
    let off = kinds_off(store)?;
    let mut due = Vec::new();
    let seen = new_documents(store, lang, &mut due)?;
    waiting(store, lang, &mut due)?;
    deadlines(store, lang, &mut due)?;
    errors(store, lang, &mut due)?;
    let fresh: Vec<Due> = due
        .into_iter()
        .filter(|d| !store.alert_shown(&d.key).unwrap_or(true))
        .collect();
    let keys: Vec<String> = fresh.iter().map(|d| d.key.clone()).collect();
    if !keys.is_empty() || seen.is_some() {
        store.record_alerts(&keys, seen)?;
    }
    let mut shown: Vec<Alert> = fresh
        .into_iter()
        .map(|d| d.alert)
        .filter(|a| !off.contains(&a.kind))
        .collect();
    shown.truncate(MOST);
    Ok(shown)
}

/// Documents from the operator not seen by a notification before: one notification for one,
/// a count for several. The first look only notes where the store stands (what was there
/// before notifications existed is not news). Returns the newest document looked at, to record.
fn new_documents(store: &Store, lang: Lang, due: &mut Vec<Due>) -> Result<Option<i64>> {
    let seen: Option<i64> = store
        .setting(SettingKey::AlertsSeenDocument)?
        .and_then(|v| v.parse().ok());
    let newest: i64 =
        store
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM documents", [], |r| {
                r.get(0)
            })?;
    let Some(seen) = seen else {
        return Ok(Some(newest));
    };
    if newest <= seen {
        return Ok(None);
    }
    let new: Vec<(i64, String)> = {
        let mut st = store.conn.prepare(
            "SELECT id, title FROM documents WHERE id > ?1 AND status = 'received'
             AND origin = 'operator' ORDER BY id LIMIT ?2",
        )?;
        let rows = st.query_map(params![seen, CANDIDATES as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let count: i64 = store.conn.query_row(
        "SELECT COUNT(*) FROM documents WHERE id > ?1 AND status = 'received' AND origin = 'operator'",
        [seen],
        |r| r.get(0),
    )?;
    match new.as_slice() {
        [] => {}
        [(id, title)] => due.push(Due {
            key: format!("new:{id}"),
            alert: Alert {
                kind: AlertKind::NewDocuments,
                title: text::new_one(lang).into(),
                body: title.clone(),
                target: AlertTarget::Document { id: *id },
            },
        }),
        _ => due.push(Due {
            key: format!("new:{seen}-{newest}"),
            alert: Alert {
                kind: AlertKind::NewDocuments,
                title: text::new_many(lang, count),
                body: text::new_many_body(lang).into(),
                target: AlertTarget::Inbox,
            },
        }),
    }
    Ok(Some(newest))
}

/// Documents waiting longer than the reminder setting, each once.
fn waiting(store: &Store, lang: Lang, due: &mut Vec<Due>) -> Result<()> {
    for w in store.waiting_too_long(None)?.into_iter().take(CANDIDATES) {
        let needs_signature = matches!(
            w.document.status,
            crate::model::Status::Accepted | crate::model::Status::Rejected
        );
        due.push(Due {
            key: format!("waiting:{}", w.document.id),
            alert: Alert {
                kind: AlertKind::Waiting,
                title: text::waiting(lang, w.days, needs_signature),
                body: w.document.fields.title.clone(),
                target: AlertTarget::Document { id: w.document.id },
            },
        });
    }
    Ok(())
}

/// ERIR deadlines within 7 days, and passed ones, each once per state.
fn deadlines(store: &Store, lang: Lang, due: &mut Vec<Due>) -> Result<()> {
    for d in store.deadlines()?.into_iter().take(CANDIDATES) {
        let overdue = match d.state {
            DeadlineState::DueSoon => false,
            DeadlineState::Overdue => true,
            _ => continue,
        };
        let r = &d.record;
        due.push(Due {
            key: format!("deadline:{}:{}:{overdue}", r.id, r.deadline),
            alert: Alert {
                kind: AlertKind::Deadlines,
                title: text::deadline_title(lang, overdue).into(),
                body: text::deadline_body(lang, &r.creative, r.deadline, overdue),
                target: match r.act_id {
                    Some(id) => AlertTarget::Act { id },
                    None => AlertTarget::Notifications,
                },
            },
        });
    }
    Ok(())
}

/// Unread errors under the bell (a register rejection, a decision the operator refused).
fn errors(store: &Store, lang: Lang, due: &mut Vec<Due>) -> Result<()> {
    for n in store
        .notifications(true)?
        .into_iter()
        .filter(|n| n.category == "error")
        .take(CANDIDATES)
    {
        due.push(Due {
            key: format!("error:{}", n.id),
            alert: Alert {
                kind: AlertKind::Errors,
                title: text::error_title(lang).into(),
                body: n.message.clone(),
                target: match n.document_id {
                    Some(id) => AlertTarget::Document { id },
                    None => AlertTarget::Notifications,
                },
            },
        });
    }
    Ok(())
}
