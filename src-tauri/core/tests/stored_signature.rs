//! A stored signature's signer and verdict are typed: rows written by earlier versions (the
//! same JSON field names, some fields not yet there) still read, and a damaged row is a clear
//! storage error naming the signature, never a panic and never a signature shown as unchecked.

mod support;

use qoltanba_core::import::import_bytes;
use qoltanba_core::signature::{Indication, Purpose, SubIndication};
use qoltanba_core::store::DB_FILE;
use qoltanba_core::{ErrorCode, Store};

/// A signer as the code before the typed structs wrote it: `serde_json::Value::to_string`, so
/// keys in alphabetical order.
const OLD_SIGNER: &str = r#"{"bin":"123456789021","commonName":"ТЕСТОВ ТЕСТ","extendedKeyUsage":["1.3.6.1.5.5.7.3.4","1.2.398.3.3.4.1.2"],"iin":"123456789011","issuer":"CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022","notAfter":"2027-11-23T10:00:00Z","notBefore":"2026-11-23T10:00:00Z","organisation":"АО \"ТЕСТ\"","purposes":["signing","legalEntity"],"serial":"01ab","subject":"CN=ТЕСТОВ ТЕСТ,SERIALNUMBER=IIN123456789011"}"#;

/// A document with one sender signature (a bad CMS, so its verdict is a format failure) and
/// the id of that signature row.
fn store_with_signature(dir: &std::path::Path) -> (Store, i64) {
    let mut store = support::open(dir);
    let i = import_bytes(
        &mut store,
        "r.pdf",
        support::sales_report_pdf("S-1"),
        vec![vec![0x30, 0x03, 0x02, 0x01, 0x00]],
    )
    .unwrap();
    (store, i.id)
}

/// Writes `column` of every signature row as an older version or a damaged disk left it
/// (`None`: SQL NULL, a signature never checked).
fn set(dir: &std::path::Path, column: &str, json: Option<&str>) {
    let db = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let n = db
        .execute(&format!("UPDATE signatures SET {column} = ?1"), [json])
        .unwrap();
    assert_eq!(n, 1);
}

fn overwrite(dir: &std::path::Path, column: &str, json: &str) {
    set(dir, column, Some(json));
}

#[test]
fn a_verdict_written_before_algorithm_id_intact_and_chain_existed_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = store_with_signature(dir.path());
    // The shape of 2026-11-23's first store: no algorithmId, intact or chain.
    let old = format!(
        r#"{{"algorithm":"ГОСТ Р 34.10-2015 (512 бит)","indication":"TOTAL_PASSED","reason":"Подпись верна","signer":{OLD_SIGNER},"signingTime":"2026-11-23T10:05:00Z","subIndication":null,"warnings":["Цепочка сертификатов до доверенного корня не проверена"]}}"#
    );
    overwrite(dir.path(), "verdict", &old);
    overwrite(dir.path(), "signer", OLD_SIGNER);

    let sigs = store.signatures(id).unwrap();
    let v = sigs[0].verdict.as_ref().expect("the old verdict is read");
    assert_eq!(v.indication, Indication::TotalPassed);
    assert_eq!(v.sub_indication, None);
    assert_eq!(v.reason, "Подпись верна");
    assert_eq!(v.algorithm_id, None);
    assert!(!v.intact, "not said then, so not claimed now");
    assert!(v.chain.is_empty());
    assert_eq!(v.warnings.len(), 1);
    let who = sigs[0].signer.as_ref().expect("the old signer is read");
    assert_eq!(who.common_name.as_deref(), Some("ТЕСТОВ ТЕСТ"));
    assert_eq!(who.iin.as_deref(), Some("123456789011"));
    assert_eq!(who.bin.as_deref(), Some("123456789021"));
    assert_eq!(who.purposes, vec![Purpose::Signing, Purpose::LegalEntity]);
    assert_eq!(v.signer.as_ref(), Some(who));
}

#[test]
fn a_verdict_written_now_reads_back_as_it_was_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = store_with_signature(dir.path());
    let sigs = store.signatures(id).unwrap();
    let v = sigs[0].verdict.as_ref().expect("checked on arrival");
    assert_eq!(v.indication, Indication::TotalFailed);
    assert_eq!(v.sub_indication, Some(SubIndication::FormatFailure));
    // What the window receives keeps the field names the stored JSON has.
    let json = serde_json::to_value(v).unwrap();
    for key in [
        "indication",
        "subIndication",
        "reason",
        "signer",
        "signingTime",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
}

#[test]
fn a_stored_verdict_with_an_unknown_field_is_a_clear_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = store_with_signature(dir.path());
    overwrite(
        dir.path(),
        "verdict",
        r#"{"indication":"TOTAL_PASSED","subIndication":null,"reason":"ok","signer":null,"signingTime":null,"algorithm":null,"warnings":[],"trustMe":true}"#,
    );
    let e = store.signatures(id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage);
    assert!(e.message.contains("повреждена"), "{}", e.message);
    assert!(
        e.message.contains(&format!("документа №{id}")),
        "{}",
        e.message
    );
    assert!(e.message.contains("verdict"), "{}", e.message);
    assert!(e.message.contains("trustMe"), "{}", e.message);
}

#[test]
fn a_stored_signer_missing_a_field_or_not_json_is_a_clear_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = store_with_signature(dir.path());
    overwrite(dir.path(), "signer", r#"{"commonName":"ТЕСТОВ ТЕСТ"}"#);
    let e = store.signatures(id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage);
    assert!(e.message.contains("signer"), "{}", e.message);
    assert!(e.message.contains("missing field"), "{}", e.message);

    for junk in ["", "[", "null x", "{\"indication\":42}"] {
        set(dir.path(), "signer", None);
        overwrite(dir.path(), "verdict", junk);
        let e = store.signatures(id).unwrap_err();
        assert_eq!(e.code, ErrorCode::Storage, "{junk:?}");
    }
    // The document itself still opens: only its signature list says what is wrong.
    assert!(store.document(id).is_ok());
    // Never checked (NULL) is not damage.
    set(dir.path(), "verdict", None);
    let sigs = store.signatures(id).unwrap();
    assert!(sigs[0].verdict.is_none() && sigs[0].signer.is_none());
}
