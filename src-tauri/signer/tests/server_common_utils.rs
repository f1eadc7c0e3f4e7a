//! Module kz.gov.pki.knca.commonUtils over a real socket: greeting, heartbeat, every method and
//! the error replies of the protocol note.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::client::Client;
use common::{keystore, openssl_verify, stderr};
use qoltanba_signer::server::{Running, Server};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CU: &str = "kz.gov.pki.knca.commonUtils";

async fn server() -> Running {
    // Auth key first: keyType must pick by usage, not by order.
    Server::new(vec![keystore("employee_auth"), keystore("employee_sign")])
        .spawn()
        .await
        .unwrap()
}

fn call(method: &str, args: Value) -> Value {
    json!({"module": CU, "method": method, "args": args})
}

fn der_of(reply: &Value) -> Vec<u8> {
    assert_eq!(reply["code"], "200", "{reply}");
    B64.decode(reply["responseObject"].as_str().expect("base64 string"))
        .unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn greeting_then_heartbeat_echo() {
    let s = server().await;
    let mut c = Client::plain(s.addr()).await;
    assert_eq!(
        c.next_text().await.unwrap(),
        r#"{"result":{"version":"1.4"}}"#
    );
    c.send_text("--heartbeat--").await;
    assert_eq!(c.next_text().await.unwrap(), "--heartbeat--");
    s.shutdown().await;
}

#[tokio::test]
async fn active_tokens_lists_no_hardware_and_locale_changes() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    assert_eq!(
        c.request(call("getActiveTokens", json!([]))).await,
        json!({"code": "200", "responseObject": []})
    );
    assert_eq!(
        c.request(call("changeLocale", json!(["kk"]))).await,
        json!({"code": "200"})
    );
    // Legacy clients tag a request with a uuid and look for it in the reply.
    let mut tagged = call("getActiveTokens", json!([]));
    tagged["uuid"] = json!("2f1c");
    assert_eq!(c.request(tagged).await["uuid"], "2f1c");
    s.shutdown().await;
}

#[tokio::test]
async fn key_info_has_every_field() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let reply = c.request(call("getKeyInfo", json!(["PKCS12"]))).await;
    assert_eq!(reply["code"], "200", "{reply}");
    let info = &reply["responseObject"];
    for field in [
        "alias",
        "keyId",
        "algorithm",
        "subjectCn",
        "subjectDn",
        "issuerCn",
        "issuerDn",
        "serialNumber",
        "certNotBefore",
        "certNotAfter",
        "authorityKeyIdentifier",
        "pem",
    ] {
        let v = info[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field} missing: {info}"));
        assert!(!v.is_empty(), "{field} empty");
    }
    assert_eq!(info["algorithm"], "RSA");
    assert_eq!(info["subjectCn"], "ТЕСТОВ АЙДАР");
    assert!(info["subjectDn"]
        .as_str()
        .unwrap()
        .contains("SERIALNUMBER=IIN850315300128"));
    assert!(info["subjectDn"]
        .as_str()
        .unwrap()
        .contains("OU=BIN123456789021"));
    assert_eq!(info["issuerCn"], "QOLTANBA TEST CA (RSA)");
    let from: i64 = info["certNotBefore"].as_str().unwrap().parse().unwrap();
    let to: i64 = info["certNotAfter"].as_str().unwrap().parse().unwrap();
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    assert!(from < now_ms && now_ms < to);
    assert!(info["pem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    s.shutdown().await;
}

#[tokio::test]
async fn hardware_storage_is_empty_and_unknown_storage_unknown() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    assert_eq!(
        c.request(call("getKeyInfo", json!(["AKKaztokenStore"])))
            .await,
        json!({"code": "500", "message": "storage.empty"})
    );
    assert_eq!(
        c.request(call(
            "createCAdESFromBase64",
            json!(["AKKZIDCardStore", "SIGNATURE", "aGk=", false])
        ))
        .await,
        json!({"code": "500", "message": "storage.empty"})
    );
    assert_eq!(
        c.request(call("getKeyInfo", json!(["FLOPPY"]))).await,
        json!({"code": "500", "message": "storage.unknown"})
    );
    s.shutdown().await;
}

#[tokio::test]
async fn cades_attached_and_detached_verify_with_openssl() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let data = "Отчёт о реализации товара за октябрь".as_bytes();
    let dir = tempfile::tempdir().unwrap();
    for method in ["createCAdESFromBase64", "createCMSSignatureFromBase64"] {
        let attached = der_of(
            &c.request(call(
                method,
                json!(["PKCS12", "SIGNATURE", B64.encode(data), true]),
            ))
            .await,
        );
        let v = openssl_verify(dir.path(), &attached, None);
        assert!(v.status.success(), "{method}: {}", stderr(&v));
        assert_eq!(std::fs::read(dir.path().join("out.bin")).unwrap(), data);

        let detached = der_of(
            &c.request(call(
                method,
                json!(["PKCS12", "SIGNATURE", B64.encode(data), false]),
            ))
            .await,
        );
        assert!(
            !contains(&detached, data),
            "{method}: detached must not carry the data"
        );
        let v = openssl_verify(dir.path(), &detached, Some(data));
        assert!(v.status.success(), "{method}: {}", stderr(&v));
    }
    s.shutdown().await;
}

