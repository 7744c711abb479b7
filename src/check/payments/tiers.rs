//! Band tables: the values each band covers, gaps, overlaps, order, and payments that fall as
//! performance improves.

use rust_decimal::Decimal;

use super::{threshold_by_year, Measured, MostPerPeriod};
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::intervals::{self, Bound, Interval, Piece};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, Band, BandRange, Frequency, Payout, Polarity, Spanned, Threshold, Unit,
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

/// Checks a band table and resolves it. Bands placed by a target that changes by contract year
/// cover different values in different years: the table is checked for each run of years with
/// the same values, and a finding that holds only in some years says which.
pub(super) fn tiers(
    ctx: &mut Ctx,
    file: FileId,
    per_period: &str,
    bands: &[Spanned<Band>],
    measured: &Measured,
    per_period_pot: Option<Decimal>,
) -> MostPerPeriod {
    let by_band: Vec<Option<Vec<Interval>>> = bands
        .iter()
        .map(|band| band_intervals(ctx, file, band.node.range, band.node.range_span, measured))
        .collect();
    let years = by_band
        .iter()
        .flatten()
        .map(Vec::len)
        .max()
        .unwrap_or(1)
        .max(1);
    // Runs of years in which every band covers the same values.
    let in_year = |year: usize| -> Vec<Option<Interval>> {
        by_band
            .iter()
            .map(|b| b.as_ref().and_then(|v| v.get(year).copied()))
            .collect()
    };
    let mut groups: Vec<(Vec<usize>, Vec<Option<Interval>>)> = Vec::new();
    for year in 0..years {
        let intervals = in_year(year);
        match groups.iter_mut().find(|(_, i)| *i == intervals) {
            Some((members, _)) => members.push(year),
            None => groups.push((vec![year], intervals)),
        }
    }
    let several = groups.len() > 1;
    let mut most = MostPerPeriod::default();
    let mut per_year: Vec<Option<Vec<model::Band>>> = vec![None; years];
    let mut complete = true;
    let mut findings: Vec<(String, Vec<Diagnostic>)> = Vec::new();
    for (members, intervals) in &groups {
        let when = if several {
            format!(" in {}", year_list(members))
        } else {
            String::new()
        };
        let before = ctx.diagnostics.len();
        let table = table(
            ctx,
            file,
            per_period,
            bands,
            measured,
            per_period_pot,
            intervals,
            &when,
        );
        findings.push((when, ctx.diagnostics.drain(before..).collect()));
        most.share = most.share.max(table.share);
        most.amount = most.amount.max(table.amount);
        match table.resolved {
            Some(model::Mechanism::Tiers(resolved)) => {
                for member in members {
                    per_year[*member] = Some(resolved.clone());
                }
            }
            _ => complete = false,
        }
    }
    report_once_if_every_year(ctx, findings);
    if complete && by_band.iter().all(Option::is_some) {
        // One band per row of the table, with its values in each contract year.
        let first = per_year.first().cloned().flatten().unwrap_or_default();
        let resolved: Vec<model::Band> = first
            .into_iter()
            .enumerate()
            .map(|(index, band)| model::Band {
                intervals: per_year
                    .iter()
                    .map(|year| {
                        year.as_ref()
                            .and_then(|b| b.get(index))
                            .map(|b| b.interval(1))
                            .unwrap_or_default()
                    })
                    .collect(),
                ..band
            })
            .collect();
        most.resolved = Some(model::Mechanism::Tiers(resolved));
    }
    most
}

/// Contract years in words, from indexes: `contract year 2`, `contract years 1 and 3`.
/// Reports the findings of each run of years; a finding that every run has alike, but for the
/// words naming its years, is reported once without them: it holds in every year.
fn report_once_if_every_year(ctx: &mut Ctx, findings: Vec<(String, Vec<Diagnostic>)>) {
    let without_years = |d: &Diagnostic, when: &str| {
        let strip = |text: &str| {
            if when.is_empty() {
                text.to_string()
            } else {
                text.replace(when, "")
            }
        };
        let mut d = d.clone();
        d.message = strip(&d.message);
        d.help = d.help.as_deref().map(strip);
        for label in &mut d.labels {
            label.message = strip(&label.message);
        }
        d
    };
    let Some(((first_when, first), rest)) = findings.split_first() else {
        return;
    };
    let mut taken: Vec<Vec<bool>> = rest.iter().map(|(_, f)| vec![false; f.len()]).collect();
    for diagnostic in first {
        let plain = without_years(diagnostic, first_when);
        let matches: Option<Vec<usize>> = rest
            .iter()
            .zip(&taken)
            .map(|((when, found), used)| {
                found
                    .iter()
                    .enumerate()
                    .position(|(i, d)| !used[i] && without_years(d, when) == plain)
            })
            .collect();
        match matches {
            Some(indexes) if !rest.is_empty() => {
                for (used, index) in taken.iter_mut().zip(indexes) {
                    used[index] = true;
                }
                ctx.report(plain);
            }
            _ => ctx.report(diagnostic.clone()),
        }
    }
    for ((_, found), used) in rest.iter().zip(&taken) {
        for (diagnostic, used) in found.iter().zip(used) {
            if !used {
                ctx.report(diagnostic.clone());
            }
        }
    }
}

