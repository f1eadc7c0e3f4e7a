//! Offline import: what a user drops in becomes a received document, once; bad files are refused
//! with a clear message and change nothing.

mod support;

use qoltanba_core::import::{import_bytes, import_paths};
use qoltanba_core::model::{DocumentKind, Status};
use qoltanba_core::signature::{Indication, SubIndication};
use qoltanba_core::store::search::Query;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::ErrorCode;

fn count(store: &qoltanba_core::Store) -> usize {
    store
        .list(&Query {
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .documents
        .len()
}

#[test]
fn a_pdf_becomes_a_received_document_with_recognised_kind_number_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let pdf = support::sales_report_pdf("OZ-2026-10-0042");
    assert!(qoltanba_core::import::pdf_text(&pdf)
        .unwrap()
        .contains("РЕАЛИЗАЦИИ"));
    let i = import_bytes(&mut store, "report.pdf", pdf.clone(), vec![]).unwrap();
    assert!(i.new);
    assert!(i.kind_recognised);
    let d = store.document(i.id).unwrap();
    assert_eq!(d.fields.kind, DocumentKind::SalesReport);
    assert_eq!(d.fields.number.as_deref(), Some("OZ-2026-10-0042"));
    assert_eq!(d.fields.date.as_deref(), Some("2026-10-31"));
    assert_eq!(d.fields.sender.as_ref().unwrap().bin, "123456789021");
    assert_eq!(d.status, Status::Received);
    assert_eq!(store.blob(&d.content_sha256).unwrap(), pdf);
    assert_eq!(d.main_attachment().unwrap().mime_type, "application/pdf");
}

#[test]
fn importing_the_same_bytes_twice_yields_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let pdf = support::sales_report_pdf("A-1");
    let a = import_bytes(&mut store, "a.pdf", pdf.clone(), vec![]).unwrap();
    let b = import_bytes(&mut store, "copy of a.pdf", pdf, vec![]).unwrap();
    assert_eq!(a.id, b.id);
    assert!(!b.new);
    assert_eq!(count(&store), 1);
    assert_eq!(
        store.history(a.id).unwrap().len(),
        1,
        "no second 'received' entry"
    );
}

#[test]
fn a_folder_with_a_detached_signature_beside_a_file_is_imported_together() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("downloads");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("report.pdf"), support::sales_report_pdf("B-7")).unwrap();
    // A signature as some portals save it: PEM text.
    std::fs::write(
        files.join("report.pdf.p7s"),
        "-----BEGIN CMS-----\nMAMCAQA=\n-----END CMS-----\n",
    )
    .unwrap();
    std::fs::write(
        files.join("act.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-9</number><date>2026-10-30</date></act>",
    )
    .unwrap();
    let mut store = support::open(&dir.path().join("data"));
    let out = import_paths(&mut store, &[files]).unwrap();
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out.iter().all(|o| o.error.is_none()), "{out:?}");
    let pdf = out.iter().find(|o| o.path.ends_with("report.pdf")).unwrap();
    let pdf_id = pdf.imported.as_ref().unwrap().id;
    assert_eq!(pdf.imported.as_ref().unwrap().signatures, 1);
    let sigs = store.signatures(pdf_id).unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0].party, "sender");
    assert_eq!(
        sigs[0].cms,
        vec![0x30, 0x03, 0x02, 0x01, 0x00],
        "PEM normalised to DER"
    );
    // Not a real CMS: kept with a verdict that says it failed, not silently dropped or passed.
    let verdict = sigs[0].verdict.as_ref().expect("checked on arrival");
    assert_eq!(verdict.indication, Indication::TotalFailed);
    assert_eq!(verdict.sub_indication, Some(SubIndication::FormatFailure));
    let xml = out.iter().find(|o| o.path.ends_with("act.xml")).unwrap();
    let x = store.document(xml.imported.as_ref().unwrap().id).unwrap();
    assert_eq!(x.fields.kind, DocumentKind::OtherServicesAct);
    assert_eq!(x.fields.number.as_deref(), Some("PR-9"));
    assert_eq!(x.fields.date.as_deref(), Some("2026-10-30"));
}

