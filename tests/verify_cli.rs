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
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
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
    assert_eq!(json(&o)["signatures"][1]["subIndication"], "HASH_FAILURE");
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
