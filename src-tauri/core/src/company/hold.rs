//! A company in use. Whoever works in a company's store — the window that has it open, a CLI
//! command running on it — holds a shared lock on a file in its folder for as long as it does;
//! removing a company takes that lock exclusively, without waiting, and is refused while anyone
//! holds it, so a company is never deleted from under the window or a running command (another
//! process, which the window's own checks cannot see).

use crate::error::{Error, ErrorCode, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// The lock file in a company's folder.
pub const HOLD_FILE: &str = ".qoltanba-in-use";

/// A shared hold on a company; released when dropped.
#[derive(Debug)]
pub struct Hold {
    _file: Option<File>,
}

fn open(dir: &Path) -> Result<File> {
    crate::store::private_dir(dir).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("Не удалось открыть папку компании {}: {e}", dir.display()),
        )
    })?;
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(HOLD_FILE))
        .map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Не удалось открыть папку компании {}: {e}", dir.display()),
            )
        })
}

/// Holds the company whose store is in `dir` (waits while a removal of it is under way). Where
/// the lock file cannot be made or locked (a read-only folder, a file system without locks) no
/// removal can take it either, so there is nothing to hold: the store then says what is wrong
/// with the folder, in its own words.
pub fn hold(dir: &Path) -> Result<Hold> {
    let file = open(dir)
        .ok()
        .and_then(|f| f.lock_shared().is_ok().then_some(f));
    Ok(Hold { _file: file })
}

/// The exclusive hold of a company nobody works in now; an error saying so when someone does.
pub(super) fn take_for_removal(dir: &Path, name: &str) -> Result<File> {
    let file = open(dir)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(Error::invalid(format!(
            "Компания «{name}» сейчас открыта (в окне Qoltanba или в выполняющейся команде): закройте её там и повторите. Ничего не удалено"
        ))),
        Err(TryLockError::Error(e)) => Err(e.into()),
    }
}
