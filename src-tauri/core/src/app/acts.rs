//! Advertising acts for the register (ERIR): the list with each act's most urgent deadline, one
//! act with its violations and the statistics to link, submission through the ORD (waiting a
//! few seconds for the register's answer) and deletion requests (an e-mail to the ORD's support,
//! prepared here; no network). The ORD is asked with the store free; each answer is recorded in
//! one short step.

use super::documents::DocumentRef;
use super::App;
use crate::acts::register::{await_register, refresh_act, submit_act};
use crate::acts::{
    Act, ActDraft, ActId, Contract, DeadlineLine, DeadlineState, DeletionLetter, DeletionRequest,
    Violation,
};
use crate::error::Result;
use crate::store::Store;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// How long `submit_act` waits for the register to leave `processing` before answering; the
/// page asks again with `refresh_act` after that.
pub const REGISTER_WAIT: Duration = Duration::from_secs(5);

/// The most urgent deadline of the statistics linked to an act.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActDeadline {
    pub state: DeadlineState,
    pub deadline: String,
    pub days_left: i64,
}

/// One row of the acts list: the ORD page's columns (number, date, contract, amount, number of
/// creatives, register status, deadline).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActRow {
    #[serde(flatten)]
    pub act: Act,
    /// The contract as people know it: its number (the act may name it by ORD id).
    pub contract_number: String,
    /// How many different creatives (erid) the act's linked statistics cover.
    pub creatives: usize,
    pub deadline: Option<ActDeadline>,
}

/// Everything the act editor shows, in one call.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActDetail {
    pub act: Act,
    /// Every rule the saved act breaks now (each with ru/kk/en messages).
    pub violations: Vec<Violation>,
    /// All statistics records with their deadlines: linked to this act or free to link.
    pub statistics: Vec<DeadlineLine>,
    /// The closing document the act was made from.
    pub document: Option<DocumentRef>,
}

fn urgency(s: DeadlineState) -> u8 {
    match s {
        DeadlineState::Overdue => 3,
        DeadlineState::DueSoon => 2,
        DeadlineState::Open => 1,
        DeadlineState::Registered => 0,
    }
}

fn act_deadline(lines: &[DeadlineLine], id: ActId) -> Option<ActDeadline> {
    lines
        .iter()
        .filter(|l| l.record.act_id == Some(id))
        .max_by_key(|l| (urgency(l.state), -l.days_left))
        .map(|l| ActDeadline {
            state: l.state,
            deadline: l.record.deadline.to_string(),
            days_left: l.days_left,
        })
}

pub fn detail(store: &Store, id: ActId) -> Result<ActDetail> {
    let act = store.act(id)?;
    let document = match act.document_id {
        Some(d) => store.document(d).ok().map(|d| DocumentRef::from(&d)),
        None => None,
    };
    Ok(ActDetail {
        violations: store.check_act(&act.draft)?,
        statistics: store.deadlines()?,
        document,
        act,
    })
}

fn creatives(lines: &[DeadlineLine], id: ActId) -> usize {
    let mut markers: Vec<&str> = lines
        .iter()
        .filter(|l| l.record.act_id == Some(id))
        .map(|l| l.record.creative.as_str())
        .collect();
    markers.sort_unstable();
    markers.dedup();
    markers.len()
}

/// Acts, newest date first, each with its contract's number, creatives and most urgent
/// statistics deadline.
pub fn list(store: &Store) -> Result<Vec<ActRow>> {
    let lines = store.deadlines()?;
    let book = store.contracts()?;
    Ok(store
        .acts()?
        .into_iter()
        .map(|act| ActRow {
            contract_number: book
                .resolve(&act.draft.contract)
                .map(|c| c.number.clone())
                .unwrap_or_else(|| act.draft.contract.clone()),
            creatives: creatives(&lines, act.id),
            deadline: act_deadline(&lines, act.id),
            act,
        })
        .collect())
}

/// Saves the draft: a new act when `id` is None; then the editor's data.
pub fn save(store: &mut Store, id: Option<ActId>, draft: &ActDraft) -> Result<ActDetail> {
    let id = match id {
        Some(id) => store.update_act(id, draft)?.id,
        None => store.create_act(draft, None)?.id,
    };
    detail(store, id)
}

/// Known contracts matching the query (number, ORD id, counterparty); when empty, all of them
/// as the act's contract is picked: each contract with its supplementary agreements under it.
pub fn contracts(store: &Store, query: &str) -> Result<Vec<Contract>> {
    let book = store.contracts()?;
    if query.trim().is_empty() {
        return Ok(book.choices().into_iter().cloned().collect());
    }
    Ok(book.search(query).into_iter().cloned().collect())
}

/// A recorded deletion request and the e-mail to send.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionOutcome {
    pub detail: ActDetail,
    pub request: DeletionRequest,
    /// The prepared e-mail to the ORD's support (address, subject, body, mailto link).
    pub letter: DeletionLetter,
}

/// Records the request to delete the act, with the reason and today's date in its history, and
/// prepares the e-mail the ORD's support needs; nothing is sent over the network.
pub fn request_deletion(store: &mut Store, id: ActId, reason: &str) -> Result<DeletionOutcome> {
    let request = store.request_act_deletion(id, reason)?;
    Ok(DeletionOutcome {
        letter: store.deletion_letter(id)?,
        detail: detail(store, id)?,
        request,
    })
}

impl App {
    /// The ORD account's client; `ord_account_missing` when none was added.
    pub(crate) fn ord(&self) -> Result<crate::acts::HttpOrd> {
        let account = self
            .read(crate::acts::ord_account)?
            .ok_or_else(crate::acts::ord_account_missing)?;
        self.clients.ord(&account)
    }

    /// Checks, puts and submits the act to the ORD, then waits a few seconds for the register's
    /// answer (accepted, or rejected with errors per field, which also land in notifications).
    /// An act that breaks a rule is refused before anything is sent.
    /// `wait`: how long to wait for the register (the window: `REGISTER_WAIT`).
    pub async fn submit_act(&self, id: ActId, wait: Duration) -> Result<ActDetail> {
        let ord = self.ord()?;
        let mut store = self.store();
        let act = submit_act(&mut store, id, &ord).await?;
        if act.register_status == "processing" {
            await_register(&mut store, id, &ord, wait).await?;
        }
        self.read(|s| detail(s, id))
    }

    /// Asks the register again for the act's status (after `submit_act` answered `processing`).
    pub async fn refresh_act(&self, id: ActId) -> Result<ActDetail> {
        let ord = self.ord()?;
        refresh_act(&mut self.store(), id, &ord).await?;
        self.read(|s| detail(s, id))
    }
}
