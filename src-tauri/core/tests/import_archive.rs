//! ZIP archives as an EDO web client downloads them, imported like a folder; and each budget of
//! a hostile archive (compression ratio, total size, file size, count, nesting, paths leaving the
//! archive), each refusing the whole archive with nothing stored. The archives are written here
//! byte by byte, so that a test controls what a real zip tool would not write (CP866 names
//! without the UTF-8 flag, `../` paths).

mod support;

use qoltanba_core::import::import_paths;
use qoltanba_core::store::search::Query;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::{ErrorCode, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One entry: its name as raw bytes, its content, and whether to deflate it.
struct Entry {
    name: Vec<u8>,
    data: Vec<u8>,
    deflate: bool,
}

fn file(name: &str, data: Vec<u8>) -> Entry {
    Entry {
        name: name.as_bytes().to_vec(),
        data,
        deflate: true,
    }
}

/// A ZIP file as zip tools write it: local headers, the central directory, its end record. The
/// UTF-8 flag (bit 11) is set when the name is valid UTF-8 and not ASCII, as 7-Zip does.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let packed = if e.deflate {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            enc.write_all(&e.data).unwrap();
            enc.finish().unwrap()
        } else {
            e.data.clone()
        };
        let utf8 = std::str::from_utf8(&e.name).is_ok_and(|s| !s.is_ascii());
        let flags: u16 = if utf8 { 0x0800 } else { 0 };
        let method: u16 = if e.deflate { 8 } else { 0 };
        let crc = crc32(&e.data);
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes());
            v.extend(flags.to_le_bytes());
            v.extend(method.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // time
            v.extend(0x21u16.to_le_bytes()); // 1980-01-01
            v.extend(crc.to_le_bytes());
            v.extend((packed.len() as u32).to_le_bytes());
            v.extend((e.data.len() as u32).to_le_bytes());
            v.extend((e.name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(&e.name);
        out.extend(&packed);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        common(&mut central);
        central.extend(0u16.to_le_bytes()); // comment
        central.extend(0u16.to_le_bytes()); // disk
        central.extend(0u16.to_le_bytes()); // internal attributes
        let external: u32 = if e.name.ends_with(b"/") { 0x10 } else { 0 };
        central.extend(external.to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn count(store: &Store) -> usize {
    store
        .list(&Query {
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .documents
        .len()
}

fn write(dir: &Path, name: &str, bytes: Vec<u8>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A minimal DER value standing for a signature file (kept with a failed verdict).
const SIG: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x00];

#[test]
fn an_archive_imports_like_a_folder_with_signatures_nested_folders_and_cp866_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(&dir.path().join("data"));
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-9</number><date>2026-10-30</date></act>";
    let archive = zip(&[
        Entry {
            name: b"\x84\xae\xaa\xe3\xac\xa5\xad\xe2\xeb/".to_vec(), // «Документы/» in CP866
            data: vec![],
            deflate: false,
        },
        Entry {
            // «Документы/Отчёт.pdf» in CP866, without the UTF-8 flag (Windows' compressed folder)
            name: b"\x84\xae\xaa\xe3\xac\xa5\xad\xe2\xeb/\x8e\xe2\xe7\xf1\xe2.pdf".to_vec(),
            data: support::sales_report_pdf("OZ-77"),
            deflate: true,
        },
        Entry {
            name: b"\x84\xae\xaa\xe3\xac\xa5\xad\xe2\xeb/\x8e\xe2\xe7\xf1\xe2.pdf.p7s".to_vec(),
            data: SIG.to_vec(),
            deflate: false,
        },
        file("2026/10/акт.xml", xml.as_bytes().to_vec()),
        file("2026/10/акт.p7s", SIG.to_vec()),
        // What macOS adds beside each file: skipped without a word.
        file("__MACOSX/2026/10/._акт.xml", vec![0, 5, 22, 7]),
    ]);
    let path = write(dir.path(), "idocs-download.zip", archive);
    let out = import_paths(&mut store, &[path]).unwrap();
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out.iter().all(|o| o.error.is_none()), "{out:?}");
    let pdf = out
        .iter()
        .find(|o| o.path.ends_with("Документы/Отчёт.pdf"))
        .expect("CP866 read");
    let pdf = pdf.imported.as_ref().unwrap();
    assert_eq!(pdf.number.as_deref(), Some("OZ-77"));
    assert_eq!(pdf.signatures, 1);
    let d = store.document(pdf.id).unwrap();
    assert_eq!(d.main_attachment().unwrap().file_name, "Отчёт.pdf");
    assert_eq!(store.signatures(pdf.id).unwrap()[0].cms, SIG);
    let act = out
        .iter()
        .find(|o| o.path.ends_with("2026/10/акт.xml"))
        .unwrap();
    assert_eq!(
        act.imported.as_ref().unwrap().signatures,
        1,
        "a.p7s beside a.xml"
    );
    assert_eq!(count(&store), 2);
}

/// Imports `archive` into a fresh store (with `max_file_size` when given) and returns the one
/// outcome's error, after checking that nothing was stored.
fn refused(archive: Vec<u8>, max_file: Option<u64>) -> (ErrorCode, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(&dir.path().join("data"));
    if let Some(m) = max_file {
        store
            .set_setting(SettingKey::MaxFileSize, &m.to_string())
            .unwrap();
    }
    let path = write(dir.path(), "bad.zip", archive);
    let out = import_paths(&mut store, &[path]).unwrap();
    assert_eq!(out.len(), 1, "{out:?}");
    let e = out[0].error.clone().expect("refused");
    assert_eq!(count(&store), 0, "nothing of a refused archive is stored");
    assert!(
        e.message
            .starts_with("Архив не импортирован, из него ничего не сохранено"),
        "{}",
        e.message
    );
    (e.code, e.message)
}

/// A good document first, so that "nothing stored" means the good one too.
fn good() -> Entry {
    file("good.pdf", support::sales_report_pdf("OK-1"))
}

#[test]
fn a_zip_bomb_is_refused_by_its_compression_ratio() {
    let (code, msg) = refused(zip(&[good(), file("bomb.pdf", vec![0; 20 << 20])]), None);
    assert_eq!(code, ErrorCode::FileTooLarge);
    assert!(
        msg.contains("«bomb.pdf» в нём сжат в") && msg.contains("архивная бомба"),
        "{msg}"
    );
}

#[test]
fn files_over_the_total_uncompressed_size_are_refused() {
    // max_file_size 1 MiB: four times that for all files together; five of 0.9 MiB are over.
    let mut entries = vec![good()];
    for i in 0..5 {
        entries.push(file(&format!("part{i}.pdf"), vec![b'x'; 900 << 10]));
    }
    let (code, msg) = refused(zip(&entries), Some(1 << 20));
    assert_eq!(code, ErrorCode::FileTooLarge);
    assert!(
        msg.contains("все файлы в нём вместе распаковываются больше чем в 4 МиБ"),
        "{msg}"
    );
}

#[test]
fn one_file_over_the_file_size_is_refused() {
    let big: Vec<u8> = (0..(2u32 << 20))
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let (code, msg) = refused(zip(&[good(), file("big.pdf", big)]), Some(1 << 20));
    assert_eq!(code, ErrorCode::FileTooLarge);
    assert!(
        msg.contains("«big.pdf» в нём распаковывается в 2 МиБ"),
        "{msg}"
    );
}

#[test]
fn an_archive_with_too_many_entries_is_refused() {
    let mut entries = vec![good()];
    for i in 0..2_000 {
        entries.push(Entry {
            name: format!("n{i}.xml").into_bytes(),
            data: b"<a/>".to_vec(),
            deflate: false,
        });
    }
    let (code, msg) = refused(zip(&entries), None);
    assert_eq!(code, ErrorCode::FileTooLarge);
    assert!(
        msg.contains("в нём 2001 файлов и папок, допустимо не больше 2000"),
        "{msg}"
    );
}

#[test]
fn folders_nested_too_deep_are_refused() {
    let deep = format!("{}x.pdf", "d/".repeat(17));
    let (code, msg) = refused(
        zip(&[good(), file(&deep, support::sales_report_pdf("D-1"))]),
        None,
    );
    assert_eq!(code, ErrorCode::UnsupportedFile);
    assert!(msg.contains("вложены глубже 16 уровней"), "{msg}");
}

#[test]
fn names_that_leave_the_archive_are_refused_and_nothing_is_written_outside() {
    for name in [
        "../../x.pdf",
        "docs/../../x.pdf",
        "/tmp/x.pdf",
        "..\\..\\x.pdf",
    ] {
        let (code, msg) = refused(
            zip(&[good(), file(name, support::sales_report_pdf("T-1"))]),
            None,
        );
        assert_eq!(code, ErrorCode::UnsupportedFile, "{name}");
        assert!(msg.contains("ведёт за пределы архива"), "{name}: {msg}");
    }
}

#[test]
fn a_damaged_archive_and_a_nested_archive_say_what_they_are() {
    let (code, msg) = refused(b"PK\x03\x04 not really a zip".to_vec(), None);
    assert_eq!(code, ErrorCode::UnsupportedFile);
    assert!(msg.contains("это не ZIP или он повреждён"), "{msg}");
    // An archive inside the archive is not opened; the document beside it is imported.
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(&dir.path().join("data"));
    let inner = zip(&[good()]);
    let path = write(
        dir.path(),
        "outer.zip",
        zip(&[good(), file("inner.zip", inner)]),
    );
    let out = import_paths(&mut store, &[path]).unwrap();
    assert_eq!(out.len(), 2, "{out:?}");
    let nested = out.iter().find(|o| o.path.ends_with("inner.zip")).unwrap();
    assert!(nested
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("Архив внутри архива"));
    assert_eq!(count(&store), 1);
}
