//! The ORD's catalogue kept locally: a sync against the real qoltanba-operator over loopback
//! (contracts with their supplementary agreement, statistics with their initial contract, a bad
//! item set aside with its reason and the rest kept, a second sync that updates and keeps links),
//! the budgets of a sync against a source that never ends (a fault the server cannot make), and
//! CSV imports with a per-line report.

mod support;

use qoltanba_core::acts::catalog::{sync_catalog, CatalogSource};
use qoltanba_core::acts::csv::{import_contracts, import_statistics};
use qoltanba_core::acts::{ActDraft, AllocationDraft, Budget, HttpOrd};
use qoltanba_core::operator::Token;
use qoltanba_core::{ErrorCode, Result};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};

async fn demo_server(dir: &std::path::Path) -> qoltanba_operator::Running {
    let mut s = qoltanba_operator::Settings::new(dir);
    s.seed = Some(qoltanba_operator::Seed::Demo);
    qoltanba_operator::start(s, false)
        .await
        .expect("operator starts")
}

fn client(running: &qoltanba_operator::Running) -> HttpOrd {
    HttpOrd::new(&running.base_url(), Token::new("demo-token").unwrap()).unwrap()
}

#[tokio::test]
async fn a_sync_keeps_the_ords_contracts_and_statistics_and_sets_a_bad_item_aside() {
    let (sdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let running = demo_server(sdir.path()).await;
    // Two broken entries among the good ones: each is set aside, the rest still arrive.
    running
        .put_ord_contract(&json!({"id": "ctr_broken", "number": "", "date": "2026-01-01",
            "kind": "contract", "customer": {"inn": "7701234567", "name": "X", "role": "advertiser"},
            "executor": {"inn": "7704217370", "name": "Y", "role": "agency"}}))
        .unwrap();
    running
        .put_ord_statistics(
            &json!({"id": "stat_broken", "creativeMarker": "E1", "platform": "p",
            "impressions": 10, "amount": "сто рублей", "firstImpressionDate": "2026-10-09"}),
        )
        .unwrap();
    let mut store = support::open(ddir.path());
    let report = sync_catalog(&mut store, &client(&running), Budget::default())
        .await
        .unwrap();
    assert_eq!((report.contracts_added, report.statistics_added), (4, 5));
    assert_eq!(report.stopped, None);
    let aside: Vec<(&str, &str)> = report
        .set_aside
        .iter()
        .map(|s| (s.item.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        aside,
        [
            ("ctr_broken", "нет поля number"),
            (
                "stat_broken",
                "amount «сто рублей» — не сумма в рублях вида 1000.00"
            )
        ]
    );

    // The contract search of an allocation finds the contract and its agreement, each its own
    // choice; the agreement names its contract.
    let book = store.contracts().unwrap();
    let found: Vec<(&str, &str)> = book
        .search("ДР-2026/15")
        .iter()
        .map(|c| (c.ord_id.as_str(), c.kind.code()))
        .collect();
    assert_eq!(
        found,
        [
            ("ctr_demo_main", "contract"),
            ("ctr_demo_sa1", "supplementary_agreement")
        ]
    );
    assert_eq!(
        book.resolve("ctr_demo_sa1").unwrap().parent_id,
        "ctr_demo_main"
    );
    let stats = store.statistics().unwrap();
    assert_eq!(stats.len(), 5);
    let first = store.statistics_record("stat_demo_01").unwrap();
    assert_eq!(first.impressions, 48_000);
    assert_eq!(first.amount.to_string(), "60000.00");
    assert_eq!(first.initial_contract, "ctr_demo_main");

    // A second sync brings entries up to date and keeps the links made here.
    let act = store
        .create_act(
            &ActDraft {
                contract: "ctr_demo_main".into(),
                number: "A-1".into(),
                date: "2026-10-31".into(),
                customer_role: "advertiser".into(),
                executor_role: "ad_system_operator".into(),
                period_from: "2026-10-01".into(),
                period_to: "2026-10-31".into(),
                amount: "60000.00".into(),
                vat_included: true,
                allocations: vec![AllocationDraft {
                    initial_contract: "ctr_demo_main".into(),
                    amount: "60000.00".into(),
                    vat_included: true,
                    statistics: vec![],
                }],
                ..ActDraft::default()
            },
            None,
        )
        .unwrap();
    store.link_statistics("stat_demo_01", act.id, 0).unwrap();
    running
        .put_ord_statistics(
            &json!({"id": "stat_demo_01", "creativeMarker": "2VtzqvWgxEP",
            "platform": "ozon.ru", "impressions": 50000, "amount": "62500.00",
            "firstImpressionDate": "2026-10-03", "initialContractId": "ctr_demo_main"}),
        )
        .unwrap();
    let again = sync_catalog(&mut store, &client(&running), Budget::default())
        .await
        .unwrap();
    assert_eq!((again.contracts_added, again.contracts_updated), (0, 4));
    assert_eq!((again.statistics_added, again.statistics_updated), (0, 5));
    let updated = store.statistics_record("stat_demo_01").unwrap();
    assert_eq!(updated.impressions, 50_000);
    assert_eq!(updated.act_id, Some(act.id));
    assert_eq!(store.contracts().unwrap().0.len(), 4);

    // A token the ORD refuses: the sync fails with `unauthorized` and nothing changes.
    let wrong = HttpOrd::new(&running.base_url(), Token::new("not-the-token").unwrap()).unwrap();
    let e = sync_catalog(&mut store, &wrong, Budget::default())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    assert_eq!(store.statistics().unwrap().len(), 5);
}

/// A source whose pages never end: each has `per_page` contracts of `filler` bytes and a new
/// cursor (or, with `stuck`, the same one again).
struct Endless {
    per_page: usize,
    filler: usize,
    stuck: bool,
    pages: AtomicUsize,
}

impl Endless {
    fn new(per_page: usize, filler: usize, stuck: bool) -> Endless {
        Endless {
            per_page,
            filler,
            stuck,
            pages: AtomicUsize::new(0),
        }
    }
}

impl CatalogSource for Endless {
    async fn page(&self, list: &str, _query: &[(&str, String)]) -> Result<Vec<u8>> {
        let n = self.pages.fetch_add(1, Ordering::SeqCst);
        if list != "contracts" {
            return Ok(br#"{"statistics": [], "next": null}"#.to_vec());
        }
        let items: Vec<_> = (0..self.per_page)
            .map(|i| {
                json!({"id": format!("ctr_{n}_{i}"), "number": format!("N-{n}-{i}"),
                       "date": "2026-01-01", "kind": "contract",
                       "customer": {"inn": "7701234567", "name": format!("ООО «{}»", "x".repeat(self.filler.min(400))), "role": "advertiser"},
                       "executor": {"inn": "7704217370", "name": "Y", "role": "agency"},
                       "padding": "p".repeat(self.filler)})
            })
            .collect();
        let next = if self.stuck {
            "same".to_string()
        } else {
            format!("c{n}")
        };
        Ok(serde_json::to_vec(&json!({"contracts": items, "next": next})).unwrap())
    }
}

#[tokio::test]
async fn a_sync_stops_at_its_page_item_and_byte_budgets_and_keeps_what_came() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let budget = Budget {
        pages: 3,
        items: 1_000,
        bytes: 10 * 1024 * 1024,
    };
    let pages = sync_catalog(&mut store, &Endless::new(2, 0, false), budget)
        .await
        .unwrap();
    assert_eq!(pages.contracts_added, 6);
    assert!(pages
        .stopped
        .as_deref()
        .unwrap()
        .contains("больше 3 страниц"));

    let items = sync_catalog(
        &mut store,
        &Endless::new(10, 0, false),
        Budget {
            items: 15,
            ..budget
        },
    )
    .await
    .unwrap();
    // Four of them have ids the first sync brought (each source numbers from 0).
    assert_eq!(items.contracts_added + items.contracts_updated, 15);
    assert!(items
        .stopped
        .as_deref()
        .unwrap()
        .contains("больше 15 записей"));

    let bytes = sync_catalog(
        &mut store,
        &Endless::new(4, 300_000, false),
        Budget {
            bytes: 2 * 1024 * 1024,
            ..budget
        },
    )
    .await
    .unwrap();
    // Pages of ~1.2 MB: the second one crosses 2 MB and is not kept.
    assert_eq!(bytes.contracts_added + bytes.contracts_updated, 4);
    assert!(bytes.stopped.as_deref().unwrap().contains("больше 2 МБ"));

    let stuck = sync_catalog(&mut store, &Endless::new(1, 0, true), budget)
        .await
        .unwrap();
    assert!(stuck
        .stopped
        .as_deref()
        .unwrap()
        .contains("повторил курсор"));
}

#[test]
fn csv_imports_report_each_refused_line_and_keep_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    let contracts = "\u{feff}Номер;Дата;Вид;Основной договор;Заказчик;ИНН заказчика;Роль заказчика;Исполнитель;ИНН исполнителя;Роль исполнителя\n\
        ИД-7;2026-02-01;договор;;ООО «Бренд»;7802111222;рекламодатель;ООО «Агентство»;7725012345;рекламное агентство\n\
        ДС-2 к ИД-7;2026-05-01;доп. соглашение;;ООО «Бренд»;7802111222;advertiser;ООО «Агентство»;7725012345;agency\n\
        ИД-8;01.02.2026;договор;;ООО «Бренд»;7802111222;advertiser;ООО «Агентство»;7725012345;agency\n\
        ИД-9;2026-03-01;договор;;\"ООО «Бренд; и партнёры»\";123;advertiser;ООО «Агентство»;7725012345;agency\n\
        ИД-10;2026-03-01;договор;;ООО «Бренд»;7802111222;спонсор;ООО «Агентство»;7725012345;agency\n";
    let report = import_contracts(&mut store, contracts.as_bytes()).unwrap();
    assert_eq!(report.contracts_added, 1);
    let refused: Vec<(&str, &str)> = report
        .set_aside
        .iter()
        .map(|s| (s.item.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("строка 3", "у доп. соглашения не указан договор (parentId)"),
            ("строка 4", "date «01.02.2026» — не дата ГГГГ-ММ-ДД"),
            ("строка 5", "customer.inn «123» — не ИНН из 10 или 12 цифр"),
            (
                "строка 6",
                "customer.role «спонсор» — не роль (advertiser, agency, distributor, ad_system_operator)"
            ),
        ]
    );
    let c = store.contracts().unwrap();
    let kept = c.resolve("ИД-7").unwrap();
    assert_eq!(kept.customer_role.code(), "advertiser");
    assert_eq!(kept.executor_role.map(|r| r.code()), Some("agency"));

    let statistics = "erid,platform,impressions,amount,first_shown,initial_contract\n\
        E-1,ozon.ru,12 000,\"1 500,50\",2026-10-03,ИД-7\n\
        E-2,ozon.ru,-5,100.00,2026-10-03,\n\
        ,ozon.ru,5,100.00,2026-10-03,\n";
    let report = import_statistics(&mut store, statistics.as_bytes()).unwrap();
    assert_eq!(report.statistics_added, 1);
    assert_eq!(report.set_aside.len(), 2);
    assert_eq!(report.set_aside[0].item, "строка 3");
    assert_eq!(report.set_aside[1].reason, "нет поля creativeMarker");
    let s = &store.statistics().unwrap()[0];
    assert_eq!(
        (s.impressions, s.amount.to_string()),
        (12_000, "1500.50".into())
    );
    assert_eq!(s.initial_contract, "ИД-7");

    // A file with no known column, or not UTF-8, is refused whole and changes nothing.
    let e = import_contracts(&mut store, b"foo;bar\n1;2\n").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("нет ни одной известной колонки"));
    let e = import_statistics(&mut store, &[0xff, 0xfe, b'a', b'\n']).unwrap_err();
    assert!(e.message.contains("UTF-8"));
    assert_eq!(store.contracts().unwrap().0.len(), 1);
    assert_eq!(store.statistics().unwrap().len(), 1);
}
