//! KZ GOST signing: NCA's GOST 34.310-2015 (512-bit, Streebog-512) and GOST 34.310-2004
//! (GOST 34.311-95) keys, the way Kalkan signs (shared/notes/gost.md).
//!
//! The curve arithmetic and the key are qoltanba-gost's (one implementation for signing and
//! verifying: constant time wherever the key or the nonce is involved); this module adds what
//! signing documents needs around it: NCA's OIDs and the keys inside PKCS#8.

pub mod oids;
pub mod pkcs8;

pub use qoltanba_gost::{CurveId, GostKey, KeyProblem};
