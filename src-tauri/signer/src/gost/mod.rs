//! KZ GOST signing: NCA's GOST 34.310-2015 (512-bit, Streebog-512) and GOST 34.310-2004
//! (GOST 34.311-95) keys, the way Kalkan signs (shared/notes/gost.md).
//!
//! Signing lives here, not in qoltanba-core beside the verifier: only this crate ever holds a
//! private key, and the verifier's arithmetic (num-bigint, variable time) must never touch one.
//! The curve numbers are repeated here on purpose, each set checked by a test (G on the curve,
//! q·G = O) and by signatures that core's independent verifier accepts.

mod curve;
mod key;
pub mod oids;
pub mod pkcs8;

pub use curve::CurveId;
pub use key::{GostKey, KeyProblem};
