//! The ORD as a service of its own, shared by the window and the CLI: its account (URL in the
//! store, token in the OS keychain), the sync of its catalogue (contracts and statistics), CSV
//! imports of the same for when there is no account, and the acts' export for upload by hand.

use super::App;
use crate::acts::catalog::sync_catalog;
use crate::acts::csv::{self, ExportFormat};
use crate::acts::{self, Budget, CatalogReport, OrdAccount};
use crate::error::{Error, ErrorCode, Result};
use crate::operator::Token;
use std::path::Path;

impl App {
    pub fn ord_account(&self) -> Result<Option<OrdAccount>> {
        self.read(acts::ord_account)
    }

    /// Checks the token with the ORD, then keeps it in the OS keychain (never in the data
    /// folder, never returned) and the URL in the store. A refused token is not saved.
    pub async fn add_ord_account(&self, url: &str, token: Token) -> Result<OrdAccount> {
        let base = acts::check_ord_account(url, &token).await?;
        let account = self.write(|s| acts::save_ord_account(s, &base, &token))?;
        self.clients.forget_ord();
        Ok(account)
    }

    /// Forgets the ORD account (token and URL); the acts and the catalogue stay.
    pub fn remove_ord_account(&self) -> Result<bool> {
        let had = self.write(acts::remove_ord_account)?;
        self.clients.forget_ord();
        Ok(had)
    }

    /// Refreshes the local contracts and statistics from the ORD account.
    pub async fn sync_ord(&self) -> Result<CatalogReport> {
        self.sync_ord_within(Budget::default()).await
    }

    pub async fn sync_ord_within(&self, budget: Budget) -> Result<CatalogReport> {
        let ord = self.ord()?;
        sync_catalog(&mut self.store(), &ord, budget).await
    }

    pub fn import_contracts_csv(&self, file: &Path) -> Result<CatalogReport> {
        let bytes = read_csv(file)?;
        self.write(|s| csv::import_contracts(s, &bytes))
    }

    pub fn import_statistics_csv(&self, file: &Path) -> Result<CatalogReport> {
        let bytes = read_csv(file)?;
        self.write(|s| csv::import_statistics(s, &bytes))
    }

    /// Writes every act to `out` as JSON or CSV; returns how many acts. Needs no ORD account.
    pub fn export_acts(&self, format: ExportFormat, out: &Path) -> Result<usize> {
        let (count, bytes) = self.read(|s| Ok((s.acts()?.len(), csv::export_acts(s, format)?)))?;
        std::fs::write(out, bytes).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Не удалось записать {}: {e}", out.display()),
            )
        })?;
        Ok(count)
    }
}

/// The file's bytes, refusing one past the CSV budget before reading it.
fn read_csv(file: &Path) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            format!("Не удалось прочитать {}: {e}", file.display()),
        )
    };
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > csv::MAX_CSV_BYTES as u64 {
        return Err(Error::invalid(format!(
            "Файл CSV больше {} МБ: разделите его на части. Ничего не загружено",
            csv::MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    std::fs::read(file).map_err(io)
}
