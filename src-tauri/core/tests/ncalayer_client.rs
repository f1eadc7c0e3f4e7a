//! The NCALayer client against a real TLS WebSocket server on 127.0.0.1 that behaves like
//! NCALayer, and like NCALayer on a bad day.

mod ncalayer_fake;

use std::time::Duration;

use base64::Engine;
use ncalayer_fake::{replies, start, start_with, text, Act, Options};
use qoltanba_core::ncalayer::{KeyTime, KeyType, NcaLayer, Pinning, Settings, SignOptions};
use qoltanba_core::ErrorCode;
use serde_json::json;

const CMS_DER: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x07];
const CMS_B64: &str = "MAMCAQc=";
const CMS_PEM: &str = "-----BEGIN CMS-----\r\nMAMCAQc=\r\n-----END CMS-----\r\n";

fn client(url: String, trust: Pinning) -> NcaLayer {
    let mut s = Settings::new(trust);
    s.url = url;
    s.connect_timeout = Duration::from_secs(2);
    s.reply_timeout = Duration::from_secs(5);
    NcaLayer::new(s).unwrap()
}

fn pinned(fake: &ncalayer_fake::Fake) -> NcaLayer {
    client(fake.url(), Pinning::Pin(fake.pin()))
}

fn basics_ok(result: serde_json::Value) -> Act {
    Act::Send(json!({"status": true, "body": {"result": result}}).to_string())
}

#[tokio::test]
async fn ncalayer_not_running_says_so() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let nca = client(format!("wss://127.0.0.1:{port}/"), Pinning::Pin([0; 32]));
    let err = nca.version().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerUnavailable);
    assert!(
        err.message.starts_with("NCALayer не запущен"),
        "{}",
        err.message
    );
    assert!(err.code.retryable());
    let d = nca.probe().await;
    assert!(!d.connected);
    assert!(d.last_error.unwrap().starts_with("NCALayer не запущен"));
}

#[tokio::test]
async fn greeting_gives_version_and_diagnostics() {
    let fake = start(replies(vec![])).await;
    let nca = pinned(&fake);
    assert_eq!(nca.version().await.unwrap(), "1.4");
    let d = nca.diagnostics().await;
    assert!(d.connected && d.encrypted && d.confirmed && !d.plain_loopback);
    assert_eq!(d.version.as_deref(), Some("1.4"));
    assert_eq!(d.certificate_sha256, Some(hex::encode(fake.pin())));
}

