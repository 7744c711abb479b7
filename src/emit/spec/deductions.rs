//! Deductions, gateways and advances: what acts on payments from outside them.

use schemars::JsonSchema;
use serde::Serialize;

use super::{dec, limits, money, payer_shares, Dec, LimitSpec, PayerShareSpec, YearMoney};
use crate::model::{self, Contract};
use crate::syntax::ast::{Comparison, Unit};
use crate::units::format_value;

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

pub(super) fn gateway(contract: &Contract, g: &model::Gateway) -> GatewaySpec {
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

pub(super) fn deduction(contract: &Contract, d: &model::Deduction) -> DeductionSpec {
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
    /// Each instalment: its period, when it falls due (the period's first day) and, when the
    /// advance pays amounts, how much (the year's amount in whole pennies that add up to it; a
    /// part period pro-rated). Null amounts for a share of a value given with the data.
    pub instalments: Vec<InstalmentSpec>,
}

/// One instalment of an advance.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InstalmentSpec {
    pub label: String,
    pub start: super::Day,
    pub end: super::Day,
    pub contract_year: u32,
    /// The amount, or null when it is a share of a value given with the data.
    pub amount: Option<Dec>,
    /// When it falls due: the first day of its period.
    pub due: super::Day,
}
