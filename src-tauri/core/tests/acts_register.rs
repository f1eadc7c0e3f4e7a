//! Submitting acts to the real qoltanba-operator over loopback: accepted, rejected by the
//! register with errors that land on their fields and in notifications, refused by the server's
//! own run of the rules, and never sent when the client's rules already fail.

mod support;

use qoltanba_core::acts::register::{await_register, submit_act};
use qoltanba_core::acts::{ActDraft, AllocationDraft, HttpOrd, NewStatistics, Ord as _};
use qoltanba_core::operator::Token;
use qoltanba_core::ErrorCode;
use qoltanba_operator::{Running, Settings};
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

async fn server(dir: &std::path::Path, rejections: &[(&str, &str)]) -> Running {
    let mut s = Settings::new(dir);
    s.pending = Duration::from_millis(50);
    s.register_rejections = rejections
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    qoltanba_operator::start(s, false)
        .await
        .expect("operator starts")
}

fn client(running: &Running) -> HttpOrd {
    HttpOrd::new(&running.base_url(), Token::new("demo-token").unwrap()).unwrap()
}

async fn remote(running: &Running, external_id: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(format!("{}/ord/acts/{external_id}", running.base_url()))
        .bearer_auth("demo-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_act_with_linked_statistics_is_submitted_and_accepted() {
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = server(sdir.path(), &[]).await;
    let ord = client(&running);
    let mut store = support::open(ddir.path());
    let a = store.create_act(&act(), None).unwrap();
    let stat = store
        .add_statistics(&NewStatistics {
            creative: "2VtzqvWgxEP".into(),
            platform: "ozon.ru".into(),
            impressions: 15000,
            amount: "120000.00".into(),
            first_shown: "2026-10-03".into(),
        })
        .unwrap();
    store.link_statistics(&stat.id, a.id, 0).unwrap();

    let sent = submit_act(&mut store, a.id, &ord).await.unwrap();
    assert_eq!(sent.register_status, "processing");
    let done = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.register_status, "accepted");
    assert!(done.register_errors.is_empty());
    // The register got the act as entered, with the linked statistics on its allocation.
    let there = remote(&running, &a.external_id).await;
    assert_eq!(there["amount"], "120000.00");
    assert_eq!(there["allocations"][0]["statistics"][0], stat.id.as_str());

    let actions: Vec<_> = store
        .act_history(a.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.to_status))
        .collect();
    assert_eq!(actions[0].0, "act_created");
    assert!(actions.contains(&("act_submitted".into(), Some("processing".into()))));
    assert_eq!(
        actions.last().unwrap(),
        &("register_answer".into(), Some("accepted".into()))
    );
    assert!(store.verify_history().unwrap().intact);
    // An accepted act is not changed any more, only asked to be deleted.
    let e = store
        .update_act(
            a.id,
            &ActDraft {
                number: "A-2".into(),
                ..act()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTransition);
    store
        .request_act_deletion(a.id, "Акт загружен дважды")
        .unwrap();
    let n = qoltanba_core::acts::register::send_deletion_requests(&mut store, &ord)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(store.unsent_deletion_requests().unwrap().is_empty());
    assert_eq!(store.act(a.id).unwrap().register_status, "accepted");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_register_rejection_lands_on_its_fields_and_in_notifications() {
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = server(
        sdir.path(),
        &[
            ("allocations[0].amount", "сумма не сходится со статистикой"),
            ("contract", "договор не зарегистрирован в ЕРИР"),
        ],
    )
    .await;
    let ord = client(&running);
    let mut store = support::open(ddir.path());
    let a = store.create_act(&act(), None).unwrap();
    submit_act(&mut store, a.id, &ord).await.unwrap();
    let done = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.register_status, "rejected");
    assert_eq!(
        done.register_error("allocations[0].amount"),
        Some("сумма не сходится со статистикой")
    );
    assert_eq!(
        done.register_error("contract"),
        Some("договор не зарегистрирован в ЕРИР")
    );
    assert_eq!(done.register_error("number"), None);
    let bell = store.notifications(true).unwrap();
    assert_eq!(bell.len(), 1, "one notification, not one per poll");
    assert_eq!(bell[0].category, "error");
    assert!(bell[0].message.contains("A-2026-10-001"));
    assert!(bell[0]
        .message
        .contains("договор не зарегистрирован в ЕРИР"));
    // A rejected act can be corrected.
    let fixed = store
        .update_act(
            a.id,
            &ActDraft {
                number: "A-2026-10-001/1".into(),
                ..act()
            },
        )
        .unwrap();
    assert_eq!(fixed.draft.number, "A-2026-10-001/1");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_operator_runs_the_same_rules_and_rejects_a_broken_act_per_field() {
    let sdir = tempfile::tempdir().unwrap();
    let running = server(sdir.path(), &[]).await;
    let ord = client(&running);
    // Sent past the client's own check, as another program might.
    let mut broken = act();
    broken.executor_role = "advertiser".into();
    broken.allocations[0].amount = "130000.00".into();
    let body = serde_json::to_value(&broken).unwrap();
    ord.put_act("act-broken", "k-put-1", &body).await.unwrap();
    let answer = ord.submit("act-broken", "k-submit-1").await.unwrap();
    assert_eq!(answer.register_status, "rejected");
    let fields: Vec<_> = answer
        .register_errors
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["executorRole", "allocations[0].amount"]);
    assert!(answer.register_errors[0]
        .message
        .contains("не может быть рекламодателем"));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_act_that_breaks_a_rule_is_not_sent() {
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = server(sdir.path(), &[]).await;
    let ord = client(&running);
    let mut store = support::open(ddir.path());
    let mut draft = act();
    draft.allocations[0].amount = "100000.00".into();
    let a = store.create_act(&draft, None).unwrap();
    let e = submit_act(&mut store, a.id, &ord).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("allocations[0].amount"), "{}", e.message);
    assert_eq!(store.act(a.id).unwrap().register_status, "local");
    let missing = reqwest::Client::new()
        .get(format!("{}/ord/acts/{}", running.base_url(), a.external_id))
        .bearer_auth("demo-token")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    running.shutdown().await.unwrap();
}
