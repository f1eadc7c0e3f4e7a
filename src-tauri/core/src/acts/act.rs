//! An advertising act for the register (ERIR) as the user enters it and the ORD's API carries it:
//! every field kept as text, so that a wrong value becomes a message next to its field instead of
//! a parse failure of the whole act.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// The role of a party of the act's contract (as ERIR names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Advertiser,
    Agency,
    Distributor,
    AdSystemOperator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Advertiser,
        Role::Agency,
        Role::Distributor,
        Role::AdSystemOperator,
    ];

    /// The code in the ORD's API.
    pub fn code(self) -> &'static str {
        match self {
            Role::Advertiser => "advertiser",
            Role::Agency => "agency",
            Role::Distributor => "distributor",
            Role::AdSystemOperator => "ad_system_operator",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Role::Advertiser => "рекламодатель",
            Role::Agency => "рекламное агентство",
            Role::Distributor => "рекламораспространитель",
            Role::AdSystemOperator => "оператор рекламной системы",
        }
    }
}

/// The act: the body of `PUT /ord/acts/{externalId}` plus the one flag the register needs from
/// the user (`nonAdvertisingServices`), recorded with the act.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ActDraft {
    /// The contract or supplementary agreement the act closes (number or ORD identifier).
    #[serde(deserialize_with = "text")]
    pub contract: String,
    #[serde(deserialize_with = "text")]
    pub number: String,
    /// `YYYY-MM-DD`.
    #[serde(deserialize_with = "text")]
    pub date: String,
    #[serde(deserialize_with = "text")]
    pub customer_role: String,
    #[serde(deserialize_with = "text")]
    pub executor_role: String,
    #[serde(deserialize_with = "text")]
    pub period_from: String,
    #[serde(deserialize_with = "text")]
    pub period_to: String,
    /// Roubles, "120000.00".
    #[serde(deserialize_with = "text")]
    pub amount: String,
    pub vat_included: bool,
    /// The act also covers services that are not advertising: only then may a single initial
    /// contract carry less than the act's amount.
    pub non_advertising_services: bool,
    pub allocations: Vec<AllocationDraft>,
}

impl ActDraft {
    /// The draft with every amount that reads as one written as the ORD's API writes it
    /// («120 000,5» → «120000.50»); what does not read stays as typed for the rules to name.
    pub fn normalized(&self) -> ActDraft {
        let mut d = self.clone();
        d.amount = super::amount::normalized(&d.amount);
        for line in &mut d.allocations {
            line.amount = super::amount::normalized(&line.amount);
        }
        d
    }
}

/// One line of the allocation to initial contracts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AllocationDraft {
    #[serde(deserialize_with = "text")]
    pub initial_contract: String,
    #[serde(deserialize_with = "text")]
    pub amount: String,
    pub vat_included: bool,
    /// Ids of the statistics records linked to this line (`stat_…`).
    pub statistics: Vec<String>,
}

/// Takes a string, a number (written as is) or null (empty): a JSON file typed by hand often
/// has `"amount": 120000`, which deserves a message about the amount, not a syntax error.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    })
}
