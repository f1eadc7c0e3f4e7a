//! `qoltanba acts account|sync|import-contracts|import-statistics|export`: the ORD as a service of
//! its own (account, catalogue sync), the catalogue from CSV when there is no account, and the
//! acts exported for upload by hand. Everything is core's (app/ord.rs); this prints.

use super::output::{runtime, Out};
use clap::Subcommand;
use qoltanba_core::acts::csv::ExportFormat;
use qoltanba_core::acts::CatalogReport;
use qoltanba_core::app::App;
use qoltanba_core::operator::Token;
use qoltanba_core::{Error, Result};
use std::path::Path;

#[derive(Subcommand, Debug)]
pub enum OrdAccountCommand {
    /// Добавить учётную запись ОРД (токен проверяется в ОРД и хранится в системном хранилище ключей)
    Add {
        /// Адрес API ОРД
        #[arg(long)]
        url: String,
        /// Прочитать токен из стандартного ввода (в командной строке он остался бы в истории)
        #[arg(long)]
        token_stdin: bool,
    },
    /// Удалить учётную запись ОРД (акты и договоры остаются)
    Remove,
    /// Показать учётную запись ОРД
    Show,
}

fn report_text(what: &str, r: &CatalogReport) -> String {
    let mut s = format!(
        "{what}: договоров добавлено {}, обновлено {}; статистики добавлено {}, обновлено {}",
        r.contracts_added, r.contracts_updated, r.statistics_added, r.statistics_updated
    );
    if !r.set_aside.is_empty() {
        s.push_str(&format!("\nНе принято ({}):", r.set_aside.len()));
        for a in &r.set_aside {
            s.push_str(&format!("\n  {}: {}", a.item, a.reason));
        }
    }
    if let Some(why) = &r.stopped {
        s.push_str(&format!("\nЧтение остановлено: {why}"));
    }
    s
}

pub fn account(app: &App, c: &OrdAccountCommand, out: &Out) -> Result<i32> {
    match c {
        OrdAccountCommand::Add { url, token_stdin } => {
            if !token_stdin {
                return Err(Error::invalid(
                    "Токен передаётся только через стандартный ввод, чтобы он не остался в истории \
                     команд: qoltanba acts account add --url АДРЕС --token-stdin < файл-с-токеном",
                ));
            }
            let text = super::operator::read_secret("Вставьте токен ОРД и нажмите Enter: ")?;
            let token = Token::new(text.reveal())?;
            let a = runtime().block_on(app.add_ord_account(url, token))?;
            out.show(&a, || {
                format!(
                    "Учётная запись ОРД {} добавлена; токен в системном хранилище ключей",
                    a.url
                )
            });
        }
        OrdAccountCommand::Remove => {
            let had = app.remove_ord_account()?;
            out.show(&had, || {
                if had {
                    "Учётная запись ОРД удалена; акты, договоры и статистика остались".into()
                } else {
                    "Учётной записи ОРД не было".into()
                }
            });
        }
        OrdAccountCommand::Show => {
            let a = app.ord_account()?;
            out.show(&a, || match &a {
                Some(a) => format!("ОРД: {} (токен в системном хранилище ключей)", a.url),
                None => "Учётная запись ОРД не добавлена: акты можно выгрузить \
                         (qoltanba acts export) и загрузить в ОРД вручную"
                    .into(),
            });
        }
    }
    Ok(0)
}

/// Refreshes contracts and statistics from the ORD; exit 1 when some items were set aside.
pub fn sync(app: &App, out: &Out) -> Result<i32> {
    let r = runtime().block_on(app.sync_ord())?;
    out.show(&r, || report_text("Синхронизация с ОРД", &r));
    Ok(i32::from(!r.set_aside.is_empty() || r.stopped.is_some()))
}

/// Imports a CSV file; exit 1 when some lines were refused (the others are kept).
pub fn import(app: &App, file: &Path, statistics: bool, out: &Out) -> Result<i32> {
    let r = if statistics {
        app.import_statistics_csv(file)?
    } else {
        app.import_contracts_csv(file)?
    };
    out.show(&r, || {
        report_text(&format!("Загрузка {}", file.display()), &r)
    });
    Ok(i32::from(!r.set_aside.is_empty()))
}

pub fn export(app: &App, format: &str, file: &Path, out: &Out) -> Result<i32> {
    let n = app.export_acts(ExportFormat::parse(format)?, file)?;
    out.show(&n, || {
        format!(
            "Выгружено актов: {n} в {} — загрузите файл в личном кабинете ОРД",
            file.display()
        )
    });
    Ok(0)
}
