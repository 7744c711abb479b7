//! The resolved contract: what the checker established, in the form evaluation and emission
//! need. Names are resolved, values are in their indicators' units, pots are money per
//! contract year, defaults are explicit. A model is only built for a contract without errors.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::calendar::Calendar;
use crate::check::Interval;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    BandSide, ChangeKind, Comparison, CurrencyCode, Duration, Frequency, LagFrom, LimitScope,
    MissingDataRule, Polarity, RoundingMode, RoundingUnit, Unit,
};

#[derive(Clone, Debug)]
pub struct Contract {
    pub title: String,
    /// What a specification says about the contract beyond its payment rules.
    pub about: About,
    /// Money at risk in each contract year, year 1 first.
    pub at_risk_per_year: Vec<Decimal>,
    pub calendar: Calendar,
    pub currency: CurrencyCode,
    pub value_per_year: Decimal,
    pub rounding: Rounding,
    /// Decimal places adjustment factors are rounded to before use; `None`: not rounded.
    pub factor_places: Option<u32>,
    pub boundary: BandSide,
    pub missing_data: MissingDataRule,
    /// `month ends stay month ends`: adding months to a month end gives a month end.
    pub keep_month_ends: bool,
    /// `part periods are excluded`: a period cut short by the term is not assessed (otherwise
    /// its pot is pro-rated by days).
    pub exclude_part_periods: bool,
    /// `deductions come before caps`: a deduction taken from a payment reduces its line before
    /// the payment's caps (otherwise after them, as a line of its own).
    pub deductions_before_caps: bool,
    /// The last day a payment may fall due: the end of the term plus any run-off.
    pub last_due: Option<jiff::civil::Date>,
    pub indicators: BTreeMap<String, Indicator>,
    pub factors: Vec<String>,
    pub flags: Vec<String>,
    pub payments: Vec<Payment>,
    pub deductions: Vec<Deduction>,
    pub gateways: Vec<Gateway>,
}

/// How money is rounded: per payment line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounding {
    pub mode: RoundingMode,
    pub unit: RoundingUnit,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            mode: RoundingMode::HalfUp,
            unit: RoundingUnit::Minor,
        }
    }
}

impl Rounding {
    pub fn apply(self, amount: Decimal) -> Decimal {
        let places = match self.unit {
            RoundingUnit::Minor => 2,
            RoundingUnit::Major => 0,
        };
        self.round_to_places(amount, places)
    }

    /// Rounds to `places` decimal places with the contract's rounding mode (used for factors too).
    pub fn round_to_places(self, amount: Decimal, places: u32) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
            RoundingMode::Down => RoundingStrategy::ToZero,
        };
        amount.round_dp_with_strategy(places, strategy)
    }

    pub fn words(self) -> String {
        let mode = match self.mode {
            RoundingMode::HalfUp => "half-up",
            RoundingMode::HalfEven => "half-even",
            RoundingMode::Up => "up",
            RoundingMode::Down => "down",
        };
        let unit = match self.unit {
            RoundingUnit::Minor => "the penny",
            RoundingUnit::Major => "the pound",
        };
        format!("rounded {mode} to {unit}")
    }
}

/// The descriptive parts of a contract, as written: for specifications, not for payment.
#[derive(Clone, Debug, Default)]
pub struct About {
    pub reference: Option<String>,
    pub description: Option<String>,
    pub commissioners: Vec<String>,
    pub providers: Vec<String>,
    pub population: Option<PopulationInfo>,
    pub cohorts: Vec<PopulationInfo>,
    pub domains: Vec<DomainInfo>,
    /// Indicator texts by indicator name.
    pub indicators: BTreeMap<String, IndicatorText>,
    /// The contract's `test` blocks: worked examples, each line as written.
    pub examples: Vec<WorkedExample>,
    pub factors: Vec<(String, Option<String>)>,
    pub flags: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, Default)]
