//! A GOST private key and the GOST 34.10 signature in NCA's byte order (r‖s, each
//! little-endian; the digest read as a little-endian integer; shared/notes/gost.md).
//!
//! The scalar is kept as a Montgomery residue mod q and zeroised when the key is dropped; the
//! nonce k comes from the operating system's generator (`OsRng`) for every signature, is used
//! only through constant-time arithmetic and is zeroised before returning.

use crypto_bigint::modular::runtime_mod::DynResidue;
use crypto_bigint::subtle::{Choice, ConditionallySelectable};
use crypto_bigint::{Limb, NonZero, RandomMod, Uint};
use rand_core::OsRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::curve::{Curve, CurveId, GOST2004, GOST2015_512};
use crate::field::lt;

/// Why a GOST private key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// The scalar is 0 or not below the group order.
    OutOfRange,
    /// d·G is not the public key of the certificate the key came with.
    NotTheCertificatesKey,
}

/// A private scalar d on one of NCA's curves.
pub struct GostKey(Secret);

enum Secret {
    Gost2015(Scalar<8, 569>),
    Gost2004(Scalar<4, 617>),
}

struct Scalar<const N: usize, const C: u64> {
    curve: &'static Curve<N, C>,
    d: DynResidue<N>,
    /// X‖Y, each little-endian, as in the certificate.
    public: Vec<u8>,
}

impl<const N: usize, const C: u64> Drop for Scalar<N, C> {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl ZeroizeOnDrop for GostKey {}

impl std::fmt::Debug for GostKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the scalar.
        f.debug_struct("GostKey")
            .field("curve", &self.curve())
            .finish_non_exhaustive()
    }
}

macro_rules! with_secret {
    ($key:expr, $s:ident => $body:expr) => {
        match &$key.0 {
            Secret::Gost2015($s) => $body,
            Secret::Gost2004($s) => $body,
        }
    };
}

impl GostKey {
    /// A key from its scalar in little-endian bytes (NCA's 2015 encoding). The caller's buffer
    /// is theirs to zeroise.
    pub fn from_le(id: CurveId, d_le: &[u8]) -> Result<GostKey, KeyProblem> {
        if d_le.len() > id.size() {
            return Err(KeyProblem::OutOfRange);
        }
        let mut buf = vec![0u8; id.size()];
        buf[..d_le.len()].copy_from_slice(d_le);
        let key = match id {
            CurveId::Gost2015_512 => Scalar::from_le(&GOST2015_512, &buf).map(Secret::Gost2015),
            CurveId::Gost2004 => Scalar::from_le(&GOST2004, &buf).map(Secret::Gost2004),
        };
        buf.zeroize();
        key.map(GostKey)
    }

    /// A key from its scalar in big-endian bytes (a DER INTEGER: NCA's 2004 encoding).
    pub fn from_be(id: CurveId, d_be: &[u8]) -> Result<GostKey, KeyProblem> {
        let mut le: Vec<u8> = d_be.iter().rev().copied().collect();
        // A DER INTEGER may carry a leading zero byte (now trailing).
        while le.len() > id.size() && le.last() == Some(&0) {
            le.pop();
        }
        let key = GostKey::from_le(id, &le);
        le.zeroize();
        key
    }

    /// A fresh key from the operating system's generator (test keys, key generation).
    pub fn generate(id: CurveId) -> GostKey {
        loop {
            let mut d = match id {
                CurveId::Gost2015_512 => random_scalar(&GOST2015_512).to_le_bytes(),
                CurveId::Gost2004 => random_scalar(&GOST2004).to_le_bytes(),
            };
            let key = GostKey::from_le(id, &d);
            d.zeroize();
            if let Ok(key) = key {
                return key;
            }
        }
    }

    /// Checks that this key belongs to a certificate's public key (X‖Y LE).
    pub fn check_public(&self, public_key: &[u8]) -> Result<(), KeyProblem> {
        if self.public_key() == public_key {
            Ok(())
        } else {
            Err(KeyProblem::NotTheCertificatesKey)
        }
    }

    pub fn curve(&self) -> CurveId {
        with_secret!(self, s => s.curve.id)
    }

    /// The public key X‖Y, each little-endian (what a certificate carries).
    pub fn public_key(&self) -> &[u8] {
        with_secret!(self, s => &s.public)
    }

    /// The scalar, little-endian, n bytes: for writing a key file (test keys). Zeroise it.
    pub fn to_le(&self) -> Vec<u8> {
        with_secret!(self, s => s.d.retrieve().to_le_bytes())
    }

    /// Signs a digest (the hash bytes exactly as the streebog/gost94 crates return them):
    /// r‖s, each little-endian, 2n bytes.
    pub fn sign_digest(&self, digest: &[u8]) -> Vec<u8> {
        with_secret!(self, s => s.sign_digest(digest))
    }
}

