//! Submitting acts to the real qoltanba-operator over loopback: accepted, rejected by the
//! register with errors that land on their fields and in notifications, refused by the server's
//! own run of the rules, and never sent when the client's rules already fail; an accepted act
//! changed (fields or statistics) goes again as the register's next version.

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
    assert_eq!(done.register_version, Some(1));
    // Accepted as it is here: nothing to send again.
    let e = submit_act(&mut store, a.id, &ord).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTransition);
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
    broken.executor_role = "publisher".into();
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
        .contains("неизвестная роль"));
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

/// The ORD's page lets a registered act be edited; statistics cleared on it must reach the
/// register with that change, never stay local.
#[tokio::test]
async fn a_statistic_cleared_on_an_accepted_act_leaves_the_next_put_as_version_2() {
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = server(sdir.path(), &[]).await;
    let ord = client(&running);
    let mut store = support::open(ddir.path());
    let a = store.create_act(&act(), None).unwrap();
    let stat = |store: &mut qoltanba_core::Store, erid: &str| {
        store
            .add_statistics(&NewStatistics {
                creative: erid.into(),
                platform: "ozon.ru".into(),
                impressions: 1000,
                amount: "60000.00".into(),
                first_shown: "2026-10-03".into(),
            })
            .unwrap()
            .id
    };
    let (kept, cleared) = (stat(&mut store, "erid-1"), stat(&mut store, "erid-2"));
    store.link_statistics(&kept, a.id, 0).unwrap();
    store.link_statistics(&cleared, a.id, 0).unwrap();
    submit_act(&mut store, a.id, &ord).await.unwrap();
    let done = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.register_status, "accepted");
    assert!(done.registered_as_is());

    store.clear_statistics(&cleared).unwrap();
    let changed = store.act(a.id).unwrap();
    assert!(
        changed.unsent_change,
        "the cleared statistic is marked for the register"
    );
    assert!(!changed.registered_as_is());
    // The deadline list no longer counts it as registered: the register does not know yet.
    let line = store
        .deadlines()
        .unwrap()
        .into_iter()
        .find(|l| l.record.id == kept)
        .unwrap();
    assert_ne!(line.state, qoltanba_core::acts::DeadlineState::Registered);

    let sent = submit_act(&mut store, a.id, &ord).await.unwrap();
    assert!(!sent.unsent_change);
    assert_eq!(
        sent.register_version,
        Some(2),
        "the PUT's answer: version 2"
    );
    let again = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(again.register_status, "accepted");
    assert_eq!(again.register_version, Some(2));
    let there = remote(&running, &a.external_id).await;
    assert_eq!(there["version"], 2);
    assert_eq!(
        there["allocations"][0]["statistics"],
        serde_json::json!([kept])
    );
    let versions = running.act_versions(&a.external_id).unwrap();
    assert_eq!(versions.len(), 2, "the register keeps every version");
    assert!(versions[0].1.contains(&cleared) && !versions[1].1.contains(&cleared));

    // A field changed on the accepted act: version 3, the history says what changed.
    store
        .update_act(
            a.id,
            &ActDraft {
                number: "A-2026-10-001/2".into(),
                ..store.act(a.id).unwrap().draft
            },
        )
        .unwrap();
    submit_act(&mut store, a.id, &ord).await.unwrap();
    let third = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(
        (third.register_status.as_str(), third.register_version),
        ("accepted", Some(3))
    );
    let history = store.act_history(a.id).unwrap();
    let edit = history.iter().find(|e| e.action == "act_edited").unwrap();
    assert_eq!(edit.detail["changed"], serde_json::json!(["number"]));
    assert_eq!(edit.detail["nextVersion"], 3);
    let versions: Vec<_> = history
        .iter()
        .filter(|e| e.action == "register_answer")
        .filter_map(|e| e.detail["version"].as_i64())
        .collect();
    assert!(
        versions.contains(&2) && versions.contains(&3),
        "{versions:?}"
    );
    assert!(store.verify_history().unwrap().intact);
    running.shutdown().await.unwrap();
}

/// The act's contract picked from the ORD's list (its id) and the allocation's initial contract
/// typed as its number: the register compares ids, so both go as the catalogue's ORD id and the
/// act is accepted, not rejected for naming another contract.
#[tokio::test]
async fn a_contract_typed_by_its_number_goes_to_the_register_as_its_ord_id() {
    use qoltanba_core::acts::{Contract, ContractKind, Role};
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = server(sdir.path(), &[]).await;
    let ord = client(&running);
    let mut store = support::open(ddir.path());
    store
        .merge_contracts(
            &[Contract {
                ord_id: "ctr_demo_main".into(),
                number: "ДР-2026/15".into(),
                date: "2026-01-15".into(),
                customer_name: "ООО «Рекламодатель»".into(),
                customer_inn: "7701234567".into(),
                customer_role: Role::Advertiser,
                executor_name: "ООО «Площадка»".into(),
                kind: ContractKind::Contract,
                parent_id: String::new(),
                executor_inn: String::new(),
                executor_role: None,
            }],
            "ord",
        )
        .unwrap();
    let mut draft = act();
    draft.contract = "ctr_demo_main".into();
    let a = store.create_act(&draft, None).unwrap();

    submit_act(&mut store, a.id, &ord).await.unwrap();
    let done = await_register(&mut store, a.id, &ord, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(
        done.register_status, "accepted",
        "{:?}",
        done.register_errors
    );
    let there = remote(&running, &a.external_id).await;
    assert_eq!(there["contract"], "ctr_demo_main");
    assert_eq!(there["allocations"][0]["initialContract"], "ctr_demo_main");
    // What the user typed stays as typed here.
    assert_eq!(
        store.act(a.id).unwrap().draft.allocations[0].initial_contract,
        "ДР-2026/15"
    );
    running.shutdown().await.unwrap();
}