#[test]
fn an_unrecognised_file_can_be_corrected_by_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let i = import_bytes(&mut store, "scan.pdf", support::pdf(&["Some text"]), vec![]).unwrap();
    assert!(!i.kind_recognised);
    assert_eq!(i.kind, DocumentKind::Other);
    let d = store
        .edit(
            i.id,
            qoltanba_core::store::DocumentEdit {
                kind: Some(DocumentKind::PointsBonusAct),
                number: Some("PB-3".into()),
                date: Some("2026-10-31".into()),
                title: None,
            },
        )
        .unwrap();
    assert_eq!(d.fields.kind, DocumentKind::PointsBonusAct);
    assert_eq!(d.fields.number.as_deref(), Some("PB-3"));
    let h = store.history(i.id).unwrap();
    assert_eq!(h.last().unwrap().action, "edited");
    let bad = store.edit(
        i.id,
        qoltanba_core::store::DocumentEdit {
            date: Some("2026-02-30".into()),
            ..Default::default()
        },
    );
    assert_eq!(bad.unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn bad_files_are_refused_with_a_clear_message_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let full = support::sales_report_pdf("T-1");
    let cases: Vec<(&str, Vec<u8>, ErrorCode, &str)> = vec![
        ("empty.pdf", vec![], ErrorCode::InvalidInput, "пуст"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n....".to_vec(), ErrorCode::UnsupportedFile, "не PDF и не XML"),
        ("cut.pdf", full[..full.len() / 2].to_vec(), ErrorCode::UnsupportedFile, "не полностью"),
        (
            "xxe.xml",
            b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>".to_vec(),
            ErrorCode::UnsafeXml,
            "DOCTYPE",
        ),
        (
            "laughs.xml",
            b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"ha\"><!ENTITY l1 \"&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;\">]><l>&l1;</l>".to_vec(),
            ErrorCode::UnsafeXml,
            "DOCTYPE",
        ),
        ("undeclared.xml", b"<a>&boom;</a>".to_vec(), ErrorCode::UnsafeXml, "сущность"),
        ("broken.xml", b"<a><b></a>".to_vec(), ErrorCode::UnsupportedFile, "XML"),
        ("../evil.pdf", full.clone(), ErrorCode::InvalidInput, "путь"),
        ("nul\0.pdf", full.clone(), ErrorCode::InvalidInput, "управляющие"),
        ("bell\u{7}.pdf", full.clone(), ErrorCode::InvalidInput, "управляющие"),
    ];
    for (name, bytes, code, words) in cases {
        let e = import_bytes(&mut store, name, bytes, vec![]).unwrap_err();
        assert_eq!(e.code, code, "{name}: {}", e.message);
        assert!(e.message.contains(words), "{name}: {}", e.message);
    }
    assert_eq!(count(&store), 0);
    assert_eq!(store.verify_history().unwrap().entries, 0);
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    // A sparse 10 GiB file (no disk used). Reading stops after the limit + 1 byte, so a refusal
    // made after reading could only name that much; naming the real 10 GiB shows the size came
    // from the file system before any byte was read.
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(&dir.path().join("data"));
    store
        .set_setting(SettingKey::MaxFileSize, "1048576")
        .unwrap();
    let path = dir.path().join("big.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(10 << 30)
        .unwrap();
    let out = import_paths(&mut store, &[path]).unwrap();
    let e = out[0].error.as_ref().unwrap();
    assert_eq!(e.code, ErrorCode::FileTooLarge);
    assert!(
        e.message
            .contains("Файл слишком большой: 10240 МиБ, допустимо не больше 1 МиБ"),
        "{}",
        e.message
    );
    assert_eq!(count(&store), 0);
}

/// A named pipe among the chosen files has no size to check and no end until a writer closes it:
/// the import must refuse it, not wait on it.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.pdf");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let data = dir.path().join("data");
    let path = fifo.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut store = support::open(&data);
        let out = import_paths(&mut store, &[path]).unwrap();
        let _ = tx.send((out[0].error.clone(), count(&store)));
    });
    let outcome = rx.recv_timeout(std::time::Duration::from_secs(10));
    if outcome.is_err() {
        // Let the blocked reader go before failing: open the pipe for writing and close it.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }
    let (error, stored) = outcome.expect("the import waited on the pipe");
    let e = error.expect("the pipe is refused");
    assert_eq!(e.code, ErrorCode::UnsupportedFile, "{}", e.message);
    assert!(e.message.contains("не обычный файл"), "{}", e.message);
    assert_eq!(stored, 0);
}

