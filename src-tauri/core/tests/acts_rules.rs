//! Every rule of an act for the register, table-driven: each with an act that meets it and one
//! that breaks it, the broken one named on its exact field with its code and a message in three
//! languages. (RULES.md lists rule → test.)

use qoltanba_core::acts::{
    validate, ActDraft, AllocationDraft, Contract, ContractBook, ContractKind, Role, RuleContext,
    VatTable,
};

fn line(contract: &str, amount: &str, vat: bool) -> AllocationDraft {
    AllocationDraft {
        initial_contract: contract.into(),
        amount: amount.into(),
        vat_included: vat,
        statistics: vec![],
    }
}

/// An act whose customer is the advertiser: one allocation to its own contract.
fn direct() -> ActDraft {
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
        allocations: vec![line("ДР-2026/15", "120000.00", true)],
    }
}

/// An act with an intermediary (agency) as customer: allocations to the advertiser's contracts.
fn through_agency() -> ActDraft {
    ActDraft {
        contract: "АГ-7".into(),
        customer_role: "agency".into(),
        allocations: vec![
            line("ИД-1", "70000.00", true),
            line("ИД-2", "50000.00", true),
        ],
        ..direct()
    }
}

fn contract(ord_id: &str, number: &str, customer: &str, role: Role) -> Contract {
    Contract {
        ord_id: ord_id.into(),
        number: number.into(),
        date: "2026-01-10".into(),
        customer_name: customer.into(),
        customer_inn: "7701234567".into(),
        customer_role: role,
        executor_name: "ООО «Агентство»".into(),
        kind: ContractKind::Contract,
        parent_id: String::new(),
        executor_inn: String::new(),
        executor_role: None,
    }
}

fn book() -> ContractBook {
    ContractBook(vec![
        contract("CTR-1", "ИД-1", "ООО «Рекламодатель-1»", Role::Advertiser),
        contract("CTR-2", "ИД-2", "ООО «Рекламодатель-2»", Role::Advertiser),
        contract("CTR-3", "ИД-3", "ООО «Другое агентство»", Role::Agency),
        contract("CTR-7", "АГ-7", "ООО «Агентство»", Role::Agency),
    ])
}

type Change = fn(&mut ActDraft);

struct Case {
    rule: &'static str,
    meets: Change,
    breaks: Change,
    /// The field and code the broken act is refused on.
    field: &'static str,
    code: &'static str,
}

fn check(act: &ActDraft) -> Vec<(String, &'static str)> {
    let vat = VatTable::default();
    let contracts = book();
    validate(
        act,
        RuleContext {
            vat: &vat,
            contracts: Some(&contracts),
        },
    )
    .into_iter()
    .map(|v| {
        assert!(!v.message.is_empty() && !v.message_kk.is_empty() && !v.message_en.is_empty());
        (v.field, v.code)
    })
    .collect()
}

