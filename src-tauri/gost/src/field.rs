//! GF(p) for NCA's two primes, both of the form p = 2^(64·N) − C with a small C
//! (2^512 − 569 and 2^256 − 617): a product folds back with one multiplication by C instead of a
//! general (Montgomery or Barrett) reduction, which is what makes verification fast.
//!
//! Every operation is constant time (fixed loops over the limbs, carries turned into masks, no
//! branch on a value), so the signing code runs its secret nonce through the same arithmetic as
//! the verifier. Values are always kept fully reduced (< p), so equality is limb equality.

use crypto_bigint::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

/// An element of GF(2^(64·N) − C), little-endian 64-bit limbs, always < p.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe<const N: usize, const C: u64>(pub(crate) [u64; N]);

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128 + borrow as u128);
    (t as u64, (t >> 127) as u64)
}

/// acc + a·b + carry, as (low, high).
#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = acc as u128 + (a as u128) * (b as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// Adds a single word to the limbs; returns the carry out (0 or 1).
#[inline(always)]
fn add_word<const N: usize>(l: &mut [u64; N], v: u64) -> u64 {
    let mut carry = v;
    for x in l.iter_mut() {
        let (s, c) = adc(*x, carry, 0);
        *x = s;
        carry = c;
    }
    carry
}

/// `if mask == !0 { a } else { b }`, limb by limb.
#[inline(always)]
fn select<const N: usize>(mask: u64, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut r = [0u64; N];
    for i in 0..N {
        r[i] = (a[i] & mask) | (b[i] & !mask);
    }
    r
}

impl<const N: usize, const C: u64> Fe<N, C> {
    pub const ZERO: Self = Fe([0; N]);
    pub const ONE: Self = {
        let mut l = [0u64; N];
        l[0] = 1;
        Fe(l)
    };
    /// The modulus p = 2^(64·N) − C as limbs.
    pub const P: [u64; N] = {
        let mut l = [u64::MAX; N];
        l[0] = 0u64.wrapping_sub(C);
        l
    };
    /// From limbs that may be ≥ p (any N-limb value is < 2p): one conditional subtraction.
    #[inline(always)]
    fn normalize(mut l: [u64; N]) -> Self {
        let mut t = l;
        let over = add_word(&mut t, C);
        l = select(over.wrapping_neg(), &t, &l);
        Fe(l)
    }

    /// From a small integer.
    #[cfg(test)]
    pub fn from_u64(v: u64) -> Self {
        let mut l = [0u64; N];
        l[0] = v;
        Self::normalize(l)
    }

    /// From limbs, `None` unless < p (variable time: only for public values).
    pub fn from_limbs(l: [u64; N]) -> Option<Self> {
        (lt(&l, &Self::P)).then_some(Fe(l))
    }

    /// From exactly 8·N little-endian bytes, `None` unless < p (public values).
    pub fn from_le_bytes(bytes: &[u8]) -> Option<Self> {
        Self::from_limbs(limbs_le(bytes)?)
    }

