//! A batch signed chunk by chunk through a real qoltanba-signer over wss://, the next chunk read
//! from the store and encoded while the current one is in flight: every document is sent (and
//! signed) exactly once, as the signer's own count shows; a document that cannot be signed keeps
//! its refusal while the others are signed and kept, and the outcomes come back in the order
//! asked.

mod support;

use std::time::Duration;

use qoltanba_core::import::import_bytes;
use qoltanba_core::model::Timestamp;
use qoltanba_core::ncalayer::{NcaLayer, Pinning, Settings as NcaSettings};
use qoltanba_core::signature::verify_detached;
use qoltanba_core::signing::{self, BatchProgress};
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{self, Manifest, SELLER_BIN};
use qoltanba_signer::tls::TlsIdentity;
use time::macros::datetime;
use time::OffsetDateTime;

/// The fixed clock of `support::open`: the test keys are valid around it.
const NOW: OffsetDateTime = datetime!(2026-11-01 09:00 UTC);

fn keys() -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let m = testkeys::generate_at(dir.path(), testkeys::DEFAULT_PASSWORD, NOW).unwrap();
    (dir, m)
}

async fn signer(m: &Manifest, role: &str) -> (Running, NcaLayer) {
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
    s.reply_timeout = Duration::from_secs(30);
    (running, NcaLayer::new(s).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipelined_batch_signs_each_document_once_and_keeps_every_outcome_in_order() {
    let (_keys, m) = keys();
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    store
        .set_setting(SettingKey::SellerBin, SELLER_BIN)
        .unwrap();
    store.set_setting(SettingKey::Profile, "test").unwrap();
    let mut ids = vec![];
    for i in 0..8 {
        let number = format!("P-{i}");
        let id = import_bytes(
            &mut store,
            &format!("{number}.pdf"),
            support::sales_report_pdf(&number),
            vec![],
        )
        .unwrap()
        .id;
        // The fourth is never accepted: it cannot be signed, in the middle of a chunk.
        if i != 3 {
            store.accept(id).unwrap();
        }
        ids.push(id);
    }
    let options = signing::sign_options(&store, store.seller().unwrap()).unwrap();
    let (running, nca) = signer(&m, "employee_sign").await;

    let mut signed_progress = vec![];
    let out = signing::sign_documents_reporting(&mut store, &nca, &ids, &options, 2, &mut |p| {
        if let BatchProgress::Signed { done, .. } = p {
            signed_progress.push(done);
        }
    })
    .await
    .unwrap();

    assert_eq!(
        out.iter().map(|o| o.id).collect::<Vec<_>>(),
        ids,
        "outcomes in the order asked"
    );
    for (i, o) in out.iter().enumerate() {
        assert_eq!(o.signed, i != 3, "document {i}: {:?}", o.error);
    }
    assert!(out[3].error.is_some());
    assert_eq!(
        running.signed(),
        7,
        "each signable document signed exactly once"
    );
    assert_eq!(
        signed_progress,
        [2, 4, 6, 7],
        "four requests of at most two"
    );
    let at = Timestamp::from_unix(NOW.unix_timestamp()).unwrap();
    for (i, &id) in ids.iter().enumerate() {
        let doc = store.document(id).unwrap();
        if i == 3 {
            assert_ne!(doc.status.code(), "queued");
            continue;
        }
        assert_eq!(doc.status.code(), "queued", "document {i}");
        // The kept signature is over this document's own bytes, not a neighbour's.
        let own = &store.signatures(id).unwrap()[0];
        let content = store.blob(&doc.content_sha256).unwrap();
        assert!(
            verify_detached(&own.cms, &content, at).passed(),
            "document {i}"
        );
    }
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_batch_sends_each_chunk_once_and_answers_in_input_order() {
    let (_keys, m) = keys();
    let (running, nca) = signer(&m, "employee_sign").await;
    let docs: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("документ {i}").repeat(100).into_bytes())
        .collect();
    let refs: Vec<&[u8]> = docs.iter().map(Vec::as_slice).collect();
    let out = nca
        .sign_batch(
            &refs,
            2,
            &qoltanba_core::ncalayer::SignOptions {
                allow_test_certificates: true,
                ..Default::default()
            },
        )
        .await;
    assert_eq!(out.len(), 5);
    assert_eq!(running.signed(), 5);
    let at = Timestamp::from_unix(NOW.unix_timestamp()).unwrap();
    for (i, cms) in out.iter().enumerate() {
        let cms = cms.as_ref().unwrap();
        assert!(verify_detached(cms, &docs[i], at).passed(), "document {i}");
        let other = &docs[(i + 1) % docs.len()];
        assert!(!verify_detached(cms, other, at).passed());
    }
    running.shutdown().await;
}
