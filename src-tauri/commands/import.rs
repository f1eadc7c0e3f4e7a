//! Import of files the user chose or dropped (PDF, XML, signatures beside them, folders), and
//! the demo documents of the first run. The page never names a path: script in it (an injected
//! one included) could otherwise read back any PDF or XML the user can read, or hang the store on
//! a pipe. Paths come from the system's open dialog, or from the OS's drop event, which the shell
//! keeps and the page refers to by the drop's id.

use crate::error::{CmdResult, IpcError};
use crate::state::{AppState, Opened};
use qoltanba_core::app::import::{load_demo as demo, DemoLoaded};
use qoltanba_core::import::ImportOutcome;
use qoltanba_core::ErrorCode;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

/// The event that announces a drop: `{ "drop": <id>, "names": [<file names>] }`. The page
/// imports it with `import_drop`.
pub const FILES_DROPPED_EVENT: &str = "files-dropped";

/// Payload of `files-dropped`: the shell keeps the paths; the page imports them by `drop`.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct FilesDropped {
    pub drop: u64,
    pub names: Vec<String>,
}

const NO_PATHS: &str = "Окно не принимает пути к файлам от страницы: выберите файлы в окне выбора или перетащите их в окно";
const DROP_GONE: &str = "Перетащенные файлы уже импортированы или забыты: перетащите их ещё раз";

/// Asks for files with the system's open dialog and imports them (an empty list when the user
/// closes it). `paths` from the page are refused: see the module's comment.
#[tauri::command]
pub async fn import_files<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    paths: Option<serde_json::Value>,
) -> CmdResult<Vec<ImportOutcome>> {
    if paths.is_some_and(|p| !p.is_null()) {
        return Err(IpcError::new(ErrorCode::InvalidInput, NO_PATHS));
    }
    let paths = super::dialogs::pick_files(handle.clone()).await;
    import_chosen(handle, app, paths).await
}

/// Imports the files of drop `drop` (announced by the `files-dropped` event), once.
#[tauri::command]
pub async fn import_drop<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    state: State<'_, AppState>,
    drop: u64,
) -> CmdResult<Vec<ImportOutcome>> {
    let paths = state.take_drop(drop);
    let paths = paths.ok_or_else(|| IpcError::new(ErrorCode::NotFound, DROP_GONE))?;
    import_chosen(handle, app, paths).await
}

/// The shell's side of a drop on the window: keeps the paths the OS gave and tells the page.
pub fn on_drop<R: Runtime>(app: &AppHandle<R>, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let drop = app.state::<AppState>().add_drop(paths);
    let _ = app.emit(FILES_DROPPED_EVENT, FilesDropped { drop, names });
}

/// Imports on a blocking thread: parsing many files and downloading CRLs must not hold up the
/// async runtime (the store itself is taken per batch only).
async fn import_chosen<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    paths: Vec<PathBuf>,
) -> CmdResult<Vec<ImportOutcome>> {
    let app = app.shared();
    let done = tauri::async_runtime::spawn_blocking(move || {
        let done = app.import(&paths);
        // The rest of the texts, off the import's path.
        crate::text_indexer::index_soon(handle);
        done
    })
    .await;
    done.map_err(|e| IpcError::new(ErrorCode::Storage, format!("Импорт прервался: {e}")))?
        .map_err(IpcError::from)
}

/// A month of example closing documents, so a first look at the program has something to open.
/// Loading them again adds nothing.
#[tauri::command]
pub async fn load_demo(app: Opened) -> CmdResult<DemoLoaded> {
    Ok(app.write(demo)?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Kit;
    use serde_json::json;

    /// A drop as the OS reports it on the window.
    fn drop_files(kit: &Kit, paths: &[&str]) -> u64 {
        crate::commands::import::on_drop(
            kit.app.handle(),
            paths.iter().map(std::path::PathBuf::from).collect(),
        );
        let dropped = kit.events("files-dropped");
        dropped.last().expect("the drop is announced")["drop"]
            .as_u64()
            .unwrap()
    }

    #[test]
    fn a_drop_imports_each_file_once_and_a_second_import_is_not_a_copy() {
        let kit = Kit::new();
        let pdf = kit.write_pdf("report.pdf", "Sales report No 5 of 01.10.2026");
        let junk = kit.dir.path().join("notes.exe");
        std::fs::write(&junk, b"MZ").unwrap();
        let drop = drop_files(&kit, &[&pdf, junk.to_str().unwrap()]);
        assert_eq!(
            kit.events("files-dropped")[0]["names"],
            json!(["report.pdf", "notes.exe"])
        );
        let r = kit.ok("import_drop", json!({ "drop": drop }));
        let r = r.as_array().unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["imported"]["new"], true, "{r:?}");
        assert!(r[1]["error"]["code"].is_string(), "{r:?}");
        // The same drop cannot be replayed; a new drop of the same file is no copy.
        let e = kit.err("import_drop", json!({ "drop": drop }));
        assert_eq!(e["code"], "not_found", "{e}");
        let again = drop_files(&kit, &[&pdf]);
        assert_eq!(
            kit.ok("import_drop", json!({ "drop": again }))[0]["imported"]["new"],
            false
        );
        // A drop id the shell never gave is refused.
        assert_eq!(
            kit.err("import_drop", json!({ "drop": 999 }))["code"],
            "not_found"
        );
    }

    /// Script in the page (an injected one too) cannot make the window read a file it names.
    #[test]
    fn paths_from_the_page_are_refused_and_nothing_is_read() {
        let kit = Kit::new();
        let pdf = kit.write_pdf("private.pdf", "Salary statement No 9 of 01.10.2026");
        let e = kit.err("import_files", json!({ "paths": [pdf] }));
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert!(e["message"].as_str().unwrap().contains("перетащите"), "{e}");
        assert_eq!(kit.ok("tab_counts", json!({}))["all"], 0);
        let e = kit.err("import_files", json!({ "paths": [kit.dir.path()] }));
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert_eq!(kit.ok("tab_counts", json!({}))["all"], 0);
    }

    /// A file whose text is longer than its head: its last word is found once the background
    /// indexer that the import started has run, and until then the search says documents wait.
    #[test]
    fn an_import_starts_the_indexer_and_a_word_at_the_end_of_a_long_text_is_then_found() {
        let kit = Kit::new();
        let mut body = String::from("Акт сверки взаимных расчётов ");
        while body.chars().count() < 6000 {
            body += "поставка товара по договору ";
        }
        body += "опломбирован";
        let xml = kit.dir.path().join("act.xml");
        std::fs::write(
            &xml,
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act><title>Акт сверки</title><number>AS-7</number><date>2026-10-31</date><body>{body}</body></act>\n"),
        )
        .unwrap();
        let drop = drop_files(&kit, &[xml.to_str().unwrap()]);
        assert_eq!(
            kit.ok("import_drop", json!({ "drop": drop }))[0]["imported"]["new"],
            true
        );
        let search = json!({ "query": { "text": "опломбирован" } });
        let started = std::time::Instant::now();
        loop {
            let page = kit.ok("list_documents", search.clone());
            if page["documents"].as_array().unwrap().len() == 1 {
                assert_eq!(page["textWaiting"], json!(null), "{page}");
                break;
            }
            assert_eq!(page["textWaiting"], 1, "{page}");
            assert!(started.elapsed().as_secs() < 20, "not indexed in 20 s");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // The page is told, so that a search on screen is asked again.
        let started = std::time::Instant::now();
        while kit.events("text_indexed").is_empty() {
            assert!(started.elapsed().as_secs() < 5, "no text_indexed event");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(kit.events("text_indexed")[0]["left"], 0);
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
