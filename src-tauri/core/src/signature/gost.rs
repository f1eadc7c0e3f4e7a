//! Verification of KZ GOST signatures (GOST 34.310-2015 512-bit with Streebog-512, and
//! GOST 34.310-2004 with GOST 34.311-95) on the curves and byte orders NCA uses
//! (shared/notes/gost.md): public key X‖Y and signature r‖s, each little-endian; the digest
//! read as a little-endian integer. The arithmetic is qoltanba-gost's, shared with the signer.

use qoltanba_gost::CurveId;

/// One of NCA's two GOST curves.
#[derive(Clone, Copy)]
pub(crate) struct Curve {
    id: CurveId,
    /// Coordinate size in bytes (tests size keys and digests with it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub n: usize,
}

impl Curve {
    /// GOST 34.310-2015 512-bit (1.2.398.3.10.1.1.2.2.1 = tc26 512 paramSetA).
    pub fn gost2015_512() -> Curve {
        Curve::of(CurveId::Gost2015_512)
    }

    /// GOST 34.310-2004 (1.2.398.3.10.1.1.1.1.1 = CryptoPro-A).
    pub fn gost2004() -> Curve {
        Curve::of(CurveId::Gost2004)
    }

    fn of(id: CurveId) -> Curve {
        Curve { id, n: id.size() }
    }

    /// Checks a signature (`r‖s`, each LE) over a digest (hash output as the crates return it)
    /// with a public key (`X‖Y`, each LE).
    pub fn verify(&self, public_key: &[u8], digest: &[u8], signature: &[u8]) -> bool {
        qoltanba_gost::verify(self.id, public_key, digest, signature)
    }
}

/// Test keys, so tests (and the verification benchmark, feature `test-gost-signer`) can make
/// real GOST signatures of their own: the signer's code, keys derived from a seed.
#[cfg(any(test, feature = "test-gost-signer"))]
pub(crate) mod testing {
    use super::Curve;
    use qoltanba_gost::GostKey;
    use sha2::Digest as _;

    /// A key pair from a seed: (private key, public key X‖Y LE). The scalar is the seed's
    /// Streebog-512 with the top byte cleared, so it is below q.
    pub fn keypair(c: &Curve, seed: u64) -> (GostKey, Vec<u8>) {
        let mut d = streebog::Streebog512::digest(seed.to_le_bytes()).to_vec();
        d.truncate(c.n - 1);
        let key = GostKey::from_le(c.id, &d).expect("a scalar below q");
        let public = key.public_key().to_vec();
        (key, public)
    }

    /// GOST 34.10 signing in NCA's byte order (r‖s LE), a fresh nonce each time.
    pub fn sign(_c: &Curve, key: &GostKey, digest: &[u8]) -> Vec<u8> {
        key.sign_digest(digest)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{keypair, sign};
    use super::*;

    #[test]
    fn round_trip_and_tampering() {
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            let (d, key) = keypair(&c, 42);
            let digest = vec![0x5Au8; c.n];
            let sig = sign(&c, &d, &digest);
            assert!(c.verify(&key, &digest, &sig));
            let mut other = digest.clone();
            other[0] ^= 1;
            assert!(!c.verify(&key, &other, &sig));
            let mut bad = sig.clone();
            bad[3] ^= 1;
            assert!(!c.verify(&key, &digest, &bad));
            let mut wrong_key = key.clone();
            wrong_key[0] ^= 1;
            assert!(!c.verify(&wrong_key, &digest, &sig));
            assert!(!c.verify(&key, &digest, &sig[..sig.len() - 1]));
        }
    }
}
