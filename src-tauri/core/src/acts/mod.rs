//! Advertising acts for Russia's unified register of internet advertising (ERIR), sent through
//! the ad-data operator (ORD): the act and its allocation to initial contracts, the rules it must
//! meet (the same on the client and the reference operator), statistics and their deadlines,
//! prefill from a signed closing document, history, deletion requests (an e-mail to the ORD's
//! support), submission and resubmission of a changed accepted act.
//! Acts are in roubles with Russian VAT (rates by date in settings); see RULES.md.

mod act;
pub mod amount;
mod contracts;
pub mod deadline;
mod deletion;
mod ord;
mod prefill;
pub mod register;
pub mod rules;
mod saved;
mod statistics;
pub mod vat;

pub use act::{ActDraft, AllocationDraft, Role};
pub use contracts::{Contract, ContractBook, ContractKind};
pub use deadline::DeadlineState;
pub use deletion::{
    letter as deletion_letter, open_in_mail_program, DeletionLetter, DeletionRequest,
    ORD_SUPPORT_EMAIL,
};
pub use ord::{HttpOrd, Ord, RegisterAnswer};
pub use prefill::Prefilled;
pub use rules::{validate, RuleContext, Violation};
pub use saved::{Act, ActId, RegisterError};
pub use statistics::{DeadlineLine, NewStatistics, StatisticsRecord};
pub use vat::{gross, VatRate, VatTable};
