//! CSV in and out of the acts section. In: contracts and statistics typed in a spreadsheet, for
//! when the ORD's account is not set up (or not everything is registered there yet): each line
//! becomes the ORD's own JSON shape and passes the same checks as a sync; a refused line is
//! reported with its number and reason, and the others are kept. Out: the acts for upload by hand.
//! Columns are found by header name (English as in the API, or Russian), in any order; `;` (what
//! Excel writes in Russian locales) or `,` separate them.

use super::catalog::{parse_contract, parse_statistics, CatalogReport, SetAside};
use crate::error::{Error, Result};
use crate::store::Store;
use serde_json::{json, Map, Value};

/// Largest CSV file read, and most lines: past them the file is refused whole, nothing kept.
pub const MAX_CSV_BYTES: usize = 8 * 1024 * 1024;
pub const MAX_CSV_LINES: usize = 50_000;

/// Contract columns: the API's path of each, and the names a person may give it.
const CONTRACT_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "ord_id", "идентификатор"]),
    ("number", &["number", "номер"]),
    ("date", &["date", "дата"]),
    ("kind", &["kind", "вид"]),
    (
        "parentId",
        &[
            "parent_id",
            "parentid",
            "parent",
            "договор доп. соглашения",
            "основной договор",
        ],
    ),
    ("customer.name", &["customer_name", "customer", "заказчик"]),
    ("customer.inn", &["customer_inn", "инн заказчика"]),
    ("customer.role", &["customer_role", "роль заказчика"]),
    (
        "executor.name",
        &["executor_name", "executor", "исполнитель"],
    ),
    ("executor.inn", &["executor_inn", "инн исполнителя"]),
    ("executor.role", &["executor_role", "роль исполнителя"]),
];

const STATISTICS_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "идентификатор"]),
    (
        "creativeMarker",
        &[
            "creative_marker",
            "creativemarker",
            "creative",
            "erid",
            "маркер",
            "креатив",
        ],
    ),
    ("platform", &["platform", "площадка"]),
    ("impressions", &["impressions", "показы"]),
    ("amount", &["amount", "сумма"]),
    (
        "firstImpressionDate",
        &[
            "first_impression_date",
            "firstimpressiondate",
            "first_shown",
            "дата первого показа",
        ],
    ),
    (
        "initialContractId",
        &[
            "initial_contract_id",
            "initialcontractid",
            "initial_contract",
            "изначальный договор",
        ],
    ),
];

fn norm(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_lowercase()
}

/// Each line as the ORD's JSON object, with its line number; or the file refused whole.
fn rows(bytes: &[u8], columns: &[(&str, &[&str])]) -> Result<Vec<(usize, Value)>> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(Error::invalid(format!(
            "Файл CSV больше {} МБ: разделите его на части. Ничего не загружено",
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Error::invalid("Файл CSV не в UTF-8: сохраните его как «CSV UTF-8». Ничего не загружено")
    })?;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid(format!("Заголовок CSV не прочитан: {e}")))?
        .iter()
        .map(norm)
        .collect();
    let mut index: Vec<(&str, usize)> = Vec::new();
    for (path, names) in columns {
        if let Some(i) = headers.iter().position(|h| names.contains(&h.as_str())) {
            index.push((path, i));
        }
    }
    if index.is_empty() {
        let expected: Vec<&str> = columns.iter().map(|(_, n)| n[0]).collect();
        return Err(Error::invalid(format!(
            "В первой строке CSV нет ни одной известной колонки; ожидаются: {}. Ничего не загружено",
            expected.join(", ")
        )));
    }
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        // Line 1 is the header.
        let line = n + 2;
        if n >= MAX_CSV_LINES {
            return Err(Error::invalid(format!(
                "В файле CSV больше {MAX_CSV_LINES} строк: разделите его на части. Ничего не загружено"
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push((
                    line,
                    json!({"__error": format!("строка не разобрана: {e}")}),
                ));
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut object = Map::new();
        for (path, i) in &index {
            let cell = record.get(*i).unwrap_or_default().trim();
            match path.split_once('.') {
                Some((outer, inner)) => {
                    let o = object.entry(outer).or_insert_with(|| json!({}));
                    o[inner] = json!(cell);
                }
                None => {
                    object.insert((*path).into(), json!(cell));
                }
            }
        }
        out.push((line, Value::Object(object)));
    }
    Ok(out)
}

fn refused(list: &str, line: usize, reason: String) -> SetAside {
    SetAside {
        list: list.into(),
        item: format!("строка {line}"),
        reason,
    }
}

/// Imports contracts from CSV: the good lines are merged (a number already known is brought up
/// to date), each refused line is reported. A file refused whole changes nothing.
pub fn import_contracts(store: &mut Store, bytes: &[u8]) -> Result<CatalogReport> {
    let mut report = CatalogReport::default();
    let mut kept = Vec::new();
    for (line, v) in rows(bytes, CONTRACT_COLUMNS)? {
        match v["__error"].as_str() {
            Some(e) => report.set_aside.push(refused("contracts", line, e.into())),
            None => match parse_contract(&v, false) {
                Ok(c) => kept.push(c),
                Err(reason) => report.set_aside.push(refused("contracts", line, reason)),
            },
        }
    }
    let merged = store.merge_contracts(&kept, "csv")?;
    report.contracts_added = merged.added;
    report.contracts_updated = merged.updated;
    Ok(report)
}

/// Imports statistics from CSV, as [`import_contracts`] does contracts.
pub fn import_statistics(store: &mut Store, bytes: &[u8]) -> Result<CatalogReport> {
    let mut report = CatalogReport::default();
    let mut kept = Vec::new();
    for (line, v) in rows(bytes, STATISTICS_COLUMNS)? {
        match v["__error"].as_str() {
            Some(e) => report.set_aside.push(refused("statistics", line, e.into())),
            None => match parse_statistics(&v, false) {
                Ok(s) => kept.push(s),
                Err(reason) => report.set_aside.push(refused("statistics", line, reason)),
            },
        }
    }
    let merged = store.merge_statistics(&kept, "csv")?;
    report.statistics_added = merged.added;
    report.statistics_updated = merged.updated;
    Ok(report)
}

/// How the acts are written for upload by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// An array of the bodies `PUT /ord/acts/{externalId}` takes, each with its `externalId` and
    /// `registerStatus`.
    Json,
    /// One line per allocation line (an act without allocations: one line), `;`-separated, UTF-8
    /// with a BOM so that Excel reads the Cyrillic.
    Csv,
}

impl ExportFormat {
    /// The save dialog's filter: its name and the file's extension.
    pub fn file_filter(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Json => ("JSON", "json"),
            ExportFormat::Csv => ("CSV", "csv"),
        }
    }

    pub fn parse(text: &str) -> Result<ExportFormat> {
        match text.trim().to_lowercase().as_str() {
            "json" => Ok(ExportFormat::Json),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::invalid(format!(
                "Формат «{}» не поддерживается: json или csv",
                other.chars().take(20).collect::<String>()
            ))),
        }
    }
}

