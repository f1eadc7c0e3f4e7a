//! "Check connection" for the signing service and the operator with a plain-language result and
//! the next step; the diagnostics summary; a report a user can save and send to support
//! (versions, what was tried, no secrets).

use crate::error::CmdResult;
use crate::state::AppState;
use qoltanba_core::operator::Operator as _;
use qoltanba_core::store::{Settings as _, USER_KEYS};
use qoltanba_core::ErrorCode;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
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

async fn check_ncalayer(state: &AppState) -> CmdResult<ConnectionCheck> {
    let nca = {
        let store = state.store.lock().await;
        state.signer(&store)?
    };
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

async fn check_operator(state: &AppState) -> CmdResult<ConnectionCheck> {
    let found = {
        let store = state.store.lock().await;
        state.operator(&store)
    };
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
    state
        .online
        .store(r.is_ok(), std::sync::atomic::Ordering::Relaxed);
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

#[tauri::command]
pub async fn check_connection(
    state: State<'_, AppState>,
    target: CheckTarget,
) -> CmdResult<ConnectionCheck> {
    match target {
        CheckTarget::Ncalayer => check_ncalayer(&state).await,
        CheckTarget::Operator => check_operator(&state).await,
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

async fn summary(state: &AppState) -> CmdResult<Diagnostics> {
    let nca = {
        let store = state.store.lock().await;
        state.signer(&store).ok()
    };
    let ncalayer = match nca {
        Some(n) => n.diagnostics().await.version,
        None => None,
    };
    let store = state.store.lock().await;
    let documents = store
        .tab_counts()?
        .into_iter()
        .find(|(t, _)| *t == qoltanba_core::store::search::Tab::All)
        .map(|(_, n)| n)
        .unwrap_or(0);
    Ok(Diagnostics {
        versions: Versions {
            app: env!("CARGO_PKG_VERSION"),
            // The core is a workspace crate of the same version.
            core: env!("CARGO_PKG_VERSION"),
            webview: tauri::webview_version().ok(),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            ncalayer,
        },
        data_dir: state.data_dir().display().to_string(),
        schema_version: qoltanba_core::store::schema_version(),
        documents,
        history_intact: store.verify_history()?.first_broken.is_none(),
    })
}

#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> CmdResult<Diagnostics> {
    summary(&state).await
}

/// The report for support: the summary, the history check, the signing service's last known
/// state, settings (none secret), the account's address, queue counts. No token, no key, no
/// document content.
pub async fn report(state: &AppState) -> CmdResult<serde_json::Value> {
    let summary = summary(state).await?;
    let nca = {
        let store = state.store.lock().await;
        state.signer(&store)
    };
    let signer = match nca {
        Ok(n) => serde_json::to_value(n.diagnostics().await).unwrap_or_default(),
        Err(e) => serde_json::json!({ "error": e.message }),
    };
    let store = state.store.lock().await;
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
        .map(|(t, n)| (super::documents::tab_name(t), n))
        .collect();
    let account = super::settings::account(&store)?;
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
}

/// Asks where to save the report (the system's save dialog) and writes it there as JSON;
/// returns the path, or null when the user closed the dialog.
#[tauri::command]
pub async fn save_diagnostics<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let text = serde_json::to_string_pretty(&report(&state).await?).unwrap_or_default();
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Сохранить отчёт для поддержки")
            .set_file_name("qoltanba-diagnostics.json")
            .add_filter("JSON", &["json"])
            .blocking_save_file()
    })
    .await
    .ok()
    .flatten();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    std::fs::write(&path, text).map_err(qoltanba_core::Error::from)?;
    Ok(Some(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, SignerKit};
    use serde_json::json;

    #[test]
    fn check_says_what_to_do_until_the_signer_is_ready() {
        let kit = Kit::new();
        // A loopback port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        kit.set("signer_url", &format!("wss://127.0.0.1:{port}/"));
        let c = kit.ok("check_connection", json!({ "target": "ncalayer" }));
        assert_eq!(c["ok"], false);
        assert_eq!(c["code"], "signer_unavailable", "{c}");
        assert!(c["message"]
            .as_str()
            .unwrap()
            .contains("запустите NCALayer"));

        let signer = SignerKit::start(None);
        kit.set("signer_url", &signer.url());
        let c = kit.ok("check_connection", json!({ "target": "ncalayer" }));
        assert_eq!(c["code"], "certificate_pin", "{c}");
        assert_eq!(c["certificateSha256"], signer.pin());
        kit.ok(
            "settings_set",
            json!({ "patch": { "signerPin": signer.pin() } }),
        );
        let c = kit.ok("check_connection", json!({ "target": "ncalayer" }));
        assert_eq!(c["ok"], true, "{c}");
        assert_eq!(c["code"], json!(null));
        assert!(c["version"].as_str().unwrap().starts_with("NCALayer"));

        let c = kit.ok("check_connection", json!({ "target": "operator" }));
        assert_eq!(c["ok"], false);
        assert_eq!(c["code"], "not_found", "no account yet: {c}");
    }

    #[test]
    fn the_summary_and_the_report_have_versions_and_no_secret() {
        let kit = Kit::new();
        let d = kit.ok("diagnostics", json!({}));
        assert_eq!(d["versions"]["app"], env!("CARGO_PKG_VERSION"));
        assert_eq!(d["historyIntact"], true);
        assert_eq!(d["documents"], 0);
        assert!(d["schemaVersion"].as_i64().unwrap() > 0);
        let state = kit.state();
        let r = tauri::async_runtime::block_on(super::report(&state)).unwrap();
        assert_eq!(r["summary"]["versions"]["app"], env!("CARGO_PKG_VERSION"));
        assert!(!r.to_string().to_lowercase().contains("token"), "{r}");
    }
}

/// The page has painted its first inbox: returns the milliseconds since the process started.
/// Under the start benchmark (QOLTANBA_EXIT_WHEN_PAINTED=1) it prints them and ends the program.
#[tauri::command]
pub fn inbox_painted<R: Runtime>(app: AppHandle<R>) -> u64 {
    let ms = crate::startup::elapsed_ms();
    if std::env::var_os(crate::startup::EXIT_WHEN_PAINTED_ENV).is_some() {
        println!("inbox painted in {ms} ms");
        app.exit(0);
    }
    ms
}
