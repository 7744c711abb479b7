//! What changed between two versions of a contract, in business terms (`obc diff OLD NEW`).
//!
//! Both versions are compared as resolved specifications ([`Spec`]), so a change is reported
//! the same way however the contract was written: a default made explicit is no change, and a
//! change of the money at risk shows in each contract year it affects.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::emit::spec::{
    BandSpec, DeductionSpec, GatewaySpec, IndicatorSpec, LimitSpec, MechanismSpec, PaymentSpec,
    Spec,
};
use crate::syntax::ast::CurrencyCode;
use crate::units::{format_money, format_number, format_percent};

mod contract;
mod framework;
mod payments;

/// One difference: in an area (`contract`, `indicator`, `value`, `payment`, `advance`,
/// `gateway`, `deduction` or `money`), for a named thing, what changed, and its value before and after (`None`: absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub area: String,
    pub name: String,
    pub what: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every difference between two contracts, ordered by area, then name, then what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

const AREAS: [&str; 8] = [
    "contract",
    "indicator",
    "value",
    "payment",
    "advance",
    "gateway",
    "deduction",
    "money",
];

/// The differences between two contracts, in business terms.
pub fn diff(old: &Spec, new: &Spec) -> Diff {
    let mut d = Differ {
        changes: Vec::new(),
        old_currency: currency(&old.contract.currency),
        new_currency: currency(&new.contract.currency),
    };
    d.contract(old, new);
    d.indicators(old, new);
    d.values(old, new);
    d.payments(old, new);
    d.advances(old, new);
    d.gateways(old, new);
    d.deductions(old, new);
    d.money(old, new);
    let mut changes = d.changes;
    changes.sort_by(|a, b| {
        area_rank(&a.area)
            .cmp(&area_rank(&b.area))
            .then_with(|| natural(&a.name, &b.name))
            .then_with(|| natural(&a.what, &b.what))
    });
    Diff { changes }
}

/// The differences as a report for people, grouped by area.
pub fn human(diff: &Diff) -> String {
    if diff.changes.is_empty() {
        return "no differences\n".to_string();
    }
    let mut out = String::new();
    let count = diff.changes.len();
    out.push_str(&format!(
        "{count} difference{}\n",
        if count == 1 { "" } else { "s" }
    ));
    let mut area = "";
    for change in &diff.changes {
        if change.area != area {
            area = &change.area;
            out.push_str(&format!("\n{}\n", heading(area)));
        }
        let subject = if change.area == "money" {
            change.name.clone()
        } else if change.area == "contract" {
            "contract".to_string()
        } else {
            format!("{} `{}`", change.area, change.name)
        };
        let text = match (&change.before, &change.after) {
            (None, Some(after)) if change.what == "added" => format!("added: {after}"),
            (Some(before), None) if change.what == "removed" => format!("removed: {before}"),
            (Some(before), Some(after))
                if before.starts_with("pays ") && after.starts_with("pays ") =>
            {
                format!("{} pays {} → {}", change.what, &before[5..], &after[5..])
            }
            (before, after) => format!(
                "{}: {} → {}",
                change.what,
                before.as_deref().unwrap_or("none"),
                after.as_deref().unwrap_or("none")
            ),
        };
        out.push_str(&format!("  {subject}: {text}\n"));
    }
    out
}

/// The differences as pretty-printed JSON: `{"changes": [...]}`.
pub fn json(diff: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
    text.push('\n');
    text
}

fn heading(area: &str) -> &'static str {
    match area {
        "contract" => "Contract",
        "indicator" => "Indicators",
        "value" => "Inputs and derived values",
        "payment" => "Payments",
        "advance" => "Advances",
        "gateway" => "Gateways",
        "deduction" => "Deductions",
        _ => "Money per contract year",
    }
}

fn area_rank(area: &str) -> usize {
    AREAS.iter().position(|a| *a == area).unwrap_or(AREAS.len())
}

