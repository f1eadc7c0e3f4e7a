//! The real qoltanba-operator on a loopback port per test, a store in a temporary folder, and
//! the client between them: everything over real sockets.
#![allow(dead_code)]

use qoltanba_core::clock::SystemClock;
use qoltanba_core::model::DocumentId;
use qoltanba_core::operator::{
    Backoff, HttpOperator, HttpSettings, Retry, SendPolicy, SyncOptions, SyncReport, Token,
};
use qoltanba_core::signature::check_seller;
use qoltanba_core::store::{sha256_hex, NewSignature, SettingKey, Settings as _};
use qoltanba_core::{OpenOptions, Store};
use qoltanba_operator::seed::sender::testkeys_dir;
use qoltanba_operator::{Running, Seed, Settings};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::Manifest;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

pub const SELLER_BIN: &str = "123456789021";
pub const ACCOUNT: &str = "test";

pub struct Server {
    pub running: Option<Running>,
    pub dir: TempDir,
    pub settings: Settings,
}

impl Server {
    pub async fn start(configure: impl FnOnce(&mut Settings)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::new(dir.path());
        settings.seed = Some(Seed::Demo);
        settings.pending = Duration::from_millis(50);
        configure(&mut settings);
        let running = qoltanba_operator::start(settings.clone(), false)
            .await
            .expect("server starts");
        // Restarts come back on the same port.
        settings.addr = running.addr;
        Server {
            running: Some(running),
            dir,
            settings,
        }
    }

    pub async fn demo() -> Server {
        Self::start(|_| {}).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.settings.addr)
    }

    pub async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await.unwrap();
        }
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        let mut s = self.settings.clone();
        s.seed = None;
        self.running = Some(qoltanba_operator::start(s, false).await.expect("restarts"));
    }

    /// Every request the server has answered so far (status, and whether the body was cut).
    pub fn answers(&self) -> Vec<qoltanba_operator::Answer> {
        self.running.as_ref().expect("running").answers()
    }

    /// The server's own database, to play the sender's side (revoking, deciding elsewhere) and
    /// to check what the server recorded.
    pub fn db(&self) -> rusqlite::Connection {
        let c =
            rusqlite::Connection::open(self.dir.path().join(qoltanba_operator::STORE_FILE_NAME))
                .unwrap();
        c.busy_timeout(Duration::from_secs(5)).unwrap();
        c
    }

    pub fn count(&self, sql: &str, id: &str) -> i64 {
        self.db().query_row(sql, [id], |r| r.get(0)).unwrap()
    }

    /// The sender withdraws a document, as the operator's feed would report it.
    pub fn revoke(&self, id: &str) {
        let db = self.db();
        db.execute(
            "UPDATE documents SET status = 'revoked' WHERE id = ?1",
            [id],
        )
        .unwrap();
        event(&db, id, "revoked");
    }

    /// Someone decided the document on the operator's web site.
    pub fn decide_elsewhere(&self, id: &str, status: &str) {
        let db = self.db();
        db.execute(
            "UPDATE documents SET status = ?2 WHERE id = ?1",
            [id, status],
        )
        .unwrap();
        event(&db, id, "updated");
    }

    pub fn keys(&self) -> Manifest {
        Manifest::load(&testkeys_dir(self.dir.path())).expect("seeded test keys")
    }

    pub fn sign(&self, role: &str, data: &[u8]) -> Vec<u8> {
        let m = self.keys();
        let ks = Keystore::open(m.path(role), &m.password).expect("key opens");
        qoltanba_signer::cms::sign(&ks, data, true).expect("signs")
    }

    pub fn client(&self) -> HttpOperator {
        self.client_with(qoltanba_operator::DEFAULT_TOKEN)
    }

    pub fn client_with(&self, token: &str) -> HttpOperator {
        HttpOperator::new(&self.url(), Some(Token::new(token).unwrap()), http()).unwrap()
    }
}

fn event(db: &rusqlite::Connection, id: &str, kind: &str) {
    db.execute(
        "INSERT INTO events (id, document_id, type, at) VALUES (?1, ?2, ?3, '2026-11-20T10:00:00Z')",
        [format!("evt_test_{}", uuid::Uuid::new_v4().simple()).as_str(), id, kind],
    )
    .unwrap();
}

pub fn http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        ..HttpSettings::default()
    }
}

/// Quick retries, so fault tests do not wait for minutes.
pub fn quick_retry(attempts: u32) -> Retry {
    Retry {
        attempts,
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
        },
        max_wait: Duration::from_secs(2),
    }
}

pub fn sync_options() -> SyncOptions {
    SyncOptions {
        retry: quick_retry(3),
        ..SyncOptions::default()
    }
}

pub fn send_policy() -> SendPolicy {
    SendPolicy {
        retry: quick_retry(3),
        poll_interval: Duration::from_millis(50),
        poll_for: Duration::from_secs(10),
        ..SendPolicy::default()
    }
}

pub fn open_store(dir: &Path) -> Store {
    Store::open(
        dir,
        OpenOptions {
            // The wall clock: the test PKI is made at test time, so a fixed past date would find
            // every certificate not yet valid.
            clock: Arc::new(SystemClock),
            keychain: qoltanba_core::keychain::KeychainMode::from_env(),
            actor: "user:test".into(),
        },
    )
    .expect("store opens")
}

pub struct Client {
    pub dir: TempDir,
    pub store: Store,
}

impl Client {
    pub fn new() -> Client {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_store(dir.path());
        store
            .set_setting(SettingKey::SellerBin, SELLER_BIN)
            .unwrap();
        Client { dir, store }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub async fn sync(&mut self, op: &HttpOperator) -> qoltanba_core::Result<SyncReport> {
        qoltanba_core::operator::sync(&mut self.store, op, ACCOUNT, &sync_options(), &mut |_| {})
            .await
    }

    pub fn id(&self, operator_id: &str) -> DocumentId {
        self.store
            .document_by_operator_id(operator_id)
            .unwrap()
            .unwrap_or_else(|| panic!("{operator_id} is in the store"))
            .id
    }

    /// Signs the decision on `id` with a test key, as NCALayer would, and queues it: the same
    /// path as `signing::sign_documents` after NCALayer answered.
    pub fn sign_decision(&mut self, server: &Server, id: DocumentId, role: &str) -> String {
        let content = qoltanba_core::signing::bytes_to_sign(&self.store, id).unwrap();
        let cms = server.sign(role, &content);
        let seller = self.store.seller().unwrap().unwrap();
        let signer = check_seller(
            &cms,
            &content,
            &seller,
            qoltanba_core::model::Timestamp::now(),
        )
        .expect("the client's own check passes");
        let doc = self.store.document(id).unwrap();
        let payload = qoltanba_core::signing::decision_payload(&doc, &content, &cms);
        let (_, key) = self
            .store
            .record_own_signature(
                id,
                NewSignature {
                    attachment_id: doc.main_attachment().map(|a| a.id.clone()),
                    signed_sha256: sha256_hex(&content),
                    cms,
                    signer: Some(signer),
                    verdict: None,
                },
                payload,
            )
            .unwrap();
        key
    }
}
