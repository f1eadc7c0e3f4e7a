//! Crash safety: the `qoltanba` CLI is killed with SIGKILL at seeded random points during an import
//! of 1,000 files, a full sync from a real qoltanba-operator, a batch signing of 500 documents
//! through a real qoltanba-signer, and the sending of a full outbox of 500; the desktop app is
//! killed the same way while its window syncs by itself (app.rs). After every kill the checks in
//! check.rs run and the same command is started again until the job is done.
//!
//! CI runs 10 kills per scenario; the full form is `./dev.sh crash` (QOLTANBA_CRASH_KILLS=200).
//! QOLTANBA_CRASH_SEED replays a run's kill points. Needs the OS keychain (`./dev.sh` starts
//! gnome-keyring) for the operator token, and the sqlite3 tool to read the operator's file.
// SIGKILL and exit statuses by signal are Unix's: on Windows this test is not built.
#![cfg(unix)]

mod app;
mod check;
mod kill;
mod servers;
mod text;

use check::{after_restart, no_signature_lost, operator_signatures};
use kill::Kills;
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::Status;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::{OpenOptions, Store};
use servers::{copy_dir, ok, operator, qoltanba, signer, TOKEN};
use std::path::{Path, PathBuf};

pub(crate) const SMALL: usize = 10;
const FILES: i64 = 1000;
const DOCUMENTS: i64 = 500;

pub(crate) fn account(scenario: &str) -> String {
    format!("crash-{}-{scenario}", std::process::id())
}

pub(crate) fn add_account(data: &Path, url: &str, name: &str) {
    ok(
        data,
        &[
            "account",
            "add",
            "--url",
            url,
            "--token-stdin",
            "--name",
            name,
        ],
        Some(TOKEN),
    );
}

/// The checks after a kill of a sync: every document received, bytes re-hashed.
fn received_only(data: &Path) -> check::Snapshot {
    after_restart(
        data,
        KeychainMode::Os,
        &[Status::Received],
        DOCUMENTS + 10,
        true,
    )
}

pub(crate) fn count(s: &check::Snapshot, status: Status) -> i64 {
    s.values().filter(|d| d.status == status).count() as i64
}

#[test]
fn import_of_1000_files_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    for i in 0..FILES {
        std::fs::write(
            files.join(format!("act{i:04}.xml")),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-{i}</number><date>2026-10-31</date></act>"#),
        )
        .unwrap();
    }
    // The history key in a file beside the database: the kill can also land while it is written.
    let import = |data: &Path| {
        let mut c = qoltanba(data, &["import", files.to_str().unwrap()]);
        c.env("QOLTANBA_KEYCHAIN", "file");
        c
    };
    let check = |data: &Path| {
        after_restart(
            data,
            KeychainMode::File,
            &[Status::Received],
            FILES + 10,
            true,
        )
    };
    let mut kills = Kills::from_env(SMALL, 1, FILES as usize);
    let mut job = 0;
    loop {
        let data = tmp.path().join(format!("data-{job}"));
        let status = if job == 0 {
            kills.calibrate(import(&data))
        } else {
            kills.run_job(
                || import(&data),
                || count(&check(&data), Status::Received) as usize,
            )
        };
        assert!(status.success(), "import ends with exit 0");
        assert_eq!(count(&check(&data), Status::Received), FILES);
        std::fs::remove_dir_all(&data).unwrap();
        job += 1;
        if !kills.remaining() {
            break;
        }
    }
    eprintln!(
        "crash/import: {} kills over {} imports of {FILES} files, 0 failures; {}",
        kills.done,
        kills.jobs,
        kills.summary()
    );
}

#[test]
fn full_sync_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operator(&tmp.path().join("operator"), DOCUMENTS as usize, &[]);
    let name = account("sync");
    let check = |data: &Path| received_only(data);
    let mut kills = Kills::from_env(SMALL, 2, DOCUMENTS as usize);
    let mut job = 0;
    loop {
        let data = tmp.path().join(format!("data-{job}"));
        add_account(&data, &op.url, &name);
        let status = if job == 0 {
            kills.calibrate(qoltanba(&data, &["sync"]))
        } else {
            kills.run_job(
                || qoltanba(&data, &["sync"]),
                || count(&check(&data), Status::Received) as usize,
            )
        };
        assert!(status.success(), "sync ends with exit 0");
        assert_eq!(count(&check(&data), Status::Received), DOCUMENTS);
        // The cursor was not moved past anything that was not stored.
        let again = ok(&data, &["sync", "--reconcile"], None);
        assert!(again.contains("всё актуально"), "{again}");
        std::fs::remove_dir_all(&data).unwrap();
        job += 1;
        if !kills.remaining() {
            break;
        }
    }
    eprintln!(
        "crash/sync: {} kills over {} syncs of {DOCUMENTS} documents, 0 failures; {}",
        kills.done,
        kills.jobs,
        kills.summary()
    );
}

