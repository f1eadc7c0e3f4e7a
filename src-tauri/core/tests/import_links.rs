//! A folder import reads only plain files inside the folder: links are not followed (not to a
//! file elsewhere, not round in a circle), pipes are not opened, the depth is limited. An export
//! never writes through a link and never overwrites.
#![cfg(unix)]

mod support;

use qoltanba_core::import::import_paths;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

fn pdf(path: &Path, number: &str) {
    std::fs::write(path, support::sales_report_pdf(number)).unwrap();
}

fn imported_numbers(store: &qoltanba_core::Store) -> Vec<String> {
    let mut v: Vec<String> = store
        .list(&qoltanba_core::store::search::Query {
            limit: Some(500),
            ..Default::default()
        })
        .unwrap()
        .documents
        .into_iter()
        .filter_map(|d| d.fields.number)
        .collect();
    v.sort();
    v
}

#[test]
fn a_link_inside_a_folder_is_not_followed_to_a_file_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = support::open(&tmp.path().join("data"));
    let private = tmp.path().join("private");
    std::fs::create_dir(&private).unwrap();
    pdf(&private.join("salary.pdf"), "PRIVATE-1");
    let folder = tmp.path().join("downloads");
    std::fs::create_dir(&folder).unwrap();
    pdf(&folder.join("report.pdf"), "R-1");
    symlink(private.join("salary.pdf"), folder.join("invoice.pdf")).unwrap();
    symlink(&private, folder.join("more")).unwrap();
    // A signature beside a link does not bring the linked file in either.
    std::fs::write(folder.join("invoice.p7s"), b"not a cms").unwrap();

    let out = import_paths(&mut store, std::slice::from_ref(&folder)).unwrap();
    assert_eq!(imported_numbers(&store), vec!["R-1".to_string()], "{out:?}");
    let refused: Vec<_> = out.iter().filter(|o| o.error.is_some()).collect();
    assert!(
        refused.iter().any(|o| o.path.ends_with("invoice.pdf")
            && o.error.as_ref().unwrap().message.contains("ссылка")),
        "{out:?}"
    );
}

#[test]
fn a_folder_linked_into_itself_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = support::open(&tmp.path().join("data"));
    let folder = tmp.path().join("loop");
    std::fs::create_dir(&folder).unwrap();
    pdf(&folder.join("a.pdf"), "L-1");
    symlink(&folder, folder.join("again")).unwrap();
    let out = import_paths(&mut store, &[folder]).unwrap();
    assert_eq!(imported_numbers(&store), vec!["L-1".to_string()], "{out:?}");
    // One outcome for the file and one for the link: the folder is not read again through it
    // (following it read loop/again/again/… until the OS gave up on the path).
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(
        out[0].error.as_ref().unwrap().message.contains("ссылка"),
        "{out:?}"
    );
}

#[test]
fn a_pipe_in_a_folder_does_not_hang_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let folder = tmp.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    pdf(&folder.join("a.pdf"), "P-1");
    let made = std::process::Command::new("mkfifo")
        .arg(folder.join("b.pdf"))
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let f = folder.clone();
    std::thread::spawn(move || {
        let mut store = support::open(&data);
        let out = import_paths(&mut store, &[f]).unwrap();
        let _ = tx.send((out, imported_numbers(&store)));
    });
    let (out, numbers) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the import finishes instead of waiting on the pipe");
    assert_eq!(numbers, vec!["P-1".to_string()]);
    let b = out.iter().find(|o| o.path.ends_with("b.pdf")).unwrap();
    assert!(
        b.error
            .as_ref()
            .unwrap()
            .message
            .contains("не обычный файл"),
        "{out:?}"
    );
    // Chosen directly (as a drop or the dialog could), it is refused the same way.
    let mut store = support::open(&tmp.path().join("data2"));
    let (tx, rx) = std::sync::mpsc::channel();
    let pipe = folder.join("b.pdf");
    std::thread::spawn(move || {
        let _ = tx.send(import_paths(&mut store, &[pipe]).unwrap());
    });
    let out = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(out[0].error.is_some(), "{out:?}");
}

#[test]
fn a_folder_import_stops_at_its_depth_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = support::open(&tmp.path().join("data"));
    let top = tmp.path().join("deep");
    let mut d = top.clone();
    for i in 0..20 {
        d = d.join(format!("{i}"));
    }
    std::fs::create_dir_all(&d).unwrap();
    pdf(&d.join("bottom.pdf"), "D-20");
    pdf(&top.join("0").join("one.pdf"), "D-1");
    let out = import_paths(&mut store, &[top]).unwrap();
    assert_eq!(imported_numbers(&store), vec!["D-1".to_string()], "{out:?}");
    assert!(
        out.iter().any(|o| o
            .error
            .as_ref()
            .is_some_and(|e| e.message.contains("глубже"))),
        "{out:?}"
    );
}

#[test]
fn an_export_never_writes_through_a_link_nor_over_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = support::open(&tmp.path().join("data"));
    let src = tmp.path().join("a.pdf");
    pdf(&src, "E-1");
    let out = import_paths(&mut store, &[src]).unwrap();
    let id = out[0].imported.as_ref().unwrap().id;

    // Someone who can write into the export folder plants a link where the export will write.
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    symlink(&victim, dir.join(format!("{id}-document.json"))).unwrap();
    let e = qoltanba_core::export::export_document(&store, id, &dir).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::InvalidInput);
    assert!(
        e.message.contains("ничего не перезаписывает"),
        "{}",
        e.message
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing else was written"
    );

    // Into an empty folder it works; a second export into it overwrites nothing.
    let dir = tmp.path().join("export2");
    let written = qoltanba_core::export::export_document(&store, id, &dir).unwrap();
    assert!(written.len() >= 2, "{written:?}");
    let json = dir.join(format!("{id}-document.json"));
    std::fs::write(&json, "edited by hand").unwrap();
    let e = qoltanba_core::export::export_document(&store, id, &dir).unwrap_err();
    assert_eq!(e.code, qoltanba_core::ErrorCode::InvalidInput);
    assert_eq!(std::fs::read_to_string(&json).unwrap(), "edited by hand");
}
