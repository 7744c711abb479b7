//! Rate cards: fees for each participant's outcomes, with caps per participant, per period,
//! per year and over the term. One line per assessment period, explaining what was paid for.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{apply_caps, due_date, round, CapTotals, Line, LineKind, Run};
use crate::calendar;
use crate::model::{Payment, RateCard};
use crate::syntax::ast::LimitScope;

/// What one assessment period earned: the amount after participant caps, the number and total
/// of each kind of fee at each price (by outcome index, attachment fees under `ATTACHMENT`; a fee
/// may change by contract year), and the amount the participant caps took off.
#[derive(Default)]
struct Bucket {
    amount: Decimal,
    kinds: BTreeMap<(usize, Decimal), (usize, Decimal)>,
    capped_off: Decimal,
    /// Outcomes achieved in the period but outside their window from the start: not paid.
    outside_window: usize,
}

const ATTACHMENT: usize = usize::MAX;

pub(crate) fn evaluate(run: &mut Run, payment: &Payment, card: &RateCard) {
    let calendar = run.calendar();
    let periods = calendar.periods(payment.frequency);
    let per_participant = payment
        .caps
        .iter()
        .find(|(scope, _)| *scope == LimitScope::Participant)
        .map(|(_, cap)| *cap);
    let participants = &run.data.participants;
    // Each card outcome's index in the participant records, and its criteria's.
    let indexes: Vec<(Option<u16>, Vec<Option<u16>>)> = card
        .outcomes
        .iter()
        .map(|o| {
            (
                participants.outcome_index(&o.name),
                o.all_of
                    .iter()
                    .map(|c| participants.outcome_index(c))
                    .collect(),
            )
        })
        .collect();
    let mut buckets: Vec<Bucket> = periods.iter().map(|_| Bucket::default()).collect();
    let mut fees: Vec<(Date, usize, Decimal)> = Vec::new();
    for person in participants.people.values() {
        fees.clear();
        if let (Some(fee), Some((started, _))) = (&card.attachment_fee, person.start) {
            fees.push((
                started,
                ATTACHMENT,
                fee.at(calendar.contract_year_of(started)),
            ));
        }
        let achieved = |index: Option<u16>| {
            index
                .and_then(|i| person.achieved.iter().find(|a| a.outcome == i))
                .map(|a| a.on)
        };
        for (k, outcome) in card.outcomes.iter().enumerate() {
            let (own, criteria) = &indexes[k];
            // An outcome needing several criteria is reached when every criterion is met and,
            // if the outcome itself is recorded too, not before that record.
            let reached = if outcome.all_of.is_empty() {
                achieved(*own)
            } else {
                // `when all of`: the outcome's own record and every criterion; `achieved by all
                // of`: every criterion, and the record (if any) not before it.
                let own_record = achieved(*own);
                if !outcome.by_criteria && own_record.is_none() {
                    None
                } else {
                    criteria
                        .iter()
                        .map(|c| achieved(*c))
                        .collect::<Option<Vec<Date>>>()
                        .and_then(|dates| dates.into_iter().chain(own_record).max())
                }
            };
            let Some(on) = reached else { continue };
            if let Some(window) = outcome.within {
                // Without a start date the data layer has already reported the record.
                let Some((started, _)) = person.start else {
                    continue;
                };
                if calendar::add(started, window).is_none_or(|last| on > last) {
                    if let Some(index) = period_of(&periods, on) {
                        buckets[index].outside_window += 1;
                    }
                    continue;
                }
            }
            fees.push((on, k, outcome.price.at(calendar.contract_year_of(on))));
        }
        fees.sort();
        let mut paid = Decimal::ZERO;
        for &(on, kind, price) in &fees {
            let Some(index) = period_of(&periods, on) else {
                continue;
            };
            let mut amount = price;
            if let Some(cap) = per_participant {
                let room = (cap - paid).max(Decimal::ZERO);
                if amount > room {
                    buckets[index].capped_off += amount - room;
                    amount = room;
                }
            }
            paid += amount;
            let bucket = &mut buckets[index];
            bucket.amount += amount;
            let entry = bucket.kinds.entry((kind, price)).or_default();
            entry.0 += 1;
            entry.1 += price;
        }
    }
    let mut totals = CapTotals::default();
    // A rate card's weight or pot is its yearly budget: what it may pay in each contract year.
    let mut budget_used: BTreeMap<u32, Decimal> = BTreeMap::new();
    for (
        period,
        Bucket {
            amount,
            kinds,
            capped_off,
            outside_window,
        },
    ) in periods.iter().zip(buckets)
    {
        let year = calendar.contract_year_of(period.end);
        let (due, due_steps) = due_date(run.contract, period.end, None, payment.lag);
        let mut steps: Vec<String> = kinds
            .iter()
            .map(|((kind, price), (count, total))| {
                let what = match card.outcomes.get(*kind) {
                    Some(o) => format!("`{}` at {}", o.name, run.money(*price)),
                    None => format!("attachment fee at {}", run.money(*price)),
                };
                format!("{count} × {what}: {}", run.money(*total))
            })
            .collect();
        let mut exercised: Vec<usize> = kinds.keys().map(|(kind, _)| *kind).collect();
        exercised.dedup();
        for kind in &exercised {
            let name = card
                .outcomes
                .get(*kind)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "attachment fee".to_string());
            steps.push(super::exercised_step(&super::Exercised::Fee(name)));
        }
        if kinds.is_empty() {
            steps.push(format!("no outcomes or starts in {}", period.label));
        } else {
            steps.push(super::exercised_step(&super::Exercised::Year(year)));
        }
        if outside_window > 0 {
            steps.push(format!(
                "{outside_window} outcome{} achieved outside {} window from the start {} not paid",
                if outside_window == 1 { "" } else { "s" },
                if outside_window == 1 { "its" } else { "their" },
                if outside_window == 1 { "is" } else { "are" }
            ));
        }
        if !capped_off.is_zero() {
            steps.push(format!(
                "{} is not paid because participants reached the cap of {} per participant",
                run.money(capped_off),
                run.money(per_participant.unwrap_or_default())
            ));
        }
        let rounded = round(run, amount, &mut steps);
        let rounded = run.take_deductions(&payment.name, period, rounded, &mut steps);
        // The yearly budget is held before the caps, so the caps count only what is paid.
        let budget = payment.pot_per_year.as_deref();
        let rounded = match budget {
            Some(budget) => within_budget(run, budget, year, &budget_used, rounded, &mut steps),
            None => rounded,
        };
        let capped = apply_caps(
            run,
            &payment.caps,
            payment.frequency,
            period,
            &mut totals,
            rounded,
            &mut steps,
        );
        *budget_used.entry(year).or_default() += capped;
        steps.extend(due_steps);
        let count: usize = kinds.values().map(|(n, _)| n).sum();
        run.lines.push(Line {
            measured: Some(format!("{count} fee{}", if count == 1 { "" } else { "s" })),
            basis: "rate card".into(),
            amount: capped,
            explanation: steps,
            ..Line::new(
                &payment.name,
                LineKind::Payment,
                period,
                year,
                due,
                run.status(due),
            )
        });
    }
}

