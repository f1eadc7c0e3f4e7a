//! Finding documents: filters, full-text search where ё and е match and words match by prefix,
//! sorting, tab counts, and paging that neither skips nor repeats.

mod support;

use qoltanba_core::model::{
    Action, Attachment, AttachmentRole, DocumentFields, DocumentKind, Money, Origin, Party, Status,
};
use qoltanba_core::store::search::{Query, SortKey, Tab};
use qoltanba_core::store::{sha256_hex, NewDocument};
use qoltanba_core::Store;

/// What a sample document says: kind, title, sender's name, amount, date, extracted text.
type Spec<'a> = (DocumentKind, &'a str, &'a str, &'a str, &'a str, &'a str);

fn add(store: &mut Store, i: usize, spec: Spec<'_>) -> i64 {
    let (kind, title, sender, amount, date, body) = spec;
    let bytes = support::pdf(&[title, &format!("doc {i}")]);
    let mut f = DocumentFields::new(kind, title);
    f.number = Some(format!("OZ-{i:04}"));
    f.date = Some(date.into());
    f.amount = Some(Money::parse(amount).unwrap());
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: sender.into(),
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
            text: body.into(),
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap()
        .0
}

fn ids(store: &Store, q: Query) -> Vec<i64> {
    store
        .list(&q)
        .unwrap()
        .documents
        .iter()
        .map(|d| d.id)
        .collect()
}

fn sample() -> (tempfile::TempDir, Store, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let v = vec![
        add(
            &mut s,
            1,
            (
                DocumentKind::SalesReport,
                "Отчёт о реализации товара за октябрь",
                "ТОО «Маркетплейс»",
                "125000.00",
                "2026-10-31",
                "Итого к перечислению",
            ),
        ),
        add(
            &mut s,
            2,
            (
                DocumentKind::PlacementServicesAct,
                "Акт (услуги по размещению)",
                "ТОО «Маркетплейс»",
                "5000.50",
                "2026-10-31",
                "размещение товаров",
            ),
        ),
        add(
            &mut s,
            3,
            (
                DocumentKind::ReconciliationAct,
                "Акт сверки взаиморасчётов",
                "ТОО «Другой»",
                "0.00",
                "2026-09-30",
                "сальдо на начало периода",
            ),
        ),
        add(
            &mut s,
            4,
            (
                DocumentKind::SalesReportCorrection,
                "Корректировочный отчет о реализации",
                "ТОО «Маркетплейс»",
                "-300.00",
                "2026-11-05",
                "исправление ошибки",
            ),
        ),
    ];
    (dir, s, v)
}

#[test]
fn full_text_search_matches_yo_and_ye_and_word_prefixes() {
    let (_d, s, v) = sample();
    let q = |t: &str| Query {
        text: Some(t.into()),
        ..Default::default()
    };
    let mut both = ids(&s, q("отчет"));
    both.sort();
    assert_eq!(both, vec![v[0], v[3]], "«отчёт» and «отчет» are one word");
    assert_eq!(
        ids(&s, q("отчёт реализ")).len(),
        2,
        "prefix of the second word"
    );
    assert_eq!(
        ids(&s, q("сальдо")),
        vec![v[2]],
        "extracted text is searched"
    );
    assert_eq!(ids(&s, q("OZ-0002")), vec![v[1]], "number");
    assert_eq!(ids(&s, q("Другой")), vec![v[2]], "counterparty");
    assert!(ids(&s, q("несуществующее")).is_empty());
    // FTS operators typed by a user are words, never a syntax error.
    assert!(ids(&s, q("\" AND NOT (")).is_empty());
}

#[test]
fn filters_combine() {
    let (_d, mut s, v) = sample();
    s.accept(v[1]).unwrap();
    let q = Query {
        statuses: vec![Status::Received],
        ..Default::default()
    };
    assert_eq!(ids(&s, q).len(), 3);
    let q = Query {
        kind: Some(DocumentKind::SalesReport),
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[0]]);
    let q = Query {
        from: Some("2026-10-01".into()),
        to: Some("2026-10-31".into()),
        ..Default::default()
    };
    assert_eq!(ids(&s, q).len(), 2);
    let q = Query {
        counterparty: Some("Другой".into()),
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[2]]);
    let q = Query {
        counterparty: Some("201040012345".into()),
        ..Default::default()
    };
    assert_eq!(ids(&s, q).len(), 4);
    let q = Query {
        number: Some("OZ-0003".into()),
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[2]]);
    let q = Query {
        amount_min: Some(Money::parse("0.01").unwrap()),
        amount_max: Some(Money::parse("10000").unwrap()),
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[1]]);
    let q = Query {
        amount_min: Some(Money(10)),
        amount_max: Some(Money(1)),
        ..Default::default()
    };
    assert!(s.list(&q).is_err(), "min above max is a clear error");
    let q = Query {
        from: Some("31.10.2026".into()),
        ..Default::default()
    };
    assert!(s.list(&q).unwrap_err().message.contains("ГГГГ-ММ-ДД"));
}

