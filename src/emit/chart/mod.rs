//! Payout charts as SVG: the measured value against the payment, thresholds marked.
//!
//! A payment's payout is modelled as a [`Curve`]: straight pieces over the measured value (or,
//! for an improvement against a comparison group, over the improvement), each piece knowing
//! whether it includes its ends, so that a value exactly on a threshold is placed by the
//! contract's boundary rule. The same curve gives the SVG chart (for the HTML document) and a
//! table of its key points (for the Markdown document). Everything comes from [`Spec`].

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::spec::{IndicatorSpec, MechanismSpec, PaymentSpec, Spec, UnitSpec};
use crate::syntax::literal;

/// What the payment axis measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A share of the period's pot, in percent.
    Share,
    /// An amount of money.
    Money,
}

/// How values on the horizontal axis are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum XKind {
    Percent,
    Days,
    Money,
    Plain,
    /// An absolute improvement, in points.
    Points,
}

/// One straight piece of the curve: `y = a + b * x` for x between `lo` and `hi`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    lo: f64,
    hi: f64,
    lo_closed: bool,
    hi_closed: bool,
    a: f64,
    b: f64,
}

impl Piece {
    fn constant(lo: f64, hi: f64, lo_closed: bool, hi_closed: bool, y: f64) -> Self {
        Piece {
            lo,
            hi,
            lo_closed,
            hi_closed,
            a: y,
            b: 0.0,
        }
    }

    /// From (x0, y0) to (x1, y1), both ends included.
    fn through(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        let b = if (x1 - x0).abs() > f64::EPSILON {
            (y1 - y0) / (x1 - x0)
        } else {
            0.0
        };
        Piece {
            lo: x0.min(x1),
            hi: x0.max(x1),
            lo_closed: true,
            hi_closed: true,
            a: y0 - b * x0,
            b,
        }
    }

    fn at(&self, x: f64) -> f64 {
        if self.b == 0.0 {
            self.a
        } else {
            self.a + self.b * x
        }
    }

    fn contains(&self, x: f64) -> bool {
        (x > self.lo || (self.lo_closed && x == self.lo))
            && (x < self.hi || (self.hi_closed && x == self.hi))
    }
}

/// What a marked vertical line stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Threshold,
    Trigger,
    Baseline,
    Target,
}

#[derive(Clone, Debug)]
struct Marker {
    value: f64,
    kind: MarkerKind,
    /// The label on the chart, such as `Baseline 82.7%`.
    label: String,
    /// The note in the table of key points, such as `baseline (82.7% in 2014/15)`.
    note: String,
}

/// A payment's payout against the measured value.
#[derive(Clone, Debug)]
pub struct Curve {
    pieces: Vec<Piece>,
    pub scale: Scale,
    x_kind: XKind,
    x_min: f64,
    x_max: f64,
    x_step: f64,
    /// The range is the unit's own (percent, score), not one chosen around the thresholds.
    bounded: bool,
    y_max: f64,
    y_step: f64,
    /// The horizontal axis title.
    pub x_title: String,
    /// The vertical axis title.
    pub y_title: String,
    markers: Vec<Marker>,
    /// A value on a threshold two pieces share goes to the higher one.
    higher_band: bool,
    symbol: String,
    /// What the chart leaves out, in words (caps, gateways, factors).
    pub note: String,
    /// The horizontal axis is the measured result (not an improvement).
    pub measured: bool,
    /// Points worth listing that are not marked on the chart, with a note.
    extra: Vec<(f64, String)>,
}

/// One row of the table of key points of a curve.
#[derive(Clone, Debug)]
pub struct KeyPoint {
    /// The result, such as `80%` or `just below 80%`.
    pub result: String,
    /// What it pays, such as `50%` (of the period's pot) or `£3,754.80`.
    pub pays: String,
    /// Why the point is listed, such as `threshold` or `baseline (82.7% in 2014/15)`.
    pub note: String,
}

// ---------------------------------------------------------------- numbers

/// The symbol written before amounts of a currency: `£` for GBP, `€` for EUR, `$` for USD, or
/// the code and a space for any other.
pub fn currency_symbol(code: &str) -> String {
    match code {
        "GBP" => "£".to_string(),
        "EUR" => "€".to_string(),
        "USD" => "$".to_string(),
        other => format!("{other} "),
    }
}

/// Digits with thousands separators: `1234567.5` becomes `1,234,567.5`.
pub fn group_digits(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    let count = whole.chars().count();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (count - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// A number with at most `places` decimal places, trailing zeros dropped, digits grouped.
pub fn number(value: f64, places: usize) -> String {
    let text = format!("{:.*}", places, value);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    group_digits(&text)
}

/// Money with pence, as a finance team reads it: `£1,234,567.00`.
pub fn money_f64(value: f64, symbol: &str) -> String {
    let text = format!("{:.2}", value.abs());
    let sign = if value < 0.0 && text != "0.00" {
        "-"
    } else {
        ""
    };
    format!("{sign}{symbol}{}", group_digits(&text))
}

/// Money for an axis: whole amounts without pence (`£4,000`).
fn money_tick(value: f64, symbol: &str) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{symbol}{}", number(value, 0))
    } else {
        money_f64(value, symbol)
    }
}

fn parse(text: &str) -> Option<f64> {
    text.parse::<Decimal>().ok().and_then(|d| d.to_f64())
}

/// How many periods a year a payment assessed this often has.
pub fn periods_per_year(assessed: &str) -> u32 {
    match assessed {
        "monthly" => 12,
        "quarterly" => 4,
        _ => 1,
    }
}

/// The full pot of one period in the first contract year.
fn first_period_pot(payment: &PaymentSpec) -> Option<f64> {
    let year = payment.pot_per_year.as_ref()?.first()?;
    Some(parse(&year.amount)? / f64::from(periods_per_year(&payment.assessed)))
}

