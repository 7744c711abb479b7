//! `test` blocks: the names, values and periods of worked examples. Running them is `obc test`'s job.

use rust_decimal::Decimal;

use super::contract::invalid_date;
use super::names::{self, Kind};
use super::Ctx;
use crate::calendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::syntax::ast::{self, Block, GivenValue, Spanned, TestSetting as T};

pub(super) fn check(ctx: &mut Ctx) {
    let tests = ctx.blocks_of(|b| match b {
        Block::Test(t) => Some(t),
        _ => None,
    });
    for (file, test) in tests {
        for setting in &test.settings {
            match &setting.node {
                T::Given {
                    name,
                    value,
                    against,
                    period,
                } => {
                    given(ctx, file, name, *value);
                    if let (Some(against), Some(unit)) = (
                        against,
                        ctx.indicators.get(name.node.as_str()).and_then(|i| i.unit),
                    ) {
                        ctx.value_of(*against, &name.node, unit, "the comparison value", file);
                    }
                    ctx.period(*period, file, true);
                }
                T::ParticipantStarted { on, .. } => date(ctx, file, *on),
                T::ParticipantAchieved { outcome, on, .. } => {
                    date(ctx, file, *on);
                    // As in the participant records, an outcome achieved outside the term is
                    // not paid: the test is told so, as evaluation would be.
                    if let (Some(day), Some(calendar)) = (calendar::date(on.node), ctx.calendar()) {
                        if day < calendar.start || day > calendar.end {
                            ctx.report(
                                Diagnostic::new(
                                    Code::PeriodOutsideTerm,
                                    file,
                                    on.span,
                                    format!(
                                        "{day} is outside the term, {} to {}",
                                        calendar.start, calendar.end
                                    ),
                                    "outside the term",
                                )
                                .with_help("outcomes achieved outside the term are not paid, and a participant record with this date is an error in `obc eval` (E0806): give a date within the term"),
                            );
                        }
                    }
                    if !ctx.symbols.achievements.contains_key(outcome.node.as_str()) {
                        let candidates: Vec<&str> =
                            ctx.symbols.achievements.keys().copied().collect();
                        ctx.report(names::undefined(
                            outcome,
                            file,
                            "an outcome of a rate card",
                            candidates.into_iter(),
                        ));
                    }
                }
                T::ExpectPays {
                    name,
                    deducts,
                    amount,
                    payment,
                    period,
                } => {
                    let kind = if name.node == "total" {
                        None
                    } else {
                        ctx.symbols
                            .resolve(
                                name,
                                &[Kind::Payment, Kind::Deduction, Kind::Advance, Kind::Payer],
                                file,
                                &mut ctx.diagnostics,
                            )
                            .map(|s| s.kind)
                    };
                    if let Some(payment) = payment {
                        if kind.is_some_and(|k| k != Kind::Payer) || name.node == "total" {
                            ctx.report(
                                Diagnostic::new(
                                    Code::MisplacedSetting,
                                    file,
                                    payment.span,
                                    format!(
                                        "`for {}` follows the name of a payer, but `{}` is not one",
                                        payment.node, name.node
                                    ),
                                    "for a payer only",
                                )
                                .with_label(name.span, "not a payer")
                                .with_help(format!(
                                    "write `expect {} pays ... in ...` for what the payment pays in all, or name a payer: `expect <payer> pays ... for {} in ...`",
                                    payment.node, payment.node
                                )),
                            );
                        } else {
                            ctx.symbols.resolve(
                                payment,
                                &[Kind::Payment, Kind::Deduction],
                                file,
                                &mut ctx.diagnostics,
                            );
                        }
                    }
                    if let Some(money) = amount.node {
                        ctx.money(Spanned::new(money, amount.span), file);
                        expected_sign(ctx, file, name, *deducts, money.amount, amount.span, kind);
                    }
                    ctx.period(*period, file, true);
                }
                T::ExpectFinding(code) => {
                    if crate::diagnostic::Code::lookup(&code.node).is_none() {
                        ctx.report(
                            Diagnostic::new(
                                Code::UndefinedName,
                                file,
                                code.span,
                                format!("`{}` is not a diagnostic code", code.node),
                                "no such code",
                            )
                            .with_help("use a code listed in docs/diagnostics.md, such as `E0812`"),
                        );
                    }
                }
                T::ExpectGateway {
                    gateway, period, ..
                } => {
                    ctx.symbols
                        .resolve(gateway, &[Kind::Gateway], file, &mut ctx.diagnostics);
                    ctx.period(*period, file, true);
                }
            }
        }
    }
}

/// A deduction only takes money off: what it `pays` is negative and what it `deducts` positive.
/// Any expectation that something `deducts` a negative amount is the sign the wrong way round.
fn expected_sign(
    ctx: &mut Ctx,
    file: FileId,
    name: &ast::Name,
    deducts: bool,
    amount: rust_decimal::Decimal,
    span: crate::source::Span,
    kind: Option<Kind>,
) {
    let words = crate::units::format_money(amount.abs(), ctx.currency());
    let problem = if deducts && amount < rust_decimal::Decimal::ZERO {
        Some((
            format!("`{}` is expected to deduct a negative amount", name.node),
            format!("`deducts` takes the amount off: write `expect {} deducts {words} in ...`, or `pays -{words}`", name.node),
        ))
    } else if !deducts && kind == Some(Kind::Deduction) && amount > rust_decimal::Decimal::ZERO {
        Some((
            format!(
                "deduction `{}` takes money off, but is expected to pay {words}",
                name.node
            ),
            format!("a deduction's lines are negative: write `expect {} deducts {words} in ...`, or `pays -{words}`", name.node),
        ))
    } else {
        None
    };
    if let Some((message, help)) = problem {
        ctx.report(
            Diagnostic::new(Code::WrongSign, file, span, message, "the wrong sign").with_help(help),
        );
    }
}

