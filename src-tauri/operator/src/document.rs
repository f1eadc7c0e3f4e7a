//! The operator-side Document: how it is stored and how it is shown in the API.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::problem::Problem;

pub const KINDS: [&str; 13] = [
    "sales_report",
    "placement_services_act",
    "other_services_act",
    "points_bonus_act",
    "goods_compensation_act",
    "services_compensation_act",
    "goods_decompensation_act",
    "reconciliation_act",
    "sales_report_correction",
    "placement_services_act_correction",
    "other_services_act_correction",
    "points_bonus_act_correction",
    "other",
];

pub const STATUSES: [&str; 5] = [
    "awaiting_signature",
    "signed",
    "rejected",
    "revoked",
    "completed",
];

#[derive(Clone, Debug)]
pub struct Party {
    pub bin: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: String,
    pub role: &'static str,
    pub file_name: String,
    pub mime_type: &'static str,
    pub bytes: Vec<u8>,
}

/// A document as the seed creates it.
#[derive(Clone, Debug)]
pub struct Document {
    pub id: String,
    pub kind: &'static str,
    pub number: String,
    pub date: String,
    pub title: String,
    pub period: Option<(String, String)>,
    pub sender: Party,
    pub recipient: Party,
    pub amount: String,
    pub vat_amount: String,
    pub correction_of: Option<String>,
    pub requires_signature: bool,
    pub status: &'static str,
    pub updated_at: String,
    pub attachments: Vec<Attachment>,
    /// (attachment id, detached CMS DER) made by the sender.
    pub sender_signatures: Vec<(String, Vec<u8>)>,
}

impl Document {
    pub fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        let (from, to) = match &self.period {
            Some((f, t)) => (Some(f.as_str()), Some(t.as_str())),
            None => (None, None),
        };
        conn.prepare_cached(
            "INSERT INTO documents (id, kind, number, date, title, period_from, period_to,
               sender_bin, sender_name, recipient_bin, recipient_name, amount, vat_amount, currency,
               correction_of, requires_signature, status, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'KZT', ?14, ?15, ?16, ?17)",
        )?
        .execute(params![
            self.id,
            self.kind,
            self.number,
            self.date,
            self.title,
            from,
            to,
            self.sender.bin,
            self.sender.name,
            self.recipient.bin,
            self.recipient.name,
            self.amount,
            self.vat_amount,
            self.correction_of,
            self.requires_signature,
            self.status,
            self.updated_at,
        ])?;
        for (position, a) in self.attachments.iter().enumerate() {
            conn.prepare_cached(
                "INSERT INTO attachments (id, document_id, position, role, file_name, mime_type,
                   size, sha256, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                a.id,
                self.id,
                position as i64,
                a.role,
                a.file_name,
                a.mime_type,
                a.bytes.len() as i64,
                hex::encode(Sha256::digest(&a.bytes)),
                a.bytes,
            ])?;
        }
        for (attachment_id, cms) in &self.sender_signatures {
            conn.prepare_cached(
                "INSERT INTO sender_signatures (document_id, attachment_id, cms) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.id, attachment_id, cms])?;
        }
        Ok(())
    }
}

pub const SELECT: &str = "SELECT seq, id, kind, number, date, title, period_from, period_to,
    sender_bin, sender_name, recipient_bin, recipient_name, amount, vat_amount, currency,
    correction_of, requires_signature, status, updated_at FROM documents";

/// The API shape of one stored row (attachments and signatures read separately).
pub fn from_row(row: &Row) -> rusqlite::Result<(i64, Value)> {
    let seq: i64 = row.get(0)?;
    let value = json!({
        "id": row.get::<_, String>(1)?,
        "kind": row.get::<_, String>(2)?,
        "number": row.get::<_, String>(3)?,
        "date": row.get::<_, String>(4)?,
        "title": row.get::<_, String>(5)?,
        "periodFrom": row.get::<_, Option<String>>(6)?,
        "periodTo": row.get::<_, Option<String>>(7)?,
        "sender": {"bin": row.get::<_, String>(8)?, "name": row.get::<_, String>(9)?},
        "recipient": {"bin": row.get::<_, String>(10)?, "name": row.get::<_, String>(11)?},
        "amount": row.get::<_, String>(12)?,
        "vatAmount": row.get::<_, String>(13)?,
        "currency": row.get::<_, String>(14)?,
        "correctionOf": row.get::<_, Option<String>>(15)?,
        "requiresSignature": row.get::<_, bool>(16)?,
        "status": row.get::<_, String>(17)?,
        "updatedAt": row.get::<_, String>(18)?,
    });
    Ok((seq, value))
}

/// Adds `attachments` and `senderSignatures` to a document read with `from_row`.
pub fn complete(conn: &Connection, document: &mut Value) -> rusqlite::Result<()> {
    let id = document["id"].as_str().unwrap_or_default().to_owned();
    let attachments: Vec<Value> = conn
        .prepare_cached(
            "SELECT id, role, file_name, mime_type, size, sha256 FROM attachments
             WHERE document_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(json!({
                "id": r.get::<_, String>(0)?,
                "role": r.get::<_, String>(1)?,
                "fileName": r.get::<_, String>(2)?,
                "mimeType": r.get::<_, String>(3)?,
                "size": r.get::<_, i64>(4)?,
                "sha256": r.get::<_, String>(5)?,
            }))
        })?
        .collect::<Result<_, _>>()?;
    let signatures: Vec<Value> = conn
        .prepare_cached(
            "SELECT attachment_id, cms FROM sender_signatures WHERE document_id = ?1 ORDER BY rowid",
        )?
        .query_map([&id], |r| {
            Ok(json!({
                "attachmentId": r.get::<_, String>(0)?,
                "cms": STANDARD.encode(r.get::<_, Vec<u8>>(1)?),
            }))
        })?
        .collect::<Result<_, _>>()?;
    document["attachments"] = Value::Array(attachments);
    document["senderSignatures"] = Value::Array(signatures);
    Ok(())
}

/// One full document by id.
pub fn load(conn: &Connection, id: &str) -> Result<Value, Problem> {
    let found = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?;
    let (_, mut document) = found.ok_or_else(|| Problem::not_found(format!("no document {id}")))?;
    complete(conn, &mut document)?;
    Ok(document)
}

/// Status and recipient BIN, what a decision needs to know.
pub fn status_and_recipient(conn: &Connection, id: &str) -> Result<(String, String), Problem> {
    conn.query_row(
        "SELECT status, recipient_bin FROM documents WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Problem::not_found(format!("no document {id}")))
}

/// Appends an inbox event (the feed's cursor is the event's sequence number).
pub fn record_event(
    conn: &Connection,
    document_id: &str,
    kind: &str,
    at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO events (id, document_id, type, at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            format!("evt_{}", uuid::Uuid::new_v4().simple()),
            document_id,
            kind,
            at
        ])?;
    Ok(())
}
