//! NCALayer's request/reply protocol over one WebSocket connection, without the transport:
//! text in, text out. Replies follow ../shared/notes/ncalayer-protocol.md exactly.
//!
//! A request is read as a typed envelope whose fields stay slices of the frame (`RawValue`);
//! each module reads its arguments from those slices, so a batch's base64 is never copied into
//! a JSON tree, and the documents are decoded by the signing workers, not on the socket task.

mod args;
mod basics;
mod common_utils;
mod cores;

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::confirm::{Caller, Confirm};
use crate::keyset::KeySet;

pub const GREETING: &str = r#"{"result":{"version":"1.4"}}"#;
pub const HEARTBEAT: &str = "--heartbeat--";
pub const COMMON_UTILS: &str = "kz.gov.pki.knca.commonUtils";
pub const BASICS: &str = "kz.gov.pki.knca.basics";

/// The state of one connection: the keys it may use, who approves, who is asking (shown in
/// every prompt), the chosen locale.
pub struct Session {
    pub keys: Arc<KeySet>,
    pub confirm: Confirm,
    pub caller: Caller,
    pub locale: String,
    /// Test and benchmark mode: every CMS basics.sign makes is this one (PEM), after the
    /// documents were decoded and approved; what the protocol costs without the signing.
    pub fixed_cms: Option<Arc<String>>,
}

/// One request's top level. A module or method that is not a string is no module or method,
/// as before: each is read from its slice when needed.
#[derive(Default, Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    module: Option<&'a RawValue>,
    #[serde(borrow)]
    method: Option<&'a RawValue>,
    #[serde(borrow)]
    args: Option<&'a RawValue>,
    /// Echoed back as given, `null` included (legacy clients match replies by it).
    #[serde(borrow, default, deserialize_with = "present")]
    uuid: Option<&'a RawValue>,
}

/// basics.sign read in one pass: the envelope with its arguments typed as they are read. Read
/// as a slice first (`Envelope`) and then as `SignArgs`, every document's base64 was scanned
/// twice on the connection's one thread (a sixth of what the protocol cost per document). Only
/// an object for `args` is taken here (`args::ObjectOnly`), as `args::object` takes; any other
/// request, or one this shape does not fit, is read by `envelope` as before.
#[derive(Deserialize)]
struct SignRequest<'a> {
    #[serde(borrow)]
    module: Option<&'a RawValue>,
    #[serde(borrow)]
    method: Option<&'a RawValue>,
    #[serde(borrow)]
    args: Option<args::ObjectOnly<basics::SignArgs<'a>>>,
    #[serde(borrow, default, deserialize_with = "present")]
    uuid: Option<&'a RawValue>,
}

/// `text` as a basics.sign request read in one pass, when it is one and reads as one.
fn sign_request(text: &str) -> Option<SignRequest<'_>> {
    let request: SignRequest = serde_json::from_str(text).ok()?;
    (name(request.module) == BASICS && name(request.method) == "sign").then_some(request)
}

/// The text of a module or method name; anything but a string is no name.
fn name(raw: Option<&RawValue>) -> std::borrow::Cow<'_, str> {
    raw.filter(|r| args::is_string(r))
        .and_then(|r| serde_json::from_str::<args::Text>(r.get()).ok())
        .map(|t| t.0)
        .unwrap_or_default()
}

/// A field that is there, even as `null` (serde reads `null` into None otherwise).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// What a module answers: a small JSON reply, or basics' signed documents, written straight
/// into the reply text.
pub(crate) enum Reply {
    Json(Value),
    Signed(Vec<String>),
}

#[derive(Serialize)]
struct SignedReply<'a> {
    body: SignedBody<'a>,
    status: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<Value>,
}

#[derive(Serialize)]
struct SignedBody<'a> {
    result: &'a [String],
}

impl Reply {
    /// The reply's text with the request's uuid, keys in the order NCALayer's clients have seen
    /// from us (alphabetical).
    fn text(self, uuid: Option<&RawValue>) -> String {
        // The uuid is the caller's opaque tag: re-serialised as a JSON value, as before.
        let uuid = uuid.map(|u| serde_json::from_str::<Value>(u.get()).unwrap_or(Value::Null));
        match self {
            Reply::Json(mut reply) => {
                if let (Some(uuid), Some(obj)) = (uuid, reply.as_object_mut()) {
                    obj.insert("uuid".into(), uuid);
                }
                reply.to_string()
            }
            Reply::Signed(result) => serde_json::to_string(&SignedReply {
                body: SignedBody { result: &result },
                status: true,
                uuid,
            })
            .unwrap_or_else(|e| {
                json!({"status": false, "code": "GENERAL_ERROR", "message": "General error.",
                       "details": e.to_string()})
                .to_string()
            }),
        }
    }
}

