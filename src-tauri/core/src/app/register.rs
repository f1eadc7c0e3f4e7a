//! The accountant's register as the window and the CLI export it: the inbox's filter (or a
//! period) of documents, or the acts of a period, written as XLSX or CSV.

use super::documents::ListQuery;
use super::App;
use crate::error::Result;
use crate::model::{Day, Lang};
use crate::register::{acts, documents, RegisterFormat, RegisterWritten};
use std::path::Path;

/// Writes the documents the list's filter finds (its tab included; every page, not only the
/// one on screen) to `path`.
pub fn export_documents(
    app: &App,
    query: &ListQuery,
    format: RegisterFormat,
    lang: Lang,
    path: &Path,
) -> Result<RegisterWritten> {
    let mut q = query.query.clone();
    if q.statuses.is_empty() {
        if let Some(t) = query.tab {
            t.apply_to(&mut q);
        }
    }
    // Read through the reader: a long export never holds up a sync or a signing.
    let register = app.read(|s| documents::register(s, &q, lang))?;
    register.save(format, path)
}

/// Writes the acts dated within the period to `path`.
pub fn export_acts(
    app: &App,
    from: Option<Day>,
    to: Option<Day>,
    format: RegisterFormat,
    lang: Lang,
    path: &Path,
) -> Result<RegisterWritten> {
    let register = app.read(|s| acts::register(s, from, to, lang))?;
    register.save(format, path)
}
