//! The demo month: October 2026 closing documents from ТОО «Маркетплейс» to ТОО «Продавец», one of
//! every kind, the four corrections, an ESF beside the service acts, an appendix, a revoked act, a
//! notice that needs no signature, and a shared link.

use std::path::Path;

use printpdf::ParsedFont;

use super::money::{decimal, printed, vat_included};
use super::parties::{self, MARKETPLACE_BIN, MARKETPLACE_NAME, SELLER_BIN};
use super::pdf::{self, Sheet};
use super::sender::Sender;
use super::xml::{self, InvoiceLine};
use super::SeedError;
use crate::document::{self, Attachment, Document, Party};
use crate::shared;
use crate::store::Store;

/// The demo's shared link (as if from an e-mail) and its authorisation code.
pub const SHARED_LINK: &str = "lnk_demo_services_compensation";
pub const SHARED_CODE: &str = "482913";
pub const SHARED_DOCUMENT: &str = "doc_2610_svc_comp";

const CONTRACT: &str = "договор № ДП-2025/0117 от 15.01.2025";
const DATE: &str = "2026-10-31";
const CORRECTION_DATE: &str = "2026-11-10";
const PERIOD: (&str, &str) = ("2026-10-01", "2026-10-31");
const UPDATED_AT: &str = "2026-11-01T06:00:00Z";
const CORRECTION_UPDATED_AT: &str = "2026-11-10T06:00:00Z";

struct Spec {
    id: &'static str,
    kind: &'static str,
    number: &'static str,
    title: &'static str,
    /// (description, amount in tiyn) lines of the form.
    lines: &'static [(&'static str, i64)],
    correction_of: Option<&'static str>,
    esf: bool,
    appendix: bool,
    xml_form: bool,
    status: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        id: "doc_2610_sales",
        kind: "sales_report",
        number: "OZ-2026-10-0042",
        title: "Отчёт о реализации товара за октябрь 2026",
        lines: &[
            ("Реализовано товаров комитента (1 912 ед.)", 125_430_000),
            ("Возвраты покупателей (37 ед.)", -2_415_000),
        ],
        correction_of: None,
        esf: false,
        appendix: true,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_placement",
        kind: "placement_services_act",
        number: "OZ-2026-10-0043",
        title: "Акт выполненных работ (услуги по размещению товаров на Платформе) за октябрь 2026",
        lines: &[
            ("Услуги по размещению товаров на Платформе", 9_876_500),
            ("Услуги по хранению товаров на складе", 1_234_000),
        ],
        correction_of: None,
        esf: true,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_other",
        kind: "other_services_act",
        number: "OZ-2026-10-0044",
        title: "Акт выполненных работ (прочие услуги) за октябрь 2026",
        lines: &[
            ("Продвижение товаров в поиске", 2_500_000),
            ("Логистика последней мили", 3_120_050),
        ],
        correction_of: None,
        esf: true,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_points",
        kind: "points_bonus_act",
        number: "OZ-2026-10-0045",
        title: "Акт о премии за расчёты баллами за октябрь 2026",
        lines: &[("Премия за расчёты баллами покупателей", 845_600)],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_goods_comp",
        kind: "goods_compensation_act",
        number: "OZ-2026-10-0046",
        title: "Акт выполненных работ (компенсации по товарам) за октябрь 2026",
        lines: &[
            ("Компенсация за утерянные на складе товары (4 ед.)", 318_000),
            ("Компенсация за повреждённые товары (2 ед.)", 96_500),
        ],
        correction_of: None,
        esf: false,
        appendix: true,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: SHARED_DOCUMENT,
        kind: "services_compensation_act",
        number: "OZ-2026-10-0047",
        title: "Акт выполненных работ (компенсации по услугам) за октябрь 2026",
        lines: &[("Компенсация стоимости услуг доставки", 127_300)],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_goods_decomp",
        kind: "goods_decompensation_act",
        number: "OZ-2026-10-0048",
        title: "Акт выполненных работ (декомпенсация по товарам) за октябрь 2026",
        lines: &[("Декомпенсация по найденным товарам (1 ед.)", 79_500)],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: true,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_reconciliation",
        kind: "reconciliation_act",
        number: "OZ-2026-10-0049",
        title: "Акт сверки взаиморасчётов за период 01.10.2026 – 31.10.2026",
        lines: &[
            ("Сальдо на начало периода", 3_450_000),
            ("Обороты за период", 123_015_000),
            ("Сальдо на конец периода", 4_102_300),
        ],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: true,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_sales_corr",
        kind: "sales_report_correction",
        number: "OZ-2026-10-0042-К1",
        title: "Корректировочный отчёт о реализации товара за октябрь 2026",
        lines: &[(
            "Уточнение количества реализованных товаров (+12 ед.)",
            786_000,
        )],
        correction_of: Some("doc_2610_sales"),
        esf: false,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_placement_corr",
        kind: "placement_services_act_correction",
        number: "OZ-2026-10-0043-К1",
        title: "Корректировочный акт (услуги по размещению товаров на Платформе) за октябрь 2026",
        lines: &[("Перерасчёт услуг хранения", -154_000)],
        correction_of: Some("doc_2610_placement"),
        esf: true,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_other_corr",
        kind: "other_services_act_correction",
        number: "OZ-2026-10-0044-К1",
        title: "Корректировочный акт (прочие услуги) за октябрь 2026",
        lines: &[("Перерасчёт логистики последней мили", -212_050)],
        correction_of: Some("doc_2610_other"),
        esf: true,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_points_corr",
        kind: "points_bonus_act_correction",
        number: "OZ-2026-10-0045-К1",
        title: "Корректировочный акт о премии за расчёты баллами за октябрь 2026",
        lines: &[("Уточнение премии за расчёты баллами", 41_200)],
        correction_of: Some("doc_2610_points"),
        esf: false,
        appendix: false,
        xml_form: false,
        status: "awaiting_signature",
    },
    Spec {
        id: "doc_2610_other_revoked",
        kind: "other_services_act",
        number: "OZ-2026-10-0039",
        title: "Акт выполненных работ (прочие услуги) за октябрь 2026 — направлен ошибочно",
        lines: &[("Продвижение товаров в поиске", 2_500_000)],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: false,
        status: "revoked",
    },
    Spec {
        id: "doc_2610_notice",
        kind: "other",
        number: "OZ-2026-10-0050",
        title: "Уведомление об изменении банковских реквизитов ТОО «Маркетплейс»",
        lines: &[],
        correction_of: None,
        esf: false,
        appendix: false,
        xml_form: false,
        status: "completed",
    },
];

