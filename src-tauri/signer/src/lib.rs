//! qoltanba-signer: a local signing service that speaks NCALayer's WebSocket protocol and makes
//! real CMS (CAdES-BES) and XMLDSig signatures from PKCS#12 files.
//!
//! Library entry points others use: [`keystore::Keystore::open`], [`cms::sign`],
//! [`cms::sign_digest`], [`xmldsig::sign_enveloped`], [`server::Server`] and
//! [`testkeys::generate`].

pub mod ber;
pub use qoltanba_c14n as c14n;
pub mod cms;
pub mod confirm;
pub mod error;
pub mod fault;
pub mod gost;
pub mod keyinfo;
pub mod keyset;
pub mod keystore;
pub mod nca_pkcs12;
pub mod profile;
pub mod protocol;
pub mod server;
pub mod testkeys;
pub mod testkeys_gost;
pub mod tls;
pub mod xmldsig;

pub use error::{Error, Result};
