//! Payers: the named commissioners (`commissioner council "Riverside Council"`), who pays each
//! payment (`paid by council 80%, lcf 20%` on the contract, or on a payment for that payment),
//! each split of exact shares adding up to 100%. With several named commissioners, every
//! payment and every deduction must be paid by someone.

use rust_decimal::Decimal;

use crate::check::fraction::{exact_share, Fraction};
use crate::check::names::Kind;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Block, ContractSetting as C, PayerShare};

/// The named commissioners and the contract's own split, as checked.
#[derive(Default, Clone)]
pub(crate) struct Payers {
    pub payers: Vec<model::Payer>,
    /// Who pays every payment that does not say: the contract's `paid by`, or the only named
    /// commissioner; empty when there are no named commissioners.
    pub default_split: Vec<(String, Decimal)>,
    /// Whether the contract's `paid by` was given and checked out (or there is at most one
    /// payer, so nothing needs saying).
    pub settled: bool,
}

pub(super) fn check(ctx: &mut Ctx) -> Payers {
    let mut payers = Payers::default();
    let mut contract_split = None;
    let mut complete = true;
    for (file, block) in ctx.blocks() {
        let Block::Contract(contract) = block else {
            continue;
        };
        for setting in &contract.settings {
            match &setting.node {
                C::Commissioner {
                    name: Some(name),
                    title,
                } => payers.payers.push(model::Payer {
                    name: name.node.clone(),
                    title: title.clone(),
                }),
                C::PaidBy(shares) if contract_split.is_none() => {
                    match split(ctx, file, "the contract's payments", shares, setting.span) {
                        Some(split) => contract_split = Some(split),
                        None => complete = false,
                    }
                }
                _ => {}
            }
        }
    }
    payers.default_split = match (contract_split, payers.payers.as_slice()) {
        (Some(split), _) => split,
        (None, [only]) => vec![(only.name.clone(), Decimal::ONE_HUNDRED)],
        (None, _) => Vec::new(),
    };
    payers.settled = complete && (!payers.default_split.is_empty() || payers.payers.len() < 2);
    payers
}

/// A `paid by` list: every payer a named commissioner, once, with exact shares adding up to
/// 100%. Returns (payer, share in percent) in the order written.
pub(super) fn split(
    ctx: &mut Ctx,
    file: FileId,
    whose: &str,
    shares: &[PayerShare],
    span: Span,
) -> Option<Vec<(String, Decimal)>> {
    let mut resolved: Vec<(String, Fraction)> = Vec::new();
    let mut complete = true;
    for share in shares {
        let known = ctx
            .symbols
            .resolve(&share.payer, &[Kind::Payer], file, &mut ctx.diagnostics)
            .is_some();
        let fraction = exact_share(ctx, file, share.share, "a payer's share");
        if resolved.iter().any(|(name, _)| *name == share.payer.node) {
            ctx.report(
                Diagnostic::new(
                    Code::DuplicateSetting,
                    file,
                    share.payer.span,
                    format!("`{}` is given two shares of {whose}", share.payer.node),
                    "given again",
                )
                .with_help("give each payer one share"),
            );
            complete = false;
            continue;
        }
        match (known, fraction) {
            (true, Some(fraction)) if fraction.numerator > 0 => {
                resolved.push((share.payer.node.clone(), fraction))
            }
            (true, Some(_)) => {
                ctx.report(
                    Diagnostic::new(
                        Code::PercentOutOfRange,
                        file,
                        share.share.span,
                        format!("`{}` is given no share of {whose}", share.payer.node),
                        "nothing",
                    )
                    .with_help("leave out a payer that pays nothing"),
                );
                complete = false;
            }
            _ => complete = false,
        }
    }
    if !complete {
        return None;
    }
    let total = resolved
        .iter()
        .try_fold(Fraction::new(0, 1)?, |sum, (_, f)| sum.add(*f));
    if total != Some(Fraction::one()) {
        let total = total.map(Fraction::percent).unwrap_or_default();
        ctx.report(
            Diagnostic::new(
                Code::WeightsDoNotSum,
                file,
                span,
                format!(
                    "the payers' shares of {whose} add up to {}, not 100%",
                    crate::units::format_percent(total.round_dp(6).normalize())
                ),
                "shares",
            )
            .with_help("the payers share the whole of each payment between them: make the shares add up to 100%, such as `paid by council 80%, lcf 20%` or `paid by council 2/3, lcf 1/3`"),
        );
        return None;
    }
    Some(
        resolved
            .into_iter()
            .map(|(name, fraction)| (name, fraction.percent()))
            .collect(),
    )
}

/// A payment's own `paid by`, or a finding that it needs one.
pub(super) fn payment_split(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
) -> Option<Vec<(String, Decimal)>> {
    let name = payment.name.node.as_str();
    let own = payment.settings.iter().find_map(|s| match &s.node {
        ast::PaymentSetting::PaidBy(shares) => Some((shares, s.span)),
        _ => None,
    });
    match own {
        Some((shares, span)) => split(ctx, file, &format!("payment `{name}`"), shares, span),
        None => {
            let payers = ctx.payers.clone();
            if !payers.settled && payers.payers.len() > 1 {
                ctx.report(needs_payer(
                    file,
                    payment.name.span,
                    format!("payment `{name}`"),
                    &payers,
                    false,
                ));
            }
            None
        }
    }
}

/// A deduction not taken from a payment needs the contract to say who pays, when there are
/// several payers.
pub(super) fn deduction_needs_payer(ctx: &mut Ctx, file: FileId, deduction: &ast::Deduction) {
    let payers = ctx.payers.clone();
    let taken_from = deduction
        .settings
        .iter()
        .any(|s| matches!(s.node, ast::DeductionSetting::TakenFrom(_)));
    if !payers.settled && payers.payers.len() > 1 && !taken_from {
        ctx.report(needs_payer(
            file,
            deduction.name.span,
            format!("deduction `{}`", deduction.name.node),
            &payers,
            true,
        ));
    }
}

/// An advance's instalments are paid by the contract's payers: with several payers, the
/// contract must say who they are.
pub(super) fn advance_needs_payer(ctx: &mut Ctx, file: FileId, advance: &ast::AdvanceBlock) {
    let payers = ctx.payers.clone();
    if !payers.settled && payers.payers.len() > 1 {
        ctx.report(needs_payer(
            file,
            advance.name.span,
            format!("advance `{}`", advance.name.node),
            &payers,
            true,
        ));
    }
}

fn needs_payer(
    file: FileId,
    span: Span,
    what: String,
    payers: &Payers,
    deduction: bool,
) -> Diagnostic {
    let names: Vec<String> = payers.payers.iter().map(|p| p.name.clone()).collect();
    let example = match names.as_slice() {
        [a, b, ..] => format!("{a} 50%, {b} 50%"),
        _ => String::new(),
    };
    Diagnostic::new(
        Code::MissingSetting,
        file,
        span,
        format!(
            "{what} does not say {}, and the contract has {} payers",
            if deduction {
                "whose payments it comes off"
            } else {
                "who pays it"
            },
            names.len()
        ),
        "paid by whom?",
    )
    .with_help(format!(
        "{}; the payers are {}",
        if deduction {
            format!("add `taken from <payment>` to the deduction, or `paid by {example}` to the contract, for every payment and deduction")
        } else {
            format!("add `paid by {example}` to the payment, or to the contract for every payment")
        },
        crate::units::join_words(&names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>())
    ))
}