fn printed_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    format!("{}.{}.{}", p[2], p[1], p[0])
}

fn form_lines(spec: &Spec, seller: &Party, date: &str, total: i64, vat: i64) -> Vec<String> {
    // An entrepreneur's number is its IIN, a company's its BIN.
    let number_name = if seller.bin == SELLER_BIN {
        "БИН"
    } else {
        "ИИН"
    };
    let mut lines = vec![
        format!("№ {} от {}", spec.number, printed_date(date)),
        format!("Исполнитель: {MARKETPLACE_NAME}, БИН {MARKETPLACE_BIN}"),
        format!("Заказчик: {}, {number_name} {}", seller.name, seller.bin),
        format!("Основание: {CONTRACT}"),
        format!(
            "Период: {} – {}",
            printed_date(PERIOD.0),
            printed_date(PERIOD.1)
        ),
    ];
    if let Some(original) = spec.correction_of {
        let number = SPECS
            .iter()
            .find(|s| s.id == original)
            .map_or("", |s| s.number);
        lines.push(format!(
            "Корректировка к документу № {number} от {}",
            printed_date(DATE)
        ));
    }
    lines.push(String::new());
    for (i, (text, amount)) in spec.lines.iter().enumerate() {
        lines.push(format!("{}. {text} — {} ₸", i + 1, printed(*amount)));
    }
    if spec.lines.is_empty() {
        lines.push("Сообщаем об изменении банковских реквизитов с 01.11.2026.".into());
        lines.push("Подпись получателя не требуется.".into());
    } else {
        lines.push(String::new());
        lines.push(format!("Итого: {} ₸", printed(total)));
        lines.push(format!("в том числе НДС 12%: {} ₸", printed(vat)));
    }
    lines.push(String::new());
    lines.push(format!("От исполнителя: {MARKETPLACE_NAME} (ЭЦП)"));
    lines.push(format!("От заказчика: {} (ЭЦП)", seller.name));
    lines
}

