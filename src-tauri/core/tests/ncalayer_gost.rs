//! End to end with GOST keys: core's NCALayer client asks qoltanba-signer (wss://, pinned) to
//! sign with GOST-2015-512 test keys through every method RSA keys serve, and core's verifier
//! judges each result with the GOST test CA as trust anchor.

use std::time::Duration;

use qoltanba_core::model::Timestamp;
use qoltanba_core::ncalayer::{KeyType, NcaLayer, Pinning, Settings, SignOptions};
use qoltanba_core::signature::{
    certificates_from, check_own, verify_attached_with, verify_detached_with, verify_xml_with,
    Indication, Validation, Verdict,
};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{self, Manifest, SELLER_BIN};
use qoltanba_signer::tls::TlsIdentity;
use sha2::Digest;

const DOC: &[u8] = "Счёт-фактура № 77 от 30.10.2026\n".as_bytes();
const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><invoice><n>77</n></invoice>";

fn gost_ca(m: &Manifest) -> Validation {
    let mut v = Validation::new(Timestamp::now());
    v.anchors = certificates_from(&std::fs::read(m.gost_ca.as_ref().unwrap()).unwrap()).unwrap();
    v
}

fn passed(v: &Verdict, what: &str) {
    assert_eq!(v.indication, Indication::TotalPassed, "{what}: {v:#?}");
    assert!(
        v.algorithm.as_deref().unwrap_or("").contains("2015"),
        "{what}"
    );
}

async fn serve(m: &Manifest, roles: &[&str]) -> Running {
    let keys = roles
        .iter()
        .map(|r| Keystore::open(m.path(r), &m.password).unwrap())
        .collect();
    Server::new(keys)
        .tls(TlsIdentity::generate().unwrap())
        .spawn()
        .await
        .unwrap()
}

fn client_for(running: &Running) -> NcaLayer {
    let mut s =
        Settings::new(Pinning::pin_from_hex(running.certificate_sha256().unwrap()).unwrap());
    s.url = running.url();
    s.connect_timeout = Duration::from_secs(2);
    s.reply_timeout = Duration::from_secs(30);
    NcaLayer::new(s).unwrap()
}

#[tokio::test]
async fn every_method_signs_with_a_gost_key_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let m = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    let v = gost_ca(&m);
    let running = serve(&m, &["employee_auth_gost", "employee_sign_gost"]).await;
    let nca = client_for(&running);

    let info = nca.get_key_info("PKCS12").await.unwrap();
    assert_eq!(info.algorithm.as_deref(), Some("ECGOST3410-2015"));

    for attach in [false, true] {
        let cms = nca
            .create_cades_from_base64("PKCS12", KeyType::Signature, DOC, attach)
            .await
            .unwrap();
        let verdicts = if attach {
            verify_attached_with(&cms, &v)
        } else {
            verify_detached_with(&cms, DOC, &v)
        };
        passed(&verdicts[0], &format!("commonUtils attach={attach}"));
    }

    let hash = streebog::Streebog512::digest(DOC);
    let cms = nca
        .create_cades_from_base64_hash("PKCS12", KeyType::Signature, &hash)
        .await
        .unwrap();
    passed(
        &verify_detached_with(&cms, DOC, &v)[0],
        "over a Streebog-512 hash",
    );
    // A SHA-256 hash is not a GOST key's hash: refused, nothing signed.
    assert!(nca
        .create_cades_from_base64_hash("PKCS12", KeyType::Signature, &sha2::Sha256::digest(DOC))
        .await
        .is_err());

    let options = SignOptions {
        bin: Some(SELLER_BIN.into()),
        allow_test_certificates: true,
        ..SignOptions::default()
    };
    let docs: Vec<Vec<u8>> = (1..=3).map(|i| format!("акт {i}").into_bytes()).collect();
    let refs: Vec<&[u8]> = docs.iter().map(|d| d.as_slice()).collect();
    let sigs = nca.sign_cms_many(&refs, false, &options).await.unwrap();
    assert_eq!(sigs.len(), 3);
    for (doc, sig) in docs.iter().zip(&sigs) {
        passed(&verify_detached_with(sig, doc, &v)[0], "basics batch");
        let who = check_own(sig, doc, SELLER_BIN, Timestamp::now()).unwrap();
        assert_eq!(who.bin.as_deref(), Some(SELLER_BIN));
    }

    let xml = nca
        .sign_xml("PKCS12", KeyType::Signature, XML, "", "")
        .await
        .unwrap();
    assert!(xml.contains("pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"));
    passed(&verify_xml_with(xml.as_bytes(), &v).unwrap()[0], "signXml");
    let xmls = nca
        .sign_xmls("PKCS12", KeyType::Signature, &[XML, XML])
        .await
        .unwrap();
    for x in &xmls {
        passed(&verify_xml_with(x.as_bytes(), &v).unwrap()[0], "signXmls");
    }
    let basics_xml = nca.sign_xml_document(XML, &options).await.unwrap();
    passed(
        &verify_xml_with(basics_xml.as_bytes(), &v).unwrap()[0],
        "basics xml",
    );
    running.shutdown().await;
}