    /// 8·N little-endian bytes.
    pub fn to_le_bytes(self) -> Vec<u8> {
        self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// Multiplication: schoolbook N×N limbs, then the high half folded in as high·C
    /// (2^(64·N) ≡ C mod p), three times, and one conditional subtraction.
    #[inline]
    pub fn mul(&self, rhs: &Self) -> Self {
        let (a, b) = (&self.0, &rhs.0);
        // N ≤ 8: the 2N-limb product fits 16 limbs.
        let mut t = [0u64; 16];
        for i in 0..N {
            let mut carry = 0;
            for j in 0..N {
                let (v, c) = mac(t[i + j], a[i], b[j], carry);
                t[i + j] = v;
                carry = c;
            }
            t[i + N] = carry;
        }
        Self::reduce(&t)
    }

    /// Squaring: the cross products once, doubled, plus the squares.
    #[inline]
    pub fn square(&self) -> Self {
        let a = &self.0;
        let mut t = [0u64; 16];
        for i in 0..N {
            let mut carry = 0;
            for j in i + 1..N {
                let (v, c) = mac(t[i + j], a[i], a[j], carry);
                t[i + j] = v;
                carry = c;
            }
            t[i + N] = carry;
        }
        let mut carry = 0;
        for x in t.iter_mut().take(2 * N) {
            let hi = *x >> 63;
            *x = (*x << 1) | carry;
            carry = hi;
        }
        let mut carry = 0;
        for i in 0..N {
            let (v, c) = mac(t[2 * i], a[i], a[i], carry);
            t[2 * i] = v;
            let (v, c) = adc(t[2 * i + 1], c, 0);
            t[2 * i + 1] = v;
            carry = c;
        }
        Self::reduce(&t)
    }

    /// t (2N limbs, < p²) mod p.
    #[inline(always)]
    fn reduce(t: &[u64; 16]) -> Self {
        // low + C·high: at most N limbs plus a top word ≤ C.
        let mut r = [0u64; N];
        let mut carry = 0;
        for i in 0..N {
            let (v, c) = mac(t[i], t[N + i], C, carry);
            r[i] = v;
            carry = c;
        }
        // + C·top: may carry out once more...
        let (v, c) = mac(r[0], carry, C, 0);
        r[0] = v;
        let mut carry = c;
        for x in r.iter_mut().skip(1) {
            let (v, c) = adc(*x, 0, carry);
            *x = v;
            carry = c;
        }
        // ...and then r < C², so adding C for that carry cannot carry again.
        add_word(&mut r, C & carry.wrapping_neg());
        Self::normalize(r)
    }

    #[inline]
    pub fn add(&self, rhs: &Self) -> Self {
        let mut r = [0u64; N];
        let mut carry = 0;
        for (i, x) in r.iter_mut().enumerate() {
            let (v, c) = adc(self.0[i], rhs.0[i], carry);
            *x = v;
            carry = c;
        }
        // The sum is < 2p: subtract p (add C mod 2^(64N)) if it carried out or is ≥ p.
        let mut t = r;
        let over = add_word(&mut t, C);
        Fe(select((carry | over).wrapping_neg(), &t, &r))
    }

    #[inline]
    pub fn sub(&self, rhs: &Self) -> Self {
        let mut r = [0u64; N];
        let mut borrow = 0;
        for (i, x) in r.iter_mut().enumerate() {
            let (v, b) = sbb(self.0[i], rhs.0[i], borrow);
            *x = v;
            borrow = b;
        }
        // On a borrow r = a − b + 2^(64N) > C; adding p means subtracting C, without a borrow.
        let mut borrow = C & borrow.wrapping_neg();
        for x in r.iter_mut() {
            let (v, b) = sbb(*x, borrow, 0);
            *x = v;
            borrow = b;
        }
        Fe(r)
    }

    #[inline]
    pub fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    #[inline]
    pub fn double(&self) -> Self {
        self.add(self)
    }

    /// self^(p−2) = self⁻¹ (0 for 0). The exponent is public, so the branches on its bits
    /// leak nothing about the base.
    pub fn invert(&self) -> Self {
        let mut e = Self::P;
        e[0] -= 2;
        let mut acc = Self::ONE;
        for i in (0..64 * N).rev() {
            acc = acc.square();
            if (e[i / 64] >> (i % 64)) & 1 == 1 {
                acc = acc.mul(self);
            }
        }
        acc
    }

    /// Variable time: only for public values (the verifier).
    pub fn is_zero(&self) -> bool {
        self.0.iter().fold(0, |acc, w| acc | w) == 0
    }
}

/// a < b for little-endian limbs (variable time; public values only).
pub(crate) fn lt<const N: usize>(a: &[u64; N], b: &[u64; N]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) == std::cmp::Ordering::Less
}

