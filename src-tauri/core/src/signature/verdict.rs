//! The outcome of a signature check, shaped like EU DSS's simple report: an indication, a
//! sub-indication saying why, a sentence for the user, and who signed.

use crate::model::Timestamp;
use serde::{Deserialize, Serialize};

use super::identity::SignerIdentity;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    TotalPassed,
    TotalFailed,
    /// Could not be decided here (expired certificate, unknown algorithm …): not a failure.
    Indeterminate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    /// The content is not the one that was signed.
    HashFailure,
    /// The signature value does not match the signed attributes and the key.
    SigCryptoFailure,
    /// Not CMS SignedData, truncated, or inconsistent.
    FormatFailure,
    /// No SignerInfo at all.
    NoSigner,
    /// A SignerInfo whose certificate is not in the CMS.
    NoSigningCertificateFound,
    /// The certificate had expired at the time of the check.
    OutOfBounds,
    /// The certificate was not yet valid at the time of the check.
    NotYetValid,
    /// An algorithm we do not verify: unknown, or a KZ GOST variant other than 2015-512 / 2004.
    AlgorithmNotSupported,
    /// A certificate of the chain was revoked before the time of the check (CRL).
    Revoked,
    /// No chain from the signer certificate to a trusted certificate could be built (no anchor,
    /// missing intermediate, or a certificate signature in the chain that does not verify).
    NoCertificateChainFound,
    /// The signer certificate may not sign (key usage without digitalSignature/nonRepudiation).
    SigConstraintsFailure,
    /// A certificate of the chain is not a CA (basic constraints, key usage keyCertSign).
    ChainConstraintsFailure,
}

/// Also the `verdict` column of a stored signature: stores written before `algorithmId`, `intact`
/// and `chain` existed lack them, so those default; a field it does not know is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Verdict {
    pub indication: Indication,
    pub sub_indication: Option<SubIndication>,
    /// A Russian sentence for the user.
    pub reason: String,
    pub signer: Option<SignerIdentity>,
    pub signing_time: Option<Timestamp>,
    /// e.g. "RSA (PKCS#1 v1.5), SHA-256": for people, in their language.
    pub algorithm: Option<String>,
    /// The same for scripts, in every language alike: `rsa-sha256`, `ecdsa-p256-sha256`,
    /// `gost2015-512`, `gost2015-256`, `gost2004`, or `oid:` and the dotted OID of another.
    #[serde(default)]
    pub algorithm_id: Option<String>,
    /// What was not checked, said plainly (the chain to a trusted root, revocation).
    pub warnings: Vec<String>,
    /// The cryptographic check and the content digest passed, whatever the chain says.
    #[serde(default)]
    pub intact: bool,
    /// Subjects of the certificate chain from the signer up to the trust anchor, when one was
    /// built (empty when the chain was not checked or none was found).
    #[serde(default)]
    pub chain: Vec<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.indication == Indication::TotalPassed
    }

    pub(crate) fn failed(sub: SubIndication, reason: impl Into<String>) -> Verdict {
        Verdict::new(Indication::TotalFailed, Some(sub), reason)
    }

    pub(crate) fn indeterminate(sub: SubIndication, reason: impl Into<String>) -> Verdict {
        Verdict::new(Indication::Indeterminate, Some(sub), reason)
    }

    pub(crate) fn new(
        indication: Indication,
        sub_indication: Option<SubIndication>,
        reason: impl Into<String>,
    ) -> Verdict {
        Verdict {
            indication,
            sub_indication,
            reason: reason.into(),
            signer: None,
            signing_time: None,
            algorithm: None,
            algorithm_id: None,
            warnings: vec![],
            intact: false,
            chain: vec![],
        }
    }
}
