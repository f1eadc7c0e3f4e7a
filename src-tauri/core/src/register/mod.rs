//! The accountant's register: a list of documents (or acts) as a spreadsheet an accountant opens
//! beside the books — XLSX with typed cells and sums, or CSV. The rows are built from the store by
//! `documents` and `acts`; `xlsx` and `csv` only lay out a [`Register`], so both lists and both
//! formats share one shape and one set of limits.

pub mod acts;
mod csv;
pub mod documents;
mod xlsx;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Day, Lang, Money, Timestamp};
use std::io::Write;
use std::path::Path;

/// At most this many rows in one register: a spreadsheet program slows to a crawl well before
/// Excel's own 1,048,576, and a period of one seller's documents is far below it.
pub const MAX_ROWS: usize = 100_000;

/// What a cell holds; the XLSX writer gives each its own cell type (number, date, text).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Money(Money),
    Day(Day),
    Time(Timestamp),
}

/// One column: its heading and whether a total is worth having under it.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// A money column summed in the XLSX's totals (per currency, never mixed).
    pub summed: bool,
}

/// A register ready to be written: the sheet's name, the columns, the rows, and which column
/// holds each row's currency (sums are made per currency).
#[derive(Debug, Clone)]
pub struct Register {
    pub sheet: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub currency_column: Option<usize>,
    pub lang: Lang,
}

/// The file format; CSV with `;` by default (what a spreadsheet program here opens in columns)
/// or `,` on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RegisterFormat {
    Xlsx,
    Csv,
    CsvComma,
}

impl RegisterFormat {
    /// `xlsx` or `csv`, with `comma` choosing `,` for CSV.
    pub fn parse(name: &str, comma: bool) -> Result<RegisterFormat> {
        match (name.trim().to_ascii_lowercase().as_str(), comma) {
            ("xlsx", false) => Ok(RegisterFormat::Xlsx),
            ("xlsx", true) => Err(Error::invalid(
                "--comma относится только к CSV: для XLSX уберите его",
            )),
            ("csv", false) => Ok(RegisterFormat::Csv),
            ("csv", true) => Ok(RegisterFormat::CsvComma),
            (other, _) => Err(Error::invalid(format!(
                "Неизвестный формат «{}»: xlsx или csv",
                other.chars().take(20).collect::<String>()
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            RegisterFormat::Xlsx => "xlsx",
            RegisterFormat::Csv | RegisterFormat::CsvComma => "csv",
        }
    }
}

/// What a written register holds, for the message after it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterWritten {
    pub path: String,
    pub rows: u32,
}

impl Register {
    /// The file's bytes in `format`.
    pub fn to_bytes(&self, format: RegisterFormat) -> Result<Vec<u8>> {
        if self.rows.len() > MAX_ROWS {
            return Err(too_many(self.rows.len()));
        }
        match format {
            RegisterFormat::Xlsx => xlsx::write(self),
            RegisterFormat::Csv => Ok(csv::write(self, b';')),
            RegisterFormat::CsvComma => Ok(csv::write(self, b',')),
        }
    }

    /// Writes the register to `path` whole or not at all (see [`write_whole`]).
    pub fn save(&self, format: RegisterFormat, path: &Path) -> Result<RegisterWritten> {
        let bytes = self.to_bytes(format)?;
        write_whole(path, &bytes, format.extension())?;
        Ok(RegisterWritten {
            path: path.display().to_string(),
            rows: self.rows.len() as u32,
        })
    }
}

/// Writes `bytes` to `path` whole or not at all: they go to a temporary file beside it that
/// then takes its name, so a failure leaves an earlier file as it was. `ext` names the kind of
/// file in the message when `path` is a folder.
pub fn write_whole(path: &Path, bytes: &[u8], ext: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            format!("Не удалось записать {}: {e}", path.display()),
        )
    };
    if path.is_dir() {
        return Err(Error::invalid(format!(
            "{} — папка: укажите имя файла, например file.{ext}",
            path.display()
        )));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

pub(crate) fn too_many(n: usize) -> Error {
    Error::new(
        ErrorCode::FileTooLarge,
        format!(
            "В реестре больше {MAX_ROWS} строк ({n}): выберите период короче или уточните фильтр"
        ),
    )
}

/// A heading in the register's language.
pub(crate) fn tr(lang: Lang, ru: &str, kk: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
    .to_string()
}

pub(crate) fn text(s: Option<&str>) -> Cell {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Cell::Text(s.to_string()),
        None => Cell::Empty,
    }
}

pub(crate) fn day(s: Option<&str>) -> Cell {
    match s.map(Day::parse) {
        Some(Ok(d)) => Cell::Day(d),
        // A date the import could not read stays as the text it was, not a blank.
        Some(Err(_)) => text(s),
        None => Cell::Empty,
    }
}

pub(crate) fn time(s: Option<&str>) -> Cell {
    match s.map(Timestamp::parse) {
        Some(Ok(t)) => Cell::Time(t),
        Some(Err(_)) => text(s),
        None => Cell::Empty,
    }
}
