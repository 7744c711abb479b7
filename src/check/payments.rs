//! Payments: their mechanism, the shape of the payment function (gaps, overlaps, falls),
//! the money they can pay against their pot, and when they fall due.

use rust_decimal::Decimal;

use super::intervals::{self, Bound, Interval, Piece};
use super::names::{self, Kind};
use super::settings::{first, missing, report_duplicates};
use super::{units, Ctx};
use crate::calendar::{self, frequency_months, frequency_words, Calendar};
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, Band, BandRange, Block, Frequency, ImprovementPays, LagFrom, LimitScope, Measure,
    PaymentSetting as S, Payout, Polarity, Pot, RateCardItem, Spanned, Unit,
};

fn setting_word(setting: &S) -> &'static str {
    match setting {
        S::Weight(_) => "weight",
        S::Pot(_) => "pot",
        S::On(_) => "on",
        S::ForCohort(_) => "for cohort",
        S::Assessed(_) => "assessed",
        S::Tiers(_) => "tiers",
        S::Linear(_) => "linear",
        S::Points { .. } => "points",
        S::PricePerPoint(_) => "price per point",
        S::AdjustedBy(_) => "adjusted by",
        S::Improvement { .. } => "improvement",
        S::Trigger(_) => "trigger",
        S::PooledTrigger(_) => "pooled trigger",
        S::Pays(_) => "pays",
        S::RateCard(_) => "rate card",
        S::Cap(_) => "cap",
        S::Floor(_) => "floor",
        S::Paid(_) => "paid",
        S::Advance { .. } => "advance",
        S::Description(_) => "description",
    }
}

fn is_mechanism(setting: &S) -> bool {
    matches!(
        setting,
        S::Tiers(_) | S::Linear(_) | S::Points { .. } | S::Improvement { .. } | S::RateCard(_)
    )
}

/// The indicator a payment is measured on, with what is known of it.
struct Measured<'a> {
    name: &'a str,
    unit: Unit,
    polarity: Option<Polarity>,
}

/// The most a payment can pay in one assessment period: a share of the period's pot and/or a
/// fixed amount.
#[derive(Default, Clone)]
struct MostPerPeriod {
    /// The mechanism, resolved for evaluation, when everything about it checked out.
    resolved: Option<model::Mechanism>,
    share: Option<Decimal>,
    amount: Option<Decimal>,
}

pub(super) fn check(ctx: &mut Ctx) {
    let payments: Vec<(FileId, &ast::Payment)> = ctx
        .blocks()
        .filter_map(|(file, block)| match block {
            Block::Payment(p) => Some((file, p)),
            _ => None,
        })
        .collect();
    for (file, payment) in &payments {
        check_one(ctx, *file, payment);
    }
    check_weights(ctx, &payments);
}

