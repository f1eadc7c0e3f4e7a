//! A large inbox for load tests, made fast: one template PDF is rendered once and each document's
//! copy differs only in a fixed-width serial in the PDF's information title, so the bytes (and
//! hashes) differ while nothing is rendered twice.

use super::money::{decimal, vat_included};
use super::parties::{self, MARKETPLACE_BIN, MARKETPLACE_NAME};
use super::pdf::{self, Sheet};
use super::SeedError;
use crate::document::{self, Attachment, Document, KINDS};
use crate::signatory::{Authority, Profile};
use crate::store::Store;

const SERIAL_PLACEHOLDER: &str = "QOLTANBA-LOAD-000000000";

fn serial(i: usize) -> String {
    format!("QOLTANBA-LOAD-{i:09}")
}

/// Renders the template, adding body lines until it reaches `target` bytes.
fn template(target: usize) -> Result<Vec<u8>, SeedError> {
    let font = pdf::load_font().map_err(SeedError::Font)?;
    let mut count = 40;
    loop {
        let sheet = Sheet {
            title: "Отчёт о реализации товара (нагрузочный набор)".into(),
            lines: (1..=count)
                .map(|i| {
                    format!(
                        "{i}. Реализовано: артикул SKU-{:07}, партия {:05} — {} шт.",
                        i * 7919 % 9_999_999,
                        i * 31 % 99_999,
                        i % 17 + 1
                    )
                })
                .collect(),
        };
        let bytes = pdf::render(&sheet, &font, SERIAL_PLACEHOLDER);
        if bytes.len() >= target || count > 200_000 {
            return Ok(bytes);
        }
        // Grow in proportion to what is missing, at least doubling a tiny first try.
        let ratio = target as f64 / bytes.len().max(1) as f64;
        count = ((count as f64) * ratio.clamp(1.1, 8.0)).ceil() as usize;
    }
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

pub fn seed(store: &Store, count: usize, attachment_bytes: usize) -> Result<(), SeedError> {
    let template = template(attachment_bytes)?;
    let slots = positions(&template, &as_written(SERIAL_PLACEHOLDER));
    let authority = Authority::generate("Тестовый УЦ Маркетплейса")?;
    let sender = authority.issue(&Profile::signing(
        "ИВАНОВ ИВАН",
        MARKETPLACE_NAME,
        MARKETPLACE_BIN,
    ))?;
    let kinds = &KINDS[..8];
    store.with(|conn| -> Result<(), SeedError> {
        let tx = conn.transaction()?;
        for i in 1..=count {
            let mut bytes = template.clone();
            let mark = serial(i);
            let written = as_written(&mark);
            for &at in &slots {
                bytes[at..at + written.len()].copy_from_slice(&written);
            }
            if slots.is_empty() {
                // Should the library ever stop writing the title verbatim, still vary the bytes.
                bytes.extend_from_slice(format!("\n%{mark}\n").as_bytes());
            }
            let total = 1_000_000 + (i as i64 * 7_919) % 50_000_000;
            let id = format!("doc_load_{i:06}");
            let attachment = format!("att_load_{i:06}");
            let signature = sender.sign_detached(&bytes)?;
            let d = Document {
                id: id.clone(),
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
            };
            d.insert(&tx)?;
            document::record_event(&tx, &id, "created", &d.updated_at)?;
        }
        tx.commit()?;
        Ok(())
    })
}
