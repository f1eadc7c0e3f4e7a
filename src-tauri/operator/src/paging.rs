//! `limit` (1..500, default 100) and the opaque `after` cursor of every listing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use crate::problem::Problem;

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub after: Option<String>,
    pub limit: Option<String>,
    pub status: Option<String>,
}

/// A validated page request: rows with a sequence number above `after_seq`, at most `limit`.
pub struct Page {
    pub after_seq: i64,
    pub limit: i64,
}

impl Page {
    pub fn parse(query: &PageQuery) -> Result<Page, Problem> {
        let limit = match &query.limit {
            None => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| Problem::validation(format!("limit must be 1..{MAX_LIMIT}")))?,
        };
        let after_seq = match query.after.as_deref() {
            None | Some("") => 0,
            Some(cursor) => decode(cursor)
                .ok_or_else(|| Problem::validation("after is not a cursor of this server"))?,
        };
        Ok(Page { after_seq, limit })
    }
}

/// Cursors are opaque to clients; the "v1:" tag lets the format change without misreading old ones.
pub fn encode(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{seq}"))
}

pub fn decode(cursor: &str) -> Option<i64> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.strip_prefix("v1:")?
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
}