/// A stopped operator holding DOCUMENTS undecided documents, and a data folder that synced them
/// and accepted every one (in-process: 500 CLI runs would take a minute).
fn accepted(tmp: &Path, scenario: &str) -> (PathBuf, PathBuf) {
    let op_dir = tmp.join("operator-template");
    let data = tmp.join("accepted");
    {
        let op = operator(&op_dir, DOCUMENTS as usize, &[]);
        add_account(&data, &op.url, &account(scenario));
        ok(&data, &["sync"], None);
    }
    let mut store = Store::open(&data, OpenOptions::default()).unwrap();
    for id in 1..=DOCUMENTS {
        store.accept(id).unwrap();
    }
    // Signing and sending are killed apart: a batch signed here stays queued for the sending
    // scenario instead of going out at once.
    store
        .set_setting(SettingKey::SendAfterSigning, "off")
        .unwrap();
    (op_dir, data)
}

#[test]
fn batch_signing_of_500_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let (op_dir, accepted) = accepted(tmp.path(), "sign");
    let signer = signer(&op_dir, &tmp.path().join("signer"));
    ok(
        &accepted,
        &["ncalayer", "trust", "--url", &signer.url, "--yes"],
        None,
    );
    // The last run's stderr, to tell "nothing left to sign" from a failure.
    let stderr = tmp.path().join("sign.stderr");
    let sign = |data: &Path| {
        let mut c = qoltanba(data, &["sign", "--all-pending", "--url", &signer.url]);
        c.stderr(std::fs::File::create(&stderr).unwrap());
        c
    };
    let legal = [Status::Accepted, Status::Queued];
    let check = |data: &Path| after_restart(data, KeychainMode::Os, &legal, DOCUMENTS + 10, false);
    let mut kills = Kills::from_env(SMALL, 3, DOCUMENTS as usize);
    let mut job = 0;
    loop {
        let data = tmp.path().join(format!("data-{job}"));
        copy_dir(&accepted, &data);
        let mut before = check(&data);
        let status = if job == 0 {
            kills.calibrate(sign(&data))
        } else {
            kills.run_job(
                || sign(&data),
                || {
                    let now = check(&data);
                    no_signature_lost(&before, &now);
                    let signed = count(&now, Status::Queued) as usize;
                    before = now;
                    signed
                },
            )
        };
        if !status.success() {
            // A kill after the last signature was stored and before the process ended leaves
            // nothing to sign: the restart says so and stops (exit 1). Anything else is a failure.
            let err = std::fs::read_to_string(&stderr).unwrap_or_default();
            assert!(
                err.contains("Нет документов на подпись"),
                "sign: {status}: {err}"
            );
        }
        let end = check(&data);
        no_signature_lost(&before, &end);
        assert_eq!(count(&end, Status::Queued), DOCUMENTS);
        std::fs::remove_dir_all(&data).unwrap();
        job += 1;
        if !kills.remaining() {
            break;
        }
    }
    eprintln!(
        "crash/sign: {} kills over {} batches of {DOCUMENTS} signatures, 0 failures; {}",
        kills.done,
        kills.jobs,
        kills.summary()
    );
}

#[test]
fn sending_a_full_outbox_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let (op_template, accepted) = accepted(tmp.path(), "outbox");
    let name = account("outbox");
    {
        let signer = signer(&op_template, &tmp.path().join("signer"));
        ok(
            &accepted,
            &["ncalayer", "trust", "--url", &signer.url, "--yes"],
            None,
        );
        ok(
            &accepted,
            &["sign", "--all-pending", "--url", &signer.url],
            None,
        );
    }
    let legal = [Status::Queued, Status::Sent, Status::Delivered];
    let check = |data: &Path| after_restart(data, KeychainMode::Os, &legal, DOCUMENTS + 10, false);
    let send = |data: &Path| qoltanba(data, &["outbox", "--send"]);
    let mut kills = Kills::from_env(SMALL, 4, DOCUMENTS as usize);
    let mut job = 0;
    loop {
        // A fresh operator that has seen no decision, and the signed queue.
        let op_dir = tmp.path().join(format!("operator-{job}"));
        copy_dir(&op_template, &op_dir);
        let op = operator(&op_dir, DOCUMENTS as usize, &[]);
        let data = tmp.path().join(format!("data-{job}"));
        copy_dir(&accepted, &data);
        add_account(&data, &op.url, &name);
        let mut before = check(&data);
        assert_eq!(count(&before, Status::Queued), DOCUMENTS);
        let status = if job == 0 {
            kills.calibrate(send(&data))
        } else {
            kills.run_job(
                || send(&data),
                || {
                    let now = check(&data);
                    no_signature_lost(&before, &now);
                    let sent =
                        (count(&now, Status::Sent) + count(&now, Status::Delivered)) as usize;
                    before = now;
                    let (_, most) = operator_signatures(&op_dir);
                    assert!(
                        most <= 1,
                        "the operator got {most} signatures for one document"
                    );
                    sent
                },
            )
        };
        // The next plain `outbox --send` finished the queue: nothing to retry by hand.
        assert!(status.success(), "outbox --send ends with exit 0");
        let end = check(&data);
        no_signature_lost(&before, &end);
        assert_eq!(count(&end, Status::Delivered), DOCUMENTS);
        assert_eq!(operator_signatures(&op_dir), (DOCUMENTS as usize, 1));
        drop(op);
        std::fs::remove_dir_all(&data).unwrap();
        std::fs::remove_dir_all(&op_dir).unwrap();
        job += 1;
        if !kills.remaining() {
            break;
        }
    }
    eprintln!(
        "crash/outbox: {} kills over {} outboxes of {DOCUMENTS} decisions, 0 failures; {}",
        kills.done,
        kills.jobs,
        kills.summary()
    );
}
