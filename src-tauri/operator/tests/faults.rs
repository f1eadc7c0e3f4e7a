//! Each injected fault, observed from the client's side of a real socket.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{b64, key, Server};
use qoltanba_operator::Faults;
use reqwest::Method;
use serde_json::{json, Value};

async fn statuses(server: &Server, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        let response = server.get("/me").await;
        if response.status() == 503 {
            let seconds: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(seconds >= 1);
        }
        out.push(response.status().as_u16());
    }
    out
}

#[tokio::test]
async fn a_fail_rate_answers_some_requests_500_or_503_repeatably() {
    let faulty = |s: &mut qoltanba_operator::Settings| {
        s.faults = Faults {
            fail_rate: 0.5,
            rng_seed: 7,
            ..Faults::default()
        };
    };
    let one = Server::start(faulty).await;
    let first = statuses(&one, 40).await;
    assert!(first.contains(&200));
    assert!(first.contains(&500));
    assert!(first.contains(&503));
    let two = Server::start(faulty).await;
    assert_eq!(
        statuses(&two, 40).await,
        first,
        "the same fault seed gives the same run"
    );
}

#[tokio::test]
async fn latency_delays_every_response() {
    let server = Server::start(|s| s.faults.latency = Duration::from_millis(300)).await;
    let started = Instant::now();
    assert_eq!(server.get("/me").await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn drop_after_breaks_long_downloads_mid_body() {
    let server = Server::start(|s| s.faults.drop_after = Some(1000)).await;
    // A short answer still arrives whole.
    assert_eq!(server.get("/me").await.status(), 200);
    let response = server
        .get("/documents/doc_2610_sales/attachments/att_2610_sales_main")
        .await;
    assert_eq!(response.status(), 200);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 1000);
    assert!(response.bytes().await.is_err(), "the body must break off");
}

#[tokio::test]
async fn duplicate_events_deliver_some_events_twice() {
    let server = Server::start(|s| s.faults.duplicate_events = true).await;
    let mut ids = Vec::new();
    let mut path = "/inbox/events?limit=3".to_owned();
    loop {
        let page = server.get_json(&path).await;
        ids.extend(
            page["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(c) => path = format!("/inbox/events?limit=3&after={c}"),
            None => break,
        }
    }
    let unique: HashSet<_> = ids.iter().collect();
    assert!(unique.len() < ids.len(), "some event came twice");
    assert_eq!(unique.len(), 15, "every demo event is still delivered");
}

#[tokio::test]
async fn stale_after_answers_writes_409_once_the_budget_is_spent() {
    let server = Server::start(|s| s.faults.stale_after = Some(1)).await;
    let sign = |doc: &'static str, att: &'static str| {
        let server = &server;
        async move {
            let bytes = server.attachment(doc, att).await;
            let cms = server.sign("employee_sign", &bytes);
            server
                .write(
                    Method::POST,
                    &format!("/documents/{doc}/signatures"),
                    &key(),
                    &json!({"attachmentId": att, "cms": b64(&cms)}),
                )
                .await
        }
    };
    assert_eq!(
        sign("doc_2610_points", "att_2610_points_main")
            .await
            .status(),
        202
    );
    let stale = sign("doc_2610_sales", "att_2610_sales_main").await;
    assert_eq!(stale.status(), 409);
    assert_eq!(
        stale.json::<Value>().await.unwrap()["code"],
        "invalid_document_state"
    );
    // Reads still work.
    assert_eq!(server.get("/documents/doc_2610_sales").await.status(), 200);
}
