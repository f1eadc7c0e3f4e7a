//! A signed document's card: a one-page PDF «Карточка электронного документа» made offline from
//! what the store holds — the document's kind, number, date, parties, amount and VAT, the file's
//! SHA-256 (also as a QR code), every signature with its signer, certificate, signing time and
//! verdict as checked, the decision and reason, and the history's key events — in the window's
//! language. A batch (a period) is one PDF with a page per document.

mod events;
mod font_subset;
mod pdf;

use crate::error::{Error, Result};
use crate::model::{Decision, Document, DocumentId, Lang, Money, Timestamp};
use crate::signature::{note_text, Indication, SubIndication, Verdict};
use crate::store::search::{Query, SortKey};
use crate::store::{Store, StoredSignature};
use events::key_events;
pub use font_subset::subset as subset_font;
pub use pdf::load_font;
use pdf::{Line, Page};

/// At most this many documents in one batch: each is a page, and a month of one seller's
/// documents is far below it.
pub const MAX_CARDS: usize = 2_000;
/// Lines that fit on the page at the body size.
const MAX_LINES: usize = 62;
/// Characters per line beside the QR code and below it.
const NARROW: usize = 84;
const WIDE: usize = 104;
const BESIDE_QR: usize = 9;

fn tr(lang: Lang, ru: &str, kk: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
    .to_string()
}

/// The card of one document as PDF bytes.
pub fn card(store: &Store, id: DocumentId, lang: Lang) -> Result<Vec<u8>> {
    let font = load_font()?;
    let page = page(store, id, lang)?;
    Ok(pdf::render(&[page], &font, &title(lang)))
}

/// The cards of every document dated within the period, oldest first, one page each.
pub fn cards_for_period(store: &Store, from: &str, to: &str, lang: Lang) -> Result<Vec<u8>> {
    let mut q = Query {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        sort: SortKey::Date,
        ascending: true,
        limit: Some(500),
        ..Default::default()
    };
    let mut ids = Vec::new();
    loop {
        let p = store.list(&q)?;
        ids.extend(p.documents.iter().map(|d| d.id));
        if ids.len() > MAX_CARDS {
            return Err(Error::new(
                crate::ErrorCode::FileTooLarge,
                format!("За период больше {MAX_CARDS} документов: выберите период короче"),
            ));
        }
        match p.next {
            Some(n) => q.cursor = Some(n),
            None => break,
        }
    }
    if ids.is_empty() {
        return Err(Error::not_found(format!(
            "За период {from} — {to} документов нет"
        )));
    }
    let font = load_font()?;
    let pages = ids
        .iter()
        .map(|&id| page(store, id, lang))
        .collect::<Result<Vec<_>>>()?;
    Ok(pdf::render(&pages, &font, &title(lang)))
}

fn title(lang: Lang) -> String {
    tr(
        lang,
        "Карточка электронного документа",
        "Электрондық құжат карточкасы",
        "Electronic document card",
    )
}

fn money(m: Option<Money>, currency: &str) -> String {
    m.map(|m| format!("{m} {currency}"))
        .unwrap_or_else(|| "—".into())
}

fn day_time(t: &Timestamp) -> String {
    t.utc().format("%d.%m.%Y %H:%M UTC").to_string()
}

fn stored_time(s: &str) -> String {
    Timestamp::parse(s)
        .map(|t| day_time(&t))
        .unwrap_or_else(|_| s.to_string())
}

/// The verdict in plain words, in the card's language.
fn verdict_words(v: &Verdict, lang: Lang) -> String {
    use SubIndication as S;
    match (v.indication, v.sub_indication) {
        (Indication::TotalPassed, _) => tr(
            lang,
            "подпись действительна",
            "қолтаңба жарамды",
            "the signature is valid",
        ),
        (_, Some(S::HashFailure)) => tr(
            lang,
            "НЕДЕЙСТВИТЕЛЬНА: документ изменён после подписания",
            "ЖАРАМСЫЗ: құжат қол қойылғаннан кейін өзгертілген",
            "INVALID: the document was changed after signing",
        ),
        (_, Some(S::Revoked)) => tr(
            lang,
            "НЕДЕЙСТВИТЕЛЬНА: сертификат отозван",
            "ЖАРАМСЫЗ: сертификат кері қайтарылған",
            "INVALID: the certificate is revoked",
        ),
        (Indication::TotalFailed, _) => tr(lang, "НЕДЕЙСТВИТЕЛЬНА", "ЖАРАМСЫЗ", "INVALID"),
        (Indication::Indeterminate, _) => tr(
            lang,
            "не удалось проверить полностью",
            "толық тексеру мүмкін болмады",
            "could not be fully checked",
        ),
    }
}

