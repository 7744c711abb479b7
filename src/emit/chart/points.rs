//! The key points of a curve, for the Markdown table and the chart's description: the ends of
//! the range, each threshold (and the value just beyond a jump), the baseline and the target.

use super::build::curve;
use super::{same, Curve, KeyPoint};
use crate::emit::spec::{PaymentSpec, Spec};

/// The key points of a payment's curve, for a table: the ends of the range, each threshold
/// (with the value just on the other side where the payment jumps), the baseline and the first
/// target. `None` for a rate card.
pub fn key_points(spec: &Spec, payment: &PaymentSpec) -> Option<Vec<KeyPoint>> {
    let curve = curve(spec, payment)?;
    Some(curve_points(&curve))
}

pub(super) fn curve_points(curve: &Curve) -> Vec<KeyPoint> {
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
