//! Literals as written: money, durations, dates, measures, periods, year phases and frequencies.

use rust_decimal::Decimal;

use super::Spanned;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CurrencySymbol {
    Pound,
    Dollar,
    Euro,
}

impl CurrencySymbol {
    pub fn symbol(self) -> &'static str {
        match self {
            CurrencySymbol::Pound => "£",
            CurrencySymbol::Dollar => "$",
            CurrencySymbol::Euro => "€",
        }
    }
}

/// An amount of money as written: `£1,200.50`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    pub currency: CurrencySymbol,
    pub amount: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeUnit {
    Day,
    Week,
    Month,
    Year,
}

/// A length of time: `91 days`, `3 months`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub count: u32,
    pub unit: TimeUnit,
}

/// A calendar date as written; whether it exists is checked later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateLit {
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

/// A value written in some unit: what thresholds, baselines and targets are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// `85%`, stored as 85.
    Percent(Decimal),
    Money(Money),
    Duration(Duration),
    Number(Decimal),
}

/// A period as written: `2016-04`, `2016-Q2`, `2016/17`, `2016/17 Q1`, `year 2`, or a date range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodLit {
    Month {
        year: i16,
        month: u8,
    },
    CalendarQuarter {
        year: i16,
        quarter: u8,
    },
    /// `2016/17`: `end` holds the two digits after the slash.
    FiscalYear {
        start: i16,
        end: u8,
    },
    FiscalQuarter {
        start: i16,
        end: u8,
        quarter: u8,
    },
    ContractYear(u32),
    Range(DateLit, DateLit),
}

/// One step of a value that may change by contract year: `£2,400 in year 2`, `85% from year 3`,
/// or a plain value for every year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step<T> {
    pub value: Spanned<T>,
    pub phase: Option<Spanned<YearPhase>>,
}

/// A value that may change by contract year, in its steps as written.
pub type Phased<T> = Vec<Step<T>>;

/// `in year 1` or `from year 2` after a value that changes over the term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearPhase {
    In(u32),
    From(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Frequency {
    Monthly,
    Quarterly,
    /// Annually by fiscal year.
    Annually,
    AnnuallyByContractYear,
}
