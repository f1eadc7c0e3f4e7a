//! `qoltanba card ID --out FILE.pdf` and `qoltanba card --from D --to D --out FILE.pdf`: a
//! document's card «Карточка электронного документа», or a period's cards in one PDF.

use super::output::Out;
use clap::Args;
use qoltanba_core::app::{card, App};
use qoltanba_core::model::Day;
use qoltanba_core::{Error, Result};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CardArgs {
    /// Номер документа (qoltanba list); без него — карточки за период --from … --to
    id: Option<i64>,
    /// Дата документа не раньше (ГГГГ-ММ-ДД)
    #[arg(long)]
    from: Option<String>,
    /// Дата документа не позже (ГГГГ-ММ-ДД)
    #[arg(long)]
    to: Option<String>,
    /// Файл PDF, куда записать карточку
    #[arg(long)]
    out: PathBuf,
}

pub fn run(app: &App, a: &CardArgs, out: &Out) -> Result<i32> {
    let path = match (a.id, &a.from, &a.to) {
        (Some(id), None, None) => card::save_card(app, id, out.lang, &a.out)?,
        (None, Some(f), Some(t)) => {
            card::save_cards(app, Day::parse(f)?, Day::parse(t)?, out.lang, &a.out)?
        }
        _ => {
            return Err(Error::invalid(
                "Укажите номер документа или период: qoltanba card ID --out FILE.pdf, qoltanba card --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД --out FILE.pdf",
            ))
        }
    };
    out.show(&serde_json::json!({ "path": path }), || {
        format!("Карточка сохранена: {path}")
    });
    Ok(0)
}
