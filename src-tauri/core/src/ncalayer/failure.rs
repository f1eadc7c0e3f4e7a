//! A failed NCALayer exchange: our stable code plus, when NCALayer itself refused, its own code and
//! message verbatim (support needs them; the user gets a Russian sentence).

use crate::{Error, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub code: ErrorCode,
    /// A sentence for the user (Russian).
    pub message: String,
    /// NCALayer's code: commonUtils "500", basics "SIGNING_FAILURE", "MODULE_NOT_FOUND" …
    pub ncalayer_code: Option<String>,
    /// NCALayer's message as sent: "storage.empty", "General error." …
    pub ncalayer_message: Option<String>,
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            ncalayer_code: None,
            ncalayer_message: None,
        }
    }

    pub(crate) fn protocol(what: impl std::fmt::Display) -> Self {
        Failure::new(
            ErrorCode::SignerProtocol,
            format!("NCALayer ответил непонятно: {what}"),
        )
    }

    pub(crate) fn cancelled() -> Self {
        Failure::new(
            ErrorCode::UserCancelled,
            "Подписание отменено пользователем",
        )
    }

    pub(crate) fn not_running(detail: impl std::fmt::Display) -> Self {
        Failure::new(
            ErrorCode::SignerUnavailable,
            format!(
                "NCALayer не запущен или недоступен. Запустите NCALayer и повторите ({detail})"
            ),
        )
    }

    pub(crate) fn connection_lost(detail: impl std::fmt::Display) -> Self {
        Failure::new(
            ErrorCode::SignerUnavailable,
            format!("Соединение с NCALayer прервано; повторите попытку ({detail})"),
        )
    }

    /// The module is unknown to this NCALayer (an old version, or not NCALayer at all).
    pub fn is_module_not_found(&self) -> bool {
        self.ncalayer_code.as_deref() == Some("MODULE_NOT_FOUND")
    }

    /// NCALayer's own refusal, with its code and message kept.
    pub(crate) fn refused(code: Option<String>, message: Option<String>) -> Self {
        let text = match (code.as_deref(), message.as_deref()) {
            (Some("MODULE_NOT_FOUND"), _) => {
                "NCALayer не знает этот модуль: обновите NCALayer до актуальной версии".to_string()
            }
            (_, Some("storage.empty")) => {
                "Устройство с ключом не подключено (NCALayer: storage.empty)".to_string()
            }
            (_, Some("file.not_found")) => "Файл ключа не найден (NCALayer: file.not_found)".into(),
            (c, m) => format!(
                "NCALayer вернул ошибку {}{}",
                c.unwrap_or("без кода"),
                m.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        };
        Failure {
            code: ErrorCode::SignerError,
            message: text,
            ncalayer_code: code,
            ncalayer_message: message,
        }
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        Error::new(f.code, f.message)
    }
}
