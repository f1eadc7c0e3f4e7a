//! The history's key events on a card: what a person did and what the operator answered, in
//! the card's language.

use super::{stored_time, tr};
use crate::model::Lang;
use crate::store::history::HistoryEntry;

/// A history entry's action in words.
fn action_words(code: &str, lang: Lang) -> String {
    let (ru, kk, en) = match code {
        "received" => ("Получен", "Алынды", "Received"),
        "accept" => ("Принятие", "Қабылдау", "Accepted"),
        "reject" => ("Отклонение", "Бас тарту", "Rejected"),
        "sign" => ("Подписание", "Қол қою", "Signed"),
        "queue" => ("В очередь", "Кезекке", "Queued"),
        "mark_sent" => ("Отправка", "Жіберу", "Sent"),
        "mark_delivered" => ("Доставка", "Жеткізу", "Delivered"),
        "mark_failed" => ("Ошибка отправки", "Жіберу қатесі", "Sending failed"),
        "retry" => ("Повтор отправки", "Қайта жіберу", "Retried"),
        "reopen" => ("Повторное решение", "Қайта шешім", "Reopened"),
        "revoke" => (
            "Отзыв отправителем",
            "Жіберуші кері алды",
            "Revoked by the sender",
        ),
        "edited" => (
            "Исправление реквизитов",
            "Деректемелерді түзету",
            "Details corrected",
        ),
        "operator_status" => (
            "Статус у оператора",
            "Оператордағы мәртебе",
            "Status at the operator",
        ),
        "requeue" => ("Снова в очередь", "Қайта кезекке", "Queued again"),
        other => (other, other, other),
    };
    tr(lang, ru, kk, en)
}

/// The history's key events: what a person did and what the operator answered, not views.
pub(super) fn key_events(h: &[HistoryEntry], lang: Lang) -> Vec<String> {
    h.iter()
        .filter(|e| e.action != "view" && e.action != "viewed")
        .map(|e| {
            let status = e
                .to_status
                .as_deref()
                .and_then(crate::model::Status::from_code)
                .map(|s| s.name(lang).to_string())
                .unwrap_or_default();
            let reason = e
                .reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default();
            let action = action_words(&e.action, lang);
            format!("  {}  {action}  {status}{reason}", stored_time(&e.at))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Action;

    /// Every action a document's history records is said in words on the card, in each language
    /// (views are left out of the card).
    #[test]
    fn every_history_action_of_a_document_has_words() {
        let codes = Action::ALL
            .into_iter()
            .map(Action::code)
            .filter(|c| *c != "view")
            .chain(["received", "edited", "operator_status", "requeue"]);
        for code in codes {
            for lang in [Lang::Ru, Lang::Kk, Lang::En] {
                assert_ne!(action_words(code, lang), code, "{code} in {lang:?}");
            }
        }
    }
}
