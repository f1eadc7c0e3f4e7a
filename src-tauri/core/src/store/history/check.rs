//! Walking the whole chain, on every core (issue #17).
//!
//! The chain is cut into segments of consecutive `seq` whose boundaries are known before any is
//! checked: a segment starting at `lo` expects its first entry's `prev_mac` to be the stored MAC
//! of entry `lo - 1`, read first. Each thread takes the next unchecked segment on its own
//! read-only connection (SQLite's reading is most of the cost, and one connection reads on one
//! thread only). A segment stops at its own first broken entry, and a segment after a break
//! already found is not started or stops early; the report names the broken entry with the
//! lowest `seq`, which is the one the walk from the first entry would have stopped at: every
//! segment before it held, so its starting MAC is what that walk would have carried in.

use super::{head_mac, keyed, mac_bytes, BrokenEntry, ChainReport, HmacSha256};
use super::{COLUMNS, GENESIS, HEAD_KEY};
use crate::error::{Error, Result};
use crate::keychain::SecretKey;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

/// A chain shorter than this is checked in one segment on the caller's connection: opening
/// connections and threads costs more than it saves there.
const SEGMENT_MIN: i64 = 16_384;
/// Segments per thread: more than one, so a thread that finishes early takes another (the
/// entries' sizes differ) and a break stops the work after it sooner.
const SEGMENTS_PER_THREAD: i64 = 4;
/// Rows between two looks at whether an earlier segment already found a break.
const STOP_CHECK_EVERY: u32 = 1024;

const GAP: &str = "запись удалена из истории (пропуск в нумерации)";
const UNCHAINED: &str = "запись не продолжает цепочку (предыдущая запись изменена или удалена)";
const EDITED: &str = "содержимое записи изменено после её создания";
const CUT: &str = "последние записи истории удалены (не совпадает подпись конца цепочки)";

/// Walks the chain from the first entry and names the first broken one (on every core for a
/// long chain).
pub fn verify(conn: &Connection, key: &SecretKey) -> Result<ChainReport> {
    verify_in_segments(conn, key, None)
}

/// As `verify`, with `segment` entries per segment (None: chosen from the chain's length and the
/// cores). The verdict never depends on it; tests choose small segments to put a break at a
/// boundary or in a late segment.
pub fn verify_in_segments(
    conn: &Connection,
    key: &SecretKey,
    segment: Option<i64>,
) -> Result<ChainReport> {
    verify_with(conn, key, segment, None)
}

/// As `verify`, on the caller's connection and thread alone: for the window, which checks after
/// each document's file is shown, in the background. A walk on every core there competed with
/// the page's drawing, and each walk's threads left their allocator arenas holding what they
/// had read (20 checks: the app's process ~29 MB larger for good).
pub fn verify_on_one_thread(conn: &Connection, key: &SecretKey) -> Result<ChainReport> {
    verify_with(conn, key, None, Some(1))
}

fn verify_with(
    conn: &Connection,
    key: &SecretKey,
    segment: Option<i64>,
    threads: Option<usize>,
) -> Result<ChainReport> {
    // The last entry and the signed head read in one snapshot, so that an append between the two
    // reads cannot pass for a cut-off tail. Entries up to `last` never change afterwards (the
    // table takes appends only), so the segments' own connections see the same ones.
    let snapshot = conn
        .is_autocommit()
        .then(|| conn.unchecked_transaction())
        .transpose()?;
    let (last, last_mac): (i64, String) = conn
        .query_row(
            "SELECT seq, mac FROM history ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    // An entry numbered below 1 was put there by hand: the walk from the first entry stops at
    // it, before entry 1, as it always did.
    let below_one: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM history WHERE seq < 1)",
        [],
        |r| r.get(0),
    )?;
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [HEAD_KEY],
            |r| r.get(0),
        )
        .optional()?;
    drop(snapshot);

    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(8) as i64;
    let len = segment
        .unwrap_or_else(|| (last / (threads * SEGMENTS_PER_THREAD) + 1).max(SEGMENT_MIN))
        .max(1);
    // Other connections see only committed entries: inside a transaction (the store's opening
    // checks a planted key file in one) or on a database without a file, one thread walks it.
    let path = conn
        .path()
        .filter(|p| !p.is_empty() && conn.is_autocommit());
    let keyed = keyed(key);
    let stop = AtomicI64::new(i64::MAX);
    let broken = match path {
        _ if below_one => Some(BrokenEntry {
            seq: 1,
            subject: None,
            problem: GAP.to_string(),
        }),
        Some(path) if last > len && threads > 1 => {
            in_parallel(path, &keyed, last, len, threads as usize, &stop)?
        }
        _ => check_range(conn, &keyed, 1, last, &stop)?,
    };
    if let Some(b) = broken {
        return Ok(ChainReport {
            // Every entry before the first broken one held, and they are numbered from 1.
            entries: (b.seq - 1) as u64,
            intact: false,
            first_broken: Some(b),
        });
    }
    let head_ok = match head {
        None => last == 0,
        Some(h) => h == format!("{last}:{}", head_mac(key, last, &last_mac)),
    };
    if !head_ok {
        return Ok(ChainReport {
            entries: last as u64,
            intact: false,
            first_broken: Some(BrokenEntry {
                seq: last + 1,
                subject: None,
                problem: CUT.to_string(),
            }),
        });
    }
    Ok(ChainReport {
        entries: last as u64,
        intact: true,
        first_broken: None,
    })
}

