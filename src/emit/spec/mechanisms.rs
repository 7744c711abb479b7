//! How a payment works out its amount: tiers, scales, points, improvement and rate cards.

use schemars::JsonSchema;
use serde::Serialize;

use super::{dec, money, year_money, Dec, YearMoney};
use crate::intervals::Bound;
use crate::model::{self, BandPayout, Contract, ImprovementPays, Mechanism};
use crate::syntax::ast::ChangeKind;

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

fn bound(b: Option<Bound>) -> Option<BoundSpec> {
    b.map(|b| BoundSpec {
        value: dec(b.value),
        included: b.closed,
    })
}

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

pub(super) fn mechanism(contract: &Contract, p: &model::Payment) -> MechanismSpec {
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
