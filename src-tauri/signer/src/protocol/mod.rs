//! NCALayer's request/reply protocol over one WebSocket connection, without the transport:
//! text in, text out. Replies follow ../shared/notes/ncalayer-protocol.md exactly.

mod args;
mod basics;
mod common_utils;

use std::sync::Arc;

use serde_json::{json, Value};

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
}

impl Session {
    pub fn new(keys: Arc<KeySet>, confirm: Confirm, caller: Caller) -> Session {
        Session {
            keys,
            confirm,
            caller,
            locale: "ru".into(),
        }
    }

    /// The reply to one request frame (not the heartbeat, which the transport echoes).
    pub async fn answer(&mut self, request: &str) -> String {
        let request: Value = match serde_json::from_str(request) {
            Ok(v) => v,
            Err(e) => {
                return json!({"code": "500", "message": format!("invalid JSON request: {e}")})
                    .to_string()
            }
        };
        let module = request.get("module").and_then(Value::as_str).unwrap_or("");
        let method = request.get("method").and_then(Value::as_str).unwrap_or("");
        let args = request.get("args").cloned().unwrap_or(Value::Null);
        let mut reply = match module {
            COMMON_UTILS => common_utils::answer(self, method, &args).await,
            BASICS if method == "sign" => basics::sign(self, &args).await,
            BASICS => json!({
                "status": false,
                "code": "GENERAL_ERROR",
                "message": "General error.",
                "details": format!("NoSuchMethodException {method}"),
            }),
            _ => json!({"success": false, "errorCode": "MODULE_NOT_FOUND"}),
        };
        // Some legacy clients tag requests with a uuid and expect it back.
        if let (Some(uuid), Some(obj)) = (request.get("uuid"), reply.as_object_mut()) {
            obj.insert("uuid".into(), uuid.clone());
        }
        reply.to_string()
    }
}
