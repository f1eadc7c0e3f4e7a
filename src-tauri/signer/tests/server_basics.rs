//! Module kz.gov.pki.knca.basics "sign" over a real socket: cms and xml, one document or many,
//! attached, detached and digested, signerParams narrowing, and its error replies.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::client::Client;
use common::{keystore, openssl_verify, stderr};
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{HEAD_IIN, OTHER_BIN};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn server() -> Running {
    Server::new(vec![
        keystore("employee_sign"),
        keystore("head_sign"),
        keystore("other_org_sign"),
        keystore("employee_auth"),
    ])
    .spawn()
    .await
    .unwrap()
}

fn sign(args: Value) -> Value {
    json!({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": args})
}

/// The PEM results of a successful reply, as DER.
fn results(reply: &Value) -> Vec<Vec<u8>> {
    assert_eq!(reply["status"], true, "{reply}");
    reply["body"]["result"]
        .as_array()
        .expect("result array")
        .iter()
        .map(|r| {
            let pem = r.as_str().unwrap();
            assert!(pem.starts_with("-----BEGIN CMS-----\n"), "{pem}");
            assert!(pem.trim_end().ends_with("-----END CMS-----"), "{pem}");
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            B64.decode(body).unwrap()
        })
        .collect()
}

fn signed_by(cms: &[u8], role: &str) -> bool {
    let cert = keystore(role).certificate_der().to_vec();
    cms.windows(cert.len()).any(|w| w == cert.as_slice())
}

#[tokio::test]
async fn single_document_detached_cms_as_the_app_asks() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let doc = "PDF bytes of an act".as_bytes();
    let reply = c
        .request(sign(json!({
            "allowedStorages": ["PKCS12"],
            "format": "cms",
            "data": B64.encode(doc),
            "signingParams": {"decode": true, "encapsulate": false, "digested": false},
            "signerParams": {"extKeyUsageOids": ["1.3.6.1.5.5.7.3.4"], "chain": []},
            "locale": "ru"
        })))
        .await;
    let sigs = results(&reply);
    assert_eq!(sigs.len(), 1, "a single string still answers an array");
    let dir = tempfile::tempdir().unwrap();
    let v = openssl_verify(dir.path(), &sigs[0], Some(doc));
    assert!(v.status.success(), "{}", stderr(&v));
    s.shutdown().await;
}

#[tokio::test]
async fn array_data_gives_results_in_the_same_order() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let docs: Vec<Vec<u8>> = (0..4)
        .map(|i| format!("document number {i}").into_bytes())
        .collect();
    let data: Vec<String> = docs.iter().map(|d| B64.encode(d)).collect();
    let reply = c
        .request(sign(json!({
            "format": "cms", "data": data,
            "signingParams": {"decode": true, "encapsulate": false}
        })))
        .await;
    let sigs = results(&reply);
    assert_eq!(sigs.len(), 4);
    let dir = tempfile::tempdir().unwrap();
    for (i, sig) in sigs.iter().enumerate() {
        let v = openssl_verify(dir.path(), sig, Some(&docs[i]));
        assert!(v.status.success(), "doc {i}: {}", stderr(&v));
    }
    let swapped = openssl_verify(dir.path(), &sigs[0], Some(&docs[1]));
    assert!(!swapped.status.success());
    s.shutdown().await;
}

#[tokio::test]
async fn defaults_sign_the_text_attached() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let reply = c
        .request(sign(json!({"format": "cms", "data": "Привет"})))
        .await;
    let sigs = results(&reply);
    let dir = tempfile::tempdir().unwrap();
    let v = openssl_verify(dir.path(), &sigs[0], None);
    assert!(v.status.success(), "{}", stderr(&v));
    assert_eq!(
        std::fs::read(dir.path().join("out.bin")).unwrap(),
        "Привет".as_bytes()
    );
    s.shutdown().await;
}

#[tokio::test]
async fn digested_data_is_signed_as_a_hash() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let doc = vec![7u8; 100_000];
    let reply = c
        .request(sign(json!({
            "format": "cms", "data": B64.encode(Sha256::digest(&doc)),
            "signingParams": {"decode": true, "encapsulate": false, "digested": true}
        })))
        .await;
    let sigs = results(&reply);
    let dir = tempfile::tempdir().unwrap();
    let v = openssl_verify(dir.path(), &sigs[0], Some(&doc));
    assert!(v.status.success(), "{}", stderr(&v));
    s.shutdown().await;
}

