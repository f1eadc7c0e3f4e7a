//! Signing decisions through NCALayer: the exact stored bytes (hash-checked on the way out) of
//! every chosen document go in one basics request per chunk (one PIN prompt), each result is
//! checked before it is kept, and a cancel or failure anywhere keeps nothing of the batch.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Action, Decision, Document, DocumentId, Timestamp};
use crate::ncalayer::{NcaLayer, Prepared, SignOptions};
use crate::refusal::RefusalNotice;
use crate::signature::{check_seller_verdict, Seller, SellerKind, SignerIdentity, Verdict};
use crate::store::{sha256_hex, Access, NewSignature, SettingKey, Settings, Store};
use base64::Engine;
use serde::Serialize;
use ts_rs::TS;

/// What became of one document of a batch.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignOutcome {
    pub id: DocumentId,
    pub signed: bool,
    /// Who signed: the certificate's holder, when the signature came back and was read.
    pub signer: Option<SignerIdentity>,
    pub error: Option<SignError>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SignError {
    pub code: ErrorCode,
    pub message: String,
}

/// The bytes a decision signs: the document's main file for an acceptance; for a rejection a
/// refusal notice made now, naming the document and the SHA-256 of the main file the user saw
/// (that file is read back and checked against the hash first, so the notice never names bytes
/// the store no longer holds). Each call makes a new notice: sign and record the bytes returned.
pub fn bytes_to_sign(store: &Store, id: DocumentId) -> Result<Vec<u8>> {
    let doc = store.document(id)?;
    doc.status.apply(Action::Sign)?;
    let content = store.blob(&doc.content_sha256)?;
    match doc.decision {
        Some(Decision::Reject) => {
            let seller = store.seller_bin()?.unwrap_or_default();
            Ok(RefusalNotice::for_document(&doc, &seller, store.clock.now())?.to_bytes())
        }
        _ => Ok(content),
    }
}

/// The outbox item of a signed decision (operator-api.md): the attachment and its CMS for an
/// acceptance; for a rejection (version 2) the reason, the notice's exact signed bytes and the
/// CMS over them.
pub fn decision_payload(doc: &Document, signed: &[u8], cms: &[u8]) -> serde_json::Value {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    match doc.decision {
        Some(Decision::Reject) => serde_json::json!({
            "reason": doc.reject_reason,
            "notice": b64(signed),
            "cms": b64(cms)
        }),
        _ => serde_json::json!({
            "attachmentId": doc.main_attachment().map(|a| a.id.clone()),
            "cms": b64(cms)
        }),
    }
}

/// What NCALayer is told about the key, in the window and the CLI alike: by default only
/// signing certificates of the seller are offered — of its organisation (`bin`), or, for a sole
/// proprietor, the entrepreneur's own (`iin`) — (`sign_filter` = `off` offers every key; the
/// check after signing still refuses a wrong one). NCA's test certificates may be chosen only in
/// a test or demo profile (setting `profile`): a working profile never lets a test key sign.
pub fn sign_options(store: &Store, seller: Option<Seller>) -> Result<SignOptions> {
    let filter = store.setting(SettingKey::SignFilter)?.as_deref() != Some("off");
    let mut o = SignOptions {
        allow_test_certificates: store.test_profile()?,
        ..SignOptions::default()
    };
    if !filter {
        o.ext_key_usage_oids.clear();
        return Ok(o);
    }
    match seller {
        Some(Seller {
            number,
            kind: SellerKind::Bin,
        }) => o.bin = Some(number),
        Some(Seller {
            number,
            kind: SellerKind::Iin,
        }) => o.iin = Some(number),
        None => {}
    }
    Ok(o)
}

/// The seller (its BIN, or an entrepreneur's IIN), without which no signature can be checked
/// for its owner.
pub fn seller(store: &Store) -> Result<Seller> {
    store.seller()?.ok_or_else(|| {
        Error::invalid(
            "Не указан БИН организации или ИИН индивидуального предпринимателя: задайте его в настройках (qoltanba settings seller_bin 123456789012)",
        )
    })
}

/// How far a batch has come, reported as it happens (the window's progress bar).
#[derive(Debug)]
pub enum BatchProgress<'a> {
    /// NCALayer has answered for `done` of the `total` documents it was given; nothing kept yet.
    Signed { done: usize, total: usize },
    /// The `done`-th document's result was checked and kept (or refused, with why).
    Kept {
        done: usize,
        total: usize,
        outcome: &'a SignOutcome,
    },
}

/// Signs the decisions on `ids` in batches of `chunk` documents.
pub async fn sign_documents<A: Access>(
    store: &mut A,
    nca: &NcaLayer,
    ids: &[DocumentId],
    options: &SignOptions,
    chunk: usize,
) -> Result<Vec<SignOutcome>> {
    sign_documents_reporting(store, nca, ids, options, chunk, &mut |_| {}).await
}

