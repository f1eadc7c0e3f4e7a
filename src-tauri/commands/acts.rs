//! Advertising acts for the register (ERIR): the list with register status and deadline, one act
//! with its violations and the statistics to link, live checking of an unsaved draft, saving,
//! prefill from a signed document, known contracts, statistics links, history, submission
//! through the ORD (waiting briefly for the register's answer) and deletion requests. The rules,
//! deadlines and the register's calls are all qoltanba-core's; nothing is decided here.

use crate::commands::documents::DocumentRef;
use crate::error::{CmdResult, IpcError};
use crate::state::{off_thread, AppState};
use qoltanba_core::acts::register::{
    refresh_act as refresh, send_deletion_requests, submit_act as submit,
};
use qoltanba_core::acts::{
    Act, ActDraft, ActId, Contract, DeadlineLine, DeadlineState, Prefilled, StatisticsRecord,
    Violation,
};
use qoltanba_core::model::DocumentId;
use qoltanba_core::store::history::HistoryEntry;
use qoltanba_core::{ErrorCode, Store};
use serde::Serialize;
use std::time::Duration;
use tauri::State;

/// How long `submit_act` waits for the register to leave `processing` before answering; the
/// page asks again with `refresh_act` after that.
const REGISTER_WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(150);

/// The most urgent deadline of the statistics linked to an act.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActDeadline {
    pub state: DeadlineState,
    pub deadline: String,
    pub days_left: i64,
}

/// One row of the acts list.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActRow {
    #[serde(flatten)]
    pub act: Act,
    pub deadline: Option<ActDeadline>,
}

/// Everything the act editor shows, in one call.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActDetail {
    pub act: Act,
    /// Every rule the saved act breaks now (each with ru/kk/en messages).
    pub violations: Vec<Violation>,
    /// All statistics records with their deadlines: linked to this act or free to link.
    pub statistics: Vec<DeadlineLine>,
    /// The closing document the act was made from.
    pub document: Option<DocumentRef>,
}

fn urgency(s: DeadlineState) -> u8 {
    match s {
        DeadlineState::Overdue => 3,
        DeadlineState::DueSoon => 2,
        DeadlineState::Open => 1,
        DeadlineState::Registered => 0,
    }
}

fn act_deadline(lines: &[DeadlineLine], id: ActId) -> Option<ActDeadline> {
    lines
        .iter()
        .filter(|l| l.record.act_id == Some(id))
        .max_by_key(|l| (urgency(l.state), -l.days_left))
        .map(|l| ActDeadline {
            state: l.state,
            deadline: l.record.deadline.to_string(),
            days_left: l.days_left,
        })
}

fn detail(store: &Store, id: ActId) -> qoltanba_core::Result<ActDetail> {
    let act = store.act(id)?;
    let document = match act.document_id {
        Some(d) => store.document(d).ok().map(|d| DocumentRef::from(&d)),
        None => None,
    };
    Ok(ActDetail {
        violations: store.check_act(&act.draft)?,
        statistics: store.deadlines()?,
        document,
        act,
    })
}

/// Acts, newest date first, each with its most urgent statistics deadline.
#[tauri::command]
pub async fn list_acts(state: State<'_, AppState>) -> CmdResult<Vec<ActRow>> {
    let store = state.store.lock().await;
    let lines = store.deadlines()?;
    Ok(store
        .acts()?
        .into_iter()
        .map(|act| ActRow {
            deadline: act_deadline(&lines, act.id),
            act,
        })
        .collect())
}

#[tauri::command]
pub async fn get_act(state: State<'_, AppState>, id: ActId) -> CmdResult<ActDetail> {
    Ok(detail(&*state.store.lock().await, id)?)
}

/// Every rule the draft breaks, for live validation while the user types (nothing is saved).
#[tauri::command]
pub async fn check_act(state: State<'_, AppState>, draft: ActDraft) -> CmdResult<Vec<Violation>> {
    Ok(state.store.lock().await.check_act(&draft)?)
}

