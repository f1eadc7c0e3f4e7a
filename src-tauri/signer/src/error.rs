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
    /// Wrong password, damaged file or a PKCS#12 without a private key.
    #[error("keystore: {0}")]
    Keystore(String),
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

pub type Result<T> = std::result::Result<T, Error>;

impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Error::Signing(format!("DER: {e}"))
    }
}
