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

#[tokio::test]
async fn the_demo_catalogue_lists_contracts_with_their_supplementary_agreement_in_pages() {
    let server = Server::demo().await;
    let first = server.get_json("/ord/contracts?limit=3").await;
    let page: Vec<&str> = first["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, ["ctr_demo_main", "ctr_demo_sa1", "ctr_demo_init1"]);
    let next = first["next"].as_str().expect("a second page");
    let second = server
        .get_json(&format!("/ord/contracts?limit=3&after={next}"))
        .await;
    assert_eq!(second["contracts"][0]["id"], "ctr_demo_init2");
    assert_eq!(second["next"], Value::Null);

    let agreement = &first["contracts"][1];
    assert_eq!(agreement["kind"], "supplementary_agreement");
    assert_eq!(agreement["parentId"], "ctr_demo_main");
    assert_eq!(agreement["customer"]["role"], "advertiser");
    assert_eq!(agreement["executor"]["role"], "ad_system_operator");

    // Search by number, by party (any case), by INN.
    for (search, expected) in [
        ("ДР-2026/15", vec!["ctr_demo_main", "ctr_demo_sa1"]),
        ("бренд два", vec!["ctr_demo_init2"]),
        ("7802111222", vec!["ctr_demo_init1"]),
    ] {
        let found = server
            .get_json(&format!(
                "/ord/contracts?search={}",
                urlencoding_lite(search)
            ))
            .await;
        let ids: Vec<&str> = found["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, expected, "search {search}");
    }
    assert_eq!(server.get("/ord/contracts?limit=0").await.status(), 422);
    assert_eq!(server.get("/ord/contracts?after=zzz").await.status(), 422);
    assert_eq!(
        server
            .get_as("/ord/contracts", "wrong-token")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn statistics_are_listed_by_first_impression_date_and_paged() {
    let server = Server::demo().await;
    let october = server
        .get_json("/ord/statistics?from=2026-10-01&to=2026-10-31&limit=2")
        .await;
    let first = october["statistics"].as_array().unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["id"], "stat_demo_01");
    assert_eq!(first[0]["impressions"], 48000);
    assert_eq!(first[0]["amount"], "60000.00");
    assert_eq!(first[0]["initialContractId"], "ctr_demo_main");
    let mut ids: Vec<String> = first.iter().map(|s| s["id"].to_string()).collect();
    let mut next = october["next"].as_str().map(str::to_owned);
    while let Some(cursor) = next {
        let page = server
            .get_json(&format!(
                "/ord/statistics?from=2026-10-01&to=2026-10-31&limit=2&after={cursor}"
            ))
            .await;
        ids.extend(
            page["statistics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].to_string()),
        );
        next = page["next"].as_str().map(str::to_owned);
    }
    // November's record is outside the period.
    assert_eq!(ids.len(), 4);
    let all = server.get_json("/ord/statistics").await;
    assert_eq!(all["statistics"].as_array().unwrap().len(), 5);
    assert_eq!(all["statistics"][4]["initialContractId"], Value::Null);
    assert_eq!(
        server.get("/ord/statistics?from=31.10.2026").await.status(),
        422
    );
}

/// Percent-encodes a query value (the few characters these tests use).
fn urlencoding_lite(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
