//! What must hold after every restart: the file opens and passes SQLite's integrity check, the
//! history chain verifies (through the CLI, as a user would run it), every document is in a state
//! it may legally be in, with its bytes whole, and no signature made before the kill is gone.

use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::Status;
use qoltanba_core::store::outbox_state;
use qoltanba_core::{ErrorCode, OpenOptions, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// One document as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub status: Status,
    pub operator_id: Option<String>,
    pub number: Option<String>,
    /// SHA-256 of each signature made here (`own`).
    pub own_signatures: BTreeSet<String>,
    pub outbox_items: usize,
}

pub type Snapshot = BTreeMap<i64, Seen>;

/// Runs every check on `data` and returns what it holds. `legal` are the statuses a document may
/// be in during this scenario; `up_to` bounds the document ids looked at; `bytes` also re-reads
/// and re-hashes every document's main file (import and sync write them).
pub fn after_restart(
    data: &Path,
    keychain: KeychainMode,
    legal: &[Status],
    up_to: i64,
    bytes: bool,
) -> Snapshot {
    let mut cli = super::servers::qoltanba(data, &["verify-history"]);
    if keychain == KeychainMode::File {
        cli.env("QOLTANBA_KEYCHAIN", "file");
    }
    let o = cli
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "verify-history after a kill: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let opts = OpenOptions {
        keychain,
        ..OpenOptions::default()
    };
    let store = Store::open(data, opts).expect("the store opens after a kill");
    assert!(store.integrity_check().unwrap(), "PRAGMA integrity_check");
    let report = store.verify_history().unwrap();
    assert!(report.intact, "history: {:?}", report.first_broken);

    let mut outbox: BTreeMap<i64, usize> = BTreeMap::new();
    for item in store.outbox_all().unwrap() {
        assert_ne!(item.state, outbox_state::FAILED, "refused: {item:?}");
        *outbox.entry(item.document_id).or_default() += 1;
    }
    let mut seen = Snapshot::new();
    let mut operator_ids = BTreeSet::new();
    for id in 1..=up_to {
        let d = match store.document(id) {
            Ok(d) => d,
            Err(e) if e.code == ErrorCode::NotFound => continue,
            Err(e) => panic!("document {id}: {e:?}"),
        };
        assert!(legal.contains(&d.status), "document {id} is {:?}", d.status);
        if let Some(op) = &d.operator_id {
            assert!(operator_ids.insert(op.clone()), "{op} stored twice");
        }
        if bytes {
            let b = store
                .blob(&d.content_sha256)
                .expect("the main file is stored");
            assert_eq!(qoltanba_core::store::sha256_hex(&b), d.content_sha256);
        }
        let own: BTreeSet<String> = store
            .signatures(id)
            .unwrap()
            .into_iter()
            .filter(|s| s.party == "own")
            .map(|s| qoltanba_core::store::sha256_hex(&s.cms))
            .collect();
        let items = outbox.get(&id).copied().unwrap_or(0);
        let decided = matches!(
            d.status,
            Status::Signed | Status::Queued | Status::Sent | Status::Delivered
        );
        // A signed decision has exactly one signature and one outbox item; an unsigned one none.
        assert_eq!(
            own.len(),
            usize::from(decided),
            "document {id}: {:?}",
            d.status
        );
        assert_eq!(items, usize::from(decided), "document {id}: outbox items");
        seen.insert(
            id,
            Seen {
                status: d.status,
                operator_id: d.operator_id,
                number: d.fields.number,
                own_signatures: own,
                outbox_items: items,
            },
        );
    }
    let numbered: Vec<_> = seen.values().filter_map(|s| s.number.clone()).collect();
    let distinct: BTreeSet<_> = numbered.iter().collect();
    assert_eq!(distinct.len(), numbered.len(), "a document stored twice");
    seen
}

/// Every signature in `before` is still there in `after`, on the same document.
pub fn no_signature_lost(before: &Snapshot, after: &Snapshot) {
    for (id, b) in before {
        let a = after
            .get(id)
            .unwrap_or_else(|| panic!("document {id} lost"));
        assert!(
            b.own_signatures.is_subset(&a.own_signatures),
            "document {id}: a signature made before the kill is gone"
        );
    }
}

/// The operator's own record (its SQLite file, read with the sqlite3 tool): how many signatures
/// and receipts each document got. Returns (documents signed, the most signatures on one).
pub fn operator_signatures(operator_data: &Path) -> (usize, usize) {
    let db = operator_data.join("operator.sqlite3");
    let sql = "SELECT COUNT(*), COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM signatures GROUP BY document_id); \
               SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM receipts GROUP BY document_id);";
    let o = Command::new("sqlite3")
        .arg("-readonly")
        .arg(&db)
        .arg(sql)
        .output()
        .expect("sqlite3 (Debian package sqlite3) reads the operator's file");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let mut lines = text.lines();
    let (docs, most) = lines.next().unwrap().split_once('|').unwrap();
    let receipts: usize = lines.next().unwrap().trim().parse().unwrap();
    assert!(
        receipts <= 1,
        "a document got {receipts} receipts: sent twice"
    );
    (docs.parse().unwrap(), most.parse().unwrap())
}
