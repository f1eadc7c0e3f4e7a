//! The operator's bearer token. It lives only in the OS keychain (service "qoltanba", user
//! "operator-token:<installation>:<account>"): never in SQLite, logs, error messages, Debug
//! output or exports. There is no fallback: without a keychain the user is told so and nothing
//! is saved.

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

/// The older name of an account's token, without the installation (see `Tokens`).
fn user(account: &str) -> String {
    format!("operator-token:{account}")
}

/// The keychain entry of the ORD's token: the ORD is a service of its own, with one account per
/// installation (two data folders on one machine keep two ORD accounts).
pub fn ord_user(installation: &str) -> String {
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

/// The keychain entries of one store's operator tokens (its account's, and one per document
/// opened from an e-mailed link, as account `shared:<id>`). Each is named after the store's
/// installation id as well as the account, so two companies on one computer (two stores) never
/// read or replace each other's token, even when both accounts have the same name (the default
/// name is the same everywhere). Before this, the name held the account alone: the second
/// company's account replaced the first one's token, and the first company's decisions went out
/// under the second one's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    installation: String,
    /// The store was made by a version that named tokens after the account alone: its token
    /// may still be under that name, and moves to its own name the first time it is read. A
    /// store made since never looks there (another store's token may be under that name).
    legacy: bool,
}

impl Tokens {
    /// The tokens of `store`.
    pub fn of(store: &crate::store::Store) -> Result<Tokens> {
        Ok(Tokens {
            installation: store.installation()?,
            legacy: !store.tokens_scoped()?,
        })
    }

    /// The tokens of the store with this installation id (`legacy`: made before tokens were
    /// named after it), for a store that is not open (a company being removed).
    pub fn named(installation: &str, legacy: bool) -> Tokens {
        Tokens {
            installation: installation.to_string(),
            legacy,
        }
    }

    fn user(&self, account: &str) -> String {
        format!("operator-token:{}:{account}", self.installation)
    }

    /// Every keychain entry the token of `account` may be under (the older name too, for a
    /// store made before): what removing a company deletes.
    pub fn entry_names(&self, account: &str) -> Vec<String> {
        let mut names = vec![self.user(account)];
        if self.legacy {
            names.push(user(account));
        }
        names
    }

    /// Saves the token of an account, replacing an older one, and reads it back (some backends
    /// accept a write they cannot keep).
    pub fn save(&self, account: &str, token: &Token) -> Result<()> {
        save_as(Holder::Operator, &self.user(account), token)
    }

    /// The token of an account, or a clear error saying how to add one.
    pub fn load(&self, account: &str) -> Result<Token> {
        match Holder::Operator.entry(&self.user(account))?.get_password() {
            Ok(s) => return Ok(Token(s)),
            Err(keyring::Error::NoEntry) => {}
            Err(e) => return Err(Holder::Operator.unavailable(e)),
        }
        if self.legacy {
            let older = Holder::Operator.entry(&user(account))?;
            match older.get_password() {
                Ok(s) => {
                    let token = Token(s);
                    self.save(account, &token)?;
                    // Moved: a store made since can never find it under the shared name.
                    let _ = older.delete_credential();
                    return Ok(token);
                }
                Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(Holder::Operator.unavailable(e)),
            }
        }
        Err(Error::new(
            ErrorCode::Unauthorized,
            "Токен оператора не найден в системном хранилище ключей: добавьте учётную запись \
             (qoltanba account add --url АДРЕС --token-stdin)",
        ))
    }

    /// Deletes the token of an account (under every name it may have); none is not an error.
    pub fn delete(&self, account: &str) -> Result<()> {
        for name in self.entry_names(account) {
            crate::keychain::delete_entry(&name)?;
        }
        Ok(())
    }
}
