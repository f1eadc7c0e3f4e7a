//! The operator's use-cases: sync (then the outbox is sent), sending the outbox with each item
//! routed to where its document came from (the account, or the shared link that brought it),
//! the outbox as the user sees it, and opening a document from an e-mailed link.

use super::{App, Host, SYNC};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Document, DocumentId, Origin};
use crate::operator::{
    self as op, Account, HttpSettings, OutboxReport, SendPolicy, SyncOptions, SyncProgress,
    SyncReport,
};
use crate::store::{outbox_state, Store};
use serde::Serialize;
use ts_rs::TS;

/// The current account, or None when none was added.
pub fn account(store: &Store) -> Result<Option<Account>> {
    match op::current_account(store) {
        Ok(a) => Ok(Some(a)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A link's access the operator refuses or the keychain lost: the user needs the e-mail's link
/// again (reopening it with its code brings a fresh access), not an account.
fn link_expired(e: Error) -> Error {
    if e.code != ErrorCode::Unauthorized {
        return e;
    }
    Error::new(
        ErrorCode::LinkExpired,
        "Доступ по ссылке из письма больше не действует: откройте ссылку из письма снова и введите код. Подписанное решение сохранено в очереди и уйдёт после этого",
    )
}

fn offline(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::OperatorUnreachable | ErrorCode::Timeout)
}

impl App {
    /// Brings the documents up to date with the operator (progress after each document), then
    /// sends the outbox and collects receipts. A sync already running is refused; a failure to
    /// send leaves the items queued for the next run.
    pub async fn sync(&self, opts: &SyncOptions, host: &dyn Host) -> Result<SyncReport> {
        let Some(_operation) = self.operations.start(SYNC) else {
            return Err(Error::invalid("Синхронизация уже идёт"));
        };
        let mut report = self.sync_documents(opts, host).await?;
        report.sent = match self.send_outbox(&SendPolicy::default()).await {
            Ok(o) => {
                let mut ids: Vec<DocumentId> = o
                    .sent
                    .iter()
                    .chain(&o.delivered)
                    .map(|l| l.document_id)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids.len()
            }
            Err(e) => {
                eprintln!("qoltanba: outbox not sent after sync: {}", e.message);
                0
            }
        };
        Ok(report)
    }

    /// The sync alone, without sending the outbox (the CLI's `sync`; `outbox --send` sends).
    pub async fn sync_documents(&self, opts: &SyncOptions, host: &dyn Host) -> Result<SyncReport> {
        let account = self.read(op::current_account)?;
        let client = self.clients.operator(&account)?;
        let mut progress = |p: &SyncProgress| host.sync_progress(p);
        let mut store = self.store();
        let r = op::sync(&mut store, &*client, &account.name, opts, &mut progress).await;
        match &r {
            Ok(_) => self.note_online(true, host),
            Err(e) if offline(e.code) => self.note_online(false, host),
            Err(_) => {}
        }
        r
    }

    fn note_online(&self, online: bool, host: &dyn Host) {
        if self.operations.set_online(online) {
            host.connectivity(online);
        }
    }

    /// Sends what waits in the outbox: account documents with the account's token, each
    /// shared-link document with its own (a link-only user needs no account at all). Each group
    /// goes on its own: a missing account or an expired link keeps that group's documents waiting
    /// with the reason while the others go; only when every group fails is the first failure
    /// the answer.
    pub async fn send_outbox(&self, policy: &SendPolicy) -> Result<OutboxReport> {
        let docs: Vec<Document> = self.read(|s| {
            let mut docs = Vec::new();
            for i in s.outbox()? {
                if i.state == outbox_state::PENDING || i.state == outbox_state::SENT {
                    docs.push(s.document(i.document_id)?);
                }
            }
            Ok(docs)
        })?;
        let mut report = OutboxReport::default();
        let mut failures: Vec<(Error, Vec<&Document>)> = Vec::new();
        let mut groups = 0;
        let mut store = self.store();
        let (account_docs, link_docs): (Vec<&Document>, Vec<&Document>) =
            docs.iter().partition(|d| d.origin != Origin::SharedLink);
        if !account_docs.is_empty() {
            groups += 1;
            let sent = async {
                let account = self.read(op::current_account)?;
                let client = self.clients.operator(&account)?;
                let is_account = |d: &Document| d.origin != Origin::SharedLink;
                op::send_outbox(&mut store, &*client, &is_account, policy).await
            }
            .await;
            match sent {
                Ok(r) => report = r,
                Err(e) => failures.push((e, account_docs)),
            }
        }
        for d in link_docs {
            let Some(opid) = d.operator_id.clone() else {
                continue;
            };
            groups += 1;
            let id = d.id;
            let sent = async {
                let client = self
                    .read(|s| op::shared_operator(s, &opid, HttpSettings::default()))
                    .map_err(link_expired)?;
                let this = move |x: &Document| x.id == id;
                op::send_outbox(&mut store, &client, &this, policy)
                    .await
                    .map_err(link_expired)
            }
            .await;
            match sent {
                Ok(r) => {
                    report.sent.extend(r.sent);
                    report.delivered.extend(r.delivered);
                    report.failed.extend(r.failed);
                    report.waiting.extend(r.waiting);
                }
                Err(e) => failures.push((e, vec![d])),
            }
        }
        if groups > 0 && failures.len() == groups {
            return Err(failures.swap_remove(0).0);
        }
        for (e, docs) in failures {
            report
                .waiting
                .extend(docs.into_iter().map(|d| op::OutboxLine {
                    document_id: d.id,
                    title: d.fields.title.clone(),
                    message: e.message.clone(),
                }));
        }
        Ok(report)
    }

    /// The operator's base URL and the token of an e-mailed link (a link that is only a token
    /// uses `url`, else the account's operator address); checked before a code is asked for.
    pub fn link_target(&self, link: &str, url: Option<&str>) -> Result<(String, String)> {
        let fallback = match url {
            Some(u) => Some(u.to_string()),
            None => self.read(|s| Ok(s.operator_account()?.map(|(_, u)| u)))?,
        };
        op::split_link(link, fallback.as_deref())
    }

    /// Opens an e-mailed link with its authorisation code and stores the document. The document
    /// then goes through the usual review: nothing is accepted or signed here.
    pub async fn open_shared_link(
        &self,
        link: &str,
        code: &str,
        url: Option<&str>,
    ) -> Result<(DocumentId, bool)> {
        let (base, link) = self.link_target(link, url)?;
        let mut store = self.store();
        op::open_shared_link(&mut store, &base, &link, code, HttpSettings::default()).await
    }
}

/// Where sync stands, without waiting for a sync that runs.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub online: bool,
    pub syncing: bool,
    pub last_synced_at: Option<String>,
    pub account: Option<Account>,
}

pub fn status(app: &App) -> Result<SyncStatus> {
    let account = app.read(account)?;
    Ok(SyncStatus {
        online: app.operations.online(),
        syncing: app.operations.running(SYNC),
        last_synced_at: account.as_ref().and_then(|a| a.synced_at.clone()),
        account,
    })
}

/// One decision waiting in the outbox.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "OutboxItem")]
pub struct OutboxEntry {
    pub id: i64,
    pub document_id: DocumentId,
    pub document_title: String,
    pub document_number: Option<String>,
    #[ts(type = "'signature' | 'rejection'")]
    pub kind: String,
    /// pending (waits), sending (sent, the operator's receipt not in yet), failed.
    #[ts(type = "'pending' | 'sending' | 'failed'")]
    pub state: &'static str,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
}

/// What waits to be sent or was refused (delivered items are not listed).
pub fn outbox(store: &Store) -> Result<Vec<OutboxEntry>> {
    let mut out = Vec::new();
    for i in store.outbox_all()? {
        let state = match i.state.as_str() {
            outbox_state::PENDING => "pending",
            outbox_state::SENT => "sending",
            outbox_state::FAILED => "failed",
            _ => continue,
        };
        let d = store.document(i.document_id)?;
        out.push(OutboxEntry {
            id: i.id,
            document_id: i.document_id,
            document_title: d.fields.title,
            document_number: d.fields.number,
            kind: i.kind,
            state,
            attempts: i.attempts,
            next_attempt_at: i.next_attempt_at.map(|t| t.to_string()),
            last_error: i.last_error,
            created_at: i.created_at.to_string(),
        });
    }
    Ok(out)
}
