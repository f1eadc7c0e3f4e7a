//! A document's status change: the one place that moves a document through the status machine.
//! The new status and the history entry that records it (with its MAC) are written in the
//! caller's transaction, so neither is ever kept without the other.

use super::{history, StoreCtx};
use crate::error::{Error, Result};
use crate::model::{Action, DocumentId, Status};
use rusqlite::{params, Connection};

/// The history's subject for a document.
pub(crate) fn subject(id: DocumentId) -> String {
    format!("document:{id}")
}

/// What moves a document, as the history records it.
pub(crate) struct Move<'a> {
    pub action: Action,
    /// `ctx.actor` for the user's own steps, "operator" for what the operator answered.
    pub actor: &'a str,
    pub reason: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// Moves document `id` from `from` by `m.action` (refused if the status machine does not allow
/// it) and records the move; returns the new status. `from` must be the stored status: the
/// update is conditional on it, so a caller holding a stale status changes nothing.
pub(crate) fn transition(
    tx: &Connection,
    ctx: &StoreCtx<'_>,
    id: DocumentId,
    from: Status,
    m: Move<'_>,
) -> Result<Status> {
    let to = from.apply(m.action)?;
    let changed = tx
        .prepare_cached(
            "UPDATE documents SET status = ?1, updated_at = ?2 WHERE id = ?3 AND status = ?4",
        )?
        .execute(params![to.code(), ctx.at, id, from.code()])?;
    if changed != 1 {
        return Err(Error::storage(format!(
            "Документ №{id} не в статусе «{}»: изменение не записано",
            from.name_ru()
        )));
    }
    history::append(
        tx,
        ctx.key,
        history::NewEntry {
            subject: subject(id),
            at: ctx.at.clone(),
            actor: m.actor,
            action: m.action.code(),
            from_status: Some(from.code()),
            to_status: Some(to.code()),
            reason: m.reason,
            detail: m.detail,
        },
    )?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::KeychainMode;
    use crate::model::{Attachment, AttachmentRole, DocumentFields, DocumentKind, Origin};
    use crate::store::{sha256_hex, NewDocument, OpenOptions, Store};
    use crate::ErrorCode;

    fn store_with_document(dir: &std::path::Path) -> (Store, DocumentId) {
        let opts = OpenOptions {
            keychain: KeychainMode::File,
            actor: "user:test".into(),
            ..OpenOptions::default()
        };
        let mut store = Store::open(dir, opts).unwrap();
        let bytes = b"%PDF-1.4 test".to_vec();
        let main = Attachment {
            id: "att_1".into(),
            role: AttachmentRole::Main,
            file_name: "d.pdf".into(),
            mime_type: "application/pdf".into(),
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        };
        let (id, _) = store
            .add_document(NewDocument {
                operator_id: Some("doc_1".into()),
                origin: Origin::Operator,
                fields: DocumentFields::new(DocumentKind::SalesReport, "Отчёт"),
                attachments: vec![(main, bytes)],
                text: String::new(),
                text_note: None,
                sender_signatures: vec![],
            })
            .unwrap();
        (store, id)
    }

    fn moved(store: &mut Store, id: DocumentId, from: Status, action: Action) -> Result<Status> {
        store.write(|tx, ctx| {
            let m = Move {
                action,
                actor: ctx.actor,
                reason: None,
                detail: serde_json::json!({}),
            };
            transition(tx, ctx, id, from, m)
        })
    }

    #[test]
    fn a_move_changes_the_status_and_adds_one_history_entry() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, id) = store_with_document(dir.path());
        let before = store.history(id).unwrap().len();
        let to = moved(&mut store, id, Status::Received, Action::View).unwrap();
        assert_eq!(to, Status::Viewed);
        assert_eq!(store.document(id).unwrap().status, Status::Viewed);
        let h = store.history(id).unwrap();
        assert_eq!(h.len(), before + 1);
        let last = h.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.actor.as_str()),
            ("view", "user:test")
        );
        assert_eq!(last.from_status.as_deref(), Some("received"));
        assert_eq!(last.to_status.as_deref(), Some("viewed"));
        assert!(store.verify_history().unwrap().intact);
    }

    /// A caller holding a status the document no longer has writes nothing, even when the
    /// status machine would allow the move from the status it believes in.
    #[test]
    fn a_stale_status_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, id) = store_with_document(dir.path());
        moved(&mut store, id, Status::Received, Action::View).unwrap();
        let before = store.history(id).unwrap().len();
        let e = moved(&mut store, id, Status::Received, Action::View).unwrap_err();
        assert_eq!(e.code, ErrorCode::Storage, "{}", e.message);
        assert!(e.message.contains("не в статусе «"), "{}", e.message);
        assert_eq!(store.history(id).unwrap().len(), before);
        assert_eq!(store.document(id).unwrap().status, Status::Viewed);
    }

    #[test]
    fn a_move_the_status_machine_refuses_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, id) = store_with_document(dir.path());
        let before = store.history(id).unwrap().len();
        let e = moved(&mut store, id, Status::Received, Action::Queue).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTransition, "{}", e.message);
        assert_eq!(store.history(id).unwrap().len(), before);
        assert_eq!(store.document(id).unwrap().status, Status::Received);
    }
}
