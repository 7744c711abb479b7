//! Drawing one panel of a payout chart: grid, ticks, the area and line of the curve, marker
//! lines, the dots where the payment jumps, the axes and the marker labels.

use super::format::escape;
use super::svg::{f, label_left, text_width, Panel, PLOT_HEIGHT, ROW};
use super::{same, Curve, Marker, MarkerKind};

const CURVE: &str = "#1f4e8c";
const BASELINE: &str = "#a34a00";
const TARGET: &str = "#5b3a99";
const THRESHOLD: &str = "#6b7280";
const TRIGGER: &str = "#374151";
const DETAIL_FILL: &str = "#eef2f7";

/// One panel: grid, ticks, the curve, marker lines and (when labelled) their labels.
pub(super) fn plot(
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
