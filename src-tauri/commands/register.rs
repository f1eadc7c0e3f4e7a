//! The accountant's register from the inbox: the list's current filter written as XLSX or CSV
//! where the user chooses in the system's save dialog (the page never names a path).

use crate::error::{CmdResult, IpcError};
use crate::state::Opened;
use qoltanba_core::app::documents::ListQuery;
use qoltanba_core::app::register;
use qoltanba_core::model::Lang;
use qoltanba_core::register::{RegisterFormat, RegisterWritten};
use qoltanba_core::ErrorCode;
use tauri::{AppHandle, Runtime};

/// Exports every document the filter finds (all pages); None when the dialog was closed.
#[tauri::command]
pub async fn export_register<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    query: ListQuery,
    format: RegisterFormat,
    lang: Lang,
) -> CmdResult<Option<RegisterWritten>> {
    let Some(path) = save_dialog(&handle, format).await else {
        return Ok(None);
    };
    let app = app.shared();
    let write = move || register::export_documents(&app, &query, format, lang, &path);
    Ok(Some(blocking(write).await?))
}

/// Runs a long write off the async runtime (a register of many documents takes seconds).
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> qoltanba_core::Result<T> + Send + 'static,
) -> CmdResult<T> {
    let done = tauri::async_runtime::spawn_blocking(f).await;
    let done = done.map_err(|e| IpcError::new(ErrorCode::Io, format!("Экспорт прерван: {e}")))?;
    Ok(done?)
}

async fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    format: RegisterFormat,
) -> Option<std::path::PathBuf> {
    let filter = match format {
        RegisterFormat::Xlsx => ("Excel", "xlsx"),
        _ => ("CSV", "csv"),
    };
    let name = format!("qoltanba-register.{}", format.extension());
    super::dialogs::pick_save(app.clone(), "Экспорт реестра", name, filter).await
}

/// Exports every act (the accountant's register, not the ORD's upload); None when the dialog
/// was closed.
#[tauri::command]
pub async fn export_acts_register<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    format: RegisterFormat,
    lang: Lang,
) -> CmdResult<Option<RegisterWritten>> {
    let Some(path) = save_dialog(&handle, format).await else {
        return Ok(None);
    };
    let app = app.shared();
    let write = move || register::export_acts(&app, None, None, format, lang, &path);
    Ok(Some(blocking(write).await?))
}
