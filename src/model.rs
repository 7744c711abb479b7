//! The resolved contract: what the checker established, in the form evaluation and emission
//! need. Names are resolved, values are in their indicators' units, pots are money per
//! contract year, defaults are explicit. A model is only built for a contract without errors.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::calendar::Calendar;
use crate::intervals::Interval;
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
    /// Figures supplied with the data, by name.
    pub inputs: BTreeMap<String, Input>,
    /// Values worked out from inputs, indicators and constants, by name.
    pub derived: BTreeMap<String, Derived>,
    /// The named commissioners, in the order written.
    pub payers: Vec<Payer>,
    /// Who pays every payment and deduction that does not say, and their shares in percent:
    /// the contract's `paid by`, or the only named commissioner; empty without payers.
    pub paid_by: Vec<(String, Decimal)>,
    pub payments: Vec<Payment>,
    pub deductions: Vec<Deduction>,
    pub gateways: Vec<Gateway>,
    /// Advances across several payments (`advance` blocks).
    pub advances: Vec<Advance>,
}

/// An `advance` block: instalments each contract year, reconciled at its end against what the
/// payments it covers earned.
#[derive(Clone, Debug)]
pub struct Advance {
    pub name: String,
    pub title: Option<String>,
    pub base: AdvanceBase,
    pub frequency: Frequency,
    /// The payments paid through it.
    pub covers: Vec<String>,
    pub defined_at: (FileId, Span),
}

/// What an advance pays each contract year.
#[derive(Clone, Debug)]
pub enum AdvanceBase {
    /// A share, in percent, of an input or derived value (money) given for the year.
    ShareOf { share: Decimal, value: String },
    /// Amounts by contract year.
    Amounts(ByYear),
}

impl Contract {
    /// The advance block that covers a payment, if any.
    pub fn advance_covering(&self, payment: &str) -> Option<&Advance> {
        self.advances
            .iter()
            .find(|a| a.covers.iter().any(|p| p == payment))
    }
}

/// A named commissioner, who pays a share of payments.
#[derive(Clone, Debug)]
pub struct Payer {
    pub name: String,
    pub title: String,
}

impl Contract {
    /// Who pays the lines of a payment or deduction, with their shares in percent: the
    /// payment's own `paid by`, else (for a deduction taken from a payment) that payment's,
    /// else the contract's. Empty when the contract names no payers.
    pub fn payers_of(&self, name: &str) -> &[(String, Decimal)] {
        let payment = |name: &str| self.payments.iter().find(|p| p.name == name);
        let own = match payment(name) {
            Some(p) => p.paid_by.as_deref(),
            None => self
                .deductions
                .iter()
                .find(|d| d.name == name)
                .and_then(|d| d.taken_from.as_deref())
                .and_then(payment)
                .and_then(|p| p.paid_by.as_deref()),
        };
        own.unwrap_or(&self.paid_by)
    }
}

/// An amount for each contract year, year 1 first: a price or fee that may change by year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByYear(pub Vec<Decimal>);

impl ByYear {
    /// The amount in contract year `year` (1 for the first); the last year's for a later one.
    pub fn at(&self, year: u32) -> Decimal {
        let index = (year.max(1) as usize - 1).min(self.0.len().saturating_sub(1));
        self.0.get(index).copied().unwrap_or_default()
    }

    /// The amount when it is the same in every year.
    pub fn same_every_year(&self) -> Option<Decimal> {
        let first = *self.0.first()?;
        self.0.iter().all(|v| *v == first).then_some(first)
    }

    /// The largest amount of any year.
    pub fn most(&self) -> Decimal {
        self.0.iter().copied().max().unwrap_or_default()
    }
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

