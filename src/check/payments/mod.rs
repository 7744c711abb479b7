//! Payments: their mechanism, the shape of the payment function (gaps, overlaps, falls),
//! the money they can pay against their pot, and when they fall due.

mod money;
mod protected;
mod rate_card;
mod scales;
mod tiers;
pub(super) mod timing;

use money::{compare_with_pot, limits, own_pot, weigh, Weighted};
use rate_card::{rate_card, rate_card_limits};
use scales::{improvement, linear_scale, scale_direction};
use tiers::{period_words, tiers};
use timing::{assessment_frequency, due_after_term};

use rust_decimal::Decimal;

use crate::calendar::frequency_months;
use crate::check::names::Kind;
use crate::check::settings::{first, missing, report_duplicates};
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{self, Block, PaymentSetting as S, Polarity, Spanned, Unit};
use crate::units;

pub(super) fn setting_word(setting: &S) -> &'static str {
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
        S::Protected {
            what: ast::Protected::Points,
            ..
        } => "points protected at",
        S::Protected {
            what: ast::Protected::Share,
            ..
        } => "share protected at",
        S::Improvement { .. } => "improvement",
        S::Trigger(_) => "trigger",
        S::PooledTrigger(_) => "pooled trigger",
        S::Pays(_) => "pays",
        S::RateCard(_) => "rate card",
        S::Cap(_) => "cap",
        S::NotCapped => "not capped",
        S::Floor(_) => "floor",
        S::Paid(_) => "paid",
        S::Advance { .. } => "advance",
        S::PaidBy(_) => "paid by",
        S::CombinePeriods(_) => "combine periods",
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
pub(super) struct Measured<'a> {
    name: &'a str,
    unit: Unit,
    polarity: Option<Polarity>,
}

/// The most a payment can pay in one assessment period: a share of the period's pot and/or a
/// fixed amount.
#[derive(Default, Clone)]
pub(super) struct MostPerPeriod {
    /// The mechanism, resolved for evaluation, when everything about it checked out.
    resolved: Option<model::Mechanism>,
    share: Option<Decimal>,
    amount: Option<Decimal>,
}

pub(super) fn check(ctx: &mut Ctx) {
    let payments = ctx.blocks_of(|b| match b {
        Block::Payment(p) => Some(p),
        _ => None,
    });
    let weighted = weigh(ctx, &payments);
    for (file, payment) in &payments {
        check_one(ctx, *file, payment, &weighted);
    }
    ctx.weights = weighted.shares;
}

