//! The two curves NCA's GOST keys live on, with constant-time point arithmetic for signing.
//!
//! Private scalars (the key d and the nonce k) only ever meet this code: field elements are
//! `crypto-bigint` Montgomery residues (constant-time multiply, add, pow), points use the complete
//! projective formulas of Renes–Costello–Batina 2015 for a = −3 (no branch on the point value,
//! the identity and doubling included), and scalar multiplication walks every bit of the
//! fixed-size scalar with a constant-time select; k·G uses a precomputed table of the base point's
//! multiples (4-bit windows, every entry of a row scanned with a constant-time select, so the
//! secret digit chooses nothing by address). Both curves have a = −3 and a prime order, which the
//! complete formulas require. The numbers are those of shared/notes/gost.md.

use std::sync::{LazyLock, OnceLock};

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use crypto_bigint::{Limb, Word, U512};

/// Every value is held in 512 bits; the 256-bit curve simply leaves the top half zero.
pub(crate) type Fe = DynResidue<{ U512::LIMBS }>;

/// Which NCA GOST key a curve belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveId {
    /// GOST 34.310-2015, 512 bits (1.2.398.3.10.1.1.2.2.1, the numbers of tc26 512 paramSetA).
    Gost2015_512,
    /// GOST 34.310-2004 (1.2.398.3.10.1.1.1.1.1, the numbers of CryptoPro-A).
    Gost2004,
}

/// A short Weierstrass curve y² = x³ − 3x + b over GF(p), base point G of prime order q.
pub struct Curve {
    pub id: CurveId,
    /// Coordinate and scalar size in bytes (64 or 32).
    pub n: usize,
    pub(crate) p: DynResidueParams<{ U512::LIMBS }>,
    pub(crate) q: DynResidueParams<{ U512::LIMBS }>,
    b: Fe,
    g: Point,
    /// Row i holds j·16^i·G for j in 0..16 (public values), made on first use.
    base_table: OnceLock<Vec<[Point; 16]>>,
}

