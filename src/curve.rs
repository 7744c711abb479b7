//! Payout curves (`obc curve CONTRACT PAYMENT`): what one payment pays across the range of its
//! indicator, sampled at a step, as a table, CSV, JSON or SVG.
//!
//! The payout at each value is worked out in decimals from the resolved model, the way
//! evaluation works out the first whole assessment period of a contract year (year 1 unless
//! another is chosen): the band a value falls in is chosen by the contract's boundary rule, a
//! share is of the period's pot, and the amount is rounded by the contract's rounding rule. Gateways, caps, deductions and adjustment factors
//! supplied with the data are not applied: they depend on more than the one value. The SVG is
//! the specification's payout chart ([`crate::emit::chart::payout_svg`]).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::model::{
    scale_position, share_on_scale, Contract, Improvement, ImprovementPays, Indicator, Mechanism,
    Payment,
};
use crate::syntax::ast::{ChangeKind, Polarity, Unit};
use crate::units::{format_number, format_value, unit_domain, unit_words};

/// The most points a curve may have, so that a tiny step cannot exhaust memory.
pub const MAX_POINTS: usize = 100_000;

/// The payout at one value of the indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CurvePoint {
    #[serde(serialize_with = "dec")]
    pub value: Decimal,
    /// The share of the period's pot paid, in percent; `None` when the payment pays an amount.
    #[serde(serialize_with = "opt_dec")]
    pub share: Option<Decimal>,
    /// The amount paid for one whole period of the curve's contract year, rounded; `None`
    /// without a pot.
    #[serde(serialize_with = "opt_dec")]
    pub amount: Option<Decimal>,
    /// The band (or part of the scale) the value falls in.
    pub band: Option<String>,
}

/// A payment's payout across its indicator's range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Curve {
    pub payment: String,
    /// The indicator; for an improvement against a comparison group the values are the
    /// improvement on the comparison group, not the indicator's result.
    pub indicator: String,
    /// The unit of the values, in words, such as `percent`.
    pub unit: String,
    /// Where the payout changes rule, as decimals.
    pub thresholds: Vec<String>,
    pub baseline: Option<String>,
    /// The target of the curve's contract year.
    pub target: Option<String>,
    /// For a protected payment, what it is paid on instead: the curve is what its rule
    /// calculates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected: Option<String>,
    /// For points adjusted by factors (`adjusted by cpi, asthma_apdf`): the factors, which come
    /// with the data, so the amounts are before them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adjusted_by: Vec<String>,
    pub points: Vec<CurvePoint>,
}

/// Decimals as strings: at most 6 places, no trailing zeros.
fn text(value: Decimal) -> String {
    value
        .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

fn dec<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&text(*value))
}

fn opt_dec<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(&text(*v)),
        None => s.serialize_none(),
    }
}

// ---------------------------------------------------------------- the payout at one value

/// What a payment pays at one value: share of the pot (if a share), amount before rounding (if
/// known), band.
struct Paid {
    share: Option<Decimal>,
    amount: Option<Decimal>,
    band: Option<String>,
}

/// How the values of a payment are read and paid.
struct Model<'a> {
    contract: &'a Contract,
    payment: &'a Payment,
    indicator: &'a Indicator,
    /// The contract year the curve is for: prices, pots and targets may change by year.
    year: u32,
    /// The pot of one whole period in that year.
    pot: Option<Decimal>,
}

fn scale_words(value: Decimal, from: Decimal, to: Decimal) -> &'static str {
    let (lo, hi) = (from.min(to), from.max(to));
    if value < lo {
        "below the scale"
    } else if value > hi {
        "above the scale"
    } else {
        "on the scale"
    }
}

