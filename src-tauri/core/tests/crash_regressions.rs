//! Regressions found by killing the program (tests/crash at the workspace root): each test puts a
//! data folder in the state a SIGKILL left it in and checks that the program carries on.

mod support;

use qoltanba_core::keychain::{KeySource, KeychainMode};
use qoltanba_core::{OpenOptions, Store};

fn open_with_key_file(dir: &std::path::Path) -> qoltanba_core::Result<Store> {
    Store::open(
        dir,
        OpenOptions {
            keychain: KeychainMode::File,
            ..support::options(support::fixed_clock())
        },
    )
}

/// A kill between creating history.key and writing it left an empty (or cut-short) file, and
/// every later start refused with "history.key повреждён" although no history depended on it.
#[test]
fn a_history_key_cut_short_before_any_history_is_made_again() {
    for left in ["", "0123abcd"] {
        let dir = tempfile::tempdir().unwrap();
        drop(open_with_key_file(dir.path()).unwrap());
        // The database exists (created by the killed run), the key file was not finished.
        std::fs::write(dir.path().join("history.key"), left).unwrap();
        let mut s = open_with_key_file(dir.path()).expect("opens after the kill");
        assert!(matches!(s.key_source(), KeySource::File { .. }));
        qoltanba_core::import::import_bytes(
            &mut s,
            "a.pdf",
            support::sales_report_pdf("K-1"),
            vec![],
        )
        .unwrap();
        drop(s);
        let key = std::fs::read_to_string(dir.path().join("history.key")).unwrap();
        assert_eq!(key.trim().len(), 64, "a whole key was written");
        let s = open_with_key_file(dir.path()).unwrap();
        assert!(s.verify_history().unwrap().intact);
    }
}

/// Once history exists, a damaged key file is still refused, never silently replaced: replacing
/// it would make every existing entry fail verification without saying why.
#[test]
fn a_damaged_history_key_with_history_is_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open_with_key_file(dir.path()).unwrap();
    qoltanba_core::import::import_bytes(&mut s, "a.pdf", support::sales_report_pdf("K-1"), vec![])
        .unwrap();
    drop(s);
    std::fs::write(dir.path().join("history.key"), "").unwrap();
    let e = open_with_key_file(dir.path()).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::Keychain);
    assert!(e.message.contains("history.key"), "{}", e.message);
}
