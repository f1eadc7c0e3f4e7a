//! The store as a user meets it: decisions recorded with their history, refused actions change
//! nothing, the history detects hand edits, and bad database files are refused.

mod support;

use qoltanba_core::import::import_bytes;
use qoltanba_core::keychain::KeySource;
use qoltanba_core::model::{Action, Status};
use qoltanba_core::store::{NewSignature, SettingKey, DB_FILE};
use qoltanba_core::{ErrorCode, Store};

fn store_with_docs(dir: &std::path::Path, n: usize) -> (Store, Vec<i64>) {
    let mut store = support::open(dir);
    let ids = (0..n)
        .map(|i| {
            import_bytes(
                &mut store,
                "r.pdf",
                support::sales_report_pdf(&format!("N-{i}")),
                vec![],
            )
            .unwrap()
            .id
        })
        .collect();
    (store, ids)
}

#[test]
fn accept_and_reject_are_recorded_in_the_history_with_who_when_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 2);
    store.view(ids[0]).unwrap();
    store.accept(ids[0]).unwrap();
    let d = store.reject(ids[1], "  Неверная сумма НДС  ").unwrap();
    assert_eq!(d.status, Status::Rejected);
    assert_eq!(d.reject_reason.as_deref(), Some("Неверная сумма НДС"));
    let h = store.history(ids[0]).unwrap();
    let steps: Vec<_> = h
        .iter()
        .map(|e| (e.action.as_str(), e.to_status.as_deref()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("received", Some("received")),
            ("view", Some("viewed")),
            ("accept", Some("accepted"))
        ]
    );
    assert_eq!(h[2].actor, "user:test");
    assert_eq!(h[2].at, "2026-11-01T09:00:00Z", "time comes from the clock");
    assert_eq!(
        h[2].detail["contentSha256"],
        store.document(ids[0]).unwrap().content_sha256
    );
    let r = store.history(ids[1]).unwrap();
    assert_eq!(r[1].reason.as_deref(), Some("Неверная сумма НДС"));
    assert!(store.verify_history().unwrap().intact);
}

#[test]
fn a_refused_action_returns_a_typed_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 1);
    store.accept(ids[0]).unwrap();
    let before = store.document(ids[0]).unwrap();
    let entries = store.verify_history().unwrap().entries;
    for (action, reason) in [
        (Action::Accept, None),
        (Action::Reject, Some("x")),
        (Action::MarkDelivered, None),
    ] {
        let e = store.apply(ids[0], action, reason).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTransition, "{action:?}");
    }
    assert_eq!(store.document(ids[0]).unwrap(), before);
    assert_eq!(store.verify_history().unwrap().entries, entries);
    assert_eq!(store.accept(999).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn a_rejection_needs_a_reason_of_one_to_five_thousand_characters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 1);
    for bad in ["", "   \n", &"я".repeat(5001)] {
        let e = store.reject(ids[0], bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(store.document(ids[0]).unwrap().status, Status::Received);
    }
    // 5000 Cyrillic characters are 10000 bytes: the limit counts characters.
    let d = store.reject(ids[0], &"я".repeat(5000)).unwrap();
    assert_eq!(d.status, Status::Rejected);
}

