fn main() {
    std::process::exit(qoltanba_app::cli::run(std::env::args_os()));
}
