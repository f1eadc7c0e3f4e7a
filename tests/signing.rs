//! Signing from the command line through a real qoltanba-signer process over a real socket
//! (TLS with a pinned certificate), checked by `openssl cms -verify`; and what the user sees when
//! NCALayer is not running, the user cancels, or the key is another organisation's.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const SELLER_BIN: &str = "123456789021";

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_qoltanba"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn signer_binary() -> PathBuf {
    let p = bin_dir().join("qoltanba-signer");
    if !p.exists() {
        let ok = Command::new(env!("CARGO"))
            .args(["build", "-p", "qoltanba-signer", "--bin", "qoltanba-signer"])
            .status()
            .unwrap()
            .success();
        assert!(ok, "qoltanba-signer builds");
    }
    p
}

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("QOLTANBA_SIGNER_URL")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Signer {
    child: Child,
    url: String,
    pin: Option<String>,
}

impl Drop for Signer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is moved into `Signer`, whose Drop kills and reaps it; the lint cannot see that.
#[allow(clippy::zombie_processes)]
fn serve(keys: &Path, role: &str, extra: &[&str]) -> Signer {
    let state = keys.join(format!("state-{role}-{}", extra.join("")));
    let mut child = Command::new(signer_binary())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--password-env",
            "TEST_PW",
            "--state-dir",
        ])
        .arg(&state)
        .arg("--keystore")
        .arg(keys.join(format!("{role}.p12")))
        .args(extra)
        .env("TEST_PW", "Qwerty12")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut pin = None;
    loop {
        let line = lines
            .next()
            .expect("the signer says where it listens")
            .unwrap();
        if let Some(p) = line.strip_prefix("certificate sha256 ") {
            pin = Some(p.trim().to_string());
        }
        if let Some(addr) = line.strip_prefix("listening on ") {
            let url = format!("{}/", addr.trim().trim_end_matches('/'));
            return Signer { child, url, pin };
        }
    }
}

fn testkeys(dir: &Path) {
    let ok = Command::new(signer_binary())
        .args(["testkeys", "--out"])
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

const ACT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-N</number><date>2026-10-31</date></act>"#;

/// A data dir with the seller's BIN and `n` imported, accepted documents.
fn prepared(tmp: &Path, n: usize) -> PathBuf {
    let data = tmp.join("data");
    assert!(qoltanba(&data, &["settings", "seller_bin", SELLER_BIN])
        .status
        .success());
    for i in 0..n {
        let f = tmp.join(format!("act{i}.xml"));
        std::fs::write(&f, ACT_XML.replace("PR-N", &format!("PR-{i}"))).unwrap();
        assert!(qoltanba(&data, &["import", f.to_str().unwrap()])
            .status
            .success());
        assert!(qoltanba(&data, &["accept", &(i + 1).to_string()])
            .status
            .success());
    }
    data
}

fn openssl_verifies(sig: &Path, content: &Path, ca: &Path) -> bool {
    Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-in",
        ])
        .arg(sig)
        .arg("-content")
        .arg(content)
        .arg("-CAfile")
        .arg(ca)
        .arg("-out")
        .arg("/dev/null")
        .status()
        .unwrap()
        .success()
}

