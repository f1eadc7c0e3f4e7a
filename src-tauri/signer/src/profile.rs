//! What NCA's certificate profile says about a key's holder: IIN, BIN, role (EKU), usage and
//! validity. Used for key selection, getKeyInfo and by other crates' checks.

use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode, Tag, Tagged};
use time::OffsetDateTime;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, ExtendedKeyUsage, KeyUsage};
use x509_cert::name::Name;
use x509_cert::Certificate;

/// EKU of a signing certificate (emailProtection, as NCA issues them).
pub const EKU_SIGNING: &str = "1.3.6.1.5.5.7.3.4";
/// EKU of an authentication certificate (clientAuth).
pub const EKU_AUTH: &str = "1.3.6.1.5.5.7.3.2";
pub const EKU_INDIVIDUAL: &str = "1.2.398.3.3.4.1.1";
pub const EKU_LEGAL_ENTITY: &str = "1.2.398.3.3.4.1.2";
pub const EKU_FIRST_HEAD: &str = "1.2.398.3.3.4.1.2.1";
pub const EKU_MAY_SIGN: &str = "1.2.398.3.3.4.1.2.2";
pub const EKU_EMPLOYEE: &str = "1.2.398.3.3.4.1.2.5";

const SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// The facts of one certificate, decoded once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Subject as `CN=...,SERIALNUMBER=...,...` in the certificate's order.
    pub subject_dn: String,
    pub subject_cn: Option<String>,
    pub issuer_dn: String,
    pub issuer_cn: Option<String>,
    /// The 12 digits after "IIN" in subject serialNumber.
    pub iin: Option<String>,
    /// The 12 digits after "BIN" in subject OU (legal entities only).
    pub bin: Option<String>,
    pub organisation: Option<String>,
    pub ext_key_usages: Vec<String>,
    pub digital_signature: bool,
    pub non_repudiation: bool,
    pub key_encipherment: bool,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Lower-case hex, as printed by NCALayer.
    pub serial_hex: String,
    pub subject_key_id_hex: Option<String>,
    pub authority_key_id_hex: Option<String>,
}

impl Profile {
    pub fn of(certificate: &Certificate) -> Profile {
        let tbs = &certificate.tbs_certificate;
        let subject = attributes(&tbs.subject);
        let issuer = attributes(&tbs.issuer);
        let find = |attrs: &[(&'static str, String)], key: &str| {
            attrs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        };
        let iin =
            find(&subject, "SERIALNUMBER").and_then(|s| s.strip_prefix("IIN").map(str::to_string));
        let bin = subject
            .iter()
            .filter(|(k, _)| *k == "OU")
            .find_map(|(_, v)| v.strip_prefix("BIN").map(str::to_string));

        let mut profile = Profile {
            subject_dn: render(&subject),
            subject_cn: find(&subject, "CN"),
            issuer_dn: render(&issuer),
            issuer_cn: find(&issuer, "CN"),
            iin,
            bin,
            organisation: find(&subject, "O"),
            ext_key_usages: Vec::new(),
            digital_signature: false,
            non_repudiation: false,
            key_encipherment: false,
            not_before: to_offset(tbs.validity.not_before.to_unix_duration()),
            not_after: to_offset(tbs.validity.not_after.to_unix_duration()),
            serial_hex: hex::encode(tbs.serial_number.as_bytes()),
            subject_key_id_hex: None,
            authority_key_id_hex: None,
        };
        for ext in tbs.extensions.iter().flatten() {
            let value = ext.extn_value.as_bytes();
            match ext.extn_id {
                EXT_KEY_USAGE => {
                    if let Ok(eku) = ExtendedKeyUsage::from_der(value) {
                        profile.ext_key_usages = eku.0.iter().map(|o| o.to_string()).collect();
                    }
                }
                KEY_USAGE => {
                    if let Ok(ku) = KeyUsage::from_der(value) {
                        profile.digital_signature = ku.digital_signature();
                        profile.non_repudiation = ku.non_repudiation();
                        profile.key_encipherment = ku.key_encipherment();
                    }
                }
                SKI => {
                    if let Ok(id) = OctetString::from_der(value) {
                        profile.subject_key_id_hex = Some(hex::encode(id.as_bytes()));
                    }
                }
                AKI => {
                    if let Ok(aki) = AuthorityKeyIdentifier::from_der(value) {
                        profile.authority_key_id_hex =
                            aki.key_identifier.map(|id| hex::encode(id.as_bytes()));
                    }
                }
                _ => {}
            }
        }
        if profile.subject_key_id_hex.is_none() {
            // RFC 5280's method 1, what a CA would have put in the extension.
            let key_bits = tbs.subject_public_key_info.subject_public_key.raw_bytes();
            let sha1 =
                aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, key_bits);
            profile.subject_key_id_hex = Some(hex::encode(sha1.as_ref()));
        }
        profile
    }

    pub fn has_eku(&self, oid: &str) -> bool {
        self.ext_key_usages.iter().any(|e| e == oid)
    }

    /// A signing key in NCA's sense: EKU emailProtection, or nonRepudiation without clientAuth.
    pub fn is_signing(&self) -> bool {
        self.has_eku(EKU_SIGNING) || (self.non_repudiation && !self.has_eku(EKU_AUTH))
    }

    /// An authentication key: EKU clientAuth, or keyEncipherment without emailProtection.
    pub fn is_authentication(&self) -> bool {
        self.has_eku(EKU_AUTH) || (self.key_encipherment && !self.has_eku(EKU_SIGNING))
    }

    pub fn is_valid_at(&self, at: OffsetDateTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }
}

fn to_offset(since_epoch: std::time::Duration) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(since_epoch.as_secs() as i64)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn render(attrs: &[(&'static str, String)]) -> String {
    attrs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn attributes(name: &Name) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            let key = match atv.oid.to_string().as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.4" => "SURNAME",
                "2.5.4.5" => "SERIALNUMBER",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.42" => "G",
                "1.2.840.113549.1.9.1" => "E",
                _ => "OID",
            };
            if let Some(value) = text(&atv.value) {
                out.push((key, value));
            }
        }
    }
    out
}

/// Directory strings as NCA writes them: UTF8String, PrintableString, IA5String or BMPString.
fn text(value: &der::Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            String::from_utf8(bytes.to_vec()).ok()
        }
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => value.to_der().ok().map(hex::encode),
    }
}
