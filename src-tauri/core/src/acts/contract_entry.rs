//! A contract or supplementary agreement typed by hand — the window's «+ Добавить договор…» and
//! `qoltanba acts contract-add` — for users without an ORD account, or whose contract is not in
//! the ORD's catalogue yet. One use-case for both: every field checked at once, each refusal a
//! [`Violation`] on its field in ru/kk/en, and nothing stored unless all of them pass.

use super::catalog::{role, MAX_FIELD};
use super::contracts::{Contract, ContractBook, ContractKind};
use super::rules::Violation;
use crate::error::{Error, Result};
use crate::model::Day;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The form's fields as typed (text, so that a wrong value is a message on its field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ContractEntry {
    pub number: String,
    /// `YYYY-MM-DD`; may be left empty.
    pub date: String,
    pub customer_name: String,
    /// 10 or 12 digits; may be left empty.
    pub customer_inn: String,
    /// advertiser, agency, distributor, ad_system_operator (or the role's Russian name).
    pub customer_role: String,
    /// The ORD's identifier, when the contract already has one.
    pub ord_id: String,
    /// Empty for a contract; for a supplementary agreement, its contract's number or ORD id.
    pub supplement_to: String,
}

struct Refusals(Vec<Violation>);

impl Refusals {
    fn add(&mut self, field: &str, code: &'static str, ru: String, kk: String, en: String) {
        self.0.push(Violation {
            field: field.into(),
            code,
            message: ru,
            message_kk: kk,
            message_en: en,
        });
    }

    /// Length and control characters: the same budget as a contract from the ORD or a CSV line.
    fn text(&mut self, field: &str, value: &str) -> bool {
        if value.chars().count() > MAX_FIELD || value.chars().any(char::is_control) {
            self.add(
                field,
                "text_invalid",
                format!(
                    "Не длиннее {MAX_FIELD} символов, без переносов строк и управляющих символов"
                ),
                format!(
                    "{MAX_FIELD} таңбадан аспауы керек, жол ауыстыру мен басқару таңбаларынсыз"
                ),
                format!(
                    "At most {MAX_FIELD} characters, with no line breaks or control characters"
                ),
            );
            return false;
        }
        true
    }

    fn required(&mut self, field: &str, value: &str, ru: &str, kk: &str, en: &str) -> bool {
        if value.is_empty() {
            self.add(
                field,
                "required",
                format!("Заполните поле «{ru}»"),
                format!("«{kk}» өрісін толтырыңыз"),
                format!("Fill in “{en}”"),
            );
            return false;
        }
        self.text(field, value)
    }
}

/// Every field the entry gets wrong against the known contracts, all at once; empty when it may
/// be added.
pub fn check(entry: &ContractEntry, book: &ContractBook) -> Vec<Violation> {
    let mut r = Refusals(Vec::new());
    let e = trimmed(entry);
    if r.required("number", &e.number, "Номер", "Нөмірі", "Number") {
        if let Some(known) = book.resolve(&e.number) {
            r.add(
                "number",
                "contract_duplicate",
                format!(
                    "Договор «{}» уже есть в списке: выберите его в списке договоров",
                    known.number
                ),
                format!(
                    "«{}» шарты тізімде бар: оны шарттар тізімінен таңдаңыз",
                    known.number
                ),
                format!(
                    "Contract “{}” is already in the list: pick it there",
                    known.number
                ),
            );
        }
    }
    if !e.date.is_empty() && r.text("date", &e.date) && Day::parse(&e.date).is_err() {
        r.add(
            "date",
            "date_invalid",
            format!(
                "«{}» — не дата: укажите существующую дату в виде ГГГГ-ММ-ДД, например 2026-01-31",
                e.date
            ),
            format!(
                "«{}» — күн емес: бар күнді ЖЖЖЖ-АА-КК түрінде көрсетіңіз, мысалы 2026-01-31",
                e.date
            ),
            format!(
                "“{}” is not a date: give a real date as YYYY-MM-DD, e.g. 2026-01-31",
                e.date
            ),
        );
    }
    r.required(
        "customerName",
        &e.customer_name,
        "Заказчик",
        "Тапсырыс беруші",
        "Customer",
    );
    let inn_ok = matches!(e.customer_inn.len(), 10 | 12)
        && e.customer_inn.bytes().all(|b| b.is_ascii_digit());
    if !e.customer_inn.is_empty() && !inn_ok {
        r.add(
            "customerInn",
            "inn_invalid",
            format!(
                "«{}» — не ИНН: 10 цифр у организации, 12 у физического лица",
                e.customer_inn
            ),
            format!(
                "«{}» — ИНН емес: ұйымда 10 цифр, жеке тұлғада 12 цифр",
                e.customer_inn
            ),
            format!(
                "“{}” is not an INN: 10 digits for an organisation, 12 for a person",
                e.customer_inn
            ),
        );
    }
    if r.required(
        "customerRole",
        &e.customer_role,
        "Роль заказчика",
        "Тапсырыс берушінің рөлі",
        "Customer's role",
    ) && role(&e.customer_role).is_none()
    {
        r.add(
            "customerRole",
            "role_unknown",
            format!("«{}» — неизвестная роль; допустимы: advertiser, agency, distributor, ad_system_operator", e.customer_role),
            format!("«{}» — белгісіз рөл; рұқсат етілгені: advertiser, agency, distributor, ad_system_operator", e.customer_role),
            format!("“{}” is not a role; allowed: advertiser, agency, distributor, ad_system_operator", e.customer_role),
        );
    }
    if !e.ord_id.is_empty() && r.text("ordId", &e.ord_id) {
        if let Some(known) = book.resolve(&e.ord_id) {
            r.add(
                "ordId",
                "contract_duplicate",
                format!(
                    "Идентификатор «{}» уже у договора «{}»",
                    e.ord_id, known.number
                ),
                format!(
                    "«{}» идентификаторы «{}» шартында бар",
                    e.ord_id, known.number
                ),
                format!(
                    "The identifier “{}” already belongs to contract “{}”",
                    e.ord_id, known.number
                ),
            );
        }
    }
    if !e.supplement_to.is_empty() && r.text("supplementTo", &e.supplement_to) {
        match book.resolve(&e.supplement_to) {
            None => r.add(
                "supplementTo",
                "parent_unknown",
                format!("Договора «{}» нет в списке: сначала добавьте сам договор, затем доп. соглашение к нему", e.supplement_to),
                format!("«{}» шарты тізімде жоқ: алдымен шарттың өзін, содан кейін оған қосымша келісімді қосыңыз", e.supplement_to),
                format!("Contract “{}” is not in the list: add the contract first, then its supplementary agreement", e.supplement_to),
            ),
            Some(p) if p.kind == ContractKind::SupplementaryAgreement => r.add(
                "supplementTo",
                "parent_is_agreement",
                format!("«{}» — доп. соглашение: укажите договор, к которому заключено новое соглашение", p.number),
                format!("«{}» — қосымша келісім: жаңа келісім жасалған шартты көрсетіңіз", p.number),
                format!("“{}” is a supplementary agreement: name the contract the new one belongs to", p.number),
            ),
            Some(_) => {}
        }
    }
    r.0
}

