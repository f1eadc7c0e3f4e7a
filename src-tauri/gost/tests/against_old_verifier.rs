//! The new verifier against the num-bigint one it replaced (tests/old_verifier), on 10,000
//! random keys and messages: signatures made by the new constant-time signer, as they are and
//! mutated (a flipped bit, another message, another key, a key off the curve, r or s out of
//! range, r and s swapped). The new verifier must give the verdict the mutation implies in
//! every case, and the old one the same verdict: the old one on every 10th case by default
//! (its 10,000 take about two minutes; QOLTANBA_GOST_ORACLE_EVERY=1 runs it on all of them,
//! QOLTANBA_GOST_CASES changes the count).
//! Plus the range checks the old verifier's own tests pinned, now on the new one.

mod old_verifier;

use num_bigint::BigUint;
use num_traits::{One, Zero};
use old_verifier::Curve as Old;
use qoltanba_gost::{verify, CurveId, GostKey};
use rand::{Rng, SeedableRng};
use sha2_free_digest::digest_of;

/// The message hashes NCA uses with each curve, in the crates' byte order.
mod sha2_free_digest {
    use qoltanba_gost::CurveId;
    use streebog::Digest as _;

    pub fn digest_of(id: CurveId, message: &[u8]) -> Vec<u8> {
        match id {
            CurveId::Gost2015_512 => streebog::Streebog512::digest(message).to_vec(),
            CurveId::Gost2004 => gost94::Gost94Test::digest(message).to_vec(),
        }
    }
}

fn old(id: CurveId) -> Old {
    match id {
        CurveId::Gost2015_512 => Old::gost2015_512(),
        CurveId::Gost2004 => Old::gost2004(),
    }
}

fn le(v: &BigUint, n: usize) -> Vec<u8> {
    let mut b = v.to_bytes_le();
    assert!(b.len() <= n, "fits the wire form");
    b.resize(n, 0);
    b
}

/// A key from the seeded generator (top byte cleared, so it is below q).
fn key(rng: &mut impl Rng, id: CurveId) -> GostKey {
    let mut d = vec![0u8; id.size()];
    rng.fill(&mut d[..]);
    d[id.size() - 1] = 0;
    d[0] |= 1;
    GostKey::from_le(id, &d).unwrap()
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    None,
    SignatureBit,
    OtherMessage,
    OtherKey,
    KeyBit,
    SPlusQ,
    RIsQ,
    ZeroS,
    Swapped,
}

const MUTATIONS: [Mutation; 9] = [
    Mutation::None,
    Mutation::SignatureBit,
    Mutation::OtherMessage,
    Mutation::OtherKey,
    Mutation::KeyBit,
    Mutation::SPlusQ,
    Mutation::RIsQ,
    Mutation::ZeroS,
    Mutation::Swapped,
];

#[test]
fn ten_thousand_random_cases_get_the_old_verifiers_verdicts() {
    let cases: usize = std::env::var("QOLTANBA_GOST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let oracle_every: usize = std::env::var("QOLTANBA_GOST_ORACLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut oracle_cases = 0;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let olds = [old(CurveId::Gost2015_512), old(CurveId::Gost2004)];
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    let mut valid = 0;
    let mut keys = Vec::new();
    for i in 0..cases {
        // Three in four on the 2015-512 curve, the one NCA issues today.
        let id = if i % 4 == 3 {
            CurveId::Gost2004
        } else {
            CurveId::Gost2015_512
        };
        let o = &olds[(id == CurveId::Gost2004) as usize];
        let n = id.size();
        // A new key for most cases; some reuse one, as a signer signs many documents.
        if keys.len() < 2 || rng.gen_ratio(3, 4) {
            keys.push(key(&mut rng, id));
            keys.push(key(&mut rng, id));
        }
        let pick = |rng: &mut rand::rngs::StdRng, keys: &[GostKey]| loop {
            let k = &keys[rng.gen_range(0..keys.len())];
            if k.curve() == id {
                break k.public_key().to_vec();
            }
        };
        let signer = keys
            .iter()
            .rev()
            .find(|k| k.curve() == id)
            .expect("a key on this curve");
        let len = rng.gen_range(0..300);
        let message: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        let mut digest = digest_of(id, &message);
        let mut sig = signer.sign_digest(&digest);
        let mut public = signer.public_key().to_vec();
        let mutation = MUTATIONS[rng.gen_range(0..MUTATIONS.len())];
        match mutation {
            Mutation::None => {}
            Mutation::SignatureBit => {
                let bit = rng.gen_range(0..16 * n);
                sig[bit / 8] ^= 1 << (bit % 8);
            }
            Mutation::OtherMessage => {
                digest = digest_of(id, &[&message[..], b"!"].concat());
            }
            Mutation::OtherKey => {
                let other = pick(&mut rng, &keys);
                if other == public {
                    // Same key drawn: keep the case honest by making it a new one.
                    public = key(&mut rng, id).public_key().to_vec();
                } else {
                    public = other;
                }
            }
            Mutation::KeyBit => {
                let bit = rng.gen_range(0..16 * n);
                public[bit / 8] ^= 1 << (bit % 8);
            }
            Mutation::SPlusQ => {
                let s = BigUint::from_bytes_le(&sig[n..]) + &o.q;
                if s.bits() as usize <= 8 * n {
                    sig[n..].copy_from_slice(&le(&s, n));
                } else {
                    sig[n..].fill(0xFF);
                }
            }
            Mutation::RIsQ => sig[..n].copy_from_slice(&le(&o.q, n)),
            Mutation::ZeroS => sig[n..].fill(0),
            Mutation::Swapped => {
                let (r, s) = sig.split_at(n);
                sig = [s, r].concat();
            }
        }
        let expected = matches!(mutation, Mutation::None);
        let new = verify(id, &public, &digest, &sig);
        assert_eq!(new, expected, "case {i}, {id:?}, {mutation:?}");
        if i % oracle_every == 0 {
            let was = o.verify(&public, &digest, &sig);
            assert_eq!(was, new, "case {i}, {id:?}, {mutation:?}: the old verifier");
            oracle_cases += 1;
        }
        valid += new as usize;
        *tally.entry(format!("{id:?} {mutation:?}")).or_default() += 1;
    }
    assert!(valid > cases / 20, "valid signatures were among the cases");
    eprintln!("{cases} cases, {valid} valid, {oracle_cases} also by the old verifier: {tally:?}");
}

/// A valid signature whose s is chosen: the key is solved for it (d = (s − k·e)/r mod q).
/// A small s lets s + q still fit the n bytes, and s = 0 passes the final equation, so only
/// the range checks can refuse them. Returns (key, digest, r‖s).
fn with_s(c: &Old, s: &BigUint) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let digest = vec![0x5Au8; c.n];
    let e = BigUint::from_bytes_le(&digest) % &c.q;
    let k = BigUint::from(0x0123_4567_89AB_CDEFu64);
    let (x, _) = c
        .affine(&c.shamir(&k, &c.g, &BigUint::zero(), &c.g))
        .unwrap();
    let r = x % &c.q;
    let num = (s + &c.q - (&k * &e) % &c.q) % &c.q;
    let d = (num * r.modpow(&(&c.q - 2u32), &c.q)) % &c.q;
    let (px, py) = c
        .affine(&c.shamir(&d, &c.g, &BigUint::zero(), &c.g))
        .unwrap();
    (
        [le(&px, c.n), le(&py, c.n)].concat(),
        digest,
        [le(&r, c.n), le(s, c.n)].concat(),
    )
}

