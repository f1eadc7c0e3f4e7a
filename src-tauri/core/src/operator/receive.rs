//! Receiving one document from the operator: its attachments are downloaded with their size and
//! SHA-256 checked before anything is stored (a mismatch stores nothing), the sender's signatures
//! are verified against the exact bytes, and the result goes through `Store::add_document`.

use super::backoff::Retry;
use super::wire::RemoteDocument;
use super::{Failure, Operator};
use crate::error::{Error, ErrorCode};
use crate::import::check_file_name;
use crate::model::*;
use crate::signature::cms_certificates;
use crate::store::{sha256_hex, AttachmentLimits, NewDocument, NewSignature};
use crate::trust::ChainChecks;
use base64::Engine;
use std::sync::Arc;

/// A document with the bytes of its attachments, checked, not yet stored.
pub(crate) struct Fetched {
    pub remote: RemoteDocument,
    pub files: Vec<(Attachment, Vec<u8>)>,
}

impl Fetched {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, b)| b.len() as u64).sum()
    }
}

fn shape(remote: &RemoteDocument, why: String) -> Failure {
    Failure::protocol(format!(
        "Документ {} от оператора не соответствует API: {why}; он не сохранён",
        remote.id
    ))
}

/// Checks what the metadata promises before anything is downloaded.
pub(crate) fn check_metadata(
    remote: &RemoteDocument,
    limits: &AttachmentLimits,
) -> Result<(), Failure> {
    // The API's dates are `YYYY-MM-DD`; one the client cannot read would be stored as text that
    // sorts wrongly and makes the document impossible to reject (its refusal notice names it).
    for (name, value) in [
        ("date", &remote.date),
        ("periodFrom", &remote.period_from),
        ("periodTo", &remote.period_to),
    ] {
        if let Some(v) = value {
            if let Err(e) = Day::parse(v) {
                return Err(shape(remote, format!("{name}: {}", e.message)));
            }
        }
    }
    let max_file = limits.file;
    if remote.attachments.len() > limits.count {
        return Err(Failure::new(
            ErrorCode::FileTooLarge,
            format!(
                "У документа {} {} файлов, допустимо не больше {} (настройка max_attachments); документ не сохранён",
                remote.id,
                remote.attachments.len(),
                limits.count
            ),
        ));
    }
    let total: u64 = remote
        .attachments
        .iter()
        .fold(0u64, |n, a| n.saturating_add(a.size));
    if total > limits.total {
        return Err(Failure::new(
            ErrorCode::FileTooLarge,
            format!(
                "Файлы документа {} вместе больше допустимого ({total} байт, предел {}; настройка max_document_size); документ не сохранён",
                remote.id, limits.total
            ),
        ));
    }
    let mains = remote
        .attachments
        .iter()
        .filter(|a| a.role == "main")
        .count();
    if mains != 1 {
        return Err(shape(
            remote,
            format!("основных файлов {mains}, а должен быть один"),
        ));
    }
    for a in &remote.attachments {
        if AttachmentRole::from_code(&a.role).is_none() {
            return Err(shape(
                remote,
                format!("неизвестная роль файла «{}»", a.role),
            ));
        }
        let sha = a.sha256.to_ascii_lowercase();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(shape(remote, format!("у файла {} нет SHA-256", a.id)));
        }
        if a.size > max_file {
            let mut f = Failure::new(
                ErrorCode::FileTooLarge,
                format!(
                    "Файл «{}» документа {} больше допустимого ({} байт, предел {max_file}); документ не сохранён",
                    a.file_name, remote.id, a.size
                ),
            );
            f.detail = None;
            return Err(f);
        }
    }
    Ok(())
}

