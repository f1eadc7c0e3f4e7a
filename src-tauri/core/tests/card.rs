//! A document's card: the PDF read back with pdftotext (the Cyrillic and Kazakh text as written,
//! the hash, the signer, the verdict in words) and rendered with pdftoppm (a real page, with the
//! QR code's dark modules in its top right corner). Both tools are poppler-utils (.ci/packages.txt).

mod support;

use qoltanba_core::card::{card, cards_for_period};
use qoltanba_core::model::{
    Action, Attachment, AttachmentRole, DocumentFields, DocumentKind, Lang, Money, Origin, Party,
    Timestamp,
};
use qoltanba_core::signature::{Indication, SignerIdentity, Verdict};
use qoltanba_core::store::{sha256_hex, NewDocument, NewSignature};
use qoltanba_core::{ErrorCode, Store};
use std::path::Path;
use std::process::Command;

fn signer() -> SignerIdentity {
    SignerIdentity {
        common_name: Some("ИВАНОВ ИВАН".into()),
        iin: Some("880101300123".into()),
        bin: Some("123456789021".into()),
        organisation: Some("ТОО «Продавец»".into()),
        purposes: vec![],
        extended_key_usage: vec![],
        not_before: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
        not_after: Timestamp::parse("2027-01-01T00:00:00Z").unwrap(),
        serial: "5a1b2c3d".into(),
        subject: "CN=ИВАНОВ ИВАН".into(),
        issuer: "CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ".into(),
        certificate_der: vec![],
    }
}

fn verdict(indication: Indication) -> Verdict {
    serde_json::from_value(serde_json::json!({
        "indication": match indication {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::TotalFailed => "TOTAL_FAILED",
            Indication::Indeterminate => "INDETERMINATE",
        },
        "subIndication": null,
        "reason": "Подпись верна",
        "signer": null,
        "signingTime": "2026-10-30T08:15:00Z",
        "algorithm": null,
        "warnings": [],
        "intact": true,
        "chain": ["CN=ИВАНОВ ИВАН", "CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ"]
    }))
    .unwrap()
}

/// A placement act from the marketplace with the sender's valid signature, rejected by us.
fn rejected(s: &mut Store, n: usize, date: &str) -> i64 {
    let bytes = support::pdf(&[&format!("Акт № {n}")]);
    let sha = sha256_hex(&bytes);
    let mut f = DocumentFields::new(DocumentKind::PlacementServicesAct, format!("Акт {n}"));
    f.number = Some(format!("OZ-{n:04}"));
    f.date = Some(date.into());
    f.amount = Some(Money::parse("112000.00").unwrap());
    f.vat_amount = Some(Money::parse("12000.00").unwrap());
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: "ТОО «Озон Казахстан»".into(),
    });
    f.recipient = Some(Party {
        bin: "123456789021".into(),
        name: "ТОО «Продавец»".into(),
    });
    let a = Attachment {
        id: "main".into(),
        role: AttachmentRole::Main,
        file_name: "akt.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha.clone(),
    };
    let mut v = verdict(Indication::TotalPassed);
    v.signer = Some(signer());
    let (id, _) = s
        .add_document(NewDocument {
            operator_id: Some(format!("doc_{n}")),
            origin: Origin::Operator,
            fields: f,
            attachments: vec![(a, bytes)],
            text: String::new(),
            text_note: None,
            sender_signatures: vec![NewSignature::checked("main", &sha, vec![0x30, 0x00], v)],
        })
        .unwrap();
    s.apply(id, Action::View, None).unwrap();
    s.reject(id, "Сумма не совпадает с отчётом").unwrap();
    id
}

fn tool(dir: &Path, program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} (poppler-utils) runs: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text_of(dir: &Path, pdf: &[u8]) -> String {
    std::fs::write(dir.join("card.pdf"), pdf).unwrap();
    String::from_utf8(tool(dir, "pdftotext", &["-layout", "card.pdf", "-"])).unwrap()
}

