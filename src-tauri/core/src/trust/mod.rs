//! The trust store: certificates the user trusts as anchors of signature chains, kept in the
//! store's SQLite (table `trusted_certificates`, migration 004) and recorded in the history;
//! the CRLs of their signatures' certificates (`crl`) and the chain checks built from both
//! (`checks`).

mod address;
mod checks;
pub mod crl;

pub use address::LocalCrlServers;
pub use checks::{add_warnings, block_on, chain_checks, chain_checks_blocking, ChainChecks};
pub use crl::{CachedCrl, CrlRun};

use rusqlite::params;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::signature::{certificates_from, SignerIdentity};
use crate::store::{history, sha256_hex, Store};

/// A trusted certificate as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustedCertificate {
    pub id: i64,
    /// SHA-256 of the DER, hex.
    pub sha256: String,
    pub subject: String,
    pub not_after: String,
    pub added_at: String,
}

impl Store {
    /// Adds every certificate of a file (DER, or PEM with one or more certificates); a
    /// certificate already trusted is listed again, not duplicated.
    pub fn trust_add(&mut self, file: &[u8]) -> Result<Vec<TrustedCertificate>> {
        let ders = certificates_from(file)
            .ok_or_else(|| Error::invalid("Файл не является сертификатом X.509 (DER или PEM)"))?;
        let mut ids = vec![];
        for der in ders {
            let cert = <x509_cert::Certificate as der::Decode>::from_der(&der)
                .map_err(|e| Error::invalid(format!("Сертификат не разобран: {e}")))?;
            let who = SignerIdentity::from_certificate(&cert);
            let hash = sha256_hex(&der);
            let not_after = who.not_after.to_string();
            let id = self.write(|tx, ctx| {
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM trusted_certificates WHERE sha256 = ?1",
                        [&hash],
                        |r| r.get(0),
                    )
                    .ok();
                if let Some(id) = existing {
                    return Ok(id);
                }
                tx.execute(
                    "INSERT INTO trusted_certificates (sha256, subject, not_after, der, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![hash, who.subject, not_after, der, ctx.at],
                )?;
                let id = tx.last_insert_rowid();
                history::append(
                    tx,
                    ctx.key,
                    history::NewEntry {
                        subject: format!("trust:{id}"),
                        at: ctx.at.clone(),
                        actor: ctx.actor,
                        action: "trust_added",
                        from_status: None,
                        to_status: None,
                        reason: None,
                        detail: serde_json::json!({"sha256": hash, "subject": who.subject}),
                    },
                )?;
                Ok(id)
            })?;
            ids.push(id);
        }
        let all = self.trust_list()?;
        Ok(all.into_iter().filter(|t| ids.contains(&t.id)).collect())
    }

    pub fn trust_list(&self) -> Result<Vec<TrustedCertificate>> {
        let mut st = self.conn.prepare(
            "SELECT id, sha256, subject, not_after, added_at FROM trusted_certificates ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(TrustedCertificate {
                id: r.get(0)?,
                sha256: r.get(1)?,
                subject: r.get(2)?,
                not_after: r.get(3)?,
                added_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The DER of every trusted certificate: the anchors of `signature::Validation`.
    pub fn trust_anchors(&self) -> Result<Vec<Vec<u8>>> {
        let mut st = self
            .conn
            .prepare("SELECT der FROM trusted_certificates ORDER BY id")?;
        let rows = st.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes a trusted certificate by id; NotFound when there is none.
    pub fn trust_remove(&mut self, id: i64) -> Result<TrustedCertificate> {
        let Some(found) = self.trust_list()?.into_iter().find(|t| t.id == id) else {
            return Err(Error::not_found(format!(
                "Доверенного сертификата {id} нет"
            )));
        };
        let hash = found.sha256.clone();
        self.write(|tx, ctx| {
            tx.execute("DELETE FROM trusted_certificates WHERE id = ?1", [id])?;
            history::append(
                tx,
                ctx.key,
                history::NewEntry {
                    subject: format!("trust:{id}"),
                    at: ctx.at.clone(),
                    actor: ctx.actor,
                    action: "trust_removed",
                    from_status: None,
                    to_status: None,
                    reason: None,
                    detail: serde_json::json!({"sha256": hash}),
                },
            )?;
            Ok(())
        })?;
        Ok(found)
    }
}
