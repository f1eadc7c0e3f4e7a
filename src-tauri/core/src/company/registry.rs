//! `companies.json`: the list of companies and the default one. It is read as input from
//! outside (someone may have edited or cut it): a size budget, a count budget, ids that can
//! only name a folder under `companies/`, names checked like typed ones. It is written whole or
//! not at all (a temporary file beside it, synced, then renamed over it), and every change is a
//! read-modify-write under a lock file, so the window and a CLI command adding companies at the
//! same moment both keep theirs.

use super::{Company, FIRST, FIRST_NAME};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;

pub const REGISTRY_FILE: &str = "companies.json";
const LOCK_FILE: &str = "companies.lock";
/// The largest list read (a hundred companies take a few KiB).
pub const MAX_REGISTRY_BYTES: u64 = 64 * 1024;
pub const MAX_COMPANIES: usize = 100;
pub const MAX_NAME_CHARS: usize = 80;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Registry {
    #[serde(default = "version")]
    version: u32,
    pub default: String,
    pub companies: Vec<Company>,
}

fn version() -> u32 {
    1
}

fn broken(why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::Storage,
        format!(
            "Список компаний {REGISTRY_FILE} в папке данных повреждён ({why}): он не изменён, и ни одна компания не открыта. Исправьте или удалите файл (данные компаний в их папках не затронуты)"
        ),
    )
}

impl Registry {
    /// The list in `root`, or the first company alone when there is none yet.
    pub fn read(root: &Path) -> Result<Registry> {
        let path = root.join(REGISTRY_FILE);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(first_only(root)),
            Err(e) => return Err(e.into()),
        };
        let mut bytes = Vec::new();
        file.take(MAX_REGISTRY_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_REGISTRY_BYTES {
            return Err(broken(format!("больше {} КБ", MAX_REGISTRY_BYTES / 1024)));
        }
        let r: Registry = serde_json::from_slice(&bytes).map_err(broken)?;
        r.check()?;
        Ok(r)
    }

    /// Everything a list from outside must be before it is used.
    fn check(&self) -> Result<()> {
        if self.version != 1 {
            return Err(broken(format!("версия {} неизвестна", self.version)));
        }
        if self.companies.is_empty() || self.companies.len() > MAX_COMPANIES {
            return Err(broken(format!(
                "компаний {}, а должно быть от 1 до {MAX_COMPANIES}",
                self.companies.len()
            )));
        }
        for (i, c) in self.companies.iter().enumerate() {
            if !valid_id(&c.id) {
                return Err(broken("неверный код компании"));
            }
            let name = checked_name(&c.name).map_err(|e| broken(e.message))?;
            if name != c.name {
                return Err(broken("имя компании с пробелами по краям"));
            }
            for other in &self.companies[..i] {
                if other.id == c.id || same_name(&other.name, &c.name) {
                    return Err(broken(format!("компания «{}» указана дважды", c.name)));
                }
            }
        }
        if self.get(&self.default).is_none() {
            return Err(broken("компания по умолчанию не из списка"));
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }

    /// By name (any letter case) first, then by id.
    pub fn find(&self, key: &str) -> Result<&Company> {
        let key = key.trim();
        self.companies
            .iter()
            .find(|c| same_name(&c.name, key))
            .or_else(|| self.get(key))
            .ok_or_else(|| {
                let names: Vec<String> = self
                    .companies
                    .iter()
                    .map(|c| format!("«{}»", c.name))
                    .collect();
                let shown: String = key.chars().take(MAX_NAME_CHARS).collect();
                Error::invalid(format!(
                    "Компании «{shown}» нет. Есть: {}",
                    names.join(", ")
                ))
            })
    }

    pub fn add(&mut self, name: &str) -> Result<Company> {
        let name = checked_name(name)?;
        if self.companies.len() >= MAX_COMPANIES {
            return Err(Error::invalid(format!(
                "Компаний уже {MAX_COMPANIES}: больше добавить нельзя. Удалите ненужную"
            )));
        }
        self.refuse_taken(&name, None)?;
        let company = Company {
            id: fresh_id(),
            name,
        };
        self.companies.push(company.clone());
        Ok(company)
    }

    pub fn rename(&mut self, key: &str, name: &str) -> Result<Company> {
        let name = checked_name(name)?;
        let id = self.find(key)?.id.clone();
        self.refuse_taken(&name, Some(&id))?;
        let c = self
            .companies
            .iter_mut()
            .find(|c| c.id == id)
            .expect("found above");
        c.name = name;
        Ok(c.clone())
    }

    fn refuse_taken(&self, name: &str, except: Option<&str>) -> Result<()> {
        match self
            .companies
            .iter()
            .find(|c| same_name(&c.name, name) && Some(c.id.as_str()) != except)
        {
            Some(c) => Err(Error::invalid(format!(
                "Компания «{}» уже есть: выберите другое имя",
                c.name
            ))),
            None => Ok(()),
        }
    }

    /// Runs `change` on the list under the lock and writes the list when it succeeds; when it
    /// fails nothing is written.
    pub fn change<T>(root: &Path, change: impl FnOnce(&mut Registry) -> Result<T>) -> Result<T> {
        crate::store::private_dir(root).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Не удалось создать папку данных {}: {e}", root.display()),
            )
        })?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(LOCK_FILE))?;
        lock.lock()?;
        let mut r = Registry::read(root)?;
        let out = change(&mut r)?;
        r.check()?;
        r.write(root)?;
        drop(lock);
        Ok(out)
    }

    fn write(&self, root: &Path) -> Result<()> {
        let path = root.join(REGISTRY_FILE);
        let tmp = root.join(format!("{REGISTRY_FILE}.{}.tmp", std::process::id()));
        let bytes = serde_json::to_vec_pretty(self).expect("the list serialises");
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        if let Ok(dir) = std::fs::File::open(root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// The list before any company was added: the store in the data folder, named after its seller
/// when the operator has told it.
fn first_only(root: &Path) -> Registry {
    let name = crate::store::summary(root)
        .ok()
        .flatten()
        .and_then(|s| s.seller_name)
        .and_then(|n| checked_name(&n).ok())
        .unwrap_or_else(|| FIRST_NAME.to_string());
    Registry {
        version: 1,
        default: FIRST.into(),
        companies: vec![Company {
            id: FIRST.into(),
            name,
        }],
    }
}

/// A name as typed: trimmed, 1 to 80 characters, no control characters.
pub(super) fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "Имя компании: от 1 до {MAX_NAME_CHARS} символов без управляющих"
        )));
    }
    Ok(name.to_string())
}

/// Names are one company's when they differ only in letter case (also Cyrillic).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// `main`, or twelve lowercase hex digits: an id can only name a folder under `companies/`.
fn valid_id(id: &str) -> bool {
    id == FIRST || (id.len() == 12 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

fn fresh_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_can_only_name_a_folder_of_ours() {
        assert!(valid_id("main"));
        assert!(valid_id(&fresh_id()));
        for bad in ["", "..", "../main", "0123456789AB", "0123456789a/", "main2"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_bounded_and_compared_in_any_case() {
        assert_eq!(checked_name("  ТОО Ромашка ").unwrap(), "ТОО Ромашка");
        assert!(checked_name("   ").is_err());
        assert!(checked_name(&"я".repeat(81)).is_err());
        assert!(checked_name(&"я".repeat(80)).is_ok());
        assert!(checked_name("a\nb").is_err());
        assert!(same_name("ТОО Ромашка", "тоо РОМАШКА"));
    }
}
