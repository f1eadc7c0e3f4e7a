//! Verification of KZ GOST signatures (GOST 34.310-2015 512-bit with Streebog-512, and
//! GOST 34.310-2004 with GOST 34.311-95), textbook GOST 34.10 on the curves and byte orders NCA
//! uses (shared/notes/gost.md): public key X‖Y and signature r‖s, each little-endian; the digest
//! read as a little-endian integer. No crate verifies these; verification needs no constant time.

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// A short Weierstrass curve y² = x³ + ax + b over GF(p) with a base point of order q.
pub(crate) struct Curve {
    p: BigUint,
    a: BigUint,
    q: BigUint,
    g: (BigUint, BigUint),
    /// Coordinate size in bytes.
    pub n: usize,
}

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).expect("constant")
}

impl Curve {
    /// GOST 34.310-2015 512-bit (1.2.398.3.10.1.1.2.2.1 = tc26 512 paramSetA).
    pub fn gost2015_512() -> Curve {
        let p = (BigUint::one() << 512u32) - BigUint::from(569u32);
        Curve {
            a: &p - BigUint::from(3u32),
            q: hex(concat!(
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
                "27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"
            )),
            g: (
                BigUint::from(3u32),
                hex(concat!(
                    "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921",
                    "DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"
                )),
            ),
            p,
            n: 64,
        }
    }

    /// GOST 34.310-2004 (1.2.398.3.10.1.1.1.1.1 = CryptoPro-A).
    pub fn gost2004() -> Curve {
        let p = (BigUint::one() << 256u32) - BigUint::from(617u32);
        Curve {
            a: &p - BigUint::from(3u32),
            q: hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893"),
            g: (
                BigUint::one(),
                hex("8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14"),
            ),
            p,
            n: 32,
        }
    }

    /// Checks a signature (`r‖s`, each LE) over a digest (hash output as the crates return it)
    /// with a public key (`X‖Y`, each LE).
    pub fn verify(&self, public_key: &[u8], digest: &[u8], signature: &[u8]) -> bool {
        let n = self.n;
        if public_key.len() != 2 * n || signature.len() != 2 * n {
            return false;
        }
        let key = (
            BigUint::from_bytes_le(&public_key[..n]),
            BigUint::from_bytes_le(&public_key[n..]),
        );
        let r = BigUint::from_bytes_le(&signature[..n]);
        let s = BigUint::from_bytes_le(&signature[n..]);
        if r.is_zero() || s.is_zero() || r >= self.q || s >= self.q || !self.on_curve(&key) {
            return false;
        }
        let mut e = BigUint::from_bytes_le(digest) % &self.q;
        if e.is_zero() {
            e = BigUint::one();
        }
        let v = e.modpow(&(&self.q - 2u32), &self.q);
        let z1 = (&s * &v) % &self.q;
        let z2 = ((&self.q - &r) * &v) % &self.q;
        let Some((x, _)) = self.affine(&self.shamir(&z1, &self.g, &z2, &key)) else {
            return false;
        };
        x % &self.q == r
    }

    fn on_curve(&self, (x, y): &(BigUint, BigUint)) -> bool {
        if x >= &self.p || y >= &self.p {
            return false;
        }
        let lhs = (y * y) % &self.p;
        let rhs = (x * x * x + &self.a * x) % &self.p;
        // b is not stored: it is implied by G; compare with G's b.
        let (gx, gy) = &self.g;
        let b = (gy * gy + &self.p * 4u32 - (gx * gx * gx + &self.a * gx) % &self.p) % &self.p;
        lhs == (rhs + b) % &self.p
    }

    // Jacobian coordinates (X, Y, Z) ~ (X/Z², Y/Z³); Z = 0 is the point at infinity.

