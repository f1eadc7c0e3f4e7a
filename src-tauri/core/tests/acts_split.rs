//! «Распределить пропорционально», property-style over many generated cases (a seeded generator,
//! so a failure repeats): the parts always sum to the act's amount to the kopeck, each part is
//! within one kopeck of its exact share, and a zero base gets nothing. Plus the one-line helper and the refusals.

use qoltanba_core::acts::split::{distribute, split_proportionally};
use qoltanba_core::acts::{ActDraft, AllocationDraft};
use qoltanba_core::model::Money;
use qoltanba_core::ErrorCode;

/// xorshift64*: enough to vary cases, and repeatable.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn parts_sum_to_the_act_amount_and_each_is_within_a_kopeck_of_its_share() {
    let mut g = Gen(0x5eed_1234_abcd_0001);
    for case in 0..20_000 {
        let total = match case % 4 {
            0 => g.below(100),
            1 => g.below(100_000_000),
            2 => g.below(1_000_000_000_000),
            _ => 1 + g.below(3),
        } as i64;
        let n = 1 + g.below(12) as usize;
        let bases: Vec<u64> = (0..n)
            .map(|_| match g.below(5) {
                0 => 0,
                1 => g.below(10),
                2 => g.below(1_000_000_000),
                _ => g.below(100_000),
            })
            .collect();
        if bases.iter().all(|&b| b == 0) {
            continue;
        }
        let parts = split_proportionally(Money(total), &bases).unwrap();
        assert_eq!(parts.len(), n);
        let sum: i64 = parts.iter().map(|p| p.0).sum();
        assert_eq!(sum, total, "case {case}: {bases:?} of {total}");
        let base_sum: u128 = bases.iter().map(|&b| b as u128).sum();
        for (p, &b) in parts.iter().zip(&bases) {
            let exact_floor = (total as u128 * b as u128 / base_sum) as i64;
            assert!(
                p.0 == exact_floor || p.0 == exact_floor + 1,
                "case {case}: part {} of base {b} is not ⌊share⌋ or +1 ({exact_floor})",
                p.0
            );
            if b == 0 {
                assert_eq!(p.0, 0);
            }
        }
    }
}

#[test]
fn a_worked_example_gives_the_odd_kopeck_to_the_largest_remainder() {
    // 100.00 ₽ over 1:1:1 — 33.34 + 33.33 + 33.33 (the earlier line takes the tie).
    let parts = split_proportionally(Money(10_000), &[1, 1, 1]).unwrap();
    assert_eq!(
        parts.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        ["33.34", "33.33", "33.33"]
    );
    // 120 000.00 ₽ by impressions 48 000 / 32 000 / 20 000.
    let parts = split_proportionally(Money(12_000_000), &[48_000, 32_000, 20_000]).unwrap();
    assert_eq!(
        parts.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        ["57600.00", "38400.00", "24000.00"]
    );
    // 0.05 ₽ by 2:1 — 0.0333… and 0.0166…: 0.03 + 0.02 (remainders ⅓ vs ⅔).
    let parts = split_proportionally(Money(5), &[2, 1]).unwrap();
    assert_eq!(parts, [Money(3), Money(2)]);
}

fn draft(lines: usize) -> ActDraft {
    ActDraft {
        amount: "120 000,50".into(),
        vat_included: true,
        allocations: (0..lines)
            .map(|i| AllocationDraft {
                initial_contract: format!("ИД-{i}"),
                ..AllocationDraft::default()
            })
            .collect(),
        ..ActDraft::default()
    }
}

#[test]
fn one_line_takes_the_act_amount_and_several_are_split_by_the_bases_typed() {
    let one = distribute(&draft(1), &[]).unwrap();
    assert_eq!(one.allocations[0].amount, "120000.50");
    assert!(one.allocations[0].vat_included);

    let two = distribute(&draft(2), &["12 000".into(), "36000".into()]).unwrap();
    let amounts: Vec<&str> = two.allocations.iter().map(|a| a.amount.as_str()).collect();
    assert_eq!(amounts, ["30000.13", "90000.37"]);
    assert_eq!(two.allocations[1].initial_contract, "ИД-1");

    for (bases, says) in [
        (vec!["1".to_string()], "нужна база для каждой из 2 строк"),
        (vec!["0".into(), "0".into()], "укажите базу распределения"),
        (
            vec!["много".into(), "1".into()],
            "«много» — не база распределения",
        ),
    ] {
        let e = distribute(&draft(2), &bases).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(says), "{}", e.message);
    }
    let e = distribute(&draft(0), &[]).unwrap_err();
    assert!(e.message.contains("добавьте строку"));
}
