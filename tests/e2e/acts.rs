//! An advertising act for the register (ERIR) made from a signed closing document in the real
//! window: the editor points at an allocation that exceeds the act, the user fixes it, the act is
//! submitted and the register (qoltanba-operator's ORD) accepts it.

use crate::window::{Driver, Window};
use crate::{accept, data_dir_args, start_demo, start_demo_with, tab, xvfb, ONE_WINDOW};

fn id(testid: &str) -> String {
    format!("//*[@data-testid='{testid}']")
}

async fn type_into(win: &Window, xpath: &str, text: &str) {
    win.find(xpath).await.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_act_from_a_signed_document_is_fixed_where_the_editor_points_and_submitted() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;

    // A signed document first.
    win.containing("№ OZ-2026-10-0044 ·").await;
    accept(&win, "OZ-2026-10-0044").await;
    tab(&win, "Принятые").await;
    win.open_row("OZ-2026-10-0044").await;
    win.button("Подписать").await;
    win.text("Подписание").await;
    win.button("Подписать").await;
    win.containing("Готово: подписан 1 документ").await;
    win.button("Готово").await;
    // Sent right after signing (send_after_signing is on by default).
    tab(&win, "Отправленные").await;
    win.open_row("OZ-2026-10-0044").await;

    // The act, prefilled from it.
    win.click(&id("create-act-from-document")).await;
    win.find(&format!("{}[@data-status='local']", id("register-status")))
        .await;
    type_into(&win, &id("act-contract"), "ДР-2026/15").await;
    win.click(&id("act-customerRole-advertiser")).await;
    win.click(&id("act-executorRole-ad_system_operator")).await;
    type_into(&win, &id("act-amount"), "120000.00").await;
    win.click(&id("allocation-add")).await;
    let line = "[@data-line='0']";
    type_into(
        &win,
        &format!("{}{line}", id("allocation-contract")),
        "ДР-2026/15",
    )
    .await;
    let amount = format!("{}{line}", id("allocation-amount"));
    type_into(&win, &amount, "150000.00").await;

    // The editor says which field is wrong and why, and will not submit.
    let error = win
        .find(&format!(
            "{}[@data-field='allocations[0].amount']",
            id("field-error")
        ))
        .await;
    let message = error.text().await.unwrap();
    assert!(message.contains("больше суммы акта"), "{message}");
    assert!(
        win.is_shown(&format!("{}[@disabled]", id("act-submit")))
            .await
    );
    win.screenshot("act-editor").await;

    // Fixed: the message goes, Submit works, the register accepts.
    let backspaces = "\u{E003}".repeat(12);
    type_into(&win, &amount, &backspaces).await;
    type_into(&win, &amount, "120000.00").await;
    crate::wait_gone(&win, &id("field-error")).await;
    win.click(&format!("{}[not(@disabled)]", id("act-submit")))
        .await;
    win.find(&format!(
        "{}[@data-status='accepted']",
        id("register-status")
    ))
    .await;
    win.click(&id("nav-acts")).await;
    win.find(&id("act-row")).await;
    win.screenshot("acts").await;
    win.close().await;
}

