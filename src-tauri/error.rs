//! How an error crosses the IPC boundary: `{code, message, retryable}`, the code from the
//! core's stable enum. The UI switches on `code`, shows `message`, offers a retry where
//! `retryable`. Never a stack trace, never a secret.

use qoltanba_core::{Error, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError {
            retryable: e.code.retryable(),
            code: e.code,
            message: e.message,
        }
    }
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError::from(Error::new(code, message))
    }
}

/// What every command returns.
pub type CmdResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_error_json_the_ui_reads_is_pinned() {
        let e = IpcError::from(Error::not_found("Документ №7 не найден"));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code": "not_found", "message": "Документ №7 не найден", "retryable": false})
        );
        let e = IpcError::from(Error::new(
            ErrorCode::SignerUnavailable,
            "NCALayer не запущен",
        ));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"signer_unavailable","message":"NCALayer не запущен","retryable":true}"#
        );
    }

    #[test]
    fn every_code_crosses_as_its_stable_name_with_the_cores_retry_rule() {
        for code in ErrorCode::ALL {
            let v = serde_json::to_value(IpcError::new(code, "x")).unwrap();
            assert_eq!(v["code"], code.as_str());
            assert_eq!(v["retryable"], code.retryable());
            assert_eq!(v.as_object().unwrap().len(), 3);
        }
        let retryable: Vec<&str> = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.retryable())
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            retryable,
            [
                "storage",
                "signer_unavailable",
                "timeout",
                "operator_unreachable",
                "io"
            ]
        );
    }
}
