//! The outcomes framework, gateways, and hygiene: unused indicators, empty
//! outcomes, and indicators missing what their payments need.

use super::names::Kind;
use super::settings::{missing, report_duplicates};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{self, Block, GatewaySetting as G, OutcomeSetting};
use rust_decimal::Decimal;

pub(super) fn check(ctx: &mut Ctx) {
    let blocks: Vec<(FileId, &ast::Block)> = ctx.blocks().collect();
    for (file, block) in blocks {
        match block {
            Block::Domain(domain) => {
                for outcome in &domain.outcomes {
                    outcome_block(ctx, file, outcome);
                }
            }
            Block::Gateway(gateway) => gateway_block(ctx, file, gateway),
            Block::Deduction(deduction) => super::deductions::check(ctx, file, deduction),
            _ => {}
        }
    }
}

fn outcome_block(ctx: &mut Ctx, file: FileId, outcome: &ast::Outcome) {
    report_duplicates(
        &outcome.settings,
        file,
        |_| false,
        |_| 0,
        |s| match s {
            OutcomeSetting::MeasuredBy(_) => "measured by",
            OutcomeSetting::Description(_) => "description",
        },
        &mut ctx.diagnostics,
    );
    let mut measured = false;
    for setting in &outcome.settings {
        if let OutcomeSetting::MeasuredBy(indicators) = &setting.node {
            measured = true;
            for indicator in indicators {
                ctx.symbols
                    .resolve(indicator, &[Kind::Indicator], file, &mut ctx.diagnostics);
            }
        }
    }
    if !measured {
        ctx.report(
            Diagnostic::new(
                Code::EmptyOutcome,
                file,
                outcome.name.span,
                format!(
                    "outcome `{}` is not measured by any indicator",
                    outcome.name.node
                ),
                "no indicators",
            )
            .with_help("add a line such as `measured by still_home_91`, or remove the outcome"),
        );
    }
}

fn gateway_block<'a>(ctx: &mut Ctx<'a>, file: FileId, gateway: &'a ast::Gateway) {
    report_duplicates(
        &gateway.settings,
        file,
        |s| matches!(s, G::Require { .. } | G::RequireFlag(_)),
        |_| 0,
        |s| match s {
            G::AppliesTo(_) | G::AppliesToAll => "applies to",
            G::Withholds(_) => "withholds",
            G::Description(_) => "description",
            G::Require { .. } | G::RequireFlag(_) => "require",
        },
        &mut ctx.diagnostics,
    );
    let mut requires = Vec::new();
    let mut applies: Option<Option<Vec<String>>> = None;
    let mut withholds = Decimal::ONE_HUNDRED;
    let mut complete = true;
    for setting in &gateway.settings {
        match &setting.node {
            G::Require {
                indicator,
                comparison,
                value,
            } => {
                let resolved =
                    ctx.symbols
                        .resolve(indicator, &[Kind::Indicator], file, &mut ctx.diagnostics);
                let unit = ctx
                    .indicators
                    .get(indicator.node.as_str())
                    .and_then(|i| i.unit);
                ctx.used.insert(indicator.node.as_str());
                let value = match (resolved, unit) {
                    (Some(_), Some(unit)) => {
                        ctx.value_of(*value, &indicator.node, unit, "the required value", file)
                    }
                    _ => None,
                };
                match value {
                    Some(value) => requires.push(model::Requirement::Indicator {
                        name: indicator.node.clone(),
                        comparison: *comparison,
                        value,
                    }),
                    None => complete = false,
                }
            }
            G::RequireFlag(flag) => {
                ctx.symbols
                    .resolve(flag, &[Kind::Flag], file, &mut ctx.diagnostics);
                requires.push(model::Requirement::Flag(flag.node.clone()));
            }
            G::AppliesTo(payments) => {
                for payment in payments {
                    ctx.symbols.resolve(
                        payment,
                        &[Kind::Payment, Kind::Deduction],
                        file,
                        &mut ctx.diagnostics,
                    );
                }
                applies = Some(Some(payments.iter().map(|p| p.node.clone()).collect()));
            }
            G::AppliesToAll => applies = Some(None),
            G::Withholds(share) => match ctx.share(*share, "the share withheld", file) {
                Some(share) => withholds = share,
                None => complete = false,
            },
            G::Description(_) => {}
        }
    }
    let name = &gateway.name.node;
    if requires.is_empty() && complete {
        ctx.report(missing(
            file,
            gateway.name.span,
            format!("gateway `{name}` has no condition"),
            "add a line such as `require data_completeness at least 95%` or `require flag cqc_good`",
        ));
    }
    let Some(applies_to) = applies else {
        ctx.report(missing(
            file,
            gateway.name.span,
            format!("gateway `{name}` does not say which payments it applies to"),
            "add `applies to all payments` or `applies to at_home, readmissions`",
        ));
        return;
    };
    if complete {
        ctx.gateways.push(model::Gateway {
            defined_at: (file, gateway.name.span),
            name: name.clone(),
            title: gateway.title.as_ref().map(|t| t.node.clone()),
            requires,
            applies_to,
            withholds,
        });
    }
}

/// Runs after every use of every indicator has been seen.
pub(super) fn check_hygiene(ctx: &mut Ctx) {
    let unused: Vec<(FileId, crate::source::Span, String, &str)> = ctx
        .blocks()
        .filter_map(|(file, block)| match block {
            Block::Input(i) => Some((file, i.name.span, i.name.node.clone(), "input")),
            Block::Derived(d) => Some((file, d.name.span, d.name.node.clone(), "derived value")),
            _ => None,
        })
        .filter(|(_, _, name, _)| !ctx.value_uses.contains(name))
        .collect();
    for (file, span, name, kind) in unused {
        ctx.report(
            Diagnostic::new(
                Code::UnusedValue,
                file,
                span,
                format!("{kind} `{name}` is not used by any payment, deduction or calculation"),
                "never used",
            )
            .with_help(
                "use it (in `adjusted by`, or in another value's calculation), or remove it",
            ),
        );
    }
    let mut indicators: Vec<(&str, super::indicators::IndicatorInfo)> = ctx
        .indicators
        .iter()
        .map(|(name, info)| (*name, info.clone()))
        .collect();
    indicators.sort_by_key(|(_, info)| (info.file, info.name_span.start));
    for (name, info) in indicators {
        if ctx.used.contains(name) {
            if info.unit.is_some() && info.polarity.is_none() {
                ctx.report(missing(
                    info.file,
                    info.name_span,
                    format!("indicator `{name}` is used for payment but does not say whether higher or lower is better"),
                    "add `better higher` or `better lower`",
                ));
            }
            if info.reported.is_none() {
                ctx.report(missing(
                    info.file,
                    info.name_span,
                    format!("indicator `{name}` is used for payment but does not say how often it is reported"),
                    "add `reported monthly`, `reported quarterly` or `reported annually`",
                ));
            }
        } else if !info.reporting_only && !ctx.calculation_uses.contains(name) {
            ctx.report(
                Diagnostic::new(
                    Code::UnusedIndicator,
                    info.file,
                    info.name_span,
                    format!("indicator `{name}` is not used by any payment, gateway or deduction"),
                    "never used",
                )
                .with_help("mark it `reporting only` if it is monitored without payment, or use it in a payment"),
            );
        }
    }
}
