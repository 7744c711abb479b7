//! Band tables: the values each band covers, gaps, overlaps, order, and payments that fall as
//! performance improves.

use rust_decimal::Decimal;

use super::{Measured, MostPerPeriod};
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::intervals::{self, Bound, Interval, Piece};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, Band, BandRange, Frequency, Measure, Payout, Polarity, Spanned, Unit,
};
use crate::units;

/// The smallest figure that the decimals of `values` can show: 0.1 for whole numbers,
/// 0.01 for one decimal place, and so on.
pub(super) fn step_for(values: &[Decimal]) -> Decimal {
    let scale = values
        .iter()
        .map(|v| v.normalize().scale())
        .max()
        .unwrap_or(0);
    Decimal::new(1, (scale + 1).min(20))
}

pub(super) fn tiers(
    ctx: &mut Ctx,
    file: FileId,
    per_period: &str,
    bands: &[Spanned<Band>],
    measured: &Measured,
    per_period_pot: Option<Decimal>,
) -> MostPerPeriod {
    let unit = measured.unit;
    let currency = ctx.currency();
    let mut pieces: Vec<(Piece, Span, Interval)> = Vec::new();
    let mut most = MostPerPeriod {
        ..Default::default()
    };
    let mut thresholds = Vec::new();
    let mut has_share = false;
    let mut has_amount = false;
    let mut complete = true;
    let mut resolved = Vec::new();
    for (index, band) in bands.iter().enumerate() {
        let Some(interval) = band_interval(ctx, file, band.node.range, measured) else {
            complete = false;
            continue;
        };
        if let (Some(lo), Some(hi)) = (interval.lo, interval.hi) {
            thresholds.extend([lo.value, hi.value]);
            if lo.value > hi.value {
                ctx.report(
                    Diagnostic::new(
                        Code::ReversedBand,
                        file,
                        band.span,
                        format!(
                            "this band runs from {} down to {}",
                            units::format_value(lo.value, unit, currency),
                            units::format_value(hi.value, unit, currency)
                        ),
                        "lower threshold above upper",
                    )
                    .with_help("write the lower threshold first: `X to Y` with X below Y"),
                );
                complete = false;
                continue;
            }
        } else {
            thresholds.extend(interval.lo.or(interval.hi).map(|b| b.value));
        }
        // What the band pays at its two ends.
        let (pay_lo, pay_hi) = match band.node.payout.node {
            Payout::Nothing => (Some(Decimal::ZERO), Some(Decimal::ZERO)),
            Payout::Share(share) => {
                has_share = true;
                let s = ctx.share(
                    Spanned::new(share, band.node.payout.span),
                    "the share paid",
                    file,
                );
                (s, s)
            }
            Payout::Amount(money) => {
                has_amount = true;
                let a = ctx.money(Spanned::new(money, band.node.payout.span), file);
                (a, a)
            }
            Payout::Linear(from, to) => {
                has_share = true;
                if interval.lo.is_none() || interval.hi.is_none() {
                    ctx.report(
                        Diagnostic::new(
                            Code::UnboundedLinearBand,
                            file,
                            band.node.payout.span,
                            "a sliding scale needs a band with two ends",
                            "band has no end",
                        )
                        .with_label(band.node.range_span, "open-ended band")
                        .with_help("give the band both thresholds (`80% to 85%`), or pay a fixed share in the open-ended band"),
                    );
                }
                (
                    ctx.share(from, "the share paid", file),
                    ctx.share(to, "the share paid", file),
                )
            }
        };
        let (Some(pay_lo), Some(pay_hi)) = (pay_lo, pay_hi) else {
            complete = false;
            continue;
        };
        let clipped = clip(interval, unit);
        let piece = Piece {
            index,
            interval: clipped,
            pay_lo,
            pay_hi,
        };
        match band.node.payout.node {
            Payout::Amount(_) => most.amount = Some(most.amount.unwrap_or_default().max(pay_lo)),
            Payout::Nothing => {}
            _ => most.share = Some(most.share.unwrap_or_default().max(pay_lo.max(pay_hi))),
        }
        let payout = match band.node.payout.node {
            Payout::Nothing => model::BandPayout::Nothing,
            Payout::Share(_) => model::BandPayout::Share(pay_lo),
            Payout::Amount(_) => model::BandPayout::Amount(pay_lo),
            Payout::Linear(..) => model::BandPayout::Linear(pay_lo, pay_hi),
        };
        resolved.push(model::Band {
            interval,
            payout,
            text: ctx.text(file, band.node.range_span),
        });
        pieces.push((piece, band.span, interval));
    }
    if !complete {
        return MostPerPeriod::default();
    }
    most.resolved = Some(model::Mechanism::Tiers(resolved));
    let intervals: Vec<Interval> = pieces.iter().map(|(p, _, _)| p.interval).collect();
    let (lo, hi) = units::unit_domain(unit);
    let domain = Interval {
        lo: Some(Bound::closed(lo)),
        hi: hi.map(Bound::closed),
    };
    let tiers_span = bands
        .first()
        .map(|b| b.span)
        .unwrap_or_default()
        .cover(bands.last().map(|b| b.span).unwrap_or_default());
    for gap in intervals::gaps(&intervals, domain) {
        // Mark the band just after the gap, else the one just before it.
        let next = pieces.iter().find(|(p, _, _)| {
            p.interval.lo.map(|b| b.value) == gap.hi.map(|b| b.value) && gap.hi.is_some()
        });
        let previous = pieces.iter().find(|(p, _, _)| {
            p.interval.hi.map(|b| b.value) == gap.lo.map(|b| b.value) && gap.lo.is_some()
        });
        let at = next
            .or(previous)
            .map(|(_, span, _)| *span)
            .unwrap_or(tiers_span);
        ctx.report(
            Diagnostic::new(
                Code::TierGap,
                file,
                at,
                gap_words(gap, unit, currency),
                "the gap is next to this band",
            )
            .with_help(
                "add a band for these values, or move a neighbouring threshold so the bands meet",
            ),
        );
    }
    for (a, b, common) in intervals::overlaps(&intervals) {
        let (piece_a, span_a, _) = pieces[a];
        let (piece_b, span_b, _) = pieces[b];
        let _ = (piece_a, piece_b);
        ctx.report(
            Diagnostic::new(Code::TierOverlap, file, span_b, overlap_words(common, unit, currency), "overlaps another band")
                .with_label(span_a, "this band covers the same values")
                .with_help("make each threshold end one band and start the next, such as `80% to 85%` then `85% and above`"),
        );
    }
    // Listed in order, ascending or descending?
    let starts: Vec<Option<Decimal>> = pieces
        .iter()
        .map(|(_, _, i)| i.lo.map(|b| b.value))
        .collect();
    let ascending = starts
        .windows(2)
        .all(|w| w[0] <= w[1] || w[0].is_none() && w[1].is_none());
    let descending = starts.windows(2).all(|w| w[0] >= w[1] || w[1].is_none());
    if !ascending && !descending {
        if let Some(out_of_place) = starts
            .windows(2)
            .position(|w| w[0] > w[1])
            .map(|i| pieces[i + 1].1)
        {
            ctx.report(
                Diagnostic::new(Code::TiersOutOfOrder, file, out_of_place, "the bands are not listed in order", "out of order")
                    .with_help("list bands from the lowest values to the highest (or the reverse), so readers can follow them"),
            );
        }
    }
    // Falls as performance improves, comparing like with like.
    let Some(polarity) = measured.polarity else {
        return most;
    };
    let comparable: Option<Vec<Piece>> = match (has_share, has_amount, per_period_pot) {
        (true, true, Some(pot)) => Some(
            pieces
                .iter()
                .map(|(p, _, _)| {
                    let band = &bands[p.index].node;
                    let to_money = |share: Decimal| pot * share / Decimal::ONE_HUNDRED;
                    match band.payout.node {
                        Payout::Amount(_) => *p,
                        _ => Piece {
                            pay_lo: to_money(p.pay_lo),
                            pay_hi: to_money(p.pay_hi),
                            ..*p
                        },
                    }
                })
                .collect(),
        ),
        (true, true, None) => None,
        _ => Some(pieces.iter().map(|(p, _, _)| *p).collect()),
    };
    let Some(comparable) = comparable else {
        return most;
    };
    let in_money = has_amount;
    let step = step_for(&thresholds);
    let ties_to_upper = ctx
        .header
        .as_ref()
        .is_none_or(|h| h.boundary == ast::BandSide::Higher);
    for fall in intervals::falls(
        &comparable,
        polarity == Polarity::Higher,
        step,
        ties_to_upper,
    ) {
        let span = pieces
            .iter()
            .find(|(p, _, _)| p.index == fall.to_piece)
            .map(|(_, s, _)| *s)
            .unwrap_or(tiers_span);
        let other = pieces
            .iter()
            .find(|(p, _, _)| p.index == fall.from_piece)
            .map(|(_, s, _)| *s);
        let amount = |v: Decimal| match (in_money, per_period_pot) {
            (true, _) => units::format_money(v, currency),
            (false, Some(pot)) => units::format_money(pot * v / Decimal::ONE_HUNDRED, currency),
            (false, None) => format!("{} of the pot", units::format_percent(v)),
        };
        let message = match (in_money, per_period_pot) {
            (false, None) => format!(
                "moving from {} to {} lowers the payment from {} to {}",
                units::format_value(fall.from, unit, currency),
                units::format_value(fall.to, unit, currency),
                amount(fall.pay_from),
                amount(fall.pay_to)
            ),
            _ => format!(
                "moving from {} to {} lowers the payment by {}{per_period}",
                units::format_value(fall.from, unit, currency),
                units::format_value(fall.to, unit, currency),
                amount(fall.pay_from - fall.pay_to)
            ),
        };
        let better = if polarity == Polarity::Higher {
            "higher"
        } else {
            "lower"
        };
        let mut d = Diagnostic::new(Code::PaymentFallsAsPerformanceImproves, file, span, message, "pays less for better performance")
            .with_help(format!(
                "`{}` is better {better}, so each band should pay at least as much as the band below it in performance; check the amounts and `better`",
                measured.name
            ));
        if let Some(other) = other.filter(|o| *o != span) {
            d = d.with_label(other, "pays more for worse performance");
        }
        ctx.report(d);
    }
    most
}