#[tokio::test]
async fn xml_format_answers_signed_documents_in_order() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let reply = c
        .request(sign(
            json!({"format": "xml", "data": ["<first/>", "<second>2</second>"]}),
        ))
        .await;
    assert_eq!(reply["status"], true, "{reply}");
    let signed = reply["body"]["result"].as_array().unwrap();
    assert!(signed[0].as_str().unwrap().starts_with("<first>"));
    assert!(signed[1].as_str().unwrap().starts_with("<second>2"));
    let dir = tempfile::tempdir().unwrap();
    let ca = common::manifest().ca.to_str().unwrap().to_string();
    for xml in signed {
        let p = dir.path().join("s.xml");
        std::fs::write(&p, xml.as_str().unwrap()).unwrap();
        let out = common::run(
            "xmlsec1",
            &["--verify", "--trusted-pem", &ca, p.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    s.shutdown().await;
}

#[tokio::test]
async fn signer_params_narrow_the_key() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let ask = |signer: Value| sign(json!({"format": "cms", "data": "x", "signerParams": signer}));
    let first = results(&c.request(ask(json!({}))).await);
    assert!(
        signed_by(&first[0], "employee_sign"),
        "no filter: the first key"
    );
    let head = results(&c.request(ask(json!({"iin": HEAD_IIN}))).await);
    assert!(signed_by(&head[0], "head_sign"));
    let other = results(&c.request(ask(json!({"bin": OTHER_BIN}))).await);
    assert!(signed_by(&other[0], "other_org_sign"));
    let ceo = results(
        &c.request(ask(json!({"extKeyUsageOids": ["1.2.398.3.3.4.1.2.1"]})))
            .await,
    );
    assert!(signed_by(&ceo[0], "head_sign"));
    let auth = results(
        &c.request(ask(json!({"extKeyUsageOids": ["1.3.6.1.5.5.7.3.2"]})))
            .await,
    );
    assert!(signed_by(&auth[0], "employee_auth"));
    let none = c.request(ask(json!({"iin": "000000000000"}))).await;
    assert_eq!(none["status"], false);
    assert_eq!(none["code"], "GENERAL_ERROR");
    s.shutdown().await;
}

#[tokio::test]
async fn error_replies() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let r = c
        .request(sign(
            json!({"format": "cms", "data": "x", "signingParams": "yes"}),
        ))
        .await;
    assert_eq!(r["status"], false);
    assert_eq!(r["code"], "INVOCATION_ERROR");
    assert_eq!(r["message"], "An invoked method threw an exception.");

    let r = c.request(sign(json!({"format": "cms", "data": 5}))).await;
    assert_eq!(r["code"], "INVOCATION_ERROR");

    let r = c
        .request(sign(
            json!({"format": "cms", "data": "!!", "signingParams": {"decode": true}}),
        ))
        .await;
    assert_eq!(r["code"], "INVOCATION_ERROR");
    assert!(
        r["details"]
            .as_str()
            .unwrap()
            .contains("Illegal base64 character"),
        "{r}"
    );

    let r = c
        .request(sign(json!({"format": "xml", "data": "<a>"})))
        .await;
    assert_eq!(r["code"], "SIGNING_FAILURE");
    assert_eq!(r["message"], "Signing has failed.");
    assert!(
        r["details"]
            .as_str()
            .unwrap()
            .starts_with("org.xml.sax.SAXParseException"),
        "{r}"
    );

    let r = c
        .request(sign(
            json!({"format": "cms", "data": "x", "allowedStorages": ["AKKaztokenStore"]}),
        ))
        .await;
    assert_eq!(r["code"], "GENERAL_ERROR");

    let r = c
        .request(json!({"module": "kz.gov.pki.knca.basics", "method": "verify", "args": {}}))
        .await;
    assert_eq!(r["status"], false);
    s.shutdown().await;
}

#[tokio::test]
async fn large_document_fits_in_one_message() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let doc: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    let reply = c
        .request(sign(json!({
            "format": "cms", "data": B64.encode(&doc),
            "signingParams": {"decode": true, "encapsulate": false}
        })))
        .await;
    let sigs = results(&reply);
    let dir = tempfile::tempdir().unwrap();
    let v = openssl_verify(dir.path(), &sigs[0], Some(&doc));
    assert!(v.status.success(), "{}", stderr(&v));
    s.shutdown().await;
}

#[tokio::test]
async fn requests_sent_back_to_back_are_answered_in_order() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text(&sign(json!({"format": "xml", "data": "<one/>"})).to_string())
        .await;
    c.send_text(
        &json!({"module": "kz.gov.pki.knca.commonUtils", "method": "getActiveTokens", "args": []})
            .to_string(),
    )
    .await;
    c.send_text("--heartbeat--").await;
    let first: Value = serde_json::from_str(&c.next_text().await.unwrap()).unwrap();
    assert!(first["body"]["result"][0]
        .as_str()
        .unwrap()
        .starts_with("<one>"));
    let second: Value = serde_json::from_str(&c.next_text().await.unwrap()).unwrap();
    assert_eq!(second, json!({"code": "200", "responseObject": []}));
    assert_eq!(c.next_text().await.unwrap(), "--heartbeat--");
    s.shutdown().await;
}
