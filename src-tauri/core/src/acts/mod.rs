//! Advertising acts for Russia's unified register of internet advertising (ERIR), sent through
//! the ad-data operator (ORD): the act and its allocation to initial contracts, the rules it must
//! meet (the same on the client and the reference operator), statistics and their deadlines,
//! prefill from a signed closing document, history, deletion requests (an e-mail to the ORD's
//! support), submission and resubmission of a changed accepted act.
//! Acts are in roubles with Russian VAT (rates by date in settings); see RULES.md.

mod account;
mod act;
pub mod amount;
mod awaiting;
pub mod catalog;
mod contract_entry;
mod contracts;
pub mod csv;
pub mod deadline;
mod deletion;
mod ord;
mod prefill;
pub mod register;
pub mod rules;
mod saved;
pub mod split;
mod statistics;
mod statistics_entry;
pub mod vat;

pub use account::{
    check_ord_account, missing as ord_account_missing, ord_account, ord_client, remove_ord_account,
    save_ord_account, OrdAccount,
};
pub use act::{ActDraft, AllocationDraft, Role};
pub use awaiting::{ActReminder, ACT_KINDS};
pub use catalog::{Budget, CatalogReport, CatalogSource, SetAside};
pub use contract_entry::ContractEntry;
pub use contracts::{Contract, ContractBook, ContractKind, Merged};
pub use deadline::DeadlineState;
pub use deletion::{
    letter as deletion_letter, open_in_mail_program, DeletionLetter, DeletionRequest,
    ORD_SUPPORT_EMAIL,
};
pub use ord::{HttpOrd, Ord, RegisterAnswer};
pub use prefill::Prefilled;
pub use rules::{validate, RuleContext, Violation};
pub use saved::{Act, ActId, RegisterError};
pub use statistics::{DeadlineLine, NewStatistics, StatisticsLine, StatisticsRecord};
pub use statistics_entry::{violations as check_statistics, StatisticsEntry};
pub use vat::{gross, VatRate, VatTable};
