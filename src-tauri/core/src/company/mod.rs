//! Several companies (sellers) on one computer: an LLP and its owner's sole proprietorship, or
//! the clients of an accounting firm. A company is one store folder: its documents, history,
//! operator and ORD accounts, seller number, trusted CAs and settings live in its store, and its
//! keychain entries are named after that store's installation id, so nothing of one company is
//! seen, signed or sent under another.
//!
//! The store in the data folder itself stays where it is and is the first company (`main`):
//! nothing moves, and its keychain entries keep working. Each company added later lives in
//! `companies/<id>/`, the id made here, never taken from the name. The list is
//! `companies.json` in the data folder (see `registry`); until a company is added there is no
//! file and the list is the first company alone.

mod desk;
mod hold;
mod registry;
mod removal;

pub use desk::Desk;
pub use hold::{hold, Hold, HOLD_FILE};
pub use registry::{MAX_COMPANIES, MAX_NAME_CHARS, MAX_REGISTRY_BYTES, REGISTRY_FILE};
pub use removal::{keychain_entries, RemovalPlan, Removed};

use crate::error::{Error, Result};
use crate::store::search::Waiting;
use registry::Registry;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The id of the company whose store is the data folder itself.
pub const FIRST: &str = "main";
/// Where the companies added later keep their folders, inside the data folder.
pub const FOLDER: &str = "companies";
/// The first company's name while the list has never been written and its store does not
/// know the seller's name yet.
pub const FIRST_NAME: &str = "Основная компания";

/// One company: an id (its folder's name) and the name the user gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Company {
    pub id: String,
    pub name: String,
}

/// A company in the list, with what waits in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompanyLine {
    pub id: String,
    pub name: String,
    /// The one opened when nothing else is asked for (the window opens it; the CLI uses it
    /// without `--company`).
    pub default: bool,
    /// Documents waiting for a decision and for a signature; none when its store could not be
    /// read (`problem` says why).
    pub waiting: Option<Waiting>,
    pub problem: Option<String>,
}

/// The companies kept in the data folder `root`.
#[derive(Debug, Clone)]
pub struct Companies {
    root: PathBuf,
}

impl Companies {
    pub fn at(root: &Path) -> Companies {
        Companies {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every company, in the order they were added.
    pub fn list(&self) -> Result<Vec<Company>> {
        Ok(Registry::read(&self.root)?.companies)
    }

    /// The company opened when none is named.
    pub fn default_company(&self) -> Result<Company> {
        let r = Registry::read(&self.root)?;
        Ok(r.get(&r.default)
            .cloned()
            .unwrap_or_else(|| r.companies[0].clone()))
    }

    /// The company named `key` (its name, in any letter case, or its id); the default one when
    /// no name is given. An unknown name is refused with the names there are.
    pub fn pick(&self, key: Option<&str>) -> Result<Company> {
        match key {
            None => self.default_company(),
            Some(k) => Registry::read(&self.root)?.find(k).cloned(),
        }
    }

    /// The folder of a company's store.
    pub fn dir(&self, company: &Company) -> PathBuf {
        folder_of(&self.root, &company.id)
    }

    /// Adds a company with an empty folder of its own; no other company's data is read or
    /// written (only the list changes).
    pub fn add(&self, name: &str) -> Result<Company> {
        let company = Registry::change(&self.root, |r| r.add(name))?;
        let dir = self.dir(&company);
        crate::store::private_dir(&dir).map_err(|e| {
            Error::new(
                crate::ErrorCode::Io,
                format!("Не удалось создать папку компании {}: {e}", dir.display()),
            )
        })?;
        Ok(company)
    }

    /// Gives a company a new name (the folder stays).
    pub fn rename(&self, key: &str, name: &str) -> Result<Company> {
        Registry::change(&self.root, |r| r.rename(key, name))
    }

    /// Makes a company the default one (the window opens it next time).
    pub fn set_default(&self, key: &str) -> Result<Company> {
        Registry::change(&self.root, |r| {
            let c = r.find(key)?.clone();
            r.default = c.id.clone();
            Ok(c)
        })
    }

    /// Every company with what waits in it, each store read through a read-only connection of
    /// its own (never the writer of the one that is open).
    pub fn overview(&self) -> Result<Vec<CompanyLine>> {
        let r = Registry::read(&self.root)?;
        Ok(r.companies
            .iter()
            .map(|c| {
                let (waiting, problem) = match crate::store::summary(&folder_of(&self.root, &c.id))
                {
                    Ok(s) => (Some(s.map(|s| s.waiting).unwrap_or_default()), None),
                    Err(e) => (None, Some(e.message)),
                };
                CompanyLine {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    default: c.id == r.default,
                    waiting,
                    problem,
                }
            })
            .collect())
    }
}

/// The folder of the company `id` (checked when the list was read: never a path of its own).
fn folder_of(root: &Path, id: &str) -> PathBuf {
    if id == FIRST {
        root.to_path_buf()
    } else {
        root.join(FOLDER).join(id)
    }
}
