//! NCA's private GOST OIDs (shared/notes/gost.md, each seen in real NCA objects) and the names
//! Kalkan gives the algorithms.

use const_oid::ObjectIdentifier;

/// GOST 34.310-2015 512-bit public key; parameters SEQUENCE { curve, digest }.
pub const KEY_2015: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.2.2");
pub const CURVE_2015_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.2.2.1");
/// Signature GOST 34.310-2015 512-bit with Streebog-512; parameters NULL.
pub const SIGN_2015_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.2.3.2");
/// Streebog-512 (GOST 34.311-2015); the CMS digestAlgorithm, parameters NULL.
pub const STREEBOG_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.3.3");

/// GOST 34.310-2004 public key; parameters SEQUENCE { curve, digest with the test S-box }.
pub const KEY_2004: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.1.1");
pub const CURVE_2004: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.1.1.1");
pub const GOST94_TEST_PARAMS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.398.3.10.1.3.1.1.0");
/// Signature GOST 34.310-2004 with GOST 34.311-95; parameters NULL.
pub const SIGN_2004: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.1.2");
/// GOST 34.311-95 (GOST R 34.11-94, test S-box); the CMS digestAlgorithm.
pub const GOST94: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.10.1.3.1");

/// The prefix of every KZ GOST key OID: a key under it that we cannot use is named as GOST.
pub const KZ_GOST_PREFIX: &str = "1.2.398.3.10.1.1";

/// XMLDSig URIs Kalkan writes for GOST-2015-512 (seen in NCANode's signed samples).
pub const XML_SIGN_2015: &str =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512";
pub const XML_DIGEST_2015: &str =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512";
/// XMLDSig URIs for GOST-2004: no signed sample was found (gost.md: UNVERIFIED); these are the
/// ones qoltanba-core's verifier accepts and public Kalkan wrappers name.
pub const XML_SIGN_2004: &str = "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411";
pub const XML_DIGEST_2004: &str = "http://www.w3.org/2001/04/xmldsig-more#gostr3411";