fn x_kind(unit: &UnitSpec) -> XKind {
    match unit.kind.as_str() {
        "percent" => XKind::Percent,
        "days" => XKind::Days,
        "money" => XKind::Money,
        _ => XKind::Plain,
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// A "nice" step (1, 2, 2.5 or 5 times a power of ten) that splits `span` into at most
/// `count` steps.
fn nice_step(span: f64, count: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / count;
    let power = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * power >= raw - 1e-12 {
            return m * power;
        }
    }
    10.0 * power
}

impl Curve {
    fn format_x(&self, value: f64) -> String {
        match self.x_kind {
            XKind::Percent => format!("{}%", number(value, 2)),
            XKind::Days => format!("{} days", number(value, 2)),
            XKind::Money => money_f64(value, &self.symbol),
            XKind::Plain => number(value, 2),
            XKind::Points => format!("{} points", number(value, 2)),
        }
    }

    fn format_x_tick(&self, value: f64) -> String {
        match self.x_kind {
            XKind::Percent => format!("{}%", number(value, 2)),
            XKind::Money => money_tick(value, &self.symbol),
            _ => number(value, 2),
        }
    }

    fn format_y(&self, value: f64) -> String {
        match self.scale {
            Scale::Share => format!("{}%", number(value, 2)),
            Scale::Money => money_f64(value, &self.symbol),
        }
    }

    fn format_y_tick(&self, value: f64) -> String {
        match self.scale {
            Scale::Share => format!("{}%", number(value, 2)),
            Scale::Money => money_tick(value, &self.symbol),
        }
    }

    /// The pieces that contain `x`, the one that owns it first.
    fn owner(&self, x: f64) -> Option<&Piece> {
        let holders: Vec<&Piece> = self.pieces.iter().filter(|p| p.contains(x)).collect();
        if holders.len() > 1 {
            let pick = if self.higher_band {
                holders.iter().find(|p| same(p.lo, x))
            } else {
                holders.iter().find(|p| same(p.hi, x))
            };
            if let Some(p) = pick {
                return Some(p);
            }
        }
        holders.first().copied()
    }

    /// The payout at `x`.
    fn at(&self, x: f64) -> f64 {
        self.owner(x).map(|p| p.at(x)).unwrap_or(0.0)
    }

    /// Where the curve jumps: each threshold with the payout it has there and the payout on
    /// the other side, and whether the other side is below (`true`) or above it.
    fn jumps(&self) -> Vec<(f64, f64, f64, bool)> {
        let mut found = Vec::new();
        for pair in self.pieces.windows(2) {
            let [left, right] = pair else {
                continue;
            };
            if !same(left.hi, right.lo) || !left.hi.is_finite() {
                continue;
            }
            let x = left.hi;
            let (yl, yr) = (left.at(x), right.at(x));
            if same(yl, yr) {
                continue;
            }
            let own = self.at(x);
            let other_is_left = same(own, yr);
            let other = if other_is_left { yl } else { yr };
            found.push((x, own, other, other_is_left));
        }
        found
    }
}

// ---------------------------------------------------------------- building the curve

fn indicator<'a>(spec: &'a Spec, payment: &PaymentSpec) -> Option<&'a IndicatorSpec> {
    let name = payment.indicator.as_ref()?;
    spec.indicators.iter().find(|i| &i.name == name)
}

