//! End to end: the NCALayer client signs through qoltanba-signer (a real NCALayer-compatible
//! service on 127.0.0.1 over wss://, real CMS from PKCS#12 test keys in NCA's profile), and the
//! signature module checks every CMS that comes back, as the app does before keeping it.

use std::time::Duration;

use qoltanba_core::model::Timestamp;
use qoltanba_core::ncalayer::{KeyType, NcaLayer, Pinning, Settings, SignOptions};
use qoltanba_core::signature::{
    certificates_from, check_own, verify_detached, verify_xml_with, Indication, SubIndication,
    Validation,
};
use qoltanba_core::ErrorCode;
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::fault::Fault;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{self, Manifest, SELLER_BIN};
use qoltanba_signer::tls::TlsIdentity;
use sha2::{Digest, Sha256};

const DOC: &[u8] = "Акт сверки взаиморасчётов за 3 квартал 2026\n".as_bytes();

struct Kit {
    _dir: tempfile::TempDir,
    manifest: Manifest,
}

fn kit() -> Kit {
    let dir = tempfile::tempdir().unwrap();
    let manifest = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    Kit {
        _dir: dir,
        manifest,
    }
}

impl Kit {
    fn keys(&self, roles: &[&str]) -> Vec<Keystore> {
        roles
            .iter()
            .map(|r| Keystore::open(self.manifest.path(r), &self.manifest.password).unwrap())
            .collect()
    }
}

async fn serve(server: Server) -> Running {
    server
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
    s.reply_timeout = Duration::from_secs(20);
    NcaLayer::new(s).unwrap()
}

fn seller_options() -> SignOptions {
    SignOptions {
        bin: Some(SELLER_BIN.into()),
        allow_test_certificates: true,
        ..SignOptions::default()
    }
}

#[tokio::test]
async fn signs_through_the_signer_and_every_signature_passes_our_checks() {
    let kit = kit();
    let running = serve(Server::new(kit.keys(&["employee_sign", "employee_auth"]))).await;
    let nca = client_for(&running);
    let now = Timestamp::now();

    assert!(!nca.version().await.unwrap().is_empty());
    nca.change_locale("kk").await.unwrap();
    assert!(nca.get_active_tokens().await.is_ok());
    let info = nca.get_key_info("PKCS12").await.unwrap();
    assert!(info.subject_dn.is_some() && info.cert_not_after.is_some());

    // basics, one document, detached CMS.
    let cms = nca.sign_cms(DOC, false, &seller_options()).await.unwrap();
    let who = check_own(&cms, DOC, SELLER_BIN, now).unwrap();
    assert_eq!(who.iin.as_deref(), Some(testkeys::EMPLOYEE_IIN));

    // commonUtils: CMS over the data and over its hash.
    let cms = nca
        .create_cades_from_base64("PKCS12", KeyType::Signature, DOC, false)
        .await
        .unwrap();
    check_own(&cms, DOC, SELLER_BIN, now).unwrap();
    let cms = nca
        .create_cades_from_base64_hash("PKCS12", KeyType::Signature, &Sha256::digest(DOC))
        .await
        .unwrap();
    assert_eq!(
        verify_detached(&cms, DOC, now).indication,
        Indication::TotalPassed
    );

    // XML through both modules: each result is verified as the app verifies an XML document
    // (enveloped XMLDSig, chain to the test CA), names the seller's employee, and covers its own
    // document only.
    let mut trust = Validation::new(now);
    trust.anchors = certificates_from(&std::fs::read(&kit.manifest.ca).unwrap()).unwrap();
    let verified = |xml: &str, what: &str| {
        let v = verify_xml_with(xml.as_bytes(), &trust).unwrap();
        assert_eq!(v.len(), 1, "{what}: one signature");
        assert!(v[0].passed() && v[0].intact, "{what}: {:#?}", v[0]);
        let signer = v[0].signer.as_ref().expect("the signer is named");
        assert_eq!(signer.bin.as_deref(), Some(SELLER_BIN), "{what}");
        assert_eq!(
            signer.iin.as_deref(),
            Some(testkeys::EMPLOYEE_IIN),
            "{what}"
        );
    };
    let xml = nca
        .sign_xml("PKCS12", KeyType::Signature, "<act><n>1</n></act>", "", "")
        .await
        .unwrap();
    verified(&xml, "signXml");
    let xmls = nca
        .sign_xml_documents(&["<a>1</a>", "<a>2</a>"], &seller_options())
        .await
        .unwrap();
    assert_eq!(xmls.len(), 2);
    for (i, xml) in xmls.iter().enumerate() {
        let n = i + 1;
        assert!(
            xml.contains(&format!("<a>{n}")),
            "document {n} in its place"
        );
        verified(xml, &format!("signXmls {n}"));
        // The same signature over the other document's content does not pass.
        let other = xml.replacen(&format!("<a>{n}"), &format!("<a>{}", 3 - n), 1);
        let v = verify_xml_with(other.as_bytes(), &trust).unwrap();
        assert_eq!(
            (v[0].indication, v[0].sub_indication),
            (Indication::TotalFailed, Some(SubIndication::HashFailure)),
            "signXmls {n} moved to the other document"
        );
    }
    running.shutdown().await;
}

