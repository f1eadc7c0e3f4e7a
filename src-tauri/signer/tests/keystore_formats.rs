//! Keystore reads PKCS#12 as NCA issues it (SHA-1 MAC, 3DES key, RC2-40 certificates: what
//! `openssl pkcs12 -export -legacy` writes), not only the AES files our generator writes.

mod common;

use common::{manifest, openssl_verify, run, stderr, PASSWORD};
use qoltanba_signer::cms;
use qoltanba_signer::keystore::Keystore;

#[test]
fn legacy_nca_style_pkcs12_opens_and_signs() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("all.pem");
    let legacy = dir.path().join("nca.p12");
    let pass = format!("pass:{PASSWORD}");
    let export = run(
        "openssl",
        &[
            "pkcs12",
            "-in",
            manifest().path("employee_sign").to_str().unwrap(),
            "-passin",
            &pass,
            "-noenc",
            "-out",
            pem.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let pack = run(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-legacy",
            "-in",
            pem.to_str().unwrap(),
            "-out",
            legacy.to_str().unwrap(),
            "-passout",
            &pass,
            "-name",
            "RSA256_nca",
        ],
    );
    assert!(pack.status.success(), "{}", stderr(&pack));
    let info = run(
        "openssl",
        &[
            "pkcs12",
            "-info",
            "-noout",
            "-legacy",
            "-in",
            legacy.to_str().unwrap(),
            "-passin",
            &pass,
        ],
    );
    let described = stderr(&info);
    assert!(
        described.contains("pbeWithSHA1And40BitRC2-CBC"),
        "{described}"
    );
    assert!(
        described.contains("pbeWithSHA1And3-KeyTripleDES-CBC"),
        "{described}"
    );

    let key = Keystore::open(&legacy, PASSWORD).expect("legacy PKCS#12");
    assert_eq!(key.alias(), "RSA256_nca");
    let data = b"signed with an NCA-style file";
    let sig = cms::sign(&key, data, true).unwrap();
    let v = openssl_verify(dir.path(), &sig, Some(data));
    assert!(v.status.success(), "{}", stderr(&v));

    assert!(Keystore::open(&legacy, "wrong").is_err());
}