/// The payout curve of a payment; `None` for a rate card, which has no single curve.
pub fn curve(spec: &Spec, payment: &PaymentSpec) -> Option<Curve> {
    let symbol = currency_symbol(&spec.contract.currency);
    let higher_band = spec.contract.rules.boundary_values_go_to != "lower";
    let ind = indicator(spec, payment);
    let unit = ind.map(|i| &i.unit);
    let measured_title = |unit: Option<&UnitSpec>| match (ind, unit) {
        (Some(i), Some(u)) => {
            let what = match u.kind.as_str() {
                "percent" => "%".to_string(),
                "days" => "days".to_string(),
                "money" => spec.contract.currency.clone(),
                _ => u.words.clone(),
            };
            format!("Result for {} ({what})", i.name)
        }
        _ => "Result".to_string(),
    };
    let mut markers: Vec<Marker> = Vec::new();
    let mut extra: Vec<(f64, String)> = Vec::new();
    let mut note = String::new();
    let (pieces, scale, kind, measured) = match &payment.mechanism {
        MechanismSpec::RateCard { .. } => return None,
        MechanismSpec::Tiers { bands } => {
            let has_amount = bands.iter().any(|b| b.pays == "amount");
            let has_share = bands
                .iter()
                .any(|b| b.pays == "share" || b.pays == "linear");
            let pot = first_period_pot(payment);
            let scale = if has_amount {
                Scale::Money
            } else {
                Scale::Share
            };
            let convert = |share: f64| -> Option<f64> {
                match scale {
                    Scale::Share => Some(share),
                    Scale::Money => pot.map(|p| p * share / 100.0),
                }
            };
            if has_amount && has_share {
                note = "Shares of the pot are shown as money for a period in contract year 1."
                    .to_string();
            }
            let mut pieces = Vec::new();
            for band in bands {
                let lo = match &band.lower {
                    Some(b) => (parse(&b.value)?, b.included),
                    None => (f64::NEG_INFINITY, false),
                };
                let hi = match &band.upper {
                    Some(b) => (parse(&b.value)?, b.included),
                    None => (f64::INFINITY, false),
                };
                let value = band.value.as_deref().and_then(parse);
                let piece = match band.pays.as_str() {
                    "share" => Piece::constant(lo.0, hi.0, lo.1, hi.1, convert(value?)?),
                    "amount" => Piece::constant(lo.0, hi.0, lo.1, hi.1, value?),
                    "linear" => {
                        let from = convert(band.from.as_deref().and_then(parse)?)?;
                        let to = convert(band.to.as_deref().and_then(parse)?)?;
                        if lo.0.is_finite() && hi.0.is_finite() {
                            Piece {
                                lo_closed: lo.1,
                                hi_closed: hi.1,
                                ..Piece::through(lo.0, from, hi.0, to)
                            }
                        } else {
                            Piece::constant(lo.0, hi.0, lo.1, hi.1, from)
                        }
                    }
                    _ => Piece::constant(lo.0, hi.0, lo.1, hi.1, 0.0),
                };
                pieces.push(piece);
                for (value, _) in [lo, hi] {
                    if value.is_finite() && !markers.iter().any(|m| same(m.value, value)) {
                        markers.push(Marker {
                            value,
                            kind: MarkerKind::Threshold,
                            label: String::new(),
                            note: "threshold".to_string(),
                        });
                    }
                }
            }
            pieces.sort_by(|a, b| a.lo.total_cmp(&b.lo));
            (
                pieces,
                scale,
                unit.map(x_kind).unwrap_or(XKind::Plain),
                true,
            )
        }
        MechanismSpec::Linear {
            from,
            to,
            pays_from,
            pays_to,
        } => {
            let (from, to) = (parse(from)?, parse(to)?);
            let (pf, pt) = (parse(pays_from)?, parse(pays_to)?);
            for (value, what) in [(from, "start of the scale"), (to, "end of the scale")] {
                markers.push(Marker {
                    value,
                    kind: MarkerKind::Threshold,
                    label: String::new(),
                    note: what.to_string(),
                });
            }
            (
                clamped_line(from, pf, to, pt),
                Scale::Share,
                unit.map(x_kind).unwrap_or(XKind::Plain),
                true,
            )
        }
        MechanismSpec::Points {
            points,
            from,
            to,
            price_per_point,
            adjusted_by,
        } => {
            let (from, to) = (parse(from)?, parse(to)?);
            let most = parse(points)? * parse(price_per_point)?;
            for (value, what) in [
                (from, "start of the scale: no points"),
                (to, "end of the scale: all points"),
            ] {
                markers.push(Marker {
                    value,
                    kind: MarkerKind::Threshold,
                    label: String::new(),
                    note: what.to_string(),
                });
            }
            if !adjusted_by.is_empty() {
                note = format!(
                    "Amounts are before the adjustment by {}, supplied with the data.",
                    adjusted_by.join(", ")
                );
            }
            (
                clamped_line(from, 0.0, to, most),
                Scale::Money,
                unit.map(x_kind).unwrap_or(XKind::Plain),
                true,
            )
        }
        MechanismSpec::Improvement {
            change,
            against,
            trigger,
            pooled_trigger,
            pays_share,
            pays_per_point,
        } => {
            let relative = change == "relative";
            let trigger = trigger.as_deref().and_then(parse).unwrap_or(0.0);
            let pooled = pooled_trigger.as_deref().and_then(parse);
            let share = pays_share.as_deref().and_then(parse);
            let rate = pays_per_point.as_deref().and_then(parse);
            let pot = first_period_pot(payment);
            let sign = if ind.and_then(|i| i.better.as_deref()) == Some("lower") {
                -1.0
            } else {
                1.0
            };
            let baseline = ind
                .and_then(|i| i.baseline_value.as_deref())
                .and_then(parse)
                .filter(|b| !relative || *b != 0.0);
            let scale = if share.is_some() {
                Scale::Share
            } else {
                Scale::Money
            };
            if rate.is_some() && pot.is_some() {
                note = "Amounts per point are limited to the period's pot (contract year 1)."
                    .to_string();
            }
            let pooled_note = |value: &str| {
                format!("pooled trigger: a period below the trigger is still paid when the average improvement so far reaches {value}")
            };
            let improvement_word = |value: f64| {
                if relative {
                    format!("{}%", number(value, 2))
                } else {
                    format!("{} points", number(value, 2))
                }
            };
            match (against.as_str(), baseline) {
                ("baseline", Some(base)) => {
                    // The improvement of a result x, and the result that gives an improvement.
                    let k = if relative { 100.0 / base } else { 1.0 };
                    let result_for = |improvement: f64| base + sign * improvement / k;
                    let x_t = result_for(trigger);
                    let inclusive = trigger > 0.0;
                    let paid = |lo: f64, hi: f64, lo_closed: bool, hi_closed: bool| -> Vec<Piece> {
                        match (share, rate) {
                            (Some(s), _) => vec![Piece::constant(lo, hi, lo_closed, hi_closed, s)],
                            (None, Some(r)) => {
                                let slope = r * sign * k;
                                let line = Piece {
                                    lo,
                                    hi,
                                    lo_closed,
                                    hi_closed,
                                    a: -slope * base,
                                    b: slope,
                                };
                                match pot {
                                    Some(p) => {
                                        let x_cap = base + sign * p / (r * k);
                                        cap_line(line, x_cap, p, sign > 0.0)
                                    }
                                    None => vec![line],
                                }
                            }
                            _ => vec![Piece::constant(lo, hi, lo_closed, hi_closed, 0.0)],
                        }
                    };
                    let mut pieces = Vec::new();
                    if sign > 0.0 {
                        pieces.push(Piece::constant(
                            f64::NEG_INFINITY,
                            x_t,
                            false,
                            !inclusive,
                            0.0,
                        ));
                        pieces.extend(paid(x_t, f64::INFINITY, inclusive, false));
                    } else {
                        pieces.extend(paid(f64::NEG_INFINITY, x_t, false, inclusive));
                        pieces.push(Piece::constant(x_t, f64::INFINITY, !inclusive, false, 0.0));
                    }
                    if let (None, Some(r), Some(p)) = (share, rate, pot) {
                        let x_cap = base + sign * p / (r * k);
                        if sign * (x_cap - x_t) > 0.0 {
                            extra.push((x_cap, "the period's pot is reached".to_string()));
                        }
                    }
                    markers.push(Marker {
                        value: x_t,
                        kind: MarkerKind::Trigger,
                        label: format!("Trigger {}", fmt_unit(x_t, unit, &symbol)),
                        note: format!("trigger: an improvement of {}", improvement_word(trigger)),
                    });
                    if let Some(p) = pooled {
                        let x_p = result_for(p);
                        markers.push(Marker {
                            value: x_p,
                            kind: MarkerKind::Trigger,
                            label: format!("Pooled trigger {}", fmt_unit(x_p, unit, &symbol)),
                            note: pooled_note(&improvement_word(p)),
                        });
                    }
                    (
                        pieces,
                        scale,
                        unit.map(x_kind).unwrap_or(XKind::Plain),
                        true,
                    )
                }
                _ => {
                    // Against a comparison group (or a baseline the contract does not give):
                    // the horizontal axis is the improvement itself.
                    let inclusive = trigger > 0.0;
                    let mut pieces = vec![Piece::constant(
                        f64::NEG_INFINITY,
                        trigger,
                        false,
                        !inclusive,
                        0.0,
                    )];
                    match (share, rate) {
                        (Some(s), _) => pieces.push(Piece::constant(
                            trigger,
                            f64::INFINITY,
                            inclusive,
                            false,
                            s,
                        )),
                        (None, Some(r)) => {
                            let line = Piece {
                                lo: trigger,
                                hi: f64::INFINITY,
                                lo_closed: inclusive,
                                hi_closed: false,
                                a: 0.0,
                                b: r,
                            };
                            match pot {
                                Some(p) => {
                                    if p / r > trigger {
                                        extra.push((
                                            p / r,
                                            "the period's pot is reached".to_string(),
                                        ));
                                    }
                                    pieces.extend(cap_line(line, p / r, p, true));
                                }
                                None => pieces.push(line),
                            }
                        }
                        _ => {}
                    }
                    markers.push(Marker {
                        value: trigger,
                        kind: MarkerKind::Trigger,
                        label: format!("Trigger {}", improvement_word(trigger)),
                        note: "trigger".to_string(),
                    });
                    if let Some(p) = pooled {
                        markers.push(Marker {
                            value: p,
                            kind: MarkerKind::Trigger,
                            label: format!("Pooled trigger {}", improvement_word(p)),
                            note: pooled_note(&improvement_word(p)),
                        });
                    }
                    let kind = if relative {
                        XKind::Percent
                    } else {
                        XKind::Points
                    };
                    (pieces, scale, kind, false)
                }
            }
        }
    };
    let x_title = if measured {
        measured_title(unit)
    } else {
        let group = if against_comparison(&payment.mechanism) {
            "the comparison group"
        } else {
            "the baseline"
        };
        if kind == XKind::Percent {
            format!("Relative improvement on {group} (%)")
        } else {
            format!("Improvement on {group} (points)")
        }
    };
    // The indicator's baseline and first target, on the measured scale only.
    if measured {
        if let Some(i) = ind {
            if let Some(b) = i.baseline_value.as_deref().and_then(parse) {
                let written = i
                    .baseline
                    .clone()
                    .unwrap_or_else(|| fmt_unit(b, unit, &symbol));
                markers.push(Marker {
                    value: b,
                    kind: MarkerKind::Baseline,
                    label: format!("Baseline {}", fmt_unit(b, unit, &symbol)),
                    note: format!("baseline ({written})"),
                });
            }
            if let Some(first) = i.targets.first() {
                if let Some(t) = literal::leading_number(first).and_then(|d| d.to_f64()) {
                    markers.push(Marker {
                        value: t,
                        kind: MarkerKind::Target,
                        label: format!("Target {}", fmt_unit(t, unit, &symbol)),
                        note: format!("first target ({first})"),
                    });
                }
            }
        }
    }
    // The horizontal range: the unit's range, or a range around the points of interest.
    let (x_min, x_max) = if measured {
        let unit_min = unit.and_then(|u| parse(&u.min)).unwrap_or(0.0);
        let unit_max = unit.and_then(|u| u.max.as_deref()).and_then(parse);
        let interest: Vec<f64> = markers
            .iter()
            .map(|m| m.value)
            .chain(extra.iter().map(|(x, _)| *x))
            .collect();
        match unit_max {
            Some(max) if max > unit_min => (unit_min, max),
            _ => {
                let lo = interest.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = interest.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if !lo.is_finite() || !hi.is_finite() {
                    (unit_min, unit_min + 10.0)
                } else {
                    let span = if hi - lo > 0.0 {
                        hi - lo
                    } else {
                        (hi.abs() * 0.5).max(1.0)
                    };
                    ((lo - span * 0.5).max(unit_min), hi + span * 0.5)
                }
            }
        }
    } else {
        let mut hi = markers.iter().map(|m| m.value * 2.0).fold(1.0, f64::max);
        for piece in &pieces {
            if piece.b != 0.0 && piece.hi.is_finite() {
                hi = hi.max(piece.hi * 1.25);
            }
        }
        (0.0, hi)
    };
    let x_step = nice_step(x_max - x_min, 10.0);
    let bounded = measured
        && unit
            .and_then(|u| u.max.as_deref())
            .and_then(parse)
            .is_some();
    let (x_min, x_max) = if bounded {
        (x_min, x_max)
    } else {
        (
            (x_min / x_step).floor() * x_step,
            (x_max / x_step).ceil() * x_step,
        )
    };
    // The vertical range.
    let mut highest: f64 = 0.0;
    for piece in &pieces {
        for x in [piece.lo.max(x_min), piece.hi.min(x_max)] {
            if x.is_finite() && x >= x_min && x <= x_max {
                highest = highest.max(piece.at(x));
            }
        }
    }
    let (y_max, y_step) = match scale {
        Scale::Share => {
            if highest <= 100.0 {
                (100.0, 25.0)
            } else {
                let step = nice_step(highest, 5.0);
                ((highest / step).ceil() * step, step)
            }
        }
        Scale::Money => {
            let top = if highest > 0.0 { highest } else { 1.0 };
            let step = nice_step(top, 5.0);
            ((top / step).ceil() * step, step)
        }
    };
    let y_title = match (&payment.mechanism, scale) {
        (MechanismSpec::Points { adjusted_by, .. }, _) if !adjusted_by.is_empty() => {
            "Payment before adjustment factors".to_string()
        }
        (_, Scale::Share) => "Payment (share of the period's pot)".to_string(),
        (_, Scale::Money) => "Payment for the period".to_string(),
    };
    // Labels of thresholds: their values.
    let mut curve = Curve {
        pieces,
        scale,
        x_kind: kind,
        x_min,
        x_max,
        x_step,
        bounded,
        y_max,
        y_step,
        x_title,
        y_title,
        markers,
        higher_band,
        symbol,
        note,
        measured,
        extra,
    };
    let labels: Vec<String> = curve
        .markers
        .iter()
        .map(|m| {
            if m.label.is_empty() {
                curve.format_x(m.value)
            } else {
                m.label.clone()
            }
        })
        .collect();
    for (marker, label) in curve.markers.iter_mut().zip(labels) {
        marker.label = label;
    }
    Some(curve)
}

