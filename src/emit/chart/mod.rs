//! Payout charts as SVG: the measured value against the payment, thresholds marked.
//!
//! A payment's payout is modelled as a [`Curve`]: straight pieces over the measured value (or,
//! for an improvement against a comparison group, over the improvement), each piece knowing
//! whether it includes its ends, so that a value exactly on a threshold is placed by the
//! contract's boundary rule. The same curve gives the SVG chart (for the HTML document) and a
//! table of its key points (for the Markdown document). Everything comes from [`Spec`](super::spec::Spec).
//!
//! This module holds the curve model; `build` makes a payment's curve, `points` lists its key
//! points, `svg` and `plot` draw it, and `format` writes its values.

mod build;
mod format;
mod plot;
mod points;
mod svg;

pub use build::{curve, periods_per_year};
pub use format::{currency_symbol, escape, group_digits, id_part, money_f64, number};
pub use points::key_points;
pub use svg::payout_svg;

pub(super) use format::{capitalise, lower_first};

use format::money_tick;

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
