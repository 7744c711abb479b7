//! Deductions: the indicator that counts breaches, a national standard with its tolerance and
//! floor, what each breach costs (and worse breaches instead), how often it is assessed, who
//! bears it, and its caps.

use rust_decimal::Decimal;

use super::names::Kind;
use super::settings::{first, missing, report_duplicates};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{
    self, DeductAmount, DeductionSetting as D, ExcessRounding, FloorSide, Frequency, Party,
    Polarity, Spanned, Unit,
};
use crate::units;

fn setting_word(setting: &D) -> &'static str {
    match setting {
        D::On(_) => "on",
        D::TakenFrom(_) => "taken from",
        D::Tolerance { .. } => "tolerance",
        D::Deduct { .. } => "deduct",
        D::Standard(_) => "standard",
        D::SanctionFloor { .. } => "no further sanction",
        D::ExcessRounding(_) => "excess breaches",
        D::Instead { .. } => "deduct ... instead",
        D::Borne(_) => "borne",
        D::Assessed(_) => "assessed",
        D::Cap(_) => "cap",
        D::Description(_) => "description",
    }
}

pub(super) fn check<'a>(ctx: &mut Ctx<'a>, file: FileId, deduction: &'a ast::Deduction) {
    let settings = &deduction.settings;
    super::payers::deduction_needs_payer(ctx, file, deduction);
    report_duplicates(
        settings,
        file,
        |s| matches!(s, D::Instead { .. }),
        |s| match s {
            D::Cap(limit) => limit.scope as u64,
            _ => 0,
        },
        setting_word,
        &mut ctx.diagnostics,
    );
    let name = &deduction.name.node;
    let mut complete = true;
    // The indicator that counts the breaches.
    let on = first(settings, |s| match s {
        D::On(n) => Some(n),
        _ => None,
    });
    let mut indicator = None;
    if let Some((on, _)) = on {
        match ctx
            .symbols
            .resolve(on, &[Kind::Indicator], file, &mut ctx.diagnostics)
        {
            Some(_) => {
                ctx.used.insert(on.node.as_str());
                indicator = Some(on);
            }
            None => complete = false,
        }
    }
    let info = indicator.and_then(|i| ctx.indicators.get(i.node.as_str()).cloned());
    let unit = info.as_ref().and_then(|i| i.unit);
    // The amount, and what one charge is for.
    let deduct = first(settings, |s| match s {
        D::Deduct { amount, per } => Some((*amount, *per)),
        _ => None,
    });
    let (amount, per) = match deduct {
        Some(((written, per), _)) => {
            let amount = match written {
                DeductAmount::Money(m) => ctx.money(m, file).map(model::DeductAmount::Money),
                DeductAmount::ShareOfMonthlyValue(s) => ctx
                    .share(s, "the deduction", file)
                    .map(model::DeductAmount::ShareOfMonthlyValue),
            };
            complete &= amount.is_some();
            (amount, per)
        }
        None => (None, None),
    };
    let standard = standard(ctx, file, deduction, info.as_ref(), &mut complete);
    if let (Some(Unit::Percent), None, true) = (unit, standard, complete) {
        if let (Some(on), Some((_, deduct_span))) = (indicator, deduct) {
            ctx.report(
                Diagnostic::new(
                    Code::MissingSetting,
                    file,
                    deduct_span,
                    format!(
                        "deduction `{name}` counts breaches of `{}`, a percentage, but has no `standard` to count them against",
                        on.node
                    ),
                    "breaches of what?",
                )
                .with_label(on.span, "a percentage")
                .with_help("add the standard, such as `standard 95%`: the breaches are the cases that missed it, and the tolerance is the rest of the denominator"),
            );
            complete = false;
        }
    }
    // The tolerance and how often it is assessed.
    let tolerance = first(settings, |s| match s {
        D::Tolerance { breaches, per } => Some((*breaches, *per)),
        _ => None,
    });
    let assessed = first(settings, |s| match s {
        D::Assessed(f) => Some(*f),
        _ => None,
    });
    if let (Some(((_, per), tolerance_span)), Some((assessed, assessed_span))) =
        (tolerance, assessed)
    {
        if per != assessed {
            ctx.report(
                Diagnostic::new(
                    Code::ConflictingSettings,
                    file,
                    assessed_span,
                    format!(
                        "deduction `{name}` is assessed {} but its tolerance is {}",
                        crate::calendar::frequency_words(assessed),
                        crate::calendar::frequency_words(per)
                    ),
                    "assessed",
                )
                .with_label(tolerance_span, "tolerance")
                .with_help("give the tolerance for the period the deduction is assessed in"),
            );
            complete = false;
        }
    }
    if let (Some((_, tolerance_span)), Some(_)) = (tolerance, standard) {
        ctx.report(
            Diagnostic::new(
                Code::ConflictingSettings,
                file,
                tolerance_span,
                format!("deduction `{name}` has both a `standard` and a fixed `tolerance`"),
                "a fixed tolerance",
            )
            .with_help("a standard tolerates the rest of each period's denominator (5% of attendances for a 95% standard): remove the fixed tolerance"),
        );
        complete = false;
    }
    let stated = assessed.or(tolerance.map(|((_, per), span)| (per, span)));
    if let (Some((stated, span)), Some(on)) = (stated, indicator) {
        super::payments::timing::assessed_more_often(
            ctx,
            file,
            span,
            "deduction",
            stated,
            &on.node,
        );
    }
    let frequency = assessed
        .map(|(f, _)| f)
        .or(tolerance.map(|((_, per), _)| per))
        .or(info.as_ref().and_then(|i| i.reported))
        .unwrap_or(Frequency::Monthly);
    // Worse breaches charged instead.
    let mut instead = Vec::new();
    let first_in_money = !matches!(amount, Some(model::DeductAmount::ShareOfMonthlyValue(_)));
    for setting in settings {
        let D::Instead {
            amount,
            per: worse_per,
            indicator: worse,
        } = &setting.node
        else {
            continue;
        };
        let resolved = ctx
            .symbols
            .resolve(worse, &[Kind::Indicator], file, &mut ctx.diagnostics);
        ctx.used.insert(worse.node.as_str());
        let money = ctx.money(*amount, file);
        let worse_unit = ctx.indicators.get(worse.node.as_str()).and_then(|i| i.unit);
        let problem = if per.is_none() || !first_in_money {
            Some("charges for worse breaches need a first charge of money per breach: `deduct £200 per breach`")
        } else if Some(*worse_per) != per {
            Some("charge worse breaches per the same thing as the first charge")
        } else if tolerance.is_some_and(|((b, _), _)| !b.node.is_zero()) || standard.is_some() {
            Some("charges for worse breaches are not combined with a tolerance above 0 or a standard: every breach is charged")
        } else if worse_unit.is_some_and(|u| u != Unit::Count)
            || unit.is_some_and(|u| u != Unit::Count)
        {
            Some("breaches charged in tiers are counted by indicators with `unit count`")
        } else {
            None
        };
        if let Some(help) = problem {
            ctx.report(
                Diagnostic::new(
                    Code::MisplacedSetting,
                    file,
                    setting.span,
                    format!(
                        "deduction `{name}` cannot charge `{}` instead here",
                        worse.node
                    ),
                    "cannot be charged instead",
                )
                .with_help(help),
            );
            complete = false;
            continue;
        }
        match (resolved, money) {
            (Some(_), Some(money)) => instead.push((worse.node.clone(), money)),
            _ => complete = false,
        }
    }
    // Who bears it.
    let shares = match first(settings, |s| match s {
        D::Borne(shares) => Some(shares),
        _ => None,
    }) {
        Some((shares, span)) => borne(ctx, file, name, shares, span, &mut complete),
        None => Vec::new(),
    };
    let mut caps = Vec::new();
    let mut taken_from = None;
    for setting in settings {
        match &setting.node {
            D::Cap(limit) => match ctx.money(limit.amount, file) {
                Some(cap) => caps.push((limit.scope, cap)),
                None => complete = false,
            },
            D::TakenFrom(payment) => {
                if ctx
                    .symbols
                    .resolve(payment, &[Kind::Payment], file, &mut ctx.diagnostics)
                    .is_some()
                {
                    taken_from = Some(payment.node.clone());
                } else {
                    complete = false;
                }
            }
            _ => {}
        }
    }
    if on.is_none() && complete {
        ctx.report(missing(
            file,
            deduction.name.span,
            format!("deduction `{name}` does not say which indicator counts the breaches"),
            "add a line such as `on missed_visits`",
        ));
    }
    if amount.is_none() && complete {
        ctx.report(missing(
            file,
            deduction.name.span,
            format!("deduction `{name}` does not say how much is deducted"),
            "add a line such as `deduct £250 per breach` or `deduct 2% of monthly value`",
        ));
    }
    if let (Some(indicator), Some(amount), true) = (indicator, amount, complete) {
        ctx.deductions.push(model::Deduction {
            name: name.clone(),
            taken_from,
            title: deduction.title.as_ref().map(|t| t.node.clone()),
            indicator: indicator.node.clone(),
            tolerance: tolerance.map(|((b, _), _)| b.node).unwrap_or_default(),
            frequency,
            amount,
            per,
            standard,
            instead,
            shares,
            caps,
        });
    }
}

