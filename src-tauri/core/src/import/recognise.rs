//! Recognising a document's kind, number, date and parties from its text. Recognition is a
//! best guess: what it misses stays empty and the user can correct it (`Store::edit`).

use crate::model::{Day, DocumentKind, TaxNumber};

/// What was recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recognised {
    pub kind: Option<DocumentKind>,
    pub number: Option<String>,
    pub date: Option<String>,
    pub sender_bin: Option<String>,
    pub recipient_bin: Option<String>,
}

/// The kind from a document's title or text; corrections first, as their titles contain the
/// original's words.
pub fn kind_from_text(text: &str) -> Option<DocumentKind> {
    let t = crate::store::fold_lower(text);
    let correction =
        t.contains("корректировоч") || t.contains("корректировк") || t.contains("түзету");
    let base = if t.contains("акт сверки") || t.contains("сверки взаиморасчет")
    {
        Some(DocumentKind::ReconciliationAct)
    } else if t.contains("отчет о реализации") || t.contains("отчета о реализации")
    {
        Some(DocumentKind::SalesReport)
    } else if t.contains("декомпенсац") {
        Some(DocumentKind::GoodsDecompensationAct)
    } else if t.contains("компенсации по товарам") || t.contains("компенсация по товарам")
    {
        Some(DocumentKind::GoodsCompensationAct)
    } else if t.contains("компенсации по услугам") || t.contains("компенсация по услугам")
    {
        Some(DocumentKind::ServicesCompensationAct)
    } else if t.contains("баллами") || t.contains("премии за расчеты") {
        Some(DocumentKind::PointsBonusAct)
    } else if t.contains("размещению товаров") || t.contains("по размещению")
    {
        Some(DocumentKind::PlacementServicesAct)
    } else if t.contains("прочие услуги") {
        Some(DocumentKind::OtherServicesAct)
    } else {
        None
    };
    match (base, correction) {
        (Some(k), true) => k.correction().or(Some(k)),
        (k, _) => k,
    }
}

fn number_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '/' | '_' | '.')
}

/// The first "№ XXX" in the text.
pub fn number_from_text(text: &str) -> Option<String> {
    let i = text.find('№')?;
    let rest = text[i + '№'.len_utf8()..].trim_start();
    let n: String = rest.chars().take_while(|c| number_char(*c)).collect();
    let n = n.trim_end_matches('.').to_string();
    (!n.is_empty() && n.chars().any(|c| c.is_ascii_digit())).then_some(n)
}

/// The first date written as dd.mm.yyyy, returned as yyyy-mm-dd.
pub fn date_from_text(text: &str) -> Option<String> {
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        if digits(0..2) && w[2] == b'.' && digits(3..5) && w[5] == b'.' && digits(6..10) {
            let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
            let after_ok = i + 10 >= b.len() || !b[i + 10].is_ascii_digit();
            if !(before_ok && after_ok) {
                continue;
            }
            let s = std::str::from_utf8(w).ok()?;
            let iso = format!("{}-{}-{}", &s[6..10], &s[3..5], &s[0..2]);
            if Day::parse(&iso).is_ok() {
                return Some(iso);
            }
        }
    }
    None
}

/// The BINs written as "БИН 123456789012", in order of appearance.
pub fn bins_from_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("БИН") {
        let after = rest[i + "БИН".len()..].trim_start_matches([':', ' ', '\u{a0}']);
        let d: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if TaxNumber::is_valid(&d) && !out.contains(&d) {
            out.push(d);
        }
        rest = &rest[i + "БИН".len()..];
    }
    out
}

pub fn recognise(text: &str) -> Recognised {
    let bins = bins_from_text(text);
    Recognised {
        kind: kind_from_text(text),
        number: number_from_text(text),
        date: date_from_text(text),
        sender_bin: bins.first().cloned(),
        recipient_bin: bins.get(1).cloned(),
    }
}

/// Recognition from XML elements: names that say number / date / kind win over free text.
pub fn recognise_xml(fields: &[(String, String)], text: &str) -> Recognised {
    let mut r = recognise(text);
    for (el, v) in fields {
        let el = el.to_lowercase();
        if matches!(
            el.as_str(),
            "number" | "docnumber" | "num" | "documentnumber"
        ) {
            r.number = Some(v.clone());
        }
        if matches!(el.as_str(), "date" | "docdate" | "documentdate") {
            if Day::parse(v).is_ok() {
                r.date = Some(v.clone());
            } else if let Some(d) = date_from_text(v) {
                r.date = Some(d);
            }
        }
        if matches!(el.as_str(), "kind" | "doctype" | "documentkind") {
            if let Some(k) = DocumentKind::from_code(v) {
                r.kind = Some(k);
            }
        }
        if matches!(el.as_str(), "title" | "name" | "doctitle") && r.kind.is_none() {
            r.kind = kind_from_text(v);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_kinds_from_titles_with_and_without_yo() {
        assert_eq!(
            kind_from_text("Отчёт о реализации товара за октябрь 2026"),
            Some(DocumentKind::SalesReport)
        );
        assert_eq!(
            kind_from_text("ОТЧЕТ О РЕАЛИЗАЦИИ ТОВАРА"),
            Some(DocumentKind::SalesReport)
        );
        assert_eq!(
            kind_from_text("Корректировочный отчёт о реализации товара"),
            Some(DocumentKind::SalesReportCorrection)
        );
        assert_eq!(
            kind_from_text("Акт выполненных работ (услуги по размещению товаров на Платформе)"),
            Some(DocumentKind::PlacementServicesAct)
        );
        assert_eq!(
            kind_from_text("Акт выполненных работ (декомпенсация по товарам)"),
            Some(DocumentKind::GoodsDecompensationAct)
        );
        assert_eq!(
            kind_from_text("Акт о премии за расчёты баллами"),
            Some(DocumentKind::PointsBonusAct)
        );
        assert_eq!(
            kind_from_text("Акт сверки взаиморасчётов за период"),
            Some(DocumentKind::ReconciliationAct)
        );
        assert_eq!(kind_from_text("Счёт на оплату"), None);
    }

    #[test]
    fn recognises_number_date_and_bins() {
        let t = "Акт № OZ-2026-10-0042 от 31.10.2026\nИсполнитель БИН 201040012345, Заказчик БИН: 123456789021";
        let r = recognise(t);
        assert_eq!(r.number.as_deref(), Some("OZ-2026-10-0042"));
        assert_eq!(r.date.as_deref(), Some("2026-10-31"));
        assert_eq!(r.sender_bin.as_deref(), Some("201040012345"));
        assert_eq!(r.recipient_bin.as_deref(), Some("123456789021"));
        assert_eq!(date_from_text("от 31.02.2026"), None, "no such day");
        assert_eq!(number_from_text("№ без цифр"), None);
    }
}