impl Model<'_> {
    fn of_pot(&self, share: Decimal) -> Option<Decimal> {
        self.pot.map(|p| p * share / Decimal::ONE_HUNDRED)
    }

    /// The result value that gives an improvement of `change` on the baseline.
    fn result_for(&self, improvement: &Improvement, change: Decimal) -> Option<Decimal> {
        let base = self.indicator.baseline?;
        let sign = self.sign();
        match improvement.change {
            ChangeKind::Absolute => Some(base + sign * change),
            ChangeKind::Relative if !base.is_zero() => {
                Some(base + sign * change * base / Decimal::ONE_HUNDRED)
            }
            ChangeKind::Relative => None,
        }
    }

    fn sign(&self) -> Decimal {
        if self.indicator.polarity == Some(Polarity::Lower) {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        }
    }

    /// Values are the improvement itself (against a comparison group), not the result.
    fn on_improvement(&self) -> bool {
        matches!(&self.payment.mechanism, Mechanism::Improvement(i) if !i.against_baseline)
    }

    /// The improvement a value stands for: the value itself against a comparison group, or its
    /// change on the baseline.
    fn improvement_at(&self, improvement: &Improvement, value: Decimal) -> Option<Decimal> {
        if !improvement.against_baseline {
            return Some(value);
        }
        let base = self.indicator.baseline?;
        match improvement.change {
            ChangeKind::Absolute => Some((value - base) * self.sign()),
            ChangeKind::Relative if !base.is_zero() => {
                Some((value - base) / base * Decimal::ONE_HUNDRED * self.sign())
            }
            ChangeKind::Relative => None,
        }
    }

    /// What the payment pays at `value` in one period of contract year 1, before rounding.
    fn paid(&self, value: Decimal) -> Paid {
        match &self.payment.mechanism {
            Mechanism::Tiers(bands) => {
                match crate::eval::find_band(bands, value, self.contract.boundary, self.year) {
                    None => Paid {
                        share: Some(Decimal::ZERO),
                        amount: self.of_pot(Decimal::ZERO),
                        band: None,
                    },
                    Some(band) => {
                        let share = band.share_at(value, self.year);
                        let amount = band.amount();
                        Paid {
                            share,
                            amount: amount.or_else(|| share.and_then(|s| self.of_pot(s))),
                            band: Some(band.text.clone()),
                        }
                    }
                }
            }
            Mechanism::Linear {
                from,
                to,
                pay_from,
                pay_to,
            } => {
                let (from, to) = (from.at(self.year), to.at(self.year));
                let share = share_on_scale(value, from, to, *pay_from, *pay_to);
                Paid {
                    share: Some(share),
                    amount: self.of_pot(share),
                    band: Some(scale_words(value, from, to).to_string()),
                }
            }
            Mechanism::Points {
                points,
                from,
                to,
                price,
                ..
            } => {
                let (from, to) = (from.at(self.year), to.at(self.year));
                let position = scale_position(value, from, to);
                Paid {
                    share: None,
                    amount: Some(points * position * price.at(self.year)),
                    band: Some(scale_words(value, from, to).to_string()),
                }
            }
            Mechanism::Improvement(improvement) => {
                let change = self.improvement_at(improvement, value);
                let triggered = change.is_some_and(|c| {
                    c > Decimal::ZERO && improvement.trigger.is_none_or(|t| t.met_by(c))
                });
                let nothing = |band: &str| Paid {
                    share: matches!(improvement.pays, ImprovementPays::Share(_))
                        .then_some(Decimal::ZERO),
                    amount: match improvement.pays {
                        ImprovementPays::Share(_) => self.of_pot(Decimal::ZERO),
                        ImprovementPays::PerPoint(_) | ImprovementPays::PerEvent(_) => {
                            Some(Decimal::ZERO)
                        }
                    },
                    band: Some(band.to_string()),
                };
                match (change, improvement.pays) {
                    (Some(_), _) if !triggered => nothing("not triggered"),
                    (Some(_), ImprovementPays::Share(s)) => Paid {
                        share: Some(s),
                        amount: self.of_pot(s),
                        band: Some("triggered".to_string()),
                    },
                    (Some(c), ImprovementPays::PerPoint(rate)) => {
                        let amount = rate * c.max(Decimal::ZERO);
                        match self.pot {
                            Some(pot) if amount > pot => Paid {
                                share: None,
                                amount: Some(pot),
                                band: Some("triggered: the pot is reached".to_string()),
                            },
                            _ => Paid {
                                share: None,
                                amount: Some(amount),
                                band: Some("triggered".to_string()),
                            },
                        }
                    }
                    // Events avoided depend on the cohort's size, which the curve does not know.
                    (Some(_), ImprovementPays::PerEvent(_)) => Paid {
                        share: None,
                        amount: None,
                        band: Some("triggered: paid per event avoided".to_string()),
                    },
                    (None, _) => nothing("no baseline"),
                }
            }
            Mechanism::RateCard(_) => Paid {
                share: None,
                amount: None,
                band: None,
            },
        }
    }

    /// The point at `value`: shares exact, amounts rounded as evaluation rounds them.
    fn point(&self, value: Decimal) -> CurvePoint {
        let paid = self.paid(value);
        CurvePoint {
            value,
            share: paid.share,
            amount: paid.amount.map(|a| self.contract.rounding.apply(a)),
            band: paid.band,
        }
    }

    /// Where the payout changes rule.
    fn thresholds(&self) -> Vec<Decimal> {
        let mut found = match &self.payment.mechanism {
            Mechanism::Tiers(bands) => bands
                .iter()
                .flat_map(|b| {
                    let interval = b.interval(self.year);
                    [interval.lo, interval.hi]
                })
                .flatten()
                .map(|b| b.value)
                .collect(),
            Mechanism::Linear { from, to, .. } | Mechanism::Points { from, to, .. } => {
                vec![from.at(self.year), to.at(self.year)]
            }
            Mechanism::Improvement(improvement) => {
                let trigger = improvement
                    .trigger
                    .map(|t| t.value)
                    .unwrap_or(Decimal::ZERO);
                if improvement.against_baseline {
                    self.result_for(improvement, trigger).into_iter().collect()
                } else {
                    vec![trigger]
                }
            }
            Mechanism::RateCard(_) => Vec::new(),
        };
        found.sort();
        found.dedup();
        found
    }

    /// Whether the payout jumps at `t`: the rules either side, carried to `t`, pay differently.
    fn jumps_at(&self, t: Decimal, eps: Decimal) -> bool {
        match &self.payment.mechanism {
            Mechanism::Tiers(bands) => {
                let boundary = self.contract.boundary;
                let limit = |x: Decimal| {
                    crate::eval::find_band(bands, x, boundary, self.year)
                        .map(|b| (b.share_at(t, self.year), b.amount()))
                        .unwrap_or((Some(Decimal::ZERO), None))
                };
                let here = limit(t);
                limit(t - eps) != here || limit(t + eps) != here
            }
            Mechanism::Improvement(improvement) => match improvement.pays {
                ImprovementPays::Share(s) => !s.is_zero(),
                // Paying per point from the trigger on: a jump unless the trigger is no
                // improvement at all.
                ImprovementPays::PerPoint(rate) => {
                    !rate.is_zero() && improvement.trigger.is_some_and(|t| t.value > Decimal::ZERO)
                }
                ImprovementPays::PerEvent(_) => false,
            },
            _ => false,
        }
    }
}

