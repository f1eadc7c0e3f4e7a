//! `qoltanba demo`: the whole program on one machine without NCALayer or an operator account.
//! It starts qoltanba-signer with freshly generated test keys (in place of NCALayer) and
//! qoltanba-operator with its demo month, points a temporary profile at both, opens the window,
//! and stops both servers and removes the profile when the window closes.

use crate::app::{run_window, WindowStart};
use qoltanba_core::operator::{self as op, HttpSettings, Token};
use qoltanba_core::store::{SettingKey, Settings as _};
use qoltanba_core::{Error, ErrorCode, OpenOptions, Result, Store};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The operator's demo token (qoltanba-operator --seed demo) and the test keys' password
/// (qoltanba-signer testkeys): both are public test values, not secrets.
const DEMO_TOKEN: &str = "demo-token";
const DEMO_ACCOUNT: &str = "demo";
/// `qoltanba-signer testkeys`' default password for the keys it generates.
const DEMO_KEY_PASSWORD: &str = "Qwerty12";

/// A server the demo started; stopped (and reaped) when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    pub pin: Option<String>,
}

impl Server {
    /// Stops the server now (tests use it to take NCALayer away mid-session).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Both servers and the profile that points at them.
pub struct Demo {
    pub profile: tempfile::TempDir,
    pub signer: Server,
    pub operator: Server,
}

impl Demo {
    pub fn data_dir(&self) -> PathBuf {
        self.profile.path().join("data")
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        // The demo's tokens went to the keychain like real ones (the ORD's too), with the history
        // keys of its companies (the demo's own and any added in it): take them all back out.
        let companies = qoltanba_core::company::Companies::at(&self.data_dir());
        for c in companies.list().unwrap_or_default() {
            let dir = companies.dir(&c);
            for entry in qoltanba_core::company::keychain_entries(&dir).unwrap_or_default() {
                let _ = qoltanba_core::keychain::delete_entry(&entry);
            }
        }
    }
}

/// A sibling program of this executable (target/…/qoltanba-signer beside target/…/qoltanba),
/// or the one an environment variable names.
fn sibling(name: &str, env: &str) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()?;
    let p = exe.with_file_name(name);
    if p.exists() {
        Ok(p)
    } else {
        Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "Для демо нужна программа {name} рядом с {}: соберите её (./dev.sh run собирает всё) или укажите путь в {env}",
                exe.display()
            ),
        ))
    }
}

/// Starts a server that prints "listening on URL" (and, with TLS, "certificate sha256 PIN").
fn start(mut cmd: Command, what: &str) -> Result<Server> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    tie_to_parent(&mut cmd);
    let child = cmd
        .spawn()
        .map_err(|e| Error::new(ErrorCode::Io, format!("Не удалось запустить {what}: {e}")))?;
    let mut server = Server {
        child,
        url: String::new(),
        pin: None,
    };
    let stdout = server.child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if let Some(pin) = line.strip_prefix("certificate sha256 ") {
            server.pin = Some(pin.trim().to_string());
        }
        if let Some(url) = line.strip_prefix("listening on ") {
            server.url = url.trim().to_string();
            return Ok(server);
        }
    }
    Err(Error::new(
        ErrorCode::Io,
        format!("{what} завершился, не начав работу"),
    ))
}

/// On Linux the servers die with this process even if it is killed outright, so a demo never
/// leaves them running in the background. The kernel ties the child to the spawning *thread*,
/// so this is done only from the main thread (`qoltanba demo`); a caller on a worker thread (the
/// end-to-end tests) owns the servers through `Server`'s Drop instead.
fn tie_to_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: getpid/gettid only read the caller's ids.
        let main_thread = unsafe { libc::gettid() == libc::getpid() };
        if main_thread {
            // SAFETY: prctl is async-signal-safe and touches only the child's own settings.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                    Ok(())
                });
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

fn run_quietly(mut cmd: Command, what: &str) -> Result<()> {
    let ok = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::Io, format!("{what}: не удалось")))
    }
}

/// Starts both servers and prepares the profile (account, signing service and its pin).
pub fn prepare() -> Result<Demo> {
    prepare_with(&[])
}

