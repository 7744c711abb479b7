//! Advances paid during each contract year and the reconciliation at its end; floors that top
//! up the lines of their scope.

use rust_decimal::Decimal;

use crate::calendar::{self, Period};
use crate::eval::{due_date, Line, LineKind, Run, Status};
use crate::model::{Indicator, Payment};
use crate::units::format_percent;

/// Advances paid during each contract year and the reconciliation at its end.
pub(super) fn advances(
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
            crate::eval::share_words(run, &instalment, per_year, "instalment", "the advance")
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
            calculated: None,
            amount: earned_year - advanced_year,
            due,
            status: run.status(due),
            explanation: steps,
            rows: Vec::new(),
            shares: Vec::new(),
            payers: Vec::new(),
            exercised: Vec::new(),
        });
    }
}

/// A floor tops up the lines of its scope (each period, month, quarter, contract year or the
/// term) to the floor, in a line of its own after the scope's last line.
pub(super) fn floors(run: &mut Run, payment: &Payment) {
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
