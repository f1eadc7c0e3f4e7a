//! The accountant's register: XLSX read back as a spreadsheet program reads it (numbers are
//! numbers, dates are dates, the header frozen, sums per currency), CSV with a BOM and `;` (or
//! `,`), the inbox's filter respected, names from outside kept as text, and the row budget.

mod support;

use calamine::{Data, Reader, Xlsx};
use qoltanba_core::acts::{ActDraft, AllocationDraft};
use qoltanba_core::model::{
    Action, Attachment, AttachmentRole, Day, DocumentFields, DocumentKind, Lang, Money, Origin,
    Party, Timestamp,
};
use qoltanba_core::register::{acts, documents, Cell, Column, Register, RegisterFormat, MAX_ROWS};
use qoltanba_core::signature::SignerIdentity;
use qoltanba_core::store::search::{Query, Tab};
use qoltanba_core::store::{sha256_hex, NewDocument, NewSignature};
use qoltanba_core::{ErrorCode, Store};
use std::io::{Cursor, Read};

fn add(store: &mut Store, i: usize, sender: &str, amount: &str, currency: &str) -> i64 {
    let bytes = support::pdf(&[&format!("Акт № {i}")]);
    let mut f = DocumentFields::new(DocumentKind::PlacementServicesAct, format!("Акт {i}"));
    f.number = Some(format!("OZ-{i:04}"));
    f.date = Some(format!("2026-10-{:02}", i + 1));
    f.amount = Some(Money::parse(amount).unwrap());
    f.vat_amount = Some(Money(Money::parse(amount).unwrap().0 * 12 / 112));
    f.currency = currency.into();
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: sender.into(),
    });
    f.recipient = Some(Party {
        bin: "123456789021".into(),
        name: "ТОО «Продавец»".into(),
    });
    let a = Attachment {
        id: "att_1".into(),
        role: AttachmentRole::Main,
        file_name: "d.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    store
        .add_document(NewDocument {
            operator_id: Some(format!("doc_{i}")),
            origin: Origin::Operator,
            fields: f,
            attachments: vec![(a, bytes)],
            text: String::new(),
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap()
        .0
}

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
        serial: "0a1b".into(),
        subject: "CN=ИВАНОВ ИВАН".into(),
        issuer: "CN=НУЦ РК".into(),
        certificate_der: vec![],
    }
}

/// Accepts, signs (as ИВАНОВ ИВАН), sends and delivers document `id`.
fn sign_and_deliver(s: &mut Store, id: i64) {
    s.accept(id).unwrap();
    let content = qoltanba_core::signing::bytes_to_sign(s, id).unwrap();
    let doc = s.document(id).unwrap();
    let payload = qoltanba_core::signing::decision_payload(&doc, &content, &[0x30, 0x00]);
    let sig = NewSignature {
        attachment_id: None,
        signed_sha256: sha256_hex(&content),
        cms: vec![0x30, 0x00],
        signer: Some(signer()),
        verdict: None,
    };
    s.record_own_signature(id, sig, payload).unwrap();
    s.apply(id, Action::MarkSent, None).unwrap();
    s.apply(id, Action::MarkDelivered, None).unwrap();
}

/// Three documents: a delivered one, a rejected one and a waiting one in roubles.
fn sample() -> (tempfile::TempDir, Store, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let a = add(&mut s, 0, "ТОО «Озон Казахстан»", "112000.00", "KZT");
    let b = add(
        &mut s,
        1,
        "=HYPERLINK(\"http://x\";\"клик\")",
        "2240.50",
        "KZT",
    );
    let c = add(&mut s, 2, "ООО «Интернет Решения»", "1000.00", "RUB");
    sign_and_deliver(&mut s, a);
    s.reject(b, "Неверная сумма; см. п. 3").unwrap();
    (dir, s, vec![a, b, c])
}

fn all(lang: Lang, s: &Store) -> Register {
    let mut q = Query {
        sort: qoltanba_core::store::search::SortKey::Date,
        ascending: true,
        ..Default::default()
    };
    Tab::All.apply_to(&mut q);
    documents::register(s, &q, lang).unwrap()
}

fn sheet(bytes: &[u8]) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    wb.worksheet_range(&name).unwrap()
}

#[test]
fn xlsx_has_number_and_date_cells_a_frozen_header_and_sums_per_currency() {
    let (_d, s, _ids) = sample();
    let r = all(Lang::Ru, &s);
    let bytes = r.to_bytes(RegisterFormat::Xlsx).unwrap();
    let range = sheet(&bytes);
    let head: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(head[0], "Номер");
    assert_eq!(head[5], "Сумма");
    assert_eq!(head[15], "SHA-256 файла");
    let row1: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row1[0], &Data::String("OZ-0000".into()));
    // The amount is a number (112000), not the text "112000.00"; VAT too.
    assert_eq!(row1[5], &Data::Float(112000.0));
    assert_eq!(row1[6], &Data::Float(12000.0));
    // The date is a date cell: 2026-10-01 is Excel's serial day 46296.
    match row1[1] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46296.0),
        other => panic!("the date is not a date cell: {other:?}"),
    }
    assert!(
        matches!(row1[11], Data::DateTime(_)),
        "signed at: {:?}",
        row1[11]
    );
    assert_eq!(
        row1[12],
        &Data::String("ИВАНОВ ИВАН, ИИН 880101300123, ТОО «Продавец»".into())
    );
    assert!(
        matches!(row1[13], Data::DateTime(_)),
        "sent at: {:?}",
        row1[13]
    );
    assert!(
        matches!(row1[14], Data::DateTime(_)),
        "delivered at: {:?}",
        row1[14]
    );
    assert_eq!(row1[8], &Data::String("Доставлен".into()));
    // The name that looks like a formula stays text.
    let row2: Vec<&Data> = range.rows().nth(2).unwrap().iter().collect();
    assert_eq!(
        row2[3],
        &Data::String("=HYPERLINK(\"http://x\";\"клик\")".into())
    );
    assert_eq!(row2[10], &Data::String("Неверная сумма; см. п. 3".into()));
    // Totals: one line per currency, tenge and roubles never added together.
    let totals: Vec<Vec<Data>> = range
        .rows()
        .filter(|r| r[0] == Data::String("Итого".into()))
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(totals.len(), 2, "{totals:?}");
    let kzt = totals
        .iter()
        .find(|r| r[7] == Data::String("KZT".into()))
        .unwrap();
    assert_eq!(kzt[5], Data::Float(114240.5));
    let rub = totals
        .iter()
        .find(|r| r[7] == Data::String("RUB".into()))
        .unwrap();
    assert_eq!(rub[5], Data::Float(1000.0));
    // The sums are formulas a spreadsheet recalculates, and the header pane is frozen.
    let xml = sheet_xml(&bytes);
    assert!(xml.contains("SUMIF($H$2:$H$4,\"KZT\",F2:F4)"), "{xml}");
    assert!(xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""));
}

fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut s = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn csv_is_utf8_with_a_bom_and_semicolons_or_commas_and_defuses_formulas() {
    let (_d, s, _ids) = sample();
    let r = all(Lang::Ru, &s);
    let csv = r.to_bytes(RegisterFormat::Csv).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF", "a BOM, so Excel reads Cyrillic");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(
        lines[0].starts_with("Номер;Дата;Вид документа;Контрагент;"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("OZ-0000;2026-10-01;"), "{}", lines[1]);
    assert!(
        lines[1].contains(";112000.00;12000.00;KZT;Доставлен;Принят;"),
        "{}",
        lines[1]
    );
    // A `;` inside a field is quoted; a formula-like name gets an apostrophe in front.
    assert!(
        lines[2].contains(";\"Неверная сумма; см. п. 3\";"),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].contains(";\"'=HYPERLINK(\"\"http://x\"\";\"\"клик\"\")\";"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 5, "header, three rows, the final line break");
    let comma = String::from_utf8(r.to_bytes(RegisterFormat::CsvComma).unwrap()).unwrap();
    assert!(comma.contains("\u{feff}Номер,Дата,Вид документа,"));
    assert!(comma.contains(",112000.00,12000.00,KZT,"));
}

#[test]
fn the_register_holds_what_the_filter_finds_across_pages_in_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    for i in 0..27 {
        add(&mut s, i, "ТОО «Озон Казахстан»", "10.00", "KZT");
    }
    let mut q = Query {
        from: Some("2026-10-05".into()),
        to: Some("2026-10-20".into()),
        limit: Some(3), // the page size of the window's list is not the register's
        ..Default::default()
    };
    let r = documents::register(&s, &q, Lang::En).unwrap();
    assert_eq!(r.rows.len(), 16);
    assert_eq!(r.columns[0].title, "Number");
    assert_eq!(r.rows[0][8], Cell::Text("Awaiting decision".into()));
    Tab::Accepted.apply_to(&mut q);
    assert!(documents::register(&s, &q, Lang::Kk)
        .unwrap()
        .rows
        .is_empty());
}

#[test]
fn a_register_over_the_row_budget_is_refused_and_leaves_no_file() {
    let r = Register {
        sheet: "x".into(),
        columns: vec![Column {
            title: "n".into(),
            summed: false,
        }],
        rows: vec![vec![Cell::Empty]; MAX_ROWS + 1],
        currency_column: None,
        lang: Lang::Ru,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.xlsx");
    let e = r.save(RegisterFormat::Xlsx, &out).unwrap_err();
    assert_eq!(e.code, ErrorCode::FileTooLarge);
    assert!(
        e.message.contains("выберите период короче"),
        "{}",
        e.message
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file left"
    );
}

#[test]
fn acts_export_their_period_with_vat_in_roubles() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let draft = |number: &str, date: &str| ActDraft {
        contract: "ДР-2026/15".into(),
        number: number.into(),
        date: date.into(),
        customer_role: "advertiser".into(),
        executor_role: "ad_system_operator".into(),
        period_from: "2026-10-01".into(),
        period_to: "2026-10-31".into(),
        amount: "122000.00".into(),
        vat_included: true,
        non_advertising_services: false,
        allocations: vec![AllocationDraft {
            initial_contract: "ДР-2026/15".into(),
            amount: "122000.00".into(),
            vat_included: true,
            statistics: vec![],
        }],
    };
    s.create_act(&draft("A-1", "2026-10-31"), None).unwrap();
    s.create_act(&draft("A-2", "2026-09-30"), None).unwrap();
    let day = |d: &str| Some(Day::parse(d).unwrap());
    let r = acts::register(&s, day("2026-10-01"), day("2026-10-31"), Lang::Ru).unwrap();
    assert_eq!(r.rows.len(), 1);
    let row = &r.rows[0];
    assert_eq!(row[0], Cell::Text("A-1".into()));
    assert_eq!(row[7], Cell::Money(Money(12_200_000)));
    // 22% (from 2026) inside 122000.00 is 22000.00.
    assert_eq!(row[8], Cell::Money(Money(2_200_000)));
    assert_eq!(row[10], Cell::Text("RUB".into()));
    let range = sheet(&r.to_bytes(RegisterFormat::Xlsx).unwrap());
    assert_eq!(range.rows().nth(1).unwrap()[7], Data::Float(122000.0));
}
