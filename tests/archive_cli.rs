//! Issue #19 from the command line, on the real binary: a ZIP as downloaded is imported (and a
//! zip bomb refused with nothing stored), the accountant's register is exported as CSV and XLSX,
//! and a document's card is written as a PDF that pdftotext reads back.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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

/// A ZIP of stored entries; `declared` overrides an entry's uncompressed size in its headers
/// (a bomb's claim), otherwise the real size.
fn zip(entries: &[(&str, &[u8], Option<u32>)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data, declared) in entries {
        let offset = out.len() as u32;
        let head = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes());
            v.extend(0x0800u16.to_le_bytes()); // UTF-8 names
            v.extend(0u16.to_le_bytes()); // stored
            v.extend(0u32.to_le_bytes()); // time, date
            v.extend(crc32(data).to_le_bytes());
            v.extend((data.len() as u32).to_le_bytes());
            v.extend(declared.unwrap_or(data.len() as u32).to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        head(&mut out);
        out.extend(name.as_bytes());
        out.extend(*data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        head(&mut central);
        central.extend([0u8; 6]); // comment, disk, internal attributes
        central.extend(0u32.to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const ACT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<act><title>Акт сверки взаиморасчётов за период</title><number>AS-2026-10</number><date>2026-10-31</date>
<sender>ТОО «Маркетплейс» БИН 201040012345</sender><body>Сальдо на 31.10.2026: 0,00 тенге</body></act>"#;

#[test]
fn a_downloaded_zip_is_imported_then_exported_in_the_register_and_printed_as_a_card() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let archive = tmp.path().join("download.zip");
    let sig: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x00];
    std::fs::write(
        &archive,
        zip(&[
            ("Документы/акт.xml", ACT_XML.as_bytes(), None),
            ("Документы/акт.xml.p7s", sig, None),
        ]),
    )
    .unwrap();
    let o = qoltanba(&data, &["import", archive.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("Документы/акт.xml: добавлен документ №1"),
        "{}",
        stdout(&o)
    );
    let o = qoltanba(&data, &["reject", "1", "--reason", "Сальдо; не то"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let csv = tmp.path().join("реестр.csv");
    let o = qoltanba(
        &data,
        &[
            "export-list",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("строк: 1"), "{}", stdout(&o));
    let text = std::fs::read(&csv).unwrap();
    assert_eq!(&text[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(text[3..].to_vec()).unwrap();
    assert!(text.starts_with("Номер;Дата;"), "{text}");
    assert!(text.contains("AS-2026-10;2026-10-31;Акт сверки"), "{text}");
    assert!(text.contains(";Отклонён;\"Сальдо; не то\";"), "{text}");
    // Outside the period: a header and no rows.
    let o = qoltanba(
        &data,
        &[
            "--lang",
            "en",
            "export-list",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "csv",
            "--comma",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}Number,Date,Kind,"), "{text}");
    assert_eq!(text.lines().count(), 1);

    let xlsx = tmp.path().join("r.xlsx");
    let o = qoltanba(
        &data,
        &[
            "export-list",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));
    let o = qoltanba(
        &data,
        &[
            "export-list",
            "--format",
            "ods",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Неизвестный формат «ods»: xlsx или csv"),
        "{}",
        stderr(&o)
    );
    let o = qoltanba(
        &data,
        &[
            "acts",
            "export-list",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .contains("Сумма с НДС"));

    let pdf = tmp.path().join("card.pdf");
    let o = qoltanba(
        &data,
        &["--lang", "kk", "card", "1", "--out", pdf.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut text = String::new();
    let mut child = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils)");
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    child.wait().unwrap();
    assert!(text.contains("Электрондық құжат карточкасы"), "{text}");
    assert!(
        text.contains("AS-2026-10") && text.contains("Сальдо; не то"),
        "{text}"
    );
    let o = qoltanba(&data, &["card", "--out", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Укажите номер документа или период"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_zip_bomb_is_refused_from_the_command_line_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let archive = tmp.path().join("bomb.zip");
    // A stored entry that claims 4 GiB: refused from its header, before a byte is read.
    std::fs::write(
        &archive,
        zip(&[
            ("акт.xml", ACT_XML.as_bytes(), None),
            ("big.pdf", b"%PDF-", Some(u32::MAX)),
        ]),
    )
    .unwrap();
    let o = qoltanba(&data, &["import", archive.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Архив не импортирован, из него ничего не сохранено: «big.pdf» в нём распаковывается в 4095 МиБ"),
        "{}",
        stdout(&o)
    );
    let o = qoltanba(&data, &["--json", "list"]);
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(page["documents"].as_array().unwrap().is_empty());
}
