//! Memory of the app as the window benchmark (benches/app.rs) measures it.
// Also built alone as a bench target of its own (cargo finds every benches/*.rs), where
// nothing uses it.
#![allow(dead_code)]

/// Proportional set size (kB) of a process and all its descendants (WebKit's web and network
/// processes), from /proc/PID/smaps_rollup: pages shared between them (WebKit's libraries, the
/// shared memory of the compositor) counted once in all, not once per process as summed RSS
/// counts them. Each process's own share by name, in MB.
pub fn tree_pss_kb(root: u32) -> (u64, Vec<(String, u64)>) {
    tree_sum_kb(root, "Pss:")
}

/// The anonymous part of the same (heaps, JavaScript, pixels): what the processes hold
/// themselves. Unlike the PSS of the libraries it does not fall when other WebKit processes on
/// the machine share those libraries, so runs on a busy machine compare on it.
pub fn tree_anon_kb(root: u32) -> u64 {
    tree_sum_kb(root, "Pss_Anon:").0
}

fn tree_sum_kb(root: u32, field: &str) -> (u64, Vec<(String, u64)>) {
    let mut total = 0;
    let mut each = Vec::new();
    let mut stack = vec![root];
    let procs: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let after = &stat[stat.rfind(')')? + 2..];
            let ppid = after.split(' ').nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    while let Some(pid) = stack.pop() {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"));
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"));
        if let (Ok(rollup), Ok(status)) = (rollup, status) {
            let kb = rollup
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
            let name = status
                .lines()
                .find_map(|l| l.strip_prefix("Name:"))
                .unwrap_or("?")
                .trim()
                .to_string();
            total += kb;
            each.push((name, kb / 1024));
        }
        stack.extend(procs.iter().filter(|(_, pp)| *pp == pid).map(|(p, _)| *p));
    }
    (total, each)
}
