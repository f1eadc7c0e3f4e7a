//! Opening one document from an e-mailed link with its code, without an account.

mod common;

use common::{b64, key, Server};
use qoltanba_operator::seed::demo::{SHARED_CODE, SHARED_DOCUMENT, SHARED_LINK};
use reqwest::Method;
use serde_json::{json, Value};

async fn open(server: &Server, link: &str, code: &str) -> reqwest::Response {
    server
        .http
        .post(server.url("/shared/open"))
        .json(&json!({"link": link, "code": code}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_right_code_gives_a_token_that_reaches_only_that_document() {
    let server = Server::demo().await;
    let response = open(&server, SHARED_LINK, SHARED_CODE).await;
    assert_eq!(response.status(), 200);
    let opened: Value = response.json().await.unwrap();
    assert_eq!(opened["documentId"], SHARED_DOCUMENT);
    assert!(opened["expiresAt"].as_str().unwrap().ends_with('Z'));
    let token = opened["accessToken"].as_str().unwrap().to_owned();

    let doc = server
        .get_as(&format!("/documents/{SHARED_DOCUMENT}"), &token)
        .await;
    assert_eq!(doc.status(), 200);
    let doc: Value = doc.json().await.unwrap();
    let main = doc["attachments"][0]["id"].as_str().unwrap().to_owned();
    let bytes = server
        .get_as(
            &format!("/documents/{SHARED_DOCUMENT}/attachments/{main}"),
            &token,
        )
        .await
        .bytes()
        .await
        .unwrap();

    // Other documents look absent; account calls are refused.
    assert_eq!(
        server
            .get_as("/documents/doc_2610_sales", &token)
            .await
            .status(),
        404
    );
    assert_eq!(
        server
            .get_as(
                "/documents/doc_2610_sales/attachments/att_2610_sales_main",
                &token
            )
            .await
            .status(),
        404
    );
    for path in ["/me", "/inbox/documents", "/inbox/events"] {
        assert_eq!(server.get_as(path, &token).await.status(), 401, "{path}");
    }

    // The token can sign that document and read its receipt.
    let cms = server.sign("employee_sign", &bytes);
    let signed = server
        .write_as(
            Method::POST,
            &format!("/documents/{SHARED_DOCUMENT}/signatures"),
            &key(),
            &json!({"attachmentId": main, "cms": b64(&cms)}),
            &token,
        )
        .await;
    assert_eq!(signed.status(), 202);
    let receipt: Value = signed.json().await.unwrap();
    let receipt = receipt["receiptId"].as_str().unwrap();
    assert_eq!(
        server
            .get_as(&format!("/receipts/{receipt}"), &token)
            .await
            .status(),
        200
    );
    let elsewhere = server
        .write_as(
            Method::POST,
            "/documents/doc_2610_sales/signatures",
            &key(),
            &json!({"attachmentId": "att_2610_sales_main", "cms": b64(&cms)}),
            &token,
        )
        .await;
    assert_eq!(elsewhere.status(), 404);
}

#[tokio::test]
async fn wrong_codes_are_refused_and_five_lock_the_link() {
    let server = Server::demo().await;
    for attempt in 1..=4 {
        let response = open(&server, SHARED_LINK, "000000").await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["code"],
            "unauthorized"
        );
    }
    let fifth = open(&server, SHARED_LINK, "000000").await;
    assert_eq!(fifth.status(), 429);
    let retry_after: u64 = fifth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 60, "locked for a while, not {retry_after} s");
    assert_eq!(fifth.json::<Value>().await.unwrap()["code"], "rate_limited");

    // Locked: even the right code waits.
    let right = open(&server, SHARED_LINK, SHARED_CODE).await;
    assert_eq!(right.status(), 429);
    assert!(right.headers().contains_key("retry-after"));

    // An unknown link answers like a wrong code.
    assert_eq!(
        open(&server, "lnk_unknown", SHARED_CODE).await.status(),
        401
    );
}

#[tokio::test]
async fn a_link_made_through_the_library_opens_its_document() {
    let server = Server::demo().await;
    server
        .running
        .share("doc_2610_sales", "lnk_test", "1111")
        .unwrap();
    let opened: Value = open(&server, "lnk_test", "1111")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(opened["documentId"], "doc_2610_sales");
}
