//! Export of one document: its files, its signatures (DER) with a rejection's signed refusal
//! notice beside its signature, and its history, as a person or an auditor would want them in a
//! folder. Nothing secret is in a store, so nothing secret leaves.

use crate::error::{Error, Result};
use crate::import::check_file_name;
use crate::model::{Decision, DocumentId};
use crate::refusal::RefusalNotice;
use crate::store::Store;
use std::path::Path;

/// Writes the export into `dir` and returns the names of the files written.
pub fn export_document(store: &Store, id: DocumentId, dir: &Path) -> Result<Vec<String>> {
    let doc = store.document(id)?;
    let sigs = store.signatures(id)?;
    let history = store.history(id)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            crate::ErrorCode::Io,
            format!("Не удалось создать папку {}: {e}", dir.display()),
        )
    })?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for a in &doc.attachments {
        let bytes = store.blob(&a.sha256)?;
        let name = if check_file_name(&a.file_name).is_ok() {
            format!("{id}-{}-{}", a.role.code(), a.file_name)
        } else {
            format!("{id}-{}.bin", a.role.code())
        };
        files.push((name, bytes));
    }
    for s in &sigs {
        // A rejection's signature is over its refusal notice: the notice goes beside it, so that
        // `qoltanba verify N-refusal-M.xml N-refusal-M.xml.p7s` checks it years later.
        let notice = match (s.party.as_str(), doc.decision) {
            ("own", Some(Decision::Reject)) => store
                .blob(&s.signed_sha256)
                .ok()
                .filter(|b| RefusalNotice::parse(b).is_ok()),
            _ => None,
        };
        match notice {
            Some(notice) => {
                let name = format!("{id}-refusal-{}.xml", s.id);
                files.push((format!("{name}.p7s"), s.cms.clone()));
                files.push((name, notice));
            }
            None => files.push((
                format!("{id}-signature-{}-{}.p7s", s.party, s.id),
                s.cms.clone(),
            )),
        }
    }
    let json = serde_json::json!({
        "document": doc,
        "signatures": sigs,
        "history": history,
    });
    files.push((
        format!("{id}-document.json"),
        serde_json::to_string_pretty(&json)
            .expect("serialises")
            .into_bytes(),
    ));
    // Every name is checked before anything is written, so a refusal leaves the folder as it was.
    for (name, _) in &files {
        check_file_name(name)?;
        if std::fs::symlink_metadata(dir.join(name)).is_ok() {
            return Err(taken(dir, name));
        }
    }
    let mut written = Vec::new();
    for (name, bytes) in &files {
        write_new(&dir.join(name), bytes).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => taken(dir, name),
            _ => Error::from(e),
        })?;
        written.push(name.clone());
    }
    Ok(written)
}

/// Creates the file; never opens one that exists. O_EXCL also refuses a link in its place (even
/// a dangling one), so an export cannot be steered to write somewhere else or over a file.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn taken(dir: &Path, name: &str) -> Error {
    Error::new(
        crate::ErrorCode::InvalidInput,
        format!(
            "В папке {} уже есть {name} (файл или ссылка): выгрузка ничего не перезаписывает. Выберите пустую папку",
            dir.display()
        ),
    )
}