    fn sub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        ((a + &self.p) - (b % &self.p)) % &self.p
    }

    fn double(&self, pt: &Jac) -> Jac {
        let (x, y, z) = pt;
        if z.is_zero() || y.is_zero() {
            return infinity();
        }
        let p = &self.p;
        let yy = (y * y) % p;
        let s = (x * &yy * 4u32) % p;
        let zz = (z * z) % p;
        let m = (x * x * 3u32 + &self.a * ((&zz * &zz) % p)) % p;
        let x3 = self.sub(&((&m * &m) % p), &((&s * 2u32) % p));
        let y3 = self.sub(&((&m * self.sub(&s, &x3)) % p), &((&yy * &yy * 8u32) % p));
        let z3 = (y * z * 2u32) % p;
        (x3, y3, z3)
    }

    fn add(&self, a: &Jac, b: &Jac) -> Jac {
        if a.2.is_zero() {
            return b.clone();
        }
        if b.2.is_zero() {
            return a.clone();
        }
        let p = &self.p;
        let (z1z1, z2z2) = ((&a.2 * &a.2) % p, (&b.2 * &b.2) % p);
        let u1 = (&a.0 * &z2z2) % p;
        let u2 = (&b.0 * &z1z1) % p;
        let s1 = (&a.1 * &b.2 * &z2z2) % p;
        let s2 = (&b.1 * &a.2 * &z1z1) % p;
        if u1 == u2 {
            return if s1 == s2 { self.double(a) } else { infinity() };
        }
        let h = self.sub(&u2, &u1);
        let r = self.sub(&s2, &s1);
        let hh = (&h * &h) % p;
        let hhh = (&h * &hh) % p;
        let v = (&u1 * &hh) % p;
        let x3 = self.sub(&self.sub(&((&r * &r) % p), &hhh), &((&v * 2u32) % p));
        let y3 = self.sub(&((&r * self.sub(&v, &x3)) % p), &((&s1 * &hhh) % p));
        let z3 = (&a.2 * &b.2 * &h) % p;
        (x3, y3, z3)
    }

    /// k1·P1 + k2·P2 in one double-and-add pass (Shamir's trick).
    fn shamir(
        &self,
        k1: &BigUint,
        p1: &(BigUint, BigUint),
        k2: &BigUint,
        p2: &(BigUint, BigUint),
    ) -> Jac {
        let j1 = (p1.0.clone(), p1.1.clone(), BigUint::one());
        let j2 = (p2.0.clone(), p2.1.clone(), BigUint::one());
        let both = self.add(&j1, &j2);
        let mut acc = infinity();
        for i in (0..k1.bits().max(k2.bits())).rev() {
            acc = self.double(&acc);
            match (k1.bit(i), k2.bit(i)) {
                (true, true) => acc = self.add(&acc, &both),
                (true, false) => acc = self.add(&acc, &j1),
                (false, true) => acc = self.add(&acc, &j2),
                (false, false) => {}
            }
        }
        acc
    }

    fn affine(&self, (x, y, z): &Jac) -> Option<(BigUint, BigUint)> {
        if z.is_zero() {
            return None;
        }
        let zi = z.modpow(&(&self.p - 2u32), &self.p);
        let zi2 = (&zi * &zi) % &self.p;
        Some(((x * &zi2) % &self.p, (y * &zi2 * &zi) % &self.p))
    }
}

type Jac = (BigUint, BigUint, BigUint);

fn infinity() -> Jac {
    (BigUint::one(), BigUint::one(), BigUint::zero())
}

/// Test-only signing, so tests (and the verification benchmark, feature `test-gost-signer`) can
/// make real GOST signatures of their own. Not a signer: k is derived from the digest.
#[cfg(any(test, feature = "test-gost-signer"))]
pub(crate) mod testing {
    use super::*;

    fn le(v: &BigUint, n: usize) -> Vec<u8> {
        let mut b = v.to_bytes_le();
        b.resize(n, 0);
        b
    }

    /// A key pair from a seed: (private scalar, public key X‖Y LE).
    pub fn keypair(c: &Curve, seed: u64) -> (BigUint, Vec<u8>) {
        let d = (BigUint::from(seed) * hex("1234567890ABCDEF1234567890ABCDEF")) % &c.q;
        let key = public(c, &d);
        (d, key)
    }

    /// Textbook GOST 34.10 signing, NCA's byte order (r‖s LE); k must be secret and random in
    /// real life, here it is derived from the digest.
    pub fn sign(c: &Curve, d: &BigUint, digest: &[u8]) -> Vec<u8> {
        let k = (BigUint::from_bytes_le(digest) + 7u32) % &c.q;
        let mut e = BigUint::from_bytes_le(digest) % &c.q;
        if e.is_zero() {
            e = BigUint::one();
        }
        let (x, _) = c
            .affine(&c.shamir(&k, &c.g, &BigUint::zero(), &c.g))
            .unwrap();
        let r = x % &c.q;
        let s = (&r * d + k * e) % &c.q;
        [le(&r, c.n), le(&s, c.n)].concat()
    }

