//! The machine-readable specification: the fully resolved contract as versioned JSON, with every
//! default made explicit and derived values (pots per year, the largest possible payment per
//! payment and year, the assessment periods and when each falls due). Decimals are strings,
//! dates ISO strings, and key order is fixed by the types. The schema is generated from these
//! types (`docs/schema/obc-contract.schema.json`).

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::calendar::{self, Calendar};
use crate::intervals::Bound;
use crate::model::{self, BandPayout, Contract, ImprovementPays, Mechanism};
use crate::syntax::ast::{
    BandSide, ChangeKind, Comparison, Frequency, LagFrom, LimitScope, MissingDataRule, Polarity,
    RoundingMode, RoundingUnit, Unit,
};
use crate::units::{format_value, unit_words};

/// The version of this format. A change that removes or renames a field changes the major number.
pub const FORMAT_VERSION: &str = "2.0";

/// A decimal number as a string, such as `570000.00` or `85`.
type Dec = String;
/// A date written `YYYY-MM-DD`.
type Day = String;

fn dec(value: Decimal) -> Dec {
    value.normalize().to_string()
}

fn money(value: Decimal) -> Dec {
    crate::eval::money_string(value)
}

fn day(date: Date) -> Day {
    date.to_string()
}

/// An obc contract specification (`obc emit --format json`).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "obc contract specification")]
pub struct Spec {
    /// The version of this format: `2.0`.
    pub obc_format: String,
    pub contract: ContractSpec,
    pub population: Option<PopulationSpec>,
    pub cohorts: Vec<PopulationSpec>,
    /// Domains, their outcomes, and the indicators that measure each outcome.
    pub outcomes_framework: Vec<DomainSpec>,
    pub indicators: Vec<IndicatorSpec>,
    /// Values supplied with the data that adjust payments, such as a list-size index.
    pub factors: Vec<Named>,
    /// Yes/no values supplied with the data, used by gateways.
    pub flags: Vec<Named>,
    /// Figures supplied with the data as rows of their own, such as a practice's list size.
    pub inputs: Vec<InputSpec>,
    /// Values worked out from inputs, indicators and constants.
    pub derived_values: Vec<DerivedSpec>,
    pub payments: Vec<PaymentSpec>,
    pub gateways: Vec<GatewaySpec>,
    pub deductions: Vec<DeductionSpec>,
    /// Advances across several payments, reconciled at each year's end (`advance` blocks).
    pub advances: Vec<AdvanceBlockSpec>,
    /// For each contract year, the money at risk and the largest possible payment of all payments together.
    pub years: Vec<YearSpec>,
    /// The contract's worked examples (`test` blocks), each line as written.
    pub worked_examples: Vec<ExampleSpec>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ContractSpec {
    pub title: String,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub commissioners: Vec<String>,
    /// The named commissioners, who pay shares of payments (`commissioner council "..."`).
    pub payers: Vec<PayerSpec>,
    /// Who pays every payment and deduction that does not say, with their shares in percent;
    /// empty without named commissioners.
    pub paid_by: Vec<PayerShareSpec>,
    pub providers: Vec<String>,
    pub term: TermSpec,
    /// The month fiscal years start in, 1 for January to 12 for December.
    pub fiscal_year_starts: u8,
    pub currency: String,
    pub value_per_year: Dec,
    pub rules: RulesSpec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PayerSpec {
    pub name: String,
    pub title: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PayerShareSpec {
    pub payer: String,
    /// In percent, to 28 digits for a fraction such as `1/3`.
    pub share: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TermSpec {
    pub start: Day,
    /// The last day of the term, included.
    pub end: Day,
    pub contract_years: u32,
    /// The last day a payment may fall due (the end of the term plus any run-off).
    pub payments_due_by: Option<Day>,
}

/// How the contract settles details where real contracts differ; every default is explicit.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RulesSpec {
    /// `half-up`, `half-even`, `up` or `down`.
    pub rounding_mode: String,
    /// `penny` (hundredths) or `pound` (whole units).
    pub rounding_unit: String,
    /// Decimal places factors are rounded to; null when they are not rounded.
    pub factors_rounded_to: Option<u32>,
    /// Which band a value exactly on a shared threshold belongs to: `higher` or `lower`.
    pub boundary_values_go_to: String,
    /// `error` or `pays nothing`.
    pub missing_data: String,
    pub month_ends_stay_month_ends: bool,
    /// `pro-rated` or `excluded`.
    pub part_periods: String,
    /// `before caps` or `after caps`.
    pub deductions_come: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PopulationSpec {
    pub name: Option<String>,
    pub title: Option<String>,
    pub size: Option<Dec>,
    pub eligibility: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DomainSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub outcomes: Vec<OutcomeSpec>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OutcomeSpec {
    pub name: String,
    pub title: Option<String>,
    pub indicators: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Named {
    pub name: String,
    pub title: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct IndicatorSpec {
    pub name: String,
    pub title: Option<String>,
    pub definition: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub unit: UnitSpec,
    /// `higher` or `lower`; null for a reporting-only indicator that does not say.
    pub better: Option<String>,
    /// `monthly`, `quarterly`, `annually` or `annually by contract year`.
    pub reported: Option<String>,
    pub follow_up: Option<String>,
    pub data_lag: Option<String>,
    /// The baseline as written, such as `82.7% in 2014/15`, and its value in the unit.
    pub baseline: Option<String>,
    pub baseline_value: Option<Dec>,
    /// Each step of the target as written, such as `84% in year 1`.
    pub targets: Vec<String>,
    pub minimum_denominator: Option<Dec>,
    pub reporting_only: bool,
    pub cohort: Option<String>,
    /// Whether cases excluded from the denominator (personalised care adjustments) are taken
    /// off it: `540 of 900 excluding 180` is 540 of 720.
    pub exclusions_come_off_the_denominator: bool,
    /// How rows of shorter periods combine into a longer period's value: `pooling` (numerators
    /// over denominators, counts and amounts added up), `mean`, `latest`, `sum`, `best`, `worst`.
    pub combine_periods: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct InputSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub unit: UnitSpec,
    /// The values it may take, both ends included; null when only its unit limits it.
    pub range: Option<RangeSpec>,
    /// How rows of shorter periods make a longer period's figure (`latest`, `mean`, `sum`...);
    /// null: they are not combined.
    pub combine_periods: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DerivedSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The calculation as written, such as `list_size / national_list_size`.
    pub equals: String,
    /// What the value measures, in words: `a plain number`, `a percentage`, `money`, `a count`.
    pub unit: String,
    /// Decimal places it is rounded to (by the contract's rounding mode); null: not rounded.
    pub rounded_to: Option<u32>,
    /// The values it may take, both ends included, in the value's own terms (a percentage as
    /// a fraction: `0.85` for 85%).
    pub range: Option<RangeSpec>,
    /// The inputs, indicators and derived values it is worked out from.
    pub uses: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RangeSpec {
    pub from: Dec,
    pub to: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct UnitSpec {
    /// `percent`, `count`, `rate`, `money`, `days`, `score` or `ratio`.
    pub kind: String,
    /// The unit in words, such as `a rate per 1,000`.
    pub words: String,
    /// For a rate: per how many.
    pub per: Option<Dec>,
    /// The lowest and highest values the unit allows (null: no upper limit).
    pub min: Dec,
    pub max: Option<Dec>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct YearMoney {
    pub contract_year: u32,
    pub start: Day,
    pub end: Day,
    pub amount: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PaymentSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The payment's share of the money at risk, in percent (to 28 digits for a fraction such
    /// as `1/7`); null for a payment with its own pot.
    pub weight: Option<Dec>,
    /// The weight as written: `25%`, `1/7` or `equal` (an equal share of what the other
    /// weights leave); null for a payment with its own pot.
    pub weight_as_written: Option<String>,
    /// The indicator it is measured on; null for a rate card.
    pub indicator: Option<String>,
    pub assessed: String,
    /// The money the payment draws on in each contract year; null when it has no pot. For a
    /// rate card it is a yearly budget: the most it pays in a contract year.
    pub pot_per_year: Option<Vec<YearMoney>>,
    /// Whether the contract says the payment has no overall cap on purpose (`not capped`).
    pub not_capped: bool,
    /// How the payment combines its indicator's rows of shorter periods, where it says so
    /// (otherwise as its indicator does).
    pub combine_periods: Option<String>,
    pub mechanism: MechanismSpec,
    /// Points or a share of the pot frozen at a value given with the data, whatever the
    /// result; null when the payment is not protected.
    pub protected: Option<ProtectedSpec>,
    /// Who pays it, with their shares in percent: its own `paid by`, or the contract's; empty
    /// without named commissioners.
    pub paid_by: Vec<PayerShareSpec>,
    /// Whether `paid_by` is the payment's own (`paid by` in the payment).
    pub own_payers: bool,
    pub caps: Vec<LimitSpec>,
    pub floors: Vec<LimitSpec>,
    /// How the due date is worked out, in words, such as `30 days after the data is available`.
    pub paid: String,
    /// A share of the pot paid in advance, in percent, and how often; null without advances.
    pub advance: Option<AdvanceSpec>,
    /// The largest possible payment in each contract year; null entries where it cannot be known
    /// (points times factors supplied with the data, or a rate card without yearly caps).
    pub largest_payment_per_year: Vec<Option<YearMoney>>,
    /// Every assessment period, with its pot and due date.
    pub periods: Vec<PeriodSpec>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProtectedSpec {
    /// `points` (a points payment is paid on the points given) or `share` (a tiers or linear
    /// payment is paid the share of its pot given).
    pub what: String,
    /// The input or derived value that gives them for each period.
    pub value: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AdvanceSpec {
    pub share: Dec,
    pub frequency: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AdvanceBlockSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// A share, in percent, of `share_of` each contract year; null when it pays amounts.
    pub share: Option<Dec>,
    /// The input or derived value (money) the share is of.
    pub share_of: Option<String>,
    /// The amount of each contract year, when it pays amounts.
    pub amount_per_year: Vec<YearMoney>,
    /// How often the instalments are paid.
    pub paid: String,
    /// The payments paid through it.
    pub covers: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct LimitSpec {
    pub amount: Dec,
    /// `per participant`, `per month`, `per quarter`, `per period`, `per year` or `over the term`.
    pub scope: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PeriodSpec {
    pub label: String,
    pub start: Day,
    pub end: Day,
    pub contract_year: u32,
    /// The period's pot (null without a pot), pro-rated for a part period.
    pub pot: Option<Dec>,
    /// When the payment for the period falls due.
    pub due: Day,
}

/// How a payment works out its amount.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MechanismSpec {
    Tiers {
        bands: Vec<BandSpec>,
    },
    Linear {
        /// The scale's ends in contract year 1.
        from: Dec,
        to: Dec,
        pays_from: Dec,
        pays_to: Dec,
        /// The ends in each contract year, where they are placed by a target that changes by
        /// year; empty otherwise.
        by_year: Vec<ScaleYearSpec>,
    },
    Points {
        points: Dec,
        /// The scale's ends in contract year 1.
        from: Dec,
        to: Dec,
        /// The ends in each contract year, where they change by year; empty otherwise.
        by_year: Vec<ScaleYearSpec>,
        /// The price of a point in each contract year.
        price_per_point: Vec<YearMoney>,
        adjusted_by: Vec<String>,
    },
    Improvement {
        /// `absolute` or `relative`.
        change: String,
        /// `baseline` or `comparison group`.
        against: String,
        trigger: Option<Dec>,
        /// Whether the improvement must be more than the trigger (`above`), not just reach it.
        trigger_above: bool,
        pooled_trigger: Option<Dec>,
        pooled_trigger_above: bool,
        /// What the pooled trigger pools: `pooled counts` or `the mean of the periods`.
        pooled_on: Option<String>,
        /// When it is assessed: `at the final assessment` or `over the periods so far`.
        pooled_when: Option<String>,
        /// A share of the pot when triggered (percent), an amount per point of improvement, or
        /// an amount per event avoided.
        pays_share: Option<Dec>,
        pays_per_point: Option<Dec>,
        pays_per_event: Option<Dec>,
    },
    RateCard {
        cohort: Option<String>,
        /// The fee for each participant who starts, in each contract year (by the year of the start).
        attachment_fee: Option<Vec<YearMoney>>,
        criteria: Vec<String>,
        outcomes: Vec<RateOutcomeSpec>,
    },
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ScaleYearSpec {
    pub contract_year: u32,
    pub from: Dec,
    pub to: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct BandYearSpec {
    pub contract_year: u32,
    pub lower: Option<BoundSpec>,
    pub upper: Option<BoundSpec>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct BandSpec {
    /// The band as written, such as `80% to 85%` or `target met`.
    pub range: String,
    /// Whether the band is placed by the indicator's target or baseline.
    pub placed_by_target_or_baseline: bool,
    /// The band's ends in contract year 1.
    pub lower: Option<BoundSpec>,
    pub upper: Option<BoundSpec>,
    /// The band's ends in each contract year, where they change by year (a band placed by a
    /// target that changes); empty otherwise.
    pub by_year: Vec<BandYearSpec>,
    /// `nothing`, `share`, `amount` or `linear`.
    pub pays: String,
    /// For `share`: the share of the pot in percent; for `amount`: the amount.
    pub value: Option<Dec>,
    /// For `linear`: the shares at the band's lower and upper ends.
    pub from: Option<Dec>,
    pub to: Option<Dec>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BoundSpec {
    pub value: Dec,
    pub included: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RateOutcomeSpec {
    pub name: String,
    pub title: Option<String>,
    /// The fee in each contract year (by the year the outcome is achieved).
    pub price: Vec<YearMoney>,
    pub within: Option<String>,
    /// The criteria the outcome needs, all of them.
    pub all_of: Vec<String>,
    /// Whether the criteria alone achieve the outcome (`achieved by all of`); otherwise the
    /// outcome must also be recorded (`when all of`).
    pub achieved_by_criteria: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct GatewaySpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Each condition in words, such as `data_completeness at least 95%`.
    pub requires: Vec<String>,
    /// The payments it applies to; null for all.
    pub applies_to: Option<Vec<String>>,
    pub withholds: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DeductionSpec {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub indicator: String,
    pub tolerance: Dec,
    pub per: String,
    /// An amount, or a share of the monthly value in percent.
    pub amount: Option<Dec>,
    pub share_of_monthly_value: Option<Dec>,
    /// What one charge is for: `breach`, `event`, `patient-day` or `patient-month`; null when the
    /// amount is deducted once for a period beyond its tolerance.
    pub charged_per: Option<String>,
    /// A national standard on a percentage indicator, in percent: what each period's
    /// denominator must meet before breaches are charged.
    pub standard: Option<Dec>,
    /// Performance past which breaches cost no more, in percent.
    pub no_further_sanction_beyond: Option<Dec>,
    /// What is done with a fraction of a breach beyond the standard: `rounded up`,
    /// `rounded down`, `rounded to nearest` or `not rounded`; null without a standard.
    pub excess_breaches: Option<String>,
    /// Worse breaches counted by another indicator, charged their own amount instead.
    pub instead: Vec<InsteadSpec>,
    /// How the sanction is shared, in percent of it; empty when the provider bears it all.
    pub borne_by: Vec<ShareSpec>,
    pub taken_from: Option<String>,
    pub caps: Vec<LimitSpec>,
    /// Whose payments it comes off, with their shares in percent: those of the payment it is
    /// taken from, or the contract's; empty without named commissioners.
    pub paid_by: Vec<PayerShareSpec>,
}

/// A pooled trigger in words: "A period that misses the trigger is still paid when the
/// improvement over every period, on pooled counts, is at least 7.5%: at the final assessment,
/// and it is paid then".
pub fn pooled_trigger_words(value: &str, above: bool, on: &str, when: &str) -> String {
    let reach = if above { "is above" } else { "is at least" };
    let over = if on == "the mean of the periods" {
        "the mean of the periods' improvements"
    } else {
        "the improvement of their pooled counts"
    };
    if when == "over the periods so far" {
        format!("A period that misses the trigger is still paid when, over the periods so far, {over} {reach} {value}")
    } else {
        format!("A period that misses the trigger is still paid when, over every period at the final assessment, {over} {reach} {value}; it is then paid with the final assessment")
    }
}

impl DeductionSpec {
    /// The standard in words: `standard 95%, no further sanction beyond 85%, excess breaches
    /// rounded up`.
    pub fn standard_words(&self) -> Option<String> {
        let standard = self.standard.as_ref()?;
        let mut words = format!("standard {}%", standard);
        if let Some(floor) = &self.no_further_sanction_beyond {
            words.push_str(&format!(", no further sanction beyond {floor}%"));
        }
        if let Some(rounding) = &self.excess_breaches {
            words.push_str(&format!(", excess breaches {rounding}"));
        }
        Some(words)
    }

    /// Who bears the sanction: `borne 50% by the provider and 50% by the commissioner`.
    pub fn borne_words(&self) -> Option<String> {
        if self.borne_by.is_empty() {
            return None;
        }
        let parts = self
            .borne_by
            .iter()
            .map(|s| format!("{}% by the {}", s.share, s.party))
            .collect::<Vec<_>>();
        Some(format!("borne {}", parts.join(" and ")))
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct InsteadSpec {
    pub indicator: String,
    pub amount_per_breach: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ShareSpec {
    pub party: String,
    /// In percent.
    pub share: Dec,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct YearSpec {
    pub contract_year: u32,
    pub start: Day,
    pub end: Day,
    pub at_risk: Option<Dec>,
    /// The largest possible payment of all payments together; null when some payment's cannot be known.
    pub largest_payment: Option<Dec>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ExampleSpec {
    pub title: String,
    pub lines: Vec<String>,
}

fn frequency_words(frequency: Frequency) -> String {
    calendar::frequency_words(frequency).to_string()
}

fn limits(limits: &[(LimitScope, Decimal)]) -> Vec<LimitSpec> {
    limits
        .iter()
        .map(|(scope, amount)| LimitSpec {
            amount: money(*amount),
            scope: scope.words().to_string(),
        })
        .collect()
}

fn bound(b: Option<Bound>) -> Option<BoundSpec> {
    b.map(|b| BoundSpec {
        value: dec(b.value),
        included: b.closed,
    })
}

fn unit(unit: Unit) -> UnitSpec {
    let (min, max) = crate::units::unit_domain(unit);
    let (kind, per) = match unit {
        Unit::Percent => ("percent", None),
        Unit::Count => ("count", None),
        Unit::RatePer(n) => ("rate", Some(dec(n))),
        Unit::Money => ("money", None),
        Unit::Days => ("days", None),
        Unit::Score { .. } => ("score", None),
        Unit::Ratio => ("ratio", None),
    };
    UnitSpec {
        kind: kind.into(),
        words: unit_words(unit),
        per,
        min: dec(min),
        max: max.map(dec),
    }
}

/// The contract years of the term, with their first and last days.
/// A scale's ends in each contract year, when they change by year.
fn scale_years(from: &model::ByYear, to: &model::ByYear) -> Vec<ScaleYearSpec> {
    if from.same_every_year().is_some() && to.same_every_year().is_some() {
        return Vec::new();
    }
    from.0
        .iter()
        .zip(&to.0)
        .enumerate()
        .map(|(i, (f, t))| ScaleYearSpec {
            contract_year: i as u32 + 1,
            from: dec(*f),
            to: dec(*t),
        })
        .collect()
}

/// An amount for each contract year, with the year's dates.
fn year_money(calendar: &Calendar, amounts: &[Decimal]) -> Vec<YearMoney> {
    years(calendar)
        .into_iter()
        .zip(amounts)
        .map(|((year, start, end), amount)| YearMoney {
            contract_year: year,
            start: day(start),
            end: day(end),
            amount: money(*amount),
        })
        .collect()
}

fn years(calendar: &Calendar) -> Vec<(u32, Date, Date)> {
    (1..=calendar.contract_years())
        .filter_map(|year| {
            calendar
                .contract_year(year)
                .map(|(start, end)| (year, start, end.min(calendar.end)))
        })
        .collect()
}

/// The largest possible payment of a payment in each contract year (see
/// [`model::Payment::largest_per_year`]).
pub fn largest_per_year(contract: &Contract, payment: &model::Payment) -> Vec<Option<Decimal>> {
    payment.largest_per_year(
        &contract.calendar,
        contract.rounding,
        contract.exclude_part_periods,
    )
}

/// Builds the specification of a resolved contract.
pub fn build(contract: &Contract) -> Spec {
    let calendar = contract.calendar;
    let about = &contract.about;
    let year_list = years(&calendar);
    let year_money = |amounts: &[Option<Decimal>]| -> Vec<Option<YearMoney>> {
        year_list
            .iter()
            .zip(amounts)
            .map(|((year, start, end), amount)| {
                amount.map(|a| YearMoney {
                    contract_year: *year,
                    start: day(*start),
                    end: day(*end),
                    amount: money(a),
                })
            })
            .collect()
    };
    let population = |p: &model::PopulationInfo| PopulationSpec {
        name: p.name.clone(),
        title: p.title.clone(),
        size: p.size.map(dec),
        eligibility: p.eligibility.clone(),
        description: p.description.clone(),
    };
    let indicators = contract
        .indicators
        .values()
        .map(|i| {
            let text = about.indicators.get(&i.name).cloned().unwrap_or_default();
            IndicatorSpec {
                name: i.name.clone(),
                title: i.title.clone(),
                definition: text.definition,
                numerator: text.numerator,
                denominator: text.denominator,
                source: text.source,
                description: text.description,
                unit: unit(i.unit),
                better: i.polarity.map(|p| {
                    if p == Polarity::Higher {
                        "higher"
                    } else {
                        "lower"
                    }
                    .to_string()
                }),
                reported: i.reported.map(frequency_words),
                follow_up: text.follow_up,
                data_lag: i.data_lag.map(crate::units::duration_words),
                baseline: text.baseline,
                baseline_value: i.baseline.map(dec),
                targets: text.targets,
                minimum_denominator: i.minimum_denominator.map(dec),
                reporting_only: i.reporting_only,
                cohort: text.cohort,
                exclusions_come_off_the_denominator: i.exclusions,
                combine_periods: i.combine.words().to_string(),
            }
        })
        .collect();
    let mut totals: Vec<Option<Decimal>> = vec![Some(Decimal::ZERO); year_list.len()];
    let payments = contract
        .payments
        .iter()
        .map(|p| {
            let largest = largest_per_year(contract, p);
            for (total, amount) in totals.iter_mut().zip(&largest) {
                *total = total.zip(*amount).map(|(t, a)| t + a);
            }
            payment(contract, p, year_money(&largest))
        })
        .collect();
    Spec {
        obc_format: FORMAT_VERSION.to_string(),
        contract: ContractSpec {
            title: contract.title.clone(),
            reference: about.reference.clone(),
            description: about.description.clone(),
            commissioners: about.commissioners.clone(),
            payers: contract
                .payers
                .iter()
                .map(|p| PayerSpec {
                    name: p.name.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            paid_by: payer_shares(&contract.paid_by),
            providers: about.providers.clone(),
            term: TermSpec {
                start: day(calendar.start),
                end: day(calendar.end),
                contract_years: calendar.contract_years(),
                payments_due_by: contract.last_due.map(day),
            },
            fiscal_year_starts: calendar.fiscal_start as u8,
            currency: contract.currency.code().to_string(),
            value_per_year: money(contract.value_per_year),
            rules: RulesSpec {
                rounding_mode: match contract.rounding.mode {
                    RoundingMode::HalfUp => "half-up",
                    RoundingMode::HalfEven => "half-even",
                    RoundingMode::Up => "up",
                    RoundingMode::Down => "down",
                }
                .into(),
                rounding_unit: if contract.rounding.unit == RoundingUnit::Minor {
                    "penny"
                } else {
                    "pound"
                }
                .into(),
                factors_rounded_to: contract.factor_places,
                boundary_values_go_to: if contract.boundary == BandSide::Higher {
                    "higher"
                } else {
                    "lower"
                }
                .into(),
                missing_data: if contract.missing_data == MissingDataRule::Error {
                    "error"
                } else {
                    "pays nothing"
                }
                .into(),
                month_ends_stay_month_ends: contract.keep_month_ends,
                part_periods: if contract.exclude_part_periods {
                    "excluded"
                } else {
                    "pro-rated"
                }
                .into(),
                deductions_come: if contract.deductions_before_caps {
                    "before caps"
                } else {
                    "after caps"
                }
                .into(),
            },
        },
        population: about.population.as_ref().map(population),
        cohorts: about.cohorts.iter().map(population).collect(),
        outcomes_framework: about
            .domains
            .iter()
            .map(|d| DomainSpec {
                name: d.name.clone(),
                title: d.title.clone(),
                description: about.descriptions.get(&d.name).cloned(),
                outcomes: d
                    .outcomes
                    .iter()
                    .map(|o| OutcomeSpec {
                        name: o.name.clone(),
                        title: o.title.clone(),
                        indicators: o.indicators.clone(),
                    })
                    .collect(),
            })
            .collect(),
        indicators,
        factors: about
            .factors
            .iter()
            .map(|(name, title)| Named {
                name: name.clone(),
                title: title.clone(),
            })
            .collect(),
        inputs: contract
            .inputs
            .values()
            .map(|i| InputSpec {
                name: i.name.clone(),
                title: i.title.clone(),
                description: about.descriptions.get(&i.name).cloned(),
                unit: unit(i.unit),
                range: i.range.map(|(from, to)| RangeSpec {
                    from: dec(from),
                    to: dec(to),
                }),
                combine_periods: i.combine.map(|c| c.words().to_string()),
            })
            .collect(),
        derived_values: contract
            .derived
            .values()
            .map(|d| DerivedSpec {
                name: d.name.clone(),
                title: d.title.clone(),
                description: about.descriptions.get(&d.name).cloned(),
                equals: d.written.clone(),
                unit: d.dimension.words(),
                rounded_to: d.places,
                range: d.range.map(|(from, to)| RangeSpec {
                    from: dec(from),
                    to: dec(to),
                }),
                uses: d.expr.names().into_iter().map(String::from).collect(),
            })
            .collect(),
        flags: about
            .flags
            .iter()
            .map(|(name, title)| Named {
                name: name.clone(),
                title: title.clone(),
            })
            .collect(),
        payments,
        gateways: contract
            .gateways
            .iter()
            .map(|g| gateway(contract, g))
            .collect(),
        deductions: contract
            .deductions
            .iter()
            .map(|d| deduction(contract, d))
            .collect(),
        advances: contract
            .advances
            .iter()
            .map(|a| {
                let (share, share_of, amounts) = match &a.base {
                    model::AdvanceBase::ShareOf { share, value } => {
                        (Some(dec(*share)), Some(value.clone()), Vec::new())
                    }
                    model::AdvanceBase::Amounts(amounts) => (
                        None,
                        None,
                        self::year_money(
                            &calendar,
                            &(1..=calendar.contract_years())
                                .map(|year| amounts.at(year))
                                .collect::<Vec<_>>(),
                        ),
                    ),
                };
                AdvanceBlockSpec {
                    name: a.name.clone(),
                    title: a.title.clone(),
                    description: about.descriptions.get(&a.name).cloned(),
                    share,
                    share_of,
                    amount_per_year: amounts,
                    paid: frequency_words(a.frequency),
                    covers: a.covers.clone(),
                }
            })
            .collect(),
        years: year_list
            .iter()
            .zip(&totals)
            .map(|((year, start, end), largest)| YearSpec {
                contract_year: *year,
                start: day(*start),
                end: day(*end),
                at_risk: contract
                    .at_risk_per_year
                    .get(*year as usize - 1)
                    .map(|a| money(*a)),
                largest_payment: largest.map(money),
            })
            .collect(),
        worked_examples: about
            .examples
            .iter()
            .map(|e| ExampleSpec {
                title: e.title.clone(),
                lines: e.lines.clone(),
            })
            .collect(),
    }
}

fn payment(
    contract: &Contract,
    p: &model::Payment,
    largest: Vec<Option<YearMoney>>,
) -> PaymentSpec {
    let calendar = contract.calendar;
    let data_lag = p
        .indicator
        .as_ref()
        .and_then(|i| contract.indicators.get(i))
        .and_then(|i| i.data_lag);
    let periods = p
        .period_pots(&calendar, contract.rounding, false)
        .into_iter()
        .map(|pot| {
            let (due, _) = crate::eval::due_date(contract, pot.period.end, data_lag, p.lag);
            PeriodSpec {
                label: pot.period.label.clone(),
                start: day(pot.period.start),
                end: day(pot.period.end),
                contract_year: pot.year,
                pot: p.pot_per_year.as_ref().map(|_| money(pot.pot)),
                due: day(due),
            }
        })
        .collect();
    let pot_per_year = p
        .pot_per_year
        .as_ref()
        .map(|pots| year_money(&calendar, pots));
    let paid = match p.lag {
        Some((lag, LagFrom::Data)) => format!(
            "{} after the data is available",
            crate::units::duration_words(lag)
        ),
        Some((lag, LagFrom::PeriodEnd)) => {
            format!(
                "{} after the period ends",
                crate::units::duration_words(lag)
            )
        }
        None => "when the data is available".to_string(),
    };
    PaymentSpec {
        name: p.name.clone(),
        title: p.title.clone(),
        description: contract.about.descriptions.get(&p.name).cloned(),
        weight: contract.about.weights.get(&p.name).map(|(w, _)| dec(*w)),
        weight_as_written: contract.about.weights.get(&p.name).map(|(_, w)| w.clone()),
        indicator: p.indicator.clone(),
        assessed: frequency_words(p.frequency),
        pot_per_year,
        not_capped: p.not_capped,
        combine_periods: p.combine.map(|c| c.words().to_string()),
        mechanism: mechanism(contract, p),
        paid_by: payer_shares(contract.payers_of(&p.name)),
        own_payers: p.paid_by.is_some(),
        protected: p.protection.as_ref().map(|protection| ProtectedSpec {
            what: protection.what.word().to_string(),
            value: protection.value.clone(),
        }),
        caps: limits(&p.caps),
        floors: limits(&p.floors),
        paid,
        advance: p.advance.map(|(share, frequency)| AdvanceSpec {
            share: dec(share),
            frequency: frequency_words(frequency),
        }),
        largest_payment_per_year: largest,
        periods,
    }
}

fn mechanism(contract: &Contract, p: &model::Payment) -> MechanismSpec {
    match &p.mechanism {
        Mechanism::Tiers(bands) => MechanismSpec::Tiers {
            bands: bands
                .iter()
                .map(|b| {
                    let (pays, value, from, to) = match b.payout {
                        BandPayout::Nothing => ("nothing", None, None, None),
                        BandPayout::Share(s) => ("share", Some(dec(s)), None, None),
                        BandPayout::Amount(a) => ("amount", Some(money(a)), None, None),
                        BandPayout::Linear(f, t) => ("linear", None, Some(dec(f)), Some(dec(t))),
                    };
                    let varies = b.intervals.windows(2).any(|w| w[0] != w[1]);
                    BandSpec {
                        range: b.text.clone(),
                        placed_by_target_or_baseline: b.relative,
                        lower: bound(b.interval(1).lo),
                        upper: bound(b.interval(1).hi),
                        by_year: if varies {
                            b.intervals
                                .iter()
                                .enumerate()
                                .map(|(i, interval)| BandYearSpec {
                                    contract_year: i as u32 + 1,
                                    lower: bound(interval.lo),
                                    upper: bound(interval.hi),
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        pays: pays.into(),
                        value,
                        from,
                        to,
                    }
                })
                .collect(),
        },
        Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        } => MechanismSpec::Linear {
            from: dec(from.at(1)),
            to: dec(to.at(1)),
            pays_from: dec(*pay_from),
            pays_to: dec(*pay_to),
            by_year: scale_years(from, to),
        },
        Mechanism::Points {
            points,
            from,
            to,
            price,
            factors,
        } => MechanismSpec::Points {
            points: dec(*points),
            from: dec(from.at(1)),
            to: dec(to.at(1)),
            by_year: scale_years(from, to),
            price_per_point: year_money(&contract.calendar, &price.0),
            adjusted_by: factors.clone(),
        },
        Mechanism::Improvement(i) => MechanismSpec::Improvement {
            change: if i.change == ChangeKind::Absolute {
                "absolute"
            } else {
                "relative"
            }
            .into(),
            against: if i.against_baseline {
                "baseline"
            } else {
                "comparison group"
            }
            .into(),
            trigger: i.trigger.map(|t| dec(t.value)),
            trigger_above: i.trigger.is_some_and(|t| t.above),
            pooled_trigger: i.pooled_trigger.map(|p| dec(p.trigger.value)),
            pooled_trigger_above: i.pooled_trigger.is_some_and(|p| p.trigger.above),
            pooled_on: i.pooled_trigger.map(|p| p.pooling.words().to_string()),
            pooled_when: i.pooled_trigger.map(|p| p.when.words().to_string()),
            pays_share: match i.pays {
                ImprovementPays::Share(s) => Some(dec(s)),
                _ => None,
            },
            pays_per_point: match i.pays {
                ImprovementPays::PerPoint(a) => Some(money(a)),
                _ => None,
            },
            pays_per_event: match i.pays {
                ImprovementPays::PerEvent(a) => Some(money(a)),
                _ => None,
            },
        },
        Mechanism::RateCard(card) => {
            let _ = contract;
            MechanismSpec::RateCard {
                cohort: card.cohort.clone(),
                attachment_fee: card
                    .attachment_fee
                    .as_ref()
                    .map(|f| year_money(&contract.calendar, &f.0)),
                criteria: card.criteria.clone(),
                outcomes: card
                    .outcomes
                    .iter()
                    .map(|o| RateOutcomeSpec {
                        name: o.name.clone(),
                        title: o.title.clone(),
                        price: year_money(&contract.calendar, &o.price.0),
                        within: o.within.map(crate::units::duration_words),
                        all_of: o.all_of.clone(),
                        achieved_by_criteria: o.by_criteria,
                    })
                    .collect(),
            }
        }
    }
}

fn gateway(contract: &Contract, g: &model::Gateway) -> GatewaySpec {
    let requires = g
        .requires
        .iter()
        .map(|r| match r {
            model::Requirement::Indicator {
                name,
                comparison,
                value,
            } => {
                let unit = contract
                    .indicators
                    .get(name)
                    .map(|i| i.unit)
                    .unwrap_or(Unit::Count);
                let words = match comparison {
                    Comparison::AtLeast => "at least",
                    Comparison::AtMost => "at most",
                    Comparison::Above => "above",
                    Comparison::Below => "below",
                };
                format!(
                    "{name} {words} {}",
                    format_value(*value, unit, contract.currency)
                )
            }
            model::Requirement::Flag(flag) => format!("flag {flag}"),
        })
        .collect();
    GatewaySpec {
        name: g.name.clone(),
        title: g.title.clone(),
        description: contract.about.descriptions.get(&g.name).cloned(),
        requires,
        applies_to: g.applies_to.clone(),
        withholds: dec(g.withholds),
    }
}

fn deduction(contract: &Contract, d: &model::Deduction) -> DeductionSpec {
    let (amount, share) = match d.amount {
        model::DeductAmount::Money(m) => (Some(money(m)), None),
        model::DeductAmount::ShareOfMonthlyValue(s) => (None, Some(dec(s))),
    };
    DeductionSpec {
        name: d.name.clone(),
        title: d.title.clone(),
        description: contract.about.descriptions.get(&d.name).cloned(),
        indicator: d.indicator.clone(),
        tolerance: dec(d.tolerance),
        per: crate::eval::period_noun(d.frequency).to_string(),
        amount,
        share_of_monthly_value: share,
        charged_per: d.per.map(|unit| unit.words().0.to_string()),
        standard: d.standard.map(|s| dec(s.standard)),
        no_further_sanction_beyond: d.standard.and_then(|s| s.floor).map(dec),
        excess_breaches: d.standard.map(|s| s.rounding.words().to_string()),
        instead: d
            .instead
            .iter()
            .map(|(indicator, amount)| InsteadSpec {
                indicator: indicator.clone(),
                amount_per_breach: money(*amount),
            })
            .collect(),
        borne_by: d
            .shares
            .iter()
            .map(|(party, share)| ShareSpec {
                party: party.word().to_string(),
                share: dec(*share),
            })
            .collect(),
        taken_from: d.taken_from.clone(),
        caps: limits(&d.caps),
        paid_by: payer_shares(contract.payers_of(&d.name)),
    }
}

fn payer_shares(split: &[(String, Decimal)]) -> Vec<PayerShareSpec> {
    split
        .iter()
        .map(|(payer, share)| PayerShareSpec {
            payer: payer.clone(),
            share: dec(*share),
        })
        .collect()
}

/// The JSON Schema of the specification, as committed in docs/schema/obc-contract.schema.json.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Spec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
