//! For the command tests: the app on Tauri's mock runtime with a real store in a temporary
//! folder, calls through the real IPC path (`get_ipc_response`), progress messages caught by a
//! channel interceptor, and the real qoltanba-signer and qoltanba-operator on loopback.

use crate::state::AppState;
use qoltanba_core::store::Settings as _;
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{self, Manifest};
use qoltanba_signer::tls::TlsIdentity;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager, WebviewWindow};
use tempfile::TempDir;

pub struct Kit {
    pub dir: TempDir,
    pub app: tauri::App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    events: Arc<Mutex<Vec<(String, Value)>>>,
}

/// One IPC call as the page makes it.
pub fn call(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<InvokeResponseBody, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
}

impl Kit {
    pub fn new() -> Kit {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("data"), None).expect("store opens");
        let events = Arc::new(Mutex::new(Vec::new()));
        let app = mock_builder()
            .manage(state)
            .invoke_handler(crate::app::handlers())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        for name in [
            "sign_progress",
            "sync_progress",
            "connectivity",
            "files-dropped",
            "company-switched",
            crate::text_indexer::TEXT_INDEXED_EVENT,
        ] {
            let seen = events.clone();
            app.listen_any(name, move |e| {
                let v = serde_json::from_str(e.payload()).unwrap();
                seen.lock().unwrap().push((name.to_string(), v));
            });
        }
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window");
        Kit {
            dir,
            app,
            webview,
            events,
        }
    }

    pub fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// The arguments as the page sends them: with the id of the company it shows (the open one,
    /// unless the test names another).
    pub fn as_page(&self, mut args: Value) -> Value {
        if let Some(o) = args.as_object_mut() {
            o.entry(crate::state::COMPANY_ARG)
                .or_insert_with(|| self.state().desk.company().id.into());
        }
        args
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        match call(&self.webview, cmd, self.as_page(args)) {
            Ok(InvokeResponseBody::Json(s)) => serde_json::from_str(&s).unwrap(),
            Ok(InvokeResponseBody::Raw(_)) => panic!("{cmd}: raw bytes, JSON expected"),
            Err(e) => panic!("{cmd} failed: {e}"),
        }
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match call(&self.webview, cmd, self.as_page(args)) {
            Ok(r) => panic!("{cmd} succeeded: {r:?}"),
            Err(e) => e,
        }
    }

    pub fn bytes(&self, cmd: &str, args: Value) -> Vec<u8> {
        match call(&self.webview, cmd, self.as_page(args)) {
            Ok(InvokeResponseBody::Raw(b)) => b,
            other => panic!("{cmd}: raw bytes expected, got {other:?}"),
        }
    }

    /// The payloads of the events called `name` emitted so far.
    pub fn events(&self, name: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Writes a one-page PDF with this (ASCII or Cyrillic-free) text.
    pub fn write_pdf(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, pdf(text)).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// Imports a PDF through the import command; returns its document id.
    pub fn import_pdf(&self, name: &str, text: &str) -> i64 {
        let p = self.write_pdf(name, text);
        // As a drop on the window: the page names only the drop, never a path.
        let drop = self.state().add_drop(vec![p.into()]);
        let r = self.ok("import_drop", serde_json::json!({ "drop": drop }));
        r[0]["imported"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{r}"))
    }

    pub fn set(&self, key: &str, value: &str) {
        let state = self.state();
        state
            .app()
            .write(|s| s.set_setting(key.parse()?, value))
            .unwrap();
    }
}

/// A minimal PDF whose text extraction gives `text` back.
pub fn pdf(text: &str) -> Vec<u8> {
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_ascii() && c != '(' && c != ')' && c != '\\' {
                c
            } else {
                '?'
            }
        })
        .collect();
    let content = format!("BT /F1 12 Tf 50 780 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

/// qoltanba-signer on a loopback port (wss, its own certificate), with its own runtime.
pub struct SignerKit {
    running: Option<Running>,
    runtime: tokio::runtime::Runtime,
    _keys: Option<TempDir>,
}

impl SignerKit {
    /// With freshly generated test keys of the seller (BIN testkeys::SELLER_BIN).
    pub fn start(fault: Option<qoltanba_signer::fault::Fault>) -> SignerKit {
        let dir = tempfile::tempdir().unwrap();
        let manifest = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
        let mut kit = SignerKit::start_with(&manifest, fault);
        kit._keys = Some(dir);
        kit
    }

    /// With the seller's signing key from `manifest`.
    pub fn start_with(
        manifest: &Manifest,
        fault: Option<qoltanba_signer::fault::Fault>,
    ) -> SignerKit {
        SignerKit::start_role(manifest, "employee_sign", fault)
    }

    /// With the key of `role` from `manifest` (e.g. `sole_sign`, an entrepreneur's own key).
    pub fn start_role(
        manifest: &Manifest,
        role: &str,
        fault: Option<qoltanba_signer::fault::Fault>,
    ) -> SignerKit {
        SignerKit::start_confirming(manifest, role, fault, Confirm::Auto)
    }

    /// With a signer that approves (or holds, or cancels) as `confirm` says.
    pub fn start_confirming(
        manifest: &Manifest,
        role: &str,
        fault: Option<qoltanba_signer::fault::Fault>,
        confirm: Confirm,
    ) -> SignerKit {
        let keys = vec![Keystore::open(manifest.path(role), &manifest.password).unwrap()];
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut server = Server::new(keys)
            .tls(TlsIdentity::generate().unwrap())
            .confirm(confirm);
        if let Some(f) = fault {
            server = server.fault(f);
        }
        let running = runtime.block_on(server.spawn()).unwrap();
        SignerKit {
            running: Some(running),
            runtime,
            _keys: None,
        }
    }

    pub fn url(&self) -> String {
        self.running.as_ref().unwrap().url()
    }

    pub fn pin(&self) -> String {
        self.running
            .as_ref()
            .unwrap()
            .certificate_sha256()
            .unwrap()
            .to_string()
    }

    /// Points the app at this signer, trusts its certificate, and sets the seller's BIN.
    pub fn configure(&self, kit: &Kit) {
        kit.set("signer_url", &self.url());
        kit.set("signer_pin", &self.pin());
        kit.set("signing_timeout_secs", "20");
        kit.set("seller_bin", testkeys::SELLER_BIN);
    }
}

impl Drop for SignerKit {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            self.runtime.block_on(r.shutdown());
        }
    }
}

