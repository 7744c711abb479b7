//! Payments measured on an indicator, one line per assessment period: the period's value, the
//! mechanism's amount ([`mechanisms`], [`improvement`]), gateways, rounding, deductions taken
//! before caps and caps; then advances, year-end reconciliation and floors ([`settlement`]).

mod improvement;
mod mechanisms;
mod settlement;

pub(crate) use mechanisms::find_band;

use rust_decimal::Decimal;

use super::measure::{self, GatewayOutcome, Measured};
use super::{apply_caps, due_date, round, CapTotals, Line, LineKind, Run, Status};
use crate::calendar::{self, Period};
use crate::model::{Indicator, Mechanism, Payment};
use crate::syntax::ast::MissingDataRule;
use crate::units::{format_percent, format_value};

/// What a mechanism pays for one period before gateways, caps and rounding.
#[derive(Default)]
struct Worked {
    amount: Decimal,
    basis: String,
    steps: Vec<String>,
    /// Data the mechanism needed but did not have, in words; the line then pays nothing.
    missing: Option<String>,
    /// For a protected payment, what its rule gives for the period's result (`5.2 points`,
    /// `25%`), when there is a result.
    calculated: Option<String>,
    /// Rescued by a pooled trigger assessed at the final assessment: paid when the last
    /// period is.
    due_with_final: bool,
    /// Waiting for data not in yet by the as-of date (the final assessment's).
    pending: bool,
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
    // Each period's improvement, and the pooled improvements a pooled trigger judges by.
    let assessed: Vec<Option<improvement::Assessed>> = match &payment.mechanism {
        Mechanism::Improvement(improvement) => periods
            .iter()
            .map(|pot| {
                let combine = payment.combine.unwrap_or(indicator.combine);
                let measured = measure::find(run, &indicator.name, &pot.period, Some(combine))
                    .ok()
                    .flatten()?;
                improvement::assess(run, &indicator, improvement, &measured, &pot.period.label)
            })
            .collect(),
        _ => Vec::new(),
    };
    let pooled_by_period = pooled_improvements(run, payment, &indicator, &assessed);
    let final_due = periods.last().map(|last| {
        due_date(
            run.contract,
            last.period.end,
            indicator.data_lag,
            payment.lag,
        )
    });
    let mut earned_by_year: std::collections::BTreeMap<u32, Decimal> = Default::default();
    for (index, period_pot) in periods.iter().enumerate() {
        let (period, whole_days) = (&period_pot.period, &period_pot.whole_days);
        let year = calendar.contract_year_of(period.end);
        let (mut due, mut due_steps) =
            due_date(run.contract, period.end, indicator.data_lag, payment.lag);
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
        // A protected payment is paid on its protected points or share: it needs the period's
        // result only to show what it would have earned.
        if found.is_none() && !run.data_expected(available) && payment.protection.is_none() {
            line.status = Status::Pending;
            line.basis = "awaiting data".into();
            line.explanation.push(format!(
                "the data for {} is expected on {available}, after the as-of date",
                period.label
            ));
            run.lines.push(line);
            continue;
        }
        if found.is_none() && payment.protection.is_none() {
            let what = format!("`{}` in {}", indicator.name, period.label);
            run.missing_data(
                indicator.defined_at,
                &what,
                &format!("payment `{}`", payment.name),
            );
            if run.contract.missing_data != MissingDataRule::Error {
                line.basis = "no data".into();
                let why = if run.contract.missing_data == MissingDataRule::PaysNothingHere {
                    "a period the test or simulation gives no data for pays nothing"
                } else {
                    "the contract says missing data pays nothing"
                };
                line.explanation.push(format!(
                    "there is no data for `{}` in {}; {why}",
                    indicator.name, period.label
                ));
                line.explanation.extend(due_steps);
                run.lines.push(line);
            }
            continue;
        }
        let measured = found;
        line.exercised.push(crate::eval::Exercised::Year(year));
        match &measured {
            Some(measured) => {
                run.used_rows.extend(measured.rows.iter().map(|o| o.row));
                line.rows = measured.rows.iter().map(|o| run.row_name(o.row)).collect();
                line.measured = Some(format_value(
                    measured.value.round_dp_with_strategy(
                        4,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    ),
                    indicator.unit,
                    run.currency(),
                ));
                line.explanation.push(measured.how.clone());
            }
            None => line.explanation.push(format!(
                "there is no data for `{}` in {}; the payment is protected, so it is paid without it",
                indicator.name, period.label
            )),
        }
        let expected = run.data_expected(available);
        let protected = payment.protection.as_ref().map(|protection| {
            mechanisms::protected_value(run, payment, protection, period, expected)
        });
        // A protected payment whose value is not in yet, before its data is expected, waits.
        if matches!(protected, Some(Err(mechanisms::Unavailable::NotYet))) {
            line.status = Status::Pending;
            line.basis = "awaiting data".into();
            line.explanation.push(format!(
                "the value the payment is protected at is expected on {available}, after the as-of date"
            ));
            run.lines.push(line);
            continue;
        }
        let protected = protected.map(|p| p.map_err(|_| ()));
        let mut steps = Vec::new();
        let not_assessed = measured
            .as_ref()
            .and_then(|m| minimum_denominator(&indicator, m))
            .filter(|_| protected.is_none());
        let worked = match not_assessed {
            Some(reason) => Worked {
                amount: Decimal::ZERO,
                basis: "not assessed".into(),
                steps: vec![reason],
                ..Worked::default()
            },
            None => {
                let factors = mechanisms::factor_values(run, payment, period, measured.as_ref());
                for factor in &factors {
                    for row in &factor.rows {
                        let name = run.row_name(*row);
                        if !line.rows.contains(&name) {
                            line.rows.push(name);
                        }
                    }
                }
                if let Some(Ok(value)) = &protected {
                    line.exercised
                        .push(crate::eval::Exercised::Value(value.name.clone()));
                    for row in &value.rows {
                        let name = run.row_name(*row);
                        if !line.rows.contains(&name) {
                            line.rows.push(name);
                        }
                    }
                }
                let for_improvement = mechanisms::ForImprovement {
                    assessed: assessed.get(index).and_then(Option::as_ref),
                    pooled: match pooled_by_period.get(index) {
                        Some(Ok(pooled)) => Ok(pooled.as_ref()),
                        Some(Err(())) => Err(()),
                        None => Ok(None),
                    },
                };
                mechanisms::work(
                    run,
                    payment,
                    &indicator,
                    period_pot,
                    measured.as_ref(),
                    for_improvement,
                    &factors,
                    protected.as_ref(),
                )
            }
        };
        line.calculated = worked.calculated.clone();
        if worked.pending {
            line.status = Status::Pending;
        }
        // Rescued by the pooled trigger at the final assessment: paid with the last period.
        if let (true, Some((final_due, _))) = (worked.due_with_final, &final_due) {
            if *final_due != due {
                due = *final_due;
                let last = periods
                    .last()
                    .map(|p| p.period.label.clone())
                    .unwrap_or_default();
                due_steps = vec![format!(
                    "paid with the final assessment of the pooled trigger, when the last period ({last}) is paid, on {due}"
                )];
                line.due = due;
                line.status = run.status(due);
            }
        }
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
            // Covered by an `advance` block: earned into it, paid through its instalments and
            // its year-end reconciliation.
            if let Some(advance) = run.contract.advance_covering(&payment.name) {
                let earned = run
                    .advance_earned
                    .entry((advance.name.clone(), year))
                    .or_default();
                *earned.by_payment.entry(payment.name.clone()).or_default() += amount;
                earned.latest_due = earned.latest_due.max(Some(due));
                steps.push(format!(
                    "earned {}; paid through advance `{}` and its year-end reconciliation",
                    run.money(amount),
                    advance.name
                ));
                line.basis
                    .push_str(&format!(", {} through advance", run.money(amount)));
                amount = Decimal::ZERO;
            }
        }
        line.amount = amount;
        line.explanation.extend(steps);
        line.explanation.extend(due_steps);
        run.lines.push(line);
    }
    if let Some((share, frequency)) = payment.advance {
        settlement::advances(run, payment, share, frequency, &earned_by_year, &indicator);
    }
    settlement::floors(run, payment);
}

