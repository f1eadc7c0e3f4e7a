//! Acts in the store: saved with their history on the same chain as documents, a wrongly typed
//! field refused with nothing changed, statistics linked and cleared, prefill from a signed
//! document (roubles only), deletion only as a request, VAT rates a table in settings.

mod support;

use qoltanba_core::acts::{ActDraft, AllocationDraft, NewStatistics, VatRate};
use qoltanba_core::import::import_bytes;
use qoltanba_core::store::NewSignature;
use qoltanba_core::ErrorCode;

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

#[test]
fn every_change_of_an_act_is_in_its_history_on_the_documents_chain() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    import_bytes(
        &mut store,
        "r.pdf",
        support::sales_report_pdf("N-1"),
        vec![],
    )
    .unwrap();
    let a = store.create_act(&act(), None).unwrap();
    assert_eq!(a.register_status, "local");
    store
        .update_act(
            a.id,
            &ActDraft {
                amount: "120000.50".into(),
                non_advertising_services: true,
                ..act()
            },
        )
        .unwrap();
    let stat = store
        .add_statistics(&NewStatistics {
            creative: "erid-1".into(),
            platform: "ozon.ru".into(),
            impressions: 10,
            amount: "5.00".into(),
            first_shown: "2026-10-02".into(),
        })
        .unwrap();
    store.link_statistics(&stat.id, a.id, 0).unwrap();
    assert_eq!(store.allocation_statistics(a.id, 0).unwrap().len(), 1);
    let e = store.link_statistics(&stat.id, a.id, 1).unwrap_err();
    assert!(e.message.starts_with("allocations[1]:"), "{}", e.message);
    store.clear_statistics(&stat.id).unwrap();
    assert!(store.allocation_statistics(a.id, 0).unwrap().is_empty());

    let h = store.act_history(a.id).unwrap();
    let actions: Vec<_> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "act_created",
            "act_edited",
            "statistics_linked",
            "statistics_cleared"
        ]
    );
    assert!(h.iter().all(|e| e.subject == format!("act:{}", a.id)));
    assert_eq!(
        h[1].detail["changed"],
        serde_json::json!(["amount", "nonAdvertisingServices"])
    );
    assert_eq!(h[0].at, "2026-11-01T09:00:00Z");
    // One chain: the document's entry comes first, the act's follow it.
    assert!(h[0].seq > 1);
    assert!(store.verify_history().unwrap().intact);
}

#[test]
fn a_wrongly_typed_field_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let a = store.create_act(&act(), None).unwrap();
    let before = store.act_history(a.id).unwrap().len();
    let e = store
        .update_act(
            a.id,
            &ActDraft {
                period_to: "2026-09-31".into(),
                ..act()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message.contains("periodTo: «2026-09-31» — не дата"),
        "{}",
        e.message
    );
    assert_eq!(store.act(a.id).unwrap().draft, act());
    assert_eq!(store.act_history(a.id).unwrap().len(), before);
    // An incomplete draft may be kept while it is being filled in.
    let partial = ActDraft {
        allocations: vec![],
        contract: String::new(),
        ..act()
    };
    assert!(store.create_act(&partial, None).is_ok());
    assert_eq!(store.acts().unwrap().len(), 2);
}

