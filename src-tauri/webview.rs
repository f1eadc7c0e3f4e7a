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
