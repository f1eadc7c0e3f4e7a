//! The two curves NCA's GOST keys live on (numbers of shared/notes/gost.md), and the
//! constant-time point arithmetic signing uses.
//!
//! Points for signing use the complete projective formulas of Renes–Costello–Batina 2015 for
//! a = −3 (no branch on the point value, the identity and doubling included), and k·G walks a
//! precomputed table of the base point's multiples (4-bit windows, every entry of a row scanned
//! with a constant-time select, so the secret digit chooses nothing by address). Both curves
//! have a = −3 and a prime order, which the complete formulas require. The verifier's own,
//! variable-time arithmetic is in verify.rs.

use std::sync::{LazyLock, OnceLock};

use crypto_bigint::modular::runtime_mod::DynResidueParams;
use crypto_bigint::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use crypto_bigint::Uint;

use crate::field::Fe;

#[cfg(not(target_pointer_width = "64"))]
compile_error!("qoltanba-gost keeps field and scalar limbs in one 64-bit layout");

/// Which NCA GOST key a curve belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CurveId {
    /// GOST 34.310-2015, 512 bits (1.2.398.3.10.1.1.2.2.1, the numbers of tc26 512 paramSetA).
    Gost2015_512,
    /// GOST 34.310-2004 (1.2.398.3.10.1.1.1.1.1, the numbers of CryptoPro-A).
    Gost2004,
}

impl CurveId {
    /// Coordinate and scalar size in bytes (64 or 32): a public key and a signature are 2n.
    pub fn size(self) -> usize {
        match self {
            CurveId::Gost2015_512 => 64,
            CurveId::Gost2004 => 32,
        }
    }
}

/// A short Weierstrass curve y² = x³ − 3x + b over GF(2^(64·N) − C), base point G of prime
/// order q.
pub(crate) struct Curve<const N: usize, const C: u64> {
    pub id: CurveId,
    pub b: Fe<N, C>,
    pub g: (Fe<N, C>, Fe<N, C>),
    pub q: Uint<N>,
    pub q_params: DynResidueParams<N>,
    /// Row i holds j·16^i·G for j in 0..16 (public values), made on first signature.
    sign_table: OnceLock<Vec<[Point<N, C>; 16]>>,
    /// The verifier's odd multiples of G (verify.rs), made on first verification.
    pub(crate) verify_table: OnceLock<Vec<(Fe<N, C>, Fe<N, C>)>>,
}

pub(crate) type Curve512 = Curve<8, 569>;
pub(crate) type Curve256 = Curve<4, 617>;

pub(crate) static GOST2015_512: LazyLock<Curve512> = LazyLock::new(|| {
    Curve::new(
        CurveId::Gost2015_512,
        concat!(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
            "27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"
        ),
        concat!(
            "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265",
            "EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760"
        ),
        "3",
        concat!(
            "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921",
            "DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"
        ),
    )
});

pub(crate) static GOST2004: LazyLock<Curve256> = LazyLock::new(|| {
    Curve::new(
        CurveId::Gost2004,
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
        "A6",
        "1",
        "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
    )
});

/// Runs `$body` with `$c` bound to the curve of `$id` (the two curves are different types).
macro_rules! with_curve {
    ($id:expr, $c:ident => $body:expr) => {
        match $id {
            $crate::curve::CurveId::Gost2015_512 => {
                let $c = &*$crate::curve::GOST2015_512;
                $body
            }
            $crate::curve::CurveId::Gost2004 => {
                let $c = &*$crate::curve::GOST2004;
                $body
            }
        }
    };
}
pub(crate) use with_curve;

/// Big-endian hex (up to 16·N digits) as little-endian limbs.
pub(crate) fn limbs_hex<const N: usize>(hex: &str) -> [u64; N] {
    let padded = format!("{hex:0>width$}", width = 16 * N);
    let mut l = [0u64; N];
    for (i, chunk) in padded.as_bytes().rchunks(16).enumerate() {
        l[i] = u64::from_str_radix(std::str::from_utf8(chunk).expect("hex"), 16).expect("hex");
    }
    l
}

/// A point in projective coordinates (X:Y:Z) ~ (X/Z, Y/Z); the identity is (0:1:0).
#[derive(Clone, Copy)]
pub(crate) struct Point<const N: usize, const C: u64> {
    x: Fe<N, C>,
    y: Fe<N, C>,
    z: Fe<N, C>,
}

