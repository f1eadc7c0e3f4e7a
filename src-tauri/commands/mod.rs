//! The window's IPC commands, by domain. Each one unpacks its arguments, calls qoltanba-core and
//! maps the error to `{code, message, retryable}` (crate::error). Argument names reach
//! JavaScript in camelCase (`invoke("get_document", { id })`).

pub mod acts;
pub mod acts_ord;
pub mod card;
pub mod companies;
pub mod diagnostics;
mod dialogs;
pub mod documents;
pub mod events;
pub mod import;
pub mod printing;
pub mod register;
pub mod settings;
pub mod signing;
pub mod sync;
pub mod updates;

#[cfg(test)]
mod responsive;
#[cfg(test)]
pub(crate) mod testkit;
