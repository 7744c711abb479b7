//! Finding an indicator's value for an assessment period, and deciding gateways.

use rust_decimal::Decimal;

use super::Run;
use crate::calendar::Period;
use crate::data::Observation;
use crate::model::{Gateway, Requirement};
use crate::syntax::ast::{Comparison, Unit};
use crate::units::format_value;

/// An indicator's value for a period, and the rows it came from.
pub(crate) struct Measured<'d> {
    pub value: Decimal,
    pub numerator: Option<Decimal>,
    pub denominator: Option<Decimal>,
    pub comparison: Option<Decimal>,
    pub rows: Vec<&'d Observation>,
    /// How the value was found, in words.
    pub how: String,
}

/// The value of `indicator` for `period`: a row for exactly that period; else a row whose
/// period contains it (an annual rating used for each quarter); else rows that together cover
/// it exactly, combined by adding numerators and denominators (or counts and amounts).
pub(crate) fn lookup<'d>(run: &Run<'d>, indicator: &str, period: &Period) -> Option<Measured<'d>> {
    let rows: Vec<&'d Observation> = run
        .data
        .observations
        .iter()
        .filter(|o| o.indicator == indicator)
        .collect();
    let unit = run.contract.unit_of(indicator).unwrap_or(Unit::Count);
    // An input is a figure for a period (a list size, a national average): a row for a longer
    // period stands for a shorter one whatever its unit.
    let is_input = run.contract.inputs.contains_key(indicator);
    let currency = run.currency();
    let describe = |o: &Observation| {
        format!(
            "`{indicator}` for {} was {} ({})",
            o.period.label,
            format_value(o.value, unit, currency),
            run.row_name(o.row)
        )
    };
    if let Some(exact) = rows
        .iter()
        .find(|o| o.period.start == period.start && o.period.end == period.end)
    {
        return Some(single(exact, describe(exact)));
    }
    // A longer period's row stands for a shorter one only for rates and levels: an annual
    // count or amount is not the count or amount of each quarter.
    let additive = matches!(unit, Unit::Count | Unit::Money) && !is_input;
    if let Some(wider) = rows
        .iter()
        .find(|o| !additive && o.period.start <= period.start && o.period.end >= period.end)
    {
        return Some(single(
            wider,
            format!("{}, which covers {}", describe(wider), period.label),
        ));
    }
    let mut inside: Vec<&'d Observation> = rows
        .into_iter()
        .filter(|o| o.period.start >= period.start && o.period.end <= period.end)
        .collect();
    inside.sort_by_key(|o| o.period.start);
    let tiles = !inside.is_empty()
        && inside
            .first()
            .is_some_and(|o| o.period.start == period.start)
        && inside.last().is_some_and(|o| o.period.end == period.end)
        && inside.windows(2).all(|w| {
            w[0].period
                .end
                .tomorrow()
                .is_ok_and(|next| next == w[1].period.start)
        });
    if !tiles {
        return None;
    }
    let labels: Vec<&str> = inside.iter().map(|o| o.period.label.as_str()).collect();
    let all_fractions = inside
        .iter()
        .all(|o| o.numerator.is_some() && o.denominator.is_some());
    let (value, counts, how) = if all_fractions {
        let n: Decimal = inside.iter().filter_map(|o| o.numerator).sum();
        let d: Decimal = inside.iter().filter_map(|o| o.denominator).sum();
        let value = match unit {
            Unit::Percent => n / d * Decimal::ONE_HUNDRED,
            Unit::RatePer(per) => n / d * per,
            _ => n / d,
        };
        let how = format!(
            "`{indicator}` for {} is {} of {} over {} = {}",
            period.label,
            n.normalize(),
            d.normalize(),
            labels.join(", "),
            format_value(
                value.round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                ),
                unit,
                currency
            )
        );
        (value, Some((n, d)), how)
    } else if matches!(unit, Unit::Count | Unit::Money) {
        let total: Decimal = inside.iter().map(|o| o.value).sum();
        let how = format!(
            "`{indicator}` for {} is the sum over {}: {}",
            period.label,
            labels.join(", "),
            format_value(total, unit, currency)
        );
        (total, None, how)
    } else {
        return None;
    };
    Some(Measured {
        value,
        numerator: counts.map(|(n, _)| n),
        denominator: counts.map(|(_, d)| d),
        comparison: None,
        rows: inside,
        how,
    })
}

fn single<'d>(o: &'d Observation, how: String) -> Measured<'d> {
    Measured {
        value: o.value,
        numerator: o.numerator,
        denominator: o.denominator,
        comparison: o.comparison,
        rows: vec![o],
        how,
    }
}

/// What a gateway decided for a period.
pub(crate) enum GatewayOutcome {
    Passed(String),
    Failed(String),
    /// The data it needs is missing: what is missing.
    Missing(String),
}

pub(crate) fn gateway<'d>(run: &mut Run<'d>, gateway: &Gateway, period: &Period) -> GatewayOutcome {
    let mut reasons = Vec::new();
    let currency = run.currency();
    for requirement in &gateway.requires {
        match requirement {
            Requirement::Indicator {
                name,
                comparison,
                value,
            } => {
                let Some(measured) = lookup(run, name, period) else {
                    return GatewayOutcome::Missing(format!("`{name}` for {}", period.label));
                };
                run.used_rows.extend(measured.rows.iter().map(|o| o.row));
                let unit = run
                    .contract
                    .indicators
                    .get(name)
                    .map(|i| i.unit)
                    .unwrap_or(Unit::Count);
                let passes = match comparison {
                    Comparison::AtLeast => measured.value >= *value,
                    Comparison::AtMost => measured.value <= *value,
                    Comparison::Above => measured.value > *value,
                    Comparison::Below => measured.value < *value,
                };
                let words = match comparison {
                    Comparison::AtLeast => "at least",
                    Comparison::AtMost => "at most",
                    Comparison::Above => "above",
                    Comparison::Below => "below",
                };
                let reason = format!(
                    "`{name}` was {}, needing {words} {}",
                    format_value(measured.value, unit, currency),
                    format_value(*value, unit, currency)
                );
                if !passes {
                    return GatewayOutcome::Failed(reason);
                }
                reasons.push(reason);
            }
            Requirement::Flag(flag) => {
                let flagged: Vec<&crate::data::Observation> = run
                    .data
                    .observations
                    .iter()
                    .filter(|o| {
                        o.flags.contains_key(flag)
                            && o.period.start <= period.end
                            && o.period.end >= period.start
                    })
                    .collect();
                if flagged.is_empty() {
                    return GatewayOutcome::Missing(format!(
                        "the flag `{flag}` for {}",
                        period.label
                    ));
                }
                run.used_rows.extend(flagged.iter().map(|o| o.row));
                if let Some(no) = flagged.iter().find(|o| o.flags.get(flag) == Some(&false)) {
                    return GatewayOutcome::Failed(format!(
                        "the flag `{flag}` was `no` ({})",
                        run.row_name(no.row)
                    ));
                }
                reasons.push(format!("the flag `{flag}` was `yes`"));
            }
        }
    }
    GatewayOutcome::Passed(reasons.join(" and "))
}
