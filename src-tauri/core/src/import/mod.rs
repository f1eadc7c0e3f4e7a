//! Offline import: files already downloaded (PDF, XML, a detached `.cms`/`.p7s` beside a file, or
//! a folder of them) become received documents. The same bytes imported twice are one document.

mod archive;
mod from_archive;
mod pdf;
mod pipeline;
pub(crate) mod recognise;
mod walk;
mod xml;

pub use archive::{decode_name, looks_like_zip, read_archive, ArchiveEntry, ArchiveLimits};
pub use pdf::{
    extract as pdf_text_within, extract_head as pdf_text_head, extract_text as pdf_text, PdfLimits,
    PdfText,
};
pub use recognise::{recognise, Recognised};
pub use xml::{extract as xml_text, XmlText};

use crate::error::{Error, ErrorCode, Result};
use crate::model::*;
use crate::store::{Access, NewDocument, NewSignature, Settings, Store};
use crate::trust::ChainChecks;
use base64::Engine;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use ts_rs::TS;

const SIGNATURE_EXTS: &[&str] = &["cms", "p7s", "sig"];

/// What became of one imported file.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub id: DocumentId,
    /// False when the same bytes were already in the store.
    pub new: bool,
    pub kind: DocumentKind,
    pub number: Option<String>,
    /// Whether the kind was recognised from the file (otherwise the user should set it).
    pub kind_recognised: bool,
    pub signatures: usize,
    /// Why the document was stored without (all of) its search text, when a limit stopped it.
    pub text_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    pub path: String,
    pub imported: Option<Imported>,
    pub error: Option<ImportError>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportError {
    pub code: ErrorCode,
    pub message: String,
}

/// Checks a file name coming from outside (a file, a drop, an operator): no path separators,
/// no `..`, no NUL or control characters.
pub fn check_file_name(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Error::invalid(format!(
            "Недопустимое имя файла «{}»: {why}",
            name.escape_debug()
        ))
    };
    if name.is_empty() || name.len() > 255 {
        return Err(bad("пустое или длиннее 255 байт"));
    }
    if name.contains('\0') || name.chars().any(char::is_control) {
        return Err(bad("содержит управляющие символы"));
    }
    if name.contains('/')
        || name.contains('\\')
        || name == "."
        || name == ".."
        || name.contains("..")
    {
        return Err(bad("содержит путь («/», «\\» или «..»)"));
    }
    Ok(())
}

fn ext(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn is_signature_name(name: &str) -> bool {
    SIGNATURE_EXTS.contains(&ext(name).as_str())
}

/// A PEM or base64 signature becomes DER; DER passes through.
pub fn signature_der(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Error::new(
            ErrorCode::UnsupportedFile,
            "Файл подписи не является CMS (DER, PEM или base64)",
        )
    })?;
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|_| {
            Error::new(
                ErrorCode::UnsupportedFile,
                "Файл подписи не является CMS (DER, PEM или base64)",
            )
        })?;
    if der.first() != Some(&0x30) {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "Файл подписи не является CMS",
        ));
    }
    Ok(der)
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("Не удалось открыть {}: {e}", path.display()),
        )
    })?;
    // A pipe or a device would block the read (with the store locked) or never end.
    if !meta.is_file() {
        return Err(walk::not_a_plain_file());
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_large(buf.len() as u64, max));
    }
    Ok(buf)
}

fn too_large(size: u64, max: u64) -> Error {
    Error::new(
        ErrorCode::FileTooLarge,
        format!(
            "Файл слишком большой: {} МиБ, допустимо не больше {} МиБ (настройка max_file_size)",
            size / (1024 * 1024),
            max / (1024 * 1024)
        ),
    )
}

/// A file read, checked and recognised, ready to be stored.
struct Prepared {
    new: NewDocument,
    about: About,
}

/// What the outcome says of a file besides what the store knows; kept apart from the document
/// so that storing can take the document (bytes and text) without copying it.
struct About {
    kind: DocumentKind,
    number: Option<String>,
    kind_recognised: bool,
    signatures: usize,
    text_note: Option<String>,
}

/// Imports one document from its bytes, with any detached signatures that came beside it.
pub fn import_bytes(
    store: &mut Store,
    name: &str,
    bytes: Vec<u8>,
    signatures: Vec<Vec<u8>>,
) -> Result<Imported> {
    let max = store.max_file_size()?;
    let checks = checks_for(store, signatures.iter().map(|s| s.as_slice()))?;
    let p = prepare(name, bytes, signatures, max, &checks)?;
    let (id, new) = store.add_document(p.new)?;
    imported(store, id, new, p.about)
}

