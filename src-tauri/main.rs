fn main() {
    qoltanba_app::startup::mark_process_start();
    qoltanba_app::webview::tune_javascript_heap();
    qoltanba_app::webview::paint_on_the_cpu();
    qoltanba_app::webview::interpret_javascript();
    qoltanba_app::webview::give_back_freed_memory();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    std::process::exit(qoltanba_app::route::run(args));
}
