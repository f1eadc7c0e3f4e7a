//! GOST 34.10 verification, in variable time (everything here is public: key, digest,
//! signature): C = z1·G + z2·Q in one pass of doublings (Straus/Shamir), both scalars in
//! width-w NAF, G's odd multiples precomputed once in affine form, Q's made per call; Jacobian
//! coordinates with the a = −3 doubling. The result is compared without an inversion:
//! x(C) = X/Z² ≡ r (mod q) iff X = r·Z² or, when r + q < p, X = (r + q)·Z².

use crypto_bigint::modular::runtime_mod::DynResidue;
use crypto_bigint::Uint;

use crate::curve::Curve;
use crate::field::{limbs_le, lt, Fe};

/// NAF window for G (2^(W−2) = 32 precomputed affine points, made once).
const W_G: usize = 7;
/// NAF window for the public key (4 multiples made per verification).
const W_Q: usize = 4;

/// Jacobian (X, Y, Z) ~ (X/Z², Y/Z³); Z = 0 is the point at infinity.
#[derive(Clone, Copy)]
struct Jac<const N: usize, const C: u64> {
    x: Fe<N, C>,
    y: Fe<N, C>,
    z: Fe<N, C>,
}

type Affine<const N: usize, const C: u64> = (Fe<N, C>, Fe<N, C>);