/// Checks the segments of `1..=last` on `threads` threads, each with its own connection to `path`;
/// the broken entry with the lowest `seq`, if any.
fn in_parallel(
    path: &str,
    keyed: &HmacSha256,
    last: i64,
    len: i64,
    threads: usize,
    stop: &AtomicI64,
) -> Result<Option<BrokenEntry>> {
    let segments = ((last + len - 1) / len) as usize;
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Vec<BrokenEntry>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(segments))
            .map(|_| {
                let next = &next;
                scope.spawn(move || -> Result<Vec<BrokenEntry>> {
                    let conn = Connection::open_with_flags(
                        path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    conn.busy_timeout(std::time::Duration::from_secs(5))?;
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= segments {
                            return Ok(found);
                        }
                        let lo = 1 + i as i64 * len;
                        if stop.load(Ordering::Relaxed) < lo {
                            // A break before this segment is already known; the segments are
                            // handed out in order, so every later one is past it too.
                            return Ok(found);
                        }
                        let hi = (lo + len - 1).min(last);
                        found.extend(check_range(&conn, keyed, lo, hi, stop)?);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(Error::storage("проверка истории прервалась")))
            })
            .collect()
    });
    let mut first: Option<BrokenEntry> = None;
    for r in results {
        for b in r? {
            if first.as_ref().is_none_or(|f| b.seq < f.seq) {
                first = Some(b);
            }
        }
    }
    Ok(first)
}

/// Checks entries `lo..=hi` (one segment), starting from the stored MAC of entry `lo - 1`; the
/// segment's first broken entry. Gives up without a verdict once `stop` names an entry before
/// `lo` (a break found earlier in the chain makes this segment's irrelevant).
fn check_range(
    conn: &Connection,
    keyed: &HmacSha256,
    lo: i64,
    hi: i64,
    stop: &AtomicI64,
) -> Result<Option<BrokenEntry>> {
    let found = walk(conn, keyed, lo, hi, stop)?;
    if let Some(b) = &found {
        stop.fetch_min(b.seq, Ordering::Relaxed);
    }
    Ok(found)
}

fn walk(
    conn: &Connection,
    keyed: &HmacSha256,
    lo: i64,
    hi: i64,
    stop: &AtomicI64,
) -> Result<Option<BrokenEntry>> {
    if hi < lo {
        return Ok(None);
    }
    // The MAC the walk from the first entry would carry into this segment. When entry lo - 1 is
    // missing, the segment before reports that gap (at lo - 1 or earlier), which comes first.
    let mut prev: Vec<u8> = if lo == 1 {
        GENESIS.as_bytes().to_vec()
    } else {
        conn.prepare_cached("SELECT mac FROM history WHERE seq = ?1")?
            .query_row([lo - 1], |r| Ok(r.get_ref(0)?.as_bytes()?.to_vec()))
            .optional()?
            .unwrap_or_default()
    };
    let broken = |seq: i64, subject: Option<&str>, problem: &str| {
        Ok(Some(BrokenEntry {
            seq,
            subject: subject.map(str::to_string),
            problem: problem.to_string(),
        }))
    };
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM history WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq"
    ))?;
    let mut rows = st.query([lo, hi])?;
    let mut expected = lo;
    let mut since_look = 0u32;
    let mut want = [0u8; 64];
    while let Some(r) = rows.next()? {
        since_look += 1;
        if since_look == STOP_CHECK_EVERY {
            since_look = 0;
            if stop.load(Ordering::Relaxed) < lo {
                return Ok(None);
            }
        }
        let seq: i64 = r.get(0)?;
        // Borrowed column text: no allocation per field over a million entries.
        let text =
            |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let subject = text(1)?.unwrap_or("");
        if seq != expected {
            return broken(expected, None, GAP);
        }
        let prev_mac = text(9)?.unwrap_or("");
        let mac = text(10)?.unwrap_or("");
        if prev_mac.as_bytes() != prev.as_slice() {
            return broken(seq, Some(subject), UNCHAINED);
        }
        let bytes = mac_bytes(
            keyed,
            seq,
            subject,
            text(2)?.unwrap_or(""),
            text(3)?.unwrap_or(""),
            text(4)?.unwrap_or(""),
            text(5)?,
            text(6)?,
            text(7)?,
            text(8)?.unwrap_or(""),
            prev_mac,
        );
        hex::encode_to_slice(bytes, &mut want).expect("64 hex digits for 32 bytes");
        if want.as_slice() != mac.as_bytes() {
            return broken(seq, Some(subject), EDITED);
        }
        prev.clear();
        prev.extend_from_slice(mac.as_bytes());
        expected += 1;
    }
    if expected != hi + 1 {
        // Entries missing at the segment's end (the chain's own last entry exists: it is `hi`
        // of the last segment).
        return broken(expected, None, GAP);
    }
    Ok(None)
}