/// Downloads and checks every attachment of `remote` (SHA-256 and size), nothing else.
pub(crate) async fn fetch<O: Operator>(
    op: &O,
    remote: RemoteDocument,
    limits: &AttachmentLimits,
    retry: &Retry,
) -> Result<Fetched, Failure> {
    check_metadata(&remote, limits)?;
    let mut files = Vec::with_capacity(remote.attachments.len());
    for a in &remote.attachments {
        let bytes = retry
            .run(|| op.attachment(&remote.id, &a.id, a.size))
            .await?;
        let sha = sha256_hex(&bytes);
        if bytes.len() as u64 != a.size || sha != a.sha256.to_ascii_lowercase() {
            return Err(Failure::protocol(format!(
                "Файл «{}» документа {} пришёл повреждённым: размер или SHA-256 не совпадает с заявленным оператором; документ не сохранён",
                a.file_name, remote.id
            )));
        }
        // A name from outside is never used as a path; an unusable one is replaced.
        let file_name = if check_file_name(&a.file_name).is_ok() {
            a.file_name.clone()
        } else {
            format!("{}.bin", a.id)
        };
        files.push((
            Attachment {
                id: a.id.clone(),
                role: AttachmentRole::from_code(&a.role).unwrap_or(AttachmentRole::Appendix),
                file_name,
                mime_type: a.mime_type.clone(),
                size: a.size,
                sha256: sha,
            },
            bytes,
        ));
    }
    Ok(Fetched { remote, files })
}

/// A received document ready to store, with what sync reports of it.
pub(crate) struct Prepared {
    pub new: NewDocument,
    /// Only the head of the main file's text was read: the indexer reads the rest.
    pub text_later: bool,
    pub status: String,
    pub title: String,
    pub bytes: u64,
}

/// Extracts a fetched document's search text and verifies the sender's signatures on the
/// blocking pool, started at once: the work goes on while the caller awaits other things (the
/// next downloads, or a batch being stored).
pub(crate) fn finish(
    f: Fetched,
    origin: Origin,
    checks: Arc<ChainChecks>,
    text: SearchText,
) -> tokio::task::JoinHandle<Result<Prepared, Failure>> {
    tokio::task::spawn_blocking(move || {
        let (status, title, bytes) = (f.remote.status.clone(), f.remote.title.clone(), f.bytes());
        let (new, text_later) = to_new_document(f, origin, &checks, text)?;
        Ok(Prepared {
            new,
            text_later,
            status,
            title,
            bytes,
        })
    })
}

fn money(remote: &RemoteDocument, v: &Option<String>, what: &str) -> Result<Option<Money>, Error> {
    v.as_deref()
        .map(|s| {
            Money::parse(s).map_err(|_| {
                Error::new(
                    ErrorCode::OperatorRejected,
                    format!(
                        "Документ {} от оператора: {what} «{s}» не является суммой; документ не сохранён",
                        remote.id
                    ),
                )
            })
        })
        .transpose()
}

fn is_xml(a: &Attachment) -> bool {
    a.mime_type.to_ascii_lowercase().contains("xml")
        || a.file_name.to_ascii_lowercase().ends_with(".xml")
}

/// One XML policy for every way in: an XML file from the operator passes the same check as an
/// imported one (no DOCTYPE, so no entity is ever declared or expanded; well-formed; bounded
/// depth), or the document is refused and set aside, never stored. Returns the main file's text
/// when it is XML (read here once, for search).
pub(crate) fn check_xml(
    remote_id: &str,
    files: &[(Attachment, Vec<u8>)],
) -> Result<Option<String>, Error> {
    let mut main_text = None;
    for (a, bytes) in files.iter().filter(|(a, _)| is_xml(a)) {
        let x = crate::import::xml_text(bytes).map_err(|e| {
            Error::new(
                e.code,
                format!(
                    "Файл «{}» документа {remote_id}: {}; документ не сохранён",
                    a.file_name, e.message
                ),
            )
        })?;
        if a.role == AttachmentRole::Main {
            main_text = Some(x.text);
        }
    }
    Ok(main_text)
}

/// How much of the main file's text is read for search when a document is received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchText {
    None,
    Whole,
    /// The first pages of a PDF, up to what the store indexes at once (and one character more, so
    /// that the head is cut where the whole text would cut it); the indexer reads the rest.
    Head,
}

