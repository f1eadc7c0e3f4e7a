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
    let mut written = Vec::new();
    let mut write = |name: String, bytes: &[u8]| -> Result<()> {
        check_file_name(&name)?;
        std::fs::write(dir.join(&name), bytes)?;
        written.push(name);
        Ok(())
    };
    for a in &doc.attachments {
        let bytes = store.blob(&a.sha256)?;
        let name = if check_file_name(&a.file_name).is_ok() {
            format!("{id}-{}-{}", a.role.code(), a.file_name)
        } else {
            format!("{id}-{}.bin", a.role.code())
        };
        write(name, &bytes)?;
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
                write(name.clone(), &notice)?;
                write(format!("{name}.p7s"), &s.cms)?;
            }
            None => write(format!("{id}-signature-{}-{}.p7s", s.party, s.id), &s.cms)?,
        }
    }
    let json = serde_json::json!({
        "document": doc,
        "signatures": sigs,
        "history": history,
    });
    write(
        format!("{id}-document.json"),
        serde_json::to_string_pretty(&json)
            .expect("serialises")
            .as_bytes(),
    )?;
    Ok(written)
}
