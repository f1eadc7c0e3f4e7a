//! "Check connection" for the signing service and the operator with a plain-language result and
//! the next step; the diagnostics summary; a report a user can save and send to support
//! (versions, what was tried, no secrets).

use super::documents::tab_name;
use super::sync::account;
use super::App;
use crate::error::{ErrorCode, Result};
use crate::operator::{self as op, Operator as _};
use crate::store::{search::Tab, Settings as _, USER_KEYS};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckTarget {
    Ncalayer,
    Operator,
}

/// The result of "Проверить подключение".
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub target: CheckTarget,
    pub ok: bool,
    /// The error code when not ok: signer_unavailable (nothing answers), certificate_pin (it
    /// answers with a certificate not yet trusted or another one), not_found (no account),
    /// unauthorized, operator_unreachable…
    pub code: Option<ErrorCode>,
    /// What happened and what to do next, in Russian.
    pub message: String,
    pub version: Option<String>,
    pub url: Option<String>,
    /// NCALayer's certificate SHA-256 (hex), to compare and trust (`settings_set` signerPin).
    pub certificate_sha256: Option<String>,
}

async fn check_ncalayer(app: &App) -> Result<ConnectionCheck> {
    let nca = app.signer(None)?;
    let d = nca.probe().await;
    let version = d.version.as_ref().map(|v| format!("NCALayer {v}"));
    let (ok, code, message) = if !d.connected && d.certificate_sha256.is_none() {
        (
            false,
            Some(ErrorCode::SignerUnavailable),
            format!(
                "NCALayer не отвечает по адресу {}: запустите NCALayer (меню «Пуск» или значок в трее), дождитесь загрузки и нажмите «Проверить снова».",
                d.url
            ),
        )
    } else if !d.connected {
        (
            false,
            Some(ErrorCode::CertificatePin),
            format!(
                "По адресу {} отвечает программа с другим сертификатом ({}). Если вы переустановили NCALayer, подтвердите его новый сертификат; иначе закройте неизвестную программу.",
                d.url,
                d.last_error.clone().unwrap_or_default()
            ),
        )
    } else if !d.confirmed && !d.plain_loopback {
        (
            false,
            Some(ErrorCode::CertificatePin),
            format!(
                "NCALayer отвечает, но его сертификат ещё не подтверждён: сверьте отпечаток {} и нажмите «Доверять».",
                d.certificate_sha256.as_deref().unwrap_or("?")
            ),
        )
    } else {
        (
            true,
            None,
            "NCALayer работает, можно подписывать.".to_string(),
        )
    };
    Ok(ConnectionCheck {
        target: CheckTarget::Ncalayer,
        ok,
        code,
        message,
        version,
        url: Some(d.url),
        certificate_sha256: d.certificate_sha256,
    })
}

async fn check_operator(app: &App) -> Result<ConnectionCheck> {
    let found = app
        .read(op::current_account)
        .and_then(|a| Ok((a.clone(), app.clients.operator(&a)?)));
    let (account, client) = match found {
        Ok(x) => x,
        Err(e) => {
            return Ok(ConnectionCheck {
                target: CheckTarget::Operator,
                ok: false,
                code: Some(e.code),
                message: e.message,
                version: None,
                url: None,
                certificate_sha256: None,
            })
        }
    };
    let r = client.whoami().await;
    app.operations.set_online(r.is_ok());
    Ok(match r {
        Ok(me) => ConnectionCheck {
            target: CheckTarget::Operator,
            ok: true,
            code: None,
            message: format!(
                "Оператор отвечает: {} (БИН {}).",
                me.organization.name, me.organization.bin
            ),
            version: None,
            url: Some(account.url),
            certificate_sha256: None,
        },
        Err(f) => {
            let e = f.error;
            ConnectionCheck {
                target: CheckTarget::Operator,
                ok: false,
                code: Some(e.code),
                message: e.message,
                version: None,
                url: Some(account.url),
                certificate_sha256: None,
            }
        }
    })
}

/// Checks the signing service or the operator now, saying what to do when it fails.
pub async fn check(app: &App, target: CheckTarget) -> Result<ConnectionCheck> {
    match target {
        CheckTarget::Ncalayer => check_ncalayer(app).await,
        CheckTarget::Operator => check_operator(app).await,
    }
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Versions {
    pub app: &'static str,
    pub core: &'static str,
    pub webview: Option<String>,
    pub os: String,
    pub ncalayer: Option<String>,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub versions: Versions,
    pub data_dir: String,
    pub schema_version: i64,
    pub documents: u64,
    pub history_intact: bool,
}

/// The short summary (`webview`: the window's engine version, when there is a window).
pub async fn summary(app: &App, webview: Option<String>) -> Result<Diagnostics> {
    let ncalayer = match app.signer(None) {
        Ok(n) => n.diagnostics().await.version,
        Err(_) => None,
    };
    app.read(|store| {
        let documents = store
            .tab_counts()?
            .into_iter()
            .find(|(t, _)| *t == Tab::All)
            .map(|(_, n)| n)
            .unwrap_or(0);
        Ok(Diagnostics {
            versions: Versions {
                app: env!("CARGO_PKG_VERSION"),
                core: env!("CARGO_PKG_VERSION"),
                webview,
                os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
                ncalayer,
            },
            data_dir: app.data_dir().display().to_string(),
            schema_version: crate::store::schema_version(),
            documents,
            history_intact: store.verify_history()?.first_broken.is_none(),
        })
    })
}

/// The whole report for support: no secret (the token is in the keychain, the PIN never
/// leaves NCALayer; settings hold none).
pub async fn report(app: &App, webview: Option<String>) -> Result<serde_json::Value> {
    let summary = summary(app, webview).await?;
    let signer = match app.signer(None) {
        Ok(n) => serde_json::to_value(n.diagnostics().await).unwrap_or_default(),
        Err(e) => serde_json::json!({ "error": e.message }),
    };
    app.read(|store| {
        let mut settings = serde_json::Map::new();
        for k in USER_KEYS {
            settings.insert(k.to_string(), serde_json::json!(store.setting(*k)?));
        }
        let mut outbox = std::collections::BTreeMap::<String, u64>::new();
        for i in store.outbox_all()? {
            *outbox.entry(i.state).or_default() += 1;
        }
        let tabs: std::collections::BTreeMap<String, u64> = store
            .tab_counts()?
            .into_iter()
            .map(|(t, n)| (tab_name(t), n))
            .collect();
        let account = account(store)?;
        Ok(serde_json::json!({
            "summary": summary,
            "historyKey": store.key_source().describe(),
            "history": store.verify_history()?,
            "documents": tabs,
            "outbox": outbox,
            "signer": signer,
            "settings": settings,
            "account": account.map(|a| serde_json::json!({ "name": a.name, "url": a.url, "syncedAt": a.synced_at })),
        }))
    })
}