impl<const N: usize, const C: u64> Jac<N, C> {
    const INFINITY: Self = Jac {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    fn from_affine((x, y): &Affine<N, C>) -> Self {
        Jac {
            x: *x,
            y: *y,
            z: Fe::ONE,
        }
    }

    fn neg(&self) -> Self {
        Jac {
            y: self.y.neg(),
            ..*self
        }
    }

    /// dbl-2001-b (a = −3): 3M + 5S.
    fn double(&self) -> Self {
        if self.z.is_zero() {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let t = self.x.sub(&delta).mul(&self.x.add(&delta));
        let alpha = t.double().add(&t);
        let beta4 = beta.double().double();
        let x = alpha.square().sub(&beta4.double());
        let z = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
        let gamma2 = gamma.square().double();
        let y = alpha.mul(&beta4.sub(&x)).sub(&gamma2.double().double());
        Jac { x, y, z }
    }

    /// add-2007-bl: 11M + 5S; handles the infinity, P = Q and P = −Q.
    fn add(&self, o: &Self) -> Self {
        if self.z.is_zero() {
            return *o;
        }
        if o.z.is_zero() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = o.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = o.x.mul(&z1z1);
        let s1 = self.y.mul(&o.z).mul(&z2z2);
        let s2 = o.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&s1.mul(&j).double());
        let z = self.z.add(&o.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Jac { x, y, z }
    }

    /// madd-2007-bl with an affine second point: 7M + 4S.
    fn add_affine(&self, (x2, y2): &Affine<N, C>) -> Self {
        if self.z.is_zero() {
            return Self::from_affine(&(*x2, *y2));
        }
        let z1z1 = self.z.square();
        let u2 = x2.mul(&z1z1);
        let s2 = y2.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&self.y.mul(&j).double());
        let z = self.z.add(&h).square().sub(&z1z1).sub(&hh);
        Jac { x, y, z }
    }
}

/// Width-w NAF of a scalar < 2^(64·N): digits odd and |d| < 2^(w−1), at most one nonzero in
/// any w consecutive positions; index i weighs 2^i. 64·N + 1 digits suffice.
fn wnaf<const N: usize>(k: &[u64; N], w: usize) -> Vec<i8> {
    let bits = 64 * N;
    let mut naf = vec![0i8; bits + 1 + w];
    let bit = |i: usize| -> u64 {
        if i < bits {
            (k[i / 64] >> (i % 64)) & 1
        } else {
            0
        }
    };
    let width = 1u64 << w;
    let mut carry = 0u64;
    let mut pos = 0;
    while pos <= bits {
        let mut window = carry;
        for j in 0..w {
            window += bit(pos + j) << j;
        }
        if window & 1 == 0 {
            // Even: this digit is 0 and the carry moves on with the window.
            pos += 1;
            continue;
        }
        if window < width / 2 {
            carry = 0;
            naf[pos] = window as i8;
        } else {
            carry = 1;
            naf[pos] = (window as i64 - width as i64) as i8;
        }
        pos += w;
    }
    naf
}

/// a⁻¹ mod m for an odd m and 0 < a < m, by the binary extended Euclidean algorithm: variable
/// time, for public values only (the digest), about twice as fast here as crypto-bigint's
/// constant-time inversion.
fn invert_vartime<const N: usize>(a: &[u64; N], m: &[u64; N]) -> [u64; N] {
    let is_one = |x: &[u64; N]| x[0] == 1 && x[1..].iter().all(|&w| w == 0);
    let (mut u, mut v) = (*a, *m);
    let (mut x1, mut x2) = ([0u64; N], [0u64; N]);
    x1[0] = 1;
    // Invariants: x1·a ≡ u and x2·a ≡ v (mod m), x1, x2 < m.
    while !is_one(&u) && !is_one(&v) {
        while u[0] & 1 == 0 {
            halve(&mut u, 0);
            halve_mod(&mut x1, m);
        }
        while v[0] & 1 == 0 {
            halve(&mut v, 0);
            halve_mod(&mut x2, m);
        }
        if lt(&u, &v) {
            sub_in_place(&mut v, &u);
            sub_mod(&mut x2, &x1, m);
        } else {
            sub_in_place(&mut u, &v);
            sub_mod(&mut x1, &x2, m);
        }
    }
    if is_one(&u) {
        x1
    } else {
        x2
    }
}

/// x ← (x + top·2^(64N)) / 2.
fn halve<const N: usize>(x: &mut [u64; N], top: u64) {
    for i in 0..N {
        let next = if i + 1 < N { x[i + 1] } else { top };
        x[i] = (x[i] >> 1) | (next << 63);
    }
}

/// x ← x/2 mod m (m odd): x/2 when x is even, else (x + m)/2 with the sum's carry kept.
fn halve_mod<const N: usize>(x: &mut [u64; N], m: &[u64; N]) {
    let mut carry = 0;
    if x[0] & 1 == 1 {
        for i in 0..N {
            let t = x[i] as u128 + m[i] as u128 + carry as u128;
            x[i] = t as u64;
            carry = (t >> 64) as u64;
        }
    }
    halve(x, carry);
}

/// x ← x − y, for x ≥ y.
fn sub_in_place<const N: usize>(x: &mut [u64; N], y: &[u64; N]) -> u64 {
    let mut borrow = 0u64;
    for i in 0..N {
        let t = (x[i] as u128).wrapping_sub(y[i] as u128 + borrow as u128);
        x[i] = t as u64;
        borrow = (t >> 127) as u64;
    }
    borrow
}

/// x ← x − y mod m, for x, y < m.
fn sub_mod<const N: usize>(x: &mut [u64; N], y: &[u64; N], m: &[u64; N]) {
    if sub_in_place(x, y) == 1 {
        let mut carry = 0u64;
        for i in 0..N {
            let t = x[i] as u128 + m[i] as u128 + carry as u128;
            x[i] = t as u64;
            carry = (t >> 64) as u64;
        }
    }
}

/// 1·P, 3·P, 5·P, … (2^(w−1) − 1)·P.
fn odd_multiples<const N: usize, const C: u64>(p: &Jac<N, C>, w: usize) -> Vec<Jac<N, C>> {
    let two_p = p.double();
    let mut out = Vec::with_capacity(1 << (w - 2));
    out.push(*p);
    for i in 1..1 << (w - 2) {
        out.push(out[i - 1].add(&two_p));
    }
    out
}

impl<const N: usize, const C: u64> Curve<N, C> {
    fn g_table(&self) -> &[Affine<N, C>] {
        self.verify_table.get_or_init(|| {
            odd_multiples(&Jac::from_affine(&self.g), W_G)
                .iter()
                .map(|p| {
                    let zi = p.z.invert();
                    let zi2 = zi.square();
                    (p.x.mul(&zi2), p.y.mul(&zi2).mul(&zi))
                })
                .collect()
        })
    }