/// Exactly 8·N little-endian bytes as limbs.
pub(crate) fn limbs_le<const N: usize>(bytes: &[u8]) -> Option<[u64; N]> {
    if bytes.len() != 8 * N {
        return None;
    }
    let mut l = [0u64; N];
    for (i, chunk) in bytes.chunks_exact(8).enumerate() {
        l[i] = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    Some(l)
}

impl<const N: usize, const C: u64> PartialEq for Fe<N, C> {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.ct_eq(other))
    }
}

impl<const N: usize, const C: u64> ConstantTimeEq for Fe<N, C> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0[..].ct_eq(&other.0[..])
    }
}

impl<const N: usize, const C: u64> ConditionallySelectable for Fe<N, C> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut r = [0u64; N];
        for (i, x) in r.iter_mut().enumerate() {
            *x = u64::conditional_select(&a.0[i], &b.0[i], choice);
        }
        Fe(r)
    }
}

impl<const N: usize, const C: u64> zeroize::Zeroize for Fe<N, C> {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use rand::{Rng, SeedableRng};

    type F512 = Fe<8, 569>;
    type F256 = Fe<4, 617>;

    fn big<const N: usize, const C: u64>(f: &Fe<N, C>) -> BigUint {
        BigUint::from_bytes_le(&f.to_le_bytes())
    }

    fn p<const N: usize, const C: u64>() -> BigUint {
        (BigUint::from(1u8) << (64 * N)) - BigUint::from(C)
    }

    /// Random elements biased to the edges (0, 1, p−1, limbs of all ones), where carries and
    /// the folds' corner cases live.
    fn sample<const N: usize, const C: u64>(rng: &mut impl Rng) -> Fe<N, C> {
        match rng.gen_range(0..6) {
            0 => Fe::ZERO,
            1 => Fe::ONE,
            2 => Fe::<N, C>::ZERO.sub(&Fe::from_u64(rng.gen_range(1..2000))),
            3 => {
                let mut l = [u64::MAX; N];
                l[0] = rng.gen();
                Fe::normalize(l)
            }
            _ => Fe::normalize(std::array::from_fn(|_| rng.gen())),
        }
    }

    fn agree<const N: usize, const C: u64>(cases: usize) {
        let mut rng = rand::rngs::StdRng::seed_from_u64(17);
        let m = p::<N, C>();
        for _ in 0..cases {
            let (a, b) = (sample::<N, C>(&mut rng), sample::<N, C>(&mut rng));
            let (x, y) = (big(&a), big(&b));
            assert!(x < m && y < m);
            assert_eq!(big(&a.mul(&b)), (&x * &y) % &m, "mul {x:x} {y:x}");
            assert_eq!(big(&a.square()), (&x * &x) % &m, "square {x:x}");
            assert_eq!(big(&a.add(&b)), (&x + &y) % &m, "add {x:x} {y:x}");
            assert_eq!(big(&a.sub(&b)), (&x + &m - &y) % &m, "sub {x:x} {y:x}");
            assert_eq!(big(&a.neg()), (&m - &x) % &m, "neg {x:x}");
        }
        let a = Fe::<N, C>::from_u64(12345);
        assert_eq!(a.mul(&a.invert()), Fe::ONE);
        assert_eq!(Fe::<N, C>::ZERO.invert(), Fe::ZERO);
    }

    #[test]
    fn arithmetic_agrees_with_big_integers_mod_p() {
        agree::<8, 569>(3000);
        agree::<4, 617>(3000);
    }

    #[test]
    fn encodings_refuse_values_not_below_p() {
        let p_bytes = Fe::<8, 569>(F512::P).to_le_bytes();
        assert!(F512::from_le_bytes(&p_bytes).is_none());
        let mut below = p_bytes.clone();
        below[0] -= 1;
        assert_eq!(F512::from_le_bytes(&below).unwrap().to_le_bytes(), below);
        assert!(F256::from_le_bytes(&[0xFF; 32]).is_none());
        assert!(F256::from_le_bytes(&[0; 31]).is_none(), "wrong length");
    }
}
