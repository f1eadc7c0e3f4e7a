//! The desktop app and its headless CLI. All logic lives in qoltanba-core; this crate only
//! parses commands, calls the core and prints.

pub mod cli;
