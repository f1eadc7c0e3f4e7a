//! The `qoltanba-operator` binary as scripts and other crates' tests run it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` and returns the base URL from its `listening on` line.
fn serve(args: &[&str]) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoltanba-operator"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (Process(child), url)
}

#[tokio::test]
async fn serve_binds_port_zero_and_announces_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (_process, url) = serve(&[
        "--addr",
        "127.0.0.1:0",
        "--data",
        data,
        "--seed",
        "demo",
        "--token",
        "t0k",
    ]);
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"));
    let http = reqwest::Client::new();
    let me: Value = http
        .get(format!("{url}/me"))
        .bearer_auth("t0k")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["organization"]["bin"], "123456789021");
    assert!(dir.path().join(qoltanba_operator::STORE_FILE_NAME).exists());
}

#[test]
fn serve_refuses_a_non_loopback_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qoltanba-operator"))
        .args(["serve", "--addr", "0.0.0.0:0", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

#[tokio::test]
async fn seed_n_makes_n_distinct_documents_of_the_asked_size() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (_process, url) = serve(&[
        "--addr",
        "127.0.0.1:0",
        "--data",
        data,
        "--seed",
        "120",
        "--attachment-kb",
        "30",
    ]);
    let http = reqwest::Client::new();
    let mut hashes = std::collections::HashSet::new();
    let mut next: Option<String> = None;
    let mut count = 0;
    loop {
        let path = match &next {
            Some(c) => format!("{url}/inbox/documents?limit=50&after={c}"),
            None => format!("{url}/inbox/documents?limit=50"),
        };
        let page: Value = http
            .get(path)
            .bearer_auth("demo-token")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for d in page["documents"].as_array().unwrap() {
            let main = &d["attachments"][0];
            assert!(main["size"].as_u64().unwrap() >= 30 * 1024);
            hashes.insert(main["sha256"].as_str().unwrap().to_owned());
            count += 1;
        }
        match page["next"].as_str() {
            Some(c) => next = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(count, 120);
    assert_eq!(hashes.len(), 120, "every attachment's bytes differ");

    let pdf = http
        .get(format!(
            "{url}/documents/doc_load_000007/attachments/att_load_000007"
        ))
        .bearer_auth("demo-token")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let file = dir.path().join("load.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    // The load seed's PDFs come from templates of three kinds (and several fonts): each is real
    // text a reader extracts, whichever this one is.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        [
            "Отчёт о реализации товара",
            "Акт оказанных услуг по размещению товаров",
            "Акт сверки взаимных расчётов"
        ]
        .iter()
        .any(|t| text.contains(t)),
        "{text}"
    );
}
