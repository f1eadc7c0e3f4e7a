//! Sole proprietors (ИП) sign with their personal certificate: the seller's number is then an
//! IIN, and only the entrepreneur's own key (serialNumber "IIN…", no BIN) signs for it. Real
//! keys in NCA's profile from qoltanba-signer's `testkeys`, real CMS, a real store, and the
//! whole batch through a real qoltanba-signer over wss://.

mod support;

use std::time::Duration;

use qoltanba_core::import::import_bytes;
use qoltanba_core::model::Timestamp;
use qoltanba_core::ncalayer::{NcaLayer, Pinning, Settings as NcaSettings};
use qoltanba_core::signature::{check_seller, Seller, SellerKind};
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::{signing, ErrorCode};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::Server;
use qoltanba_signer::testkeys::{self, Manifest, INDIVIDUAL_IIN, OTHER_BIN, SELLER_BIN, SOLE_IIN};
use qoltanba_signer::tls::TlsIdentity;
use time::macros::datetime;
use time::OffsetDateTime;

/// The fixed clock of `support::open`: the test keys are valid around it.
const NOW: OffsetDateTime = datetime!(2026-11-01 09:00 UTC);

/// NOW as the core takes it (the signer's test keys are made with `time`, as rcgen wants).
fn now() -> Timestamp {
    Timestamp::from_unix(NOW.unix_timestamp()).unwrap()
}
const DOC: &[u8] = "Акт сверки взаиморасчётов с ИП за октябрь 2026\n".as_bytes();

fn keys() -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let m = testkeys::generate_at(dir.path(), testkeys::DEFAULT_PASSWORD, NOW).unwrap();
    (dir, m)
}

fn sign(m: &Manifest, role: &str) -> Vec<u8> {
    let key = Keystore::open(m.path(role), &m.password).unwrap();
    qoltanba_signer::cms::sign(&key, DOC, true).unwrap()
}

fn entrepreneur() -> Seller {
    Seller::new(SOLE_IIN, SellerKind::Iin)
}

fn organisation() -> Seller {
    Seller::new(SELLER_BIN, SellerKind::Bin)
}

#[test]
fn an_entrepreneurs_personal_key_signs_for_the_entrepreneur() {
    let (_dir, m) = keys();
    let who = check_seller(&sign(&m, "sole_sign"), DOC, &entrepreneur(), now()).unwrap();
    assert_eq!(who.iin.as_deref(), Some(SOLE_IIN));
    assert_eq!(who.bin, None);
    // The same for the entrepreneur's GOST-2015 key, as NCA issues most of them.
    let gost = Keystore::open(m.path("sole_sign_gost"), &m.password).unwrap();
    let cms = qoltanba_signer::cms::sign(&gost, DOC, true).unwrap();
    let who = check_seller(&cms, DOC, &entrepreneur(), now()).unwrap();
    assert_eq!(who.iin.as_deref(), Some(SOLE_IIN));
}

#[test]
fn someone_elses_personal_key_is_refused_naming_both_iins() {
    let (_dir, m) = keys();
    let err = check_seller(&sign(&m, "individual_sign"), DOC, &entrepreneur(), now()).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongSigner);
    assert!(err.message.contains(INDIVIDUAL_IIN), "{}", err.message);
    assert!(err.message.contains(SOLE_IIN), "{}", err.message);
}

#[test]
fn an_employee_key_is_checked_against_the_bin_and_every_refusal_names_both_numbers() {
    let (_dir, m) = keys();
    // An organisation's employee key signs for the organisation, as before.
    let who = check_seller(&sign(&m, "employee_sign"), DOC, &organisation(), now()).unwrap();
    assert_eq!(who.bin.as_deref(), Some(SELLER_BIN));

    for (role, seller, numbers) in [
        // Another organisation's employee for an organisation.
        ("other_org_sign", organisation(), [OTHER_BIN, SELLER_BIN]),
        // An employee key for an entrepreneur: the entrepreneur signs personally.
        ("employee_sign", entrepreneur(), [SELLER_BIN, SOLE_IIN]),
        // The entrepreneur's personal key for an organisation.
        ("sole_sign", organisation(), [SOLE_IIN, SELLER_BIN]),
        // Someone's personal key for an organisation.
        (
            "individual_sign",
            organisation(),
            [INDIVIDUAL_IIN, SELLER_BIN],
        ),
    ] {
        let err = check_seller(&sign(&m, role), DOC, &seller, now()).unwrap_err();
        assert_eq!(err.code, ErrorCode::WrongSigner, "{role}");
        for n in numbers {
            assert!(err.message.contains(n), "{role}: {n} in {}", err.message);
        }
    }
}

