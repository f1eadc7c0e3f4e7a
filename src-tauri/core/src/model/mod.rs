//! The domain model: documents, their kinds, statuses, money, taxpayer numbers and the two kinds
//! of time.

mod alert_kind;
mod calendar;
mod document;
mod kind;
mod money;
mod status;
mod tax_number;

pub use alert_kind::{check_kinds_off, AlertKind};
pub use calendar::{parse_local, Day, Timestamp};
/// A span between two instants (chrono's), so that callers of the core need not name chrono.
pub use chrono::TimeDelta;
pub use document::{
    sha256_hex, Attachment, AttachmentRole, Decision, Document, DocumentFields, DocumentId, Origin,
    Party,
};
pub use kind::{DocumentKind, Lang};
pub use money::Money;
pub use status::{allowed_actions, user_actions, Action, Status};
pub use tax_number::TaxNumber;
