//! Signing and rejecting over a real socket: verification against the served bytes and the
//! recipient's BIN, receipts that must be polled, idempotent retries, and stale decisions.

mod common;

use common::{b64, key, Server};
use reqwest::Method;
use serde_json::{json, Value};

const DOC: &str = "doc_2610_points";
const MAIN: &str = "att_2610_points_main";

async fn sign_with(server: &Server, cms: &[u8], idempotency_key: &str) -> reqwest::Response {
    server
        .write(
            Method::POST,
            &format!("/documents/{DOC}/signatures"),
            idempotency_key,
            &json!({"attachmentId": MAIN, "cms": b64(cms)}),
        )
        .await
}

#[tokio::test]
async fn a_valid_signature_is_verified_and_the_document_becomes_signed() {
    let server = Server::demo().await;
    let bytes = server.attachment(DOC, MAIN).await;
    let cms = server.sign("employee_sign_ec", &bytes);

    let response = sign_with(&server, &cms, &key()).await;
    assert_eq!(response.status(), 202);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted_for_verification");
    let receipt = accepted["receiptId"].as_str().unwrap();

    // The client has to poll: at first the receipt is pending and the document unchanged.
    let early = server.get_json(&format!("/receipts/{receipt}")).await;
    assert_eq!(early["status"], "pending");
    assert_eq!(
        server.get_json(&format!("/documents/{DOC}")).await["status"],
        "awaiting_signature"
    );

    let settled = server.settled_receipt(receipt).await;
    assert_eq!(settled["status"], "verified", "{settled}");
    assert!(settled["problem"].is_null());
    assert_eq!(
        server.get_json(&format!("/documents/{DOC}")).await["status"],
        "signed"
    );

    // The change shows in the feed as an `updated` event for the document.
    let events = server.get_json("/inbox/events?limit=500").await;
    assert!(events["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["documentId"] == DOC && e["type"] == "updated"));

    // Now it is no longer awaiting a signature.
    let again = sign_with(&server, &cms, &key()).await;
    assert_eq!(again.status(), 409);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["code"], "invalid_document_state");
}

#[tokio::test]
async fn an_rsa_signature_verifies_too() {
    let server = Server::demo().await;
    let bytes = server.attachment(DOC, MAIN).await;
    let cms = server.sign("employee_sign", &bytes);
    let accepted: Value = sign_with(&server, &cms, &key()).await.json().await.unwrap();
    let settled = server
        .settled_receipt(accepted["receiptId"].as_str().unwrap())
        .await;
    assert_eq!(settled["status"], "verified", "{settled}");
}

async fn failed_problem(server: &Server, cms: &[u8]) -> Value {
    let response = sign_with(server, cms, &key()).await;
    assert_eq!(response.status(), 202);
    let accepted: Value = response.json().await.unwrap();
    let settled = server
        .settled_receipt(accepted["receiptId"].as_str().unwrap())
        .await;
    assert_eq!(settled["status"], "failed", "{settled}");
    assert_eq!(
        server.get_json(&format!("/documents/{DOC}")).await["status"],
        "awaiting_signature"
    );
    settled["problem"].clone()
}

#[tokio::test]
async fn a_signature_over_other_bytes_fails_as_invalid() {
    let server = Server::demo().await;
    let mut bytes = server.attachment(DOC, MAIN).await;
    bytes.push(b'\n');
    let problem = failed_problem(&server, &server.sign("employee_sign_ec", &bytes)).await;
    assert_eq!(problem["code"], "signature_invalid");

    let garbage = failed_problem(&server, b"not a cms at all").await;
    assert_eq!(garbage["code"], "signature_invalid");
}

#[tokio::test]
async fn a_signer_of_another_organisation_or_with_an_auth_key_is_not_allowed() {
    let server = Server::demo().await;
    let bytes = server.attachment(DOC, MAIN).await;

    let problem = failed_problem(&server, &server.sign("other_org_sign", &bytes)).await;
    assert_eq!(problem["code"], "signer_not_allowed");
    assert!(problem["detail"].as_str().unwrap().contains("123456789021"));

    let problem = failed_problem(&server, &server.sign("employee_auth", &bytes)).await;
    assert_eq!(problem["code"], "signer_not_allowed");
    assert!(problem["detail"].as_str().unwrap().contains("AUTH"));

    // An expired certificate makes the signature itself invalid at the time it arrives.
    let problem = failed_problem(&server, &server.sign("expired_sign", &bytes)).await;
    assert_eq!(problem["code"], "signature_invalid");
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_returns_the_first_result() {
    let server = Server::demo().await;
    let bytes = server.attachment(DOC, MAIN).await;
    let cms = server.sign("employee_sign_ec", &bytes);
    let k = key();

    let first = sign_with(&server, &cms, &k).await;
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    server
        .settled_receipt(first["receiptId"].as_str().unwrap())
        .await;

    // Even after the document was signed, the retry gets the same 202 and receipt, not a 409.
    let retry = sign_with(&server, &cms, &k).await;
    assert_eq!(retry.status(), 202);
    assert_eq!(retry.json::<Value>().await.unwrap(), first);

    // The same key with another body is refused.
    let other = server.sign("employee_sign", &bytes);
    let reused = sign_with(&server, &other, &k).await;
    assert_eq!(reused.status(), 422);
    let problem: Value = reused.json().await.unwrap();
    assert_eq!(problem["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn writes_without_an_idempotency_key_or_with_a_bad_body_are_refused() {
    let server = Server::demo().await;
    let response = server
        .http
        .post(server.url(&format!("/documents/{DOC}/signatures")))
        .bearer_auth("demo-token")
        .json(&json!({"attachmentId": MAIN, "cms": "AAAA"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["code"],
        "validation_failed"
    );

    let not_base64 = server
        .write(
            Method::POST,
            &format!("/documents/{DOC}/signatures"),
            &key(),
            &json!({"attachmentId": MAIN, "cms": "***"}),
        )
        .await;
    assert_eq!(not_base64.status(), 422);

    let esf = server
        .write(
            Method::POST,
            "/documents/doc_2610_placement/signatures",
            &key(),
            &json!({"attachmentId": "att_2610_placement_esf", "cms": b64(b"x")}),
        )
        .await;
    assert_eq!(esf.status(), 422, "an ESF is never signed here");
}

#[tokio::test]
async fn oversized_bodies_and_reasons_are_refused_with_problems() {
    let server = Server::demo().await;
    let long_reason = "я".repeat(5001);
    let response = server
        .write(
            Method::POST,
            "/documents/doc_2610_goods_comp/rejections",
            &key(),
            &json!({"reason": long_reason, "cms": b64(b"x")}),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["code"],
        "validation_failed"
    );

    let huge = "A".repeat(3 * 1024 * 1024);
    let response = server
        .write(
            Method::POST,
            &format!("/documents/{DOC}/signatures"),
            &key(),
            &json!({"attachmentId": MAIN, "cms": huge}),
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(
        response.json::<Value>().await.unwrap()["code"],
        "payload_too_large"
    );
}

#[tokio::test]
async fn a_retry_whose_json_keys_are_reordered_is_still_the_same_request() {
    let server = Server::demo().await;
    let bytes = server.attachment(DOC, MAIN).await;
    let cms = b64(&server.sign("employee_sign", &bytes));
    let k = key();
    let send = |body: String| {
        let (server, k) = (&server, k.clone());
        async move {
            server
                .http
                .post(server.url(&format!("/documents/{DOC}/signatures")))
                .bearer_auth("demo-token")
                .header("Idempotency-Key", k)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let first = send(format!(r#"{{"attachmentId":"{MAIN}","cms":"{cms}"}}"#)).await;
    let retry = send(format!(r#"{{ "cms": "{cms}", "attachmentId": "{MAIN}" }}"#)).await;
    assert_eq!(first.status(), 202);
    assert_eq!(retry.status(), 202);
    assert_eq!(
        first.json::<Value>().await.unwrap(),
        retry.json::<Value>().await.unwrap()
    );
}
