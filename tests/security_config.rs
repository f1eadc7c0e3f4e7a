//! The webview's limits as configured (docs/SECURITY.md): a CSP that allows no inline or remote
//! script and no network but the IPC bridge, and a capability that grants no plugin through which
//! the page could reach files, processes or the network. What the running window does with a
//! hostile document is the end-to-end tests' part (tests/e2e).

fn json(path: &str) -> serde_json::Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn directives(csp: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    csp.split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

#[test]
fn the_csp_allows_no_inline_or_remote_script_and_no_network_but_ipc() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    let d = directives(csp);
    assert_eq!(d["default-src"], ["'self'"]);
    assert_eq!(
        d["script-src"],
        ["'self'"],
        "no inline, eval or remote script"
    );
    assert_eq!(d["object-src"], ["'none'"]);
    assert_eq!(d["base-uri"], ["'none'"]);
    assert_eq!(d["form-action"], ["'none'"]);
    for (name, sources) in &d {
        for s in sources {
            assert!(
                !s.contains("unsafe") && s != "*" && !s.starts_with("https:"),
                "{name} allows {s}"
            );
            assert!(
                !s.starts_with("http") || s == "http://ipc.localhost",
                "{name} reaches {s}"
            );
        }
    }
    assert_eq!(
        d["connect-src"],
        ["'self'", "ipc:", "http://ipc.localhost"],
        "the page's only connection is the IPC bridge"
    );
    assert!(conf["app"]["security"]["dangerousDisableAssetCspModification"].is_null());
}

#[test]
fn the_capability_grants_no_file_shell_http_or_opener_plugin() {
    let cap = json("src-tauri/capabilities/main-window.json");
    for p in cap["permissions"].as_array().unwrap() {
        let p = p
            .as_str()
            .unwrap_or_else(|| panic!("a scoped permission: {p}"));
        let plugin = p.split(':').next().unwrap();
        assert!(
            !["fs", "shell", "http", "opener", "dialog", "process", "updater"].contains(&plugin),
            "{p}"
        );
        assert!(
            p.starts_with("allow-") || p.starts_with("core:event:") || p.starts_with("deep-link:"),
            "{p}: only our own commands, events and reading the start link"
        );
    }
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap["remote"].is_null(), "no remote URL gets the capability");
}
