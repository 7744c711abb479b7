//! Payments for improvement against the baseline or a comparison group: each period's
//! improvement and the counts behind it, the trigger (at least or above), the pooled trigger
//! (on pooled counts or the mean of the periods, at the final assessment or over the periods
//! so far), and what the improvement pays (a share of the pot, per point, per event avoided).

use rust_decimal::Decimal;

use super::{of_pot, Worked};
use crate::eval::measure::Measured;
use crate::eval::Run;
use crate::model::{Improvement, ImprovementPays, Indicator};
use crate::syntax::ast::{ChangeKind, Polarity, Pooling, Unit};
use crate::units::{format_number, format_value};

/// One period's result against its reference.
#[derive(Clone, Debug)]
pub(super) struct Assessed {
    pub label: String,
    /// Points (absolute) or percent (relative), positive when performance got better.
    pub change: Decimal,
    pub words: String,
    /// The events behind the rates, when the data gives them: what happened and what the
    /// reference rate would have given the same cohort.
    pub counts: Option<Counts>,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Counts {
    pub observed: Decimal,
    pub expected: Decimal,
    /// The cohort's size (the denominator); `None` for an indicator that is itself a count.
    pub size: Option<Decimal>,
}

/// The pooled improvement a period is judged by when it misses its own trigger.
#[derive(Clone, Debug)]
pub(super) struct Pooled {
    pub change: Decimal,
    pub words: String,
    /// Assessed once over every period, at the last: a period it rescues is paid then.
    pub at_final: bool,
}

/// The improvement for a period and its counts; `None` without a reference to compare with
/// (no baseline, no comparison value, or a relative change on a zero reference).
pub(super) fn assess(
    run: &Run,
    indicator: &Indicator,
    improvement: &Improvement,
    measured: &Measured,
    label: &str,
) -> Option<Assessed> {
    let (reference, against) = if improvement.against_baseline {
        (indicator.baseline?, "the baseline")
    } else {
        (measured.comparison?, "the comparison group")
    };
    let sign = sign(indicator);
    let currency = run.currency();
    let change = match improvement.change {
        ChangeKind::Absolute => (measured.value - reference) * sign,
        ChangeKind::Relative if reference.is_zero() => return None,
        ChangeKind::Relative => {
            (measured.value - reference) / reference * Decimal::ONE_HUNDRED * sign
        }
    };
    let words = format!(
        "against {against} of {}, the improvement is {}{}",
        format_value(reference, indicator.unit, currency),
        round4(change),
        change_unit(improvement)
    );
    // The cohort's size: the row's denominator, else the size of the cohort it is measured in.
    let cohort_size = run
        .contract
        .about
        .indicators
        .get(&indicator.name)
        .and_then(|text| text.cohort.as_ref())
        .and_then(|cohort| {
            run.contract
                .about
                .cohorts
                .iter()
                .find(|c| c.name.as_ref() == Some(cohort))
        })
        .and_then(|c| c.size)
        .filter(|_| indicator.unit != Unit::Count);
    let counts = match (measured.denominator.or(cohort_size), indicator.unit) {
        (Some(size), unit) => {
            let scale = per(unit);
            Some(Counts {
                observed: measured.value * size / scale,
                expected: reference * size / scale,
                size: Some(size),
            })
        }
        (None, Unit::Count) => Some(Counts {
            observed: measured.value,
            expected: reference,
            size: None,
        }),
        _ => None,
    };
    Some(Assessed {
        label: label.to_string(),
        change,
        words,
        counts,
    })
}

/// The pooled improvement over `periods`, the payment's way; `Err` with the reason when the
/// counts it needs are not all given.
pub(super) fn pool(
    indicator: &Indicator,
    improvement: &Improvement,
    periods: &[&Assessed],
    at_final: bool,
) -> Result<Option<Pooled>, String> {
    let Some(pooled) = improvement.pooled_trigger else {
        return Ok(None);
    };
    if periods.is_empty() {
        return Ok(None);
    }
    let labels: Vec<String> = periods.iter().map(|p| p.label.clone()).collect();
    let over = crate::units::join_words(&labels);
    let unit = change_unit(improvement);
    let (change, words) = match pooled.pooling {
        Pooling::Mean => {
            let change =
                periods.iter().map(|p| p.change).sum::<Decimal>() / Decimal::from(periods.len());
            (
                change,
                format!(
                    "the mean of the improvements of {over} is {}{unit}",
                    round4(change)
                ),
            )
        }
        Pooling::Counts => {
            let Some(counts) = periods.iter().map(|p| p.counts).collect::<Option<Vec<_>>>() else {
                return Err(format!(
                    "the pooled trigger adds up the periods' counts, but the data does not give the numerator and denominator (or a count) of every one of {over}"
                ));
            };
            let observed: Decimal = counts.iter().map(|c| c.observed).sum();
            let expected: Decimal = counts.iter().map(|c| c.expected).sum();
            let sign = sign(indicator);
            let change = match improvement.change {
                ChangeKind::Relative if expected.is_zero() => return Ok(None),
                ChangeKind::Relative => {
                    (observed - expected) / expected * Decimal::ONE_HUNDRED * sign
                }
                ChangeKind::Absolute => {
                    let sizes: Option<Decimal> = counts.iter().map(|c| c.size).sum();
                    match sizes {
                        Some(size) if !size.is_zero() => {
                            (observed - expected) / size * per(indicator.unit) * sign
                        }
                        _ => (observed - expected) * sign,
                    }
                }
            };
            (
                change,
                format!(
                    "pooled over {over}: {} events against {} at the reference rates, an improvement of {}{unit}",
                    format_number(round4(observed)),
                    format_number(round4(expected)),
                    round4(change)
                ),
            )
        }
    };
    Ok(Some(Pooled {
        change,
        words,
        at_final,
    }))
}

/// What a payment for improvement pays for one period: nothing unless the period's improvement
/// (or, failing that, the pooled improvement) meets its trigger. `pooled` is `Err` when the
/// final assessment is not in yet.
pub(super) fn work(
    run: &Run,
    indicator: &Indicator,
    improvement: &Improvement,
    assessed: Option<&Assessed>,
    pooled: Result<Option<&Pooled>, ()>,
    pot: Option<Decimal>,
    mut steps: Vec<String>,
) -> Worked {
    let pot_amount = pot.unwrap_or_default();
    let Some(assessed) = assessed else {
        steps.push("no comparison value was given with the data, so nothing is paid".into());
        return Worked {
            basis: "no comparison".into(),
            steps,
            ..Worked::default()
        };
    };
    steps.push(assessed.words.clone());
    let change = assessed.change;
    let unit = change_unit(improvement);
    let own = change > Decimal::ZERO && improvement.trigger.is_none_or(|t| t.met_by(change));
    let mut due_with_final = false;
    match improvement.trigger {
        Some(trigger) if own => steps.push(format!(
            "the improvement of {}{unit} meets the trigger of {}",
            round4(change),
            trigger.words(unit)
        )),
        Some(trigger) => steps.push(format!(
            "the improvement of {}{unit} does not meet the trigger of {}",
            round4(change),
            trigger.words(unit)
        )),
        None if own => {}
        None => steps.push(format!(
            "the improvement of {}{unit} is no improvement",
            round4(change)
        )),
    }
    let triggered = own
        || match (improvement.pooled_trigger, pooled) {
            (Some(_), Err(())) => {
                steps.push(
                    "the pooled trigger is assessed at the final assessment, whose data is not in yet"
                        .into(),
                );
                return Worked {
                    basis: "awaiting the final assessment".into(),
                    steps,
                    pending: true,
                    ..Worked::default()
                };
            }
            (Some(pooled_trigger), Ok(Some(pooled))) => {
                let met = pooled_trigger.trigger.met_by(pooled.change);
                steps.push(format!(
                    "{}, which {} the pooled trigger of {}",
                    pooled.words,
                    if met { "meets" } else { "does not meet" },
                    pooled_trigger.trigger.words(unit)
                ));
                due_with_final = met && pooled.at_final;
                if met {
                    steps.push(crate::eval::exercised_step(&crate::eval::Exercised::Pooled));
                }
                met
            }
            _ => false,
        };
    if !triggered {
        return Worked {
            basis: "not triggered".into(),
            steps,
            ..Worked::default()
        };
    }
    let per_unit = |rate: Decimal, count: Decimal, what: &str, steps: &mut Vec<String>| {
        // Only improvement is paid for: a period rescued by the pooled trigger whose own
        // result got worse earns nothing.
        let amount = rate * count.max(Decimal::ZERO);
        steps.push(format!(
            "{} for each {what}: {} gives {}",
            run.money(rate),
            format_number(round4(count)),
            run.money(amount)
        ));
        if pot.is_some() && amount > pot_amount {
            steps.push(format!("limited to the pot of {}", run.money(pot_amount)));
            pot_amount
        } else {
            amount
        }
    };
    let amount = match improvement.pays {
        ImprovementPays::Share(share) => of_pot(run, pot_amount, share, &mut steps),
        ImprovementPays::PerPoint(rate) => {
            let what = if improvement.change == ChangeKind::Relative {
                "% of improvement"
            } else {
                "point of improvement"
            };
            per_unit(rate, change, what, &mut steps)
        }
        ImprovementPays::PerEvent(price) => {
            let Some(counts) = assessed.counts else {
                steps.push("the data does not give the cohort's size (the denominator), so the events avoided cannot be counted and nothing is paid".into());
                return Worked {
                    basis: "no counts".into(),
                    steps,
                    ..Worked::default()
                };
            };
            // Fewer events are better (reoffending): those avoided; more are better: those gained.
            let gained = (counts.observed - counts.expected) * sign(indicator);
            steps.push(format!(
                "{} events against {} at the reference rate: {} {}",
                format_number(round4(counts.observed)),
                format_number(round4(counts.expected)),
                format_number(round4(gained)),
                if indicator.polarity == Some(Polarity::Lower) {
                    "events avoided"
                } else {
                    "events more"
                }
            ));
            per_unit(price, gained, "event avoided", &mut steps)
        }
    };
    Worked {
        amount,
        basis: if due_with_final {
            "improvement (pooled trigger)".into()
        } else {
            "improvement".into()
        },
        steps,
        due_with_final,
        ..Worked::default()
    }
}

/// `+1` when higher is better, `-1` when lower is.
fn sign(indicator: &Indicator) -> Decimal {
    if indicator.polarity == Some(Polarity::Lower) {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    }
}

/// What a rate is per: 100 for a percentage, N for a rate per N, 1 otherwise.
fn per(unit: Unit) -> Decimal {
    match unit {
        Unit::Percent => Decimal::ONE_HUNDRED,
        Unit::RatePer(n) if !n.is_zero() => n,
        _ => Decimal::ONE,
    }
}

fn change_unit(improvement: &Improvement) -> &'static str {
    if improvement.change == ChangeKind::Relative {
        "%"
    } else {
        " points"
    }
}

fn round4(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}
