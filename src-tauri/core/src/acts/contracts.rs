//! The small table of known contracts: what an allocation's initial contract is looked up in (by
//! ORD identifier, number, or the counterparty's name or INN), and who its customer is.

use super::act::Role;
use crate::error::Result;
use crate::store::Store;
use rusqlite::{params, OptionalExtension};
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
    #[serde(default)]
    pub executor_inn: String,
    #[serde(default)]
    pub executor_role: Option<Role>,
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

    /// Contracts matching what the user typed: identifier, number (part of it), or a
    /// counterparty's name (part of it) or INN — for picking an initial contract. A contract's
    /// supplementary agreements come with it, each its own choice.
    pub fn search(&self, query: &str) -> Vec<&Contract> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let hit = |c: &Contract| {
            same(&c.ord_id, &q)
                || c.number.to_lowercase().contains(&q)
                || same(&c.customer_inn, &q)
                || same(&c.executor_inn, &q)
                || c.customer_name.to_lowercase().contains(&q)
                || c.executor_name.to_lowercase().contains(&q)
        };
        let parents: Vec<&str> = self
            .0
            .iter()
            .filter(|c| hit(c) && !c.ord_id.is_empty())
            .map(|c| c.ord_id.as_str())
            .collect();
        self.0
            .iter()
            .filter(|c| hit(c) || parents.contains(&c.parent_id.as_str()))
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

pub(super) fn insert(tx: &rusqlite::Transaction<'_>, c: &Contract, source: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO ord_contracts (ord_id, number, date, customer_name, customer_inn, customer_role,
            executor_name, kind, parent_id, executor_inn, executor_role, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            c.ord_id,
            c.number,
            c.date,
            c.customer_name,
            c.customer_inn,
            c.customer_role.code(),
            c.executor_name,
            c.kind.code(),
            c.parent_id,
            c.executor_inn,
            c.executor_role.map(Role::code).unwrap_or_default(),
            source
        ],
    )?;
    Ok(())
}

/// How many contracts a merge added and how many it brought up to date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Merged {
    pub added: usize,
    pub updated: usize,
}

impl Store {
    /// Merges contracts from the ORD or a CSV file in one step: one with an ORD id replaces the
    /// row with that id, or takes over a row typed by hand with the same number and no id; the
    /// rest are added. Nothing else is touched.
    pub fn merge_contracts(&mut self, contracts: &[Contract], source: &str) -> Result<Merged> {
        let contracts = contracts.to_vec();
        let source = source.to_string();
        self.write(|tx, _| {
            let mut merged = Merged::default();
            for c in &contracts {
                let existing: Option<i64> = if c.ord_id.is_empty() {
                    tx.query_row(
                        "SELECT id FROM ord_contracts WHERE lower(number) = lower(?1) ORDER BY id LIMIT 1",
                        [c.number.trim()],
                        |r| r.get(0),
                    )
                    .optional()?
                } else {
                    tx.query_row(
                        "SELECT id FROM ord_contracts WHERE ord_id = ?1
                         UNION ALL
                         SELECT id FROM ord_contracts WHERE ord_id = '' AND lower(number) = lower(?2)
                         LIMIT 1",
                        params![c.ord_id, c.number.trim()],
                        |r| r.get(0),
                    )
                    .optional()?
                };
                match existing {
                    Some(row) => {
                        tx.execute(
                            "UPDATE ord_contracts SET ord_id = ?1, number = ?2, date = ?3,
                               customer_name = ?4, customer_inn = ?5, customer_role = ?6,
                               executor_name = ?7, kind = ?8, parent_id = ?9, executor_inn = ?10,
                               executor_role = ?11, source = ?12 WHERE id = ?13",
                            params![
                                c.ord_id,
                                c.number,
                                c.date,
                                c.customer_name,
                                c.customer_inn,
                                c.customer_role.code(),
                                c.executor_name,
                                c.kind.code(),
                                c.parent_id,
                                c.executor_inn,
                                c.executor_role.map(Role::code).unwrap_or_default(),
                                source,
                                row
                            ],
                        )?;
                        merged.updated += 1;
                    }
                    None => {
                        insert(tx, c, &source)?;
                        merged.added += 1;
                    }
                }
            }
            Ok(merged)
        })
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
            executor_inn: String::new(),
            executor_role: None,
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
