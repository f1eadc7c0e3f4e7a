//! Checks of a CMS signature before it is kept or shown as valid: the content, the signature
//! value, the signer certificate (validity, purpose, BIN). Chain building to NCA's root is not
//! done yet and every verdict says so.

mod digest;
mod gost;
#[cfg(test)]
mod gost_cms_tests;
mod identity;
mod oids;
mod own;
mod raw;
mod verdict;
mod verify;

pub use identity::{Purpose, SignerIdentity};
pub use own::check_own;
pub use verdict::{Indication, SubIndication, Verdict};
pub use verify::{
    attached_content, verify_all_attached, verify_all_detached, verify_attached, verify_detached,
};
