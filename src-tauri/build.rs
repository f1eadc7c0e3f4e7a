//! tauri-build: reads tauri.conf.json (beside Cargo.toml), checks that ui/dist exists, and turns
//! the capabilities in src-tauri/capabilities into the ACL the app is built with. Naming our
//! commands here makes Tauri generate one `allow-<command>` permission each, so the capability
//! grants exactly these and nothing else (a command missing from it cannot be called).

/// Every command in `app::handlers()`; keep the two lists and the capability in step (a test in
/// app.rs checks).
const COMMANDS: &[&str] = &[
    "list_documents",
    "tab_counts",
    "get_document",
    "mark_viewed",
    "count_documents",
    "selected_documents",
    "document_bytes",
    "document_history",
    "verify_history",
    "accept_document",
    "reject_document",
    "retry_sending",
    "reopen_document",
    "notifications",
    "mark_notifications_read",
    "waiting_documents",
    "import_files",
    "import_drop",
    "load_demo",
    "signing_service",
    "sign_documents",
    "cancel_signing",
    "check_connection",
    "diagnostics",
    "save_diagnostics",
    "export_register",
    "export_acts_register",
    "save_card",
    "card_pdf",
    "inbox_painted",
    "settings_get",
    "settings_set",
    "account_add",
    "sync_now",
    "sync_status",
    "outbox",
    "send_outbox",
    "open_shared_link",
    "take_pending_link",
    "list_acts",
    "get_act",
    "check_act",
    "save_act",
    "act_from_document",
    "search_contracts",
    "ord_account",
    "ord_account_add",
    "ord_account_remove",
    "sync_ord",
    "import_catalog_csv",
    "export_acts",
    "distribute_act",
    "acts_awaiting",
    "act_deadlines",
    "link_statistics",
    "clear_statistics",
    "act_history",
    "submit_act",
    "refresh_act",
    "request_act_deletion",
    "open_act_deletion_letter",
    "update_support",
    "check_update",
    "install_update",
    "print_page",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build: tauri.conf.json, icons and capabilities are valid");
}
