//! Where things are on this computer: the default data folder, and whether a graphical session
//! is there to open a window in. Asked by the window, the CLI and the demo alike.

use std::path::PathBuf;

/// The OS's per-user data folder for Qoltanba.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("kz", "Qoltanba", "qoltanba")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".qoltanba"))
}

pub fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
