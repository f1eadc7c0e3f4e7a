//! The `qoltanba` command line: the same core as the window, for batch work, scripting and
//! support. Exit codes: 0 done, 1 refused, 2 bad usage (more in later parts: 3..7 for signing).

mod acts;
mod acts_ord;
mod card;
mod company;
mod documents;
mod messages;
mod operator;
mod output;
mod register;
mod signing;
mod text_index;
mod trust;

use crate::places::default_data_dir;
use clap::{Parser, Subcommand};
use output::Out;
use qoltanba_core::app::App;
use qoltanba_core::company::Companies;
use qoltanba_core::{Error, OpenOptions, Store};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "qoltanba",
    version,
    about = "Qoltanba — подписание закрывающих документов маркетплейса (NCALayer)",
    long_about = "Qoltanba — подписание закрывающих документов маркетплейса через NCALayer.\nБез команды откроется окно программы (без экрана — эта справка)."
)]
pub struct Cli {
    /// Папка данных (по умолчанию — папка программы в профиле пользователя)
    #[arg(long, global = true, env = "QOLTANBA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Компания (имя или код; по умолчанию — компания по умолчанию: qoltanba company list)
    #[arg(long, global = true, env = "QOLTANBA_COMPANY")]
    pub company: Option<String>,
    /// Печатать результат в JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// Язык сообщений: ru, kk, en
    #[arg(long, global = true, default_value = "ru", env = "QOLTANBA_LANG")]
    pub lang: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Импортировать скачанные файлы (PDF, XML, подписи .cms/.p7s рядом с ними) или папки
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Список документов
    List(documents::ListArgs),
    /// Показать документ
    Show { id: i64 },
    /// Принять документ
    Accept { id: i64 },
    /// Отклонить документ с причиной
    Reject {
        id: i64,
        /// Причина отклонения (1–5000 символов)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Исправить распознанные реквизиты документа
    Edit(documents::EditArgs),
    /// История изменений документа
    History { id: i64 },
    /// Проверить целостность всей истории изменений
    VerifyHistory,
    /// Выгрузить документ, его подписи и историю в папку
    Export {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Реестр документов для бухгалтерии за период: XLSX или CSV (номер, дата, контрагент,
    /// суммы, статус, решение, подпись, отправка, SHA-256)
    ExportList(register::RegisterArgs),
    /// Карточка электронного документа (PDF): реквизиты, подписи и их проверка, история, QR
    /// хеша файла; без номера — карточки за период одним PDF
    Card(card::CardArgs),
    /// NCALayer: состояние, доверие к сертификату, сведения о ключе
    #[command(subcommand)]
    Ncalayer(signing::NcaLayerCommand),
    /// Подписать решения по документам через NCALayer
    Sign(signing::SignArgs),
    /// Подписать файлы через NCALayer (FILE.p7s, DER)
    SignFile(signing::SignFileArgs),
    /// Проверить подписи: FILE SIG (открепленная CMS) или SIGNED (CMS с документом, XML);
    /// отзыв — по спискам CRL из сертификатов (загружаются и сохраняются; --offline — без загрузки)
    Verify(signing::VerifyArgs),
    /// Доверенные сертификаты УЦ для проверки цепочек подписей
    #[command(subcommand)]
    Trust(trust::TrustCommand),
    /// Учётная запись оператора ЭДО (токен хранится в системном хранилище ключей)
    #[command(subcommand)]
    Account(operator::AccountCommand),
    /// Получить новые и изменившиеся документы от оператора
    Sync(operator::SyncArgs),
    /// Очередь отправки решений оператору (--send — отправить)
    Outbox(operator::OutboxArgs),
    /// Открыть документ по ссылке из письма с кодом авторизации
    OpenLink(operator::OpenLinkArgs),
    /// Акты для ЕРИР (реклама, Россия): список, создание по документу, проверка, отправка, сроки
    #[command(subcommand)]
    Acts(acts::ActsCommand),
    /// Компании (продавцы) на этом компьютере: список с ожидающими документами, добавление,
    /// удаление, выбор компании по умолчанию
    #[command(subcommand)]
    Company(company::CompanyCommand),
    /// Демо: окно программы с тестовым оператором и подписанием без NCALayer (временный профиль)
    Demo,
    /// Показать или изменить настройку
    Settings {
        key: Option<String>,
        value: Option<String>,
    },
}

/// The data folder: the first company's store, the list of companies and their folders.
pub fn data_root(cli: &Cli) -> PathBuf {
    cli.data_dir.clone().unwrap_or_else(default_data_dir)
}

/// The folder of the company `--company` names (the default one without it), as it is.
pub fn company_folder(cli: &Cli) -> Result<PathBuf, Error> {
    let companies = Companies::at(&data_root(cli));
    let company = companies.pick(cli.company.as_deref())?;
    Ok(companies.dir(&company))
}

/// The folder of the company the command works on (`--company`, or the default one), held
/// until the command ends (nothing removes it meanwhile).
pub fn company_dir(cli: &Cli) -> Result<PathBuf, Error> {
    static HELD: std::sync::Mutex<Vec<qoltanba_core::company::Hold>> =
        std::sync::Mutex::new(Vec::new());
    let dir = company_folder(cli)?;
    let held = qoltanba_core::company::hold(&dir)?;
    HELD.lock().unwrap_or_else(|e| e.into_inner()).push(held);
    Ok(dir)
}

pub fn open_store(cli: &Cli) -> Result<Store, Error> {
    Store::open(&company_dir(cli)?, OpenOptions::default())
}

/// Runs the CLI on what `route` parsed and returns the process exit code.
pub fn run(parsed: Result<Cli, clap::Error>) -> i32 {
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let Some(lang) = qoltanba_core::model::Lang::parse(&cli.lang) else {
        eprintln!("error: --lang takes ru, kk or en");
        return 2;
    };
    let out = Out {
        json: cli.json,
        lang,
    };
    let Some(command) = &cli.command else {
        use clap::CommandFactory;
        let _ = Cli::command().print_help();
        return 0;
    };
    match dispatch(&cli, command, &out) {
        Ok(code) => code,
        Err(e) => out.fail(&e),
    }
}

/// Runs a command; returns the exit code of a command that succeeded (0, or a verdict). The
/// use-cases the window has too go through the core's `App`; the rest hold the store alone.
fn dispatch(cli: &Cli, command: &Command, out: &Out) -> Result<i32, Error> {
    match command {
        Command::Verify(args) => return signing::verify(cli, args, out),
        Command::Company(c) => return company::run(cli, c, out),
        Command::Demo => {
            return Err(Error::invalid(
                "qoltanba demo запускается без других параметров",
            ))
        }
        _ => {}
    }
    let app = App::new(open_store(cli)?)?;
    let done = match command {
        Command::Import { paths } => return documents::import(&app, paths, out),
        Command::Outbox(a) => return operator::outbox(&app, a, out),
        Command::Acts(c) => return acts::run(&app, c, out),
        Command::ExportList(a) => return register::documents(&app, a, out),
        Command::Card(a) => return card::run(&app, a, out),
        Command::Sign(a) => Some(signing::sign(&app, a, out)),
        Command::Account(c) => Some(operator::account(&app, c, out)),
        Command::Sync(a) => Some(operator::sync(&app, a, out)),
        Command::OpenLink(a) => Some(operator::open_link(&app, a, out)),
        _ => None,
    };
    if let Some(done) = done {
        return done.map(|()| 0);
    }
    let shared = app.store();
    let mut guard = shared.lock();
    let store: &mut Store = &mut guard;
    match command {
        Command::Trust(c) => trust::command(store, c, out)?,
        Command::Ncalayer(c) => signing::ncalayer_command(store, c, out)?,
        Command::SignFile(a) => signing::sign_file(store, a, out)?,
        Command::List(a) => return documents::list(store, a, out),
        Command::Show { id } => return documents::show(store, *id, out),
        Command::Accept { id } => return documents::accept(store, *id, out),
        Command::Reject { id, reason } => {
            return documents::reject(store, *id, reason.as_deref(), out)
        }
        Command::Edit(a) => return documents::edit(store, a, out),
        Command::History { id } => return documents::history(store, *id, out),
        Command::VerifyHistory => return documents::verify_history(store, out),
        Command::Export { id, out: dir } => return documents::export(store, *id, dir, out),
        Command::Settings { key, value } => {
            return documents::settings(store, key.as_deref(), value.as_deref(), out)
        }
        _ => unreachable!("taken above"),
    }
    Ok(0)
}