    /// The money unit in words, plural, for the contract's currency: `pennies`, `cents`, `pounds`.
    pub fn unit_words(self, currency: CurrencyCode) -> &'static str {
        match (self.unit, currency) {
            (RoundingUnit::Minor, CurrencyCode::Gbp) => "pennies",
            (RoundingUnit::Minor, _) => "cents",
            (RoundingUnit::Major, CurrencyCode::Gbp) => "pounds",
            (RoundingUnit::Major, CurrencyCode::Eur) => "euros",
            (RoundingUnit::Major, CurrencyCode::Usd) => "dollars",
        }
    }

    /// The smallest amount of money lines are rounded to: 0.01 for pennies, 1 for pounds.
    pub fn unit(self) -> Decimal {
        match self.unit {
            RoundingUnit::Minor => Decimal::new(1, 2),
            RoundingUnit::Major => Decimal::ONE,
        }
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
    /// The `description` of each payment, gateway, deduction and domain, by name.
    pub descriptions: BTreeMap<String, String>,
    /// Each weighted payment's share of the money at risk, in percent (to 28 digits for a
    /// fraction such as `1/7`), and its weight as written (`25%`, `1/7`, `equal`), by name.
    pub weights: BTreeMap<String, (Decimal, String)>,
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
    /// The target in each contract year, where it gives one for every year.
    pub targets: Option<ByYear>,
    pub minimum_denominator: Option<Decimal>,
    pub reporting_only: bool,
    /// `exclusions come off the denominator`: data may give cases excluded from it.
    pub exclusions: bool,
    /// How rows of shorter periods combine into a longer one (pooling by default).
    pub combine: crate::syntax::ast::Combine,
}

impl Contract {
    /// The lowest value above zero that a payment, gateway, baseline or target of an indicator
    /// names: where its thresholds start.
    pub fn lowest_threshold(&self, indicator: &str) -> Option<Decimal> {
        let mut values: Vec<Decimal> = Vec::new();
        for payment in self
            .payments
            .iter()
            .filter(|p| p.indicator.as_deref() == Some(indicator))
        {
            match &payment.mechanism {
                Mechanism::Tiers(bands) => {
                    for interval in bands.iter().flat_map(|b| &b.intervals) {
                        values.extend(interval.lo.map(|b| b.value));
                        values.extend(interval.hi.map(|b| b.value));
                    }
                }
                Mechanism::Linear { from, to, .. } | Mechanism::Points { from, to, .. } => {
                    values.extend(from.0.iter().chain(&to.0).copied());
                }
                _ => {}
            }
        }
        for gateway in &self.gateways {
            for requirement in &gateway.requires {
                if let Requirement::Indicator { name, value, .. } = requirement {
                    if name == indicator {
                        values.push(*value);
                    }
                }
            }
        }
        values.extend(self.indicators.get(indicator).and_then(|i| i.baseline));
        values.into_iter().filter(|v| *v > Decimal::ZERO).min()
    }

    /// The unit of an indicator or an input.
    pub fn unit_of(&self, name: &str) -> Option<Unit> {
        self.indicators
            .get(name)
            .map(|i| i.unit)
            .or_else(|| self.inputs.get(name).map(|i| i.unit))
    }
}

/// A figure supplied with the data, such as a practice's list size.
#[derive(Clone, Debug)]
pub struct Input {
    /// Where the input's name is written, to point at when its data is missing.
    pub defined_at: (FileId, Span),
    pub name: String,
    pub title: Option<String>,
    pub unit: Unit,
    /// The values it may take, both ends included, in its unit (85% is 85).
    pub range: Option<(Decimal, Decimal)>,
    /// How rows of shorter periods make a longer period's figure, where the contract says; a
    /// figure such as a list size is not added up unless it says so.
    pub combine: Option<crate::syntax::ast::Combine>,
}

/// A value worked out from inputs, indicators and constants.
#[derive(Clone, Debug)]
pub struct Derived {
    pub defined_at: (FileId, Span),
    pub name: String,
    pub title: Option<String>,
    pub expr: Expr,
    /// The calculation as written, such as `list_size / national_list_size`.
    pub written: String,
    /// Decimal places it is rounded to, by the contract's rounding mode; `None`: not rounded.
    pub places: Option<u32>,
    /// The values it may take, both ends included (a percentage as written: 85% is 85).
    pub range: Option<(Decimal, Decimal)>,
    pub dimension: crate::units::Dimension,
}

/// A calculation, its names resolved. Percentages are fractions here: 5% is 0.05, and a
/// percentage indicator's value of 85% is 0.85.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Constant {
        value: Decimal,
        /// As written, such as `5%` or `£120`.
        written: String,
    },
    Input(String),
    Derived(String),
    /// An indicator's value for the period.
    Indicator(String),
    Numerator(String),
    Denominator(String),
    Op(crate::syntax::ast::Operator, Box<Expr>, Box<Expr>),
    Min(Vec<Expr>),
    Max(Vec<Expr>),
}

