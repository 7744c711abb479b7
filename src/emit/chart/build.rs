//! Building a payment's [`Curve`] from the specification: its pieces per mechanism, the marked
//! thresholds, triggers, baseline and target, and the ranges and titles of both axes.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::format::{currency_symbol, money_f64, number};
use super::{nice_step, same, Curve, Marker, MarkerKind, Piece, Scale, XKind};
use crate::emit::spec::{IndicatorSpec, MechanismSpec, PaymentSpec, Spec, UnitSpec};
use crate::syntax::literal;

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
            ..
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
            ..
        } => {
            let (from, to) = (parse(from)?, parse(to)?);
            // Charts show contract year 1.
            let most = parse(points)? * parse(&price_per_point.first()?.amount)?;
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
            trigger_above,
            pooled_trigger,
            pooled_trigger_above,
            pooled_on,
            pooled_when,
            pays_share,
            pays_per_point,
            pays_per_event,
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
            if pays_per_event.is_some() {
                note = "Paid per event avoided: the amount depends on the cohort's size, so only the trigger is drawn."
                    .to_string();
            }
            let pooled_note = |value: &str| {
                format!(
                    "pooled trigger: {}",
                    crate::emit::spec::pooled_trigger_words(
                        value,
                        *pooled_trigger_above,
                        pooled_on.as_deref().unwrap_or_default(),
                        pooled_when.as_deref().unwrap_or_default(),
                    )
                    .to_lowercase()
                )
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
                    let inclusive = trigger > 0.0 && !*trigger_above;
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
                    let inclusive = trigger > 0.0 && !*trigger_above;
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