const CASES: &[Case] = &[
    Case {
        rule: "required fields",
        meets: |_| {},
        breaks: |a| a.contract = "  ".into(),
        field: "contract",
        code: "required",
    },
    Case {
        rule: "act date is a calendar date",
        meets: |a| a.date = "2024-02-29".into(),
        breaks: |a| a.date = "2025-02-29".into(),
        field: "date",
        code: "date_invalid",
    },
    Case {
        rule: "period dates are calendar dates",
        meets: |a| a.period_from = "2026-10-01".into(),
        breaks: |a| a.period_from = "01.10.2026".into(),
        field: "periodFrom",
        code: "date_invalid",
    },
    Case {
        rule: "period from ≤ to",
        meets: |a| a.period_to = a.period_from.clone(),
        breaks: |a| {
            a.period_from = "2026-10-31".into();
            a.period_to = "2026-10-01".into();
        },
        field: "periodTo",
        code: "period_order",
    },
    Case {
        rule: "amount has at most two decimals",
        meets: |a| {
            a.amount = "120000".into();
            a.allocations[0].amount = "120000.0".into();
        },
        breaks: |a| a.amount = "120000.001".into(),
        field: "amount",
        code: "amount_invalid",
    },
    Case {
        rule: "amount is read as typed: spaces between thousands, a comma or a point",
        meets: |a| {
            a.amount = "120 000,00".into();
            a.allocations[0].amount = "120\u{a0}000.00".into();
        },
        breaks: |a| a.amount = "12,3,4".into(),
        field: "amount",
        code: "amount_invalid",
    },
    Case {
        rule: "amount has no letters",
        meets: |a| a.amount = "120000".into(),
        breaks: |a| a.amount = "120 тыс.".into(),
        field: "amount",
        code: "amount_invalid",
    },
    Case {
        rule: "amount is not negative",
        meets: |_| {},
        breaks: |a| a.amount = "-120 000,00".into(),
        field: "amount",
        code: "amount_not_positive",
    },
    Case {
        rule: "act amount is positive",
        meets: |_| {},
        breaks: |a| a.amount = "0.00".into(),
        field: "amount",
        code: "amount_not_positive",
    },
    Case {
        rule: "allocation amount is positive",
        meets: |_| {},
        breaks: |a| a.allocations[0].amount = "-1.00".into(),
        field: "allocations[0].amount",
        code: "amount_not_positive",
    },
    Case {
        rule: "roles are known",
        meets: |a| a.executor_role = "agency".into(),
        breaks: |a| a.customer_role = "publisher".into(),
        field: "customerRole",
        code: "role_unknown",
    },
    Case {
        rule: "a VAT rate exists for the act date",
        meets: |a| a.date = "2019-01-01".into(),
        breaks: |a| a.date = "2018-12-31".into(),
        field: "date",
        code: "vat_rate_missing",
    },
    Case {
        rule: "at least one allocation",
        meets: |_| {},
        breaks: |a| a.allocations.clear(),
        field: "allocations",
        code: "allocations_missing",
    },
    Case {
        // 100 000.00 without VAT is 120 000.00 with 20% (act dated 2025): the same amount.
        rule: "allocation ≤ act, compared with VAT at the act date's rate (20% in 2025)",
        meets: |a| {
            a.date = "2025-12-31".into();
            a.allocations[0] = line("ДР-2026/15", "100000.00", false);
        },
        breaks: |a| {
            a.date = "2025-12-31".into();
            a.allocations[0] = line("ДР-2026/15", "100000.01", false);
        },
        field: "allocations[0].amount",
        code: "allocation_exceeds_act",
    },
    Case {
        // From 2026 the rate is 22%: 100 000.00 net is 122 000.00, more than the act's 120 000.00.
        rule: "allocation ≤ act, compared with VAT at the act date's rate (22% from 2026)",
        meets: |a| {
            a.date = "2026-01-01".into();
            a.amount = "100000.00".into();
            a.vat_included = false;
            a.allocations[0] = line("ДР-2026/15", "122000.00", true);
        },
        breaks: |a| {
            a.date = "2026-01-01".into();
            a.allocations[0] = line("ДР-2026/15", "100000.00", false);
        },
        field: "allocations[0].amount",
        code: "allocation_exceeds_act",
    },
    Case {
        rule: "one initial contract: its amount equals the act's",
        meets: |_| {},
        breaks: |a| a.allocations[0].amount = "100000.00".into(),
        field: "allocations[0].amount",
        code: "single_allocation_less_than_act",
    },
    Case {
        rule: "one initial contract: less only when the act covers non-advertising services",
        meets: |a| {
            a.allocations[0].amount = "100000.00".into();
            a.non_advertising_services = true;
        },
        breaks: |a| {
            a.allocations[0].amount = "100000.00".into();
            a.non_advertising_services = false;
        },
        field: "allocations[0].amount",
        code: "single_allocation_less_than_act",
    },
    Case {
        rule: "customer is the advertiser: the initial contract is the act's own",
        meets: |a| a.allocations[0].initial_contract = "ДР-2026/15".into(),
        breaks: |a| a.allocations[0].initial_contract = "ИД-1".into(),
        field: "allocations[0].initialContract",
        code: "initial_contract_not_own",
    },
];

const AGENCY_CASES: &[Case] = &[
    Case {
        rule: "several initial contracts: each less than the act",
        meets: |_| {},
        breaks: |a| {
            a.allocations[0].amount = "120000.00".into();
            a.allocations[1].amount = "0.01".into();
        },
        field: "allocations[0].amount",
        code: "allocation_not_less_than_act",
    },
    Case {
        rule: "several initial contracts: their sum ≤ act",
        meets: |_| {},
        breaks: |a| a.allocations[1].amount = "60000.00".into(),
        field: "allocations",
        code: "allocations_sum_exceeds_act",
    },
    Case {
        rule: "sum compared like with like (net lines at the act date's rate)",
        meets: |a| {
            // 2026: 50 000.00 net = 61 000.00 with 22%, plus 59 000.00 = 120 000.00.
            a.allocations[0] = line("ИД-1", "59000.00", true);
            a.allocations[1] = line("ИД-2", "50000.00", false);
        },
        breaks: |a| {
            a.allocations[0] = line("ИД-1", "60000.00", true);
            a.allocations[1] = line("ИД-2", "50000.00", false);
        },
        field: "allocations",
        code: "allocations_sum_exceeds_act",
    },
    Case {
        rule: "intermediary: the initial contract is not the act's own",
        meets: |_| {},
        breaks: |a| a.allocations[0].initial_contract = "АГ-7".into(),
        field: "allocations[0].initialContract",
        code: "initial_contract_is_own",
    },
    Case {
        rule: "intermediary: the initial contract is known (found by number or ORD id)",
        meets: |a| a.allocations[0].initial_contract = "CTR-1".into(),
        breaks: |a| a.allocations[0].initial_contract = "ИД-999".into(),
        field: "allocations[0].initialContract",
        code: "initial_contract_unknown",
    },
    Case {
        rule: "intermediary: the advertiser is the initial contract's customer",
        meets: |a| a.allocations[1].initial_contract = "ИД-2".into(),
        breaks: |a| a.allocations[1].initial_contract = "ИД-3".into(),
        field: "allocations[1].initialContract",
        code: "initial_contract_customer_not_advertiser",
    },
    Case {
        rule: "no initial contract twice in one act",
        meets: |_| {},
        breaks: |a| a.allocations[1].initial_contract = "CTR-1".into(),
        field: "allocations[1].initialContract",
        code: "initial_contract_duplicate",
    },
];

