//! How a request frame is read: arguments borrowed from the frame and decoded by the workers
//! must give exactly the answers NCALayer's clients know, for odd but valid input (escaped
//! slashes, MIME line breaks, a uuid), for malformed input and for input at the budgets (size,
//! nesting); nothing malformed is ever signed (the server's own count says so).

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::client::Client;
use common::{keystore, openssl_verify, stderr};
use qoltanba_signer::server::Server;
use serde_json::{json, Value};

fn sign(args: Value) -> Value {
    json!({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": args})
}

fn detached(data: Value) -> Value {
    sign(json!({"format": "cms", "data": data,
                "signingParams": {"decode": true, "encapsulate": false}}))
}

fn der_of(pem: &Value) -> Vec<u8> {
    let body: String = pem
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    B64.decode(body).unwrap()
}

/// Java's JSON writers escape `/` as `\/`, and MIME base64 breaks lines: the string is then
/// not a plain slice of the frame, and must still sign exactly the document's bytes.
#[tokio::test]
async fn escaped_slashes_and_line_breaks_sign_the_same_bytes() {
    let s = Server::new(vec![keystore("employee_sign")])
        .spawn()
        .await
        .unwrap();
    let mut c = Client::connect_plain(s.addr()).await;
    // Bytes whose base64 is full of '/' (0xff..).
    let docs: Vec<Vec<u8>> = vec![vec![0xff; 3000], (0..5000u32).map(|i| i as u8).collect()];
    let mime = |d: &[u8]| {
        B64.encode(d)
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    let data = [B64.encode(&docs[0]), mime(&docs[1])];
    let text = detached(json!(data)).to_string().replace('/', "\\/");
    assert!(text.contains("\\/"));
    c.send_text(&text).await;
    let reply: Value = serde_json::from_str(&c.next_text().await.unwrap()).unwrap();
    let results = reply["body"]["result"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{reply}");
    let dir = tempfile::tempdir().unwrap();
    for (doc, pem) in docs.iter().zip(results) {
        let v = openssl_verify(dir.path(), &der_of(pem), Some(doc));
        assert!(v.status.success(), "{}", stderr(&v));
    }
    // The second signature is not over the first document: order kept.
    let swapped = openssl_verify(dir.path(), &der_of(&results[1]), Some(&docs[0]));
    assert!(!swapped.status.success());
    assert_eq!(s.signed(), 2);
    s.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_ncalayers_answers_and_nothing_is_signed() {
    let s = Server::new(vec![keystore("employee_sign")])
        .spawn()
        .await
        .unwrap();
    let mut c = Client::connect_plain(s.addr()).await;
    let mismatch = "java.lang.IllegalArgumentException: argument type mismatch. Method: sign";
    let invocation = |details: &str| {
        json!({"status": false, "code": "INVOCATION_ERROR",
               "message": "An invoked method threw an exception.", "details": details})
    };
    // Arguments by position where names are expected: refused, not read field by field.
    let r = c
        .request(sign(json!(["cms", B64.encode(b"x"), {"decode": true}])))
        .await;
    assert_eq!(r, invocation(mismatch));
    let r = c.request(detached(json!([B64.encode(b"x"), 5]))).await;
    assert_eq!(r, invocation(mismatch));
    let r = c
        .request(sign(
            json!({"format": "cms", "data": "eA==", "signingParams": {"decode": "yes"}}),
        ))
        .await;
    assert_eq!(r, invocation("signingParams.decode must be a boolean"));
    let r = c
        .request(sign(
            json!({"format": "cms", "data": "eA==", "signerParams": {"iin": 123}}),
        ))
        .await;
    assert_eq!(r, invocation("signerParams.iin must be a string"));
    let r = c.request(sign(json!({"format": 1, "data": "eA=="}))).await;
    assert_eq!(r, invocation("format must be \"cms\" or \"xml\""));

    // A module that is not a string, or a request that is not an object: no such module, even
    // when an array spells a real one by position.
    let not_found = json!({"success": false, "errorCode": "MODULE_NOT_FOUND"});
    assert_eq!(
        c.request(json!({"module": 5, "method": "sign"})).await,
        not_found
    );
    assert_eq!(
        c.request(json!(["kz.gov.pki.knca.basics", "sign", {"format": "cms", "data": "eA=="}]))
            .await,
        not_found
    );
    // The uuid comes back as given, null included, on errors and on signatures.
    assert_eq!(
        c.request(json!({"module": "x", "uuid": null})).await,
        json!({"success": false, "errorCode": "MODULE_NOT_FOUND", "uuid": null})
    );
    let mut tagged = detached(json!(B64.encode(b"tagged")));
    tagged["uuid"] = json!("7c1e");
    let r = c.request(tagged).await;
    assert_eq!(r["uuid"], "7c1e");
    assert_eq!(r["body"]["result"].as_array().unwrap().len(), 1);
    assert_eq!(s.signed(), 1, "only the well-formed request signed");

    // Not JSON, and JSON nested past serde_json's budget (128) anywhere in the frame: code 500,
    // as when every request was read whole.
    c.send_text("{\"module\": ").await;
    let r: Value = serde_json::from_str(&c.next_text().await.unwrap()).unwrap();
    assert_eq!(r["code"], "500");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON request: EOF"),
        "{r}"
    );
    let deep = format!(
        r#"{{"module":"kz.gov.pki.knca.basics","method":"sign","args":{{"format":"cms","data":"eA==","x":{}{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    c.send_text(&deep).await;
    let r: Value = serde_json::from_str(&c.next_text().await.unwrap()).unwrap();
    assert_eq!(r["code"], "500", "{r}");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON request: recursion limit exceeded"),
        "{r}"
    );
    assert_eq!(s.signed(), 1);
    s.shutdown().await;
}

/// A huge argument is refused with the same code under the cap and closes the connection over
/// it, as before the frame was read in place.
#[tokio::test]
async fn a_huge_argument_is_refused_with_the_same_code_and_budget() {
    let s = Server::new(vec![keystore("employee_sign")])
        .max_message_bytes(8 << 20)
        .spawn()
        .await
        .unwrap();
    let mut c = Client::connect_plain(s.addr()).await;
    // 7 MB of base64 with one bad character near the end, in the second of two documents.
    let mut bad = B64.encode(vec![1u8; 5 << 20]);
    bad.replace_range(bad.len() - 10..bad.len() - 9, "!");
    let r = c.request(detached(json!([B64.encode(b"fine"), bad]))).await;
    assert_eq!(r["status"], false);
    assert_eq!(r["code"], "INVOCATION_ERROR");
    assert_eq!(
        r["details"],
        "java.lang.IllegalArgumentException: Illegal base64 character 21"
    );
    assert_eq!(s.signed(), 0, "nothing of a refused batch is signed");
    // The connection still serves.
    let ok = c.request(detached(json!(B64.encode(b"after")))).await;
    assert_eq!(ok["status"], true, "{ok}");
    // Over the cap: closed, nothing signed.
    let sent = c
        .try_send_text(&detached(json!(B64.encode(vec![2u8; 7 << 20]))).to_string())
        .await;
    assert!(!sent || c.next_text().await.is_none());
    assert_eq!(s.signed(), 1);
    s.shutdown().await;
}

/// The transport-only mode of the benchmark: documents decoded and approved as usual, the one
/// fixed CMS answered for each, counted as signed.
#[tokio::test]
async fn fixed_cms_mode_answers_the_given_cms_for_every_document() {
    let fixed = qoltanba_signer::cms::sign(&keystore("employee_sign"), b"fixed", true).unwrap();
    let s = Server::new(vec![keystore("employee_sign")])
        .fixed_cms(fixed.clone())
        .spawn()
        .await
        .unwrap();
    let mut c = Client::connect_plain(s.addr()).await;
    let r = c
        .request(detached(json!([B64.encode(b"one"), B64.encode(b"two")])))
        .await;
    let results = r["body"]["result"].as_array().unwrap();
    assert!(results.iter().all(|pem| der_of(pem) == fixed), "{r}");
    let bad = c.request(detached(json!(["!!"]))).await;
    assert_eq!(bad["code"], "INVOCATION_ERROR", "still decoded");
    assert_eq!(s.signed(), 2);
    s.shutdown().await;
}
