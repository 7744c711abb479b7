//! Units and the words and formats used for values in messages.

use rust_decimal::Decimal;

use crate::syntax::ast::{CurrencyCode, Duration, Measure, TimeUnit, Unit};

/// Why a written value does not fit an indicator's unit.
#[derive(Debug, PartialEq, Eq)]
pub enum UnitProblem {
    /// Written as one kind of value where another is needed: (what was written, how to write it).
    Mismatch {
        written: &'static str,
        example: String,
    },
    /// Money in another currency: the symbol written.
    Currency(&'static str),
    /// Outside the unit's range: the range in words.
    OutOfRange(String),
}

/// A value in an indicator's unit, as a plain decimal (85% is 85, £1,000 is 1000, 12 days is 12).
pub fn value_in_unit(
    measure: Measure,
    unit: Unit,
    currency: CurrencyCode,
) -> Result<Decimal, UnitProblem> {
    let mismatch = |written| {
        Err(UnitProblem::Mismatch {
            written,
            example: example(unit, currency),
        })
    };
    let value = match (measure, unit) {
        (Measure::Percent(v), Unit::Percent) => v,
        (Measure::Money(m), Unit::Money) => {
            if m.currency != currency.symbol() {
                return Err(UnitProblem::Currency(m.currency.symbol()));
            }
            m.amount
        }
        (Measure::Duration(d), Unit::Days) => match d.unit {
            TimeUnit::Day => Decimal::from(d.count),
            TimeUnit::Week => Decimal::from(d.count) * Decimal::from(7),
            _ => return mismatch("a length in months or years"),
        },
        (
            Measure::Number(v),
            Unit::Count | Unit::RatePer(_) | Unit::Days | Unit::Score { .. } | Unit::Ratio,
        ) => v,
        (Measure::Percent(_), _) => return mismatch("a percentage"),
        (Measure::Money(_), _) => return mismatch("an amount of money"),
        (Measure::Duration(_), _) => return mismatch("a length of time"),
        (Measure::Number(_), _) => return mismatch("a plain number"),
    };
    let (lo, hi) = unit_domain(unit);
    if value < lo || hi.is_some_and(|hi| value > hi) {
        return Err(UnitProblem::OutOfRange(range_words(unit, currency)));
    }
    Ok(value)
}

/// The lowest and highest values a unit allows (`None`: no upper limit).
pub fn unit_domain(unit: Unit) -> (Decimal, Option<Decimal>) {
    match unit {
        Unit::Percent => (Decimal::ZERO, Some(Decimal::ONE_HUNDRED)),
        Unit::Score { min, max } => (min, Some(max)),
        _ => (Decimal::ZERO, None),
    }
}

fn range_words(unit: Unit, currency: CurrencyCode) -> String {
    match unit {
        Unit::Percent => "from 0% to 100%".to_string(),
        Unit::Score { min, max } => {
            format!("from {} to {}", format_number(min), format_number(max))
        }
        Unit::Money => format!("{} or more", format_money(Decimal::ZERO, currency)),
        _ => "0 or more".to_string(),
    }
}

/// How a value in this unit is written, for help text.
pub fn example(unit: Unit, currency: CurrencyCode) -> String {
    match unit {
        Unit::Percent => "a percentage such as `85%`".to_string(),
        Unit::Money => format!(
            "an amount such as `{}`",
            format_money(Decimal::from(1000), currency)
        ),
        Unit::Days => "a number of days such as `14` or `14 days`".to_string(),
        Unit::Score { min, max } => format!(
            "a number from {} to {}",
            format_number(min),
            format_number(max)
        ),
        Unit::Count => "a plain number such as `12`".to_string(),
        Unit::RatePer(_) | Unit::Ratio => "a plain number such as `4.5`".to_string(),
    }
}

/// What an indicator is measured in, for messages.
pub fn unit_words(unit: Unit) -> String {
    match unit {
        Unit::Percent => "percent".to_string(),
        Unit::Count => "a count".to_string(),
        Unit::RatePer(n) => format!("a rate per {}", format_number(n)),
        Unit::Money => "money".to_string(),
        Unit::Days => "days".to_string(),
        Unit::Score { min, max } => format!(
            "a score from {} to {}",
            format_number(min),
            format_number(max)
        ),
        Unit::Ratio => "a plain number".to_string(),
    }
}

/// A value in its unit, as users write it: `85%`, `£1,000`, `12 days`, `4.5`.
pub fn format_value(value: Decimal, unit: Unit, currency: CurrencyCode) -> String {
    match unit {
        Unit::Percent => format_percent(value),
        Unit::Money => format_money(value, currency),
        Unit::Days => format!("{} days", format_number(value)),
        _ => format_number(value),
    }
}

pub fn format_percent(value: Decimal) -> String {
    format!("{}%", format_number(value))
}

/// A decimal without trailing zeros and with thousands separators: `1,234.5`.
pub fn format_number(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (sign, digits) = text
        .strip_prefix('-')
        .map(|d| ("-", d))
        .unwrap_or(("", &text));
    let (whole, fraction) = digits
        .split_once('.')
        .map(|(w, f)| (w, Some(f)))
        .unwrap_or((digits, None));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money as a finance team writes it: `£12,000` for whole amounts, `£1,200.50` otherwise.
pub fn format_money(value: Decimal, currency: CurrencyCode) -> String {
    let rounded = value.round_dp(2);
    let text = if rounded.fract().is_zero() {
        format_number(rounded.trunc())
    } else {
        number_2dp(rounded)
    };
    match text.strip_prefix('-') {
        Some(positive) => format!("-{}{positive}", currency.symbol().symbol()),
        None => format!("{}{text}", currency.symbol().symbol()),
    }
}

fn number_2dp(value: Decimal) -> String {
    let text = format_number(value);
    match text.split_once('.') {
        Some((whole, f)) if f.len() == 1 => format!("{whole}.{f}0"),
        _ => text,
    }
}

/// The value in `unit` of a numerator over a denominator (`172 of 200` is 86 for a percentage),
/// or `None` for a unit that is not a proportion (a count, money, days, a score) or a
/// denominator of zero.
pub fn proportion(numerator: Decimal, denominator: Decimal, unit: Unit) -> Option<Decimal> {
    let ratio = numerator.checked_div(denominator)?;
    match unit {
        Unit::Percent => ratio.checked_mul(Decimal::ONE_HUNDRED),
        Unit::RatePer(per) => ratio.checked_mul(per),
        Unit::Ratio => Some(ratio),
        Unit::Count | Unit::Money | Unit::Days | Unit::Score { .. } => None,
    }
}

/// What a calculated value measures, for checking arithmetic: its powers of money, counts and
/// days (money ÷ money is a plain number, a count × a price is money). A percentage is a plain
/// number shown with a `%`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Dimension {
    pub money: i8,
    pub count: i8,
    pub days: i8,
    /// Shown as a percentage (a plain number whose value is a fraction: 5% is 0.05).
    pub percent: bool,
}

impl Dimension {
    pub const NUMBER: Dimension = Dimension {
        money: 0,
        count: 0,
        days: 0,
        percent: false,
    };
    pub const PERCENT: Dimension = Dimension {
        percent: true,
        ..Dimension::NUMBER
    };
    pub const COUNT: Dimension = Dimension {
        count: 1,
        ..Dimension::NUMBER
    };
    pub const MONEY: Dimension = Dimension {
        money: 1,
        ..Dimension::NUMBER
    };

