//! The contract block: its settings, currency, rounding and the rules it chooses.

use rust_decimal::Decimal;

use super::{CurrencySymbol, DateLit, Duration, Money, Name, PayerShare, Spanned, YearPhase};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contract {
    pub title: Spanned<String>,
    pub settings: Vec<Spanned<ContractSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContractSetting {
    Reference(String),
    /// `commissioner [name] "title"`: a named commissioner can be a payer.
    Commissioner {
        name: Option<Name>,
        title: String,
    },
    Provider(String),
    /// `paid by council 80%, lcf 20%`: the payers of every payment.
    PaidBy(Vec<PayerShare>),
    Description(String),
    Term {
        start: Spanned<DateLit>,
        end: TermEnd,
    },
    FiscalYearStart(Spanned<u8>),
    Currency(Spanned<CurrencyCode>),
    Value {
        amount: Spanned<Money>,
        basis: ValueBasis,
    },
    AtRisk(Vec<Spanned<RiskAmount>>),
    Rounding {
        mode: RoundingMode,
        unit: RoundingUnit,
    },
    FactorRounding(Option<Spanned<u32>>),
    BoundaryRule(BandSide),
    MissingData(MissingDataRule),
    /// `payments continue 6 months after the term`: how long after the term payments may fall due.
    RunOff(Spanned<Duration>),
    /// `month ends stay month ends`: adding months to a month end gives a month end.
    MonthEndsStay,
    /// `part periods are excluded` (`true`) or `part periods are pro-rated` (the default).
    PartPeriodsExcluded(bool),
    /// `deductions come before caps` (`true`) or `... after caps` (the default).
    DeductionsBeforeCaps(bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermEnd {
    To(Spanned<DateLit>),
    For(Spanned<Duration>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CurrencyCode {
    Gbp,
    Eur,
    Usd,
}

impl CurrencyCode {
    pub fn code(self) -> &'static str {
        match self {
            CurrencyCode::Gbp => "GBP",
            CurrencyCode::Eur => "EUR",
            CurrencyCode::Usd => "USD",
        }
    }

    pub fn symbol(self) -> CurrencySymbol {
        match self {
            CurrencyCode::Gbp => CurrencySymbol::Pound,
            CurrencyCode::Eur => CurrencySymbol::Euro,
            CurrencyCode::Usd => CurrencySymbol::Dollar,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueBasis {
    PerYear,
    Total,
    PerPersonPerYear,
}

/// One step of `at risk`: a share of value or a pot per year, maybe for some contract years only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskAmount {
    pub amount: RiskKind,
    pub phase: Option<Spanned<YearPhase>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskKind {
    ShareOfValue(Spanned<Decimal>),
    PerYear(Spanned<Money>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingMode {
    HalfUp,
    HalfEven,
    Up,
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingUnit {
    /// Hundredths: penny, cent.
    Minor,
    /// Whole units: pound, euro, dollar.
    Major,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandSide {
    Higher,
    Lower,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingDataRule {
    Error,
    PaysNothing,
    /// Not written in a contract: how `obc test` and `obc simulate` treat a period they give no
    /// data for (it pays nothing), whatever the contract says.
    PaysNothingHere,
}
