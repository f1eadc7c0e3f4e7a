//! The window on the office PC it runs on: a 1366×768 screen (issue #18). The window fits the
//! screen, the PDF fits its width, the rows' kinds are told apart, the keyboard flow ↓ Enter A
//! Enter accepts a document without the mouse, Esc closes a dialog, and the header's count is the
//! number of the tab that lists those documents.

use crate::window::Window;
use crate::{data_dir_args, start_demo, tab_count, wait_gone, xvfb, ONE_WINDOW};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use std::time::{Duration, Instant};

/// Presses one key (or a key with a modifier held) where focus is, as a person would: nothing
/// is clicked and nothing is focused by the test.
async fn press(win: &Window, modifier: Option<Key>, key: char) {
    let mut keys = KeyActions::new("keyboard".into());
    if let Some(m) = modifier {
        keys = keys.then(KeyAction::Down { value: m.into() });
    }
    keys = keys
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    if let Some(m) = modifier {
        keys = keys.then(KeyAction::Up { value: m.into() });
    }
    win.client.perform_actions(keys).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
}

async fn js(win: &Window, script: &str) -> serde_json::Value {
    win.client.execute(script, vec![]).await.unwrap()
}

async fn wait_for_js(win: &Window, what: &str, script: &str) {
    let deadline = Instant::now() + crate::window::PATIENCE;
    loop {
        if js(win, script).await == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The environment of the WebKit web process drawing on this display (each test has a display of
/// its own), as the kernel keeps it.
fn web_process_environment(display: &str) -> Vec<String> {
    let own = format!("DISPLAY={display}");
    let deadline = Instant::now() + crate::window::PATIENCE;
    loop {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let dir = entry.path();
            let is_web = std::fs::read_to_string(dir.join("comm"))
                .is_ok_and(|c| c.trim_end().starts_with("WebKitWebProces"));
            let Ok(raw) = std::fs::read(dir.join("environ")) else {
                continue;
            };
            let vars: Vec<String> = raw
                .split(|b| *b == 0)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect();
            if is_web && vars.contains(&own) {
                return vars;
            }
        }
        assert!(Instant::now() < deadline, "no web process on {display}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_1366x768_screen_the_window_fits_and_the_keyboard_flow_goes_through_the_dialogs() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start_sized(1366, 768);
    let demo = start_demo().await;
    let driver = crate::window::Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing("№ OZ-2026-10-0042 ·").await;
    win.find(&tab_count("Требуют действия", "13")).await;

    // The window opens hidden and is shown once its page has loaded (src-tauri/startup.rs):
    // by now it is on screen, which the page sees as its visibility.
    assert_eq!(
        js(&win, "return document.visibilityState").await,
        "visible",
        "the window was never shown"
    );

    // The window fits the screen (its default, 1280×800, is taller than 768).
    let (x, y, w, h) = win.client.get_window_rect().await.unwrap();
    assert!(
        x + w <= 1366 && y + h <= 768,
        "window {w}×{h} at {x},{y} on 1366×768"
    );
    let inner = js(
        &win,
        "return [window.innerWidth, window.innerHeight, screen.width, screen.height]",
    )
    .await;
    assert_eq!(inner[2], 1366, "{inner}");
    assert!(inner[1].as_u64().unwrap() <= 768, "{inner}");

    // Light on the office PC: the page is drawn without compositing, on the CPU, collects its
    // JavaScript heap every 8 MB, runs JavaScript without a JIT and gives freed blocks back
    // (src-tauri/webview.rs). WebKit and glibc read these from the process's environment, so
    // they are looked for in the web process's own.
    let web = web_process_environment(&display.name);
    for setting in [
        "WEBKIT_DISABLE_COMPOSITING_MODE=1",
        "WEBKIT_SKIA_ENABLE_CPU_RENDERING=1",
        "JSC_largeHeapSize=8388608",
        "JSC_useJIT=false",
        "MALLOC_MMAP_THRESHOLD_=131072",
        "MALLOC_ARENA_MAX=2",
    ] {
        assert!(
            web.iter().any(|v| v == setting),
            "{setting} not in the web process's environment (its WebKit and JSC settings: {:?})",
            // Only these: the rest of an environment may hold secrets a CI log must not show.
            web.iter()
                .filter(|v| ["WEBKIT_", "JSC_", "MALLOC_"]
                    .iter()
                    .any(|p| v.starts_with(p)))
                .collect::<Vec<_>>()
        );
    }

    // The rows tell the acts apart: the short kind, the full one on hover.
    let row = win
        .find("//span[@class='document-row-title'][normalize-space(.)='Акт: размещение']")
        .await;
    assert_eq!(
        row.attr("title").await.unwrap().as_deref(),
        Some("Акт выполненных работ (услуги по размещению товаров на Платформе)")
    );
    win.find("//span[@class='document-row-title'][normalize-space(.)='Акт: прочие услуги']")
        .await;
    // No kind's name in the rows on screen is cut off, and the list ends inside the window.
    let cut = js(
        &win,
        "return [...document.querySelectorAll('.document-row-title')]
           .filter((t) => t.scrollWidth > t.clientWidth).map((t) => t.textContent)",
    )
    .await;
    assert_eq!(cut, serde_json::json!([]), "kind names cut off in the list");
    let bottom = js(
        &win,
        "return [document.querySelector('.virtual-list').getBoundingClientRect().bottom <= window.innerHeight,
                 document.documentElement.scrollHeight <= window.innerHeight]",
    )
    .await;
    assert_eq!(
        bottom,
        serde_json::json!([true, true]),
        "the list ends inside the window"
    );

    // Nothing decided yet: no header count of signatures, and the «К подписи» tab says 0.
    win.find(&tab_count("К подписи", "0")).await;
    assert!(!win.is_shown("//*[@data-testid='awaiting-signature']").await);

    // The keyboard only: Tab to the list, ↓ to the first row, Enter opens it, A asks, Enter accepts.
    let mut on_list = false;
    for _ in 0..60 {
        press(&win, None, Key::Tab.into()).await;
        if js(
            &win,
            "return document.activeElement?.getAttribute('role') === 'listbox'",
        )
        .await
            == serde_json::Value::Bool(true)
        {
            on_list = true;
            break;
        }
    }
    assert!(on_list, "Tab reaches the list");
    press(&win, None, Key::Down.into()).await;
    press(&win, None, Key::Enter.into()).await;
    let heading = win
        .find("//section[contains(@class,'inbox-document')]//article//h2")
        .await;
    let opened = heading.text().await.unwrap();
    press(&win, None, 'a').await;
    win.text("Принять документ").await;
    win.screenshot("fit-accept-dialog").await;
    press(&win, None, Key::Enter.into()).await;
    wait_gone(&win, "//*[normalize-space(text())='Принять документ']").await;

    // The header counts it, the same number as the tab that lists it.
    let header = win.find("//*[@data-testid='awaiting-signature']").await;
    assert_eq!(
        header.text().await.unwrap().trim(),
        "1 документ ожидает подписи"
    );
    win.find(&tab_count("К подписи", "1")).await;
    win.find(&tab_count("Требуют действия", "12")).await;
    // With both counts the header still keeps to one line in the 1280-pixel window: its last
    // control (the language) is level with its first (it went to a second line before).
    let header = js(
        &win,
        "const h = document.querySelector('header.chrome');
         const first = h.firstElementChild.getBoundingClientRect();
         const last = h.lastElementChild.getBoundingClientRect();
         const parts = [...h.children].map((c) => c.className + ' ' + Math.round(c.getBoundingClientRect().width) + ' px');
         return [last.top < first.bottom, innerWidth + ' px: ' + parts.join(', ')];",
    )
    .await;
    assert_eq!(
        header[0],
        serde_json::Value::Bool(true),
        "the header wraps: {}",
        header[1]
    );

    // The next document opened by itself; R asks for a reason, Esc closes without rejecting.
    wait_for_js(
        &win,
        "the next document opens",
        &format!(
            "const h = document.querySelector('.inbox-document article h2'); return !!h && h.textContent.trim() !== {};",
            serde_json::to_string(&opened).unwrap()
        ),
    )
    .await;
    press(&win, None, 'r').await;
    win.text("Отклонить документ").await;
    press(&win, None, Key::Escape.into()).await;
    wait_gone(&win, "//*[normalize-space(text())='Отклонить документ']").await;
    win.find(&tab_count("Требуют действия", "12")).await;
    win.find(&tab_count("К подписи", "1")).await;

    // The PDF fits the width beside the details panel: nothing cut off on the right.
    win.open_row("OZ-2026-10-0042").await;
    win.find("//canvas[@data-testid='pdf-page'][@data-painted='1']")
        .await;
    let fit = js(
        &win,
        "const c = document.querySelector(\"canvas[data-testid='pdf-page']\");
         const box = c.parentElement.getBoundingClientRect();
         const page = c.getBoundingClientRect();
         return [page.left >= box.left, page.right <= box.right + 0.5,
                 c.parentElement.scrollWidth <= c.parentElement.clientWidth,
                 document.documentElement.scrollWidth <= window.innerWidth, page.width];",
    )
    .await;
    win.screenshot("fit-pdf").await;
    assert_eq!(
        fit.as_array().unwrap()[..4],
        [true, true, true, true].map(serde_json::Value::Bool),
        "{fit}"
    );
    assert!(
        fit[4].as_f64().unwrap() > 200.0,
        "the page is readable: {fit}"
    );
    win.close().await;
}
