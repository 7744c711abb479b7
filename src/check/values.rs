//! Inputs (figures supplied with the data, such as a list size) and derived values (worked out
//! from inputs, indicators and constants): their units, ranges and rounding, what each
//! calculation refers to, calculations that refer to each other in a circle, and the units of
//! the arithmetic (money ÷ money is a plain number; a count plus a percentage is a mistake).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::names::Kind;
use super::settings::{missing, report_duplicates};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, Block, DerivedSetting as D, Expr, Function, InputSetting as I, Measure, Operator,
    Spanned, Unit,
};
use crate::units::{self, Dimension};

/// The most decimal places a derived value may be rounded to: what a decimal holds.
const MOST_PLACES: u32 = 20;

pub(super) fn check(ctx: &mut Ctx) {
    let blocks: Vec<(FileId, &ast::Block)> = ctx.blocks().collect();
    for (file, block) in &blocks {
        if let Block::Input(input) = block {
            input_block(ctx, *file, input);
        }
    }
    let derived: Vec<(FileId, &ast::Derived)> = blocks
        .iter()
        .filter_map(|(file, block)| match block {
            Block::Derived(d) => Some((*file, d)),
            _ => None,
        })
        .collect();
    // Calculations first, so that each one's unit can be worked out from the others'.
    let mut written: BTreeMap<String, (FileId, &ast::Derived, Option<model::Expr>)> =
        BTreeMap::new();
    for (file, block) in &derived {
        report_duplicates(
            &block.settings,
            *file,
            |_| false,
            |_| 0,
            |s| match s {
                D::Equals(_) => "equals",
                D::Rounded(_) => "rounded",
                D::Range(..) => "range",
                D::Description(_) => "description",
            },
            &mut ctx.diagnostics,
        );
        let equals = block.settings.iter().find_map(|s| match &s.node {
            D::Equals(e) => Some(e),
            _ => None,
        });
        let expr = match equals {
            Some(expr) => resolve(ctx, *file, expr),
            None => {
                ctx.report(missing(
                    *file,
                    block.name.span,
                    format!(
                        "derived value `{}` does not say how it is worked out",
                        block.name.node
                    ),
                    "add a line such as `equals list_size / national_list_size`",
                ));
                None
            }
        };
        written.insert(block.name.node.clone(), (*file, *block, expr));
    }
    let mut dimensions: HashMap<String, Option<Dimension>> = HashMap::new();
    for name in written.keys().cloned().collect::<Vec<_>>() {
        let mut path = Vec::new();
        dimension_of(ctx, &written, &name, &mut dimensions, &mut path);
    }
    for (name, (file, block, expr)) in &written {
        let (Some(expr), Some(Some(dimension))) = (expr, dimensions.get(name)) else {
            continue;
        };
        let mut places = None;
        let mut range = None;
        let mut complete = true;
        for setting in &block.settings {
            match &setting.node {
                D::Rounded(p) => {
                    if p.node > MOST_PLACES {
                        ctx.report(
                            Diagnostic::new(
                                Code::ValueOutOfRange,
                                *file,
                                p.span,
                                format!("a value cannot be rounded to {} decimal places", p.node),
                                "too many places",
                            )
                            .with_help(format!("round to at most {MOST_PLACES} decimal places")),
                        );
                        complete = false;
                    }
                    places = Some(p.node);
                }
                D::Range(from, to) => {
                    range = derived_range(ctx, *file, name, *from, *to, *dimension);
                    complete &= range.is_some();
                }
                D::Equals(_) | D::Description(_) => {}
            }
        }
        if complete {
            let equals = block.settings.iter().find_map(|s| match &s.node {
                D::Equals(e) => Some(e.span),
                _ => None,
            });
            ctx.derived.insert(
                name.clone(),
                model::Derived {
                    defined_at: (*file, block.name.span),
                    name: name.clone(),
                    title: block.title.as_ref().map(|t| t.node.clone()),
                    expr: expr.clone(),
                    written: equals.map(|s| ctx.text(*file, s)).unwrap_or_default(),
                    places,
                    range,
                    dimension: *dimension,
                },
            );
        }
    }
}

