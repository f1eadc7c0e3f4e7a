//! Module kz.gov.pki.knca.basics, method "sign": named arguments, several documents under one
//! approval, CMS results as PEM, replies `{"status":true,"body":{"result":[...]}}`.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::{args, cores, Reply, Session};
use crate::confirm::question;
use crate::keyset::{describe, Entry, KeyType, SignerFilter};
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

/// basics.sign's named arguments as they sit in the frame. Each is read as its type only where
/// it is used, so a wrong type gets NCALayer's answer for that field (and the documents are
/// never copied into a JSON tree).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignArgs<'a> {
    #[serde(borrow)]
    allowed_storages: Option<&'a RawValue>,
    #[serde(borrow)]
    format: Option<&'a RawValue>,
    /// Read in the same pass as the rest: the documents' base64 is scanned once here.
    #[serde(borrow)]
    pub(super) data: Option<Data<'a>>,
    #[serde(borrow)]
    signing_params: Option<&'a RawValue>,
    #[serde(borrow)]
    signer_params: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct SigningFlags<'a> {
    #[serde(borrow)]
    decode: Option<&'a RawValue>,
    #[serde(borrow)]
    encapsulate: Option<&'a RawValue>,
    #[serde(borrow)]
    digested: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignerFields<'a> {
    #[serde(borrow)]
    ext_key_usage_oids: Option<&'a RawValue>,
    #[serde(borrow)]
    iin: Option<&'a RawValue>,
    #[serde(borrow)]
    bin: Option<&'a RawValue>,
    #[serde(borrow)]
    serial_number: Option<&'a RawValue>,
}

/// basics' `data`: one string, a list of strings, a list with something else in it (a type
/// mismatch), or anything else. Strings stay borrowed from the frame.
pub(super) enum Data<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
    NotStrings,
    Other,
}

/// One item of a `data` list: a string, or anything else (skipped to its end).
enum Item<'a> {
    Text(Cow<'a, str>),
    Other,
}

