//! The companies in the window: the list with what waits in each, switching (the core's
//! `Desk`: the old company's app is closed, the new one opened), adding, renaming and removing.
//! These calls are about the list, not the open company, so they carry no `company` argument.

use crate::error::{CmdResult, IpcError};
use crate::state::AppState;
use crate::switched::announce;
use qoltanba_core::company::{Company, CompanyLine, RemovalPlan, Removed};
use qoltanba_core::ErrorCode;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

/// The companies, and the one open in the window.
#[derive(Debug, Serialize, TS)]
pub struct CompanyList {
    pub open: Company,
    pub companies: Vec<CompanyLine>,
}

/// The open company alone (no store is read): what the page names in its calls.
#[tauri::command]
pub async fn company_open(state: State<'_, AppState>) -> CmdResult<Company> {
    Ok(state.desk.company())
}

#[tauri::command]
pub async fn companies(state: State<'_, AppState>) -> CmdResult<CompanyList> {
    let (open, companies) = state.desk.overview()?;
    Ok(CompanyList { open, companies })
}

/// Opens another company; refused while signing or a sync runs in the open one.
#[tauri::command]
pub async fn company_switch<R: Runtime>(handle: AppHandle<R>, id: String) -> CmdResult<Company> {
    let h = handle.clone();
    let switched =
        tauri::async_runtime::spawn_blocking(move || h.state::<AppState>().desk.switch(&id));
    let company = switched
        .await
        .map_err(|e| IpcError::new(ErrorCode::Io, e.to_string()))??;
    announce(&handle, &company);
    Ok(company)
}

#[tauri::command]
pub async fn company_add(state: State<'_, AppState>, name: String) -> CmdResult<Company> {
    Ok(state.desk.add(&name)?)
}