// ---------------------------------------------------------------- sampling

/// A "nice" step (1, 2 or 5 times a power of ten) at least `raw`.
fn nice_step(raw: Decimal) -> Decimal {
    if raw <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let mut power = Decimal::ONE;
    while power > raw {
        power /= Decimal::TEN;
    }
    while power * Decimal::TEN <= raw {
        power *= Decimal::TEN;
    }
    for m in [1, 2, 5, 10] {
        let step = power * Decimal::from(m);
        if step >= raw {
            return step.normalize();
        }
    }
    (power * Decimal::TEN).normalize()
}

/// The payout curve of one payment, sampled every `step` (default: a round 1% of the range)
/// and at every threshold, the baseline, the first target and just either side of each jump.
/// The curve of `payment` in contract `year` (1 when not given): prices, pots and targets may
/// change by contract year.
pub fn curve(
    contract: &Contract,
    payment: &str,
    step: Option<Decimal>,
    year: Option<u32>,
) -> Result<Curve, String> {
    let Some(found) = contract.payments.iter().find(|p| p.name == payment) else {
        let names: Vec<&str> = contract.payments.iter().map(|p| p.name.as_str()).collect();
        return Err(format!(
            "the contract has no payment called `{payment}`; its payments are {}",
            names.join(", ")
        ));
    };
    if matches!(found.mechanism, Mechanism::RateCard(_)) {
        return Err(format!(
            "`{payment}` is a rate card: it pays a price for each outcome a participant achieves, so it has no payout curve over an indicator"
        ));
    }
    let Some(indicator) = found
        .indicator
        .as_ref()
        .and_then(|name| contract.indicators.get(name))
    else {
        return Err(format!(
            "`{payment}` is not measured on an indicator, so it has no payout curve"
        ));
    };
    if step.is_some_and(|s| s <= Decimal::ZERO) {
        return Err("the step must be more than 0".to_string());
    }
    let years = contract.calendar.contract_years();
    let year = year.unwrap_or(1);
    if year == 0 || year > years {
        return Err(format!(
            "the contract has {years} contract year{}: choose a year from 1 to {years}",
            if years == 1 { "" } else { "s" }
        ));
    }
    // The pot of the year's first whole period (it takes any odd penny of the split).
    let pot = found.pot_per_year.as_ref().and_then(|_| {
        found
            .period_pots(&contract.calendar, contract.rounding, false)
            .into_iter()
            .find(|p| p.year == year && !p.is_part())
            .map(|p| p.pot)
    });
    let model = Model {
        contract,
        payment: found,
        indicator,
        year,
        pot,
    };
    let thresholds = model.thresholds();
    let on_improvement = model.on_improvement();
    let baseline = indicator.baseline.filter(|_| !on_improvement);
    let target = indicator
        .targets
        .as_ref()
        .map(|t| t.at(year))
        .filter(|_| !on_improvement);
    let marked: Vec<Decimal> = thresholds
        .iter()
        .copied()
        .chain(baseline)
        .chain(target)
        .collect();

    // The range: the unit's own, or one around the values of interest.
    let (unit_min, unit_max) = unit_domain(indicator.unit);
    let (lo, hi, bounded) = match unit_max {
        Some(max) if !on_improvement && max > unit_min => (unit_min, max, true),
        _ => {
            let (lo, hi) = match (marked.iter().min(), marked.iter().max()) {
                (Some(lo), Some(hi)) => (*lo, *hi),
                _ => (unit_min, unit_min + Decimal::TEN),
            };
            let span = if hi > lo {
                hi - lo
            } else {
                (hi.abs() / Decimal::TWO).max(Decimal::ONE)
            };
            let half = span / Decimal::TWO;
            if on_improvement {
                let mut top = (hi * Decimal::TWO).max(Decimal::ONE);
                if let (Some(pot), Mechanism::Improvement(i)) = (model.pot, &found.mechanism) {
                    if let ImprovementPays::PerPoint(rate) = i.pays {
                        if !rate.is_zero() {
                            top = top.max(pot / rate * Decimal::new(125, 2));
                        }
                    }
                }
                (Decimal::ZERO.min(lo), top, false)
            } else {
                ((lo - half).max(unit_min), hi + half, false)
            }
        }
    };
    let step = match step {
        Some(s) => s,
        None => nice_step((hi - lo) / Decimal::ONE_HUNDRED),
    };
    // Outside the unit's own range, start and end on whole steps.
    let (lo, hi) = if bounded {
        (lo, hi)
    } else {
        (
            ((lo / step).floor() * step).max(if on_improvement { lo } else { unit_min }),
            (hi / step).ceil() * step,
        )
    };
    let count = (hi - lo) / step;
    if count > Decimal::from(MAX_POINTS) {
        return Err(format!(
            "a step of {} gives more than {MAX_POINTS} points from {} to {}; choose a larger step",
            step.normalize(),
            lo.normalize(),
            hi.normalize()
        ));
    }
    let mut values: Vec<Decimal> = Vec::new();
    let mut x = lo;
    while x <= hi {
        values.push(x);
        x += step;
    }
    values.push(hi);
    // Just either side of a jump: a hundredth of the step away.
    let eps = (step / Decimal::ONE_HUNDRED).normalize();
    for t in &thresholds {
        values.push(*t);
        if model.jumps_at(*t, eps) {
            values.push(*t - eps);
            values.push(*t + eps);
        }
    }
    values.extend(baseline);
    values.extend(target);
    let in_range = |v: &Decimal| {
        if on_improvement {
            *v >= lo
        } else {
            *v >= unit_min && unit_max.is_none_or(|m| *v <= m)
        }
    };
    let mut values: Vec<Decimal> = values
        .into_iter()
        .map(|v| v.normalize())
        .filter(in_range)
        .collect();
    values.sort();
    values.dedup();
    let unit = if on_improvement {
        match &found.mechanism {
            Mechanism::Improvement(i) if i.change == ChangeKind::Relative => {
                "percent improvement on the comparison group".to_string()
            }
            _ => "points of improvement on the comparison group".to_string(),
        }
    } else {
        unit_words(indicator.unit)
    };
    Ok(Curve {
        payment: found.name.clone(),
        indicator: indicator.name.clone(),
        unit,
        thresholds: thresholds.iter().map(|t| text(*t)).collect(),
        baseline: baseline.map(text),
        target: target.map(text),
        protected: found.protection.as_ref().map(|p| {
            format!(
                "the payment is paid on the {} given by `{}` for each period, whatever the result; this curve is what its rule calculates",
                match p.what {
                    crate::syntax::ast::Protected::Points => "points",
                    crate::syntax::ast::Protected::Share => "share of the pot",
                },
                p.value
            )
        }),
        adjusted_by: match &found.mechanism {
            Mechanism::Points { factors, .. } => factors.clone(),
            _ => Vec::new(),
        },
        points: values.into_iter().map(|v| model.point(v)).collect(),
    })
}