fn check_one<'a>(ctx: &mut Ctx<'a>, file: FileId, payment: &'a ast::Payment) {
    let settings = &payment.settings;
    let name = payment.name.node.as_str();
    report_duplicates(
        settings,
        file,
        |_| false,
        |s| match s {
            S::Cap(l) | S::Floor(l) => l.scope as u64,
            _ => 0,
        },
        setting_word,
        &mut ctx.diagnostics,
    );

    // One mechanism, one source of money.
    let mechanisms: Vec<&Spanned<S>> = settings.iter().filter(|s| is_mechanism(&s.node)).collect();
    match mechanisms.as_slice() {
        [] => ctx.report(missing(
            file,
            payment.name.span,
            format!("payment `{name}` does not say how the amount is worked out"),
            "add one of `tiers { ... }`, `linear from ... to ...`, `points ...`, `improvement ...` or `rate card { ... }`",
        )),
        [first_one, second, ..] => ctx.report(
            Diagnostic::new(
                Code::ConflictingMechanisms,
                file,
                second.span,
                format!("payment `{name}` has both `{}` and `{}`", setting_word(&first_one.node), setting_word(&second.node)),
                "second way of paying",
            )
            .with_label(first_one.span, "first way of paying")
            .with_help("a payment works out its amount one way; split it into two payments with their own weights"),
        ),
        _ => {}
    }
    let mechanism = mechanisms.first().map(|s| &s.node);
    let weight = first(settings, |s| match s {
        S::Weight(w) => Some(*w),
        _ => None,
    });
    let pot = first(settings, |s| match s {
        S::Pot(p) => Some(*p),
        _ => None,
    });
    if let (Some((_, weight_span)), Some((_, pot_span))) = (weight, pot) {
        ctx.report(
            Diagnostic::new(
                Code::ConflictingMechanisms,
                file,
                pot_span,
                format!("payment `{name}` has both a `weight` and a `pot`"),
                "its own pot",
            )
            .with_label(weight_span, "a share of the money at risk")
            .with_help("use `weight` for a share of the contract's money at risk, or `pot` for money of its own, not both"),
        );
    }
    misplaced_settings(ctx, file, settings, mechanism);

    // The indicator it is measured on.
    let on = first(settings, |s| match s {
        S::On(n) => Some(n),
        _ => None,
    });
    let mut measured = None;
    match (on, mechanism) {
        (Some((indicator, _)), Some(S::RateCard(_))) => ctx.report(
            Diagnostic::new(
                Code::MisplacedSetting,
                file,
                indicator.span,
                format!(
                    "payment `{name}` pays from a rate card, which is not measured on an indicator"
                ),
                "not used by a rate card",
            )
            .with_help(
                "remove the `on` line; a rate card pays for outcomes in participant records",
            ),
        ),
        (Some((indicator, _)), _) => measured = measured_indicator(ctx, file, indicator, name),
        (None, Some(S::RateCard(_)) | None) => {}
        (None, Some(_)) => ctx.report(missing(
            file,
            payment.name.span,
            format!("payment `{name}` does not say which indicator it is measured on"),
            "add a line such as `on still_home_91`",
        )),
    }
    for setting in settings {
        match &setting.node {
            S::ForCohort(cohort) => {
                ctx.symbols
                    .resolve(cohort, &[Kind::Cohort], file, &mut ctx.diagnostics);
            }
            S::AdjustedBy(factors) => {
                for factor in factors {
                    ctx.symbols
                        .resolve(factor, &[Kind::Factor], file, &mut ctx.diagnostics);
                }
            }
            S::Advance { share, .. } => {
                ctx.share(*share, "the advance", file);
            }
            _ => {}
        }
    }
    let frequency = assessment_frequency(ctx, file, settings, measured.as_ref(), mechanism);

    // The shape of the payment function and the most it can pay.
    let pot_per_year = pot_per_year(ctx, file, weight.map(|w| w.0), pot.map(|p| p.0));
    let most = match mechanism {
        Some(S::Tiers(bands)) => {
            let periods = frequency
                .map(|f| Decimal::from(12 / frequency_months(f)))
                .unwrap_or(Decimal::ONE);
            let per_period_pot = pot_per_year
                .as_ref()
                .and_then(|p| p.first())
                .map(|p| *p / periods);
            measured
                .as_ref()
                .map(|m| tiers(ctx, file, period_words(frequency), bands, m, per_period_pot))
                .unwrap_or_default()
        }
        Some(S::Linear(linear)) => measured
            .as_ref()
            .map(|m| linear_scale(ctx, file, name, linear, m))
            .unwrap_or_default(),
        Some(S::Points { points, from, to }) => {
            let scale = measured
                .as_ref()
                .and_then(|m| scale_direction(ctx, file, name, *from, *to, m, "points"));
            if points.node <= Decimal::ZERO {
                ctx.report(
                    Diagnostic::new(Code::ValueOutOfRange, file, points.span, "the number of points must be above 0", "no points")
                        .with_help("write how many points the indicator is worth, such as `points 17 from 40% to 75%`"),
                );
            }
            let price = first(settings, |s| match s {
                S::PricePerPoint(m) => Some(*m),
                _ => None,
            })
            .and_then(|(m, _)| ctx.money(m, file));
            let factors: Vec<String> = settings
                .iter()
                .filter_map(|s| match &s.node {
                    S::AdjustedBy(names) => Some(names.iter().map(|n| n.node.clone())),
                    _ => None,
                })
                .flatten()
                .collect();
            let resolved = match (scale, price) {
                (Some((from, to)), Some(price)) => Some(model::Mechanism::Points {
                    points: points.node,
                    from,
                    to,
                    price,
                    factors,
                }),
                _ => None,
            };
            MostPerPeriod {
                resolved,
                ..Default::default()
            }
        }
        Some(S::Improvement { against, .. }) => {
            improvement(ctx, file, name, settings, against, measured.as_ref())
        }
        Some(S::RateCard(items)) => {
            let mut card = rate_card(ctx, file, payment, items);
            card.cohort = first(settings, |s| match s {
                S::ForCohort(c) => Some(c.node.clone()),
                _ => None,
            })
            .map(|(c, _)| c);
            MostPerPeriod {
                resolved: Some(model::Mechanism::RateCard(card)),
                ..Default::default()
            }
        }
        _ => MostPerPeriod::default(),
    };
    if let Some(S::Tiers(_) | S::Linear(_) | S::Improvement { .. }) = mechanism {
        if most.share.is_some() && weight.is_none() && pot.is_none() {
            ctx.report(missing(
                file,
                payment.name.span,
                format!("payment `{name}` pays shares of a pot but has no `weight` or `pot`"),
                "add `weight 25%` (a share of the money at risk) or `pot £500,000 per year`",
            ));
        }
    }
    let (limits, floors) = limits(ctx, file, settings);

    if let (Some(mechanism), Some(frequency)) = (most.resolved, frequency) {
        let lag = first(settings, |s| match s {
            S::Paid(lag) => Some((lag.lag.node, lag.from)),
            _ => None,
        })
        .map(|(l, _)| l);
        let advance = first(settings, |s| match s {
            S::Advance { share, frequency } => Some((share.node, *frequency)),
            _ => None,
        })
        .map(|(a, _)| a);
        let resolved = model::Payment {
            name: name.to_string(),
            title: payment.title.as_ref().map(|t| t.node.clone()),
            indicator: measured.as_ref().map(|m| m.name.to_string()),
            frequency,
            pot_per_year: pot_per_year.clone(),
            mechanism,
            caps: limits.clone(),
            floors,
            lag,
            advance,
        };
        compare_with_pot(ctx, file, payment, &resolved);
        ctx.payments.push(resolved);
    }
    if let (Some(frequency), Some(calendar)) = (frequency, ctx.calendar()) {
        due_after_term(
            ctx,
            file,
            payment,
            settings,
            measured.as_ref(),
            frequency,
            calendar,
        );
    }
}

