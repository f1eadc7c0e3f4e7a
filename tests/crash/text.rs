//! A sync of long documents stores each with the head of its text searchable, then indexes the
//! rest (issue #17). A kill anywhere in the sync or in the indexing after it loses no text: the
//! next `qoltanba sync` stores what is missing and indexes what waits, and the index ends as whole
//! as an uninterrupted run leaves it — every document's full-text row holds its whole text.

use super::check::after_restart;
use super::kill::Kills;
use super::servers::{operator_kb, qoltanba};
use super::{account, add_account, count, SMALL};
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::Status;
use qoltanba_core::{OpenOptions, Store};
use std::path::Path;

const LONG: i64 = 100;

fn store(data: &Path) -> Store {
    let opts = OpenOptions {
        keychain: KeychainMode::Os,
        ..OpenOptions::default()
    };
    Store::open(data, opts).expect("the store opens after a kill")
}

/// The units of work stored: each document received, then each one's whole text indexed.
fn progress(data: &Path) -> usize {
    let snapshot = after_restart(data, KeychainMode::Os, &[Status::Received], LONG + 10, true);
    let received = count(&snapshot, Status::Received) as usize;
    let backlog = store(data).text_backlog().unwrap();
    assert_eq!(backlog.set_aside, 0, "a text set aside after a kill");
    2 * received - backlog.waiting as usize
}

/// Nothing waits, and each row holds the whole text of its document's file.
fn whole_texts(data: &Path) {
    assert_eq!(store(data).text_backlog().unwrap().waiting, 0);
    let db = rusqlite::Connection::open(data.join(qoltanba_core::store::DB_FILE)).unwrap();
    let rows: Vec<(i64, String, Vec<u8>)> = db
        .prepare(
            "SELECT f.rowid, f.body, b.bytes FROM documents_fts f JOIN documents d ON d.id = f.rowid
             JOIN blobs b ON b.sha256 = d.content_sha256",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len() as i64, LONG);
    let limits = qoltanba_core::import::PdfLimits::default();
    for (id, body, bytes) in rows {
        let text = qoltanba_core::import::pdf_text_within(&bytes, &limits)
            .unwrap()
            .text
            .replace('ё', "е")
            .replace('Ё', "Е");
        assert!(text.chars().count() > 9_000);
        assert!(
            body == text,
            "document {id}: its row does not hold its whole text"
        );
    }
}

#[test]
fn a_sync_and_the_indexing_of_its_texts_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operator_kb(&tmp.path().join("operator"), LONG as usize, 50, &[]);
    let name = account("sync-text");
    let mut kills = Kills::from_env(SMALL, 6, 2 * LONG as usize);
    let mut job = 0;
    loop {
        let data = tmp.path().join(format!("data-{job}"));
        add_account(&data, &op.url, &name);
        let status = if job == 0 {
            kills.calibrate(qoltanba(&data, &["sync"]))
        } else {
            kills.run_job(|| qoltanba(&data, &["sync"]), || progress(&data))
        };
        assert!(status.success(), "sync ends with exit 0");
        assert_eq!(progress(&data), 2 * LONG as usize);
        whole_texts(&data);
        std::fs::remove_dir_all(&data).unwrap();
        job += 1;
        if !kills.remaining() {
            break;
        }
    }
    eprintln!(
        "crash/sync-text: {} kills over {} syncs of {LONG} long documents, 0 failures; {}",
        kills.done,
        kills.jobs,
        kills.summary()
    );
}