/// Little-endian bytes of a scalar (the limbs are 64-bit, see curve.rs).
trait LeBytes {
    fn to_le_bytes(&self) -> Vec<u8>;
}

impl<const N: usize> LeBytes for Uint<N> {
    fn to_le_bytes(&self) -> Vec<u8> {
        self.as_words()
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect()
    }
}

impl<const N: usize, const C: u64> Scalar<N, C> {
    fn from_le(curve: &'static Curve<N, C>, d_le: &[u8]) -> Result<Self, KeyProblem> {
        let mut d = Uint::<N>::from_le_slice(d_le);
        // crypto-bigint's comparisons are constant time (d is the secret).
        if d == Uint::ZERO || d >= curve.q {
            d.zeroize();
            return Err(KeyProblem::OutOfRange);
        }
        let point = curve.mul_base(d.as_words());
        let (x, y) = curve.affine(&point).ok_or(KeyProblem::OutOfRange)?;
        let mut public = x.to_le_bytes();
        public.extend(y.to_le_bytes());
        let key = Scalar {
            curve,
            d: DynResidue::new(&d, curve.q_params),
            public,
        };
        d.zeroize();
        Ok(key)
    }

    fn sign_digest(&self, digest: &[u8]) -> Vec<u8> {
        let c = self.curve;
        let e = DynResidue::new(&digest_scalar(c, digest), c.q_params);
        loop {
            let mut k = random_scalar(c);
            if k == Uint::ZERO {
                continue;
            }
            let Some((mut x, _)) = c.affine(&c.mul_base(k.as_words())) else {
                k.zeroize();
                continue;
            };
            // r is published in the signature: no need to hide how it is reduced.
            let r = x_mod_q(c, &Uint::from_words(x.0));
            x.zeroize();
            if r == Uint::ZERO {
                k.zeroize();
                continue;
            }
            let mut k_res = DynResidue::new(&k, c.q_params);
            k.zeroize();
            let s = (DynResidue::new(&r, c.q_params) * self.d + k_res * e).retrieve();
            k_res.zeroize();
            if s == Uint::ZERO {
                continue;
            }
            let mut out = r.to_le_bytes();
            out.extend(s.to_le_bytes());
            return out;
        }
    }
}

/// x mod q of a point's affine x (the r of a signature); x < p < 2q, so one subtraction.
fn x_mod_q<const N: usize, const C: u64>(c: &Curve<N, C>, x: &Uint<N>) -> Uint<N> {
    let (diff, borrow) = x.sbb(&c.q, Limb::ZERO);
    // borrow is all ones when x < q.
    Uint::conditional_select(&diff, x, Choice::from((borrow.0 & 1) as u8))
}

/// A uniform integer in [0, q) from the operating system's generator.
fn random_scalar<const N: usize, const C: u64>(c: &Curve<N, C>) -> Uint<N> {
    let q = NonZero::new(c.q).expect("the group order is not zero");
    Uint::random_mod(&mut OsRng, &q)
}

/// e = digest as a little-endian integer, mod q, 1 when 0 (GOST 34.10 step 2).
fn digest_scalar<const N: usize, const C: u64>(c: &Curve<N, C>, digest: &[u8]) -> Uint<N> {
    let mut buf = vec![0u8; 8 * N];
    let len = digest.len().min(8 * N);
    buf[..len].copy_from_slice(&digest[..len]);
    let e = Uint::<N>::from_le_slice(&buf);
    // e < 2^(64N) < 2q, so one conditional subtraction reduces it; the digest is public.
    let e = if lt(e.as_words(), c.q.as_words()) {
        e
    } else {
        e.wrapping_sub(&c.q)
    };
    if e == Uint::ZERO {
        Uint::ONE
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify;

    #[test]
    fn two_signatures_of_one_digest_differ_verify_and_keys_round_trip() {
        for id in [CurveId::Gost2015_512, CurveId::Gost2004] {
            let key = GostKey::generate(id);
            let n = id.size();
            assert_eq!(key.public_key().len(), 2 * n);
            let digest = vec![0x42; n];
            let a = key.sign_digest(&digest);
            let b = key.sign_digest(&digest);
            assert_eq!(a.len(), 2 * n);
            assert_ne!(a, b, "a fresh nonce for every signature");
            assert!(verify(id, key.public_key(), &digest, &a));
            assert!(verify(id, key.public_key(), &digest, &b));
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
        let id = CurveId::Gost2004;
        assert_eq!(
            GostKey::from_le(id, &[0; 32]).unwrap_err(),
            KeyProblem::OutOfRange
        );
        let q = GOST2004.q.to_le_bytes();
        assert_eq!(
            GostKey::from_le(id, &q).unwrap_err(),
            KeyProblem::OutOfRange
        );
        assert_eq!(
            GostKey::from_le(id, &[1; 33]).unwrap_err(),
            KeyProblem::OutOfRange
        );
    }
}
