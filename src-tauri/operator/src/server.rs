//! The router, and starting/stopping the server in-process (the binary and the tests share this).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::faults::FaultState;
use crate::problem::Problem;
use crate::settings::Settings;
use crate::store::Store;
use crate::{auth, clock, decisions, inbox, ord, ord_catalog, seed, shared};

/// Shared state of every request.
#[derive(Clone)]
pub struct Operator {
    pub(crate) store: Store,
    pub(crate) settings: Arc<Settings>,
    pub(crate) faults: Arc<FaultState>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("refusing to listen on {0}: not a loopback address (pass --allow-remote to insist)")]
    NotLoopback(SocketAddr),
    #[error("data directory: {0}")]
    Data(#[from] std::io::Error),
    #[error("store: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("seed: {0}")]
    Seed(String),
}

/// A running server: its address, and the way to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub token: String,
    pub data_dir: std::path::PathBuf,
    store: Store,
    faults: Arc<FaultState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The seeded test PKI (qoltanba-signer's layout): sign decisions with its `employee_sign`.
    pub fn testkeys_dir(&self) -> std::path::PathBuf {
        seed::sender::testkeys_dir(&self.data_dir)
    }

    /// Creates a shared link to a document, as the operator's e-mail would.
    pub fn share(&self, document_id: &str, link: &str, code: &str) -> rusqlite::Result<()> {
        self.store
            .with(|conn| shared::create(conn, document_id, link, code))
    }

    /// Every version of an ORD act as PUT, oldest first: (version, body).
    pub fn act_versions(&self, external_id: &str) -> rusqlite::Result<Vec<(i64, String)>> {
        self.store.with(|conn| ord::versions(conn, external_id))
    }

    /// Adds or replaces an entry of the ORD's catalogue as `GET /ord/contracts` lists it (any
    /// JSON, so tests can plant a malformed one).
    pub fn put_ord_contract(&self, contract: &serde_json::Value) -> rusqlite::Result<()> {
        self.store
            .with(|conn| crate::ord_catalog::put_contract(conn, contract))
    }

    /// Adds or replaces a statistics record as `GET /ord/statistics` lists it.
    pub fn put_ord_statistics(&self, record: &serde_json::Value) -> rusqlite::Result<()> {
        self.store
            .with(|conn| crate::ord_catalog::put_statistics(conn, record))
    }

    /// Every request answered so far through the fault layer, in order.
    pub fn answers(&self) -> Vec<crate::faults::Answer> {
        self.faults.answers()
    }

    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }

    /// Serves until the task ends (the binary waits on this and Ctrl-C).
    pub async fn wait(self) -> std::io::Result<()> {
        let Running { task, shutdown, .. } = self;
        let _keep_open = shutdown;
        task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }
}

/// Binds, seeds if asked (and the store is empty), and serves in a background task.
pub async fn start(settings: Settings, allow_remote: bool) -> Result<Running, StartError> {
    if !allow_remote && !settings.addr.ip().is_loopback() {
        return Err(StartError::NotLoopback(settings.addr));
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let store = Store::open(&settings.data_dir)?;
    if let Some(which) = settings.seed.clone() {
        let (store, settings) = (store.clone(), settings.clone());
        tokio::task::spawn_blocking(move || seed::run(&store, &which, &settings))
            .await
            .map_err(|e| StartError::Seed(e.to_string()))?
            .map_err(|e| StartError::Seed(e.to_string()))?;
    }
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    let addr = listener.local_addr()?;
    let operator = Operator {
        store: store.clone(),
        faults: Arc::new(FaultState::new(settings.faults.rng_seed)),
        settings: Arc::new(settings),
    };
    let token = operator.settings.token.clone();
    let faults = operator.faults.clone();
    let data_dir = operator.settings.data_dir.clone();
    let app = router(operator);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    Ok(Running {
        addr,
        token,
        data_dir,
        store,
        faults,
        shutdown: Some(tx),
        task,
    })
}

fn router(operator: Operator) -> Router {
    let with_token = Router::new()
        .route("/me", get(inbox::me))
        .route("/inbox/events", get(inbox::events))
        .route("/inbox/documents", get(inbox::documents))
        .route("/documents/{id}", get(inbox::document))
        .route(
            "/documents/{id}/attachments/{attachment_id}",
            get(inbox::attachment),
        )
        .route("/documents/{id}/signatures", post(decisions::sign))
        .route("/documents/{id}/rejections", post(decisions::reject))
        .route("/receipts/{id}", get(decisions::receipt))
        .route("/ord/contracts", get(ord_catalog::contracts))
        .route("/ord/statistics", get(ord_catalog::statistics))
        .route("/ord/acts/{external_id}", put(ord::put).get(ord::get))
        .route("/ord/acts/{external_id}/submit", post(ord::submit))
        .route_layer(from_fn_with_state(operator.clone(), auth::authenticate));
    Router::new()
        .route("/shared/open", post(shared::open))
        .merge(with_token)
        .fallback(|| async { Problem::not_found("no such endpoint in operator API v1") })
        .layer(axum::middleware::from_fn(
            crate::problem::for_framework_refusals,
        ))
        .layer(from_fn_with_state(operator.clone(), settle_due))
        .layer(from_fn_with_state(operator.clone(), crate::faults::inject))
        .with_state(operator)
}

/// Pending receipts and submitted acts settle lazily, before any request reads state.
async fn settle_due(State(operator): State<Operator>, request: Request, next: Next) -> Response {
    let rejections = operator.settings.register_rejections.clone();
    let once = operator.settings.register_reject_once;
    let settled = operator
        .store
        .call(move |conn| {
            let (now_ms, at) = (clock::now_ms(), clock::rfc3339(clock::now()));
            decisions::settle(conn, now_ms, &at)?;
            ord::settle(conn, now_ms, &at, &rejections, once)
        })
        .await;
    match settled {
        Ok(()) => next.run(request).await,
        Err(problem) => problem.into_response(),
    }
}
