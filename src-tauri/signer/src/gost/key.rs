//! A GOST private key and the GOST 34.10 signature in NCA's byte order (r‖s, each
//! little-endian; the digest read as a little-endian integer; shared/notes/gost.md).
//!
//! The scalar is kept as a Montgomery residue mod q and zeroised when the key is dropped; the
//! nonce k comes from the operating system's generator (`OsRng`) for every signature, is used
//! only through constant-time arithmetic and is zeroised before returning.

use crypto_bigint::modular::runtime_mod::DynResidue;
use crypto_bigint::{Encoding, NonZero, RandomMod, U512};
use rand_core::OsRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::curve::{Curve, CurveId};

type Scalar = DynResidue<{ U512::LIMBS }>;

/// Why a GOST private key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// The scalar is 0 or not below the group order.
    OutOfRange,
    /// d·G is not the public key of the certificate the key came with.
    NotTheCertificatesKey,
}

/// A private scalar d on one of NCA's curves.
pub struct GostKey {
    curve: &'static Curve,
    d: Scalar,
    /// X‖Y, each little-endian, as in the certificate.
    public: Vec<u8>,
}

impl Drop for GostKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl ZeroizeOnDrop for GostKey {}

impl std::fmt::Debug for GostKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the scalar.
        f.debug_struct("GostKey")
            .field("curve", &self.curve.id)
            .finish_non_exhaustive()
    }
}

impl GostKey {
    /// A key from its scalar in little-endian bytes (NCA's 2015 encoding). The caller's buffer
    /// is theirs to zeroise.
    pub fn from_le(id: CurveId, d_le: &[u8]) -> Result<GostKey, KeyProblem> {
        let curve = Curve::get(id);
        if d_le.len() > curve.n {
            return Err(KeyProblem::OutOfRange);
        }
        let mut buf = [0u8; 64];
        buf[..d_le.len()].copy_from_slice(d_le);
        let mut d = U512::from_le_slice(&buf);
        buf.zeroize();
        let key = GostKey::from_scalar(curve, &d);
        d.zeroize();
        key
    }

    /// A key from its scalar in big-endian bytes (a DER INTEGER: NCA's 2004 encoding).
    pub fn from_be(id: CurveId, d_be: &[u8]) -> Result<GostKey, KeyProblem> {
        let mut le: Vec<u8> = d_be.iter().rev().copied().collect();
        // A DER INTEGER may carry a leading zero byte (now trailing).
        while le.len() > Curve::get(id).n && le.last() == Some(&0) {
            le.pop();
        }
        let key = GostKey::from_le(id, &le);
        le.zeroize();
        key
    }

    /// A fresh key from the operating system's generator (test keys, key generation).
    pub fn generate(id: CurveId) -> GostKey {
        let curve = Curve::get(id);
        loop {
            let mut d = random_scalar(curve);
            let key = GostKey::from_scalar(curve, &d);
            d.zeroize();
            if let Ok(key) = key {
                return key;
            }
        }
    }

    fn from_scalar(curve: &'static Curve, d: &U512) -> Result<GostKey, KeyProblem> {
        if d == &U512::ZERO || d >= curve.order() {
            return Err(KeyProblem::OutOfRange);
        }
        let (x, y) = curve
            .affine(&curve.mul_base(d))
            .ok_or(KeyProblem::OutOfRange)?;
        let mut public = le_bytes(&x, curve.n);
        public.extend(le_bytes(&y, curve.n));
        Ok(GostKey {
            curve,
            d: Scalar::new(d, curve.q),
            public,
        })
    }

    /// Checks that this key belongs to a certificate's public key (X‖Y LE).
    pub fn check_public(&self, public_key: &[u8]) -> Result<(), KeyProblem> {
        if self.public == public_key {
            Ok(())
        } else {
            Err(KeyProblem::NotTheCertificatesKey)
        }
    }

    pub fn curve(&self) -> CurveId {
        self.curve.id
    }

