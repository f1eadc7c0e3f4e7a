//! Sending the outbox: each queued decision goes with the idempotency key fixed when it was made
//! (so a resend after a crash or a lost reply is the same request, and the operator keeps one
//! signature), then its receipt is polled until the operator verified or refused it. Network
//! trouble, 5xx, 429 and 503 are retried with backoff; other refusals return the document to
//! the user with the operator's reason.

use super::backoff::Retry;
use super::wire::{ReceiptStatus, RejectionBody, SignatureBody};
use super::{Failure, Operator};
use crate::error::{ErrorCode, Result};
use crate::model::{Action, Document, DocumentId, Origin, Status};
use crate::store::{outbox_state, Access, OutboxItem, Store};
use serde::Serialize;
use std::time::{Duration, Instant};
use ts_rs::TS;

#[derive(Debug, Clone)]
pub struct SendPolicy {
    pub retry: Retry,
    /// Send items whose next attempt is not due yet (an explicit "send now").
    pub ignore_schedule: bool,
    pub poll_interval: Duration,
    /// How long to wait for receipts in this run; the rest are polled next time.
    pub poll_for: Duration,
}

impl Default for SendPolicy {
    fn default() -> Self {
        SendPolicy {
            retry: Retry::default(),
            ignore_schedule: true,
            poll_interval: Duration::from_millis(300),
            poll_for: Duration::from_secs(30),
        }
    }
}

/// One document's outcome in this run.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxLine {
    pub document_id: DocumentId,
    pub title: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxReport {
    /// Accepted by the operator for verification in this run.
    pub sent: Vec<OutboxLine>,
    pub delivered: Vec<OutboxLine>,
    /// Refused for good: the document is back with the user.
    pub failed: Vec<OutboxLine>,
    /// Still waiting (offline, server busy, receipt pending), with why.
    pub waiting: Vec<OutboxLine>,
}

fn line(doc: &Document, message: impl Into<String>) -> OutboxLine {
    OutboxLine {
        document_id: doc.id,
        title: doc.fields.title.clone(),
        message: message.into(),
    }
}

/// Which documents one run sends for (an account's, or one shared link's).
pub type Belongs<'a> = dyn Fn(&Document) -> bool + Sync + 'a;

/// Sends what is queued for documents that `belongs` accepts (an account's documents, or one
/// shared link's) and polls receipts. Fails as a whole only when the token is refused (the
/// items stay queued) or the store fails.
pub async fn send_outbox<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    belongs: &Belongs<'_>,
    policy: &SendPolicy,
) -> Result<OutboxReport> {
    let mut report = OutboxReport::default();
    let (now, items) = store.with(|s| {
        requeue_retried(s)?;
        Ok((s.clock.now(), s.outbox()?))
    })?;
    for item in items {
        if item.state != outbox_state::PENDING {
            continue;
        }
        let doc = store.with(|s| s.document(item.document_id))?;
        if !belongs(&doc) || doc.status != Status::Queued {
            continue;
        }
        let Some(operator_id) = doc.operator_id.clone() else {
            report.waiting.push(line(
                &doc,
                "документ импортирован из файла, а не получен от оператора: отправить его некуда",
            ));
            continue;
        };
        // A schedule made at a time still in the future was made before the clock moved back:
        // it says nothing about how long to wait now, so the item is due.
        let clock_went_back = item.updated_at > now;
        let waits = item
            .next_attempt_at
            .filter(|d| !policy.ignore_schedule && !clock_went_back && *d > now);
        if let Some(due) = waits {
            report
                .waiting
                .push(line(&doc, format!("повторная отправка после {due}")));
            continue;
        }
        match send_one(op, &operator_id, &item, &policy.retry).await {
            Ok(receipt) => {
                store.with(|s| s.outbox_sent(item.id, &receipt))?;
                report
                    .sent
                    .push(line(&doc, "принято оператором на проверку"));
            }
            Err(f) if f.code() == ErrorCode::Unauthorized => return Err(f.error),
            Err(f) if f.retryable() => {
                let wait = policy
                    .retry
                    .backoff
                    .delay(item.attempts as u32, f.retry_after);
                let next = store.with(|s| {
                    let next = s.clock.now().after(wait);
                    s.outbox_deferred(item.id, &f.error.message, next)?;
                    Ok(next)
                })?;
                report.waiting.push(line(
                    &doc,
                    format!("{} (повтор после {next})", f.error.message),
                ));
            }
            Err(f) => {
                let l = refused(store, op, &doc, &operator_id, item.id, &f).await?;
                report.failed.push(l);
            }
        }
    }
    poll_receipts(store, op, belongs, policy, &mut report).await?;
    Ok(report)
}

/// A refused item whose document the user sent again ("Retry": back to queued) goes out again.
fn requeue_retried(store: &mut Store) -> Result<()> {
    let items = store.outbox_all()?;
    for item in &items {
        let newest = items
            .iter()
            .filter(|i| i.document_id == item.document_id)
            .map(|i| i.id)
            .max();
        if item.state == outbox_state::FAILED
            && newest == Some(item.id)
            && store.document(item.document_id)?.status == Status::Queued
        {
            store.outbox_requeue(item.id)?;
        }
    }
    Ok(())
}

