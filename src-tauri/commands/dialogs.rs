//! The system's file dialogs (the page never names a path).

use qoltanba_core::{Error, Result};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// Asks for files to import; empty when the user closes the dialog.
pub async fn pick_files<R: Runtime>(app: AppHandle<R>) -> Vec<PathBuf> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Импорт документов")
            .add_filter(
                "Документы, подписи и архивы ZIP",
                &["pdf", "xml", "cms", "p7s", "sig", "zip"],
            )
            .blocking_pick_files()
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default();
    picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}

/// Asks where to save the support report and writes `text` there; None when the user closes
/// the dialog.
pub async fn save_json<R: Runtime>(
    app: AppHandle<R>,
    name: &str,
    text: String,
) -> Result<Option<String>> {
    let name = name.to_string();
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Сохранить отчёт для поддержки")
            .set_file_name(&name)
            .add_filter("JSON", &["json"])
            .blocking_save_file()
    })
    .await
    .ok()
    .flatten();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    std::fs::write(&path, text).map_err(Error::from)?;
    Ok(Some(path.display().to_string()))
}

/// Asks for one CSV file to import; None when the user closes the dialog.
pub async fn pick_csv<R: Runtime>(app: AppHandle<R>, title: &'static str) -> Option<PathBuf> {
    tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter("CSV", &["csv", "txt"])
            .blocking_pick_file()
    })
    .await
    .ok()
    .flatten()
    .and_then(|p| p.into_path().ok())
}

/// Asks where to save a file (`name` proposed, one filter); None when the user closes the dialog.
pub async fn pick_save<R: Runtime>(
    app: AppHandle<R>,
    title: &'static str,
    name: String,
    filter: (&'static str, &'static str),
) -> Option<PathBuf> {
    tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .set_file_name(&name)
            .add_filter(filter.0, &[filter.1])
            .blocking_save_file()
    })
    .await
    .ok()
    .flatten()
    .and_then(|p| p.into_path().ok())
}