    /// What a value in an indicator's or input's unit measures.
    pub fn of_unit(unit: Unit) -> Dimension {
        match unit {
            Unit::Percent => Dimension::PERCENT,
            Unit::Count => Dimension::COUNT,
            Unit::Money => Dimension::MONEY,
            Unit::Days => Dimension {
                days: 1,
                ..Dimension::NUMBER
            },
            Unit::RatePer(_) | Unit::Score { .. } | Unit::Ratio => Dimension::NUMBER,
        }
    }

    /// Whether two values can be added, compared or taken the least or most of.
    pub fn same_as(self, other: Dimension) -> bool {
        (self.money, self.count, self.days) == (other.money, other.count, other.days)
    }

    /// A plain number (or percentage), with no money, counts or days in it.
    pub fn is_plain(self) -> bool {
        self.same_as(Dimension::NUMBER)
    }

    pub fn times(self, other: Dimension) -> Dimension {
        Dimension {
            money: self.money.saturating_add(other.money),
            count: self.count.saturating_add(other.count),
            days: self.days.saturating_add(other.days),
            // A percentage of something is that thing; a percentage of a percentage is a share.
            percent: self.percent && other.percent,
        }
    }

    pub fn divided_by(self, other: Dimension) -> Dimension {
        Dimension {
            money: self.money.saturating_sub(other.money),
            count: self.count.saturating_sub(other.count),
            days: self.days.saturating_sub(other.days),
            percent: false,
        }
    }