    pub fn public(c: &Curve, d: &BigUint) -> Vec<u8> {
        let (x, y) = c
            .affine(&c.shamir(d, &c.g, &BigUint::zero(), &c.g))
            .unwrap();
        [le(&x, c.n), le(&y, c.n)].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{keypair, public, sign};
    use super::*;

    fn le(v: &BigUint, n: usize) -> Vec<u8> {
        let mut b = v.to_bytes_le();
        assert!(b.len() <= n, "fits the wire form");
        b.resize(n, 0);
        b
    }

    /// A valid signature whose s is chosen: the key is solved for it (d = (s − k·e)/r mod q).
    /// A small s lets s + q still fit the n bytes of the wire form, and s = 0 passes the final
    /// equation, so only the range checks can refuse them. Returns (key, digest, r‖s).
    fn with_s(c: &Curve, s: &BigUint) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let digest = vec![0x5Au8; c.n];
        let e = BigUint::from_bytes_le(&digest) % &c.q;
        let k = BigUint::from(0x0123_4567_89AB_CDEFu64);
        let (x, _) = c
            .affine(&c.shamir(&k, &c.g, &BigUint::zero(), &c.g))
            .unwrap();
        let r = x % &c.q;
        let num = (s + &c.q - (&k * &e) % &c.q) % &c.q;
        let d = (num * r.modpow(&(&c.q - 2u32), &c.q)) % &c.q;
        (public(c, &d), digest, [le(&r, c.n), le(s, c.n)].concat())
    }

    #[test]
    fn on_curve_takes_only_points_of_the_curve_in_range() {
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            let (gx, gy) = c.g.clone();
            assert!(c.on_curve(&(gx.clone(), gy.clone())));
            assert!(c.on_curve(&(gx.clone(), &c.p - &gy)), "-G is on the curve");
            assert!(!c.on_curve(&(gx.clone(), &gy + 1u32)), "y + 1 is not");
            assert!(!c.on_curve(&(&gx + 1u32, gy.clone())), "x + 1 is not");
            assert!(
                !c.on_curve(&(&gx + &c.p, gy.clone())),
                "x + p is out of range"
            );
            assert!(
                !c.on_curve(&(gx.clone(), &gy + &c.p)),
                "y + p is out of range"
            );
        }
    }

    #[test]
    fn a_key_written_out_of_range_is_refused_though_it_computes_as_a_real_point() {
        // G's x is 3 (2015) or 1 (2004), so G with x + p still fits the n bytes of a key; the
        // arithmetic (all mod p) treats it as G, so only the curve check refuses it.
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            let d = BigUint::one();
            let digest = vec![0x33u8; c.n];
            let sig = sign(&c, &d, &digest);
            let key = public(&c, &d);
            assert!(c.verify(&key, &digest, &sig));
            let alias = [le(&(&c.g.0 + &c.p), c.n), le(&c.g.1, c.n)].concat();
            assert!(!c.verify(&alias, &digest, &sig));
        }
    }

    #[test]
    fn s_out_of_range_is_refused_though_the_equation_holds() {
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            let s = BigUint::from(5u32);
            let (key, digest, sig) = with_s(&c, &s);
            assert!(
                c.verify(&key, &digest, &sig),
                "the chosen signature is valid"
            );
            // s + q gives the same z1 = s·v mod q: only `s >= q` refuses it.
            let mut high = sig.clone();
            high[c.n..].copy_from_slice(&le(&(&s + &c.q), c.n));
            assert!(!c.verify(&key, &digest, &high), "s + q");

            // s = 0 with a key solved for it passes the equation: only `s == 0` refuses it.
            let (key, digest, sig) = with_s(&c, &BigUint::zero());
            assert!(!c.verify(&key, &digest, &sig), "s = 0");
        }
    }

    #[test]
    fn r_out_of_range_is_refused_without_a_panic() {
        // No r ≥ q can pass x mod q == r, but without `r >= q` the verifier computes q − r,
        // which panics on an unsigned integer: a hostile file would take the verifier down.
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            let (key, digest, sig) = with_s(&c, &BigUint::from(5u32));
            for r in [
                c.q.clone(),
                &c.q + 1u32,
                (BigUint::one() << (8 * c.n)) - 1u32,
            ] {
                let mut bad = sig.clone();
                bad[..c.n].copy_from_slice(&le(&r, c.n));
                assert!(!c.verify(&key, &digest, &bad));
            }
        }
    }

    #[test]
    fn base_points_have_order_q() {
        for c in [Curve::gost2015_512(), Curve::gost2004()] {
            assert!(c.on_curve(&c.g));
            let qg = c.shamir(&c.q, &c.g, &BigUint::zero(), &c.g);
            assert!(qg.2.is_zero(), "q·G must be the point at infinity");
        }
    }

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
