//! The operator's bearer token. It lives only in the OS keychain (service "qoltanba", user
//! "operator-token:<account>"): never in SQLite, logs, error messages, Debug output or exports.
//! There is no fallback: without a keychain the user is told so and nothing is saved.

use crate::error::{Error, ErrorCode, Result};
use serde::Deserialize;

const SERVICE: &str = "qoltanba";

/// A bearer token. Debug and Display never show it; only the HTTP adapter reads it.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// A token from what the user typed; surrounding white space (a trailing newline) is dropped.
    pub fn new(text: &str) -> Result<Token> {
        let t = text.trim();
        if t.is_empty() {
            return Err(Error::invalid(
                "Токен пуст: вставьте токен, выданный оператором",
            ));
        }
        if t.len() > 8192 || t.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::invalid(
                "Токен содержит пробелы или управляющие символы: скопируйте его целиком ещё раз",
            ));
        }
        Ok(Token(t.to_string()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// Text a person typed that must never be shown: an operator token before it is checked, the
/// authorisation code of an e-mailed link. Debug never prints it; `reveal` is for the one call
/// that needs it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Whose token an entry keeps: the message of an unavailable keychain names it, since the ORD's
/// token is not the document operator's (a user with both would look in the wrong place).
#[derive(Clone, Copy)]
enum Holder {
    Operator,
    Ord,
}

impl Holder {
    fn token(self) -> &'static str {
        match self {
            Holder::Operator => "токен оператора",
            Holder::Ord => "токен ОРД",
        }
    }

    fn entry(self, user: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, user).map_err(|e| self.unavailable(e))
    }

    fn unavailable(self, e: keyring::Error) -> Error {
        // keyring's messages name the backend, never the secret.
        Error::new(
            ErrorCode::Keychain,
            format!(
                "Системное хранилище ключей недоступно ({e}); {} хранится только там. \
                 Запустите хранилище (Secret Service / Keychain / Credential Manager) и повторите",
                self.token()
            ),
        )
    }
}

fn user(account: &str) -> String {
    format!("operator-token:{account}")
}

/// The keychain entry of the ORD's token: the ORD is a service of its own, with one account per
/// installation (two data folders on one machine keep two ORD accounts).
fn ord_user(installation: &str) -> String {
    format!("ord-token:{installation}")
}

fn save_as(holder: Holder, user: &str, token: &Token) -> Result<()> {
    let e = holder.entry(user)?;
    e.set_password(token.expose())
        .map_err(|e| holder.unavailable(e))?;
    match e.get_password() {
        Ok(s) if s == token.expose() => Ok(()),
        Ok(_) => Err(Error::new(
            ErrorCode::Keychain,
            format!(
                "Токен не сохранился в системном хранилище ключей ({})",
                holder.token()
            ),
        )),
        Err(err) => Err(holder.unavailable(err)),
    }
}

/// Saves the ORD's token (replacing an older one) in the OS keychain and reads it back.
pub fn save_ord_token(installation: &str, token: &Token) -> Result<()> {
    save_as(Holder::Ord, &ord_user(installation), token)
}

/// The ORD's token, or a clear error saying how to add the account.
pub fn load_ord_token(installation: &str) -> Result<Token> {
    match Holder::Ord.entry(&ord_user(installation))?.get_password() {
        Ok(s) => Ok(Token(s)),
        Err(keyring::Error::NoEntry) => Err(Error::new(
            ErrorCode::OrdAccountMissing,
            "Токен ОРД не найден в системном хранилище ключей: добавьте учётную запись ОРД \
             (Настройки → ОРД или qoltanba acts account add --url АДРЕС --token-stdin)",
        )),
        Err(e) => Err(Holder::Ord.unavailable(e)),
    }
}

pub fn delete_ord_token(installation: &str) -> Result<()> {
    match Holder::Ord
        .entry(&ord_user(installation))?
        .delete_credential()
    {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(Holder::Ord.unavailable(e)),
    }
}

/// Saves the token of an account, replacing an older one, and reads it back (some backends
/// accept a write they cannot keep).
pub fn save_token(account: &str, token: &Token) -> Result<()> {
    save_as(Holder::Operator, &user(account), token)
}

/// The token of an account, or a clear error saying how to add one.
pub fn load_token(account: &str) -> Result<Token> {
    match Holder::Operator.entry(&user(account))?.get_password() {
        Ok(s) => Ok(Token(s)),
        Err(keyring::Error::NoEntry) => Err(Error::new(
            ErrorCode::Unauthorized,
            "Токен оператора не найден в системном хранилище ключей: добавьте учётную запись \
             (qoltanba account add --url АДРЕС --token-stdin)",
        )),
        Err(e) => Err(Holder::Operator.unavailable(e)),
    }
}

pub fn delete_token(account: &str) -> Result<()> {
    match Holder::Operator.entry(&user(account))?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(Holder::Operator.unavailable(e)),
    }
}
