//! Payments for improvement against the baseline or a comparison group: triggers, the pooled
//! trigger over the periods so far, and what the improvement pays.

use rust_decimal::Decimal;

use super::{of_pot, Worked};
use crate::eval::measure::Measured;
use crate::eval::Run;
use crate::model::{Improvement, ImprovementPays, Indicator};
use crate::syntax::ast::{ChangeKind, Polarity};
use crate::units::format_value;

/// What a payment for improvement pays for one period: nothing unless the period's improvement
/// (or, failing that, the pooled improvement over the periods so far) meets its trigger.
pub(super) fn work(
    run: &Run,
    indicator: &Indicator,
    improvement: &Improvement,
    measured: &Measured,
    pooled: Option<Decimal>,
    pot: Option<Decimal>,
    mut steps: Vec<String>,
) -> Worked {
    let pot_amount = pot.unwrap_or_default();
    let Some((change, words)) = improvement_of(run, indicator, improvement, measured) else {
        steps.push("no comparison value was given with the data, so nothing is paid".into());
        return Worked {
            amount: Decimal::ZERO,
            basis: "no comparison".into(),
            steps,
            missing: None,
            calculated: None,
        };
    };
    steps.push(words);
    let trigger = improvement.trigger.unwrap_or(Decimal::ZERO);
    let mut triggered = change >= trigger && change > Decimal::ZERO;
    let points_word = if improvement.change == ChangeKind::Relative {
        "%"
    } else {
        " points"
    };
    if triggered {
        steps.push(format!(
            "the improvement of {}{points_word} meets the trigger of {}{points_word}",
            change
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
            trigger.normalize()
        ));
    } else {
        steps.push(format!(
            "the improvement of {}{points_word} does not meet the trigger of {}{points_word}",
            change
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
            trigger.normalize()
        ));
        if let (Some(pooled_trigger), Some(pooled)) = (improvement.pooled_trigger, pooled) {
            if pooled >= pooled_trigger {
                triggered = true;
                steps.push(format!("the pooled improvement over the periods so far, {}{points_word}, meets the pooled trigger of {}{points_word}", pooled.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize(), pooled_trigger.normalize()));
            } else {
                steps.push(format!("nor does the pooled improvement over the periods so far, {}{points_word}, meet the pooled trigger of {}{points_word}", pooled.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize(), pooled_trigger.normalize()));
            }
        }
    }
    if !triggered {
        return Worked {
            amount: Decimal::ZERO,
            basis: "not triggered".into(),
            steps,
            missing: None,
            calculated: None,
        };
    }
    let amount = match improvement.pays {
        ImprovementPays::Share(share) => of_pot(run, pot_amount, share, &mut steps),
        ImprovementPays::PerPoint(rate) => {
            // Only improvement is paid for: a period rescued by the pooled trigger
            // whose own result got worse earns nothing per point.
            let amount = rate * change.max(Decimal::ZERO);
            let unit = if improvement.change == ChangeKind::Relative {
                "% of improvement"
            } else {
                " point of improvement"
            };
            steps.push(format!(
                "{} for each{unit}: {}{} gives {}",
                run.money(rate),
                change
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                if improvement.change == ChangeKind::Relative {
                    "%"
                } else {
                    " points"
                },
                run.money(amount)
            ));
            if pot.is_some() && amount > pot_amount {
                steps.push(format!("limited to the pot of {}", run.money(pot_amount)));
                pot_amount
            } else {
                amount
            }
        }
    };
    Worked {
        amount,
        basis: "improvement".into(),
        steps,
        missing: None,
        calculated: None,
    }
}

/// The improvement for a period, in points (absolute) or percent (relative), positive when
/// performance got better.
pub(super) fn improvement_of(
    run: &Run,
    indicator: &Indicator,
    improvement: &Improvement,
    measured: &Measured,
) -> Option<(Decimal, String)> {
    let (reference, against) = if improvement.against_baseline {
        (indicator.baseline?, "the baseline")
    } else {
        (measured.comparison?, "the comparison group")
    };
    let sign = if indicator.polarity == Some(Polarity::Lower) {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    };
    let currency = run.currency();
    let (change, words) = match improvement.change {
        ChangeKind::Absolute => {
            let change = (measured.value - reference) * sign;
            (
                change,
                format!(
                    "against {against} of {}, the improvement is {} points",
                    format_value(reference, indicator.unit, currency),
                    change
                        .round_dp_with_strategy(
                            4,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero
                        )
                        .normalize()
                ),
            )
        }
        ChangeKind::Relative => {
            if reference.is_zero() {
                return None;
            }
            let change = (measured.value - reference) / reference * Decimal::ONE_HUNDRED * sign;
            (
                change,
                format!(
                    "against {against} of {}, the improvement is {}%",
                    format_value(reference, indicator.unit, currency),
                    change
                        .round_dp_with_strategy(
                            4,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero
                        )
                        .normalize()
                ),
            )
        }
    };
    Some((change, words))
}
