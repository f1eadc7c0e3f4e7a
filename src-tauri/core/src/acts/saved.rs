//! Acts in the store: created, changed and answered by the register, each change one transaction
//! with its entry in the same hash-chained history as documents (subject `act:<id>`). Acts are
//! never deleted; a deletion is a request to the ORD's support (deletion.rs).

use super::act::ActDraft;
use super::contracts::{Contract, ContractBook, ContractKind};
use super::rules::{validate, RuleContext, Violation};
use super::vat::{VatRate, VatTable, SETTING as VAT_SETTING};
use super::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{DocumentId, Money, Timestamp};
use crate::store::history::{self, HistoryEntry, NewEntry};
use crate::store::{SettingKey, Settings, Store};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

pub type ActId = i64;

/// One field the register objected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct RegisterError {
    pub field: String,
    pub message: String,
}

/// A stored act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Act {
    pub id: ActId,
    /// The id the ORD knows the act by (`PUT /ord/acts/{externalId}`).
    pub external_id: String,
    #[serde(flatten)]
    pub draft: ActDraft,
    /// The closing document the act was made from, if any.
    pub document_id: Option<DocumentId>,
    /// `local` (never sent), or the register's `draft|processing|accepted|rejected`.
    #[ts(type = "'local' | 'draft' | 'processing' | 'accepted' | 'rejected'")]
    pub register_status: String,
    pub register_errors: Vec<RegisterError>,
    pub submissions: i64,
    /// The register's version of the act (`version` in the ORD's answers): 2, 3, … once an
    /// accepted act has been changed and sent again; None until the ORD has answered.
    pub register_version: Option<i64>,
    /// A registered act changed here (fields or statistics) and not yet sent again.
    pub unsent_change: bool,
    pub deletion_requested: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Act {
    #[cfg(test)]
    pub(crate) fn for_tests() -> Act {
        Act {
            id: 1,
            external_id: "act-test".into(),
            draft: ActDraft::default(),
            document_id: None,
            register_status: "local".into(),
            register_errors: Vec::new(),
            submissions: 0,
            register_version: None,
            unsent_change: false,
            deletion_requested: false,
            created_at: Timestamp::from_unix(0).expect("the epoch"),
            updated_at: Timestamp::from_unix(0).expect("the epoch"),
        }
    }

    /// Whether the act is in the register as it is here: accepted, with no change unsent.
    pub fn registered_as_is(&self) -> bool {
        self.register_status == "accepted" && !self.unsent_change
    }

    /// The register's message for a field, to show next to it.
    pub fn register_error(&self, field: &str) -> Option<&str> {
        self.register_errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// Codes a saved draft may still have (it is being filled in); all others refuse the save.
const INCOMPLETE: &[&str] = &[
    "required",
    "allocations_missing",
    "vat_rate_missing",
    "allocation_exceeds_act",
    "allocation_not_less_than_act",
    "single_allocation_less_than_act",
    "allocations_sum_exceeds_act",
    "initial_contract_unknown",
    "initial_contract_not_own",
    "initial_contract_is_own",
    "initial_contract_customer_not_advertiser",
];

/// One error whose message lists every violation, field by field.
pub fn refusal(violations: &[Violation]) -> Error {
    let lines: Vec<String> = violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect();
    Error::invalid(format!("Акт не сохранён:\n{}", lines.join("\n")))
}

pub(crate) fn subject(id: ActId) -> String {
    format!("act:{id}")
}

const COLUMNS: &str =
    "id, external_id, body, document_id, register_status, submissions, created_at, updated_at,
     EXISTS(SELECT 1 FROM act_deletion_requests d WHERE d.act_id = acts.id),
     register_version, unsent_change";

pub(crate) fn load(conn: &Connection, id: ActId) -> Result<Act> {
    let mut act = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM acts WHERE id = ?1"),
            [id],
            row_to_act,
        )
        .optional()?
        .ok_or_else(|| Error::not_found(format!("Акт №{id} не найден")))?;
    act.register_errors = register_errors(conn, id)?;
    Ok(act)
}

fn row_to_act(r: &rusqlite::Row<'_>) -> rusqlite::Result<Act> {
    let body: String = r.get(2)?;
    Ok(Act {
        id: r.get(0)?,
        external_id: r.get(1)?,
        draft: serde_json::from_str(&body).unwrap_or_default(),
        document_id: r.get(3)?,
        register_status: r.get(4)?,
        register_errors: Vec::new(),
        submissions: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        deletion_requested: r.get(8)?,
        register_version: r.get(9)?,
        unsent_change: r.get(10)?,
    })
}

fn register_errors(conn: &Connection, id: ActId) -> Result<Vec<RegisterError>> {
    let mut st = conn.prepare_cached(
        "SELECT field, message FROM act_register_errors WHERE act_id = ?1 ORDER BY rowid",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(RegisterError {
            field: r.get(0)?,
            message: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn amount_column(draft: &ActDraft) -> Option<i64> {
    Money::parse(&draft.amount).ok().map(|m| m.0)
}

/// Appends the act's history entry inside the change's transaction.
pub(crate) fn record(
    tx: &Transaction<'_>,
    ctx: &crate::store::StoreCtx<'_>,
    id: ActId,
    action: &str,
    status: (Option<&str>, Option<&str>),
    reason: Option<&str>,
    detail: serde_json::Value,
) -> Result<()> {
    history::append(
        tx,
        ctx.key,
        NewEntry {
            subject: subject(id),
            at: ctx.at.clone(),
            actor: ctx.actor,
            action,
            from_status: status.0,
            to_status: status.1,
            reason,
            detail,
        },
    )?;
    Ok(())
}

impl Store {
    /// The Russian VAT rates by date (settings `ru_vat_rates`).
    pub fn vat_table(&self) -> Result<VatTable> {
        match self.setting(SettingKey::RuVatRates)? {
            Some(json) => VatTable::parse(&json),
            None => Ok(VatTable::default()),
        }
    }

    /// Replaces the VAT table (when the law changes the rate again).
    pub fn set_vat_rates(&mut self, rows: &[VatRate]) -> Result<()> {
        let table = VatTable::from_rows(rows)?;
        let json = serde_json::to_string(&table.rows()).expect("rows serialise");
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![VAT_SETTING, json],
            )?;
            history::append(
                tx,
                ctx.key,
                NewEntry {
                    subject: "store".into(),
                    at: ctx.at.clone(),
                    actor: ctx.actor,
                    action: "vat_rates_changed",
                    from_status: None,
                    to_status: None,
                    reason: None,
                    detail: serde_json::json!({ "rates": table.rows() }),
                },
            )?;
            Ok(())
        })
    }

    /// The known contracts.
    pub fn contracts(&self) -> Result<ContractBook> {
        let mut st = self.conn.prepare(
            "SELECT ord_id, number, date, customer_name, customer_inn, customer_role, executor_name,
                    kind, parent_id, executor_inn, executor_role
             FROM ord_contracts ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let role: String = r.get(5)?;
            let executor_role: String = r.get(10)?;
            Ok(Contract {
                ord_id: r.get(0)?,
                number: r.get(1)?,
                date: r.get(2)?,
                customer_name: r.get(3)?,
                customer_inn: r.get(4)?,
                customer_role: Role::from_code(&role).unwrap_or(Role::Agency),
                executor_name: r.get(6)?,
                kind: ContractKind::from_code(&r.get::<_, String>(7)?).unwrap_or_default(),
                parent_id: r.get(8)?,
                executor_inn: r.get(9)?,
                executor_role: Role::from_code(&executor_role),
            })
        })?;
        Ok(ContractBook(rows.collect::<rusqlite::Result<_>>()?))
    }

    /// Every rule the act breaks, with this store's VAT table and known contracts.
    pub fn check_act(&self, draft: &ActDraft) -> Result<Vec<Violation>> {
        let vat = self.vat_table()?;
        let contracts = self.contracts()?;
        Ok(validate(
            draft,
            RuleContext {
                vat: &vat,
                contracts: Some(&contracts),
            },
        ))
    }

    /// Refuses a draft with a wrongly typed field; an incomplete one may be saved.
    fn check_savable(&self, draft: &ActDraft) -> Result<()> {
        let wrong: Vec<Violation> = self
            .check_act(draft)?
            .into_iter()
            .filter(|v| !INCOMPLETE.contains(&v.code))
            .collect();
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(refusal(&wrong))
        }
    }

    /// Saves a new act (not sent until submitted).
    pub fn create_act(&mut self, draft: &ActDraft, document_id: Option<DocumentId>) -> Result<Act> {
        let draft = &draft.normalized();
        self.check_savable(draft)?;
        let external_id = format!("act-{}", uuid::Uuid::new_v4().simple());
        let body = serde_json::to_string(draft).expect("an act serialises");
        let d = draft.clone();
        let id = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO acts (external_id, body, contract, number, date, amount, document_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![external_id, body, d.contract, d.number, d.date, amount_column(&d), document_id, ctx.at],
            )?;
            let id = tx.last_insert_rowid();
            record(
                tx,
                ctx,
                id,
                if document_id.is_some() { "act_created_from_document" } else { "act_created" },
                (None, Some("local")),
                None,
                serde_json::json!({ "externalId": external_id, "documentId": document_id, "act": d }),
            )?;
            Ok(id)
        })?;
        self.act(id)
    }

    /// Changes an act. One the register is still deciding on (`processing`) cannot change; an
    /// accepted one can (as the ORD's page allows: «⋯ → Редактировать → Сохранить»): the change
    /// is marked unsent and goes to the register, as its next version, with the next submission.
    pub fn update_act(&mut self, id: ActId, draft: &ActDraft) -> Result<Act> {
        let before = self.act(id)?;
        if before.register_status == "processing" {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                format!(
                    "Акт №{id} сейчас проверяет реестр: изменить его можно после ответа реестра"
                ),
            ));
        }
        let draft = &draft.normalized();
        self.check_savable(draft)?;
        if before.draft == *draft {
            return Ok(before);
        }
        let body = serde_json::to_string(draft).expect("an act serialises");
        let d = draft.clone();
        let changed = changed_fields(&before.draft, draft);
        let registered = before.register_status == "accepted";
        // The version this change will become in the register once sent.
        let next_version = registered.then(|| before.register_version.unwrap_or(1) + 1);
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE acts SET body = ?1, contract = ?2, number = ?3, date = ?4, amount = ?5, updated_at = ?6,
                   unsent_change = unsent_change OR ?7
                 WHERE id = ?8",
                params![body, d.contract, d.number, d.date, amount_column(&d), ctx.at, registered, id],
            )?;
            record(
                tx,
                ctx,
                id,
                "act_edited",
                (None, None),
                None,
                serde_json::json!({
                    "changed": changed,
                    "act": d,
                    "registerVersion": before.register_version,
                    "nextVersion": next_version,
                }),
            )
        })?;
        self.act(id)
    }

    /// Marks a registered act as changed (a statistic linked or cleared), inside that change's
    /// transaction, so the change is sent with the next submission.
    pub(crate) fn mark_unsent_change(tx: &Transaction<'_>, id: ActId) -> Result<()> {
        tx.execute(
            "UPDATE acts SET unsent_change = 1 WHERE id = ?1 AND register_status = 'accepted'",
            [id],
        )?;
        Ok(())
    }

    pub fn act(&self, id: ActId) -> Result<Act> {
        load(&self.conn, id)
    }

    /// All acts, newest date first.
    pub fn acts(&self) -> Result<Vec<Act>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM acts ORDER BY date DESC, id DESC"
        ))?;
        let acts = st
            .query_map([], row_to_act)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        acts.into_iter()
            .map(|mut a| {
                a.register_errors = register_errors(&self.conn, a.id)?;
                Ok(a)
            })
            .collect()
    }

    /// The act's changes, oldest first.
    pub fn act_history(&self, id: ActId) -> Result<Vec<HistoryEntry>> {
        self.act(id)?;
        history::for_subject(&self.conn, &subject(id))
    }

    /// Records the register's answer: the status, and its errors per field. A rejection also
    /// becomes an error notification.
    pub fn record_register_answer(
        &mut self,
        id: ActId,
        status: &str,
        errors: &[RegisterError],
        version: Option<i64>,
    ) -> Result<Act> {
        let before = self.act(id)?;
        let version = version.or(before.register_version);
        if before.register_status == status
            && before.register_errors == errors
            && before.register_version == version
        {
            return Ok(before);
        }
        let errs = errors.to_vec();
        let st = status.to_string();
        self.write(|tx, ctx| {
            tx.execute("DELETE FROM act_register_errors WHERE act_id = ?1", [id])?;
            for e in &errs {
                tx.execute(
                    "INSERT INTO act_register_errors (act_id, field, message) VALUES (?1, ?2, ?3)",
                    params![id, e.field, e.message],
                )?;
            }
            tx.execute(
                "UPDATE acts SET register_status = ?1, register_version = ?2, updated_at = ?3 WHERE id = ?4",
                params![st, version, ctx.at, id],
            )?;
            record(
                tx,
                ctx,
                id,
                "register_answer",
                (Some(&before.register_status), Some(&st)),
                None,
                serde_json::json!({ "registerErrors": errs, "version": version }),
            )
        })?;
        if status == "rejected" {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            self.notify_act_rejected(
                &crate::store::ActNotice {
                    id,
                    number: before.draft.number.clone(),
                    date: before.draft.date.clone(),
                    errors: errors
                        .iter()
                        .map(|e| crate::store::FieldNotice {
                            field: e.field.clone(),
                            message: e.message.clone(),
                        })
                        .collect(),
                },
                &format!(
                    "ЕРИР отклонил акт № {} от {}: {}",
                    before.draft.number,
                    before.draft.date,
                    list.join("; ")
                ),
            )?;
        }
        self.act(id)
    }

    /// Records that the act was sent to the ORD (a submission counted, for its idempotency key).
    pub(crate) fn record_submission(&mut self, id: ActId) -> Result<Act> {
        let before = self.act(id)?;
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE acts SET submissions = submissions + 1, unsent_change = 0, updated_at = ?1 WHERE id = ?2",
                params![ctx.at, id],
            )?;
            record(
                tx,
                ctx,
                id,
                "act_submitted",
                (Some(&before.register_status), Some("processing")),
                None,
                serde_json::json!({ "submission": before.submissions + 1, "act": before.draft }),
            )
        })?;
        self.act(id)
    }
}

fn changed_fields(a: &ActDraft, b: &ActDraft) -> Vec<&'static str> {
    let mut out = Vec::new();
    let pairs: [(&str, bool); 11] = [
        ("contract", a.contract != b.contract),
        ("number", a.number != b.number),
        ("date", a.date != b.date),
        ("customerRole", a.customer_role != b.customer_role),
        ("executorRole", a.executor_role != b.executor_role),
        ("periodFrom", a.period_from != b.period_from),
        ("periodTo", a.period_to != b.period_to),
        ("amount", a.amount != b.amount),
        ("vatIncluded", a.vat_included != b.vat_included),
        (
            "nonAdvertisingServices",
            a.non_advertising_services != b.non_advertising_services,
        ),
        ("allocations", a.allocations != b.allocations),
    ];
    for (name, differs) in pairs {
        if differs {
            out.push(name);
        }
    }
    out
}