#[test]
fn a_signature_is_kept_only_over_the_bytes_shown_and_goes_to_the_outbox_with_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 2);
    let d = store.accept(ids[0]).unwrap();
    let wrong = NewSignature {
        attachment_id: Some("main".into()),
        signed_sha256: "00".repeat(32),
        cms: vec![0x30, 0x00],
        signer: None,
        verdict: None,
    };
    let e = store
        .record_own_signature(ids[0], wrong.clone(), serde_json::json!({}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignatureInvalid);
    assert!(store.signatures(ids[0]).unwrap().is_empty());
    assert!(store.outbox().unwrap().is_empty());
    let right = NewSignature {
        signed_sha256: d.content_sha256.clone(),
        ..wrong.clone()
    };
    let (_, key) = store
        .record_own_signature(ids[0], right, serde_json::json!({"attachmentId": "main"}))
        .unwrap();
    assert_eq!(store.document(ids[0]).unwrap().status, Status::Queued);
    let ob = store.outbox().unwrap();
    assert_eq!(ob.len(), 1);
    assert_eq!(ob[0].idempotency_key, key);
    assert_eq!(ob[0].kind, "signature");
    // A rejection signs its refusal notice, which the outbox payload carries.
    store.reject(ids[1], "Ошибка в сумме").unwrap();
    qoltanba_core::store::Settings::set_setting(&mut store, SettingKey::SellerBin, "123456789021")
        .unwrap();
    let notice = qoltanba_core::signing::bytes_to_sign(&store, ids[1]).unwrap();
    let sig = NewSignature {
        signed_sha256: qoltanba_core::store::sha256_hex(&notice),
        ..wrong
    };
    let payload = qoltanba_core::signing::decision_payload(
        &store.document(ids[1]).unwrap(),
        &notice,
        &sig.cms,
    );
    store.record_own_signature(ids[1], sig, payload).unwrap();
    assert_eq!(store.outbox().unwrap()[1].kind, "rejection");
    let h = store.history(ids[1]).unwrap();
    assert_eq!(
        h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["received", "reject", "sign", "queue"]
    );
}

#[test]
fn the_database_refuses_to_update_or_delete_history() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_docs(dir.path(), 1);
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let e = conn
        .execute("UPDATE history SET reason = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"));
    let e = conn.execute("DELETE FROM history", []).unwrap_err();
    assert!(e.to_string().contains("append-only"));
}

/// What someone with a database editor could do: drop the trigger and change an entry.
fn tamper(dir: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete; {sql}"
    ))
    .unwrap();
}

#[test]
fn verify_names_the_first_entry_edited_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 3);
    store.reject(ids[1], "Неверная сумма").unwrap();
    store.accept(ids[2]).unwrap();
    assert_eq!(store.verify_history().unwrap().entries, 5);
    drop(store);
    tamper(
        dir.path(),
        "UPDATE history SET reason = 'Всё верно' WHERE seq = 4",
    );
    let store = support::open(dir.path());
    let r = store.verify_history().unwrap();
    assert!(!r.intact);
    let b = r.first_broken.unwrap();
    assert_eq!(b.seq, 4);
    assert_eq!(
        b.subject.as_deref(),
        Some(format!("document:{}", ids[1]).as_str())
    );
    assert_eq!(r.entries, 3, "three entries held before it");
}

#[test]
fn verify_finds_a_deleted_entry_and_a_cut_off_tail() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_docs(dir.path(), 4);
    drop(store);
    tamper(dir.path(), "DELETE FROM history WHERE seq = 2");
    let r = support::open(dir.path()).verify_history().unwrap();
    assert_eq!(r.first_broken.unwrap().seq, 2);

    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_docs(dir.path(), 4);
    drop(store);
    tamper(dir.path(), "DELETE FROM history WHERE seq = 4");
    let r = support::open(dir.path()).verify_history().unwrap();
    assert!(!r.intact);
    assert_eq!(r.first_broken.unwrap().seq, 4);
}

/// Every way of walking the chain: the default, the window's on one thread, one segment, and
/// segments of 1, 2 and 3 entries checked on every core. Each must name the same first broken
/// entry.
fn every_walk(store: &Store) -> Vec<qoltanba_core::store::history::ChainReport> {
    let mut all = vec![
        store.verify_history().unwrap(),
        store.verify_history_on_one_thread().unwrap(),
    ];
    for len in [1_000_000, 1, 2, 3] {
        all.push(store.verify_history_in_segments(len).unwrap());
    }
    all
}

