//! What NCALayer is told about the key to sign with, as the window and the CLI build it from the
//! profile's settings, seen in the requests a real TLS WebSocket stand-in receives.

mod ncalayer_fake;
mod support;

use std::time::Duration;

use ncalayer_fake::{replies, start, Act};
use qoltanba_core::ncalayer::{NcaLayer, Pinning, Settings as NcaSettings};
use qoltanba_core::signature::{Seller, SellerKind};
use qoltanba_core::signing;
use qoltanba_core::store::{SettingKey, Settings};
use serde_json::json;

const BIN: &str = "123456789021";

fn signed() -> Vec<Act> {
    vec![Act::Send(
        json!({"status": true, "body": {"result": ["MAMCAQc="]}}).to_string(),
    )]
}

#[tokio::test]
async fn nca_test_certificates_are_offered_only_in_a_test_or_demo_profile() {
    let fake = start(replies(vec![signed(), signed(), signed(), signed()])).await;
    let mut s = NcaSettings::new(Pinning::Pin(fake.pin()));
    s.url = fake.url();
    s.connect_timeout = Duration::from_secs(2);
    s.reply_timeout = Duration::from_secs(5);
    let nca = NcaLayer::new(s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());

    let mut offered = vec![];
    for profile in [None, Some("demo"), Some("test"), Some("work")] {
        if let Some(p) = profile {
            store.set_setting(SettingKey::Profile, p).unwrap();
        }
        let seller = Seller::new(BIN, SellerKind::Bin);
        let o = signing::sign_options(&store, Some(seller)).unwrap();
        let _ = nca.sign_cms_many(&[b"x"], true, &o).await;
        let request = fake.requests().last().cloned().unwrap();
        let signer = &request["args"]["signerParams"];
        assert_eq!(signer["bin"], BIN, "{request}");
        // `chain: []` is how NCALayer is told that NCA's test certificates may be chosen.
        offered.push(signer.get("chain") == Some(&json!([])));
    }
    assert_eq!(offered, [false, true, true, false]);

    let err = store
        .set_setting(SettingKey::Profile, "anything")
        .unwrap_err();
    assert_eq!(err.code, qoltanba_core::ErrorCode::InvalidInput);
    assert_eq!(
        store.setting(SettingKey::Profile).unwrap().as_deref(),
        Some("work")
    );
}
