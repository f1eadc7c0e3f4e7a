//! Advertising acts for the register: store, submit, poll to accepted or rejected; an accepted act
//! changed and sent again as its next version; no deletion call (an e-mail to the ORD's support).

mod common;

use std::time::Duration;

use common::{key, Server};
use reqwest::Method;
use serde_json::{json, Value};

fn act() -> Value {
    json!({
        "contract": "ДР-2026/15", "number": "A-2026-10-001", "date": "2026-10-31",
        "customerRole": "advertiser", "executorRole": "ad_system_operator",
        "periodFrom": "2026-10-01", "periodTo": "2026-10-31", "amount": "120000.00", "vatIncluded": true,
        "allocations": [{"initialContract": "ДР-2026/15", "amount": "120000.00", "vatIncluded": true,
                          "statistics": ["stat_001", "stat_002"]}]
    })
}

async fn settled(server: &Server, path: &str) -> Value {
    for _ in 0..100 {
        let act = server.get_json(path).await;
        if act["registerStatus"] != "processing" {
            return act;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("act stayed processing");
}

#[tokio::test]
async fn an_act_goes_from_draft_through_processing_to_accepted() {
    let server = Server::demo().await;
    let path = "/ord/acts/act-0001";
    let put = server.write(Method::PUT, path, &key(), &act()).await;
    assert_eq!(put.status(), 200);
    let stored: Value = put.json().await.unwrap();
    assert_eq!(stored["registerStatus"], "draft");
    assert_eq!(stored["amount"], "120000.00");
    assert_eq!(stored["allocations"][0]["statistics"][1], "stat_002");

    let submit = server
        .write(Method::POST, &format!("{path}/submit"), &key(), &json!({}))
        .await;
    assert_eq!(submit.status(), 202);
    assert_eq!(server.get_json(path).await["registerStatus"], "processing");
    let done = settled(&server, path).await;
    assert_eq!(done["registerStatus"], "accepted");
    assert_eq!(done["registerErrors"], json!([]));

    assert_eq!(done["version"], 1);

    // An accepted act can be changed: the change is version 2, a draft until submitted, and the
    // register keeps both versions.
    let mut changed = act();
    changed["allocations"][0]["statistics"] = json!(["stat_001"]);
    let replace = server.write(Method::PUT, path, &key(), &changed).await;
    assert_eq!(replace.status(), 200);
    let v2: Value = replace.json().await.unwrap();
    assert_eq!(v2["registerStatus"], "draft");
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["allocations"][0]["statistics"], json!(["stat_001"]));
    server
        .write(Method::POST, &format!("{path}/submit"), &key(), &json!({}))
        .await;
    let again = settled(&server, path).await;
    assert_eq!(again["registerStatus"], "accepted");
    assert_eq!(again["version"], 2);
    let versions = server.running.act_versions("act-0001").unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].1.contains("stat_002") && !versions[1].1.contains("stat_002"));

    // Acts are never deleted through the API: the ORD deletes them on a letter to its support.
    let deletion = server
        .write(
            Method::POST,
            &format!("{path}/deletion-requests"),
            &key(),
            &json!({"reason": "Дубликат акта"}),
        )
        .await;
    assert_eq!(deletion.status(), 404);
    assert_eq!(server.get_json(path).await["registerStatus"], "accepted");

    assert_eq!(server.get("/ord/acts/act-missing").await.status(), 404);
}

#[tokio::test]
async fn register_rejections_end_a_submitted_act_rejected_with_those_errors() {
    let server = Server::start(|s| {
        s.register_rejections = vec![
            (
                "allocations[0].statistics".into(),
                "статистика не найдена в ЕРИР".into(),
            ),
            ("contract".into(), "договор не зарегистрирован".into()),
        ]
    })
    .await;
    let path = "/ord/acts/act-0002";
    server.write(Method::PUT, path, &key(), &act()).await;
    server
        .write(Method::POST, &format!("{path}/submit"), &key(), &json!({}))
        .await;
    let done = settled(&server, path).await;
    assert_eq!(done["registerStatus"], "rejected");
    assert_eq!(
        done["registerErrors"][0]["field"],
        "allocations[0].statistics"
    );
    assert_eq!(
        done["registerErrors"][1]["message"],
        "договор не зарегистрирован"
    );

    // A rejected act can be corrected (back to draft) and submitted again.
    let fixed = server.write(Method::PUT, path, &key(), &act()).await;
    assert_eq!(
        fixed.json::<Value>().await.unwrap()["registerStatus"],
        "draft"
    );
}

#[tokio::test]
async fn act_writes_are_idempotent() {
    let server = Server::demo().await;
    let k = key();
    let first: Value = server
        .write(Method::PUT, "/ord/acts/act-3", &k, &act())
        .await
        .json()
        .await
        .unwrap();
    let again = server
        .write(Method::PUT, "/ord/acts/act-3", &k, &act())
        .await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let mut other = act();
    other["amount"] = json!("1.00");
    let reused = server
        .write(Method::PUT, "/ord/acts/act-3", &k, &other)
        .await;
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["code"],
        "idempotency_key_reused"
    );
}

#[tokio::test]
async fn with_reject_once_the_corrected_act_sent_again_is_accepted() {
    let server = Server::start(|s| {
        s.register_rejections = vec![("number".into(), "номер акта уже занят".into())];
        s.register_reject_once = true;
    })
    .await;
    let path = "/ord/acts/act-0004";
    server.write(Method::PUT, path, &key(), &act()).await;
    server
        .write(Method::POST, &format!("{path}/submit"), &key(), &json!({}))
        .await;
    let first = settled(&server, path).await;
    assert_eq!(first["registerStatus"], "rejected");
    assert_eq!(first["registerErrors"][0]["field"], "number");
    let mut fixed = act();
    fixed["number"] = json!("A-2026-10-001/1");
    server.write(Method::PUT, path, &key(), &fixed).await;
    server
        .write(Method::POST, &format!("{path}/submit"), &key(), &json!({}))
        .await;
    let second = settled(&server, path).await;
    assert_eq!(second["registerStatus"], "accepted", "{second}");
    assert_eq!(
        second["version"], 1,
        "a rejected act corrected is still its first version"
    );
}
