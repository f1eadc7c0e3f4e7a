//! Qoltanba's core: everything a user can do, without a window.

pub mod acts;
pub mod alerts;
pub mod app;
pub mod card;
pub mod clock;
pub mod company;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod keychain;
pub mod model;
pub mod ncalayer;
pub mod operator;
pub mod refusal;
pub mod register;
pub mod search_text;
pub mod signature;
pub mod signing;
pub mod store;
pub mod trust;

pub use error::{Error, ErrorCode, Result};
pub use store::{OpenOptions, Store};