/// serde_json's nesting budget for a `Value`; skipping a value (as `RawValue` does) has none.
const MAX_DEPTH: usize = 128;

/// Whether `text` is an object that the typed envelopes may read. Nesting deeper than
/// serde_json's budget was refused as invalid JSON, and still is. Only a frame with that many
/// brackets can be so deep (base64 has none): it alone is read whole (`envelope`).
fn plain_object(text: &str) -> bool {
    let brackets = memchr::memchr2_iter(b'[', b'{', text.as_bytes())
        .take(MAX_DEPTH)
        .count();
    brackets < MAX_DEPTH && text.trim_start().starts_with('{')
}

/// The envelope of `text` (`plain`: `plain_object(text)`), or the reply refusing it. Valid
/// JSON that is not an object (or repeats a top-level field) has no module, as it had when read
/// into a `Value`.
fn envelope(text: &str, plain: bool) -> Result<Envelope<'_>, String> {
    let object = text.trim_start().starts_with('{');
    if plain {
        if let Ok(e) = serde_json::from_str::<Envelope>(text) {
            return Ok(e);
        }
    }
    // The rare path: the request read as a whole, as every request was before.
    match serde_json::from_str::<Value>(text) {
        Ok(_) if object => serde_json::from_str::<Envelope>(text).or(Ok(Envelope::default())),
        Ok(_) => Ok(Envelope::default()),
        Err(e) => {
            Err(json!({"code": "500", "message": format!("invalid JSON request: {e}")}).to_string())
        }
    }
}

impl Session {
    pub fn new(keys: Arc<KeySet>, confirm: Confirm, caller: Caller) -> Session {
        Session {
            keys,
            confirm,
            caller,
            locale: "ru".into(),
            fixed_cms: None,
        }
    }

    /// The reply to one request frame (not the heartbeat, which the transport echoes).
    pub async fn answer(&mut self, frame: &Utf8Bytes) -> String {
        let plain = plain_object(frame.as_str());
        if let Some(request) = plain.then(|| sign_request(frame.as_str())).flatten() {
            let args = request.args.map(|a| a.0);
            return basics::sign(self, frame, args).await.text(request.uuid);
        }
        let request = match envelope(frame.as_str(), plain) {
            Ok(r) => r,
            Err(refusal) => return refusal,
        };
        let (module, method) = (name(request.module), name(request.method));
        let reply = match module.as_ref() {
            COMMON_UTILS => Reply::Json(common_utils::answer(self, &method, request.args).await),
            BASICS if method == "sign" => {
                basics::sign(self, frame, request.args.and_then(args::object)).await
            }
            BASICS => Reply::Json(json!({
                "status": false,
                "code": "GENERAL_ERROR",
                "message": "General error.",
                "details": format!("NoSuchMethodException {method}"),
            })),
            _ => Reply::Json(json!({"success": false, "errorCode": "MODULE_NOT_FOUND"})),
        };
        reply.text(request.uuid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app's batches (module, method, then args) are read in one pass; other modules,
    /// methods and argument shapes go the general way, which answers them as before.
    #[test]
    fn a_basics_sign_request_is_read_in_one_pass() {
        let batch = r#"{"module":"kz.gov.pki.knca.basics","method":"sign","args":{"format":"cms","data":["eA==","eQ=="],"signingParams":{"decode":true}},"uuid":null}"#;
        let request = sign_request(batch).expect("read in one pass");
        let args = request.args.expect("args").0;
        assert!(matches!(args.data, Some(basics::Data::Many(ref d)) if d.len() == 2));
        assert_eq!(request.uuid.map(RawValue::get), Some("null"));
        // Keys in another order read the same way.
        let reordered = r#"{"args":{"format":"cms","data":"eA=="},"method":"sign","module":"kz.gov.pki.knca.basics"}"#;
        assert!(sign_request(reordered).is_some());
        for other in [
            // Positional arguments: refused by the general way (a type mismatch).
            r#"{"module":"kz.gov.pki.knca.basics","method":"sign","args":["cms","eA=="]}"#,
            r#"{"module":"kz.gov.pki.knca.basics","method":"other","args":{}}"#,
            r#"{"module":"kz.gov.pki.knca.commonUtils","method":"getKeyInfo","args":["PKCS12"]}"#,
            r#"{"module":5,"method":"sign","args":{}}"#,
        ] {
            assert!(sign_request(other).is_none(), "{other}");
            assert!(envelope(other, plain_object(other)).is_ok(), "{other}");
        }
    }
}