fn input_block(ctx: &mut Ctx, file: FileId, input: &ast::Input) {
    report_duplicates(
        &input.settings,
        file,
        |_| false,
        |_| 0,
        |s| match s {
            I::Unit(_) => "unit",
            I::Range(..) => "range",
            I::CombinePeriods(_) => "combine periods",
            I::Description(_) => "description",
        },
        &mut ctx.diagnostics,
    );
    let name = input.name.node.as_str();
    let unit = input
        .settings
        .iter()
        .find_map(|s| match s.node {
            I::Unit(unit) => Some(unit),
            _ => None,
        })
        .unwrap_or(Unit::Ratio);
    let mut combine = None;
    for setting in &input.settings {
        if let I::CombinePeriods(rule) = setting.node {
            super::indicators::combinable(ctx, file, name, unit, rule, setting.span);
            combine = Some(rule);
        }
    }
    let mut range = None;
    for setting in &input.settings {
        if let I::Range(from, to) = setting.node {
            range = value_range(ctx, file, name, from, to, unit);
            if range.is_none() {
                return;
            }
        }
    }
    ctx.inputs.insert(
        name.to_string(),
        model::Input {
            defined_at: (file, input.name.span),
            name: name.to_string(),
            title: input.title.as_ref().map(|t| t.node.clone()),
            unit,
            range,
            combine,
        },
    );
}

/// A derived value's `range`, in the value's own terms: a plain number's range may be written
/// as percentages (`range 0% to 10%` is 0 to 0.1), money's in money, anything else as numbers.
fn derived_range(
    ctx: &mut Ctx,
    file: FileId,
    name: &str,
    from: Spanned<Measure>,
    to: Spanned<Measure>,
    dimension: Dimension,
) -> Option<(Decimal, Decimal)> {
    let value = |ctx: &mut Ctx, m: Spanned<Measure>| match m.node {
        Measure::Percent(p) if dimension.is_plain() => Some(p / Decimal::ONE_HUNDRED),
        Measure::Number(n) if !dimension.same_as(Dimension::MONEY) => Some(n),
        Measure::Money(_) if dimension.same_as(Dimension::MONEY) => {
            ctx.value_of(m, name, Unit::Money, "the range", file)
        }
        _ => {
            ctx.report(
                Diagnostic::new(
                    Code::UnitMismatch,
                    file,
                    m.span,
                    format!("the range of `{name}` is not written in its unit, {}", dimension.words()),
                    "another unit",
                )
                .with_help(if dimension.same_as(Dimension::MONEY) {
                    "write the range in money, such as `range £0 to £10,000`"
                } else if dimension.is_plain() {
                    "write the range as numbers or percentages, such as `range 0.5 to 2` or `range 0% to 10%`"
                } else {
                    "write the range as numbers, such as `range 0 to 100,000`"
                }),
            );
            None
        }
    };
    let (lo, hi) = (value(ctx, from), value(ctx, to));
    let (lo, hi) = (lo?, hi?);
    if lo > hi {
        ctx.report(
            Diagnostic::new(
                Code::FloorAboveCeiling,
                file,
                from.span.cover(to.span),
                format!("the range of `{name}` runs from its highest value down to its lowest"),
                "lowest value above highest",
            )
            .with_help("write the lowest value first: `range 0.5 to 2`"),
        );
        return None;
    }
    Some((lo, hi))
}

/// `range A to B` in the value's unit, reporting a range that runs backwards.
fn value_range(
    ctx: &mut Ctx,
    file: FileId,
    name: &str,
    from: Spanned<Measure>,
    to: Spanned<Measure>,
    unit: Unit,
) -> Option<(Decimal, Decimal)> {
    let lo = ctx.value_of(from, name, unit, "the range", file);
    let hi = ctx.value_of(to, name, unit, "the range", file);
    let (lo, hi) = (lo?, hi?);
    if lo > hi {
        let currency = ctx.currency();
        ctx.report(
            Diagnostic::new(
                Code::FloorAboveCeiling,
                file,
                from.span.cover(to.span),
                format!(
                    "the range of `{name}` runs from {} down to {}",
                    units::format_value(lo, unit, currency),
                    units::format_value(hi, unit, currency)
                ),
                "lowest value above highest",
            )
            .with_help("write the lowest value first: `range 0 to 100,000`"),
        );
        return None;
    }
    Some((lo, hi))
}