fn against_comparison(mechanism: &MechanismSpec) -> bool {
    matches!(mechanism, MechanismSpec::Improvement { against, .. } if against != "baseline")
}

/// A value in the indicator's unit, for labels.
fn fmt_unit(value: f64, unit: Option<&UnitSpec>, symbol: &str) -> String {
    match unit.map(x_kind) {
        Some(XKind::Percent) => format!("{}%", number(value, 2)),
        Some(XKind::Days) => format!("{} days", number(value, 2)),
        Some(XKind::Money) => money_f64(value, symbol),
        _ => number(value, 2),
    }
}

/// A linear scale from (from, pays_from) to (to, pays_to), clamped beyond either end.
fn clamped_line(from: f64, pays_from: f64, to: f64, pays_to: f64) -> Vec<Piece> {
    let (lo, y_lo, hi, y_hi) = if from <= to {
        (from, pays_from, to, pays_to)
    } else {
        (to, pays_to, from, pays_from)
    };
    vec![
        Piece::constant(f64::NEG_INFINITY, lo, false, true, y_lo),
        Piece::through(lo, y_lo, hi, y_hi),
        Piece::constant(hi, f64::INFINITY, true, false, y_hi),
    ]
}

/// A rising (or, when `rising_right` is false, falling) line limited to `cap` from `x_cap` on.
fn cap_line(line: Piece, x_cap: f64, cap: f64, rising_right: bool) -> Vec<Piece> {
    if rising_right {
        if x_cap <= line.lo {
            return vec![Piece {
                a: cap,
                b: 0.0,
                ..line
            }];
        }
        vec![
            Piece {
                hi: x_cap,
                hi_closed: true,
                ..line
            },
            Piece::constant(x_cap, line.hi, false, line.hi_closed, cap),
        ]
    } else {
        if x_cap >= line.hi {
            return vec![Piece {
                a: cap,
                b: 0.0,
                ..line
            }];
        }
        vec![
            Piece::constant(line.lo, x_cap, line.lo_closed, false, cap),
            Piece {
                lo: x_cap,
                lo_closed: true,
                ..line
            },
        ]
    }
}

