//! The outcomes framework, gateways, deductions, and hygiene: unused indicators, empty
//! outcomes, and indicators missing what their payments need.

use super::names::Kind;
use super::settings::{missing, report_duplicates};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::syntax::ast::{
    self, Block, DeductAmount, DeductionSetting as D, GatewaySetting as G, OutcomeSetting,
};

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
            Block::Deduction(deduction) => deduction_block(ctx, file, deduction),
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
    let mut requires = false;
    let mut applies = false;
    for setting in &gateway.settings {
        match &setting.node {
            G::Require {
                indicator, value, ..
            } => {
                requires = true;
                if ctx
                    .symbols
                    .resolve(indicator, &[Kind::Indicator], file, &mut ctx.diagnostics)
                    .is_some()
                {
                    ctx.used.insert(indicator.node.as_str());
                    if let Some(unit) = ctx
                        .indicators
                        .get(indicator.node.as_str())
                        .and_then(|i| i.unit)
                    {
                        ctx.value_of(*value, &indicator.node, unit, "the required value", file);
                    }
                }
            }
            G::RequireFlag(flag) => {
                requires = true;
                ctx.symbols
                    .resolve(flag, &[Kind::Flag], file, &mut ctx.diagnostics);
            }
            G::AppliesTo(payments) => {
                applies = true;
                for payment in payments {
                    ctx.symbols.resolve(
                        payment,
                        &[Kind::Payment, Kind::Deduction],
                        file,
                        &mut ctx.diagnostics,
                    );
                }
            }
            G::AppliesToAll => applies = true,
            G::Withholds(share) => {
                ctx.share(*share, "the share withheld", file);
            }
            G::Description(_) => {}
        }
    }
    let name = &gateway.name.node;
    if !requires {
        ctx.report(missing(
            file,
            gateway.name.span,
            format!("gateway `{name}` has no condition"),
            "add a line such as `require data_completeness at least 95%` or `require flag cqc_good`",
        ));
    }
    if !applies {
        ctx.report(missing(
            file,
            gateway.name.span,
            format!("gateway `{name}` does not say which payments it applies to"),
            "add `applies to all payments` or `applies to at_home, readmissions`",
        ));
    }
}

fn deduction_block<'a>(ctx: &mut Ctx<'a>, file: FileId, deduction: &'a ast::Deduction) {
    report_duplicates(
        &deduction.settings,
        file,
        |_| false,
        |s| match s {
            D::Cap(limit) => limit.scope as u64,
            _ => 0,
        },
        |s| match s {
            D::On(_) => "on",
            D::Tolerance { .. } => "tolerance",
            D::Deduct { .. } => "deduct",
            D::Cap(_) => "cap",
            D::Description(_) => "description",
        },
        &mut ctx.diagnostics,
    );
    let (mut on, mut deducts) = (false, false);
    for setting in &deduction.settings {
        match &setting.node {
            D::On(indicator) => {
                on = true;
                if ctx
                    .symbols
                    .resolve(indicator, &[Kind::Indicator], file, &mut ctx.diagnostics)
                    .is_some()
                {
                    ctx.used.insert(indicator.node.as_str());
                }
            }
            D::Deduct { amount, .. } => {
                deducts = true;
                match amount {
                    DeductAmount::Money(m) => {
                        ctx.money(*m, file);
                    }
                    DeductAmount::ShareOfMonthlyValue(s) => {
                        ctx.share(*s, "the deduction", file);
                    }
                }
            }
            D::Cap(limit) => {
                ctx.money(limit.amount, file);
            }
            D::Tolerance { .. } | D::Description(_) => {}
        }
    }
    let name = &deduction.name.node;
    if !on {
        ctx.report(missing(
            file,
            deduction.name.span,
            format!("deduction `{name}` does not say which indicator counts the breaches"),
            "add a line such as `on missed_visits`",
        ));
    }
    if !deducts {
        ctx.report(missing(
            file,
            deduction.name.span,
            format!("deduction `{name}` does not say how much is deducted"),
            "add a line such as `deduct £250 per breach` or `deduct 2% of monthly value`",
        ));
    }
}

/// Runs after every use of every indicator has been seen.
pub(super) fn check_hygiene(ctx: &mut Ctx) {
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
        } else if !info.reporting_only {
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
