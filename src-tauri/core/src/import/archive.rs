//! A ZIP archive as an EDO web client downloads it (the file, its signatures, sometimes a print
//! form), imported like a folder: every PDF/XML with the `.p7s`/`.cms`/`.sig` beside it, nested
//! folders, names in UTF-8 or CP866 (what Windows' own "Send to → compressed folder" writes on a
//! Russian system). The archive is hostile input: before anything is stored, its entries are
//! counted, their paths checked, and every byte inflated under a budget (size of each entry and
//! of all together, compression ratio, folder depth); one broken budget refuses the whole
//! archive, and then nothing of it is stored.

use crate::error::{Error, ErrorCode, Result};
use std::io::Read;

/// The budgets of one archive.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    /// Entries (files and folders) in the archive.
    pub entries: usize,
    /// Bytes of one file once inflated (the store's `max_file_size`).
    pub file: u64,
    /// Bytes of all files once inflated.
    pub total: u64,
    /// Inflated bytes per compressed byte, for a file of at least `ratio_floor` bytes: PDFs and
    /// XML compress 2–20 times; a zip bomb compresses a thousand times and more.
    pub ratio: u64,
    pub ratio_floor: u64,
    /// Folder levels inside the archive.
    pub depth: usize,
}

impl ArchiveLimits {
    /// The limits for a store whose files may have `max_file` bytes: all files together as much
    /// as one operator document may bring (4 × a file), as many entries as a year of documents.
    pub fn for_file_size(max_file: u64) -> ArchiveLimits {
        ArchiveLimits {
            entries: 2_000,
            file: max_file,
            total: max_file.saturating_mul(4),
            ratio: 100,
            ratio_floor: 1024 * 1024,
            depth: 16,
        }
    }
}

/// One file taken from the archive: its path inside it (folders joined with `/`) and bytes.
#[derive(Debug, Clone)]
pub struct ArchiveEntry {
    pub path: String,
    pub bytes: Vec<u8>,
}

fn refused(code: ErrorCode, why: String) -> Error {
    Error::new(
        code,
        format!("Архив не импортирован, из него ничего не сохранено: {why}"),
    )
}

/// Whether the bytes are a ZIP archive (a local file header or an empty archive's end record).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// A name as written in the archive: UTF-8 when it is valid UTF-8 (the language-encoding flag,
/// or macOS and 7-Zip which write UTF-8), otherwise CP866, the DOS code page of Russian Windows
/// (its bytes are almost never valid UTF-8: «Акт» is 80 AA E2).
pub fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::IBM866
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// Splits an entry's path into folders and the file name; refuses a path that leaves the
/// archive (`..`, an absolute path, a drive letter), or that is deeper than the budget.
fn components(name: &str, limits: &ArchiveLimits) -> Result<Vec<String>> {
    let shown: String = name
        .chars()
        .take(80)
        .collect::<String>()
        .escape_debug()
        .to_string();
    let unsafe_path = || {
        refused(
            ErrorCode::UnsupportedFile,
            format!("в нём путь «{shown}» ведёт за пределы архива"),
        )
    };
    let unified = name.replace('\\', "/");
    if unified.starts_with('/') || unified.as_bytes().get(1) == Some(&b':') {
        return Err(unsafe_path());
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err(unsafe_path()),
            p if p.chars().any(char::is_control) => return Err(unsafe_path()),
            p => parts.push(p.to_string()),
        }
    }
    if parts.len() > limits.depth + 1 {
        return Err(refused(
            ErrorCode::UnsupportedFile,
            format!(
                "папки в нём вложены глубже {} уровней («{shown}»)",
                limits.depth
            ),
        ));
    }
    Ok(parts)
}