/// A calculation with its names resolved, reporting names that are not inputs, derived values
/// or indicators, and money in another currency. `None` when any part is unusable.
fn resolve(ctx: &mut Ctx, file: FileId, expr: &Spanned<Expr>) -> Option<model::Expr> {
    let written = ctx.text(file, expr.span);
    Some(match &expr.node {
        Expr::Number(n) => model::Expr::Constant { value: *n, written },
        Expr::Percent(p) => model::Expr::Constant {
            value: *p / Decimal::ONE_HUNDRED,
            written,
        },
        Expr::Money(m) => {
            let amount = ctx.money(Spanned::new(*m, expr.span), file)?;
            model::Expr::Constant {
                value: amount,
                written,
            }
        }
        Expr::Name(name) => {
            let symbol = ctx.symbols.resolve(
                name,
                &[Kind::Input, Kind::Derived, Kind::Indicator, Kind::Factor],
                file,
                &mut ctx.diagnostics,
            )?;
            if matches!(symbol.kind, Kind::Input | Kind::Derived) {
                ctx.value_uses.insert(name.node.clone());
            }
            match symbol.kind {
                Kind::Input => model::Expr::Input(name.node.clone()),
                Kind::Derived => model::Expr::Derived(name.node.clone()),
                Kind::Indicator => {
                    ctx.used
                        .insert(ctx.symbols.by_name.get_key_value(name.node.as_str())?.0);
                    model::Expr::Indicator(name.node.clone())
                }
                _ => {
                    ctx.report(
                        Diagnostic::new(
                            Code::WrongKindOfName,
                            file,
                            name.span,
                            format!("`{}` is a factor, which a calculation cannot use", name.node),
                            "a factor",
                        )
                        .with_help(format!(
                            "a factor is given on each indicator's rows; declare a figure a calculation uses as an `input` instead: `input {} \"...\"`",
                            name.node
                        )),
                    );
                    return None;
                }
            }
        }
        Expr::Numerator(name) | Expr::Denominator(name) => {
            ctx.symbols
                .resolve(name, &[Kind::Indicator], file, &mut ctx.diagnostics)?;
            ctx.used
                .insert(ctx.symbols.by_name.get_key_value(name.node.as_str())?.0);
            if matches!(expr.node, Expr::Numerator(_)) {
                model::Expr::Numerator(name.node.clone())
            } else {
                model::Expr::Denominator(name.node.clone())
            }
        }
        Expr::Brackets(inner) => resolve(ctx, file, inner)?,
        Expr::Binary { op, left, right } => {
            let (l, r) = (resolve(ctx, file, left), resolve(ctx, file, right));
            model::Expr::Op(*op, Box::new(l?), Box::new(r?))
        }
        Expr::Call { function, args } => {
            let resolved: Vec<Option<model::Expr>> =
                args.iter().map(|a| resolve(ctx, file, a)).collect();
            let resolved: Vec<model::Expr> = resolved.into_iter().collect::<Option<_>>()?;
            match function {
                Function::Min => model::Expr::Min(resolved),
                Function::Max => model::Expr::Max(resolved),
            }
        }
    })
}

/// The dimension of a derived value, working out those it refers to first and reporting a
/// circle of values worked out from each other. `None` when it cannot be worked out.
fn dimension_of(
    ctx: &mut Ctx,
    written: &BTreeMap<String, (FileId, &ast::Derived, Option<model::Expr>)>,
    name: &str,
    known: &mut HashMap<String, Option<Dimension>>,
    path: &mut Vec<String>,
) -> Option<Dimension> {
    if let Some(known) = known.get(name) {
        return *known;
    }
    let (file, block, _) = written.get(name)?;
    if let Some(start) = path.iter().position(|p| p == name) {
        let circle = path[start..].to_vec();
        report_circle(ctx, *file, block.name.span, &circle);
        for member in &circle {
            known.insert(member.clone(), None);
        }
        return None;
    }
    path.push(name.to_string());
    let equals = block.settings.iter().find_map(|s| match &s.node {
        D::Equals(e) => Some(e),
        _ => None,
    });
    let dimension = match equals {
        Some(expr) => expression_dimension(ctx, *file, expr, written, known, path),
        None => None,
    };
    path.pop();
    // A member of a circle already reported keeps its `None`.
    known.entry(name.to_string()).or_insert(dimension);
    known.get(name).copied().flatten()
}