impl Expr {
    /// Every input, derived value and indicator the calculation reads, in order, once each.
    pub fn names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.collect_names(&mut names);
        names
    }

    fn collect_names<'a>(&'a self, names: &mut Vec<&'a str>) {
        let mut push = |name: &'a str| {
            if !names.contains(&name) {
                names.push(name);
            }
        };
        match self {
            Expr::Constant { .. } => {}
            Expr::Input(n)
            | Expr::Derived(n)
            | Expr::Indicator(n)
            | Expr::Numerator(n)
            | Expr::Denominator(n) => push(n),
            Expr::Op(_, a, b) => {
                a.collect_names(names);
                b.collect_names(names);
            }
            Expr::Min(args) | Expr::Max(args) => {
                for arg in args {
                    arg.collect_names(names);
                }
            }
        }
    }
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
    /// `not capped`: the contract says the payment has no overall cap on purpose.
    pub not_capped: bool,
    pub floors: Vec<(LimitScope, Decimal)>,
    pub lag: Option<(Duration, LagFrom)>,
    /// A share of the pot paid in advance at this frequency, reconciled at year end.
    pub advance: Option<(Decimal, Frequency)>,
    /// How this payment combines rows of shorter periods, where it says (else its indicator's way).
    pub combine: Option<crate::syntax::ast::Combine>,
    /// Points or a share frozen at a value given with the data, whatever the result.
    pub protection: Option<Protection>,
    /// This payment's own payers and their shares in percent (`paid by`), if it says.
    pub paid_by: Option<Vec<(String, Decimal)>>,
}

/// `points protected at <value>` or `share protected at <value>`.
#[derive(Clone, Debug)]
pub struct Protection {
    pub what: crate::syntax::ast::Protected,
    /// The input or derived value the payment is protected at.
    pub value: String,
}

impl Payment {
    /// Every assessment period of the payment with its pot (zero without one), in order: the
    /// payment's yearly pots spread over its periods by [`spread_by_year`], leaving out part
    /// periods when the contract excludes them.
    pub fn period_pots(
        &self,
        calendar: &Calendar,
        rounding: Rounding,
        exclude_part_periods: bool,
    ) -> Vec<PeriodPot> {
        let no_pot = vec![Decimal::ZERO];
        let yearly = self.pot_per_year.as_deref().unwrap_or(&no_pot);
        let mut pots = spread_by_year(calendar, self.frequency, yearly, rounding);
        if exclude_part_periods {
            pots.retain(|p| !p.is_part());
        }
        pots
    }

    /// The largest possible payment in each contract year, year 1 first: the best result in
    /// every period, rounded, then every cap in force (see [`crate::limits`]). `None` for a year
    /// where it cannot be known from the contract alone: points times factors supplied with the
    /// data, or a rate card or a payment per point with no cap to bound it.
    pub fn largest_per_year(
        &self,
        calendar: &Calendar,
        rounding: Rounding,
        exclude_part_periods: bool,
    ) -> Vec<Option<Decimal>> {
        let price_in = |year: u32| match &self.mechanism {
            Mechanism::Points { price, .. } => price.at(year),
            _ => Decimal::ZERO,
        };
        // A stand-in for "no limit" that caps can still cut down.
        let unbounded = Decimal::from(i64::MAX);
        let (share, amount) = match &self.mechanism {
            Mechanism::Tiers(bands) => {
                bands
                    .iter()
                    .fold((Decimal::ZERO, Decimal::ZERO), |(s, a), band| {
                        match band.payout {
                            BandPayout::Share(x) => (s.max(x), a),
                            BandPayout::Linear(x, y) => (s.max(x).max(y), a),
                            BandPayout::Amount(x) => (s, a.max(x)),
                            BandPayout::Nothing => (s, a),
                        }
                    })
            }
            Mechanism::Linear {
                pay_from, pay_to, ..
            } => ((*pay_from).max(*pay_to), Decimal::ZERO),
            Mechanism::Improvement(Improvement {
                pays: ImprovementPays::Share(s),
                ..
            }) => (*s, Decimal::ZERO),
            Mechanism::Improvement(_) if self.pot_per_year.is_some() => {
                (Decimal::ONE_HUNDRED, Decimal::ZERO)
            }
            Mechanism::Points {
                points,
                price,
                factors,
                ..
            } if factors.is_empty() => (Decimal::ZERO, *points * price.most()),
            _ => (Decimal::ZERO, unbounded),
        };
        let mut totals = crate::limits::CapTotals::default();
        let mut by_year = vec![Decimal::ZERO; calendar.contract_years() as usize];
        // A rate card's pot is its yearly budget: held before its caps, as evaluation holds it.
        let budget = match (&self.mechanism, &self.pot_per_year) {
            (Mechanism::RateCard(_), Some(pots)) => Some(pots),
            _ => None,
        };
        for PeriodPot {
            period, year, pot, ..
        } in self.period_pots(calendar, rounding, exclude_part_periods)
        {
            // A points payment's best result is all its points at that year's price.
            let amount = match &self.mechanism {
                Mechanism::Points { points, .. } if amount < unbounded => *points * price_in(year),
                _ => amount,
            };
            let best = (pot * share / Decimal::ONE_HUNDRED).max(amount);
            let best = if best >= unbounded {
                best
            } else {
                rounding.apply(best)
            };
            let best = match budget {
                Some(pots) => {
                    let budget_year = pots
                        .get(year as usize - 1)
                        .or(pots.last())
                        .copied()
                        .unwrap_or_default();
                    let spent = by_year.get(year as usize - 1).copied().unwrap_or_default();
                    best.min((budget_year - spent).max(Decimal::ZERO))
                }
                None => best,
            };
            let (capped, _) = crate::limits::cap_line(
                calendar,
                &self.caps,
                self.frequency,
                &period,
                &mut totals,
                best,
            );
            if let Some(total) = by_year.get_mut(year as usize - 1) {
                *total += capped;
            }
        }
        by_year
            .into_iter()
            .map(|total| (total < unbounded).then_some(total))
            .collect()
    }
}