/// The values a band covers, in its indicator's unit; `None` when a threshold is unusable.
pub(super) fn band_interval(
    ctx: &mut Ctx,
    file: FileId,
    range: BandRange,
    measured: &Measured,
) -> Option<Interval> {
    let mut value =
        |m: Spanned<Measure>| ctx.value_of(m, measured.name, measured.unit, "the threshold", file);
    Some(match range {
        BandRange::Between(lo, hi) => {
            let (lo, hi) = (value(lo), value(hi));
            Interval {
                lo: Some(Bound::closed(lo?)),
                hi: Some(Bound::closed(hi?)),
            }
        }
        BandRange::AtLeast(m) => Interval {
            lo: Some(Bound::closed(value(m)?)),
            hi: None,
        },
        BandRange::Above(m) => Interval {
            lo: Some(Bound::open(value(m)?)),
            hi: None,
        },
        BandRange::Below(m) => Interval {
            lo: None,
            hi: Some(Bound::open(value(m)?)),
        },
        BandRange::UpTo(m) => Interval {
            lo: None,
            hi: Some(Bound::closed(value(m)?)),
        },
    })
}

/// ` a quarter` and the like, after an amount paid each assessment period.
pub(super) fn period_words(frequency: Option<Frequency>) -> &'static str {
    match frequency {
        Some(Frequency::Monthly) => " a month",
        Some(Frequency::Quarterly) => " a quarter",
        Some(_) => " a year",
        None => "",
    }
}

