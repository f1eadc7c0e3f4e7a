//! `qoltanba export-list` and `qoltanba acts export-list`: the accountant's register of documents
//! or acts for a period, as XLSX or CSV (the same core use-case as the inbox's «Экспорт»).

use super::output::Out;
use clap::Args;
use qoltanba_core::app::documents::ListQuery;
use qoltanba_core::app::{register, App};
use qoltanba_core::model::{Day, DocumentKind, Status};
use qoltanba_core::register::{RegisterFormat, RegisterWritten};
use qoltanba_core::{Error, Result};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct RegisterArgs {
    /// Дата документа не раньше (ГГГГ-ММ-ДД)
    #[arg(long)]
    from: Option<String>,
    /// Дата документа не позже (ГГГГ-ММ-ДД)
    #[arg(long)]
    to: Option<String>,
    /// Формат файла: xlsx или csv
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// CSV с запятой вместо точки с запятой
    #[arg(long)]
    comma: bool,
    /// Файл, куда записать реестр
    #[arg(long)]
    out: PathBuf,
    /// Только документы с этим статусом (как в qoltanba list)
    #[arg(long)]
    status: Option<String>,
    /// Только документы этого вида, например sales_report
    #[arg(long)]
    kind: Option<String>,
    /// БИН или часть названия контрагента
    #[arg(long)]
    counterparty: Option<String>,
}

fn day(s: &Option<String>) -> Result<Option<Day>> {
    s.as_deref().map(Day::parse).transpose()
}

fn period(a: &RegisterArgs) -> Result<(Option<Day>, Option<Day>)> {
    let (from, to) = (day(&a.from)?, day(&a.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::invalid(format!(
                "Начало периода {f} позже его конца {t}"
            )));
        }
    }
    Ok((from, to))
}

fn done(out: &Out, w: &RegisterWritten) {
    out.show(w, || {
        format!("Реестр записан: {} (строк: {})", w.path, w.rows)
    });
}

pub fn documents(app: &App, a: &RegisterArgs, out: &Out) -> Result<i32> {
    let (from, to) = period(a)?;
    let format = RegisterFormat::parse(&a.format, a.comma)?;
    let mut q = ListQuery::default();
    q.query.from = from.map(|d| d.to_string());
    q.query.to = to.map(|d| d.to_string());
    q.query.counterparty = a.counterparty.clone();
    if let Some(s) = &a.status {
        let s = Status::from_code(s)
            .ok_or_else(|| Error::invalid(format!("Неизвестный статус «{s}»")))?;
        q.query.statuses = vec![s];
    }
    if let Some(k) = &a.kind {
        let k = DocumentKind::from_code(k)
            .ok_or_else(|| Error::invalid(format!("Неизвестный вид документа «{k}»")))?;
        q.query.kind = Some(k);
    }
    // The register is an accountant's: oldest first, by the documents' own dates.
    q.query.sort = qoltanba_core::store::search::SortKey::Date;
    q.query.ascending = true;
    let w = register::export_documents(app, &q, format, out.lang, &a.out)?;
    done(out, &w);
    Ok(0)
}

pub fn acts(app: &App, a: &RegisterArgs, out: &Out) -> Result<i32> {
    if a.status.is_some() || a.kind.is_some() || a.counterparty.is_some() {
        return Err(Error::invalid(
            "У реестра актов есть только период (--from, --to), формат и файл",
        ));
    }
    let (from, to) = period(a)?;
    let format = RegisterFormat::parse(&a.format, a.comma)?;
    let w = register::export_acts(app, from, to, format, out.lang, &a.out)?;
    done(out, &w);
    Ok(0)
}