/// Spreads an amount per contract year (year 1 first; the last stands for any later year) over
/// the periods of `frequency`. A year's amount is divided among the periods that end in it in
/// whole pennies (or pounds) that add up to it exactly ([`crate::split`]); a part period at
/// either end of the term has its share pro-rated by days, and the year's amount with it.
pub fn spread_by_year(
    calendar: &Calendar,
    frequency: crate::syntax::ast::Frequency,
    yearly: &[Decimal],
    rounding: Rounding,
) -> Vec<PeriodPot> {
    let per_year = Decimal::from(12 / crate::calendar::frequency_months(frequency));
    let periods = calendar.periods_with_length(frequency);
    let mut spread = Vec::with_capacity(periods.len());
    let mut index = 0;
    while index < periods.len() {
        let year = calendar.contract_year_of(periods[index].0.end);
        let count = periods[index..]
            .iter()
            .take_while(|(p, _)| calendar.contract_year_of(p.end) == year)
            .count()
            .max(1);
        let group = &periods[index..index + count];
        let weights: Vec<Decimal> = group
            .iter()
            .map(|(p, whole)| Decimal::from(p.days()) / Decimal::from((*whole).max(1)))
            .collect();
        let amount_year = yearly
            .get(year as usize - 1)
            .or(yearly.last())
            .copied()
            .unwrap_or_default();
        let covered: Decimal = weights.iter().copied().sum();
        let total = if covered == per_year {
            amount_year
        } else {
            rounding.apply(amount_year * covered / per_year)
        };
        let parts = crate::split::split(total, &weights, rounding.unit());
        for ((period, whole_days), pot) in group.iter().zip(parts) {
            spread.push(PeriodPot {
                period: period.clone(),
                whole_days: *whole_days,
                year,
                pot,
                pot_year: amount_year,
                shared: total,
                whole_year: covered == per_year,
            });
        }
        index += count;
    }
    spread
}

/// One assessment period of a payment and its share of the contract year's pot.
#[derive(Clone, Debug)]
pub struct PeriodPot {
    pub period: crate::calendar::Period,
    /// The days the period has when the term does not cut it short.
    pub whole_days: i64,
    pub year: u32,
    /// The period's pot: zero for a payment without one.
    pub pot: Decimal,
    /// The pot of the whole contract year it belongs to.
    pub pot_year: Decimal,
    /// What the year's periods within the term share: the year's pot, pro-rated when the term
    /// covers only part of the year.
    pub shared: Decimal,
    /// Whether the year's periods within the term make a whole year.
    pub whole_year: bool,
}

