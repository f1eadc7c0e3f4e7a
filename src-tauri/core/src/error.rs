//! Errors of the core. Every error has a stable code (what the UI and the CLI switch on) and a
//! human message; details for the log never carry secrets.

use serde::Serialize;
use ts_rs::TS;

/// The stable error codes that cross to the UI as `{code, message, retryable}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidTransition,
    InvalidInput,
    UnsupportedFile,
    FileTooLarge,
    UnsafeXml,
    Storage,
    DatabaseTooNew,
    NotADatabase,
    HistoryBroken,
    Keychain,
    SignerUnavailable,
    SignerProtocol,
    SignerError,
    UserCancelled,
    Timeout,
    CertificatePin,
    SignatureInvalid,
    WrongSigner,
    OperatorUnreachable,
    OperatorRejected,
    Unauthorized,
    /// The access an e-mailed link gave is gone (the operator refuses it, or the keychain no
    /// longer holds it): the way out is the link in the e-mail, not an account.
    LinkExpired,
    /// The ORD has no account here: acts are kept and can be exported for upload by hand.
    OrdAccountMissing,
    Io,
    /// The window's call was made for a company that is no longer the open one: nothing done.
    CompanyChanged,
}

impl ErrorCode {
    /// Every code, for tables and tests that must cover them all.
    pub const ALL: [ErrorCode; 26] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidTransition,
        ErrorCode::InvalidInput,
        ErrorCode::UnsupportedFile,
        ErrorCode::FileTooLarge,
        ErrorCode::UnsafeXml,
        ErrorCode::Storage,
        ErrorCode::DatabaseTooNew,
        ErrorCode::NotADatabase,
        ErrorCode::HistoryBroken,
        ErrorCode::Keychain,
        ErrorCode::SignerUnavailable,
        ErrorCode::SignerProtocol,
        ErrorCode::SignerError,
        ErrorCode::UserCancelled,
        ErrorCode::Timeout,
        ErrorCode::CertificatePin,
        ErrorCode::SignatureInvalid,
        ErrorCode::WrongSigner,
        ErrorCode::OperatorUnreachable,
        ErrorCode::OperatorRejected,
        ErrorCode::Unauthorized,
        ErrorCode::LinkExpired,
        ErrorCode::OrdAccountMissing,
        ErrorCode::Io,
        ErrorCode::CompanyChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnsupportedFile => "unsupported_file",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::UnsafeXml => "unsafe_xml",
            ErrorCode::Storage => "storage",
            ErrorCode::DatabaseTooNew => "database_too_new",
            ErrorCode::NotADatabase => "not_a_database",
            ErrorCode::HistoryBroken => "history_broken",
            ErrorCode::Keychain => "keychain",
            ErrorCode::SignerUnavailable => "signer_unavailable",
            ErrorCode::SignerProtocol => "signer_protocol",
            ErrorCode::SignerError => "signer_error",
            ErrorCode::UserCancelled => "user_cancelled",
            ErrorCode::Timeout => "timeout",
            ErrorCode::CertificatePin => "certificate_pin",
            ErrorCode::SignatureInvalid => "signature_invalid",
            ErrorCode::WrongSigner => "wrong_signer",
            ErrorCode::OperatorUnreachable => "operator_unreachable",
            ErrorCode::OperatorRejected => "operator_rejected",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::LinkExpired => "link_expired",
            ErrorCode::OrdAccountMissing => "ord_account_missing",
            ErrorCode::Io => "io",
            ErrorCode::CompanyChanged => "company_changed",
        }
    }

    /// The code written as `as_str` gives it (e.g. as kept in the store).
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// Whether trying the same thing again later may succeed.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::SignerUnavailable
                | ErrorCode::Timeout
                | ErrorCode::OperatorUnreachable
                | ErrorCode::Storage
                | ErrorCode::Io
        )
    }
}

/// A core error: a code and a message a person understands (Russian by default; the UI may
/// translate by code).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::new(ErrorCode::NotFound, what)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidInput, message)
    }
    pub fn storage(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Storage, message)
    }
}

/// An error as it reaches a person's screen: `{code, message, retryable}`, the code from the
/// stable enum, the retry rule the code's. Never a stack trace, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(rename = "IpcError")]
pub struct Problem {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
}

impl From<Error> for Problem {
    fn from(e: Error) -> Self {
        Problem {
            retryable: e.code.retryable(),
            code: e.code,
            message: e.message,
        }
    }
}

impl Problem {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Problem::from(Error::new(code, message))
    }
}

/// What the user can do about a full disk, a read-only folder or a database held by another
/// program: SQLite's own words ("database or disk is full") say neither that nothing was saved
/// nor what to do.
pub(crate) const DISK_FULL: &str = "Не хватает места на диске: изменение не сохранено, сохранённое ранее не затронуто. Освободите место и повторите";
pub(crate) const READ_ONLY: &str = "Папка данных доступна только для чтения: изменение не сохранено, сохранённое ранее не затронуто. Проверьте права на папку данных (или укажите другую: --data-dir)";
pub(crate) const LOCKED: &str = "База данных занята другой программой (возможно, открыта ещё одна Qoltanba или идёт резервное копирование): изменение не сохранено. Повторите, когда она закончит";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let known = match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                C::DiskFull => Some(DISK_FULL),
                C::ReadOnly | C::CannotOpen | C::PermissionDenied => Some(READ_ONLY),
                C::DatabaseBusy | C::DatabaseLocked => Some(LOCKED),
                _ => None,
            },
            _ => None,
        };
        match known {
            Some(m) => Error::storage(format!("{m} ({e})")),
            None => Error::storage(format!("Ошибка базы данных: {e}")),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::StorageFull => Error::new(ErrorCode::Io, format!("{DISK_FULL} ({e})")),
            K::ReadOnlyFilesystem => Error::new(ErrorCode::Io, format!("{READ_ONLY} ({e})")),
            _ => Error::new(ErrorCode::Io, format!("Ошибка ввода-вывода: {e}")),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
