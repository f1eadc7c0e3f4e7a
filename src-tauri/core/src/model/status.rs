//! The status machine of a document. `allowed_actions` is pure: the UI draws its buttons from it
//! and every change goes through `Status::apply`, so an action that is not allowed changes nothing.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Viewed,
    Accepted,
    Rejected,
    Signed,
    Queued,
    Sent,
    Delivered,
    SendFailed,
    Revoked,
}

/// Something that moves a document from one status to another: a user's decision or a step of
/// sending it to the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    View,
    Accept,
    Reject,
    /// Sign the decision: the document for an acceptance, a refusal notice for a rejection.
    Sign,
    /// Put the signed decision in the outbox.
    Queue,
    MarkSent,
    MarkDelivered,
    MarkFailed,
    /// Try a failed send again.
    Retry,
    /// After the operator refused a decision: decide again.
    Reopen,
    /// The sender withdrew the document.
    Revoke,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Received,
        Status::Viewed,
        Status::Accepted,
        Status::Rejected,
        Status::Signed,
        Status::Queued,
        Status::Sent,
        Status::Delivered,
        Status::SendFailed,
        Status::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Viewed => "viewed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Signed => "signed",
            Status::Queued => "queued",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::SendFailed => "send_failed",
            Status::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Status::Received => "Ожидает решения",
            Status::Viewed => "Просмотрен",
            Status::Accepted => "Принят",
            Status::Rejected => "Отклонён",
            Status::Signed => "Подписан",
            Status::Queued => "В очереди на отправку",
            Status::Sent => "Отправлен",
            Status::Delivered => "Доставлен",
            Status::SendFailed => "Ошибка отправки",
            Status::Revoked => "Отозван",
        }
    }

    /// The status's name in `lang`, as the window shows it (ui/src/lib/i18n).
    pub fn name(self, lang: super::Lang) -> &'static str {
        use super::Lang::*;
        match (self, lang) {
            (s, Ru) => s.name_ru(),
            (Status::Received, Kk) => "Шешім күтуде",
            (Status::Viewed, Kk) => "Қаралды",
            (Status::Accepted, Kk) => "Қабылданды",
            (Status::Rejected, Kk) => "Қабылданбады",
            (Status::Signed, Kk) => "Қол қойылды",
            (Status::Queued, Kk) => "Жіберу кезегінде",
            (Status::Sent, Kk) => "Жіберілді",
            (Status::Delivered, Kk) => "Жеткізілді",
            (Status::SendFailed, Kk) => "Жіберу сәтсіз аяқталды",
            (Status::Revoked, Kk) => "Кері қайтарып алынды",
            (Status::Received, En) => "Awaiting decision",
            (Status::Viewed, En) => "Viewed",
            (Status::Accepted, En) => "Accepted",
            (Status::Rejected, En) => "Rejected",
            (Status::Signed, En) => "Signed",
            (Status::Queued, En) => "Queued for sending",
            (Status::Sent, En) => "Sent",
            (Status::Delivered, En) => "Delivered",
            (Status::SendFailed, En) => "Sending failed",
            (Status::Revoked, En) => "Revoked",
        }
    }

    /// The status an action leads to, or a typed error when it is not allowed now.
    pub fn apply(self, action: Action) -> Result<Status> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            (S::Received, A::View) => S::Viewed,
            (S::Received | S::Viewed, A::Accept) => S::Accepted,
            (S::Received | S::Viewed, A::Reject) => S::Rejected,
            (S::Accepted | S::Rejected, A::Sign) => S::Signed,
            (S::Signed, A::Queue) => S::Queued,
            (S::Queued, A::MarkSent) => S::Sent,
            (S::Sent, A::MarkDelivered) => S::Delivered,
            (S::Queued | S::Sent, A::MarkFailed) => S::SendFailed,
            (S::SendFailed, A::Retry) => S::Queued,
            (S::SendFailed, A::Reopen) => S::Received,
            (
                S::Received | S::Viewed | S::Accepted | S::Rejected | S::Signed | S::SendFailed,
                A::Revoke,
            ) => S::Revoked,
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidTransition,
                    format!(
                        "Действие «{}» недоступно для документа в статусе «{}»",
                        action.name_ru(),
                        self.name_ru()
                    ),
                ))
            }
        };
        Ok(next)
    }

    /// Whether the document still waits for the user's decision or signature.
    pub fn needs_action(self) -> bool {
        matches!(
            self,
            Status::Received
                | Status::Viewed
                | Status::Accepted
                | Status::Rejected
                | Status::SendFailed
        )
    }
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::View,
        Action::Accept,
        Action::Reject,
        Action::Sign,
        Action::Queue,
        Action::MarkSent,
        Action::MarkDelivered,
        Action::MarkFailed,
        Action::Retry,
        Action::Reopen,
        Action::Revoke,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Sign => "sign",
            Action::Queue => "queue",
            Action::MarkSent => "mark_sent",
            Action::MarkDelivered => "mark_delivered",
            Action::MarkFailed => "mark_failed",
            Action::Retry => "retry",
            Action::Reopen => "reopen",
            Action::Revoke => "revoke",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Action::View => "Просмотреть",
            Action::Accept => "Принять",
            Action::Reject => "Отклонить",
            Action::Sign => "Подписать",
            Action::Queue => "Отправить",
            Action::MarkSent => "Отметить отправленным",
            Action::MarkDelivered => "Отметить доставленным",
            Action::MarkFailed => "Отметить ошибку отправки",
            Action::Retry => "Повторить",
            Action::Reopen => "Пересмотреть решение",
            Action::Revoke => "Отозвать",
        }
    }

    /// Actions a person takes (buttons); the others are steps of sending and of sync.
    pub fn is_user_action(self) -> bool {
        matches!(
            self,
            Action::View
                | Action::Accept
                | Action::Reject
                | Action::Sign
                | Action::Retry
                | Action::Reopen
        )
    }
}

