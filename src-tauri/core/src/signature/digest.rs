//! Content digests by the CMS digestAlgorithm: SHA-256, and the KZ GOST hashes, so that even a
//! GOST signature whose value we cannot verify yet is checked to cover these exact bytes.

use const_oid::ObjectIdentifier as Oid;
use sha2::Digest;

use super::oids;

const STREEBOG_512: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.3");
const STREEBOG_256: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.2");
const GOST_34_311_95: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.1");

/// The digest of `content` as it would appear in messageDigest, or None for an unknown algorithm.
/// GOST outputs are taken exactly as the RustCrypto crates return them: that is the byte order
/// Kalkan writes (shared/notes/gost.md).
pub(crate) fn of(algorithm: &Oid, content: &[u8]) -> Option<Vec<u8>> {
    Some(match *algorithm {
        a if a == oids::SHA256 => sha2::Sha256::digest(content).to_vec(),
        a if a == STREEBOG_512 => streebog::Streebog512::digest(content).to_vec(),
        a if a == STREEBOG_256 => streebog::Streebog256::digest(content).to_vec(),
        a if a == GOST_34_311_95 => gost94::Gost94Test::digest(content).to_vec(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streebog_512_matches_what_kalkan_writes() {
        // gost.md: Streebog-512("test123") = f0afdd66…b12990, the messageDigest of a real NCA CMS.
        let d = hex::encode(of(&STREEBOG_512, b"test123").unwrap());
        assert!(d.starts_with("f0afdd66") && d.ends_with("b12990"), "{d}");
        assert_eq!(of(&STREEBOG_256, b"").unwrap().len(), 32);
        assert_eq!(of(&GOST_34_311_95, b"").unwrap().len(), 32);
        assert_eq!(of(&oids::P256, b""), None);
    }
}
