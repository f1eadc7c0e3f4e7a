//! Documents in the store: adding them, reading them, and moving them through the status machine
//! (each move one transaction with its history entry).

use super::transition::{subject, transition, Move};
use super::{blobs, fold, history, outbox, text_backlog, Store, StoreCtx};
use crate::error::{Error, ErrorCode, Result};
use crate::model::*;
use crate::signature::{SignerIdentity, Verdict};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

pub const MAX_REASON_CHARS: usize = 5000;

/// A document to add, with the bytes of its attachments.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub operator_id: Option<String>,
    pub origin: Origin,
    pub fields: DocumentFields,
    /// Attachments with their bytes; exactly one has the role `main`.
    pub attachments: Vec<(Attachment, Vec<u8>)>,
    /// Text extracted from the attachments, for search: its head (see `text_backlog`) is indexed
    /// with the document, the rest by the indexer after.
    pub text: String,
    /// Why the text is partial or missing (a PDF over a budget); kept in the history and told
    /// the user as a notification.
    pub text_note: Option<String>,
    /// Signatures that came with the document.
    pub sender_signatures: Vec<NewSignature>,
}

/// A signature to keep beside a document.
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub attachment_id: Option<String>,
    pub signed_sha256: String,
    pub cms: Vec<u8>,
    pub signer: Option<SignerIdentity>,
    pub verdict: Option<Verdict>,
}

