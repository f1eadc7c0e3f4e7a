//! The IPC contract in TypeScript: ui/src/api/generated.ts is made from the Rust types of every
//! command's arguments and result and every event's payload (ts-rs derives beside serde, so the
//! field names and enum codes are the ones serde sends). The test below fails when the file no
//! longer matches the Rust types; after changing one of them:
//! `QOLTANBA_WRITE_CONTRACT=1 cargo test -p qoltanba --lib contract`.

use std::collections::BTreeMap;
use ts_rs::{Config, TypeVisitor, TS};

use crate::app::OpenLink;
use crate::commands::companies::CompanyList;
use crate::commands::events::Connectivity;
use crate::commands::import::FilesDropped;
use crate::commands::sync::{OpenedDocument, SharedLinkInput};
use crate::error::IpcError;
use crate::text_indexer::TextIndexed;
use crate::updates::{FoundUpdate, UpdateSupport};
use qoltanba_core::acts::{
    ActDraft, ActReminder, CatalogReport, Contract, ContractEntry, DeadlineLine, OrdAccount,
    Prefilled, StatisticsEntry, StatisticsRecord, Violation,
};
use qoltanba_core::app::acts::{ActDeadline, ActDetail, ActRow, DeletionOutcome};
use qoltanba_core::app::diagnostics::{CheckTarget, ConnectionCheck, Diagnostics};
use qoltanba_core::app::documents::{
    ChainCheck, DocumentDetail, DocumentPage, ListQuery, Selection,
};
use qoltanba_core::app::import::DemoLoaded;
use qoltanba_core::app::settings::{AccountInput, SettingsPatch, SettingsView as Settings};
use qoltanba_core::app::signing::{SignProgress, SignResult, SigningService};
use qoltanba_core::app::sync::{OutboxEntry, SyncStatus};
use qoltanba_core::import::ImportOutcome;
use qoltanba_core::model::{DocumentKind, Lang};
use qoltanba_core::operator::SyncProgress;
use qoltanba_core::operator::{OutboxReport, SyncReport};
use qoltanba_core::register::{RegisterFormat, RegisterWritten};
use qoltanba_core::store::history::HistoryEntry;
use qoltanba_core::store::search::{SortKey, Tab};
use qoltanba_core::store::{Notification, WaitingDocument};
use qoltanba_core::ErrorCode;

/// Every declaration, by name, with those of the types it refers to.
struct Declarations {
    cfg: Config,
    by_name: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>();
    }
}

impl Declarations {
    fn add<T: TS + 'static + ?Sized>(&mut self) {
        // Built-in types (numbers, strings, arrays, maps) have no declaration of their own.
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.cfg);
        if self.by_name.contains_key(&name) {
            return;
        }
        let decl = T::decl(&self.cfg);
        let docs = T::docs().unwrap_or_default();
        self.by_name.insert(name, format!("{docs}export {decl}"));
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// The whole generated file.
pub fn typescript() -> String {
    // IDs and counts are JavaScript numbers on the wire (serde_json writes them as such).
    let mut d = Declarations {
        cfg: Config::new().with_large_int("number"),
        by_name: BTreeMap::new(),
    };
    // Command results and arguments (src-tauri/commands/*).
    d.add::<DocumentPage>();
    d.add::<ListQuery>();
    d.add::<Selection>();
    d.add::<DocumentDetail>();
    d.add::<HistoryEntry>();
    d.add::<ChainCheck>();
    d.add::<Notification>();
    d.add::<WaitingDocument>();
    d.add::<ImportOutcome>();
    d.add::<DemoLoaded>();
    d.add::<RegisterFormat>();
    d.add::<RegisterWritten>();
    d.add::<Settings>();
    d.add::<SettingsPatch>();
    d.add::<AccountInput>();
    d.add::<SigningService>();
    d.add::<SignResult>();
    d.add::<SyncReport>();
    d.add::<SyncStatus>();
    d.add::<OutboxEntry>();
    d.add::<OutboxReport>();
    d.add::<qoltanba_core::alerts::AlertTarget>();
    d.add::<SharedLinkInput>();
    d.add::<OpenedDocument>();
    d.add::<CheckTarget>();
    d.add::<ConnectionCheck>();
    d.add::<Diagnostics>();
    d.add::<ActRow>();
    d.add::<ActDeadline>();
    d.add::<ActDetail>();
    d.add::<ActDraft>();
    d.add::<Violation>();
    d.add::<Prefilled>();
    d.add::<Contract>();
    d.add::<ContractEntry>();
    d.add::<StatisticsEntry>();
    d.add::<DeadlineLine>();
    d.add::<StatisticsRecord>();
    d.add::<DeletionOutcome>();
    d.add::<OrdAccount>();
    d.add::<CatalogReport>();
    d.add::<ActReminder>();
    d.add::<CompanyList>();
    d.add::<qoltanba_core::company::RemovalPlan>();
    d.add::<qoltanba_core::company::Removed>();
    d.add::<UpdateSupport>();
    d.add::<FoundUpdate>();
    d.add::<IpcError>();
    // Values the page names itself (tabs, sort keys, kinds, languages, error codes).
    d.add::<Tab>();
    d.add::<SortKey>();
    d.add::<DocumentKind>();
    d.add::<Lang>();
    d.add::<ErrorCode>();
    // Event payloads.
    d.add::<SignProgress>();
    d.add::<SyncProgress>();
    d.add::<Connectivity>();
    d.add::<OpenLink>();
    d.add::<FilesDropped>();
    d.add::<TextIndexed>();

    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/contract.rs: do not edit by hand.\n\
         // After changing a type: QOLTANBA_WRITE_CONTRACT=1 cargo test -p qoltanba --lib contract\n",
    );
    for decl in d.by_name.values() {
        out.push('\n');
        out.push_str(decl.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn generated_file() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/api/generated.ts")
    }

    #[test]
    fn the_ui_s_typescript_contract_matches_the_rust_types() {
        let want = super::typescript();
        let path = generated_file();
        if std::env::var_os("QOLTANBA_WRITE_CONTRACT").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            let first = have
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
            panic!(
                "{} does not match the Rust types (first difference at line {}: {:?} should be {:?}).\n\
                 Regenerate it: QOLTANBA_WRITE_CONTRACT=1 cargo test -p qoltanba --lib contract\n\
                 then make the UI type-check (cd ui && npm run check).",
                path.display(),
                first + 1,
                have.lines().nth(first).unwrap_or(""),
                want.lines().nth(first).unwrap_or(""),
            );
        }
    }

    #[test]
    fn the_contract_names_what_the_page_reads() {
        let ts = super::typescript();
        // Field names as serde sends them, enum codes as the core writes them.
        for needle in [
            "export type DocumentDetail = {",
            "allowedActions: Array<'accept' | 'reject' | 'sign'",
            "export type Verdict = {",
            "subIndication: SubIndication | null",
            "signer: SignerIdentity | null",
            "export type SignOutcome = {",
            "\"TOTAL_PASSED\"",
            "\"not_found\"",
            "export type SignProgress = {",
            "export type Connectivity = { online: boolean, }",
            "amount: Money | null",
            "export type Money = string;",
            "tab?: Tab",
        ] {
            assert!(ts.contains(needle), "{needle} missing from:\n{ts}");
        }
        // Nothing left untyped where a type is known.
        assert!(!ts.contains("JsonValue"), "{ts}");
    }
}
