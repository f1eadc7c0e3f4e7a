//! The num-bigint verifier qoltanba-core used before qoltanba-gost (core/src/signature/gost.rs at
//! a207313), kept unchanged as the test oracle: the new verifier must give the same verdicts.
#![allow(dead_code)]

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// A short Weierstrass curve y² = x³ + ax + b over GF(p) with a base point of order q.
pub struct Curve {
    pub p: BigUint,
    pub a: BigUint,
    pub q: BigUint,
    pub g: (BigUint, BigUint),
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

    pub fn on_curve(&self, (x, y): &(BigUint, BigUint)) -> bool {
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
    pub fn shamir(
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

    pub fn affine(&self, (x, y, z): &Jac) -> Option<(BigUint, BigUint)> {
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
