//! The disk and the database file: full, read-only, held by another process.

use super::check::after_restart;
use super::servers::{ok, operator, TOKEN};
use super::{failure, run, succeeded, Mount};
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::Status;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const FILE_KEY: [(&str, &str); 1] = [("QOLTANBA_KEYCHAIN", "file")];

/// `n` act XML files of about `kib` KiB each, numbered from `from`.
fn acts(dir: &Path, from: usize, n: usize, kib: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ from as u64;
    for i in from..from + n {
        let mut pad = String::with_capacity(kib * 1024);
        while pad.len() < kib * 1024 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            pad.push_str(&format!("{x:016x}"));
        }
        std::fs::write(
            dir.join(format!("act{i:04}.xml")),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-{i}</number><date>2026-10-31</date><note>{pad}</note></act>"#),
        )
        .unwrap();
    }
}

fn documents(data: &Path, keychain: KeychainMode, up_to: i64) -> usize {
    after_restart(
        data,
        keychain,
        &[Status::Received, Status::Accepted],
        up_to,
        true,
    )
    .len()
}

#[test]
fn disk_full_while_importing_keeps_what_was_stored() {
    let tmp = tempfile::tempdir().unwrap();
    acts(&tmp.path().join("first"), 0, 3, 1);
    acts(&tmp.path().join("many"), 100, 150, 24);
    let disk = Mount::tmpfs(&tmp.path().join("disk"), 2048);
    let data = tmp.path().join("disk/data");
    succeeded(&run(
        &data,
        &["import", tmp.path().join("first").to_str().unwrap()],
        &FILE_KEY,
    ));

    let o = run(
        &data,
        &["import", tmp.path().join("many").to_str().unwrap()],
        &FILE_KEY,
    );
    let (code, message) = failure(&o, 1);
    assert_eq!(code, "storage");
    assert!(message.contains("Не хватает места на диске"), "{message}");
    // What was stored before is whole; the history verifies.
    let kept = documents(&data, KeychainMode::File, 300);
    assert!(kept >= 3, "{kept}");

    disk.grow(64 * 1024);
    succeeded(&run(
        &data,
        &["import", tmp.path().join("many").to_str().unwrap()],
        &FILE_KEY,
    ));
    assert_eq!(documents(&data, KeychainMode::File, 300), 153);
}

#[test]
fn disk_full_while_syncing_stores_whole_documents_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operator(&tmp.path().join("operator"), 60, &[]);
    let disk = Mount::tmpfs(&tmp.path().join("disk"), 1536);
    let data = tmp.path().join("disk/data");
    ok(
        &data,
        &[
            "account",
            "add",
            "--url",
            &op.url,
            "--token-stdin",
            "--name",
            &format!("faults-{}", std::process::id()),
        ],
        Some(TOKEN),
    );
    let (code, message) = failure(&run(&data, &["sync"], &[]), 1);
    assert_eq!(code, "storage");
    assert!(message.contains("Не хватает места на диске"), "{message}");
    assert!(documents(&data, KeychainMode::Os, 100) < 60);

    disk.grow(64 * 1024);
    succeeded(&run(&data, &["sync"], &[]));
    assert_eq!(documents(&data, KeychainMode::Os, 100), 60);
    let again = ok(&data, &["sync", "--reconcile"], None);
    assert!(again.contains("всё актуально"), "{again}");
}

#[test]
fn a_read_only_data_folder_is_named_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    acts(&tmp.path().join("in"), 0, 2, 1);
    let data = tmp.path().join("data");
    succeeded(&run(
        &data,
        &["import", tmp.path().join("in").to_str().unwrap()],
        &FILE_KEY,
    ));
    {
        let _ro = Mount::read_only(&data);
        for args in [&["list"][..], &["accept", "1"][..]] {
            let (code, message) = failure(&run(&data, args, &FILE_KEY), 1);
            assert_eq!(code, "storage", "{args:?}");
            assert!(message.contains("только для чтения"), "{message}");
        }
    }
    assert_eq!(documents(&data, KeychainMode::File, 10), 2);
    succeeded(&run(&data, &["accept", "1"], &FILE_KEY));
}

#[test]
fn a_database_held_by_another_process_is_reported_and_the_change_made_later() {
    let tmp = tempfile::tempdir().unwrap();
    acts(&tmp.path().join("in"), 0, 1, 1);
    let data = tmp.path().join("data");
    succeeded(&run(
        &data,
        &["import", tmp.path().join("in").to_str().unwrap()],
        &FILE_KEY,
    ));
    // Another process (the sqlite3 tool) takes the write lock and keeps it.
    let mut holder = Command::new("sqlite3")
        .arg(data.join("qoltanba.db"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sqlite3 runs");
    let mut input = holder.stdin.take().unwrap();
    input
        .write_all(
            b"BEGIN IMMEDIATE; INSERT INTO settings(key, value) VALUES ('lock-test', 'x');\n",
        )
        .unwrap();
    input.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));

    // Reading still works; a change waits, then says who holds the file.
    succeeded(&run(&data, &["list"], &FILE_KEY));
    let (code, message) = failure(&run(&data, &["accept", "1"], &FILE_KEY), 1);
    assert_eq!(code, "storage");
    assert!(message.contains("занята другой программой"), "{message}");

    input.write_all(b"ROLLBACK;\n.quit\n").unwrap();
    drop(input);
    holder.wait().unwrap();
    succeeded(&run(&data, &["accept", "1"], &FILE_KEY));
    let seen = after_restart(&data, KeychainMode::File, &[Status::Accepted], 5, true);
    assert_eq!(seen.len(), 1);
}
