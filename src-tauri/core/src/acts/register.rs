//! Sending acts to the ORD: put the act, submit it, read the register's answer. (Deletion is an
//! e-mail to the ORD's support, deletion.rs: no call here.) Written against the [`Ord`] trait, so a test can give a fault the reference server
//! cannot cause; [`HttpOrd`](super::HttpOrd) is the one adapter the app uses.

use super::act::ActDraft;
use super::ord::Ord;
use super::saved::{refusal, Act, ActId};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Access;
use crate::store::{sha256_hex, Store};
use std::time::Duration;

/// The body the ORD receives: the act with each allocation's statistics as the store links them
/// now — a record cleared here is left out, so the register drops it too. Ids the store does not
/// know (an act typed as JSON) are passed on as given. A contract named by its number goes as
/// its ORD id when the catalogue knows it: the register compares ids, and a person types numbers.
pub fn wire_body(store: &Store, act: &Act) -> Result<serde_json::Value> {
    let mut draft: ActDraft = act.draft.clone();
    let book = store.contracts()?;
    let ord_id = |key: &str| match book.resolve(key) {
        Some(c) if !c.ord_id.trim().is_empty() => c.ord_id.clone(),
        _ => key.to_string(),
    };
    draft.contract = ord_id(&draft.contract);
    for line in draft.allocations.iter_mut() {
        line.initial_contract = ord_id(&line.initial_contract);
    }
    for (i, line) in draft.allocations.iter_mut().enumerate() {
        let mut ids: Vec<String> = Vec::new();
        for id in &line.statistics {
            if store.statistics_record(id).is_err() && !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        for s in store.allocation_statistics(act.id, i)? {
            if !ids.contains(&s.id) {
                ids.push(s.id);
            }
        }
        line.statistics = ids;
    }
    Ok(serde_json::to_value(&draft).expect("an act serialises"))
}

/// Checks the act, puts it to the ORD and submits it; records what the register says. An act
/// that breaks a rule is not sent: the error lists every field. An accepted act goes again only
/// with a change (its fields or statistics): the register takes it as its next version.
pub async fn submit_act<A: Access>(store: &mut A, id: ActId, ord: &impl Ord) -> Result<Act> {
    let act = store.with(|s| s.act(id))?;
    if act.register_status == "processing" || act.registered_as_is() {
        let state = if act.register_status == "processing" {
            "проверяется реестром"
        } else {
            "принят реестром без изменений"
        };
        return Err(Error::new(
            ErrorCode::InvalidTransition,
            format!("Акт №{id} {state}: отправлять его снова не нужно"),
        ));
    }
    let violations = store.with(|s| s.check_act(&act.draft))?;
    if !violations.is_empty() {
        let e = refusal(&violations);
        return Err(Error::invalid(e.message.replacen(
            "Акт не сохранён",
            "Акт не отправлен",
            1,
        )));
    }
    let body = store.with(|s| wire_body(s, &act))?;
    let text = body.to_string();
    // Keys from the content and the submission's number: a retry of the same act after a crash
    // is the same request, and an accepted act changed back to an earlier text is a new one.
    let n = act.submissions + 1;
    let put_key = sha256_hex(format!("put\n{}\n{n}\n{text}", act.external_id).as_bytes());
    let put = ord.put_act(&act.external_id, &put_key, &body).await?;
    store.with(|s| {
        s.record_register_answer(id, &put.register_status, &put.register_errors, put.version)
    })?;
    let submit_key = sha256_hex(format!("submit\n{}\n{n}\n{text}", act.external_id).as_bytes());
    let submitted = ord.submit(&act.external_id, &submit_key).await?;
    store.with(|s| {
        s.record_submission(id)?;
        s.record_register_answer(
            id,
            &submitted.register_status,
            &submitted.register_errors,
            submitted.version,
        )
    })
}

/// Reads the register's current answer for the act and records it.
pub async fn refresh_act<A: Access>(store: &mut A, id: ActId, ord: &impl Ord) -> Result<Act> {
    let act = store.with(|s| s.act(id))?;
    let a = ord.status(&act.external_id).await?;
    store.with(|s| s.record_register_answer(id, &a.register_status, &a.register_errors, a.version))
}

/// Polls until the register has decided (not `processing`) or `timeout` passes.
pub async fn await_register<A: Access>(
    store: &mut A,
    id: ActId,
    ord: &impl Ord,
    timeout: Duration,
) -> Result<Act> {
    let until = tokio::time::Instant::now() + timeout;
    loop {
        let act = refresh_act(store, id, ord).await?;
        if act.register_status != "processing" || tokio::time::Instant::now() >= until {
            return Ok(act);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
