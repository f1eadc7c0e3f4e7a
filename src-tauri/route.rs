//! Which part a start of the program goes to, decided once from its arguments: the window (no
//! subcommand with a graphical session, or a `qoltanba://` link from the desktop), the demo, or
//! the headless CLI.

use crate::app::WindowStart;
use crate::cli::{Cli, Command};
use clap::Parser;
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Route {
    Window(WindowStart),
    Demo,
    /// The CLI, with what it parsed (or clap's error, printed with its exit code).
    Cli(Box<Result<Cli, clap::Error>>),
}

/// Where these arguments go. Without a graphical session (no DISPLAY nor WAYLAND_DISPLAY on
/// Linux) a start without a subcommand prints the CLI's help instead.
pub fn route(args: &[OsString]) -> Route {
    if let Some(url) = args.get(1).and_then(|a| a.to_str()) {
        if args.len() == 2 && url.starts_with("qoltanba://") {
            return Route::Window(WindowStart {
                data_dir: std::env::var_os("QOLTANBA_DATA_DIR").map(PathBuf::from),
                company: None,
                url: Some(url.to_string()),
            });
        }
    }
    match Cli::try_parse_from(args) {
        Ok(cli) if cli.command.is_none() && crate::places::has_display() => {
            Route::Window(WindowStart {
                data_dir: cli.data_dir,
                company: cli.company,
                url: None,
            })
        }
        Ok(cli) if matches!(cli.command, Some(Command::Demo)) => Route::Demo,
        parsed => Route::Cli(Box::new(parsed)),
    }
}

/// Runs the part these arguments go to; returns the process exit code.
pub fn run(args: Vec<OsString>) -> i32 {
    match route(&args) {
        Route::Window(start) => crate::app::run_window(start),
        Route::Demo => crate::demo::main(),
        Route::Cli(parsed) => crate::cli::run(*parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn subcommands_stay_with_the_cli_and_a_link_opens_the_window() {
        assert!(matches!(
            route(&args(&["qoltanba", "list"])),
            Route::Cli(p) if p.is_ok()
        ));
        assert!(matches!(
            route(&args(&["qoltanba", "--no-such-flag"])),
            Route::Cli(p) if p.is_err()
        ));
        assert!(matches!(route(&args(&["qoltanba", "demo"])), Route::Demo));
        match route(&args(&[
            "qoltanba",
            "qoltanba://open?link=https%3A%2F%2Fx.kz%2Fs%2Fab",
        ])) {
            Route::Window(w) => assert_eq!(
                w.url.as_deref(),
                Some("qoltanba://open?link=https%3A%2F%2Fx.kz%2Fs%2Fab")
            ),
            other => panic!("{other:?}"),
        }
    }
}