fn imported(store: &Store, id: DocumentId, new: bool, about: About) -> Result<Imported> {
    // A document just added is what was prepared; one already there is read back.
    let (kind, number) = if new {
        (about.kind, about.number)
    } else {
        let doc = store.document(id)?;
        (doc.fields.kind, doc.fields.number)
    };
    Ok(Imported {
        id,
        new,
        kind,
        number,
        kind_recognised: about.kind_recognised,
        signatures: about.signatures,
        text_note: about.text_note,
    })
}

/// Checks and recognises a file without touching the store (so a folder's files can be parsed
/// first and stored in one transaction).
fn prepare(
    name: &str,
    bytes: Vec<u8>,
    signatures: Vec<Vec<u8>>,
    max: u64,
    checks: &ChainChecks,
) -> Result<Prepared> {
    check_file_name(name)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max));
    }
    if bytes.is_empty() {
        return Err(Error::invalid(format!("Файл «{name}» пуст")));
    }
    let (mime, text, rec, text_note) = if bytes.starts_with(b"%PDF-") {
        let t = pdf::extract(&bytes, &PdfLimits::default())?;
        let rec = recognise(&t.text);
        ("application/pdf", t.text, rec, t.limited)
    } else if xml::looks_like_xml(&bytes) {
        let x = xml::extract(&bytes)?;
        let rec = recognise::recognise_xml(&x.fields, &x.text);
        ("application/xml", x.text, rec, None)
    } else {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            format!("«{name}» не PDF и не XML: импортируются только документы PDF и XML и подписи .cms/.p7s к ним"),
        ));
    };
    let sha = crate::store::sha256_hex(&bytes);
    let kind = rec.kind.unwrap_or(DocumentKind::Other);
    let title = match (&rec.kind, &rec.number) {
        (Some(k), Some(n)) => format!("{} № {n}", k.name(Lang::Ru)),
        (Some(k), None) => k.name(Lang::Ru).to_string(),
        _ => name.to_string(),
    };
    let mut fields = DocumentFields::new(kind, title);
    fields.number = rec.number.clone();
    fields.date = rec.date.clone();
    fields.sender = rec.sender_bin.map(|bin| Party {
        bin,
        name: String::new(),
    });
    fields.recipient = rec.recipient_bin.map(|bin| Party {
        bin,
        name: String::new(),
    });
    let mut sigs = Vec::new();
    for s in signatures {
        let cms = signature_der(&s)?;
        // The sender's signature is checked against the exact bytes imported, its chain with the
        // trust store and CRLs; its verdict is kept whatever it says (a failed one is shown as
        // such, not dropped).
        let verdict = checks.verify_detached(&cms, &bytes);
        sigs.push(NewSignature::checked("main", &sha, cms, verdict));
    }
    let n_sigs = sigs.len();
    let attachment = Attachment {
        id: "main".into(),
        role: AttachmentRole::Main,
        file_name: name.to_string(),
        mime_type: mime.into(),
        size: bytes.len() as u64,
        sha256: sha,
    };
    Ok(Prepared {
        about: About {
            kind: fields.kind,
            number: fields.number.clone(),
            kind_recognised: rec.kind.is_some(),
            signatures: n_sigs,
            text_note: text_note.clone(),
        },
        new: NewDocument {
            operator_id: None,
            origin: Origin::Import,
            fields,
            attachments: vec![(attachment, bytes)],
            text,
            text_note,
            sender_signatures: sigs,
        },
    })
}

fn outcome(path: &Path, r: Result<Imported>) -> ImportOutcome {
    match r {
        Ok(i) => ImportOutcome {
            path: path.display().to_string(),
            imported: Some(i),
            error: None,
        },
        Err(e) => ImportOutcome {
            path: path.display().to_string(),
            imported: None,
            error: Some(ImportError {
                code: e.code,
                message: e.message,
            }),
        },
    }
}

/// The signature files that sit beside a document: `a.pdf.p7s`, `a.p7s`, `a.pdf.cms`…
fn signatures_beside(doc: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in SIGNATURE_EXTS {
        let mut with = doc.as_os_str().to_owned();
        with.push(format!(".{e}"));
        out.push(PathBuf::from(with));
        out.push(doc.with_extension(e));
    }
    out.retain(|p| walk::is_plain_file(p));
    out.dedup();
    out
}

