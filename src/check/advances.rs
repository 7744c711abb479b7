//! `advance` blocks: advances across several payments (QOF aspiration payments), each contract
//! year a share of a value given with the data or an amount, paid in instalments; the payments
//! they cover are paid through them and reconciled at each year's end.

use crate::check::names::Kind;
use crate::check::settings::{first, missing, report_duplicates};
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{self, AdvanceSetting as A, Block, Frequency};
use crate::units::Dimension;

fn setting_word(setting: &A) -> &'static str {
    match setting {
        A::PaysShareOf { .. } | A::Pays(_) => "pays",
        A::Paid(_) => "paid",
        A::Covers(_) => "covers",
        A::Description(_) => "description",
    }
}

/// Checks every advance block, after the payments (whose resolved forms they cover).
pub(super) fn check(ctx: &mut Ctx) {
    let blocks = ctx.blocks_of(|b| match b {
        Block::Advance(a) => Some(a),
        _ => None,
    });
    let mut covered: Vec<(String, String)> = Vec::new();
    for (file, advance) in blocks {
        if let Some(resolved) = check_one(ctx, file, advance, &mut covered) {
            ctx.advances.push(resolved);
        }
    }
}

fn check_one(
    ctx: &mut Ctx,
    file: FileId,
    advance: &ast::AdvanceBlock,
    covered: &mut Vec<(String, String)>,
) -> Option<model::Advance> {
    let settings = &advance.settings;
    let name = advance.name.node.as_str();
    report_duplicates(
        settings,
        file,
        |_| false,
        |_| 0,
        setting_word,
        &mut ctx.diagnostics,
    );
    super::payers::advance_needs_payer(ctx, file, advance);
    let mut complete = true;
    // What it pays each year.
    let base = match first(settings, |s| match s {
        A::PaysShareOf { share, value } => Some(Ok((*share, value))),
        A::Pays(steps) => Some(Err(steps)),
        _ => None,
    }) {
        Some((Ok((share, value)), _)) => {
            let share = ctx.share(share, "the advance", file);
            let symbol = ctx.symbols.resolve(
                value,
                &[Kind::Input, Kind::Derived],
                file,
                &mut ctx.diagnostics,
            );
            if symbol.is_some() {
                ctx.value_uses.insert(value.node.clone());
            }
            let dimension = symbol.and_then(|symbol| match symbol.kind {
                Kind::Derived => ctx.derived.get(value.node.as_str()).map(|d| d.dimension),
                _ => ctx
                    .inputs
                    .get(value.node.as_str())
                    .map(|i| Dimension::of_unit(i.unit)),
            });
            if let Some(dimension) = dimension.filter(|d| !d.same_as(Dimension::MONEY)) {
                ctx.report(
                    Diagnostic::new(
                        Code::UnitMismatch,
                        file,
                        value.span,
                        format!(
                            "`{}` is {}, but advance `{name}` pays a share of money",
                            value.node,
                            dimension.words()
                        ),
                        dimension.words(),
                    )
                    .with_help("give the money the advance is a share of, such as last year's achievement, as an input with `unit money`"),
                );
                complete = false;
            }
            match (share, dimension) {
                (Some(share), Some(_)) => Some(model::AdvanceBase::ShareOf {
                    share,
                    value: value.node.clone(),
                }),
                _ => None,
            }
        }
        Some((Err(steps), _)) => ctx
            .phased(steps.as_slice(), file, "the advance", |ctx, m| {
                ctx.money(m, file)
            })
            .map(|amounts| model::AdvanceBase::Amounts(model::ByYear(amounts))),
        None => {
            ctx.report(missing(
                file,
                advance.name.span,
                format!("advance `{name}` does not say what it pays"),
                "add a line such as `pays 80% of last_years_achievement` or `pays £100,000`",
            ));
            None
        }
    };
    let frequency = first(settings, |s| match s {
        A::Paid(f) => Some(*f),
        _ => None,
    })
    .map(|(f, _)| f)
    .unwrap_or(Frequency::Monthly);
    // The payments it covers.
    let covers = match first(settings, |s| match s {
        A::Covers(names) => Some(names),
        _ => None,
    }) {
        Some((Some(names), _)) => {
            let mut list = Vec::new();
            for payment in names {
                if ctx
                    .symbols
                    .resolve(payment, &[Kind::Payment], file, &mut ctx.diagnostics)
                    .is_none()
                {
                    complete = false;
                    continue;
                }
                list.push((payment.node.clone(), payment.span));
            }
            list
        }
        Some((None, span)) => ctx
            .payments
            .iter()
            .filter(|p| !matches!(p.mechanism, model::Mechanism::RateCard(_)))
            .map(|p| (p.name.clone(), span))
            .collect(),
        None => {
            ctx.report(missing(
                file,
                advance.name.span,
                format!("advance `{name}` does not say which payments it covers"),
                "add a line such as `covers all payments` or `covers ast003_points, hyp008_points`",
            ));
            complete = false;
            Vec::new()
        }
    };
    let mut names = Vec::new();
    for (payment, span) in covers {
        let Some(resolved) = ctx.payments.iter().find(|p| p.name == payment) else {
            // A payment with errors of its own: nothing more to say about it here.
            complete = false;
            continue;
        };
        let problem = if matches!(resolved.mechanism, model::Mechanism::RateCard(_)) {
            Some((Code::MisplacedSetting, format!("advance `{name}` cannot cover payment `{payment}`, a rate card"), "a rate card pays each outcome as it is achieved; pay an advance on it with a payment of its own, or leave it out of `covers`".to_string()))
        } else if resolved.advance.is_some() {
            Some((Code::ConflictingSettings, format!("payment `{payment}` has an advance of its own and is also covered by advance `{name}`"), "pay the payment in advance one way: remove its `advance` line, or leave it out of `covers`".to_string()))
        } else if let Some((_, other)) = covered.iter().find(|(p, _)| *p == payment) {
            Some((
                Code::ConflictingSettings,
                format!("payment `{payment}` is covered by two advances, `{other}` and `{name}`"),
                "a payment is paid through one advance: leave it out of one `covers` line"
                    .to_string(),
            ))
        } else {
            None
        };
        if let Some((code, message, help)) = problem {
            ctx.report(Diagnostic::new(code, file, span, message, "covered here").with_help(help));
            complete = false;
            continue;
        }
        names.push(payment);
    }
    if !complete || base.is_none() {
        return None;
    }
    covered.extend(names.iter().map(|p| (p.clone(), name.to_string())));
    Some(model::Advance {
        name: name.to_string(),
        title: advance.title.as_ref().map(|t| t.node.clone()),
        base: base?,
        frequency,
        covers: names,
        defined_at: (file, advance.name.span),
    })
}
