//! The window: which start opens it, the managed state, the plugins (single instance, deep
//! link) and the command handlers. Business logic stays in qoltanba-core; the commands in
//! `commands/` only unpack, call it and map the error.

use crate::state::AppState;
use std::path::PathBuf;
use tauri::{Emitter, Manager, Runtime};

/// The event the page listens to for a `qoltanba://open?link=…` link. Its payload is
/// `{ "link": "<the operator's link>" }`: the page opens the "document from a link" screen
/// with it filled in and asks for the code. A link never decides or signs anything.
pub const OPEN_LINK_EVENT: &str = "open-link";

/// Payload of `open-link`: a `qoltanba://open?link=…` the OS handed to the running app.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct OpenLink {
    pub link: String,
}

/// How the window was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WindowStart {
    pub data_dir: Option<PathBuf>,
    /// The company to open (`--company`); the default one when none.
    pub company: Option<String>,
    /// A `qoltanba://` URL the program was started with (by the desktop's URL handler).
    pub url: Option<String>,
}

/// The operator link inside `qoltanba://open?link=…`; None for any other URL (those are
/// ignored, never acted on).
pub fn link_from_url(url: &str) -> Option<String> {
    let u = tauri::Url::parse(url).ok()?;
    if u.scheme() != "qoltanba" || u.host_str() != Some("open") {
        return None;
    }
    let link = u
        .query_pairs()
        .find(|(k, _)| k == "link")
        .map(|(_, v)| v.trim().to_string())?;
    (!link.is_empty() && link.len() <= 4096 && !link.chars().any(char::is_control)).then_some(link)
}

