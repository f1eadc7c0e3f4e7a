//! The system's print dialog for what the page has made printable (a card's picture, the signing
//! summary; app.css says what goes on paper). Asked of the webview rather than through
//! `window.print()`, which WKWebView (macOS) ignores and WebKitGTK ignores in a window driven by
//! WebDriver (so the end-to-end test could not print either).

use crate::error::{CmdResult, IpcError};
use qoltanba_core::ErrorCode;
use tauri::{Runtime, Webview};

/// Opens the print dialog over the page; returns once it is asked for, not when it closes.
#[tauri::command]
pub fn print_page<R: Runtime>(webview: Webview<R>) -> CmdResult<()> {
    webview.print().map_err(|e| {
        IpcError::new(
            ErrorCode::Io,
            format!("Не удалось открыть окно печати: {e}"),
        )
    })
}
