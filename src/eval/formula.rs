//! Payments measured on an indicator: tiers, linear scales, points and improvement. One line
//! per assessment period; advances and year-end reconciliation where the contract has them.

use rust_decimal::Decimal;

use super::measure::{self, GatewayOutcome, Measured};
use super::values;
use super::{apply_caps, due_date, pot_words, round, CapTotals, Line, LineKind, Run, Status};
use crate::calendar::{self, Period};
use crate::intervals::Bound;
use crate::model::{
    scale_position, share_on_scale, BandPayout, Improvement, ImprovementPays, Indicator, Mechanism,
    Payment,
};
use crate::syntax::ast::{BandSide, ChangeKind, MissingDataRule, Polarity};
use crate::units::{format_percent, format_value};

/// What a mechanism pays for one period before gateways, caps and rounding.
#[derive(Default)]
struct Worked {
    amount: Decimal,
    basis: String,
    steps: Vec<String>,
    /// Data the mechanism needed but did not have, in words; the line then pays nothing.
    missing: Option<String>,
}

pub(crate) fn evaluate(run: &mut Run, payment: &Payment) {
    let Some(indicator) = payment
        .indicator
        .as_ref()
        .and_then(|name| run.contract.indicators.get(name))
        .cloned()
    else {
        return;
    };
    let calendar = run.calendar();
    let mut totals = CapTotals::default();
    let periods = payment.period_pots(&calendar, run.contract.rounding, false);
    // Each period's improvement, for a pooled trigger over the periods so far.
    let improvements: Vec<Option<Decimal>> = match &payment.mechanism {
        Mechanism::Improvement(improvement) => periods
            .iter()
            .map(|pot| {
                let combine = payment.combine.unwrap_or(indicator.combine);
                let measured = measure::find(run, &indicator.name, &pot.period, Some(combine))
                    .ok()
                    .flatten()?;
                improvement_of(run, &indicator, improvement, &measured).map(|(change, _)| change)
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut earned_by_year: std::collections::BTreeMap<u32, Decimal> = Default::default();
    for (index, period_pot) in periods.iter().enumerate() {
        let (period, whole_days) = (&period_pot.period, &period_pot.whole_days);
        let so_far: Vec<Decimal> = improvements
            .iter()
            .take(index + 1)
            .flatten()
            .copied()
            .collect();
        let pooled = (!so_far.is_empty())
            .then(|| so_far.iter().sum::<Decimal>() / Decimal::from(so_far.len()));
        let year = calendar.contract_year_of(period.end);
        let (due, due_steps) = due_date(run.contract, period.end, indicator.data_lag, payment.lag);
        let available = calendar::add(
            period.end,
            indicator.data_lag.unwrap_or(crate::syntax::ast::Duration {
                count: 0,
                unit: crate::syntax::ast::TimeUnit::Day,
            }),
        )
        .unwrap_or(period.end);
        let mut line = Line::new(
            &payment.name,
            LineKind::Payment,
            period,
            year,
            due,
            run.status(due),
        );
        if run.contract.exclude_part_periods && period.days() < *whole_days {
            if let Ok(Some(measured)) = run.measure(&indicator.name, period, payment.combine) {
                run.used_rows.extend(measured.rows.iter().map(|o| o.row));
            }
            line.basis = "part period excluded".into();
            line.explanation.push(format!(
                "{} covers {} of its {whole_days} days; the contract says part periods are excluded, so it is not assessed",
                period.label,
                period.days()
            ));
            run.lines.push(line);
            continue;
        }
        let found = run.measure(&indicator.name, period, payment.combine);
        let Ok(found) = found else {
            line.basis = "rows not combinable".into();
            line.explanation.push(format!(
                "the rows of `{}` for {} cannot be combined, so nothing is paid",
                indicator.name, period.label
            ));
            run.lines.push(line);
            continue;
        };
        let Some(measured) = found else {
            if !run.data_expected(available) {
                line.status = Status::Pending;
                line.basis = "awaiting data".into();
                line.explanation.push(format!(
                    "the data for {} is expected on {available}, after the as-of date",
                    period.label
                ));
                run.lines.push(line);
                continue;
            }
            let what = format!("`{}` in {}", indicator.name, period.label);
            run.missing_data(
                indicator.defined_at,
                &what,
                &format!("payment `{}`", payment.name),
            );
            match run.contract.missing_data {
                MissingDataRule::Error => {}
                MissingDataRule::PaysNothing => {
                    line.basis = "no data".into();
                    line.explanation.push(format!("there is no data for `{}` in {}; the contract says missing data pays nothing", indicator.name, period.label));
                    line.explanation.extend(due_steps);
                    run.lines.push(line);
                }
            }
            continue;
        };
        run.used_rows.extend(measured.rows.iter().map(|o| o.row));
        line.exercised.push(super::Exercised::Year(year));
        line.rows = measured.rows.iter().map(|o| run.row_name(o.row)).collect();
        line.measured = Some(format_value(
            measured
                .value
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            indicator.unit,
            run.currency(),
        ));
        line.explanation.push(measured.how.clone());
        let mut steps = Vec::new();
        let worked = match minimum_denominator(&indicator, &measured) {
            Some(reason) => Worked {
                amount: Decimal::ZERO,
                basis: "not assessed".into(),
                steps: vec![reason],
                missing: None,
            },
            None => {
                let factors = factor_values(run, payment, period, &measured);
                for factor in &factors {
                    for row in &factor.rows {
                        let name = run.row_name(*row);
                        if !line.rows.contains(&name) {
                            line.rows.push(name);
                        }
                    }
                }
                work(
                    run, payment, &indicator, period_pot, &measured, pooled, &factors,
                )
            }
        };
        if let Some(what) = &worked.missing {
            run.missing_data(
                indicator.defined_at,
                what,
                &format!("payment `{}`", payment.name),
            );
        }
        line.basis = worked.basis;
        steps.extend(worked.steps);
        let mut amount = worked.amount;
        if !crate::syntax::literal::within_range(amount) {
            run.amount_too_large(
                indicator.defined_at,
                &payment.name,
                &period.label,
                &line.rows,
            );
            amount = Decimal::ZERO;
        }
        let rows_before = run.used_rows.len();
        let failed;
        (amount, failed) = apply_gateways(run, payment, period, amount, &mut steps);
        let gateway_rows: Vec<String> = run.used_rows[rows_before..]
            .iter()
            .map(|r| run.row_name(*r))
            .collect();
        line.rows.extend(gateway_rows);
        if failed && steps.iter().any(|s| s.contains("awaits its data")) {
            line.basis.push_str(" (awaiting gateway data)");
            line.status = Status::Pending;
        } else if failed {
            line.basis.push_str(" (gateway failed)");
        }
        amount = round(run, amount, &mut steps);
        if payment.advance.is_some() {
            *earned_by_year.entry(year).or_default() += amount;
            steps.push(format!(
                "earned {}; paid through the advances and the year-end reconciliation",
                run.money(amount)
            ));
            amount = Decimal::ZERO;
        } else {
            amount = run.take_deductions(&payment.name, period, amount, &mut steps);
            amount = apply_caps(
                run,
                &payment.caps,
                payment.frequency,
                period,
                &mut totals,
                amount,
                &mut steps,
            );
        }
        line.amount = amount;
        line.explanation.extend(steps);
        line.explanation.extend(due_steps);
        run.lines.push(line);
    }
    if let Some((share, frequency)) = payment.advance {
        advances(run, payment, share, frequency, &earned_by_year, &indicator);
    }
    floors(run, payment);
}

/// A period whose denominator is below the indicator's minimum is not assessed.
fn minimum_denominator(indicator: &Indicator, measured: &Measured) -> Option<String> {
    let (minimum, denominator) = (indicator.minimum_denominator?, measured.denominator?);
    (denominator < minimum).then(|| {
        format!(
            "not assessed: the denominator {} is below the minimum of {}, so nothing is paid",
            denominator.normalize(),
            minimum.normalize()
        )
    })
}

/// An adjustment factor's value for a period, found before the arithmetic: given on the
/// indicator's rows (a `factor`), or an input or derived value worked out for the period.
struct FactorValue {
    name: String,
    value: Option<Decimal>,
    /// The data that was missing, in words, when an input or derived value could not be found.
    missing: Option<String>,
    /// How an input or derived value was worked out, in words, and the rows it read.
    steps: Vec<String>,
    rows: Vec<crate::data::RowRef>,
}

fn factor_values(
    run: &mut Run,
    payment: &Payment,
    period: &Period,
    measured: &Measured,
) -> Vec<FactorValue> {
    let Mechanism::Points { factors, .. } = &payment.mechanism else {
        return Vec::new();
    };
    factors
        .iter()
        .map(|factor| {
            if run.contract.factors.contains(factor) {
                let value = measured
                    .rows
                    .iter()
                    .find_map(|o| o.factors.get(factor))
                    .copied();
                return FactorValue {
                    name: factor.clone(),
                    value,
                    missing: None,
                    steps: Vec::new(),
                    rows: Vec::new(),
                };
            }
            match values::named(run, factor, period) {
                Ok(worked) if worked.value < Decimal::ZERO => {
                    // A factor multiplies the payment: a negative one would make it negative.
                    let defined_at = run
                        .contract
                        .derived
                        .get(factor)
                        .map(|d| d.defined_at)
                        .or_else(|| run.contract.inputs.get(factor).map(|i| i.defined_at))
                        .unwrap_or_default();
                    run.diagnostics.push(
                        crate::diagnostic::Diagnostic::new(
                            crate::diagnostic::Code::DerivedValueOutOfRange,
                            defined_at.0,
                            defined_at.1,
                            format!(
                                "`{factor}` for {} works out at {}, but an adjustment factor cannot be negative",
                                period.label,
                                values::exact_number(worked.value)
                            ),
                            "negative",
                        )
                        .with_help(format!(
                            "{}; check the calculation and its figures, and give `{factor}` a `range` that keeps it above 0",
                            worked.steps.iter().filter(|s| !s.starts_with('\u{0}')).cloned().collect::<Vec<_>>().join("; ")
                        )),
                    );
                    FactorValue {
                        name: factor.clone(),
                        value: None,
                        missing: None,
                        steps: Vec::new(),
                        rows: Vec::new(),
                    }
                }
                Ok(worked) => FactorValue {
                    name: factor.clone(),
                    value: Some(worked.value),
                    missing: None,
                    steps: worked.steps,
                    rows: worked.rows,
                },
                Err(problem) => {
                    let missing = match &problem {
                        values::Problem::Missing { what, .. } => Some(what.clone()),
                        values::Problem::Reported => None,
                    };
                    values::report(run, problem, factor, &format!("payment `{}`", payment.name));
                    FactorValue {
                        name: factor.clone(),
                        value: None,
                        missing,
                        steps: Vec::new(),
                        rows: Vec::new(),
                    }
                }
            }
        })
        .collect()
}

fn work(
    run: &Run,
    payment: &Payment,
    indicator: &Indicator,
    period_pot: &crate::model::PeriodPot,
    measured: &Measured,
    pooled: Option<Decimal>,
    factor_values: &[FactorValue],
) -> Worked {
    let value = measured.value;
    let unit = indicator.unit;
    let currency = run.currency();
    let shown = format_value(
        value.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        unit,
        currency,
    );
    let period = &period_pot.period;
    let pot = pot_words(run, payment, period_pot).map(|words| (period_pot.pot, words));
    let pot_amount = period_pot.pot;
    let mut steps: Vec<String> = pot.iter().map(|(_, words)| words.clone()).collect();
    let of_pot =
        |share: Decimal, steps: &mut Vec<String>| {
            let amount = pot_amount * share / Decimal::ONE_HUNDRED;
            steps.push(format!(
                "{} of {} is {}",
                format_percent(share.round_dp_with_strategy(
                    6,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                )),
                run.money(pot_amount),
                run.money(amount)
            ));
            amount
        };
    let year = period_pot.year;
    match &payment.mechanism {
        Mechanism::Tiers(bands) => {
            let band_found = find_band(bands, value, run.contract.boundary, year);
            if let Some(band) = band_found {
                steps.push(super::exercised_step(&super::Exercised::Band(
                    band.text.clone(),
                )));
            }
            let Some(band) = band_found else {
                steps.push(format!("{shown} falls in no band, so nothing is paid"));
                return Worked {
                    amount: Decimal::ZERO,
                    basis: "no band".into(),
                    steps,
                    missing: None,
                };
            };
            let (amount, basis) = match band.payout {
                BandPayout::Nothing => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays nothing",
                        band_words(run, band, year, unit)
                    ));
                    (Decimal::ZERO, format!("`{}`: nothing", band.text))
                }
                BandPayout::Share(share) => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays {} of the pot",
                        band_words(run, band, year, unit),
                        format_percent(share)
                    ));
                    (
                        of_pot(share, &mut steps),
                        format!("`{}`: {}", band.text, format_percent(share)),
                    )
                }
                BandPayout::Amount(amount) => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays {}",
                        band_words(run, band, year, unit),
                        run.money(amount)
                    ));
                    (amount, format!("`{}`: {}", band.text, run.money(amount)))
                }
                BandPayout::Linear(from, to) => {
                    let share = band.share_at(value, year).unwrap_or(from);
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays from {} to {} of the pot in proportion: {}",
                        band_words(run, band, year, unit),
                        format_percent(from),
                        format_percent(to),
                        format_percent(share.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
                    ));
                    (
                        of_pot(share, &mut steps),
                        format!(
                            "`{}`: {}",
                            band.text,
                            format_percent(share.round_dp_with_strategy(
                                2,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero
                            ))
                        ),
                    )
                }
            };
            Worked {
                amount,
                basis,
                steps,
                missing: None,
            }
        }
        Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        } => {
            let (from, to) = (from.at(year), to.at(year));
            let share = share_on_scale(value, from, to, *pay_from, *pay_to);
            steps.push(format!(
                "on the scale from {} (paying {}) to {} (paying {}){}, {shown} earns {}",
                format_value(from, unit, currency),
                format_percent(*pay_from),
                format_value(to, unit, currency),
                format_percent(*pay_to),
                scale_placed(payment, year),
                format_percent(share.round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                ))
            ));
            let amount = of_pot(share, &mut steps);
            Worked {
                amount,
                basis: format!(
                    "linear: {}",
                    format_percent(share.round_dp_with_strategy(
                        2,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero
                    ))
                ),
                steps,
                missing: None,
            }
        }
        Mechanism::Points {
            points,
            from,
            to,
            price,
            factors,
        } => {
            let (from, to) = (from.at(year), to.at(year));
            let position = scale_position(value, from, to);
            let earned = points * position;
            steps.push(format!(
                "{shown} earns {} of {} points (0 at {}, all at {}{})",
                earned
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                points.normalize(),
                format_value(from, unit, currency),
                format_value(to, unit, currency),
                scale_placed(payment, year)
            ));
            let price = price.at(year);
            let mut amount = earned * price;
            steps.push(format!(
                "{} points at {} a point is {}",
                earned
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                run.money(price),
                run.money(amount)
            ));
            for factor in factors {
                let given = factor_values
                    .iter()
                    .find(|f| &f.name == factor)
                    .and_then(|f| {
                        // A figure two factors share is explained once.
                        for step in &f.steps {
                            if !steps.contains(step) {
                                steps.push(step.clone());
                            }
                        }
                        f.value
                    });
                let supplied = run.contract.factors.contains(factor);
                let Some(mut factor_value) = given else {
                    let why = factor_values
                        .iter()
                        .find(|f| &f.name == factor)
                        .and_then(|f| f.missing.clone());
                    let what = if supplied {
                        format!(
                            "the factor `{factor}` for `{}` in {}",
                            indicator.name, period.label
                        )
                    } else {
                        format!("`{factor}` in {}", period.label)
                    };
                    match &why {
                        Some(why) => steps.push(format!(
                            "there is no data for {why}, so `{factor}` cannot be worked out and nothing is paid"
                        )),
                        None => steps.push(format!("there is no value for {what}, so nothing is paid")),
                    }
                    return Worked {
                        amount: Decimal::ZERO,
                        basis: "missing factor".into(),
                        steps,
                        // An input or derived value reports its own missing data.
                        missing: supplied.then_some(what),
                    };
                };
                // A derived value with its own rounding is used as it is.
                let own_rounding = run
                    .contract
                    .derived
                    .get(factor)
                    .is_some_and(|d| d.places.is_some());
                if let (Some(places), false) = (run.contract.factor_places, own_rounding) {
                    let rounded = run.contract.rounding.round_to_places(factor_value, places);
                    if rounded != factor_value {
                        let mut shown = rounded;
                        shown.rescale(places);
                        steps.push(format!(
                            "`{factor}` of {} is rounded to {places} decimal place{} (the contract rounds factors): {shown}",
                            values::exact_number(factor_value),
                            if places == 1 { "" } else { "s" }
                        ));
                    }
                    factor_value = rounded;
                }
                // Saturates rather than overflows: an amount beyond range is reported below.
                amount = amount.checked_mul(factor_value).unwrap_or(Decimal::MAX);
                steps.push(format!(
                    "times `{factor}` of {} is {}",
                    values::exact_number(factor_value),
                    run.money(amount)
                ));
            }
            Worked {
                amount,
                basis: {
                    let shown = earned
                        .round_dp_with_strategy(
                            2,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                        )
                        .normalize();
                    format!(
                        "{shown} point{}",
                        if shown == Decimal::ONE { "" } else { "s" }
                    )
                },
                steps,
                missing: None,
            }
        }
        Mechanism::Improvement(improvement) => {
            let Some((change, words)) = improvement_of(run, indicator, improvement, measured)
            else {
                steps
                    .push("no comparison value was given with the data, so nothing is paid".into());
                return Worked {
                    amount: Decimal::ZERO,
                    basis: "no comparison".into(),
                    steps,
                    missing: None,
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
                        .round_dp_with_strategy(
                            4,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero
                        )
                        .normalize(),
                    trigger.normalize()
                ));
            } else {
                steps.push(format!("the improvement of {}{points_word} does not meet the trigger of {}{points_word}", change.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize(), trigger.normalize()));
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
                };
            }
            let amount = match improvement.pays {
                ImprovementPays::Share(share) => of_pot(share, &mut steps),
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
                            .round_dp_with_strategy(
                                4,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero
                            )
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
            }
        }
        Mechanism::RateCard(_) => Worked {
            amount: Decimal::ZERO,
            basis: String::new(),
            steps,
            missing: None,
        },
    }
}

