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
use crate::model::{self, Contract};
use crate::syntax::ast::{
    BandSide, Frequency, MissingDataRule, Polarity, RoundingMode, RoundingUnit,
};

mod contract;
mod deductions;
mod indicators;
mod mechanisms;
mod payments;

pub use contract::*;
pub use deductions::*;
pub use indicators::*;
pub use mechanisms::*;
pub use payments::*;

/// The version of this format. A change that removes or renames a field changes the major number.
pub const FORMAT_VERSION: &str = "2.1";

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

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct YearMoney {
    pub contract_year: u32,
    pub start: Day,
    pub end: Day,
    pub amount: Dec,
}

fn frequency_words(frequency: Frequency) -> String {
    calendar::frequency_words(frequency).to_string()
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

/// The contract years of the term, with their first and last days.
fn years(calendar: &Calendar) -> Vec<(u32, Date, Date)> {
    (1..=calendar.contract_years())
        .filter_map(|year| {
            calendar
                .contract_year(year)
                .map(|(start, end)| (year, start, end.min(calendar.end)))
        })
        .collect()
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
                let (share, share_of, yearly) = match &a.base {
                    model::AdvanceBase::ShareOf { share, value } => {
                        (Some(dec(*share)), Some(value.clone()), None)
                    }
                    model::AdvanceBase::Amounts(amounts) => (
                        None,
                        None,
                        Some(
                            (1..=calendar.contract_years())
                                .map(|year| amounts.at(year))
                                .collect::<Vec<_>>(),
                        ),
                    ),
                };
                let amounts = yearly
                    .as_ref()
                    .map(|y| self::year_money(&calendar, y))
                    .unwrap_or_default();
                // The instalments `obc eval` pays: a year with no advance has none.
                let one_each = vec![Decimal::ONE; calendar.contract_years() as usize];
                let instalments = model::spread_by_year(
                    &calendar,
                    a.frequency,
                    yearly.as_deref().unwrap_or(&one_each),
                    contract.rounding,
                )
                .into_iter()
                .filter(|i| !i.pot_year.is_zero())
                .map(|i| InstalmentSpec {
                    label: i.period.label.clone(),
                    start: day(i.period.start),
                    end: day(i.period.end),
                    contract_year: i.year,
                    amount: yearly.as_ref().map(|_| money(i.pot)),
                    due: day(i.period.start),
                })
                .collect();
                AdvanceBlockSpec {
                    name: a.name.clone(),
                    title: a.title.clone(),
                    description: about.descriptions.get(&a.name).cloned(),
                    share,
                    share_of,
                    amount_per_year: amounts,
                    paid: frequency_words(a.frequency),
                    covers: a.covers.clone(),
                    instalments,
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

/// The JSON Schema of the specification, as committed in docs/schema/obc-contract.schema.json.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Spec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
