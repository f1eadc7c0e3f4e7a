//! Statistics of a creative (marker, platform, impressions, amount, first impression) and its
//! link to one allocation line of an act; and the deadlines by which they must be registered.

use super::deadline::{deadline, state, DeadlineState};
use super::saved::{load, record, ActId};
use super::statistics_entry::{self, StatisticsEntry};
use crate::error::{Error, Result};
use crate::model::{Day, Money};
use crate::store::Store;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsRecord {
    /// `stat_…`: the id allocations name.
    pub id: String,
    /// The creative's marker (erid).
    pub creative: String,
    pub platform: String,
    pub impressions: u64,
    /// Roubles.
    pub amount: Money,
    pub first_shown: Day,
    /// The last day to register it (see deadline.rs).
    pub deadline: Day,
    pub act_id: Option<ActId>,
    /// The allocation line (0-based) of that act.
    pub allocation: Option<usize>,
    /// The initial contract the ORD names for it (its id), or empty.
    pub initial_contract: String,
}

/// A record as the ORD lists it or a CSV line gives it, checked: what [`Store::merge_statistics`]
/// keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsLine {
    pub id: String,
    pub creative: String,
    pub platform: String,
    pub impressions: u64,
    pub amount: Money,
    pub first_shown: Day,
    pub initial_contract: String,
}

/// Statistics as entered.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewStatistics {
    pub creative: String,
    pub platform: String,
    pub impressions: u64,
    pub amount: String,
    pub first_shown: String,
}

/// A record's deadline as of today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineLine {
    pub record: StatisticsRecord,
    pub state: DeadlineState,
    /// Negative when overdue.
    pub days_left: i64,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StatisticsRecord> {
    Ok(StatisticsRecord {
        id: r.get(0)?,
        creative: r.get(1)?,
        platform: r.get(2)?,
        impressions: r.get::<_, i64>(3)? as u64,
        amount: Money(r.get(4)?),
        first_shown: r.get(5)?,
        deadline: r.get(6)?,
        act_id: r.get(7)?,
        allocation: r.get::<_, Option<i64>>(8)?.map(|a| a as usize),
        initial_contract: r.get(9)?,
    })
}

const COLUMNS: &str =
    "id, creative, platform, impressions, amount, first_shown, deadline, act_id, \
     allocation, initial_contract";

