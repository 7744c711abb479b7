//! Deductions, gateways and advances: the blocks that act on payments from outside them.

use rust_decimal::Decimal;

use super::{Frequency, Limit, Measure, Money, Name, Phased, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deduction {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<DeductionSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeductionSetting {
    On(Name),
    /// `taken from PAYMENT`: the deduction reduces that payment's line for the period.
    TakenFrom(Name),
    Tolerance {
        breaches: Spanned<Decimal>,
        per: Frequency,
    },
    /// `deduct £120 per breach`; `per` is `None` for an amount deducted once when the
    /// tolerance is exceeded.
    Deduct {
        amount: DeductAmount,
        per: Option<BreachUnit>,
    },
    /// `standard 95%`.
    Standard(Spanned<Decimal>),
    /// `no further sanction below 85%`.
    SanctionFloor {
        side: FloorSide,
        value: Spanned<Decimal>,
    },
    ExcessRounding(ExcessRounding),
    /// `deduct £1,000 per breach on handovers_over_60 instead`.
    Instead {
        amount: Spanned<Money>,
        per: BreachUnit,
        indicator: Name,
    },
    /// `borne 50% by the provider and 50% by the commissioner`.
    Borne(Vec<(Spanned<Decimal>, Party)>),
    Assessed(Frequency),
    Cap(Limit),
    Description(String),
}

/// What one charge of a deduction is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreachUnit {
    Breach,
    Event,
    PatientDay,
    PatientMonth,
}

impl BreachUnit {
    /// The charge's unit in words, one and many: `breach`/`breaches`, `patient-day`/`patient-days`.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            BreachUnit::Breach => ("breach", "breaches"),
            BreachUnit::Event => ("event", "events"),
            BreachUnit::PatientDay => ("patient-day", "patient-days"),
            BreachUnit::PatientMonth => ("patient-month", "patient-months"),
        }
    }

    /// As written after `per`.
    pub fn written(self) -> &'static str {
        match self {
            BreachUnit::Breach => "per breach",
            BreachUnit::Event => "per event",
            BreachUnit::PatientDay => "per patient per day",
            BreachUnit::PatientMonth => "per patient per month",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloorSide {
    Below,
    Above,
    Beyond,
}

/// What is done with a fraction of a breach beyond a fractional tolerance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ExcessRounding {
    /// A breach counts once the tolerance is passed: 299.85 beyond is 300 (the default).
    #[default]
    Up,
    Down,
    Nearest,
    NotRounded,
}

impl ExcessRounding {
    pub fn words(self) -> &'static str {
        match self {
            ExcessRounding::Up => "rounded up",
            ExcessRounding::Down => "rounded down",
            ExcessRounding::Nearest => "rounded to nearest",
            ExcessRounding::NotRounded => "not rounded",
        }
    }
}

/// A party to the contract, for a share of a sanction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    Provider,
    Commissioner,
}

impl Party {
    pub fn word(self) -> &'static str {
        match self {
            Party::Provider => "provider",
            Party::Commissioner => "commissioner",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeductAmount {
    Money(Spanned<Money>),
    ShareOfMonthlyValue(Spanned<Decimal>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<GatewaySetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewaySetting {
    RequireFlag(Name),
    Require {
        indicator: Name,
        comparison: Comparison,
        value: Spanned<Measure>,
    },
    AppliesToAll,
    AppliesTo(Vec<Name>),
    Withholds(Spanned<Decimal>),
    Description(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    AtMost,
    Above,
    Below,
}

/// `advance <name> "<title>" { ... }`: advances across payments, reconciled each year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdvanceBlock {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<AdvanceSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdvanceSetting {
    /// `pays 80% of last_years_achievement`: a share of a value given with the data.
    PaysShareOf {
        share: Spanned<Decimal>,
        value: Name,
    },
    /// `pays £106,280.21`, or amounts by contract year: each year's advance.
    Pays(Phased<Money>),
    /// `paid monthly`: how often the instalments are paid.
    Paid(Frequency),
    /// `covers all payments` (`None`) or `covers a, b`.
    Covers(Option<Vec<Name>>),
    Description(String),
}