impl NewSignature {
    /// A sender's signature as checked on arrival: kept whatever the verdict says (a failed one
    /// is shown as failed, never dropped), its signer as the verdict names it.
    pub fn checked(
        attachment_id: &str,
        signed_sha256: &str,
        cms: Vec<u8>,
        verdict: Verdict,
    ) -> NewSignature {
        NewSignature {
            attachment_id: Some(attachment_id.to_string()),
            signed_sha256: signed_sha256.to_string(),
            signer: verdict.signer.clone(),
            verdict: Some(verdict),
            cms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSignature {
    pub id: i64,
    pub document_id: DocumentId,
    /// `own` (made here) or `sender`.
    pub party: String,
    pub attachment_id: Option<String>,
    pub signed_sha256: String,
    #[serde(with = "b64")]
    pub cms: Vec<u8>,
    pub signer: Option<SignerIdentity>,
    pub verdict: Option<Verdict>,
    pub verified_at: Option<String>,
    pub created_at: String,
}

mod b64 {
    use base64::Engine;
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
}

/// Fields a user may correct after an import recognised them wrongly or not at all.
#[derive(Debug, Clone, Default)]
pub struct DocumentEdit {
    pub kind: Option<DocumentKind>,
    pub number: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
}

const DOC_COLUMNS: &str =
    "id, operator_id, origin, kind, number, date, title, period_from, period_to,
    sender_bin, sender_name, recipient_bin, recipient_name, amount, vat_amount, currency,
    correction_of, correction_of_number, correction_of_operator_id, status, decision, reject_reason,
    content_sha256, received_at, updated_at";

fn party(bin: Option<String>, name: Option<String>) -> Option<Party> {
    match (bin, name) {
        (None, None) => None,
        (b, n) => Some(Party {
            bin: b.unwrap_or_default(),
            name: n.unwrap_or_default(),
        }),
    }
}

pub(crate) fn row_to_document(r: &Row<'_>) -> rusqlite::Result<Document> {
    let kind: String = r.get(3)?;
    let origin: String = r.get(2)?;
    let status: String = r.get(19)?;
    let decision: Option<String> = r.get(20)?;
    Ok(Document {
        id: r.get(0)?,
        operator_id: r.get(1)?,
        origin: Origin::from_code(&origin).unwrap_or(Origin::Import),
        fields: DocumentFields {
            kind: DocumentKind::from_code(&kind).unwrap_or(DocumentKind::Other),
            number: r.get(4)?,
            date: r.get(5)?,
            title: r.get(6)?,
            period_from: r.get(7)?,
            period_to: r.get(8)?,
            sender: party(r.get(9)?, r.get(10)?),
            recipient: party(r.get(11)?, r.get(12)?),
            amount: r.get::<_, Option<i64>>(13)?.map(Money),
            vat_amount: r.get::<_, Option<i64>>(14)?.map(Money),
            currency: r.get(15)?,
            correction_of_number: r.get(17)?,
            correction_of_operator_id: r.get(18)?,
        },
        correction_of: r.get(16)?,
        status: Status::from_code(&status).unwrap_or(Status::Received),
        decision: decision.and_then(|d| match d.as_str() {
            "accept" => Some(Decision::Accept),
            "reject" => Some(Decision::Reject),
            _ => None,
        }),
        reject_reason: r.get(21)?,
        content_sha256: r.get(22)?,
        attachments: Vec::new(),
        received_at: r.get(23)?,
        updated_at: r.get(24)?,
    })
}

fn load(conn: &rusqlite::Connection, id: DocumentId) -> Result<Document> {
    let mut doc = conn
        .query_row(
            &format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1"),
            [id],
            row_to_document,
        )
        .optional()?
        .ok_or_else(|| Error::not_found(format!("Документ №{id} не найден")))?;
    let mut st = conn.prepare_cached(
        "SELECT attachment_id, role, file_name, mime_type, size, sha256 FROM attachments
         WHERE document_id = ?1 ORDER BY role = 'main' DESC, rowid",
    )?;
    doc.attachments = st
        .query_map([id], |r| {
            let role: String = r.get(1)?;
            Ok(Attachment {
                id: r.get(0)?,
                role: AttachmentRole::from_code(&role).unwrap_or(AttachmentRole::Appendix),
                file_name: r.get(2)?,
                mime_type: r.get(3)?,
                size: r.get::<_, i64>(4)? as u64,
                sha256: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(doc)
}

fn index_text(
    tx: &rusqlite::Connection,
    id: DocumentId,
    f: &DocumentFields,
    body: &str,
) -> Result<()> {
    let counterparty = [&f.sender, &f.recipient]
        .iter()
        .filter_map(|p| p.as_ref())
        .map(|p| format!("{} {}", p.bin, p.name))
        .collect::<Vec<_>>()
        .join(" ");
    tx.prepare_cached("DELETE FROM documents_fts WHERE rowid = ?1")?
        .execute([id])?;
    tx.prepare_cached("INSERT INTO documents_fts (rowid, title, number, counterparty, body) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(
        params![
            id,
            fold(&f.title),
            fold(f.number.as_deref().unwrap_or("")),
            fold(&counterparty),
            fold(body)
        ],
    )?;
    Ok(())
}

fn insert_signature(
    tx: &rusqlite::Connection,
    id: DocumentId,
    party: &str,
    s: &NewSignature,
    at: &str,
) -> Result<i64> {
    tx.prepare_cached("INSERT INTO signatures (document_id, party, attachment_id, signed_sha256, cms, signer, verdict, verified_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(
        params![
            id,
            party,
            s.attachment_id,
            s.signed_sha256,
            s.cms,
            s.signer.as_ref().map(column).transpose()?,
            s.verdict.as_ref().map(column).transpose()?,
            s.verdict.as_ref().map(|_| at),
            at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A typed value as its JSON column holds it.
fn column<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::storage(format!("Подпись не удалось записать в хранилище: {e}")))
}

/// A stored signature's `signer` or `verdict` column read back. A row that does not parse (a
/// field missing or unknown, a wrong type) is a damaged store: said plainly with the signature
/// and the document, rather than shown as "not checked".
fn read_column<T: serde::de::DeserializeOwned>(
    sig: &StoredSignature,
    name: &str,
    text: Option<String>,
) -> Result<Option<T>> {
    let Some(text) = text else { return Ok(None) };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Error::storage(format!(
            "Подпись №{} документа №{} повреждена в хранилище: поле «{name}» не читается ({e})",
            sig.id, sig.document_id
        ))
    })
}

/// One change of a document, as the history records it.
struct Change<'a> {
    action: &'a str,
    from: Option<Status>,
    to: Option<Status>,
    reason: Option<&'a str>,
    detail: serde_json::Value,
}

fn record(
    tx: &rusqlite::Connection,
    ctx: &StoreCtx<'_>,
    id: DocumentId,
    c: Change<'_>,
) -> Result<i64> {
    history::append(
        tx,
        ctx.key,
        history::NewEntry {
            subject: subject(id),
            at: ctx.at.clone(),
            actor: ctx.actor,
            action: c.action,
            from_status: c.from.map(|s| s.code()),
            to_status: c.to.map(|s| s.code()),
            reason: c.reason,
            detail: c.detail,
        },
    )
}

/// Checks a rejection reason: 1..5000 characters of something other than white space.
pub fn check_reason(reason: &str) -> Result<&str> {
    let t = reason.trim();
    if t.is_empty() {
        return Err(Error::invalid(
            "Укажите причину отклонения: она уйдёт отправителю вместе с подписью",
        ));
    }
    let n = t.chars().count();
    if n > MAX_REASON_CHARS {
        return Err(Error::invalid(format!(
            "Причина отклонения слишком длинная: {n} символов, допустимо не больше {MAX_REASON_CHARS}"
        )));
    }
    if crate::refusal::has_forbidden_char(t) {
        return Err(Error::invalid(
            "Причина отклонения содержит управляющие символы: уберите их и повторите",
        ));
    }
    Ok(t)
}

/// The document already imported with these main bytes. Named index: left to itself SQLite
/// takes the unique index on operator_id for `operator_id IS NULL`, which every imported
/// document matches, and each import scanned all the imported documents before it.
const SAME_CONTENT: &str = "SELECT id FROM documents INDEXED BY documents_content WHERE content_sha256 = ?1 AND operator_id IS NULL";

/// Stores a new document. `text_later`: `new.text` is only the head of the main file's text (a
/// sync read the first pages), the indexer reads the rest later.
fn insert_new(
    tx: &rusqlite::Connection,
    ctx: &StoreCtx<'_>,
    new: &NewDocument,
    text_later: bool,
) -> Result<(DocumentId, bool)> {
    let main: Vec<&(Attachment, Vec<u8>)> = new
        .attachments
        .iter()
        .filter(|(a, _)| a.role == AttachmentRole::Main)
        .collect();
    if main.len() != 1 {
        return Err(Error::invalid(
            "У документа должен быть ровно один основной файл",
        ));
    }
    // The declared hash; `blobs::put` below recomputes it from the bytes and refuses a mismatch.
    let content_sha = main[0].0.sha256.clone();

    let existing: Option<DocumentId> = match &new.operator_id {
        Some(op) => tx
            .query_row(
                "SELECT id FROM documents WHERE operator_id = ?1",
                [op],
                |r| r.get(0),
            )
            .optional()?,
        None => tx
            .prepare_cached(SAME_CONTENT)?
            .query_row([&content_sha], |r| r.get(0))
            .optional()?,
    };
    if let Some(id) = existing {
        return Ok((id, false));
    }
    for (a, bytes) in &new.attachments {
        let h = blobs::put(tx, bytes)?;
        if h != a.sha256 || bytes.len() as u64 != a.size {
            return Err(Error::invalid(format!(
                "Файл «{}» не совпадает с заявленными размером и SHA-256",
                a.file_name
            )));
        }
    }
    let f = &new.fields;
    let correction_of: Option<DocumentId> =
        match (&f.correction_of_operator_id, &f.correction_of_number) {
            (Some(op), _) => tx
                .query_row(
                    "SELECT id FROM documents WHERE operator_id = ?1",
                    [op],
                    |r| r.get(0),
                )
                .optional()?,
            (None, Some(num)) => tx
                .query_row(
                    "SELECT id FROM documents WHERE number = ?1 AND kind = ?2 ORDER BY id LIMIT 1",
                    params![num, f.kind.corrects().map(|k| k.code()).unwrap_or("")],
                    |r| r.get(0),
                )
                .optional()?,
            _ => None,
        };
    tx.prepare_cached("INSERT INTO documents (operator_id, origin, kind, number, date, title, period_from, period_to,
                    sender_bin, sender_name, recipient_bin, recipient_name, amount, vat_amount, currency,
                    correction_of, correction_of_number, correction_of_operator_id, status, content_sha256,
                    received_at, received_ms, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?21)")?.execute(
                params![
                    new.operator_id,
                    new.origin.code(),
                    f.kind.code(),
                    f.number,
                    f.date,
                    f.title,
                    f.period_from,
                    f.period_to,
                    f.sender.as_ref().map(|p| &p.bin),
                    f.sender.as_ref().map(|p| &p.name),
                    f.recipient.as_ref().map(|p| &p.bin),
                    f.recipient.as_ref().map(|p| &p.name),
                    f.amount.map(|m| m.0),
                    f.vat_amount.map(|m| m.0),
                    f.currency,
                    correction_of,
                    f.correction_of_number,
                    f.correction_of_operator_id,
                    Status::Received.code(),
                    content_sha,
                    ctx.at,
                    ctx.now_ms,
                ],
            )?;
    let id = tx.last_insert_rowid();
    // A correction that arrived before its original: link the original now that it is here.
    if let Some(op) = &new.operator_id {
        tx.prepare_cached("UPDATE documents SET correction_of = ?1 WHERE correction_of IS NULL AND correction_of_operator_id = ?2")?.execute(
                    params![id, op],
                )?;
    }
    for (a, _) in &new.attachments {
        tx.prepare_cached("INSERT INTO attachments (document_id, attachment_id, role, file_name, mime_type, size, sha256)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
                    params![id, a.id, a.role.code(), a.file_name, a.mime_type, a.size as i64, a.sha256],
                )?;
    }
    for s in &new.sender_signatures {
        insert_signature(tx, id, "sender", s, &ctx.at)?;
    }
    // The head now, so the document is found by its first pages as soon as it is stored; the
    // tail waits for the indexer (see text_backlog).
    let (head, tail) = text_backlog::split_head(&new.text, text_backlog::HEAD_CHARS);
    index_text(tx, id, f, head)?;
    if text_later {
        text_backlog::read_later(tx, id)?;
    } else {
        text_backlog::keep_tail(tx, id, tail)?;
    }
    record(
        tx,
        ctx,
        id,
        Change {
            action: "received",
            from: None,
            to: Some(Status::Received),
            reason: None,
            detail: serde_json::json!({
                "origin": new.origin.code(),
                "operatorId": new.operator_id,
                "contentSha256": content_sha,
                "attachments": new.attachments.iter().map(|(a, _)| &a.sha256).collect::<Vec<_>>(),
                "senderSignatures": new.sender_signatures.len(),
                "searchTextLimited": new.text_note,
            }),
        },
    )?;
    if let Some(note) = &new.text_note {
        let told = format!(
            "Документ «{}» сохранён без полного текста для поиска: {note}. Его можно открыть, принять или отклонить и подписать как обычно",
            f.title
        );
        super::notifications::insert(tx, "error", Some(id), &told, &ctx.at)?;
    }
    Ok((id, true))
}

impl Store {
    /// Adds a document as received. Returns its id and whether it is new: a document with the
    /// same main bytes (or the same operator id) is not added twice.
    /// Adds a document as received. Returns its id and whether it is new: a document with the
    /// same main bytes (or the same operator id) is not added twice.
    pub fn add_document(&mut self, new: NewDocument) -> Result<(DocumentId, bool)> {
        self.write(|tx, ctx| insert_new(tx, ctx, &new, false))
    }

    /// Adds several documents in one transaction (an import of a folder): each succeeds or fails
    /// on its own through a savepoint, and one commit covers them all.
    pub fn add_documents(
        &mut self,
        docs: &[NewDocument],
    ) -> Result<Vec<Result<(DocumentId, bool)>>> {
        self.add_each(docs, &[], |_, _| Ok(()))
    }

    /// Adds documents received from the operator for `account` in one transaction (as
    /// `add_documents`); each one stored is taken back from the documents set aside earlier.
    /// `text_later[i]`: the text of `docs[i]` is only its head, the indexer reads the rest.
    pub fn add_received(
        &mut self,
        account: &str,
        docs: &[NewDocument],
        text_later: &[bool],
    ) -> Result<Vec<Result<(DocumentId, bool)>>> {
        self.add_each(docs, text_later, |tx, d| {
            if let Some(op) = &d.operator_id {
                tx.prepare_cached("DELETE FROM set_aside WHERE account = ?1 AND operator_id = ?2")?
                    .execute(params![account, op])?;
            }
            Ok(())
        })
    }

    /// `add_documents` with `also` run in each document's savepoint after its rows
    /// (`text_later` as `add_received` has it; missing: false).
    fn add_each(
        &mut self,
        docs: &[NewDocument],
        text_later: &[bool],
        also: impl Fn(&rusqlite::Connection, &NewDocument) -> Result<()>,
    ) -> Result<Vec<Result<(DocumentId, bool)>>> {
        self.write(|tx, ctx| {
            let mut out = Vec::with_capacity(docs.len());
            for (i, d) in docs.iter().enumerate() {
                let later = text_later.get(i).copied().unwrap_or(false);
                // Cached: parsing these two statements anew cost as much as a document's rows.
                tx.prepare_cached("SAVEPOINT one_document")?.execute([])?;
                match insert_new(tx, ctx, d, later).and_then(|r| also(tx, d).map(|_| r)) {
                    Ok(r) => {
                        tx.prepare_cached("RELEASE one_document")?.execute([])?;
                        out.push(Ok(r));
                    }
                    Err(e) => {
                        // On a full disk or an I/O error SQLite may roll the whole transaction
                        // back itself: no savepoint is left to return to, and the batch fails
                        // with the document's own error («Не хватает места на диске»), not with
                        // "no such savepoint".
                        if tx.is_autocommit()
                            || tx
                                .execute_batch("ROLLBACK TO one_document; RELEASE one_document")
                                .is_err()
                        {
                            return Err(e);
                        }
                        out.push(Err(e));
                    }
                }
            }
            Ok(out)
        })
    }

    pub fn document(&self, id: DocumentId) -> Result<Document> {
        load(&self.conn, id)
    }

    /// The document with this operator id, if it is in the store.
    pub fn document_by_operator_id(&self, operator_id: &str) -> Result<Option<Document>> {
        let id: Option<DocumentId> = self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE operator_id = ?1",
                [operator_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| load(&self.conn, id)).transpose()
    }

    /// Moves a document by an action, checking it against the status machine inside the
    /// transaction; a refused action changes nothing.
    pub fn apply(
        &mut self,
        id: DocumentId,
        action: Action,
        reason: Option<&str>,
    ) -> Result<Document> {
        let reason = match action {
            Action::Reject => Some(check_reason(reason.unwrap_or(""))?.to_string()),
            _ => reason
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
        };
        self.write(|tx, ctx| {
            let doc = load(tx, id)?;
            let decision = match action {
                Action::Accept => Some("accept"),
                Action::Reject => Some("reject"),
                Action::Reopen => None,
                _ => doc.decision.map(|d| match d {
                    Decision::Accept => "accept",
                    Decision::Reject => "reject",
                }),
            };
            let reject_reason = match action {
                Action::Reject => reason.clone(),
                Action::Reopen => None,
                _ => doc.reject_reason.clone(),
            };
            transition(
                tx,
                ctx,
                id,
                doc.status,
                Move {
                    action,
                    actor: ctx.actor,
                    reason: reason.as_deref(),
                    detail: serde_json::json!({ "contentSha256": doc.content_sha256 }),
                },
            )?;
            tx.prepare_cached(
                "UPDATE documents SET decision = ?1, reject_reason = ?2 WHERE id = ?3",
            )?
            .execute(params![decision, reject_reason, id])?;
            load(tx, id)
        })
    }

    pub fn view(&mut self, id: DocumentId) -> Result<Document> {
        let doc = self.document(id)?;
        if doc.status == Status::Received {
            return self.apply(id, Action::View, None);
        }
        Ok(doc)
    }

    pub fn accept(&mut self, id: DocumentId) -> Result<Document> {
        self.apply(id, Action::Accept, None)
    }

    pub fn reject(&mut self, id: DocumentId, reason: &str) -> Result<Document> {
        self.apply(id, Action::Reject, Some(reason))
    }

    /// Keeps our own signature of a decision and moves the document to signed, then puts the
    /// decision in the outbox — all in one transaction, so a signature is never kept without its
    /// outbox item nor sent without being kept. `signed_sha256` must be the hash of the bytes
    /// that were shown: the document's content for an acceptance; for a rejection the refusal
    /// notice the payload carries (`notice`, base64), which must name this document, its
    /// content hash and its reason, and is kept as a blob so that export writes what was signed.
    pub fn record_own_signature(
        &mut self,
        id: DocumentId,
        sig: NewSignature,
        payload: serde_json::Value,
    ) -> Result<(i64, String)> {
        self.write(|tx, ctx| {
            let doc = load(tx, id)?;
            // Refused before anything is checked or written, as before the move was shared.
            doc.status.apply(Action::Sign)?;
            let expected = match doc.decision {
                Some(Decision::Reject) => {
                    let notice = crate::refusal::from_payload(&payload, &sig.signed_sha256, &doc)?;
                    blobs::put(tx, &notice)?
                }
                _ => doc.content_sha256.clone(),
            };
            if sig.signed_sha256 != expected {
                return Err(Error::new(
                    ErrorCode::SignatureInvalid,
                    "Подписаны не те данные, что показаны: подпись не сохранена",
                ));
            }
            let sig_id = insert_signature(tx, id, "own", &sig, &ctx.at)?;
            let kind = match doc.decision {
                Some(Decision::Reject) => outbox::OutboxKind::Rejection,
                _ => outbox::OutboxKind::Signature,
            };
            let cms_sha = blobs::sha256_hex(&sig.cms);
            let signed = transition(tx, ctx, id, doc.status, Move { action: Action::Sign, actor: ctx.actor, reason: None, detail: serde_json::json!({ "signedSha256": sig.signed_sha256, "cmsSha256": cms_sha, "signer": sig.signer }) })?;
            let key = outbox::enqueue(tx, id, kind, &payload, &ctx.at)?;
            transition(tx, ctx, id, signed, Move { action: Action::Queue, actor: ctx.actor, reason: None, detail: serde_json::json!({ "idempotencyKey": key, "kind": kind.code() }) })?;
            Ok((sig_id, key))
        })
    }

    /// Corrects what an import recognised. Recorded in the history like any change.
    pub fn edit(&mut self, id: DocumentId, edit: DocumentEdit) -> Result<Document> {
        if let Some(d) = &edit.date {
            crate::model::Day::parse(d)?;
        }
        if let Some(n) = &edit.number {
            if n.trim().is_empty() || n.chars().any(char::is_control) {
                return Err(Error::invalid(
                    "Номер документа не может быть пустым или содержать управляющие символы",
                ));
            }
        }
        self.write(|tx, ctx| {
            let doc = load(tx, id)?;
            if !doc.status.needs_action() {
                return Err(Error::new(
                    ErrorCode::InvalidTransition,
                    format!("Документ в статусе «{}» уже нельзя исправлять", doc.status.name_ru()),
                ));
            }
            let mut f = doc.fields.clone();
            let mut changed = serde_json::Map::new();
            if let Some(k) = edit.kind {
                changed.insert("kind".into(), serde_json::json!([f.kind.code(), k.code()]));
                f.kind = k;
            }
            if let Some(n) = &edit.number {
                changed.insert("number".into(), serde_json::json!([f.number, n]));
                f.number = Some(n.trim().to_string());
            }
            if let Some(d) = &edit.date {
                changed.insert("date".into(), serde_json::json!([f.date, d]));
                f.date = Some(d.clone());
            }
            if let Some(t) = &edit.title {
                changed.insert("title".into(), serde_json::json!([f.title, t]));
                f.title = t.clone();
            }
            tx.prepare_cached("UPDATE documents SET kind = ?1, number = ?2, date = ?3, title = ?4, updated_at = ?5 WHERE id = ?6")?.execute(
                params![f.kind.code(), f.number, f.date, f.title, ctx.at, id],
            )?;
            let body: String = tx
                .query_row("SELECT body FROM documents_fts WHERE rowid = ?1", [id], |r| r.get(0))
                .optional()?
                .unwrap_or_default();
            index_text(tx, id, &f, &body)?;
            record(tx, ctx, id, Change { action: "edited", from: Some(doc.status), to: Some(doc.status), reason: None, detail: serde_json::Value::Object(changed) })?;
            load(tx, id)
        })
    }

    /// The signatures kept for a document, sender's first.
    pub fn signatures(&self, id: DocumentId) -> Result<Vec<StoredSignature>> {
        let mut st = self.conn.prepare(
            "SELECT id, document_id, party, attachment_id, signed_sha256, cms, signer, verdict, verified_at, created_at
             FROM signatures WHERE document_id = ?1 ORDER BY party = 'own', id",
        )?;
        let rows = st.query_map([id], |r| {
            let sig = StoredSignature {
                id: r.get(0)?,
                document_id: r.get(1)?,
                party: r.get(2)?,
                attachment_id: r.get(3)?,
                signed_sha256: r.get(4)?,
                cms: r.get(5)?,
                signer: None,
                verdict: None,
                verified_at: r.get(8)?,
                created_at: r.get(9)?,
            };
            Ok((
                sig,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut sig, signer, verdict) = row?;
            sig.signer = read_column(&sig, "signer", signer)?;
            sig.verdict = read_column(&sig, "verdict", verdict)?;
            out.push(sig);
        }
        Ok(out)
    }

    /// The history of one document, oldest first.
    pub fn history(&self, id: DocumentId) -> Result<Vec<history::HistoryEntry>> {
        load(&self.conn, id)?;
        history::for_subject(&self.conn, &subject(id))
    }
}

#[cfg(test)]
mod tests {
    use super::SAME_CONTENT;
    use crate::keychain::KeychainMode;
    use crate::{OpenOptions, Store};

    /// Import's duplicate check looks the hash up; it does not walk every imported document
    /// (the cost of an import grew with the store: 0.41 of the floor at 2,000 files, issue #17).
    #[test]
    fn the_duplicate_check_of_an_import_looks_the_hash_up() {
        let dir = tempfile::tempdir().unwrap();
        let opts = OpenOptions {
            keychain: KeychainMode::File,
            ..OpenOptions::default()
        };
        let store = Store::open(dir.path(), opts).unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {SAME_CONTENT}"))
            .unwrap()
            .query_map(["x"], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan.iter()
                .any(|p| p.contains("documents_content (content_sha256=?)")),
            "{plan:?}"
        );
    }
}
