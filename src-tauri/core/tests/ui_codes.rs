//! The codes the interface must have words for, kept as ui/tests/core-codes.json: the UI tests
//! read it and fail when an error code or a status has no text in ru, kk or en. This test fails
//! when the file no longer matches the core, so a new code cannot slip past the UI tests.
//! After adding a code: `QOLTANBA_WRITE_UI_CODES=1 cargo test -p qoltanba-core --test ui_codes`,
//! then write its text in ui/src/lib/i18n/{ru,kk,en}.ts.

use qoltanba_core::model::Status;
use qoltanba_core::store::search::Tab;
use qoltanba_core::ErrorCode;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn codes_file() -> PathBuf {
    core_dir().join("../../ui/tests/core-codes.json")
}

/// The variants of `pub enum NAME` as written in the source, in snake_case: `ALL` is a hand-kept
/// list, and a variant added to the enum but not to `ALL` would otherwise go unnoticed.
fn declared_variants(file: &str, name: &str) -> Vec<String> {
    let src = std::fs::read_to_string(core_dir().join(file)).unwrap();
    let start = src
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name} in {file}"));
    let body = &src[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
        .map(|l| snake(l.trim_end_matches(',')))
        .collect()
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn name<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn expected() -> Value {
    let tabs: Map<String, Value> = Tab::ALL
        .into_iter()
        .map(|t| {
            let statuses: Vec<String> = t.statuses().into_iter().map(name).collect();
            (name(t), json!(statuses))
        })
        .collect();
    json!({
        "errorCodes": ErrorCode::ALL.into_iter().map(name).collect::<Vec<_>>(),
        "statuses": Status::ALL.into_iter().map(name).collect::<Vec<_>>(),
        "tabs": tabs,
    })
}

#[test]
fn all_lists_every_declared_code_under_its_wire_name() {
    let all: Vec<String> = ErrorCode::ALL.into_iter().map(name).collect();
    assert_eq!(all, declared_variants("src/error.rs", "ErrorCode"));
    for c in ErrorCode::ALL {
        assert_eq!(c.as_str(), name(c), "as_str and serde agree");
    }
    let all: Vec<String> = Status::ALL.into_iter().map(name).collect();
    assert_eq!(all, declared_variants("src/model/status.rs", "Status"));
    for s in Status::ALL {
        assert_eq!(s.code(), name(s));
    }
}

#[test]
fn the_ui_tests_read_the_codes_of_this_core() {
    let want = expected();
    let path = codes_file();
    if std::env::var_os("QOLTANBA_WRITE_UI_CODES").is_some() {
        let text = serde_json::to_string_pretty(&want).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
    }
    let have: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(
        have,
        want,
        "{} is out of date: run QOLTANBA_WRITE_UI_CODES=1 cargo test -p qoltanba-core --test ui_codes \
         and give every new code its text in ui/src/lib/i18n/{{ru,kk,en}}.ts",
        path.display()
    );
}
