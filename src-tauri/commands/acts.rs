//! Advertising acts for the register (ERIR): the list with register status and deadline, one act
//! with its violations and the statistics to link, live checking of an unsaved draft, saving,
//! prefill from a signed document, known contracts, statistics links, history, submission
//! through the ORD and deletion requests (an e-mail to the ORD's support). The rules, deadlines and the register's calls are all
//! qoltanba-core's; nothing is decided here.

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::acts::{
    open_in_mail_program, ActDraft, ActId, Contract, DeadlineLine, Prefilled, StatisticsRecord,
    Violation,
};
use qoltanba_core::app::acts::{self, ActDetail, ActRow, DeletionOutcome};
use qoltanba_core::model::DocumentId;
use qoltanba_core::store::history::HistoryEntry;

/// Acts, newest date first, each with its most urgent statistics deadline.
#[tauri::command]
pub async fn list_acts(app: Opened) -> CmdResult<Vec<ActRow>> {
    Ok(app.read(acts::list)?)
}

#[tauri::command]
pub async fn get_act(app: Opened, id: ActId) -> CmdResult<ActDetail> {
    Ok(app.read(|s| acts::detail(s, id))?)
}

/// Every rule the draft breaks, for live validation while the user types (nothing is saved).
#[tauri::command]
pub async fn check_act(app: Opened, draft: ActDraft) -> CmdResult<Vec<Violation>> {
    Ok(app.read(|s| s.check_act(&draft))?)
}

/// Saves the draft: a new act when `id` is null. An incomplete act may be saved; a wrongly typed
/// field is refused with every such field in the message.
#[tauri::command]
pub async fn save_act(app: Opened, id: Option<ActId>, draft: ActDraft) -> CmdResult<ActDetail> {
    Ok(app.write(|s| acts::save(s, id, &draft))?)
}

/// A new act prefilled from a signed closing document and linked back to it.
#[tauri::command]
pub async fn act_from_document(app: Opened, document_id: DocumentId) -> CmdResult<Prefilled> {
    Ok(app.write(|s| s.act_from_document(document_id))?)
}

/// Known contracts matching the query (number, ORD id, counterparty); all of them when empty.
#[tauri::command]
pub async fn search_contracts(app: Opened, query: String) -> CmdResult<Vec<Contract>> {
    Ok(app.read(|s| acts::contracts(s, &query))?)
}

/// Every statistics record with its deadline as of today, soonest first (also the reminders).
#[tauri::command]
pub async fn act_deadlines(app: Opened) -> CmdResult<Vec<DeadlineLine>> {
    Ok(app.read(|s| s.deadlines())?)
}

/// Links a statistics record to the act's allocation line (0-based).
#[tauri::command]
pub async fn link_statistics(
    app: Opened,
    statistics: String,
    act: ActId,
    allocation: usize,
) -> CmdResult<StatisticsRecord> {
    Ok(app.write(|s| s.link_statistics(&statistics, act, allocation))?)
}

#[tauri::command]
pub async fn clear_statistics(app: Opened, statistics: String) -> CmdResult<StatisticsRecord> {
    Ok(app.write(|s| s.clear_statistics(&statistics))?)
}

/// The act's entries of the shared hash-chained history, oldest first.
#[tauri::command]
pub async fn act_history(app: Opened, id: ActId) -> CmdResult<Vec<HistoryEntry>> {
    Ok(app.read(|s| s.act_history(id))?)
}

/// Checks, puts and submits the act to the ORD, then waits a few seconds for the register.
#[tauri::command]
pub async fn submit_act(app: Opened, id: ActId) -> CmdResult<ActDetail> {
    Ok(app.submit_act(id, acts::REGISTER_WAIT).await?)
}

/// Asks the register again for the act's status (after `submit_act` answered `processing`).
#[tauri::command]
pub async fn refresh_act(app: Opened, id: ActId) -> CmdResult<ActDetail> {
    Ok(app.refresh_act(id).await?)
}

/// Records a request to delete the act (reason, date in its history) and prepares the e-mail to
/// the ORD's support; no network call (the ORD deletes acts only on a written request).
#[tauri::command]
pub async fn request_act_deletion(
    app: Opened,
    id: ActId,
    reason: String,
) -> CmdResult<DeletionOutcome> {
    Ok(app.write(|s| acts::request_deletion(s, id, &reason))?)
}