/// qoltanba-operator with its demo inbox on a loopback port, with its own runtime.
pub struct OperatorKit {
    running: Option<qoltanba_operator::Running>,
    runtime: tokio::runtime::Runtime,
    dir: TempDir,
}

impl OperatorKit {
    pub fn start() -> OperatorKit {
        OperatorKit::start_rejecting(&[])
    }

    /// Whose register rejects every submitted act with these `(field, message)` errors
    /// (`--register-reject FIELD:MESSAGE`).
    pub fn start_rejecting(rejections: &[(&str, &str)]) -> OperatorKit {
        OperatorKit::start_with(rejections, std::time::Duration::ZERO)
    }

    /// Whose every answer comes `latency` late (`--latency`).
    pub fn start_slow(latency: std::time::Duration) -> OperatorKit {
        OperatorKit::start_with(&[], latency)
    }

    fn start_with(rejections: &[(&str, &str)], latency: std::time::Duration) -> OperatorKit {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = qoltanba_operator::Settings::new(dir.path());
        settings.faults.latency = latency;
        settings.register_rejections = rejections
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect();
        settings.seed = Some(qoltanba_operator::Seed::Demo);
        settings.pending = std::time::Duration::from_millis(50);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let running = runtime
            .block_on(qoltanba_operator::start(settings, false))
            .expect("operator starts");
        OperatorKit {
            running: Some(running),
            runtime,
            dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.running.as_ref().unwrap().addr)
    }

    /// The seeded test keys (the seller's signing key among them).
    pub fn keys(&self) -> Manifest {
        Manifest::load(&qoltanba_operator::seed::sender::testkeys_dir(
            self.dir.path(),
        ))
        .unwrap()
    }

    /// Makes this operator the app's current account with the demo token, without the OS
    /// keychain (the client is handed to the state directly).
    pub fn use_account(&self, kit: &Kit) {
        let state = kit.state();
        let client = qoltanba_core::operator::HttpOperator::new(
            &self.url(),
            Some(qoltanba_core::operator::Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap()),
            qoltanba_core::operator::HttpSettings::default(),
        )
        .unwrap();
        {
            let store = state.app().store();
            let store = &mut *store.lock();
            store
                .set_operator_account(
                    "test",
                    &self.url(),
                    Some((
                        &qoltanba_core::signature::Seller::new(
                            testkeys::SELLER_BIN,
                            qoltanba_core::signature::SellerKind::Bin,
                        ),
                        "ТОО «Продавец»",
                    )),
                )
                .unwrap();
            state
                .app()
                .clients
                .use_operator("test", &self.url(), client);
            let ord = qoltanba_core::acts::HttpOrd::new(
                &self.url(),
                qoltanba_core::operator::Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap(),
            )
            .unwrap();
            // The ORD is an account of its own; the reference server serves both.
            store.set_ord_url(Some(&self.url())).unwrap();
            state.app().clients.use_ord(&self.url(), ord);
        }
    }
}

impl Drop for OperatorKit {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            let _ = self.runtime.block_on(r.shutdown());
        }
    }
}