fn report_circle(ctx: &mut Ctx, file: FileId, span: Span, circle: &[String]) {
    let steps: Vec<String> = circle
        .iter()
        .zip(circle.iter().cycle().skip(1))
        .map(|(a, b)| format!("`{a}` is worked out from `{b}`"))
        .collect();
    ctx.report(
        Diagnostic::new(
            Code::CircularCalculation,
            file,
            span,
            format!("derived values are worked out from each other in a circle: {}", steps.join(", ")),
            "worked out from itself",
        )
        .with_help("work each value out from inputs, indicators and constants, or from values that do not lead back to it"),
    );
}

/// The dimension of an expression as written, reporting arithmetic across units that do not
/// mix (a count plus a percentage, money compared with a count).
fn expression_dimension(
    ctx: &mut Ctx,
    file: FileId,
    expr: &Spanned<Expr>,
    written: &BTreeMap<String, (FileId, &ast::Derived, Option<model::Expr>)>,
    known: &mut HashMap<String, Option<Dimension>>,
    path: &mut Vec<String>,
) -> Option<Dimension> {
    let mut of =
        |ctx: &mut Ctx, e: &Spanned<Expr>| expression_dimension(ctx, file, e, written, known, path);
    match &expr.node {
        Expr::Number(_) => Some(Dimension::NUMBER),
        Expr::Percent(_) => Some(Dimension::PERCENT),
        Expr::Money(_) => Some(Dimension::MONEY),
        Expr::Numerator(_) | Expr::Denominator(_) => Some(Dimension::COUNT),
        Expr::Name(name) => {
            let name = name.node.as_str();
            if written.contains_key(name) {
                return dimension_of(ctx, written, name, known, path);
            }
            if let Some(input) = ctx.inputs.get(name) {
                return Some(Dimension::of_unit(input.unit));
            }
            ctx.indicators
                .get(name)
                .and_then(|i| i.unit)
                .map(Dimension::of_unit)
        }
        Expr::Brackets(inner) => of(ctx, inner),
        Expr::Binary { op, left, right } => {
            let (l, r) = (of(ctx, left), of(ctx, right));
            let (l, r) = (l?, r?);
            match op {
                Operator::Multiply => Some(l.times(r)),
                Operator::Divide => Some(l.divided_by(r)),
                Operator::Add | Operator::Subtract => {
                    if !l.same_as(r) {
                        report_mixed(ctx, file, expr.span, left.span, right.span, l, r, op.sign());
                        return None;
                    }
                    Some(Dimension {
                        percent: l.percent && r.percent,
                        ..l
                    })
                }
            }
        }
        Expr::Call { function, args } => {
            let dims: Vec<Option<Dimension>> = args.iter().map(|a| of(ctx, a)).collect();
            let dims: Vec<Dimension> = dims.into_iter().collect::<Option<_>>()?;
            let first = *dims.first()?;
            if let Some((index, other)) = dims.iter().enumerate().find(|(_, d)| !d.same_as(first)) {
                let word = match function {
                    Function::Min => "min",
                    Function::Max => "max",
                };
                report_mixed(
                    ctx,
                    file,
                    expr.span,
                    args[0].span,
                    args[index].span,
                    first,
                    *other,
                    word,
                );
                return None;
            }
            Some(Dimension {
                percent: dims.iter().all(|d| d.percent),
                ..first
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report_mixed(
    ctx: &mut Ctx,
    file: FileId,
    span: Span,
    left: Span,
    right: Span,
    l: Dimension,
    r: Dimension,
    operator: &str,
) {
    let text = ctx.text(file, span);
    let verb = match operator {
        "+" => "adds",
        "−" => "takes",
        _ => "compares",
    };
    let message = match operator {
        "−" => format!("`{text}` takes {} from {}", r.words(), l.words()),
        _ => format!("`{text}` {verb} {} and {}", l.words(), r.words()),
    };
    ctx.report(
        Diagnostic::new(Code::UnitMismatch, file, span, message, "units that do not mix")
            .with_label(left, l.words())
            .with_label(right, r.words())
            .with_help(format!(
                "both sides of `{operator}` must be in the same unit: multiply or divide first (a share of a count is `5% × attendances`; a count per person is `register / list_size`)"
            )),
    );
}
