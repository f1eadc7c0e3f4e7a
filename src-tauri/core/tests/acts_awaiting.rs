//! The acts section's reminder: a signed, accepted closing document for services (placement)
//! with no act yet is listed; a sales report, an unsigned act, or one an act was made from is not.

mod support;

use qoltanba_core::import::import_bytes;
use qoltanba_core::store::NewSignature;
use qoltanba_core::Store;

fn placement_act(number: &str) -> Vec<u8> {
    support::pdf(&[
        "АКТ ВЫПОЛНЕННЫХ РАБОТ (услуги по размещению товаров на Платформе)",
        &format!("№ {number} от 31.10.2026"),
        "Исполнитель: ТОО «Маркетплейс» БИН 201040012345",
        "Заказчик: ТОО «Продавец» БИН 123456789021",
        "Итого: 54000.00 KZT",
    ])
}

fn sign(store: &mut Store, id: i64) {
    store.accept(id).unwrap();
    let sha = store.document(id).unwrap().content_sha256;
    store
        .record_own_signature(
            id,
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
}

#[test]
fn a_signed_service_act_without_an_act_for_the_register_is_a_reminder_until_one_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let signed = import_bytes(&mut store, "a.pdf", placement_act("P-1"), vec![])
        .unwrap()
        .id;
    let unsigned = import_bytes(&mut store, "b.pdf", placement_act("P-2"), vec![])
        .unwrap()
        .id;
    let report = import_bytes(
        &mut store,
        "r.pdf",
        support::sales_report_pdf("R-1"),
        vec![],
    )
    .unwrap()
    .id;
    assert_eq!(
        store.document(signed).unwrap().fields.kind.code(),
        "placement_services_act"
    );
    sign(&mut store, signed);
    sign(&mut store, report);
    let _ = unsigned;

    let due = store.documents_without_act().unwrap();
    assert_eq!(
        due.iter().map(|d| d.document_id).collect::<Vec<_>>(),
        [signed]
    );
    assert_eq!(due[0].number.as_deref(), Some("P-1"));

    store.act_from_document(signed).unwrap();
    assert!(store.documents_without_act().unwrap().is_empty());
}
