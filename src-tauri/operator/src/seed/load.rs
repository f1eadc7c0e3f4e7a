//! A large inbox for load tests, made fast: a few template PDFs (each in its own font and layout,
//! so that a reader's font or CMap cache cannot serve them all) are rendered once, and each
//! document's copy differs only in a fixed-width serial in the PDF's information title, so the
//! bytes (and hashes) differ while nothing is rendered twice. The marketplace signs them with its
//! GOST-2015-512 key, as the real one does, so a sync pays for GOST verification.

use super::money::{decimal, vat_included};
use super::parties;
use super::pdf::{self, Sheet};
use super::sender::{Sender, SENDER_ROLE_GOST};
use super::SeedError;
use crate::document::{self, Attachment, Document, KINDS};
use crate::store::Store;

const SERIAL_PLACEHOLDER: &str = "QOLTANBA-LOAD-000000000";

fn serial(i: usize) -> String {
    format!("QOLTANBA-LOAD-{i:09}")
}

/// The fonts the templates are set in, where installed (fonts-dejavu-core has them all); the
/// default font alone when none is.
const FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
];

/// The body's line in layout `layout`: a sales report's, a services act's or a reconciliation's.
fn line(layout: usize, i: usize) -> String {
    match layout % 3 {
        0 => format!(
            "{i}. Реализовано: артикул SKU-{:07}, партия {:05} — {} шт.",
            i * 7919 % 9_999_999,
            i * 31 % 99_999,
            i % 17 + 1
        ),
        1 => format!(
            "Услуга № {i}: размещение товара на Платформе, заказ ORD-{:08}, {} тенге",
            i * 104_729 % 99_999_999,
            (i * 613) % 100_000
        ),
        _ => format!(
            "{:02}.10.2026 | платёжное поручение {:06} | сальдо {}.{:02} | ЗАО «Контрагент {}»",
            i % 28 + 1,
            i * 97 % 999_999,
            i * 1_009 % 1_000_000,
            i % 100,
            i % 41
        ),
    }
}

/// Renders template `k`, adding body lines until it reaches `target` bytes.
fn template(target: usize, font: &printpdf::ParsedFont, k: usize) -> Vec<u8> {
    let titles = [
        "Отчёт о реализации товара (нагрузочный набор)",
        "Акт оказанных услуг по размещению товаров",
        "Акт сверки взаимных расчётов",
    ];
    let mut count = 40;
    loop {
        let sheet = Sheet {
            title: titles[k % titles.len()].into(),
            lines: (1..=count).map(|i| line(k, i + k * 1000)).collect(),
        };
        let bytes = pdf::render(&sheet, font, SERIAL_PLACEHOLDER);
        if bytes.len() >= target || count > 200_000 {
            return bytes;
        }
        // Grow in proportion to what is missing, at least doubling a tiny first try.
        let ratio = target as f64 / bytes.len().max(1) as f64;
        count = ((count as f64) * ratio.clamp(1.1, 8.0)).ceil() as usize;
    }
}

/// The templates: each installed font in each of the three layouts (twelve with all four fonts).
fn templates(target: usize) -> Result<Vec<Vec<u8>>, SeedError> {
    let mut fonts: Vec<printpdf::ParsedFont> = FONTS
        .iter()
        .map(std::path::Path::new)
        .filter(|p| p.exists())
        .filter_map(|p| pdf::load_font_file(p).ok())
        .collect();
    if fonts.is_empty() || std::env::var_os("QOLTANBA_FONT").is_some() {
        fonts = vec![pdf::load_font().map_err(SeedError::Font)?];
    }
    Ok((0..fonts.len() * 3)
        .map(|k| template(target, &fonts[k / 3], k))
        .collect())
}

/// How printpdf writes an ASCII title in the information dictionary: UTF-16BE as hex digits.
fn as_written(title: &str) -> Vec<u8> {
    title
        .chars()
        .map(|c| format!("{:04X}", c as u32))
        .collect::<String>()
        .into_bytes()
}

/// Byte offsets of every occurrence of `needle`.
fn positions(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// One document's main attachment: the template with its serial written in.
fn variant(template: &[u8], slots: &[usize], i: usize) -> Vec<u8> {
    let mut bytes = template.to_vec();
    let mark = serial(i);
    let written = as_written(&mark);
    for &at in slots {
        bytes[at..at + written.len()].copy_from_slice(&written);
    }
    if slots.is_empty() {
        // Should the library ever stop writing the title verbatim, still vary the bytes.
        bytes.extend_from_slice(format!("\n%{mark}\n").as_bytes());
    }
    bytes
}

fn document(i: usize, bytes: Vec<u8>, signature: Vec<u8>) -> Document {
    let kinds = &KINDS[..8];
    let total = 1_000_000 + (i as i64 * 7_919) % 50_000_000;
    let attachment = format!("att_load_{i:06}");
    Document {
        id: format!("doc_load_{i:06}"),
        kind: kinds[i % kinds.len()],
        number: format!("LD-2026-{i:06}"),
        date: "2026-10-31".into(),
        title: format!("Нагрузочный документ № {i}"),
        period: Some(("2026-10-01".into(), "2026-10-31".into())),
        sender: parties::marketplace(),
        recipient: parties::seller(),
        amount: decimal(total),
        vat_amount: decimal(vat_included(total)),
        correction_of: None,
        requires_signature: true,
        status: "awaiting_signature",
        updated_at: "2026-11-01T06:00:00Z".into(),
        attachments: vec![Attachment {
            id: attachment.clone(),
            role: "main",
            file_name: format!("load-{i:06}.pdf"),
            mime_type: "application/pdf",
            bytes,
        }],
        sender_signatures: vec![(attachment, signature)],
    }
}

/// Documents are made in batches; the sender's signatures (the slow part) on every core.
const BATCH: usize = 512;

pub fn seed(
    store: &Store,
    data_dir: &std::path::Path,
    count: usize,
    attachment_bytes: usize,
) -> Result<(), SeedError> {
    let templates: Vec<(Vec<u8>, Vec<usize>)> = templates(attachment_bytes)?
        .into_iter()
        .map(|t| {
            let slots = positions(&t, &as_written(SERIAL_PLACEHOLDER));
            (t, slots)
        })
        .collect();
    let sender = Sender::open_role(data_dir, SENDER_ROLE_GOST)?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let numbers: Vec<usize> = (1..=count).collect();
    store.with(|conn| -> Result<(), SeedError> {
        let tx = conn.transaction()?;
        for batch in numbers.chunks(BATCH) {
            let per_worker = batch.len().div_ceil(workers);
            let made: Vec<Result<Vec<Document>, SeedError>> = std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks(per_worker)
                    .map(|part| {
                        let (templates, sender) = (&templates, &sender);
                        scope.spawn(move || {
                            part.iter()
                                .map(|&i| {
                                    let (template, slots) = &templates[i % templates.len()];
                                    let bytes = variant(template, slots, i);
                                    let signature = sender.sign(&bytes)?;
                                    Ok(document(i, bytes, signature))
                                })
                                .collect()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err(SeedError::Signing("a worker panicked".into())))
                    })
                    .collect()
            });
            for documents in made {
                for d in documents? {
                    d.insert(&tx)?;
                    document::record_event(&tx, &d.id, "created", &d.updated_at)?;
                }
            }
        }
        tx.commit()?;
        // Fold the WAL back so a large seed does not occupy its size twice on disk.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    })
}