/// Saves the draft: a new act when `id` is null. An incomplete act may be saved; a wrongly typed
/// field is refused with every such field in the message.
#[tauri::command]
pub async fn save_act(
    state: State<'_, AppState>,
    id: Option<ActId>,
    draft: ActDraft,
) -> CmdResult<ActDetail> {
    let mut store = state.store.lock().await;
    let id = match id {
        Some(id) => store.update_act(id, &draft)?.id,
        None => store.create_act(&draft, None)?.id,
    };
    Ok(detail(&store, id)?)
}

/// A new act prefilled from a signed closing document and linked back to it.
#[tauri::command]
pub async fn act_from_document(
    state: State<'_, AppState>,
    document_id: DocumentId,
) -> CmdResult<Prefilled> {
    Ok(state.store.lock().await.act_from_document(document_id)?)
}

/// Known contracts matching the query (number, ORD id, counterparty); all of them when empty.
#[tauri::command]
pub async fn search_contracts(
    state: State<'_, AppState>,
    query: String,
) -> CmdResult<Vec<Contract>> {
    let book = state.store.lock().await.contracts()?;
    if query.trim().is_empty() {
        return Ok(book.0);
    }
    Ok(book.search(&query).into_iter().cloned().collect())
}

/// Every statistics record with its deadline as of today, soonest first (also the reminders).
#[tauri::command]
pub async fn act_deadlines(state: State<'_, AppState>) -> CmdResult<Vec<DeadlineLine>> {
    Ok(state.store.lock().await.deadlines()?)
}

/// Links a statistics record to the act's allocation line (0-based).
#[tauri::command]
pub async fn link_statistics(
    state: State<'_, AppState>,
    statistics: String,
    act: ActId,
    allocation: usize,
) -> CmdResult<StatisticsRecord> {
    Ok(state
        .store
        .lock()
        .await
        .link_statistics(&statistics, act, allocation)?)
}

#[tauri::command]
pub async fn clear_statistics(
    state: State<'_, AppState>,
    statistics: String,
) -> CmdResult<StatisticsRecord> {
    Ok(state.store.lock().await.clear_statistics(&statistics)?)
}

/// The act's entries of the shared hash-chained history, oldest first.
#[tauri::command]
pub async fn act_history(state: State<'_, AppState>, id: ActId) -> CmdResult<Vec<HistoryEntry>> {
    Ok(state.store.lock().await.act_history(id)?)
}