fn signature_lines(n: usize, s: &StoredSignature, lang: Lang) -> Vec<String> {
    let party = if s.party == "own" {
        tr(lang, "наша", "біздің", "ours")
    } else {
        tr(lang, "отправителя", "жіберушінің", "the sender's")
    };
    let mut out = vec![format!(
        "{} {n} ({party}):",
        tr(lang, "Подпись", "Қолтаңба", "Signature")
    )];
    let signer = s
        .signer
        .as_ref()
        .or(s.verdict.as_ref().and_then(|v| v.signer.as_ref()));
    match signer {
        Some(id) => {
            out.push(format!(
                "  {}: {}; {}: {}; {}: {}",
                tr(lang, "Подписал", "Қол қойған", "Signed by"),
                id.common_name.as_deref().unwrap_or("—"),
                tr(lang, "ИИН", "ЖСН", "IIN"),
                id.iin.as_deref().unwrap_or("—"),
                tr(lang, "БИН", "БСН", "BIN"),
                id.bin.as_deref().unwrap_or("—"),
            ));
            if let Some(org) = &id.organisation {
                out.push(format!(
                    "  {}: {org}",
                    tr(lang, "Организация", "Ұйым", "Organisation")
                ));
            }
            out.push(format!(
                "  {}: {}; {} {} — {}",
                tr(lang, "Сертификат №", "Сертификат №", "Certificate serial"),
                id.serial,
                tr(lang, "действует", "жарамды", "valid"),
                day_time(&id.not_before),
                day_time(&id.not_after),
            ));
        }
        None => out.push(format!(
            "  {}",
            tr(
                lang,
                "Подписант не определён",
                "Қол қоюшы анықталмады",
                "Signer unknown"
            )
        )),
    }
    let when = s
        .verdict
        .as_ref()
        .and_then(|v| v.signing_time)
        .map(|t| day_time(&t))
        .unwrap_or_else(|| stored_time(&s.created_at));
    out.push(format!(
        "  {}: {when}",
        tr(
            lang,
            "Время подписания",
            "Қол қойылған уақыты",
            "Signing time"
        )
    ));
    match &s.verdict {
        Some(v) => {
            out.push(format!(
                "  {}: {}",
                tr(lang, "Проверка", "Тексеру", "Check"),
                verdict_words(v, lang)
            ));
            let chain = if v.chain.is_empty() {
                tr(
                    lang,
                    "не построена до доверенного УЦ",
                    "сенімді КО-ға дейін құрылмады",
                    "not built to a trusted CA",
                )
            } else {
                v.chain.join(" → ")
            };
            out.push(format!(
                "  {}: {chain}",
                tr(lang, "Цепочка", "Тізбек", "Chain")
            ));
            let revocation = if v.sub_indication == Some(SubIndication::Revoked) {
                tr(
                    lang,
                    "сертификат отозван",
                    "сертификат кері қайтарылған",
                    "the certificate is revoked",
                )
            } else if v.warnings.is_empty() && v.passed() {
                tr(
                    lang,
                    "не отозван (проверено по CRL)",
                    "кері қайтарылмаған (CRL бойынша тексерілді)",
                    "not revoked (checked against the CRL)",
                )
            } else {
                tr(
                    lang,
                    "см. замечания",
                    "ескертулерді қараңыз",
                    "see the notes",
                )
            };
            out.push(format!(
                "  {}: {revocation}",
                tr(lang, "Отзыв", "Кері қайтару", "Revocation")
            ));
            // The verifier stores its notes in Russian; the card says them in its own language.
            for w in &v.warnings {
                out.push(format!(
                    "  {}: {}",
                    tr(lang, "Замечание", "Ескерту", "Note"),
                    note_text(w, lang)
                ));
            }
            if let Some(t) = &s.verified_at {
                out.push(format!(
                    "  {}: {}",
                    tr(lang, "Проверено", "Тексерілді", "Checked at"),
                    stored_time(t)
                ));
            }
        }
        None => out.push(format!(
            "  {}",
            tr(
                lang,
                "Проверка: не проводилась",
                "Тексеру: жүргізілмеді",
                "Check: not made"
            )
        )),
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("    {word}"));
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

fn page(store: &Store, id: DocumentId, lang: Lang) -> Result<Page> {
    let doc = store.document(id)?;
    let sigs = store.signatures(id)?;
    let history = store.history(id)?;
    let mut lines = document_lines(&doc, lang);
    for (i, s) in sigs.iter().enumerate() {
        lines.extend(signature_lines(i + 1, s, lang));
    }
    if sigs.is_empty() {
        lines.push(tr(lang, "Подписей нет", "Қолтаңбалар жоқ", "No signatures"));
    }
    let decision = match doc.decision {
        Some(Decision::Accept) => tr(lang, "принят", "қабылданды", "accepted"),
        Some(Decision::Reject) => tr(lang, "отклонён", "қабылданбады", "rejected"),
        None => tr(lang, "не принято", "қабылданбаған", "none yet"),
    };
    lines.push(format!(
        "{}: {decision}",
        tr(lang, "Решение", "Шешім", "Decision")
    ));
    if let Some(r) = &doc.reject_reason {
        lines.push(format!("{}: {r}", tr(lang, "Причина", "Себебі", "Reason")));
    }
    let mut body: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        body.extend(wrap(l, if i + 1 < BESIDE_QR { NARROW } else { WIDE }));
    }
    body.push(format!("{}:", tr(lang, "История", "Тарих", "History")));
    let events: Vec<String> = key_events(&history, lang)
        .iter()
        .flat_map(|e| wrap(e, WIDE))
        .collect();
    let room = MAX_LINES.saturating_sub(body.len() + 2);
    if events.len() > room {
        // The first event (arrival) and the latest ones matter most; the middle is left out.
        let keep = room.saturating_sub(2);
        body.extend(events.iter().take(1).cloned());
        body.push(format!(
            "  … {}",
            tr(
                lang,
                "пропущено событий",
                "өткізілген оқиғалар",
                "events left out"
            ) + &format!(": {}", events.len() - keep)
        ));
        body.extend(
            events[events.len() - keep.saturating_sub(1)..]
                .iter()
                .cloned(),
        );
    } else {
        body.extend(events);
    }
    body.push(format!(
        "{} {}",
        tr(
            lang,
            "Сформировано программой Qoltanba",
            "Qoltanba бағдарламасы жасады",
            "Made by Qoltanba"
        ),
        day_time(&store.clock.now())
    ));
    let mut page_lines = vec![Line {
        text: title(lang),
        size: 14.0,
    }];
    page_lines.extend(
        body.into_iter()
            .take(MAX_LINES)
            .map(|text| Line { text, size: 8.5 }),
    );
    Ok(Page {
        lines: page_lines,
        qr: qr(&doc.content_sha256),
    })
}

