//! The one line a person reads when a command fails, in their language. The core's messages are
//! Russian and precise; for Kazakh and English the line says what happened and what to do, by
//! error code, with the Russian detail after it for support.

use qoltanba_core::model::Lang;
use qoltanba_core::{Error, ErrorCode};

fn summary(code: ErrorCode, lang: Lang) -> Option<&'static str> {
    use ErrorCode::*;
    Some(match (code, lang) {
        (SignerUnavailable, Lang::Kk) => {
            "NCALayer іске қосылмаған: NCALayer бағдарламасын іске қосып, қайталап көріңіз"
        }
        (SignerUnavailable, Lang::En) => "NCALayer is not running: start NCALayer and try again",
        (UserCancelled, Lang::Kk) => "Қол қою тоқтатылды",
        (UserCancelled, Lang::En) => "Signing was cancelled",
        (WrongSigner, Lang::Kk) => {
            "Бұл тіркеу куәлігі сіздің ұйымыңызға тиесілі емес немесе қол қоюға арналмаған"
        }
        (WrongSigner, Lang::En) => {
            "This certificate does not belong to your organisation or is not a signing certificate"
        }
        (SignatureInvalid, Lang::Kk) => "Қолтаңба жарамсыз",
        (SignatureInvalid, Lang::En) => "The signature is invalid",
        (SignerProtocol | SignerError, Lang::Kk) => "NCALayer бағдарламасына қосылу кезіндегі қате",
        (SignerProtocol | SignerError, Lang::En) => "Could not sign with NCALayer",
        (Timeout, Lang::Kk) => "NCALayer жауап бермеді",
        (Timeout, Lang::En) => "NCALayer did not answer in time",
        (CertificatePin, Lang::Kk) => "NCALayer тіркеу куәлігі расталмаған",
        (CertificatePin, Lang::En) => "NCALayer's certificate is not the trusted one",
        (NotFound, Lang::Kk) => "Табылмады",
        (NotFound, Lang::En) => "Not found",
        (InvalidTransition, Lang::Kk) => "Бұл әрекет құжаттың қазіргі мәртебесінде қолжетімсіз",
        (InvalidTransition, Lang::En) => {
            "This action is not available in the document's current status"
        }
        // Which token the keychain was to keep is in the Russian detail (operator's or ORD's).
        (Keychain, Lang::Kk) => "Жүйенің кілттер қоймасы қолжетімсіз: токен тек сонда сақталады",
        (Keychain, Lang::En) => {
            "The system keychain is not available, and the token is kept only there"
        }
        (InvalidInput, Lang::Kk) => "Деректер дұрыс емес",
        (InvalidInput, Lang::En) => "Invalid input",
        _ => return None,
    })
}

pub fn error_line(e: &Error, lang: Lang) -> String {
    match (lang, summary(e.code, lang)) {
        (Lang::Ru, _) | (_, None) => format!("Ошибка: {}", e.message),
        (Lang::Kk, Some(s)) => format!("Қате: {s} ({})", e.message),
        (Lang::En, Some(s)) => format!("Error: {s} ({})", e.message),
    }
}
