//! The inbox as a window over the store (issue #18): a page a far jump lands on (an offset on
//! the index) is the same page the keyset cursor reaches by scrolling, the count sizes the list,
//! and "select all" is a filter the core resolves, with a budget.

mod support;

use qoltanba_core::app::documents::{self, ListQuery, Selection, SELECTION_MAX};
use qoltanba_core::model::{
    Action, Attachment, AttachmentRole, DocumentFields, DocumentKind, Money, Origin, Party,
};
use qoltanba_core::store::search::{Query, SortKey, Tab};
use qoltanba_core::store::{sha256_hex, NewDocument};
use qoltanba_core::{ErrorCode, Store};

fn new_doc(i: usize) -> NewDocument {
    let kind = if i.is_multiple_of(3) {
        DocumentKind::ReconciliationAct
    } else {
        DocumentKind::SalesReport
    };
    let mut f = DocumentFields::new(kind, format!("Отчёт {i}"));
    f.number = Some(format!("OZ-{i:05}"));
    f.date = Some(format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
    // Repeated amounts: the keyset must break ties by id.
    f.amount = Some(Money((i as i64 % 7) * 100));
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: "ТОО «Маркетплейс»".into(),
    });
    let bytes = format!("%PDF-1.4 doc {i}\n%%EOF\n").into_bytes();
    let a = Attachment {
        id: "att_1".into(),
        role: AttachmentRole::Main,
        file_name: "d.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    NewDocument {
        operator_id: Some(format!("doc_{i}")),
        origin: Origin::Operator,
        fields: f,
        attachments: vec![(a, bytes)],
        text: format!("Итого к перечислению {i} тенге"),
        text_note: None,
        sender_signatures: vec![],
    }
}

fn store_of(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let docs: Vec<NewDocument> = (0..n).map(new_doc).collect();
    for chunk in docs.chunks(1000) {
        for r in s.add_documents(chunk).unwrap() {
            r.unwrap();
        }
    }
    (dir, s)
}

fn list_query(query: Query) -> ListQuery {
    ListQuery {
        query,
        tab: Some(Tab::All),
    }
}

/// Every row in order, by the keyset cursor, `size` at a time.
fn by_cursor(s: &Store, q: &Query, size: u32) -> Vec<i64> {
    let mut q = Query {
        limit: Some(size),
        ..q.clone()
    };
    let mut out = Vec::new();
    loop {
        let page = documents::list(s, list_query(q.clone())).unwrap();
        out.extend(page.documents.iter().map(|r| r.id));
        match page.next {
            Some(n) => q.cursor = Some(n),
            None => return out,
        }
    }
}

#[test]
fn a_page_by_offset_is_the_page_the_cursor_reaches_and_continues_by_cursor() {
    let (_d, s) = store_of(450);
    for (sort, ascending, text) in [
        (SortKey::Received, false, None),
        (SortKey::Amount, false, None),
        (SortKey::Date, true, None),
        (SortKey::Received, false, Some("перечислению")),
    ] {
        let q = Query {
            sort,
            ascending,
            text: text.map(str::to_string),
            ..Query::default()
        };
        let all = by_cursor(&s, &q, 100);
        assert_eq!(all.len(), 450, "{sort:?}");
        assert_eq!(documents::count(&s, list_query(q.clone())).unwrap(), 450);
        // The jump to row 300 (page 3 of 100), then on by its cursor.
        let jump = documents::list(
            &s,
            list_query(Query {
                offset: Some(300),
                limit: Some(100),
                ..q.clone()
            }),
        )
        .unwrap();
        let got: Vec<i64> = jump.documents.iter().map(|r| r.id).collect();
        assert_eq!(got, all[300..400], "{sort:?} {text:?}");
        let rest = documents::list(
            &s,
            list_query(Query {
                cursor: jump.next,
                limit: Some(100),
                ..q.clone()
            }),
        )
        .unwrap();
        let got: Vec<i64> = rest.documents.iter().map(|r| r.id).collect();
        assert_eq!(got, all[400..], "{sort:?} {text:?}");
        assert!(rest.next.is_none(), "the last page says so");
    }
    // Past the end: an empty page, not an error.
    let far = documents::list(
        &s,
        list_query(Query {
            offset: Some(10_000),
            ..Query::default()
        }),
    )
    .unwrap();
    assert!(far.documents.is_empty() && far.next.is_none());
}