fn check_one<'a>(ctx: &mut Ctx<'a>, file: FileId, payment: &'a ast::Payment, weighted: &Weighted) {
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
        S::Pot(p) => Some(p),
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
                    adjustment_factor(ctx, file, factor);
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
    let pot_per_year = match (weight, pot) {
        (Some(_), _) => weighted.pots.get(name).cloned(),
        (None, Some((steps, _))) => own_pot(ctx, file, steps),
        (None, None) => None,
    };
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
                S::PricePerPoint(m) => Some(m),
                _ => None,
            })
            .and_then(|(steps, _)| {
                ctx.phased(steps.as_slice(), file, "the price per point", |ctx, m| {
                    ctx.money(m, file)
                })
            })
            .map(model::ByYear);
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
            let mut card = rate_card(ctx, file, items);
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
    if let Some(model::Mechanism::RateCard(card)) = &most.resolved {
        rate_card_limits(ctx, file, payment, card, pot_per_year.as_deref(), &limits);
    }

    let protection = protected::protection(ctx, file, name, settings, mechanism);
    let paid_by = crate::check::payers::payment_split(ctx, file, payment);
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
        let combine = first(settings, |s| match s {
            S::CombinePeriods(c) => Some(*c),
            _ => None,
        });
        if let (Some((combine, span)), Some(m)) = (combine, measured.as_ref()) {
            super::indicators::combinable(ctx, file, m.name, m.unit, combine, span);
        }
        let resolved = model::Payment {
            name: name.to_string(),
            title: payment.title.as_ref().map(|t| t.node.clone()),
            indicator: measured.as_ref().map(|m| m.name.to_string()),
            frequency,
            pot_per_year: pot_per_year.clone(),
            mechanism,
            caps: limits.clone(),
            not_capped: settings.iter().any(|s| matches!(s.node, S::NotCapped)),
            floors,
            lag,
            advance,
            combine: combine.map(|(c, _)| c),
            protection,
            paid_by,
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

/// A threshold's value in the indicator's unit in each contract year, year 1 first: the same
/// every year, unless it is placed by a target that changes by year. Reports a threshold placed
/// by a target or baseline the indicator does not have, and one placed outside the unit's range.
pub(super) fn threshold_by_year(
    ctx: &mut Ctx,
    file: FileId,
    threshold: Spanned<ast::Threshold>,
    measured: &Measured,
) -> Option<Vec<Decimal>> {
    let years = ctx.calendar()?.contract_years() as usize;
    let (reference, share, offset) = match threshold.node {
        ast::Threshold::Value(m) => {
            let value = ctx.value_of(
                Spanned::new(m, threshold.span),
                measured.name,
                measured.unit,
                "the threshold",
                file,
            )?;
            return Some(vec![value; years]);
        }
        ast::Threshold::Relative {
            reference,
            share,
            offset,
        } => (reference, share, offset),
    };
    let info = ctx.indicators.get(measured.name).cloned();
    let base: Vec<Decimal> = match reference {
        ast::Reference::Target => match info.as_ref().and_then(|i| i.targets.clone()) {
            Some(targets) => targets,
            None => {
                let missing = info
                    .as_ref()
                    .map(|i| i.years_without_target.clone())
                    .unwrap_or_default();
                let (which, help) = if info.as_ref().is_some_and(|i| i.target.is_some()) {
                    let years: Vec<String> = missing.iter().map(u32::to_string).collect();
                    (
                        format!(
                            "which gives no target for contract {} {}",
                            if years.len() == 1 { "year" } else { "years" },
                            crate::units::join_words(&years)
                        ),
                        "give a target for every contract year, such as `target 80% in year 1, 85% from year 2`",
                    )
                } else {
                    (
                        "which has no target".to_string(),
                        "add a `target` to the indicator, or write the threshold as a value",
                    )
                };
                ctx.report(
                    Diagnostic::new(
                        Code::MissingSetting,
                        file,
                        threshold.span,
                        format!(
                            "the threshold is placed by the target of `{}`, {which}",
                            measured.name
                        ),
                        "no target to place it by",
                    )
                    .with_help(help),
                );
                return None;
            }
        },
        ast::Reference::Baseline => match info.as_ref().and_then(|i| i.baseline) {
            Some(baseline) => vec![baseline; years],
            None => {
                ctx.report(
                    Diagnostic::new(
                        Code::MissingSetting,
                        file,
                        threshold.span,
                        format!(
                            "the threshold is placed by the baseline of `{}`, which has none",
                            measured.name
                        ),
                        "no baseline to place it by",
                    )
                    .with_help(
                        "add a `baseline` to the indicator, or write the threshold as a value",
                    ),
                );
                return None;
            }
        },
    };
    let offset = match offset {
        Some((op, m)) => {
            let by = ctx.value_of(m, measured.name, measured.unit, "the amount added", file)?;
            Some(if op == ast::Operator::Subtract {
                -by
            } else {
                by
            })
        }
        None => None,
    };
    let values: Vec<Decimal> = base
        .into_iter()
        .map(|b| {
            let placed = share.map_or(b, |share| b * share / Decimal::ONE_HUNDRED);
            placed + offset.unwrap_or_default()
        })
        .collect();
    let (lo, hi) = units::unit_domain(measured.unit);
    if let Some((year, value)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| **v < lo || hi.is_some_and(|hi| **v > hi))
    {
        let currency = ctx.currency();
        ctx.report(
            Diagnostic::new(
                Code::ValueOutOfRange,
                file,
                threshold.span,
                format!(
                    "the threshold works out at {} in contract year {}, outside the range of `{}`",
                    units::format_value(*value, measured.unit, currency),
                    year + 1,
                    measured.name
                ),
                "out of range",
            )
            .with_help(
                "place the threshold so that it stays within the indicator's range every year",
            ),
        );
        return None;
    }
    Some(values)
}

/// An adjustment factor: a factor supplied with the data, or an input or derived value that is
/// a plain number (a factor multiplies money, so it must not be money or a count itself).
fn adjustment_factor(ctx: &mut Ctx, file: FileId, factor: &ast::Name) {
    let Some(symbol) = ctx.symbols.resolve(
        factor,
        &[Kind::Factor, Kind::Derived, Kind::Input],
        file,
        &mut ctx.diagnostics,
    ) else {
        return;
    };
    let name = factor.node.as_str();
    ctx.value_uses.insert(name.to_string());
    let dimension = match symbol.kind {
        Kind::Derived => ctx.derived.get(name).map(|d| d.dimension),
        Kind::Input => ctx
            .inputs
            .get(name)
            .map(|i| crate::units::Dimension::of_unit(i.unit)),
        _ => None,
    };
    if let Some(dimension) = dimension.filter(|d| !d.is_plain()) {
        ctx.report(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                factor.span,
                format!(
                    "`{name}` is {}, but an adjustment factor must be a plain number",
                    dimension.words()
                ),
                dimension.words(),
            )
            .with_help("a factor multiplies the payment, so it has no unit of its own: divide like by like, such as a list size by the national average list size (a number written in a calculation, such as `9,000`, has no unit: make it an `input` with `unit count` to divide a count by it)"),
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