/// Settings that only make sense with a mechanism the payment does not have.
fn misplaced_settings(ctx: &mut Ctx, file: FileId, settings: &[Spanned<S>], mechanism: Option<&S>) {
    for setting in settings {
        let needs = match &setting.node {
            S::PricePerPoint(_) | S::AdjustedBy(_) => "points",
            S::Trigger(_) | S::PooledTrigger(_) | S::Pays(_) => "improvement",
            _ => continue,
        };
        let has = match mechanism {
            Some(S::Points { .. }) => "points",
            Some(S::Improvement { .. }) => "improvement",
            _ => "",
        };
        if needs != has {
            ctx.report(
                Diagnostic::new(
                    Code::MisplacedSetting,
                    file,
                    setting.span,
                    format!(
                        "`{}` applies only to payments by `{needs}`",
                        setting_word(&setting.node)
                    ),
                    format!("needs `{needs}`"),
                )
                .with_help(format!(
                    "remove this line, or make the payment pay by `{needs}`"
                )),
            );
        }
    }
    if let Some(S::Points { .. }) = mechanism {
        if !settings
            .iter()
            .any(|s| matches!(s.node, S::PricePerPoint(_)))
        {
            let at = settings
                .iter()
                .find(|s| matches!(s.node, S::Points { .. }))
                .map(|s| s.span)
                .unwrap_or_default();
            ctx.report(missing(
                file,
                at,
                "points are earned but have no `price per point`".to_string(),
                "add a line such as `price per point £194.83`",
            ));
        }
    }
    if let Some(S::Improvement { .. }) = mechanism {
        if !settings.iter().any(|s| matches!(s.node, S::Pays(_))) {
            let at = settings
                .iter()
                .find(|s| matches!(s.node, S::Improvement { .. }))
                .map(|s| s.span)
                .unwrap_or_default();
            ctx.report(missing(
                file,
                at,
                "the improvement does not say what it `pays`".to_string(),
                "add `pays 100%` (the pot when the trigger is met) or `pays £2,000 per point`",
            ));
        }
    }
}

fn measured_indicator<'a>(
    ctx: &mut Ctx<'a>,
    file: FileId,
    indicator: &'a ast::Name,
    payment: &str,
) -> Option<Measured<'a>> {
    ctx.symbols
        .resolve(indicator, &[Kind::Indicator], file, &mut ctx.diagnostics)?;
    ctx.used.insert(indicator.node.as_str());
    let info = ctx.indicators.get(indicator.node.as_str())?.clone();
    if info.reporting_only {
        let mut d = Diagnostic::new(
            Code::ReportingOnlyIndicatorPaid,
            file,
            indicator.span,
            format!("payment `{payment}` is measured on `{}`, which is marked `reporting only`", indicator.node),
            "reporting only",
        )
        .with_help("remove `reporting only` from the indicator if payment depends on it, or measure the payment on another indicator");
        if info.file == file {
            d = d.with_label(
                info.reporting_only_span.unwrap_or(info.name_span),
                "marked reporting only here",
            );
        }
        ctx.report(d);
    }
    Some(Measured {
        name: indicator.node.as_str(),
        unit: info.unit?,
        polarity: info.polarity,
    })
}