/// An interval limited to the values the unit allows.
pub(super) fn clip(interval: Interval, unit: Unit) -> Interval {
    let (lo, hi) = units::unit_domain(unit);
    let domain = Interval {
        lo: Some(Bound::closed(lo)),
        hi: hi.map(Bound::closed),
    };
    interval.intersect(domain).unwrap_or(interval)
}

pub(super) fn gap_words(gap: Interval, unit: Unit, currency: ast::CurrencyCode) -> String {
    let v = |b: Bound| units::format_value(b.value, unit, currency);
    if let Some(point) = gap.single_point() {
        return format!(
            "at exactly {} no band applies",
            units::format_value(point, unit, currency)
        );
    }
    match (gap.lo, gap.hi) {
        (Some(lo), Some(hi)) => match (lo.closed, hi.closed) {
            (true, true) => format!("values from {} to {} fall into no band", v(lo), v(hi)),
            (true, false) => format!(
                "values from {} to just below {} fall into no band",
                v(lo),
                v(hi)
            ),
            (false, true) => format!("values above {} up to {} fall into no band", v(lo), v(hi)),
            (false, false) => format!(
                "values above {} and below {} fall into no band",
                v(lo),
                v(hi)
            ),
        },
        (Some(lo), None) => {
            let from = if lo.closed {
                format!("of {} and above", v(lo))
            } else {
                format!("above {}", v(lo))
            };
            format!("values {from} fall into no band")
        }
        (None, Some(hi)) => format!("values below {} fall into no band", v(hi)),
        (None, None) => "no band applies to any value".to_string(),
    }
}

pub(super) fn overlap_words(common: Interval, unit: Unit, currency: ast::CurrencyCode) -> String {
    let v = |b: Option<Bound>| b.map(|b| units::format_value(b.value, unit, currency));
    match (common.single_point(), v(common.lo), v(common.hi)) {
        (Some(point), _, _) => format!(
            "two bands both cover {}",
            units::format_value(point, unit, currency)
        ),
        (None, Some(lo), Some(hi)) => format!("two bands both cover values from {lo} to {hi}"),
        (None, Some(lo), None) => format!("two bands both cover values from {lo} upwards"),
        (None, None, Some(hi)) => format!("two bands both cover values up to {hi}"),
        (None, None, None) => "two bands both cover every value".to_string(),
    }
}
