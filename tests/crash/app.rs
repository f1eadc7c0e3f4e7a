//! The desktop app killed with SIGKILL while it syncs: the real window (`qoltanba` without a
//! subcommand, under a private Xvfb display) syncs the account by itself when it opens, as a user
//! meets it on a Monday morning; it is killed at seeded random points and started again until the
//! inbox is whole, with the same checks after every restart as the CLI's scenarios.

#[path = "../e2e/xvfb.rs"]
mod xvfb;

use super::kill::plan_from_env;
use super::servers::{ok, operator};
use super::{account, add_account, count, received_only, DOCUMENTS};
use qoltanba_core::model::Status;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// CI's small form: a window takes seconds to start, so fewer kills than the CLI's ten.
const SMALL: usize = 4;
/// Kills per sync before it is let run to its end.
const PER_JOB: usize = 5;

/// The window over `data` on `display`: nothing but the app, as a user starts it.
fn app(display: &str, data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("QOLTANBA_SIGNER_URL")
        // No GPU under Xvfb; WebKit's compositor falls back to software without complaint.
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the app starts")
}

/// Documents in the store, read beside the running app (WAL lets a reader in).
fn stored(data: &Path) -> i64 {
    let db = data.join(qoltanba_core::store::DB_FILE);
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.busy_timeout(Duration::from_secs(5)).ok();
    conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap_or(0)
}

fn kill_9(child: &mut Child) -> bool {
    let _ = child.kill();
    let status = child.wait().unwrap();
    status.signal() == Some(9)
}

/// Lets the app run until every document is stored (or `limit` passes); how long it took.
fn until_whole(child: &mut Child, data: &Path, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the app ended by itself while syncing: {status}");
        }
        if stored(data) >= DOCUMENTS {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn the_app_syncing_by_itself_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let op = operator(&tmp.path().join("operator"), DOCUMENTS as usize, &[]);
    let name = account("app");
    let display = xvfb::Display::start();
    let check = |data: &Path| received_only(data);
    let (target, mut rng) = plan_from_env(SMALL, 5);
    let (mut kills, mut jobs) = (0usize, 0usize);
    // Documents stored at each counted kill; kills in start-up (nothing new stored by this run)
    // or after the last document are drawn again, up to a bound.
    let (mut landed, mut outside) = (Vec::new(), 0usize);
    // Calibration: one whole start-and-sync with no kill draws the window kill points come from.
    let mut window = {
        let data = tmp.path().join("data-calibrate");
        add_account(&data, &op.url, &name);
        let mut child = app(&display.name, &data);
        let took = until_whole(&mut child, &data, Duration::from_secs(300))
            .expect("the app syncs the whole inbox by itself");
        kill_9(&mut child);
        check(&data);
        took
    };
    let mut job = 0;
    while kills < target {
        let data = tmp.path().join(format!("data-{job}"));
        add_account(&data, &op.url, &name);
        let mut before = 0;
        // Kill it a few times per job at random points, then let it finish by itself.
        for _ in 0..PER_JOB {
            if kills >= target {
                break;
            }
            let mut child = app(&display.name, &data);
            std::thread::sleep(rng.below(window));
            if stored(&data) >= DOCUMENTS {
                kill_9(&mut child);
                break;
            }
            assert!(kill_9(&mut child), "the app ended by itself");
            let now = count(&check(&data), Status::Received);
            if now > before && now < DOCUMENTS {
                kills += 1;
                landed.push(now);
            } else {
                outside += 1;
                assert!(
                    outside <= 10 * target + 10,
                    "{outside} kills landed outside the sync (stored {now} of {DOCUMENTS}), \
                     {kills} inside: the kill window does not cover the work"
                );
            }
            before = before.max(now);
        }
        let mut child = app(&display.name, &data);
        let took = until_whole(&mut child, &data, Duration::from_secs(300))
            .expect("after the kills, the app's own sync completes the inbox");
        window = (window + took) / 2;
        kill_9(&mut child);
        let end = check(&data);
        assert_eq!(count(&end, Status::Received), DOCUMENTS);
        // Nothing is missing or doubled: the CLI's reconciliation finds the same inbox.
        ok(&data, &["sync", "--reconcile"], None);
        assert_eq!(count(&check(&data), Status::Received), DOCUMENTS);
        std::fs::remove_dir_all(&data).unwrap();
        jobs += 1;
        job += 1;
    }
    eprintln!(
        "crash/app: {kills} kills of the window over {jobs} syncs of {DOCUMENTS} documents, 0 failures; stored at each kill {landed:?}; {outside} kills outside the sync drawn again"
    );
}
