//! Replays every saved fuzz input (fuzz/corpus/TARGET/*) through the same entry point its cargo-fuzz
//! target drives, on stable Rust, so CI re-checks the corpora and every crash ever found (each crash
//! is kept in the corpus as a regression) without nightly or libFuzzer. `./dev.sh fuzz` runs the
//! fuzzers themselves.

use qoltanba_core::fuzzing;
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "the {target} corpus is empty: {}",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

/// Feeds each file to `f` and names the file if it panics.
fn replay(target: &str, f: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let files = corpus(target);
    for (path, bytes) in &files {
        let r = std::panic::catch_unwind(|| f(bytes));
        assert!(r.is_ok(), "{target}: {} panics", path.display());
    }
    files.len()
}

#[test]
fn ncalayer_replies_never_panic() {
    replay("ncalayer_reply", fuzzing::ncalayer_reply);
}

#[test]
fn cms_signatures_never_panic() {
    replay("cms", |b| {
        fuzzing::cms(b);
    });
}

#[test]
fn the_seed_signatures_still_reach_verification() {
    // The hand-made seeds must keep exercising the verifier (a parser change that refused them
    // all would leave the fuzzer only the error paths).
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/cms");
    for seed in ["rsa_detached", "ec_detached", "nca_detached"] {
        let bytes = std::fs::read(dir.join(seed)).unwrap();
        let (detached, _) = fuzzing::cms(&bytes);
        assert!(detached > 0, "{seed}: no signer verified");
    }
}

#[test]
fn signed_xml_never_panics() {
    replay("xml_signature", fuzzing::xml_signature);
}

#[test]
fn operator_json_never_panics() {
    replay("operator_json", fuzzing::operator_json);
}

#[test]
fn imported_pdfs_never_panic() {
    replay("import_pdf", fuzzing::import_pdf);
}

#[test]
fn imported_xml_never_panics() {
    replay("import_xml", fuzzing::import_xml);
}

#[test]
fn act_drafts_never_panic() {
    replay("act", |b| {
        fuzzing::act(b);
    });
}
