//! An advertising act for the register (ERIR) made from a signed closing document in the real
//! window: the editor points at an allocation that exceeds the act, the user fixes it, the act is
//! submitted and the register (qoltanba-operator's ORD) accepts it.

use crate::window::{Driver, Window};
use crate::{accept, data_dir_args, start_demo, tab, xvfb, ONE_WINDOW};

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
