//! Rejections version 2 over a real socket: the server takes a rejection only with a refusal
//! notice that names the document it serves, the hash of the main file it served and the reason
//! of the request, and verifies the CMS over the notice's bytes.

mod common;

use common::{b64, key, Server};
use qoltanba_core::refusal::RefusalNotice;
use qoltanba_core::store::sha256_hex;
use reqwest::Method;
use serde_json::{json, Value};

const DOC: &str = "doc_2610_goods_comp";
const OTHER: &str = "doc_2610_goods_decomp";
const REASON: &str = "Сумма НДС в строке 2 не соответствует ЭСФ <итог> & \"прочее\"";

/// The notice the client would build for `id` as the server shows it.
async fn notice_for(server: &Server, id: &str, reason: &str) -> RefusalNotice {
    let doc = server.get_json(&format!("/documents/{id}")).await;
    let main = doc["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "main")
        .unwrap();
    let bytes = server.attachment(id, main["id"].as_str().unwrap()).await;
    RefusalNotice {
        document_id: id.into(),
        number: doc["number"].as_str().unwrap().into(),
        date: doc["date"].as_str().unwrap().into(),
        content_sha256: sha256_hex(&bytes),
        sender: doc["sender"]["bin"].as_str().unwrap().into(),
        recipient: doc["recipient"]["bin"].as_str().unwrap().into(),
        reason: reason.into(),
        created_at: "2026-11-05T10:00:00Z".into(),
    }
}

async fn reject(server: &Server, id: &str, body: &Value) -> reqwest::Response {
    server
        .write(
            Method::POST,
            &format!("/documents/{id}/rejections"),
            &key(),
            body,
        )
        .await
}

/// A correctly signed rejection of `id` carrying `notice`; returns the status and problem code.
async fn send(server: &Server, id: &str, reason: &str, notice: &RefusalNotice) -> (u16, Value) {
    let bytes = notice.to_bytes();
    let cms = server.sign("employee_sign_ec", &bytes);
    let r = reject(
        server,
        id,
        &json!({"reason": reason, "notice": b64(&bytes), "cms": b64(&cms)}),
    )
    .await;
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn status(server: &Server, id: &str) -> Value {
    server.get_json(&format!("/documents/{id}")).await["status"].clone()
}

#[tokio::test]
async fn a_notice_naming_this_document_its_file_and_reason_is_verified_and_rejects_it() {
    let server = Server::demo().await;
    let notice = notice_for(&server, DOC, REASON).await;
    let (code, accepted) = send(&server, DOC, REASON, &notice).await;
    assert_eq!(code, 202, "{accepted}");
    let settled = server
        .settled_receipt(accepted["receiptId"].as_str().unwrap())
        .await;
    assert_eq!(settled["status"], "verified", "{settled}");
    assert_eq!(status(&server, DOC).await, "rejected");

    // A revoked document takes no decision, whatever it carries.
    let revoked = notice_for(&server, "doc_2610_other_revoked", REASON).await;
    let (code, _) = send(&server, "doc_2610_other_revoked", REASON, &revoked).await;
    assert_eq!(code, 409);
}

#[tokio::test]
async fn a_notice_for_another_document_hash_or_reason_is_refused_and_changes_nothing() {
    let server = Server::demo().await;
    let right = notice_for(&server, DOC, REASON).await;
    let other_doc = notice_for(&server, OTHER, REASON).await;
    let cases = [
        ("the notice of another document", other_doc.clone()),
        (
            "another document's id with this document's hash",
            RefusalNotice {
                document_id: OTHER.into(),
                ..right.clone()
            },
        ),
        (
            "another version of the main file",
            RefusalNotice {
                content_sha256: sha256_hex(b"another version of the report"),
                ..right.clone()
            },
        ),
        (
            "another reason than the request's",
            RefusalNotice {
                reason: "Другая причина".into(),
                ..right.clone()
            },
        ),
        (
            "another recipient",
            RefusalNotice {
                recipient: "999999999999".into(),
                ..right.clone()
            },
        ),
    ];
    for (what, notice) in cases {
        let (code, problem) = send(&server, DOC, REASON, &notice).await;
        assert_eq!(code, 422, "{what}: {problem}");
        assert_eq!(problem["code"], "validation_failed", "{what}");
    }
    assert_eq!(status(&server, DOC).await, "awaiting_signature");

    // A notice of another shape: extra element, a DOCTYPE, not XML at all.
    let good = String::from_utf8(right.to_bytes()).unwrap();
    for bad in [
        good.replace("</Reason>", "</Reason>\n  <Extra/>"),
        good.replace(
            "<RefusalNotice",
            "<!DOCTYPE x [<!ENTITY e \"e\">]>\n<RefusalNotice",
        ),
        "not xml".to_string(),
    ] {
        let cms = server.sign("employee_sign_ec", bad.as_bytes());
        let r = reject(
            &server,
            DOC,
            &json!({"reason": REASON, "notice": b64(bad.as_bytes()), "cms": b64(&cms)}),
        )
        .await;
        assert_eq!(r.status(), 422, "{bad}");
    }
    assert_eq!(status(&server, DOC).await, "awaiting_signature");
}

#[tokio::test]
async fn version_1_a_cms_over_the_bare_reason_is_refused() {
    let server = Server::demo().await;
    let cms = server.sign("employee_sign_ec", REASON.as_bytes());
    let r = reject(&server, DOC, &json!({"reason": REASON, "cms": b64(&cms)})).await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "validation_failed");
    assert!(
        problem["detail"].as_str().unwrap().contains("version 1"),
        "{problem}"
    );
    assert_eq!(status(&server, DOC).await, "awaiting_signature");
}

#[tokio::test]
async fn a_cms_over_other_bytes_than_the_notice_fails_verification() {
    let server = Server::demo().await;
    let notice = notice_for(&server, DOC, REASON).await.to_bytes();
    // Signed over the reason alone (the old form), sent with the right notice.
    let cms = server.sign("employee_sign_ec", REASON.as_bytes());
    let r = reject(
        &server,
        DOC,
        &json!({"reason": REASON, "notice": b64(&notice), "cms": b64(&cms)}),
    )
    .await;
    assert_eq!(r.status(), 202);
    let accepted: Value = r.json().await.unwrap();
    let settled = server
        .settled_receipt(accepted["receiptId"].as_str().unwrap())
        .await;
    assert_eq!(settled["problem"]["code"], "signature_invalid", "{settled}");
    assert_eq!(status(&server, DOC).await, "awaiting_signature");

    // An empty reason is refused before anything else.
    let r = reject(
        &server,
        DOC,
        &json!({"reason": "", "notice": b64(&notice), "cms": b64(&cms)}),
    )
    .await;
    assert_eq!(r.status(), 422);
}
