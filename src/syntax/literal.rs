//! Reading literal text (numbers, money, dates, periods, durations, strings) into values.
//! The grammar has already checked the shape of the text; these only convert it.

use rust_decimal::Decimal;

/// The names of the months, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

use super::ast::{CurrencySymbol, DateLit, Duration, Money, PeriodLit, TimeUnit};

/// Why a literal whose shape is right still cannot be represented.
#[derive(Debug, PartialEq, Eq)]
pub enum LiteralError {
    TooLarge,
    TooPrecise,
    BadEscape,
}

/// The leading number of a value as written, such as `85` in `85% from year 2` or `5000` in
/// `£5,000`; `None` when the text holds no number.
pub fn leading_number(written: &str) -> Option<Decimal> {
    let start = written.find(|c: char| c.is_ascii_digit() || c == '-')?;
    let digits: String = written[start..]
        .chars()
        .enumerate()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || *c == ',' || (*i == 0 && *c == '-'))
        .map(|(_, c)| c)
        .filter(|c| *c != ',')
        .collect();
    digits.trim_end_matches('.').parse().ok()
}

/// The largest size of number obc reads, in contracts and in data: a million million. Any
/// product of a few such numbers (a price per person times a population times years) still
/// fits the 28 digits obc calculates with exactly, so no sum can overflow.
pub const LARGEST_NUMBER: i64 = 1_000_000_000_000;

/// Whether a number is small enough for obc to calculate with (see [`LARGEST_NUMBER`]).
pub fn within_range(number: Decimal) -> bool {
    number.abs() <= Decimal::from(LARGEST_NUMBER)
}

/// `-1,234.50` -> -1234.50, exactly.
pub fn number(text: &str) -> Result<Decimal, LiteralError> {
    let digits: String = text.chars().filter(|&c| c != ',').collect();
    let parsed = Decimal::from_str_exact(&digits).map_err(|_| {
        let whole = digits
            .split('.')
            .next()
            .unwrap_or_default()
            .trim_start_matches(['-', '0']);
        if whole.len() <= 28 {
            LiteralError::TooPrecise
        } else {
            LiteralError::TooLarge
        }
    })?;
    if within_range(parsed) {
        Ok(parsed)
    } else {
        Err(LiteralError::TooLarge)
    }
}

/// `85.5%` -> 85.5.
pub fn percent(text: &str) -> Result<Decimal, LiteralError> {
    number(text.trim_end_matches('%'))
}

/// `£1,200.50` -> pounds 1200.50.
pub fn money(text: &str) -> Result<Money, LiteralError> {
    let mut chars = text.chars();
    let currency = match chars.next() {
        Some('$') => CurrencySymbol::Dollar,
        Some('€') => CurrencySymbol::Euro,
        _ => CurrencySymbol::Pound,
    };
    Ok(Money {
        currency,
        amount: number(chars.as_str())?,
    })
}

/// A whole number such as a size or a count of days.
pub fn whole(text: &str) -> Result<u32, LiteralError> {
    let digits: String = text.chars().filter(|&c| c != ',').collect();
    digits.parse().map_err(|_| LiteralError::TooLarge)
}

/// `2016-04-01`; whether the date exists is checked later.
pub fn date(text: &str) -> DateLit {
    let field = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|s| s.parse::<i16>().ok())
            .unwrap_or(0)
    };
    DateLit {
        year: field(0..4),
        month: field(5..7) as i8,
        day: field(8..10) as i8,
    }
}

pub fn time_unit(text: &str) -> TimeUnit {
    match text.trim_end_matches('s') {
        "day" => TimeUnit::Day,
        "week" => TimeUnit::Week,
        "month" => TimeUnit::Month,
        _ => TimeUnit::Year,
    }
}

/// `91 days`.
pub fn duration(count: &str, unit: &str) -> Result<Duration, LiteralError> {
    Ok(Duration {
        count: whole(count)?,
        unit: time_unit(unit),
    })
}

fn digits_at(text: &str, range: std::ops::Range<usize>) -> u16 {
    text.get(range).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// The four period forms written as one word or two: `2016-04`, `2016-Q2`, `2016/17`, `2016/17 Q1`.
pub fn period_word(rule_text: &str, kind: PeriodWord) -> PeriodLit {
    let year = digits_at(rule_text, 0..4) as i16;
    match kind {
        PeriodWord::Month => PeriodLit::Month {
            year,
            month: digits_at(rule_text, 5..7) as u8,
        },
        PeriodWord::CalendarQuarter => PeriodLit::CalendarQuarter {
            year,
            quarter: digits_at(rule_text, 6..7) as u8,
        },
        PeriodWord::FiscalYear => PeriodLit::FiscalYear {
            start: year,
            end: digits_at(rule_text, 5..7) as u8,
        },
        PeriodWord::FiscalQuarter => {
            let quarter = rule_text
                .trim_end()
                .chars()
                .last()
                .and_then(|c| c.to_digit(10))
                .unwrap_or(0) as u8;
            PeriodLit::FiscalQuarter {
                start: year,
                end: digits_at(rule_text, 5..7) as u8,
                quarter,
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum PeriodWord {
    Month,
    CalendarQuarter,
    FiscalYear,
    FiscalQuarter,
}

/// The body of a string literal with its escapes resolved.
pub fn string(body: &str) -> Result<String, LiteralError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                let ch = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(LiteralError::BadEscape)?;
                out.push(ch);
            }
            Some(other) => out.push(other),
            None => return Err(LiteralError::BadEscape),
        }
    }
    Ok(out)
}

/// The month number of `April` and the like.
pub fn month_number(name: &str) -> u8 {
    MONTH_NAMES
        .iter()
        .position(|m| *m == name)
        .map(|i| i as u8 + 1)
        .unwrap_or(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn numbers_keep_every_digit() {
        assert_eq!(number("1,200.50"), Ok(Decimal::new(120050, 2)));
        assert_eq!(number("-0.125"), Ok(Decimal::new(-125, 3)));
        assert_eq!(percent("12.5%"), Ok(Decimal::new(125, 1)));
        assert_eq!(
            number("99999999999999999999999999999999"),
            Err(LiteralError::TooLarge)
        );
        assert_eq!(
            number("1,000,000,000,000"),
            Ok(Decimal::from(LARGEST_NUMBER))
        );
        assert_eq!(number("-1,000,000,000,001"), Err(LiteralError::TooLarge));
    }

    #[test]
    fn strings_resolve_escapes() {
        assert_eq!(string(r#"a\"b\\c\n\u{e9}"#), Ok("a\"b\\c\né".to_string()));
        assert_eq!(string(r"\u{d800}"), Err(LiteralError::BadEscape));
    }

    #[test]
    fn money_reads_the_symbol() {
        assert_eq!(money("€5").map(|m| m.currency), Ok(CurrencySymbol::Euro));
        assert_eq!(
            money("£76,000,000").map(|m| m.amount),
            Ok(Decimal::from(76_000_000))
        );
    }

    #[test]
    fn leading_numbers_are_read_from_written_values() {
        assert_eq!(leading_number("85% from year 2"), Some(Decimal::from(85)));
        assert_eq!(leading_number("£5,000."), Some(Decimal::from(5000)));
        assert_eq!(leading_number("-2.5 days"), Some(Decimal::new(-25, 1)));
        assert_eq!(leading_number("no number"), None);
    }
}
