//! The history key: in the OS keychain where there is one, in a private file where there is not,
//! and the store says which. (One test: it changes the process environment.)

mod support;

use qoltanba_core::keychain::{KeySource, KeychainMode};
use qoltanba_core::{OpenOptions, Store};

fn open(dir: &std::path::Path, mode: KeychainMode) -> qoltanba_core::Result<Store> {
    Store::open(
        dir,
        OpenOptions {
            keychain: mode,
            ..support::options(support::fixed_clock())
        },
    )
}

#[test]
fn the_key_lives_in_the_keychain_or_a_reported_fallback_file() {
    // CI runs the suite inside a D-Bus session with gnome-keyring unlocked and says so.
    if std::env::var("QOLTANBA_EXPECT_OS_KEYCHAIN").as_deref() == Ok("1") {
        let dir = tempfile::tempdir().unwrap();
        let mut s = open(dir.path(), KeychainMode::Os).unwrap();
        assert_eq!(s.key_source(), &KeySource::OsKeychain);
        qoltanba_core::import::import_bytes(
            &mut s,
            "a.pdf",
            support::sales_report_pdf("K-1"),
            vec![],
        )
        .unwrap();
        drop(s);
        assert!(
            !dir.path().join("history.key").exists(),
            "no key file beside the database"
        );
        let s = open(dir.path(), KeychainMode::Os).unwrap();
        assert!(
            s.verify_history().unwrap().intact,
            "the same key is found again"
        );
    }

    // Forced file mode: a private file, reported plainly.
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path(), KeychainMode::File).unwrap();
    assert!(matches!(s.key_source(), KeySource::File { .. }));
    assert!(s.key_source().describe().contains("history.key"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("history.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A store with history whose key has gone is refused, not silently re-keyed.
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(dir.path(), KeychainMode::File).unwrap();
    qoltanba_core::import::import_bytes(&mut s, "a.pdf", support::sales_report_pdf("K-2"), vec![])
        .unwrap();
    drop(s);
    std::fs::remove_file(dir.path().join("history.key")).unwrap();
    let e = open(dir.path(), KeychainMode::File).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::Keychain);
}

/// With no D-Bus session to reach, the fallback is taken and reported. Runs in a child process
/// so the environment it needs cannot leak into (or be cached by) other tests.
#[test]
fn without_a_reachable_keychain_the_fallback_is_taken_and_reported() {
    if std::env::var("QOLTANBA_KEYCHAIN_CHILD").is_ok() {
        let dir = tempfile::tempdir().unwrap();
        let s = open(dir.path(), KeychainMode::Os).unwrap();
        match s.key_source() {
            KeySource::File { reason } => assert!(reason.contains("недоступно"), "{reason}"),
            other => panic!("expected the fallback, got {other:?}"),
        }
        assert!(dir.path().join("history.key").exists());
        drop(s);
        planted_files_are_not_used(KeychainMode::Os);
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "without_a_reachable_keychain_the_fallback_is_taken_and_reported",
            "--nocapture",
        ])
        .env("QOLTANBA_KEYCHAIN_CHILD", "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/qoltanba-test-bus",
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1 passed"), "{text}");
}

const PLANTED: &str = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

/// A history.key someone else wrote beside the database is not used: before the first start it
/// is put aside (and reported); beside existing history the store refuses to open with it.
fn planted_files_are_not_used(mode: KeychainMode) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("history.key");
    std::fs::write(&key, PLANTED).unwrap();
    let mut s = open(dir.path(), mode).unwrap();
    match s.key_source() {
        KeySource::File { reason } => assert!(reason.contains("посторонний"), "{reason}"),
        other => panic!("expected the file, got {other:?}"),
    }
    assert_ne!(std::fs::read_to_string(&key).unwrap().trim(), PLANTED);
    qoltanba_core::import::import_bytes(&mut s, "a.pdf", support::sales_report_pdf("P-1"), vec![])
        .unwrap();
    drop(s);
    // Our own file opens again.
    assert!(
        open(dir.path(), mode)
            .unwrap()
            .verify_history()
            .unwrap()
            .intact
    );

    std::fs::write(&key, PLANTED).unwrap();
    let e = open(dir.path(), mode).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::Keychain);
    assert!(e.message.contains("history.key"), "{}", e.message);
}

#[test]
fn a_planted_history_key_file_is_not_used() {
    planted_files_are_not_used(KeychainMode::File);
}

/// A key file an older version made (no record in the database) is taken once it is shown to
/// sign this database's history, and recorded from then on.
#[test]
fn a_key_file_from_before_the_record_is_adopted_when_it_signs_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(dir.path(), KeychainMode::File).unwrap();
    qoltanba_core::import::import_bytes(&mut s, "a.pdf", support::sales_report_pdf("M-1"), vec![])
        .unwrap();
    drop(s);
    let db = rusqlite::Connection::open(dir.path().join("qoltanba.db")).unwrap();
    let removed = db
        .execute("DELETE FROM settings WHERE key = 'history_key_file'", [])
        .unwrap();
    assert_eq!(removed, 1, "the store records its key file");
    drop(db);
    let s = open(dir.path(), KeychainMode::File).unwrap();
    assert!(s.verify_history().unwrap().intact);
    use qoltanba_core::store::{SettingKey, Settings};
    assert!(s.setting(SettingKey::HistoryKeyFile).unwrap().is_some());
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new").join("data");
    let mut s = open(&dir, KeychainMode::File).unwrap();
    qoltanba_core::import::import_bytes(&mut s, "a.pdf", support::sales_report_pdf("F-1"), vec![])
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("qoltanba.db")), 0o600);
    assert_eq!(mode(&dir.join("qoltanba.db-wal")), 0o600);
    drop(s);
    // A database an older version left readable by others is tightened on open.
    let db = dir.join("qoltanba.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(open(&dir, KeychainMode::File).unwrap());
    assert_eq!(mode(&db), 0o600);
}
