//! Signing a batch of decisions through NCALayer, for the window and the CLI alike: the client
//! and the options come from the settings in one place, progress goes to the host, a cancel
//! stops the whole batch (nothing of a cancelled batch is kept: every chunk is signed before
//! any signature is kept), and the store is free while NCALayer waits for the PIN.

use super::clients::SignerSettings;
use super::{App, Host, SIGNING};
use crate::error::{Error, ErrorCode, Result};
use crate::model::DocumentId;
use crate::ncalayer::{NcaLayer, SignOptions};
use crate::operator::{OutboxReport, Retry, SendPolicy};
use crate::signing::{self, BatchProgress, SignOutcome};
use crate::store::{SettingKey, Settings, Store};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use ts_rs::TS;

/// How many documents go in one request to NCALayer unless `sign_chunk_size` says otherwise.
pub const DEFAULT_CHUNK: usize = 50;

/// One stage of a batch, for the progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignProgress {
    pub batch_id: String,
    /// waiting_for_pin: NCALayer shows its dialog; signing: chunks under way; checking: each
    /// result verified and stored (with its outcome); sending: the batch is kept and goes to
    /// the operator (setting send_after_signing); done.
    #[ts(type = "'waiting_for_pin' | 'signing' | 'checking' | 'sending' | 'done'")]
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
    pub outcome: Option<SignOutcome>,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignResult {
    pub batch_id: String,
    pub outcomes: Vec<SignOutcome>,
    /// What the send right after signing did (setting `send_after_signing`); null when nothing
    /// was sent: the setting is off, nothing was signed, or nothing signed came from an
    /// operator or a link (an imported file has nowhere to go).
    pub sent: Option<OutboxReport>,
    /// Why that send failed as a whole (offline, token refused); the decisions stay in the
    /// outbox. The signing itself succeeded all the same.
    pub send_error: Option<String>,
}

/// Where the key is, when the CLI's flags say more than the settings.
#[derive(Debug, Clone, Default)]
pub struct KeyChoice {
    /// NCALayer's address (over the setting and QOLTANBA_SIGNER_URL).
    pub url: Option<String>,
    /// The only key storage NCALayer may offer (e.g. PKCS12, AKKaztokenStore).
    pub storage: Option<String>,
}

/// What a batch needs from the store, read in one step before NCALayer is asked.
struct Batch {
    nca: Arc<NcaLayer>,
    options: SignOptions,
    chunk: usize,
}

impl App {
    /// The NCALayer client of the current settings (`url`: a CLI flag that wins).
    pub fn signer(&self, url: Option<&str>) -> Result<Arc<NcaLayer>> {
        let settings = self.read(|s| SignerSettings::read(s, url))?;
        self.clients.signer(settings)
    }

    fn batch(&self, key: &KeyChoice) -> Result<Batch> {
        let (settings, mut options, chunk) = self.read(|s| {
            let seller = signing::seller(s)?;
            Ok((
                SignerSettings::read(s, key.url.as_deref())?,
                signing::sign_options(s, Some(seller))?,
                chunk_size(s)?,
            ))
        })?;
        if let Some(storage) = &key.storage {
            options.allowed_storages = Some(vec![storage.clone()]);
        }
        Ok(Batch {
            nca: self.clients.signer(settings)?,
            options,
            chunk,
        })
    }

