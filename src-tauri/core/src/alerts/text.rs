//! The notifications' words in ru / kk / en (terms from the glossary: «документ», «подпись»,
//! ЕРИР). Russian counts take one/few/many forms; Kazakh nouns do not change after a number.

use crate::model::{Day, Lang};

/// Russian plural form for `n`: one (1, 21), few (2–4, 22–24), many.
fn ru<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (d, h) = (n.rem_euclid(10), n.rem_euclid(100));
    if d == 1 && h != 11 {
        one
    } else if (2..=4).contains(&d) && !(12..=14).contains(&h) {
        few
    } else {
        many
    }
}

fn dotted(d: Day) -> String {
    let s = d.to_string();
    match (s.get(0..4), s.get(5..7), s.get(8..10)) {
        (Some(y), Some(m), Some(dd)) => format!("{dd}.{m}.{y}"),
        _ => s,
    }
}

pub fn new_one(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Новый документ",
        Lang::Kk => "Жаңа құжат",
        Lang::En => "New document",
    }
}

pub fn new_many(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Ru => format!(
            "{n} {} {}",
            ru(n, "новый документ", "новых документа", "новых документов"),
            ru(n, "пришёл", "пришли", "пришли")
        ),
        Lang::Kk => format!("{n} жаңа құжат келді"),
        Lang::En if n == 1 => "1 new document".into(),
        Lang::En => format!("{n} new documents"),
    }
}

pub fn new_many_body(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Откройте Qoltanba, чтобы просмотреть и подписать",
        Lang::Kk => "Қарап шығу және қол қою үшін Qoltanba-ны ашыңыз",
        Lang::En => "Open Qoltanba to review and sign them",
    }
}

pub fn waiting(lang: Lang, days: i64, needs_signature: bool) -> String {
    match (lang, needs_signature) {
        (Lang::Ru, false) => format!("Ждёт решения {days} {}", ru(days, "день", "дня", "дней")),
        (Lang::Ru, true) => format!("Ждёт подписи {days} {}", ru(days, "день", "дня", "дней")),
        (Lang::Kk, false) => format!("{days} күн шешімді күтуде"),
        (Lang::Kk, true) => format!("{days} күн қол қоюды күтуде"),
        (Lang::En, false) if days == 1 => "Waiting for a decision for 1 day".into(),
        (Lang::En, false) => format!("Waiting for a decision for {days} days"),
        (Lang::En, true) if days == 1 => "Waiting for a signature for 1 day".into(),
        (Lang::En, true) => format!("Waiting for a signature for {days} days"),
    }
}

pub fn deadline_title(lang: Lang, overdue: bool) -> &'static str {
    match (lang, overdue) {
        (Lang::Ru, false) => "Срок регистрации в ЕРИР истекает",
        (Lang::Ru, true) => "Срок регистрации в ЕРИР истёк",
        (Lang::Kk, false) => "ЕРИР-де тіркеу мерзімі аяқталуда",
        (Lang::Kk, true) => "ЕРИР-де тіркеу мерзімі өтті",
        (Lang::En, false) => "ERIR registration deadline is near",
        (Lang::En, true) => "ERIR registration deadline has passed",
    }
}

pub fn deadline_body(lang: Lang, creative: &str, deadline: Day, overdue: bool) -> String {
    let day = dotted(deadline);
    match (lang, overdue) {
        (Lang::Ru, false) => format!("Статистика креатива {creative}: зарегистрируйте до {day}"),
        (Lang::Ru, true) => format!("Статистика креатива {creative}: срок истёк {day}"),
        (Lang::Kk, false) => format!("{creative} креативінің статистикасы: {day} дейін тіркеңіз"),
        (Lang::Kk, true) => format!("{creative} креативінің статистикасы: мерзімі {day} өтті"),
        (Lang::En, false) => format!("Statistics of creative {creative}: register by {day}"),
        (Lang::En, true) => format!("Statistics of creative {creative}: the deadline was {day}"),
    }
}

pub fn error_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Ошибка",
        Lang::Kk => "Қате",
        Lang::En => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_their_forms() {
        assert_eq!(new_many(Lang::Ru, 1), "1 новый документ пришёл");
        assert_eq!(new_many(Lang::Ru, 3), "3 новых документа пришли");
        assert_eq!(new_many(Lang::Ru, 11), "11 новых документов пришли");
        assert_eq!(new_many(Lang::Ru, 22), "22 новых документа пришли");
        assert_eq!(waiting(Lang::Ru, 5, true), "Ждёт подписи 5 дней");
        assert_eq!(waiting(Lang::Ru, 21, false), "Ждёт решения 21 день");
        assert_eq!(
            waiting(Lang::En, 1, true),
            "Waiting for a signature for 1 day"
        );
    }

    #[test]
    fn dates_read_as_people_write_them() {
        let d: Day = "2026-12-09".parse().unwrap();
        assert!(deadline_body(Lang::Ru, "erid1", d, false).ends_with("до 09.12.2026"));
    }
}
