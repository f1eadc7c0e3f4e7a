//! `qoltanba verify` and `qoltanba trust` end to end on NCA's public TEST material
//! (tests/data/nca): exit 0 all passed, 5 any failed, 7 undecided, 2 not a signature / bad usage.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nca(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/nca")
        .join(name)
        .display()
        .to_string()
}

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    qoltanba_with(data, args, &[])
}

fn qoltanba_with(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

const GOST_AT: &str = "2022-10-01T00:00:00Z";
const RSA_AT: &str = "2021-06-01T00:00:00Z";

fn with_cas(args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for ca in ["nca_gost2015_test.cer", "nca_rsa_test.crt"] {
        v.push("--ca".into());
        v.push(nca(ca));
    }
    for crl in ["nca_gost2022_test.crl", "nca_rsa_test.crl"] {
        v.push("--crl".into());
        v.push(nca(crl));
    }
    v
}

fn run(data: &Path, args: Vec<String>) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    qoltanba(data, &refs)
}

#[test]
fn detached_and_attached_cms_with_ca_crl_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let detached = nca("signed_detached_gost2015_rsa.cms");
    let content = nca("test123.txt");
    // GOST signer passes, the RSA one had expired by then: undecided overall (7).
    let o = run(
        dir.path(),
        with_cas(&["--json", "verify", &content, &detached, "--at", GOST_AT]),
    );
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v = json(&o);
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["indication"], "TOTAL_PASSED");
    assert_eq!(sigs[0]["intact"], true);
    assert_eq!(sigs[0]["signer"]["iin"], "123456789012");
    assert_eq!(sigs[1]["indication"], "INDETERMINATE");
    assert_eq!(sigs[1]["subIndication"], "OUT_OF_BOUNDS");
    // Scripts read the algorithm as a stable value, not the localised text.
    assert_eq!(sigs[0]["algorithmId"], "gost2015-512", "{}", sigs[0]);
    assert_eq!(sigs[1]["algorithmId"], "rsa-sha256", "{}", sigs[1]);

    // Without any CA: the chain cannot be found (7), both still intact.
    let o = qoltanba(
        dir.path(),
        &["--json", "verify", &content, &detached, "--at", GOST_AT],
    );
    assert_eq!(o.status.code(), Some(7));
    assert_eq!(
        json(&o)["signatures"][0]["subIndication"],
        "NO_CERTIFICATE_CHAIN_FOUND"
    );

    // Changed content: failed (5).
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "test124").unwrap();
    let o = run(
        dir.path(),
        with_cas(&[
            "verify",
            other.to_str().unwrap(),
            &detached,
            "--at",
            GOST_AT,
        ]),
    );
    assert_eq!(o.status.code(), Some(5));

    // Attached, human output.
    let o = run(
        dir.path(),
        with_cas(&[
            "verify",
            &nca("signed_attached_gost2015_rsa.cms"),
            "--at",
            GOST_AT,
        ]),
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(7), "{text}");
    assert!(
        text.contains("Подпись 1 из 2. Подпись действительна"),
        "{text}"
    );
    assert!(text.contains("Цепочка:"), "{text}");
}

#[test]
fn signed_xml_all_passed_and_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        with_cas(&["--json", "verify", &nca("signed_one.xml"), "--at", RSA_AT]),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(json(&o)["signatures"][0]["indication"], "TOTAL_PASSED");

    let xml = std::fs::read_to_string(nca("signed_two_signers_rsa_gost2015.xml")).unwrap();
    let bad: PathBuf = dir.path().join("bad.xml");
    std::fs::write(&bad, xml.replace("<b>test</b>", "<b>tost</b>")).unwrap();
    let o = run(
        dir.path(),
        with_cas(&["--json", "verify", bad.to_str().unwrap(), "--at", GOST_AT]),
    );
    assert_eq!(o.status.code(), Some(5));
    let v = json(&o);
    assert_eq!(v["signatures"][1]["subIndication"], "HASH_FAILURE");
    assert_eq!(v["signatures"][0]["algorithmId"], "rsa-sha256", "{v}");
    assert_eq!(v["signatures"][1]["algorithmId"], "gost2015-512", "{v}");
}