fn date(ctx: &mut Ctx, file: FileId, on: Spanned<ast::DateLit>) {
    if calendar::date(on.node).is_none() {
        ctx.report(invalid_date(on.span, file));
    }
}

fn given(ctx: &mut Ctx, file: FileId, name: &ast::Name, value: Spanned<GivenValue>) {
    let Some(symbol) = ctx.symbols.resolve(
        name,
        &[
            Kind::Indicator,
            Kind::Factor,
            Kind::Flag,
            Kind::Input,
            Kind::Derived,
        ],
        file,
        &mut ctx.diagnostics,
    ) else {
        return;
    };
    if symbol.kind == Kind::Derived {
        ctx.report(
            Diagnostic::new(
                Code::WrongKindOfName,
                file,
                name.span,
                format!(
                    "`{}` is a derived value: obc works it out, so a test cannot give it",
                    name.node
                ),
                "worked out from its inputs",
            )
            .with_help("give the inputs and indicators it is worked out from instead"),
        );
        return;
    }
    if symbol.kind == Kind::Input {
        let unit = ctx.inputs.get(name.node.as_str()).map(|i| i.unit);
        match (value.node, unit) {
            (GivenValue::Measure(measure), Some(unit)) => {
                ctx.value_of(Spanned::new(measure, value.span), &name.node, unit, "the given value", file);
            }
            (GivenValue::Measure(_), None) => {}
            _ => ctx.report(
                Diagnostic::new(
                    Code::UnitMismatch,
                    file,
                    value.span,
                    format!("`{}` is an input, a single figure, but is given as a proportion or `yes`/`no`", name.node),
                    "not a single figure",
                )
                .with_help("give the input's figure, such as `9,800` or `£52,000`"),
            ),
        }
        return;
    }
    let wrong = |ctx: &mut Ctx, written: &str, help: &str| {
        ctx.report(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                value.span,
                format!(
                    "`{}` is {} but is given {written}",
                    name.node,
                    symbol.kind.article_noun()
                ),
                written.to_string(),
            )
            .with_help(help.to_string()),
        );
    };
    match (symbol.kind, value.node) {
        (Kind::Flag, GivenValue::YesNo(_)) => {}
        (Kind::Flag, _) => wrong(ctx, "a value", "a flag is given `yes` or `no`"),
        (_, GivenValue::YesNo(_)) => wrong(
            ctx,
            "`yes` or `no`",
            "only flags are given `yes` or `no`: give a value",
        ),
        (Kind::Factor, GivenValue::Measure(ast::Measure::Number(_))) => {}
        (Kind::Factor, _) => wrong(
            ctx,
            "a value with a unit",
            "a factor is a plain number such as `1.02`",
        ),
        (_, GivenValue::Measure(measure)) => {
            if let Some(unit) = ctx.indicators.get(name.node.as_str()).and_then(|i| i.unit) {
                ctx.value_of(
                    Spanned::new(measure, value.span),
                    &name.node,
                    unit,
                    "the given value",
                    file,
                );
            }
        }
        (
            _,
            GivenValue::Fraction {
                numerator,
                denominator,
                excluded,
            },
        ) => {
            let takes_exclusions = ctx
                .indicators
                .get(name.node.as_str())
                .is_some_and(|i| i.exclusions);
            if excluded.is_some() && !takes_exclusions {
                ctx.report(
                    Diagnostic::new(
                        Code::MisplacedSetting,
                        file,
                        value.span,
                        format!("`{}` does not take exclusions off its denominator", name.node),
                        "exclusions given",
                    )
                    .with_help("add `exclusions come off the denominator` to the indicator, or give the value without `excluding`"),
                );
                return;
            }
            let left = denominator - excluded.unwrap_or_default();
            if excluded.is_some_and(|e| e > denominator) || (excluded.is_some() && left.is_zero()) {
                let message = if left.is_zero() {
                    "every case in the denominator is excluded, leaving none"
                } else {
                    "more cases are excluded than the denominator holds"
                };
                ctx.report(
                    Diagnostic::new(
                        Code::ValueOutOfRange,
                        file,
                        value.span,
                        message,
                        "nothing left",
                    )
                    .with_help("the cases excluded come off the denominator: `540 of 900 excluding 180` leaves 720"),
                );
                return;
            }
            if left == Decimal::ZERO || numerator > left {
                ctx.report(
                    Diagnostic::new(
                        Code::ValueOutOfRange,
                        file,
                        value.span,
                        "the numerator must be between 0 and a denominator above 0",
                        "not a proportion",
                    )
                    .with_help("give the number that met the measure out of the number eligible, such as `172 of 200`"),
                );
            }
        }
    }
}
