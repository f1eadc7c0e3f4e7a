//! Import of files the user chose or dropped, and the example documents of the first run.

use super::App;
use crate::error::Result;
use crate::import::{self, ImportOutcome};
use crate::store::Store;
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

impl App {
    /// Imports files and folders, one outcome per file (added, already there, or why not). The
    /// store is taken per batch, never while files are parsed or CRLs downloaded: run it where
    /// blocking is fine (the window: a blocking thread).
    pub fn import(&self, paths: &[PathBuf]) -> Result<Vec<ImportOutcome>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        import::import_paths(&mut self.store(), paths)
    }
}

#[derive(Debug, Serialize, TS)]
pub struct DemoLoaded {
    pub added: usize,
}

/// A month of example closing documents (XML, as an operator sends them), so a first look at the
/// program has something to open. Loading them again adds nothing.
const DEMO: &[(&str, &str)] = &[
    (
        "demo-sales-report.xml",
        "Отчёт о реализации товара|OR-2026-10|2026-10-31|1250000.00",
    ),
    (
        "demo-placement-act.xml",
        "Акт выполненных работ (услуги размещения на платформе)|AR-2026-10-01|2026-10-31|84500.00",
    ),
    (
        "demo-other-services-act.xml",
        "Акт выполненных работ (прочие услуги)|AP-2026-10-02|2026-10-31|12300.00",
    ),
    (
        "demo-points-bonus-act.xml",
        "Акт о бонусе за расчёты баллами|AB-2026-10-03|2026-10-31|5600.00",
    ),
    (
        "demo-reconciliation-act.xml",
        "Акт сверки взаиморасчётов за период|AS-2026-10|2026-10-31|0.00",
    ),
];

fn demo_xml(line: &str) -> String {
    let f: Vec<&str> = line.split('|').collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act><title>{}</title><number>{}</number><date>{}</date>\n\
         <sender>ТОО «Маркетплейс» БИН 201040012345</sender><recipient>ТОО «Продавец» БИН 123456789021</recipient>\n\
         <body>Итого: {} KZT. Пример документа Qoltanba.</body></act>\n",
        f[0], f[1], f[2], f[3]
    )
}

/// Loads the example documents (again: adds nothing).
pub fn load_demo(store: &mut Store) -> Result<DemoLoaded> {
    let mut added = 0;
    for (name, line) in DEMO {
        let i = import::import_bytes(store, name, demo_xml(line).into_bytes(), Vec::new())?;
        if i.new {
            added += 1;
        }
    }
    Ok(DemoLoaded { added })
}
