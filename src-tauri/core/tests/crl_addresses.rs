//! Where CRLs are fetched from: the address is written in a certificate, so only certificates a
//! trusted CA signed are followed, only public addresses are fetched (also after a redirect or a
//! DNS answer) and only a few per run. Real loopback servers; the test-only permission names the
//! exact servers that may answer, as the other CRL tests do.

mod crl_support;

use crl_support::*;
use qoltanba_core::model::TimeDelta;
use qoltanba_core::trust::crl::MAX_URLS_PER_RUN;

#[test]
fn a_crl_address_on_this_computer_is_not_fetched_without_the_test_permission() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(11, &server.url());
    server.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[]);
    let v = import_signed(&mut store, &signer, "701");
    assert_eq!(server.requests(), 0, "nothing is sent to 127.0.0.1");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(revocation_unchecked(&v), "{v}");
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains("127.0.0.1 во внутренней сети")),
        "{v}"
    );
}

#[test]
fn a_redirect_to_an_address_inside_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let allowed = CrlServer::start();
    let inside = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(12, &allowed.url());
    inside.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    *allowed.redirect.lock().unwrap() = Some(inside.url());
    // Only the first server may answer: the redirect leads where the sender could not go.
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&allowed]);
    let v = import_signed(&mut store, &signer, "702");
    assert_eq!(allowed.requests(), 1);
    assert_eq!(inside.requests(), 0, "the redirect is not followed");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains("переадресация отклонена")),
        "{v}"
    );
}

#[test]
fn a_name_that_resolves_to_this_computer_is_not_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    // `localhost` resolves to 127.0.0.1; even the server's own permission does not cover a name.
    let by_name = server.url().replace("127.0.0.1", "localhost");
    let signer = ca.signer(13, &by_name);
    server.serve(ca.crl(&[signer.serial], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    let v = import_signed(&mut store, &signer, "703");
    assert_eq!(server.requests(), 0, "the DNS answer is checked");
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains("localhost указывает во внутреннюю сеть")),
        "{v}"
    );
}

#[test]
fn a_certificate_no_trusted_ca_signed_makes_no_download() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let trusted = ca();
    let stranger = ca();
    let signer = stranger.signer(14, &server.url());
    server.serve(stranger.crl(&[], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &trusted, &[&server]);
    let v = import_signed(&mut store, &signer, "704");
    assert_eq!(
        server.requests(),
        0,
        "an address written by an untrusted CA is not fetched"
    );
    assert_eq!(v["subIndication"], "NO_CERTIFICATE_CHAIN_FOUND", "{v}");

    // The same server named by a certificate of the trusted CA is fetched.
    let trusted_signer = trusted.signer(15, &server.url());
    server.serve(trusted.crl(&[], now() + TimeDelta::days(7)));
    let v = import_signed(&mut store, &trusted_signer, "705");
    assert_eq!(server.requests(), 1);
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
}

#[test]
fn at_most_a_few_distinct_addresses_are_fetched_per_run() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let urls: Vec<String> = (0..MAX_URLS_PER_RUN + 4)
        .map(|i| server.url().replace("ca.crl", &format!("{i}.crl")))
        .collect();
    let signer = ca.signer_with(16, &urls);
    server.serve(ca.crl(&[], now() + TimeDelta::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca, &[&server]);
    let v = import_signed(&mut store, &signer, "706");
    assert_eq!(server.requests(), MAX_URLS_PER_RUN);
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains(&format!("не больше {MAX_URLS_PER_RUN} списков"))),
        "{v}"
    );
}

#[test]
fn the_downloads_of_a_run_end_at_its_time_limit() {
    use qoltanba_core::trust::{block_on, ChainChecks, CrlRun};
    // A server that takes every connection and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = vec![];
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let ca = ca();
    let urls: Vec<String> = (0..6).map(|i| format!("http://{addr}/{i}.crl")).collect();
    let signer = ca.signer_with(17, &urls);
    let signer_der = der::Encode::to_der(&signer.cert).unwrap();
    let mut run = CrlRun::new(true)
        .with_local_servers(qoltanba_core::trust::LocalCrlServers(vec![addr]))
        .with_time_limit(std::time::Duration::from_secs(1));
    let started = std::time::Instant::now();
    let checks = block_on(ChainChecks::without_store(
        now(),
        vec![ca.der.clone()],
        &[vec![signer_der.clone()]],
        &mut run,
    ))
    .unwrap();
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(5),
        "the run waited {took:?} for servers that never answer"
    );
    let (_, warnings) = checks.validation(&[signer_der]);
    assert_eq!(warnings.len(), urls.len(), "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.contains("не уложилась в 1 с")),
        "{warnings:?}"
    );
}