/// How often the payment is assessed: as stated, else as its indicator is reported, else
/// monthly for a rate card. Reports assessment more frequent than the data.
fn assessment_frequency(
    ctx: &mut Ctx,
    file: FileId,
    settings: &[Spanned<S>],
    measured: Option<&Measured>,
    mechanism: Option<&S>,
) -> Option<Frequency> {
    let reported = measured
        .and_then(|m| ctx.indicators.get(m.name))
        .and_then(|i| i.reported);
    let assessed = first(settings, |s| match s {
        S::Assessed(f) => Some(*f),
        _ => None,
    });
    if let (Some((assessed, span)), Some(reported), Some(m)) = (assessed, reported, measured) {
        if frequency_months(assessed) < frequency_months(reported) {
            let mut d = Diagnostic::new(
                Code::AssessedMoreOftenThanReported,
                file,
                span,
                format!(
                    "the payment is assessed {} but `{}` is reported {}",
                    frequency_words(assessed),
                    m.name,
                    frequency_words(reported)
                ),
                "more often than the data arrives",
            )
            .with_help(format!(
                "assess the payment {} or less often",
                frequency_words(reported)
            ));
            if let Some(info) = ctx.indicators.get(m.name).filter(|i| i.file == file) {
                d = d.with_label(
                    info.reported_span.unwrap_or(info.name_span),
                    "how often the data arrives",
                );
            }
            ctx.report(d);
        }
    }
    match (assessed, mechanism) {
        (Some((f, _)), _) => Some(f),
        (None, Some(S::RateCard(_))) => Some(Frequency::Monthly),
        (None, _) => reported,
    }
}

/// The payment's pot in each contract year, when it can be worked out.
fn pot_per_year(
    ctx: &mut Ctx,
    file: FileId,
    weight: Option<Spanned<Decimal>>,
    pot: Option<Pot>,
) -> Option<Vec<Decimal>> {
    let header = ctx.header.clone()?;
    let years = header.calendar?.contract_years() as usize;
    if let Some(weight) = weight {
        let share = ctx.share(weight, "the weight", file)?;
        if header.at_risk_span.is_none() {
            ctx.report(missing(
                header.file,
                header.title_span,
                "payments are weighted but the contract does not say how much is `at risk`"
                    .to_string(),
                "add a line such as `at risk 10% of value` to the contract",
            ));
            return None;
        }
        if header.at_risk.is_empty() {
            return None;
        }
        return Some(
            header
                .at_risk
                .iter()
                .map(|r| *r * share / Decimal::ONE_HUNDRED)
                .collect(),
        );
    }
    match pot? {
        Pot::ShareOfValue(share) => {
            let share = ctx.share(share, "the pot", file)?;
            let value = header.value_per_year?;
            Some(vec![value * share / Decimal::ONE_HUNDRED; years])
        }
        Pot::PerYear(money) => Some(vec![ctx.money(money, file)?; years]),
    }
}

/// The smallest figure that the decimals of `values` can show: 0.1 for whole numbers,
/// 0.01 for one decimal place, and so on.
fn step_for(values: &[Decimal]) -> Decimal {
    let scale = values
        .iter()
        .map(|v| v.normalize().scale())
        .max()
        .unwrap_or(0);
    Decimal::new(1, (scale + 1).min(20))
}

