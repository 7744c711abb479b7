//! Deductions for breaches: an amount per breach beyond a tolerance (fixed, or what a national
//! standard tolerates of each period's denominator, counted no further than its floor), worse
//! breaches charged their own amount instead, or a share of the monthly value; capped, shared
//! between the parties, and written as negative lines.

use rust_decimal::Decimal;

use super::measure::Measured;
use super::{apply_caps, due_date, round, CapTotals, Exercised, Line, LineKind, Run};

/// What a line exercised when a deduction's floor limited the breaches counted.
pub(crate) const FLOOR: &str = "no further sanction";
use crate::calendar::Period;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{DeductAmount, Deduction, Indicator};
use crate::syntax::ast::{BreachUnit, ExcessRounding, Party, Polarity};
use crate::units::{format_number, format_percent};

pub(crate) fn evaluate(run: &mut Run, deduction: &Deduction) {
    let Some(indicator) = run.contract.indicators.get(&deduction.indicator).cloned() else {
        return;
    };
    let calendar = run.calendar();
    let mut totals = CapTotals::default();
    let unit = deduction.per.unwrap_or(BreachUnit::Breach);
    for period in calendar.periods(deduction.frequency) {
        let year = calendar.contract_year_of(period.end);
        let (due, due_steps) = due_date(run.contract, period.end, indicator.data_lag, None);
        let Ok(found) = run.measure(&indicator.name, &period, None) else {
            continue;
        };
        let Some(measured) = found else {
            if run.data_expected(due) {
                run.missing_data(
                    indicator.defined_at,
                    &format!("`{}` in {}", indicator.name, period.label),
                    &format!("deduction `{}`", deduction.name),
                );
            }
            continue;
        };
        run.used_rows.extend(measured.rows.iter().map(|o| o.row));
        let mut steps = vec![measured.how.clone()];
        let mut rows: Vec<String> = measured.rows.iter().map(|o| run.row_name(o.row)).collect();
        let mut exercised = Vec::new();
        let Some((breaches, excess)) = breaches_beyond(
            run,
            deduction,
            &indicator,
            &period,
            &measured,
            &mut steps,
            &mut exercised,
        ) else {
            continue;
        };
        let tiers = if deduction.instead.is_empty() {
            Vec::new()
        } else {
            let Some(tiers) = tiers(
                run, deduction, &period, &measured, excess, &mut steps, &mut rows,
            ) else {
                continue;
            };
            let worse = deduction.instead.iter().map(|(name, _)| name);
            for ((charged, _), name) in tiers.iter().skip(1).zip(worse) {
                if !charged.is_zero() {
                    exercised.push(Exercised::Sanction(name.clone()));
                }
            }
            tiers
        };
        let count = if deduction.per.is_some() {
            excess
        } else if excess > Decimal::ZERO {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        let amount = match deduction.amount {
            DeductAmount::Money(_) if !tiers.is_empty() => {
                tiers.iter().map(|(count, each)| *count * *each).sum()
            }
            DeductAmount::Money(each) => {
                let amount = each * count;
                if !amount.is_zero() {
                    steps.push(format!(
                        "{} × {} = {}",
                        counted(count, unit),
                        run.money(each),
                        run.money(amount)
                    ));
                }
                amount
            }
            DeductAmount::ShareOfMonthlyValue(share) => {
                let monthly = run.contract.value_per_year / Decimal::from(12);
                let amount = monthly * share / Decimal::ONE_HUNDRED * count;
                if !amount.is_zero() {
                    steps.push(format!(
                        "{} of the monthly value of {} is {}, × {}",
                        format_percent(share),
                        run.money(monthly),
                        run.money(monthly * share / Decimal::ONE_HUNDRED),
                        count.normalize()
                    ));
                }
                amount
            }
        };
        let rounded = round(run, amount, &mut steps);
        let capped = apply_caps(
            run,
            &deduction.caps,
            deduction.frequency,
            &period,
            &mut totals,
            rounded,
            &mut steps,
        );
        let cap_bit = capped < rounded;
        // Shared between the parties: the provider's share is deducted; the others' are borne
        // by them and shown.
        let (capped, shares) = share_out(run, deduction, capped, &mut steps);
        // Taken from a named payment before its caps: the payment's line carries it.
        let early = run.contract.deductions_before_caps && !capped.is_zero();
        let capped = match (&deduction.taken_from, early) {
            (Some(payment), true) => {
                run.taken.push((
                    payment.clone(),
                    period.end,
                    capped,
                    format!("deduction `{}` for {}", deduction.name, period.label),
                ));
                steps.push(format!(
                    "{} is taken off payment `{payment}` before its caps (the contract says deductions come before caps), so this line is nothing",
                    run.money(capped)
                ));
                Decimal::ZERO
            }
            (Some(payment), false) => {
                steps.push(format!("taken from payment `{payment}` after its caps"));
                capped
            }
            (None, _) => {
                steps.push("deducted from the payments due when the data is available".to_string());
                capped
            }
        };
        steps.extend(due_steps);
        run.lines.push(Line {
            measured: Some(counted(breaches, unit)),
            basis: {
                let (beyond, against) = if deduction.standard.is_some() {
                    ("beyond", "the standard")
                } else {
                    ("above", "tolerance")
                };
                let mut basis = if excess.is_zero() {
                    format!("within {against}")
                } else {
                    format!("{} {beyond} {against}", format_number(excess.normalize()))
                };
                if cap_bit {
                    basis.push_str(" (capped)");
                }
                if !shares.is_empty() {
                    let share = deduction
                        .shares
                        .iter()
                        .find(|(p, _)| *p == Party::Provider)
                        .map(|(_, share)| *share)
                        .unwrap_or_default();
                    basis.push_str(&format!(", provider's {}", format_percent(share)));
                }
                basis
            },
            amount: if capped.is_zero() {
                Decimal::ZERO
            } else {
                -capped
            },
            explanation: steps,
            rows,
            shares,
            exercised,
            ..Line::new(
                &deduction.name,
                LineKind::Deduction,
                &period,
                year,
                due,
                run.status(due),
            )
        });
    }
}

/// A number of breaches (or patient-days, events) in words: `1 breach`, `300 breaches`.
fn counted(count: Decimal, unit: BreachUnit) -> String {
    let (one, many) = unit.words();
    format!(
        "{} {}",
        format_number(count.normalize()),
        if count == Decimal::ONE { one } else { many }
    )
}

/// The period's breaches and how many are beyond the tolerance. Under a standard, the breaches
/// are the cases that missed it, the tolerance is what the standard allows of the denominator,
/// and the floor limits the breaches counted; a fraction of a breach is rounded as the
/// deduction says. `None` when the data cannot give the counts a standard needs (reported).
fn breaches_beyond(
    run: &mut Run,
    deduction: &Deduction,
    indicator: &Indicator,
    period: &Period,
    measured: &Measured,
    steps: &mut Vec<String>,
    exercised: &mut Vec<Exercised>,
) -> Option<(Decimal, Decimal)> {
    let unit = deduction.per.unwrap_or(BreachUnit::Breach);
    let Some(standard) = deduction.standard else {
        let breaches = measured.value;
        let excess = (breaches - deduction.tolerance).max(Decimal::ZERO);
        steps.push(format!(
            "{} against a tolerance of {}: {} beyond it",
            counted(breaches, unit),
            format_number(deduction.tolerance.normalize()),
            format_number(excess.normalize())
        ));
        return Some((breaches, excess));
    };
    let (Some(numerator), Some(denominator)) = (measured.numerator, measured.denominator) else {
        let (file, span) = measured.located(indicator.defined_at);
        run.diagnostics.push(
            Diagnostic::new(
                Code::CalculationFailed,
                file,
                span,
                format!(
                    "deduction `{}` counts the breaches of its standard from `{}`'s numerator and denominator for {}, but its data gives only a value",
                    deduction.name, indicator.name, period.label
                ),
                "no counts",
            )
            .with_help(format!(
                "give `{}` as a numerator (cases that met the standard) and a denominator (all cases)",
                indicator.name
            )),
        );
        return None;
    };
    // The breaches of a standard are counted from the period's own counts: a row for a longer
    // period holds a quarter's (or a year's) cases, not this period's.
    if let Some(wider) = measured
        .rows
        .iter()
        .find(|o| o.period.start < period.start || o.period.end > period.end)
    {
        run.diagnostics.push(
            Diagnostic::new(
                Code::CalculationFailed,
                wider.row.file,
                wider.row.span,
                format!(
                    "deduction `{}` counts the breaches of each {} from its own counts, but the data gives `{}` for {}, a longer period",
                    deduction.name,
                    crate::eval::period_noun(deduction.frequency),
                    indicator.name,
                    wider.period.label
                ),
                "a longer period's counts",
            )
            .with_help(format!(
                "give a row for each {} with its numerator and denominator, or assess the deduction as often as the data comes (`assessed ...`)",
                crate::eval::period_noun(deduction.frequency)
            )),
        );
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    // Higher is better: the cases that met it are the numerator; otherwise those that missed it.
    let higher = indicator.polarity != Some(Polarity::Lower);
    let (breaches, allowed, floor_share) = if higher {
        (
            denominator - numerator,
            hundred - standard.standard,
            standard.floor.map(|f| hundred - f),
        )
    } else {
        (numerator, standard.standard, standard.floor)
    };
    let tolerated = denominator * allowed / hundred;
    steps.push(format!(
        "{} of {} missed the standard of {}, which tolerates {} of {}: {}",
        format_number(breaches.normalize()),
        format_number(denominator.normalize()),
        format_percent(standard.standard),
        format_percent(allowed),
        format_number(denominator.normalize()),
        format_number(tolerated.normalize())
    ));
    let counted_breaches = match floor_share {
        Some(share) => {
            let most = denominator * share / hundred;
            if breaches > most {
                steps.push(format!(
                    "there is no further sanction {} {}: only {} of the {} are counted ({} of {})",
                    if higher { "below" } else { "above" },
                    format_percent(standard.floor.unwrap_or_default()),
                    format_number(most.normalize()),
                    format_number(breaches.normalize()),
                    format_percent(share),
                    format_number(denominator.normalize())
                ));
                exercised.push(Exercised::Sanction(FLOOR.to_string()));
                most
            } else {
                breaches
            }
        }
        None => breaches,
    };
    let exact = (counted_breaches - tolerated).max(Decimal::ZERO);
    let excess = match standard.rounding {
        ExcessRounding::Up => exact.ceil(),
        ExcessRounding::Down => exact.floor(),
        ExcessRounding::Nearest => {
            exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }
        ExcessRounding::NotRounded => exact,
    };
    let sum = format!(
        "{} − {} = {}",
        format_number(counted_breaches.normalize()),
        format_number(tolerated.normalize()),
        format_number(exact.normalize())
    );
    if counted_breaches <= tolerated {
        steps.push(format!(
            "{} is within the tolerance of {}: nothing beyond it",
            format_number(counted_breaches.normalize()),
            format_number(tolerated.normalize())
        ));
    } else if excess == exact {
        steps.push(format!("{sum} beyond the tolerance"));
    } else {
        steps.push(format!(
            "{sum} beyond the tolerance, {}: {}",
            standard.rounding.words(),
            counted(excess, unit)
        ));
    }
    Some((breaches, excess))
}

/// Worse breaches charged instead: each tier counts some of the breaches of the tier below it,
/// and they are charged its amount instead. Returns (breaches charged, amount each) per tier.
fn tiers(
    run: &mut Run,
    deduction: &Deduction,
    period: &Period,
    measured: &Measured,
    excess: Decimal,
    steps: &mut Vec<String>,
    rows: &mut Vec<String>,
) -> Option<Vec<(Decimal, Decimal)>> {
    let DeductAmount::Money(first) = deduction.amount else {
        return None;
    };
    let unit = deduction.per.unwrap_or(BreachUnit::Breach);
    let defined_at = run
        .contract
        .indicators
        .get(&deduction.indicator)
        .map(|i| i.defined_at)
        .unwrap_or_default();
    let mut counts = vec![(
        excess,
        first,
        deduction.indicator.clone(),
        measured.located(defined_at),
    )];
    for (worse, each) in &deduction.instead {
        match run.measure(worse, period, None) {
            Ok(Some(m)) => {
                run.used_rows.extend(m.rows.iter().map(|o| o.row));
                rows.extend(m.rows.iter().map(|o| run.row_name(o.row)));
                steps.push(m.how.clone());
                let at = m.located(defined_at);
                counts.push((m.value, *each, worse.clone(), at));
            }
            Ok(None) => {
                let (due, _) = due_date(run.contract, period.end, None, None);
                if run.data_expected(due) {
                    if let Some(defined_at) =
                        run.contract.indicators.get(worse).map(|i| i.defined_at)
                    {
                        run.missing_data(
                            defined_at,
                            &format!("`{worse}` in {}", period.label),
                            &format!("deduction `{}`", deduction.name),
                        );
                    }
                }
                return None;
            }
            Err(_) => return None,
        }
    }
    if let Some(window) = counts.windows(2).find(|w| w[1].0 > w[0].0) {
        let (file, span) = window[1].3;
        let mut d = Diagnostic::new(
            Code::InconsistentRow,
            file,
            span,
            format!(
                "`{}` counts {} for {}, more than the {} `{}` counts, which include them",
                window[1].2,
                counted(window[1].0, unit),
                period.label,
                counted(window[0].0, unit),
                window[0].2
            ),
            "more than the breaches it is part of",
        );
        if window[0].3 .0 == file {
            d = d.with_label(window[0].3 .1, "the breaches it is part of");
        }
        run.diagnostics.push(d.with_help(format!(
            "each charge for worse breaches counts some of the breaches of the one before it (handovers over 60 minutes are also over 30): check the rows ({}), and that the deduction's `instead` lines are in order, the worst last",
            rows.join(", ")
        )));
        return None;
    }
    let mut tiers = Vec::new();
    for (index, (count, each, name, _)) in counts.iter().enumerate() {
        let worse = counts.get(index + 1);
        let charged = *count - worse.map(|w| w.0).unwrap_or_default();
        if !charged.is_zero() {
            steps.push(format!(
                "{} counted by `{name}`{} at {}: {}",
                counted(charged, unit),
                match worse {
                    Some(w) if !w.0.is_zero() => format!(" and not by `{}`", w.2),
                    _ => String::new(),
                },
                run.money(*each),
                run.money(*each * charged)
            ));
        }
        tiers.push((charged, *each));
    }
    Some(tiers)
}

/// A sanction shared between the parties: split into their shares in whole pennies that add up
/// to it ([`crate::split`]). Returns the provider's share (what is deducted) and every share.
fn share_out(
    run: &Run,
    deduction: &Deduction,
    amount: Decimal,
    steps: &mut Vec<String>,
) -> (Decimal, Vec<super::PartyShare>) {
    if deduction.shares.is_empty() || amount.is_zero() {
        return (amount, Vec::new());
    }
    let weights: Vec<Decimal> = deduction.shares.iter().map(|(_, s)| *s).collect();
    let parts = crate::split::split(amount, &weights, run.contract.rounding.unit());
    let shares: Vec<super::PartyShare> = deduction
        .shares
        .iter()
        .zip(&parts)
        .map(|((party, _), part)| super::PartyShare {
            party: party.word().to_string(),
            amount: *part,
        })
        .collect();
    let provider = deduction
        .shares
        .iter()
        .zip(&parts)
        .find(|((party, _), _)| *party == Party::Provider)
        .map(|(_, part)| *part)
        .unwrap_or_default();
    let words: Vec<String> = deduction
        .shares
        .iter()
        .zip(&parts)
        .map(|((party, share), part)| {
            format!(
                "the {} bears {} ({})",
                party.word(),
                format_percent(*share),
                run.money(*part)
            )
        })
        .collect();
    steps.push(format!(
        "the sanction of {} is shared: {}; the provider's share is deducted",
        run.money(amount),
        words.join(" and ")
    ));
    (provider, shares)
}
