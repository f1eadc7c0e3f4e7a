//! The keystores a server was started with, and how a request picks one: by NCALayer's keyType
//! (commonUtils) or by basics' signerParams.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::keystore::Keystore;
use crate::profile::Profile;

/// NCALayer's keyType argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Signature,
    Authentication,
    /// Any other string: any key.
    Any,
}

impl KeyType {
    pub fn parse(s: &str) -> KeyType {
        match s {
            "SIGNATURE" => KeyType::Signature,
            "AUTHENTICATION" => KeyType::Authentication,
            _ => KeyType::Any,
        }
    }
}

/// basics' signerParams: every field given narrows the choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignerFilter {
    /// The certificate must carry all of these EKUs.
    pub ext_key_usage_oids: Vec<String>,
    pub iin: Option<String>,
    pub bin: Option<String>,
    /// Certificate serial number, hex, case-insensitive.
    pub serial_number: Option<String>,
}

/// How the storage name of a request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// `PKCS12`: the loaded keystores.
    Files,
    /// A hardware token or JKS: none is present here (`storage.empty`).
    Absent,
    /// A name NCALayer does not know (`storage.unknown`).
    Unknown,
}

impl Storage {
    pub fn parse(name: &str) -> Storage {
        match name {
            "PKCS12" => Storage::Files,
            "JKS" | "AKKaztokenStore" | "AKKZIDCardStore" | "AKEToken72KStore"
            | "AKEToken5110Store" | "AKJaCartaStore" | "AKAKEYStore" => Storage::Absent,
            _ => Storage::Unknown,
        }
    }
}

/// A loaded key with its decoded certificate profile.
pub struct Entry {
    pub keystore: Keystore,
    pub profile: Profile,
}

/// The loaded keys, in the order given on the command line, and how many items they signed.
pub struct KeySet {
    keys: Vec<Arc<Entry>>,
    signed: AtomicU64,
}

impl KeySet {
    pub fn new(keystores: Vec<Keystore>) -> KeySet {
        KeySet {
            keys: keystores
                .into_iter()
                .map(|keystore| {
                    let profile = Profile::of(keystore.certificate());
                    Arc::new(Entry { keystore, profile })
                })
                .collect(),
            signed: AtomicU64::new(0),
        }
    }

    /// Counts `n` more items signed (documents, hashes, XML documents).
    pub fn count_signed(&self, n: usize) {
        self.signed.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Items signed since the server started: what a client's test counts to prove that no
    /// document was sent (and signed) twice.
    pub fn signed(&self) -> u64 {
        self.signed.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The first key of the right type that passes the filter.
    pub fn choose(&self, key_type: KeyType, filter: &SignerFilter) -> Option<Arc<Entry>> {
        self.keys
            .iter()
            .find(|e| fits(&e.profile, key_type, filter))
            .cloned()
    }
}

fn fits(p: &Profile, key_type: KeyType, filter: &SignerFilter) -> bool {
    let type_ok = match key_type {
        KeyType::Signature => p.is_signing(),
        KeyType::Authentication => p.is_authentication(),
        KeyType::Any => true,
    };
    type_ok
        && filter.ext_key_usage_oids.iter().all(|oid| p.has_eku(oid))
        && filter
            .iin
            .as_ref()
            .is_none_or(|iin| p.iin.as_ref() == Some(iin))
        && filter
            .bin
            .as_ref()
            .is_none_or(|bin| p.bin.as_ref() == Some(bin))
        && filter
            .serial_number
            .as_ref()
            .is_none_or(|s| s.eq_ignore_ascii_case(&p.serial_hex))
}

/// A one-line description for the person approving a request.
pub fn describe(p: &Profile) -> String {
    let mut s = p.subject_cn.clone().unwrap_or_else(|| p.subject_dn.clone());
    if let Some(iin) = &p.iin {
        s.push_str(&format!(", IIN {iin}"));
    }
    if let Some(bin) = &p.bin {
        s.push_str(&format!(", BIN {bin}"));
    }
    if !p.is_valid_at(OffsetDateTime::now_utc()) {
        s.push_str(" (certificate NOT valid now)");
    }
    s
}
