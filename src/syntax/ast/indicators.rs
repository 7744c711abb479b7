//! Indicators, factors and flags, inputs and derived values with their calculations.

use rust_decimal::Decimal;

use super::{Duration, Frequency, Measure, Money, Name, PeriodLit, Spanned, Step};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<IndicatorSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndicatorSetting {
    Definition(String),
    Numerator(String),
    Denominator(String),
    Source(String),
    Description(String),
    Unit(Unit),
    Better(Polarity),
    Reported(Frequency),
    FollowUp(Spanned<Duration>),
    DataLag(Spanned<Duration>),
    Baseline {
        value: Spanned<Measure>,
        period: Spanned<PeriodLit>,
    },
    Target(Vec<TargetStep>),
    MinimumDenominator(Spanned<Decimal>),
    ReportingOnly,
    MeasuredIn(Name),
    /// `exclusions come off the denominator`.
    ExclusionsOffDenominator,
    CombinePeriods(Combine),
}

/// How the rows of shorter periods make the value of a longer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Combine {
    /// Numerators over denominators (counts and amounts added up): the default.
    #[default]
    Pooling,
    Mean,
    Latest,
    Sum,
    Best,
    Worst,
}

impl Combine {
    pub fn words(self) -> &'static str {
        match self {
            Combine::Pooling => "pooling",
            Combine::Mean => "mean",
            Combine::Latest => "latest",
            Combine::Sum => "sum",
            Combine::Best => "best",
            Combine::Worst => "worst",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Count,
    RatePer(Decimal),
    Money,
    Days,
    Score { min: Decimal, max: Decimal },
    Ratio,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Polarity {
    Higher,
    Lower,
}

pub type TargetStep = Step<Measure>;

/// `factor NAME "title"` and `flag NAME "title"`: values supplied with the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub span: Span,
}

/// `input NAME "title" { unit count }`: a figure supplied with the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<InputSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSetting {
    Unit(Unit),
    Range(Spanned<Measure>, Spanned<Measure>),
    CombinePeriods(Combine),
    Description(String),
}

/// `derived NAME "title" { equals ... }`: a value worked out from inputs, indicators and
/// constants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<DerivedSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DerivedSetting {
    Equals(Spanned<Expr>),
    /// `rounded to 4 decimal places`, by the contract's rounding mode.
    Rounded(Spanned<u32>),
    Range(Spanned<Measure>, Spanned<Measure>),
    Description(String),
}

/// Arithmetic as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A plain number.
    Number(Decimal),
    /// `5%`, stored as 5.
    Percent(Decimal),
    Money(Money),
    /// An input, derived value, factor or indicator.
    Name(Name),
    Numerator(Name),
    Denominator(Name),
    Binary {
        op: Operator,
        left: Box<Spanned<Expr>>,
        right: Box<Spanned<Expr>>,
    },
    Call {
        function: Function,
        args: Vec<Spanned<Expr>>,
    },
    /// `( ... )`, kept so the expression can be written back as it was.
    Brackets(Box<Spanned<Expr>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Add,
    Subtract,
    Multiply,
    Divide,
}

impl Operator {
    /// The sign as a reader writes it.
    pub fn sign(self) -> &'static str {
        match self {
            Operator::Add => "+",
            Operator::Subtract => "−",
            Operator::Multiply => "×",
            Operator::Divide => "÷",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Min,
    Max,
}
