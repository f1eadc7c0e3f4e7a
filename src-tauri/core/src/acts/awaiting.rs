//! Reminders in the acts section: signed, accepted closing documents for services that an act
//! for the register may be due for (placement and other services, and their corrections), which
//! no act was made from yet. An act made from the document («Создать акт») ends its reminder.

use crate::error::Result;
use crate::model::{DocumentId, Money};
use crate::store::Store;
use serde::Serialize;
use ts_rs::TS;

/// The kinds whose services may be advertising: the marketplace's placement and promotion acts.
pub const ACT_KINDS: [&str; 4] = [
    "placement_services_act",
    "placement_services_act_correction",
    "other_services_act",
    "other_services_act_correction",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActReminder {
    pub document_id: DocumentId,
    pub kind: String,
    pub number: Option<String>,
    pub date: Option<String>,
    pub amount: Option<Money>,
    pub currency: String,
}

impl Store {
    /// Signed, accepted closing documents of the kinds above that have no act yet, newest first.
    pub fn documents_without_act(&self) -> Result<Vec<ActReminder>> {
        let mut st = self.conn.prepare(
            "SELECT d.id, d.kind, d.number, d.date, d.amount, d.currency FROM documents d
             WHERE d.decision = 'accept'
               AND d.status IN ('signed', 'queued', 'sent', 'delivered')
               AND d.kind IN (?1, ?2, ?3, ?4)
               AND NOT EXISTS (SELECT 1 FROM acts a WHERE a.document_id = d.id)
             ORDER BY d.date DESC, d.id DESC",
        )?;
        let rows = st.query_map(ACT_KINDS, |r| {
            Ok(ActReminder {
                document_id: r.get(0)?,
                kind: r.get(1)?,
                number: r.get(2)?,
                date: r.get(3)?,
                amount: r.get::<_, Option<i64>>(4)?.map(Money),
                currency: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