#[tokio::test]
async fn a_batch_comes_back_in_order_each_signature_over_its_own_document() {
    let kit = kit();
    let running = serve(Server::new(kit.keys(&["employee_sign"]))).await;
    let nca = client_for(&running);
    let docs: Vec<Vec<u8>> = (1..=5)
        .map(|i| format!("Отчёт о реализации № {i}").into_bytes())
        .collect();
    let refs: Vec<&[u8]> = docs.iter().map(|d| d.as_slice()).collect();
    let out = nca.sign_batch(&refs, 2, &seller_options()).await;
    let now = Timestamp::now();
    for (i, (doc, cms)) in docs.iter().zip(&out).enumerate() {
        let cms = cms.as_ref().unwrap();
        check_own(cms, doc, SELLER_BIN, now).unwrap();
        // …and not over its neighbour's.
        let other = &docs[(i + 1) % docs.len()];
        assert!(!verify_detached(cms, other, now).passed());
    }
    running.shutdown().await;
}

#[tokio::test]
async fn an_authentication_key_chosen_in_the_signer_is_refused_before_keeping() {
    let kit = kit();
    let running = serve(Server::new(kit.keys(&["employee_auth"]))).await;
    let nca = client_for(&running);
    // Without the EKU filter the signer offers (and uses) the authentication key.
    let options = SignOptions {
        ext_key_usage_oids: vec![],
        ..seller_options()
    };
    let cms = nca.sign_cms(DOC, false, &options).await.unwrap();
    let err = check_own(&cms, DOC, SELLER_BIN, Timestamp::now()).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongSigner);
    // With the default filter (signing EKU) no key fits: the signer refuses, typed.
    let err = nca
        .sign_cms(DOC, false, &seller_options())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerError);
    assert!(err.ncalayer_code.is_some());
    running.shutdown().await;
}

#[tokio::test]
async fn cancel_in_the_signer_is_user_cancelled() {
    let kit = kit();
    let running = serve(Server::new(kit.keys(&["employee_sign"])).confirm(Confirm::Cancel)).await;
    let nca = client_for(&running);
    let basics = nca
        .sign_cms(DOC, false, &seller_options())
        .await
        .unwrap_err();
    assert_eq!(basics.code, ErrorCode::UserCancelled);
    let common = nca
        .create_cades_from_base64("PKCS12", KeyType::Signature, DOC, false)
        .await
        .unwrap_err();
    assert_eq!(common.code, ErrorCode::UserCancelled);
    running.shutdown().await;
}

