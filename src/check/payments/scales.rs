//! Linear scales, points scales and improvement: their direction, their values and triggers.

use rust_decimal::Decimal;

use super::{threshold_by_year, Measured, MostPerPeriod};
use crate::check::settings::missing;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{
    self, ImprovementPays, Measure, PaymentSetting as S, Polarity, Spanned, Threshold,
};
use crate::units;

/// `linear from A to B [paying X to Y]`.
pub(super) fn linear_scale(
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
                                units::format_percent(l),
                                units::format_percent(h)
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

/// The two thresholds of a scale, in each contract year, must run from worse to better
/// performance.
pub(super) fn scale_direction(
    ctx: &mut Ctx,
    file: FileId,
    payment: &str,
    from: Spanned<Threshold>,
    to: Spanned<Threshold>,
    measured: &Measured,
    what: &str,
) -> Option<(model::ByYear, model::ByYear)> {
    let f = threshold_by_year(ctx, file, from, measured);
    let t = threshold_by_year(ctx, file, to, measured);
    let (Some(f), Some(t), Some(polarity)) = (f, t, measured.polarity) else {
        return None;
    };
    let currency = ctx.currency();
    let wrong_way = |f: Decimal, t: Decimal| match polarity {
        Polarity::Higher => f >= t,
        Polarity::Lower => f <= t,
    };
    let varies = f.windows(2).any(|w| w[0] != w[1]) || t.windows(2).any(|w| w[0] != w[1]);
    let wrong: Vec<usize> = f
        .iter()
        .zip(&t)
        .enumerate()
        .filter(|(_, (f, t))| wrong_way(**f, **t))
        .map(|(year, _)| year)
        .collect();
    if let Some(&first) = wrong.first() {
        let (better, order) = match polarity {
            Polarity::Higher => ("higher", "the lower value first"),
            Polarity::Lower => ("lower", "the higher (worse) value first"),
        };
        let runs = |year: usize| {
            format!(
                "from {} to {}",
                units::format_value(f[year], measured.unit, currency),
                units::format_value(t[year], measured.unit, currency)
            )
        };
        let (runs, help) = if varies {
            let each: Vec<String> = wrong
                .iter()
                .map(|&year| format!("{} in contract year {}", runs(year), year + 1))
                .collect();
            (
                units::join_words(&each),
                format!("in each contract year a {what} runs from the value that earns nothing to the value that earns everything: check the target (or baseline) it is placed by in those years"),
            )
        } else {
            (
                runs(first),
                format!("a {what} runs from the value that earns nothing to the value that earns everything: write {order}"),
            )
        };
        ctx.report(
            Diagnostic::new(
                Code::FloorAboveCeiling,
                file,
                from.span.cover(to.span),
                format!(
                    "the {what} of `{payment}` runs {runs}, but `{}` is better {better}",
                    measured.name
                ),
                "the wrong way round",
            )
            .with_help(help),
        );
        return None;
    }
    Some((model::ByYear(f), model::ByYear(t)))
}

pub(super) fn improvement(
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
            S::Trigger(written) | S::PooledTrigger(written) => {
                let trigger = written.value;
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
                    (_, Some(m), _) => ctx.value_of(trigger, m.name, m.unit, "the trigger", file),
                    _ => None,
                };
                complete &= value.is_some();
                let value = value.map(|value| model::Trigger {
                    value,
                    above: written.above,
                });
                if matches!(setting.node, S::Trigger(_)) {
                    trigger_value = value;
                } else {
                    pooled_value = value.map(|trigger| model::PooledTrigger {
                        trigger,
                        pooling: written.pooling.unwrap_or_default(),
                        when: written.when.unwrap_or_default(),
                    });
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
            S::Pays(ImprovementPays::PerEvent(money)) => {
                let events = measured.is_none_or(|m| {
                    matches!(
                        m.unit,
                        ast::Unit::Count
                            | ast::Unit::Percent
                            | ast::Unit::RatePer(_)
                            | ast::Unit::Ratio
                    )
                });
                if !events {
                    ctx.report(
                        Diagnostic::new(
                            Code::UnitMismatch,
                            file,
                            setting.span,
                            format!(
                                "payment `{payment}` pays per event avoided, but `{}` is measured in {}",
                                measured.map(|m| m.name).unwrap_or_default(),
                                measured.map(|m| units::unit_words(m.unit)).unwrap_or_default()
                            ),
                            "not a count of events",
                        )
                        .with_help("pay per event avoided on an indicator that counts events: a `count`, or a rate (`rate per 100`, `percent`) given with its numerator (events) and denominator (the cohort's size); otherwise pay `per point`"),
                    );
                    complete = false;
                }
                pays = ctx
                    .money(*money, file)
                    .map(model::ImprovementPays::PerEvent);
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
