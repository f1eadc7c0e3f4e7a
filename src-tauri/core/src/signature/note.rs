//! The verifier's notes on a signature (`Verdict::warnings`: what was not checked, or checked
//! against something less than fresh) as data, said in any of the three languages.
//!
//! A verdict keeps its notes as Russian sentences: that is the stored form (the `verdict` column,
//! `--json`), and verdicts stored by earlier versions have only those. So the sentence is made
//! here from the note (`text(Lang::Ru)`) and read back into the note (`read`) wherever it is
//! shown in another language: the card, whose language is the window's. A sentence this module
//! does not know stays as it is.

use crate::model::Lang;
use serde::Serialize;
use ts_rs::TS;

/// One note of the verifier. Names, days (`YYYY-MM-DD`) and URLs are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Verified by the signer certificate alone: no trust anchors were given.
    ChainNotChecked,
    /// A CMS with several signers of which only the first was reported.
    Signers { count: usize },
    /// A CRL of this issuer was found but its signature does not verify.
    CrlRejected { issuer: String },
    /// The issuer's CRL was past its next update at the time of the check.
    CrlStale { issuer: String, next_update: String },
    /// Revoked, but after the time of the check.
    RevokedLater { certificate: String, day: String },
    /// No CRL of this certificate's issuer was at hand.
    NoCrl { certificate: String },
    /// A fresh CRL could not be had from `url`; a saved one (from `this_update`, stale since
    /// `stale_since` or giving no next update) was used instead.
    CrlSaved {
        url: String,
        stale_since: Option<String>,
        why: CrlProblem,
        this_update: String,
    },
    /// No CRL could be had from `url` at all.
    CrlUnavailable { url: String, why: CrlProblem },
}

/// Why a CRL could not be downloaded (core/src/trust/crl.rs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlProblem {
    NoConnection,
    Timeout {
        seconds: u64,
    },
    HttpStatus {
        status: u16,
    },
    NetworkError,
    CutShort,
    TooLarge {
        mib: u64,
    },
    NotACrl,
    NotHttp,
    DownloadOff,
    RunTimeout {
        seconds: u64,
    },
    TooManyLists {
        max: usize,
    },
    /// Anything else (an address refused and why, a client that could not be made), as written.
    Other(String),
}

fn tr(lang: Lang, ru: &str, kk: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
    .to_string()
}

const CHAIN_NOT_CHECKED: &str =
    "Цепочка сертификата до доверенного корня НУЦ РК и его отзыв не проверялись";
const CRL_PREFIX: &str = "Список отозванных сертификатов (CRL) с ";