#[tauri::command]
pub async fn company_rename(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> CmdResult<Company> {
    Ok(state.desk.rename(&id, &name)?)
}

/// What removing the company deletes, for the question the page asks first.
#[tauri::command]
pub async fn company_removal(state: State<'_, AppState>, id: String) -> CmdResult<RemovalPlan> {
    Ok(state.desk.removal_plan(&id)?)
}

/// Removes a company that is not open: its folder and its keychain entries.
#[tauri::command]
pub async fn company_remove(state: State<'_, AppState>, id: String) -> CmdResult<Removed> {
    Ok(state.desk.remove(&id)?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{call, Kit, SignerKit};
    use serde_json::{json, Value};
    use std::time::Duration;

    fn status(kit: &Kit, id: i64) -> Value {
        kit.ok("get_document", json!({ "id": id }))["document"]["status"].clone()
    }

    fn titles_listed(kit: &Kit) -> Vec<String> {
        kit.ok("list_documents", json!({}))["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap().to_string())
            .collect()
    }

    /// Company A with one document, company B with one of its own (both stores call theirs
    /// №1), and B open.
    fn two_companies(kit: &Kit) -> (String, String, i64) {
        let a = kit.ok("companies", json!({}))["open"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let a_doc = kit.import_pdf("a.pdf", "Act of completed works No 101");
        let b = kit.ok("company_add", json!({ "name": "ИП Иванов" }));
        let b = b["id"].as_str().unwrap().to_string();
        let opened = kit.ok("company_switch", json!({ "id": b }));
        assert_eq!(opened["name"], "ИП Иванов");
        assert_eq!(kit.ok("company_open", json!({})), opened);
        let b_doc = kit.import_pdf("b.pdf", "Act of completed works No 202");
        assert_eq!(a_doc, b_doc, "each store numbers its own documents");
        (a, b, b_doc)
    }

    #[test]
    fn a_call_made_for_a_company_no_longer_open_is_refused_and_changes_nothing() {
        let kit = Kit::new();
        let (a, b, id) = two_companies(&kit);
        // A click made on A's screen reaches the window after B was opened.
        for (cmd, args) in [
            ("accept_document", json!({ "id": id, "company": a })),
            ("sign_documents", json!({ "ids": [id], "company": a })),
            ("send_outbox", json!({ "company": a })),
            ("get_document", json!({ "id": id, "company": a })),
        ] {
            let e = kit.err(cmd, args);
            assert_eq!(e["code"], "company_changed", "{cmd}: {e}");
            assert!(
                e["message"]
                    .as_str()
                    .unwrap()
                    .contains("открыта «ИП Иванов»"),
                "{e}"
            );
        }
        // A call that names no company at all is refused too.
        let e = call(&kit.webview, "accept_document", json!({ "id": id })).unwrap_err();
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert_eq!(status(&kit, id), "received", "B's document untouched");
        kit.ok("company_switch", json!({ "id": a }));
        assert_eq!(status(&kit, id), "received", "A's document untouched");
        // The list of companies is not about one company: it needs none.
        let list = call(&kit.webview, "companies", json!({})).unwrap();
        let list: Value = match list {
            tauri::ipc::InvokeResponseBody::Json(s) => serde_json::from_str(&s).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(list["open"]["id"], json!(a));
        assert_eq!(list["companies"][1]["id"], json!(b));
    }

    #[test]
    fn switching_shows_the_other_company_s_documents_and_counts_both() {
        let kit = Kit::new();
        let (a, _b, id) = two_companies(&kit);
        kit.ok("accept_document", json!({ "id": id }));
        assert_eq!(titles_listed(&kit), ["b.pdf"], "B's own document");
        let list = kit.ok("companies", json!({}));
        assert_eq!(list["open"]["name"], "ИП Иванов");
        let counts: Vec<(Value, Value, Value)> = list["companies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].clone(),
                    c["waiting"]["decision"].clone(),
                    c["waiting"]["signature"].clone(),
                )
            })
            .collect();
        assert_eq!(
            counts,
            [
                (json!("Основная компания"), json!(1), json!(0)),
                (json!("ИП Иванов"), json!(0), json!(1)),
            ]
        );
        let switched = kit.events("company-switched");
        assert_eq!(switched.last().unwrap()["name"], "ИП Иванов");
        kit.ok("company_switch", json!({ "id": a }));
        assert_eq!(titles_listed(&kit), ["a.pdf"], "A's own document");
        assert_eq!(status(&kit, id), "received");
        // The company opened last is the one the window opens next time.
        assert_eq!(
            kit.ok("companies", json!({}))["companies"][0]["default"],
            true
        );
    }

    #[test]
    fn no_switch_while_a_batch_is_being_signed() {
        let signer = SignerKit::start(Some(qoltanba_signer::fault::Fault::NeverReply));
        let kit = Kit::new();
        signer.configure(&kit);
        let a = kit.import_pdf("a.pdf", "Act of completed works No 7");
        kit.ok("accept_document", json!({ "id": a }));
        let b = kit.ok("company_add", json!({ "name": "B" }))["id"].clone();
        let webview = kit.webview.clone();
        let args = kit.as_page(json!({ "ids": [a] }));
        let signing = std::thread::spawn(move || call(&webview, "sign_documents", args));
        let started = std::time::Instant::now();
        while !kit
            .events("sign_progress")
            .iter()
            .any(|e| e["stage"] == "waiting_for_pin")
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the batch waits"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let e = kit.err("company_switch", json!({ "id": b }));
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert!(e["message"].as_str().unwrap().contains("подписание"), "{e}");
        assert_eq!(
            kit.ok("companies", json!({}))["open"]["name"],
            "Основная компания"
        );
        kit.ok("cancel_signing", json!({}));
        assert_eq!(
            signing.join().unwrap().unwrap_err()["code"],
            "user_cancelled"
        );
        assert_eq!(kit.ok("company_switch", json!({ "id": b }))["name"], "B");
    }

    #[test]
    fn removal_names_what_goes_and_never_takes_the_open_company() {
        let kit = Kit::new();
        let (a, b, _) = two_companies(&kit);
        let e = kit.err("company_removal", json!({ "id": b }));
        assert!(e["message"].as_str().unwrap().contains("открыта"), "{e}");
        let e = kit.err("company_remove", json!({ "id": b }));
        assert_eq!(e["code"], "invalid_input", "{e}");
        kit.ok("company_switch", json!({ "id": a }));
        let plan = kit.ok("company_removal", json!({ "id": b }));
        assert_eq!(plan["company"]["name"], "ИП Иванов");
        assert_eq!(plan["documents"], 1);
        assert!(plan["keychainEntries"].as_u64().unwrap() >= 2, "{plan}");
        let folder = std::path::PathBuf::from(plan["folder"].as_str().unwrap());
        assert!(folder.exists());
        let removed = kit.ok("company_remove", json!({ "id": b }));
        assert_eq!(removed["company"]["id"], json!(b));
        assert!(!folder.exists());
        let list = kit.ok("companies", json!({}));
        assert_eq!(list["companies"].as_array().unwrap().len(), 1);
        // A's document is still there.
        let e = kit.err("company_switch", json!({ "id": b }));
        assert_eq!(e["code"], "invalid_input", "{e}");
    }
}