#[test]
fn sort_by_amount_and_date() {
    let (_d, s, v) = sample();
    let q = Query {
        sort: SortKey::Amount,
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[0], v[1], v[2], v[3]]);
    let q = Query {
        sort: SortKey::Amount,
        ascending: true,
        ..Default::default()
    };
    assert_eq!(ids(&s, q), vec![v[3], v[2], v[1], v[0]]);
    let q = Query {
        sort: SortKey::Date,
        ascending: true,
        ..Default::default()
    };
    assert_eq!(ids(&s, q)[0], v[2]);
}

#[test]
fn paging_by_cursor_visits_every_document_once_even_while_new_ones_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let all: Vec<i64> = (0..23)
        .map(|i| {
            add(
                &mut s,
                i,
                (
                    DocumentKind::SalesReport,
                    "Отчёт",
                    "М",
                    &format!("{}.00", i % 5),
                    "2026-10-31",
                    "",
                ),
            )
        })
        .collect();
    for sort in [SortKey::Received, SortKey::Amount, SortKey::Number] {
        let mut seen = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let p = s
                .list(&Query {
                    sort,
                    limit: Some(5),
                    cursor: cursor.clone(),
                    ..Default::default()
                })
                .unwrap();
            seen.extend(p.documents.iter().map(|d| d.id));
            pages += 1;
            if pages == 1 {
                // A document arriving mid-listing (newest first) must not shift the pages.
                add(
                    &mut s,
                    100 + pages,
                    (
                        DocumentKind::SalesReport,
                        "Новый",
                        "М",
                        "9.00",
                        "2026-10-31",
                        "",
                    ),
                );
            }
            match p.next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        for id in &all {
            assert_eq!(seen.iter().filter(|x| *x == id).count(), 1, "{sort:?} {id}");
        }
    }
    assert!(s
        .list(&Query {
            cursor: Some("garbage".into()),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn tab_counts_follow_decisions() {
    let (_d, mut s, v) = sample();
    s.accept(v[0]).unwrap();
    s.reject(v[1], "Ошибка").unwrap();
    let counts: std::collections::HashMap<_, _> = s.tab_counts().unwrap().into_iter().collect();
    assert_eq!(counts[&Tab::NeedsAction], 2);
    assert_eq!(counts[&Tab::Accepted], 1);
    assert_eq!(counts[&Tab::Rejected], 1);
    assert_eq!(counts[&Tab::All], 4);
}

/// Records a signature over what `bytes_to_sign` gives, as the signing path does.
fn sign(s: &mut Store, id: i64) {
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
}

#[test]
fn a_signed_rejection_stays_in_the_rejected_tab_and_a_signed_acceptance_does_not() {
    let (_d, mut s, v) = sample();
    s.accept(v[0]).unwrap();
    s.reject(v[1], "Ошибка").unwrap();
    sign(&mut s, v[0]);
    sign(&mut s, v[1]);
    let tab = |s: &Store, t: Tab| {
        let mut q = Query::default();
        t.apply_to(&mut q);
        ids(s, q)
    };
    assert_eq!(tab(&s, Tab::Rejected), vec![v[1]]);
    assert_eq!(tab(&s, Tab::Signed), vec![v[1], v[0]]);
    let counts: std::collections::HashMap<_, _> = s.tab_counts().unwrap().into_iter().collect();
    assert_eq!(counts[&Tab::Rejected], 1);
    assert_eq!(counts[&Tab::Signed], 2);
    assert_eq!(counts[&Tab::Accepted], 0);

    // Sent and delivered, it is still a rejection.
    s.apply(v[1], Action::MarkSent, None).unwrap();
    s.apply(v[1], Action::MarkDelivered, None).unwrap();
    assert_eq!(tab(&s, Tab::Rejected), vec![v[1]]);
    assert_eq!(tab(&s, Tab::Sent), vec![v[1]]);
}

#[test]
fn the_header_counts_decisions_apart_from_signatures() {
    let (_d, mut s, v) = sample();
    let waiting = s.waiting_counts().unwrap();
    assert_eq!(
        (waiting.decision, waiting.signature),
        (4, 0),
        "received: a decision first"
    );

    s.view(v[0]).unwrap();
    s.accept(v[1]).unwrap();
    s.reject(v[2], "Неверная сумма").unwrap();
    let waiting = s.waiting_counts().unwrap();
    assert_eq!(
        waiting.decision, 2,
        "a viewed document still needs a decision"
    );
    assert_eq!(
        waiting.signature, 2,
        "accepted and rejected both wait for their signature"
    );

    // Signed, then failed to send: waits for a retry in the outbox, not for the user's
    // decision or signature.
    s.apply(v[1], Action::Sign, None).unwrap();
    s.apply(v[1], Action::Queue, None).unwrap();
    s.apply(v[1], Action::MarkFailed, None).unwrap();
    let waiting = s.waiting_counts().unwrap();
    assert_eq!((waiting.decision, waiting.signature), (2, 1));
    let counts: std::collections::HashMap<_, _> = s.tab_counts().unwrap().into_iter().collect();
    assert_eq!(
        counts[&Tab::NeedsAction],
        3,
        "the tab still lists the failed send"
    );
}

/// The header's «N документов ожидают подписи» is the «К подписи» tab's number, from the one
/// query both use (issue #18: the header said 12 while the one accepted document that really
/// waited for a signature was not among them), and that tab lists exactly those documents.
#[test]
fn the_header_s_signature_count_is_the_to_sign_tab_and_lists_the_accepted_ones() {
    let (_d, mut s, v) = sample();
    let to_sign = |s: &Store| {
        let mut q = Query::default();
        Tab::ToSign.apply_to(&mut q);
        ids(s, q)
    };
    let agree = |s: &Store| {
        let counts: std::collections::HashMap<_, _> = s.tab_counts().unwrap().into_iter().collect();
        let app = qoltanba_core::app::documents::tab_counts(s).unwrap();
        assert_eq!(app["awaiting_signature"], counts[&Tab::ToSign]);
        assert_eq!(app["to_sign"], counts[&Tab::ToSign]);
        assert_eq!(s.waiting_counts().unwrap().signature, counts[&Tab::ToSign]);
        assert_eq!(to_sign(s).len() as u64, counts[&Tab::ToSign]);
        counts[&Tab::ToSign]
    };
    assert_eq!(agree(&s), 0, "nothing decided: nothing to sign");

    s.accept(v[0]).unwrap();
    assert_eq!(
        agree(&s),
        1,
        "the accepted document waits for its signature"
    );
    assert_eq!(to_sign(&s), vec![v[0]]);

    s.reject(v[1], "Неверная сумма").unwrap();
    assert_eq!(agree(&s), 2, "a rejection is signed too");

    sign(&mut s, v[1]);
    assert_eq!(agree(&s), 1, "a signed rejection no longer waits");
    assert_eq!(to_sign(&s), vec![v[0]]);
}

#[test]
fn a_correction_links_to_the_document_it_corrects_whichever_arrives_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let bytes = support::pdf(&["Корректировка"]);
    let mut f = DocumentFields::new(
        DocumentKind::SalesReportCorrection,
        "Корректировочный отчёт",
    );
    f.correction_of_operator_id = Some("doc_orig".into());
    let a = Attachment {
        id: "a".into(),
        role: AttachmentRole::Main,
        file_name: "c.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    let (corr, _) = s
        .add_document(NewDocument {
            operator_id: Some("doc_corr".into()),
            origin: Origin::Operator,
            fields: f,
            attachments: vec![(a, bytes)],
            text: String::new(),
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap();
    assert_eq!(s.document(corr).unwrap().correction_of, None);
    let bytes = support::pdf(&["Original"]);
    let a = Attachment {
        id: "a".into(),
        role: AttachmentRole::Main,
        file_name: "o.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    let (orig, _) = s
        .add_document(NewDocument {
            operator_id: Some("doc_orig".into()),
            origin: Origin::Operator,
            fields: DocumentFields::new(DocumentKind::SalesReport, "Отчёт"),
            attachments: vec![(a, bytes)],
            text: String::new(),
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap();
    assert_eq!(s.document(corr).unwrap().correction_of, Some(orig));
}