fn trimmed(e: &ContractEntry) -> ContractEntry {
    let t = |s: &str| s.trim().to_string();
    ContractEntry {
        number: t(&e.number),
        date: t(&e.date),
        customer_name: t(&e.customer_name),
        customer_inn: t(&e.customer_inn),
        customer_role: t(&e.customer_role),
        ord_id: t(&e.ord_id),
        supplement_to: t(&e.supplement_to),
    }
}

/// The refusal when an entry is added anyway: every field with its Russian message.
fn refusal(violations: &[Violation]) -> Error {
    let lines: Vec<String> = violations
        .iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect();
    Error::invalid(format!("Договор не добавлен:\n{}", lines.join("\n")))
}

impl Store {
    /// What `add_contract` would refuse in the entry, per field (for the form's messages).
    pub fn check_contract(&self, entry: &ContractEntry) -> Result<Vec<Violation>> {
        Ok(check(entry, &self.contracts()?))
    }

    /// Adds a contract or supplementary agreement typed by hand; refused whole, with every
    /// field's message, when one is wrong. An agreement is kept under its contract's ORD id
    /// (else number), as the ORD's catalogue names it.
    pub fn add_contract(&mut self, entry: &ContractEntry) -> Result<Contract> {
        let book = self.contracts()?;
        let wrong = check(entry, &book);
        if !wrong.is_empty() {
            return Err(refusal(&wrong));
        }
        let e = trimmed(entry);
        let parent = book.resolve(&e.supplement_to).map(|p| p.key().to_string());
        let c = Contract {
            ord_id: e.ord_id,
            number: e.number,
            date: Day::parse(&e.date)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            customer_name: e.customer_name,
            customer_inn: e.customer_inn,
            customer_role: role(&e.customer_role).expect("checked above"),
            executor_name: String::new(),
            kind: if parent.is_some() {
                ContractKind::SupplementaryAgreement
            } else {
                ContractKind::Contract
            },
            parent_id: parent.unwrap_or_default(),
            executor_inn: String::new(),
            executor_role: None,
        };
        let row = c.clone();
        self.write(|tx, _| super::contracts::insert(tx, &row, "manual"))?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> ContractEntry {
        ContractEntry {
            number: "ДР-1".into(),
            customer_name: "ООО «Рекламодатель»".into(),
            customer_role: "advertiser".into(),
            ..ContractEntry::default()
        }
    }

    fn codes(e: &ContractEntry) -> Vec<(String, &'static str)> {
        check(e, &ContractBook::default())
            .into_iter()
            .map(|v| (v.field, v.code))
            .collect()
    }

    /// The budget of a contract from the ORD or a CSV line holds for a typed one too: 500
    /// characters, no line breaks (a pasted block would otherwise become one contract's name).
    #[test]
    fn a_field_past_its_budget_or_with_a_line_break_is_refused_on_that_field() {
        assert!(codes(&entry()).is_empty());
        let mut e = entry();
        e.customer_name = "я".repeat(MAX_FIELD);
        assert!(codes(&e).is_empty(), "500 characters are allowed");
        e.customer_name.push('я');
        assert_eq!(codes(&e), [("customerName".to_string(), "text_invalid")]);
        let mut e = entry();
        e.number = "ДР-1\nДР-2".into();
        e.ord_id = "ctr\t1".into();
        assert_eq!(
            codes(&e),
            [
                ("number".to_string(), "text_invalid"),
                ("ordId".to_string(), "text_invalid")
            ]
        );
    }
}
