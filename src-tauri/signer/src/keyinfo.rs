//! The object commonUtils getKeyInfo answers with.

use base64::Engine;
use serde::Serialize;

use crate::keystore::Keystore;
use crate::profile::Profile;

/// Field names as NCALayer sends them. Dates are epoch milliseconds in a string, one of the two
/// forms seen from real NCALayer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    pub alias: String,
    pub key_id: String,
    pub algorithm: String,
    pub subject_cn: String,
    pub subject_dn: String,
    pub issuer_cn: String,
    pub issuer_dn: String,
    pub serial_number: String,
    pub cert_not_before: String,
    pub cert_not_after: String,
    pub authority_key_identifier: String,
    pub pem: String,
}

impl KeyInfo {
    pub fn of(key: &Keystore, profile: &Profile) -> KeyInfo {
        let millis = |t: time::OffsetDateTime| (t.unix_timestamp() * 1000).to_string();
        KeyInfo {
            alias: key.alias().to_string(),
            key_id: profile.subject_key_id_hex.clone().unwrap_or_default(),
            algorithm: key.algorithm().name().to_string(),
            subject_cn: profile.subject_cn.clone().unwrap_or_default(),
            subject_dn: profile.subject_dn.clone(),
            issuer_cn: profile.issuer_cn.clone().unwrap_or_default(),
            issuer_dn: profile.issuer_dn.clone(),
            serial_number: profile.serial_hex.clone(),
            cert_not_before: millis(profile.not_before),
            cert_not_after: millis(profile.not_after),
            authority_key_identifier: profile.authority_key_id_hex.clone().unwrap_or_default(),
            pem: certificate_pem(key.certificate_der()),
        }
    }
}

fn certificate_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}
