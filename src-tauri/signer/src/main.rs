//! `qoltanba-signer serve ...` runs the NCALayer-compatible signing service;
//! `qoltanba-signer testkeys ...` writes test keys in NCA's profile.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::fault::Fault;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::Server;
use qoltanba_signer::testkeys;
use qoltanba_signer::tls::TlsIdentity;

#[derive(Parser)]
#[command(
    name = "qoltanba-signer",
    version,
    about = "Local signing service speaking NCALayer's protocol"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve NCALayer's WebSocket protocol on a loopback address.
    Serve {
        #[arg(long, default_value = "127.0.0.1:13579")]
        addr: SocketAddr,
        /// A PKCS#12 file; repeat for several. The first matching key signs.
        #[arg(long = "keystore", required = true)]
        keystores: Vec<PathBuf>,
        /// Name of the environment variable that holds the keystores' password.
        #[arg(long, default_value = "QOLTANBA_SIGNER_PASSWORD")]
        password_env: String,
        /// Serve plain ws:// instead of wss:// (tests).
        #[arg(long)]
        plain: bool,
        /// Who approves each signing request: tty (ask here), auto (yes; only when every key is a
        /// test key made by `testkeys`), cancel (always no), hold (never answer: a dialog left
        /// open, for tests).
        #[arg(long, default_value = "tty")]
        confirm: Confirm,
        /// Also let in web pages of this origin (as the browser sends it, e.g.
        /// https://edo.example.kz; "null" for sandboxed or file pages); repeat for several. The
        /// Qoltanba window and programs (no Origin) are always let in, other pages never.
        #[arg(long = "allow-origin")]
        allow_origins: Vec<String>,
        /// The largest request taken, in MiB (a batch as Qoltanba sends it fits the default).
        #[arg(long, default_value_t = qoltanba_signer::server::MAX_MESSAGE_BYTES >> 20)]
        max_message_mib: usize,
        /// Where the TLS certificate and key are kept, so the pin survives restarts.
        #[arg(long)]
        state_dir: Option<PathBuf>,
        /// Test only: close-mid-request, never-reply, non-json, wrong-greeting, no-greeting.
        #[arg(long)]
        fault: Option<Fault>,
    },
    /// Write a test CA, PKCS#12 test keys in NCA's profile and testkeys.json.
    Testkeys {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = testkeys::DEFAULT_PASSWORD)]
        password: String,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Serve {
            addr,
            keystores,
            password_env,
            plain,
            confirm,
            allow_origins,
            max_message_mib,
            state_dir,
            fault,
        } => {
            let password = std::env::var(&password_env)
                .with_context(|| format!("set the keystore password in ${password_env}"))?;
            let keys = keystores
                .iter()
                .map(|p| {
                    Keystore::open(p, &password).with_context(|| format!("open {}", p.display()))
                })
                .collect::<Result<Vec<_>>>()?;
            let mut server = Server::new(keys)
                .addr(addr)
                .confirm(confirm)
                .max_message_bytes(max_message_mib.saturating_mul(1 << 20));
            for origin in allow_origins {
                server = server.allow_origin(origin);
            }
            if let Some(fault) = fault {
                eprintln!("test fault injection on: {fault:?}");
                server = server.fault(fault);
            }
            if !plain {
                let dir = match state_dir {
                    Some(d) => d,
                    None => directories::ProjectDirs::from("kz", "Qoltanba", "qoltanba-signer")
                        .context("no home directory; pass --state-dir")?
                        .data_local_dir()
                        .to_path_buf(),
                };
                let identity = TlsIdentity::load_or_create(&dir)?;
                println!("certificate sha256 {}", identity.sha256_hex());
                println!(
                    "certificate file {}",
                    dir.join(qoltanba_signer::tls::CERT_FILE).display()
                );
                server = server.tls(identity);
            }
            let running = server.spawn().await?;
            let scheme = if plain { "ws" } else { "wss" };
            println!("listening on {scheme}://{}", running.addr());
            tokio::signal::ctrl_c().await?;
            running.shutdown().await;
            Ok(())
        }
        Command::Testkeys { out, password } => {
            let manifest = testkeys::generate(&out, &password)?;
            for key in manifest.keys.iter().chain(&manifest.gost_keys) {
                println!("{:<18} {}", key.role, key.path.display());
            }
            println!("ca                 {}", manifest.ca.display());
            if let Some(gost_ca) = &manifest.gost_ca {
                println!("gost_ca            {}", gost_ca.display());
            }
            Ok(())
        }
    }
}
