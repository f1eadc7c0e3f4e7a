//! Faults the reference ORD server cannot produce, given through the `Ord` trait: a submit whose
//! answer is lost, a register that never decides,  The
//! store is real; only the ORD is a stand-in that records what it was asked.

mod support;

use qoltanba_core::acts::register::{await_register, submit_act};
use qoltanba_core::acts::{ActDraft, AllocationDraft, Ord, RegisterAnswer};
use qoltanba_core::{Error, ErrorCode, Result};
use std::sync::Mutex;
use std::time::Duration;

fn act() -> ActDraft {
    ActDraft {
        contract: "ДР-2026/15".into(),
        number: "A-2026-10-001".into(),
        date: "2026-10-31".into(),
        customer_role: "advertiser".into(),
        executor_role: "ad_system_operator".into(),
        period_from: "2026-10-01".into(),
        period_to: "2026-10-31".into(),
        amount: "120000.00".into(),
        vat_included: true,
        non_advertising_services: false,
        allocations: vec![AllocationDraft {
            initial_contract: "ДР-2026/15".into(),
            amount: "120000.00".into(),
            vat_included: true,
            statistics: vec![],
        }],
    }
}

/// An ORD that answers `status` with a fixed register status and fails the calls named in
/// `fail` (each name once) as a dropped connection does.
#[derive(Default)]
struct Faulty {
    calls: Mutex<Vec<(String, String)>>,
    fail: Mutex<Vec<&'static str>>,
    status: &'static str,
}

impl Faulty {
    fn new(status: &'static str, fail: &[&'static str]) -> Faulty {
        Faulty {
            status,
            fail: Mutex::new(fail.to_vec()),
            ..Faulty::default()
        }
    }

    fn call(&self, what: &'static str, key: &str) -> Result<()> {
        self.calls.lock().unwrap().push((what.into(), key.into()));
        let mut fail = self.fail.lock().unwrap();
        if let Some(i) = fail.iter().position(|f| *f == what) {
            fail.remove(i);
            return Err(Error::new(
                ErrorCode::OperatorUnreachable,
                "Оператор рекламных данных недоступен: соединение разорвано",
            ));
        }
        Ok(())
    }

    fn keys(&self, what: &str) -> Vec<String> {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .filter(|(w, _)| w == what)
            .map(|(_, k)| k.clone())
            .collect()
    }

    fn answer(status: &str) -> RegisterAnswer {
        RegisterAnswer {
            register_status: status.into(),
            register_errors: vec![],
            version: Some(1),
        }
    }
}

impl Ord for Faulty {
    async fn put_act(&self, _: &str, key: &str, _: &serde_json::Value) -> Result<RegisterAnswer> {
        self.call("put", key)?;
        Ok(Faulty::answer("draft"))
    }
    async fn submit(&self, _: &str, key: &str) -> Result<RegisterAnswer> {
        self.call("submit", key)?;
        Ok(Faulty::answer("processing"))
    }
    async fn status(&self, _: &str) -> Result<RegisterAnswer> {
        self.call("status", "")?;
        Ok(Faulty::answer(self.status))
    }
}

#[tokio::test]
async fn a_submit_lost_on_the_way_is_sent_again_as_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let a = store.create_act(&act(), None).unwrap();
    let ord = Faulty::new("processing", &["submit"]);

    let e = submit_act(&mut store, a.id, &ord).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorUnreachable);
    let after = store.act(a.id).unwrap();
    assert_eq!(after.register_status, "draft", "the put's answer is kept");
    assert_eq!(
        after.submissions, 0,
        "a submit without an answer is not counted"
    );

    let sent = submit_act(&mut store, a.id, &ord).await.unwrap();
    assert_eq!(sent.register_status, "processing");
    assert_eq!(sent.submissions, 1);
    // Same keys both times: an ORD that did get the first submit counts it once.
    let (puts, submits) = (ord.keys("put"), ord.keys("submit"));
    assert_eq!((puts.len(), submits.len()), (2, 2));
    assert_eq!(puts[0], puts[1]);
    assert_eq!(submits[0], submits[1]);
    assert!(store.verify_history().unwrap().intact);
}

#[tokio::test]
async fn a_register_that_never_decides_is_left_processing_after_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let a = store.create_act(&act(), None).unwrap();
    let ord = Faulty::new("processing", &[]);
    submit_act(&mut store, a.id, &ord).await.unwrap();

    let started = std::time::Instant::now();
    let act = await_register(&mut store, a.id, &ord, Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(act.register_status, "processing");
    assert!(started.elapsed() < Duration::from_secs(3), "the wait ends");
    assert!(ord.keys("status").len() >= 2, "it asked more than once");
}