impl Store {
    /// Adds a record typed by hand (the window's «+ Добавить статистику…», `acts stats-add`);
    /// refused whole, naming every wrong field, when one is.
    pub fn enter_statistics(&mut self, entry: &StatisticsEntry) -> Result<StatisticsRecord> {
        let c = statistics_entry::check(entry).map_err(|v| statistics_entry::refusal(&v))?;
        let id = format!("stat_{}", uuid::Uuid::new_v4().simple());
        let sid = id.clone();
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO act_statistics (id, creative, platform, impressions, amount, first_shown, deadline, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![sid, c.creative, c.platform, c.impressions as i64, c.amount.0, c.first_shown.to_string(), c.deadline.to_string(), ctx.at],
            )?;
            Ok(())
        })?;
        self.statistics_record(&id)
    }

    /// `enter_statistics` for a caller that has the impressions as a number.
    pub fn add_statistics(&mut self, new: &NewStatistics) -> Result<StatisticsRecord> {
        self.enter_statistics(&StatisticsEntry {
            creative: new.creative.clone(),
            platform: new.platform.clone(),
            impressions: new.impressions.to_string(),
            amount: new.amount.clone(),
            first_shown: new.first_shown.clone(),
        })
    }

    /// Merges records from the ORD or a CSV file in one step: a known id is brought up to date
    /// (its link to an act stays), a new one is added.
    pub fn merge_statistics(
        &mut self,
        lines: &[StatisticsLine],
        source: &str,
    ) -> Result<super::contracts::Merged> {
        let lines = lines.to_vec();
        let source = source.to_string();
        self.write(|tx, ctx| {
            let mut merged = super::contracts::Merged::default();
            for l in &lines {
                let due = deadline(l.first_shown)
                    .ok_or_else(|| Error::invalid(format!("{}: дата вне календаря", l.id)))?
                    .to_string();
                let known: bool = tx
                    .query_row(
                        "SELECT 1 FROM act_statistics WHERE id = ?1",
                        [&l.id],
                        |_| Ok(true),
                    )
                    .optional()?
                    .unwrap_or(false);
                tx.execute(
                    "INSERT INTO act_statistics (id, creative, platform, impressions, amount,
                       first_shown, deadline, created_at, initial_contract, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT(id) DO UPDATE SET creative = excluded.creative,
                       platform = excluded.platform, impressions = excluded.impressions,
                       amount = excluded.amount, first_shown = excluded.first_shown,
                       deadline = excluded.deadline, initial_contract = excluded.initial_contract,
                       source = excluded.source",
                    params![
                        l.id,
                        l.creative,
                        l.platform,
                        l.impressions as i64,
                        l.amount.0,
                        l.first_shown.to_string(),
                        due,
                        ctx.at,
                        l.initial_contract,
                        source
                    ],
                )?;
                if known {
                    merged.updated += 1;
                } else {
                    merged.added += 1;
                }
            }
            Ok(merged)
        })
    }

    pub fn statistics_record(&self, id: &str) -> Result<StatisticsRecord> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM act_statistics WHERE id = ?1"),
                [id],
                row,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(format!("Статистика {id} не найдена")))
    }

    /// All records, by deadline.
    pub fn statistics(&self) -> Result<Vec<StatisticsRecord>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM act_statistics ORDER BY deadline, id"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The records linked to one allocation line of an act.
    pub fn allocation_statistics(
        &self,
        act: ActId,
        allocation: usize,
    ) -> Result<Vec<StatisticsRecord>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM act_statistics WHERE act_id = ?1 AND allocation = ?2 ORDER BY id"
        ))?;
        let rows = st.query_map(params![act, allocation as i64], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Links a record to the act's allocation line `allocation` (0-based).
    pub fn link_statistics(
        &mut self,
        id: &str,
        act: ActId,
        allocation: usize,
    ) -> Result<StatisticsRecord> {
        let rec = self.statistics_record(id)?;
        let a = self.act(act)?;
        if allocation >= a.draft.allocations.len() {
            return Err(Error::invalid(format!(
                "allocations[{allocation}]: в акте №{act} нет строки {} (строк: {})",
                allocation + 1,
                a.draft.allocations.len()
            )));
        }
        if let Some(other) = rec.act_id.filter(|o| *o != act) {
            return Err(Error::invalid(format!(
                "Статистика {id} уже привязана к акту №{other}: сначала отвяжите её там"
            )));
        }
        let sid = id.to_string();
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE act_statistics SET act_id = ?1, allocation = ?2 WHERE id = ?3",
                params![act, allocation as i64, sid],
            )?;
            Store::mark_unsent_change(tx, act)?;
            record(
                tx,
                ctx,
                act,
                "statistics_linked",
                (None, None),
                None,
                serde_json::json!({ "statistics": sid, "allocation": allocation }),
            )
        })?;
        self.statistics_record(id)
    }

    /// Clears a record's link to its act.
    pub fn clear_statistics(&mut self, id: &str) -> Result<StatisticsRecord> {
        let rec = self.statistics_record(id)?;
        let Some(act) = rec.act_id else {
            return Ok(rec);
        };
        let sid = id.to_string();
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE act_statistics SET act_id = NULL, allocation = NULL WHERE id = ?1",
                [&sid],
            )?;
            Store::mark_unsent_change(tx, act)?;
            record(
                tx,
                ctx,
                act,
                "statistics_cleared",
                (None, None),
                None,
                serde_json::json!({ "statistics": sid, "allocation": rec.allocation }),
            )
        })?;
        self.statistics_record(id)
    }

    /// Every record's deadline as of today (the store's clock), soonest first. Records in an act
    /// the register accepted (and not changed since) are `registered`.
    pub fn deadlines(&self) -> Result<Vec<DeadlineLine>> {
        let today = self.clock.now().day();
        let mut out = Vec::new();
        for rec in self.statistics()? {
            let registered = match rec.act_id {
                Some(a) => load(&self.conn, a)?.registered_as_is(),
                None => false,
            };
            let due = rec.deadline;
            out.push(DeadlineLine {
                state: state(due, today, registered),
                days_left: due.days_since(today),
                record: rec,
            });
        }
        Ok(out)
    }
}
