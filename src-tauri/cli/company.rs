//! `qoltanba company …`: the companies kept in this data folder, through the same core
//! functions as the window's company list.

use super::output::Out;
use super::{data_root, Cli};
use clap::Subcommand;
use qoltanba_core::company::{Companies, CompanyLine};
use qoltanba_core::{Error, ErrorCode, Result};

#[derive(Subcommand, Debug)]
pub enum CompanyCommand {
    /// Все компании и сколько документов в каждой ждут решения и подписи
    List,
    /// Добавить компанию (её данные — в отдельной папке; другие компании не затрагиваются)
    Add { name: String },
    /// Удалить компанию: её документы, историю, настройки и её записи в системном хранилище
    /// ключей (токены оператора и ОРД, ключ истории). Спрашивает подтверждение
    Remove {
        name: String,
        /// Не спрашивать (для скриптов)
        #[arg(long)]
        yes: bool,
    },
    /// Компания по умолчанию: с ней работают команды без --company, её открывает окно
    Default { name: String },
    /// Переименовать компанию
    Rename { name: String, new_name: String },
}

pub fn run(cli: &Cli, c: &CompanyCommand, out: &Out) -> Result<i32> {
    let companies = Companies::at(&data_root(cli));
    match c {
        CompanyCommand::List => {
            let lines = companies.overview()?;
            out.show(&lines, || {
                lines.iter().map(line).collect::<Vec<_>>().join("\n")
            });
        }
        CompanyCommand::Add { name } => {
            let added = companies.add(name)?;
            out.show(&added, || {
                format!(
                    "Компания «{}» добавлена (код {}). Работайте с ней: qoltanba --company \"{}\" …",
                    added.name, added.id, added.name
                )
            });
        }
        CompanyCommand::Remove { name, yes } => {
            let plan = companies.removal_plan(name, None)?;
            let question = format!(
                "Будут удалены компания «{}»: папка {} ({} док.), её токены оператора и ОРД и ключ истории в системном хранилище ключей ({} зап.). Удалить? [y/N] ",
                plan.company.name, plan.folder, plan.documents, plan.keychain_entries
            );
            if !*yes && !super::signing::confirm_on_tty(&question) {
                return Err(Error::new(
                    ErrorCode::UserCancelled,
                    "Компания не удалена: подтвердите удаление (в скрипте — флаг --yes)",
                ));
            }
            let removed = companies.remove(name, None)?;
            out.show(&removed, || {
                format!(
                    "Компания «{}» удалена: папка {}, записей в хранилище ключей: {}",
                    removed.company.name,
                    removed.folder,
                    removed.keychain_entries.len()
                )
            });
        }
        CompanyCommand::Default { name } => {
            let c = companies.set_default(name)?;
            out.show(&c, || format!("Компания по умолчанию: «{}»", c.name));
        }
        CompanyCommand::Rename { name, new_name } => {
            let c = companies.rename(name, new_name)?;
            out.show(&c, || format!("Компания переименована: «{}»", c.name));
        }
    }
    Ok(0)
}

fn line(c: &CompanyLine) -> String {
    let mark = if c.default { "*" } else { " " };
    let counts = match (&c.waiting, &c.problem) {
        (Some(w), _) => format!("ждут решения: {}, подписи: {}", w.decision, w.signature),
        (None, Some(p)) => format!("не прочитана: {p}"),
        (None, None) => String::new(),
    };
    format!("{mark} {} [{}]  {counts}", c.name, c.id)
}
