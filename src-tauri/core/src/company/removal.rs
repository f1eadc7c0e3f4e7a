//! Removing a company: its folder (documents, files, history, acts, settings) and every keychain
//! entry of its store — the history key, the operator account's token (and each e-mailed link's),
//! the ORD's token. The entries are named after the store's installation id, read from its file
//! (read-only), so another company's entries are never among them.

use super::registry::Registry;
use super::{folder_of, hold, Companies, Company, FIRST};
use crate::error::{Error, ErrorCode, Result};
use crate::keychain;
use crate::operator::{ord_user, Tokens};
use crate::store::{summary, Summary};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// What removing a company deletes, for the question asked before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemovalPlan {
    pub company: Company,
    /// Its data folder.
    pub folder: String,
    /// Documents in its store.
    pub documents: u64,
    /// Keychain entries of its store (they may or may not hold a secret now).
    pub keychain_entries: usize,
}

/// What was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Removed {
    pub company: Company,
    pub folder: String,
    /// The keychain entries deleted (by name: they carry ids, never a secret).
    pub keychain_entries: Vec<String>,
}

/// Every keychain entry the store in `dir` may have: named after its installation, so only its
/// own. Empty when the store was never made.
pub fn keychain_entries(dir: &Path) -> Result<Vec<String>> {
    Ok(match summary(dir)? {
        Some(s) => entries_of(&s),
        None => Vec::new(),
    })
}

fn entries_of(s: &Summary) -> Vec<String> {
    let Some(installation) = &s.installation else {
        return Vec::new();
    };
    let tokens = Tokens::named(installation, !s.tokens_scoped);
    let mut names = vec![
        keychain::history_entry(installation),
        ord_user(installation),
    ];
    for account in &s.accounts {
        names.extend(tokens.entry_names(account));
    }
    for id in &s.shared {
        names.extend(tokens.entry_names(&format!("shared:{id}")));
    }
    names
}

impl Companies {
    /// What removing the company `key` would delete; refused (as the removal would be) while
    /// it is the open one or the last one.
    pub fn removal_plan(&self, key: &str, open: Option<&str>) -> Result<RemovalPlan> {
        let r = Registry::read(&self.root)?;
        let company = removable(&r, key, open)?;
        let dir = folder_of(&self.root, &company.id);
        let s = summary(&dir)?;
        Ok(RemovalPlan {
            folder: dir.display().to_string(),
            documents: s.as_ref().map(|s| s.documents).unwrap_or(0),
            keychain_entries: s.as_ref().map(entries_of).unwrap_or_default().len(),
            company,
        })
    }

    /// Removes the company `key`: first from the list, then its keychain entries, then its
    /// folder. Refused, with nothing changed, while it is `open` (in this window) or in use
    /// anywhere else (another process holds it: see `hold`), when it is the last or the first
    /// company, and when the keychain does not answer (its entries would stay behind with
    /// nothing left to name them).
    pub fn remove(&self, key: &str, open: Option<&str>) -> Result<Removed> {
        Registry::change(&self.root, |r| {
            let company = removable(r, key, open)?;
            let dir = folder_of(&self.root, &company.id);
            let held = hold::take_for_removal(&dir, &company.name)?;
            let entries = keychain_entries(&dir)?;
            if let Some(first) = entries.first() {
                keychain::entry_exists(first)?;
            }
            r.companies.retain(|c| c.id != company.id);
            if r.default == company.id {
                r.default = r.companies[0].id.clone();
            }
            Ok((company, dir, entries, held))
        })
        .and_then(|(company, dir, entries, held)| {
            // Out of the list now: nothing opens it any more, whatever happens below.
            let mut problems = Vec::new();
            for name in &entries {
                if let Err(e) = keychain::delete_entry(name) {
                    problems.push(e.message);
                }
            }
            // Out of the list, nothing can open it any more: the lock file can go with the folder
            // (Windows does not delete a file that is open).
            drop(held);
            delete_folder(&dir).unwrap_or_else(|e| problems.push(e.message));
            if !problems.is_empty() {
                return Err(Error::new(
                    ErrorCode::Io,
                    format!(
                        "Компания «{}» убрана из списка, но удалено не всё: {}",
                        company.name,
                        problems.join("; ")
                    ),
                ));
            }
            Ok(Removed {
                folder: dir.display().to_string(),
                keychain_entries: entries,
                company,
            })
        })
    }
}

fn removable(r: &Registry, key: &str, open: Option<&str>) -> Result<Company> {
    let company = r.find(key)?.clone();
    if Some(company.id.as_str()) == open {
        return Err(Error::invalid(format!(
            "Компания «{}» сейчас открыта: откройте другую компанию и удалите эту",
            company.name
        )));
    }
    if company.id == FIRST {
        return Err(Error::invalid(format!(
            "Компанию «{}» удалить нельзя: её данные лежат в самой папке данных, вместе со списком компаний. Её можно переименовать",
            company.name
        )));
    }
    if r.companies.len() == 1 {
        return Err(Error::invalid(
            "Это единственная компания: её удалить нельзя",
        ));
    }
    Ok(company)
}

/// The company's folder and everything in it; a link inside is removed, never followed.
fn delete_folder(dir: &PathBuf) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::new(
            ErrorCode::Io,
            format!(
                "папка {} не удалена ({e}): удалите её вручную",
                dir.display()
            ),
        )),
    }
}
