//! Checks a received detached CMS signature against the exact bytes this server served and the
//! recipient (an organisation, or an individual entrepreneur), with the project's own check (`qoltanba_core::signature`): the server
//! accepts exactly what the client would have accepted before sending.
//!
//! Not checked (and said so): the chain to a trusted NCA root and revocation. A KZ GOST signature
//! cannot be verified cryptographically here, so it fails as `signature_invalid` with that reason,
//! rather than passing unverified.

use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{check_taxpayer, verify_detached, SubIndication};
use qoltanba_core::ErrorCode;
use time::OffsetDateTime;

/// The outcome a receipt reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// Not a signature over these bytes (or not one this server can check); the reason in Russian.
    Invalid(String),
    /// The certificate may not sign for the recipient (another BIN or IIN, an authentication key).
    SignerNotAllowed(String),
}

/// Verifies `cms_der` (detached) over `content`, then that its signer holds a signing certificate
/// valid at `at` of the recipient numbered `recipient_bin`: an employee certificate of that BIN,
/// or, when the recipient is an individual entrepreneur, the entrepreneur's personal certificate
/// with that IIN. The store keeps the recipient's number only, so the certificate says which of
/// the two it is (`check_taxpayer`).
pub fn verify(cms_der: &[u8], content: &[u8], recipient_bin: &str, at: OffsetDateTime) -> Verdict {
    // This server keeps `time` (as rcgen does); the core takes its own Timestamp.
    let at = Timestamp::from_unix(at.unix_timestamp()).unwrap_or(Timestamp::UNIX_EPOCH);
    let verdict = verify_detached(cms_der, content, at);
    if verdict.sub_indication == Some(SubIndication::AlgorithmNotSupported) {
        return Verdict::Invalid(verdict.reason);
    }
    match check_taxpayer(cms_der, content, recipient_bin, at) {
        Ok(_) => Verdict::Valid,
        Err(e) if e.code == ErrorCode::WrongSigner => Verdict::SignerNotAllowed(e.message),
        Err(e) => Verdict::Invalid(e.message),
    }
}
