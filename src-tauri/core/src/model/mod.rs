//! The domain model: documents, their kinds, statuses, money and taxpayer numbers.

mod document;
mod kind;
mod money;
mod status;
mod tax_number;

pub use document::{
    sha256_hex, Attachment, AttachmentRole, Decision, Document, DocumentFields, DocumentId, Origin,
    Party,
};
pub use kind::{DocumentKind, Lang};
pub use money::Money;
pub use status::{allowed_actions, user_actions, Action, Status};
pub use tax_number::TaxNumber;
