//! Acts are never deleted through the API: the ORD deletes one only on a written request to its
//! support (info@ord.ozon.ru, as its help page says). The client prepares that e-mail — the act's
//! number, date, contract and the user's reason — and records the request, with its date, in the
//! act's history. Nothing goes over the network.

use super::saved::{record, Act, ActId};
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

pub const MAX_REASON_CHARS: usize = 1000;

/// The marketplace ORD's support address, where deletion requests are written (its help page).
pub const ORD_SUPPORT_EMAIL: &str = "info@ord.ozon.ru";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionRequest {
    pub id: i64,
    pub act_id: ActId,
    pub reason: String,
    pub created_at: String,
}

/// The prepared e-mail: shown to copy, and opened in the mail program through `mailto`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionLetter {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `mailto:` with the subject and body percent-encoded (RFC 6068).
    pub mailto: String,
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so no character of the
/// user's reason can end the subject or body early or add a header.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The e-mail asking the ORD's support to delete `act`; `contract` is the contract as people
/// know it (its number, with the ORD id when there is one).
pub fn letter(act: &Act, contract: &str, reason: &str) -> DeletionLetter {
    let d = &act.draft;
    let subject = format!("Удаление акта № {} от {}", d.number, d.date);
    let body = format!(
        "Здравствуйте!\n\nПрошу удалить из ЕРИР акт № {} от {} по договору {}.\nИдентификатор акта: {}.\nПричина: {}\n",
        d.number,
        d.date,
        contract,
        act.external_id,
        reason.trim()
    );
    // `%0D%0A` line breaks, as RFC 6068 asks for in a body.
    let mailto = format!(
        "mailto:{ORD_SUPPORT_EMAIL}?subject={}&body={}",
        encode(&subject),
        encode(&body.replace('\n', "\r\n"))
    );
    DeletionLetter {
        to: ORD_SUPPORT_EMAIL.to_string(),
        subject,
        body,
        mailto,
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeletionRequest> {
    Ok(DeletionRequest {
        id: r.get(0)?,
        act_id: r.get(1)?,
        reason: r.get(2)?,
        created_at: r.get(3)?,
    })
}

const COLUMNS: &str = "id, act_id, reason, created_at";

impl Store {
    /// Records a request to delete the act from the register; the act itself stays.
    pub fn request_act_deletion(&mut self, id: ActId, reason: &str) -> Result<DeletionRequest> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason: укажите причину удаления — её прочитает поддержка оператора рекламных данных",
            ));
        }
        let n = reason.chars().count();
        if n > MAX_REASON_CHARS {
            return Err(Error::invalid(format!(
                "reason: причина слишком длинная ({n} символов, допустимо {MAX_REASON_CHARS})"
            )));
        }
        self.act(id)?;
        // The column is unique and required since requests went through the API; kept so the
        // table needs no migration.
        let key = uuid::Uuid::new_v4().to_string();
        let reason = reason.to_string();
        let rid = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO act_deletion_requests (act_id, reason, idempotency_key, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, reason, key, ctx.at],
            )?;
            let rid = tx.last_insert_rowid();
            record(
                tx,
                ctx,
                id,
                "deletion_requested",
                (None, None),
                Some(&reason),
                serde_json::json!({ "request": rid, "to": ORD_SUPPORT_EMAIL }),
            )?;
            Ok(rid)
        })?;
        self.deletion_request(rid)
    }

    pub fn deletion_request(&self, id: i64) -> Result<DeletionRequest> {
        Ok(self.conn.query_row(
            &format!("SELECT {COLUMNS} FROM act_deletion_requests WHERE id = ?1"),
            [id],
            row,
        )?)
    }

    /// The act's deletion requests, oldest first.
    pub fn deletion_requests(&self, act: ActId) -> Result<Vec<DeletionRequest>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM act_deletion_requests WHERE act_id = ?1 ORDER BY id"
        ))?;
        let rows = st.query_map([act], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The prepared e-mail of the act's latest deletion request.
    pub fn deletion_letter(&self, act: ActId) -> Result<DeletionLetter> {
        let a = self.act(act)?;
        let last = self.deletion_requests(act)?.pop().ok_or_else(|| {
            Error::not_found(format!("Удаление акта №{act} ещё не запрашивалось"))
        })?;
        Ok(letter(
            &a,
            &self.contract_label(&a.draft.contract)?,
            &last.reason,
        ))
    }

    /// The contract as people know it: its number (and the ORD id when the act names that).
    pub fn contract_label(&self, key: &str) -> Result<String> {
        Ok(match self.contracts()?.resolve(key) {
            Some(c) if !c.ord_id.is_empty() && c.number != c.ord_id => {
                format!("№ {} ({})", c.number, c.ord_id)
            }
            Some(c) => format!("№ {}", c.number),
            None => format!("№ {key}"),
        })
    }
}

/// Opens the prepared e-mail in the user's mail program. Only a `mailto:` to the ORD's support
/// built by [`letter`] is ever handed to the system, as one argument, never through a shell.
pub fn open_in_mail_program(letter: &DeletionLetter) -> Result<()> {
    let url = &letter.mailto;
    let prefix = format!("mailto:{ORD_SUPPORT_EMAIL}?");
    let safe = url.starts_with(&prefix)
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%:@?=&".contains(&b));
    if !safe {
        return Err(Error::invalid(
            "Письмо не подготовлено: адрес mailto неверен",
        ));
    }
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let no_program = |e: &dyn std::fmt::Display| {
        Error::invalid(format!(
            "Почтовая программа не открылась ({e}): скопируйте адрес {ORD_SUPPORT_EMAIL} и текст письма"
        ))
    };
    // The opener returns at once; waiting for it reaps the child (no zombie) and tells whether
    // any mail program took the link.
    let status = cmd.status().map_err(|e| no_program(&e))?;
    if !status.success() {
        return Err(no_program(&status));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mailto_carries_the_subject_and_body_and_nothing_the_reason_could_add() {
        assert_eq!(encode("a b&c=d?\n№"), "a%20b%26c%3Dd%3F%0A%E2%84%96");
        let mut act = Act::for_tests();
        act.draft.number = "A-17".into();
        act.draft.date = "2026-10-31".into();
        let l = letter(&act, "№ ДР-1 (ctr_1)", "Дубль&cc=evil@example.com\nBcc: x");
        assert_eq!(l.to, "info@ord.ozon.ru");
        assert_eq!(l.subject, "Удаление акта № A-17 от 2026-10-31");
        assert!(l
            .body
            .contains("акт № A-17 от 2026-10-31 по договору № ДР-1 (ctr_1)"));
        assert!(l
            .body
            .contains("Причина: Дубль&cc=evil@example.com\nBcc: x"));
        assert!(l.mailto.starts_with("mailto:info@ord.ozon.ru?subject="));
        assert_eq!(l.mailto.matches('&').count(), 1, "{}", l.mailto);
        assert!(!l.mailto.contains("cc="), "{}", l.mailto);
        assert!(l.mailto.contains("%0D%0A"));
    }
}
