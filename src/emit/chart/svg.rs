//! The SVG document of a payout chart: its size, the overview and detail panels, where the
//! marker labels go, the axis titles and the description in words.

use super::build::curve;
use super::format::{capitalise, escape, id_part, lower_first, number};
use super::plot::plot;
use super::points::curve_points;
use super::{nice_step, same, Curve, Marker, MarkerKind, Scale};
use crate::emit::spec::{PaymentSpec, Spec};

const WIDTH: f64 = 880.0;
const RIGHT: f64 = 24.0;
pub(super) const PLOT_HEIGHT: f64 = 250.0;
const BOTTOM: f64 = 58.0;
pub(super) const ROW: f64 = 17.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";

/// Rough width of a label in pixels at 11px.
pub(super) fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.4 + 4.0
}

pub(super) fn f(v: f64) -> String {
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
pub(super) struct Panel {
    pub(super) x_min: f64,
    pub(super) x_max: f64,
    pub(super) x_step: f64,
    pub(super) left: f64,
    pub(super) width: f64,
    /// Whether the markers are labelled in this panel.
    labelled: bool,
    pub(super) title: Option<String>,
}

impl Panel {
    pub(super) fn x_of(&self, x: f64) -> f64 {
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
pub(super) fn label_left(x: f64, w: f64, panel: &Panel) -> f64 {
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