impl Note {
    /// The note as a person reads it in `lang`; `Lang::Ru` is the stored sentence.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Note::ChainNotChecked => tr(
                lang,
                CHAIN_NOT_CHECKED,
                "Тіркеу куәлігінің ҚР ҰКО сенімді түбіріне дейінгі тізбегі және оның кері \
                 қайтарып алынуы тексерілмеді",
                "The certificate's chain to the trusted root of the National Certification \
                 Authority and its revocation were not checked",
            ),
            Note::Signers { count } => match lang {
                Lang::Ru => format!("Подписантов: {count}; здесь проверен первый"),
                Lang::Kk => format!("Қол қоюшылар саны: {count}; мұнда біріншісі ғана тексерілді"),
                Lang::En => format!("{count} signers; only the first was checked here"),
            },
            Note::CrlRejected { issuer } => match lang {
                Lang::Ru => {
                    format!("CRL издателя «{issuer}» не принят: его подпись не прошла проверку")
                }
                Lang::Kk => format!(
                    "CRL қабылданбады (беруші: «{issuer}»): оның қолтаңбасы тексеруден өтпеді"
                ),
                Lang::En => format!(
                    "The CRL of issuer \"{issuer}\" was not accepted: its signature does not verify"
                ),
            },
            Note::CrlStale {
                issuer,
                next_update,
            } => match lang {
                Lang::Ru => format!(
                    "CRL издателя «{issuer}» устарел (следующее обновление {next_update}); \
                     свежий отзыв мог не попасть в него"
                ),
                Lang::Kk => format!(
                    "CRL ескірген (беруші: «{issuer}», келесі жаңарту: {next_update}); соңғы кері \
                     қайтарып алулар оған енбеуі мүмкін"
                ),
                Lang::En => format!(
                    "The CRL of issuer \"{issuer}\" is out of date (next update {next_update}); \
                     a recent revocation may be missing from it"
                ),
            },
            Note::RevokedLater { certificate, day } => match lang {
                Lang::Ru => format!("Сертификат «{certificate}» отозван {day}, после времени проверки"),
                Lang::Kk => format!(
                    "«{certificate}» тіркеу куәлігі тексеру уақытынан кейін кері қайтарып алынған \
                     (күні: {day})"
                ),
                Lang::En => format!(
                    "The certificate \"{certificate}\" was revoked on {day}, after the time of the check"
                ),
            },
            Note::NoCrl { certificate } => match lang {
                Lang::Ru => format!("Отзыв не проверен: нет CRL для сертификата «{certificate}»"),
                Lang::Kk => format!(
                    "Кері қайтарып алу тексерілмеді: «{certificate}» тіркеу куәлігі үшін CRL жоқ"
                ),
                Lang::En => {
                    format!("Revocation not checked: no CRL for the certificate \"{certificate}\"")
                }
            },
            Note::CrlSaved {
                url,
                stale_since,
                why,
                this_update,
            } => {
                let why = why.text(lang);
                match lang {
                    Lang::Ru => {
                        let since = match stale_since {
                            Some(d) => format!("устарел с {d}"),
                            None => "не указывает срок обновления".into(),
                        };
                        format!(
                            "{CRL_PREFIX}{url} {since}: свежий получить не удалось ({why}); отзыв \
                             проверен по сохранённому списку от {this_update}, более поздний \
                             отзыв в нём может не значиться"
                        )
                    }
                    Lang::Kk => {
                        let since = match stale_since {
                            Some(d) => format!("{d} бастап ескірген"),
                            None => "жаңарту мерзімін көрсетпейді".into(),
                        };
                        format!(
                            "{url} мекенжайындағы кері қайтарылған тіркеу куәліктерінің тізімі \
                             (CRL) {since}: жаңасын алу мүмкін болмады ({why}); кері қайтарып алу \
                             {this_update} күнгі сақталған тізім бойынша тексерілді, кейінгі кері \
                             қайтарып алулар онда болмауы мүмкін"
                        )
                    }
                    Lang::En => {
                        let since = match stale_since {
                            Some(d) => format!("is out of date since {d}"),
                            None => "gives no time of its next update".into(),
                        };
                        format!(
                            "The certificate revocation list (CRL) from {url} {since}: a fresh one \
                             could not be had ({why}); revocation was checked against the list \
                             saved from {this_update}, a later revocation may be missing from it"
                        )
                    }
                }
            }
            Note::CrlUnavailable { url, why } => {
                let why = why.text(lang);
                match lang {
                    Lang::Ru => format!("{CRL_PREFIX}{url} получить не удалось ({why})"),
                    Lang::Kk => format!(
                        "{url} мекенжайынан кері қайтарылған тіркеу куәліктерінің тізімін (CRL) \
                         алу мүмкін болмады ({why})"
                    ),
                    Lang::En => format!(
                        "The certificate revocation list (CRL) from {url} could not be had ({why})"
                    ),
                }
            }
        }
    }

    /// The note a stored (Russian) sentence says; None for a sentence not made here.
    pub fn read(sentence: &str) -> Option<Note> {
        let s = sentence;
        if s == CHAIN_NOT_CHECKED {
            return Some(Note::ChainNotChecked);
        }
        if let Some(n) = between(s, "Подписантов: ", "; здесь проверен первый")
        {
            return n.parse().ok().map(|count| Note::Signers { count });
        }
        if let Some(rest) = s.strip_prefix("CRL издателя «") {
            // Verdicts stored before the wording was fixed say «не проверяется».
            for end in [
                "» не принят: его подпись не прошла проверку",
                "» не принят: его подпись не проверяется",
            ] {
                if let Some(issuer) = rest.strip_suffix(end) {
                    return Some(Note::CrlRejected {
                        issuer: issuer.into(),
                    });
                }
            }
            let rest = rest.strip_suffix("); свежий отзыв мог не попасть в него")?;
            let (issuer, next_update) = rest.rsplit_once("» устарел (следующее обновление ")?;
            return Some(Note::CrlStale {
                issuer: issuer.into(),
                next_update: next_update.into(),
            });
        }
        if let Some(rest) = between(s, "Сертификат «", ", после времени проверки")
        {
            let (certificate, day) = rest.rsplit_once("» отозван ")?;
            return Some(Note::RevokedLater {
                certificate: certificate.into(),
                day: day.into(),
            });
        }
        if let Some(certificate) = between(s, "Отзыв не проверен: нет CRL для сертификата «", "»")
        {
            return Some(Note::NoCrl {
                certificate: certificate.into(),
            });
        }
        let rest = s.strip_prefix(CRL_PREFIX)?;
        if let Some(rest) = rest.strip_suffix(')') {
            if let Some((url, why)) = rest.split_once(" получить не удалось (") {
                return Some(Note::CrlUnavailable {
                    url: url.into(),
                    why: CrlProblem::read(why),
                });
            }
        }
        let (url, rest) = rest.split_once(' ')?;
        let (since, rest) = rest.split_once(": свежий получить не удалось (")?;
        let stale_since = match since {
            "не указывает срок обновления" => None,
            s => Some(s.strip_prefix("устарел с ")?.to_string()),
        };
        let rest = rest.strip_suffix(", более поздний отзыв в нём может не значиться")?;
        let (why, this_update) =
            rest.rsplit_once("); отзыв проверен по сохранённому списку от ")?;
        Some(Note::CrlSaved {
            url: url.into(),
            stale_since,
            why: CrlProblem::read(why),
            this_update: this_update.into(),
        })
    }
}

