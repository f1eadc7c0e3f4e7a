//! Replays every saved fuzz input (fuzz/seeds/TARGET/* and fuzz/corpus/TARGET/*) through the same
//! entry point its cargo-fuzz target drives, on stable Rust, so CI re-checks the corpora and every
//! crash ever found (kept in fuzz/seeds as a regression) without nightly or libFuzzer.
//! `./dev.sh fuzz` runs the fuzzers themselves.

use qoltanba_core::fuzzing;
use std::path::PathBuf;

/// The files of fuzz/seeds/TARGET (hand-made inputs and every crash found, never minimised) and
/// fuzz/corpus/TARGET (what the fuzzer kept, minimised by `cargo fuzz cmin`; may be absent).
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in [
        root.join("seeds").join(target),
        root.join("corpus").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    assert!(
        !files.is_empty(),
        "no seeds for {target} in {}",
        root.display()
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
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/cms");
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

#[test]
fn refusal_notices_never_panic_and_read_back_as_written() {
    replay("refusal_notice", |b| {
        fuzzing::refusal_notice(b);
    });
    // The valid seeds must keep reaching the accepted path, or the fuzzer would only see errors.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/refusal_notice");
    for seed in ["valid", "valid_escaped", "valid_local_no_number", "cr_raw"] {
        let bytes = std::fs::read(dir.join(seed)).unwrap();
        assert!(fuzzing::refusal_notice(&bytes), "{seed} is not read");
    }
    for seed in [
        "doctype_entity",
        "unknown_entity",
        "version_1",
        "extra_element",
        "truncated",
    ] {
        let bytes = std::fs::read(dir.join(seed)).unwrap();
        assert!(!fuzzing::refusal_notice(&bytes), "{seed} is read");
    }
}

#[test]
fn chain_building_never_panics_and_keeps_to_its_budget() {
    // fuzzing::chain asserts the budget itself; a seed that breaks it panics here.
    replay("chain", |b| {
        fuzzing::chain(b);
    });
}

#[test]
fn the_chain_seeds_reach_the_search() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/chain");
    let seed = |name: &str| fuzzing::chain(&std::fs::read(dir.join(name)).unwrap());
    // A real path (signer, intermediate, root): two signature checks.
    assert_eq!(seed("root_intermediate_signer"), 2);
    // Fifteen CAs with one name and one key: each certificate is checked against that key
    // once (16 checks), where a plain depth-first search would try billions of orderings.
    assert_eq!(seed("lookalike_cas_one_key"), 16);
}
