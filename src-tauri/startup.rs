//! How long the window takes to be useful: the time from the process start to the inbox on
//! screen, which the page reports (`inbox_painted`), and the bare Tauri window of the same build
//! that the start benchmark compares it with.

use std::sync::OnceLock;
use std::time::Instant;
use tauri::webview::PageLoadEvent;
use tauri::Manager;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Set this to open an empty page instead of the app and exit once it has loaded: the floor of
/// the start benchmark (the same binary, webview and Tauri, none of our work). Set to `stay`,
/// the window stays open: the floor of the memory benchmark.
pub const BARE_WINDOW_ENV: &str = "QOLTANBA_BARE_WINDOW";
/// Set this to print the start-up time and exit as soon as the first inbox is painted.
pub const EXIT_WHEN_PAINTED_ENV: &str = "QOLTANBA_EXIT_WHEN_PAINTED";

/// Called first thing in main().
pub fn mark_process_start() {
    let _ = STARTED.set(Instant::now());
}

/// Milliseconds since the process started (since first use when main() did not mark it).
pub fn elapsed_ms() -> u64 {
    STARTED.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// An empty page in a window of the same build; exits with 0 when the page has loaded.
pub fn run_bare_window(mut context: tauri::Context<tauri::Wry>) -> i32 {
    context.config_mut().app.windows.clear();
    let stay = std::env::var(BARE_WINDOW_ENV).is_ok_and(|v| v == "stay");
    let result = tauri::Builder::default()
        .setup(move |app| {
            tauri::WebviewWindowBuilder::new(
                app,
                "bare",
                tauri::WebviewUrl::App("blank.html".into()),
            )
            .on_page_load(move |w, p| {
                if p.event() == PageLoadEvent::Finished {
                    println!("bare window loaded in {} ms", elapsed_ms());
                    if !stay {
                        w.app_handle().exit(0);
                    }
                }
            })
            .build()?;
            Ok(())
        })
        .run(context);
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("bare window: {e}");
            1
        }
    }
}

/// How long a window whose page has not reported loading stays hidden: it is shown anyway.
const SHOW_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_secs(4);

/// The main window opens hidden (tauri.conf.json) and is shown by `page_loaded`. Drawn without
/// compositing (crate::webview), a webview shown before its page has its stylesheet makes the
/// app's main thread wait up to 500 ms for a first picture the page cannot paint yet, while the
/// page waits for that stylesheet from the same thread (its files are served there): 6 of 8
/// starts took ~950 ms instead of ~450 until the window was shown only after the load.
pub fn page_loaded<R: tauri::Runtime>(window: &tauri::Window<R>) {
    let _ = window.show();
}

/// Should the page's load never be reported, the hidden window is shown after
/// `SHOW_AT_THE_LATEST` all the same.
pub fn show_at_the_latest<R: tauri::Runtime>(window: &tauri::Window<R>) {
    let window = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(SHOW_AT_THE_LATEST);
        if !window.is_visible().unwrap_or(true) {
            let _ = window.show();
        }
    });
}
