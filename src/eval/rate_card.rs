//! Rate cards: fees for each participant's outcomes, with caps per participant, per period,
//! per year and over the term. One line per assessment period, explaining what was paid for.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{apply_caps, due_date, round, CapTotals, Line, LineKind, Run};
use crate::calendar;
use crate::data::RowRef;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Payment, RateCard};
use crate::syntax::ast::LimitScope;

/// What one assessment period earned: the amount after participant caps, the number and total
/// of each kind of fee, the amount the participant caps took off, and the rows used.
#[derive(Default)]
struct Bucket {
    amount: Decimal,
    kinds: BTreeMap<String, (usize, Decimal)>,
    capped_off: Decimal,
    rows: Vec<RowRef>,
}

/// A fee earned by one participant on one day.
struct Fee<'a> {
    on: Date,
    participant: &'a str,
    what: String,
    amount: Decimal,
    row: Option<RowRef>,
}

pub(crate) fn evaluate(run: &mut Run, payment: &Payment, card: &RateCard) {
    let fees = fees(run, payment, card);
    let per_participant = payment
        .caps
        .iter()
        .find(|(scope, _)| *scope == LimitScope::Participant)
        .map(|(_, cap)| *cap);
    let calendar = run.calendar();
    let periods = calendar.periods(payment.frequency);
    // Paid so far per participant, for the per-participant cap; fees are taken in date order.
    let mut paid_to: HashMap<&str, Decimal> = HashMap::new();
    let mut buckets: Vec<Bucket> = periods.iter().map(|_| Bucket::default()).collect();
    for fee in &fees {
        let Some(index) = periods
            .iter()
            .position(|p| p.start <= fee.on && fee.on <= p.end)
        else {
            continue;
        };
        let mut amount = fee.amount;
        if let Some(cap) = per_participant {
            let so_far = paid_to.get(fee.participant).copied().unwrap_or_default();
            let room = (cap - so_far).max(Decimal::ZERO);
            if amount > room {
                buckets[index].capped_off += amount - room;
                amount = room;
            }
        }
        *paid_to.entry(fee.participant).or_default() += amount;
        let bucket = &mut buckets[index];
        bucket.amount += amount;
        let entry = bucket.kinds.entry(fee.what.clone()).or_default();
        entry.0 += 1;
        entry.1 += fee.amount;
        bucket.rows.extend(fee.row);
    }
    let mut totals = CapTotals::default();
    for (
        period,
        Bucket {
            amount,
            kinds,
            capped_off,
            rows,
        },
    ) in periods.iter().zip(buckets)
    {
        let year = calendar.contract_year_of(period.end);
        let (due, due_steps) = due_date(period.end, None, payment.lag);
        let mut steps: Vec<String> = kinds
            .iter()
            .map(|(what, (count, total))| format!("{count} × {what}: {}", run.money(*total)))
            .collect();
        if steps.is_empty() {
            steps.push(format!("no outcomes or starts in {}", period.label));
        }
        if !capped_off.is_zero() {
            steps.push(format!(
                "{} is not paid because participants reached the cap of {} per participant",
                run.money(capped_off),
                run.money(per_participant.unwrap_or_default())
            ));
        }
        let rounded = round(run, amount, &mut steps);
        let capped = apply_caps(
            run,
            &payment.caps,
            payment.frequency,
            year,
            &mut totals,
            rounded,
            &mut steps,
        );
        steps.extend(due_steps);
        run.used_rows.extend(rows.iter().copied());
        let count: usize = kinds.values().map(|(n, _)| n).sum();
        run.lines.push(Line {
            payment: payment.name.clone(),
            kind: LineKind::Payment,
            period: period.label.clone(),
            period_start: period.start,
            period_end: period.end,
            contract_year: year,
            measured: Some(format!("{count} fee{}", if count == 1 { "" } else { "s" })),
            basis: "rate card".into(),
            amount: capped,
            due,
            status: run.status(due),
            explanation: steps,
            rows: rows.iter().map(|r| run.row_name(*r)).collect(),
        });
    }
}

/// Every fee the participant records earn, in date order: attachment fees on start dates,
/// outcome fees on the day achieved (for an outcome needing several criteria, the day the
/// last was met), leaving out outcomes achieved outside their window.
fn fees<'a>(run: &mut Run<'a>, _payment: &Payment, card: &RateCard) -> Vec<Fee<'a>> {
    let data = run.data;
    let mut fees = Vec::new();
    if let Some(fee) = card.attachment_fee {
        let mut starts: Vec<(&String, &(Date, RowRef))> = data.starts.iter().collect();
        starts.sort_by_key(|(participant, (date, _))| (*date, participant.as_str()));
        for (participant, (on, row)) in starts {
            fees.push(Fee {
                on: *on,
                participant,
                what: format!("attachment fee at {}", run.money(fee)),
                amount: fee,
                row: Some(*row),
            });
        }
    }
    // Criteria met, per participant: name -> (date, row).
    let mut met: HashMap<&str, HashMap<&str, (Date, RowRef)>> = HashMap::new();
    for event in &data.events {
        met.entry(event.participant.as_str())
            .or_default()
            .insert(event.outcome.as_str(), (event.achieved_on, event.row));
    }
    let mut participants: Vec<&&str> = met.keys().collect();
    participants.sort();
    for participant in participants {
        let achieved = &met[*participant];
        for outcome in &card.outcomes {
            let reached = if outcome.all_of.is_empty() {
                achieved.get(outcome.name.as_str()).copied()
            } else {
                let dates: Option<Vec<(Date, RowRef)>> = outcome
                    .all_of
                    .iter()
                    .map(|c| achieved.get(c.as_str()).copied())
                    .collect();
                dates.and_then(|d| d.into_iter().max_by_key(|(date, _)| *date))
            };
            let Some((on, row)) = reached else { continue };
            if let Some(window) = outcome.within {
                let Some((started, _)) = data.starts.get(*participant) else {
                    run.diagnostics.push(
                        Diagnostic::new(Code::InconsistentRow, row.file, row.span, format!("participant `{participant}` has no start date, which `{}` needs", outcome.name), "no start date")
                            .with_help(format!("`{}` is paid only within {} of the start: give the participant a `started_on` date", outcome.name, super::duration_words(window))),
                    );
                    continue;
                };
                if calendar::add(*started, window).is_none_or(|last| on > last) {
                    continue;
                }
            }
            fees.push(Fee {
                on,
                participant,
                what: format!("`{}` at {}", outcome.name, run.money(outcome.price)),
                amount: outcome.price,
                row: Some(row),
            });
        }
    }
    fees.sort_by(|a, b| (a.on, a.participant).cmp(&(b.on, b.participant)));
    fees
}
