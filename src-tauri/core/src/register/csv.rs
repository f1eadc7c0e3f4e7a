//! CSV in UTF-8 with a BOM (so Excel reads Cyrillic right), `;` or `,` between fields, RFC 4180
//! quoting. Numbers are written with a dot and no grouping, dates as `YYYY-MM-DD` and times as
//! `YYYY-MM-DD HH:MM:SS` (UTC), which spreadsheet programs read as numbers and dates.

use super::{Cell, Register};

/// Text that a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, or a tab or CR
/// before one): a counterparty's name comes from outside, and `=HYPERLINK(…)` in it must stay
/// text. An apostrophe in front is what OWASP's CSV-injection advice and Excel itself use.
fn defused(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => defused(s),
        Cell::Money(m) => m.to_string(),
        Cell::Day(d) => d.to_string(),
        Cell::Time(t) => t.utc().format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

fn quoted(s: &str, sep: u8) -> String {
    let needs = s
        .bytes()
        .any(|b| b == sep || b == b'"' || b == b'\n' || b == b'\r');
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn write(r: &Register, sep: u8) -> Vec<u8> {
    let sep_s = (sep as char).to_string();
    let mut out = String::from("\u{feff}");
    let head: Vec<String> = r.columns.iter().map(|c| quoted(&c.title, sep)).collect();
    out.push_str(&head.join(&sep_s));
    out.push_str("\r\n");
    for row in &r.rows {
        let line: Vec<String> = row.iter().map(|c| quoted(&field(c), sep)).collect();
        out.push_str(&line.join(&sep_s));
        out.push_str("\r\n");
    }
    out.into_bytes()
}
