//! Amounts in roubles as people type them: «120 000,50», «120 000.50», «120000», with ordinary,
//! non-breaking or thin spaces between the thousands and a comma or a point before the kopecks.
//! One parser for the window (through the rules and saving) and the CLI, exact to the kopeck: the
//! text is read digit by digit into an integer, never through a float.

use crate::model::Money;

/// The largest amount accepted, in kopecks (a trillion roubles): an act beyond it is a typo, and
/// the limit keeps every sum of allocations far from overflowing.
pub const MAX_KOPECKS: i64 = 100_000_000_000_000;

/// Why a text is not an amount; each has its own message in rules.rs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountRefusal {
    Empty,
    /// Letters or other signs besides digits, spaces and one separator.
    NotANumber,
    /// More than one comma or point («12,3,4»).
    SeveralSeparators,
    /// More than two digits after the separator.
    TooManyDecimals,
    Negative,
    TooLarge,
}

/// Spaces people put between thousands: ordinary, non-breaking, narrow non-breaking, thin.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Reads `text` as roubles and kopecks.
pub fn parse_roubles(text: &str) -> Result<Money, AmountRefusal> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || is_group_space(c));
    if t.is_empty() {
        return Err(AmountRefusal::Empty);
    }
    let (negative, body) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    // «1.000,50»: the separators, not the digits after the first, are what to point at.
    if body.chars().filter(|c| matches!(c, ',' | '.')).count() > 1 {
        return Err(AmountRefusal::SeveralSeparators);
    }
    let mut units: i64 = 0;
    let mut kopecks: Option<(i64, usize)> = None;
    let mut digits = 0usize;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                let d = i64::from(c as u8 - b'0');
                digits += 1;
                match kopecks.as_mut() {
                    Some((k, n)) => {
                        *n += 1;
                        if *n > 2 {
                            return Err(AmountRefusal::TooManyDecimals);
                        }
                        *k = *k * 10 + d;
                    }
                    None => {
                        units = units
                            .checked_mul(10)
                            .and_then(|u| u.checked_add(d))
                            .ok_or(AmountRefusal::TooLarge)?;
                    }
                }
            }
            ',' | '.' => {
                if kopecks.is_some() {
                    return Err(AmountRefusal::SeveralSeparators);
                }
                kopecks = Some((0, 0));
            }
            c if is_group_space(c) && kopecks.is_none() => {}
            _ => return Err(AmountRefusal::NotANumber),
        }
    }
    if digits == 0 {
        return Err(AmountRefusal::NotANumber);
    }
    // «10,5» is ten roubles fifty kopecks.
    let cents = match kopecks {
        Some((k, 1)) => k * 10,
        Some((k, _)) => k,
        None => 0,
    };
    let total = units
        .checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .filter(|v| *v <= MAX_KOPECKS)
        .ok_or(AmountRefusal::TooLarge)?;
    if negative && total != 0 {
        return Err(AmountRefusal::Negative);
    }
    Ok(Money(total))
}

/// The amount as the ORD's API writes it («120000.50»), or the text as typed when it is not an
/// amount (the rules then say why, next to the field).
pub fn normalized(text: &str) -> String {
    match parse_roubles(text) {
        Ok(m) => m.to_string(),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmountRefusal::*;

    #[test]
    fn reads_amounts_as_people_type_them() {
        for (typed, kopecks) in [
            ("120 000,50", 12_000_050),
            ("120 000.50", 12_000_050),
            ("120\u{a0}000,50", 12_000_050),
            ("120\u{202f}000,5", 12_000_050),
            ("  120000 ", 12_000_000),
            ("0,01", 1),
            ("7.", 700),
            ("1 000 000 000 000", MAX_KOPECKS),
        ] {
            assert_eq!(parse_roubles(typed), Ok(Money(kopecks)), "{typed:?}");
        }
        assert_eq!(normalized("120 000,5"), "120000.50");
        assert_eq!(normalized("12,3,4"), "12,3,4");
    }

    #[test]
    fn refuses_what_is_not_an_amount_and_says_why() {
        for (typed, why) in [
            ("", Empty),
            ("   ", Empty),
            ("12,3,4", SeveralSeparators),
            ("1.000,50", SeveralSeparators),
            ("12a", NotANumber),
            ("сто", NotANumber),
            ("1e5", NotANumber),
            (",", NotANumber),
            ("12,345", TooManyDecimals),
            ("0.001", TooManyDecimals),
            ("12,3 4", NotANumber),
            ("-5", Negative),
            ("−5,00", Negative),
            ("1 000 000 000 000,01", TooLarge),
            ("99999999999999999999999", TooLarge),
        ] {
            assert_eq!(parse_roubles(typed), Err(why), "{typed:?}");
        }
    }
}