    /// The public key X‖Y, each little-endian (what a certificate carries).
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// The scalar, little-endian, n bytes: for writing a key file (test keys). Zeroise it.
    pub fn to_le(&self) -> Vec<u8> {
        le_bytes(&self.d.retrieve(), self.curve.n)
    }

    /// Signs a digest (the hash bytes exactly as the streebog/gost94 crates return them):
    /// r‖s, each little-endian, 2n bytes.
    pub fn sign_digest(&self, digest: &[u8]) -> Vec<u8> {
        let c = self.curve;
        let e = Scalar::new(&digest_scalar(c, digest), c.q);
        loop {
            let mut k = random_scalar(c);
            if k == U512::ZERO {
                continue;
            }
            let Some((mut x, _)) = c.affine(&c.mul_base(&k)) else {
                k.zeroize();
                continue;
            };
            // r is published in the signature: no need to hide how it is reduced.
            let r = c.x_mod_q(&x);
            x.zeroize();
            if r == U512::ZERO {
                k.zeroize();
                continue;
            }
            let mut k_res = Scalar::new(&k, c.q);
            k.zeroize();
            let s = (Scalar::new(&r, c.q) * self.d + k_res * e).retrieve();
            k_res.zeroize();
            if s == U512::ZERO {
                continue;
            }
            let mut out = le_bytes(&r, c.n);
            out.extend(le_bytes(&s, c.n));
            return out;
        }
    }
}

/// A uniform integer in [0, q) from the operating system's generator.
fn random_scalar(c: &Curve) -> U512 {
    let q = NonZero::new(*c.order()).expect("the group order is not zero");
    U512::random_mod(&mut OsRng, &q)
}

/// e = digest as a little-endian integer, mod q, 1 when 0 (GOST 34.10 step 2).
fn digest_scalar(c: &Curve, digest: &[u8]) -> U512 {
    let mut buf = [0u8; 64];
    let len = digest.len().min(64);
    buf[..len].copy_from_slice(&digest[..len]);
    let e = U512::from_le_slice(&buf);
    // e < 2^(8n) < 2q, so one conditional subtraction reduces it; the digest is public.
    let e = if &e >= c.order() {
        e.wrapping_sub(c.order())
    } else {
        e
    };
    if e == U512::ZERO {
        U512::ONE
    } else {
        e
    }
}

fn le_bytes(v: &U512, n: usize) -> Vec<u8> {
    v.to_le_bytes()[..n].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_signatures_of_one_digest_differ_and_keys_round_trip() {
        for id in [CurveId::Gost2015_512, CurveId::Gost2004] {
            let key = GostKey::generate(id);
            let n = Curve::get(id).n;
            assert_eq!(key.public_key().len(), 2 * n);
            let digest = vec![0x42; n];
            let a = key.sign_digest(&digest);
            let b = key.sign_digest(&digest);
            assert_eq!(a.len(), 2 * n);
            assert_ne!(a, b, "a fresh nonce for every signature");
            let mut d = key.to_le();
            let again = GostKey::from_le(id, &d).unwrap();
            d.zeroize();
            assert_eq!(again.public_key(), key.public_key());
            assert_eq!(again.check_public(key.public_key()), Ok(()));
            let other = GostKey::generate(id);
            assert_eq!(
                other.check_public(key.public_key()),
                Err(KeyProblem::NotTheCertificatesKey)
            );
        }
    }

    #[test]
    fn scalars_out_of_range_are_refused() {
        let c = Curve::get(CurveId::Gost2004);
        assert_eq!(
            GostKey::from_le(CurveId::Gost2004, &[0; 32]).unwrap_err(),
            KeyProblem::OutOfRange
        );
        let q = c.order().to_le_bytes();
        assert_eq!(
            GostKey::from_le(CurveId::Gost2004, &q[..32]).unwrap_err(),
            KeyProblem::OutOfRange
        );
        assert_eq!(
            GostKey::from_le(CurveId::Gost2004, &[1; 33]).unwrap_err(),
            KeyProblem::OutOfRange
        );
    }
}
