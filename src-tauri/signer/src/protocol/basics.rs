//! Module kz.gov.pki.knca.basics, method "sign": named arguments, several documents under one
//! approval, CMS results as PEM, replies `{"status":true,"body":{"result":[...]}}`.

use serde_json::{json, Map, Value};

use super::args;
use super::common_utils::blocking;
use super::Session;
use crate::confirm::question;
use crate::keyset::{describe, KeyType, SignerFilter};
use crate::{cms, xmldsig};

const METHOD: &str = "sign";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Cms,
    Xml,
}

/// signingParams with NCALayer's defaults.
#[derive(Debug, Clone, Copy)]
struct SigningParams {
    /// Data is base64 of the bytes to sign (otherwise the text itself is signed).
    decode: bool,
    /// The data goes inside the CMS (attached).
    encapsulate: bool,
    /// The data is already a SHA-256 hash.
    digested: bool,
}

struct Failure {
    code: &'static str,
    details: String,
}

impl Failure {
    fn invocation(details: impl Into<String>) -> Failure {
        Failure {
            code: "INVOCATION_ERROR",
            details: details.into(),
        }
    }
    fn general(details: impl Into<String>) -> Failure {
        Failure {
            code: "GENERAL_ERROR",
            details: details.into(),
        }
    }
    fn signing(details: impl Into<String>) -> Failure {
        Failure {
            code: "SIGNING_FAILURE",
            details: details.into(),
        }
    }
    fn reply(self) -> Value {
        let message = match self.code {
            "INVOCATION_ERROR" => "An invoked method threw an exception.",
            "SIGNING_FAILURE" => "Signing has failed.",
            _ => "General error.",
        };
        json!({"status": false, "code": self.code, "message": message, "details": self.details})
    }
}

pub async fn sign(session: &Session, args: &Value) -> Value {
    match run(session, args).await {
        Ok(Some(results)) => json!({"status": true, "body": {"result": results}}),
        // The user pressed Cancel: success without a result.
        Ok(None) => json!({"status": true, "body": {}}),
        Err(f) => f.reply(),
    }
}

async fn run(session: &Session, args: &Value) -> Result<Option<Vec<String>>, Failure> {
    let args = args
        .as_object()
        .ok_or_else(|| Failure::invocation(args::mismatch(METHOD)))?;
    let format = match args.get("format").and_then(Value::as_str) {
        Some("cms") => Format::Cms,
        Some("xml") => Format::Xml,
        Some(other) => {
            return Err(Failure::general(format!(
                "format {other:?} is not supported by qoltanba-signer (cms, xml)"
            )))
        }
        None => return Err(Failure::invocation("format must be \"cms\" or \"xml\"")),
    };
    let data = match args.get("data") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(v @ Value::Array(_)) => args::strings(METHOD, v).map_err(Failure::invocation)?,
        _ => {
            return Err(Failure::invocation(
                "data must be a string or an array of strings",
            ))
        }
    };
    let params = signing_params(args)?;
    let filter = signer_filter(args)?;
    storages_allow_files(args)?;

    // Decode everything before asking: a request that cannot be signed is refused at once.
    let mut documents = Vec::with_capacity(data.len());
    for item in &data {
        let bytes = if params.decode {
            args::base64(item).map_err(Failure::invocation)?
        } else {
            item.clone().into_bytes()
        };
        documents.push(bytes);
    }

    let entry = session
        .keys
        .choose(KeyType::Any, &filter)
        .ok_or_else(|| Failure::general("no loaded key matches signerParams"))?;
    // A given hash must be the chosen key's: SHA-256 (32 bytes) for RSA/EC, Streebog-512
    // (64 bytes) for GOST-2015; refused before anyone is asked.
    let algorithm = entry.keystore.algorithm();
    if params.digested && format == Format::Cms {
        if let Some(doc) = documents.iter().find(|d| d.len() != algorithm.hash_len()) {
            return Err(Failure::signing(format!(
                "digested data for a {} key must be a {}-byte hash, got {} bytes",
                algorithm.name(),
                algorithm.hash_len(),
                doc.len()
            )));
        }
    }
    let items: Vec<&[u8]> = documents.iter().map(Vec::as_slice).collect();
    let action = match format {
        Format::Cms if params.digested => "sign given hashes (CMS)",
        Format::Cms => "sign documents (CMS)",
        Format::Xml => "sign XML documents",
    };
    let question = question(&session.caller, action, &items, &describe(&entry.profile));
    if !session.confirm.approve(&question).await {
        return Ok(None);
    }

    let results = blocking(move || {
        let sign_one = |doc: &Vec<u8>| match format {
            Format::Cms if params.digested => {
                cms::sign_digest(&entry.keystore, doc).map(|d| cms::pem(&d))
            }
            Format::Cms => {
                cms::sign(&entry.keystore, doc, !params.encapsulate).map(|d| cms::pem(&d))
            }
            Format::Xml => {
                let text = String::from_utf8(doc.clone())
                    .map_err(|e| crate::Error::Signing(format!("XML is not UTF-8: {e}")))?;
                xmldsig::sign_enveloped(&entry.keystore, &text)
            }
        };
        // A batch is signed on every core, in order: one PIN prompt should not mean one core.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per = documents.len().div_ceil(workers).max(1);
        std::thread::scope(|scope| {
            let parts: Vec<_> = documents
                .chunks(per)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(sign_one)
                            .collect::<crate::Result<Vec<String>>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(documents.len());
            for p in parts {
                out.extend(
                    p.join()
                        .map_err(|_| crate::Error::Signing("signing thread panicked".into()))??,
                );
            }
            Ok(out)
        })
    })
    .await
    .map_err(Failure::signing)?;
    Ok(Some(results))
}