/// [`prepare`], with these arguments added to qoltanba-operator's (a test's switch, such as
/// `--register-reject-once`).
pub fn prepare_with(operator_args: &[&str]) -> Result<Demo> {
    let signer_bin = sibling("qoltanba-signer", "QOLTANBA_DEMO_SIGNER")?;
    let operator_bin = sibling("qoltanba-operator", "QOLTANBA_DEMO_OPERATOR")?;
    let profile = tempfile::Builder::new()
        .prefix("qoltanba-demo-")
        .tempdir()?;
    let keys = profile.path().join("keys");

    let mut gen = Command::new(&signer_bin);
    gen.args(["testkeys", "--out"]).arg(&keys);
    run_quietly(gen, "Создание тестовых ключей")?;

    let mut signer = Command::new(&signer_bin);
    signer
        .args(["serve", "--addr", "127.0.0.1:0", "--confirm", "auto"])
        .arg("--password-env")
        .arg("QOLTANBA_DEMO_KEY_PASSWORD")
        .env("QOLTANBA_DEMO_KEY_PASSWORD", DEMO_KEY_PASSWORD)
        .arg("--state-dir")
        .arg(keys.join("state"))
        .arg("--keystore")
        .arg(keys.join("employee_sign.p12"));
    let signer = start(signer, "qoltanba-signer")?;

    let mut operator = Command::new(&operator_bin);
    operator
        .args(["serve", "--addr", "127.0.0.1:0", "--seed", "demo", "--data"])
        .arg(profile.path().join("operator"))
        .args(operator_args);
    let operator = start(operator, "qoltanba-operator")?;

    let demo = Demo {
        profile,
        signer,
        operator,
    };
    configure(&demo.data_dir(), &demo.signer, &demo.operator)?;
    // The demo's own test CAs are trusted, as a user adds NCA's root certificates, so its
    // signatures get whole verdicts (chain included) instead of "chain not checked".
    let operator_keys = demo.profile.path().join("operator").join("testkeys");
    trust_test_cas(&demo.data_dir(), &[&keys, &operator_keys])?;
    Ok(demo)
}

/// Adds the RSA and GOST test CA certificates of each test key folder to the trust store.
fn trust_test_cas(data: &Path, key_dirs: &[&Path]) -> Result<()> {
    let mut store = Store::open(data, OpenOptions::default())?;
    for dir in key_dirs {
        for name in ["ca.pem", "gost_ca.pem"] {
            let path = dir.join(name);
            if path.exists() {
                store.trust_add(&std::fs::read(&path)?)?;
            }
        }
    }
    Ok(())
}

/// Points a data folder at the demo servers exactly as a user would in Settings: the operator
/// account (token checked with /me, kept in the keychain), the ORD's own account and its
/// catalogue, the signing service URL and its pin.
pub fn configure(data: &Path, signer: &Server, operator: &Server) -> Result<()> {
    let mut store = Store::open(data, OpenOptions::default())?;
    let url = format!("{}/", signer.url.trim_end_matches('/'));
    // The demo signs with test keys: its profile says so (see `Settings::test_profile`).
    store.set_setting(SettingKey::Profile, "demo")?;
    store.set_setting(SettingKey::SignerUrl, &url)?;
    if let Some(pin) = &signer.pin {
        store.set_setting(SettingKey::SignerPin, pin)?;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(op::add_account(
        &mut store,
        DEMO_ACCOUNT,
        &operator.url,
        Token::new(DEMO_TOKEN)?,
        HttpSettings::default(),
    ))?;
    // The ORD is an account of its own; the reference server serves its API too. Its catalogue
    // (contracts, statistics) is loaded so the acts' searches have something to find.
    let base = rt.block_on(qoltanba_core::acts::check_ord_account(
        &operator.url,
        &Token::new(DEMO_TOKEN)?,
    ))?;
    qoltanba_core::acts::save_ord_account(&mut store, &base, &Token::new(DEMO_TOKEN)?)?;
    let ord = qoltanba_core::acts::ord_client(&store)?;
    rt.block_on(qoltanba_core::acts::catalog::sync_catalog(
        &mut store,
        &ord,
        qoltanba_core::acts::Budget::default(),
    ))?;
    Ok(())
}

/// `qoltanba demo` as the process's whole run: its exit code (a failure said on stderr).
pub fn main() -> i32 {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Ошибка: {}", e.message);
            1
        }
    }
}

/// `qoltanba demo`: prepare, open the window on the demo profile, clean up when it closes.
pub fn run() -> Result<i32> {
    if !crate::places::has_display() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "Для демо нужен графический сеанс (DISPLAY или WAYLAND_DISPLAY)",
        ));
    }
    let demo = prepare()?;
    eprintln!(
        "Демо: оператор {} (документы за октябрь 2026), подписание через {} (тестовые ключи). Закройте окно, чтобы остановить.",
        demo.operator.url, demo.signer.url
    );
    let code = run_window(WindowStart {
        company: None,
        data_dir: Some(demo.data_dir()),
        url: None,
    });
    drop(demo);
    Ok(code)
}
