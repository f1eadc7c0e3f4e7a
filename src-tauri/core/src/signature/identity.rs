//! Who signed, read from the signer certificate in NCA's profile: the person (CN, IIN in the
//! subject serialNumber), the organisation (O, BIN in OU) and the EKU purposes.

use crate::model::Timestamp;
use der::{Decode, Encode, Tag, Tagged};
use serde::{Deserialize, Serialize};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::oids;
use ts_rs::TS;

/// What a certificate's EKU says it may be used for and who holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Purpose {
    /// 1.3.6.1.5.5.7.3.4: a signing key.
    Signing,
    /// 1.3.6.1.5.5.7.3.2: an authentication key (must not sign documents).
    Authentication,
    Individual,
    LegalEntity,
    FirstHead,
    MaySign,
    Financial,
    HumanResources,
    Employee,
}

/// Also the `signer` column of a stored signature (read back with these field names; a field it
/// does not know is refused, so a row is never half understood).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignerIdentity {
    pub common_name: Option<String>,
    /// 12 digits from `serialNumber=IIN…`.
    pub iin: Option<String>,
    /// 12 digits from `OU=BIN…` (legal entities only).
    pub bin: Option<String>,
    pub organisation: Option<String>,
    pub purposes: Vec<Purpose>,
    /// Every EKU OID as written, for support.
    pub extended_key_usage: Vec<String>,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// Certificate serial number, hex.
    pub serial: String,
    pub subject: String,
    pub issuer: String,
    #[serde(skip)]
    pub certificate_der: Vec<u8>,
}

impl SignerIdentity {
    pub fn is_signing_key(&self) -> bool {
        self.purposes.contains(&Purpose::Signing)
    }

    pub fn is_authentication_key(&self) -> bool {
        self.purposes.contains(&Purpose::Authentication) && !self.is_signing_key()
    }

    pub fn from_certificate(cert: &Certificate) -> SignerIdentity {
        let tbs = &cert.tbs_certificate;
        let serial_number = attribute(&tbs.subject, &oids::SUBJECT_SERIAL_NUMBER);
        let units = attributes(&tbs.subject, &oids::ORGANISATIONAL_UNIT);
        let extended_key_usage = eku(cert);
        let purposes = extended_key_usage
            .iter()
            .filter_map(|o| purpose(o))
            .collect();
        SignerIdentity {
            common_name: attribute(&tbs.subject, &oids::COMMON_NAME),
            iin: serial_number
                .as_deref()
                .and_then(|s| number_after(s, "IIN")),
            bin: units.iter().find_map(|u| number_after(u, "BIN")),
            organisation: attribute(&tbs.subject, &oids::ORGANISATION),
            purposes,
            extended_key_usage,
            not_before: Timestamp::from_x509(&tbs.validity.not_before),
            not_after: Timestamp::from_x509(&tbs.validity.not_after),
            serial: hex::encode(tbs.serial_number.as_bytes()),
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            certificate_der: cert.to_der().unwrap_or_default(),
        }
    }
}

fn purpose(oid: &str) -> Option<Purpose> {
    Some(match oid {
        oids::EKU_EMAIL_PROTECTION => Purpose::Signing,
        oids::EKU_CLIENT_AUTH => Purpose::Authentication,
        oids::EKU_INDIVIDUAL => Purpose::Individual,
        oids::EKU_LEGAL_ENTITY => Purpose::LegalEntity,
        oids::EKU_FIRST_HEAD => Purpose::FirstHead,
        oids::EKU_MAY_SIGN => Purpose::MaySign,
        oids::EKU_FINANCIAL => Purpose::Financial,
        oids::EKU_HR => Purpose::HumanResources,
        oids::EKU_EMPLOYEE => Purpose::Employee,
        _ => return None,
    })
}

fn eku(cert: &Certificate) -> Vec<String> {
    let Some(exts) = &cert.tbs_certificate.extensions else {
        return vec![];
    };
    exts.iter()
        .filter(|e| e.extn_id == oids::EXT_KEY_USAGE)
        .filter_map(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .flat_map(|u| u.0.into_iter().map(|o| o.to_string()))
        .collect()
}

/// "IIN123456789012" → "123456789012" (12 digits, as NCA writes them).
fn number_after(text: &str, prefix: &str) -> Option<String> {
    let digits = text.trim().strip_prefix(prefix)?;
    crate::model::TaxNumber::is_valid(digits).then(|| digits.to_string())
}

fn attribute(name: &Name, oid: &const_oid::ObjectIdentifier) -> Option<String> {
    attributes(name, oid).into_iter().next()
}

pub(crate) fn attributes(name: &Name, oid: &const_oid::ObjectIdentifier) -> Vec<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == *oid)
        .filter_map(|atv| text(atv.value.tag(), atv.value.value()))
        .collect()
}

/// Directory strings as NCA writes them (UTF8String, PrintableString …; BMPString just in case).
fn text(tag: Tag, bytes: &[u8]) -> Option<String> {
    match tag {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}
