//! The generated test keys follow NCA's profile, read back by OpenSSL (an independent parser)
//! and by our own Keystore.

mod common;

use common::{manifest, run, stdout, PASSWORD};
use qoltanba_signer::keystore::{KeyAlgorithm, Keystore};
use qoltanba_signer::testkeys::{self, MARKETPLACE_BIN, SELLER_BIN};

/// The certificate of a role as `openssl x509 -text` prints it, read from its PKCS#12 file.
fn openssl_text(role: &str) -> String {
    let path = manifest().path(role);
    let pem = run(
        "openssl",
        &[
            "pkcs12",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            &format!("pass:{PASSWORD}"),
            "-nokeys",
            "-clcerts",
        ],
    );
    assert!(
        pem.status.success(),
        "openssl pkcs12: {}",
        common::stderr(&pem)
    );
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("c.pem");
    std::fs::write(&cert, &pem.stdout).unwrap();
    let text = run(
        "openssl",
        &[
            "x509",
            "-in",
            cert.to_str().unwrap(),
            "-noout",
            "-text",
            "-nameopt",
            "RFC2253,-esc_msb",
        ],
    );
    assert!(text.status.success());
    stdout(&text)
}

#[test]
fn every_file_opens_with_openssl_and_with_keystore() {
    let m = manifest();
    assert_eq!(m.keys.len(), 9);
    for key in &m.keys {
        let info = run(
            "openssl",
            &[
                "pkcs12",
                "-info",
                "-in",
                key.path.to_str().unwrap(),
                "-passin",
                &format!("pass:{PASSWORD}"),
                "-noenc",
            ],
        );
        assert!(
            info.status.success(),
            "{}: {}",
            key.role,
            common::stderr(&info)
        );
        assert!(stdout(&info).contains("PRIVATE KEY"), "{}", key.role);

        let ks = Keystore::open(&key.path, PASSWORD).unwrap();
        let expected = if key.algorithm == "EC-P256" {
            KeyAlgorithm::EcP256
        } else {
            KeyAlgorithm::Rsa
        };
        assert_eq!(ks.algorithm(), expected, "{}", key.role);
        assert_eq!(ks.chain_der().len(), 2, "{}: signer + CA", key.role);
    }
    assert!(Keystore::open(m.path("employee_sign"), "wrong").is_err());
}

#[test]
fn employee_signing_certificate_has_nca_profile() {
    let text = openssl_text("employee_sign");
    assert!(
        text.contains("Digital Signature, Non Repudiation"),
        "{text}"
    );
    assert!(text.contains("E-mail Protection"), "{text}");
    assert!(text.contains("1.2.398.3.3.4.1.2.5"), "{text}");
    assert!(text.contains("1.2.398.3.3.4.1.2,"), "{text}");
    assert!(text.contains(&format!("OU=BIN{SELLER_BIN}")), "{text}");
    assert!(text.contains("serialNumber=IIN850315300128"), "{text}");
    assert!(text.contains("C=KZ"), "{text}");
    assert!(
        text.contains("rsaEncryption") && text.contains("(2048 bit)"),
        "{text}"
    );
}

#[test]
fn roles_differ_as_nca_issues_them() {
    let head = openssl_text("head_sign");
    assert!(head.contains("1.2.398.3.3.4.1.2.1"), "{head}");

    let individual = openssl_text("individual_sign");
    assert!(individual.contains("1.2.398.3.3.4.1.1"), "{individual}");
    assert!(!individual.contains("OU=BIN"), "{individual}");

    // A sole proprietor's key is a personal certificate: its IIN, no organisation, no BIN.
    let sole = openssl_text("sole_sign");
    assert!(
        sole.contains(&format!("IIN{}", testkeys::SOLE_IIN)),
        "{sole}"
    );
    assert!(sole.contains("1.2.398.3.3.4.1.1"), "{sole}");
    assert!(!sole.contains("OU=BIN"), "{sole}");

    let auth = openssl_text("employee_auth");
    assert!(
        auth.contains("Digital Signature, Key Encipherment"),
        "{auth}"
    );
    assert!(auth.contains("TLS Web Client Authentication"), "{auth}");
    assert!(!auth.contains("E-mail Protection"), "{auth}");

    let other = openssl_text("other_org_sign");
    assert!(!other.contains(&format!("BIN{SELLER_BIN}")), "{other}");

    let market = openssl_text("marketplace_sign");
    assert!(
        market.contains(&format!("OU=BIN{MARKETPLACE_BIN}")),
        "{market}"
    );

    let ec = openssl_text("employee_sign_ec");
    assert!(
        ec.contains("id-ecPublicKey") && ec.contains("P-256"),
        "{ec}"
    );
}

#[test]
fn expired_key_is_expired_and_others_are_valid_now() {
    let m = manifest();
    let now = time::OffsetDateTime::now_utc();
    for key in &m.keys {
        let expired = key.role == "expired_sign";
        assert_eq!(key.not_after < now, expired, "{}", key.role);
        let path = key.path.to_str().unwrap();
        let pass = format!("pass:{PASSWORD}");
        // openssl's own clock says the same about the certificate in the file.
        let pem = run(
            "openssl",
            &[
                "pkcs12", "-in", path, "-passin", &pass, "-nokeys", "-clcerts",
            ],
        );
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("c.pem");
        std::fs::write(&cert, &pem.stdout).unwrap();
        let check = run(
            "openssl",
            &[
                "x509",
                "-in",
                cert.to_str().unwrap(),
                "-noout",
                "-checkend",
                "0",
            ],
        );
        assert_eq!(check.status.success(), !expired, "{}", key.role);
    }
}

#[test]
fn manifest_is_written_and_reads_back() {
    let m = manifest();
    let loaded = testkeys::Manifest::load(&m.dir).unwrap();
    assert_eq!(&loaded, m);
    let employee = m.key("employee_sign").unwrap();
    assert_eq!(employee.bin.as_deref(), Some(SELLER_BIN));
    assert_eq!(employee.key_type, "SIGNATURE");
    assert_eq!(m.key("employee_auth").unwrap().key_type, "AUTHENTICATION");
    assert_eq!(m.key("individual_sign").unwrap().bin, None);
    let sole = m.key("sole_sign").unwrap();
    assert_eq!(
        (sole.iin.as_str(), sole.bin.as_deref()),
        (testkeys::SOLE_IIN, None)
    );
    assert_eq!(m.key("employee_sign_ec").unwrap().algorithm, "EC-P256");
}