#[tokio::test]
async fn first_use_shows_the_signers_fingerprint_and_a_wrong_pin_sends_nothing() {
    let kit = kit();
    let running = serve(Server::new(kit.keys(&["employee_sign"]))).await;
    let mut s = Settings::new(Pinning::FirstUse);
    s.url = running.url();
    let nca = NcaLayer::new(s.clone()).unwrap();
    let d = nca.probe().await;
    assert_eq!(
        d.certificate_sha256.as_deref(),
        running.certificate_sha256()
    );
    assert_eq!(
        nca.sign_cms(DOC, false, &seller_options())
            .await
            .unwrap_err()
            .code,
        ErrorCode::CertificatePin
    );

    s.trust = Pinning::Pin([0xAB; 32]);
    let wrong = NcaLayer::new(s).unwrap();
    let err = wrong
        .sign_cms(DOC, false, &seller_options())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::CertificatePin);
    running.shutdown().await;
}

#[tokio::test]
async fn a_broken_signer_gives_typed_errors() {
    let kit = kit();
    let cases = [
        (Fault::CloseMidRequest, ErrorCode::SignerUnavailable),
        (Fault::NeverReply, ErrorCode::Timeout),
        (Fault::NonJson, ErrorCode::SignerProtocol),
        (Fault::WrongGreeting, ErrorCode::SignerProtocol),
        (Fault::NoGreeting, ErrorCode::SignerProtocol),
    ];
    for (fault, expected) in cases {
        let running = serve(Server::new(kit.keys(&["employee_sign"])).fault(fault)).await;
        let mut s =
            Settings::new(Pinning::pin_from_hex(running.certificate_sha256().unwrap()).unwrap());
        s.url = running.url();
        s.connect_timeout = Duration::from_millis(700);
        s.reply_timeout = Duration::from_millis(700);
        let nca = NcaLayer::new(s).unwrap();
        let err = nca
            .sign_cms(DOC, false, &seller_options())
            .await
            .unwrap_err();
        assert_eq!(err.code, expected, "{fault:?}: {}", err.message);
        running.shutdown().await;
    }
}

#[tokio::test]
async fn when_the_signer_stops_and_comes_back_the_client_reconnects() {
    let kit = kit();
    let identity = TlsIdentity::generate().unwrap();
    let running = Server::new(kit.keys(&["employee_sign"]))
        .tls(identity.clone())
        .spawn()
        .await
        .unwrap();
    let addr = running.addr();
    let nca = client_for(&running);
    nca.sign_cms(DOC, false, &seller_options()).await.unwrap();
    running.shutdown().await;

    let err = nca
        .sign_cms(DOC, false, &seller_options())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignerUnavailable);
    let err = nca
        .sign_cms(DOC, false, &seller_options())
        .await
        .unwrap_err();
    assert!(
        err.message.starts_with("NCALayer не запущен"),
        "{}",
        err.message
    );

    // Same port, same certificate (NCALayer restarted): the next call just works.
    let running = Server::new(kit.keys(&["employee_sign"]))
        .tls(identity)
        .addr(addr)
        .spawn()
        .await
        .unwrap();
    let cms = nca.sign_cms(DOC, false, &seller_options()).await.unwrap();
    check_own(&cms, DOC, SELLER_BIN, Timestamp::now()).unwrap();
    running.shutdown().await;
}

#[tokio::test]
async fn a_signer_restarted_while_idle_is_picked_up_without_an_error() {
    let kit = kit();
    let identity = TlsIdentity::generate().unwrap();
    let spawn = |addr| {
        Server::new(kit.keys(&["employee_sign"]))
            .tls(identity.clone())
            .addr(addr)
            .spawn()
    };
    let running = spawn("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = running.addr();
    let nca = client_for(&running);
    nca.sign_cms(DOC, false, &seller_options()).await.unwrap();
    running.shutdown().await;
    let running = spawn(addr).await.unwrap();
    // The old connection was closed while idle: the client notices before sending anything.
    let cms = nca.sign_cms(DOC, false, &seller_options()).await.unwrap();
    check_own(&cms, DOC, SELLER_BIN, Timestamp::now()).unwrap();
    running.shutdown().await;
}