/// `standard 95%`, its floor and the rounding of a fraction of a breach: only on a percentage
/// indicator that says which way is better, the floor on the far side of the standard.
fn standard(
    ctx: &mut Ctx,
    file: FileId,
    deduction: &ast::Deduction,
    info: Option<&super::indicators::IndicatorInfo>,
    complete: &mut bool,
) -> Option<model::Standard> {
    let settings = &deduction.settings;
    let name = &deduction.name.node;
    let written = first(settings, |s| match s {
        D::Standard(p) => Some(*p),
        _ => None,
    });
    let floor = first(settings, |s| match s {
        D::SanctionFloor { side, value } => Some((*side, *value)),
        _ => None,
    });
    let rounding = first(settings, |s| match s {
        D::ExcessRounding(r) => Some(*r),
        _ => None,
    });
    let Some((standard, standard_span)) = written else {
        for (span, what) in [
            (floor.map(|(_, s)| s), "no further sanction"),
            (rounding.map(|(_, s)| s), "excess breaches"),
        ] {
            if let Some(span) = span {
                ctx.report(
                    Diagnostic::new(
                        Code::MisplacedSetting,
                        file,
                        span,
                        format!("`{what}` applies only to a deduction with a `standard`"),
                        "needs `standard`",
                    )
                    .with_help("add the standard, such as `standard 95%`, or remove this line"),
                );
                *complete = false;
            }
        }
        return None;
    };
    let Some(value) = ctx.share(standard, "the standard", file) else {
        *complete = false;
        return None;
    };
    let unit = info.and_then(|i| i.unit);
    if unit.is_some_and(|u| u != Unit::Percent) {
        ctx.report(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                standard_span,
                format!(
                    "deduction `{name}` has a standard, but its indicator is measured in {}",
                    unit.map(units::unit_words).unwrap_or_default()
                ),
                "a standard is a percentage",
            )
            .with_help("a standard counts breaches as the cases of a percentage that missed it: measure the deduction on a percentage indicator given with its numerator and denominator, or use a fixed `tolerance`"),
        );
        *complete = false;
        return None;
    }
    // Without `better`, the indicator itself is reported (E0105): which cases missed the
    // standard cannot be known.
    let Some(polarity) = info.and_then(|i| i.polarity) else {
        *complete = false;
        return None;
    };
    let floor = match floor {
        Some(((side, floor_value), span)) => {
            let f = ctx.share(floor_value, "the floor", file);
            let wrong_side = matches!(
                (polarity, side),
                (Polarity::Higher, FloorSide::Above) | (Polarity::Lower, FloorSide::Below)
            );
            let past = |f: Decimal| match polarity {
                Polarity::Higher => f < value,
                Polarity::Lower => f > value,
            };
            match f {
                Some(f) if !wrong_side && past(f) => Some(f),
                Some(f) => {
                    let (side, word) = match polarity {
                        Polarity::Higher => ("below", "below"),
                        Polarity::Lower => ("above", "above"),
                    };
                    ctx.report(
                        Diagnostic::new(
                            Code::FloorAboveCeiling,
                            file,
                            span,
                            if past(f) {
                                // The value is on the right side, the word is not.
                                format!(
                                    "`no further sanction {} {}` in deduction `{name}` faces the wrong way: performance worse than its standard of {} is {word} it",
                                    match polarity {
                                        Polarity::Higher => "above",
                                        Polarity::Lower => "below",
                                    },
                                    units::format_percent(f),
                                    units::format_percent(value)
                                )
                            } else {
                                format!(
                                    "the sanctions of `{name}` stop at {}, which is not {word} its standard of {}",
                                    units::format_percent(f),
                                    units::format_percent(value)
                                )
                            },
                            "on the wrong side of the standard",
                        )
                        .with_label(standard_span, "the standard")
                        .with_help(format!(
                            "performance worse than the standard is {side} it: write `no further sanction {side} ...` with a value {side} the standard"
                        )),
                    );
                    *complete = false;
                    None
                }
                None => {
                    *complete = false;
                    None
                }
            }
        }
        None => None,
    };
    Some(model::Standard {
        standard: value,
        floor,
        rounding: rounding.map(|(r, _)| r).unwrap_or(ExcessRounding::Up),
    })
}

