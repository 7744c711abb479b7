//! The contract as a whole: parties, term, rules, population, framework, years, examples.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{dec, Day, Dec};

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

pub(super) fn payer_shares(split: &[(String, Decimal)]) -> Vec<PayerShareSpec> {
    split
        .iter()
        .map(|(payer, share)| PayerShareSpec {
            payer: payer.clone(),
            share: dec(*share),
        })
        .collect()
}