/// Opens the latest deletion request's e-mail in the user's mail program (a `mailto:` the core
/// built; nothing else is ever opened).
#[tauri::command]
pub async fn open_act_deletion_letter(app: Opened, id: ActId) -> CmdResult<()> {
    let letter = app.read(|s| s.deletion_letter(id))?;
    Ok(open_in_mail_program(&letter)?)
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
        state
            .app()
            .write(|store| {
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
                Ok(())
            })
            .unwrap();
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
        // The notification names the act and each field, for the window to open it there.
        assert_eq!(bell[0]["act"]["id"], id, "{bell}");
        assert_eq!(
            bell[0]["act"]["errors"][0]["field"],
            "allocations[0].amount"
        );
        // A rejected act can be corrected and sent again.
        let mut fixed = draft("120000.00");
        fixed["number"] = json!("A-17/1");
        let again = kit.ok("save_act", json!({ "id": id, "draft": fixed }));
        assert_eq!(again["act"]["number"], "A-17/1");
    }

    #[test]
    fn deletion_is_a_prepared_letter_to_the_ords_support_recorded_in_history() {
        // No operator or ORD account at all: nothing goes over the network.
        let kit = Kit::new();
        let id = kit.ok(
            "save_act",
            json!({ "id": null, "draft": draft("120000.00") }),
        )["act"]["id"]
            .as_i64()
            .unwrap();
        let e = kit.err("request_act_deletion", json!({ "id": id, "reason": "  " }));
        assert_eq!(e["code"], "invalid_input");
        let e = kit.err("open_act_deletion_letter", json!({ "id": id }));
        assert_eq!(e["code"], "not_found", "no request yet: {e}");
        let r = kit.ok(
            "request_act_deletion",
            json!({ "id": id, "reason": "Акт загружен дважды" }),
        );
        assert_eq!(r["letter"]["to"], "info@ord.ozon.ru");
        assert_eq!(r["letter"]["subject"], "Удаление акта № A-17 от 2026-10-31");
        let body = r["letter"]["body"].as_str().unwrap();
        assert!(body.contains("по договору № ДР-2026/15"), "{body}");
        assert!(body.contains("Причина: Акт загружен дважды"), "{body}");
        assert!(r["letter"]["mailto"]
            .as_str()
            .unwrap()
            .starts_with("mailto:info@ord.ozon.ru?subject="));
        assert_eq!(r["detail"]["act"]["deletionRequested"], true);
        assert!(r["request"]["createdAt"]
            .as_str()
            .unwrap()
            .starts_with("20"));
        assert_eq!(kit.ok("list_acts", json!({})).as_array().unwrap().len(), 1);
        let h = kit.ok("act_history", json!({ "id": id }));
        let last = h.as_array().unwrap().last().unwrap();
        assert_eq!(last["action"], "deletion_requested");
        assert_eq!(last["reason"], "Акт загружен дважды");
        assert_eq!(last["detail"]["to"], "info@ord.ozon.ru");
    }

    #[test]
    fn an_act_made_with_add_reads_typed_amounts_and_an_accepted_one_is_edited_and_sent_again() {
        let operator = OperatorKit::start();
        let kit = Kit::new();
        operator.use_account(&kit);
        // «Добавить»: a new act from the window, amounts as people type them.
        let mut typed = draft("120 000,00");
        typed["amount"] = json!("120\u{a0}000,00");
        typed["executorRole"] = json!("advertiser");
        assert_eq!(kit.ok("check_act", json!({ "draft": typed })), json!([]));
        let mut wrong = typed.clone();
        wrong["amount"] = json!("12,3,4");
        let v = kit.ok("check_act", json!({ "draft": wrong }));
        assert_eq!(
            fields(&v),
            [("amount".to_string(), "amount_invalid".to_string())]
        );
        let e = kit.err("save_act", json!({ "id": null, "draft": wrong }));
        assert_eq!(e["code"], "invalid_input");
        assert_eq!(kit.ok("list_acts", json!({})), json!([]), "nothing saved");
        let saved = kit.ok("save_act", json!({ "id": null, "draft": typed }));
        let id = saved["act"]["id"].as_i64().unwrap();
        assert_eq!(saved["act"]["amount"], "120000.00");
        assert_eq!(saved["act"]["allocations"][0]["amount"], "120000.00");
        assert_eq!(saved["act"]["documentId"], json!(null));

        let done = kit.ok("submit_act", json!({ "id": id }));
        assert_eq!(done["act"]["registerStatus"], "accepted", "{done}");
        assert_eq!(done["act"]["registerVersion"], 1);
        // «⋯ → Редактировать → Сохранить»: the accepted act changes and goes again.
        let mut edited = typed.clone();
        edited["number"] = json!("A-17/2");
        let e = kit.ok("save_act", json!({ "id": id, "draft": edited }));
        assert_eq!(e["act"]["unsentChange"], true);
        assert_eq!(e["act"]["registerStatus"], "accepted");
        let again = kit.ok("submit_act", json!({ "id": id }));
        assert_eq!(again["act"]["registerStatus"], "accepted", "{again}");
        assert_eq!(again["act"]["registerVersion"], 2);
        assert_eq!(again["act"]["unsentChange"], false);
        let row = &kit.ok("list_acts", json!({}))[0];
        assert_eq!(row["number"], "A-17/2");
        assert_eq!(row["contractNumber"], "ДР-2026/15");
        assert_eq!(row["creatives"], 0);
        let e = kit.err("submit_act", json!({ "id": id }));
        assert_eq!(e["code"], "invalid_transition", "nothing new to send");
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
        let stat = state
            .app()
            .write(|store| {
                Ok(store
                    .add_statistics(&NewStatistics {
                        creative: "erid-1".into(),
                        platform: "ozon.ru".into(),
                        impressions: 1000,
                        amount: "1500.00".into(),
                        first_shown: "2020-01-15".into(),
                    })
                    .unwrap()
                    .id)
            })
            .unwrap();
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
