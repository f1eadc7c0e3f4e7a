//! The refusal notice of a rejection (operator-api.md, rejections version 2): read with the
//! client's own strict parser, then held against the document this server holds, so a
//! signature can only ever reject the document and the exact main file it was served.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use qoltanba_core::refusal::RefusalNotice;
use rusqlite::{Connection, OptionalExtension};

use crate::problem::Problem;

/// The notice's bytes when they are a notice about document `id` with `reason`; a 422
/// `validation_failed` naming what differs otherwise.
pub fn notice(
    conn: &Connection,
    id: &str,
    reason: &str,
    notice: Option<&str>,
) -> Result<Vec<u8>, Problem> {
    let notice = notice.ok_or_else(|| {
        Problem::validation(
            "notice is required: rejections version 1 (a CMS over the bare reason) are not accepted",
        )
    })?;
    let bytes = STANDARD
        .decode(notice.trim())
        .map_err(|_| Problem::validation("notice must be base64 of the refusal notice's bytes"))?;
    let read = RefusalNotice::parse(&bytes)
        .map_err(|e| Problem::validation(format!("notice: {}", e.message)))?;
    let (number, date, sender, recipient): (String, String, String, String) = conn.query_row(
        "SELECT number, date, sender_bin, recipient_bin FROM documents WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let main: Option<String> = conn
        .query_row(
            "SELECT sha256 FROM attachments WHERE document_id = ?1 AND role = 'main'
             ORDER BY position LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let differs = |field: &str, got: &str, want: &str| {
        Problem::validation(format!(
            "notice names {field} {got:?}, but this is {want:?} of document {id}"
        ))
    };
    if read.document_id != id {
        return Err(differs("document", &read.document_id, id));
    }
    match main {
        Some(h) if h == read.content_sha256 => {}
        Some(h) => return Err(differs("content SHA-256", &read.content_sha256, &h)),
        None => {
            return Err(Problem::validation(format!(
                "document {id} has no main attachment"
            )))
        }
    }
    if read.reason != reason {
        return Err(Problem::validation(
            "the notice's reason is not the reason of this request",
        ));
    }
    for (field, got, want) in [
        ("number", &read.number, &number),
        ("date", &read.date, &date),
        ("sender", &read.sender, &sender),
        ("recipient", &read.recipient, &recipient),
    ] {
        if got != want {
            return Err(differs(field, got, want));
        }
    }
    Ok(bytes)
}