/// Every action allowed in a status, in a stable order. Pure: no I/O, no clock.
pub fn allowed_actions(status: Status) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| status.apply(*a).is_ok())
        .collect()
}

/// The user's actions allowed in a status (what the UI draws as buttons).
pub fn user_actions(status: Status) -> Vec<Action> {
    allowed_actions(status)
        .into_iter()
        .filter(|a| a.is_user_action())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_paths_of_acceptance_and_rejection() {
        let mut s = Status::Received;
        for a in [
            Action::View,
            Action::Accept,
            Action::Sign,
            Action::Queue,
            Action::MarkSent,
            Action::MarkDelivered,
        ] {
            s = s.apply(a).unwrap();
        }
        assert_eq!(s, Status::Delivered);
        let s = Status::Received.apply(Action::Reject).unwrap();
        assert_eq!(s, Status::Rejected);
        assert_eq!(s.apply(Action::Sign).unwrap(), Status::Signed);
    }

    #[test]
    fn a_failed_send_can_be_retried_or_decided_again() {
        let failed = Status::Queued.apply(Action::MarkFailed).unwrap();
        assert_eq!(failed, Status::SendFailed);
        assert_eq!(failed.apply(Action::Retry).unwrap(), Status::Queued);
        assert_eq!(failed.apply(Action::Reopen).unwrap(), Status::Received);
    }

    #[test]
    fn a_forbidden_action_is_a_typed_error() {
        let e = Status::Signed.apply(Action::Accept).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTransition);
        assert!(e.message.contains("Подписан"));
        assert!(Status::Delivered.apply(Action::Reject).is_err());
        assert!(Status::Revoked.apply(Action::Sign).is_err());
        let e = Status::Received.apply(Action::Sign).unwrap_err();
        assert_eq!(
            e.message, "Действие «Подписать» недоступно для документа в статусе «Ожидает решения»",
            "decide before signing, and the message names the step that is missing"
        );
    }

    #[test]
    fn allowed_actions_agree_with_apply_for_every_pair() {
        for s in Status::ALL {
            let allowed = allowed_actions(s);
            for a in Action::ALL {
                assert_eq!(allowed.contains(&a), s.apply(a).is_ok(), "{s:?} {a:?}");
            }
        }
        assert_eq!(
            user_actions(Status::Received),
            vec![Action::View, Action::Accept, Action::Reject]
        );
        assert_eq!(user_actions(Status::Accepted), vec![Action::Sign]);
        assert!(allowed_actions(Status::Revoked).is_empty());
        assert!(allowed_actions(Status::Delivered).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
    }
}