#[tokio::test]
async fn wrong_or_missing_greeting_is_not_ncalayer() {
    for greeting in [Some(r#"{"hello":"world"}"#), Some("Welcome!"), None] {
        let options = Options {
            greeting: greeting.map(String::from),
            ..Options::default()
        };
        let fake = start_with(options, replies(vec![])).await;
        let nca = pinned(&fake);
        let err = nca.get_active_tokens().await.unwrap_err();
        assert_eq!(err.code, ErrorCode::SignerProtocol, "{greeting:?}");
        assert!(
            err.message.contains("не похожа на NCALayer"),
            "{}",
            err.message
        );
        assert!(fake.requests().is_empty(), "nothing is sent to a stranger");
    }
}

#[tokio::test]
async fn wrong_pin_is_refused_before_anything_is_sent() {
    let fake = start(replies(vec![vec![basics_ok(json!([CMS_PEM]))]])).await;
    let nca = client(fake.url(), Pinning::Pin([7; 32]));
    let err = nca
        .sign_cms(b"secret document", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::CertificatePin);
    assert_eq!(fake.upgrades(), 0, "no WebSocket request went out");
    assert!(fake.requests().is_empty());
    // The user can compare what was presented with what was expected.
    let d = nca.diagnostics().await;
    assert_eq!(d.certificate_sha256, Some(hex::encode(fake.pin())));
}

#[tokio::test]
async fn first_use_reports_the_certificate_and_sends_nothing_until_confirmed() {
    let fake = start(replies(vec![vec![basics_ok(json!([CMS_PEM]))]])).await;
    let nca = client(fake.url(), Pinning::FirstUse);
    let d = nca.probe().await;
    assert_eq!(d.version.as_deref(), Some("1.4"));
    assert!(!d.confirmed);
    let seen = d.certificate_sha256.unwrap();
    assert_eq!(seen, hex::encode(fake.pin()));

    let err = nca
        .sign_cms(b"doc", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::CertificatePin);
    assert!(fake.requests().is_empty());

    nca.set_trust(Pinning::pin_from_hex(&seen).unwrap()).await;
    let cms = nca
        .sign_cms(b"doc", false, &SignOptions::default())
        .await
        .unwrap();
    assert_eq!(cms, CMS_DER);
    assert!(nca.diagnostics().await.confirmed);
}

#[tokio::test]
async fn ca_file_trust_accepts_a_certificate_from_that_ca_only() {
    let options = Options {
        with_ca: true,
        ..Options::default()
    };
    let fake = start_with(
        options,
        replies(vec![vec![text(r#"{"code":"200","responseObject":[]}"#)]]),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("root.pem");
    std::fs::write(&ca, fake.ca_pem.as_ref().unwrap()).unwrap();
    let nca = client(fake.url(), Pinning::CaFile(ca));
    assert_eq!(nca.get_active_tokens().await.unwrap(), Vec::<String>::new());

    // A self-signed server is not issued by that CA.
    let stranger = start(replies(vec![])).await;
    let other_ca = dir.path().join("other.pem");
    let other = start_with(
        Options {
            with_ca: true,
            ..Options::default()
        },
        replies(vec![]),
    )
    .await;
    std::fs::write(&other_ca, other.ca_pem.as_ref().unwrap()).unwrap();
    let nca = client(stranger.url(), Pinning::CaFile(other_ca));
    let err = nca.get_active_tokens().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::CertificatePin);
    assert_eq!(stranger.upgrades(), 0);
}

#[tokio::test]
async fn plain_ws_works_on_loopback_and_is_reported() {
    let options = Options {
        tls: false,
        ..Options::default()
    };
    let fake = start_with(options, replies(vec![vec![text(r#"{"code":"200"}"#)]])).await;
    let nca = client(fake.plain_url(), Pinning::Pin([0; 32]));
    nca.change_locale("kk").await.unwrap();
    let d = nca.diagnostics().await;
    assert!(d.plain_loopback && !d.encrypted);
    assert_eq!(fake.requests()[0]["args"], json!(["kk"]));
    // Plain ws:// has no certificate to confirm: first use does not block it.
    let first_use = client(fake.plain_url(), Pinning::FirstUse);
    assert!(first_use.probe().await.confirmed);
    let remote = Settings {
        url: "ws://192.0.2.1:13579/".into(),
        ..Settings::new(Pinning::FirstUse)
    };
    assert_eq!(
        NcaLayer::new(remote).err().unwrap().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn cancel_in_either_module_is_user_cancelled() {
    let fake = start(replies(vec![
        vec![text(r#"{"status":true,"body":{}}"#)],
        vec![text(r#"{"message":"action.canceled","code":"500"}"#)],
    ]))
    .await;
    let nca = pinned(&fake);
    let basics = nca
        .sign_cms(b"doc", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(basics.code, ErrorCode::UserCancelled);
    let common = nca
        .create_cades_from_base64("PKCS12", KeyType::Signature, b"doc", false)
        .await
        .unwrap_err();
    assert_eq!(common.code, ErrorCode::UserCancelled);
    assert_eq!(fake.connections(), 1, "a cancel keeps the connection");
}

#[tokio::test]
async fn pem_bare_base64_and_arrays_all_become_der() {
    let fake = start(replies(vec![
        vec![basics_ok(json!(CMS_PEM))],
        vec![basics_ok(json!([CMS_PEM]))],
        vec![text(
            &json!({"code":"200","responseObject":CMS_B64}).to_string(),
        )],
        vec![text(
            &json!({"responseObject":CMS_B64,"code":"200"}).to_string(),
        )],
    ]))
    .await;
    let nca = pinned(&fake);
    let o = SignOptions::default();
    assert_eq!(nca.sign_cms(b"a", false, &o).await.unwrap(), CMS_DER);
    assert_eq!(nca.sign_cms(b"a", false, &o).await.unwrap(), CMS_DER);
    assert_eq!(
        nca.create_cades_from_base64("PKCS12", KeyType::Signature, b"a", true)
            .await
            .unwrap(),
        CMS_DER
    );
    assert_eq!(
        nca.create_cades_from_base64_hash("PKCS12", KeyType::Signature, &[1; 32])
            .await
            .unwrap(),
        CMS_DER
    );
    let sent = fake.requests();
    let args = &sent[0]["args"];
    assert_eq!(args["format"], "cms");
    assert_eq!(
        args["data"],
        base64::engine::general_purpose::STANDARD.encode(b"a")
    );
    assert_eq!(args["signingParams"]["decode"], true);
    assert_eq!(args["signingParams"]["encapsulate"], false);
    assert_eq!(
        args["signerParams"]["extKeyUsageOids"],
        json!(["1.3.6.1.5.5.7.3.4"])
    );
    assert_eq!(
        sent[2]["args"],
        json!(["PKCS12", "SIGNATURE", "YQ==", true])
    );
    assert_eq!(sent[3]["method"], "createCAdESFromBase64Hash");
}

#[tokio::test]
async fn heartbeats_between_request_and_reply_are_ignored() {
    let fake = start(replies(vec![vec![
        Act::Heartbeat,
        Act::Heartbeat,
        text(r#"{"code":"200","responseObject":["AKKaztokenStore"]}"#),
    ]]))
    .await;
    let nca = pinned(&fake);
    assert_eq!(
        nca.get_active_tokens().await.unwrap(),
        vec!["AKKaztokenStore"]
    );
}

#[tokio::test]
async fn garbage_and_wrong_shapes_are_protocol_errors() {
    let fake = start(replies(vec![
        vec![text("<html>Hello</html>")],
        vec![text(r#"{"foo":"bar"}"#)],
        vec![text("[1,2,3]")],
        vec![basics_ok(json!(42))],
        vec![text(
            r#"{"code":"200","responseObject":["AKKaztokenStore"]}"#,
        )],
    ]))
    .await;
    let nca = pinned(&fake);
    for _ in 0..3 {
        let err = nca.get_active_tokens().await.unwrap_err();
        assert_eq!(err.code, ErrorCode::SignerProtocol);
    }
    let err = nca
        .sign_cms(b"a", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerProtocol);
    assert_eq!(
        nca.get_active_tokens().await.unwrap(),
        vec!["AKKaztokenStore"]
    );
}

#[tokio::test]
async fn a_100_mb_frame_is_refused_cleanly_and_the_next_call_reconnects() {
    let fake = start(replies(vec![
        vec![Act::Huge(100 * 1024 * 1024)],
        vec![text(r#"{"code":"200","responseObject":[]}"#)],
    ]))
    .await;
    let nca = pinned(&fake);
    let err = nca.get_active_tokens().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerProtocol);
    assert!(err.message.contains("слишком большое"), "{}", err.message);
    assert_eq!(nca.get_active_tokens().await.unwrap(), Vec::<String>::new());
    assert_eq!(fake.connections(), 2);
}

#[tokio::test]
async fn connection_closed_mid_request_fails_it_and_the_next_call_reconnects() {
    let fake = start(replies(vec![
        vec![Act::Drop],
        vec![text(
            r#"{"code":"200","responseObject":["AKKZIDCardStore"]}"#,
        )],
    ]))
    .await;
    let nca = pinned(&fake);
    let err = nca.get_active_tokens().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerUnavailable);
    assert!(!nca.diagnostics().await.connected);
    assert_eq!(
        nca.get_active_tokens().await.unwrap(),
        vec!["AKKZIDCardStore"]
    );
    assert_eq!(fake.connections(), 2);
}

#[tokio::test]
async fn a_reply_that_never_comes_times_out_and_a_late_one_is_not_taken() {
    let fake = start(replies(vec![
        vec![
            Act::Wait(Duration::from_millis(800)),
            basics_ok(json!(["bGF0ZQ=="])),
        ],
        vec![text(
            r#"{"code":"200","responseObject":["AKKaztokenStore"]}"#,
        )],
    ]))
    .await;
    let mut s = Settings::new(Pinning::Pin(fake.pin()));
    s.url = fake.url();
    s.reply_timeout = Duration::from_millis(300);
    let nca = NcaLayer::new(s).unwrap();
    let err = nca
        .sign_cms(b"a", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout);
    tokio::time::sleep(Duration::from_millis(700)).await;
    // The late reply went to the dropped connection, not to this request.
    assert_eq!(
        nca.get_active_tokens().await.unwrap(),
        vec!["AKKaztokenStore"]
    );
    assert_eq!(fake.connections(), 2);
}

#[tokio::test]
async fn ncalayer_errors_keep_their_code_and_message() {
    let fake = start(replies(vec![
        vec![text(r#"{"status":false,"code":"SIGNING_FAILURE","message":"Signing has failed.","details":"x"}"#)],
        vec![text(r#"{"code":"500","message":"storage.empty"}"#)],
        vec![text(r#"{"success":false,"errorCode":"MODULE_NOT_FOUND"}"#)],
        vec![text(r#"{"code":"500"}"#)],
    ]))
    .await;
    let nca = pinned(&fake);
    let f = nca
        .sign_cms(b"a", false, &SignOptions::default())
        .await
        .unwrap_err();
    assert_eq!(f.code, ErrorCode::SignerError);
    assert_eq!(f.ncalayer_code.as_deref(), Some("SIGNING_FAILURE"));
    assert_eq!(f.ncalayer_message.as_deref(), Some("Signing has failed."));
    let f = nca.get_key_info("AKKaztokenStore").await.unwrap_err();
    assert_eq!(f.ncalayer_message.as_deref(), Some("storage.empty"));
    assert!(f.message.contains("не подключено"), "{}", f.message);
    let f = nca.get_active_tokens().await.unwrap_err();
    assert!(f.is_module_not_found());
    let f = nca.change_locale("en").await.unwrap_err();
    assert_eq!(f.ncalayer_code.as_deref(), Some("500"));
    let core: qoltanba_core::Error = f.into();
    assert_eq!(core.code, ErrorCode::SignerError);
}

#[tokio::test]
async fn key_info_reads_both_date_forms() {
    let fake = start(replies(vec![
        vec![text(
            r#"{"code":"200","responseObject":{"alias":"a1","subjectCn":"ТЕСТОВ ТЕСТ","serialNumber":"1f","certNotBefore":"1700000000000","certNotAfter":"05.03.2027 09:07:01","pem":"x"}}"#,
        )],
    ]))
    .await;
    let nca = pinned(&fake);
    let k = nca.get_key_info("PKCS12").await.unwrap();
    assert_eq!(k.subject_cn.as_deref(), Some("ТЕСТОВ ТЕСТ"));
    assert!(matches!(k.cert_not_before, Some(KeyTime::Instant(t)) if t.day().year() == 2023));
    assert!(
        matches!(k.cert_not_after, Some(KeyTime::Local(t)) if t.to_string() == "2027-03-05 09:07:01")
    );
    assert_eq!(k.issuer_dn, None);
}

#[tokio::test]
async fn xml_signing_single_and_many() {
    let fake = start(replies(vec![
        vec![text(
            r#"{"code":"200","responseObject":"<a><ds:Signature/></a>"}"#,
        )],
        vec![text(
            r#"{"code":"200","responseObject":["<a>1</a>","<a>2</a>"]}"#,
        )],
        vec![basics_ok(json!(["<b><ds:Signature/></b>"]))],
        vec![basics_ok(json!(["<b>1</b>"]))],
    ]))
    .await;
    let nca = pinned(&fake);
    let one = nca
        .sign_xml("PKCS12", KeyType::Signature, "<a/>", "", "")
        .await
        .unwrap();
    assert!(one.contains("Signature"));
    let many = nca
        .sign_xmls("PKCS12", KeyType::Signature, &["<a>1</a>", "<a>2</a>"])
        .await
        .unwrap();
    assert_eq!(many, vec!["<a>1</a>", "<a>2</a>"]);
    let o = SignOptions::default();
    assert!(nca
        .sign_xml_document("<b/>", &o)
        .await
        .unwrap()
        .contains("Signature"));
    // Two documents sent, one signature back: nothing is accepted.
    let err = nca
        .sign_xml_documents(&["<b>1</b>", "<b>2</b>"], &o)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerProtocol);
    assert_eq!(fake.requests()[2]["args"]["format"], "xml");
}

/// A fake NCALayer batch signer: each "CMS" is DER wrapping the document itself, so the test can
/// see which signature belongs to which document.
fn wrap(doc: &[u8]) -> Vec<u8> {
    let mut der = vec![0x30, doc.len() as u8];
    der.extend_from_slice(doc);
    der
}

#[tokio::test]
async fn batch_sends_one_request_per_chunk_and_maps_results_by_position() {
    let fake = start(std::sync::Arc::new(|_, req: &serde_json::Value| {
        let e = base64::engine::general_purpose::STANDARD;
        let signed: Vec<String> = req["args"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let doc = e.decode(d.as_str().unwrap()).unwrap();
                format!(
                    "-----BEGIN CMS-----\n{}\n-----END CMS-----",
                    e.encode(wrap(&doc))
                )
            })
            .collect();
        vec![basics_ok(json!(signed))]
    }))
    .await;
    let nca = pinned(&fake);
    let docs: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("document {i}").into_bytes())
        .collect();
    let refs: Vec<&[u8]> = docs.iter().map(|d| d.as_slice()).collect();
    let out = nca.sign_batch(&refs, 2, &SignOptions::default()).await;
    assert_eq!(out.len(), 5);
    for (doc, cms) in docs.iter().zip(&out) {
        assert_eq!(cms.as_ref().unwrap(), &wrap(doc));
    }
    let sizes: Vec<usize> = fake
        .requests()
        .iter()
        .map(|r| r["args"]["data"].as_array().unwrap().len())
        .collect();
    assert_eq!(
        sizes,
        vec![2, 2, 1],
        "one request (one PIN prompt) per chunk"
    );
}

#[tokio::test]
async fn batch_result_count_mismatch_signs_nothing_from_that_chunk() {
    for wrong in [json!([CMS_PEM]), json!([CMS_PEM, CMS_PEM, CMS_PEM])] {
        let fake = start(replies(vec![
            vec![basics_ok(json!([CMS_PEM, CMS_PEM]))],
            vec![basics_ok(wrong)],
        ]))
        .await;
        let nca = pinned(&fake);
        let docs: [&[u8]; 5] = [b"1", b"2", b"3", b"4", b"5"];
        let out = nca.sign_batch(&docs, 2, &SignOptions::default()).await;
        assert!(out[0].is_ok() && out[1].is_ok());
        for r in &out[2..] {
            assert_eq!(r.as_ref().unwrap_err().code, ErrorCode::SignerProtocol);
        }
        assert_eq!(
            fake.requests().len(),
            2,
            "no chunk is sent after a failed one"
        );
    }
}

#[tokio::test]
async fn batch_cancel_stops_and_marks_every_unsigned_document_cancelled() {
    let fake = start(replies(vec![vec![text(r#"{"status":true,"body":{}}"#)]])).await;
    let nca = pinned(&fake);
    let docs: [&[u8]; 3] = [b"1", b"2", b"3"];
    let out = nca.sign_batch(&docs, 2, &SignOptions::default()).await;
    assert!(out
        .iter()
        .all(|r| r.as_ref().unwrap_err().code == ErrorCode::UserCancelled));
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn concurrent_callers_queue_and_each_gets_its_own_reply() {
    let fake = start(std::sync::Arc::new(|_, req: &serde_json::Value| {
        let storage = req["args"][0].as_str().unwrap_or("").to_string();
        vec![
            Act::Wait(Duration::from_millis(50)),
            Act::Send(json!({"code":"200","responseObject":{"alias":storage}}).to_string()),
        ]
    }))
    .await;
    let nca = std::sync::Arc::new(pinned(&fake));
    let mut tasks = vec![];
    for i in 0..4 {
        let nca = nca.clone();
        tasks.push(tokio::spawn(async move {
            let storage = format!("S{i}");
            let k = nca.get_key_info(&storage).await.unwrap();
            assert_eq!(k.alias.as_deref(), Some(storage.as_str()));
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(fake.connections(), 1);
}

#[tokio::test]
async fn a_request_abandoned_by_its_caller_never_answers_the_next_one() {
    let fake = start(std::sync::Arc::new(|_, req: &serde_json::Value| {
        let storage = req["args"][0].as_str().unwrap_or("").to_string();
        vec![
            Act::Wait(Duration::from_millis(300)),
            Act::Send(json!({"code":"200","responseObject":{"alias":storage}}).to_string()),
        ]
    }))
    .await;
    let nca = pinned(&fake);
    // The caller gives up (e.g. the window closed): its future is dropped mid-request.
    let gave_up = tokio::time::timeout(Duration::from_millis(100), nca.get_key_info("first")).await;
    assert!(gave_up.is_err());
    tokio::time::sleep(Duration::from_millis(400)).await; // the late reply has arrived by now
    let k = nca.get_key_info("second").await.unwrap();
    assert_eq!(k.alias.as_deref(), Some("second"));
    assert_eq!(fake.connections(), 2);
}
