//! Indicators, inputs and derived values, with their units.

use schemars::JsonSchema;
use serde::Serialize;

use super::{dec, Dec};
use crate::syntax::ast::Unit;
use crate::units::unit_words;

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

pub(super) fn unit(unit: Unit) -> UnitSpec {
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