/// A stored note in `lang` (unchanged when it is not one of the verifier's).
pub fn note_text(sentence: &str, lang: Lang) -> String {
    match Note::read(sentence) {
        Some(n) if lang != Lang::Ru => n.text(lang),
        _ => sentence.to_string(),
    }
}

/// One of a verdict's notes in each language, for a screen that changes language without asking
/// again (the document screen). A sentence the verifier did not make reads the same in all three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// Russian: the stored sentence.
    pub message: String,
    pub message_kk: String,
    pub message_en: String,
}

impl Warning {
    pub fn of(sentence: &str) -> Warning {
        let note = Note::read(sentence);
        let said = |lang| {
            note.as_ref()
                .map_or_else(|| sentence.to_string(), |n| n.text(lang))
        };
        Warning {
            message: sentence.to_string(),
            message_kk: said(Lang::Kk),
            message_en: said(Lang::En),
        }
    }
}

fn number<N: std::str::FromStr>(s: &str, start: &str, end: &str) -> Option<N> {
    between(s, start, end)?.parse().ok()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    s.strip_prefix(start)?.strip_suffix(end)
}

impl CrlProblem {
    pub fn text(&self, lang: Lang) -> String {
        use CrlProblem as P;
        match self {
            P::NoConnection => tr(
                lang,
                "нет соединения с сервером",
                "сервермен байланыс жоқ",
                "no connection to the server",
            ),
            P::Timeout { seconds } => match lang {
                Lang::Ru => format!("сервер не ответил за {seconds} с"),
                Lang::Kk => format!("сервер {seconds} с ішінде жауап бермеді"),
                Lang::En => format!("the server did not answer within {seconds} s"),
            },
            P::HttpStatus { status } => match lang {
                Lang::Ru => format!("сервер ответил HTTP {status}"),
                Lang::Kk => format!("сервер HTTP {status} деп жауап берді"),
                Lang::En => format!("the server answered HTTP {status}"),
            },
            P::NetworkError => tr(lang, "ошибка сети", "желі қатесі", "a network error"),
            P::CutShort => tr(
                lang,
                "соединение оборвалось во время загрузки",
                "жүктеу кезінде байланыс үзілді",
                "the connection broke during the download",
            ),
            P::TooLarge { mib } => match lang {
                Lang::Ru => format!("ответ больше {mib} МиБ"),
                Lang::Kk => format!("жауап {mib} МиБ-тан үлкен"),
                Lang::En => format!("the answer is over {mib} MiB"),
            },
            P::NotACrl => tr(
                lang,
                "ответ не является списком отозванных сертификатов",
                "жауап кері қайтарылған тіркеу куәліктерінің тізімі емес",
                "the answer is not a certificate revocation list",
            ),
            P::NotHttp => tr(
                lang,
                "адрес не http(s)",
                "мекенжай http(s) емес",
                "the address is not http(s)",
            ),
            P::DownloadOff => tr(
                lang,
                "загрузка списков отключена (настройка crl_download = off или --offline)",
                "тізімдерді жүктеу өшірілген (crl_download = off баптауы немесе --offline)",
                "downloading lists is off (setting crl_download = off or --offline)",
            ),
            P::RunTimeout { seconds } => match lang {
                Lang::Ru => format!("загрузка списков не уложилась в {seconds} с"),
                Lang::Kk => format!("тізімдерді жүктеу {seconds} с ішінде аяқталмады"),
                Lang::En => format!("downloading the lists took over {seconds} s"),
            },
            P::TooManyLists { max } => match lang {
                Lang::Ru => format!("за одну проверку загружается не больше {max} списков"),
                Lang::Kk => format!("бір тексеруде {max} тізімнен артық жүктелмейді"),
                Lang::En => format!("one check downloads at most {max} lists"),
            },
            P::Other(s) => s.clone(),
        }
    }

