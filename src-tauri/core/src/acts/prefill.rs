//! An act prefilled from a signed closing document: number, date and (for a rouble document)
//! amount and VAT, linked back to the document. The contract and the allocation are the user's
//! to fill in; a tenge amount is never copied into a rouble act.

use super::act::ActDraft;
use super::saved::Act;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Decision, DocumentId, Status};
use crate::store::Store;
use ts_rs::TS;

/// What prefill could not take from the document, for the user to fill in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Prefilled {
    pub act: Act,
    /// Fields left empty, each with why.
    pub to_fill: Vec<(String, String)>,
}

impl Store {
    pub fn act_from_document(&mut self, document: DocumentId) -> Result<Prefilled> {
        let doc = self.document(document)?;
        let signed = matches!(
            doc.status,
            Status::Signed | Status::Queued | Status::Sent | Status::Delivered
        ) && doc.decision == Some(Decision::Accept);
        if !signed {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                format!(
                    "Документ №{document} не подписан (статус: {}): акт для ЕРИР заполняется по подписанному закрывающему документу",
                    doc.status.name_ru()
                ),
            ));
        }
        let f = &doc.fields;
        let mut to_fill = vec![(
            "contract".to_string(),
            "Укажите договор или дополнительное соглашение, которое закрывает акт".to_string(),
        )];
        let mut draft = ActDraft {
            number: f.number.clone().unwrap_or_default(),
            date: f.date.clone().unwrap_or_default(),
            period_from: f.period_from.clone().unwrap_or_default(),
            period_to: f.period_to.clone().unwrap_or_default(),
            ..ActDraft::default()
        };
        match (f.amount, f.currency.as_str()) {
            (Some(a), "RUB") => {
                draft.amount = a.to_string();
                draft.vat_included = f.vat_amount.is_some_and(|v| v.0 > 0);
            }
            (Some(_), cur) => to_fill.push((
                "amount".into(),
                format!("Сумма документа в {cur}, а акт ЕРИР — в рублях: укажите сумму в рублях (валюты не смешиваются)"),
            )),
            (None, _) => to_fill.push(("amount".into(), "В документе нет суммы: укажите сумму в рублях".into())),
        }
        for (field, value) in [
            ("number", &draft.number),
            ("date", &draft.date),
            ("periodFrom", &draft.period_from),
            ("periodTo", &draft.period_to),
        ] {
            if value.is_empty() {
                to_fill.push((field.into(), "Не найдено в документе".into()));
            }
        }
        to_fill.push((
            "allocations".into(),
            "Распределите сумму по изначальным договорам".into(),
        ));
        let act = self.create_act(&draft, Some(document))?;
        Ok(Prefilled { act, to_fill })
    }
}