pub struct PopulationInfo {
    pub name: Option<String>,
    pub title: Option<String>,
    pub size: Option<Decimal>,
    pub eligibility: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct DomainInfo {
    pub name: String,
    pub title: Option<String>,
    pub outcomes: Vec<OutcomeInfo>,
}

#[derive(Clone, Debug, Default)]
pub struct OutcomeInfo {
    pub name: String,
    pub title: Option<String>,
    pub indicators: Vec<String>,
}

/// An indicator's definition and targets as written.
#[derive(Clone, Debug, Default)]
pub struct IndicatorText {
    pub definition: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub follow_up: Option<String>,
    /// The baseline as written, such as `82.7% in 2014/15`.
    pub baseline: Option<String>,
    /// Each step of the target as written, such as `85% from year 2`.
    pub targets: Vec<String>,
    pub cohort: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct WorkedExample {
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    /// Where the indicator's name is written, to point at when its data is missing.
    pub defined_at: (FileId, Span),
    pub name: String,
    pub title: Option<String>,
    pub unit: Unit,
    pub polarity: Option<Polarity>,
    pub reported: Option<Frequency>,
    pub data_lag: Option<Duration>,
    pub baseline: Option<Decimal>,
    pub minimum_denominator: Option<Decimal>,
    pub reporting_only: bool,
}

#[derive(Clone, Debug)]
pub struct Payment {
    pub name: String,
    pub title: Option<String>,
    pub indicator: Option<String>,
    pub frequency: Frequency,
    /// Money the payment draws on in each contract year, year 1 first.
    pub pot_per_year: Option<Vec<Decimal>>,
    pub mechanism: Mechanism,
    pub caps: Vec<(LimitScope, Decimal)>,
    pub floors: Vec<(LimitScope, Decimal)>,
    pub lag: Option<(Duration, LagFrom)>,
    /// A share of the pot paid in advance at this frequency, reconciled at year end.
    pub advance: Option<(Decimal, Frequency)>,
}

#[derive(Clone, Debug)]
pub enum Mechanism {
    Tiers(Vec<Band>),
    Linear {
        from: Decimal,
        to: Decimal,
        pay_from: Decimal,
        pay_to: Decimal,
    },
    Points {
        points: Decimal,
        from: Decimal,
        to: Decimal,
        price: Decimal,
        factors: Vec<String>,
    },
    Improvement(Improvement),
    RateCard(RateCard),
}

/// One band of a tiers table, its values as an exact interval.
#[derive(Clone, Debug)]
pub struct Band {
    pub interval: Interval,
    pub payout: BandPayout,
    /// The band as written, such as `80% to 85%`.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandPayout {
    Nothing,
    /// A share of the period's pot, in percent.
    Share(Decimal),
    Amount(Decimal),
    /// Shares at the band's lower and upper ends, in percent.
    Linear(Decimal, Decimal),
}

#[derive(Clone, Debug)]
pub struct Improvement {
    pub change: ChangeKind,
    pub against_baseline: bool,
    pub trigger: Option<Decimal>,
    pub pooled_trigger: Option<Decimal>,
    pub pays: ImprovementPays,
}

#[derive(Clone, Copy, Debug)]
pub enum ImprovementPays {
    Share(Decimal),
    PerPoint(Decimal),
}

#[derive(Clone, Debug, Default)]
pub struct RateCard {
    pub cohort: Option<String>,
    pub attachment_fee: Option<Decimal>,
    pub outcomes: Vec<RateOutcome>,
    pub criteria: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct RateOutcome {
    pub name: String,
    pub title: Option<String>,
    pub price: Decimal,
    pub within: Option<Duration>,
    pub all_of: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Gateway {
    /// Where the gateway's name is written, to point at when its data is missing.
    pub defined_at: (FileId, Span),
    pub name: String,
    pub title: Option<String>,
    pub requires: Vec<Requirement>,
    /// The payments it applies to; `None` for all.
    pub applies_to: Option<Vec<String>>,
    /// The share of each payment withheld when the gateway fails, in percent.
    pub withholds: Decimal,
}

#[derive(Clone, Debug)]
pub enum Requirement {
    Indicator {
        name: String,
        comparison: Comparison,
        value: Decimal,
    },
    Flag(String),
}

#[derive(Clone, Debug)]
pub struct Deduction {
    pub name: String,
    /// The payment it is taken from, where the contract says so.
    pub taken_from: Option<String>,
    pub title: Option<String>,
    pub indicator: String,
    /// Breaches allowed per period, and the period.
    pub tolerance: Decimal,
    pub frequency: Frequency,
    pub amount: DeductAmount,
    pub per_breach: bool,
    pub caps: Vec<(LimitScope, Decimal)>,
}

#[derive(Clone, Copy, Debug)]
pub enum DeductAmount {
    Money(Decimal),
    /// A share of one month of the contract's value, in percent.
    ShareOfMonthlyValue(Decimal),
}