/// A point in projective coordinates (X:Y:Z) ~ (X/Z, Y/Z); the identity is (0:1:0).
#[derive(Clone, Copy)]
pub(crate) struct Point {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl ConditionallySelectable for Point {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Point {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl zeroize::Zeroize for Point {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
    }
}

/// Big-endian hex, left-padded to 512 bits.
fn u512(hex: &str) -> U512 {
    U512::from_be_hex(&format!("{hex:0>128}"))
}

static GOST2015_512: LazyLock<Curve> = LazyLock::new(|| {
    Curve::new(
        CurveId::Gost2015_512,
        64,
        concat!(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"
        ),
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

static GOST2004: LazyLock<Curve> = LazyLock::new(|| {
    Curve::new(
        CurveId::Gost2004,
        32,
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
        "A6",
        "1",
        "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
    )
});

impl Curve {
    pub fn get(id: CurveId) -> &'static Curve {
        match id {
            CurveId::Gost2015_512 => &GOST2015_512,
            CurveId::Gost2004 => &GOST2004,
        }
    }

    fn new(id: CurveId, n: usize, p: &str, q: &str, b: &str, gx: &str, gy: &str) -> Curve {
        let p = DynResidueParams::new(&u512(p));
        let q = DynResidueParams::new(&u512(q));
        let fe = |hex: &str| Fe::new(&u512(hex), p);
        Curve {
            id,
            n,
            b: fe(b),
            g: Point {
                x: fe(gx),
                y: fe(gy),
                z: Fe::one(p),
            },
            p,
            q,
            base_table: OnceLock::new(),
        }
    }

    /// The group order q as an integer.
    pub(crate) fn order(&self) -> &U512 {
        self.q.modulus()
    }

    fn identity(&self) -> Point {
        Point {
            x: Fe::zero(self.p),
            y: Fe::one(self.p),
            z: Fe::zero(self.p),
        }
    }

    /// k·G in constant time for any k < 2^(8n): one addition per 4-bit digit of k, the table
    /// entry picked by scanning the whole row with constant-time selects.
    pub(crate) fn mul_base(&self, k: &U512) -> Point {
        let table = self.base_table.get_or_init(|| self.precompute_base());
        let words = k.as_words();
        let mut acc = self.identity();
        for (i, row) in table.iter().enumerate() {
            let bit = 4 * i;
            // Shifts by public amounts only.
            let digit = (words[bit / Limb::BITS] >> (bit % Limb::BITS)) & 0xf;
            let mut chosen = self.identity();
            for (j, point) in row.iter().enumerate() {
                chosen.conditional_assign(point, (j as Word).ct_eq(&digit));
            }
            acc = self.add(&acc, &chosen);
            zeroize::Zeroize::zeroize(&mut chosen);
        }
        acc
    }

    fn precompute_base(&self) -> Vec<[Point; 16]> {
        let mut rows = Vec::with_capacity(self.n * 2);
        let mut base = self.g;
        for _ in 0..self.n * 2 {
            let mut row = [self.identity(); 16];
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

    /// k·P in constant time: one doubling and one addition per bit of the scalar's full width,
    /// the sum kept or dropped with a constant-time select. (Tests check k·G against it.)
    #[cfg(test)]
    pub(crate) fn mul(&self, k: &U512, point: &Point) -> Point {
        let mut acc = self.identity();
        for i in (0..self.n * 8).rev() {
            acc = self.double(&acc);
            let mut sum = self.add(&acc, point);
            acc.conditional_assign(&sum, Choice::from(k.bit(i)));
            zeroize::Zeroize::zeroize(&mut sum);
        }
        acc
    }

    /// The affine x and y of a point as integers (Z inverted by Fermat, a constant-time pow);
    /// `None` for the identity.
    pub(crate) fn affine(&self, point: &Point) -> Option<(U512, U512)> {
        let p_minus_2 = self.p.modulus().wrapping_sub(&U512::from_u8(2));
        let z_inv = point.z.pow(&p_minus_2);
        if point.z.retrieve() == U512::ZERO {
            return None;
        }
        Some(((point.x * z_inv).retrieve(), (point.y * z_inv).retrieve()))
    }

    /// A point from affine coordinates, checked to be on the curve (tests check G with it).
    #[cfg(test)]
    pub(crate) fn point(&self, x: &U512, y: &U512) -> Option<Point> {
        let m = self.p.modulus();
        if x >= m || y >= m {
            return None;
        }
        let (x, y) = (Fe::new(x, self.p), Fe::new(y, self.p));
        let three = Fe::new(&U512::from_u8(3), self.p);
        let rhs = x.square() * x - three * x + self.b;
        (y.square() == rhs).then_some(Point {
            x,
            y,
            z: Fe::one(self.p),
        })
    }

    /// x mod q of a point's affine x (the r of a signature); x < p < 2q, so one subtraction.
    pub(crate) fn x_mod_q(&self, x: &U512) -> U512 {
        let (diff, borrow) = x.sbb(self.order(), Limb::ZERO);
        // borrow is all ones when x < q.
        U512::conditional_select(&diff, x, Choice::from((borrow.0 & 1) as u8))
    }

    /// Complete addition, RCB 2015 Algorithm 4 (a = −3).
    fn add(&self, l: &Point, r: &Point) -> Point {
        let b = self.b;
        let xx = l.x * r.x;
        let yy = l.y * r.y;
        let zz = l.z * r.z;
        let xy_pairs = ((l.x + l.y) * (r.x + r.y)) - (xx + yy);
        let yz_pairs = ((l.y + l.z) * (r.y + r.z)) - (yy + zz);
        let xz_pairs = ((l.x + l.z) * (r.x + r.z)) - (xx + zz);
        let bzz_part = xz_pairs - (b * zz);
        let bzz3_part = bzz_part + bzz_part + bzz_part;
        let yy_m_bzz3 = yy - bzz3_part;
        let yy_p_bzz3 = yy + bzz3_part;
        let zz3 = zz + zz + zz;
        let bxz_part = (b * xz_pairs) - (zz3 + xx);
        let bxz3_part = bxz_part + bxz_part + bxz_part;
        let xx3_m_zz3 = xx + xx + xx - zz3;
        Point {
            x: (yy_p_bzz3 * xy_pairs) - (yz_pairs * bxz3_part),
            y: (yy_p_bzz3 * yy_m_bzz3) + (xx3_m_zz3 * bxz3_part),
            z: (yy_m_bzz3 * yz_pairs) + (xy_pairs * xx3_m_zz3),
        }
    }

    /// Exception-free doubling, RCB 2015 Algorithm 6 (a = −3).
    fn double(&self, pt: &Point) -> Point {
        let b = self.b;
        let xx = pt.x.square();
        let yy = pt.y.square();
        let zz = pt.z.square();
        let xy = pt.x * pt.y;
        let xy2 = xy + xy;
        let xz = pt.x * pt.z;
        let xz2 = xz + xz;
        let bzz_part = (b * zz) - xz2;
        let bzz3_part = bzz_part + bzz_part + bzz_part;
        let yy_m_bzz3 = yy - bzz3_part;
        let yy_p_bzz3 = yy + bzz3_part;
        let y_frag = yy_p_bzz3 * yy_m_bzz3;
        let x_frag = yy_m_bzz3 * xy2;
        let zz3 = zz + zz + zz;
        let bxz2_part = (b * xz2) - (zz3 + xx);
        let bxz6_part = bxz2_part + bxz2_part + bxz2_part;
        let xx3_m_zz3 = xx + xx + xx - zz3;
        let y = y_frag + (xx3_m_zz3 * bxz6_part);
        let yz = pt.y * pt.z;
        let yz2 = yz + yz;
        let x = x_frag - (bxz6_part * yz2);
        let t = yz2 * yy;
        let t2 = t + t;
        let z = t2 + t2;
        Point { x, y, z }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_points_lie_on_the_curve_and_have_order_q() {
        for id in [CurveId::Gost2015_512, CurveId::Gost2004] {
            let c = Curve::get(id);
            let (gx, gy) = c.affine(&c.g).unwrap();
            assert!(c.point(&gx, &gy).is_some(), "{id:?}: G on the curve");
            assert!(
                c.affine(&c.mul_base(c.order())).is_none(),
                "{id:?}: q·G = O"
            );
            // (q−1)·G = −G: same x, y = p − y.
            let minus_one = c.order().wrapping_sub(&U512::ONE);
            let (x, y) = c.affine(&c.mul_base(&minus_one)).unwrap();
            assert_eq!(x, gx);
            assert_eq!(y, c.p.modulus().wrapping_sub(&gy));
        }
    }

    #[test]
    fn the_base_table_agrees_with_the_ladder() {
        use crypto_bigint::{NonZero, RandomMod};
        for id in [CurveId::Gost2015_512, CurveId::Gost2004] {
            let c = Curve::get(id);
            let q = NonZero::new(*c.order()).unwrap();
            for _ in 0..4 {
                let k = U512::random_mod(&mut rand_core::OsRng, &q);
                assert_eq!(
                    c.affine(&c.mul_base(&k)),
                    c.affine(&c.mul(&k, &c.g)),
                    "{id:?}"
                );
            }
            let all_ones = c.order().wrapping_sub(&U512::ONE);
            assert_eq!(
                c.affine(&c.mul_base(&all_ones)),
                c.affine(&c.mul(&all_ones, &c.g))
            );
        }
    }

    #[test]
    fn doubling_and_adding_agree() {
        let c = Curve::get(CurveId::Gost2015_512);
        let two_g = c.affine(&c.double(&c.g)).unwrap();
        assert_eq!(c.affine(&c.add(&c.g, &c.g)).unwrap(), two_g);
        assert_eq!(c.affine(&c.mul_base(&U512::from_u8(2))).unwrap(), two_g);
        let id = c.identity();
        assert_eq!(
            c.affine(&c.add(&id, &c.g)).unwrap(),
            c.affine(&c.g).unwrap()
        );
        assert!(c.affine(&c.mul_base(&U512::ZERO)).is_none());
    }
}
