fn main() {
    qoltanba_app::startup::mark_process_start();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // No subcommand (or a qoltanba:// link from the desktop) opens the window; every
    // subcommand is the headless CLI, exactly as before.
    let code = match qoltanba_app::app::window_wanted(&args) {
        Some(start) => qoltanba_app::app::run_window(start),
        None => qoltanba_app::cli::run(args),
    };
    std::process::exit(code);
}