#[test]
fn a_signature_without_its_document_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(&dir.path().join("data"));
    let p = dir.path().join("lonely.p7s");
    std::fs::write(&p, [0x30, 0x00]).unwrap();
    let out = import_paths(&mut store, &[p]).unwrap();
    assert!(out[0]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("нет документа"));
}

#[test]
fn a_folder_import_stores_the_good_files_and_reports_each_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    let pdf = support::sales_report_pdf("F-1");
    std::fs::write(files.join("a.pdf"), &pdf).unwrap();
    std::fs::write(files.join("b-copy-of-a.pdf"), &pdf).unwrap();
    std::fs::write(files.join("c-empty.pdf"), b"").unwrap();
    std::fs::write(files.join("d.pdf"), support::sales_report_pdf("F-2")).unwrap();
    let mut store = support::open(&dir.path().join("data"));
    let out = import_paths(&mut store, &[files]).unwrap();
    assert_eq!(out.len(), 4);
    let new: Vec<bool> = out
        .iter()
        .filter_map(|o| o.imported.as_ref().map(|i| i.new))
        .collect();
    assert_eq!(
        new,
        vec![true, false, true],
        "the copy is the same document"
    );
    assert_eq!(
        out[1].imported.as_ref().unwrap().id,
        out[0].imported.as_ref().unwrap().id
    );
    assert!(out[2].error.as_ref().unwrap().message.contains("пуст"));
    assert_eq!(count(&store), 2);
    assert!(store.verify_history().unwrap().intact);
}

/// Runs `f` on a thread with a 2 MiB stack, the size of a tokio worker's and of a test thread's
/// by default, so the checks below do not depend on RUST_MIN_STACK.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the import thread panicked")
}

/// A one-page PDF with a text content stream, an extra object 5 and room in the page's
/// dictionary and content for hostile parts.
fn pdf_with(page_extra: &[u8], content_extra: &[u8], object5: &[u8]) -> Vec<u8> {
    let content = [
        b"BT /F1 12 Tf 50 780 Td (Nested) Tj ET\n".as_slice(),
        content_extra,
    ]
    .concat();
    let page = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R ".as_slice(),
        page_extra,
        b" >>",
    ]
    .concat();
    support::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(),
            content,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        object5.to_vec(),
        page,
    ])
}

