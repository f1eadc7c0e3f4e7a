//! Updates are installed only when the release's installer is signed by the key built into the
//! program (issue #19). A key pair is made at run time and a release "0.2.0" signed with it as
//! `tauri build` / `tauri signer sign --app-version` sign one (minisign, the version in the
//! trusted comment, base64 of the signature file); its `latest.json` and installer are served on
//! loopback. The app's own code (crate::updates: the check the user asks for, then the download
//! it installs from) runs through tauri-plugin-updater's verification in Tauri's mock runtime:
//! no window is needed, and nothing is installed.

use qoltanba_app::updates::{self, FoundUpdate, UpdateSource};
use qoltanba_core::ErrorCode;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A release key pair, as `tauri signer generate` makes one.
struct ReleaseKey(minisign::KeyPair);

impl ReleaseKey {
    fn new() -> ReleaseKey {
        ReleaseKey(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    /// The public key as the program is built with it (base64 of the key file).
    fn public(&self) -> String {
        b64(&self.0.pk.to_box().unwrap().to_string())
    }

    /// The `.sig` of `file`'s bytes for `version`, as the Tauri CLI writes it.
    fn sign(&self, bytes: &[u8], file: &str, version: &str) -> String {
        let trusted = format!("timestamp:1796521516\tfile:{file}\tversion:{version}");
        let sig = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            bytes,
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        b64(&sig.to_string())
    }
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// An HTTP server on 127.0.0.1 answering GET /<name> with the bytes kept under that name.
struct ReleaseServer {
    port: u16,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl ReleaseServer {
    fn start() -> ReleaseServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let served = files.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap_or_default();
                // The rest of the request head.
                let mut header = String::new();
                while reader.read_line(&mut header).unwrap_or(0) > 2 {
                    header.clear();
                }
                let name = line
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let body = served.lock().unwrap().get(name).cloned();
                let (status, body) = match body {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", vec![]),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        ReleaseServer { port, files }
    }

    fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    fn put(&self, name: &str, bytes: Vec<u8>) {
        self.files.lock().unwrap().insert(name.into(), bytes);
    }

    /// `latest.json` announcing `version` with this installer URL and signature on every system.
    fn announce(&self, version: &str, installer: &str, signature: &str) {
        let platform = serde_json::json!({ "signature": signature, "url": self.url(installer) });
        let manifest = serde_json::json!({
            "version": version,
            "notes": "Исправления печати карточки",
            "pub_date": "2026-12-01T09:00:00Z",
            "platforms": {
                "linux-x86_64": platform,
                "windows-x86_64": platform,
                "darwin-x86_64": platform,
                "darwin-aarch64": platform,
            }
        });
        self.put("latest.json", serde_json::to_vec(&manifest).unwrap());
    }
}

const INSTALLER: &str = "Qoltanba_0.2.0_amd64.AppImage";

/// The program (version 0.1.0) built with `key`'s public half and the server's manifest. The
/// manifest is on plain HTTP here: only a debug build lets the plugin fetch one so (with a
/// warning); a release build refuses, and `UpdateSource::built_in` takes only https.
fn program(server: &ReleaseServer, key: &ReleaseKey) -> tauri::App<tauri::test::MockRuntime> {
    let source = UpdateSource {
        public_key: key.public(),
        endpoint: server.url("latest.json"),
    };
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    let builder = updates::with_updater(tauri::test::mock_builder(), &mut context, &source);
    builder.build(context).unwrap()
}

/// The program checks (as «Проверить обновления» does), then downloads and verifies what it
/// would install once the user agrees (`updates::install` without the installing).
async fn check_and_download(
    app: &tauri::App<tauri::test::MockRuntime>,
) -> (Option<FoundUpdate>, Result<Vec<u8>, qoltanba_core::Error>) {
    let found = updates::check(app.handle()).await.unwrap();
    let fetched = updates::fetch(app.handle()).await;
    (found, fetched.map(|(_, bytes)| bytes))
}

fn installer_bytes() -> Vec<u8> {
    let mut b = b"\x7fELF AppImage of Qoltanba 0.2.0 ".to_vec();
    b.extend((0..64 * 1024).map(|i| (i % 251) as u8));
    b
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_release_is_found_and_its_installer_verifies() {
    let (server, key) = (ReleaseServer::start(), ReleaseKey::new());
    let bytes = installer_bytes();
    server.put(INSTALLER, bytes.clone());
    server.announce("0.2.0", INSTALLER, &key.sign(&bytes, INSTALLER, "0.2.0"));
    let app = program(&server, &key);
    assert_eq!(updates::support(app.handle()).current_version, "0.1.0");
    assert!(updates::support(app.handle()).enabled);

    let (found, downloaded) = check_and_download(&app).await;
    assert_eq!(
        found,
        Some(FoundUpdate {
            version: "0.2.0".into(),
            date: Some("2026-12-01T09:00:00Z".into()),
            notes: Some("Исправления печати карточки".into()),
        })
    );
    assert_eq!(downloaded.unwrap(), bytes);
}

/// Each way a release can be tampered with on the way is refused before anything is installed,
/// as a signature that does not verify.
#[tokio::test(flavor = "multi_thread")]
async fn an_altered_installer_signature_or_version_or_another_key_is_refused() {
    let bytes = installer_bytes();
    let mut altered = bytes.clone();
    altered[40_000] ^= 1;
    let other_key = ReleaseKey::new();
    let key = ReleaseKey::new();
    let signed = key.sign(&bytes, INSTALLER, "0.2.0");
    // The signature file with one character of its signature line changed.
    let broken_signature = {
        use base64::Engine;
        let text = base64::engine::general_purpose::STANDARD
            .decode(&signed)
            .unwrap();
        let mut text = String::from_utf8(text).unwrap();
        let at = text.find('\n').unwrap() + 5;
        let c = if &text[at..at + 1] == "A" { "B" } else { "A" };
        text.replace_range(at..at + 1, c);
        b64(&text)
    };
    let cases: [(&str, Vec<u8>, &str, String); 4] = [
        ("the installer altered", altered, "0.2.0", signed.clone()),
        (
            "the signature altered",
            bytes.clone(),
            "0.2.0",
            broken_signature,
        ),
        (
            "signed by another key",
            bytes.clone(),
            "0.2.0",
            other_key.sign(&bytes, INSTALLER, "0.2.0"),
        ),
        // An older signed release announced under a newer number.
        ("announced as 0.3.0", bytes.clone(), "0.3.0", signed.clone()),
    ];
    for (what, served, version, signature) in cases {
        let server = ReleaseServer::start();
        server.put(INSTALLER, served);
        server.announce(version, INSTALLER, &signature);
        let app = program(&server, &key);
        let (found, downloaded) = check_and_download(&app).await;
        assert_eq!(found.map(|f| f.version).as_deref(), Some(version), "{what}");
        let e = downloaded.expect_err(what);
        assert_eq!(e.code, ErrorCode::SignatureInvalid, "{what}: {}", e.message);
        assert!(
            e.message
                .starts_with("Подпись обновления не прошла проверку"),
            "{what}: {}",
            e.message
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_or_an_older_version_is_no_update_and_a_build_without_a_key_has_none() {
    let (server, key) = (ReleaseServer::start(), ReleaseKey::new());
    let bytes = installer_bytes();
    server.put(INSTALLER, bytes.clone());
    server.announce("0.1.0", INSTALLER, &key.sign(&bytes, INSTALLER, "0.1.0"));
    let app = program(&server, &key);
    assert_eq!(updates::check(app.handle()).await.unwrap(), None);
    let e = updates::install(app.handle()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound, "{}", e.message);

    // Without the updater (no key built in) the program says so and asks nothing.
    let app = tauri::test::mock_builder()
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .unwrap();
    assert!(!updates::support(app.handle()).enabled);
    let e = updates::check(app.handle()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("отключены"), "{}", e.message);
}
