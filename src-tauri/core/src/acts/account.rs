//! The ORD's own account: a base URL kept in the store (setting `ord_url`) and a token kept only
//! in the OS keychain (entry `ord-token`), separate from the document operator's account. Without
//! one, acts are still made, checked, kept and exported; only sending and the catalogue's sync
//! need it.

use super::ord::HttpOrd;
use crate::error::{Error, ErrorCode, Result};
use crate::operator::{delete_ord_token, load_ord_token, save_ord_token, Token};
use crate::store::history::{self, NewEntry};
use crate::store::{settings, SettingKey, Settings, Store};
use serde::Serialize;
use ts_rs::TS;

/// What is shown of the ORD account: never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrdAccount {
    pub url: String,
    /// Names the token's keychain entry; not shown.
    #[serde(skip)]
    #[ts(skip)]
    pub installation: String,
}

pub fn missing() -> Error {
    Error::new(
        ErrorCode::OrdAccountMissing,
        "Учётная запись ОРД не добавлена: акты сохраняются и проверяются, их можно выгрузить в \
         JSON или CSV и загрузить в ОРД вручную. Чтобы отправлять их отсюда, добавьте ОРД \
         (Настройки → ОРД или qoltanba acts account add --url АДРЕС --token-stdin)",
    )
}

/// The ORD account, if one was added.
pub fn ord_account(store: &Store) -> Result<Option<OrdAccount>> {
    let Some(url) = store.setting(SettingKey::OrdUrl)? else {
        return Ok(None);
    };
    Ok(Some(OrdAccount {
        url,
        installation: settings::installation_id(&store.conn)?,
    }))
}

/// A client of the ORD account (token from the keychain), or `ord_account_missing`.
pub fn ord_client(store: &Store) -> Result<HttpOrd> {
    let account = ord_account(store)?.ok_or_else(missing)?;
    HttpOrd::new(&account.url, load_ord_token(&account.installation)?)
}

impl Store {
    /// Records the ORD account's URL (None: removes it), with a history entry. The token is
    /// not here: `save_ord_account` keeps it in the keychain first.
    pub fn set_ord_url(&mut self, url: Option<&str>) -> Result<()> {
        let url = url.map(str::to_string);
        self.write(|tx, ctx| {
            match &url {
                Some(u) => settings::set(tx, SettingKey::OrdUrl.as_str(), u)?,
                None => {
                    tx.execute(
                        "DELETE FROM settings WHERE key = ?1",
                        [SettingKey::OrdUrl.as_str()],
                    )?;
                }
            }
            history::append(
                tx,
                ctx.key,
                NewEntry {
                    subject: "store".into(),
                    at: ctx.at.clone(),
                    actor: ctx.actor,
                    action: if url.is_some() {
                        "ord_account"
                    } else {
                        "ord_account_removed"
                    },
                    from_status: None,
                    to_status: None,
                    reason: None,
                    detail: serde_json::json!({ "url": url }),
                },
            )?;
            Ok(())
        })
    }
}

/// Checks the address and the token with the ORD (one page of its contracts), then keeps the
/// token in the keychain and the address in the store. A token the ORD refuses is not saved.
pub async fn check_ord_account(url: &str, token: &Token) -> Result<String> {
    let ord = HttpOrd::new(url, token.clone())?;
    ord.get_page("contracts", &[("limit", "1".to_string())])
        .await
        .map_err(|e| match e.code {
            ErrorCode::Unauthorized => Error::new(
                ErrorCode::Unauthorized,
                "ОРД не принял этот токен: проверьте, что он скопирован целиком и не истёк. \
                 Ничего не сохранено",
            ),
            _ => Error::new(e.code, format!("{} Ничего не сохранено", e.message)),
        })?;
    Ok(ord.base().to_string())
}

/// Keeps a checked account: the token in the keychain first (nothing in the store if that fails).
pub fn save_ord_account(store: &mut Store, url: &str, token: &Token) -> Result<OrdAccount> {
    let installation = settings::installation_id(&store.conn)?;
    save_ord_token(&installation, token)?;
    store.set_ord_url(Some(url))?;
    Ok(OrdAccount {
        url: url.into(),
        installation,
    })
}

/// Forgets the ORD account: its token leaves the keychain, its address the store. Acts stay.
pub fn remove_ord_account(store: &mut Store) -> Result<bool> {
    let had = ord_account(store)?.is_some();
    delete_ord_token(&settings::installation_id(&store.conn)?)?;
    if had {
        store.set_ord_url(None)?;
    }
    Ok(had)
}
