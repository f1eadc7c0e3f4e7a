//! Issue #14 part 1: a seller with no account at all gets an e-mail with a link and a code,
//! opens the document in the window, accepts and signs it, and the decision goes to the link's
//! server right after signing: the summary and the document say «Доставлен».

use crate::window::{literal, Driver, Window};
use crate::{operator_get, start_demo, wait_until, xvfb, ONE_WINDOW};
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::{OpenOptions, Store};
use qoltanba_operator::seed::demo::{SHARED_CODE, SHARED_LINK};

const NUMBER: &str = "OZ-2026-10-0047";

fn input(label: &str) -> String {
    format!(
        "//form[contains(@class,'shared-link')]//label[contains(normalize-space(.), {})]//input",
        literal(label)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seller_without_an_account_signs_from_a_link_and_it_is_delivered() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    // A data folder of its own: the signing service as Settings sets it, and no account.
    let data = demo.profile.path().join("link-only");
    {
        let mut store = Store::open(&data, OpenOptions::default()).unwrap();
        let url = format!("{}/", demo.signer.url.trim_end_matches('/'));
        store.set_setting(SettingKey::Profile, "demo").unwrap();
        store.set_setting(SettingKey::SignerUrl, &url).unwrap();
        let pin = demo.signer.pin.as_deref().expect("the demo signer's pin");
        store.set_setting(SettingKey::SignerPin, pin).unwrap();
        store
            .set_setting(SettingKey::SellerBin, qoltanba_signer::testkeys::SELLER_BIN)
            .unwrap();
        assert_eq!(store.operator_account().unwrap(), None, "no account");
    }
    let driver = Driver::start(&display);
    let args = vec!["--data-dir".into(), data.to_string_lossy().into_owned()];
    let win = Window::open(&driver, &args).await;

    // The first-run screen: open the link from the e-mail with its code.
    win.text("Открыть ссылку из письма").await;
    let link = format!(
        "{}/shared/{SHARED_LINK}",
        demo.operator.url.trim_end_matches('/')
    );
    win.find(&input("Ссылка"))
        .await
        .send_keys(&link)
        .await
        .unwrap();
    win.find(&input("Код авторизации"))
        .await
        .send_keys(SHARED_CODE)
        .await
        .unwrap();
    win.button("Открыть").await;
    win.containing(&format!("№ {NUMBER} ·")).await;

    crate::accept(&win, NUMBER).await;
    win.button("Подписать").await;
    win.text("Подписание").await;
    win.button("Подписать").await;
    win.containing("Готово: подписан 1 документ").await;
    // Sent at once (send_after_signing is on by default) and verified by the link's server.
    win.find("//ul[@data-testid='send-report']//strong[normalize-space(text())='Доставлен']")
        .await;
    win.screenshot("link-signed-and-delivered").await;
    win.button("Готово").await;
    win.find(
        "//section[contains(@class,'inbox-document')]//*[contains(@class, 'status')][normalize-space(text())='Доставлен']",
    )
    .await;

    // Nothing waits in the outbox, and the operator has the signature.
    win.click("//button[@data-testid='nav-outbox']").await;
    win.text("Очередь пуста: всё отправлено").await;
    wait_until("the operator records the signature", || {
        operator_get(&demo, "/inbox/documents?status=signed").contains(NUMBER)
    })
    .await;
    win.close().await;
}
