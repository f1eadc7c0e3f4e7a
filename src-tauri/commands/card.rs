//! A document's card from the document screen: the PDF «Карточка электронного документа» saved
//! where the user chooses in the system's save dialog (the page never names a path).

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::app::card;
use qoltanba_core::model::{DocumentId, Lang};
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime};

/// Saves the card of document `id` in `lang`; the path written, or None when the dialog was
/// closed.
#[tauri::command]
pub async fn save_card<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    id: DocumentId,
    lang: Lang,
) -> CmdResult<Option<String>> {
    let Some(path) = dialog(&handle, id).await else {
        return Ok(None);
    };
    let app = app.shared();
    let write = move || card::save_card(&app, id, lang, &path);
    Ok(Some(super::register::blocking(write).await?))
}

async fn dialog<R: Runtime>(app: &AppHandle<R>, id: DocumentId) -> Option<std::path::PathBuf> {
    let name = format!("card-{id}.pdf");
    let title = "Сохранить карточку документа";
    super::dialogs::pick_save(app.clone(), title, name, ("PDF", "pdf")).await
}

/// The card's PDF bytes for printing from the page (pdf.js draws it, the system's print dialog
/// prints it): an ArrayBuffer in JavaScript.
#[tauri::command]
pub async fn card_pdf(app: Opened, id: DocumentId, lang: Lang) -> CmdResult<Response> {
    let bytes = app.read(|s| qoltanba_core::card::card(s, id, lang))?;
    Ok(Response::new(bytes))
}