// ---------------------------------------------------------------- key points

/// The key points of a payment's curve, for a table: the ends of the range, each threshold
/// (with the value just on the other side where the payment jumps), the baseline and the first
/// target. `None` for a rate card.
pub fn key_points(spec: &Spec, payment: &PaymentSpec) -> Option<Vec<KeyPoint>> {
    let curve = curve(spec, payment)?;
    Some(curve_points(&curve))
}

fn curve_points(curve: &Curve) -> Vec<KeyPoint> {
    let mut xs: Vec<(f64, Vec<String>)> = Vec::new();
    let add = |x: f64, note: &str, xs: &mut Vec<(f64, Vec<String>)>| {
        if !x.is_finite() {
            return;
        }
        match xs.iter_mut().find(|(v, _)| same(*v, x)) {
            Some((_, notes)) => {
                if !note.is_empty() && !notes.iter().any(|n| n == note) {
                    notes.push(note.to_string());
                }
            }
            None => xs.push((
                x,
                if note.is_empty() {
                    Vec::new()
                } else {
                    vec![note.to_string()]
                },
            )),
        }
    };
    add(curve.x_min, "lowest value shown", &mut xs);
    for marker in &curve.markers {
        add(marker.value, &marker.note, &mut xs);
    }
    for (x, note) in &curve.extra {
        if *x >= curve.x_min && *x <= curve.x_max {
            add(*x, note, &mut xs);
        }
    }
    add(curve.x_max, "highest value shown", &mut xs);
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let jumps = curve.jumps();
    let mut rows = Vec::new();
    for (x, notes) in xs {
        let jump = jumps.iter().find(|(j, ..)| same(*j, x));
        if let Some((_, _, other, true)) = jump {
            rows.push(KeyPoint {
                result: format!("just below {}", curve.format_x(x)),
                pays: pays_words(curve, *other),
                note: String::new(),
            });
        }
        rows.push(KeyPoint {
            result: curve.format_x(x),
            pays: pays_words(curve, curve.at(x)),
            note: notes.join("; "),
        });
        if let Some((_, _, other, false)) = jump {
            rows.push(KeyPoint {
                result: format!("just above {}", curve.format_x(x)),
                pays: pays_words(curve, *other),
                note: String::new(),
            });
        }
    }
    rows
}

fn pays_words(curve: &Curve, y: f64) -> String {
    if y.abs() < 1e-9 {
        "nothing".to_string()
    } else {
        curve.format_y(y)
    }
}

// ---------------------------------------------------------------- SVG