/// The ORD page's own path: «Акты → Добавить», a supplementary agreement picked as the contract,
/// the amount typed as people type it, statistics linked in the statistics tab, submitted; the
/// register (qoltanba-operator with `--register-reject-once`) rejects the number, the user fixes
/// it where the window points, and the register accepts the act with its statistics.
#[tokio::test(flavor = "multi_thread")]
async fn an_act_added_in_the_window_is_rejected_on_a_field_fixed_and_accepted() {
    use qoltanba_core::{OpenOptions, Store};

    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo_with(&[
        "--register-reject",
        "number:Акт с таким номером уже зарегистрирован",
        "--register-reject-once",
    ])
    .await;
    // The contract and its supplementary agreement come from the ORD's catalogue (the demo
    // syncs it: ctr_demo_main «ДР-2026/15», ctr_demo_sa1 «ДС-1 к ДР-2026/15»); the statistics
    // record is typed in the window.
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;

    win.click(&id("nav-acts")).await;
    win.click(&id("act-add")).await;
    win.find(&id("act-new-title")).await;
    win.click(&format!(
        "{}/option[@value='ctr_demo_sa1']",
        id("act-contract")
    ))
    .await;
    type_into(&win, &id("act-number"), "A-2026-10-001").await;
    type_into(&win, &id("act-date"), "2026-10-31").await;
    type_into(&win, &id("act-periodFrom"), "2026-10-01").await;
    type_into(&win, &id("act-periodTo"), "2026-10-31").await;
    type_into(&win, &id("act-amount"), "120 000,00").await;
    win.click(&id("act-customerRole-advertiser")).await;
    win.click(&id("act-executorRole-ad_system_operator")).await;
    win.click(&id("allocation-add")).await;
    let line = "[@data-line='0']";
    type_into(
        &win,
        &format!("{}{line}", id("allocation-contract")),
        "ctr_demo_sa1",
    )
    .await;
    type_into(
        &win,
        &format!("{}{line}", id("allocation-amount")),
        "120 000,00",
    )
    .await;
    win.click(&format!("{}[not(@disabled)]", id("act-save")))
        .await;
    win.text("Акт № A-2026-10-001").await;

    // A statistics record the ORD does not list, typed in the act's statistics tab.
    win.click(&id("act-tab-statistics")).await;
    win.click(&id("statistics-add")).await;
    type_into(&win, &id("statistics-creative"), "erid-TypedByHand1").await;
    type_into(&win, &id("statistics-platform"), "ozon.ru").await;
    type_into(&win, &id("statistics-impressions"), "15 000").await;
    type_into(&win, &id("statistics-amount"), "120 000,00").await;
    type_into(&win, &id("statistics-firstShown"), "2026-10-03").await;
    win.click(&format!("{}[not(@disabled)]", id("statistics-add-confirm")))
        .await;
    crate::wait_gone(&win, &id("statistics-form")).await;
    let creative = "[td[normalize-space(.)='erid-TypedByHand1']]";
    win.find(&format!("{}{creative}", id("statistics-row")))
        .await;
    win.click(&id("act-tab-act")).await;

    // Statistics, as the ORD's page says: ✎ on the line, «Выбрать статистику» (tick, «Добавить»),
    // «Статистика акта» shows it, «Сохранить».
    win.click(&format!("{}{line}", id("allocation-edit-statistics")))
        .await;
    win.click(&format!(
        "{}//tr{creative}//input[@type='checkbox']",
        id("statistics-free")
    ))
    .await;
    win.click(&id("line-statistics-add")).await;
    win.find(&format!("{}//tr{creative}", id("statistics-mine")))
        .await;
    win.screenshot("act-statistics").await;
    win.click(&format!("{}[not(@disabled)]", id("line-statistics-save")))
        .await;
    crate::wait_gone(&win, &id("line-statistics")).await;
    win.click(&id("act-tab-statistics")).await;
    win.text("Привязана к строке 1").await;
    win.click(&id("act-tab-act")).await;

    // Submitted: the register rejects the number, and the window says so under that field.
    win.click(&format!("{}[not(@disabled)]", id("act-submit")))
        .await;
    win.find(&format!(
        "{}[@data-status='rejected']",
        id("register-status")
    ))
    .await;
    let error = win
        .find(&format!(
            "{}[@data-field='number'][@data-source='register']",
            id("field-error")
        ))
        .await;
    let message = error.text().await.unwrap();
    assert!(message.contains("уже зарегистрирован"), "{message}");
    win.screenshot("act-rejected").await;

    // Fixed where it points, sent again: accepted.
    type_into(&win, &id("act-number"), "/1").await;
    win.click(&format!("{}[not(@disabled)]", id("act-submit")))
        .await;
    win.find(&format!(
        "{}[@data-status='accepted']",
        id("register-status")
    ))
    .await;
    win.text("Акт № A-2026-10-001/1").await;

    // The list: the agreement's number, one creative, accepted.
    win.click(&id("act-back")).await;
    let row = format!("{}[.//*[@data-status='accepted']]", id("act-row"));
    win.find(&format!(
        "{row}//*[@data-testid='act-row-contract'][normalize-space(.)='ДС-1 к ДР-2026/15']"
    ))
    .await;
    win.find(&format!(
        "{row}//*[@data-testid='act-row-creatives'][normalize-space(.)='1']"
    ))
    .await;
    win.screenshot("acts-list").await;
    win.close().await;

    // The register has the corrected act with its statistics.
    let (external, stat) = {
        let store = Store::open(&demo.data_dir(), OpenOptions::default()).unwrap();
        let stats = store.statistics().unwrap();
        let typed = stats
            .iter()
            .find(|r| r.creative == "erid-TypedByHand1")
            .expect("the record typed in the window is kept");
        assert_eq!(typed.impressions, 15000, "read as typed: «15 000»");
        (
            store.acts().unwrap()[0].external_id.clone(),
            typed.id.clone(),
        )
    };
    let there = crate::operator_get(&demo, &format!("/ord/acts/{external}"));
    assert!(there.contains("\"registerStatus\":\"accepted\""), "{there}");
    assert!(there.contains("A-2026-10-001/1"), "{there}");
    assert!(there.contains(&stat), "{there}");
}

