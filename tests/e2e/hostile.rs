//! A document whose XML and PDF text carry script: the window shows it as text and runs nothing
//! (the XML is drawn as text nodes, pdf.js runs no document JavaScript, the CSP forbids inline
//! script).

use crate::window::{Driver, Window};
use crate::{xvfb, ONE_WINDOW};
use lopdf::{dictionary, Document, Object, Stream};
use std::path::Path;
use std::process::Command;

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<act><title>Акт выполненных работ</title><number>XSS-1</number><date>2026-10-31</date>
<sender>ТОО «Маркетплейс» БИН 201040012345</sender>
<note><![CDATA[<img src=x onerror="window.__pwned='xml-img'">]]></note>
<script>window.__pwned='xml-script'</script>
<body>Итого: 100.00 KZT</body></act>
"#;

/// A one-page PDF whose text is a script tag and whose open action is document JavaScript.
fn hostile_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content =
        b"BT /F1 12 Tf 50 780 Td (Act XSS-2 <script>window.__pwned='pdf-text'</script>) Tj ET"
            .to_vec();
    let contents = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => contents,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let js = doc.add_object(dictionary! {
        "S" => "JavaScript",
        "JS" => Object::string_literal("window.__pwned='pdf-openaction'; app.alert(1);"),
    });
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages_id, "OpenAction" => js,
    });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn cli(data: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

async fn nothing_ran(win: &Window) {
    let pwned = win
        .client
        .execute(
            "return typeof window.__pwned === 'undefined' ? null : String(window.__pwned)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(pwned, serde_json::Value::Null, "a document's script ran");
}

#[tokio::test(flavor = "multi_thread")]
async fn script_in_a_documents_xml_or_pdf_is_shown_as_text_and_never_runs() {
    let _one = ONE_WINDOW.lock().await;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::write(tmp.path().join("hostile.xml"), XML).unwrap();
    std::fs::write(tmp.path().join("hostile.pdf"), hostile_pdf()).unwrap();
    let xml = tmp.path().join("hostile.xml");
    let pdf = tmp.path().join("hostile.pdf");
    cli(
        &data,
        &["import", xml.to_str().unwrap(), pdf.to_str().unwrap()],
    );
    let listed: serde_json::Value =
        serde_json::from_str(&cli(&data, &["--json", "list", "--limit", "10"])).unwrap();
    let pdf_id = listed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] != "XSS-1")
        .map(|d| d["id"].to_string())
        .expect("the PDF was imported");
    cli(&data, &["edit", &pdf_id, "--number", "XSS-2"]);

    let display = xvfb::Display::start();
    let driver = Driver::start(&display);
    let args = vec![
        "--data-dir".to_string(),
        data.to_string_lossy().into_owned(),
    ];
    let win = Window::open(&driver, &args).await;

    win.open_row("XSS-1").await;
    // The markup is there, as text.
    win.containing("onerror=").await;
    win.containing("window.__pwned='xml-script'").await;
    nothing_ran(&win).await;
    win.screenshot("hostile-xml").await;

    win.open_row("XSS-2").await;
    win.find("//canvas[@data-testid='pdf-page'][@data-painted='1']")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    nothing_ran(&win).await;
    win.close().await;
}
