//! Importing the documents of one ZIP archive: its entries paired as a folder's files are (a
//! document with the signatures beside it), each prepared like a file, all stored in one
//! transaction. A refused archive (see `archive`) is one outcome, and nothing of it is stored.

use super::archive::{read_archive, ArchiveEntry, ArchiveLimits};
use super::{
    checks_for, ext, imported, is_signature_name, outcome, prepare, read_limited, About,
    ImportOutcome, Imported, Prepared,
};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{Access, NewDocument};
use std::collections::BTreeMap;
use std::path::Path;

/// The document a signature entry belongs to: `a.pdf.p7s` → `a.pdf`; `a.p7s` → `a.pdf`/`a.xml`.
fn document_of(sig: &str, files: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let stem = &sig[..sig.rfind('.')?];
    if files.contains_key(stem) && !is_signature_name(stem) {
        return Some(stem.to_string());
    }
    ["pdf", "xml", "PDF", "XML"]
        .iter()
        .map(|e| format!("{stem}.{e}"))
        .find(|p| files.contains_key(p))
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What to prepare: documents with their signatures, and entries that cannot be imported.
struct Paired {
    documents: Vec<(String, Vec<u8>, Vec<Vec<u8>>)>,
    left_out: Vec<(String, Error)>,
}

fn pair(entries: Vec<ArchiveEntry>) -> Paired {
    let files: BTreeMap<String, Vec<u8>> = entries.into_iter().map(|e| (e.path, e.bytes)).collect();
    let mut sigs: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    let mut left_out = Vec::new();
    for (path, bytes) in &files {
        if !is_signature_name(path) {
            continue;
        }
        match document_of(path, &files) {
            Some(doc) => sigs.entry(doc).or_default().push(bytes.clone()),
            None => left_out.push((
                path.clone(),
                Error::invalid(
                    "Рядом с подписью в архиве нет документа (ожидается файл с тем же именем без .p7s/.cms)",
                ),
            )),
        }
    }
    let mut documents = Vec::new();
    for (path, bytes) in files {
        if is_signature_name(&path) {
            continue;
        }
        if ext(&path) == "zip" {
            left_out.push((
                path,
                Error::new(
                    ErrorCode::UnsupportedFile,
                    "Архив внутри архива не открывается: распакуйте его и импортируйте отдельно",
                ),
            ));
            continue;
        }
        let s = sigs.remove(&path).unwrap_or_default();
        documents.push((path, bytes, s));
    }
    Paired {
        documents,
        left_out,
    }
}

/// Imports the archive at `path`: one outcome per document or left-out entry (named
/// `archive.zip/folder/file`), or one outcome for the archive when it is refused.
pub(super) fn import_archive<A: Access + Send>(
    store: &mut A,
    path: &Path,
    max: u64,
) -> Result<Vec<ImportOutcome>> {
    let entries = match read_limited(path, max)
        .and_then(|bytes| read_archive(&bytes, &ArchiveLimits::for_file_size(max)))
    {
        Ok(e) => e,
        Err(e) => return Ok(vec![outcome(path, Err(e))]),
    };
    let paired = pair(entries);
    let inside = |p: &str| path.join(p);
    let checks = checks_for(
        store,
        paired
            .documents
            .iter()
            .flat_map(|(_, _, s)| s.iter().map(|s| s.as_slice())),
    )?;
    let mut outcomes: Vec<ImportOutcome> = paired
        .left_out
        .into_iter()
        .map(|(p, e)| outcome(&inside(&p), Err(e)))
        .collect();
    let mut ready: Vec<(String, Result<Prepared>)> = Vec::new();
    for (p, bytes, sigs) in paired.documents {
        let r = prepare(base_name(&p), bytes, sigs, max, &checks);
        ready.push((p, r));
    }
    let mut docs: Vec<NewDocument> = Vec::new();
    let mut about: Vec<(String, Result<About>)> = Vec::new();
    for (p, r) in ready {
        about.push((
            p,
            r.map(|x| {
                docs.push(x.new);
                x.about
            }),
        ));
    }
    store.with(|s| {
        let mut stored = s.add_documents(&docs)?.into_iter();
        for (p, r) in about {
            let r: Result<Imported> = r.and_then(|a| {
                let (id, new) = stored.next().expect("one result per prepared file")?;
                imported(s, id, new, a)
            });
            outcomes.push(outcome(&inside(&p), r));
        }
        Ok(())
    })?;
    Ok(outcomes)
}
