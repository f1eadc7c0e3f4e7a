//! Tenge amounts in tiyn (1/100), shown as the API's decimal strings.

/// Kazakh VAT, 12%, included in the amount: VAT = amount × 12 / 112, rounded half up to a tiyn.
pub fn vat_included(amount_tiyn: i64) -> i64 {
    (amount_tiyn * 12 + 56) / 112
}

/// "125000.00"
pub fn decimal(tiyn: i64) -> String {
    let sign = if tiyn < 0 { "-" } else { "" };
    let t = tiyn.abs();
    format!("{sign}{}.{:02}", t / 100, t % 100)
}

/// "1 254 300,00" with non-breaking spaces, as printed on the forms.
pub fn printed(tiyn: i64) -> String {
    let sign = if tiyn < 0 { "-" } else { "" };
    let t = tiyn.abs();
    let whole = (t / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02}", t % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_is_twelve_percent_included() {
        assert_eq!(decimal(vat_included(12_500_000)), "13392.86");
        assert_eq!(decimal(12_500_000), "125000.00");
        assert_eq!(printed(125_430_000), "1\u{a0}254\u{a0}300,00");
        assert_eq!(decimal(-5_000), "-50.00");
    }
}