    /// The dimension in words, with an article: `a count`, `money`, `money per count`.
    pub fn words(self) -> String {
        if self.is_plain() {
            return if self.percent {
                "a percentage".to_string()
            } else {
                "a plain number".to_string()
            };
        }
        let part = |power: i8, one: &str| -> Option<String> {
            match power.unsigned_abs() {
                0 => None,
                1 => Some(one.to_string()),
                n => Some(format!("{one} to the power {n}")),
            }
        };
        let over: Vec<String> = [
            part(self.money.max(0), "money"),
            part(self.count.max(0), "a count"),
            part(self.days.max(0), "days"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let under: Vec<String> = [
            part(self.money.min(0), "money"),
            part(self.count.min(0), "count"),
            part(self.days.min(0), "day"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let over = if over.is_empty() {
            "a number".to_string()
        } else {
            over.join(" times ")
        };
        if under.is_empty() {
            over
        } else {
            format!("{over} per {}", under.join(" per "))
        }
    }
}

/// A length of time in words: `1 month`, `91 days`.
pub fn duration_words(duration: Duration) -> String {
    let unit = match duration.unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
        TimeUnit::Month => "month",
        TimeUnit::Year => "year",
    };
    format!(
        "{} {unit}{}",
        duration.count,
        if duration.count == 1 { "" } else { "s" }
    )
}

/// Items in words: `a`, `a and b`, `a, b and c`.
pub fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(format_number(Decimal::new(7_600_000_000, 2)), "76,000,000");
        assert_eq!(format_number(Decimal::new(-12345, 1)), "-1,234.5");
        assert_eq!(
            format_money(Decimal::new(12005, 1), CurrencyCode::Gbp),
            "£1,200.50"
        );
        assert_eq!(
            format_money(Decimal::from(-500), CurrencyCode::Eur),
            "-€500"
        );
        assert_eq!(format_percent(Decimal::new(8270, 2)), "82.7%");
    }

    #[test]
    fn values_must_be_in_the_indicators_unit() {
        let gbp = CurrencyCode::Gbp;
        assert_eq!(
            value_in_unit(Measure::Percent(Decimal::from(85)), Unit::Percent, gbp),
            Ok(Decimal::from(85))
        );
        assert!(matches!(
            value_in_unit(Measure::Number(Decimal::from(85)), Unit::Percent, gbp),
            Err(UnitProblem::Mismatch { .. })
        ));
        assert!(matches!(
            value_in_unit(Measure::Percent(Decimal::from(101)), Unit::Percent, gbp),
            Err(UnitProblem::OutOfRange(_))
        ));
        let score = Unit::Score {
            min: Decimal::ZERO,
            max: Decimal::TEN,
        };
        assert!(matches!(
            value_in_unit(Measure::Number(Decimal::from(11)), score, gbp),
            Err(UnitProblem::OutOfRange(_))
        ));
    }
}