#[test]
fn the_card_says_what_the_document_and_its_signature_are_in_russian_and_kazakh() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(&dir.path().join("data"));
    let id = rejected(&mut s, 7, "2026-10-31");
    let sha = s.document(id).unwrap().content_sha256;
    let pdf = card(&s, id, Lang::Ru).unwrap();
    let text = text_of(dir.path(), &pdf);
    for want in [
        "Карточка электронного документа",
        "Вид: Акт выполненных работ (услуги по размещению",
        "Номер: OZ-0007",
        "Дата: 2026-10-31",
        "Отправитель: ТОО «Озон Казахстан» (БИН/ИИН 201040012345)",
        "Сумма: 112000.00 KZT",
        "НДС: 12000.00 KZT",
        &format!("SHA-256: {sha}"),
        "Подпись 1 (отправителя):",
        "Подписал: ИВАНОВ ИВАН; ИИН: 880101300123; БИН: 123456789021",
        "Сертификат №: 5a1b2c3d; действует 01.01.2026 00:00 UTC — 01.01.2027 00:00 UTC",
        "Время подписания: 30.10.2026 08:15 UTC",
        "Проверка: подпись действительна",
        "Цепочка: CN=ИВАНОВ ИВАН → CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ",
        "Отзыв: не отозван (проверено по CRL)",
        "Решение: отклонён",
        "Причина: Сумма не совпадает с отчётом",
        "История:",
        "Отклонение Отклонён — Сумма не совпадает с отчётом",
    ] {
        assert!(text.contains(want), "«{want}» is missing from:\n{text}");
    }
    let kk = text_of(dir.path(), &card(&s, id, Lang::Kk).unwrap());
    assert!(kk.contains("Электрондық құжат карточкасы"), "{kk}");
    assert!(kk.contains("Тексеру: қолтаңба жарамды"), "{kk}");
    assert!(kk.contains("Шешім: қабылданбады"), "{kk}");
    let en = text_of(dir.path(), &card(&s, id, Lang::En).unwrap());
    assert!(
        en.contains("Electronic document card") && en.contains("Check: the signature is valid"),
        "{en}"
    );
}

#[test]
fn the_card_renders_as_one_page_with_the_qr_code_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(&dir.path().join("data"));
    let id = rejected(&mut s, 8, "2026-10-31");
    std::fs::write(dir.path().join("card.pdf"), card(&s, id, Lang::Ru).unwrap()).unwrap();
    if let Some(keep) = std::env::var_os("QOLTANBA_KEEP_CARD") {
        std::fs::copy(dir.path().join("card.pdf"), keep).unwrap();
    }
    tool(
        dir.path(),
        "pdftoppm",
        &["-r", "50", "-gray", "card.pdf", "page"],
    );
    let pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("page"))
        .collect();
    assert_eq!(pages.len(), 1, "one page");
    let pgm = std::fs::read(pages[0].path()).unwrap();
    let (w, h, pixels) = pgm_pixels(&pgm);
    // A4 at 50 dpi is about 414 x 585; the QR sits in the top right corner (x 163-195 mm, 10-42 mm down).
    assert!((413..=414).contains(&w) && h == 585, "{w} x {h}");
    let mm = |v: f32| (v * 50.0 / 25.4) as usize;
    let dark_in = |x0: usize, x1: usize, y0: usize, y1: usize| {
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                n += usize::from(pixels[y * w + x] < 128);
            }
        }
        n as f32 / ((x1 - x0) * (y1 - y0)) as f32
    };
    let qr = dark_in(mm(164.0), mm(194.0), mm(11.0), mm(41.0));
    assert!(
        (0.3..0.7).contains(&qr),
        "about half of a QR's modules are dark: {qr}"
    );
    let margin = dark_in(mm(198.0), mm(209.0), mm(11.0), mm(41.0));
    assert_eq!(margin, 0.0, "nothing is drawn in the right margin");
}

/// Width, height and the grey bytes of a binary PGM (P5) as pdftoppm -gray writes it.
fn pgm_pixels(pgm: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8(pgm[start..i].to_vec()).unwrap());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, pgm[i + 1..].to_vec())
}

#[test]
fn a_period_is_one_pdf_with_a_page_per_document_and_an_empty_period_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(&dir.path().join("data"));
    rejected(&mut s, 1, "2026-10-01");
    rejected(&mut s, 2, "2026-10-15");
    rejected(&mut s, 3, "2026-11-01");
    let pdf = cards_for_period(&s, "2026-10-01", "2026-10-31", Lang::Ru).unwrap();
    let text = text_of(dir.path(), &pdf);
    assert_eq!(
        text.matches("Карточка электронного документа").count(),
        2,
        "{text}"
    );
    assert!(text.contains("OZ-0001") && text.contains("OZ-0002") && !text.contains("OZ-0003"));
    assert_eq!(text.matches('\u{c}').count(), 2, "two pages (form feeds)");
    let e = cards_for_period(&s, "2025-01-01", "2025-01-31", Lang::Ru).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(e.message.contains("документов нет"), "{}", e.message);
}
