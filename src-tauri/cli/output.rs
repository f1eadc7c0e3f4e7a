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

/// The terminal as the core's `Host`: a sync's progress on one line of stderr (only on a
/// terminal, never with --json).
pub struct Terminal {
    pub show: bool,
}

impl Terminal {
    pub fn for_out(out: &Out) -> Terminal {
        use std::io::IsTerminal;
        Terminal {
            show: !out.json && std::io::stderr().is_terminal(),
        }
    }

    /// Ends the progress line.
    pub fn done(&self) {
        if self.show {
            eprintln!();
        }
    }
}

impl qoltanba_core::app::Host for Terminal {
    fn sync_progress(&self, p: &qoltanba_core::operator::SyncProgress) {
        if self.show {
            eprint!(
                "\rДокументов: {}, загружено: {} ({})   ",
                p.seen,
                p.downloaded,
                megabytes(p.bytes)
            );
        }
    }
}

pub fn megabytes(b: u64) -> String {
    format!("{:.1} МБ", b as f64 / 1_048_576.0)
}

/// The runtime the CLI's network commands run on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}