const WIDTH: f64 = 880.0;
const RIGHT: f64 = 24.0;
const PLOT_HEIGHT: f64 = 250.0;
const BOTTOM: f64 = 58.0;
const ROW: f64 = 17.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";
const CURVE: &str = "#1f4e8c";
const BASELINE: &str = "#a34a00";
const TARGET: &str = "#5b3a99";
const THRESHOLD: &str = "#6b7280";
const TRIGGER: &str = "#374151";
const DETAIL_FILL: &str = "#eef2f7";

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A name made safe for an `id` attribute.
pub fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Rough width of a label in pixels at 11px.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.4 + 4.0
}

fn f(v: f64) -> String {
    number(v, 1).replace(',', "")
}

/// The payout chart of a payment as a standalone SVG document (with its namespace), or `None`
/// for mechanisms with no single payout curve (rate cards).
pub fn payout_svg(spec: &Spec, payment: &PaymentSpec) -> Option<String> {
    let curve = curve(spec, payment)?;
    Some(render(payment, &curve))
}

/// One plot of the chart: a range of values drawn in a box.
#[derive(Clone, Debug)]
struct Panel {
    x_min: f64,
    x_max: f64,
    x_step: f64,
    left: f64,
    width: f64,
    /// Whether the markers are labelled in this panel.
    labelled: bool,
    title: Option<String>,
}

impl Panel {
    fn x_of(&self, x: f64) -> f64 {
        self.left + (x - self.x_min) / (self.x_max - self.x_min) * self.width
    }
}

/// The range worth a closer look, when the thresholds, baseline and target sit in a small
/// part of a bounded unit's range: (from, to, step).
fn detail_range(curve: &Curve) -> Option<(f64, f64, f64)> {
    if !curve.bounded {
        return None;
    }
    let values: Vec<f64> = curve
        .markers
        .iter()
        .map(|m| m.value)
        .chain(curve.extra.iter().map(|(x, _)| *x))
        .filter(|v| *v >= curve.x_min && *v <= curve.x_max)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let full = curve.x_max - curve.x_min;
    let span = (hi - lo).max(full * 0.04);
    if span > full * 0.25 {
        return None;
    }
    let pad = span * 0.3;
    let step = nice_step(span + 2.0 * pad, 6.0);
    let from = (((lo - pad) / step).floor() * step).max(curve.x_min);
    let to = (((hi + pad) / step).ceil() * step).min(curve.x_max);
    if to - from > full * 0.45 {
        return None;
    }
    Some((from, to, step))
}

/// Marker labels placed in rows above a panel so that they do not overlap: (marker, x, row).
/// A threshold at the same value as the baseline, the target or a trigger is not labelled
/// twice.
fn place_labels<'a>(curve: &'a Curve, panel: &Panel) -> Vec<(&'a Marker, f64, usize)> {
    let mut order: Vec<&Marker> = curve
        .markers
        .iter()
        .filter(|m| m.value >= panel.x_min - 1e-9 && m.value <= panel.x_max + 1e-9)
        .collect();
    let rank = |k: MarkerKind| match k {
        MarkerKind::Baseline => 0,
        MarkerKind::Target => 1,
        MarkerKind::Trigger => 2,
        MarkerKind::Threshold => 3,
    };
    order.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then(a.value.total_cmp(&b.value))
    });
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut placed = Vec::new();
    for marker in &order {
        let duplicate = marker.kind == MarkerKind::Threshold
            && order
                .iter()
                .any(|o| o.kind != MarkerKind::Threshold && same(o.value, marker.value));
        if duplicate {
            continue;
        }
        let x = panel.x_of(marker.value);
        let w = text_width(&marker.label);
        let left = label_left(x, w, panel);
        let row = rows
            .iter()
            .position(|r| {
                r.iter()
                    .all(|(l, rw)| left + w + 6.0 <= *l || left >= l + rw + 6.0)
            })
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(Vec::new());
        }
        if let Some(r) = rows.get_mut(row) {
            r.push((left, w));
        }
        placed.push((*marker, x, row));
    }
    placed
}

/// Where a label of width `w` for a line at `x` starts: centred on the line, kept inside the
/// panel (with a little room either side).
fn label_left(x: f64, w: f64, panel: &Panel) -> f64 {
    let lo = (panel.left - 30.0).max(2.0);
    let hi = (panel.left + panel.width + 20.0).min(WIDTH - 2.0) - w;
    (x - w / 2.0).clamp(lo, hi.max(lo))
}

