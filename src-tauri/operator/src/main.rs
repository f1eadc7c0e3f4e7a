//! `qoltanba-operator serve ...`: the reference operator server on loopback.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use qoltanba_operator::{seed::demo, Faults, Seed, Settings, DEFAULT_TOKEN};

#[derive(Parser)]
#[command(
    name = "qoltanba-operator",
    version,
    about = "Reference server of Qoltanba's operator API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the operator API until interrupted; prints `listening on http://ADDR` once bound.
    Serve(Serve),
}

#[derive(clap::Args)]
struct Serve {
    /// Address to bind; port 0 lets the OS choose. Loopback only unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// Directory for the server's SQLite file (created if missing).
    #[arg(long)]
    data: PathBuf,
    /// `demo` for the demo month, or a number N for N load-test documents. Ignored if the store
    /// already has documents.
    #[arg(long)]
    seed: Option<String>,
    /// Size in KiB of each main attachment made by `--seed N`.
    #[arg(long, default_value_t = 50)]
    attachment_kb: usize,
    /// Bearer token accepted for the account.
    #[arg(long, default_value = DEFAULT_TOKEN, env = "QOLTANBA_OPERATOR_TOKEN")]
    token: String,
    /// How long receipts (and submitted ORD acts) stay pending, in milliseconds.
    #[arg(long, default_value_t = 200)]
    pending_ms: u64,
    /// Make submitted ORD acts end rejected with this error (FIELD:MESSAGE, repeatable).
    #[arg(long = "register-reject", value_parser = parse_register_error)]
    register_reject: Vec<(String, String)>,
    /// Only an act's first submission is rejected with --register-reject; sent again, accepted.
    #[arg(long)]
    register_reject_once: bool,
    /// The seller is an individual entrepreneur (ИП) with an IIN, signing with a personal key
    /// (qoltanba-signer's `sole_sign` test key).
    #[arg(long)]
    sole_proprietor: bool,
    /// Fraction (0..1) of requests answered 500 or 503 with Retry-After.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Milliseconds added before every response.
    #[arg(long, default_value_t = 0)]
    latency: u64,
    /// Break the connection after this many bytes of any longer response body.
    #[arg(long)]
    drop_after: Option<usize>,
    /// Deliver events twice (the one before the cursor again on each page).
    #[arg(long)]
    duplicate_events: bool,
    /// After N successful writes, answer every write 409 invalid_document_state.
    #[arg(long)]
    stale_after: Option<u64>,
    /// Seed of the fault RNG.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// Allow binding a non-loopback address (the API is plain HTTP: think twice).
    #[arg(long)]
    allow_remote: bool,
}

fn parse_register_error(text: &str) -> Result<(String, String), String> {
    let (field, message) = text.split_once(':').ok_or("expected FIELD:MESSAGE")?;
    Ok((field.trim().to_owned(), message.trim().to_owned()))
}

fn parse_seed(text: &str) -> Result<Seed, String> {
    match text {
        "demo" => Ok(Seed::Demo),
        n => n
            .parse()
            .map(Seed::Load)
            .map_err(|_| format!("--seed takes `demo` or a number, not {n}")),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Command::Serve(args) = Cli::parse().command;
    if !(0.0..=1.0).contains(&args.fail_rate) {
        anyhow::bail!("--fail-rate must be between 0 and 1");
    }
    let mut settings = Settings::new(&args.data);
    settings.addr = args.addr;
    settings.token = args.token;
    settings.seed = args
        .seed
        .as_deref()
        .map(parse_seed)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    settings.load_attachment_bytes = args.attachment_kb * 1024;
    settings.pending = Duration::from_millis(args.pending_ms);
    settings.register_rejections = args.register_reject;
    settings.register_reject_once = args.register_reject_once;
    settings.sole_proprietor = args.sole_proprietor;
    settings.faults = Faults {
        fail_rate: args.fail_rate,
        latency: Duration::from_millis(args.latency),
        drop_after: args.drop_after,
        drop_only: None,
        duplicate_events: args.duplicate_events,
        stale_after: args.stale_after,
        rng_seed: args.fault_seed,
    };
    let demo = settings.seed == Some(Seed::Demo);
    let running = qoltanba_operator::start(settings, args.allow_remote).await?;
    // Tests and scripts wait for exactly this line.
    println!("listening on {}", running.base_url());
    std::io::stdout().flush()?;
    eprintln!("token: {}", running.token);
    if demo {
        eprintln!(
            "shared link: {} code {}",
            demo::SHARED_LINK,
            demo::SHARED_CODE
        );
    }
    tokio::select! {
        served = running.wait() => served?,
        _ = stop_signal() => {}
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM from a script or a service manager.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