/// The main file's search text, why it is partial when a limit stopped it, and whether only its
/// head was read (`xml`: the main file's text when `check_xml` already read it).
fn text_of(
    files: &[(Attachment, Vec<u8>)],
    xml: Option<String>,
    how: SearchText,
) -> (String, Option<String>, bool) {
    let Some((_, bytes)) = files.iter().find(|(a, _)| a.role == AttachmentRole::Main) else {
        return (String::new(), None, false);
    };
    if bytes.starts_with(b"%PDF-") {
        let limits = crate::import::PdfLimits::default();
        let read = match how {
            SearchText::Head => {
                crate::import::pdf_text_head(bytes, &limits, crate::store::HEAD_CHARS + 1)
            }
            _ => crate::import::pdf_text_within(bytes, &limits).map(|t| (t, false)),
        };
        match read {
            Ok((t, more)) => (t.text, t.limited, more),
            Err(e) => (String::new(), Some(e.message), false),
        }
    } else {
        (xml.unwrap_or_default(), None, false)
    }
}

/// The certificates of each of the sender's signatures in a document's metadata (before its
/// files are downloaded): their CRL distribution points are looked up once for a whole batch.
pub(crate) fn sender_certificates(remote: &RemoteDocument) -> Vec<Vec<Vec<u8>>> {
    remote
        .sender_signatures
        .iter()
        .filter_map(|s| {
            base64::engine::general_purpose::STANDARD
                .decode(s.cms.trim())
                .ok()
        })
        .map(|cms| cms_certificates(&cms))
        .collect()
}

/// The document to store, with the sender's signatures verified against the received bytes,
/// their chains checked with `checks` (trust store and CRLs) at `checks.at`; and whether only the
/// head of its text was read.
pub(crate) fn to_new_document(
    f: Fetched,
    origin: Origin,
    checks: &ChainChecks,
    how: SearchText,
) -> Result<(NewDocument, bool), Error> {
    let r = &f.remote;
    let xml_text = check_xml(&r.id, &f.files)?;
    let kind = DocumentKind::from_code(&r.kind).unwrap_or(DocumentKind::Other);
    let mut fields = DocumentFields::new(kind, r.title.clone());
    fields.number = r.number.clone();
    fields.date = r.date.clone();
    fields.period_from = r.period_from.clone();
    fields.period_to = r.period_to.clone();
    let party = |p: &Option<super::wire::RemoteParty>| {
        p.as_ref().map(|p| Party {
            bin: p.bin.clone(),
            name: p.name.clone(),
        })
    };
    fields.sender = party(&r.sender);
    fields.recipient = party(&r.recipient);
    fields.amount = money(r, &r.amount, "сумма")?;
    fields.vat_amount = money(r, &r.vat_amount, "НДС")?;
    if let Some(c) = &r.currency {
        fields.currency = c.clone();
    }
    fields.correction_of_operator_id = r.correction_of.clone();
    let mut sigs = Vec::new();
    for s in &r.sender_signatures {
        let Some((att, bytes)) = f.files.iter().find(|(a, _)| a.id == s.attachment_id) else {
            continue; // a signature of a file that did not come: nothing to check it against
        };
        let cms = base64::engine::general_purpose::STANDARD
            .decode(s.cms.trim())
            .map_err(|_| {
                Error::new(
                    ErrorCode::OperatorRejected,
                    format!(
                        "Подпись отправителя документа {} не в base64; документ не сохранён",
                        r.id
                    ),
                )
            })?;
        // Kept whatever the verdict says: a failed one is shown as failed, never dropped.
        let verdict = checks.verify_detached(&cms, bytes);
        sigs.push(NewSignature::checked(&att.id, &att.sha256, cms, verdict));
    }
    let (text, text_note, later) = match how {
        SearchText::None => (String::new(), None, false),
        how => text_of(&f.files, xml_text, how),
    };
    let new = NewDocument {
        operator_id: Some(r.id.clone()),
        origin,
        fields,
        attachments: f.files,
        text,
        text_note,
        sender_signatures: sigs,
    };
    Ok((new, later))
}
