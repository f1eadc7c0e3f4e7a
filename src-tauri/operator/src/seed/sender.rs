//! The marketplace's signing key for the seeds: the project's test PKI from qoltanba-signer,
//! generated into the data directory on first seed (test keys only; the directory is the
//! operator's own state, never the repository). Its `ca.pem` lets a client check the sender.

use std::path::{Path, PathBuf};

use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::{self, Manifest, DEFAULT_PASSWORD};

use super::SeedError;

/// Where the test key set lives inside the data directory.
pub const TESTKEYS_DIR: &str = "testkeys";
/// The role of the marketplace's RSA-2048 signing key in the test key set.
pub const SENDER_ROLE: &str = "marketplace_sign";
/// The marketplace's GOST-2015-512 key: the demo month and the load seeds are signed as NCA's
/// organisation keys mostly sign.
pub const SENDER_ROLE_GOST: &str = "marketplace_sign_gost";

pub struct Sender {
    keystore: Keystore,
}

pub fn testkeys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(TESTKEYS_DIR)
}

impl Sender {
    /// Loads the key set of an earlier seed, or generates one, and takes the RSA sender key.
    pub fn open(data_dir: &Path) -> Result<Sender, SeedError> {
        Sender::open_role(data_dir, SENDER_ROLE)
    }

    /// As `open`, with the key of `role`.
    pub fn open_role(data_dir: &Path, role: &str) -> Result<Sender, SeedError> {
        let dir = testkeys_dir(data_dir);
        let manifest = match Manifest::load(&dir) {
            Ok(m) => m,
            Err(_) => testkeys::generate(&dir, DEFAULT_PASSWORD)
                .map_err(|e| SeedError::Signing(format!("{e:#}")))?,
        };
        let keystore = Keystore::open(manifest.path(role), &manifest.password)
            .map_err(|e| SeedError::Signing(e.to_string()))?;
        Ok(Sender { keystore })
    }

    /// A detached CAdES-BES over `data`, DER.
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SeedError> {
        qoltanba_signer::cms::sign(&self.keystore, data, true)
            .map_err(|e| SeedError::Signing(e.to_string()))
    }
}