fn year_list(indexes: &[usize]) -> String {
    let years: Vec<String> = indexes.iter().map(|i| (i + 1).to_string()).collect();
    match years.as_slice() {
        [] => String::new(),
        [one] => format!("contract year {one}"),
        _ => format!("contract years {}", units::join_words(&years)),
    }
}

/// Checks the band table of one run of contract years, whose bands cover `intervals`.
#[allow(clippy::too_many_arguments)]
fn table(
    ctx: &mut Ctx,
    file: FileId,
    per_period: &str,
    bands: &[Spanned<Band>],
    measured: &Measured,
    per_period_pot: Option<Decimal>,
    intervals: &[Option<Interval>],
    when: &str,
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
        let Some(interval) = intervals.get(index).copied().flatten() else {
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
                            "this band runs from {} down to {}{when}",
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
            intervals: vec![interval],
            payout,
            text: ctx.text(file, band.node.range_span),
            relative: band_is_relative(band.node.range),
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
                format!("{}{when}", gap_words(gap, unit, currency)),
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
            Diagnostic::new(Code::TierOverlap, file, span_b, format!("{}{when}", overlap_words(common, unit, currency)), "overlaps another band")
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
                "moving from {} to {} lowers the payment from {} to {}{when}",
                units::format_value(fall.from, unit, currency),
                units::format_value(fall.to, unit, currency),
                amount(fall.pay_from),
                amount(fall.pay_to)
            ),
            _ => format!(
                "moving from {} to {} lowers the payment by {}{per_period}{when}",
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

/// Whether a band's thresholds are placed by the target or the baseline.
fn band_is_relative(range: BandRange) -> bool {
    let relative = |t: &Spanned<Threshold>| matches!(t.node, Threshold::Relative { .. });
    match range {
        BandRange::Between(lo, hi) => relative(&lo) || relative(&hi),
        BandRange::AtLeast(t) | BandRange::Above(t) | BandRange::Below(t) | BandRange::UpTo(t) => {
            relative(&t)
        }
        BandRange::TargetMet | BandRange::TargetMissed => true,
    }
}

/// The values a band covers in each contract year, in its indicator's unit; `None` when a
/// threshold is unusable.
pub(super) fn band_intervals(
    ctx: &mut Ctx,
    file: FileId,
    range: BandRange,
    range_span: Span,
    measured: &Measured,
) -> Option<Vec<Interval>> {
    let each = |ctx: &mut Ctx, t: Spanned<Threshold>| threshold_by_year(ctx, file, t, measured);
    let one = |values: Vec<Decimal>, make: fn(Decimal) -> Interval| {
        values.into_iter().map(make).collect::<Vec<_>>()
    };
    Some(match range {
        BandRange::Between(lo, hi) => {
            let (lo, hi) = (each(ctx, lo), each(ctx, hi));
            lo?.into_iter()
                .zip(hi?)
                .map(|(lo, hi)| Interval {
                    lo: Some(Bound::closed(lo)),
                    hi: Some(Bound::closed(hi)),
                })
                .collect()
        }
        BandRange::AtLeast(t) => one(each(ctx, t)?, |v| Interval {
            lo: Some(Bound::closed(v)),
            hi: None,
        }),
        BandRange::Above(t) => one(each(ctx, t)?, |v| Interval {
            lo: Some(Bound::open(v)),
            hi: None,
        }),
        BandRange::Below(t) => one(each(ctx, t)?, |v| Interval {
            lo: None,
            hi: Some(Bound::open(v)),
        }),
        BandRange::UpTo(t) => one(each(ctx, t)?, |v| Interval {
            lo: None,
            hi: Some(Bound::closed(v)),
        }),
        BandRange::TargetMet | BandRange::TargetMissed => {
            let Some(polarity) = measured.polarity else {
                ctx.report(
                    Diagnostic::new(
                        Code::MissingSetting,
                        file,
                        range_span,
                        format!(
                            "whether the target is met depends on whether higher or lower is better, which `{}` does not say",
                            measured.name
                        ),
                        "met which way?",
                    )
                    .with_help("add `better higher` or `better lower` to the indicator"),
                );
                return None;
            };
            let target = Spanned::new(
                Threshold::Relative {
                    reference: ast::Reference::Target,
                    share: None,
                    offset: None,
                },
                range_span,
            );
            let values = each(ctx, target)?;
            let met = matches!(range, BandRange::TargetMet);
            match (polarity, met) {
                (Polarity::Higher, true) => one(values, |v| Interval {
                    lo: Some(Bound::closed(v)),
                    hi: None,
                }),
                (Polarity::Higher, false) => one(values, |v| Interval {
                    lo: None,
                    hi: Some(Bound::open(v)),
                }),
                (Polarity::Lower, true) => one(values, |v| Interval {
                    lo: None,
                    hi: Some(Bound::closed(v)),
                }),
                (Polarity::Lower, false) => one(values, |v| Interval {
                    lo: Some(Bound::open(v)),
                    hi: None,
                }),
            }
        }
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
