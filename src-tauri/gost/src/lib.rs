//! KZ GOST 34.10 on NCA's two curves (GOST 34.310-2015 512-bit and GOST 34.310-2004), one
//! implementation for the signer and the verifier (shared/notes/gost.md has the numbers and
//! NCA's byte orders: key X‖Y and signature r‖s, each little-endian; the digest read as a
//! little-endian integer).
//!
//! * field.rs: GF(2^(64·N) − C) with a pseudo-Mersenne reduction, constant time.
//! * curve.rs: the curves and the constant-time k·G signing needs (complete formulas, table).
//! * key.rs: the private key and signing (constant time, fresh OS nonce, zeroised).
//! * verify.rs: verification, variable time (all of it is public): Straus with wNAF.

mod curve;
mod field;
mod key;
mod verify;

use curve::with_curve;
pub use curve::CurveId;
pub use key::{GostKey, KeyProblem};

/// Checks a GOST 34.10 signature in NCA's byte order: `signature` = r‖s and `public_key` =
/// X‖Y, each little-endian, 2n bytes; `digest` = the hash exactly as the streebog/gost94
/// crates return it (n bytes, read as a little-endian integer). Any malformed input (wrong
/// lengths, r or s outside 1..q, a key not on the curve) is simply not a valid signature.
pub fn verify(curve: CurveId, public_key: &[u8], digest: &[u8], signature: &[u8]) -> bool {
    with_curve!(curve, c => c.verify(public_key, digest, signature))
}