fn signing_params(args: &Map<String, Value>) -> Result<SigningParams, Failure> {
    let mut p = SigningParams {
        decode: false,
        encapsulate: true,
        digested: false,
    };
    let obj = match args.get("signingParams") {
        None | Some(Value::Null) => return Ok(p),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(Failure::invocation("signingParams must be an object")),
    };
    let flag = |name: &str, default: bool| match obj.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Failure::invocation(format!(
            "signingParams.{name} must be a boolean"
        ))),
    };
    p.decode = flag("decode", p.decode)?;
    p.encapsulate = flag("encapsulate", p.encapsulate)?;
    p.digested = flag("digested", p.digested)?;
    // tsaProfile asks for a timestamp; there is no TSA here, so the signature has none.
    Ok(p)
}

fn signer_filter(args: &Map<String, Value>) -> Result<SignerFilter, Failure> {
    let obj = match args.get("signerParams") {
        None | Some(Value::Null) => return Ok(SignerFilter::default()),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(Failure::invocation("signerParams must be an object")),
    };
    let text = |name: &str| match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Failure::invocation(format!(
            "signerParams.{name} must be a string"
        ))),
    };
    let ext_key_usage_oids = match obj.get("extKeyUsageOids") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => args::strings(METHOD, v).map_err(Failure::invocation)?,
    };
    Ok(SignerFilter {
        ext_key_usage_oids,
        iin: text("iin")?,
        bin: text("bin")?,
        serial_number: text("serialNumber")?,
    })
}

/// allowedStorages null = every storage; otherwise PKCS12 must be among them, as only files
/// are here.
fn storages_allow_files(args: &Map<String, Value>) -> Result<(), Failure> {
    match args.get("allowedStorages") {
        None | Some(Value::Null) => Ok(()),
        Some(v) => {
            let names = args::strings(METHOD, v).map_err(Failure::invocation)?;
            if names.iter().any(|n| n == "PKCS12") {
                Ok(())
            } else {
                Err(Failure::general(format!(
                    "no key in the allowed storages {names:?}: only PKCS12 files are loaded"
                )))
            }
        }
    }
}