/// The improvement for a period, in points (absolute) or percent (relative), positive when
/// performance got better.
fn improvement_of(
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

/// A band as written, and for a band placed by the target or baseline the values it covers in
/// the year: "`target met` (85% and above in contract year 2)".
fn band_words(
    run: &Run,
    band: &crate::model::Band,
    year: u32,
    unit: crate::syntax::ast::Unit,
) -> String {
    if !band.relative {
        return format!("`{}`", band.text);
    }
    let currency = run.currency();
    let v = |b: Bound| format_value(b.value, unit, currency);
    let interval = band.interval(year);
    let values = match (interval.lo, interval.hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", v(lo), v(hi)),
        (Some(lo), None) if lo.closed => format!("{} and above", v(lo)),
        (Some(lo), None) => format!("above {}", v(lo)),
        (None, Some(hi)) if hi.closed => format!("up to {}", v(hi)),
        (None, Some(hi)) => format!("below {}", v(hi)),
        (None, None) => "every value".to_string(),
    };
    format!("`{}` ({values} in contract year {year})", band.text)
}

/// For a scale placed by the target or baseline, the year whose values it has.
fn scale_placed(payment: &Payment, year: u32) -> String {
    let varies = match &payment.mechanism {
        Mechanism::Linear { from, to, .. } | Mechanism::Points { from, to, .. } => {
            from.same_every_year().is_none() || to.same_every_year().is_none()
        }
        _ => false,
    };
    if varies {
        format!(", as placed in contract year {year}")
    } else {
        String::new()
    }
}

/// The band a value falls in, in contract year `year` (bands placed by a target change by
/// year). A value exactly on a threshold two bands share goes to the band the contract's
/// boundary rule names.
pub(crate) fn find_band(
    bands: &[crate::model::Band],
    value: Decimal,
    boundary: BandSide,
    year: u32,
) -> Option<&crate::model::Band> {
    let contains = |lo: Option<Bound>, hi: Option<Bound>| {
        lo.is_none_or(|b| value > b.value || (b.closed && value == b.value))
            && hi.is_none_or(|b| value < b.value || (b.closed && value == b.value))
    };
    let matching: Vec<&crate::model::Band> = bands
        .iter()
        .filter(|b| {
            let interval = b.interval(year);
            contains(interval.lo, interval.hi)
        })
        .collect();
    let by_lower = |b: &&crate::model::Band| b.interval(year).lo.map(|l| l.value);
    match boundary {
        BandSide::Higher => matching.into_iter().max_by_key(by_lower),
        BandSide::Lower => matching.into_iter().min_by_key(by_lower),
    }
}

fn apply_gateways(
    run: &mut Run,
    payment: &Payment,
    period: &Period,
    mut amount: Decimal,
    steps: &mut Vec<String>,
) -> (Decimal, bool) {
    let mut failed = false;
    let gateways: Vec<crate::model::Gateway> = run
        .contract
        .gateways
        .iter()
        .filter(|g| {
            g.applies_to
                .as_ref()
                .is_none_or(|names| names.contains(&payment.name))
        })
        .cloned()
        .collect();
    for gateway in gateways {
        match measure::gateway(run, &gateway, period) {
            GatewayOutcome::Passed(why) => {
                steps.push(super::exercised_step(&super::Exercised::Gateway(
                    gateway.name.clone(),
                    true,
                )));
                steps.push(format!("gateway `{}` passed: {why}", gateway.name))
            }
            GatewayOutcome::Failed(why) => {
                steps.push(super::exercised_step(&super::Exercised::Gateway(
                    gateway.name.clone(),
                    false,
                )));
                let withheld = amount * gateway.withholds / Decimal::ONE_HUNDRED;
                steps.push(format!(
                    "gateway `{}` failed: {why}; {} of the payment is withheld ({})",
                    gateway.name,
                    format_percent(gateway.withholds),
                    run.money(withheld)
                ));
                amount -= withheld;
                failed = true;
            }
            GatewayOutcome::Missing(what) if !gateway_data_expected(run, &gateway, period) => {
                steps.push(format!(
                    "gateway `{}` awaits its data for {what}, expected after the as-of date; the line is pending",
                    gateway.name
                ));
                failed = true;
            }
            GatewayOutcome::Missing(what) => {
                failed = true;
                steps.push(format!(
                    "gateway `{}` cannot be decided: there is no data for {what}, so it fails",
                    gateway.name
                ));
                run.missing_data(
                    gateway.defined_at,
                    &what,
                    &format!("gateway `{}`", gateway.name),
                );
                amount -= amount * gateway.withholds / Decimal::ONE_HUNDRED;
            }
        }
    }
    (amount, failed)
}

/// Whether a gateway's data for a period can be expected by the as-of date: the period's end
/// plus the longest data lag of the indicators it requires.
fn gateway_data_expected(run: &Run, gateway: &crate::model::Gateway, period: &Period) -> bool {
    let latest = gateway
        .requires
        .iter()
        .filter_map(|r| match r {
            crate::model::Requirement::Indicator { name, .. } => {
                run.contract.indicators.get(name)?.data_lag
            }
            crate::model::Requirement::Flag(_) => None,
        })
        .filter_map(|lag| calendar::add(period.end, lag))
        .max()
        .unwrap_or(period.end);
    run.data_expected(latest)
}

/// Advances paid during each contract year and the reconciliation at its end.
fn advances(
    run: &mut Run,
    payment: &Payment,
    share: Decimal,
    frequency: crate::syntax::ast::Frequency,
    earned: &std::collections::BTreeMap<u32, Decimal>,
    indicator: &Indicator,
) {
    let calendar = run.calendar();
    let Some(pots) = payment.pot_per_year.clone() else {
        return;
    };
    // Each year's advance is a share of its pot, paid in instalments that add up to it exactly.
    let yearly: Vec<Decimal> = pots
        .iter()
        .map(|pot| {
            run.contract
                .rounding
                .apply(*pot * share / Decimal::ONE_HUNDRED)
        })
        .collect();
    let per_year = 12 / calendar::frequency_months(frequency);
    let mut advanced: std::collections::BTreeMap<u32, Decimal> = Default::default();
    for instalment in
        crate::model::spread_by_year(&calendar, frequency, &yearly, run.contract.rounding)
    {
        let (period, year, amount) = (&instalment.period, instalment.year, instalment.pot);
        let pot_year = pots
            .get(year as usize - 1)
            .or(pots.last())
            .copied()
            .unwrap_or_default();
        let steps_first = format!(
            "an advance of {} of the year's pot of {}: {}",
            format_percent(share),
            run.money(pot_year),
            super::share_words(run, &instalment, per_year, "instalment", "the advance")
        );
        let mut steps = vec![steps_first];
        *advanced.entry(year).or_default() += amount;
        steps.push(format!(
            "advances are due at the start of each period, on {}",
            period.start
        ));
        run.lines.push(Line {
            basis: format!("advance {}", format_percent(share)),
            amount,
            explanation: steps,
            ..Line::new(
                &payment.name,
                LineKind::Advance,
                period,
                year,
                period.start,
                run.status(period.start),
            )
        });
    }
    for year in 1..=calendar.contract_years() {
        let Some((start, end)) = calendar.contract_year(year) else {
            continue;
        };
        let end = end.min(calendar.end);
        let earned_year = earned.get(&year).copied().unwrap_or_default();
        let advanced_year = advanced.get(&year).copied().unwrap_or_default();
        let (due, due_steps) = due_date(run.contract, end, indicator.data_lag, payment.lag);
        let mut steps = vec![format!(
            "earned {} in contract year {year}, less {} paid in advances",
            run.money(earned_year),
            run.money(advanced_year)
        )];
        steps.extend(due_steps);
        run.lines.push(Line {
            payment: payment.name.clone(),
            kind: LineKind::Reconciliation,
            period: format!("year {year}"),
            period_start: start,
            period_end: end,
            contract_year: year,
            measured: None,
            basis: "year-end reconciliation".into(),
            amount: earned_year - advanced_year,
            due,
            status: run.status(due),
            explanation: steps,
            rows: Vec::new(),
            shares: Vec::new(),
            exercised: Vec::new(),
        });
    }
}

/// A floor tops up the lines of its scope (each period, month, quarter, contract year or the
/// term) to the floor, in a line of its own after the scope's last line.
fn floors(run: &mut Run, payment: &Payment) {
    let calendar = run.calendar();
    for (scope, floor) in &payment.floors {
        // The payment's own lines, grouped by the floor's scope, in order.
        let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
        for (index, line) in run.lines.iter().enumerate() {
            if line.payment != payment.name || line.kind != LineKind::Payment {
                continue;
            }
            let period = Period {
                label: line.period.clone(),
                start: line.period_start,
                end: line.period_end,
            };
            match crate::limits::scope_key(&calendar, *scope, payment.frequency, &period) {
                None => groups.push((None, vec![index])),
                Some(key) => match groups.iter_mut().find(|(k, _)| k.as_ref() == Some(&key)) {
                    Some((_, members)) => members.push(index),
                    None => groups.push((Some(key), vec![index])),
                },
            }
        }
        for (key, members) in groups {
            let paid: Decimal = members.iter().map(|&i| run.lines[i].amount).sum();
            let Some(&last) = members.last() else {
                continue;
            };
            let last = run.lines[last].clone();
            let awaiting = last.status == Status::Pending && run.options.as_of.is_some();
            if paid >= *floor || awaiting {
                continue;
            }
            let within = key.unwrap_or_else(|| last.period.clone());
            let within = if within.is_empty() {
                "the term".to_string()
            } else {
                within
            };
            run.lines.push(Line {
                kind: LineKind::Floor,
                measured: None,
                basis: format!("floor {} {}", run.money(*floor), scope.words()),
                amount: *floor - paid,
                explanation: vec![format!(
                    "{} was earned in {within}, below the floor of {} {}: the difference is paid with the last period",
                    run.money(paid),
                    run.money(*floor),
                    scope.words()
                )],
                rows: Vec::new(),
                ..last
            });
        }
    }
}
