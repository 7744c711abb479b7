//! Derived values worked out for one period: each input read from its row for the period (or a
//! row covering it), each indicator's value, numerator or denominator found as a payment finds
//! it, the arithmetic done in exact decimals, then the value's rounding and range. Every value
//! is worked out once per period and reused, so two payments using it get the same figure, and
//! the steps are kept in words for the explanation of every line that uses it.

use rust_decimal::Decimal;

use super::Run;
use crate::calendar::Period;
use crate::data::RowRef;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Derived, Expr};
use crate::syntax::ast::{Operator, Unit};
use crate::units::{format_number, format_value, Dimension};

/// A derived value for a period, with how it was worked out and the rows it read.
#[derive(Clone, Debug)]
pub(crate) struct Worked {
    pub value: Decimal,
    /// The value as a reader sees it: `1.1558`, `75%`, `£120`.
    pub shown: String,
    /// The steps, the values it is worked out from first.
    pub steps: Vec<String>,
    pub rows: Vec<RowRef>,
}

/// Why a derived value cannot be worked out for a period.
#[derive(Clone, Debug)]
pub(crate) enum Problem {
    /// Data it needs is not there: what, in words, and the declaration to point at.
    Missing {
        what: String,
        defined_at: (crate::source::FileId, crate::source::Span),
    },
    /// Already reported as a diagnostic.
    Reported,
}

/// An operand's value for the period, with how it reads in words.
struct Operand {
    value: Decimal,
    shown: String,
}

/// The value of derived value `name` for `period`, worked out once and kept. A problem is
/// reported once, as a diagnostic, when it is found; later uses see [`Problem::Reported`].
pub(crate) fn derived(run: &mut Run, name: &str, period: &Period) -> Result<Worked, Problem> {
    let key = (name.to_string(), period.start, period.end);
    if let Some(known) = run.values.get(&key) {
        return known.clone();
    }
    let result = match run.contract.derived.get(name).cloned() {
        Some(derived) => work_out(run, &derived, period),
        None => Err(Problem::Reported),
    };
    let kept = match &result {
        Err(Problem::Missing { .. }) | Ok(_) => result.clone(),
        Err(Problem::Reported) => Err(Problem::Reported),
    };
    run.values.insert(key, kept);
    result
}

fn work_out(run: &mut Run, derived: &Derived, period: &Period) -> Result<Worked, Problem> {
    let mut steps = Vec::new();
    let mut rows = Vec::new();
    let exact = evaluate(run, derived, &derived.expr, period, &mut steps, &mut rows)?;
    let value = match derived.places {
        Some(places) => run.contract.rounding.round_to_places(exact.value, places),
        None => exact.value,
    };
    let shown = match derived.places {
        // Rounded to places: shown with them all (1.10, not 1.1).
        Some(places) => {
            let mut fixed = value;
            if !(derived.dimension.percent && derived.dimension.is_plain()) {
                fixed.rescale(places);
            }
            show(fixed, derived.dimension, run)
        }
        None => show(value, derived.dimension, run),
    };
    let mut step = format!(
        "`{}` for {} is {} = {}",
        derived.name,
        period.label,
        exact.shown,
        show_exact(exact.value, derived.dimension, Some(run))
    );
    if let Some(places) = derived.places {
        step.push_str(&format!(
            ", rounded to {places} decimal place{}: {shown}",
            if places == 1 { "" } else { "s" }
        ));
    }
    steps.push(step);
    if let Some((lo, hi)) = derived.range {
        // The range is in the value's own terms (a percentage as a fraction).
        if value < lo || value > hi {
            let (file, span) = derived.defined_at;
            run.diagnostics.push(
                Diagnostic::new(
                    Code::DerivedValueOutOfRange,
                    file,
                    span,
                    format!(
                        "`{}` for {} works out at {}, outside its range of {} to {}",
                        derived.name,
                        period.label,
                        show_exact(value, derived.dimension, Some(run)),
                        show(lo, derived.dimension, run),
                        show(hi, derived.dimension, run)
                    ),
                    "outside its range",
                )
                .with_help(format!(
                    "{}; check the figures it is worked out from, or widen its range",
                    steps.join("; ")
                )),
            );
            return Err(Problem::Reported);
        }
    }
    steps.push(super::exercised_step(&super::Exercised::Value(
        derived.name.clone(),
    )));
    Ok(Worked {
        value,
        shown,
        steps,
        rows,
    })
}

/// How tightly an operator binds, to put brackets back where a reader needs them.
fn binding(op: Operator) -> u8 {
    match op {
        Operator::Add | Operator::Subtract => 1,
        Operator::Multiply | Operator::Divide => 2,
    }
}