/// Every file of the archive, inflated under `limits`; folders are left out (their files keep
/// their paths). Any broken budget or unsafe path refuses the archive as a whole.
pub fn read_archive(bytes: &[u8], limits: &ArchiveLimits) -> Result<Vec<ArchiveEntry>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        refused(
            ErrorCode::UnsupportedFile,
            format!("это не ZIP или он повреждён ({e})"),
        )
    })?;
    if zip.len() > limits.entries {
        return Err(refused(
            ErrorCode::FileTooLarge,
            format!(
                "в нём {} файлов и папок, допустимо не больше {}",
                zip.len(),
                limits.entries
            ),
        ));
    }
    // Names and declared sizes first, so that a bomb is refused before a byte is inflated.
    let mut declared_total: u64 = 0;
    let mut plan = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| {
            refused(
                ErrorCode::UnsupportedFile,
                format!("запись {i} не читается ({e})"),
            )
        })?;
        let name = decode_name(f.name_raw());
        let parts = components(&name, limits)?;
        // macOS's Archive Utility adds "__MACOSX/._name" resource forks beside every file:
        // not documents, and never worth an error line each.
        if f.is_dir() || parts.is_empty() || parts[0] == "__MACOSX" {
            continue;
        }
        if f.is_symlink() {
            return Err(refused(
                ErrorCode::UnsupportedFile,
                format!("«{name}» в нём — ссылка на другой файл"),
            ));
        }
        if f.encrypted() {
            return Err(refused(
                ErrorCode::UnsupportedFile,
                format!("«{name}» в нём зашифрован паролем"),
            ));
        }
        check_sizes(&name, f.size(), f.compressed_size(), limits)?;
        declared_total = declared_total.saturating_add(f.size());
        if declared_total > limits.total {
            return Err(total_exceeded(limits));
        }
        plan.push((i, parts.join("/")));
    }
    let mut entries = Vec::with_capacity(plan.len());
    let mut total: u64 = 0;
    for (i, path) in plan {
        let mut f = zip.by_index(i).map_err(|e| {
            refused(
                ErrorCode::UnsupportedFile,
                format!("«{path}» не распаковывается ({e})"),
            )
        })?;
        let declared = f.size();
        // The header's size is a claim: never inflate more than it (and the budget) allows.
        let cap = declared.min(limits.file);
        let mut out = Vec::with_capacity(cap.min(16 * 1024 * 1024) as usize);
        (&mut f).take(cap + 1).read_to_end(&mut out).map_err(|e| {
            refused(
                ErrorCode::UnsupportedFile,
                format!("«{path}» не распаковывается ({e})"),
            )
        })?;
        if out.len() as u64 != declared {
            return Err(refused(
                ErrorCode::UnsupportedFile,
                format!("размер «{path}» не совпадает с записанным в архиве"),
            ));
        }
        total += out.len() as u64;
        if total > limits.total {
            return Err(total_exceeded(limits));
        }
        entries.push(ArchiveEntry { path, bytes: out });
    }
    Ok(entries)
}

fn check_sizes(name: &str, size: u64, packed: u64, limits: &ArchiveLimits) -> Result<()> {
    if size > limits.file {
        return Err(refused(
            ErrorCode::FileTooLarge,
            format!(
                "«{name}» в нём распаковывается в {} МиБ, допустимо не больше {} МиБ (настройка max_file_size)",
                size / (1024 * 1024),
                limits.file / (1024 * 1024)
            ),
        ));
    }
    if size >= limits.ratio_floor && size / packed.max(1) > limits.ratio {
        return Err(refused(
            ErrorCode::FileTooLarge,
            format!(
                "«{name}» в нём сжат в {} раз (больше {}): так выглядит «архивная бомба»",
                size / packed.max(1),
                limits.ratio
            ),
        ));
    }
    Ok(())
}

fn total_exceeded(limits: &ArchiveLimits) -> Error {
    refused(
        ErrorCode::FileTooLarge,
        format!(
            "все файлы в нём вместе распаковываются больше чем в {} МиБ",
            limits.total / (1024 * 1024)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp866_names_read_as_cyrillic_and_utf8_names_as_written() {
        // «Акт.pdf» as Windows' compressed folder writes it on a Russian system.
        assert_eq!(decode_name(b"\x80\xaa\xe2.pdf"), "Акт.pdf");
        assert_eq!(decode_name("Счёт №5.pdf".as_bytes()), "Счёт №5.pdf");
        assert_eq!(decode_name(b"plain.xml"), "plain.xml");
    }

    #[test]
    fn paths_that_leave_the_archive_are_refused() {
        let l = ArchiveLimits::for_file_size(1024);
        for bad in [
            "../../x.pdf",
            "a/../../x.pdf",
            "/etc/x.pdf",
            "C:/x.pdf",
            "a\\..\\x.pdf",
        ] {
            let e = components(bad, &l).unwrap_err();
            assert!(
                e.message.contains("за пределы архива"),
                "{bad}: {}",
                e.message
            );
        }
        assert_eq!(components("./a/b.pdf", &l).unwrap(), ["a", "b.pdf"]);
    }
}
