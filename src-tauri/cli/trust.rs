//! `qoltanba trust add FILE | list | remove ID`: the certificates trusted as anchors of signature
//! chains (NCA's root and CA certificates), kept in the store.

use super::output::Out;
use super::{open_store, Cli};
use clap::Subcommand;
use qoltanba_core::{Result, Store};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// Доверять сертификатам УЦ из файла (DER или PEM, можно несколько в одном PEM)
    Add { file: PathBuf },
    /// Доверенные сертификаты
    List,
    /// Больше не доверять сертификату (ID из `trust list`)
    Remove { id: i64 },
}

pub fn command(store: &mut Store, c: &TrustCommand, out: &Out) -> Result<()> {
    match c {
        TrustCommand::Add { file } => {
            let bytes = std::fs::read(file).map_err(|e| {
                qoltanba_core::Error::not_found(format!("Файл {} не найден: {e}", file.display()))
            })?;
            let added = store.trust_add(&bytes)?;
            out.show(&added, || {
                added
                    .iter()
                    .map(|t| format!("Доверенный сертификат {}: {}", t.id, t.subject))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrustCommand::List => {
            let all = store.trust_list()?;
            out.show(&all, || {
                if all.is_empty() {
                    return "Доверенных сертификатов нет (qoltanba trust add ФАЙЛ)".into();
                }
                all.iter()
                    .map(|t| {
                        format!(
                            "{}  {}  до {}  SHA-256 {}",
                            t.id, t.subject, t.not_after, t.sha256
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrustCommand::Remove { id } => {
            let removed = store.trust_remove(*id)?;
            out.show(&removed, || {
                format!(
                    "Сертификат {} больше не доверенный: {}",
                    removed.id, removed.subject
                )
            });
        }
    }
    Ok(())
}

/// The trust store's certificates for `verify`, without creating a store that does not exist
/// yet (verify works on a machine where Qoltanba never ran).
pub fn existing_store(cli: &Cli) -> Result<Option<qoltanba_core::Store>> {
    let dir: PathBuf = super::company_folder(cli)?;
    if !dir.join(qoltanba_core::store::DB_FILE).exists() {
        return Ok(None);
    }
    open_store(cli).map(Some)
}
