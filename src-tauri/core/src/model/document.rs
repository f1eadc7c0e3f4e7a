//! A closing document as the store keeps it and the UI shows it.

use super::{DocumentKind, Money, Status, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type DocumentId = i64;

/// An organisation: BIN and name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Party {
    pub bin: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentRole {
    /// The document to sign.
    Main,
    /// An electronic invoice: shown, never signed here; it goes to the state portal.
    Esf,
    Appendix,
}

impl AttachmentRole {
    pub fn code(self) -> &'static str {
        match self {
            AttachmentRole::Main => "main",
            AttachmentRole::Esf => "esf",
            AttachmentRole::Appendix => "appendix",
        }
    }
    pub fn from_code(s: &str) -> Option<AttachmentRole> {
        [
            AttachmentRole::Main,
            AttachmentRole::Esf,
            AttachmentRole::Appendix,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
}

/// SHA-256 of the bytes, lowercase hex: how attachments, blobs and signed content are named.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The operator's id of the attachment, or a local one for imported files.
    pub id: String,
    pub role: AttachmentRole,
    pub file_name: String,
    pub mime_type: String,
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex; the key of the stored blob.
    pub sha256: String,
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Import,
    Operator,
    SharedLink,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Import => "import",
            Origin::Operator => "operator",
            Origin::SharedLink => "shared_link",
        }
    }
    pub fn from_code(s: &str) -> Option<Origin> {
        [Origin::Import, Origin::Operator, Origin::SharedLink]
            .into_iter()
            .find(|o| o.code() == s)
    }
}

/// The user's decision on a document, kept apart from the status so that "sent" still says
/// whether an acceptance or a rejection went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
}

/// The descriptive fields of a document, as they arrive (from the operator or an import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFields {
    pub kind: DocumentKind,
    pub number: Option<String>,
    /// The document's own date, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: String,
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    pub sender: Option<Party>,
    pub recipient: Option<Party>,
    pub amount: Option<Money>,
    pub vat_amount: Option<Money>,
    pub currency: String,
    /// The number of the document a correction corrects, as written in it.
    pub correction_of_number: Option<String>,
    /// The operator's id of the corrected document.
    pub correction_of_operator_id: Option<String>,
}

impl DocumentFields {
    pub fn new(kind: DocumentKind, title: impl Into<String>) -> Self {
        DocumentFields {
            kind,
            number: None,
            date: None,
            title: title.into(),
            period_from: None,
            period_to: None,
            sender: None,
            recipient: None,
            amount: None,
            vat_amount: None,
            currency: "KZT".into(),
            correction_of_number: None,
            correction_of_operator_id: None,
        }
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: DocumentId,
    pub operator_id: Option<String>,
    pub origin: Origin,
    #[serde(flatten)]
    pub fields: DocumentFields,
    pub status: Status,
    pub decision: Option<Decision>,
    pub reject_reason: Option<String>,
    /// The local id of the corrected document when it is in the store.
    pub correction_of: Option<DocumentId>,
    /// SHA-256 of the main attachment: the bytes that are shown and signed.
    pub content_sha256: String,
    pub attachments: Vec<Attachment>,
    pub received_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Document {
    pub fn main_attachment(&self) -> Option<&Attachment> {
        self.attachments
            .iter()
            .find(|a| a.role == AttachmentRole::Main)
    }
}