    /// The problem a stored (Russian) reason names.
    pub fn read(s: &str) -> CrlProblem {
        use CrlProblem as P;
        let fixed = [
            P::NoConnection,
            P::NetworkError,
            P::CutShort,
            P::NotACrl,
            P::NotHttp,
            P::DownloadOff,
        ];
        if let Some(p) = fixed.into_iter().find(|p| p.text(Lang::Ru) == s) {
            return p;
        }
        if let Some(seconds) = number(s, "сервер не ответил за ", " с") {
            return P::Timeout { seconds };
        }
        if let Some(status) = number(s, "сервер ответил HTTP ", "") {
            return P::HttpStatus { status };
        }
        if let Some(mib) = number(s, "ответ больше ", " МиБ") {
            return P::TooLarge { mib };
        }
        if let Some(seconds) = number(s, "загрузка списков не уложилась в ", " с")
        {
            return P::RunTimeout { seconds };
        }
        if let Some(max) = number(s, "за одну проверку загружается не больше ", " списков")
        {
            return P::TooManyLists { max };
        }
        P::Other(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_note() -> Vec<Note> {
        let problems = [
            CrlProblem::NoConnection,
            CrlProblem::Timeout { seconds: 10 },
            CrlProblem::HttpStatus { status: 404 },
            CrlProblem::NetworkError,
            CrlProblem::CutShort,
            CrlProblem::TooLarge { mib: 20 },
            CrlProblem::NotACrl,
            CrlProblem::NotHttp,
            CrlProblem::DownloadOff,
            CrlProblem::RunTimeout { seconds: 30 },
            CrlProblem::TooManyLists { max: 16 },
            CrlProblem::Other("переадресация отклонена: адрес 10.0.0.1 внутренний".into()),
        ];
        let mut notes = vec![
            Note::ChainNotChecked,
            Note::Signers { count: 3 },
            Note::CrlRejected {
                issuer: "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)".into(),
            },
            Note::CrlStale {
                issuer: "УЦ «Тест» № 2".into(),
                next_update: "2026-10-01".into(),
            },
            Note::RevokedLater {
                certificate: "ИВАНОВ ИВАН".into(),
                day: "2026-11-02".into(),
            },
            Note::NoCrl {
                certificate: "ТЕСТОВ ТЕСТ".into(),
            },
        ];
        for why in problems {
            notes.push(Note::CrlUnavailable {
                url: "http://crl.pki.gov.kz/nca_gost.crl".into(),
                why: why.clone(),
            });
            for stale_since in [None, Some("2026-10-20".to_string())] {
                notes.push(Note::CrlSaved {
                    url: "https://crl.example.kz/nca_rsa.crl".into(),
                    stale_since,
                    why: why.clone(),
                    this_update: "2026-09-20".into(),
                });
            }
        }
        notes
    }

    /// Each note made in Russian reads back as itself, so a sentence the verifier stores is
    /// always one the card can say in Kazakh or English; and those say it without Russian.
    #[test]
    fn every_note_reads_back_from_its_russian_sentence_and_has_its_own_words_elsewhere() {
        for n in every_note() {
            let ru = n.text(Lang::Ru);
            assert_eq!(Note::read(&ru).as_ref(), Some(&n), "{ru}");
            for lang in [Lang::Kk, Lang::En] {
                let said = note_text(&ru, lang);
                assert_ne!(said, ru);
                for russian in [
                    "отзыв",
                    "получить",
                    "проверен",
                    "Подписант",
                    "сервер ответил",
                ] {
                    assert!(!said.contains(russian), "{lang:?}: {said}");
                }
            }
        }
    }

    /// The document screen switches language without asking again: each warning comes with its
    /// three sentences, the CRL download's included (the screen had only the Russian of those).
    #[test]
    fn a_warning_carries_its_sentence_in_each_language() {
        let url = "http://crl.pki.gov.kz/nca_gost.crl";
        let ru = Note::CrlUnavailable {
            url: url.into(),
            why: CrlProblem::NoConnection,
        }
        .text(Lang::Ru);
        let w = Warning::of(&ru);
        assert_eq!(w.message, ru);
        assert_eq!(
            w.message_en,
            format!(
                "The certificate revocation list (CRL) from {url} could not be had \
                 (no connection to the server)"
            )
        );
        assert_eq!(
            w.message_kk,
            format!(
                "{url} мекенжайынан кері қайтарылған тіркеу куәліктерінің тізімін (CRL) алу \
                 мүмкін болмады (сервермен байланыс жоқ)"
            )
        );
        let other = Warning::of("Что-то иное");
        assert_eq!(
            (other.message_kk.as_str(), other.message_en.as_str()),
            ("Что-то иное", "Что-то иное")
        );
    }

    #[test]
    fn a_sentence_not_made_here_stays_as_written() {
        for s in [
            "Что-то иное",
            "Подписантов: много; здесь проверен первый",
            "",
        ] {
            assert_eq!(note_text(s, Lang::En), s);
        }
        assert_eq!(
            note_text(
                "CRL издателя «X» не принят: его подпись не проверяется",
                Lang::En
            ),
            "The CRL of issuer \"X\" was not accepted: its signature does not verify"
        );
    }
}