#[test]
fn the_count_follows_the_tab_and_the_filters() {
    let (_d, mut s) = store_of(30);
    let first = documents::list(&s, list_query(Query::default()))
        .unwrap()
        .documents[0]
        .id;
    s.apply(first, Action::Accept, None).unwrap();
    let count = |tab, kind| {
        documents::count(
            &s,
            ListQuery {
                query: Query {
                    kind,
                    ..Query::default()
                },
                tab: Some(tab),
            },
        )
        .unwrap()
    };
    assert_eq!(count(Tab::All, None), 30);
    assert_eq!(count(Tab::NeedsAction, None), 29);
    assert_eq!(count(Tab::Accepted, None), 1);
    assert_eq!(count(Tab::All, Some(DocumentKind::ReconciliationAct)), 10);
}

#[test]
fn a_cursor_and_an_offset_together_are_refused_in_russian() {
    let (_d, s) = store_of(5);
    let page = documents::list(
        &s,
        list_query(Query {
            limit: Some(2),
            ..Query::default()
        }),
    )
    .unwrap();
    let e = documents::list(
        &s,
        list_query(Query {
            cursor: page.next,
            offset: Some(2),
            ..Query::default()
        }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("курсором, и смещением"), "{}", e.message);
}

#[test]
fn select_all_is_the_filter_minus_the_unticked_over_pages_never_loaded() {
    let (_d, s) = store_of(1200);
    let kind = DocumentKind::ReconciliationAct;
    let query = list_query(Query {
        kind: Some(kind),
        ..Query::default()
    });
    let all = by_cursor(
        &s,
        &Query {
            kind: Some(kind),
            ..Query::default()
        },
        200,
    );
    assert_eq!(all.len(), 400);
    let except = vec![all[0], all[399]];
    let rows = documents::selected(
        &s,
        Selection {
            query: query.clone(),
            except: except.clone(),
        },
    )
    .unwrap();
    let got: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(
        got,
        all[1..399],
        "every row of the filter, in order, but the two unticked"
    );
    assert!(rows.iter().all(|r| r.kind == kind));
}

#[test]
fn a_selection_over_the_budget_is_refused_naming_the_count() {
    let (_d, s) = store_of(SELECTION_MAX + 1);
    let e = documents::selected(
        &s,
        Selection {
            query: list_query(Query::default()),
            except: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message
            .contains(&format!("Выбрано {}", SELECTION_MAX + 1)),
        "{}",
        e.message
    );
    // One unticked brings it within the budget.
    let first = documents::list(&s, list_query(Query::default()))
        .unwrap()
        .documents[0]
        .id;
    let rows = documents::selected(
        &s,
        Selection {
            query: list_query(Query::default()),
            except: vec![first],
        },
    )
    .unwrap();
    assert_eq!(rows.len(), SELECTION_MAX);
    // A list of unticked ids longer than any selection is refused before any row is read.
    let e = documents::selected(
        &s,
        Selection {
            query: list_query(Query::default()),
            except: (0..SELECTION_MAX as i64 + 1).collect(),
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
}

/// The hash chain check walks the whole store (the document screen asks for it after each file
/// is shown); a click on the next document meanwhile gets its details and file at once, not
/// after the walk.
#[test]
fn a_document_opens_while_the_chain_check_walks_the_whole_store() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    let (_dir, s) = store_of(50);
    let id = by_cursor(&s, &Query::default(), 10)[0];
    let app = std::sync::Arc::new(qoltanba_core::app::App::new(s).unwrap());
    let (walking, started) = channel();
    let (finish, release) = channel::<()>();
    let walker = {
        let app = app.clone();
        std::thread::spawn(move || {
            app.read_whole(|s| {
                walking.send(()).unwrap();
                // The walk is still going while the click is served.
                release.recv_timeout(Duration::from_secs(10)).ok();
                documents::verify_history(s)
            })
        })
    };
    started.recv().unwrap();
    let (opened, answer) = channel();
    {
        let app = app.clone();
        std::thread::spawn(move || {
            let detail = app.read(|s| documents::detail(s, id)).unwrap();
            let bytes = app.read(|s| documents::bytes(s, id, None)).unwrap();
            opened.send((detail.document.id, bytes.len())).unwrap();
        });
    }
    let got = answer.recv_timeout(Duration::from_secs(5));
    finish.send(()).unwrap();
    let (doc, len) = got.expect("the document's details and file while the chain check runs");
    assert_eq!(doc, id);
    assert!(len > 0);
    assert!(walker.join().unwrap().unwrap().intact);
}