/// Ten entries (ten imported documents), then `sql` by hand; the report of every walk.
fn tampered_ten(sql: &str) -> Vec<qoltanba_core::store::history::ChainReport> {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_docs(dir.path(), 10);
    for r in every_walk(&store) {
        assert!(r.intact);
        assert_eq!(r.entries, 10);
    }
    drop(store);
    tamper(dir.path(), sql);
    every_walk(&support::open(dir.path()))
}

#[test]
fn a_walk_in_segments_names_the_same_first_broken_entry_as_the_walk_from_the_start() {
    // The earlier tamper cases, walked in segments: the same entry and reason every way.
    for (sql, seq, problem) in [
        ("UPDATE history SET reason = 'Всё верно' WHERE seq = 4", 4, "содержимое записи изменено"),
        ("DELETE FROM history WHERE seq = 2", 2, "пропуск в нумерации"),
        ("DELETE FROM history WHERE seq = 10", 10, "последние записи истории удалены"),
        // Two breaks: the first is named, though a later segment also finds its own.
        (
            "UPDATE history SET actor = 'x' WHERE seq = 9; UPDATE history SET actor = 'x' WHERE seq = 3",
            3,
            "содержимое записи изменено",
        ),
        // An entry slipped in before the first one.
        (
            "INSERT INTO history (seq, subject, at, actor, action, detail, prev_mac, mac) SELECT 0, subject, at, actor, action, detail, prev_mac, mac FROM history WHERE seq = 1",
            1,
            "пропуск в нумерации",
        ),
    ] {
        for r in tampered_ten(sql) {
            assert!(!r.intact, "{sql}");
            let b = r.first_broken.unwrap();
            assert_eq!(b.seq, seq, "{sql}");
            assert!(b.problem.contains(problem), "{sql}: {}", b.problem);
            assert_eq!(r.entries, (seq - 1) as u64, "{sql}");
        }
    }
}

#[test]
fn a_break_in_the_last_segment_is_found_when_the_segments_before_hold() {
    // Segments of 3: 1–3, 4–6, 7–9, 10. Entry 8 edited: found in a late segment, with its subject.
    for r in tampered_ten("UPDATE history SET detail = '{}' WHERE seq = 8") {
        let b = r.first_broken.unwrap();
        assert_eq!(b.seq, 8);
        assert!(b.subject.unwrap().starts_with("document:"));
        assert!(b.problem.contains("содержимое записи изменено"));
    }
    // The very last entry edited: the last segment holds one entry only with segments of 3.
    for r in tampered_ten("UPDATE history SET at = '2020-01-01T00:00:00Z' WHERE seq = 10") {
        assert_eq!(r.first_broken.unwrap().seq, 10);
    }
}

#[test]
fn a_break_at_a_segment_boundary_is_found_on_either_side() {
    // Segments of 3 start at 4 and 7. Entry 4 rewritten with a fresh chain link (a forger without
    // the key): its prev_mac no longer matches entry 3's MAC, which the next segment reads first.
    for r in tampered_ten("UPDATE history SET prev_mac = mac WHERE seq = 4") {
        let b = r.first_broken.unwrap();
        assert_eq!(b.seq, 4);
        assert!(b.problem.contains("не продолжает цепочку"), "{}", b.problem);
    }
    // Entry 6 (a segment's last) edited: its own segment finds it, not the next one.
    for r in tampered_ten("UPDATE history SET mac = prev_mac WHERE seq = 6") {
        assert_eq!(r.first_broken.unwrap().seq, 6);
    }
    // Entry 6 deleted: the segment 4–6 ends early; the next one cannot start from its MAC.
    for r in tampered_ten("DELETE FROM history WHERE seq = 6") {
        let b = r.first_broken.unwrap();
        assert_eq!(b.seq, 6);
        assert!(b.problem.contains("пропуск в нумерации"));
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"this is a text file, not a database at all").unwrap();
    let e = Store::open(dir.path(), support::options(support::fixed_clock())).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotADatabase);
    assert!(e.message.contains("не является базой"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is a text file, not a database at all"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(support::open(dir.path()));
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let e = Store::open(dir.path(), support::options(support::fixed_clock())).unwrap_err();
    assert_eq!(e.code, ErrorCode::DatabaseTooNew);
    assert!(e.message.contains("более новой версией"));
}

#[test]
fn the_file_is_copied_aside_before_a_migration_runs() {
    let dir = tempfile::tempdir().unwrap();
    // A store of schema version 1, as an older build left it.
    let mut conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    qoltanba_core::store::migrate_to(&mut conn, 1).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('seller_bin', '123456789021')",
        [],
    )
    .unwrap();
    drop(conn);
    let store = support::open(dir.path());
    let backup = store
        .migration_backup()
        .expect("a copy was taken")
        .to_path_buf();
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("qoltanba.db.v1-"));
    let old = rusqlite::Connection::open(&backup).unwrap();
    let v: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1);
    let bin: String = old
        .query_row(
            "SELECT value FROM settings WHERE key='seller_bin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bin, "123456789021");
    drop(store);
    assert!(
        support::open(dir.path()).migration_backup().is_none(),
        "no copy when nothing migrates"
    );
}

