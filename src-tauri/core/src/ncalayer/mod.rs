//! Client of NCALayer, Kazakhstan's signing application, over its local WebSocket protocol
//! (shared/notes/ncalayer-protocol.md): trust by certificate pin, one request at a time,
//! results normalised (CMS as DER), every failure typed.

mod batch;
mod client;
mod connection;
mod failure;
mod key_info;
mod pinning;
pub(crate) mod reply;
mod request;

pub use batch::Prepared;
pub use client::{Diagnostics, NcaLayer, Settings, DEFAULT_URL};
pub use failure::Failure;
pub use key_info::{KeyInfo, KeyTime};
pub use pinning::{certificate_sha256, Pinning};
pub use reply::cms_to_der;
pub use request::{KeyType, SignOptions, EKU_SIGNING};
