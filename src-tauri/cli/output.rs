//! Printing results: human text by default, JSON with `--json`; errors as one line on stderr.

use qoltanba_core::model::Lang;
use qoltanba_core::{Error, ErrorCode};
use serde::Serialize;

pub struct Out {
    pub json: bool,
    pub lang: Lang,
}

impl Out {
    /// Prints a value as JSON, or its human form.
    pub fn show<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("values serialise")
            );
        } else {
            let h = human();
            if !h.is_empty() {
                println!("{h}");
            }
        }
    }

    /// Reports an error and returns the exit code for it.
    pub fn fail(&self, e: &Error) -> i32 {
        if self.json {
            eprintln!(
                "{}",
                serde_json::json!({"code": e.code, "message": e.message, "retryable": e.code.retryable()})
            );
        } else {
            eprintln!("{}", super::messages::error_line(e, self.lang));
        }
        exit_code(e.code)
    }
}

pub fn exit_code(code: ErrorCode) -> i32 {
    match code {
        ErrorCode::UserCancelled => 3,
        ErrorCode::SignerUnavailable => 4,
        ErrorCode::SignerProtocol
        | ErrorCode::SignerError
        | ErrorCode::SignatureInvalid
        | ErrorCode::CertificatePin
        | ErrorCode::Timeout => 5,
        ErrorCode::WrongSigner => 6,
        _ => 1,
    }
}