fn document_lines(doc: &Document, lang: Lang) -> Vec<String> {
    let f = &doc.fields;
    let party = |p: &Option<crate::model::Party>| {
        p.as_ref()
            .map(|p| {
                format!(
                    "{} ({} {})",
                    p.name,
                    tr(lang, "БИН/ИИН", "БСН/ЖСН", "BIN/IIN"),
                    p.bin
                )
            })
            .unwrap_or_else(|| "—".into())
    };
    let file = doc
        .main_attachment()
        .map(|a| a.file_name.clone())
        .unwrap_or_default();
    vec![
        format!("{}: {}", tr(lang, "Вид", "Түрі", "Kind"), f.kind.name(lang)),
        format!(
            "{}: {}   {}: {}",
            tr(lang, "Номер", "Нөмірі", "Number"),
            f.number.as_deref().unwrap_or("—"),
            tr(lang, "Дата", "Күні", "Date"),
            f.date.as_deref().unwrap_or("—")
        ),
        format!(
            "{}: {}",
            tr(lang, "Отправитель", "Жіберуші", "Sender"),
            party(&f.sender)
        ),
        format!(
            "{}: {}",
            tr(lang, "Получатель", "Алушы", "Recipient"),
            party(&f.recipient)
        ),
        format!(
            "{}: {}   {}: {}",
            tr(lang, "Сумма", "Сомасы", "Amount"),
            money(f.amount, &f.currency),
            tr(lang, "НДС", "ҚҚС", "VAT"),
            money(f.vat_amount, &f.currency)
        ),
        format!(
            "{}: {}",
            tr(lang, "Статус", "Мәртебесі", "Status"),
            doc.status.name(lang)
        ),
        format!("{}: {file}", tr(lang, "Файл", "Файл", "File")),
        format!("SHA-256: {}", doc.content_sha256),
    ]
}

/// The QR of the file's SHA-256 (hex), as dark modules row by row.
fn qr(sha256: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::new(sha256.as_bytes()).ok()?;
    let w = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((w, dark))
}
