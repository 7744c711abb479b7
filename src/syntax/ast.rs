//! The typed syntax tree: what a contract file says, exactly as written, with a span on every node.
//!
//! Blocks keep their settings in source order, repeated or not: deciding what a duplicate or a
//! missing setting means is the checker's job, and a formatter needs the file as written.

use rust_decimal::Decimal;

use crate::source::Span;

/// A node with the span of the text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

pub type Name = Spanned<String>;

/// A parsed file: its blocks and its comments, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub blocks: Vec<Block>,
    pub comments: Vec<Comment>,
    /// The text that could not be read (each unreadable setting or block), so that checks
    /// depending on it can stand back.
    pub unreadable: Vec<Span>,
}

/// A `//` comment; `text` excludes the slashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Import(Import),
    Contract(Contract),
    Population(Population),
    Cohort(Cohort),
    Domain(Domain),
    Indicator(Indicator),
    Factor(Declared),
    Flag(Declared),
    Input(Input),
    Derived(Derived),
    Payment(Payment),
    Deduction(Deduction),
    Gateway(Gateway),
    Advance(AdvanceBlock),
    Test(Test),
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub path: Spanned<String>,
    pub span: Span,
}

// ------------------------------------------------------------------ literals

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

// ------------------------------------------------------------------ contract

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

// ------------------------------------------------------------------ population

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Population {
    pub title: Spanned<String>,
    pub settings: Vec<Spanned<PopulationSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<PopulationSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PopulationSetting {
    Size(Spanned<Decimal>),
    Eligibility(String),
    Description(String),
}

// ------------------------------------------------------------------ outcomes framework

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub outcomes: Vec<Outcome>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub settings: Vec<Spanned<OutcomeSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomeSetting {
    MeasuredBy(Vec<Name>),
    Description(String),
}

// ------------------------------------------------------------------ indicators

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

// ------------------------------------------------------------------ payments

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

// ------------------------------------------------------------------ deductions and gateways

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

// ------------------------------------------------------------------ tests

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub title: Spanned<String>,
    pub settings: Vec<Spanned<TestSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestSetting {
    Given {
        name: Name,
        value: Spanned<GivenValue>,
        /// `against 63%`: the comparison group's value.
        against: Option<Spanned<Measure>>,
        period: Spanned<PeriodLit>,
    },
    ParticipantStarted {
        participant: Spanned<String>,
        on: Spanned<DateLit>,
    },
    ParticipantAchieved {
        participant: Spanned<String>,
        outcome: Name,
        on: Spanned<DateLit>,
    },
    /// `expect NAME pays AMOUNT in PERIOD`; the name `total` means every payment together,
    /// and an amount of `None` means `pays nothing`.
    ExpectPays {
        name: Name,
        /// `deducts`: the amount is what is taken off (the schedule's amount, negated).
        deducts: bool,
        /// Signed: `pays -£750` is -750.
        amount: Spanned<Option<Money>>,
        /// `for <payment>`: what the payer `name` pays for one payment.
        payment: Option<Name>,
        period: Spanned<PeriodLit>,
    },
    ExpectGateway {
        gateway: Name,
        passes: bool,
        period: Spanned<PeriodLit>,
    },
    /// `expect finding E0812`: the test's data, under the contract's rules, reports this code.
    ExpectFinding(Spanned<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GivenValue {
    Measure(Measure),
    Fraction {
        numerator: Decimal,
        denominator: Decimal,
        /// `excluding 180`: cases taken off the denominator.
        excluded: Option<Decimal>,
    },
    YesNo(bool),
}