    /// Signs the decisions (acceptance: the document's file; rejection: its refusal notice) on
    /// `ids`, one confirmation in NCALayer per chunk. Returns one outcome per document (signed
    /// and queued for sending, or why not). One batch at a time; `cancel(SIGNING)` stops it.
    pub async fn sign(
        &self,
        ids: &[DocumentId],
        key: &KeyChoice,
        host: &dyn Host,
    ) -> Result<SignResult> {
        if ids.is_empty() {
            return Err(Error::invalid("Не выбраны документы для подписи"));
        }
        let Some(operation) = self.operations.start(SIGNING) else {
            return Err(Error::invalid(
                "Подписание уже идёт: дождитесь его окончания или отмените его",
            ));
        };
        let batch_id = self
            .operations
            .next_batch_id(self.read(|s| Ok(s.clock.now().unix_seconds()))?);
        let total = ids.len();
        let emit = |stage: &'static str, done: usize, outcome: Option<SignOutcome>| {
            host.sign_progress(&SignProgress {
                batch_id: batch_id.clone(),
                stage,
                done,
                total,
                outcome,
            })
        };
        let batch = self.batch(key)?;
        emit("waiting_for_pin", 0, None);
        // Each chunk NCALayer answers and each result kept goes out as it happens.
        let mut report = |p: BatchProgress<'_>| match p {
            BatchProgress::Signed { done, .. } => emit("signing", done, None),
            BatchProgress::Kept { done, outcome, .. } => {
                emit("checking", done, Some(outcome.clone()))
            }
        };
        let mut store = self.store();
        let signed = tokio::select! {
            r = signing::sign_documents_reporting(&mut store, &batch.nca, ids, &batch.options, batch.chunk, &mut report) => Some(r),
            _ = operation.cancelled() => None,
        };
        let Some(outcomes) = signed else {
            emit("done", 0, None);
            return Err(Error::new(
                ErrorCode::UserCancelled,
                "Подписание отменено: ни один документ из этой пачки не подписан",
            ));
        };
        let outcomes = outcomes?;
        // The batch is kept: Cancel has nothing left to stop, the send below is not signing.
        drop(operation);
        let (sent, send_error) = match self.sends_after_signing(&outcomes) {
            Ok(false) => (None, None),
            Ok(true) => {
                emit("sending", outcomes.len(), None);
                match self.send_after_signing().await {
                    Ok(report) => (Some(report), None),
                    Err(e) => (None, Some(e.message)),
                }
            }
            Err(e) => (None, Some(e.message)),
        };
        emit("done", outcomes.len(), None);
        Ok(SignResult {
            batch_id: batch_id.clone(),
            outcomes,
            sent,
            send_error,
        })
    }

    /// Whether the outbox goes at once: the setting allows and something just signed has
    /// somewhere to go (the account's operator or the link it came from). A failure to send is
    /// reported beside the signed batch, never instead of it.
    fn sends_after_signing(&self, outcomes: &[SignOutcome]) -> Result<bool> {
        let signed: Vec<DocumentId> = outcomes.iter().filter(|o| o.signed).map(|o| o.id).collect();
        self.read(|s| {
            if signed.is_empty() || !s.send_after_signing()? {
                return Ok(false);
            }
            for id in &signed {
                if s.document(*id)?.operator_id.is_some() {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    async fn send_after_signing(&self) -> Result<OutboxReport> {
        // The summary waits a little for receipts, not the half-minute an explicit send may.
        // Offline, it gives up after two tries: the outbox keeps the rest for «Отправить».
        let policy = SendPolicy {
            poll_for: AFTER_SIGNING_POLL,
            retry: Retry {
                attempts: 2,
                max_wait: AFTER_SIGNING_POLL,
                ..Retry::default()
            },
            ..SendPolicy::default()
        };
        self.send_outbox(&policy).await
    }
}

/// How long the summary after signing waits for the operator's receipts.
const AFTER_SIGNING_POLL: Duration = Duration::from_secs(5);

fn chunk_size(store: &Store) -> Result<usize> {
    Ok(store
        .setting(SettingKey::SignChunkSize)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CHUNK))
}

/// The signing service as last seen.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SigningService {
    pub url: String,
    pub name: Option<String>,
    pub pin: Option<String>,
    pub connected: bool,
}

/// Connects if no connection is open yet, so the dialog says whether the service answers
/// before the user presses Sign (a failure is in the diagnostics).
pub async fn service(app: &App) -> Result<SigningService> {
    let nca = app.signer(None)?;
    let pin = app.read(|s| s.setting(SettingKey::SignerPin))?;
    let _ = nca.version().await;
    let d = nca.diagnostics().await;
    Ok(SigningService {
        name: d.version.as_ref().map(|v| format!("NCALayer {v}")),
        pin,
        connected: d.connected,
        url: d.url,
    })
}
