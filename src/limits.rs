//! Caps and floors by scope: which lines a cap or floor covers (each line, the months of a
//! quarter, a contract year, the term) and what is left under a cap. Pure arithmetic, shared
//! by evaluation, by the checker's "largest possible payment", and by specifications, so the
//! three always agree.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::calendar::{self, Calendar, Period};
use crate::syntax::ast::{Frequency, LimitScope};

/// The calendar bucket a line falls in for a cap or floor of `scope`: `None` when the scope
/// applies to each line on its own (per period, or a scope no shorter than the line).
pub fn scope_key(
    calendar: &Calendar,
    scope: LimitScope,
    frequency: Frequency,
    period: &Period,
) -> Option<String> {
    match (scope, frequency) {
        (LimitScope::Month, Frequency::Monthly)
        | (LimitScope::Period | LimitScope::Participant, _) => None,
        (LimitScope::Quarter, Frequency::Monthly) => Some(calendar.quarter_label(period.end)),
        (LimitScope::Month | LimitScope::Quarter, _) => None,
        (LimitScope::Year, _) => Some(format!("year {}", calendar.contract_year_of(period.end))),
        (LimitScope::Term, _) => Some(String::new()),
    }
}

/// How many of a scope's periods one line spans, for a cap per month or quarter on a line that
/// covers several (a cap per month on a quarterly payment allows three times the cap).
fn scope_multiple(scope: LimitScope, frequency: Frequency) -> Decimal {
    let line_months = calendar::frequency_months(frequency);
    let scope_months = match scope {
        LimitScope::Month => 1,
        LimitScope::Quarter => 3,
        _ => return Decimal::ONE,
    };
    Decimal::from((line_months / scope_months).max(1))
}

/// Running totals for caps that add up over several lines: per month or quarter (when the
/// payment is assessed more often), per contract year and over the term.
#[derive(Default)]
pub struct CapTotals {
    paid: HashMap<(LimitScope, String), Decimal>,
}

/// A cap that cut a line: the line went from `from` to `to`. `paid_before` is what earlier
/// lines had already used of a cap that adds up (`None` for a cap on the line alone).
pub struct Bite {
    pub scope: LimitScope,
    pub cap: Decimal,
    pub paid_before: Option<Decimal>,
    /// The bucket, in words: `this contract year`, `the term`, or a quarter such as `2016/17 Q1`.
    pub within: String,
    pub from: Decimal,
    pub to: Decimal,
}

/// Applies caps to one line's amount: first the caps on the line itself, then those that add
/// up over months, quarters, the contract year and the term. Returns the capped amount and the
/// caps that bit, and records the amount in the running totals.
pub fn cap_line(
    calendar: &Calendar,
    caps: &[(LimitScope, Decimal)],
    frequency: Frequency,
    period: &Period,
    totals: &mut CapTotals,
    mut amount: Decimal,
) -> (Decimal, Vec<Bite>) {
    let mut bites = Vec::new();
    for (scope, cap) in caps {
        if *scope == LimitScope::Participant
            || scope_key(calendar, *scope, frequency, period).is_some()
        {
            continue;
        }
        let limit = *cap * scope_multiple(*scope, frequency);
        if amount > limit {
            bites.push(Bite {
                scope: *scope,
                cap: *cap,
                paid_before: None,
                within: String::new(),
                from: amount,
                to: limit,
            });
            amount = limit;
        }
    }
    let mut keys = Vec::new();
    for (scope, cap) in caps {
        let Some(key) = scope_key(calendar, *scope, frequency, period) else {
            continue;
        };
        let paid = totals
            .paid
            .get(&(*scope, key.clone()))
            .copied()
            .unwrap_or_default();
        let room = (*cap - paid).max(Decimal::ZERO);
        if amount > room {
            let within = match scope {
                LimitScope::Term => "the term".to_string(),
                LimitScope::Year => "this contract year".to_string(),
                _ => key.clone(),
            };
            bites.push(Bite {
                scope: *scope,
                cap: *cap,
                paid_before: Some(paid),
                within,
                from: amount,
                to: room,
            });
            amount = room;
        }
        keys.push((*scope, key));
    }
    for key in keys {
        *totals.paid.entry(key).or_default() += amount;
    }
    (amount, bites)
}
