//! What the demo month holds, as a client (and a person with a PDF viewer) sees it.

mod common;

use std::collections::HashMap;
use std::process::Command;

use base64::Engine;
use common::Server;
use qoltanba_operator::verification::{verify, Verdict};
use qoltanba_operator::KINDS;
use serde_json::Value;

async fn all_documents(server: &Server) -> Vec<Value> {
    server.get_json("/inbox/documents?limit=500").await["documents"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn every_kind_is_present_and_corrections_point_at_their_originals() {
    let server = Server::demo().await;
    let docs = all_documents(&server).await;
    let by_id: HashMap<&str, &Value> = docs
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    for kind in KINDS {
        assert!(docs.iter().any(|d| d["kind"] == kind), "no {kind}");
    }
    for d in &docs {
        assert_eq!(d["sender"]["bin"], "201040012345");
        assert_eq!(d["sender"]["name"], "ТОО «Маркетплейс»");
        assert_eq!(d["recipient"]["bin"], "123456789021");
        assert_eq!(d["currency"], "KZT");
        let kind = d["kind"].as_str().unwrap();
        if let Some(original) = kind.strip_suffix("_correction") {
            let target = by_id[d["correctionOf"]
                .as_str()
                .expect("a correction names its original")];
            assert_eq!(target["kind"], original);
        } else {
            assert!(d["correctionOf"].is_null());
        }
        // VAT is 12% included, in tiyn-exact decimal strings.
        let amount: f64 = d["amount"].as_str().unwrap().parse().unwrap();
        let vat: f64 = d["vatAmount"].as_str().unwrap().parse().unwrap();
        assert!(
            (vat - amount * 12.0 / 112.0).abs() < 0.01,
            "{}: {amount} {vat}",
            d["id"]
        );
        assert!(
            d["amount"]
                .as_str()
                .unwrap()
                .split('.')
                .nth(1)
                .unwrap()
                .len()
                == 2
        );
    }
    assert!(docs.iter().any(|d| d["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["role"] == "esf" && a["mimeType"] == "application/xml")));
    assert!(docs.iter().any(|d| d["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["role"] == "appendix")));
    assert!(
        docs.iter()
            .any(|d| d["attachments"][0]["mimeType"] == "application/xml"),
        "some documents are XML"
    );
}

#[tokio::test]
async fn a_revoked_document_has_its_revoked_event() {
    let server = Server::demo().await;
    let docs = all_documents(&server).await;
    let revoked: Vec<&Value> = docs.iter().filter(|d| d["status"] == "revoked").collect();
    assert_eq!(revoked.len(), 1);
    let id = revoked[0]["id"].clone();
    let events = server.get_json("/inbox/events?limit=500").await;
    let types: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["documentId"] == id)
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["created", "revoked"]);
}

#[tokio::test]
async fn printed_forms_are_pdfs_whose_cyrillic_text_pdftotext_extracts() {
    let server = Server::demo().await;
    let docs = all_documents(&server).await;
    let mut checked = 0;
    for d in docs
        .iter()
        .filter(|d| d["attachments"][0]["mimeType"] == "application/pdf")
    {
        let id = d["id"].as_str().unwrap();
        let bytes = server
            .attachment(id, d["attachments"][0]["id"].as_str().unwrap())
            .await;
        assert!(bytes.starts_with(b"%PDF-"));
        let file = server.dir.path().join(format!("{id}.pdf"));
        std::fs::write(&file, &bytes).unwrap();
        let out = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        assert!(out.status.success());
        // Long titles wrap over lines: compare word by word.
        let text = String::from_utf8(out.stdout).unwrap();
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = d["title"].as_str().unwrap();
        assert!(words.contains(title), "{id}: title missing in {text}");
        assert!(text.contains("БИН 123456789021"), "{id}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} PDFs");
}

#[tokio::test]
async fn sender_signatures_verify_over_the_served_main_attachment() {
    let server = Server::demo().await;
    for d in all_documents(&server).await {
        let id = d["id"].as_str().unwrap();
        let signature = &d["senderSignatures"][0];
        let attachment = signature["attachmentId"].as_str().unwrap();
        assert_eq!(
            d["attachments"][0]["id"], attachment,
            "{id}: the main attachment is signed"
        );
        let bytes = server.attachment(id, attachment).await;
        let cms = base64::engine::general_purpose::STANDARD
            .decode(signature["cms"].as_str().unwrap())
            .unwrap();
        let now = time::OffsetDateTime::now_utc();
        assert_eq!(
            verify(&cms, &bytes, "201040012345", now),
            Verdict::Valid,
            "{id}"
        );
        // The same signature is not the seller's.
        assert!(matches!(
            verify(&cms, &bytes, "123456789021", now),
            Verdict::SignerNotAllowed(_)
        ));
    }
}