/// Holds a line within what is left of the rate card's budget for its contract year (what the
/// year's earlier lines paid, after their caps, is already spent).
fn within_budget(
    run: &Run,
    budget: &[Decimal],
    year: u32,
    used: &BTreeMap<u32, Decimal>,
    amount: Decimal,
    steps: &mut Vec<String>,
) -> Decimal {
    let Some(budget_year) = budget.get(year as usize - 1).or(budget.last()).copied() else {
        return amount;
    };
    let spent = used.get(&year).copied().unwrap_or_default();
    let room = (budget_year - spent).max(Decimal::ZERO);
    let paid = amount.min(room);
    if paid < amount {
        steps.push(super::exercised_step(&super::Exercised::Cap(
            "yearly budget".to_string(),
        )));
        steps.push(format!(
            "held within the rate card's yearly budget of {} for contract year {year}: {} already paid this year, so {} becomes {}",
            run.money(budget_year),
            run.money(spent),
            run.money(amount),
            run.money(paid)
        ));
    }
    paid
}

/// The index of the period containing a day, by binary search over periods in order.
fn period_of(periods: &[crate::calendar::Period], day: Date) -> Option<usize> {
    let index = periods.partition_point(|p| p.end < day);
    periods.get(index).filter(|p| p.start <= day).map(|_| index)
}