fn xml_form(spec: &Spec, seller: &Party, date: &str, total: i64, vat: i64) -> Vec<u8> {
    let mut rows = String::new();
    for (text, amount) in spec.lines {
        rows.push_str(&format!(
            "    <row><description>{}</description><amount>{}</amount></row>\n",
            xml::escape(text),
            decimal(*amount)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document kind=\"{}\">\n  <title>{}</title>\n  <number>{}</number>\n  <date>{date}</date>\n  <period from=\"{}\" to=\"{}\"/>\n  <executor bin=\"{MARKETPLACE_BIN}\">{}</executor>\n  <customer bin=\"{}\">{}</customer>\n  <rows>\n{rows}  </rows>\n  <total currency=\"KZT\">{}</total>\n  <vat rate=\"12\">{}</vat>\n</document>\n",
        spec.kind,
        xml::escape(spec.title),
        xml::escape(spec.number),
        PERIOD.0,
        PERIOD.1,
        xml::escape(MARKETPLACE_NAME),
        seller.bin,
        xml::escape(&seller.name),
        decimal(total),
        decimal(vat)
    )
    .into_bytes()
}

fn build(
    spec: &Spec,
    font: &ParsedFont,
    sender: &Sender,
    seller: &Party,
) -> Result<Document, SeedError> {
    let correction = spec.correction_of.is_some();
    let date = if correction { CORRECTION_DATE } else { DATE };
    let total: i64 = spec.lines.iter().map(|(_, a)| a).sum();
    let vat = vat_included(total);
    let short = spec.id.trim_start_matches("doc_");
    let main = if spec.xml_form {
        Attachment {
            id: format!("att_{short}_main"),
            role: "main",
            file_name: format!("{short}.xml"),
            mime_type: "application/xml",
            bytes: xml_form(spec, seller, date, total, vat),
        }
    } else {
        let sheet = Sheet {
            title: spec.title.to_owned(),
            lines: form_lines(spec, seller, date, total, vat),
        };
        Attachment {
            id: format!("att_{short}_main"),
            role: "main",
            file_name: format!("{short}.pdf"),
            mime_type: "application/pdf",
            bytes: pdf::render(&sheet, font, spec.number.trim_end_matches("-К1")),
        }
    };
    let signature = sender.sign(&main.bytes)?;
    let mut attachments = vec![main];
    if spec.esf {
        let number = format!("ESF-{}", spec.number);
        let amount = decimal(total);
        let vat_text = decimal(vat);
        let first = spec.lines.first().map_or("", |l| l.0);
        attachments.push(Attachment {
            id: format!("att_{short}_esf"),
            role: "esf",
            file_name: "esf.xml".into(),
            mime_type: "application/xml",
            bytes: xml::esf(
                &number,
                date,
                (MARKETPLACE_BIN, MARKETPLACE_NAME),
                (&seller.bin, &seller.name),
                &[InvoiceLine {
                    description: first,
                    amount: &amount,
                    vat: &vat_text,
                }],
                &amount,
                &vat_text,
            ),
        });
    }
    if spec.appendix {
        let sheet = Sheet {
            title: format!("Приложение № 1 к документу № {}", spec.number),
            lines: (1..=30)
                .map(|i| {
                    format!(
                        "{i}. Артикул SKU-{:06} — {} шт.",
                        100_000 + i * 37,
                        (i * 7) % 13 + 1
                    )
                })
                .collect(),
        };
        attachments.push(Attachment {
            id: format!("att_{short}_appendix"),
            role: "appendix",
            file_name: "appendix-1.pdf".into(),
            mime_type: "application/pdf",
            bytes: pdf::render(&sheet, font, "Appendix 1"),
        });
    }
    let main_id = attachments[0].id.clone();
    Ok(Document {
        id: spec.id.into(),
        kind: spec.kind,
        number: spec.number.into(),
        date: date.into(),
        title: spec.title.into(),
        period: Some((PERIOD.0.into(), PERIOD.1.into())),
        sender: parties::marketplace(),
        recipient: seller.clone(),
        amount: decimal(total),
        vat_amount: decimal(vat),
        correction_of: spec.correction_of.map(str::to_owned),
        requires_signature: !spec.lines.is_empty(),
        status: spec.status,
        updated_at: if correction {
            CORRECTION_UPDATED_AT
        } else {
            UPDATED_AT
        }
        .into(),
        attachments,
        sender_signatures: vec![(main_id, signature)],
    })
}

pub fn seed(store: &Store, data_dir: &Path, seller: &Party) -> Result<(), SeedError> {
    let font = pdf::load_font().map_err(SeedError::Font)?;
    let sender = Sender::open_role(data_dir, super::sender::SENDER_ROLE_GOST)?;
    let documents: Vec<Document> = SPECS
        .iter()
        .map(|spec| build(spec, &font, &sender, seller))
        .collect::<Result<_, _>>()?;
    store.with(|conn| {
        let tx = conn.transaction()?;
        for d in &documents {
            d.insert(&tx)?;
            document::record_event(&tx, &d.id, "created", &d.updated_at)?;
        }
        for d in documents.iter().filter(|d| d.status == "revoked") {
            document::record_event(&tx, &d.id, "revoked", "2026-11-02T09:30:00Z")?;
        }
        shared::create(&tx, SHARED_DOCUMENT, SHARED_LINK, SHARED_CODE)?;
        crate::ord_catalog::seed_demo(&tx)?;
        tx.commit()
    })?;
    Ok(())
}
