//! Payments: pots, periods and when they fall due, caps and floors, protection, advances.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{
    day, dec, frequency_words, mechanism, money, payer_shares, year_money, Day, Dec, MechanismSpec,
    PayerShareSpec, YearMoney,
};
use crate::model::{self, Contract};
use crate::syntax::ast::{LagFrom, LimitScope};

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

pub(super) fn limits(limits: &[(LimitScope, Decimal)]) -> Vec<LimitSpec> {
    limits
        .iter()
        .map(|(scope, amount)| LimitSpec {
            amount: money(*amount),
            scope: scope.words().to_string(),
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

pub(super) fn payment(
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
