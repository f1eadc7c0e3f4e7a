//! The same 1,000 documents of 100 KB, signed through the NCALayer protocol (basics.sign,
//! detached CMS, base64 in and PEM out) over a real loopback WebSocket, one, ten and fifty
//! documents per request, with the RSA-2048 test key and with the GOST-2015-512 one (the
//! GOST/RSA ratio is printed last); and the server alone in its fixed-CMS mode (documents
//! decoded and approved, no signing): what the server's side of the protocol costs. Compare
//! with sign_throughput's in-process figure. Run:
//! `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer --bench ws_throughput`

#[path = "../../../benches/report_line.rs"]
mod report_line;

use std::time::Instant;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::Server;
use qoltanba_signer::testkeys;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

const DOCS: usize = 1_000;
const SIZE: usize = 100 * 1024;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = testkeys::generate(dir.path(), "bench").expect("test keys");
    let b64 = base64::engine::general_purpose::STANDARD;
    let documents: Vec<String> = (0..DOCS)
        .map(|i| {
            b64.encode(
                (0..SIZE)
                    .map(|j| ((i * 31 + j * 7) % 251) as u8)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();

    let mut rates = Vec::new();
    let fixed = qoltanba_signer::cms::sign(
        &Keystore::open(manifest.path("employee_sign"), "bench").expect("open key"),
        b"fixed",
        true,
    )
    .expect("fixed CMS");
    for role in ["employee_sign", "employee_sign_gost", "fixed_cms"] {
        let key_role = if role == "fixed_cms" {
            "employee_sign"
        } else {
            role
        };
        let key = Keystore::open(manifest.path(key_role), "bench").expect("open key");
        let mut server = Server::new(vec![key]);
        if role == "fixed_cms" {
            server = server.fixed_cms(fixed.clone());
        }
        let running = server.spawn().await.expect("server");
        for batch in [1usize, 10, 50] {
            let tcp = tokio::net::TcpStream::connect(running.addr())
                .await
                .unwrap();
            let config = WebSocketConfig::default().max_message_size(Some(512 << 20));
            let (mut ws, _) =
                tokio_tungstenite::client_async_with_config(running.url(), tcp, Some(config))
                    .await
                    .unwrap();
            ws.next().await.unwrap().unwrap(); // greeting
                                               // Requests are built before the clock starts: the figure is the server and the socket.
            let requests: Vec<(usize, String)> = documents
            .chunks(batch)
            .map(|chunk| {
                let request = json!({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {
                    "format": "cms", "data": chunk,
                    "signingParams": {"decode": true, "encapsulate": false}}});
                (chunk.len(), request.to_string())
            })
            .collect();
            let started = Instant::now();
            for (count, request) in requests {
                ws.send(Message::text(request)).await.unwrap();
                let reply = match ws.next().await.unwrap().unwrap() {
                    Message::Text(t) => t,
                    other => panic!("unexpected {other:?}"),
                };
                let reply: Value = serde_json::from_str(reply.as_str()).unwrap();
                assert_eq!(reply["body"]["result"].as_array().unwrap().len(), count);
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
            "basics.sign over ws {role:<18} {batch:>2} doc(s)/request, {DOCS} docs x {} KB: {:.3} s, {:.0} docs/s",
            SIZE / 1024,
            secs,
            DOCS as f64 / secs
        );
            rates.push((role, batch, DOCS as f64 / secs));
        }
        running.shutdown().await;
    }
    for batch in [1usize, 10, 50] {
        let rate = |role: &str| {
            rates
                .iter()
                .find(|(r, b, _)| *r == role && *b == batch)
                .map(|(_, _, x)| *x)
                .unwrap()
        };
        println!(
            "GOST-2015-512 / RSA-2048 over ws, {batch:>2} doc(s)/request: {:.2}",
            rate("employee_sign_gost") / rate("employee_sign")
        );
        report_line::Figure {
            area: "signing",
            figure: &format!(
                "qoltanba-signer over its WebSocket, GOST-2015-512, {batch} document(s) of {} KB per request",
                SIZE / 1024
            ),
            documents: None,
            ours: rate("employee_sign_gost"),
            floor: Some((rate("employee_sign"), "the same with the RSA-2048 key, same run")),
            unit: "documents/s",
            better: report_line::Better::Higher,
            aim: None,
        }
        .print();
        report_line::Figure {
            area: "signing",
            figure: &format!(
                "qoltanba-signer over its WebSocket, fixed CMS (transport only), {batch} document(s) of {} KB per request",
                SIZE / 1024
            ),
            documents: None,
            ours: rate("fixed_cms"),
            floor: None,
            unit: "documents/s",
            better: report_line::Better::Higher,
            aim: None,
        }
        .print();
    }
}