impl PeriodPot {
    /// Whether the term cuts the period short.
    pub fn is_part(&self) -> bool {
        self.period.days() < self.whole_days
    }
}

#[derive(Clone, Debug)]
pub enum Mechanism {
    Tiers(Vec<Band>),
    /// A scale from `from` (paying `pay_from`) to `to` (paying `pay_to`), its ends in each
    /// contract year (they change only when placed by a target that does).
    Linear {
        from: ByYear,
        to: ByYear,
        pay_from: Decimal,
        pay_to: Decimal,
    },
    Points {
        points: Decimal,
        from: ByYear,
        to: ByYear,
        /// The price of a point in each contract year.
        price: ByYear,
        factors: Vec<String>,
    },
    Improvement(Improvement),
    RateCard(RateCard),
}

/// One band of a tiers table, its values as an exact interval.
#[derive(Clone, Debug)]
pub struct Band {
    /// The values the band covers in each contract year, year 1 first: the same every year
    /// unless the band is placed by a target that changes by year.
    pub intervals: Vec<Interval>,
    pub payout: BandPayout,
    /// The band as written, such as `80% to 85%` or `target and above`.
    pub text: String,
    /// Whether the band is placed by the target or the baseline (`target met`, `95% of target`).
    pub relative: bool,
}

impl Band {
    /// The values the band covers in contract year `year` (the last year's for a later one).
    pub fn interval(&self, year: u32) -> Interval {
        let index = (year.max(1) as usize - 1).min(self.intervals.len().saturating_sub(1));
        self.intervals.get(index).copied().unwrap_or_default()
    }

    /// The fixed amount the band pays, if it pays one rather than a share.
    pub fn amount(&self) -> Option<Decimal> {
        match self.payout {
            BandPayout::Amount(amount) => Some(amount),
            _ => None,
        }
    }

    /// The share of the pot, in percent, the band pays for `value`; `None` when it pays a
    /// fixed amount. A band paying in proportion runs its shares across its own ends.
    pub fn share_at(&self, value: Decimal, year: u32) -> Option<Decimal> {
        let interval = self.interval(year);
        match self.payout {
            BandPayout::Nothing => Some(Decimal::ZERO),
            BandPayout::Share(share) => Some(share),
            BandPayout::Amount(_) => None,
            BandPayout::Linear(pay_from, pay_to) => Some(match (interval.lo, interval.hi) {
                (Some(lo), Some(hi)) => share_on_scale(value, lo.value, hi.value, pay_from, pay_to),
                _ => pay_from,
            }),
        }
    }
}

/// How far `value` lies along a scale from `from` (earning nothing) to `to` (earning
/// everything), from 0 to 1 and held at the ends. The checker resolves a scale only when its
/// ends differ; were they equal, the scale would be a step at `to`.
pub fn scale_position(value: Decimal, from: Decimal, to: Decimal) -> Decimal {
    let reached_to = if to >= from { value >= to } else { value <= to };
    value
        .checked_sub(from)
        .zip(to.checked_sub(from))
        .and_then(|(along, length)| along.checked_div(length))
        .map_or(
            if reached_to {
                Decimal::ONE
            } else {
                Decimal::ZERO
            },
            |position| position.clamp(Decimal::ZERO, Decimal::ONE),
        )
}

/// The share paid at `value` on a scale paying `pay_from` at `from` and `pay_to` at `to`,
/// in proportion between them and held at the ends. It multiplies before it divides, so a
/// share such as 100 × 1/3 keeps every digit the division can give.
pub fn share_on_scale(
    value: Decimal,
    from: Decimal,
    to: Decimal,
    pay_from: Decimal,
    pay_to: Decimal,
) -> Decimal {
    let position = scale_position(value, from, to);
    let spread = pay_to - pay_from;
    if position.is_zero() || position == Decimal::ONE {
        return pay_from + spread * position;
    }
    let exact = spread
        .checked_mul(value - from)
        .and_then(|along| along.checked_div(to - from));
    pay_from + exact.unwrap_or(spread * position)
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
    pub trigger: Option<Trigger>,
    pub pooled_trigger: Option<PooledTrigger>,
    pub pays: ImprovementPays,
}

/// A trigger: the improvement that must be reached, and whether reaching it exactly is enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trigger {
    /// In points of the indicator's unit, or percent for a relative improvement.
    pub value: Decimal,
    /// `above`: more than the value is needed; otherwise at least the value.
    pub above: bool,
}

