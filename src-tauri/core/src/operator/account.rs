//! The operator account: a name, a base URL kept in the store, and a token kept only in the OS
//! keychain. Adding one checks the token with `GET /me` first and takes the seller's
//! organisation (its number — a BIN, or an entrepreneur's IIN — and name) from the answer.

use super::http::{parse_base_url, HttpOperator, HttpSettings};
use super::wire::Me;
use super::{Operator, Token, Tokens};
use crate::error::{Error, ErrorCode, Result};
use crate::model::TaxNumber;
use crate::signature::{Seller, SellerKind};
use crate::store::{SettingKey, Settings, Store};
use serde::Serialize;
use ts_rs::TS;

/// The account name used when the user gives none.
pub const DEFAULT_ACCOUNT: &str = "default";

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub name: String,
    pub url: String,
    pub seller_bin: Option<String>,
    /// `bin` or `iin` (an individual entrepreneur): what `seller_bin` is.
    pub seller_kind: SellerKind,
    pub seller_name: Option<String>,
    /// When the last sync finished, if ever.
    pub synced_at: Option<String>,
    /// Where its token is in the keychain (named after this store's installation).
    #[serde(skip)]
    #[ts(skip)]
    pub tokens: Tokens,
}

/// Checks the token against the operator, keeps it in the keychain, and makes the account
/// current. A token the operator refuses is not saved.
pub async fn add_account<A: crate::store::Access>(
    store: &mut A,
    name: &str,
    url: &str,
    token: Token,
    settings: HttpSettings,
) -> Result<Me> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            "Имя учётной записи: от 1 до 64 символов без управляющих",
        ));
    }
    let base = parse_base_url(url)?.to_string();
    let op = HttpOperator::new(&base, Some(token.clone()), settings)?;
    let me = op.whoami().await.map_err(|f| match f.code() {
        ErrorCode::Unauthorized => Error::new(
            ErrorCode::Unauthorized,
            "Оператор не принял этот токен: проверьте, что он скопирован целиком и не истёк. Ничего не сохранено",
        ),
        _ => f.error,
    })?;
    if !TaxNumber::is_valid(&me.organization.bin) {
        return Err(Error::new(
            ErrorCode::OperatorRejected,
            format!(
                "Оператор сообщил БИН или ИИН продавца «{}», а это должны быть 12 цифр. Ничего не сохранено",
                me.organization.bin
            ),
        ));
    }
    let seller = Seller::new(&me.organization.bin, me.organization.seller_kind());
    let (replaced, tokens) = store.with(|s| {
        let tokens = Tokens::of(s)?;
        let replaced = s.operator_account()?.map(|(n, _)| n).filter(|n| n != name);
        tokens.save(name, &token)?;
        s.set_operator_account(name, &base, Some((&seller, &me.organization.name)))?;
        Ok((replaced, tokens))
    })?;
    // The account it replaces can no longer be used from here: its token does not stay behind
    // in the keychain (a keychain that fails now leaves it; nothing reads it any more).
    if let Some(old) = replaced {
        let _ = tokens.delete(&old);
    }
    Ok(me)
}

/// The current account, or a clear error saying how to add one.
pub fn current_account(store: &Store) -> Result<Account> {
    let (name, url) = store.operator_account()?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            "Учётная запись оператора не добавлена: qoltanba account add --url АДРЕС --token-stdin",
        )
    })?;
    let (_, synced_at) = store.sync_cursor(&name)?;
    Ok(Account {
        seller_bin: store.seller_bin()?,
        seller_kind: store.seller_kind()?,
        seller_name: store.setting(SettingKey::SellerName)?,
        synced_at,
        tokens: Tokens::of(store)?,
        name,
        url,
    })
}

/// The current account's name and a client with its token from the keychain.
pub fn account_url(store: &Store, settings: HttpSettings) -> Result<(Account, HttpOperator)> {
    let account = current_account(store)?;
    let token = account.tokens.load(&account.name)?;
    let op = HttpOperator::new(&account.url, Some(token), settings)?;
    Ok((account, op))
}
