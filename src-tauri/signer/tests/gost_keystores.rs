//! NCA's GOST PKCS#12 files: NCANode's published test keystores and our own GOST test keys load
//! (legacy PBE, both private key encodings), and bad files fail with a stable code.

mod common;

use std::path::PathBuf;

use common::{manifest, run, stderr, PASSWORD};
use der::{Any, Decode, Encode};
use qoltanba_signer::gost::{pkcs8 as gost_pkcs8, CurveId, GostKey};
use qoltanba_signer::keystore::{KeyAlgorithm, Keystore};
use qoltanba_signer::{cms, nca_pkcs12, testkeys_gost};
use x509_cert::Certificate;

fn nca(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/nca")
        .join(file)
}

#[test]
fn ncanode_gost_keystores_load_with_their_published_passwords() {
    for (file, password, algorithm, name) in [
        (
            "individual_valid_2015.p12",
            "Aa123456",
            KeyAlgorithm::Gost2015,
            "ECGOST3410-2015",
        ),
        (
            "ceo_revoked_2015.p12",
            "Aa123456",
            KeyAlgorithm::Gost2015,
            "ECGOST3410-2015",
        ),
        (
            "ceo_sign_revoked_2004.p12",
            "Qwerty12",
            KeyAlgorithm::Gost2004,
            "ECGOST34310",
        ),
    ] {
        let key = Keystore::open(nca(file), password).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(key.algorithm(), algorithm, "{file}");
        assert_eq!(key.algorithm().name(), name);
        // NCA's alias is the hex key id.
        assert_eq!(key.alias().len(), 40, "{file}: {}", key.alias());
        let sig = cms::sign(&key, b"test123", true).unwrap();
        assert!(sig.len() > 500, "{file}");
    }
}

#[test]
fn our_gost_test_keys_load_and_are_written_in_ncas_format() {
    let m = manifest();
    assert_eq!(m.gost_keys.len(), 8);
    for k in &m.gost_keys {
        assert!(k.role.ends_with("_gost"), "{}", k.role);
        assert_eq!(k.algorithm, "GOST-2015-512");
        let key = Keystore::open(&k.path, PASSWORD).unwrap();
        assert_eq!(key.algorithm(), KeyAlgorithm::Gost2015);
        assert_eq!(key.chain_der().len(), 2, "{}: signer and GOST CA", k.role);
    }
    // OpenSSL (an independent reader) sees NCA's schemes; it cannot print a GOST key, but the
    // structure and the MAC are checked before that.
    let path = m.path("employee_sign_gost");
    let pass = format!("pass:{PASSWORD}");
    let info = run(
        "openssl",
        &[
            "pkcs12",
            "-info",
            "-noout",
            "-legacy",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            &pass,
        ],
    );
    let text = stderr(&info);
    assert!(text.contains("MAC: sha1, Iteration 1024"), "{text}");
    assert!(
        text.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"),
        "{text}"
    );
    assert!(text.contains("pbeWithSHA1And40BitRC2-CBC"), "{text}");
    let certs = run(
        "openssl",
        &[
            "pkcs12",
            "-legacy",
            "-nokeys",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            &pass,
        ],
    );
    let pem = String::from_utf8_lossy(&certs.stdout);
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 2, "{pem}");
}

#[test]
fn wrong_password_truncated_file_and_garbage_have_stable_codes() {
    let path = nca("individual_valid_2015.p12");
    let err = Keystore::open(&path, "Aa1234567").unwrap_err();
    assert_eq!(err.code(), "KEYSTORE_WRONG_PASSWORD", "{err}");
    let bytes = std::fs::read(&path).unwrap();
    for cut in [10, bytes.len() / 2, bytes.len() - 1] {
        let err = Keystore::from_pkcs12(&bytes[..cut], "Aa123456").unwrap_err();
        assert_eq!(err.code(), "KEYSTORE_DAMAGED", "cut at {cut}: {err}");
    }
    let err = Keystore::from_pkcs12(b"not a keystore at all", "x").unwrap_err();
    assert_eq!(err.code(), "KEYSTORE_DAMAGED");
    let err = Keystore::open(nca("no_such.p12"), "x").unwrap_err();
    assert_eq!(err.code(), "FILE_UNREADABLE");
}

/// A PKCS#12 in NCA's format holding `pkcs8` for the certificate `cert`.
fn p12(cert: &[u8], pkcs8: Vec<u8>) -> Vec<u8> {
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "k",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
            pkcs8,
            vec![1; 20],
            vec![p12_keystore::Certificate::from_der(cert).unwrap()],
        )),
    );
    nca_pkcs12::write(&store, PASSWORD).unwrap()
}

/// Our employee GOST certificate with its public key algorithm replaced.
fn certificate_with_key_algorithm(oid: &str, params: Option<Any>) -> Vec<u8> {
    let key = Keystore::open(manifest().path("employee_sign_gost"), PASSWORD).unwrap();
    let mut cert = Certificate::from_der(key.certificate_der()).unwrap();
    let spki = &mut cert.tbs_certificate.subject_public_key_info;
    spki.algorithm.oid = oid.parse().unwrap();
    spki.algorithm.parameters = params;
    cert.to_der().unwrap()
}

#[test]
fn unknown_key_oids_and_a_foreign_private_key_are_refused_with_a_code() {
    let key = GostKey::generate(CurveId::Gost2015_512);
    // A GOST-2015 key on a parameter set we do not sign with (e.g. the 256-bit one).
    let other_curve = vec![
        "1.2.398.3.10.1.1.2.1.1"
            .parse::<const_oid::ObjectIdentifier>()
            .unwrap(),
        "1.2.398.3.10.1.3.2".parse().unwrap(),
    ];
    let cert = certificate_with_key_algorithm(
        "1.2.398.3.10.1.1.2.2",
        Some(Any::encode_from(&other_curve).unwrap()),
    );
    let err =
        Keystore::from_pkcs12(&p12(&cert, gost_pkcs8::pkcs8_2015(&key)), PASSWORD).unwrap_err();
    assert_eq!(err.code(), "KEY_UNSUPPORTED", "{err}");
    assert!(err.to_string().contains("1.2.398.3.10.1.1.2.1.1"), "{err}");

    let cert = certificate_with_key_algorithm("1.2.3.4.5", None);
    let err =
        Keystore::from_pkcs12(&p12(&cert, gost_pkcs8::pkcs8_2015(&key)), PASSWORD).unwrap_err();
    assert_eq!(err.code(), "KEY_UNSUPPORTED", "{err}");

    // The certificate is the employee's, the private key someone else's.
    let employee = Keystore::open(manifest().path("employee_sign_gost"), PASSWORD).unwrap();
    let err = Keystore::from_pkcs12(
        &p12(employee.certificate_der(), gost_pkcs8::pkcs8_2015(&key)),
        PASSWORD,
    )
    .unwrap_err();
    assert_eq!(err.code(), "KEYSTORE_KEY_MISMATCH", "{err}");

    // And the right key in the same file shape loads: the failures above are the key's.
    let cert = testkeys_gost::spki_2015(key.public_key()).unwrap();
    assert_eq!(
        gost_pkcs8::public_key_of(&cert).unwrap(),
        key.public_key().to_vec()
    );
}