    /// Checks a signature (`r‖s`, each LE) over a digest (hash output as the crates return it,
    /// at most n bytes, read LE) with a public key (`X‖Y`, each LE, on the curve).
    pub fn verify(&self, public_key: &[u8], digest: &[u8], signature: &[u8]) -> bool {
        let n = self.n();
        if public_key.len() != 2 * n || signature.len() != 2 * n || digest.len() > n {
            return false;
        }
        let q = self.q.as_words();
        let (Some(r), Some(s)) = (
            limbs_le::<N>(&signature[..n]),
            limbs_le::<N>(&signature[n..]),
        ) else {
            return false;
        };
        if r == [0; N] || s == [0; N] || !lt(&r, q) || !lt(&s, q) {
            return false;
        }
        let (Some(kx), Some(ky)) = (
            Fe::<N, C>::from_le_bytes(&public_key[..n]),
            Fe::<N, C>::from_le_bytes(&public_key[n..]),
        ) else {
            return false;
        };
        if !self.on_curve(&kx, &ky) {
            return false;
        }
        // e = digest mod q, 1 if 0. The digest is < 2^(64N) < 2q, so one subtraction reduces it.
        let mut padded = vec![0u8; n];
        padded[..digest.len()].copy_from_slice(digest);
        let mut e = Uint::<N>::from_le_slice(&padded);
        if !lt(e.as_words(), q) {
            e = e.wrapping_sub(&self.q);
        }
        if e == Uint::ZERO {
            e = Uint::ONE;
        }
        // v = e⁻¹, z1 = s·v, z2 = −r·v (mod q).
        let v = invert_vartime(e.as_words(), q);
        let v = DynResidue::new(&Uint::from_words(v), self.q_params);
        let z1 = (DynResidue::new(&Uint::from_words(s), self.q_params) * v).retrieve();
        let minus_r = self.q.wrapping_sub(&Uint::from_words(r));
        let z2 = (DynResidue::new(&minus_r, self.q_params) * v).retrieve();

        let point = self.straus(z1.as_words(), z2.as_words(), &(kx, ky));
        if point.z.is_zero() {
            return false;
        }
        let zz = point.z.square();
        let r_fe = Fe::<N, C>(r);
        if point.x == r_fe.mul(&zz) {
            return true;
        }
        // x may be r + q when that is still below p.
        let (r_plus_q, carry) = Uint::from_words(r).adc(&self.q, crypto_bigint::Limb::ZERO);
        if carry.0 != 0 {
            return false;
        }
        Fe::<N, C>::from_limbs(r_plus_q.to_words()).is_some_and(|rq| point.x == rq.mul(&zz))
    }