const EXPORT_HEADER: [&str; 17] = [
    "externalId",
    "number",
    "date",
    "contract",
    "customerRole",
    "executorRole",
    "periodFrom",
    "periodTo",
    "amount",
    "vatIncluded",
    "registerStatus",
    "line",
    "initialContract",
    "lineAmount",
    "lineVatIncluded",
    "statistics",
    "erids",
];

/// Every act with its linked statistics, as `format` says. Needs no ORD account.
pub fn export_acts(store: &Store, format: ExportFormat) -> Result<Vec<u8>> {
    let acts = store.acts()?;
    match format {
        ExportFormat::Json => {
            let mut all = Vec::new();
            for act in &acts {
                let mut body = super::register::wire_body(store, act)?;
                body["externalId"] = json!(act.external_id);
                body["registerStatus"] = json!(act.register_status);
                all.push(body);
            }
            Ok(serde_json::to_vec_pretty(&all).expect("JSON values serialise"))
        }
        ExportFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(Vec::new());
            let fail = |e: csv::Error| Error::invalid(format!("CSV не записан: {e}"));
            w.write_record(EXPORT_HEADER).map_err(fail)?;
            for act in &acts {
                let d = &act.draft;
                let head = [
                    act.external_id.clone(),
                    d.number.clone(),
                    d.date.clone(),
                    d.contract.clone(),
                    d.customer_role.clone(),
                    d.executor_role.clone(),
                    d.period_from.clone(),
                    d.period_to.clone(),
                    d.amount.clone(),
                    d.vat_included.to_string(),
                    act.register_status.clone(),
                ];
                if d.allocations.is_empty() {
                    let mut r = head.to_vec();
                    r.extend(std::iter::repeat_n(String::new(), 6));
                    w.write_record(&r).map_err(fail)?;
                }
                for (i, line) in d.allocations.iter().enumerate() {
                    let linked = store.allocation_statistics(act.id, i)?;
                    let ids: Vec<String> = if linked.is_empty() {
                        line.statistics.clone()
                    } else {
                        linked.iter().map(|s| s.id.clone()).collect()
                    };
                    let erids: Vec<&str> = linked.iter().map(|s| s.creative.as_str()).collect();
                    let mut r = head.to_vec();
                    r.extend([
                        (i + 1).to_string(),
                        line.initial_contract.clone(),
                        line.amount.clone(),
                        line.vat_included.to_string(),
                        ids.join(" "),
                        erids.join(" "),
                    ]);
                    w.write_record(&r).map_err(fail)?;
                }
            }
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend(
                w.into_inner()
                    .map_err(|e| Error::invalid(format!("CSV: {e}")))?,
            );
            Ok(out)
        }
    }
}