/// «+ Добавить договор…» for a contract the ORD's catalogue does not have: a wrong INN is named
/// under its field and nothing is added; fixed, the contract is added, picked for the new act at
/// once, and the saved act names it.
#[tokio::test(flavor = "multi_thread")]
async fn a_contract_typed_by_hand_is_picked_for_a_new_act() {
    use qoltanba_core::{OpenOptions, Store};

    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;

    win.click(&id("nav-acts")).await;
    win.click(&id("act-add")).await;
    win.find(&id("act-new-title")).await;
    // The empty act's messages move the button down when they arrive: click after them.
    win.find(&format!("{}[@data-field='contract']", id("field-error")))
        .await;
    win.click(&id("act-contract-add")).await;
    type_into(&win, &id("contract-number"), "ДР-2026/77").await;
    type_into(&win, &id("contract-date"), "2026-09-01").await;
    type_into(&win, &id("contract-customerName"), "ООО «Рекламодатель»").await;
    let inn = id("contract-customerInn");
    type_into(&win, &inn, "77012").await;
    win.click(&id("contract-customerRole-advertiser")).await;
    win.click(&format!("{}[not(@disabled)]", id("contract-add-confirm")))
        .await;
    let error = win
        .find(&format!("{}[@data-field='customerInn']", id("field-error")))
        .await;
    let message = error.text().await.unwrap();
    assert!(message.contains("«77012» — не ИНН"), "{message}");
    win.screenshot("contract-dialog").await;

    type_into(&win, &inn, &"\u{E003}".repeat(5)).await;
    type_into(&win, &inn, "7701234567").await;
    win.click(&format!("{}[not(@disabled)]", id("contract-add-confirm")))
        .await;
    crate::wait_gone(&win, &id("contract-form")).await;
    win.find(&format!(
        "{}/option[@value='ДР-2026/77']",
        id("act-contract")
    ))
    .await;

    type_into(&win, &id("act-number"), "A-2026-09-001").await;
    type_into(&win, &id("act-date"), "2026-09-30").await;
    win.click(&format!("{}[not(@disabled)]", id("act-save")))
        .await;
    win.text("Акт № A-2026-09-001").await;
    win.close().await;

    let store = Store::open(&demo.data_dir(), OpenOptions::default()).unwrap();
    let acts = store.acts().unwrap();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].draft.contract, "ДР-2026/77", "picked at once");
    let book = store.contracts().unwrap();
    let c = book
        .resolve("ДР-2026/77")
        .expect("the typed contract is kept");
    assert_eq!(
        (c.customer_inn.as_str(), c.date.as_str()),
        ("7701234567", "2026-09-01")
    );
}
