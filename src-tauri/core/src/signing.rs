//! Signing decisions through NCALayer: the exact stored bytes (hash-checked on the way out) of
//! every chosen document go in one basics request per chunk (one PIN prompt), each result is
//! checked before it is kept, and a cancel or failure anywhere keeps nothing of the batch.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Action, Decision, Document, DocumentId, Timestamp};
use crate::ncalayer::{NcaLayer, SignOptions};
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
    let mut outcomes = Vec::new();
    let mut ready: Vec<(DocumentId, Vec<u8>)> = Vec::new();
    let seller = store.with(|s| {
        let seller = seller(s)?;
        for &id in ids {
            match bytes_to_sign(s, id) {
                Ok(b) => ready.push((id, b)),
                Err(e) => outcomes.push(SignOutcome {
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
        Ok(seller)
    })?;
    // Every chunk is signed before anything is kept: a cancel in the third chunk leaves the
    // first two unsigned too, as the user asked to stop the batch.
    let mut signatures = Vec::with_capacity(ready.len());
    let total = ids.len();
    for part in requests(&ready, chunk) {
        let docs: Vec<&[u8]> = part.iter().map(|(_, b)| b.as_slice()).collect();
        let cms = nca.sign_cms_many(&docs, false, options).await?;
        signatures.extend(cms);
        report(BatchProgress::Signed {
            done: signatures.len(),
            total: ready.len(),
        });
    }
    for (i, o) in outcomes.iter().enumerate() {
        report(BatchProgress::Kept {
            done: i + 1,
            total,
            outcome: o,
        });
    }
    let now = store.with(|s| Ok(s.clock.now()))?;
    let gates = check_all(&ready, &signatures, &seller, now);
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

/// The batch cut into requests of at most `chunk` documents and `MAX_REQUEST_BYTES` (a larger
/// document goes alone), in order.
fn requests(ready: &[(DocumentId, Vec<u8>)], chunk: usize) -> Vec<&[(DocumentId, Vec<u8>)]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0usize);
    for (i, (_, b)) in ready.iter().enumerate() {
        let full = i - start >= chunk.max(1) || (i > start && bytes + b.len() > MAX_REQUEST_BYTES);
        if full {
            out.push(&ready[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += b.len();
    }
    if start < ready.len() {
        out.push(&ready[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_batch_is_cut_by_count_and_by_bytes() {
        let doc = |n: usize| (1, vec![0u8; n]);
        let lens = |ready: &[(i64, Vec<u8>)], chunk| {
            super::requests(ready, chunk)
                .iter()
                .map(|p| p.len())
                .collect::<Vec<_>>()
        };
        let mib = 1 << 20;
        assert_eq!(lens(&vec![doc(10); 5], 2), vec![2, 2, 1]);
        assert_eq!(lens(&vec![doc(10 * mib); 5], 50), vec![3, 2]);
        assert_eq!(
            lens(&[doc(40 * mib), doc(1), doc(40 * mib)], 50),
            vec![1, 1, 1]
        );
        assert!(lens(&[], 50).is_empty());
    }
}