impl<const N: usize, const C: u64> ConditionallySelectable for Point<N, C> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Point {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl<const N: usize, const C: u64> zeroize::Zeroize for Point<N, C> {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
    }
}

impl<const N: usize, const C: u64> Curve<N, C> {
    fn new(id: CurveId, q: &str, b: &str, gx: &str, gy: &str) -> Self {
        let fe = |hex: &str| Fe::from_limbs(limbs_hex(hex)).expect("below p");
        let q = Uint::from_words(limbs_hex(q));
        Curve {
            id,
            b: fe(b),
            g: (fe(gx), fe(gy)),
            q,
            q_params: DynResidueParams::new(&q),
            sign_table: OnceLock::new(),
            verify_table: OnceLock::new(),
        }
    }

    /// Coordinate and scalar size in bytes.
    pub const fn n(&self) -> usize {
        8 * N
    }

    /// y² = x³ − 3x + b (variable time: public points).
    pub fn on_curve(&self, x: &Fe<N, C>, y: &Fe<N, C>) -> bool {
        let three_x = x.double().add(x);
        y.square() == x.square().mul(x).sub(&three_x).add(&self.b)
    }

    fn identity() -> Point<N, C> {
        Point {
            x: Fe::ZERO,
            y: Fe::ONE,
            z: Fe::ZERO,
        }
    }

    fn base(&self) -> Point<N, C> {
        Point {
            x: self.g.0,
            y: self.g.1,
            z: Fe::ONE,
        }
    }

    /// k·G in constant time for any k < 2^(64·N): one addition per 4-bit digit of k, the
    /// table entry picked by scanning the whole row with constant-time selects.
    pub fn mul_base(&self, k: &[u64; N]) -> Point<N, C> {
        let table = self.sign_table.get_or_init(|| self.precompute_base());
        let mut acc = Self::identity();
        for (i, row) in table.iter().enumerate() {
            // Shifts by public amounts only.
            let digit = (k[i / 16] >> (4 * (i % 16))) & 0xf;
            let mut chosen = Self::identity();
            for (j, point) in row.iter().enumerate() {
                chosen.conditional_assign(point, (j as u64).ct_eq(&digit));
            }
            acc = self.add(&acc, &chosen);
            zeroize::Zeroize::zeroize(&mut chosen);
        }
        acc
    }

    fn precompute_base(&self) -> Vec<[Point<N, C>; 16]> {
        let mut rows = Vec::with_capacity(16 * N);
        let mut base = self.base();
        for _ in 0..16 * N {
            let mut row = [Self::identity(); 16];
            for j in 1..16 {
                row[j] = self.add(&row[j - 1], &base);
            }
            rows.push(row);
            for _ in 0..4 {
                base = self.double(&base);
            }
        }
        rows
    }

    /// k·P in constant time, one doubling and one addition per bit (tests check k·G with it).
    #[cfg(test)]
    pub fn mul(&self, k: &[u64; N], point: &Point<N, C>) -> Point<N, C> {
        let mut acc = Self::identity();
        for i in (0..64 * N).rev() {
            acc = self.double(&acc);
            let sum = self.add(&acc, point);
            acc.conditional_assign(&sum, Choice::from(((k[i / 64] >> (i % 64)) & 1) as u8));
        }
        acc
    }

    /// The affine x and y (Z inverted by Fermat, constant time); `None` for the identity.
    pub fn affine(&self, point: &Point<N, C>) -> Option<(Fe<N, C>, Fe<N, C>)> {
        let z_inv = point.z.invert();
        if point.z.is_zero() {
            return None;
        }
        Some((point.x.mul(&z_inv), point.y.mul(&z_inv)))
    }