/// For each period of a payment for improvement, the pooled improvement it is judged by when it
/// misses its own trigger: over the periods so far, or over every period at the final
/// assessment (`Err` while the final assessment's data is not expected yet).
fn pooled_improvements(
    run: &mut Run,
    payment: &Payment,
    indicator: &Indicator,
    assessed: &[Option<improvement::Assessed>],
) -> Vec<Result<Option<improvement::Pooled>, ()>> {
    let Mechanism::Improvement(rule) = &payment.mechanism else {
        return Vec::new();
    };
    let Some(pooled_trigger) = rule.pooled_trigger else {
        return Vec::new();
    };
    let mut reason = None;
    let pool = |upto: usize, at_final: bool, reason: &mut Option<String>| {
        let periods: Vec<&improvement::Assessed> = assessed.iter().take(upto).flatten().collect();
        match improvement::pool(indicator, rule, &periods, at_final) {
            Ok(pooled) => pooled,
            Err(why) => {
                reason.get_or_insert(why);
                None
            }
        }
    };
    let results = match pooled_trigger.when {
        crate::syntax::ast::PooledWhen::SoFar => (0..assessed.len())
            .map(|index| Ok(pool(index + 1, false, &mut reason)))
            .collect(),
        crate::syntax::ast::PooledWhen::FinalAssessment => {
            let calendar = run.calendar();
            let last_in = assessed.last().is_some_and(Option::is_some);
            let expected = payment
                .period_pots(&calendar, run.contract.rounding, false)
                .last()
                .map(|last| {
                    let available = calendar::add(
                        last.period.end,
                        indicator.data_lag.unwrap_or(crate::syntax::ast::Duration {
                            count: 0,
                            unit: crate::syntax::ast::TimeUnit::Day,
                        }),
                    )
                    .unwrap_or(last.period.end);
                    run.data_expected(available)
                })
                .unwrap_or(true);
            if !last_in && !expected {
                vec![Err(()); assessed.len()]
            } else {
                let pooled = pool(assessed.len(), true, &mut reason);
                vec![Ok(pooled); assessed.len()]
            }
        }
    };
    if let Some(why) = reason {
        run.diagnostics.push(
            crate::diagnostic::Diagnostic::new(
                crate::diagnostic::Code::CalculationFailed,
                indicator.defined_at.0,
                indicator.defined_at.1,
                format!("payment `{}`: {why}", payment.name),
                "no counts",
            )
            .with_help(format!(
                "give `{}` as a numerator and denominator in every period, or pool the mean of the periods' improvements: `pooled trigger ... on the mean of the periods`",
                indicator.name
            )),
        );
    }
    results
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
                steps.push(crate::eval::exercised_step(
                    &crate::eval::Exercised::Gateway(gateway.name.clone(), true),
                ));
                steps.push(format!("gateway `{}` passed: {why}", gateway.name))
            }
            GatewayOutcome::Failed(why) => {
                steps.push(crate::eval::exercised_step(
                    &crate::eval::Exercised::Gateway(gateway.name.clone(), false),
                ));
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

/// `share` of `pot`, with the step that says so.
fn of_pot(run: &Run, pot: Decimal, share: Decimal, steps: &mut Vec<String>) -> Decimal {
    let amount = pot * share / Decimal::ONE_HUNDRED;
    steps.push(format!(
        "{} of {} is {}",
        format_percent(
            share.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        ),
        run.money(pot),
        run.money(amount)
    ));
    amount
}
