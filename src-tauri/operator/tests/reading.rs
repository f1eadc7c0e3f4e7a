//! Reading the inbox over a real socket: auth, the account, paging, documents and their bytes.

mod common;

use std::collections::HashSet;

use common::Server;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn every_call_needs_the_bearer_token() {
    let server = Server::demo().await;
    for path in [
        "/me",
        "/inbox/events",
        "/inbox/documents",
        "/documents/doc_2610_sales",
        "/receipts/rcp_x",
    ] {
        let anonymous = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(anonymous.status(), 401, "{path}");
        assert_eq!(
            anonymous.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = anonymous.json().await.unwrap();
        assert_eq!(problem["code"], "unauthorized");
        assert_eq!(problem["status"], 401);
        assert_eq!(problem["type"], "urn:qoltanba:problem:unauthorized");
        assert!(!problem["title"].as_str().unwrap().is_empty());
        assert_eq!(
            server.get_as(path, "wrong-token").await.status(),
            401,
            "{path}"
        );
    }
    server.running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_account_names_the_sellers_bin() {
    let server = Server::start(|s| s.token = "secret-42".into()).await;
    assert_eq!(server.get_as("/me", "demo-token").await.status(), 401);
    let me: Value = server
        .get_as("/me", "secret-42")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["organization"]["bin"], "123456789021");
    assert_eq!(me["organization"]["name"], "ТОО «Продавец»");
    assert!(me["employee"]["iin"].as_str().unwrap().len() == 12);
}

#[tokio::test]
async fn documents_page_through_with_an_opaque_cursor() {
    let server = Server::demo().await;
    let all = server.get_json("/inbox/documents?limit=500").await;
    let total = all["documents"].as_array().unwrap().len();
    assert!(total >= 14, "demo has {total}");
    assert!(all["next"].is_null());

    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(c) => format!("/inbox/documents?limit=4&after={c}"),
            None => "/inbox/documents?limit=4".into(),
        };
        let page = server.get_json(&path).await;
        let docs = page["documents"].as_array().unwrap();
        assert!(docs.len() <= 4);
        seen.extend(docs.iter().map(|d| d["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(c) => next = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        total,
        "no document twice"
    );

    let awaiting = server
        .get_json("/inbox/documents?status=awaiting_signature")
        .await;
    assert!(awaiting["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "awaiting_signature"));

    for bad in [
        "limit=0",
        "limit=501",
        "limit=abc",
        "after=not-a-cursor",
        "status=lost",
    ] {
        let response = server.get(&format!("/inbox/documents?{bad}")).await;
        assert_eq!(response.status(), 422, "{bad}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "validation_failed");
    }
}

#[tokio::test]
async fn events_feed_pages_and_can_be_resumed_from_the_stored_cursor() {
    let server = Server::demo().await;
    let first = server.get_json("/inbox/events?limit=5").await;
    let events = first["events"].as_array().unwrap();
    assert_eq!(events.len(), 5);
    assert!(events
        .iter()
        .all(|e| e["id"].as_str().unwrap().starts_with("evt_")));
    let cursor = first["next"].as_str().unwrap().to_owned();

    let rest = server
        .get_json(&format!("/inbox/events?after={cursor}&limit=500"))
        .await;
    let rest_events = rest["events"].as_array().unwrap();
    assert!(!rest_events.is_empty());
    let first_ids: HashSet<_> = events.iter().map(|e| e["id"].clone()).collect();
    assert!(rest_events.iter().all(|e| !first_ids.contains(&e["id"])));

    // Caught up: nothing new, and `next` is null (the client keeps its stored cursor).
    let end = rest["next"].as_str().unwrap();
    let empty = server.get_json(&format!("/inbox/events?after={end}")).await;
    assert_eq!(empty["events"].as_array().unwrap().len(), 0);
    assert!(empty["next"].is_null());
}

#[tokio::test]
async fn a_document_and_its_attachment_bytes_match_the_metadata() {
    let server = Server::demo().await;
    let doc = server.get_json("/documents/doc_2610_placement").await;
    assert_eq!(doc["kind"], "placement_services_act");
    assert_eq!(doc["currency"], "KZT");
    assert_eq!(doc["sender"]["bin"], "201040012345");
    assert_eq!(doc["recipient"]["bin"], "123456789021");
    assert_eq!(doc["status"], "awaiting_signature");
    for attachment in doc["attachments"].as_array().unwrap() {
        let id = attachment["id"].as_str().unwrap();
        let response = server
            .get(&format!("/documents/doc_2610_placement/attachments/{id}"))
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            attachment["mimeType"].as_str().unwrap()
        );
        assert_eq!(
            response.headers()["content-length"].to_str().unwrap(),
            attachment["size"].to_string()
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, attachment["size"].as_u64().unwrap());
        assert_eq!(hex::encode(Sha256::digest(&bytes)), attachment["sha256"]);
    }
    let missing = server.get("/documents/doc_nope").await;
    assert_eq!(missing.status(), 404);
    let problem: Value = missing.json().await.unwrap();
    assert_eq!(problem["code"], "not_found");
    assert_eq!(
        server
            .get("/documents/doc_2610_placement/attachments/att_nope")
            .await
            .status(),
        404
    );
}
