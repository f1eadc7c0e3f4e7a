//! PDF checks and text extraction at import (lopdf: a maintained pure-Rust PDF reader).

use crate::error::{Error, ErrorCode, Result};

/// Checks that the bytes are a whole PDF and returns its text (for search and recognition).
/// A PDF that parses but has no extractable text yields an empty string.
pub fn extract_text(bytes: &[u8]) -> Result<String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "Файл не является PDF",
        ));
    }
    // A download cut short loses its trailer; lopdf may still recover objects from such a file,
    // so the end marker is checked first.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(truncated());
    }
    // lopdf can panic on hostile input; a panic here must not take the program down.
    let parsed = std::panic::catch_unwind(|| lopdf::Document::load_mem(bytes));
    let doc = match parsed {
        Ok(Ok(d)) => d,
        _ => return Err(truncated()),
    };
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "В PDF нет ни одной страницы",
        ));
    }
    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_text(&pages)))
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or_default();
    Ok(text)
}

fn truncated() -> Error {
    Error::new(
        ErrorCode::UnsupportedFile,
        "PDF повреждён или загружен не полностью; скачайте документ заново",
    )
}
