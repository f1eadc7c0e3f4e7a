//! The killing itself: a seeded random delay, then SIGKILL (what a power cut or `kill -9` does to
//! the process; no destructor, no flush, no signal handler runs).

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

/// A small seeded generator (xorshift64*): the same seed gives the same kill points, so a failure
/// can be replayed with QOLTANBA_CRASH_SEED.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, d).
    pub fn below(&mut self, d: Duration) -> Duration {
        let micros = d.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

/// The kill count (QOLTANBA_CRASH_KILLS, default `small`) and the seeded generator
/// (QOLTANBA_CRASH_SEED plus a per-scenario salt) of a scenario.
pub fn plan_from_env(small: usize, salt: u64) -> (usize, Rng) {
    let target = std::env::var("QOLTANBA_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(small);
    let seed = std::env::var("QOLTANBA_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261123u64);
    eprintln!("crash: {target} kills, seed {seed} (QOLTANBA_CRASH_KILLS, QOLTANBA_CRASH_SEED)");
    (
        target,
        Rng::new(seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
    )
}

/// How many kills a scenario must reach, and how many it did.
pub struct Kills {
    pub target: usize,
    /// Kills that landed inside the work: after this run's first write, before the job's last.
    pub done: usize,
    /// The progress (units of work stored: files, documents, signatures, decisions) at each of
    /// those kills, for the summary line.
    pub landed: Vec<usize>,
    /// Kills before this run stored anything (start-up) or after all was stored: not counted.
    pub outside: usize,
    /// Units of work in one job.
    total: usize,
    /// Jobs (an import, a sync, a batch, an outbox) carried to their end through the kills.
    pub jobs: usize,
    rng: Rng,
    /// Kill points are drawn from [0, window): about how long an uninterrupted run takes.
    window: Duration,
}

impl Kills {
    /// QOLTANBA_CRASH_KILLS (default `small`) kills inside jobs of `total` units of work, seeded
    /// by QOLTANBA_CRASH_SEED plus a per-scenario salt so that scenarios do not share kill points.
    pub fn from_env(small: usize, salt: u64, total: usize) -> Kills {
        let (target, rng) = plan_from_env(small, salt);
        Kills {
            target,
            done: 0,
            landed: Vec::new(),
            outside: 0,
            total,
            jobs: 0,
            rng,
            window: Duration::ZERO,
        }
    }

    /// Where the counted kills landed, for the scenario's summary line.
    pub fn summary(&self) -> String {
        format!(
            "stored at each kill {:?} of {}; {} kills outside the work drawn again",
            self.landed, self.total, self.outside
        )
    }

    pub fn remaining(&self) -> bool {
        self.done < self.target
    }

    /// Runs one job with no kill and remembers how long it took: kill points are drawn over it.
    pub fn calibrate(&mut self, mut cmd: Command) -> ExitStatus {
        let start = Instant::now();
        let status = cmd.status().expect("the command starts");
        self.window = self.window.max(start.elapsed());
        status
    }

    /// Starts `cmd()` again and again, killing it at a random point each time while kills remain,
    /// and calls `after_kill` after each kill (the restart checks), which says how many units of
    /// the job's work are stored. Kill points are uniform over a whole run, start-up included, so
    /// only a kill after this run stored something and before the job stored everything counts;
    /// the others are drawn again. Returns the status of the run that ended by itself: the job is
    /// then complete. A job starts with nothing stored.
    pub fn run_job(
        &mut self,
        mut cmd: impl FnMut() -> Command,
        mut after_kill: impl FnMut() -> usize,
    ) -> ExitStatus {
        assert!(!self.window.is_zero(), "calibrate first");
        let mut whole = true;
        let mut stored = 0;
        loop {
            let start = Instant::now();
            let mut child = cmd().spawn().expect("the command starts");
            let deadline = self.remaining().then(|| self.rng.below(self.window));
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    // A whole job run without a kill resets the window (averaged: the machine is
                    // shared, so durations vary); a resumed run only did the rest of the work.
                    if whole {
                        self.window = (self.window + start.elapsed()) / 2;
                    }
                    self.jobs += 1;
                    return status;
                }
                match deadline {
                    Some(d) if start.elapsed() >= d => {
                        child.kill().unwrap();
                        let status = child.wait().unwrap();
                        if status.signal() != Some(9) {
                            // It ended by itself just before the kill.
                            self.jobs += 1;
                            return status;
                        }
                        whole = false;
                        let now = after_kill();
                        if now > stored && now < self.total {
                            self.done += 1;
                            self.landed.push(now);
                        } else {
                            self.outside += 1;
                            // Signing keeps a batch only once all of it is signed and checked
                            // (the checks overlap the signing now), so its storing is a small
                            // part of a run: up to 30 draws per kill may miss it.
                            assert!(
                                self.outside <= 30 * self.target + 10,
                                "{} kills landed outside the work (progress {now} of {}) and {} \
                                 inside: the kill window does not cover the work",
                                self.outside,
                                self.total,
                                self.done
                            );
                        }
                        stored = stored.max(now);
                        break;
                    }
                    _ => std::thread::sleep(Duration::from_micros(500)),
                }
            }
        }
    }
}
