//! The `qoltanba` command line: the same core as the window, for batch work, scripting and
//! support. Exit codes: 0 done, 1 refused, 2 bad usage (more in later parts: 3..7 for signing).

mod acts;
mod documents;
mod messages;
mod operator;
mod output;
mod signing;
mod trust;

use clap::{Parser, Subcommand};
use output::Out;
use qoltanba_core::{Error, OpenOptions, Store};
use std::ffi::OsString;
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
    /// Демо: окно программы с тестовым оператором и подписанием без NCALayer (временный профиль)
    Demo,
    /// Показать или изменить настройку
    Settings {
        key: Option<String>,
        value: Option<String>,
    },
}

/// The OS's per-user data folder for Qoltanba.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("kz", "Qoltanba", "qoltanba")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".qoltanba"))
}

pub fn open_store(cli: &Cli) -> Result<Store, Error> {
    let dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    Store::open(&dir, OpenOptions::default())
}

/// Runs the CLI and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
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
    match documents::dispatch(&cli, command, &out) {
        Ok(code) => code,
        Err(e) => out.fail(&e),
    }
}
