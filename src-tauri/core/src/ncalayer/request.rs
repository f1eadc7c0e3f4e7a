//! The requests we send: commonUtils (positional args) and basics `sign` (named args).

use base64::Engine;
use serde_json::{json, Value};

pub(crate) const COMMON_UTILS: &str = "kz.gov.pki.knca.commonUtils";
pub(crate) const BASICS: &str = "kz.gov.pki.knca.basics";

/// The EKU of a signing (not authentication) certificate.
pub const EKU_SIGNING: &str = "1.3.6.1.5.5.7.3.4";

/// Which key NCALayer offers in commonUtils calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Signature,
    Authentication,
    Any,
}

impl KeyType {
    fn as_str(self) -> &'static str {
        match self {
            KeyType::Signature => "SIGNATURE",
            KeyType::Authentication => "AUTHENTICATION",
            KeyType::Any => "ALL",
        }
    }
}

/// What basics `sign` is told about who may sign and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// None = every storage NCALayer knows (PKCS12, tokens, ID cards).
    pub allowed_storages: Option<Vec<String>>,
    /// Certificates offered must carry these EKUs; signing certificates by default.
    pub ext_key_usage_oids: Vec<String>,
    pub iin: Option<String>,
    pub bin: Option<String>,
    pub serial_number: Option<String>,
    /// `chain: []` lets NCA test certificates be chosen (otherwise only valid NCA certificates).
    pub allow_test_certificates: bool,
    /// Ask NCA's TSA for a timestamp (`tsaProfile: {}`).
    pub timestamp: bool,
    pub locale: Option<String>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            allowed_storages: None,
            ext_key_usage_oids: vec![EKU_SIGNING.to_string()],
            iin: None,
            bin: None,
            serial_number: None,
            allow_test_certificates: false,
            timestamp: false,
            locale: None,
        }
    }
}

pub(crate) fn common_utils(method: &str, args: Vec<Value>) -> Value {
    json!({"module": COMMON_UTILS, "method": method, "args": args})
}

pub(crate) fn key_type(k: KeyType) -> Value {
    Value::from(k.as_str())
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// basics `sign` of CMS; one document gives `data` as a string, several as an array (one PIN
/// prompt). decode=true: the bytes themselves are signed, not their base64 text.
pub(crate) fn sign_cms(docs: &[&[u8]], many: bool, attached: bool, o: &SignOptions) -> Value {
    let data = if many {
        Value::from(docs.iter().map(|d| b64(d)).collect::<Vec<_>>())
    } else {
        Value::from(b64(docs.first().copied().unwrap_or_default()))
    };
    let mut signing = json!({"decode": true, "encapsulate": attached, "digested": false});
    if o.timestamp {
        signing["tsaProfile"] = json!({});
    }
    basics_sign("cms", data, signing, o)
}

/// basics `sign` of XML: the XML text is the data (as in NCA's own JavaScript client).
pub(crate) fn sign_xml(xmls: &[&str], many: bool, o: &SignOptions) -> Value {
    let data = if many {
        Value::from(xmls.to_vec())
    } else {
        Value::from(xmls.first().copied().unwrap_or_default())
    };
    let mut signing = json!({});
    if o.timestamp {
        signing["tsaProfile"] = json!({});
    }
    basics_sign("xml", data, signing, o)
}

fn basics_sign(format: &str, data: Value, signing: Value, o: &SignOptions) -> Value {
    let mut signer = json!({"extKeyUsageOids": o.ext_key_usage_oids});
    for (key, value) in [
        ("iin", &o.iin),
        ("bin", &o.bin),
        ("serialNumber", &o.serial_number),
    ] {
        if let Some(v) = value {
            signer[key] = Value::from(v.as_str());
        }
    }
    if o.allow_test_certificates {
        signer["chain"] = json!([]);
    }
    json!({
        "module": BASICS,
        "method": "sign",
        "args": {
            "allowedStorages": o.allowed_storages,
            "format": format,
            "data": data,
            "signingParams": signing,
            "signerParams": signer,
            "locale": o.locale.as_deref().unwrap_or("ru"),
        }
    })
}
