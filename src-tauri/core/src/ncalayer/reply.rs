//! Reading NCALayer's replies: the shapes of both modules (and the unknown-module answer), the
//! cancel forms, and results normalised to what we store (CMS as DER, text as text).

use base64::Engine;
use serde_json::Value;

use super::failure::Failure;

/// Turns one reply frame into its result (None where the module sends none, e.g. changeLocale)
/// or a typed failure.
pub(crate) fn parse(text: &str) -> Result<Option<Value>, Failure> {
    let value: Value = serde_json::from_str(text)
        .map_err(|_| Failure::protocol(format!("не JSON: {}", preview(text))))?;
    let Value::Object(obj) = &value else {
        return Err(Failure::protocol(format!("не объект: {}", preview(text))));
    };
    // basics: {"status":true,"body":{"result":…}} / {"status":true,"body":{}} / {"status":false,…}
    if let Some(status) = obj.get("status") {
        return match status {
            Value::Bool(true) => match obj.get("body") {
                Some(Value::Object(body)) => match body.get("result") {
                    None | Some(Value::Null) => Err(Failure::cancelled()),
                    Some(result) => Ok(Some(result.clone())),
                },
                _ => Err(Failure::protocol("status true без body")),
            },
            Value::Bool(false) => Err(Failure::refused(
                text_field(obj.get("code")),
                text_field(obj.get("message")).or_else(|| text_field(obj.get("details"))),
            )),
            _ => Err(Failure::protocol("status не логическое значение")),
        };
    }
    // unknown module: {"success":false,"errorCode":"MODULE_NOT_FOUND"}
    if let Some(Value::Bool(false)) = obj.get("success") {
        return Err(Failure::refused(
            text_field(obj.get("errorCode")),
            text_field(obj.get("message")),
        ));
    }
    // commonUtils: {"code":"200","responseObject":…} / {"code":"500","message":"…"}
    if let Some(code) = text_field(obj.get("code")) {
        if code == "200" {
            return Ok(obj.get("responseObject").filter(|v| !v.is_null()).cloned());
        }
        let message = text_field(obj.get("message"));
        if message.as_deref() == Some("action.canceled") {
            return Err(Failure::cancelled());
        }
        return Err(Failure::refused(Some(code), message));
    }
    Err(Failure::protocol(format!(
        "неизвестная форма ответа: {}",
        preview(text)
    )))
}

/// The result as a list: current NCALayer answers an array even for one document, older ones a
/// string.
pub(crate) fn strings(result: Option<Value>) -> Result<Vec<String>, Failure> {
    match result {
        Some(Value::String(s)) => Ok(vec![s]),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(Failure::protocol("в массиве результатов не строка")),
            })
            .collect(),
        Some(_) => Err(Failure::protocol("результат не строка и не массив")),
        None => Err(Failure::protocol("нет результата")),
    }
}

/// Exactly one string (single-document requests).
pub(crate) fn single(result: Option<Value>) -> Result<String, Failure> {
    let mut items = strings(result)?;
    if items.len() != 1 {
        return Err(Failure::protocol(format!(
            "ожидался один результат, получено {}",
            items.len()
        )));
    }
    Ok(items.remove(0))
}

/// CMS as NCALayer returns it (PEM from basics, bare base64 from commonUtils) → DER. Servers decode
/// strictly; a PEM header inside base64 is the classic "Illegal base64 character 2d".
pub fn cms_to_der(text: &str) -> Result<Vec<u8>, Failure> {
    let body: String = if text.contains("-----BEGIN") {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("-----"))
            .collect()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    };
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|_| Failure::protocol("подпись CMS не в base64"))?;
    if der.first() != Some(&0x30) {
        return Err(Failure::protocol("подпись CMS не является DER"));
    }
    Ok(der)
}

fn text_field(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn preview(text: &str) -> String {
    let cut: String = text.chars().take(80).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn both_cancel_forms_are_user_cancelled() {
        let basics = parse(r#"{"status":true,"body":{}}"#).unwrap_err();
        let common = parse(r#"{"message":"action.canceled","code":"500"}"#).unwrap_err();
        assert_eq!(basics.code, ErrorCode::UserCancelled);
        assert_eq!(common.code, ErrorCode::UserCancelled);
    }

    #[test]
    fn failures_keep_ncalayer_code_and_message() {
        let f = parse(r#"{"status":false,"code":"SIGNING_FAILURE","message":"Signing has failed.","details":"x"}"#)
            .unwrap_err();
        assert_eq!(f.code, ErrorCode::SignerError);
        assert_eq!(f.ncalayer_code.as_deref(), Some("SIGNING_FAILURE"));
        assert_eq!(f.ncalayer_message.as_deref(), Some("Signing has failed."));
        let bare = parse(r#"{"code":"500"}"#).unwrap_err();
        assert_eq!(bare.ncalayer_code.as_deref(), Some("500"));
        let m = parse(r#"{"success":false,"errorCode":"MODULE_NOT_FOUND"}"#).unwrap_err();
        assert!(m.is_module_not_found());
    }

    #[test]
    fn change_locale_answer_without_response_object_is_ok() {
        assert_eq!(parse(r#"{"code":"200"}"#).unwrap(), None);
    }

    #[test]
    fn pem_and_bare_base64_give_the_same_der() {
        let pem = "-----BEGIN CMS-----\nMAMCAQE=\n-----END CMS-----\n";
        assert_eq!(cms_to_der(pem).unwrap(), vec![0x30, 0x03, 0x02, 0x01, 0x01]);
        assert_eq!(
            cms_to_der("MAMC\r\nAQE=").unwrap(),
            cms_to_der(pem).unwrap()
        );
        assert_eq!(
            cms_to_der("not base64!").unwrap_err().code,
            ErrorCode::SignerProtocol
        );
    }
}
