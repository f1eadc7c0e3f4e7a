//! Replies no honest operator sends, from a tiny local HTTP server (the one fake in these tests:
//! qoltanba-operator cannot be made to send them): not JSON, JSON of another shape, a body of a
//! gigabyte announced or streamed without end, a file longer than its metadata says, a problem+json.

mod operator_common;

use operator_common::*;
use qoltanba_core::operator::{HttpOperator, Operator, Token};
use qoltanba_core::ErrorCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Copy)]
enum Reply {
    Html,
    WrongShape,
    AnnouncedGigabyte,
    EndlessChunks,
    Problem422,
    /// The listing promises a 100-byte file; the file endpoint streams without end.
    LongerThanPromised,
}

async fn head(stream: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&byte[..n]);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

async fn respond(mut s: tokio::net::TcpStream, reply: Reply) {
    let request = head(&mut s).await;
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let json = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let endless = async |s: &mut tokio::net::TcpStream| {
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b' '; 64 * 1024];
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        // Until the client hangs up; a cap of 5 GB keeps a broken client from running forever.
        for _ in 0..80_000 {
            if s.write_all(&frame).await.is_err() {
                return;
            }
        }
    };
    match reply {
        Reply::Html => {
            let body = "<html><body>Портал на обслуживании</body></html>";
            let _ = s
                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
        Reply::WrongShape => {
            let _ = s
                .write_all(json(r#"{"items": [], "cursor": 5}"#).as_bytes())
                .await;
        }
        Reply::AnnouncedGigabyte => {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"events\": [")
                .await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        Reply::EndlessChunks => endless(&mut s).await,
        Reply::Problem422 => {
            let body = r#"{"type":"urn:x","title":"Unprocessable","status":422,"code":"validation_failed","detail":"limit must be 1..500"}"#;
            let _ = s
                .write_all(format!("HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
        Reply::LongerThanPromised if path.contains("/attachments/") => endless(&mut s).await,
        Reply::LongerThanPromised if path.starts_with("/inbox/events") => {
            let _ = s
                .write_all(json(r#"{"events": [], "next": null}"#).as_bytes())
                .await;
        }
        Reply::LongerThanPromised => {
            let doc = r#"{"documents": [{"id": "d1", "kind": "sales_report", "title": "T", "status": "awaiting_signature",
              "attachments": [{"id": "a1", "role": "main", "fileName": "a.pdf", "mimeType": "application/pdf",
              "size": 100, "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]}], "next": null}"#;
            let _ = s.write_all(json(doc).as_bytes()).await;
        }
    }
}

async fn hostile(reply: Reply) -> HttpOperator {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(respond(s, reply));
        }
    });
    HttpOperator::new(
        &format!("http://{addr}"),
        Some(Token::new("tok").unwrap()),
        http(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_reply_that_is_not_json_is_a_clear_error() {
    let op = hostile(Reply::Html).await;
    let f = op.events(None).await.unwrap_err();
    assert_eq!(f.code(), ErrorCode::OperatorRejected);
    assert!(f.error.message.contains("не JSON"), "{}", f.error.message);
}

#[tokio::test]
async fn json_of_another_shape_is_a_clear_error_and_sync_stores_nothing() {
    let op = hostile(Reply::WrongShape).await;
    let f = op.events(None).await.unwrap_err();
    assert!(
        f.error.message.contains("не соответствует API"),
        "{}",
        f.error.message
    );
    let mut c = Client::new();
    let e = c.sync(&op).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorRejected);
    assert_eq!(c.store.sync_cursor(ACCOUNT).unwrap().0, None);
}

#[tokio::test]
async fn a_gigabyte_announced_is_refused_before_it_is_read() {
    let op = hostile(Reply::AnnouncedGigabyte).await;
    let t = Instant::now();
    let f = op.events(None).await.unwrap_err();
    assert!(
        f.error.message.contains("слишком большой"),
        "{}",
        f.error.message
    );
    assert!(t.elapsed() < Duration::from_secs(2), "refused at once");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit_not_buffered() {
    let op = hostile(Reply::EndlessChunks).await;
    let f = op.events(None).await.unwrap_err();
    assert!(
        f.error.message.contains("слишком большой"),
        "{}",
        f.error.message
    );
}

#[tokio::test]
async fn a_file_longer_than_its_metadata_is_refused_and_not_stored() {
    let op = hostile(Reply::LongerThanPromised).await;
    let mut c = Client::new();
    let report = c.sync(&op).await.unwrap();
    assert_eq!(report.set_aside.len(), 1, "{report:?}");
    let why = &report.set_aside[0].reason;
    assert!(why.contains("слишком большой"), "{why}");
    assert!(c.store.document_by_operator_id("d1").unwrap().is_none());
}

#[tokio::test]
async fn a_problem_reply_carries_the_servers_code_and_detail() {
    let op = hostile(Reply::Problem422).await;
    let f = op.events(None).await.unwrap_err();
    assert_eq!(f.code(), ErrorCode::OperatorRejected);
    assert_eq!(f.status, Some(422));
    assert_eq!(f.problem_code.as_deref(), Some("validation_failed"));
    assert!(
        f.error
            .message
            .contains("limit must be 1..500 (validation_failed)"),
        "{}",
        f.error.message
    );
    assert!(!f.retryable());
}