#[test]
fn an_act_is_never_deleted_only_a_deletion_is_requested() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let a = store.create_act(&act(), None).unwrap();
    let e = store.request_act_deletion(a.id, "   ").unwrap_err();
    assert!(e.message.starts_with("reason:"));
    // The reason goes into an e-mail and the history: a budget, and nothing recorded past it.
    let long = "я".repeat(1001);
    let e = store.request_act_deletion(a.id, &long).unwrap_err();
    assert!(
        e.message.contains("1001 символов, допустимо 1000"),
        "{}",
        e.message
    );
    assert!(!store.act(a.id).unwrap().deletion_requested);
    assert!(store.request_act_deletion(a.id, &"я".repeat(1000)).is_ok());
    let r = store.request_act_deletion(a.id, "Загружен дважды").unwrap();
    assert_eq!(
        store.deletion_requests(a.id).unwrap().len(),
        2,
        "each request is kept"
    );
    assert_eq!(r.reason, "Загружен дважды");
    let letter = store.deletion_letter(a.id).unwrap();
    assert_eq!(letter.to, "info@ord.ozon.ru");
    assert!(
        letter.body.contains("Причина: Загружен дважды"),
        "{}",
        letter.body
    );
    assert!(store.act(a.id).unwrap().deletion_requested);
    let last = store.act_history(a.id).unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.reason.as_deref()),
        ("deletion_requested", Some("Загружен дважды"))
    );
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    let err = conn.execute("DELETE FROM acts", []).unwrap_err();
    assert!(err.to_string().contains("never deleted"), "{err}");
}

#[test]
fn prefill_takes_a_signed_document_and_links_back_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let doc = import_bytes(
        &mut store,
        "r.pdf",
        support::sales_report_pdf("N-77"),
        vec![],
    )
    .unwrap()
    .id;
    let e = store.act_from_document(doc).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTransition);
    assert!(store.acts().unwrap().is_empty());
    store.accept(doc).unwrap();
    let sha = store.document(doc).unwrap().content_sha256;
    store
        .record_own_signature(
            doc,
            NewSignature {
                attachment_id: None,
                signed_sha256: sha,
                cms: vec![1],
                signer: None,
                verdict: None,
            },
            serde_json::json!({}),
        )
        .unwrap();
    let p = store.act_from_document(doc).unwrap();
    let d = store.document(doc).unwrap();
    assert_eq!(p.act.document_id, Some(doc));
    assert_eq!(Some(p.act.draft.number.clone()), d.fields.number);
    // The document is in tenge: its amount is not copied into a rouble act.
    assert_eq!(d.fields.currency, "KZT");
    assert_eq!(p.act.draft.amount, "");
    let why = &p.to_fill.iter().find(|(f, _)| f == "amount").unwrap().1;
    match d.fields.amount {
        Some(_) => assert!(why.contains("валюты не смешиваются"), "{why}"),
        None => assert!(why.contains("нет суммы"), "{why}"),
    }
    let h = store.act_history(p.act.id).unwrap();
    assert_eq!(h[0].action, "act_created_from_document");
    assert_eq!(h[0].detail["documentId"], doc);
}

#[test]
fn vat_rates_are_a_table_in_settings_that_can_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let t = store.vat_table().unwrap();
    assert_eq!(
        t.rate_on(qoltanba_core::model::Day::parse("2025-12-31").unwrap()),
        Some(20)
    );
    assert_eq!(
        t.rate_on(qoltanba_core::model::Day::parse("2026-01-01").unwrap()),
        Some(22)
    );
    // A hypothetical later change of the law: one more row, no new build.
    let mut rows = t.rows();
    rows.push(VatRate {
        from: "2027-01-01".into(),
        percent: 25,
    });
    store.set_vat_rates(&rows).unwrap();
    let check = |store: &qoltanba_core::Store, date: &str, net: &str| {
        store
            .check_act(&ActDraft {
                date: date.into(),
                amount: "125000.00".into(),
                allocations: vec![AllocationDraft {
                    initial_contract: "ДР-2026/15".into(),
                    amount: net.into(),
                    vat_included: false,
                    statistics: vec![],
                }],
                ..act()
            })
            .unwrap()
    };
    assert!(check(&store, "2027-01-01", "100000.00").is_empty());
    assert!(!check(&store, "2026-12-31", "100000.00").is_empty());
    let e = store
        .set_vat_rates(&[VatRate {
            from: "2026-13-01".into(),
            percent: 22,
        }])
        .unwrap_err();
    assert!(e.message.contains("2026-13-01"));
    assert_eq!(store.vat_table().unwrap().rows().len(), 3, "unchanged");
}