/// For a signature file, the document it signs (`a.pdf.p7s` → `a.pdf`; `a.p7s` → `a.pdf`/`a.xml`).
fn document_for_signature(sig: &Path) -> Option<PathBuf> {
    let stem = sig.with_extension("");
    if stem.extension().is_some() && walk::is_plain_file(&stem) {
        return Some(stem);
    }
    ["pdf", "xml", "PDF", "XML"]
        .iter()
        .map(|e| sig.with_extension(e))
        .find(|p| walk::is_plain_file(p))
}

/// How many files one transaction stores at most during a folder import.
const BATCH: usize = 64;

/// Imports files and folders; each file succeeds or fails on its own and says why.
/// The store is taken for the settings, the CRL cache and each batch's transaction, never
/// while files are read and parsed or lists downloaded (see `Access`).
pub fn import_paths<A: Access + Send>(
    store: &mut A,
    paths: &[PathBuf],
) -> Result<Vec<ImportOutcome>> {
    let max = store.with(|s| s.max_file_size())?;
    let (files, skipped) = walk::expand(paths, walk::Budget::default());
    let mut done: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    // What to read (a path) or why it cannot be imported, in the user's order.
    let mut planned: Vec<(PathBuf, Option<Error>)> =
        skipped.into_iter().map(|(p, e)| (p, Some(e))).collect();
    // Archives are imported after the files, each whole or not at all (from_archive).
    let mut archives: Vec<PathBuf> = Vec::new();
    for f in &files {
        if done.contains(f) {
            continue;
        }
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ext(&name) == "zip" {
            done.insert(f.clone());
            archives.push(f.clone());
            continue;
        }
        if is_signature_name(&name) {
            // A signature is imported with its document; given alone, it brings the document.
            match document_for_signature(f) {
                Some(doc) if files.contains(&doc) => continue,
                Some(doc) => {
                    done.insert(doc.clone());
                    for s in signatures_beside(&doc) {
                        done.insert(s);
                    }
                    planned.push((doc, None));
                }
                None => planned.push((
                    f.clone(),
                    Some(Error::invalid(
                        "Рядом с подписью нет документа (ожидается файл с тем же именем без .p7s/.cms)",
                    )),
                )),
            }
            continue;
        }
        done.insert(f.clone());
        planned.push((f.clone(), None));
    }
    // The CRLs of every signature of the import are looked up (and downloaded) once, before
    // the files are parsed and outside any transaction.
    let mut beside = Vec::new();
    for (path, err) in &planned {
        if err.is_none() {
            beside.extend(
                signatures_beside(path)
                    .iter()
                    .filter_map(|s| read_limited(s, max).ok()),
            );
        }
    }
    let checks = checks_for(store, beside.iter().map(|s| s.as_slice()))?;
    let mut outcomes = pipeline::run(store, &planned, |path| prepare_file(path, max, &checks))?;
    for a in archives {
        outcomes.extend(from_archive::import_archive(store, &a, max)?);
    }
    Ok(outcomes)
}

fn prepare_file(path: &Path, max: u64, checks: &ChainChecks) -> Result<Prepared> {
    if !path.exists() {
        return Err(Error::not_found(format!(
            "Файл {} не найден",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::invalid(format!("«{}» не является файлом", path.display())))?;
    check_file_name(&name)?;
    let bytes = read_limited(path, max)?;
    let mut sigs = Vec::new();
    for s in signatures_beside(path) {
        sigs.push(read_limited(&s, max)?);
    }
    prepare(&name, bytes, sigs, max, checks)
}

/// The chain checks (trust store, CRLs) for signature files given as they were read (DER, PEM
/// or base64; anything else is left to the verification to report), at the store's time.
fn checks_for<'a, A: Access + Send>(
    store: &mut A,
    signature_files: impl Iterator<Item = &'a [u8]>,
) -> Result<ChainChecks> {
    let certificates: Vec<Vec<Vec<u8>>> = signature_files
        .filter_map(|s| signature_der(s).ok())
        .map(|cms| crate::signature::cms_certificates(&cms))
        .collect();
    let (mut crls, now) = store.with(|s| Ok((s.crl_run()?, s.clock.now())))?;
    crate::trust::chain_checks_blocking(store, now, vec![], &certificates, &mut crls)
}
