//! Checks of a CMS signature before it is kept or shown as valid: the content, the signature
//! value, the signer certificate (validity, purpose, BIN). `verify_*` judge the signer
//! certificate alone and say the chain was not checked; `verify_*_with` build the chain to the
//! trust anchors given and check it (signatures, validity, key usage, CRLs).

mod algs;
mod cache;
use qoltanba_c14n as c14n;
mod chain;
mod digest;
mod gost;
#[cfg(test)]
mod gost_cms_tests;
mod identity;
mod note;
mod oids;
mod own;
mod path;
mod raw;
mod verdict;
mod verify;
mod xml;

pub use cache::{CacheWork, ChainCache, MAX_CACHED_CRLS, MAX_CACHED_SIGNATURES};
pub use chain::{
    certificates_from, chain_work, check_certificate, crls_from, ChainWork, Validation,
};
pub use identity::{Purpose, SignerIdentity};
pub use note::{note_text, CrlProblem, Note, Warning};
pub use own::{
    check_own, check_seller, check_seller_verdict, check_signing_key, check_signing_key_verdict,
    check_taxpayer, Seller, SellerKind,
};
pub(crate) use path::anchored;
pub use path::{MAX_SIGNATURE_CHECKS, MAX_UNTRUSTED_CERTIFICATES};
pub use verdict::{Indication, SubIndication, Verdict};
pub use verify::{
    attached_content, cms_certificates, verify_all_attached, verify_all_detached, verify_attached,
    verify_attached_with, verify_detached, verify_detached_first_with, verify_detached_with,
};
pub use xml::{verify_xml_with, xml_certificates};

/// GOST-2015-512 test keys and signatures for benchmarks outside the crate (feature
/// `test-gost-signer`; never in a release build): NCA's byte orders, deterministic k.
#[cfg(feature = "test-gost-signer")]
#[doc(hidden)]
pub mod gost_test_signer {
    use super::gost::{testing, Curve};

    /// The public key (X‖Y, little-endian) of the test key `seed`.
    pub fn public_2015(seed: u64) -> Vec<u8> {
        testing::keypair(&Curve::gost2015_512(), seed).1
    }

    /// A GOST-2015-512 signature (r‖s LE) of `message` (hashed with Streebog-512) by key `seed`.
    pub fn sign_2015(seed: u64, message: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        let c = Curve::gost2015_512();
        let (d, _) = testing::keypair(&c, seed);
        testing::sign(&c, &d, &streebog::Streebog512::digest(message))
    }
}