#[test]
fn the_history_key_is_never_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = store_with_docs(dir.path(), 2);
    store.accept(ids[0]).unwrap();
    store.reject(ids[1], "Неверная сумма").unwrap();

    // The key from where it really is: the OS keychain (CI, ./dev.sh test) or the fallback file.
    if std::env::var("QOLTANBA_EXPECT_OS_KEYCHAIN").as_deref() == Ok("1") {
        assert_eq!(store.key_source(), &KeySource::OsKeychain);
    }
    let installation: String = rusqlite::Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .query_row(
            "SELECT value FROM settings WHERE key='installation_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let hexed = match store.key_source() {
        KeySource::OsKeychain => {
            keyring::Entry::new("qoltanba", &format!("history-key:{installation}"))
                .unwrap()
                .get_password()
                .expect("the key is in the keychain the store says it uses")
        }
        KeySource::File { .. } => {
            std::fs::read_to_string(dir.path().join("history.key")).expect("the key file")
        }
    };
    let hexed = hexed.trim().to_string();
    let raw = hex::decode(&hexed).unwrap();
    assert_eq!(raw.len(), 32, "a 32-byte key, read back whole");
    let needles = [
        raw,
        hexed.to_lowercase().into_bytes(),
        hexed.to_uppercase().into_bytes(),
    ];
    let scan = |when: &str| {
        for name in [DB_FILE.to_string(), format!("{DB_FILE}-wal")] {
            let Ok(bytes) = std::fs::read(dir.path().join(&name)) else {
                continue;
            };
            for n in &needles {
                assert!(
                    !bytes.windows(n.len()).any(|w| w == n.as_slice()),
                    "the history key is in {name} ({when})"
                );
            }
        }
    };
    // While the store is open the latest writes are in the WAL, not yet in the main file.
    let wal = std::fs::metadata(dir.path().join(format!("{DB_FILE}-wal"))).unwrap();
    assert!(wal.len() > 0, "the writes above are in the WAL");
    scan("open");
    drop(store);
    scan("closed");
}

#[test]
fn the_language_of_rejection_reasons_is_a_setting_of_its_own() {
    use qoltanba_core::store::{SettingKey, Settings as _};
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    assert_eq!(
        store.setting(SettingKey::ReasonLanguage).unwrap(),
        None,
        "ru unless set"
    );
    store.set_setting(SettingKey::ReasonLanguage, "kk").unwrap();
    let e = store
        .set_setting(SettingKey::ReasonLanguage, "de")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("ru, kk или en"), "{}", e.message);
    assert_eq!(
        store
            .setting(SettingKey::ReasonLanguage)
            .unwrap()
            .as_deref(),
        Some("kk"),
        "a refused value changes nothing"
    );
}
