//! CRLs from the certificates' distribution points, over real loopback sockets: a test CA and a
//! signer certificate whose CDP is `http://127.0.0.1:<port>/ca.crl` are made here with rcgen, a
//! small HTTP server serves the CA's CRL, and documents with the sender's signature are imported
//! into a store that trusts the CA. The verdicts kept on arrival are what the user sees.

mod crl_support;

use std::sync::atomic::Ordering;

use crl_support::*;
use qoltanba_core::model::TimeDelta;
use qoltanba_core::store::{SettingKey, Settings};

#[test]
fn a_revoked_signer_is_revoked_online_then_offline_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(4242, &server.url());
    server.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);

    // (a) Online: the CRL is downloaded, cached, and the signature fails as revoked.
    let v = import_signed(&mut store, &signer, "101");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert!(v["reason"].as_str().unwrap().contains("отозван"), "{v}");
    assert_eq!(server.requests(), 1);
    assert_eq!(store.cached_crl_urls().unwrap(), vec![server.url()]);
    let cached = store.cached_crl(&server.url()).unwrap().unwrap();
    assert_eq!(cached.next_update, Some(now() + TimeDelta::days(7)));
    assert!(cached.issuer.contains("ТЕСТОВЫЙ УЦ"), "{}", cached.issuer);

    // A current cached list is used as it is: no second download.
    let v = import_signed(&mut store, &signer, "102");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert_eq!(
        server.requests(),
        1,
        "a current CRL is not downloaded again"
    );

    // (b) Server gone: the same verdict from the cache, without any warning about the list.
    server.stop();
    let v = import_signed(&mut store, &signer, "103");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert!(!revocation_unchecked(&v), "{v}");
}

#[test]
fn a_stale_cached_crl_is_used_with_a_warning_when_the_server_is_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(77, &server.url());
    // A list whose nextUpdate has already passed by the store's time.
    server.serve(ca.crl(&[signer.serial], now() - TimeDelta::days(2)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    let v = import_signed(&mut store, &signer, "201");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert_eq!(store.cached_crl_urls().unwrap(), vec![server.url()]);

    // (c) Stale in the cache and the server down: the verdict still comes from the stale list,
    // and the user is told it is out of date since its nextUpdate and why it was not renewed.
    server.stop();
    let v = import_signed(&mut store, &signer, "202");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    let w = warnings(&v);
    let stale = (now() - TimeDelta::days(2)).day().to_string();
    assert!(
        w.iter().any(|w| w.contains(&server.url())
            && w.contains(&format!("устарел с {stale}"))
            && w.contains("свежий получить не удалось")),
        "{w:?}"
    );
}

#[test]
fn garbage_or_a_huge_answer_stores_nothing_and_says_revocation_was_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(9, &server.url());
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);

    // (d) Not a CRL.
    server.serve(b"<html>\xd0\x9d\xd0\xb5 CRL</html>".to_vec());
    let v = import_signed(&mut store, &signer, "301");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(revocation_unchecked(&v), "{v}");
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains("не является списком отозванных")),
        "{v}"
    );
    assert!(store.cached_crl_urls().unwrap().is_empty());

    // A body over the limit is given up while it streams in.
    server.huge.store(true, Ordering::SeqCst);
    let v = import_signed(&mut store, &signer, "302");
    assert!(revocation_unchecked(&v), "{v}");
    assert!(
        warnings(&v).iter().any(|w| w.contains("больше 20 МиБ")),
        "{v}"
    );
    assert!(store.cached_crl_urls().unwrap().is_empty());
    // The document itself is kept, its signature shown as intact.
    assert_eq!(v["intact"], true, "{v}");
}

#[test]
fn a_signer_not_on_the_list_passes_with_no_revocation_warning() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let revoked = ca.signer(1, &server.url());
    let good = ca.signer(2, &server.url());
    server.serve(ca.crl(&[revoked.serial], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    // (e)
    let v = import_signed(&mut store, &good, "401");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
    assert_eq!(v["subIndication"], serde_json::Value::Null);
    assert!(warnings(&v).is_empty(), "{v}");
    assert_eq!(v["chain"].as_array().unwrap().len(), 2, "{v}");
}

#[test]
fn with_downloads_off_only_the_cache_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(5, &server.url());
    server.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    store.set_setting(SettingKey::CrlDownload, "off").unwrap();
    let v = import_signed(&mut store, &signer, "501");
    assert_eq!(
        server.requests(),
        0,
        "nothing is downloaded when told not to"
    );
    assert!(revocation_unchecked(&v), "{v}");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(store.set_setting(SettingKey::CrlDownload, "maybe").is_err());

    store.set_setting(SettingKey::CrlDownload, "on").unwrap();
    let v = import_signed(&mut store, &signer, "502");
    assert_eq!(server.requests(), 1);
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
}

#[test]
fn without_a_trusted_ca_nothing_is_downloaded_and_the_chain_is_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(6, &server.url());
    server.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    let mut store = support::open(dir.path());
    let v = import_signed(&mut store, &signer, "601");
    assert_eq!(server.requests(), 0);
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
    assert!(
        warnings(&v).iter().any(|w| w.contains("не проверялись")),
        "{v}"
    );
}
