//! The small table of known contracts: what an allocation's initial contract is looked up in (by
//! ORD identifier, number, or the counterparty's name or INN), and who its customer is.

use super::act::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A contract, or a supplementary agreement to one (the ORD registers both; an act may close
/// either).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    #[default]
    Contract,
    SupplementaryAgreement,
}

impl ContractKind {
    pub fn code(self) -> &'static str {
        match self {
            ContractKind::Contract => "contract",
            ContractKind::SupplementaryAgreement => "supplementary_agreement",
        }
    }

    pub fn from_code(s: &str) -> Option<ContractKind> {
        [ContractKind::Contract, ContractKind::SupplementaryAgreement]
            .into_iter()
            .find(|k| k.code() == s.trim())
    }
}

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
    #[serde(default)]
    pub kind: ContractKind,
    /// For a supplementary agreement: its contract's ORD id or number.
    #[serde(default)]
    pub parent_id: String,
}

impl Contract {
    /// What an act's «Договор» field holds when this one is picked: the ORD id, else the number.
    pub fn key(&self) -> &str {
        if self.ord_id.trim().is_empty() {
            &self.number
        } else {
            &self.ord_id
        }
    }
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

    /// The list the act's «Договор или доп. соглашение» is picked from: each contract followed by
    /// its supplementary agreements (each its own choice), then agreements whose contract is not
    /// known, in the order they were added.
    pub fn choices(&self) -> Vec<&Contract> {
        let is_agreement = |c: &Contract| c.kind == ContractKind::SupplementaryAgreement;
        let parent_of = |a: &Contract| {
            self.0.iter().position(|c| {
                !is_agreement(c) && (same(&c.ord_id, &a.parent_id) || same(&c.number, &a.parent_id))
            })
        };
        let mut out = Vec::with_capacity(self.0.len());
        for (i, c) in self.0.iter().enumerate() {
            if is_agreement(c) {
                continue;
            }
            out.push(c);
            out.extend(
                self.0
                    .iter()
                    .filter(|a| is_agreement(a) && parent_of(a) == Some(i)),
            );
        }
        out.extend(
            self.0
                .iter()
                .filter(|a| is_agreement(a) && parent_of(a).is_none()),
        );
        out
    }

    /// Whether two fields name the same contract (one may give the number, the other the id).
    pub fn same_contract(&self, a: &str, b: &str) -> bool {
        match (self.resolve(a), self.resolve(b)) {
            (Some(x), Some(y)) => x == y,
            _ => same(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(ord_id: &str, number: &str, kind: ContractKind, parent: &str) -> Contract {
        Contract {
            ord_id: ord_id.into(),
            number: number.into(),
            date: String::new(),
            customer_name: "ООО «Заказчик»".into(),
            customer_inn: String::new(),
            customer_role: Role::Advertiser,
            executor_name: String::new(),
            kind,
            parent_id: parent.into(),
        }
    }

    #[test]
    fn each_supplementary_agreement_is_its_own_choice_under_its_contract() {
        use ContractKind::*;
        let book = ContractBook(vec![
            c("ctr_1", "ДР-1", Contract, ""),
            c("ctr_2", "ДР-2", Contract, ""),
            c("ctr_3", "ДС-1 к ДР-1", SupplementaryAgreement, "ctr_1"),
            c("", "ДС-2 к ДР-2", SupplementaryAgreement, "ДР-2"),
            c(
                "ctr_9",
                "ДС к неизвестному",
                SupplementaryAgreement,
                "ctr_404",
            ),
        ]);
        let order: Vec<&str> = book.choices().iter().map(|c| c.number.as_str()).collect();
        assert_eq!(
            order,
            [
                "ДР-1",
                "ДС-1 к ДР-1",
                "ДР-2",
                "ДС-2 к ДР-2",
                "ДС к неизвестному"
            ]
        );
        assert_eq!(
            book.choices()[3].key(),
            "ДС-2 к ДР-2",
            "no ORD id: the number"
        );
        assert_eq!(book.choices()[1].key(), "ctr_3");
    }
}