/// Hands a deep link to the page: kept until the page takes it (a cold start, the page not
/// loaded yet) and announced as an event (the page is already listening).
pub fn deliver_link<R: Runtime>(app: &tauri::AppHandle<R>, url: &str) {
    let Some(link) = link_from_url(url) else {
        return;
    };
    app.state::<AppState>().set_pending_link(link.clone());
    let _ = app.emit(OPEN_LINK_EVENT, OpenLink { link });
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Every command the page may call (the capability in src-tauri/capabilities grants exactly
/// these, by the list in build.rs).
pub fn handlers<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    use crate::commands::*;
    tauri::generate_handler![
        documents::list_documents,
        documents::tab_counts,
        documents::get_document,
        documents::mark_viewed,
        documents::count_documents,
        documents::selected_documents,
        documents::document_bytes,
        documents::document_history,
        documents::verify_history,
        documents::accept_document,
        documents::reject_document,
        documents::retry_sending,
        documents::reopen_document,
        documents::notifications,
        documents::mark_notifications_read,
        documents::waiting_documents,
        import::import_files,
        import::import_drop,
        import::load_demo,
        signing::signing_service,
        signing::sign_documents,
        signing::cancel_signing,
        diagnostics::check_connection,
        diagnostics::diagnostics,
        diagnostics::save_diagnostics,
        register::export_register,
        register::export_acts_register,
        card::save_card,
        card::card_pdf,
        diagnostics::inbox_painted,
        settings::settings_get,
        settings::settings_set,
        settings::account_add,
        sync::sync_now,
        sync::sync_status,
        sync::outbox,
        sync::send_outbox,
        sync::open_shared_link,
        sync::take_pending_link,
        acts::list_acts,
        acts::get_act,
        acts::check_act,
        acts::save_act,
        acts::act_from_document,
        acts::search_contracts,
        acts::act_deadlines,
        acts::link_statistics,
        acts::clear_statistics,
        acts::act_history,
        acts::submit_act,
        acts::refresh_act,
        acts::request_act_deletion,
        acts::open_act_deletion_letter,
        acts_ord::ord_account,
        acts_ord::ord_account_add,
        acts_ord::ord_account_remove,
        acts_ord::sync_ord,
        acts_ord::import_catalog_csv,
        acts_ord::check_contract,
        acts_ord::add_contract,
        acts_ord::check_statistics,
        acts_ord::add_statistics,
        acts_ord::export_acts,
        acts_ord::distribute_act,
        acts_ord::acts_awaiting,
        companies::company_open,
        companies::companies,
        companies::company_switch,
        companies::company_add,
        companies::company_rename,
        companies::company_removal,
        companies::company_remove,
        updates::update_support,
        updates::check_update,
        updates::install_update,
        printing::print_page,
    ]
}

/// Opens the window and runs until it closes; returns the process exit code.
pub fn run_window(start: WindowStart) -> i32 {
    let mut context = tauri::generate_context!();
    if std::env::var_os(crate::startup::BARE_WINDOW_ENV).is_some() {
        return crate::startup::run_bare_window(context);
    }
    let dir = start
        .data_dir
        .unwrap_or_else(crate::places::default_data_dir);
    let state = match AppState::open(&dir, start.company.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "Не удалось открыть данные Qoltanba в {}: {}",
                dir.display(),
                e.message
            );
            return 1;
        }
    };
    let first_url = start.url;
    let builder = tauri::Builder::default()
        // First, so that a second start hands over its arguments before anything else runs.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // With the "deep-link" feature the plugin passes a qoltanba:// argument on to the
            // deep-link plugin (on_open_url below); here the running window only comes forward.
            let _ = argv;
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        // Used from Rust only (open and save dialogs); the capability grants the page nothing of it.
        .plugin(tauri_plugin_dialog::init());
    // Only a build given the updater's public key has an updater (crate::updates).
    let builder = match crate::updates::UpdateSource::built_in() {
        Some(source) => crate::updates::with_updater(builder, &mut context, &source),
        None => builder,
    };
    let result = builder
        .manage(state)
        .invoke_handler(handlers())
        .on_window_event(|window, event| match event {
            // Dropped files: the OS gives the shell their paths; the page gets an id to import.
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                crate::commands::import::on_drop(window.app_handle(), paths.clone());
            }
            tauri::WindowEvent::CloseRequested { .. } => crate::placement::keep(window),
            _ => {}
        })
        // The window opens hidden and is shown once its page has loaded (`startup::page_loaded`).
        // Once it is shown the title bar's height is known: the window is fitted again if, with
        // it, it reaches past the screen (a no-op when it fits).
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                crate::startup::page_loaded(&webview.window());
                crate::placement::fit(&webview.window());
            }
        })
        .setup(move |app| {
            use tauri_plugin_deep_link::DeepLinkExt;
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |event| {
                for url in event.urls() {
                    deliver_link(&handle, url.as_str());
                }
            });
            if let Some(url) = &first_url {
                deliver_link(app.handle(), url);
            }
            crate::desktop_alerts::watch(app.handle().clone());
            // Texts a sync or an import left for later (the window was closed before they were
            // indexed): indexed now, in the background.
            crate::text_indexer::index_soon(app.handle().clone());
            if let Some(w) = app.get_webview_window("main") {
                crate::startup::show_at_the_latest(&w.as_ref().window());
                crate::placement::fit(&w.as_ref().window());
            }
            Ok(())
        })
        .run(context);
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Не удалось открыть окно Qoltanba: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_open_links_with_a_link_are_taken() {
        assert_eq!(
            link_from_url("qoltanba://open?link=https%3A%2F%2Fedo.kz%2Fs%2Fabc%3Fx%3D1").as_deref(),
            Some("https://edo.kz/s/abc?x=1")
        );
        assert_eq!(
            link_from_url("qoltanba://sign?link=https%3A%2F%2Fedo.kz"),
            None
        );
        assert_eq!(link_from_url("qoltanba://open"), None);
        assert_eq!(link_from_url("qoltanba://open?link="), None);
        assert_eq!(link_from_url("https://open?link=x"), None);
        assert_eq!(link_from_url("qoltanba://open?link=a%0Ab"), None);
    }
}

#[cfg(test)]
mod acl_tests {
    /// The capability grants exactly the commands build.rs names (one `allow-<cmd>` each), plus
    /// the event and deep-link permissions the page uses; nothing else.
    #[test]
    fn the_capability_grants_exactly_our_commands() {
        let build = include_str!("build.rs");
        let commands: Vec<&str> = build
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\","))
            .collect();
        assert!(commands.len() > 20);
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("capabilities/main-window.json")).unwrap();
        let granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let mut expected: Vec<String> = vec![
            "core:event:allow-listen".into(),
            "core:event:allow-unlisten".into(),
            "deep-link:allow-get-current".into(),
        ];
        expected.extend(
            commands
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        );
        assert_eq!(granted, expected);
        let handlers = include_str!("app.rs");
        for c in &commands {
            assert!(
                handlers.contains(&format!("::{c},")),
                "{c} is not in handlers()"
            );
        }
    }
}
