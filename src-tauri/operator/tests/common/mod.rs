//! A real server on a loopback port per test, and a client that talks to it over the socket.
#![allow(dead_code)]

use std::time::Duration;

use base64::Engine;
use qoltanba_operator::{Running, Seed, Settings};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::Manifest;
use reqwest::{Method, Response};

use serde_json::Value;
use tempfile::TempDir;

pub const SELLER_BIN: &str = "123456789021";

pub struct Server {
    pub running: Running,
    pub http: reqwest::Client,
    pub dir: TempDir,
}

impl Server {
    pub async fn start(configure: impl FnOnce(&mut Settings)) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::new(dir.path());
        settings.seed = Some(Seed::Demo);
        settings.pending = Duration::from_millis(100);
        configure(&mut settings);
        let running = qoltanba_operator::start(settings, false)
            .await
            .expect("server starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client");
        Server { running, http, dir }
    }

    pub async fn demo() -> Server {
        Self::start(|_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url())
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_as(path, &self.running.token.clone()).await
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.expect("json")
    }

    pub async fn write(&self, method: Method, path: &str, key: &str, body: &Value) -> Response {
        self.write_as(method, path, key, body, &self.running.token.clone())
            .await
    }

    pub async fn write_as(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: &Value,
        token: &str,
    ) -> Response {
        self.http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn attachment(&self, document: &str, attachment: &str) -> Vec<u8> {
        let response = self
            .get(&format!("/documents/{document}/attachments/{attachment}"))
            .await;
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("bytes").to_vec()
    }

    /// A detached CMS over `data` made with a key of the project's test PKI (qoltanba-signer),
    /// which the demo seed generated into this server's data directory. Roles used here:
    /// `employee_sign` (seller, RSA), `employee_sign_ec` (seller, P-256), `employee_auth`,
    /// `expired_sign`, `other_org_sign`.
    pub fn sign(&self, role: &str, data: &[u8]) -> Vec<u8> {
        let manifest = Manifest::load(&self.running.testkeys_dir()).expect("seeded test keys");
        let keystore = Keystore::open(manifest.path(role), &manifest.password).expect("key opens");
        qoltanba_signer::cms::sign(&keystore, data, true).expect("signs")
    }

    /// Polls a receipt until it leaves `pending`, returning the final body.
    pub async fn settled_receipt(&self, receipt: &str) -> Value {
        for _ in 0..100 {
            let body = self.get_json(&format!("/receipts/{receipt}")).await;
            if body["status"] != "pending" {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        panic!("receipt {receipt} stayed pending");
    }
}

pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
