//! "Check connection" for the signing service and the operator, the diagnostics summary and the
//! report for support (the core's `app::diagnostics`), saved where the user chooses.

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::app::diagnostics::{self, CheckTarget, ConnectionCheck, Diagnostics};
use tauri::{AppHandle, Runtime};

#[tauri::command]
pub async fn check_connection(app: Opened, target: CheckTarget) -> CmdResult<ConnectionCheck> {
    Ok(diagnostics::check(&app, target).await?)
}

#[tauri::command]
pub async fn diagnostics(app: Opened) -> CmdResult<Diagnostics> {
    Ok(diagnostics::summary(&app, tauri::webview_version().ok()).await?)
}

/// Saves the report for support where the user chooses; None when the dialog was closed.
#[tauri::command]
pub async fn save_diagnostics<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
) -> CmdResult<Option<String>> {
    let report = diagnostics::report(&app, tauri::webview_version().ok()).await?;
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    Ok(super::dialogs::save_json(handle, "qoltanba-diagnostics.json", text).await?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, SignerKit};
    use qoltanba_core::app::diagnostics;
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
        let r = tauri::async_runtime::block_on(diagnostics::report(&state.app(), None)).unwrap();
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
