//! The requests we send: commonUtils (positional args) and basics `sign` (named args), as the
//! text of one WebSocket message. A signing request is written straight into one buffer sized
//! for it: its known shape by hand, each document base64-encoded in place, the small fields by
//! serde; no JSON tree, no second copy of the documents.

use serde::Serialize;
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

pub(crate) fn common_utils(method: &str, args: Vec<Value>) -> String {
    json!({"module": COMMON_UTILS, "method": method, "args": args}).to_string()
}

pub(crate) fn key_type(k: KeyType) -> Value {
    Value::from(k.as_str())
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SigningParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    decode: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encapsulate: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    digested: Option<bool>,
    /// `{}` asks NCA's TSA for a timestamp; absent, none.
    #[serde(skip_serializing_if = "Option::is_none")]
    tsa_profile: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignerParams<'a> {
    ext_key_usage_oids: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    iin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<&'a str>,
    /// `[]` lets NCA test certificates be chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    chain: Option<[(); 0]>,
}

/// basics `sign` of CMS; one document gives `data` as a string, several as an array (one PIN
/// prompt). decode=true: the bytes themselves are signed, not their base64 text.
pub(crate) fn sign_cms(docs: &[&[u8]], many: bool, attached: bool, o: &SignOptions) -> String {
    let docs = if many {
        docs
    } else {
        &docs[..docs.len().min(1)]
    };
    // Each document's base64 plus its quotes and comma, and room for the small fields.
    let size: usize = docs.iter().map(|d| d.len().div_ceil(3) * 4 + 3).sum();
    let mut out = String::with_capacity(size + 1024);
    out.push_str(r#"{"module":""#);
    out.push_str(BASICS);
    out.push_str(r#"","method":"sign","args":{"format":"cms","data":"#);
    out.push_str(if many { "[" } else { "" });
    for (i, doc) in docs.iter().enumerate() {
        out.push_str(if i == 0 { "\"" } else { ",\"" });
        base64_simd::STANDARD.encode_append(doc, &mut out);
        out.push('"');
    }
    if docs.is_empty() && !many {
        out.push_str("\"\"");
    }
    out.push_str(if many { "]" } else { "" });
    let signing = SigningParams {
        decode: Some(true),
        encapsulate: Some(attached),
        digested: Some(false),
        tsa_profile: o.timestamp.then(|| json!({})),
    };
    small_fields(&mut out, &signing, o);
    out
}

/// basics `sign` of XML: the XML text is the data (as in NCA's own JavaScript client).
pub(crate) fn sign_xml(xmls: &[&str], many: bool, o: &SignOptions) -> String {
    let mut out = String::with_capacity(xmls.iter().map(|x| x.len() + 8).sum::<usize>() + 1024);
    out.push_str(r#"{"module":""#);
    out.push_str(BASICS);
    out.push_str(r#"","method":"sign","args":{"format":"xml","data":"#);
    if many {
        write_json(&mut out, &xmls);
    } else {
        write_json(&mut out, &xmls.first().copied().unwrap_or_default());
    }
    let signing = SigningParams {
        decode: None,
        encapsulate: None,
        digested: None,
        tsa_profile: o.timestamp.then(|| json!({})),
    };
    small_fields(&mut out, &signing, o);
    out
}

/// The rest of a basics `sign` request after `data`, closing it.
fn small_fields(out: &mut String, signing: &SigningParams, o: &SignOptions) {
    out.push_str(r#","signingParams":"#);
    write_json(out, signing);
    out.push_str(r#","signerParams":"#);
    write_json(
        out,
        &SignerParams {
            ext_key_usage_oids: &o.ext_key_usage_oids,
            iin: o.iin.as_deref(),
            bin: o.bin.as_deref(),
            serial_number: o.serial_number.as_deref(),
            chain: o.allow_test_certificates.then_some([]),
        },
    );
    out.push_str(r#","allowedStorages":"#);
    write_json(out, &o.allowed_storages);
    out.push_str(r#","locale":"#);
    write_json(out, &o.locale.as_deref().unwrap_or("ru"));
    out.push_str("}}");
}

/// Appends `value` as JSON. Writing into a `Vec` over the string's own buffer would need
/// `unsafe`; these values are small, so they take one short detour through a `String`.
fn write_json(out: &mut String, value: &impl Serialize) {
    out.push_str(&serde_json::to_string(value).expect("plain data serialises"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documents' base64 is the standard one (padding, `+/`), byte for byte what the
    /// `base64` crate writes, at every length's remainder and for every byte value.
    #[test]
    fn documents_are_written_in_standard_base64() {
        use base64::Engine;
        let engine = &base64::engine::general_purpose::STANDARD;
        let all: Vec<u8> = (0..=255u8).cycle().take(4099).collect();
        for len in (0..70).chain([1000, 1001, 1002, 4096, 4099]) {
            let doc = &all[all.len() - len..];
            let request: Value = serde_json::from_str(&sign_cms(
                &[doc, &all[..len]],
                true,
                false,
                &SignOptions::default(),
            ))
            .unwrap();
            let want = json!([engine.encode(doc), engine.encode(&all[..len])]);
            assert_eq!(request["args"]["data"], want, "length {len}");
            assert_eq!(b64(doc), engine.encode(doc), "length {len}");
        }
    }

    /// The hand-written request is the JSON it claims to be, with the fields NCALayer reads.
    #[test]
    fn signing_requests_are_json_of_the_known_shape() {
        let o = SignOptions {
            iin: Some("12\"3".into()),
            allow_test_certificates: true,
            timestamp: true,
            ..SignOptions::default()
        };
        let many: Value = serde_json::from_str(&sign_cms(&[b"ab", b""], true, false, &o)).unwrap();
        assert_eq!(many["module"], BASICS);
        assert_eq!(many["method"], "sign");
        let args = &many["args"];
        assert_eq!(args["data"], json!(["YWI=", ""]));
        assert_eq!(
            args["signingParams"],
            json!({"decode": true, "encapsulate": false, "digested": false, "tsaProfile": {}})
        );
        assert_eq!(
            args["signerParams"],
            json!({"extKeyUsageOids": [EKU_SIGNING], "iin": "12\"3", "chain": []})
        );
        assert_eq!(args["allowedStorages"], Value::Null);
        assert_eq!(args["locale"], "ru");
        let one: Value =
            serde_json::from_str(&sign_cms(&[b"ab"], false, true, &SignOptions::default()))
                .unwrap();
        assert_eq!(one["args"]["data"], "YWI=");
        assert_eq!(one["args"]["signingParams"]["encapsulate"], true);
        assert!(one["args"]["signerParams"].get("chain").is_none());
        let xml: Value =
            serde_json::from_str(&sign_xml(&["<a>\"</a>"], true, &SignOptions::default())).unwrap();
        assert_eq!(xml["args"]["data"], json!(["<a>\"</a>"]));
        assert_eq!(xml["args"]["signingParams"], json!({}));
    }
}
