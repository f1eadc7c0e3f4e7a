//! Opening a document from an e-mailed link with its authorisation code, without an account.
//! The link's access token goes to the keychain (to send the decision later), the document to
//! the inbox with the origin "shared link".

use super::backoff::Retry;
use super::http::{parse_base_url, HttpOperator, HttpSettings};
use super::receive::{fetch, sender_certificates, to_new_document, SearchText};
use super::{Operator, Tokens};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Document, DocumentId, Origin, Timestamp};
use crate::store::{Access, Settings, Store};

/// Splits a link from an e-mail into the operator's base URL and the link token. A full URL
/// (`https://edo.example.kz/api/v1/shared/<token>`) carries both; a bare token needs `base`.
pub fn split_link(link: &str, base: Option<&str>) -> Result<(String, String)> {
    let link = link.trim();
    if link.starts_with("http://") || link.starts_with("https://") {
        let no_tail = link.split(['?', '#']).next().unwrap_or(link);
        let (b, token) = no_tail.rsplit_once("/shared/").ok_or_else(|| {
            Error::invalid("В ссылке нет части «/shared/…»: скопируйте ссылку из письма целиком")
        })?;
        let token = token.trim_matches('/');
        if token.is_empty() || token.contains('/') {
            return Err(Error::invalid(
                "Ссылка из письма обрезана: скопируйте её целиком",
            ));
        }
        return Ok((parse_base_url(b)?.to_string(), token.to_string()));
    }
    if link.is_empty() || link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "Пустая или испорченная ссылка: скопируйте ссылку из письма целиком",
        ));
    }
    let base = base.ok_or_else(|| {
        Error::invalid(
            "Укажите адрес оператора (--url) или вставьте ссылку из письма целиком, с https://",
        )
    })?;
    Ok((parse_base_url(base)?.to_string(), link.to_string()))
}

/// Opens the link and stores its document. Returns the local id and whether it is new.
pub async fn open_shared_link<A: Access>(
    store: &mut A,
    base: &str,
    link: &str,
    code: &str,
    settings: HttpSettings,
) -> Result<(DocumentId, bool)> {
    let code = code.trim();
    if code.is_empty() {
        return Err(Error::invalid("Введите код авторизации из письма"));
    }
    let op = HttpOperator::new(base, None, settings)?;
    let access = op.open_shared(link, code).await.map_err(|f| match f.status {
        Some(401) => Error::invalid(
            "Неверный код авторизации (или ссылка недействительна): проверьте код из письма и повторите. После пяти неверных кодов ссылка блокируется",
        ),
        Some(429) => {
            let minutes = f.retry_after.map(|d| d.as_secs().div_ceil(60).max(1)).unwrap_or(15);
            let wait = f.retry_after.unwrap_or(std::time::Duration::from_secs(900));
            let at = Timestamp::now().after(wait).utc().format("%H:%M UTC");
            Error::new(
                ErrorCode::OperatorRejected,
                format!("Слишком много неверных кодов: оператор заблокировал ссылку. Повторите через {minutes} мин. (после {at})"),
            )
        }
        _ => f.error,
    })?;
    let doc_op = op.with_token(access.access_token.clone());
    let remote = Retry::default()
        .run(|| doc_op.document(&access.document_id))
        .await?;
    if remote.id != access.document_id {
        return Err(Error::new(
            ErrorCode::OperatorRejected,
            "Оператор прислал не тот документ, что открывает ссылка; ничего не сохранено",
        ));
    }
    let limits = store.with(|s| s.attachment_limits())?;
    let fetched = fetch(&doc_op, remote, &limits, &Retry::default()).await?;
    let certificates = sender_certificates(&fetched.remote);
    let (mut crls, now) = store.with(|s| Ok((s.crl_run()?, s.clock.now())))?;
    let checks = crate::trust::chain_checks(store, now, vec![], &certificates, &mut crls).await?;
    store.with(|s| refuse_clash(s, &access.document_id, base))?;
    let (new, _) = to_new_document(fetched, Origin::SharedLink, &checks, SearchText::Whole)?;
    // The token is kept (in the keychain only) before the document, so a stored shared document
    // can always send its decision while the token lives.
    store.with(|s| Tokens::of(s))?.save(
        &format!("shared:{}", access.document_id),
        &access.access_token,
    )?;
    store.with(|s| {
        s.set_shared_link_url(&access.document_id, base)?;
        s.add_document(new)
    })
}

/// A document id is one server's name for a document: a link's server that names a document
/// this store already holds from another server (the account's or another link's) must not take
/// its place, its token or its address. The same server may reopen its own document (a fresh
/// access token for an expired one).
fn refuse_clash(store: &Store, id: &str, base: &str) -> Result<()> {
    let Some(held) = store.document_by_operator_id(id)? else {
        return Ok(());
    };
    if same_server(server_of(store, &held)?.as_deref(), Some(base)) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::OperatorRejected,
        format!(
            "Сервер ссылки ({base}) называет документ номером {id}, но под этим номером уже хранится документ «{}» с другого сервера. Ссылка не открыта, ничего не сохранено и не изменено: проверьте, что письмо пришло от вашего оператора",
            held.fields.title
        ),
    ))
}

/// The server a held document came from: a link's own address, or the account's; none for an
/// imported file.
pub(crate) fn server_of(store: &Store, doc: &Document) -> Result<Option<String>> {
    let Some(id) = &doc.operator_id else {
        return Ok(None);
    };
    Ok(match doc.origin {
        Origin::SharedLink => store.shared_link_url(id)?,
        Origin::Operator => store.operator_account()?.map(|(_, url)| url),
        Origin::Import => None,
    })
}

/// Whether two base URLs name the same server (as stored: parsed and normalised).
pub(crate) fn same_server(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim_end_matches('/') == b.trim_end_matches('/'),
        _ => false,
    }
}

/// A client for a shared-link document (its token from the keychain), to send its decision.
pub fn shared_operator(
    store: &Store,
    operator_id: &str,
    settings: HttpSettings,
) -> Result<HttpOperator> {
    let url = store.shared_link_url(operator_id)?.ok_or_else(|| {
        Error::not_found(format!(
            "Не найден адрес оператора для документа {operator_id} из ссылки"
        ))
    })?;
    let token = Tokens::of(store)?.load(&format!("shared:{operator_id}"))?;
    HttpOperator::new(&url, Some(token), settings)
}
