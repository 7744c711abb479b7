//! Payment blocks: weights, bands, thresholds, triggers, rate cards, limits and lags.

use rust_decimal::Decimal;

use super::{Combine, Duration, Frequency, Measure, Money, Name, Operator, Phased, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<PaymentSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentSetting {
    Weight(Spanned<Weight>),
    Pot(Phased<PotAmount>),
    On(Name),
    ForCohort(Name),
    Assessed(Frequency),
    Tiers(Vec<Spanned<Band>>),
    Linear(Linear),
    Points {
        points: Spanned<Decimal>,
        from: Spanned<Threshold>,
        to: Spanned<Threshold>,
    },
    PricePerPoint(Phased<Money>),
    AdjustedBy(Vec<Name>),
    /// `points protected at <value>` / `share protected at <value>`.
    Protected {
        what: Protected,
        value: Name,
    },
    Improvement {
        change: ChangeKind,
        against: Comparator,
    },
    /// `trigger [at least | above] <value>`.
    Trigger(TriggerSetting),
    /// `pooled trigger [at least | above] <value> [on pooled counts | on the mean of the
    /// periods] [at the final assessment | over the periods so far]`.
    PooledTrigger(TriggerSetting),
    Pays(ImprovementPays),
    RateCard(Vec<Spanned<RateCardItem>>),
    Cap(Limit),
    /// `not capped`: the payment has no overall cap on purpose.
    NotCapped,
    Floor(Limit),
    Paid(PaymentLag),
    /// `paid by council 80%, lcf 20%`: this payment's payers.
    PaidBy(Vec<PayerShare>),
    Advance {
        share: Spanned<Decimal>,
        frequency: Frequency,
    },
    CombinePeriods(Combine),
    Description(String),
}

/// What a payment's protection freezes: the points a `points` payment earns, or the share of the
/// pot a `tiers` or `linear` payment pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protected {
    Points,
    Share,
}

impl Protected {
    pub fn word(self) -> &'static str {
        match self {
            Protected::Points => "points",
            Protected::Share => "share",
        }
    }
}

/// A payer and its share: `lcf 20%`, `council 2/3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayerShare {
    pub payer: Name,
    pub share: Spanned<Weight>,
}

/// A payment's share of the money at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// `25%`, stored as 25.
    Percent(Decimal),
    /// `1/7`: an exact fraction of the money at risk.
    Fraction { numerator: u32, denominator: u32 },
    /// `equal`: an equal share of what the other weights leave.
    Equal,
}

/// One step of a payment's own pot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PotAmount {
    /// `5% of value`, in percent.
    ShareOfValue(Decimal),
    /// `£500,000 per year`; `per_year` is false where the words `per year` were left out.
    Money { amount: Money, per_year: bool },
}

/// One row of a `tiers` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub range: BandRange,
    /// The text of the range, such as `80% to 85%`.
    pub range_span: Span,
    pub payout: Spanned<Payout>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandRange {
    /// `X to Y`, both ends included.
    Between(Spanned<Threshold>, Spanned<Threshold>),
    /// `X and above`.
    AtLeast(Spanned<Threshold>),
    /// `above X`.
    Above(Spanned<Threshold>),
    /// `below X`.
    Below(Spanned<Threshold>),
    /// `up to X`.
    UpTo(Spanned<Threshold>),
    /// `target met`: at the year's target or beyond it, by the indicator's `better`.
    TargetMet,
    /// `target not met`.
    TargetMissed,
}

/// A threshold as written: a value, or one placed by the year's target or the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threshold {
    Value(Measure),
    /// `95% of target - 5%`: the reference, a share of it (in percent), and an amount added to
    /// or taken from it, in the indicator's unit.
    Relative {
        reference: Reference,
        share: Option<Decimal>,
        offset: Option<(Operator, Spanned<Measure>)>,
    },
}

/// What a threshold is placed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// The indicator's target for the contract year.
    Target,
    Baseline,
}

impl Reference {
    pub fn word(self) -> &'static str {
        match self {
            Reference::Target => "target",
            Reference::Baseline => "baseline",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payout {
    Nothing,
    /// A share of the pot, in percent.
    Share(Decimal),
    Amount(Money),
    /// From the first share at the band's lower end to the second at its upper end.
    Linear(Spanned<Decimal>, Spanned<Decimal>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Linear {
    pub from: Spanned<Threshold>,
    pub to: Spanned<Threshold>,
    /// `paying A% to B%`; 0% to 100% when absent.
    pub paying: Option<(Spanned<Decimal>, Spanned<Decimal>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Absolute,
    Relative,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparator {
    Baseline,
    ComparisonGroup(Option<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImprovementPays {
    Share(Spanned<Decimal>),
    PerPoint(Spanned<Money>),
    /// `pays £2,000 per event avoided`.
    PerEvent(Spanned<Money>),
}

/// A trigger (or pooled trigger) as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggerSetting {
    pub value: Spanned<Measure>,
    /// `above`: the improvement must be more than the value; otherwise at least it.
    pub above: bool,
    /// What a pooled trigger pools; `None` when not said (pooled counts).
    pub pooling: Option<Pooling>,
    /// When a pooled trigger is assessed; `None` when not said (at the final assessment).
    pub when: Option<PooledWhen>,
}

/// What a pooled trigger pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pooling {
    /// The periods' counts added up, so bigger cohorts weigh more (the default).
    #[default]
    Counts,
    /// The plain mean of the periods' improvements.
    Mean,
}

impl Pooling {
    pub fn words(self) -> &'static str {
        match self {
            Pooling::Counts => "pooled counts",
            Pooling::Mean => "the mean of the periods",
        }
    }
}

impl PooledWhen {
    pub fn words(self) -> &'static str {
        match self {
            PooledWhen::FinalAssessment => "at the final assessment",
            PooledWhen::SoFar => "over the periods so far",
        }
    }
}

/// When a pooled trigger is assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PooledWhen {
    /// Once, over every period, at the last period (the default); periods that missed their own
    /// trigger are paid then.
    #[default]
    FinalAssessment,
    /// At each period, over the periods so far.
    SoFar,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateCardItem {
    AttachmentFee(Phased<Money>),
    Criterion {
        name: Name,
        title: Option<Spanned<String>>,
    },
    Outcome(RateOutcome),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateOutcome {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub price: Phased<Money>,
    pub within: Option<Spanned<Duration>>,
    pub all_of: Vec<Name>,
    /// `achieved by all of`: the criteria alone achieve the outcome; with `when all of` the
    /// outcome must also be recorded.
    pub by_criteria: bool,
}

/// A cap or floor: an amount over a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub amount: Spanned<Money>,
    pub scope: LimitScope,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitScope {
    Participant,
    Month,
    Quarter,
    Period,
    Year,
    Term,
}

impl LimitScope {
    pub fn words(self) -> &'static str {
        match self {
            LimitScope::Participant => "per participant",
            LimitScope::Month => "per month",
            LimitScope::Quarter => "per quarter",
            LimitScope::Period => "per period",
            LimitScope::Year => "per year",
            LimitScope::Term => "over the term",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentLag {
    pub lag: Spanned<Duration>,
    pub from: LagFrom,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LagFrom {
    /// After the data is available: period end plus the indicator's data lag.
    Data,
    PeriodEnd,
}