impl Trigger {
    /// Whether an improvement meets the trigger.
    pub fn met_by(&self, change: Decimal) -> bool {
        if self.above {
            change > self.value
        } else {
            change >= self.value
        }
    }

    /// `at least 10%` or `above 10%`.
    pub fn words(&self, unit: &str) -> String {
        format!(
            "{} {}{unit}",
            if self.above { "above" } else { "at least" },
            self.value.normalize()
        )
    }
}

/// The fallback over the periods when a period misses its own trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PooledTrigger {
    pub trigger: Trigger,
    pub pooling: crate::syntax::ast::Pooling,
    pub when: crate::syntax::ast::PooledWhen,
}

#[derive(Clone, Copy, Debug)]
pub enum ImprovementPays {
    Share(Decimal),
    PerPoint(Decimal),
    /// A price for each event avoided.
    PerEvent(Decimal),
}

#[derive(Clone, Debug, Default)]
pub struct RateCard {
    pub cohort: Option<String>,
    /// The fee paid when a participant starts, in each contract year (by the year of the start).
    pub attachment_fee: Option<ByYear>,
    pub outcomes: Vec<RateOutcome>,
    pub criteria: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct RateOutcome {
    pub name: String,
    pub title: Option<String>,
    /// The fee in each contract year (by the year the outcome is achieved).
    pub price: ByYear,
    pub within: Option<Duration>,
    pub all_of: Vec<String>,
    /// `achieved by all of`: the criteria alone achieve the outcome; otherwise (`when all of`)
    /// the outcome's own record is needed too.
    pub by_criteria: bool,
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
    /// What one charge is for (`per breach`, `per patient per day`); `None`: the amount is
    /// deducted once for a period beyond its tolerance.
    pub per: Option<crate::syntax::ast::BreachUnit>,
    /// A national standard on a percentage indicator: its breaches and what it tolerates are
    /// counted from each period's denominator.
    pub standard: Option<Standard>,
    /// Worse breaches, counted by another indicator, charged their own amount instead of the
    /// first: (indicator, amount per breach), the worst last.
    pub instead: Vec<(String, Decimal)>,
    /// How the sanction is shared between the parties, in percent; empty: the provider bears it.
    pub shares: Vec<(crate::syntax::ast::Party, Decimal)>,
    pub caps: Vec<(LimitScope, Decimal)>,
}

/// `standard 95%`, `no further sanction below 85%`, and what is done with a fraction of a breach.
#[derive(Clone, Copy, Debug)]
pub struct Standard {
    /// In percent.
    pub standard: Decimal,
    /// Performance past which breaches cost no more, in percent.
    pub floor: Option<Decimal>,
    pub rounding: crate::syntax::ast::ExcessRounding,
}

#[derive(Clone, Copy, Debug)]
pub enum DeductAmount {
    Money(Decimal),
    /// A share of one month of the contract's value, in percent.
    ShareOfMonthlyValue(Decimal),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn scales_are_held_at_their_ends_either_way_round() {
        assert_eq!(scale_position(d("50"), d("60"), d("80")), Decimal::ZERO);
        assert_eq!(scale_position(d("90"), d("60"), d("80")), Decimal::ONE);
        assert_eq!(scale_position(d("70"), d("60"), d("80")), d("0.5"));
        // A lower-is-better scale runs from the higher value down.
        assert_eq!(scale_position(d("15"), d("20"), d("10")), d("0.5"));
        assert_eq!(scale_position(d("5"), d("20"), d("10")), Decimal::ONE);
        // Ends far apart do not overflow.
        assert_eq!(
            scale_position(Decimal::MAX, Decimal::MIN, Decimal::ZERO),
            Decimal::ONE
        );
    }

    #[test]
    fn shares_on_a_scale_multiply_before_dividing() {
        assert_eq!(
            share_on_scale(d("1"), d("0"), d("3"), d("0"), d("100")),
            d("100") / d("3")
        );
        assert_eq!(
            share_on_scale(d("75"), d("70"), d("80"), d("20"), d("100")),
            d("60")
        );
        assert_eq!(
            share_on_scale(d("99"), d("70"), d("80"), d("20"), d("100")),
            d("100")
        );
    }
}
