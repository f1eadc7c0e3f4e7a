//! Settings → «Проверить обновления»: whether this build updates itself, a check the user asks
//! for, and an install the user agreed to (crate::updates; the page never names a URL or a key).

use crate::error::CmdResult;
use crate::updates::{self, FoundUpdate, UpdateSupport};
use tauri::{AppHandle, Runtime};

#[tauri::command]
pub fn update_support<R: Runtime>(app: AppHandle<R>) -> UpdateSupport {
    updates::support(&app)
}

/// The newer release the signed manifest announces, or None when this one is the latest.
#[tauri::command]
pub async fn check_update<R: Runtime>(app: AppHandle<R>) -> CmdResult<Option<FoundUpdate>> {
    Ok(updates::check(&app).await?)
}

/// Downloads, verifies and installs the release the last check found, then restarts.
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> CmdResult<()> {
    Ok(updates::install(&app).await?)
}
