//! Test data made at test time: small PDFs with Cyrillic text, XML documents, a store in a
//! temporary folder with a fixed clock.

#![allow(dead_code)]

pub mod varied_pdf;

use qoltanba_core::clock::FixedClock;
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::{OpenOptions, Store};
use std::path::Path;
use std::sync::Arc;

pub fn fixed_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(
        qoltanba_core::model::Timestamp::parse("2026-11-01T09:00:00Z").unwrap(),
    ))
}

pub fn options(clock: Arc<FixedClock>) -> OpenOptions {
    OpenOptions {
        clock,
        keychain: keychain_mode(),
        actor: "user:test".into(),
    }
}

/// The OS keychain where the test runs with one (CI runs under gnome-keyring), else the file.
pub fn keychain_mode() -> KeychainMode {
    KeychainMode::from_env()
}

pub fn open(dir: &Path) -> Store {
    Store::open(dir, options(fixed_clock())).expect("store opens")
}

/// The Cyrillic letters a test PDF can carry: one byte each (0x80 + index), mapped back to
/// Unicode by the font's ToUnicode CMap, as real PDF producers do for simple fonts.
const CYR: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№«»";

fn encode(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match CYR.chars().position(|x| x == c) {
            Some(i) => 0x80 + i as u8,
            None if c.is_ascii() => c as u8,
            None => b'?',
        })
        .collect()
}

fn to_unicode_cmap() -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /QoltanbaTest def\n1 begincodespacerange <00> <FF> endcodespacerange\n",
    );
    let cyr: Vec<char> = CYR.chars().collect();
    s += &format!("{} beginbfchar\n", cyr.len() + 95);
    for b in 0x20u8..0x7f {
        s += &format!("<{b:02X}> <{:04X}>\n", b as u32);
    }
    for (i, c) in cyr.iter().enumerate() {
        s += &format!("<{:02X}> <{:04X}>\n", 0x80 + i, *c as u32);
    }
    s += "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n";
    s
}

fn escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

/// A one-page PDF whose text (Cyrillic allowed) pdf text extraction gives back.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 50 780 Td 14 TL\n".to_vec();
    for l in lines {
        content.push(b'(');
        content.extend(escape(&encode(l)));
        content.extend_from_slice(b") Tj T*\n");
    }
    content.extend_from_slice(b"ET");
    let cmap = to_unicode_cmap();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(), content, b"\nendstream".to_vec()].concat(),
        [format!("<< /Length {} >>\nstream\n", cmap.len()).into_bytes(), cmap.into_bytes(), b"\nendstream".to_vec()].concat(),
    ];
    pdf_from_objects(&objects)
}

/// A PDF with these objects (numbered from 1, the first is the catalog), a cross-reference
/// table and a trailer.
pub fn pdf_from_objects(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

/// A sales report PDF with a number and date that recognition finds.
pub fn sales_report_pdf(number: &str) -> Vec<u8> {
    pdf(&[
        "ОТЧЁТ О РЕАЛИЗАЦИИ ТОВАРА",
        &format!("№ {number} от 31.10.2026"),
        "Комитент: ТОО «Продавец» БИН 123456789021",
        "Комиссионер: ТОО «Маркетплейс» БИН 201040012345",
        "Итого: 125000.00 KZT",
    ])
}

/// How a run's time grows when its input grows 16×: about 16 for linear work, 256 for
/// quadratic. A ratio, so a debug build's slowness cancels out; the best of three runs of each
/// size, and a wide step, so a busy machine's pauses count less than a fixed bound in seconds
/// would let them.
pub fn growth(n: usize, run: impl Fn(usize)) -> f64 {
    let best = |size: usize| {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                run(size);
                started.elapsed()
            })
            .min()
            .expect("three runs")
    };
    let small = best(n).as_secs_f64().max(1e-6);
    let large = best(16 * n).as_secs_f64();
    eprintln!("growth: {n} in {small:.4} s, {} in {large:.4} s", 16 * n);
    large / small
}
