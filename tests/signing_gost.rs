//! `qoltanba sign-file` through a real qoltanba-signer process answering with GOST-2015-512
//! signatures (the generated GOST test keys): good signatures are kept and verify under the GOST
//! test CA; an expired key, an authentication key and tampered signatures are refused and
//! nothing is written.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const SELLER_BIN: &str = "123456789021";

fn signer_binary() -> PathBuf {
    let p = Path::new(env!("CARGO_BIN_EXE_qoltanba"))
        .parent()
        .unwrap()
        .join("qoltanba-signer");
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
}

impl Drop for Signer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is moved into `Signer`, whose Drop kills and reaps it.
#[allow(clippy::zombie_processes)]
fn serve(keys: &Path, role: &str, extra: &[&str]) -> Signer {
    let mut child = Command::new(signer_binary())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--password-env",
            "TEST_PW",
        ])
        .arg("--state-dir")
        .arg(keys.join(format!("state-{role}-{}", extra.join(""))))
        .arg("--keystore")
        .arg(keys.join(format!("{role}.p12")))
        .args(extra)
        .env("TEST_PW", "Qwerty12")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("the signer says where it listens")
            .unwrap();
        if let Some(addr) = line.strip_prefix("listening on ") {
            let url = format!("{}/", addr.trim().trim_end_matches('/'));
            return Signer { child, url };
        }
    }
}

fn sign_file(data: &Path, files: &[&Path], url: &str) -> Output {
    let mut args = vec!["sign-file".to_string()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    args.extend(["--detached".into(), "--url".into(), url.into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    qoltanba(data, &args)
}

fn p7s(file: &Path) -> PathBuf {
    file.with_file_name(format!(
        "{}.p7s",
        file.file_name().unwrap().to_string_lossy()
    ))
}

#[test]
fn sign_file_keeps_good_gost_signatures_and_refuses_bad_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    let ok = Command::new(signer_binary())
        .args(["testkeys", "--out"])
        .arg(&keys)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let gost_ca = keys.join("gost_ca.pem");
    let data = tmp.path().join("data");
    assert!(qoltanba(&data, &["settings", "seller_bin", SELLER_BIN])
        .status
        .success());

    // Good: two files in one request over pinned TLS, each verifies under the GOST test CA.
    let signer = serve(&keys, "employee_sign_gost", &["--confirm", "auto"]);
    let o = qoltanba(&data, &["ncalayer", "trust", "--url", &signer.url, "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let a = tmp.path().join("contract.txt");
    let b = tmp.path().join("annex.txt");
    std::fs::write(&a, "Договор № 7 от 01.11.2026").unwrap();
    std::fs::write(&b, "Приложение 1 к договору № 7").unwrap();
    let o = sign_file(&data, &[&a, &b], &signer.url);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    for f in [&a, &b] {
        let sig = p7s(f);
        let o = qoltanba(
            &data,
            &[
                "verify",
                f.to_str().unwrap(),
                sig.to_str().unwrap(),
                "--ca",
                gost_ca.to_str().unwrap(),
                "--json",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["signatures"][0]["indication"], "TOTAL_PASSED", "{v}");
        assert!(
            v["signatures"][0]["algorithm"]
                .as_str()
                .unwrap()
                .contains("2015"),
            "{v}"
        );
    }
    // The signature of one file does not cover the other.
    let o = qoltanba(
        &data,
        &[
            "verify",
            b.to_str().unwrap(),
            p7s(&a).to_str().unwrap(),
            "--ca",
            gost_ca.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stdout));
    drop(signer);

    // Bad: with NCALayer's key filter off, our own check refuses after signing.
    assert!(qoltanba(&data, &["settings", "sign_filter", "off"])
        .status
        .success());
    for (role, extra, code) in [
        ("expired_sign_gost", &[][..], 5),
        ("employee_auth_gost", &[][..], 6),
        (
            "employee_sign_gost",
            &["--fault", "tamper-signature"][..],
            5,
        ),
    ] {
        let mut args = vec!["--plain", "--confirm", "auto"];
        args.extend_from_slice(extra);
        let s = serve(&keys, role, &args);
        let f = tmp.path().join(format!("{role}-{}.txt", extra.len()));
        std::fs::write(&f, "Счёт № 12").unwrap();
        let o = sign_file(&data, &[&f], &s.url);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{role} {extra:?}: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(!p7s(&f).exists(), "{role} {extra:?}: nothing is written");
    }
}

#[test]
fn sign_file_without_a_seller_number_still_refuses_expired_and_authentication_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    let ok = Command::new(signer_binary())
        .args(["testkeys", "--out"])
        .arg(&keys)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    // No seller_bin: only the BIN check needs settings; the key's validity and purpose do not.
    // The key filter is off so that the stand-in offers the bad keys at all.
    let data = tmp.path().join("data");
    assert!(qoltanba(&data, &["settings", "sign_filter", "off"])
        .status
        .success());
    for (role, code) in [("expired_sign_gost", 5), ("employee_auth_gost", 6)] {
        let s = serve(&keys, role, &["--plain", "--confirm", "auto"]);
        let f = tmp.path().join(format!("{role}.txt"));
        std::fs::write(&f, "Счёт № 13").unwrap();
        let o = sign_file(&data, &[&f], &s.url);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{role}: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(!p7s(&f).exists(), "{role}: nothing is written");
    }

    // A good key still signs, and --json names the algorithm the same in every language.
    let s = serve(
        &keys,
        "employee_sign_gost",
        &["--plain", "--confirm", "auto"],
    );
    let f = tmp.path().join("good.txt");
    std::fs::write(&f, "Счёт № 14").unwrap();
    for lang in ["ru", "en"] {
        let o = qoltanba(
            &data,
            &[
                "--json",
                "--lang",
                lang,
                "sign-file",
                f.to_str().unwrap(),
                "--detached",
                "--url",
                &s.url,
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        let written: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(written[0]["algorithmId"], "gost2015-512", "{written}");
        assert_eq!(written[0]["signature"], p7s(&f).to_str().unwrap());
        let o = qoltanba(
            &data,
            &[
                "--json",
                "--lang",
                lang,
                "verify",
                f.to_str().unwrap(),
                p7s(&f).to_str().unwrap(),
            ],
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["signatures"][0]["algorithmId"], "gost2015-512", "{v}");
    }
}
