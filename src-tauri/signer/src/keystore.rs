//! A PKCS#12 key file opened for signing: the private key and its certificate chain.
//!
//! RSA and P-256 signing goes through aws-lc-rs (already in the graph through rustls and rcgen):
//! it is constant-time and fast, unlike the pure-Rust `rsa` crate (RUSTSEC-2023-0071). NCA's GOST
//! keys sign through [`crate::gost`] (no crate signs KZ GOST).

use std::path::{Path, PathBuf};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as lc, EcdsaKeyPair, RsaKeyPair};
use const_oid::ObjectIdentifier;
use der::Decode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::error::{Error, Result};
use crate::gost::{self, oids as gost_oids, CurveId, GostKey};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// The algorithm of the key in a keystore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA with SHA-256 and PKCS#1 v1.5 padding (NCA's RSA kits).
    Rsa,
    /// ECDSA on NIST P-256 with SHA-256.
    EcP256,
    /// GOST 34.310-2015 512-bit with Streebog-512 (NCA's keys since 2024).
    Gost2015,
    /// GOST 34.310-2004 with GOST 34.311-95 (older NCA kits).
    Gost2004,
}

impl KeyAlgorithm {
    /// The name NCALayer's getKeyInfo reports: Java's key algorithm name, which for Kalkan's
    /// GOST keys is "ECGOST3410-2015" (2015) and "ECGOST34310" (2004), as public Kalkan
    /// wrappers compare it.
    pub fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa => "RSA",
            KeyAlgorithm::EcP256 => "EC",
            KeyAlgorithm::Gost2015 => "ECGOST3410-2015",
            KeyAlgorithm::Gost2004 => "ECGOST34310",
        }
    }

    /// The hash this key signs with, applied to `data`, in the byte order that goes into a
    /// CMS messageDigest or an XML DigestValue.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            KeyAlgorithm::Rsa | KeyAlgorithm::EcP256 => Sha256::digest(data).to_vec(),
            KeyAlgorithm::Gost2015 => streebog::Streebog512::digest(data).to_vec(),
            KeyAlgorithm::Gost2004 => gost94::Gost94Test::digest(data).to_vec(),
        }
    }

    /// The length of that hash in bytes.
    pub fn hash_len(self) -> usize {
        match self {
            KeyAlgorithm::Gost2015 => 64,
            _ => 32,
        }
    }
}

enum PrivateKey {
    Rsa(RsaKeyPair),
    // Two forms of the same key: CMS wants a DER ECDSA-Sig-Value, XMLDSig wants r||s.
    Ec {
        asn1: EcdsaKeyPair,
        fixed: EcdsaKeyPair,
    },
    Gost(Box<GostKey>),
}

/// A private key with its certificate chain, read from a PKCS#12 file.
pub struct Keystore {
    path: PathBuf,
    alias: String,
    key: PrivateKey,
    certificate: Certificate,
    chain: Vec<Vec<u8>>,
    rng: SystemRandom,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore")
            .field("path", &self.path)
            .field("alias", &self.alias)
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

impl Keystore {
    /// Opens a PKCS#12 file (OpenSSL 3 AES or NCA's legacy 3DES/RC2-40) with its password.
    pub fn open(path: impl AsRef<Path>, password: &str) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut keystore = Self::from_pkcs12(&bytes, password)?;
        keystore.path = path.to_path_buf();
        Ok(keystore)
    }

