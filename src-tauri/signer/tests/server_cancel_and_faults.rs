//! The user's Cancel in both modules, and the test-only faults other crates' tests rely on.

mod common;

use std::time::Duration;

use common::client::Client;
use common::keystore;
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::fault::Fault;
use qoltanba_signer::server::{Running, Server};
use serde_json::json;

async fn server(confirm: Confirm, fault: Option<Fault>) -> Running {
    let mut s = Server::new(vec![keystore("employee_sign")]).confirm(confirm);
    if let Some(f) = fault {
        s = s.fault(f);
    }
    s.spawn().await.unwrap()
}

fn cades() -> serde_json::Value {
    json!({"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64",
           "args": ["PKCS12", "SIGNATURE", "aGk=", false]})
}

#[tokio::test]
async fn cancel_in_common_utils_is_action_canceled() {
    let s = server(Confirm::Cancel, None).await;
    let mut c = Client::connect_plain(s.addr()).await;
    assert_eq!(
        c.request(cades()).await,
        json!({"code": "500", "message": "action.canceled"})
    );
    // Nothing to approve: still answered.
    assert_eq!(
        c.request(json!({"module": "kz.gov.pki.knca.commonUtils", "method": "getActiveTokens", "args": []})).await,
        json!({"code": "200", "responseObject": []})
    );
    s.shutdown().await;
}

#[tokio::test]
async fn cancel_in_basics_is_success_without_result() {
    let s = server(Confirm::Cancel, None).await;
    let mut c = Client::connect_plain(s.addr()).await;
    let reply = c
        .request(json!({"module": "kz.gov.pki.knca.basics", "method": "sign",
                        "args": {"format": "cms", "data": "x"}}))
        .await;
    assert_eq!(reply, json!({"status": true, "body": {}}));
    s.shutdown().await;
}

#[tokio::test]
async fn close_mid_request_drops_the_connection() {
    let s = server(Confirm::Auto, Some(Fault::CloseMidRequest)).await;
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text(&cades().to_string()).await;
    assert_eq!(c.next_text().await, None);
    s.shutdown().await;
}

#[tokio::test]
async fn never_reply_keeps_silent_but_answers_heartbeats() {
    let s = server(Confirm::Auto, Some(Fault::NeverReply)).await;
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text(&cades().to_string()).await;
    let waited = tokio::time::timeout(Duration::from_millis(500), c.next_text()).await;
    assert!(waited.is_err(), "no reply expected: {waited:?}");
    c.send_text("--heartbeat--").await;
    assert_eq!(c.next_text().await.unwrap(), "--heartbeat--");
    s.shutdown().await;
}

#[tokio::test]
async fn non_json_reply() {
    let s = server(Confirm::Auto, Some(Fault::NonJson)).await;
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text(&cades().to_string()).await;
    let reply = c.next_text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&reply).is_err(),
        "{reply}"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn wrong_or_missing_greeting() {
    let s = server(Confirm::Auto, Some(Fault::WrongGreeting)).await;
    let mut c = Client::plain(s.addr()).await;
    let greeting = c.next_text().await.unwrap();
    assert_ne!(greeting, r#"{"result":{"version":"1.4"}}"#);
    s.shutdown().await;

    let s = server(Confirm::Auto, Some(Fault::NoGreeting)).await;
    let mut c = Client::plain(s.addr()).await;
    let waited = tokio::time::timeout(Duration::from_millis(300), c.next_text()).await;
    assert!(waited.is_err(), "no greeting expected: {waited:?}");
    s.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_open_connections_and_the_port() {
    let s = server(Confirm::Auto, None).await;
    let addr = s.addr();
    let mut c = Client::connect_plain(addr).await;
    s.shutdown().await;
    assert_eq!(c.next_text().await, None);
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let s = server(Confirm::Auto, None).await;
    let addr = s.addr();
    let mut c = Client::connect_plain(addr).await;
    drop(s);
    assert_eq!(c.next_text().await, None);
    // The listener ends on its own task; give it a moment.
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "port still accepting after drop");
}

#[tokio::test]
async fn non_loopback_address_is_refused() {
    for addr in ["0.0.0.0:0", "[::]:0", "192.0.2.1:13579"] {
        let err = Server::new(vec![keystore("employee_sign")])
            .addr(addr.parse().unwrap())
            .spawn()
            .await
            .err()
            .unwrap_or_else(|| panic!("{addr} must be refused"));
        assert!(err.to_string().contains("only loopback"), "{err}");
    }
}