fn render(payment: &PaymentSpec, curve: &Curve) -> String {
    // Room on the left for the payment axis title and the widest value on it; the detail
    // panel needs the same room for its own values.
    let mut widest: f64 = 0.0;
    let mut y = 0.0;
    while y <= curve.y_max + 1e-9 {
        widest = widest.max(text_width(&curve.format_y_tick(y)));
        y += curve.y_step;
    }
    let left_margin = 30.0 + widest + 8.0;
    let gap = widest + 30.0;
    let full_width = WIDTH - left_margin - RIGHT;
    let detail = detail_range(curve);
    let panels: Vec<Panel> = match detail {
        Some((from, to, step)) => {
            let overview = (full_width - gap) * 0.56;
            vec![
                Panel {
                    x_min: curve.x_min,
                    x_max: curve.x_max,
                    x_step: nice_step(curve.x_max - curve.x_min, 5.0),
                    left: left_margin,
                    width: overview,
                    labelled: false,
                    title: Some("Whole range".to_string()),
                },
                Panel {
                    x_min: from,
                    x_max: to,
                    x_step: step,
                    left: left_margin + overview + gap,
                    width: full_width - overview - gap,
                    labelled: true,
                    title: Some(format!(
                        "Detail: {} to {}",
                        curve.format_x(from),
                        curve.format_x(to)
                    )),
                },
            ]
        }
        None => vec![Panel {
            x_min: curve.x_min,
            x_max: curve.x_max,
            x_step: curve.x_step,
            left: left_margin,
            width: full_width,
            labelled: true,
            title: None,
        }],
    };
    let labels: Vec<Vec<(&Marker, f64, usize)>> = panels
        .iter()
        .map(|p| {
            if p.labelled {
                place_labels(curve, p)
            } else {
                Vec::new()
            }
        })
        .collect();
    let rows = labels
        .iter()
        .flat_map(|l| l.iter().map(|(_, _, r)| r + 1))
        .max()
        .unwrap_or(0);
    let titled = panels.iter().any(|p| p.title.is_some());
    let rows_top = if titled { 30.0 } else { 14.0 };
    let top = rows_top + rows as f64 * ROW + 8.0;
    let height = top + PLOT_HEIGHT + BOTTOM;
    let id = format!("chart-{}", id_part(&payment.name));
    let title = format!(
        "Payout chart for {}",
        payment.title.as_deref().unwrap_or(&payment.name)
    );
    let desc = describe(curve);
    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"payout-chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}\" font-size=\"11\">\n",
        w = f(WIDTH),
        h = f(height),
        font = FONT
    ));
    s.push_str(&format!(
        "<title id=\"{id}-title\">{}</title>\n",
        escape(&title)
    ));
    s.push_str(&format!(
        "<desc id=\"{id}-desc\">{}</desc>\n",
        escape(&desc)
    ));
    s.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        f(WIDTH),
        f(height)
    ));
    for (panel, placed) in panels.iter().zip(&labels) {
        let highlight = if panels.len() > 1 && !panel.labelled {
            detail.map(|(from, to, _)| (from, to))
        } else {
            None
        };
        s.push_str(&plot(curve, panel, placed, top, rows_top, highlight));
    }
    // Axis titles: one for the values, under the panels, and one for the payment.
    s.push_str(&format!(
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#111827\">{}</text>\n",
        f(left_margin + full_width / 2.0),
        f(top + PLOT_HEIGHT + 44.0),
        escape(&curve.x_title)
    ));
    s.push_str(&format!(
        "<text class=\"axis-title\" transform=\"translate(15 {}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#111827\">{}</text>\n",
        f(top + PLOT_HEIGHT / 2.0),
        escape(&curve.y_title)
    ));
    s.push_str("</svg>\n");
    s
}