    /// Reads a PKCS#12 file already in memory; the first private key entry is used.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<Self> {
        let store = open_pkcs12(bytes, password)?;
        let (alias, entry) = store
            .private_key_chain()
            .ok_or_else(|| Error::Keystore("the file holds no private key".into()))?;
        let chain: Vec<Vec<u8>> = entry.chain().iter().map(|c| c.as_der().to_vec()).collect();
        let leaf = chain
            .first()
            .ok_or_else(|| Error::Keystore("the private key has no certificate".into()))?;
        let certificate = Certificate::from_der(leaf)
            .map_err(|e| Error::Certificate(format!("cannot parse the certificate: {e}")))?;
        let key = private_key(entry.key(), &certificate)?;
        Ok(Keystore {
            path: PathBuf::new(),
            alias: alias.to_string(),
            key,
            certificate,
            chain,
            rng: SystemRandom::new(),
        })
    }

    /// The file this keystore was opened from (empty when read from memory).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The PKCS#12 friendly name of the key entry.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.key {
            PrivateKey::Rsa(_) => KeyAlgorithm::Rsa,
            PrivateKey::Ec { .. } => KeyAlgorithm::EcP256,
            PrivateKey::Gost(ref key) => match key.curve() {
                CurveId::Gost2015_512 => KeyAlgorithm::Gost2015,
                CurveId::Gost2004 => KeyAlgorithm::Gost2004,
            },
        }
    }

    /// The signer's own certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The signer's certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.chain[0]
    }

    /// The chain as stored in the file, signer first, DER.
    pub fn chain_der(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// Signs `message` (hashing it with the key's hash) the way CMS wants it: PKCS#1 v1.5 for
    /// RSA, a DER ECDSA-Sig-Value for EC, r‖s little-endian for GOST.
    pub fn sign_for_cms(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.key {
            PrivateKey::Rsa(key) => self.sign_rsa(key, message),
            PrivateKey::Ec { asn1, .. } => self.sign_ec(asn1, message),
            PrivateKey::Gost(key) => Ok(key.sign_digest(&self.algorithm().hash(message))),
        }
    }

    /// Signs `message` the way XMLDSig wants it: PKCS#1 v1.5 for RSA, r||s for ECDSA, and for
    /// GOST the same r‖s little-endian as in CMS (what Kalkan writes in SignatureValue).
    pub fn sign_for_xml(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.key {
            PrivateKey::Rsa(key) => self.sign_rsa(key, message),
            PrivateKey::Ec { fixed, .. } => self.sign_ec(fixed, message),
            PrivateKey::Gost(key) => Ok(key.sign_digest(&self.algorithm().hash(message))),
        }
    }

    fn sign_rsa(&self, key: &RsaKeyPair, message: &[u8]) -> Result<Vec<u8>> {
        let mut signature = vec![0u8; key.public_modulus_len()];
        key.sign(&lc::RSA_PKCS1_SHA256, &self.rng, message, &mut signature)
            .map_err(|_| Error::Signing("RSA signing failed".into()))?;
        Ok(signature)
    }

    fn sign_ec(&self, key: &EcdsaKeyPair, message: &[u8]) -> Result<Vec<u8>> {
        let signature = key
            .sign(&self.rng, message)
            .map_err(|_| Error::Signing("ECDSA signing failed".into()))?;
        Ok(signature.as_ref().to_vec())
    }
}

/// p12-keystore reads DER files; Kalkan's BER ones are first rewritten (nca_pkcs12).
fn open_pkcs12(bytes: &[u8], password: &str) -> Result<p12_keystore::KeyStore> {
    let refused = |e: p12_keystore::error::Error| match e {
        // The MAC over the contents is keyed by the password: a mismatch means a wrong one.
        p12_keystore::error::Error::MacError(_) => Error::WrongPassword,
        e => Error::Keystore(format!("cannot open PKCS#12: {e}")),
    };
    match p12_keystore::KeyStore::from_pkcs12(bytes, password) {
        Ok(store) => Ok(store),
        Err(p12_keystore::error::Error::DerError(e)) => {
            match crate::nca_pkcs12::der_without_mac(bytes, password)? {
                Some(der) => p12_keystore::KeyStore::from_pkcs12(&der, password).map_err(refused),
                None => Err(Error::Keystore(format!("cannot open PKCS#12: {e}"))),
            }
        }
        Err(e) => Err(refused(e)),
    }
}

fn private_key(pkcs8: &[u8], certificate: &Certificate) -> Result<PrivateKey> {
    let spki = &certificate.tbs_certificate.subject_public_key_info;
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        let key = RsaKeyPair::from_pkcs8(pkcs8)
            .map_err(|e| Error::Keystore(format!("cannot read the RSA key: {e}")))?;
        return Ok(PrivateKey::Rsa(key));
    }
    if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        if curve != Some(PRIME256V1) {
            return Err(Error::UnsupportedKey(
                "only the P-256 curve is supported for EC keys".into(),
            ));
        }
        let load = |alg| {
            EcdsaKeyPair::from_private_key_der(alg, pkcs8)
                .or_else(|_| EcdsaKeyPair::from_pkcs8(alg, pkcs8))
                .map_err(|e| Error::Keystore(format!("cannot read the EC key: {e}")))
        };
        return Ok(PrivateKey::Ec {
            asn1: load(&lc::ECDSA_P256_SHA256_ASN1_SIGNING)?,
            fixed: load(&lc::ECDSA_P256_SHA256_FIXED_SIGNING)?,
        });
    }
    if oid.to_string().starts_with(gost_oids::KZ_GOST_PREFIX) {
        return gost::pkcs8::key_from_pkcs8(pkcs8, spki)
            .map(|key| PrivateKey::Gost(Box::new(key)))
            .map_err(|problem| match problem {
                gost::pkcs8::Problem::Unsupported(what) => Error::UnsupportedKey(format!(
                    "{what} is not supported by qoltanba-signer; use NCALayer"
                )),
                gost::pkcs8::Problem::Malformed(what) => Error::Keystore(what),
                gost::pkcs8::Problem::Mismatch => Error::KeyMismatch,
            });
    }
    Err(Error::UnsupportedKey(format!("key algorithm {oid}")))
}