#[test]
fn the_seller_number_may_be_an_iin_and_its_kind_is_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    // A store from before: a BIN with no kind is an organisation.
    store
        .set_setting(SettingKey::SellerBin, SELLER_BIN)
        .unwrap();
    assert_eq!(store.seller().unwrap(), Some(organisation()));

    store.set_setting(SettingKey::SellerBin, SOLE_IIN).unwrap();
    store.set_setting(SettingKey::SellerKind, "iin").unwrap();
    assert_eq!(store.seller().unwrap(), Some(entrepreneur()));

    // Bad input: a clear message, a stable code, nothing changed.
    let err = store.set_setting(SettingKey::SellerKind, "ip").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("iin"), "{}", err.message);
    let err = store
        .set_setting(SettingKey::SellerBin, "95062045012")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("ИИН"), "{}", err.message);
    assert_eq!(store.seller().unwrap(), Some(entrepreneur()));
}

async fn signer_for(m: &Manifest, role: &str) -> (qoltanba_signer::server::Running, NcaLayer) {
    let key = Keystore::open(m.path(role), &m.password).unwrap();
    let running = Server::new(vec![key])
        .tls(TlsIdentity::generate().unwrap())
        .spawn()
        .await
        .unwrap();
    let mut s =
        NcaSettings::new(Pinning::pin_from_hex(running.certificate_sha256().unwrap()).unwrap());
    s.url = running.url();
    s.connect_timeout = Duration::from_secs(2);
    s.reply_timeout = Duration::from_secs(20);
    (running, NcaLayer::new(s).unwrap())
}

/// The batch the window and `qoltanba sign` run: NCALayer is asked for the entrepreneur's key
/// by IIN (a BIN filter would offer none), and the signature is kept and queued.
#[tokio::test]
async fn an_entrepreneur_signs_a_document_through_the_signer_and_it_is_kept() {
    let (_keys, m) = keys();
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    store.set_setting(SettingKey::SellerBin, SOLE_IIN).unwrap();
    store.set_setting(SettingKey::SellerKind, "iin").unwrap();
    store.set_setting(SettingKey::Profile, "test").unwrap();
    let doc = import_bytes(
        &mut store,
        "r.pdf",
        support::sales_report_pdf("ИП-1"),
        vec![],
    )
    .unwrap()
    .id;
    store.accept(doc).unwrap();

    let options = signing::sign_options(&store, store.seller().unwrap()).unwrap();
    assert_eq!(options.iin.as_deref(), Some(SOLE_IIN));
    assert_eq!(options.bin, None);

    let (running, nca) = signer_for(&m, "sole_sign").await;
    let out = signing::sign_documents(&mut store, &nca, &[doc], &options, 10)
        .await
        .unwrap();
    assert!(out[0].signed, "{:?}", out[0].error);
    assert_eq!(
        out[0].signer.as_ref().unwrap().iin.as_deref(),
        Some(SOLE_IIN)
    );
    assert_eq!(store.document(doc).unwrap().status.code(), "queued");
    running.shutdown().await;

    // Someone else's personal key (an NCALayer that ignores the filter) is refused after
    // signing, both IINs named, and nothing is kept.
    let doc2 = import_bytes(
        &mut store,
        "r2.pdf",
        support::sales_report_pdf("ИП-2"),
        vec![],
    )
    .unwrap()
    .id;
    store.accept(doc2).unwrap();
    let unfiltered = qoltanba_core::ncalayer::SignOptions {
        iin: None,
        ..options
    };
    let (running, nca) = signer_for(&m, "individual_sign").await;
    let out = signing::sign_documents(&mut store, &nca, &[doc2], &unfiltered, 10)
        .await
        .unwrap();
    let err = out[0].error.as_ref().unwrap();
    assert!(!out[0].signed);
    assert_eq!(err.code, ErrorCode::WrongSigner);
    assert!(
        err.message.contains(INDIVIDUAL_IIN) && err.message.contains(SOLE_IIN),
        "{}",
        err.message
    );
    assert_eq!(store.document(doc2).unwrap().status.code(), "accepted");
    running.shutdown().await;
}
