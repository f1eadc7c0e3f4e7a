//! A PDF decompression bomb (a few KB that inflate past 4 GiB: nested FlateDecode, one stream
//! referenced by the page hundreds of times) arrives by import and by sync. It is stored without
//! search text and says so; the program never holds more than a bounded amount of memory, and
//! the documents after it in the same sync arrive as usual.

mod operator_common;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use operator_common::*;
use qoltanba_core::import::{import_paths, pdf_text_within, PdfLimits};
use qoltanba_core::store::sha256_hex;
use std::io::Write;

/// Zeros deflated twice: 16 MiB per reference, a few hundred bytes on disk.
fn double_deflated(inflated: usize) -> Vec<u8> {
    let mut once = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..inflated / chunk.len() {
        once.write_all(&chunk).unwrap();
    }
    let once = once.finish().unwrap();
    let mut twice = ZlibEncoder::new(Vec::new(), Compression::best());
    twice.write_all(&once).unwrap();
    twice.finish().unwrap()
}

/// One page whose /Contents names the same 16 MiB stream `refs` times.
fn bomb(refs: usize) -> Vec<u8> {
    let stream = double_deflated(16 << 20);
    let contents: String = (0..refs).map(|_| "4 0 R ").collect();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |pdf: &mut Vec<u8>, body: &[u8]| {
        offsets.push(pdf.len());
        pdf.extend_from_slice(body);
    };
    object(
        &mut pdf,
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    );
    object(
        &mut pdf,
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
    );
    object(
        &mut pdf,
        format!("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [{contents}] >>\nendobj\n").as_bytes(),
    );
    let mut four = format!(
        "4 0 obj\n<< /Length {} /Filter [/FlateDecode /FlateDecode] >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    four.extend_from_slice(&stream);
    four.extend_from_slice(b"\nendstream\nendobj\n");
    object(&mut pdf, &four);
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// 300 references × 16 MiB = 4.7 GiB inflated.
fn four_gib_bomb() -> Vec<u8> {
    let pdf = bomb(300);
    assert!(pdf.len() < 10 * 1024, "the bomb is {} bytes", pdf.len());
    pdf
}

/// The most memory this test process has held: Linux reports it (VmHWM); elsewhere there is no
/// such figure, and the tests check the rest of what they say.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())?;
    Some(kb / 1024)
}

/// Memory stayed low, where the system says how much was held.
fn assert_memory_stayed_low() {
    if cfg!(target_os = "linux") {
        let peak = peak_mib().expect("Linux reports VmHWM");
        assert!(peak < 300, "peak memory {peak} MiB");
    }
}

#[test]
fn the_extractor_stops_at_its_budget_and_says_why() {
    let t = pdf_text_within(&four_gib_bomb(), &PdfLimits::default()).unwrap();
    assert!(t.text.is_empty());
    let why = t.limited.expect("a limit was reached");
    assert!(why.contains("распаковывается больше чем в 8 МиБ"), "{why}");
    // A smaller per-page budget, the same way out.
    let small = PdfLimits {
        page_bytes: 1 << 20,
        ..PdfLimits::default()
    };
    assert!(pdf_text_within(&bomb(2), &small).unwrap().limited.is_some());
}

#[test]
fn a_bomb_imported_is_kept_without_search_text_and_memory_stays_low() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.pdf");
    std::fs::write(&file, four_gib_bomb()).unwrap();
    let mut c = Client::new();
    let out = import_paths(&mut c.store, &[file]).unwrap();
    let imported = out[0].imported.as_ref().expect("the document is stored");
    assert!(imported.new);
    let note = imported.text_note.as_deref().expect("the outcome says why");
    assert!(note.contains("МиБ"), "{note}");
    // The user is told, beside the document.
    let told = c.store.notifications(false).unwrap();
    assert!(
        told.iter()
            .any(|n| n.document_id == Some(imported.id) && n.message.contains("без полного текста")),
        "{told:?}"
    );
    assert_memory_stayed_low();
}

#[tokio::test]
async fn a_bomb_by_sync_never_blocks_the_documents_after_it() {
    let server = Server::start(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(8));
        s.load_attachment_bytes = 4 * 1024;
    })
    .await;
    // The third document's main file becomes the bomb, listed under its true size and hash.
    let bytes = four_gib_bomb();
    server
        .db()
        .execute(
            "UPDATE attachments SET bytes = ?1, size = ?2, sha256 = ?3 WHERE id = 'att_load_000003'",
            rusqlite::params![bytes, bytes.len() as i64, sha256_hex(&bytes)],
        )
        .unwrap();
    let mut c = Client::new();
    let report = c.sync(&server.client()).await.unwrap();
    assert_eq!(report.added.len(), 8, "{report:?}");
    assert!(report.set_aside.is_empty(), "{:?}", report.set_aside);
    let id = c.id("doc_load_000003");
    assert!(c
        .store
        .notifications(false)
        .unwrap()
        .iter()
        .any(|n| n.document_id == Some(id) && n.message.contains("без полного текста")));
    assert_memory_stayed_low();
}
