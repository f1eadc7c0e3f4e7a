//! The window opens where and as large as it was when the user closed it (issue #18): its size
//! and place are kept when it closes and restored at the next start when they still fit.

use crate::window::{Driver, Window, PATIENCE};
use crate::{data_dir_args, start_demo, xvfb, ONE_WINDOW};
use std::path::Path;
use std::time::{Duration, Instant};

/// The app's processes started on this data folder.
fn app_pids(data: &Path) -> Vec<u32> {
    let want = data.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| {
                    let c = String::from_utf8_lossy(&c);
                    c.contains(&want) && c.split('\0').next().unwrap_or("").ends_with("qoltanba")
                })
                .unwrap_or(false)
        })
        .collect()
}

async fn rect_becomes(win: &Window, want: (u64, u64, u64, u64)) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = win.client.get_window_rect().await.unwrap();
        if now == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the window is at {now:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_opens_again_where_and_as_large_as_it_was_closed() {
    let _one = ONE_WINDOW.lock().await;
    // A screen with room for the default 1280×800 and for a smaller window elsewhere on it.
    let display = xvfb::Display::start_sized(1600, 1000);
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing("№ OZ-2026-10-0042 ·").await;
    // The first start: the default size (no window manager, so no frame around it).
    let (_, _, w, h) = win.client.get_window_rect().await.unwrap();
    assert_eq!((w, h), (1280, 800), "the default size at the first start");

    // The user moves the window to the top left and makes it smaller, then closes it.
    let kept = (40, 30, 1000, 700);
    win.client
        .set_window_rect(kept.0 as u32, kept.1 as u32, kept.2 as u32, kept.3 as u32)
        .await
        .unwrap();
    rect_becomes(&win, kept).await;
    assert_eq!(display.close_windows(), 1, "one window to close");
    let deadline = Instant::now() + PATIENCE;
    while !app_pids(&demo.data_dir()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the app did not exit when its window closed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The driver's session lost its app: the next start gets a driver of its own.
    win.close().await;
    drop(driver);

    // The next start opens it there, at that size.
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    // (Fewer rows fit now: any row on screen says the inbox is there.)
    win.find("//div[@role='option']//button").await;
    rect_becomes(&win, kept).await;
    win.close().await;
}
