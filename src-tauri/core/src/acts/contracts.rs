//! The small table of known contracts: what an allocation's initial contract is looked up in (by
//! ORD identifier, number, or the counterparty's name or INN), and who its customer is.

use super::act::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    /// The ORD's identifier of the contract, when it has one.
    #[serde(default)]
    pub ord_id: String,
    pub number: String,
    #[serde(default)]
    pub date: String,
    pub customer_name: String,
    #[serde(default)]
    pub customer_inn: String,
    pub customer_role: Role,
    #[serde(default)]
    pub executor_name: String,
}

/// Known contracts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractBook(pub Vec<Contract>);

fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.to_lowercase() == b.to_lowercase()
}

impl ContractBook {
    /// The contract a field names exactly: its ORD identifier or its number.
    pub fn resolve(&self, key: &str) -> Option<&Contract> {
        self.0
            .iter()
            .find(|c| same(&c.ord_id, key))
            .or_else(|| self.0.iter().find(|c| same(&c.number, key)))
    }

    /// Contracts matching what the user typed: identifier, number, or a counterparty's name
    /// (part of it) or INN — for picking an initial contract.
    pub fn search(&self, query: &str) -> Vec<&Contract> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        self.0
            .iter()
            .filter(|c| {
                same(&c.ord_id, &q)
                    || same(&c.number, &q)
                    || same(&c.customer_inn, &q)
                    || c.customer_name.to_lowercase().contains(&q)
                    || c.executor_name.to_lowercase().contains(&q)
            })
            .collect()
    }

    /// Whether two fields name the same contract (one may give the number, the other the id).
    pub fn same_contract(&self, a: &str, b: &str) -> bool {
        match (self.resolve(a), self.resolve(b)) {
            (Some(x), Some(y)) => x == y,
            _ => same(a, b),
        }
    }
}
