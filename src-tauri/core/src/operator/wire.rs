//! The shapes of operator-api.md on the wire. Unknown fields are ignored (a newer server may add
//! some); a missing required field is a clear error, never a guess.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Organization {
    /// The seller's taxpayer number: a BIN, or an individual entrepreneur's IIN (`kind`).
    pub bin: String,
    pub name: String,
    /// `legal_entity` or `individual_entrepreneur`; older servers send none (a legal entity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Organization {
    /// What `bin` is: an entrepreneur's IIN when the operator says so, a BIN otherwise.
    pub fn seller_kind(&self) -> crate::signature::SellerKind {
        match self.kind.as_deref() {
            Some("individual_entrepreneur") => crate::signature::SellerKind::Iin,
            _ => crate::signature::SellerKind::Bin,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Employee {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub iin: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /me`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Me {
    pub organization: Organization,
    #[serde(default)]
    pub employee: Option<Employee>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Created,
    Updated,
    Revoked,
    /// A type this client does not know yet: the document is re-read like on `updated`.
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub document_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    #[serde(default)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct EventPage {
    pub events: Vec<Event>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct RemoteParty {
    pub bin: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteAttachment {
    pub id: String,
    pub role: String,
    pub file_name: String,
    pub mime_type: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteSignature {
    pub attachment_id: String,
    /// Base64 of a detached DER CMS.
    pub cms: String,
}

/// `GET /documents/{id}` and each item of the listing.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteDocument {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    pub title: String,
    #[serde(default)]
    pub period_from: Option<String>,
    #[serde(default)]
    pub period_to: Option<String>,
    #[serde(default)]
    pub sender: Option<RemoteParty>,
    #[serde(default)]
    pub recipient: Option<RemoteParty>,
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub vat_amount: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub correction_of: Option<String>,
    #[serde(default)]
    pub requires_signature: Option<bool>,
    pub status: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    pub attachments: Vec<RemoteAttachment>,
    #[serde(default)]
    pub sender_signatures: Vec<RemoteSignature>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct DocumentPage {
    pub documents: Vec<RemoteDocument>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignatureBody {
    pub attachment_id: String,
    pub cms: String,
}

/// A rejection, version 2: the reason, the refusal notice's exact bytes (base64) and the CMS
/// over them. An item queued by an older version has no `notice` and is refused before sending.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct RejectionBody {
    pub reason: String,
    pub notice: String,
    pub cms: String,
}

/// 202 to a decision.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub receipt_id: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Pending,
    Verified,
    Failed,
}

/// A problem+json body, as errors and failed receipts carry it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Problem {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Receipt {
    pub status: ReceiptStatus,
    #[serde(default)]
    pub problem: Option<Problem>,
}

/// `POST /shared/open`. Debug shows no token (see [`super::Token`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedAccess {
    pub access_token: super::Token,
    pub document_id: String,
    #[serde(default)]
    pub expires_at: Option<String>,
}
