//! What the store keeps about the operator: the account (name and base URL; never its token),
//! the sync cursor, and the operator-side changes that have no status of their own.

use super::{history, notifications, settings, transition, SettingKey, Store};
use crate::error::Result;
use crate::model::DocumentId;
use crate::signature::Seller;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// The current account's name and base URL.
    pub fn operator_account(&self) -> Result<Option<(String, String)>> {
        let Some(name) = settings::get(&self.conn, SettingKey::OperatorAccount.as_str())? else {
            return Ok(None);
        };
        Ok(settings::get(&self.conn, &format!("operator_url:{name}"))?.map(|u| (name, u)))
    }

    /// The base URL of the account `name`, if it was added.
    pub fn operator_url(&self, name: &str) -> Result<Option<String>> {
        settings::get(&self.conn, &format!("operator_url:{name}"))
    }

    /// Makes `name` at `url` the current account, with the seller the operator reported (its
    /// number and kind, and its name).
    pub fn set_operator_account(
        &mut self,
        name: &str,
        url: &str,
        seller: Option<(&Seller, &str)>,
    ) -> Result<()> {
        let (name, url) = (name.to_string(), url.to_string());
        let seller = seller.map(|(s, n)| (s.number.clone(), n.to_string(), s.kind));
        self.write(|tx, ctx| {
            settings::set(tx, SettingKey::OperatorAccount.as_str(), &name)?;
            settings::set(tx, &format!("operator_url:{name}"), &url)?;
            if let Some((number, org, kind)) = &seller {
                settings::set(tx, SettingKey::SellerBin.as_str(), number)?;
                settings::set(tx, SettingKey::SellerKind.as_str(), kind.code())?;
                settings::set(tx, SettingKey::SellerName.as_str(), org)?;
            }
            history::append(
                tx,
                ctx.key,
                history::NewEntry {
                    subject: "store".into(),
                    at: ctx.at.clone(),
                    actor: ctx.actor,
                    action: "operator_account",
                    from_status: None,
                    to_status: None,
                    reason: None,
                    detail: serde_json::json!({"account": name, "url": url, "sellerBin": seller.as_ref().map(|s| &s.0)}),
                },
            )?;
            Ok(())
        })
    }

    /// The feed cursor of an account and when it was last synced.
    pub fn sync_cursor(&self, account: &str) -> Result<(Option<String>, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT cursor, synced_at FROM sync_cursor WHERE account = ?1",
                [account],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, None)))
    }

    /// Commits the cursor; call only after what it covers is committed.
    pub fn set_sync_cursor(&mut self, account: &str, cursor: Option<&str>) -> Result<()> {
        let (a, c) = (account.to_string(), cursor.map(str::to_string));
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO sync_cursor (account, cursor, synced_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(account) DO UPDATE SET cursor = COALESCE(excluded.cursor, cursor), synced_at = excluded.synced_at",
                params![a, c, ctx.at],
            )?;
            Ok(())
        })
    }

    /// Records that the operator reports a state the local status machine cannot follow (signed or
    /// rejected elsewhere, e.g. on the operator's web site), with a notification for the user.
    pub fn note_operator_status(
        &mut self,
        id: DocumentId,
        operator_status: &str,
        notice: &str,
    ) -> Result<()> {
        let (s, n) = (operator_status.to_string(), notice.to_string());
        self.write(|tx, ctx| {
            let last: Option<String> = tx
                .query_row(
                    "SELECT json_extract(detail, '$.operatorStatus') FROM history
                     WHERE subject = ?1 AND action = 'operator_status' ORDER BY seq DESC LIMIT 1",
                    [transition::subject(id)],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            if last.as_deref() == Some(s.as_str()) {
                return Ok(()); // already told
            }
            let status: String =
                tx.query_row("SELECT status FROM documents WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            history::append(
                tx,
                ctx.key,
                history::NewEntry {
                    subject: transition::subject(id),
                    at: ctx.at.clone(),
                    actor: "operator",
                    action: "operator_status",
                    from_status: Some(&status),
                    to_status: Some(&status),
                    reason: None,
                    detail: serde_json::json!({"operatorStatus": s}),
                },
            )?;
            notifications::insert(tx, "reminder", Some(id), &n, &ctx.at)?;
            Ok(())
        })
    }

    /// The operator's last reported status of a document, if it differed from ours.
    pub fn operator_status(&self, id: DocumentId) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT json_extract(detail, '$.operatorStatus') FROM history
                 WHERE subject = ?1 AND action = 'operator_status' ORDER BY seq DESC LIMIT 1",
                [transition::subject(id)],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}

impl Store {
    /// Where the operator of a shared-link document lives (its token is in the keychain).
    pub fn set_shared_link_url(&mut self, operator_id: &str, url: &str) -> Result<()> {
        let (k, v) = (format!("shared_url:{operator_id}"), url.to_string());
        self.write(|tx, _| settings::set(tx, &k, &v))
    }

    pub fn shared_link_url(&self, operator_id: &str) -> Result<Option<String>> {
        settings::get(&self.conn, &format!("shared_url:{operator_id}"))
    }
}

impl Store {
    /// When the whole inbox of an account was last listed (RFC 3339), if ever.
    pub fn reconciled_at(&self, account: &str) -> Result<Option<String>> {
        settings::get(&self.conn, &format!("operator_reconciled_at:{account}"))
    }

    pub fn set_reconciled_now(&mut self, account: &str) -> Result<()> {
        let k = format!("operator_reconciled_at:{account}");
        self.write(|tx, ctx| settings::set(tx, &k, &ctx.at))
    }
}
