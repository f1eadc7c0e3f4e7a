//! The window's size and position on the screen it opens on: the last ones when they still fit
//! there, else the default size cut to the screen's work area (core::app::placement has the
//! rule); kept in the store when the window closes. Tauri's window-state plugin would do the
//! keeping, but it is not in the tree and restores a size taller than a smaller screen.

use crate::state::AppState;
use qoltanba_core::app::placement::{placement, Placement};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, Window};

/// tauri.conf.json's default and minimum inner size, in logical pixels.
const WANTED: (f64, f64) = (1280.0, 800.0);
const MIN: (f64, f64) = (900.0, 600.0);

/// Sizes and places `window` for the screen it is on. Only when it does not fit already, so a
/// second call (after the title bar is known) changes nothing that was right.
pub fn fit<R: Runtime>(window: &Window<R>) {
    let Some(monitor) = window
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| window.primary_monitor().ok().flatten())
    else {
        return;
    };
    let work = monitor.work_area();
    let area = Placement {
        x: work.position.x,
        y: work.position.y,
        width: work.size.width,
        height: work.size.height,
    };
    let (Ok(inner), Ok(outer), Ok(at)) = (
        window.inner_size(),
        window.outer_size(),
        window.outer_position(),
    ) else {
        return;
    };
    let frame = (
        outer.width.saturating_sub(inner.width),
        outer.height.saturating_sub(inner.height),
    );
    let scale = monitor.scale_factor();
    let px = |(w, h): (f64, f64)| ((w * scale).round() as u32, (h * scale).round() as u32);
    let saved = window
        .app_handle()
        .state::<AppState>()
        .app()
        .read(|s| s.window_placement())
        .ok()
        .flatten();
    let now = Placement {
        x: at.x,
        y: at.y,
        width: inner.width,
        height: inner.height,
    };
    let target = placement(saved.or(Some(now)), area, frame, px(WANTED), px(MIN));
    if target == now {
        return;
    }
    // A screen smaller than the minimum size still gets the whole window on it.
    let min = px(MIN);
    if target.width < min.0 || target.height < min.1 {
        let _ = window.set_min_size(Some(PhysicalSize::new(
            target.width.min(min.0),
            target.height.min(min.1),
        )));
    }
    let _ = window.set_size(PhysicalSize::new(target.width, target.height));
    let _ = window.set_position(PhysicalPosition::new(target.x, target.y));
}

/// Keeps the window's size and position for the next start (not when minimised or
/// maximised: neither is a size to open at).
pub fn keep<R: Runtime>(window: &Window<R>) {
    if window.is_minimized().unwrap_or(true) || window.is_maximized().unwrap_or(true) {
        return;
    }
    let (Ok(inner), Ok(at)) = (window.inner_size(), window.outer_position()) else {
        return;
    };
    let p = Placement {
        x: at.x,
        y: at.y,
        width: inner.width,
        height: inner.height,
    };
    let _ = window
        .app_handle()
        .state::<AppState>()
        .app()
        .write(|s| s.set_window_placement(p));
}