/// Runs one register call on a blocking thread (the core's futures borrow the store across
/// awaits and are not Send), holding the store for that call only.
async fn with_register<T, F>(state: &AppState, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: for<'a> FnOnce(
            &'a mut Store,
            &'a qoltanba_core::acts::OrdClient,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = qoltanba_core::Result<T>> + 'a>,
        > + Send
        + 'static,
{
    let mut store = state.store.clone().lock_owned().await;
    let ord = state.ord(&store)?;
    Ok(off_thread(move || tauri::async_runtime::block_on(f(&mut store, &ord))).await??)
}

/// Checks, puts and submits the act to the ORD, then waits a few seconds for the register's
/// answer (accepted, or rejected with errors per field, which also land in notifications). An
/// act that breaks a rule is refused before anything is sent.
#[tauri::command]
pub async fn submit_act(state: State<'_, AppState>, id: ActId) -> CmdResult<ActDetail> {
    with_register(&state, move |s, o| Box::pin(submit(s, id, o))).await?;
    let until = tokio::time::Instant::now() + REGISTER_WAIT;
    loop {
        let act = state.store.lock().await.act(id)?;
        if act.register_status != "processing" || tokio::time::Instant::now() >= until {
            break;
        }
        tokio::time::sleep(POLL).await;
        with_register(&state, move |s, o| Box::pin(refresh(s, id, o))).await?;
    }
    Ok(detail(&*state.store.lock().await, id)?)
}

/// Asks the register again for the act's status (after `submit_act` answered `processing`).
#[tauri::command]
pub async fn refresh_act(state: State<'_, AppState>, id: ActId) -> CmdResult<ActDetail> {
    with_register(&state, move |s, o| Box::pin(refresh(s, id, o))).await?;
    Ok(detail(&*state.store.lock().await, id)?)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletionOutcome {
    pub detail: ActDetail,
    /// Whether the request reached the ORD now; when not, it is kept and sent next time.
    pub sent: bool,
    /// Why it was not sent.
    pub problem: Option<IpcError>,
}

/// Records a request to delete the act from the register, with the reason, and sends it. The
/// act is never deleted; an unsent request stays recorded and goes with the next request.
#[tauri::command]
pub async fn request_act_deletion(
    state: State<'_, AppState>,
    id: ActId,
    reason: String,
) -> CmdResult<DeletionOutcome> {
    {
        // A request still unsent (the ORD was unreachable) is sent again, not recorded twice.
        let mut store = state.store.lock().await;
        let pending = store
            .unsent_deletion_requests()?
            .into_iter()
            .any(|r| r.act_id == id);
        if !pending {
            store.request_act_deletion(id, &reason)?;
        }
    }
    let sent = with_register(&state, |s, o| Box::pin(send_deletion_requests(s, o))).await;
    let (sent, problem) = match sent {
        Ok(_) => (true, None),
        Err(e) if e.code == ErrorCode::InvalidInput => return Err(e),
        Err(e) => (false, Some(e)),
    };
    Ok(DeletionOutcome {
        detail: detail(&*state.store.lock().await, id)?,
        sent,
        problem,
    })
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, OperatorKit};
    use qoltanba_core::acts::NewStatistics;
    use qoltanba_core::store::NewSignature;
    use serde_json::{json, Value};

    /// A document imported, accepted and signed (the signature recorded as the signing command
    /// records it; NCALayer itself is tested with the signing commands).
    fn signed_document(kit: &Kit) -> i64 {
        let id = kit.import_pdf("act.pdf", "Act of completed works No 17 of 05.10.2026");
        kit.ok("accept_document", json!({ "id": id }));
        let state = kit.state();
        tauri::async_runtime::block_on(async {
            let mut store = state.store.lock().await;
            let sha = store.document(id).unwrap().content_sha256;
            store
                .record_own_signature(
                    id,
                    NewSignature {
                        attachment_id: None,
                        signed_sha256: sha,
                        cms: vec![1],
                        signer: None,
                        verdict: None,
                    },
                    json!({}),
                )
                .unwrap();
        });
        id
    }

    fn draft(allocation: &str) -> Value {
        json!({
            "contract": "ДР-2026/15", "number": "A-17", "date": "2026-10-31",
            "customerRole": "advertiser", "executorRole": "ad_system_operator",
            "periodFrom": "2026-10-01", "periodTo": "2026-10-31",
            "amount": "120000.00", "vatIncluded": true, "nonAdvertisingServices": false,
            "allocations": [{ "initialContract": "ДР-2026/15", "amount": allocation,
                              "vatIncluded": true, "statistics": [] }]
        })
    }

    fn fields(violations: &Value) -> Vec<(String, String)> {
        violations
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["field"].as_str().unwrap().to_string(),
                    v["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn an_act_from_a_signed_document_is_fixed_where_the_rules_point_and_accepted() {
        let operator = OperatorKit::start();
        let kit = Kit::new();
        operator.use_account(&kit);
        assert_eq!(kit.ok("list_acts", json!({})), json!([]));

        let unsigned = kit.import_pdf("other.pdf", "Reconciliation act No 18 of 06.10.2026");
        let e = kit.err("act_from_document", json!({ "documentId": unsigned }));
        assert_eq!(e["code"], "invalid_transition");
        assert!(
            e["message"].as_str().unwrap().contains("не подписан"),
            "{e}"
        );

        let doc = signed_document(&kit);
        let p = kit.ok("act_from_document", json!({ "documentId": doc }));
        let id = p["act"]["id"].as_i64().unwrap();
        assert_eq!(p["act"]["documentId"], doc);
        assert_eq!(p["act"]["registerStatus"], "local");
        assert!(p["toFill"].to_string().contains("contract"), "{p}");

        // The editor's live check: the allocation exceeds the act, on that line's amount.
        let v = kit.ok("check_act", json!({ "draft": draft("150000.00") }));
        assert_eq!(
            fields(&v),
            [(
                "allocations[0].amount".to_string(),
                "allocation_exceeds_act".to_string()
            )]
        );
        assert!(
            v[0]["message"]
                .as_str()
                .unwrap()
                .contains("больше суммы акта"),
            "{v}"
        );
        assert!(!v[0]["messageKk"].as_str().unwrap().is_empty());
        assert!(!v[0]["messageEn"].as_str().unwrap().is_empty());
        assert_eq!(
            kit.ok("check_act", json!({ "draft": draft("120000.00") })),
            json!([])
        );

        let saved = kit.ok("save_act", json!({ "id": id, "draft": draft("120000.00") }));
        assert_eq!(saved["violations"], json!([]));
        assert_eq!(
            saved["document"]["id"], doc,
            "the act links back to its document"
        );

        let done = kit.ok("submit_act", json!({ "id": id }));
        assert_eq!(done["act"]["registerStatus"], "accepted", "{done}");
        assert_eq!(done["act"]["registerErrors"], json!([]));
        let rows = kit.ok("list_acts", json!({}));
        assert_eq!(rows[0]["registerStatus"], "accepted");
        assert_eq!(rows[0]["number"], "A-17");
        let e = kit.err("submit_act", json!({ "id": id }));
        assert_eq!(e["code"], "invalid_transition");

        let h = kit.ok("act_history", json!({ "id": id }));
        let actions: Vec<&str> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions.first(), Some(&"act_created_from_document"));
        assert!(actions.contains(&"act_edited"), "{actions:?}");
        assert!(actions.contains(&"act_submitted"), "{actions:?}");
        assert_eq!(actions.last(), Some(&"register_answer"));
        assert_eq!(kit.ok("verify_history", json!({}))["intact"], true);
    }

    #[test]
    fn a_rejected_submission_puts_the_registers_errors_on_their_fields_and_in_notifications() {
        let operator = OperatorKit::start_rejecting(&[
            ("allocations[0].amount", "сумма не сходится со статистикой"),
            ("contract", "договор не зарегистрирован в ЕРИР"),
        ]);
        let kit = Kit::new();
        operator.use_account(&kit);
        let broken = kit.ok(
            "save_act",
            json!({ "id": null, "draft": draft("150000.00") }),
        );
        let id = broken["act"]["id"].as_i64().unwrap();
        assert_eq!(
            fields(&broken["violations"]),
            [(
                "allocations[0].amount".to_string(),
                "allocation_exceeds_act".to_string()
            )]
        );
        // Broken by the rules: refused before anything is sent.
        let e = kit.err("submit_act", json!({ "id": id }));
        assert_eq!(e["code"], "invalid_input");
        assert!(e["message"]
            .as_str()
            .unwrap()
            .contains("allocations[0].amount"));
        assert_eq!(
            kit.ok("get_act", json!({ "id": id }))["act"]["registerStatus"],
            "local"
        );

        kit.ok("save_act", json!({ "id": id, "draft": draft("120000.00") }));
        let done = kit.ok("submit_act", json!({ "id": id }));
        assert_eq!(done["act"]["registerStatus"], "rejected", "{done}");
        assert_eq!(
            done["act"]["registerErrors"],
            json!([
                { "field": "allocations[0].amount", "message": "сумма не сходится со статистикой" },
                { "field": "contract", "message": "договор не зарегистрирован в ЕРИР" }
            ])
        );
        let bell = kit.ok("notifications", json!({}));
        assert_eq!(bell.as_array().unwrap().len(), 1, "{bell}");
        assert_eq!(bell[0]["category"], "error");
        assert!(bell[0]["message"]
            .as_str()
            .unwrap()
            .contains("договор не зарегистрирован в ЕРИР"));
        // A rejected act can be corrected and sent again.
        let mut fixed = draft("120000.00");
        fixed["number"] = json!("A-17/1");
        let again = kit.ok("save_act", json!({ "id": id, "draft": fixed }));
        assert_eq!(again["act"]["number"], "A-17/1");
    }

    #[test]
    fn deletion_is_requested_with_a_reason_and_the_act_stays() {
        let kit = Kit::new();
        let id = kit.ok(
            "save_act",
            json!({ "id": null, "draft": draft("120000.00") }),
        )["act"]["id"]
            .as_i64()
            .unwrap();
        let e = kit.err("request_act_deletion", json!({ "id": id, "reason": "  " }));
        assert_eq!(e["code"], "invalid_input");
        // No account yet: recorded, not sent, and the user is told why.
        let r = kit.ok(
            "request_act_deletion",
            json!({ "id": id, "reason": "Акт загружен дважды" }),
        );
        assert_eq!(r["sent"], false);
        assert_eq!(r["problem"]["code"], "not_found");
        assert_eq!(r["detail"]["act"]["deletionRequested"], true);

        let operator = OperatorKit::start();
        operator.use_account(&kit);
        kit.ok("submit_act", json!({ "id": id }));
        let r = kit.ok(
            "request_act_deletion",
            json!({ "id": id, "reason": "Акт загружен дважды" }),
        );
        assert_eq!(r["sent"], true, "{r}");
        assert_eq!(r["problem"], json!(null));
        assert_eq!(kit.ok("list_acts", json!({})).as_array().unwrap().len(), 1);
        let h = kit.ok("act_history", json!({ "id": id })).to_string();
        assert_eq!(
            h.matches("Акт загружен дважды").count(),
            1,
            "one request, sent on the second try: {h}"
        );
    }

    #[test]
    fn statistics_are_linked_and_cleared_and_their_deadline_shows_on_the_act() {
        let kit = Kit::new();
        let id = kit.ok(
            "save_act",
            json!({ "id": null, "draft": draft("120000.00") }),
        )["act"]["id"]
            .as_i64()
            .unwrap();
        let state = kit.state();
        let stat = tauri::async_runtime::block_on(async {
            let mut store = state.store.lock().await;
            store
                .add_statistics(&NewStatistics {
                    creative: "erid-1".into(),
                    platform: "ozon.ru".into(),
                    impressions: 1000,
                    amount: "1500.00".into(),
                    first_shown: "2020-01-15".into(),
                })
                .unwrap()
                .id
        });
        assert_eq!(kit.ok("list_acts", json!({}))[0]["deadline"], json!(null));
        let e = kit.err(
            "link_statistics",
            json!({ "statistics": stat, "act": id, "allocation": 3 }),
        );
        assert_eq!(e["code"], "invalid_input");
        let linked = kit.ok(
            "link_statistics",
            json!({ "statistics": stat, "act": id, "allocation": 0 }),
        );
        assert_eq!(linked["actId"], id);
        let row = &kit.ok("list_acts", json!({}))[0];
        assert_eq!(row["deadline"]["state"], "overdue", "{row}");
        assert_eq!(row["deadline"]["deadline"], "2020-03-01");
        let d = kit.ok("act_deadlines", json!({}));
        assert_eq!(d[0]["state"], "overdue");
        let cleared = kit.ok("clear_statistics", json!({ "statistics": stat }));
        assert_eq!(cleared["actId"], json!(null));
        assert_eq!(kit.ok("list_acts", json!({}))[0]["deadline"], json!(null));
        assert_eq!(
            kit.ok("search_contracts", json!({ "query": "" })),
            json!([])
        );
    }
}
