//! A document's card (or a period's cards in one PDF) saved where the user says, for the window
//! and the CLI.

use super::App;
use crate::card;
use crate::error::Result;
use crate::model::{Day, DocumentId, Lang};
use crate::register::write_whole;
use std::path::Path;

/// Writes the card of document `id` to `path`; returns the path written.
pub fn save_card(app: &App, id: DocumentId, lang: Lang, path: &Path) -> Result<String> {
    let bytes = app.read(|s| card::card(s, id, lang))?;
    write_whole(path, &bytes, "pdf")?;
    Ok(path.display().to_string())
}

/// Writes the cards of the documents dated within the period, one page each, to `path`.
pub fn save_cards(app: &App, from: Day, to: Day, lang: Lang, path: &Path) -> Result<String> {
    if from > to {
        return Err(crate::Error::invalid(format!(
            "Начало периода {from} позже его конца {to}"
        )));
    }
    let bytes =
        app.read(|s| card::cards_for_period(s, &from.to_string(), &to.to_string(), lang))?;
    write_whole(path, &bytes, "pdf")?;
    Ok(path.display().to_string())
}
