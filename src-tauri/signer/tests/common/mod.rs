//! Shared by the integration tests: test keys made once per test binary into a tempdir.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::{self, Manifest};

pub const PASSWORD: &str = "Qwerty12";

struct Keys {
    _dir: tempfile::TempDir,
    manifest: Manifest,
}

static KEYS: OnceLock<Keys> = OnceLock::new();

pub fn manifest() -> &'static Manifest {
    &KEYS
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let manifest = testkeys::generate(dir.path(), PASSWORD).expect("test keys");
            Keys {
                _dir: dir,
                manifest,
            }
        })
        .manifest
}

pub fn keystore(role: &str) -> Keystore {
    Keystore::open(manifest().path(role), PASSWORD).expect("open test key")
}

/// Runs a real binary; returns its output whatever the exit code.
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `openssl cms -verify` of a DER CMS; `content` for detached signatures.
pub fn openssl_verify(dir: &Path, cms_der: &[u8], content: Option<&[u8]>) -> Output {
    let sig = dir.join("sig.der");
    std::fs::write(&sig, cms_der).unwrap();
    let ca = manifest().ca.to_str().unwrap().to_string();
    let out = dir.join("out.bin");
    let mut args = vec![
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        sig.to_str().unwrap(),
        "-CAfile",
        &ca,
        "-out",
        out.to_str().unwrap(),
    ];
    let data_path = dir.join("data.bin");
    if let Some(data) = content {
        std::fs::write(&data_path, data).unwrap();
        args.push("-content");
        args.push(data_path.to_str().unwrap());
    }
    run("openssl", &args)
}

pub mod client;