/// `borne 50% by the provider and 50% by the commissioner`: the shares add up to 100%, each
/// party once.
fn borne(
    ctx: &mut Ctx,
    file: FileId,
    name: &str,
    shares: &[(Spanned<Decimal>, Party)],
    span: crate::source::Span,
    complete: &mut bool,
) -> Vec<(Party, Decimal)> {
    let mut resolved: Vec<(Party, Decimal)> = Vec::new();
    for (share, party) in shares {
        let Some(value) = ctx.share(*share, "the share", file) else {
            *complete = false;
            continue;
        };
        if resolved.iter().any(|(p, _)| p == party) {
            ctx.report(
                Diagnostic::new(
                    Code::DuplicateSetting,
                    file,
                    share.span,
                    format!("the {} is given two shares of `{name}`", party.word()),
                    "given again",
                )
                .with_help("give each party one share"),
            );
            *complete = false;
            continue;
        }
        resolved.push((*party, value));
    }
    let total: Decimal = resolved.iter().map(|(_, v)| *v).sum();
    if *complete && total != Decimal::ONE_HUNDRED {
        ctx.report(
            Diagnostic::new(
                Code::WeightsDoNotSum,
                file,
                span,
                format!(
                    "the shares of `{name}` add up to {}, not 100%",
                    units::format_percent(total)
                ),
                "shares",
            )
            .with_help("the parties' shares of a sanction add up to the whole of it: `borne 50% by the provider and 50% by the commissioner`"),
        );
        *complete = false;
    }
    resolved
}
