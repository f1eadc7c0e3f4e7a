//! Dates as the store writes them: a store written by an earlier build (before the move from
//! `time` to chrono, commit a207313) opens, its whole history verifies — the MACs cover the date
//! text — and searching, sorting and filtering by date give the answers that build gave. The
//! same steps replayed now write the same date text, byte for byte.
//!
//! The fixture (`tests/fixtures/dates-v6/`) holds only public test data: PDFs made by the test
//! support, and the history key of that throwaway store (`history-key.fixture`; no signing keys). It was written by
//! `cargo test -p qoltanba-core --test stored_dates -- --ignored write_fixture` on the old build.

mod support;

use qoltanba_core::acts::{ActDraft, AllocationDraft, NewStatistics, VatRate};
use qoltanba_core::clock::FixedClock;
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::{
    Attachment, AttachmentRole, DocumentFields, DocumentKind, Money, Origin, Party, TimeDelta,
    Timestamp,
};
use qoltanba_core::store::search::{Query, SortKey};
use qoltanba_core::store::{sha256_hex, DocumentEdit, NewDocument, DB_FILE};
use qoltanba_core::{OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dates-v6")
}

/// 2026-10-30T08:00:00Z, the instant the scenario starts.
const START_UNIX: i64 = 1_793_347_200;

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(Timestamp::from_unix(START_UNIX).unwrap()))
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn advance(c: &FixedClock, nanos: i64) {
    c.advance(TimeDelta::nanoseconds(nanos));
}

fn open(dir: &Path, clock: Arc<FixedClock>) -> Store {
    Store::open(
        dir,
        OpenOptions {
            clock,
            keychain: KeychainMode::File,
            actor: "user:fixture".into(),
        },
    )
    .expect("store opens")
}