#[tokio::test]
async fn key_type_picks_signing_or_authentication_key() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let sign_cert = keystore("employee_sign").certificate_der().to_vec();
    let auth_cert = keystore("employee_auth").certificate_der().to_vec();
    let signature = der_of(
        &c.request(call(
            "createCAdESFromBase64",
            json!(["PKCS12", "SIGNATURE", "aGk=", false]),
        ))
        .await,
    );
    assert!(contains(&signature, &sign_cert) && !contains(&signature, &auth_cert));
    let auth = der_of(
        &c.request(call(
            "createCAdESFromBase64",
            json!(["PKCS12", "AUTHENTICATION", "aGk=", false]),
        ))
        .await,
    );
    assert!(contains(&auth, &auth_cert) && !contains(&auth, &sign_cert));
    // Any other keyType: any key, the first loaded.
    let any = der_of(
        &c.request(call(
            "createCAdESFromBase64",
            json!(["PKCS12", "ALL", "aGk=", false]),
        ))
        .await,
    );
    assert!(contains(&any, &auth_cert));
    s.shutdown().await;
}

#[tokio::test]
async fn cades_over_a_hash_verifies_against_the_document() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let data = b"closing document bytes";
    let hash = B64.encode(Sha256::digest(data));
    let der = der_of(
        &c.request(call(
            "createCAdESFromBase64Hash",
            json!(["PKCS12", "SIGNATURE", hash]),
        ))
        .await,
    );
    let dir = tempfile::tempdir().unwrap();
    let v = openssl_verify(dir.path(), &der, Some(data));
    assert!(v.status.success(), "{}", stderr(&v));
    s.shutdown().await;
}

#[tokio::test]
async fn sign_xml_and_xmls_verify_with_xmlsec() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = common::manifest().ca.to_str().unwrap().to_string();
    let verify = |xml: &str| {
        let p = dir.path().join("s.xml");
        std::fs::write(&p, xml).unwrap();
        common::run(
            "xmlsec1",
            &["--verify", "--trusted-pem", &ca, p.to_str().unwrap()],
        )
    };
    let reply = c
        .request(call(
            "signXml",
            json!(["PKCS12", "SIGNATURE", "<a><b>1</b></a>", "", ""]),
        ))
        .await;
    assert_eq!(reply["code"], "200", "{reply}");
    let out = verify(reply["responseObject"].as_str().unwrap());
    assert!(out.status.success(), "{}", stderr(&out));

    let reply = c
        .request(call(
            "signXmls",
            json!(["PKCS12", "SIGNATURE", ["<x>1</x>", "<y a=\"2\"/>"], "", ""]),
        ))
        .await;
    let signed = reply["responseObject"].as_array().expect("array");
    assert_eq!(signed.len(), 2);
    assert!(signed[0].as_str().unwrap().starts_with("<x>"));
    assert!(signed[1].as_str().unwrap().starts_with("<y a=\"2\">"));
    for xml in signed {
        let out = verify(xml.as_str().unwrap());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    s.shutdown().await;
}

#[tokio::test]
async fn error_replies_match_ncalayer() {
    let s = server().await;
    let mut c = Client::connect_plain(s.addr()).await;
    let bad_xml = c
        .request(call(
            "signXml",
            json!(["PKCS12", "SIGNATURE", "<a><b></a>", "", ""]),
        ))
        .await;
    assert_eq!(bad_xml["code"], "500");
    let message = bad_xml["message"].as_str().unwrap();
    assert!(
        message.starts_with("org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: "),
        "{message}"
    );

    assert_eq!(
        c.request(call(
            "createCAdESFromBase64",
            json!(["PKCS12", "SIGNATURE", "aGk=", "true"])
        ))
        .await,
        json!({"code": "500", "message": "java.lang.IllegalArgumentException: argument type mismatch. Method: createCAdESFromBase64"})
    );
    assert_eq!(
        c.request(call("getKeyInfo", json!([42]))).await,
        json!({"code": "500", "message": "java.lang.IllegalArgumentException: argument type mismatch. Method: getKeyInfo"})
    );
    assert_eq!(
        c.request(call("fooBar", json!([]))).await,
        json!({"code": "500", "message": "NoSuchMethodException fooBar"})
    );
    assert_eq!(
        c.request(json!({"module": "kz.digiflow.mobile.extensions", "method": "getVersion"}))
            .await,
        json!({"success": false, "errorCode": "MODULE_NOT_FOUND"})
    );
    // The connection still serves after errors.
    assert_eq!(
        c.request(call("getActiveTokens", json!([]))).await["code"],
        "200"
    );
    s.shutdown().await;
}
