//! Import of files the user chose or dropped (PDF, XML, signatures beside them, folders), and
//! the demo documents of the first run.

use crate::error::CmdResult;
use crate::state::AppState;
use qoltanba_core::import::{self, ImportOutcome};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

/// Imports the files or folders at `paths`; without paths (null) the shell asks for them with
/// the system's open dialog (an empty list when the user closes it). One outcome per file
/// (added, already there, or why not), so one bad file does not hide the others.
#[tauri::command]
pub async fn import_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Option<Vec<String>>,
) -> CmdResult<Vec<ImportOutcome>> {
    let paths: Vec<PathBuf> = match paths {
        Some(p) => p.into_iter().map(PathBuf::from).collect(),
        None => pick_files(app).await,
    };
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut store = state.store.lock().await;
    Ok(import::import_paths(&mut store, &paths)?)
}

async fn pick_files<R: Runtime>(app: AppHandle<R>) -> Vec<PathBuf> {
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Импорт документов")
            .add_filter("Документы и подписи", &["pdf", "xml", "cms", "p7s", "sig"])
            .blocking_pick_files()
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default();
    picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}

#[derive(Debug, Serialize)]
pub struct DemoLoaded {
    pub added: usize,
}

/// A month of example closing documents (XML, as an operator sends them), so a first look at the
/// program has something to open. Loading them again adds nothing.
const DEMO: &[(&str, &str)] = &[
    (
        "demo-sales-report.xml",
        "Отчёт о реализации товара|OR-2026-10|2026-10-31|1250000.00",
    ),
    (
        "demo-placement-act.xml",
        "Акт выполненных работ (услуги размещения на платформе)|AR-2026-10-01|2026-10-31|84500.00",
    ),
    (
        "demo-other-services-act.xml",
        "Акт выполненных работ (прочие услуги)|AP-2026-10-02|2026-10-31|12300.00",
    ),
    (
        "demo-points-bonus-act.xml",
        "Акт о бонусе за расчёты баллами|AB-2026-10-03|2026-10-31|5600.00",
    ),
    (
        "demo-reconciliation-act.xml",
        "Акт сверки взаиморасчётов за период|AS-2026-10|2026-10-31|0.00",
    ),
];

fn demo_xml(line: &str) -> String {
    let f: Vec<&str> = line.split('|').collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act><title>{}</title><number>{}</number><date>{}</date>\n\
         <sender>ТОО «Маркетплейс» БИН 201040012345</sender><recipient>ТОО «Продавец» БИН 123456789021</recipient>\n\
         <body>Итого: {} KZT. Пример документа Qoltanba.</body></act>\n",
        f[0], f[1], f[2], f[3]
    )
}

#[tauri::command]
pub async fn load_demo(state: State<'_, AppState>) -> CmdResult<DemoLoaded> {
    let mut store = state.store.lock().await;
    let mut added = 0;
    for (name, line) in DEMO {
        let i = import::import_bytes(&mut store, name, demo_xml(line).into_bytes(), Vec::new())?;
        if i.new {
            added += 1;
        }
    }
    Ok(DemoLoaded { added })
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Kit;
    use serde_json::json;

    #[test]
    fn import_reports_each_file_and_a_second_import_is_not_a_copy() {
        let kit = Kit::new();
        let pdf = kit.write_pdf("report.pdf", "Sales report No 5 of 01.10.2026");
        let junk = kit.dir.path().join("notes.exe");
        std::fs::write(&junk, b"MZ").unwrap();
        let r = kit.ok("import_files", json!({ "paths": [pdf, junk] }));
        let r = r.as_array().unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["imported"]["new"], true, "{r:?}");
        assert!(r[1]["error"]["code"].is_string(), "{r:?}");
        let again = kit.ok("import_files", json!({ "paths": [pdf] }));
        assert_eq!(again[0]["imported"]["new"], false);
        assert_eq!(kit.ok("import_files", json!({ "paths": [] })), json!([]));
    }

    #[test]
    fn the_demo_loads_once() {
        let kit = Kit::new();
        assert_eq!(kit.ok("load_demo", json!({}))["added"], 5);
        assert_eq!(kit.ok("load_demo", json!({}))["added"], 0);
        assert_eq!(kit.ok("tab_counts", json!({}))["all"], 5);
        let list = kit.ok("list_documents", json!({ "query": { "tab": "all" } }));
        let kinds: Vec<&str> = list["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"reconciliation_act"), "{kinds:?}");
        let one = kit.ok(
            "list_documents",
            json!({ "query": { "tab": "all", "kind": "reconciliation_act" } }),
        );
        assert_eq!(one["documents"].as_array().unwrap().len(), 1, "{one}");
        let text = kit.ok("list_documents", json!({ "query": { "text": "сверки" } }));
        assert_eq!(text["documents"].as_array().unwrap().len(), 1, "{text}");
    }
}