struct DataVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for DataVisitor<'a> {
    type Value = Data<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or an array of strings")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Data<'a>, E> {
        Ok(Data::One(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Data<'a>, E> {
        Ok(Data::One(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Data<'a>, E> {
        Ok(Data::One(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data<'a>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut strings = true;
        while let Some(item) = seq.next_element::<Item<'a>>()? {
            match item {
                Item::Text(t) if strings => items.push(t),
                _ => strings = false,
            }
        }
        Ok(if strings {
            Data::Many(items)
        } else {
            Data::NotStrings
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data<'a>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Data::Other)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Data<'a>, E> {
        Ok(Data::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Data<'a>, E> {
        Ok(Data::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Data<'a>, E> {
        Ok(Data::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Data<'a>, E> {
        Ok(Data::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Data<'a>, E> {
        Ok(Data::Other)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Data<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Data<'a>, D::Error> {
        d.deserialize_any(DataVisitor(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Item<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item<'a>, D::Error> {
        // A nested list or object is skipped whole: the item is then not a string.
        Ok(
            match d.deserialize_any(DataVisitor(std::marker::PhantomData))? {
                Data::One(t) => Item::Text(t),
                _ => Item::Other,
            },
        )
    }
}

/// Where one document's text is: a slice of the frame (the usual case), or its own copy when
/// the JSON string had escapes. The frame is shared with the workers, not copied.
enum Source {
    InFrame(Range<usize>),
    Unescaped(String),
}

impl Source {
    fn of(frame: &str, text: Cow<'_, str>) -> Source {
        match text {
            Cow::Borrowed(s) => {
                let start = s.as_ptr() as usize - frame.as_ptr() as usize;
                Source::InFrame(start..start + s.len())
            }
            Cow::Owned(s) => Source::Unescaped(s),
        }
    }

    fn text<'f>(&'f self, frame: &'f Utf8Bytes) -> &'f str {
        match self {
            Source::InFrame(range) => frame.as_str().get(range.clone()).unwrap_or_default(),
            Source::Unescaped(s) => s,
        }
    }
}

/// basics.sign over `frame`, whose arguments (`args`, None when they are not an object) were
/// read from it.
pub(super) async fn sign(
    session: &Session,
    frame: &Utf8Bytes,
    args: Option<SignArgs<'_>>,
) -> Reply {
    match run(session, frame, args).await {
        Ok(Some(results)) => Reply::Signed(results),
        // The user pressed Cancel: success without a result.
        Ok(None) => Reply::Json(json!({"status": true, "body": {}})),
        Err(f) => Reply::Json(f.reply()),
    }
}

async fn run(
    session: &Session,
    frame: &Utf8Bytes,
    args: Option<SignArgs<'_>>,
) -> Result<Option<Vec<String>>, Failure> {
    let args = args.ok_or_else(|| Failure::invocation(args::mismatch(METHOD)))?;
    let format = match args.format.filter(|f| args::is_string(f)) {
        Some(raw) => match args::string(METHOD, raw)
            .map_err(Failure::invocation)?
            .as_ref()
        {
            "cms" => Format::Cms,
            "xml" => Format::Xml,
            other => {
                return Err(Failure::general(format!(
                    "format {other:?} is not supported by qoltanba-signer (cms, xml)"
                )))
            }
        },
        None => return Err(Failure::invocation("format must be \"cms\" or \"xml\"")),
    };
    let data = match args.data {
        Some(Data::One(text)) => vec![text],
        Some(Data::Many(texts)) => texts,
        Some(Data::NotStrings) => return Err(Failure::invocation(args::mismatch(METHOD))),
        _ => {
            return Err(Failure::invocation(
                "data must be a string or an array of strings",
            ))
        }
    };
    let params = signing_params(args.signing_params)?;
    let filter = signer_filter(args.signer_params)?;
    storages_allow_files(args.allowed_storages)?;

    // Decode everything before asking: a request that cannot be signed is refused at once. The
    // base64 is decoded by the workers, on every core, straight from the frame.
    let sources: Vec<Source> = data
        .into_iter()
        .map(|text| Source::of(frame.as_str(), text))
        .collect();
    let shared = frame.clone();
    let decode = params.decode;
    let documents = cores::each_in_order(sources, move |source| {
        let text = source.text(&shared);
        if decode {
            args::base64(text)
        } else {
            Ok(text.as_bytes().to_vec())
        }
    })
    .await
    .map_err(Failure::signing)?
    .into_iter()
    .collect::<Result<Vec<Vec<u8>>, String>>()
    .map_err(Failure::invocation)?;

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
    let action = match format {
        Format::Cms if params.digested => "sign given hashes (CMS)",
        Format::Cms => "sign documents (CMS)",
        Format::Xml => "sign XML documents",
    };
    let asked = || {
        let items: Vec<&[u8]> = documents.iter().map(Vec::as_slice).collect();
        question(&session.caller, action, &items, &describe(&entry.profile))
    };
    if !session.confirm.approve(asked).await {
        return Ok(None);
    }

    let count = documents.len();
    let results = match (&session.fixed_cms, format) {
        (Some(fixed), Format::Cms) => vec![fixed.to_string(); count],
        _ => {
            let signer = entry.clone();
            cores::each_in_order(documents, move |doc| sign_one(&signer, format, params, doc))
                .await
                .map_err(Failure::signing)?
                .into_iter()
                .collect::<crate::Result<Vec<String>>>()
                .map_err(|e| Failure::signing(e.to_string()))?
        }
    };
    session.keys.count_signed(count);
    Ok(Some(results))
}

fn sign_one(
    entry: &Arc<Entry>,
    format: Format,
    params: SigningParams,
    doc: &[u8],
) -> crate::Result<String> {
    match format {
        Format::Cms if params.digested => {
            cms::sign_digest(&entry.keystore, doc).map(|d| cms::pem(&d))
        }
        Format::Cms => cms::sign(&entry.keystore, doc, !params.encapsulate).map(|d| cms::pem(&d)),
        Format::Xml => {
            let text = std::str::from_utf8(doc)
                .map_err(|e| crate::Error::Signing(format!("XML is not UTF-8: {e}")))?;
            xmldsig::sign_enveloped(&entry.keystore, text)
        }
    }
}

fn signing_params(raw: Option<&RawValue>) -> Result<SigningParams, Failure> {
    let mut p = SigningParams {
        decode: false,
        encapsulate: true,
        digested: false,
    };
    let Some(raw) = raw else { return Ok(p) };
    let flags: SigningFlags =
        args::object(raw).ok_or_else(|| Failure::invocation("signingParams must be an object"))?;
    let flag = |name: &str, value: Option<&RawValue>, default: bool| match value {
        None => Ok(default),
        Some(v) => serde_json::from_str::<bool>(v.get())
            .map_err(|_| Failure::invocation(format!("signingParams.{name} must be a boolean"))),
    };
    p.decode = flag("decode", flags.decode, p.decode)?;
    p.encapsulate = flag("encapsulate", flags.encapsulate, p.encapsulate)?;
    p.digested = flag("digested", flags.digested, p.digested)?;
    // tsaProfile asks for a timestamp; there is no TSA here, so the signature has none.
    Ok(p)
}

fn signer_filter(raw: Option<&RawValue>) -> Result<SignerFilter, Failure> {
    let Some(raw) = raw else {
        return Ok(SignerFilter::default());
    };
    let fields: SignerFields =
        args::object(raw).ok_or_else(|| Failure::invocation("signerParams must be an object"))?;
    let text = |name: &str, value: Option<&RawValue>| match value {
        None => Ok(None),
        Some(v) => match serde_json::from_str::<args::Text>(v.get()) {
            Ok(t) if t.0.is_empty() => Ok(None),
            Ok(t) => Ok(Some(t.0.into_owned())),
            Err(_) => Err(Failure::invocation(format!(
                "signerParams.{name} must be a string"
            ))),
        },
    };
    let ext_key_usage_oids = match fields.ext_key_usage_oids {
        None => Vec::new(),
        Some(v) => args::strings(METHOD, v)
            .map_err(Failure::invocation)?
            .into_iter()
            .map(Cow::into_owned)
            .collect(),
    };
    Ok(SignerFilter {
        ext_key_usage_oids,
        iin: text("iin", fields.iin)?,
        bin: text("bin", fields.bin)?,
        serial_number: text("serialNumber", fields.serial_number)?,
    })
}

/// allowedStorages null = every storage; otherwise PKCS12 must be among them, as only files
/// are here.
fn storages_allow_files(raw: Option<&RawValue>) -> Result<(), Failure> {
    match raw {
        None => Ok(()),
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