    /// Complete addition, RCB 2015 Algorithm 4 (a = −3).
    fn add(&self, l: &Point<N, C>, r: &Point<N, C>) -> Point<N, C> {
        let b = &self.b;
        let xx = l.x.mul(&r.x);
        let yy = l.y.mul(&r.y);
        let zz = l.z.mul(&r.z);
        let xy_pairs = l.x.add(&l.y).mul(&r.x.add(&r.y)).sub(&xx.add(&yy));
        let yz_pairs = l.y.add(&l.z).mul(&r.y.add(&r.z)).sub(&yy.add(&zz));
        let xz_pairs = l.x.add(&l.z).mul(&r.x.add(&r.z)).sub(&xx.add(&zz));
        let bzz_part = xz_pairs.sub(&b.mul(&zz));
        let bzz3_part = bzz_part.double().add(&bzz_part);
        let yy_m_bzz3 = yy.sub(&bzz3_part);
        let yy_p_bzz3 = yy.add(&bzz3_part);
        let zz3 = zz.double().add(&zz);
        let bxz_part = b.mul(&xz_pairs).sub(&zz3.add(&xx));
        let bxz3_part = bxz_part.double().add(&bxz_part);
        let xx3_m_zz3 = xx.double().add(&xx).sub(&zz3);
        Point {
            x: yy_p_bzz3.mul(&xy_pairs).sub(&yz_pairs.mul(&bxz3_part)),
            y: yy_p_bzz3.mul(&yy_m_bzz3).add(&xx3_m_zz3.mul(&bxz3_part)),
            z: yy_m_bzz3.mul(&yz_pairs).add(&xy_pairs.mul(&xx3_m_zz3)),
        }
    }

    /// Exception-free doubling, RCB 2015 Algorithm 6 (a = −3).
    fn double(&self, pt: &Point<N, C>) -> Point<N, C> {
        let b = &self.b;
        let xx = pt.x.square();
        let yy = pt.y.square();
        let zz = pt.z.square();
        let xy2 = pt.x.mul(&pt.y).double();
        let xz2 = pt.x.mul(&pt.z).double();
        let bzz_part = b.mul(&zz).sub(&xz2);
        let bzz3_part = bzz_part.double().add(&bzz_part);
        let yy_m_bzz3 = yy.sub(&bzz3_part);
        let yy_p_bzz3 = yy.add(&bzz3_part);
        let y_frag = yy_p_bzz3.mul(&yy_m_bzz3);
        let x_frag = yy_m_bzz3.mul(&xy2);
        let zz3 = zz.double().add(&zz);
        let bxz2_part = b.mul(&xz2).sub(&zz3.add(&xx));
        let bxz6_part = bxz2_part.double().add(&bxz2_part);
        let xx3_m_zz3 = xx.double().add(&xx).sub(&zz3);
        let yz2 = pt.y.mul(&pt.z).double();
        Point {
            x: x_frag.sub(&bxz6_part.mul(&yz2)),
            y: y_frag.add(&xx3_m_zz3.mul(&bxz6_part)),
            z: yz2.mul(&yy).double().double(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::{NonZero, RandomMod};

    fn check<const N: usize, const C: u64>(c: &Curve<N, C>) {
        let (gx, gy) = c.g;
        assert!(c.on_curve(&gx, &gy), "{:?}: G on the curve", c.id);
        assert!(!c.on_curve(&gx, &gy.add(&Fe::ONE)));
        let q = *c.q.as_words();
        assert!(c.affine(&c.mul_base(&q)).is_none(), "{:?}: q·G = O", c.id);
        let mut minus_one = q;
        minus_one[0] -= 1;
        assert_eq!(c.affine(&c.mul_base(&minus_one)), Some((gx, gy.neg())));
        let two_g = c.affine(&c.double(&c.base())).unwrap();
        assert_eq!(c.affine(&c.add(&c.base(), &c.base())).unwrap(), two_g);
        let mut two = [0u64; N];
        two[0] = 2;
        assert_eq!(c.affine(&c.mul_base(&two)).unwrap(), two_g);
        assert!(c.affine(&c.mul_base(&[0; N])).is_none());
        let nz = NonZero::new(c.q).unwrap();
        for _ in 0..4 {
            let k = *Uint::<N>::random_mod(&mut rand_core::OsRng, &nz).as_words();
            assert_eq!(c.affine(&c.mul_base(&k)), c.affine(&c.mul(&k, &c.base())));
        }
    }

    #[test]
    fn base_points_lie_on_the_curve_have_order_q_and_the_table_agrees_with_the_ladder() {
        check(&*GOST2015_512);
        check(&*GOST2004);
    }
}