    /// k1·G + k2·Q sharing the doublings.
    fn straus(&self, k1: &[u64; N], k2: &[u64; N], q: &Affine<N, C>) -> Jac<N, C> {
        let g_table = self.g_table();
        let q_table = odd_multiples(&Jac::from_affine(q), W_Q);
        let (naf1, naf2) = (wnaf(k1, W_G), wnaf(k2, W_Q));
        let top = (0..naf1.len().max(naf2.len())).rev().find(|&i| {
            naf1.get(i).is_some_and(|&d| d != 0) || naf2.get(i).is_some_and(|&d| d != 0)
        });
        let Some(top) = top else {
            return Jac::INFINITY;
        };
        let mut acc = Jac::INFINITY;
        for i in (0..=top).rev() {
            acc = acc.double();
            let d = naf1.get(i).copied().unwrap_or(0);
            if d > 0 {
                acc = acc.add_affine(&g_table[(d / 2) as usize]);
            } else if d < 0 {
                let (x, y) = g_table[(-d / 2) as usize];
                acc = acc.add_affine(&(x, y.neg()));
            }
            let d = naf2.get(i).copied().unwrap_or(0);
            if d > 0 {
                acc = acc.add(&q_table[(d / 2) as usize]);
            } else if d < 0 {
                acc = acc.add(&q_table[(-d / 2) as usize].neg());
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{GOST2004, GOST2015_512};
    use num_bigint::BigUint;
    use rand::{Rng, SeedableRng};

    #[test]
    fn the_variable_time_inverse_agrees_with_crypto_bigint() {
        fn check<const N: usize, const C: u64>(c: &Curve<N, C>) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(5);
            let q = c.q.as_words();
            let mut q_minus_one = *q;
            q_minus_one[0] -= 1;
            let mut cases = vec![[0u64; N], q_minus_one];
            cases[0][0] = 1;
            let mut two = [0u64; N];
            two[0] = 2;
            cases.push(two);
            for _ in 0..300 {
                let mut x: [u64; N] = std::array::from_fn(|_| rng.gen());
                x[N - 1] >>= 1;
                if x != [0; N] {
                    cases.push(x);
                }
            }
            for a in cases {
                let want = Uint::from_words(a).inv_odd_mod(&c.q).0;
                assert_eq!(invert_vartime(&a, q), *want.as_words(), "{:?}", c.id);
            }
        }
        check(&*GOST2015_512);
        check(&*GOST2004);
    }

    #[test]
    fn wnaf_digits_sum_back_to_the_scalar() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for w in [2, 4, 5, 7] {
            for case in 0..200 {
                let k: [u64; 8] = match case {
                    0 => [u64::MAX; 8],
                    1 => [0; 8],
                    2 => [1, 0, 0, 0, 0, 0, 0, 0],
                    _ => std::array::from_fn(|_| rng.gen()),
                };
                let naf = wnaf(&k, w);
                let mut pos = num_bigint::BigInt::from(0);
                for (i, &d) in naf.iter().enumerate() {
                    assert!(d == 0 || (d % 2 != 0 && (d as i32).abs() < 1 << (w - 1)));
                    pos += num_bigint::BigInt::from(d) << i;
                }
                let want: BigUint = BigUint::from_slice(
                    &k.iter()
                        .flat_map(|w| [*w as u32, (*w >> 32) as u32])
                        .collect::<Vec<_>>(),
                );
                assert_eq!(pos, want.into(), "w = {w}");
            }
        }
    }

    #[test]
    fn straus_agrees_with_the_constant_time_multiplication() {
        fn check<const N: usize, const C: u64>(c: &Curve<N, C>) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(9);
            for _ in 0..10 {
                let k1: [u64; N] = std::array::from_fn(|_| rng.gen());
                let k2: [u64; N] = std::array::from_fn(|_| rng.gen());
                let d: [u64; N] = std::array::from_fn(|i| if i == 0 { rng.gen() } else { 0 });
                let q = c.affine(&c.mul_base(&d)).unwrap();
                let got = c.straus(&k1, &k2, &q);
                let zi = got.z.invert();
                let got = (got.x.mul(&zi.square()), got.y.mul(&zi.square()).mul(&zi));
                // k1·G + k2·(d·G) = (k1 + k2·d)·G, the sum taken mod q by the ladder's table.
                let big = |l: &[u64; N]| {
                    BigUint::from_bytes_le(
                        &l.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<_>>(),
                    )
                };
                let order = big(c.q.as_words());
                let sum = (big(&k1) + big(&k2) * big(&d)) % &order;
                let mut bytes = sum.to_bytes_le();
                bytes.resize(8 * N, 0);
                let want = c.affine(&c.mul_base(&limbs_le(&bytes).unwrap())).unwrap();
                assert_eq!(got, want, "{:?}", c.id);
            }
        }
        check(&*GOST2015_512);
        check(&*GOST2004);
    }
}