fn evaluate(
    run: &mut Run,
    derived: &Derived,
    expr: &Expr,
    period: &Period,
    steps: &mut Vec<String>,
    rows: &mut Vec<RowRef>,
) -> Result<Operand, Problem> {
    let currency = run.currency();
    Ok(match expr {
        Expr::Constant { value, written } => Operand {
            value: *value,
            shown: written.clone(),
        },
        Expr::Input(name) | Expr::Indicator(name) => {
            let unit = run.contract.unit_of(name).unwrap_or(Unit::Ratio);
            let found = run
                .measure(name, period, None)
                .map_err(|_| Problem::Reported)?;
            let Some(measured) = found else {
                let defined_at = match expr {
                    Expr::Input(_) => run.contract.inputs.get(name).map(|i| i.defined_at),
                    _ => run.contract.indicators.get(name).map(|i| i.defined_at),
                };
                let kind = if matches!(expr, Expr::Input(_)) {
                    "input "
                } else {
                    ""
                };
                return Err(match defined_at {
                    Some(defined_at) => Problem::Missing {
                        what: format!("{kind}`{name}` in {}", period.label),
                        defined_at,
                    },
                    None => Problem::Reported,
                });
            };
            rows.extend(measured.rows.iter().map(|o| o.row));
            run.used_rows.extend(measured.rows.iter().map(|o| o.row));
            steps.push(measured.how.clone());
            let value = if unit == Unit::Percent {
                measured.value / Decimal::ONE_HUNDRED
            } else {
                measured.value
            };
            Operand {
                value,
                shown: format_value(measured.value.round_dp(6).normalize(), unit, currency),
            }
        }
        Expr::Numerator(name) | Expr::Denominator(name) => {
            let numerator = matches!(expr, Expr::Numerator(_));
            let word = if numerator {
                "numerator"
            } else {
                "denominator"
            };
            let found = run
                .measure(name, period, None)
                .map_err(|_| Problem::Reported)?;
            let Some(measured) = found else {
                let Some(indicator) = run.contract.indicators.get(name) else {
                    return Err(Problem::Reported);
                };
                return Err(Problem::Missing {
                    what: format!("`{name}` in {}", period.label),
                    defined_at: indicator.defined_at,
                });
            };
            // The denominator as given: exclusions change an indicator's share, not its register.
            let count = if numerator {
                measured.numerator
            } else {
                measured.denominator_given()
            };
            let Some(count) = count else {
                let cited: Vec<String> =
                    measured.rows.iter().map(|o| run.row_name(o.row)).collect();
                let (file, span) = measured.located(derived.defined_at);
                run.diagnostics.push(
                    Diagnostic::new(
                        Code::CalculationFailed,
                        file,
                        span,
                        format!(
                            "`{}` needs the {word} of `{name}` for {}, but its data gives only a value ({})",
                            derived.name,
                            period.label,
                            cited.join(", ")
                        ),
                        format!("no {word}"),
                    )
                    .with_help(format!("give `{name}` as a numerator and a denominator for {}", period.label)),
                );
                return Err(Problem::Reported);
            };
            rows.extend(measured.rows.iter().map(|o| o.row));
            run.used_rows.extend(measured.rows.iter().map(|o| o.row));
            steps.push(measured.how.clone());
            steps.push(format!(
                "the {word} of `{name}` for {} is {}",
                period.label,
                format_number(count.normalize())
            ));
            Operand {
                value: count,
                shown: format_number(count.normalize()),
            }
        }
        Expr::Derived(name) => {
            let worked = derived_of(run, name, period)?;
            steps.extend(worked.steps.iter().cloned());
            rows.extend(worked.rows.iter().copied());
            let dimension = run
                .contract
                .derived
                .get(name)
                .map(|d| d.dimension)
                .unwrap_or_default();
            let places = run.contract.derived.get(name).and_then(|d| d.places);
            Operand {
                value: worked.value,
                shown: if places.is_some() {
                    worked.shown.clone()
                } else {
                    show_exact(worked.value, dimension, Some(run))
                },
            }
        }
        Expr::Op(op, left, right) => {
            let l = evaluate(run, derived, left, period, steps, rows)?;
            let r = evaluate(run, derived, right, period, steps, rows)?;
            let wrap = |e: &Expr, shown: String, right_side: bool| match e {
                Expr::Op(inner, ..)
                    if binding(*inner) < binding(*op)
                        || (right_side
                            && binding(*inner) == binding(*op)
                            && matches!(op, Operator::Subtract | Operator::Divide)) =>
                {
                    format!("({shown})")
                }
                _ => shown,
            };
            let shown = format!(
                "{} {} {}",
                wrap(left, l.shown, false),
                op.sign(),
                wrap(right, r.shown, true)
            );
            let value = match op {
                Operator::Add => l.value.checked_add(r.value),
                Operator::Subtract => l.value.checked_sub(r.value),
                Operator::Multiply => l.value.checked_mul(r.value),
                Operator::Divide if r.value.is_zero() => {
                    let (file, span) = rows
                        .last()
                        .map(|r| (r.file, r.span))
                        .unwrap_or(derived.defined_at);
                    let cited: Vec<String> = rows.iter().map(|r| run.row_name(*r)).collect();
                    run.diagnostics.push(
                        Diagnostic::new(
                            Code::CalculationFailed,
                            file,
                            span,
                            format!(
                                "`{}` for {} divides by zero: {shown}",
                                derived.name, period.label
                            ),
                            "makes it divide by zero",
                        )
                        .with_help(format!(
                            "`{}` is `{}`; check the figures for {}{}",
                            derived.name,
                            derived.written,
                            period.label,
                            if cited.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", cited.join(", "))
                            }
                        )),
                    );
                    return Err(Problem::Reported);
                }
                Operator::Divide => l.value.checked_div(r.value),
            };
            let Some(value) = value.filter(|v| crate::syntax::literal::within_range(*v)) else {
                let (file, span) = derived.defined_at;
                run.diagnostics.push(
                    Diagnostic::new(
                        Code::CalculationFailed,
                        file,
                        span,
                        format!(
                            "`{}` for {} works out larger than obc calculates with: {shown}",
                            derived.name, period.label
                        ),
                        "too large",
                    )
                    .with_help("check the figures for extra digits: obc calculates with numbers up to 1,000,000,000,000"),
                );
                return Err(Problem::Reported);
            };
            Operand { value, shown }
        }
        Expr::Min(args) | Expr::Max(args) => {
            let mut values = Vec::new();
            for arg in args {
                values.push(evaluate(run, derived, arg, period, steps, rows)?);
            }
            let least = matches!(expr, Expr::Min(_));
            let picked = values
                .iter()
                .map(|o| o.value)
                .reduce(|a, b| if least { a.min(b) } else { a.max(b) })
                .unwrap_or_default();
            Operand {
                value: picked,
                shown: format!(
                    "{}({})",
                    if least { "min" } else { "max" },
                    values
                        .iter()
                        .map(|o| o.shown.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    })
}

/// The value of an input or derived value for a period, as an adjustment factor uses it.
/// Where an input or a derived value is declared.
pub(crate) fn defined_at(run: &Run, name: &str) -> (crate::source::FileId, crate::source::Span) {
    run.contract
        .inputs
        .get(name)
        .map(|i| i.defined_at)
        .or_else(|| run.contract.derived.get(name).map(|d| d.defined_at))
        .unwrap_or_default()
}

pub(crate) fn named(run: &mut Run, name: &str, period: &Period) -> Result<Worked, Problem> {
    let Some(input) = run.contract.inputs.get(name).cloned() else {
        return derived(run, name, period);
    };
    let found = run
        .measure(name, period, None)
        .map_err(|_| Problem::Reported)?;
    let Some(measured) = found else {
        return Err(Problem::Missing {
            what: format!("input `{name}` in {}", period.label),
            defined_at: input.defined_at,
        });
    };
    let rows: Vec<RowRef> = measured.rows.iter().map(|o| o.row).collect();
    run.used_rows.extend(rows.iter().copied());
    let value = if input.unit == Unit::Percent {
        measured.value / Decimal::ONE_HUNDRED
    } else {
        measured.value
    };
    Ok(Worked {
        value,
        shown: format_value(measured.value.normalize(), input.unit, run.currency()),
        steps: vec![measured.how.clone()],
        rows,
    })
}

/// Another derived value, worked out for the same period (and kept for its other uses).
fn derived_of(run: &mut Run, name: &str, period: &Period) -> Result<Worked, Problem> {
    derived(run, name, period)
}

/// A value as a reader sees it, in its dimension: a percentage, money or a plain number.
fn show(value: Decimal, dimension: Dimension, run: &Run) -> String {
    if dimension.percent && dimension.is_plain() {
        format!(
            "{}%",
            format_number((value * Decimal::ONE_HUNDRED).normalize())
        )
    } else if dimension.same_as(Dimension::MONEY) {
        let symbol = run.currency().symbol().symbol();
        let text = format_number(value.abs().normalize());
        if value.is_sign_negative() && !value.is_zero() {
            format!("-{symbol}{text}")
        } else {
            format!("{symbol}{text}")
        }
    } else {
        format_number(value.normalize())
    }
}

/// A plain number to ten decimal places at most, marked `…` where it goes on.
pub(crate) fn exact_number(value: Decimal) -> String {
    show_exact(value, Dimension::NUMBER, None)
}

/// An unrounded value, to ten decimal places at most, marked `…` where it goes on.
fn show_exact(value: Decimal, dimension: Dimension, run: Option<&Run>) -> String {
    let shown = value.round_dp(10);
    let text = match run {
        Some(run) => show(shown, dimension, run),
        None => format_number(shown.normalize()),
    };
    if shown == value {
        text
    } else {
        format!("{text}…")
    }
}

/// A derived value's problem, as a diagnostic: missing data is reported as other missing data is.
pub(crate) fn report(run: &mut Run, problem: Problem, name: &str, needed_by: &str) {
    if let Problem::Missing { what, defined_at } = problem {
        run.missing_data(defined_at, &what, &format!("`{name}` for {needed_by}"));
    }
}