/// As `sign_documents`, telling `report` after every chunk NCALayer signed and every result
/// kept, so a long batch shows where it is instead of jumping to the end. The store is taken
/// to read the bytes, let go while NCALayer waits for the PIN, and taken again per result kept.
pub async fn sign_documents_reporting<A: Access>(
    store: &mut A,
    nca: &NcaLayer,
    ids: &[DocumentId],
    options: &SignOptions,
    chunk: usize,
    report: &mut (dyn FnMut(BatchProgress<'_>) + Send),
) -> Result<Vec<SignOutcome>> {
    let seller = store.with(|s| seller(s))?;
    let mut outcomes = Vec::new();
    let mut pending = Pending::new(ids);
    // Every chunk is signed before anything is kept: a cancel in the third chunk leaves the
    // first two unsigned too, as the user asked to stop the batch. While chunk n is in flight,
    // chunk n+1 is read from the store (hash-checked) and encoded, one ahead at most, and the
    // signatures of chunk n-1 are checked on all cores: the checking fills the time NCALayer
    // spends receiving, signing and answering.
    let mut ready: Vec<(DocumentId, Vec<u8>)> = Vec::with_capacity(ids.len());
    let mut signatures = Vec::with_capacity(ids.len());
    let mut gates = Vec::with_capacity(ids.len());
    let mut next = store.with(|s| Ok(pending.request(s, chunk, &mut outcomes)))?;
    let mut request = prepare(&next, options);
    while let Some(current) = request.take() {
        let sent = std::mem::take(&mut next);
        let checked = gates.len();
        let (signed, ahead) = nca
            .sign_prepared(current, || {
                let (following, now) = store
                    .with(|s| Ok((pending.request(s, chunk, &mut outcomes), s.clock.now())))?;
                let request = prepare(&following, options);
                let gates = check_all(&ready[checked..], &signatures[checked..], &seller, now);
                Ok::<_, Error>((following, request, gates))
            })
            .await;
        let signed = signed?;
        if let Some(ahead) = ahead {
            let checked_meanwhile;
            (next, request, checked_meanwhile) = ahead?;
            gates.extend(checked_meanwhile);
        }
        signatures.extend(signed);
        ready.extend(sent);
        report(BatchProgress::Signed {
            done: signatures.len(),
            total: ids.len() - outcomes.len(),
        });
    }
    let total = ids.len();
    for (i, o) in outcomes.iter().enumerate() {
        report(BatchProgress::Kept {
            done: i + 1,
            total,
            outcome: o,
        });
    }
    // The last chunk's signatures, not checked while another was in flight.
    let now = store.with(|s| Ok(s.clock.now()))?;
    gates.extend(check_all(
        &ready[gates.len()..],
        &signatures[gates.len()..],
        &seller,
        now,
    ));
    for (((id, content), cms), gate) in ready.into_iter().zip(signatures).zip(gates) {
        // One verification: the gate's verdict is the one kept.
        let outcome = match gate {
            Ok((signer, verdict)) => {
                let signer = Some(signer);
                let kept = store.with(|s| {
                    let doc = s.document(id)?;
                    let payload = decision_payload(&doc, &content, &cms);
                    let sig = NewSignature {
                        attachment_id: doc.main_attachment().map(|a| a.id.clone()),
                        signed_sha256: sha256_hex(&content),
                        cms,
                        signer: signer.clone(),
                        verdict: Some(verdict),
                    };
                    s.record_own_signature(id, sig, payload)
                });
                match kept {
                    Ok(_) => SignOutcome {
                        id,
                        signed: true,
                        signer,
                        error: None,
                    },
                    Err(e) => SignOutcome {
                        id,
                        signed: false,
                        signer,
                        error: Some(SignError {
                            code: e.code,
                            message: e.message,
                        }),
                    },
                }
            }
            Err(e) => SignOutcome {
                id,
                signed: false,
                signer: None,
                error: Some(SignError {
                    code: e.code,
                    message: e.message,
                }),
            },
        };
        outcomes.push(outcome);
        report(BatchProgress::Kept {
            done: outcomes.len(),
            total,
            outcome: outcomes.last().expect("just pushed"),
        });
    }
    outcomes.sort_by_key(|o| ids.iter().position(|i| *i == o.id));
    Ok(outcomes)
}

/// The gate (`check_seller_verdict`) for each fresh signature, on all cores: a batch is often
/// hundreds of documents, and each check hashes a document and verifies a signature.
fn check_all(
    ready: &[(DocumentId, Vec<u8>)],
    signatures: &[Vec<u8>],
    seller: &Seller,
    now: Timestamp,
) -> Vec<Result<(SignerIdentity, Verdict)>> {
    let pairs: Vec<(&[u8], &[u8])> = ready
        .iter()
        .zip(signatures)
        .map(|((_, content), cms)| (content.as_slice(), cms.as_slice()))
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let per = pairs.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(per)
            .map(|part| {
                let worker = scope.spawn(move || {
                    part.iter()
                        .map(|(content, cms)| check_seller_verdict(cms, content, seller, now))
                        .collect::<Vec<_>>()
                });
                (part.len(), worker)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(n, worker)| {
                // A check that panicked refuses its signatures; it never loses them.
                worker.join().unwrap_or_else(|_| {
                    (0..n)
                        .map(|_| {
                            Err(Error::new(
                                ErrorCode::SignatureInvalid,
                                "Подпись не удалось проверить",
                            ))
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// The documents of one signing request at most: qoltanba-signer takes 64 MiB per message by
/// default, and 32 MiB of documents is ~43 MiB in base64.
pub const MAX_REQUEST_BYTES: usize = 32 << 20;

/// The request of a chunk, when it has documents.
fn prepare(chunk: &[(DocumentId, Vec<u8>)], options: &SignOptions) -> Option<Prepared> {
    let docs: Vec<&[u8]> = chunk.iter().map(|(_, b)| b.as_slice()).collect();
    (!docs.is_empty()).then(|| Prepared::detached_cms(&docs, options))
}

/// Whether a request of `count` documents and `bytes` is full before one of `len` bytes: at
/// most `chunk` documents and `MAX_REQUEST_BYTES` (a larger document goes alone).
fn full(count: usize, bytes: usize, len: usize, chunk: usize) -> bool {
    count >= chunk.max(1) || (count > 0 && bytes + len > MAX_REQUEST_BYTES)
}

/// The documents of a batch not yet read, cut into requests in order as they are read.
struct Pending<'a> {
    ids: std::slice::Iter<'a, DocumentId>,
    /// Read, but too large for the request it was read for: it opens the next.
    carried: Option<(DocumentId, Vec<u8>)>,
}

impl<'a> Pending<'a> {
    fn new(ids: &'a [DocumentId]) -> Pending<'a> {
        Pending {
            ids: ids.iter(),
            carried: None,
        }
    }

    /// The next request's documents read from the store (empty when none is left); a document
    /// that cannot be signed gets its outcome in `refused`.
    fn request(
        &mut self,
        store: &Store,
        chunk: usize,
        refused: &mut Vec<SignOutcome>,
    ) -> Vec<(DocumentId, Vec<u8>)> {
        self.cut(|id| bytes_to_sign(store, id), chunk, refused)
    }

    fn cut(
        &mut self,
        mut read: impl FnMut(DocumentId) -> Result<Vec<u8>>,
        chunk: usize,
        refused: &mut Vec<SignOutcome>,
    ) -> Vec<(DocumentId, Vec<u8>)> {
        let mut out: Vec<(DocumentId, Vec<u8>)> = self.carried.take().into_iter().collect();
        let mut bytes: usize = out.iter().map(|(_, b)| b.len()).sum();
        while out.len() < chunk.max(1) {
            let Some(&id) = self.ids.next() else { break };
            match read(id) {
                Ok(b) if full(out.len(), bytes, b.len(), chunk) => {
                    self.carried = Some((id, b));
                    break;
                }
                Ok(b) => {
                    bytes += b.len();
                    out.push((id, b));
                }
                Err(e) => refused.push(SignOutcome {
                    id,
                    signed: false,
                    signer: None,
                    error: Some(SignError {
                        code: e.code,
                        message: e.message,
                    }),
                }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_cut_by_count_and_by_bytes() {
        let lens = |docs: &[usize], chunk| {
            let ids: Vec<DocumentId> = (0..docs.len() as DocumentId).collect();
            let mut pending = Pending::new(&ids);
            let mut refused = vec![];
            let mut cuts = vec![];
            loop {
                let read = |id: DocumentId| Ok(vec![0u8; docs[id as usize]]);
                let request = pending.cut(read, chunk, &mut refused);
                if request.is_empty() {
                    return cuts;
                }
                cuts.push(request.len());
            }
        };
        let mib = 1 << 20;
        assert_eq!(lens(&[10; 5], 2), vec![2, 2, 1]);
        assert_eq!(lens(&[10 * mib; 5], 50), vec![3, 2]);
        assert_eq!(lens(&[40 * mib, 1, 40 * mib], 50), vec![1, 1, 1]);
        assert!(lens(&[], 50).is_empty());
    }

    #[test]
    fn an_unreadable_document_is_refused_and_the_request_filled_with_the_next() {
        let ids: Vec<DocumentId> = (0..4).collect();
        let mut pending = Pending::new(&ids);
        let mut refused = vec![];
        let read = |id: DocumentId| {
            if id == 1 {
                Err(Error::not_found("нет файла"))
            } else {
                Ok(vec![id as u8])
            }
        };
        let first = pending.cut(read, 2, &mut refused);
        assert_eq!(first.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].id, 1);
        let second = pending.cut(read, 2, &mut refused);
        assert_eq!(second.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [3]);
    }
}