fn run(base: fn() -> ActDraft, cases: &[Case]) {
    assert!(check(&base()).is_empty(), "{:?}", check(&base()));
    for c in cases {
        let mut good = base();
        (c.meets)(&mut good);
        assert_eq!(check(&good), vec![], "{}: the act that meets it", c.rule);
        let mut bad = base();
        (c.breaks)(&mut bad);
        let found = check(&bad);
        assert!(
            found.contains(&(c.field.to_string(), c.code)),
            "{}: expected {} on {}, got {found:?}",
            c.rule,
            c.code,
            c.field
        );
    }
}

#[test]
fn every_rule_of_a_direct_act_passes_and_fails_on_its_field() {
    run(direct, CASES);
}

#[test]
fn every_rule_of_an_act_through_an_intermediary_passes_and_fails_on_its_field() {
    run(through_agency, AGENCY_CASES);
}

#[test]
fn a_missing_initial_contract_tells_the_user_to_ask_the_intermediary() {
    let mut act = through_agency();
    act.allocations[0].initial_contract = "ИД-999".into();
    let vat = VatTable::default();
    let contracts = book();
    let v = validate(
        &act,
        RuleContext {
            vat: &vat,
            contracts: Some(&contracts),
        },
    );
    assert_eq!(v.len(), 1);
    assert!(
        v[0].message.contains("Запросите у посредника"),
        "{}",
        v[0].message
    );
    assert!(v[0].message_en.contains("Ask the intermediary"));
}

#[test]
fn every_violation_is_reported_at_once_not_only_the_first() {
    let mut act = direct();
    act.date = "2026-02-30".into();
    act.executor_role = "publisher".into();
    act.amount = "abc".into();
    act.allocations.push(line("ДР-2026/15", "1.005", true));
    let fields: Vec<_> = check(&act).into_iter().map(|(f, _)| f).collect();
    for f in [
        "date",
        "executorRole",
        "amount",
        "allocations[1].amount",
        "allocations[1].initialContract",
    ] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} missing from {fields:?}"
        );
    }
}

#[test]
fn without_the_contract_table_only_what_the_act_says_is_checked() {
    // The operator's side knows no contracts: an unknown initial contract is not its to judge,
    // but naming the act's own contract through an intermediary still is.
    let vat = VatTable::default();
    let server = |a: &ActDraft| {
        validate(
            a,
            RuleContext {
                vat: &vat,
                contracts: None,
            },
        )
        .into_iter()
        .map(|v| v.code)
        .collect::<Vec<_>>()
    };
    let mut act = through_agency();
    act.allocations[0].initial_contract = "ИД-999".into();
    assert!(server(&act).is_empty());
    act.allocations[0].initial_contract = "АГ-7".into();
    assert_eq!(server(&act), vec!["initial_contract_is_own"]);
}

#[test]
fn each_party_may_have_any_of_the_four_roles_the_advertiser_as_executor_too() {
    // The ORD's page lists the four roles for the customer and for the executor alike; only the
    // initial contract depends on whether the customer is the advertiser.
    for customer in Role::ALL {
        for executor in Role::ALL {
            let mut act = if customer == Role::Advertiser {
                direct()
            } else {
                through_agency()
            };
            act.customer_role = customer.code().into();
            act.executor_role = executor.code().into();
            assert_eq!(
                check(&act),
                vec![],
                "customer {customer:?}, executor {executor:?}"
            );
        }
    }
}

#[test]
fn amount_messages_say_what_is_wrong_with_the_typed_text() {
    let vat = VatTable::default();
    let contracts = book();
    let message = |typed: &str| {
        let mut act = direct();
        act.amount = typed.into();
        let v = validate(
            &act,
            RuleContext {
                vat: &vat,
                contracts: Some(&contracts),
            },
        );
        let v = v.into_iter().find(|v| v.field == "amount").expect(typed);
        (v.code, v.message)
    };
    let (code, m) = message("12,3,4");
    assert_eq!(code, "amount_invalid");
    assert!(m.contains("один раз"), "{m}");
    let (_, m) = message("120 000,505");
    assert!(m.contains("не больше двух цифр"), "{m}");
    let (_, m) = message("сто рублей");
    assert!(m.contains("цифрами"), "{m}");
    let (code, m) = message("-5");
    assert_eq!(code, "amount_not_positive");
    assert!(m.contains("больше нуля"), "{m}");
}