fn add(store: &mut Store, i: usize, date: Option<&str>, amount: &str) -> i64 {
    let title = format!("Счёт-фактура {i}");
    let bytes = support::pdf(&[&title, &format!("doc {i}")]);
    let mut f = DocumentFields::new(DocumentKind::SalesReport, title.clone());
    f.number = Some(format!("SF-{i:04}"));
    f.date = date.map(Into::into);
    f.amount = Some(Money::parse(amount).unwrap());
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: "ТОО «Маркетплейс»".into(),
    });
    f.recipient = Some(Party {
        bin: "123456789021".into(),
        name: "ТОО «Продавец»".into(),
    });
    let a = Attachment {
        id: "att_1".into(),
        role: AttachmentRole::Main,
        file_name: "d.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    store
        .add_document(NewDocument {
            operator_id: Some(format!("doc_{i}")),
            origin: Origin::Operator,
            fields: f,
            attachments: vec![(a, bytes)],
            text: title,
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap()
        .0
}

/// Signs a decision as the signing path does (a refusal notice for a rejection) and returns the
/// outbox item made for it.
fn sign(s: &mut Store, id: i64) -> i64 {
    let content = qoltanba_core::signing::bytes_to_sign(s, id).unwrap();
    let doc = s.document(id).unwrap();
    let payload = qoltanba_core::signing::decision_payload(&doc, &content, &[0x30, 0x00]);
    let sig = qoltanba_core::store::NewSignature {
        attachment_id: None,
        signed_sha256: sha256_hex(&content),
        cms: vec![0x30, 0x00],
        signer: None,
        verdict: None,
    };
    s.record_own_signature(id, sig, payload).unwrap();
    s.outbox_all()
        .unwrap()
        .into_iter()
        .find(|o| o.document_id == id)
        .unwrap()
        .id
}

fn act() -> ActDraft {
    ActDraft {
        contract: "ДР-2026/15".into(),
        number: "A-1".into(),
        date: "2026-10-31".into(),
        customer_role: "advertiser".into(),
        executor_role: "ad_system_operator".into(),
        period_from: "2026-10-01".into(),
        period_to: "2026-10-31".into(),
        amount: "120000.00".into(),
        vat_included: true,
        non_advertising_services: false,
        allocations: vec![AllocationDraft {
            initial_contract: "ДР-2026/15".into(),
            amount: "120000.00".into(),
            vat_included: true,
            statistics: vec![],
        }],
    }
}

/// Everything that writes a date: documents with and without dates, decisions, signatures, the
/// outbox through deferral and delivery, an edit of a date, an act and its statistics. The clock
/// moves by whole days, whole seconds and fractions of a second (the stored text drops trailing
/// zeros of the fraction).
fn scenario(dir: &Path) {
    let c = clock();
    let mut s = open(dir, c.clone());
    const SEC: i64 = 1_000_000_000;
    let docs = [
        (Some("2026-10-31"), "125000.00"),
        (Some("2026-09-15"), "99.99"),
        (Some("2026-10-01"), "5000.00"),
        (None, "1.00"),
        (Some("2025-12-31"), "700000.00"),
        (Some("2026-11-02"), "42.00"),
    ];
    let mut ids = vec![];
    for (i, (date, amount)) in docs.iter().enumerate() {
        ids.push(add(&mut s, i + 1, *date, amount));
        advance(
            &c,
            [SEC / 2, 250_000_000, 123_456_789, 86_400 * SEC, 7, SEC][i],
        );
    }
    s.view(ids[0]).unwrap();
    advance(&c, 3 * SEC + 100_000_000);
    s.accept(ids[0]).unwrap();
    s.reject(ids[1], "Неверная сумма НДС").unwrap();
    advance(&c, 61 * SEC);
    let sent = sign(&mut s, ids[0]);
    advance(&c, 999_999_999);
    let refused = sign(&mut s, ids[1]);
    advance(&c, 2 * SEC);
    s.outbox_deferred(sent, "Сеть недоступна", ts("2026-10-31T09:15:00Z"))
        .unwrap();
    advance(&c, 3600 * SEC);
    s.outbox_sent(sent, "rcpt-1").unwrap();
    advance(&c, 10 * SEC + 10_000_000);
    s.outbox_delivered(sent).unwrap();
    s.outbox_deferred(refused, "HTTP 503", ts("2026-10-31T10:20:00.5Z"))
        .unwrap();
    s.edit(
        ids[2],
        DocumentEdit {
            kind: None,
            number: None,
            date: Some("2026-10-02".into()),
            title: None,
        },
    )
    .unwrap();
    advance(&c, 86_400 * SEC);
    s.accept(ids[4]).unwrap();
    let a = s.create_act(&act(), None).unwrap();
    advance(&c, 1_000_000);
    s.update_act(
        a.id,
        &ActDraft {
            amount: "120000.50".into(),
            ..act()
        },
    )
    .unwrap();
    let stat = s
        .add_statistics(&NewStatistics {
            creative: "erid-1".into(),
            platform: "ozon.ru".into(),
            impressions: 10,
            amount: "5.00".into(),
            first_shown: "2026-10-02".into(),
        })
        .unwrap();
    s.link_statistics(&stat.id, a.id, 0).unwrap();
    s.set_vat_rates(&[
        VatRate {
            from: "2019-01-01".into(),
            percent: 20,
        },
        VatRate {
            from: "2026-01-01".into(),
            percent: 22,
        },
        VatRate {
            from: "2027-07-01".into(),
            percent: 23,
        },
    ])
    .unwrap();
}

/// The searches by date a user makes, each as the operator ids in the order shown.
fn searches(s: &Store) -> Vec<(String, Vec<String>)> {
    let day = |d: &str| Some(d.to_string());
    let cases = [
        ("date desc", None, None, SortKey::Date, false),
        ("date asc", None, None, SortKey::Date, true),
        ("received desc", None, None, SortKey::Received, false),
        (
            "october by date",
            day("2026-10-01"),
            day("2026-10-31"),
            SortKey::Date,
            true,
        ),
        (
            "from 2026-10-02",
            day("2026-10-02"),
            None,
            SortKey::Date,
            false,
        ),
        (
            "to 2026-09-30",
            None,
            day("2026-09-30"),
            SortKey::Amount,
            false,
        ),
        (
            "one day",
            day("2026-11-02"),
            day("2026-11-02"),
            SortKey::Received,
            true,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, from, to, sort, ascending)| {
            let q = Query {
                from,
                to,
                sort,
                ascending,
                ..Default::default()
            };
            let found = s
                .list(&q)
                .unwrap()
                .documents
                .into_iter()
                .map(|d| d.operator_id.unwrap())
                .collect();
            (name.to_string(), found)
        })
        .collect()
}

/// Every stored date and time, as text, table by table in a fixed order.
fn stored_dates(dir: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let queries = [
        ("history", "SELECT seq || ' ' || at FROM history ORDER BY seq"),
        ("documents", "SELECT id || ' ' || COALESCE(date, '-') || ' ' || received_at || ' ' || updated_at FROM documents ORDER BY id"),
        ("outbox", "SELECT id || ' ' || created_at || ' ' || updated_at || ' ' || COALESCE(next_attempt_at, '-') FROM outbox ORDER BY id"),
        ("signatures", "SELECT id || ' ' || created_at FROM signatures ORDER BY id"),
        ("acts", "SELECT id || ' ' || date || ' ' || created_at || ' ' || updated_at || ' ' || body FROM acts ORDER BY id"),
        ("statistics", "SELECT first_shown || ' ' || deadline || ' ' || created_at FROM act_statistics ORDER BY created_at"),
        ("vat", "SELECT value FROM settings WHERE key = 'ru_vat_rates'"),
        // The refusal notice the user signed carries its own creation time.
        ("notice", "SELECT CAST(bytes AS TEXT) FROM blobs WHERE CAST(bytes AS TEXT) LIKE '%<CreatedAt>%'"),
    ];
    let mut out = vec![];
    for (name, q) in queries {
        let mut st = conn.prepare(q).unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(|r| format!("{name}: {}", r.unwrap())));
    }
    out
}

/// The history key of the fixture store, named so that `*.key` in .gitignore still keeps real
/// keys out: it is a throwaway HMAC key of a test store, not a signing key.
const KEY_IN_REPO: &str = "history-key.fixture";

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture_dir().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixture_dir()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        let to = if name == KEY_IN_REPO {
            "history.key".into()
        } else {
            name
        };
        std::fs::copy(e.path(), dir.path().join(to)).unwrap();
    }
    dir
}