fn tiers(
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
    let (lo, hi) = units::domain(unit);
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
            (true, _) => units::money(v, currency),
            (false, Some(pot)) => units::money(pot * v / Decimal::ONE_HUNDRED, currency),
            (false, None) => format!("{} of the pot", units::percent(v)),
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
fn band_interval(
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
fn period_words(frequency: Option<Frequency>) -> &'static str {
    match frequency {
        Some(Frequency::Monthly) => " a month",
        Some(Frequency::Quarterly) => " a quarter",
        Some(_) => " a year",
        None => "",
    }
}

/// An interval limited to the values the unit allows.
fn clip(interval: Interval, unit: Unit) -> Interval {
    let (lo, hi) = units::domain(unit);
    let domain = Interval {
        lo: Some(Bound::closed(lo)),
        hi: hi.map(Bound::closed),
    };
    interval.intersect(domain).unwrap_or(interval)
}

fn gap_words(gap: Interval, unit: Unit, currency: ast::CurrencyCode) -> String {
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

fn overlap_words(common: Interval, unit: Unit, currency: ast::CurrencyCode) -> String {
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

/// `linear from A to B [paying X to Y]`.
fn linear_scale(
    ctx: &mut Ctx,
    file: FileId,
    payment: &str,
    linear: &ast::Linear,
    measured: &Measured,
) -> MostPerPeriod {
    let scale = scale_direction(
        ctx,
        file,
        payment,
        linear.from,
        linear.to,
        measured,
        "scale",
    );
    let (low, high) = match linear.paying {
        Some((low, high)) => {
            let l = ctx.share(low, "the share paid", file);
            let h = ctx.share(high, "the share paid", file);
            if let (Some(l), Some(h)) = (l, h) {
                if h < l {
                    ctx.report(
                        Diagnostic::new(
                            Code::PaymentFallsAsPerformanceImproves,
                            file,
                            high.span,
                            format!(
                                "the scale pays {} at its worst end and only {} at its best",
                                units::percent(l),
                                units::percent(h)
                            ),
                            "pays less for better performance",
                        )
                        .with_label(low.span, "paid for the worst performance")
                        .with_help("the first share is paid at the worse threshold and the second at the better one: swap them"),
                    );
                }
            }
            (l, h)
        }
        None => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
    };
    let resolved = match (scale, low, high) {
        (Some((from, to)), Some(pay_from), Some(pay_to)) => Some(model::Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        }),
        _ => None,
    };
    MostPerPeriod {
        resolved,
        share: low.zip(high).map(|(l, h)| l.max(h)),
        amount: None,
    }
}

/// The two thresholds of a scale must run from worse to better performance.
fn scale_direction(
    ctx: &mut Ctx,
    file: FileId,
    payment: &str,
    from: Spanned<Measure>,
    to: Spanned<Measure>,
    measured: &Measured,
    what: &str,
) -> Option<(Decimal, Decimal)> {
    let f = ctx.value_of(from, measured.name, measured.unit, "the threshold", file);
    let t = ctx.value_of(to, measured.name, measured.unit, "the threshold", file);
    let (Some(f), Some(t), Some(polarity)) = (f, t, measured.polarity) else {
        return None;
    };
    let currency = ctx.currency();
    let wrong_way = match polarity {
        Polarity::Higher => f >= t,
        Polarity::Lower => f <= t,
    };
    if wrong_way {
        let (better, order) = match polarity {
            Polarity::Higher => ("higher", "the lower value first"),
            Polarity::Lower => ("lower", "the higher (worse) value first"),
        };
        ctx.report(
            Diagnostic::new(
                Code::FloorAboveCeiling,
                file,
                from.span.cover(to.span),
                format!(
                    "the {what} of `{payment}` runs from {} to {}, but `{}` is better {better}",
                    units::format_value(f, measured.unit, currency),
                    units::format_value(t, measured.unit, currency),
                    measured.name
                ),
                "the wrong way round",
            )
            .with_help(format!("a {what} runs from the value that earns nothing to the value that earns everything: write {order}")),
        );
        return None;
    }
    Some((f, t))
}

fn improvement(
    ctx: &mut Ctx,
    file: FileId,
    payment: &str,
    settings: &[Spanned<S>],
    against: &ast::Comparator,
    measured: Option<&Measured>,
) -> MostPerPeriod {
    let change = settings.iter().find_map(|s| match &s.node {
        S::Improvement { change, .. } => Some(*change),
        _ => None,
    });
    if let (ast::Comparator::Baseline, Some(m)) = (against, measured) {
        if ctx
            .indicators
            .get(m.name)
            .is_some_and(|i| i.baseline.is_none())
        {
            let at = settings
                .iter()
                .find(|s| matches!(s.node, S::Improvement { .. }))
                .map(|s| s.span)
                .unwrap_or_default();
            ctx.report(missing(
                file,
                at,
                format!("payment `{payment}` improves against the baseline of `{}`, which has no `baseline`", m.name),
                format!("add a line such as `baseline 82.7% in 2014/15` to indicator `{}`", m.name),
            ));
        }
    }
    let mut most = MostPerPeriod::default();
    let (mut trigger_value, mut pooled_value, mut pays) = (None, None, None);
    let mut complete = true;
    for setting in settings {
        match &setting.node {
            S::Trigger(trigger) | S::PooledTrigger(trigger) => {
                let value = match (change, measured, trigger.node) {
                    (Some(ast::ChangeKind::Relative), _, Measure::Percent(v)) => Some(v),
                    (Some(ast::ChangeKind::Relative), _, _) => {
                        ctx.report(
                            Diagnostic::new(
                                Code::UnitMismatch,
                                file,
                                trigger.span,
                                "a relative improvement is a percentage",
                                "not a percentage",
                            )
                            .with_help("write the trigger as a percentage change, such as `10%`"),
                        );
                        None
                    }
                    (_, Some(m), _) => ctx.value_of(*trigger, m.name, m.unit, "the trigger", file),
                    _ => None,
                };
                complete &= value.is_some();
                if matches!(setting.node, S::Trigger(_)) {
                    trigger_value = value;
                } else {
                    pooled_value = value;
                }
            }
            S::Pays(ImprovementPays::Share(share)) => {
                let value = ctx.share(*share, "the share paid", file);
                pays = value.map(model::ImprovementPays::Share);
                most = MostPerPeriod {
                    share: value,
                    amount: None,
                    resolved: None,
                };
            }
            S::Pays(ImprovementPays::PerPoint(money)) => {
                pays = ctx
                    .money(*money, file)
                    .map(model::ImprovementPays::PerPoint);
            }
            _ => {}
        }
    }
    if let (Some(change), Some(pays), true) = (change, pays, complete) {
        most.resolved = Some(model::Mechanism::Improvement(model::Improvement {
            change,
            against_baseline: matches!(against, ast::Comparator::Baseline),
            trigger: trigger_value,
            pooled_trigger: pooled_value,
            pays,
        }));
    }
    most
}

fn rate_card(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    items: &[Spanned<RateCardItem>],
) -> model::RateCard {
    let mut card = model::RateCard::default();
    let card_names: Vec<&str> = items
        .iter()
        .filter_map(|i| match &i.node {
            RateCardItem::Outcome(o) => Some(o.name.node.as_str()),
            RateCardItem::Criterion { name, .. } => Some(name.node.as_str()),
            RateCardItem::AttachmentFee(_) => None,
        })
        .collect();
    for item in items {
        match &item.node {
            RateCardItem::AttachmentFee(fee) => {
                card.attachment_fee = ctx.money(*fee, file);
            }
            RateCardItem::Criterion { name, .. } => card.criteria.push(name.node.clone()),
            RateCardItem::Outcome(outcome) => {
                if let Some(price) = ctx.money(outcome.price, file) {
                    card.outcomes.push(model::RateOutcome {
                        name: outcome.name.node.clone(),
                        title: outcome.title.as_ref().map(|t| t.node.clone()),
                        price,
                        within: outcome.within.map(|w| w.node),
                        all_of: outcome.all_of.iter().map(|n| n.node.clone()).collect(),
                    });
                }
                for criterion in &outcome.all_of {
                    if !card_names.contains(&criterion.node.as_str()) {
                        ctx.report(names::undefined(
                            criterion,
                            file,
                            "a criterion or outcome of this rate card",
                            card_names.iter().copied(),
                        ));
                    }
                }
            }
        }
    }
    let capped = payment
        .settings
        .iter()
        .any(|s| matches!(&s.node, S::Cap(limit) if matches!(limit.scope, LimitScope::Year | LimitScope::Term)));
    if !capped {
        ctx.report(
            Diagnostic::new(
                Code::UncappedRateCard,
                file,
                payment.name.span,
                format!("rate card `{}` has no cap per year or over the term", payment.name.node),
                "no overall cap",
            )
            .with_help("add `cap £1,200,000 per year` or `cap £3,000,000 over the term` so the most the contract can cost is known"),
        );
    }
    card
}

/// The payment's caps and its floors, each as (scope, amount).
type Limits = Vec<(LimitScope, Decimal)>;

/// Caps and floors by scope, after checking currency and that no floor is above its cap.
fn limits(ctx: &mut Ctx, file: FileId, settings: &[Spanned<S>]) -> (Limits, Limits) {
    let mut caps = Vec::new();
    let mut floors = Vec::new();
    for setting in settings {
        match &setting.node {
            S::Cap(limit) => {
                if let Some(v) = ctx.money(limit.amount, file) {
                    caps.push((limit.scope, v, setting.span));
                }
            }
            S::Floor(limit) => {
                if let Some(v) = ctx.money(limit.amount, file) {
                    floors.push((limit.scope, v, setting.span));
                }
            }
            _ => {}
        }
    }
    let currency = ctx.currency();
    for (scope, floor, floor_span) in &floors {
        if let Some((_, cap, cap_span)) = caps.iter().find(|(s, _, _)| s == scope) {
            if floor > cap {
                ctx.report(
                    Diagnostic::new(
                        Code::FloorAboveCeiling,
                        file,
                        *floor_span,
                        format!(
                            "the floor of {} {} is above the cap of {}",
                            units::money(*floor, currency),
                            scope.words(),
                            units::money(*cap, currency)
                        ),
                        "floor",
                    )
                    .with_label(*cap_span, "cap")
                    .with_help("a floor is the least that is paid and a cap the most: the floor must not exceed the cap"),
                );
            }
        }
    }
    let strip = |limits: Vec<(LimitScope, Decimal, Span)>| {
        limits.into_iter().map(|(s, v, _)| (s, v)).collect()
    };
    (strip(caps), strip(floors))
}

/// The name of a contract year: its fiscal year when the two coincide (`2017/18`), else `year 2`.
fn year_label(calendar: &Calendar, year: u32) -> String {
    match calendar.contract_year(year) {
        Some((start, _)) if start.day() == 1 && start.month() == calendar.fiscal_start => {
            Calendar::fiscal_year_label(start.year())
        }
        _ => format!("contract year {year}"),
    }
}

/// Compares the largest possible payment in each contract year with the payment's pot.
fn compare_with_pot(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    resolved: &model::Payment,
) {
    let (Some(pots), Some(header)) = (&resolved.pot_per_year, ctx.header.clone()) else {
        return;
    };
    let Some(calendar) = header.calendar else {
        return;
    };
    let currency = header.currency;
    let largest =
        resolved.largest_per_year(&calendar, header.rounding, header.exclude_part_periods);
    // Each year's pot is what its periods can draw: a part year at either end of the term has
    // the pots of its periods, pro-rated as the payment is.
    let mut available = vec![Decimal::ZERO; largest.len()];
    // Each line is rounded on its own, so a year's lines may add up to a few pence (or pounds)
    // more or less than its pot: half a rounding unit per line is no finding.
    let mut slack = vec![Decimal::ZERO; largest.len()];
    let half_unit = match header.rounding.unit {
        ast::RoundingUnit::Minor => Decimal::new(5, 3),
        ast::RoundingUnit::Major => Decimal::new(5, 1),
    };
    for (_, year, pot) in resolved.period_pots(&calendar, header.exclude_part_periods) {
        if let Some(total) = available.get_mut(year as usize - 1) {
            *total += pot;
        }
        if let Some(total) = slack.get_mut(year as usize - 1) {
            *total += half_unit;
        }
    }
    let available: Vec<Decimal> = available
        .into_iter()
        .map(|pot| header.rounding.apply(pot))
        .collect();
    let _ = pots;
    // Unknown in any year (a payment per point without a cap) means nothing to compare.
    let Some(years) = largest
        .iter()
        .zip(available)
        .map(|(most, pot)| most.map(|most| (most, pot)))
        .collect::<Option<Vec<(Decimal, Decimal)>>>()
    else {
        return;
    };
    let Some(index) = years
        .iter()
        .zip(&slack)
        .position(|((most, pot), slack)| (*most - *pot).abs() > *slack)
    else {
        return;
    };
    let (per_year, pot) = years[index];
    let label = if years.iter().all(|y| *y == years[index]) {
        "each contract year".to_string()
    } else {
        year_label(&calendar, index as u32 + 1)
    };
    let name = &payment.name.node;
    let diagnostic = if per_year > pot {
        Diagnostic::new(
            Code::PayoutExceedsPot,
            file,
            payment.name.span,
            format!(
                "the largest possible payment of `{name}` in {label} is {} but its pot is {}",
                units::money(per_year, currency),
                units::money(pot, currency)
            ),
            "can pay more than its pot",
        )
        .with_help("lower the amounts paid or add a `cap ... per year` no higher than the pot")
    } else {
        Diagnostic::new(
            Code::UnreachableMoney,
            file,
            payment.name.span,
            format!(
                "at most {} of the {} pot of `{name}` can be paid in {label}: {} can never be earned",
                units::money(per_year, currency),
                units::money(pot, currency),
                units::money(pot - per_year, currency)
            ),
            "cannot pay its whole pot",
        )
        .with_help("raise what the best result pays, raise or remove the cap that limits it, or lower the weight or pot to what can be earned")
    };
    ctx.report(diagnostic);
}

/// Warns when the lags push the payment for the last period past the end of the term.
fn due_after_term(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    settings: &[Spanned<S>],
    measured: Option<&Measured>,
    frequency: Frequency,
    calendar: Calendar,
) {
    let Some(last) = calendar.periods(frequency).pop() else {
        return;
    };
    let data_lag = measured
        .and_then(|m| ctx.indicators.get(m.name))
        .and_then(|i| i.data_lag);
    let paid = first(settings, |s| match s {
        S::Paid(lag) => Some(*lag),
        _ => None,
    });
    let mut due = last.end;
    let mut steps = vec![format!(
        "the last period, {}, ends on {}",
        last.label, last.end
    )];
    let data_counts = paid.is_none_or(|(p, _)| p.from == LagFrom::Data);
    if let (Some(lag), true) = (data_lag, data_counts) {
        let Some(next) = calendar::add(due, lag) else {
            return;
        };
        due = next;
        steps.push(format!(
            "its data arrives {} later, on {due}",
            duration_words(lag)
        ));
    }
    if let Some((lag, _)) = paid {
        let Some(next) = calendar::add(due, lag.lag.node) else {
            return;
        };
        due = next;
        steps.push(format!(
            "payment is due {} after that, on {due}",
            duration_words(lag.lag.node)
        ));
    }
    let last_due = ctx
        .header
        .as_ref()
        .and_then(|h| h.last_due)
        .unwrap_or(calendar.end);
    if due <= last_due {
        return;
    }
    let late = calendar::days_between(calendar.end, due);
    let name = &payment.name.node;
    let run_off = ctx.header.as_ref().and_then(|h| h.run_off);
    let (message, help) = match run_off {
        None => (
            format!("the payment of `{name}` for {} falls due on {due}, {late} days after the term ends on {}", last.label, calendar.end),
            format!(
                "{}; if the contract provides for payments after the term, say so with \
                 `payments continue 6 months after the term`; otherwise shorten the lags",
                steps.join(", ")
            ),
        ),
        Some((length, _)) => (
            format!(
                "the payment of `{name}` for {} falls due on {due}, {} days after the last day payments may fall due, {last_due}",
                last.label,
                calendar::days_between(last_due, due)
            ),
            format!(
                "{}; payments continue only {} after the term, which ends on {}: lengthen that to cover {late} days, or shorten the lags",
                steps.join(", "),
                duration_words(length),
                calendar.end
            ),
        ),
    };
    let at = paid.map(|(_, span)| span).unwrap_or(payment.name.span);
    let mut d = Diagnostic::new(Code::PaymentDueAfterTerm, file, at, message, "due too late")
        .with_help(help);
    if let Some((_, span)) = run_off.filter(|_| ctx.header.as_ref().is_some_and(|h| h.file == file))
    {
        d = d.with_label(span, "payments may continue this long after the term");
    }
    ctx.report(d);
}

fn duration_words(duration: ast::Duration) -> String {
    let unit = match duration.unit {
        ast::TimeUnit::Day => "day",
        ast::TimeUnit::Week => "week",
        ast::TimeUnit::Month => "month",
        ast::TimeUnit::Year => "year",
    };
    format!(
        "{} {unit}{}",
        duration.count,
        if duration.count == 1 { "" } else { "s" }
    )
}

/// The weights of all weighted payments must add up to exactly 100%.
fn check_weights(ctx: &mut Ctx, payments: &[(FileId, &ast::Payment)]) {
    let weights: Vec<(FileId, Spanned<Decimal>)> = payments
        .iter()
        .flat_map(|(file, p)| {
            p.settings.iter().filter_map(move |s| match s.node {
                S::Weight(w) => Some((*file, w)),
                _ => None,
            })
        })
        .collect();
    let Some((first_file, first_weight)) = weights.first().copied() else {
        return;
    };
    let total: Decimal = weights.iter().map(|(_, w)| w.node).sum();
    if total == Decimal::ONE_HUNDRED {
        return;
    }
    let mut d = Diagnostic::new(
        Code::WeightsDoNotSum,
        first_file,
        first_weight.span,
        format!(
            "the weights of the payments add up to {}, not 100%",
            units::percent(total)
        ),
        units::percent(first_weight.node),
    );
    for (file, weight) in weights.iter().skip(1) {
        if *file == first_file {
            d = d.with_label(weight.span, units::percent(weight.node));
        }
    }
    let gap = Decimal::ONE_HUNDRED - total;
    let help = if gap > Decimal::ZERO {
        format!("{} of the money at risk is not assigned to any payment; adjust the weights so they add up to 100%", units::percent(gap))
    } else {
        format!("the weights promise {} more than the money at risk; adjust them so they add up to 100%", units::percent(-gap))
    };
    ctx.report(d.with_help(help));
}