const IDS: [CurveId; 2] = [CurveId::Gost2015_512, CurveId::Gost2004];

#[test]
fn s_out_of_range_is_refused_though_the_equation_holds() {
    for id in IDS {
        let c = old(id);
        let s = BigUint::from(5u32);
        let (key, digest, sig) = with_s(&c, &s);
        assert!(
            verify(id, &key, &digest, &sig),
            "the chosen signature is valid"
        );
        // s + q gives the same z1 = s·v mod q: only `s >= q` refuses it.
        let mut high = sig.clone();
        high[c.n..].copy_from_slice(&le(&(&s + &c.q), c.n));
        assert!(!verify(id, &key, &digest, &high), "s + q");
        // s = 0 with a key solved for it passes the equation: only `s == 0` refuses it.
        let (key, digest, sig) = with_s(&c, &BigUint::zero());
        assert!(!verify(id, &key, &digest, &sig), "s = 0");
    }
}

#[test]
fn r_out_of_range_is_refused() {
    for id in IDS {
        let c = old(id);
        let (key, digest, sig) = with_s(&c, &BigUint::from(5u32));
        for r in [
            c.q.clone(),
            &c.q + 1u32,
            (BigUint::one() << (8 * c.n)) - 1u32,
        ] {
            let mut bad = sig.clone();
            bad[..c.n].copy_from_slice(&le(&r, c.n));
            assert!(!verify(id, &key, &digest, &bad));
        }
    }
}

#[test]
fn a_key_written_out_of_range_is_refused_though_it_computes_as_a_real_point() {
    // G's x is 3 (2015) or 1 (2004), so G with x + p still fits the n bytes of a key; the
    // arithmetic (all mod p) would treat it as G, so only the range check refuses it.
    for id in IDS {
        let c = old(id);
        let key = GostKey::from_le(id, &[1]).unwrap();
        let digest = vec![0x33u8; c.n];
        let sig = key.sign_digest(&digest);
        assert!(verify(id, key.public_key(), &digest, &sig));
        let alias = [le(&(&c.g.0 + &c.p), c.n), le(&c.g.1, c.n)].concat();
        assert!(!verify(id, &alias, &digest, &sig));
    }
}

#[test]
fn wrong_lengths_are_not_valid_signatures() {
    for id in IDS {
        let key = GostKey::from_le(id, &[7]).unwrap();
        let n = id.size();
        let digest = vec![0x11u8; n];
        let sig = key.sign_digest(&digest);
        let public = key.public_key();
        assert!(verify(id, public, &digest, &sig));
        assert!(!verify(id, public, &digest, &sig[..2 * n - 1]));
        assert!(!verify(id, &public[..2 * n - 1], &digest, &sig));
        assert!(!verify(
            id,
            public,
            &[digest.clone(), vec![0]].concat(),
            &sig
        ));
        let other = if id == CurveId::Gost2004 {
            IDS[0]
        } else {
            IDS[1]
        };
        assert!(!verify(other, public, &digest, &sig), "the other curve");
    }
}