#[test]
fn not_a_signature_and_bad_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0x30, 0x82, 0xff, 0x00, 1, 2, 3]).unwrap();
    assert_eq!(
        qoltanba(dir.path(), &["verify", junk.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    let text = dir.path().join("text.txt");
    std::fs::write(&text, "просто текст").unwrap();
    assert_eq!(
        qoltanba(dir.path(), &["verify", text.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    let xml = dir.path().join("plain.xml");
    std::fs::write(&xml, "<a><b/></a>").unwrap();
    assert_eq!(
        qoltanba(dir.path(), &["verify", xml.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    let bomb = dir.path().join("bomb.xml");
    std::fs::write(
        &bomb,
        r#"<!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;">]><a>&y;</a>"#,
    )
    .unwrap();
    assert_eq!(
        qoltanba(dir.path(), &["verify", bomb.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    let o = qoltanba(
        dir.path(),
        &["verify", &nca("signed_one.xml"), "--at", "yesterday"],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = qoltanba(
        dir.path(),
        &[
            "verify",
            &nca("signed_one.xml"),
            "--ca",
            &nca("test123.txt"),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn trust_add_list_remove_and_verify_with_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = qoltanba(d, &["--json", "trust", "add", &nca("nca_rsa_test.crt")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let id = json(&o)[0]["id"].as_i64().unwrap();
    // Adding it again does not duplicate it.
    qoltanba(d, &["trust", "add", &nca("nca_rsa_test.crt")]);
    let list = json(&qoltanba(d, &["--json", "trust", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0]["subject"].as_str().unwrap().contains("RSA TEST"));

    let o = qoltanba(d, &["verify", &nca("signed_one.xml"), "--at", RSA_AT]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    let o = qoltanba(d, &["trust", "remove", &id.to_string()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(json(&qoltanba(d, &["--json", "trust", "list"]))
        .as_array()
        .unwrap()
        .is_empty());
    let o = qoltanba(d, &["verify", &nca("signed_one.xml"), "--at", RSA_AT]);
    assert_eq!(o.status.code(), Some(7));
    // Not a certificate; no such id.
    assert_ne!(
        qoltanba(d, &["trust", "add", &nca("test123.txt")])
            .status
            .code(),
        Some(0)
    );
    assert_ne!(
        qoltanba(d, &["trust", "remove", "999"]).status.code(),
        Some(0)
    );
}

/// A test CA, a signer it issued whose CRL distribution point is `cdp`, and the CA's CRL that
/// revokes that signer: (CA DER, signer PKCS#12 with password "test", CRL DER).
fn revoked_signer(cdp: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
        DnType, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason,
        RevokedCertParams, SerialNumber,
    };
    let now = time::OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "ТЕСТОВЫЙ УЦ (CLI CRL)");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = now - time::Duration::days(30);
    ca.not_after = now + time::Duration::days(365);
    let ca_der = ca.self_signed(&ca_key).unwrap().der().to_vec();
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "ТЕСТОВ ТЕСТ");
    p.serial_number = Some(SerialNumber::from(31337u64));
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    p.not_before = now - time::Duration::days(10);
    p.not_after = now + time::Duration::days(300);
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec![cdp.to_string()],
    }];
    let cert_der = p.signed_by(&key, &issuer).unwrap().der().to_vec();
    let crl = CertificateRevocationListParams {
        this_update: now - time::Duration::days(1),
        next_update: now + time::Duration::days(7),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: vec![RevokedCertParams {
            serial_number: SerialNumber::from(31337u64),
            revocation_time: now - time::Duration::days(2),
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&issuer)
    .unwrap()
    .der()
    .to_vec();
    let mut p12 = p12_keystore::KeyStore::new();
    p12.add_entry(
        "signer",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
            key.serialize_der(),
            vec![7u8; 20],
            vec![
                p12_keystore::Certificate::from_der(&cert_der).unwrap(),
                p12_keystore::Certificate::from_der(&ca_der).unwrap(),
            ],
        )),
    );
    (ca_der, p12.writer("test").write().unwrap(), crl)
}

/// Serves `body` to every HTTP request on `listener` until the returned flag is set (then the
/// port closes); counts the requests.
fn serve_crl(
    listener: std::net::TcpListener,
    body: Vec<u8>,
) -> (
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    std::thread::JoinHandle<()>,
) {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    listener.set_nonblocking(true).unwrap();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (c, s) = (count.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        while !s.load(Ordering::SeqCst) {
            let Ok((mut conn, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            };
            c.fetch_add(1, Ordering::SeqCst);
            conn.set_nonblocking(false).unwrap();
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(&body);
        }
    });
    (count, stop, thread)
}

#[test]
fn verify_downloads_the_crl_of_the_signer_and_fails_a_revoked_one() {
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The server's port goes into the certificate: bind first, then make the certificates.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let cdp = format!("http://{addr}/ca.crl");
    let (ca, p12, crl) = revoked_signer(&cdp);
    let content = b"\xd0\x90\xd0\xba\xd1\x82 \xe2\x84\x96 5\n".to_vec();
    let key = qoltanba_signer::keystore::Keystore::from_pkcs12(&p12, "test").unwrap();
    let cms = qoltanba_signer::cms::sign(&key, &content, true).unwrap();
    std::fs::write(d.join("ca.cer"), &ca).unwrap();
    std::fs::write(d.join("act.txt"), &content).unwrap();
    std::fs::write(d.join("act.txt.p7s"), &cms).unwrap();
    let data = d.join("data");
    let file = |n: &str| d.join(n).display().to_string();
    let o = qoltanba(&data, &["trust", "add", &file("ca.cer")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Offline: nothing cached yet, so the revocation is unknown; the signature itself holds.
    let verify = |extra: &[&str]| {
        let mut args = vec!["--json", "verify", &*file("act.txt"), &*file("act.txt.p7s")]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        // The test-only permission for this one loopback server to serve CRLs.
        qoltanba_with(
            &data,
            &refs,
            &[("QOLTANBA_TEST_LOCAL_CRL_SERVERS", addr.as_str())],
        )
    };
    let (count, stop, server) = serve_crl(listener, crl);
    let o = verify(&["--offline"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        0,
        "--offline downloads nothing"
    );
    let v = &json(&o)["signatures"][0];
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().starts_with("Отзыв не проверен")));

    // Without the test-only permission a loopback address is never fetched.
    let o = run(
        &data,
        vec![
            "--json".into(),
            "verify".into(),
            file("act.txt"),
            file("act.txt.p7s"),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(count.load(Ordering::SeqCst), 0, "127.0.0.1 is not fetched");
    let v = &json(&o)["signatures"][0];
    assert!(
        v["warnings"].to_string().contains("во внутренней сети"),
        "{v}"
    );

    // Online: the CRL from the certificate's distribution point revokes the signer (exit 5).
    let o = verify(&[]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v = &json(&o)["signatures"][0];
    assert_eq!(v["indication"], "TOTAL_FAILED");
    assert_eq!(v["subIndication"], "REVOKED");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // Cached: the same verdict with the server stopped, also in plain text.
    stop.store(true, Ordering::SeqCst);
    server.join().unwrap();
    let o = run(
        &data,
        vec!["verify".into(), file("act.txt"), file("act.txt.p7s")],
    );
    assert_eq!(o.status.code(), Some(5));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Подпись недействительна") && text.contains("отозван"),
        "{text}"
    );
}