/// Writes the fixture. Run once, on the build whose storage format the fixture pins.
#[test]
#[ignore]
fn write_fixture() {
    let out = fixture_dir();
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    scenario(&out);
    let s = open(&out, clock());
    let report = s.verify_history().unwrap();
    assert!(report.intact);
    let expected = serde_json::json!({
        "historyEntries": report.entries,
        "searches": searches(&s),
        "storedDates": stored_dates(&out),
    });
    drop(s);
    std::fs::rename(out.join("history.key"), out.join(KEY_IN_REPO)).unwrap();
    std::fs::write(
        out.join("expected.json"),
        serde_json::to_string_pretty(&expected).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn a_store_written_before_the_move_to_chrono_verifies_its_whole_history() {
    let dir = copy_fixture();
    let s = open(dir.path(), clock());
    let report = s.verify_history().unwrap();
    assert!(report.intact, "{:?}", report.first_broken);
    assert_eq!(
        serde_json::json!(report.entries),
        expected()["historyEntries"]
    );
    assert!(report.entries > 20, "the fixture has a real history");
    let h = s.history(s.document_by_operator_id("doc_2").unwrap().unwrap().id);
    assert_eq!(h.unwrap()[0].at, "2026-10-30T08:00:00.5Z");
}

#[test]
fn searching_and_sorting_by_date_in_an_old_store_give_the_same_answers() {
    let dir = copy_fixture();
    let s = open(dir.path(), clock());
    assert_eq!(serde_json::json!(searches(&s)), expected()["searches"]);
}

#[test]
fn the_same_steps_write_the_same_date_text_as_before() {
    let dir = tempfile::tempdir().unwrap();
    scenario(dir.path());
    assert_eq!(
        serde_json::json!(stored_dates(dir.path())),
        expected()["storedDates"]
    );
}

#[test]
fn a_hand_edited_time_in_a_row_is_a_storage_error_naming_the_text_not_a_guess() {
    let dir = copy_fixture();
    let s = open(dir.path(), clock());
    let id = s.document_by_operator_id("doc_1").unwrap().unwrap().id;
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute(
        "UPDATE documents SET received_at = 'вчера' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(conn);
    let s = open(dir.path(), clock());
    let e = s.document(id).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::Storage);
    assert!(e.message.contains("«вчера» — не время"), "{}", e.message);
    // The other documents still read.
    let other = s.document_by_operator_id("doc_2").unwrap().unwrap();
    assert_eq!(other.received_at.to_string(), "2026-10-30T08:00:00.5Z");
}
