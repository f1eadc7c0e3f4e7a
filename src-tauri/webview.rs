//! How the window's webview draws. WebKitGTK composites the page with OpenGL by default; without
//! a usable GPU driver (a virtual machine, a remote desktop session, a display without GL) that
//! is Mesa's software GL: under it each frame of the inbox's keyboard scroll cost ~40 ms (the
//! page's own work ~5 ms of it) and the web process held ~80 MB more. The window shows a list
//! and one PDF page, which WebKit's software drawing of just what changed serves well, so the
//! webview is told not to composite with the GPU.

use tauri::{Runtime, WebviewWindow};

/// Sets the webview's hardware acceleration policy to «never». Called as soon as the window is
/// made, before its first frame.
pub fn draw_without_gpu<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|w| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = w.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The JavaScript engine's bytes allocated between two collections in the page (JSC's
/// `largeHeapSize`, which WebKit's web process reads from its environment, inherited from the
/// app's): 8 MB instead of JSC's 32 MB.
const JS_COLLECT_EVERY_BYTES: &str = "8388608";

/// Called first in main(), before any thread runs and before WebKit starts its web process.
///
/// The window's page lives on ~10 MB of JavaScript objects, but scrolling the inbox makes
/// garbage at every frame (rows given new text, pages of rows arriving). JSC, sized for
/// browser tabs, let 32 MB of it pile up before collecting and kept the heap it had grown:
/// after the benchmark's scroll and 1,000 PageDown presses the web process held ~45 MB of
/// JavaScript heap (WebKit's own memory sampler, WEBKIT_SAMPLE_MEMORY) where ~10 MB was live.
/// Collecting every 8 MB keeps it at ~25 MB (the web process ~27 MB smaller in all), and the
/// keyboard's frames stayed under 50 ms. A value the user set is left as it is.
pub fn tune_javascript_heap() {
    const VAR: &str = "JSC_largeHeapSize";
    if std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, JS_COLLECT_EVERY_BYTES);
    }
}
