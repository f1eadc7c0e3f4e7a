fn main() {
    qoltanba_app::startup::mark_process_start();
    qoltanba_app::webview::prepare();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    std::process::exit(qoltanba_app::route::run(args));
}