// ---------------------------------------------------------------- rendering

/// What a point marks: `threshold`, `baseline`, `target`, joined by `; `.
fn marks(curve: &Curve, value: Decimal) -> String {
    let v = text(value);
    let mut found = Vec::new();
    if curve.thresholds.contains(&v) {
        found.push("threshold");
    }
    if curve.baseline.as_deref() == Some(v.as_str()) {
        found.push("baseline");
    }
    if curve.target.as_deref() == Some(v.as_str()) {
        found.push("target");
    }
    found.join("; ")
}

fn value_words(curve: &Curve, value: Decimal) -> String {
    let rounded =
        value.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if curve.unit == "percent" {
        format_value(
            rounded,
            Unit::Percent,
            crate::syntax::ast::CurrencyCode::Gbp,
        )
    } else {
        format_number(rounded)
    }
}

fn share_words(share: Option<Decimal>) -> String {
    share
        .map(|s| {
            format!(
                "{}%",
                format_number(s.round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                ))
            )
        })
        .unwrap_or_else(|| "-".to_string())
}

fn amount_words(amount: Option<Decimal>) -> String {
    amount
        .map(|a| crate::emit::chart::group_digits(&crate::eval::money_string(a)))
        .unwrap_or_else(|| "-".to_string())
}

/// The curve as a table with aligned columns: value, share of the pot, amount per period,
/// band, and what the value marks.
pub fn table(curve: &Curve) -> String {
    let header = [
        "value".to_string(),
        "share of pot".to_string(),
        "amount per period".to_string(),
        "band".to_string(),
        "marks".to_string(),
    ];
    let rows: Vec<[String; 5]> = curve
        .points
        .iter()
        .map(|p| {
            [
                value_words(curve, p.value),
                share_words(p.share),
                amount_words(p.amount),
                p.band.clone().unwrap_or_else(|| "-".to_string()),
                marks(curve, p.value),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 5]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Numbers right-aligned, words left-aligned.
            if (0..3).contains(&i) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            }
            out.push_str("  ");
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = format!(
        "{} on {} ({})\n",
        curve.payment, curve.indicator, curve.unit
    );
    if let Some(protected) = &curve.protected {
        out.push_str(&format!("note: {protected}\n"));
    }
    if !curve.adjusted_by.is_empty() {
        let names: Vec<String> = curve.adjusted_by.iter().map(|f| format!("`{f}`")).collect();
        out.push_str(&format!(
            "note: amounts are before the adjustment by {}, which {} with the data: each period's payment is this amount multiplied by {}\n",
            names.join(" and "),
            if names.len() == 1 { "comes" } else { "come" },
            if names.len() == 1 { "it" } else { "them" },
        ));
    }
    out.push_str(&line(&header));
    out.push_str(&line(&widths.map(|w| "-".repeat(w))));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// The curve as CSV: `value,share,amount,band,marks`, decimals as plain numbers.
pub fn csv(curve: &Curve) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["value", "share", "amount", "band", "marks"]);
    for p in &curve.points {
        let _ = writer.write_record([
            text(p.value),
            p.share.map(text).unwrap_or_default(),
            p.amount.map(crate::eval::money_string).unwrap_or_default(),
            p.band.clone().unwrap_or_default(),
            marks(curve, p.value),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The curve as pretty JSON, decimals as strings.
pub fn json(curve: &Curve) -> String {
    let mut text = serde_json::to_string_pretty(curve).unwrap_or_default();
    text.push('\n');
    text
}

/// The payment's payout chart as SVG, from the specification; `None` for a payment that does
/// not exist or has no single curve (a rate card).
pub fn svg(contract: &Contract, payment: &str) -> Option<String> {
    let spec = crate::emit::spec::build(contract);
    let found = spec.payments.iter().find(|p| p.name == payment)?;
    crate::emit::chart::payout_svg(&spec, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;
    use std::path::Path;

    fn contract(name: &str) -> Contract {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("contracts")
            .join(name);
        let mut sources = Sources::new();
        let workspace = crate::load::load(&path, &mut sources).expect("readable");
        crate::check::analyse(&workspace, &sources)
            .contract
            .expect("no errors")
    }

    fn d(text: &str) -> Decimal {
        text.parse().expect("decimal")
    }

    fn at<'a>(curve: &'a Curve, value: &str) -> &'a CurvePoint {
        curve
            .points
            .iter()
            .find(|p| p.value == d(value))
            .unwrap_or_else(|| panic!("no point at {value}"))
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(d("1")), d("1"));
        assert_eq!(nice_step(d("1.2")), d("2"));
        assert_eq!(nice_step(d("0.03")), d("0.05"));
        assert_eq!(nice_step(d("7")), d("10"));
    }

    #[test]
    fn tiers_follow_the_boundary_rule_and_mark_jumps() {
        let c = contract("richmond-community.obc");
        let curve = curve(&c, "care_planning", None, None).expect("curve");
        assert_eq!(curve.unit, "percent");
        assert_eq!(curve.thresholds, ["60", "75", "90"]);
        // Percent: 0 to 100 at 1 point, plus either side of each jump.
        assert_eq!(curve.points.first().map(|p| p.value), Some(d("0")));
        assert_eq!(curve.points.last().map(|p| p.value), Some(d("100")));
        assert_eq!(at(&curve, "59.99").share, Some(d("0")));
        // Boundary values go to the higher band.
        assert_eq!(at(&curve, "60").share, Some(d("50")));
        assert_eq!(at(&curve, "74.99").share, Some(d("50")));
        assert_eq!(at(&curve, "75").share, Some(d("75")));
        assert_eq!(at(&curve, "90").share, Some(d("100")));
        assert_eq!(at(&curve, "90.01").share, Some(d("100")));
    }

    #[test]
    fn linear_bands_are_continuous_and_exact() {
        let c = contract("richmond-community.obc");
        let curve = curve(&c, "at_home", None, None).expect("curve");
        // 82% is 2/5 of the way from 80% to 85%: 50% + 20% = 70%.
        assert_eq!(at(&curve, "82").share, Some(d("70")));
        assert_eq!(at(&curve, "80").share, Some(d("50")));
        // A jump at 80% (nothing below it), none at 85% (linear meets 100%).
        assert!(curve.points.iter().any(|p| p.value == d("79.99")));
        assert!(!curve.points.iter().any(|p| p.value == d("84.99")));
        let pot = at(&curve, "100").amount.expect("a pot");
        assert_eq!(
            at(&curve, "82").amount,
            Some(c.rounding.apply(pot * d("0.7")))
        );
    }

    #[test]
    fn points_pay_before_factors() {
        let c = contract("gp-quality-points.obc");
        let curve = curve(&c, "ast003_points", Some(d("5")), None).expect("curve");
        let p = at(&curve, "65");
        assert_eq!(p.share, None);
        // 16 of 20 points; the contract's worked example then multiplies by factors.
        let Mechanism::Points { price, .. } = &c
            .payments
            .iter()
            .find(|p| p.name == "ast003_points")
            .expect("payment")
            .mechanism
        else {
            panic!("points")
        };
        assert_eq!(p.amount, Some(c.rounding.apply(d("16") * price.at(1))));
        assert_eq!(at(&curve, "40").amount, Some(d("0.00")));
        assert_eq!(curve.baseline.as_deref(), Some("61"));
        assert_eq!(curve.target.as_deref(), Some("70"));
        assert!(table(&curve).contains("threshold; target"));
    }

    #[test]
    fn errors_are_plain_words() {
        let c = contract("social-outcomes-partnership.obc");
        let missing = curve(&c, "nope", None, None).expect_err("no such payment");
        assert!(missing.contains("no payment called `nope`"), "{missing}");
        let card = curve(&c, "results_fees", None, None).expect_err("rate card");
        assert!(card.contains("rate card"), "{card}");
        assert!(svg(&c, "results_fees").is_none());
        let zero = curve(&c, "fewer_rough_sleepers", Some(Decimal::ZERO), None).expect_err("step");
        assert!(zero.contains("step"), "{zero}");
        let tiny = curve(&c, "fewer_rough_sleepers", Some(d("0.0000001")), None).expect_err("step");
        assert!(tiny.contains("larger step"), "{tiny}");
    }

    #[test]
    fn improvement_against_a_comparison_group_is_over_the_improvement() {
        let c = contract("social-outcomes-partnership.obc");
        let curve = curve(&c, "fewer_rough_sleepers", None, None).expect("curve");
        assert!(curve.unit.contains("improvement"), "{}", curve.unit);
        assert_eq!(at(&curve, "0").amount, Some(d("0")));
        let amounts: Vec<Decimal> = curve.points.iter().filter_map(|p| p.amount).collect();
        assert!(amounts.windows(2).all(|w| w[0] <= w[1]));
        assert!(svg(&c, "fewer_rough_sleepers").is_some_and(|s| s.starts_with("<svg")));
    }

    #[test]
    fn renderers_agree() {
        let c = contract("hospital-quality-incentive.obc");
        let curve = curve(&c, "uti_cquin", Some(d("10")), None).expect("curve");
        let csv = csv(&curve);
        assert_eq!(csv.lines().count(), curve.points.len() + 1);
        let json: serde_json::Value = serde_json::from_str(&json(&curve)).expect("JSON");
        assert_eq!(json["points"][0]["value"], "0");
        assert!(json["points"][0]["share"].is_string());
        let table = table(&curve);
        assert_eq!(table.lines().count(), curve.points.len() + 3);
    }
}