/// One panel: grid, ticks, the curve, marker lines and (when labelled) their labels.
fn plot(
    curve: &Curve,
    panel: &Panel,
    placed: &[(&Marker, f64, usize)],
    top: f64,
    rows_top: f64,
    highlight: Option<(f64, f64)>,
) -> String {
    let y_of = |y: f64| top + PLOT_HEIGHT - y / curve.y_max * PLOT_HEIGHT;
    let x_of = |x: f64| panel.x_of(x);
    let (plot_left, plot_right) = (panel.left, panel.left + panel.width);
    let plot_bottom = top + PLOT_HEIGHT;
    let mut s = String::from("<g class=\"panel\">\n");
    if let Some(title) = &panel.title {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"14\" font-size=\"11.5\" font-weight=\"bold\" fill=\"#4a5565\">{}</text>\n",
            f(plot_left),
            escape(title)
        ));
    }
    if let Some((from, to)) = highlight {
        s.push_str(&format!(
            "<rect class=\"detail-range\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{DETAIL_FILL}\" stroke=\"#9fb0c6\" stroke-width=\"1\"/>\n",
            f(x_of(from)),
            f(top),
            f((x_of(to) - x_of(from)).max(1.0)),
            f(PLOT_HEIGHT)
        ));
    }
    // Grid and vertical ticks.
    s.push_str("<g class=\"grid\" stroke=\"#e3e7ed\" stroke-width=\"1\">\n");
    let mut y = 0.0;
    while y <= curve.y_max + 1e-9 {
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{p}\" x2=\"{}\" y2=\"{p}\"/>\n",
            f(plot_left),
            f(plot_right),
            p = f(y_of(y))
        ));
        y += curve.y_step;
    }
    s.push_str("</g>\n<g class=\"y-ticks\" fill=\"#374151\" text-anchor=\"end\">\n");
    let mut y = 0.0;
    while y <= curve.y_max + 1e-9 {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>\n",
            f(plot_left - 8.0),
            f(y_of(y) + 4.0),
            escape(&curve.format_y_tick(y))
        ));
        y += curve.y_step;
    }
    s.push_str("</g>\n");
    // Horizontal ticks.
    s.push_str("<g class=\"x-ticks\" fill=\"#374151\" text-anchor=\"middle\">\n");
    let first = (panel.x_min / panel.x_step - 1e-9).ceil() * panel.x_step;
    for i in 0..60 {
        let x = first + f64::from(i) * panel.x_step;
        if x > panel.x_max + 1e-9 {
            break;
        }
        let px = x_of(x);
        s.push_str(&format!(
            "<line x1=\"{p}\" y1=\"{a}\" x2=\"{p}\" y2=\"{b}\" stroke=\"#4b5563\"/><text x=\"{p}\" y=\"{t}\">{}</text>\n",
            escape(&curve.format_x_tick(x)),
            p = f(px),
            a = f(plot_bottom),
            b = f(plot_bottom + 5.0),
            t = f(plot_bottom + 18.0)
        ));
    }
    s.push_str("</g>\n");
    // The area under the curve.
    let segments = visible_segments(curve, panel.x_min, panel.x_max);
    if let (Some(first), Some(last)) = (segments.first(), segments.last()) {
        let mut area = format!("M{} {}", f(x_of(first.0)), f(y_of(0.0)));
        for (x0, y0, x1, y1) in &segments {
            area.push_str(&format!(
                " L{} {} L{} {}",
                f(x_of(*x0)),
                f(y_of(*y0)),
                f(x_of(*x1)),
                f(y_of(*y1))
            ));
        }
        area.push_str(&format!(" L{} {} Z", f(x_of(last.2)), f(y_of(0.0))));
        s.push_str(&format!(
            "<path class=\"area\" d=\"{area}\" fill=\"{CURVE}\" fill-opacity=\"0.10\" stroke=\"none\"/>\n"
        ));
    }
    // Marker lines, under the curve; in a labelled panel they run up to their labels.
    s.push_str("<g class=\"markers\">\n");
    for marker in curve
        .markers
        .iter()
        .filter(|m| m.value >= panel.x_min - 1e-9 && m.value <= panel.x_max + 1e-9)
    {
        let (colour, dash, width) = marker_style(marker.kind);
        let from = placed
            .iter()
            .filter(|(m, _, _)| same(m.value, marker.value))
            .map(|(_, _, row)| rows_top + *row as f64 * ROW + 4.0)
            .fold(top, f64::min);
        s.push_str(&format!(
            "<line x1=\"{p}\" y1=\"{a}\" x2=\"{p}\" y2=\"{b}\" stroke=\"{colour}\" stroke-width=\"{width}\" stroke-dasharray=\"{dash}\"/>\n",
            p = f(x_of(marker.value)),
            a = f(from),
            b = f(plot_bottom)
        ));
    }
    s.push_str("</g>\n");
    // The curve, with a faint dotted riser where it jumps.
    let mut path = String::new();
    let mut last: Option<(f64, f64)> = None;
    for (x0, y0, x1, y1) in &segments {
        let joined = last.is_some_and(|(lx, ly)| same(lx, *x0) && same(ly, *y0));
        if !joined {
            if let Some((lx, ly)) = last {
                s.push_str(&format!(
                    "<line x1=\"{p}\" y1=\"{a}\" x2=\"{p}\" y2=\"{b}\" stroke=\"{CURVE}\" stroke-opacity=\"0.55\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n",
                    p = f(x_of(lx)),
                    a = f(y_of(ly)),
                    b = f(y_of(*y0))
                ));
            }
            path.push_str(&format!("M{} {} ", f(x_of(*x0)), f(y_of(*y0))));
        }
        path.push_str(&format!("L{} {} ", f(x_of(*x1)), f(y_of(*y1))));
        last = Some((*x1, *y1));
    }
    s.push_str(&format!(
        "<path class=\"curve\" d=\"{}\" fill=\"none\" stroke=\"{CURVE}\" stroke-width=\"2.75\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
        path.trim_end()
    ));
    // Where the payment jumps: a filled dot on the side the threshold belongs to.
    for (x, own, other, _) in curve.jumps() {
        if x < panel.x_min || x > panel.x_max {
            continue;
        }
        s.push_str(&format!(
            "<circle cx=\"{p}\" cy=\"{}\" r=\"4\" fill=\"#ffffff\" stroke=\"{CURVE}\" stroke-width=\"1.75\"/><circle cx=\"{p}\" cy=\"{}\" r=\"4.25\" fill=\"{CURVE}\"/>\n",
            f(y_of(other)),
            f(y_of(own)),
            p = f(x_of(x))
        ));
    }
    // Axes.
    s.push_str(&format!(
        "<g class=\"axes\" stroke=\"#4b5563\" stroke-width=\"1.25\"><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\"/><line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/></g>\n",
        l = f(plot_left),
        t = f(top),
        b = f(plot_bottom),
        r = f(plot_right)
    ));
    // Marker labels, on a white ground so that lines behind them do not cross the text.
    if !placed.is_empty() {
        s.push_str("<g class=\"marker-labels\">\n");
        for (marker, x, row) in placed {
            let (colour, _, _) = marker_style(marker.kind);
            let w = text_width(&marker.label);
            let left = label_left(*x, w, panel);
            let baseline_y = rows_top + *row as f64 * ROW;
            let weight = if marker.kind == MarkerKind::Threshold {
                "normal"
            } else {
                "bold"
            };
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"15\" fill=\"#ffffff\"/><text x=\"{}\" y=\"{}\" fill=\"{colour}\" font-weight=\"{weight}\">{}</text>\n",
                f(left),
                f(baseline_y - 11.0),
                f(w),
                f(left + 2.0),
                f(baseline_y + 1.0),
                escape(&marker.label)
            ));
        }
        s.push_str("</g>\n");
    }
    s.push_str("</g>\n");
    s
}

fn marker_style(kind: MarkerKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        MarkerKind::Threshold => (THRESHOLD, "4 3", "1"),
        MarkerKind::Trigger => (TRIGGER, "6 3", "1.25"),
        MarkerKind::Baseline => (BASELINE, "7 4", "1.75"),
        MarkerKind::Target => (TARGET, "2 3", "2"),
    }
}

/// The curve's pieces clipped to the range shown, as (x0, y0, x1, y1).
fn visible_segments(curve: &Curve, x_min: f64, x_max: f64) -> Vec<(f64, f64, f64, f64)> {
    let mut out = Vec::new();
    for piece in &curve.pieces {
        let x0 = piece.lo.max(x_min);
        let x1 = piece.hi.min(x_max);
        if x1 < x0 || (same(x0, x1) && !(piece.lo_closed && piece.hi_closed)) {
            continue;
        }
        out.push((x0, piece.at(x0), x1, piece.at(x1)));
    }
    out
}

/// The chart in words, for its `<desc>`.
fn describe(curve: &Curve) -> String {
    let points: Vec<String> = curve_points(curve)
        .iter()
        .map(|p| format!("{} pays {}", p.result, p.pays))
        .collect();
    let what = match curve.scale {
        Scale::Share => "the share of the period's pot paid",
        Scale::Money => "the amount paid for the period",
    };
    format!(
        "{} against {}, from {} to {}: {}.",
        capitalise(what),
        lower_first(&curve.x_title),
        curve.format_x(curve.x_min),
        curve.format_x(curve.x_max),
        points.join("; ")
    )
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
