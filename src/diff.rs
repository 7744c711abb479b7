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

/// One difference: in an area (`contract`, `indicator`, `payment`, `gateway`, `deduction` or
/// `money`), for a named thing, what changed, and its value before and after (`None`: absent).
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

const AREAS: [&str; 7] = [
    "contract",
    "indicator",
    "value",
    "payment",
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

fn indicator_summary(i: &IndicatorSpec) -> String {
    let mut parts = vec![format!("in {}", i.unit.words)];
    if let Some(better) = &i.better {
        parts.push(format!("{better} is better"));
    }
    if !i.targets.is_empty() {
        parts.push(format!("target {}", i.targets.join(", ")));
    }
    if i.reporting_only {
        parts.push("reporting only".to_string());
    }
    format!("{} ({})", titled(&i.name, &i.title), parts.join(", "))
}

fn payment_summary(p: &PaymentSpec) -> String {
    let mut parts = Vec::new();
    if let Some(weight) = &p.weight {
        parts.push(format!("weight {}", pct(weight)));
    }
    if let Some(indicator) = &p.indicator {
        parts.push(format!("on {indicator}"));
    }
    parts.push(format!("assessed {}", p.assessed));
    parts.push(mechanism_kind(&p.mechanism));
    format!("{} ({})", titled(&p.name, &p.title), parts.join(", "))
}

fn band_pays(band: &BandSpec, unit_money: impl Fn(&str) -> String) -> String {
    match band.pays.as_str() {
        "share" => format!("pays {}", pct(band.value.as_deref().unwrap_or("0"))),
        "amount" => format!("pays {}", unit_money(band.value.as_deref().unwrap_or("0"))),
        "linear" => format!(
            "pays linear {} to {}",
            pct(band.from.as_deref().unwrap_or("0")),
            pct(band.to.as_deref().unwrap_or("0"))
        ),
        _ => "pays nothing".to_string(),
    }
}

fn mechanism_kind(m: &MechanismSpec) -> String {
    match m {
        MechanismSpec::Tiers { bands } => format!(
            "tiers ({} band{})",
            bands.len(),
            if bands.len() == 1 { "" } else { "s" }
        ),
        MechanismSpec::Linear { .. } => "linear scale".to_string(),
        MechanismSpec::Points { .. } => "points".to_string(),
        MechanismSpec::Improvement { .. } => "improvement".to_string(),
        MechanismSpec::RateCard { .. } => "rate card".to_string(),
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

    fn contract(&mut self, old: &Spec, new: &Spec) {
        let (o, n) = (&old.contract, &new.contract);
        let name = n.title.clone();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            self.push("contract", &name, what, before, after)
        };
        c("title", Some(o.title.clone()), Some(n.title.clone()));
        c("reference", o.reference.clone(), n.reference.clone());
        c(
            "commissioners",
            Some(o.commissioners.join(", ")),
            Some(n.commissioners.join(", ")),
        );
        c(
            "providers",
            Some(o.providers.join(", ")),
            Some(n.providers.join(", ")),
        );
        let payers = |c: &crate::emit::spec::ContractSpec| {
            (!c.payers.is_empty()).then(|| {
                c.payers
                    .iter()
                    .map(|p| format!("{} ({})", p.name, p.title))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        };
        c("payers", payers(o), payers(n));
        c("paid by", payer_split(&o.paid_by), payer_split(&n.paid_by));
        c(
            "term start",
            Some(o.term.start.clone()),
            Some(n.term.start.clone()),
        );
        c(
            "term end",
            Some(o.term.end.clone()),
            Some(n.term.end.clone()),
        );
        c(
            "contract years",
            Some(o.term.contract_years.to_string()),
            Some(n.term.contract_years.to_string()),
        );
        c(
            "payments due by",
            o.term.payments_due_by.clone(),
            n.term.payments_due_by.clone(),
        );
        c(
            "fiscal year starts",
            Some(format!("month {}", o.fiscal_year_starts)),
            Some(format!("month {}", n.fiscal_year_starts)),
        );
        c(
            "currency",
            Some(o.currency.clone()),
            Some(n.currency.clone()),
        );
        let (rb, ra) = (&o.rules, &n.rules);
        c(
            "rounding",
            Some(format!("{} to {}", rb.rounding_mode, rb.rounding_unit)),
            Some(format!("{} to {}", ra.rounding_mode, ra.rounding_unit)),
        );
        let places = |p: Option<u32>| {
            p.map(|p| format!("{p} decimal places"))
                .unwrap_or_else(|| "not rounded".to_string())
        };
        c(
            "factors rounded to",
            Some(places(rb.factors_rounded_to)),
            Some(places(ra.factors_rounded_to)),
        );
        c(
            "boundary values go to",
            Some(format!("the {} band", rb.boundary_values_go_to)),
            Some(format!("the {} band", ra.boundary_values_go_to)),
        );
        c(
            "missing data",
            Some(rb.missing_data.clone()),
            Some(ra.missing_data.clone()),
        );
        c(
            "month ends stay month ends",
            Some(yes_no(rb.month_ends_stay_month_ends)),
            Some(yes_no(ra.month_ends_stay_month_ends)),
        );
        c(
            "part periods",
            Some(rb.part_periods.clone()),
            Some(ra.part_periods.clone()),
        );
        c(
            "deductions come",
            Some(rb.deductions_come.clone()),
            Some(ra.deductions_come.clone()),
        );
        let (vb, va) = self.money_pair(&o.value_per_year, &n.value_per_year);
        self.push("contract", &name, "value per year", Some(vb), Some(va));
    }

    fn indicators(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.indicators, &new.indicators, |i| &i.name) {
            let o = old.indicators.iter().find(|i| i.name == name);
            let n = new.indicators.iter().find(|i| i.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.indicator(o, n),
                (Some(o), None) => self.push(
                    "indicator",
                    &name,
                    "removed",
                    Some(indicator_summary(o)),
                    None,
                ),
                (None, Some(n)) => self.push(
                    "indicator",
                    &name,
                    "added",
                    None,
                    Some(indicator_summary(n)),
                ),
                (None, None) => {}
            }
        }
    }

    fn indicator(&mut self, o: &IndicatorSpec, n: &IndicatorSpec) {
        let name = n.name.clone();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            self.push("indicator", &name, what, before, after)
        };
        c("title", o.title.clone(), n.title.clone());
        c(
            "exclusions come off the denominator",
            Some(yes_no(o.exclusions_come_off_the_denominator)),
            Some(yes_no(n.exclusions_come_off_the_denominator)),
        );
        c(
            "periods combine by",
            Some(o.combine_periods.clone()),
            Some(n.combine_periods.clone()),
        );
        c("definition", o.definition.clone(), n.definition.clone());
        c("numerator", o.numerator.clone(), n.numerator.clone());
        c("denominator", o.denominator.clone(), n.denominator.clone());
        c("source", o.source.clone(), n.source.clone());
        c(
            "unit",
            Some(o.unit.words.clone()),
            Some(n.unit.words.clone()),
        );
        c(
            "polarity",
            o.better.as_ref().map(|b| format!("{b} is better")),
            n.better.as_ref().map(|b| format!("{b} is better")),
        );
        c("frequency", o.reported.clone(), n.reported.clone());
        c("follow up", o.follow_up.clone(), n.follow_up.clone());
        c("data lag", o.data_lag.clone(), n.data_lag.clone());
        if o.baseline != n.baseline {
            c("baseline", o.baseline.clone(), n.baseline.clone());
        } else {
            c(
                "baseline value",
                o.baseline_value.as_deref().map(num),
                n.baseline_value.as_deref().map(num),
            );
        }
        let targets = |t: &[String]| (!t.is_empty()).then(|| t.join(", "));
        c("target", targets(&o.targets), targets(&n.targets));
        c(
            "minimum denominator",
            o.minimum_denominator.as_deref().map(num),
            n.minimum_denominator.as_deref().map(num),
        );
        c(
            "reporting only",
            Some(yes_no(o.reporting_only)),
            Some(yes_no(n.reporting_only)),
        );
        c("cohort", o.cohort.clone(), n.cohort.clone());
    }

    /// Inputs and derived values: added, removed, and what changed in each.
    fn values(&mut self, old: &Spec, new: &Spec) {
        let input = |i: &crate::emit::spec::InputSpec| {
            let mut text = format!("input, {}", i.unit.words);
            if let Some(range) = &i.range {
                text.push_str(&format!(
                    ", range {} to {}",
                    num(&range.from),
                    num(&range.to)
                ));
            }
            text
        };
        for name in names(&old.inputs, &new.inputs, |i| &i.name) {
            let o = old.inputs.iter().find(|i| i.name == name);
            let n = new.inputs.iter().find(|i| i.name == name);
            match (o, n) {
                (Some(o), Some(n)) => {
                    self.push("value", &name, "title", o.title.clone(), n.title.clone());
                    self.push("value", &name, "input", Some(input(o)), Some(input(n)));
                }
                (o, n) => {
                    let what = if o.is_some() { "removed" } else { "added" };
                    self.push("value", &name, what, o.map(input), n.map(input));
                }
            }
        }
        let derived = |d: &crate::emit::spec::DerivedSpec| {
            let mut text = format!("equals {}", d.equals);
            if let Some(places) = d.rounded_to {
                text.push_str(&format!(", rounded to {places} decimal places"));
            }
            if let Some(range) = &d.range {
                text.push_str(&format!(
                    ", range {} to {}",
                    num(&range.from),
                    num(&range.to)
                ));
            }
            text
        };
        for name in names(&old.derived_values, &new.derived_values, |d| &d.name) {
            let o = old.derived_values.iter().find(|d| d.name == name);
            let n = new.derived_values.iter().find(|d| d.name == name);
            match (o, n) {
                (Some(o), Some(n)) => {
                    self.push("value", &name, "title", o.title.clone(), n.title.clone());
                    self.push(
                        "value",
                        &name,
                        "worked out as",
                        Some(derived(o)),
                        Some(derived(n)),
                    );
                }
                (o, n) => {
                    let what = if o.is_some() { "removed" } else { "added" };
                    self.push("value", &name, what, o.map(derived), n.map(derived));
                }
            }
        }
    }

    fn payments(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.payments, &new.payments, |p| &p.name) {
            let o = old.payments.iter().find(|p| p.name == name);
            let n = new.payments.iter().find(|p| p.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.payment(old, new, o, n),
                (Some(o), None) => {
                    self.push("payment", &name, "removed", Some(payment_summary(o)), None)
                }
                (None, Some(n)) => {
                    self.push("payment", &name, "added", None, Some(payment_summary(n)))
                }
                (None, None) => {}
            }
        }
    }

    fn payment(&mut self, old: &Spec, new: &Spec, o: &PaymentSpec, n: &PaymentSpec) {
        let name = n.name.as_str();
        let p = "payment";
        self.push(p, name, "title", o.title.clone(), n.title.clone());
        self.push(
            p,
            name,
            "indicator",
            o.indicator.clone(),
            n.indicator.clone(),
        );
        self.push(
            p,
            name,
            "assessed",
            Some(o.assessed.clone()),
            Some(n.assessed.clone()),
        );
        let weight = |w: &PaymentSpec| {
            w.weight_as_written
                .clone()
                .or_else(|| w.weight.as_deref().map(pct))
        };
        self.push(p, name, "weight", weight(o), weight(n));
        self.push(
            p,
            name,
            "periods combine by",
            o.combine_periods.clone(),
            n.combine_periods.clone(),
        );
        let capped = |w: &PaymentSpec| w.not_capped.then(|| "not capped".to_string());
        self.push(p, name, "cap", capped(o), capped(n));
        let protected = |w: &PaymentSpec| {
            w.protected
                .as_ref()
                .map(|p| format!("{} protected at {}", p.what, p.value))
        };
        self.push(p, name, "protection", protected(o), protected(n));
        let own = |w: &PaymentSpec| w.own_payers.then(|| payer_split(&w.paid_by)).flatten();
        self.push(p, name, "paid by", own(o), own(n));
        // Pots per contract year.
        let pot = |pots: &Option<Vec<crate::emit::spec::YearMoney>>, year: u32| {
            pots.as_ref()
                .and_then(|p| p.iter().find(|y| y.contract_year == year))
                .map(|y| y.amount.clone())
        };
        let years = o
            .pot_per_year
            .iter()
            .chain(&n.pot_per_year)
            .flatten()
            .map(|y| y.contract_year)
            .collect::<BTreeSet<_>>();
        for year in years {
            let (b, a) = self.opt_money(&pot(&o.pot_per_year, year), &pot(&n.pot_per_year, year));
            self.push(p, name, &format!("pot in year {year}"), b, a);
        }
        // The mechanism, in the unit of the indicator it is measured on.
        let unit_of = |spec: &Spec, payment: &PaymentSpec| {
            payment
                .indicator
                .as_ref()
                .and_then(|i| spec.indicators.iter().find(|x| &x.name == i))
                .map(|i| i.unit.kind.clone())
        };
        let (ou, nu) = (unit_of(old, o), unit_of(new, n));
        self.mechanism(
            name,
            &o.mechanism,
            &n.mechanism,
            ou.as_deref(),
            nu.as_deref(),
        );
        self.limits(p, name, "cap", &o.caps, &n.caps);
        self.limits(p, name, "floor", &o.floors, &n.floors);
        self.push(p, name, "paid", Some(o.paid.clone()), Some(n.paid.clone()));
        let advance = |a: &Option<crate::emit::spec::AdvanceSpec>| {
            a.as_ref()
                .map(|a| format!("{} of the pot, {}", pct(&a.share), a.frequency))
        };
        self.push(p, name, "advance", advance(&o.advance), advance(&n.advance));
    }

    fn mechanism(
        &mut self,
        name: &str,
        o: &MechanismSpec,
        n: &MechanismSpec,
        old_unit: Option<&str>,
        new_unit: Option<&str>,
    ) {
        let p = "payment";
        let (oc, nc) = (self.old_currency, self.new_currency);
        let ov = |v: &str| in_unit(v, old_unit, oc);
        let nv = |v: &str| in_unit(v, new_unit, nc);
        let om = |v: &str| in_unit(v, Some("money"), oc);
        let nm = |v: &str| in_unit(v, Some("money"), nc);
        let mut changes: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            changes.push((what.to_string(), before, after));
        };
        match (o, n) {
            (MechanismSpec::Tiers { bands: ob }, MechanismSpec::Tiers { bands: nb }) => {
                let band = |b: &BandSpec, money: &dyn Fn(&str) -> String| band_pays(b, money);
                if ob.len() == nb.len() {
                    // The same number of bands: compare them by position.
                    for (i, (x, y)) in ob.iter().zip(nb).enumerate() {
                        if x.range != y.range {
                            c(
                                &format!("band {} range", i + 1),
                                Some(x.range.clone()),
                                Some(y.range.clone()),
                            );
                        }
                        c(
                            &format!("band `{}`", y.range),
                            Some(band(x, &om)),
                            Some(band(y, &nm)),
                        );
                        c(
                            &format!("band `{}` covers", y.range),
                            placed_band(x, &ov),
                            placed_band(y, &nv),
                        );
                    }
                } else {
                    // Bands added or removed: compare them by range as written.
                    for x in ob {
                        let after = nb.iter().find(|y| y.range == x.range).map(|y| band(y, &nm));
                        c(&format!("band `{}`", x.range), Some(band(x, &om)), after);
                    }
                    for y in nb.iter().filter(|y| !ob.iter().any(|x| x.range == y.range)) {
                        c(&format!("band `{}`", y.range), None, Some(band(y, &nm)));
                    }
                }
            }
            (
                MechanismSpec::Linear {
                    from: of,
                    to: ot,
                    pays_from: opf,
                    pays_to: opt,
                    by_year: oy,
                },
                MechanismSpec::Linear {
                    from: nf,
                    to: nt,
                    pays_from: npf,
                    pays_to: npt,
                    by_year: ny,
                },
            ) => {
                c("scale starts at", Some(ov(of)), Some(nv(nf)));
                c("scale ends at", Some(ov(ot)), Some(nv(nt)));
                c(
                    "scale by contract year",
                    scale_years(oy, &ov),
                    scale_years(ny, &nv),
                );
                c("scale start pays", Some(pct(opf)), Some(pct(npf)));
                c("scale end pays", Some(pct(opt)), Some(pct(npt)));
            }
            (
                MechanismSpec::Points {
                    points: op,
                    from: of,
                    to: ot,
                    by_year: oy,
                    price_per_point: opp,
                    adjusted_by: oa,
                },
                MechanismSpec::Points {
                    points: np,
                    from: nf,
                    to: nt,
                    by_year: ny,
                    price_per_point: npp,
                    adjusted_by: na,
                },
            ) => {
                c("points", Some(num(op)), Some(num(np)));
                c("points from", Some(ov(of)), Some(nv(nf)));
                c("points to", Some(ov(ot)), Some(nv(nt)));
                c(
                    "points scale by contract year",
                    scale_years(oy, &ov),
                    scale_years(ny, &nv),
                );
                c(
                    "price per point",
                    Some(by_year(opp, &om)),
                    Some(by_year(npp, &nm)),
                );
                let adj = |a: &[String]| (!a.is_empty()).then(|| a.join(", "));
                c("adjusted by", adj(oa), adj(na));
            }
            (
                MechanismSpec::Improvement {
                    change: oc_,
                    against: oa,
                    trigger: ot,
                    pooled_trigger: opt,
                    pays_share: ops,
                    pays_per_point: opp,
                },
                MechanismSpec::Improvement {
                    change: nc_,
                    against: na,
                    trigger: nt,
                    pooled_trigger: npt,
                    pays_share: nps,
                    pays_per_point: npp,
                },
            ) => {
                c("improvement measured", Some(oc_.clone()), Some(nc_.clone()));
                c("improvement against", Some(oa.clone()), Some(na.clone()));
                let trig = |t: &Option<String>, rel: bool, f: &dyn Fn(&str) -> String| {
                    t.as_deref().map(|t| if rel { pct(t) } else { f(t) })
                };
                c(
                    "trigger",
                    trig(ot, oc_ == "relative", &ov),
                    trig(nt, nc_ == "relative", &nv),
                );
                c(
                    "pooled trigger",
                    trig(opt, oc_ == "relative", &ov),
                    trig(npt, nc_ == "relative", &nv),
                );
                c(
                    "pays share",
                    ops.as_deref().map(pct),
                    nps.as_deref().map(pct),
                );
                c(
                    "pays per point",
                    opp.as_deref().map(om),
                    npp.as_deref().map(nm),
                );
            }
            (
                MechanismSpec::RateCard {
                    cohort: oco,
                    attachment_fee: of,
                    criteria: ocr,
                    outcomes: oo,
                },
                MechanismSpec::RateCard {
                    cohort: nco,
                    attachment_fee: nf,
                    criteria: ncr,
                    outcomes: no,
                },
            ) => {
                c("cohort", oco.clone(), nco.clone());
                c(
                    "attachment fee",
                    of.as_deref().map(|f| by_year(f, &om)),
                    nf.as_deref().map(|f| by_year(f, &nm)),
                );
                let crit = |a: &[String]| (!a.is_empty()).then(|| a.join("; "));
                c("eligibility criteria", crit(ocr), crit(ncr));
                let outcome_names = names(oo, no, |o| &o.name);
                for oname in outcome_names {
                    let x = oo.iter().find(|o| o.name == oname);
                    let y = no.iter().find(|o| o.name == oname);
                    let price = |o: &crate::emit::spec::RateOutcomeSpec,
                                 m: &dyn Fn(&str) -> String| {
                        let mut text = format!("pays {}", by_year(&o.price, m));
                        if let Some(within) = &o.within {
                            text.push_str(&format!(" within {within} of start"));
                        }
                        if !o.all_of.is_empty() {
                            text.push_str(&format!(" for all of {}", o.all_of.join(", ")));
                        }
                        text
                    };
                    c(
                        &format!("outcome `{oname}`"),
                        x.map(|x| price(x, &om)),
                        y.map(|y| price(y, &nm)),
                    );
                    if let (Some(x), Some(y)) = (x, y) {
                        c(
                            &format!("outcome `{oname}` title"),
                            x.title.clone(),
                            y.title.clone(),
                        );
                    }
                }
            }
            (o, n) => c(
                "mechanism",
                Some(mechanism_kind(o)),
                Some(mechanism_kind(n)),
            ),
        }
        for (what, before, after) in changes {
            self.push(p, name, &what, before, after);
        }
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

    fn gateways(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.gateways, &new.gateways, |g| &g.name) {
            let o = old.gateways.iter().find(|g| g.name == name);
            let n = new.gateways.iter().find(|g| g.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.gateway(o, n),
                (Some(o), None) => {
                    self.push("gateway", &name, "removed", Some(gateway_summary(o)), None)
                }
                (None, Some(n)) => {
                    self.push("gateway", &name, "added", None, Some(gateway_summary(n)))
                }
                (None, None) => {}
            }
        }
    }

    fn gateway(&mut self, o: &GatewaySpec, n: &GatewaySpec) {
        let name = n.name.as_str();
        let g = "gateway";
        self.push(g, name, "title", o.title.clone(), n.title.clone());
        self.push(
            g,
            name,
            "requires",
            Some(o.requires.join(" and ")),
            Some(n.requires.join(" and ")),
        );
        self.push(
            g,
            name,
            "applies to",
            Some(applies(&o.applies_to)),
            Some(applies(&n.applies_to)),
        );
        self.push(
            g,
            name,
            "withholds",
            Some(pct(&o.withholds)),
            Some(pct(&n.withholds)),
        );
    }

    fn deductions(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.deductions, &new.deductions, |d| &d.name) {
            let o = old.deductions.iter().find(|d| d.name == name);
            let n = new.deductions.iter().find(|d| d.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.deduction(o, n),
                (Some(o), None) => self.push(
                    "deduction",
                    &name,
                    "removed",
                    Some(self.deduction_summary(o, self.old_currency)),
                    None,
                ),
                (None, Some(n)) => self.push(
                    "deduction",
                    &name,
                    "added",
                    None,
                    Some(self.deduction_summary(n, self.new_currency)),
                ),
                (None, None) => {}
            }
        }
    }

    fn deduction_amount(&self, d: &DeductionSpec, currency: CurrencyCode) -> String {
        let amount = match (&d.amount, &d.share_of_monthly_value) {
            (Some(a), _) => in_unit(a, Some("money"), currency),
            (None, Some(s)) => format!("{} of the monthly value", pct(s)),
            (None, None) => "nothing".to_string(),
        };
        let mut words = match &d.charged_per {
            Some(unit) => format!("{amount} per {unit}"),
            None => amount,
        };
        for instead in &d.instead {
            words.push_str(&format!(
                ", {} per breach on {} instead",
                in_unit(&instead.amount_per_breach, Some("money"), currency),
                instead.indicator
            ));
        }
        words
    }

    fn deduction_summary(&self, d: &DeductionSpec, currency: CurrencyCode) -> String {
        format!(
            "{} on {}: {} above a tolerance of {} per {}",
            titled(&d.name, &d.title),
            d.indicator,
            self.deduction_amount(d, currency),
            num(&d.tolerance),
            d.per
        )
    }

    fn deduction(&mut self, o: &DeductionSpec, n: &DeductionSpec) {
        let name = n.name.as_str();
        let d = "deduction";
        self.push(d, name, "title", o.title.clone(), n.title.clone());
        self.push(
            d,
            name,
            "indicator",
            Some(o.indicator.clone()),
            Some(n.indicator.clone()),
        );
        self.push(
            d,
            name,
            "tolerance",
            Some(format!("{} per {}", num(&o.tolerance), o.per)),
            Some(format!("{} per {}", num(&n.tolerance), n.per)),
        );
        let (ob, na) = (
            self.deduction_amount(o, self.old_currency),
            self.deduction_amount(n, self.new_currency),
        );
        self.push(d, name, "deducts", Some(ob), Some(na));
        self.push(d, name, "standard", o.standard_words(), n.standard_words());
        self.push(d, name, "borne", o.borne_words(), n.borne_words());
        self.push(
            d,
            name,
            "taken from",
            o.taken_from.clone(),
            n.taken_from.clone(),
        );
        self.limits(d, name, "cap", &o.caps, &n.caps);
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

fn applies(to: &Option<Vec<String>>) -> String {
    match to {
        Some(list) => list.join(", "),
        None => "all payments".to_string(),
    }
}

fn gateway_summary(g: &GatewaySpec) -> String {
    format!(
        "{} requires {}; withholds {} of {}",
        titled(&g.name, &g.title),
        g.requires.join(" and "),
        pct(&g.withholds),
        applies(&g.applies_to)
    )
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
/// A scale's ends in each contract year, where they change by year.
/// Payers and their shares: `council 66.666667%, lcf 33.333333%`; `None` when there are none.
fn payer_split(shares: &[crate::emit::spec::PayerShareSpec]) -> Option<String> {
    (!shares.is_empty()).then(|| {
        shares
            .iter()
            .map(|s| {
                let share = s
                    .share
                    .parse::<rust_decimal::Decimal>()
                    .map(|d| d.round_dp(6).normalize().to_string())
                    .unwrap_or_else(|_| s.share.clone());
                format!("{} {share}%", s.payer)
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The values a band placed by the target or the baseline covers, in each contract year where
/// they change: `year 1: from 76% to below 80%; year 2: from 79.8% to below 84%`. `None` for a
/// band written with values, whose range as written says it all.
fn placed_band(band: &BandSpec, value: &dyn Fn(&str) -> String) -> Option<String> {
    use crate::emit::spec::BoundSpec;
    if !band.placed_by_target_or_baseline {
        return None;
    }
    let covers = |lower: &Option<BoundSpec>, upper: &Option<BoundSpec>| match (lower, upper) {
        (Some(l), Some(u)) => format!(
            "{} {}",
            if l.included { "from" } else { "above" },
            if u.included {
                format!("{} to {}", value(&l.value), value(&u.value))
            } else {
                format!("{} to below {}", value(&l.value), value(&u.value))
            }
        ),
        (Some(l), None) if l.included => format!("{} and above", value(&l.value)),
        (Some(l), None) => format!("above {}", value(&l.value)),
        (None, Some(u)) if u.included => format!("up to {}", value(&u.value)),
        (None, Some(u)) => format!("below {}", value(&u.value)),
        (None, None) => "every value".to_string(),
    };
    Some(if band.by_year.is_empty() {
        covers(&band.lower, &band.upper)
    } else {
        band.by_year
            .iter()
            .map(|y| format!("year {}: {}", y.contract_year, covers(&y.lower, &y.upper)))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn scale_years(
    years: &[crate::emit::spec::ScaleYearSpec],
    value: &dyn Fn(&str) -> String,
) -> Option<String> {
    (!years.is_empty()).then(|| {
        years
            .iter()
            .map(|y| {
                format!(
                    "year {}: {} to {}",
                    y.contract_year,
                    value(&y.from),
                    value(&y.to)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// An amount that may change by contract year, in words: `£187.74`, or
/// `£187.74 in year 1, £194.83 in years 2 to 3`.
fn by_year(list: &[crate::emit::spec::YearMoney], money: &dyn Fn(&str) -> String) -> String {
    let mut runs: Vec<(u32, u32, &str)> = Vec::new();
    for y in list {
        match runs.last_mut() {
            Some((_, last, amount)) if *amount == y.amount => *last = y.contract_year,
            _ => runs.push((y.contract_year, y.contract_year, &y.amount)),
        }
    }
    if let [(_, _, amount)] = runs.as_slice() {
        return money(amount);
    }
    runs.iter()
        .map(|(first, last, amount)| {
            if first == last {
                format!("{} in year {first}", money(amount))
            } else {
                format!("{} in years {first} to {last}", money(amount))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