async fn send_one<O: Operator>(
    op: &O,
    operator_id: &str,
    item: &OutboxItem,
    retry: &Retry,
) -> Result<String, Failure> {
    let bad = || {
        Failure::new(
            ErrorCode::Storage,
            "Запись очереди повреждена: нет подписи для отправки",
        )
    };
    let accepted = if item.kind == "rejection" {
        if item.payload.get("notice").is_none() {
            // Queued before rejections signed a refusal notice: the operator accepts version 2
            // only, so resending it cannot succeed; the document goes back to be signed again.
            return Err(Failure::new(
                ErrorCode::InvalidInput,
                "отказ подписан в прежнем формате, без уведомления об отказе, и оператор его не примет: подпишите отказ заново",
            ));
        }
        let body: RejectionBody =
            serde_json::from_value(item.payload.clone()).map_err(|_| bad())?;
        retry
            .run(|| op.send_rejection(operator_id, &item.idempotency_key, &body))
            .await?
    } else {
        let body: SignatureBody =
            serde_json::from_value(item.payload.clone()).map_err(|_| bad())?;
        retry
            .run(|| op.send_signature(operator_id, &item.idempotency_key, &body))
            .await?
    };
    Ok(accepted.receipt_id)
}

/// A refusal that retrying cannot fix. After a 409 the document is re-read, so the user is told
/// what actually happened to it (revoked, decided elsewhere).
async fn refused<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    doc: &Document,
    operator_id: &str,
    item: i64,
    f: &Failure,
) -> Result<OutboxLine> {
    let mut remote_status = None;
    let reason = if f.is_stale() {
        match op.document(operator_id).await {
            Ok(r) => {
                remote_status = Some(r.status.clone());
                match r.status.as_str() {
                    "revoked" => "оператор сообщает, что отправитель отозвал документ".to_string(),
                    "signed" => {
                        "документ уже подписан у оператора (возможно, на его сайте)".to_string()
                    }
                    "rejected" => {
                        "документ уже отклонён у оператора (возможно, на его сайте)".to_string()
                    }
                    s => format!(
                        "оператор сообщает, что документ в состоянии «{s}» и не ждёт подписи"
                    ),
                }
            }
            Err(_) => format!(
                "оператор ответил, что документ больше не ждёт подписи ({})",
                f.detail.clone().unwrap_or_default()
            ),
        }
    } else {
        f.detail.clone().unwrap_or_else(|| f.error.message.clone())
    };
    let notice = format!(
        "Решение по документу «{}» не принято оператором: {reason}. Документ возвращён вам: откройте его, чтобы решить заново",
        doc.fields.title
    );
    store.with(|s| {
        s.outbox_failed(item, &reason, &notice)?;
        if remote_status.as_deref() == Some("revoked") {
            s.apply(doc.id, Action::Revoke, Some("Отправитель отозвал документ"))?;
        }
        Ok(())
    })?;
    Ok(line(doc, reason))
}

async fn poll_receipts<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    belongs: &Belongs<'_>,
    policy: &SendPolicy,
    report: &mut OutboxReport,
) -> Result<()> {
    let started = Instant::now();
    loop {
        let mut pending = Vec::new();
        for item in store.with(|s| s.outbox())? {
            if item.state != outbox_state::SENT {
                continue;
            }
            let doc = store.with(|s| s.document(item.document_id))?;
            if !belongs(&doc) {
                continue;
            }
            let Some(receipt_id) = item.receipt_id.clone() else {
                continue;
            };
            let receipt = match policy.retry.run(|| op.receipt(&receipt_id)).await {
                Ok(r) => r,
                Err(f) if f.code() == ErrorCode::Unauthorized => return Err(f.error),
                Err(f) => {
                    pending.push(line(
                        &doc,
                        format!("квитанция пока недоступна: {}", f.error.message),
                    ));
                    continue;
                }
            };
            match receipt.status {
                ReceiptStatus::Pending => pending.push(line(&doc, "ожидает проверки оператором")),
                ReceiptStatus::Verified => {
                    store.with(|s| s.outbox_delivered(item.id))?;
                    // A link's token served this one decision: once the operator has it, the
                    // token leaves the keychain.
                    if doc.origin == Origin::SharedLink {
                        if let Some(opid) = &doc.operator_id {
                            let tokens = store.with(|s| super::Tokens::of(s))?;
                            let _ = tokens.delete(&format!("shared:{opid}"));
                        }
                    }
                    report
                        .delivered
                        .push(line(&doc, "оператор проверил подпись"));
                }
                ReceiptStatus::Failed => {
                    let p = receipt.problem.unwrap_or_default();
                    let reason = match (p.detail, p.code) {
                        (Some(d), Some(c)) => format!("{d} ({c})"),
                        (Some(d), None) => d,
                        (None, Some(c)) => c,
                        (None, None) => "оператор не назвал причину".into(),
                    };
                    let notice = format!(
                        "Оператор не принял подпись документа «{}»: {reason}. Документ возвращён вам: решите и подпишите заново",
                        doc.fields.title
                    );
                    store.with(|s| s.outbox_failed(item.id, &reason, &notice))?;
                    report.failed.push(line(&doc, reason));
                }
            }
        }
        if pending.is_empty() || started.elapsed() >= policy.poll_for {
            report.waiting.extend(pending);
            return Ok(());
        }
        tokio::time::sleep(policy.poll_interval).await;
    }
}
