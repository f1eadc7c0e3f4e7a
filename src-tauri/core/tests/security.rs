//! Security points of docs/SECURITY.md that the core decides on its own: where the signing service
//! may be, and that the bytes signed are the bytes stored and shown.

mod support;

use qoltanba_core::ncalayer::{NcaLayer, Pinning, Settings};
use qoltanba_core::ErrorCode;

fn url_allowed(url: &str) -> Result<(), ErrorCode> {
    let mut s = Settings::new(Pinning::FirstUse);
    s.url = url.into();
    NcaLayer::new(s).map(|_| ()).map_err(|e| e.code)
}

#[test]
fn the_signing_service_is_reached_only_on_this_computer() {
    for url in [
        "wss://127.0.0.1:13579/",
        "ws://127.0.0.1:13579/",
        "wss://localhost:13579/",
        "wss://[::1]:13579/",
        "ws://127.0.0.2:13579/",
    ] {
        assert_eq!(url_allowed(url), Ok(()), "{url}");
    }
    for url in [
        "wss://192.0.2.1:13579/",
        "ws://192.0.2.1:13579/",
        "wss://ncalayer.example.kz/",
        "wss://127.0.0.1.example.kz:13579/",
        "wss://localhost.example.kz:13579/",
        "https://127.0.0.1:13579/",
    ] {
        assert_eq!(url_allowed(url), Err(ErrorCode::InvalidInput), "{url}");
    }
}

/// The bytes handed to NCALayer are read by the content hash shown to the user; if the stored
/// bytes no longer match that hash (the file was changed under the program), nothing is signed.
#[test]
fn a_document_whose_stored_bytes_changed_cannot_be_signed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let imported = qoltanba_core::import::import_bytes(
        &mut store,
        "a.pdf",
        support::sales_report_pdf("S-1"),
        vec![],
    )
    .unwrap();
    store.accept(imported.id).unwrap();
    let doc = store.document(imported.id).unwrap();
    let shown = store.blob(&doc.content_sha256).unwrap();
    assert_eq!(
        qoltanba_core::signing::bytes_to_sign(&store, imported.id).unwrap(),
        shown
    );
    drop(store);

    // Someone with the file changes the stored bytes behind the program's back.
    let conn = rusqlite::Connection::open(dir.path().join("qoltanba.db")).unwrap();
    let changed = conn
        .execute(
            "UPDATE blobs SET bytes = CAST('tampered' AS BLOB) WHERE sha256 = ?1",
            [&doc.content_sha256],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let store = support::open(dir.path());
    let e = qoltanba_core::signing::bytes_to_sign(&store, imported.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage, "{}", e.message);
}