#[test]
fn sign_documents_over_pinned_tls_and_openssl_accepts_the_signatures() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    testkeys(&keys);
    let signer = serve(&keys, "employee_sign", &["--confirm", "auto"]);
    let data = prepared(tmp.path(), 3);
    assert!(signer.url.starts_with("wss://127.0.0.1:"), "{}", signer.url);

    // Unconfirmed certificate: nothing is sent.
    let o = qoltanba(&data, &["sign", "1", "--url", &signer.url]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert_eq!(qoltanba_status(&data, 1), "accepted");

    let o = qoltanba(&data, &["ncalayer", "trust", "--url", &signer.url, "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains(signer.pin.as_deref().unwrap()),
        "the pin printed by the signer is the one stored"
    );

    let o = qoltanba(&data, &["ncalayer", "status", "--url", &signer.url]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("NCALayer 1."),
        "{}",
        text(&o.stdout)
    );

    // Two documents in one batch.
    assert!(qoltanba(&data, &["--json", "show", "3"]).status.success());
    let o = qoltanba(&data, &["sign", "1", "2", "--url", &signer.url]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stdout).contains("Документ №1: подписан"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(qoltanba_status(&data, 1), "queued");
    assert_eq!(qoltanba_status(&data, 2), "queued");

    let out = tmp.path().join("export");
    assert!(
        qoltanba(&data, &["export", "1", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let sig = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("signature-own"))
        .unwrap();
    let content = out.join("1-main-act0.xml");
    assert!(openssl_verifies(&sig, &content, &keys.join("ca.pem")));
    // verify builds the chain: the test CA is trusted for this check (--ca).
    let ca = keys.join("ca.pem");
    let o = qoltanba(
        &data,
        &[
            "verify",
            content.to_str().unwrap(),
            sig.to_str().unwrap(),
            "--ca",
            ca.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("Подпись действительна"));

    // A rejection signs its refusal notice: export writes it beside its signature, openssl
    // accepts the pair, and verify says which document and which file it rejects.
    let f = tmp.path().join("act-rejected.xml");
    std::fs::write(&f, ACT_XML.replace("PR-N", "PR-R")).unwrap();
    assert!(qoltanba(&data, &["import", f.to_str().unwrap()])
        .status
        .success());
    let o = qoltanba(
        &data,
        &["reject", "4", "--reason", "Сумма <НДС> & итог не совпадают"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = qoltanba(&data, &["sign", "4", "--url", &signer.url]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(qoltanba_status(&data, 4), "queued");
    let shown: serde_json::Value =
        serde_json::from_slice(&qoltanba(&data, &["--json", "show", "4"]).stdout).unwrap();
    let content_sha = shown["document"]["contentSha256"]
        .as_str()
        .unwrap()
        .to_string();
    let out = tmp.path().join("export-rejected");
    assert!(
        qoltanba(&data, &["export", "4", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let notice = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".xml") && p.to_string_lossy().contains("refusal"))
        .expect("the refusal notice is exported");
    let notice_sig = PathBuf::from(format!("{}.p7s", notice.display()));
    assert!(openssl_verifies(&notice_sig, &notice, &ca));
    let o = qoltanba(
        &data,
        &[
            "verify",
            notice.to_str().unwrap(),
            notice_sig.to_str().unwrap(),
            "--ca",
            ca.to_str().unwrap(),
        ],
    );
    let said = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("Подпись действительна"), "{said}");
    assert!(
        said.contains("Уведомление об отказе от документа local-4"),
        "{said}"
    );
    assert!(said.contains(&content_sha), "{said}");
    assert!(
        said.contains("Причина: Сумма <НДС> & итог не совпадают"),
        "{said}"
    );

    // sign-file writes FILE.p7s that openssl accepts; a changed file no longer verifies.
    let file = tmp.path().join("contract.txt");
    std::fs::write(&file, "Договор № 7 от 01.11.2026").unwrap();
    let o = qoltanba(
        &data,
        &[
            "sign-file",
            file.to_str().unwrap(),
            "--detached",
            "--url",
            &signer.url,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let p7s = tmp.path().join("contract.txt.p7s");
    assert!(openssl_verifies(&p7s, &file, &keys.join("ca.pem")));
    std::fs::write(&file, "Договор № 8 от 01.11.2026").unwrap();
    let o = qoltanba(
        &data,
        &["verify", file.to_str().unwrap(), p7s.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(5));
    assert!(text(&o.stdout).contains("недействительна"));
}

fn qoltanba_status(data: &Path, id: i64) -> String {
    let o = qoltanba(data, &["--json", "show", &id.to_string()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["document"]["status"].as_str().unwrap().to_string()
}

#[test]
fn ncalayer_not_running_cancel_and_wrong_signer_keep_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    testkeys(&keys);
    let data = prepared(tmp.path(), 2);

    // Not running: exit 4 and how to start it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = qoltanba(
        &data,
        &["sign", "1", "--url", &format!("ws://127.0.0.1:{port}/")],
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("NCALayer не запущен"),
        "{}",
        text(&o.stderr)
    );
    let o = qoltanba(
        &data,
        &[
            "--lang",
            "kk",
            "sign",
            "1",
            "--url",
            &format!("ws://127.0.0.1:{port}/"),
        ],
    );
    assert!(
        text(&o.stderr).contains("NCALayer іске қосылмаған"),
        "{}",
        text(&o.stderr)
    );

    // The user presses Cancel: exit 3, both documents still wait for a signature.
    let cancel = serve(&keys, "employee_sign", &["--plain", "--confirm", "cancel"]);
    let o = qoltanba(&data, &["sign", "1", "2", "--url", &cancel.url]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert_eq!(qoltanba_status(&data, 1), "accepted");
    assert_eq!(qoltanba_status(&data, 2), "accepted");

    // NCALayer is told which keys may sign: another organisation's key is not even offered.
    let other = serve(&keys, "other_org_sign", &["--plain", "--confirm", "auto"]);
    let o = qoltanba(&data, &["sign", "1", "--url", &other.url]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stderr));
    assert_eq!(qoltanba_status(&data, 1), "accepted");
    // Without that filter (an NCALayer that ignores it), our own check refuses after signing:
    // another organisation's key, an authentication key, an expired key; nothing is kept.
    assert!(qoltanba(&data, &["settings", "sign_filter", "off"])
        .status
        .success());
    for (role, code) in [
        ("other_org_sign", 6),
        ("employee_auth", 6),
        ("expired_sign", 5),
    ] {
        let s = serve(&keys, role, &["--plain", "--confirm", "auto"]);
        let o = qoltanba(&data, &["sign", "1", "--url", &s.url]);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{role}: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert_eq!(qoltanba_status(&data, 1), "accepted", "{role}");
    }
    let o = qoltanba(&data, &["--json", "show", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["signatures"].as_array().unwrap().is_empty());
    // A wrong pin: refused before anything is sent.
    assert!(
        qoltanba(&data, &["settings", "signer_pin", &"ab".repeat(32)])
            .status
            .success()
    );
    let tls = serve(&keys, "employee_sign", &["--confirm", "auto"]);
    let o = qoltanba(&data, &["sign", "1", "--url", &tls.url]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stderr));
    assert_eq!(qoltanba_status(&data, 1), "accepted");
}

/// An individual entrepreneur's number is its IIN: its personal key signs; another person's
/// personal key is not offered, and, where NCALayer ignores the filter, is refused after signing
/// with both IINs named. Nothing is kept from a refused key.
#[test]
fn a_sole_proprietor_signs_with_the_personal_key_and_another_persons_key_is_refused() {
    const SOLE_IIN: &str = "950620450121";
    const OTHER_PERSON_IIN: &str = "900712400233";
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    testkeys(&keys);
    let data = prepared(tmp.path(), 2);
    for (key, value) in [("seller_bin", SOLE_IIN), ("seller_kind", "iin")] {
        let o = qoltanba(&data, &["settings", key, value]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let o = qoltanba(&data, &["settings", "seller_kind", "ip"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("iin"), "{}", text(&o.stderr));

    let sole = serve(&keys, "sole_sign", &["--plain", "--confirm", "auto"]);
    let o = qoltanba(&data, &["sign", "1", "--url", &sole.url]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stdout).contains("Документ №1: подписан"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(qoltanba_status(&data, 1), "queued");

    // NCALayer is asked for the entrepreneur's key: someone else's is not offered.
    let other = serve(&keys, "individual_sign", &["--plain", "--confirm", "auto"]);
    let o = qoltanba(&data, &["sign", "2", "--url", &other.url]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stderr));
    assert_eq!(qoltanba_status(&data, 2), "accepted");
    // Without the filter our own check refuses it, naming both IINs.
    assert!(qoltanba(&data, &["settings", "sign_filter", "off"])
        .status
        .success());
    let o = qoltanba(&data, &["sign", "2", "--url", &other.url]);
    let said = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(6), "{said}");
    assert!(
        said.contains(OTHER_PERSON_IIN) && said.contains(SOLE_IIN),
        "{said}"
    );
    assert_eq!(qoltanba_status(&data, 2), "accepted");
}
