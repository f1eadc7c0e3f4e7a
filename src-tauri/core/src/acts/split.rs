//! «Распределить пропорционально»: the act's amount over its allocation lines by a base the
//! user gives per line (impressions, or amounts), kopecks exact — largest remainder, so the parts
//! always sum to the act's amount; and the one-line helper that takes the act's amount whole.

use super::act::ActDraft;
use crate::error::{Error, Result};
use crate::model::Money;

/// Splits `total` over `bases` in proportion, in whole kopecks: each line first gets the floor of
/// its exact share, then the kopecks left go one each to the lines with the largest remainders
/// (the earlier line on a tie). A zero base gets nothing; the parts sum to `total` exactly.
pub fn split_proportionally(total: Money, bases: &[u64]) -> Result<Vec<Money>> {
    if total.0 < 0 {
        return Err(Error::invalid(format!(
            "amount: сумма акта {total} отрицательная — распределять нечего"
        )));
    }
    let sum: u128 = bases.iter().map(|&b| u128::from(b)).sum();
    if sum == 0 {
        return Err(Error::invalid(
            "allocations: укажите базу распределения (показы или суммы) хотя бы для одной строки",
        ));
    }
    let t = total.0 as u128;
    let mut parts: Vec<u128> = Vec::with_capacity(bases.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(bases.len());
    for (i, &b) in bases.iter().enumerate() {
        let exact = t * u128::from(b);
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let left = t - parts.iter().sum::<u128>();
    // Largest remainder first; the earlier line first among equals.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left as usize) {
        parts[i] += 1;
    }
    Ok(parts.into_iter().map(|p| Money(p as i64)).collect())
}

/// A base as typed: a count of impressions («12 000») or an amount («1 500,50», in kopecks).
pub fn parse_base(text: &str) -> Result<u64> {
    Money::parse(text)
        .ok()
        .filter(|m| m.0 >= 0)
        // In hundredths whatever was typed («12 000» is 1 200 000): every base scaled alike
        // keeps the proportions.
        .map(|m| m.0 as u64)
        .ok_or_else(|| {
            Error::invalid(format!(
                "«{}» — не база распределения: число показов или сумма",
                text.chars().take(40).collect::<String>()
            ))
        })
}

/// The draft with its allocation lines' amounts set: one line takes the act's amount (and its
/// VAT flag); several are split by `bases` (one per line). Other fields stay as they were.
pub fn distribute(draft: &ActDraft, bases: &[String]) -> Result<ActDraft> {
    let total = Money::parse(&draft.amount)
        .map_err(|_| Error::invalid(format!("amount: «{}» — не сумма акта", draft.amount)))?;
    let mut out = draft.clone();
    match out.allocations.len() {
        0 => Err(Error::invalid(
            "allocations: добавьте строку с изначальным договором",
        )),
        1 => {
            out.allocations[0].amount = total.to_string();
            out.allocations[0].vat_included = draft.vat_included;
            Ok(out)
        }
        n => {
            if bases.len() != n {
                return Err(Error::invalid(format!(
                    "allocations: нужна база для каждой из {n} строк, указано {}",
                    bases.len()
                )));
            }
            let bases: Vec<u64> = bases.iter().map(|b| parse_base(b)).collect::<Result<_>>()?;
            let parts = split_proportionally(total, &bases)?;
            for (line, part) in out.allocations.iter_mut().zip(parts) {
                line.amount = part.to_string();
                line.vat_included = draft.vat_included;
            }
            Ok(out)
        }
    }
}
