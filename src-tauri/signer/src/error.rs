//! One error type for the library: callers match on the kind, the protocol layer maps it to
//! NCALayer's replies.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The PKCS#12 integrity check (its MAC) failed: the password is wrong.
    #[error("keystore: wrong password")]
    WrongPassword,
    /// Damaged or truncated file, or a PKCS#12 without a private key.
    #[error("keystore: {0}")]
    Keystore(String),
    /// The private key in the file is not the key of its certificate.
    #[error("keystore: the private key does not match its certificate")]
    KeyMismatch,
    /// GOST or another key this signer cannot use; said plainly rather than failing later.
    #[error("unsupported key: {0}")]
    UnsupportedKey(String),
    #[error("certificate: {0}")]
    Certificate(String),
    /// Not well-formed XML; `line`/`column` are 1-based like a SAX parser's.
    #[error(
        "org.xml.sax.SAXParseException; lineNumber: {line}; columnNumber: {column}; {message}"
    )]
    Xml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("signing failed: {0}")]
    Signing(String),
}

impl Error {
    /// A code that stays the same whatever the wording: logs, tests and callers match on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "FILE_UNREADABLE",
            Error::WrongPassword => "KEYSTORE_WRONG_PASSWORD",
            Error::Keystore(_) => "KEYSTORE_DAMAGED",
            Error::KeyMismatch => "KEYSTORE_KEY_MISMATCH",
            Error::UnsupportedKey(_) => "KEY_UNSUPPORTED",
            Error::Certificate(_) => "CERTIFICATE_INVALID",
            Error::Xml { .. } => "XML_MALFORMED",
            Error::Signing(_) => "SIGNING_FAILED",
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

impl From<qoltanba_c14n::XmlError> for Error {
    fn from(e: qoltanba_c14n::XmlError) -> Self {
        Error::Xml {
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Error::Signing(format!("DER: {e}"))
    }
}