#[test]
fn a_pdf_nested_a_hundred_thousand_levels_deep_is_handled_without_a_stack_overflow() {
    // RUSTSEC-2026-0187: lopdf before 0.42 recursed once per `[` or `<<` and overflowed the
    // stack, which no catch_unwind stops: one hostile file took the whole program down. lopdf
    // now refuses objects nested deeper than 100 levels, and so do we, with what that leaves.
    const DEPTH: usize = 100_000;
    let arrays = [vec![b'['; DEPTH], vec![b']'; DEPTH]].concat();
    let dictionaries = ["<< /K ".repeat(DEPTH), ">>".repeat(DEPTH)]
        .concat()
        .into_bytes();
    // An object nobody needs is dropped and the page still reads.
    let object_arrays = pdf_with(b"", b"", &arrays);
    let object_dictionaries = pdf_with(b"", b"", &dictionaries);
    // A page that cannot be read leaves a PDF without pages.
    let page_arrays = pdf_with(&[b"/Hostile ".as_slice(), &arrays].concat(), b"", b"null");
    // A content stream that cannot be read leaves a document without text.
    let content_arrays = pdf_with(b"", &[arrays.as_slice(), b" Tj"].concat(), b"null");
    let (texts, outcomes, stored, intact) = on_small_stack(move || {
        let texts: Vec<String> = [&object_arrays, &object_dictionaries]
            .iter()
            .map(|pdf| qoltanba_core::import::pdf_text(pdf).unwrap())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut store = support::open(dir.path());
        let mut outcomes = vec![];
        for (name, bytes) in [
            ("object-arrays.pdf", object_arrays),
            ("object-dictionaries.pdf", object_dictionaries),
            ("page-arrays.pdf", page_arrays),
            ("content-arrays.pdf", content_arrays),
        ] {
            outcomes.push((
                name,
                import_bytes(&mut store, name, bytes, vec![]).map(|i| i.new),
            ));
        }
        let intact = store.verify_history().unwrap().intact;
        (texts, outcomes, count(&store), intact)
    });
    for t in &texts {
        assert!(t.contains("Nested"), "{t:?}");
    }
    for (name, outcome) in &outcomes {
        match *name {
            "page-arrays.pdf" => {
                let e = outcome.as_ref().unwrap_err();
                assert_eq!(e.code, ErrorCode::UnsupportedFile, "{name}: {}", e.message);
                assert!(
                    e.message.contains("нет ни одной страницы"),
                    "{name}: {}",
                    e.message
                );
            }
            _ => assert!(matches!(outcome, Ok(true)), "{name}: {outcome:?}"),
        }
    }
    assert_eq!(stored, 3, "the refused file stored nothing");
    assert!(intact);
}

#[test]
fn an_xml_start_tag_with_many_thousands_of_attributes_is_handled_in_bounded_time() {
    // RUSTSEC-2026-0194 (quadratic duplicate-attribute check) and RUSTSEC-2026-0195 (unbounded
    // namespace declarations in NsReader) in quick-xml before 0.41. Import reads element names
    // and text only, never attributes, so such a start tag is a normal document here; it must
    // stay quick. (The signature check, which reads attributes, is tested in verify_nca.rs.)
    // The bound is on growth, not seconds: 16× the attributes may cost about 16× the time
    // (quadratic work would take 256×; the bound is half way, for a busy machine).
    const N: usize = 200_000;
    let attributes = |n: usize| -> String { (0..n).map(|i| format!(" a{i}=\"v\"")).collect() };
    let namespaces = |n: usize| -> String {
        (0..n)
            .map(|i| format!(" xmlns:p{i}=\"urn:p:{i}\""))
            .collect()
    };
    let duplicates = |n: usize| " a=\"1\"".repeat(n);
    let attributes_xml =
        |n: usize, no: &str| format!("<act{}><number>{no}</number></act>", attributes(n));
    let namespaces_xml = |n: usize, no: &str| {
        format!(
            "<p1:act{}><p1:number>{no}</p1:number></p1:act>",
            namespaces(n)
        )
    };
    let duplicates_xml =
        |n: usize, no: &str| format!("<act{}><number>{no}</number></act>", duplicates(n));
    type Xml<'a> = &'a dyn Fn(usize, &str) -> String;
    let cases: [(&str, Xml); 3] = [
        ("attributes.xml", &attributes_xml),
        ("namespaces.xml", &namespaces_xml),
        ("duplicates.xml", &duplicates_xml),
    ];
    let dir = tempfile::tempdir().unwrap();
    let store = std::cell::RefCell::new(support::open(dir.path()));
    let runs = std::cell::Cell::new(0);
    for (name, xml) in cases {
        // Each run imports a new document (its own number), so no run is a quick duplicate.
        let ratio = support::growth(N / 16, |k| {
            runs.set(runs.get() + 1);
            let xml = xml(k, &format!("RUN-{}", runs.get()));
            let i = import_bytes(&mut store.borrow_mut(), name, xml.into_bytes(), vec![]);
            let i = i.unwrap_or_else(|e| panic!("{name}: {}", e.message));
            assert!(i.new, "{name}");
        });
        assert!(
            ratio < 128.0,
            "{name}: 16x the input took {ratio:.0}x the time"
        );
    }
    assert_eq!(count(&store.borrow()), 3 * 6);
}
