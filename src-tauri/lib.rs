//! The desktop app and its headless CLI. All logic lives in qoltanba-core; this crate only
//! parses commands, calls the core and prints (CLI) or answers the window's IPC (commands/).

pub mod app;
pub mod cli;
pub mod commands;
#[cfg(test)]
mod contract;
pub mod demo;
pub mod desktop_alerts;
pub mod error;
pub mod placement;
pub mod places;
pub mod route;
pub mod startup;
pub mod state;
pub mod switched;
pub mod text_indexer;
pub mod updates;
pub mod webview;
