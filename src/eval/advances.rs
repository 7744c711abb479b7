//! Advances across several payments (`advance` blocks): each contract year's advance (a share of
//! a value given with the data, or an amount) paid in instalments that add up to it exactly;
//! the payments it covers earn into it, and at each year's end a reconciliation pays what they
//! earned less the instalments paid, or recovers an overpayment.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{share_words, values, Line, LineKind, Run};
use crate::calendar::{self, Period};
use crate::model::{Advance, AdvanceBase};
use crate::units::format_percent;

/// What the payments an advance covers earned in one contract year: by payment, and the latest
/// day one of their lines fell due.
#[derive(Default, Clone)]
pub(crate) struct Earned {
    pub by_payment: BTreeMap<String, Decimal>,
    pub latest_due: Option<Date>,
}

pub(crate) fn evaluate(run: &mut Run, advance: &Advance) {
    let calendar = run.calendar();
    let years = calendar.contract_years();
    // Each contract year as a period, named as its fiscal year where it is one (`2024/25`).
    let fiscal = calendar.periods(crate::syntax::ast::Frequency::Annually);
    let year_periods: Vec<Period> = calendar
        .periods(crate::syntax::ast::Frequency::AnnuallyByContractYear)
        .into_iter()
        .map(|year| {
            fiscal
                .iter()
                .find(|f| f.start == year.start && f.end == year.end)
                .cloned()
                .unwrap_or(year)
        })
        .collect();
    // Each year's advance, and how it was worked out.
    let mut yearly = Vec::new();
    let mut worked: Vec<Vec<String>> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for year in 1..=years {
        let (amount, steps, cited) = match &advance.base {
            AdvanceBase::Amounts(amounts) => (amounts.at(year), Vec::new(), Vec::new()),
            AdvanceBase::ShareOf { share, value } => {
                let period = year_periods
                    .get(year as usize - 1)
                    .cloned()
                    .unwrap_or_else(|| Period {
                        label: format!("year {year}"),
                        start: calendar.start,
                        end: calendar.end,
                    });
                match values::named(run, value, &period) {
                    Ok(found) => {
                        let exact = found.value * share / Decimal::ONE_HUNDRED;
                        let mut steps = found.steps.clone();
                        steps.push(format!(
                            "the advance for contract year {year} is {} of `{value}`",
                            format_percent(*share)
                        ));
                        let rounded = super::round(run, exact, &mut steps);
                        let cited = found.rows.iter().map(|r| run.row_name(*r)).collect();
                        (rounded, steps, cited)
                    }
                    Err(problem) => {
                        values::report(run, problem, value, &format!("advance `{}`", advance.name));
                        (
                            Decimal::ZERO,
                            vec![format!(
                                "there is no `{value}` for {}, so no advance is paid",
                                period.label
                            )],
                            Vec::new(),
                        )
                    }
                }
            }
        };
        yearly.push(amount);
        worked.push(steps);
        rows.push(cited);
    }
    let per_year = 12 / calendar::frequency_months(advance.frequency);
    let mut advanced: BTreeMap<u32, Decimal> = BTreeMap::new();
    let basis = match &advance.base {
        AdvanceBase::ShareOf { share, .. } => format!("advance {}", format_percent(*share)),
        AdvanceBase::Amounts(_) => "advance".to_string(),
    };
    for instalment in
        crate::model::spread_by_year(&calendar, advance.frequency, &yearly, run.contract.rounding)
    {
        if instalment.pot_year.is_zero() {
            continue;
        }
        let (period, year) = (&instalment.period, instalment.year);
        let mut steps = worked.get(year as usize - 1).cloned().unwrap_or_default();
        steps.push(share_words(
            run,
            &instalment,
            per_year,
            "instalment",
            "the advance",
        ));
        steps.push(format!(
            "advances are due at the start of each period, on {}",
            period.start
        ));
        *advanced.entry(year).or_default() += instalment.pot;
        run.lines.push(Line {
            basis: basis.clone(),
            amount: instalment.pot,
            explanation: steps,
            rows: rows.get(year as usize - 1).cloned().unwrap_or_default(),
            ..Line::new(
                &advance.name,
                LineKind::Advance,
                period,
                year,
                period.start,
                run.status(period.start),
            )
        });
    }
    for year in 1..=years {
        let Some((start, end)) = calendar.contract_year(year) else {
            continue;
        };
        let end = end.min(calendar.end);
        let earned = run
            .advance_earned
            .get(&(advance.name.clone(), year))
            .cloned()
            .unwrap_or_default();
        let total: Decimal = earned.by_payment.values().copied().sum();
        let paid = advanced.get(&year).copied().unwrap_or_default();
        let due = earned.latest_due.unwrap_or(end);
        let mut steps: Vec<String> = earned
            .by_payment
            .iter()
            .map(|(payment, amount)| {
                format!(
                    "payment `{payment}` earned {} in contract year {year}",
                    run.money(*amount)
                )
            })
            .collect();
        let difference = total - paid;
        steps.push(format!(
            "the payments earned {} in all, less {} paid in advances: {}",
            run.money(total),
            run.money(paid),
            if difference < Decimal::ZERO {
                format!("{} overpaid, recovered", run.money(-difference))
            } else {
                format!("{} to pay", run.money(difference))
            }
        ));
        steps.push(format!(
            "due with the last of the payments it reconciles, on {due}"
        ));
        let exercised = if total.is_zero() && paid.is_zero() {
            Vec::new()
        } else {
            vec![super::Exercised::Reconciliation {
                recovered: difference < Decimal::ZERO,
            }]
        };
        run.lines.push(Line {
            exercised,
            payment: advance.name.clone(),
            kind: LineKind::Reconciliation,
            period: format!("year {year}"),
            period_start: start,
            period_end: end,
            contract_year: year,
            basis: "year-end reconciliation".into(),
            amount: difference,
            due,
            status: run.status(due),
            explanation: steps,
            ..Line::new(
                &advance.name,
                LineKind::Reconciliation,
                &Period {
                    label: format!("year {year}"),
                    start,
                    end,
                },
                year,
                due,
                run.status(due),
            )
        });
    }
}
