//! Size limits on what the operator sends, so a hostile or broken server cannot make the client
//! buffer a gigabyte.

/// Largest JSON reply accepted (a page of 500 documents with signatures fits with room).
pub const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// Largest problem+json body read for an error message.
pub const MAX_PROBLEM_BYTES: u64 = 64 * 1024;
/// Documents fetched at once while syncing.
pub const DEFAULT_PARALLEL_DOWNLOADS: usize = 8;