/// Compares strings with runs of digits as numbers, so `year 2` comes before `year 10`.
fn natural(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let order = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

fn currency(code: &str) -> CurrencyCode {
    match code {
        "EUR" => CurrencyCode::Eur,
        "USD" => CurrencyCode::Usd,
        _ => CurrencyCode::Gbp,
    }
}

fn parse(value: &str) -> Option<Decimal> {
    value.parse().ok()
}

/// A decimal string from the spec as a plain number: `1,234.5`.
fn num(value: &str) -> String {
    parse(value)
        .map(format_number)
        .unwrap_or_else(|| value.to_string())
}

fn pct(value: &str) -> String {
    parse(value)
        .map(format_percent)
        .unwrap_or_else(|| value.to_string())
}

/// A value in an indicator's unit (`percent`, `money`, `days`, or a plain number).
fn in_unit(value: &str, kind: Option<&str>, currency: CurrencyCode) -> String {
    match (kind, parse(value)) {
        (Some("percent"), Some(v)) => format_percent(v),
        (Some("money"), Some(v)) => format_money(v, currency),
        (Some("days"), Some(v)) => format!("{} days", format_number(v)),
        (_, Some(v)) => format_number(v),
        (_, None) => value.to_string(),
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn titled(name: &str, title: &Option<String>) -> String {
    match title {
        Some(title) => format!("\"{title}\""),
        None => format!("`{name}`"),
    }
}

fn limits_text(limits: &[LimitSpec], currency: CurrencyCode) -> Vec<(String, String)> {
    limits
        .iter()
        .map(|l| {
            (
                l.scope.clone(),
                parse(&l.amount)
                    .map(|a| format_money(a, currency))
                    .unwrap_or_else(|| l.amount.clone()),
            )
        })
        .collect()
}

struct Differ {
    changes: Vec<Change>,
    old_currency: CurrencyCode,
    new_currency: CurrencyCode,
}

impl Differ {
    fn push(
        &mut self,
        area: &str,
        name: &str,
        what: &str,
        before: Option<String>,
        after: Option<String>,
    ) {
        if before != after {
            self.changes.push(Change {
                area: area.to_string(),
                name: name.to_string(),
                what: what.to_string(),
                before,
                after,
            });
        }
    }

    fn money_pair(&self, old: &str, new: &str) -> (String, String) {
        let f = |v: &str, c| {
            parse(v)
                .map(|a| format_money(a, c))
                .unwrap_or_else(|| v.to_string())
        };
        (f(old, self.old_currency), f(new, self.new_currency))
    }

    fn opt_money(
        &self,
        old: &Option<String>,
        new: &Option<String>,
    ) -> (Option<String>, Option<String>) {
        let f = |v: &Option<String>, c| {
            v.as_deref().map(|v| {
                parse(v)
                    .map(|a| format_money(a, c))
                    .unwrap_or_else(|| v.to_string())
            })
        };
        (f(old, self.old_currency), f(new, self.new_currency))
    }

    fn limits(&mut self, area: &str, name: &str, kind: &str, o: &[LimitSpec], n: &[LimitSpec]) {
        let ol = limits_text(o, self.old_currency);
        let nl = limits_text(n, self.new_currency);
        let scopes = ol
            .iter()
            .chain(&nl)
            .map(|(s, _)| s.clone())
            .collect::<Vec<_>>();
        let mut seen = BTreeSet::new();
        for scope in scopes {
            if !seen.insert(scope.clone()) {
                continue;
            }
            let find = |l: &[(String, String)]| {
                let found = l
                    .iter()
                    .filter(|(s, _)| *s == scope)
                    .map(|(_, a)| a.clone())
                    .collect::<Vec<_>>();
                (!found.is_empty()).then(|| found.join(", "))
            };
            self.push(area, name, &format!("{kind} {scope}"), find(&ol), find(&nl));
        }
    }

    fn money(&mut self, old: &Spec, new: &Spec) {
        let years = old
            .years
            .iter()
            .chain(&new.years)
            .map(|y| y.contract_year)
            .collect::<BTreeSet<_>>();
        for year in years {
            let o = old.years.iter().find(|y| y.contract_year == year);
            let n = new.years.iter().find(|y| y.contract_year == year);
            let name = format!("year {year}");
            let unknown = |present: bool, v: &Option<String>| {
                if present && v.is_none() {
                    Some("cannot be known".to_string())
                } else {
                    v.clone()
                }
            };
            let (rb, ra) = self.opt_money(
                &o.and_then(|y| y.at_risk.clone()),
                &n.and_then(|y| y.at_risk.clone()),
            );
            self.push("money", &name, "money at risk", rb, ra);
            let (lb, la) = self.opt_money(
                &o.and_then(|y| y.largest_payment.clone()),
                &n.and_then(|y| y.largest_payment.clone()),
            );
            self.push(
                "money",
                &name,
                "largest possible payment",
                unknown(o.is_some(), &lb),
                unknown(n.is_some(), &la),
            );
        }
    }
}

/// The names in either list: the old order first, then names only in the new list.
fn names<T>(old: &[T], new: &[T], name: impl Fn(&T) -> &String) -> Vec<String> {
    let mut out: Vec<String> = old.iter().map(|x| name(x).clone()).collect();
    for x in new {
        if !out.contains(name(x)) {
            out.push(name(x).clone());
        }
    }
    out
}
