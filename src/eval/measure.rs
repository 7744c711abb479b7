//! Finding an indicator's value for an assessment period, and deciding gateways.

use rust_decimal::Decimal;

use super::Run;
use crate::calendar::Period;
use crate::data::Observation;
use crate::model::{Gateway, Requirement};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Combine, Comparison, Unit};
use crate::units::{format_number, format_value};

/// An indicator's value for a period, and the rows it came from.
pub(crate) struct Measured<'d> {
    pub value: Decimal,
    pub numerator: Option<Decimal>,
    /// The denominator after any exclusions: what the value is a share of.
    pub denominator: Option<Decimal>,
    /// Cases excluded from the denominator.
    pub excluded: Option<Decimal>,
    pub comparison: Option<Decimal>,
    pub rows: Vec<&'d Observation>,
    /// How the value was found, in words.
    pub how: String,
}

impl Measured<'_> {
    /// The denominator as the data gave it, before exclusions.
    pub fn denominator_given(&self) -> Option<Decimal> {
        self.denominator
            .map(|d| d + self.excluded.unwrap_or_default())
    }

    /// Where to point a finding about the value: its first row, or `fallback` (the block that
    /// defines what was measured) when it has none.
    pub fn located(&self, fallback: (FileId, Span)) -> (FileId, Span) {
        self.rows
            .first()
            .map(|o| (o.row.file, o.row.span))
            .unwrap_or(fallback)
    }
}

/// Why rows that cover a period cannot be combined into its value.
pub(crate) struct NotCombinable<'d> {
    pub message: String,
    pub help: String,
    pub rows: Vec<&'d Observation>,
}

/// How `name`'s rows combine unless a payment says otherwise: an indicator's way (pooling by
/// default); an input's, where the contract states it (otherwise they are not combined).
pub(crate) fn default_combine(run: &Run, name: &str) -> Option<Combine> {
    match run.contract.indicators.get(name) {
        Some(indicator) => Some(indicator.combine),
        None => run.contract.inputs.get(name).and_then(|i| i.combine),
    }
}

/// The value of `name` for `period`: a row for exactly that period; else a row whose period
/// contains it (an annual rating used for each quarter); else rows that together cover it
/// exactly, combined by `combine` (pooled numerators over denominators by default, counts and
/// amounts added up). `Ok(None)` when the rows do not cover the period; an error when they do
/// but cannot be combined that way (rates without counts cannot be pooled).
pub(crate) fn find<'d>(
    run: &Run<'d>,
    name: &str,
    period: &Period,
    combine: Option<Combine>,
) -> Result<Option<Measured<'d>>, NotCombinable<'d>> {
    let rows: Vec<&'d Observation> = run
        .data
        .observations
        .iter()
        .filter(|o| o.indicator == name)
        .collect();
    let unit = run.contract.unit_of(name).unwrap_or(Unit::Count);
    // An input is a figure for a period (a list size, a national average): a row for a longer
    // period stands for a shorter one whatever its unit.
    let is_input = run.contract.inputs.contains_key(name);
    let currency = run.currency();
    let shown = |v: Decimal| format_value(round4(v), unit, currency);
    let describe = |o: &Observation| match (o.numerator, o.denominator, o.excluded) {
        (Some(n), Some(d), Some(e)) => format!(
            "`{name}` for {} was {} of {} ({} less {} excluded) = {} ({})",
            o.period.label,
            format_number(n.normalize()),
            format_number((d - e).normalize()),
            format_number(d.normalize()),
            format_number(e.normalize()),
            shown(o.value),
            run.row_name(o.row)
        ),
        (Some(n), Some(d), None) => format!(
            "`{name}` for {} was {} of {} = {} ({})",
            o.period.label,
            format_number(n.normalize()),
            format_number(d.normalize()),
            shown(o.value),
            run.row_name(o.row)
        ),
        _ => format!(
            "`{name}` for {} was {} ({})",
            o.period.label,
            format_value(o.value, unit, currency),
            run.row_name(o.row)
        ),
    };
    if let Some(exact) = rows
        .iter()
        .find(|o| o.period.start == period.start && o.period.end == period.end)
    {
        return Ok(Some(single(exact, describe(exact))));
    }
    // A longer period's row stands for a shorter one only for rates and levels: an annual
    // count or amount is not the count or amount of each quarter.
    let additive = matches!(unit, Unit::Count | Unit::Money) && !is_input;
    if let Some(wider) = rows
        .iter()
        .find(|o| !additive && o.period.start <= period.start && o.period.end >= period.end)
    {
        return Ok(Some(single(
            wider,
            format!("{}, which covers {}", describe(wider), period.label),
        )));
    }
    let mut inside: Vec<&'d Observation> = rows
        .into_iter()
        .filter(|o| o.period.start >= period.start && o.period.end <= period.end)
        .collect();
    inside.sort_by_key(|o| o.period.start);
    let tiles = !inside.is_empty()
        && inside
            .first()
            .is_some_and(|o| o.period.start == period.start)
        && inside.last().is_some_and(|o| o.period.end == period.end)
        && inside.windows(2).all(|w| {
            w[0].period
                .end
                .tomorrow()
                .is_ok_and(|next| next == w[1].period.start)
        });
    if !tiles {
        return Ok(None);
    }
    let each: Vec<String> = inside
        .iter()
        .map(|o| {
            format!(
                "{} {} ({})",
                o.period.label,
                shown(o.value),
                run.row_name(o.row)
            )
        })
        .collect();
    let all_fractions = inside
        .iter()
        .all(|o| o.numerator.is_some() && o.denominator.is_some());
    let polarity = run.contract.indicators.get(name).and_then(|i| i.polarity);
    let value_of =
        |v: Decimal, n: Option<Decimal>, d: Option<Decimal>, e: Option<Decimal>, how: String| {
            Measured {
                value: v,
                numerator: n,
                denominator: d,
                excluded: e,
                comparison: None,
                rows: inside.clone(),
                how,
            }
        };
    let sum = || {
        let total: Decimal = inside.iter().map(|o| o.value).sum();
        let how = format!(
            "`{name}` for {} is the sum of {} = {}",
            period.label,
            each.join(", "),
            shown(total)
        );
        let (n, d, e) = pooled_counts(&inside);
        value_of(total, n, d, e, how)
    };
    // An input's rows of shorter periods are combined only as the contract says: a list size
    // given each quarter is not four times the year's.
    let Some(combine) = combine else {
        return Err(NotCombinable {
            message: format!(
                "the rows of input `{name}` are for shorter periods than {}, and the contract does not say how they make its figure",
                period.label
            ),
            help: format!(
                "give `{name}` for {} itself, or say how its rows combine in the input: `combine periods by latest` (a figure at a date), `mean` or `sum`",
                period.label
            ),
            rows: inside,
        });
    };
    let measured = match combine {
        Combine::Pooling if all_fractions => {
            let n: Decimal = inside.iter().filter_map(|o| o.numerator).sum();
            let d: Decimal = inside.iter().filter_map(|o| o.denominator).sum();
            let e: Decimal = inside.iter().filter_map(|o| o.excluded).sum();
            let excluded = inside.iter().any(|o| o.excluded.is_some()).then_some(e);
            let Some(value) = crate::units::proportion(n, d - e, unit) else {
                return Ok(None);
            };
            let counts = match excluded {
                Some(e) => format!(
                    "{} of {} ({} less {} excluded)",
                    format_number(n.normalize()),
                    format_number((d - e).normalize()),
                    format_number(d.normalize()),
                    format_number(e.normalize())
                ),
                None => format!(
                    "{} of {}",
                    format_number(n.normalize()),
                    format_number(d.normalize())
                ),
            };
            let how = format!(
                "`{name}` for {} pools the counts of {}: {counts} = {}",
                period.label,
                each.join(", "),
                shown(value)
            );
            value_of(value, Some(n), Some(d - e), excluded, how)
        }
        Combine::Sum => sum(),
        // Counts and amounts pool by adding up.
        // Counts and amounts pool by adding up; days (a wait, a length of stay) do not.
        Combine::Pooling if matches!(unit, Unit::Count | Unit::Money) => sum(),
        Combine::Pooling => {
            let help = match unit {
                Unit::Percent | Unit::RatePer(_) | Unit::Ratio => "give `numerator` and `denominator` columns for these rows, or say how the periods combine with `combine periods by mean` (or `latest`, `best`, `worst`) in the indicator or the payment".to_string(),
                _ => format!(
                    "say how the periods combine with `combine periods by mean` (or `latest`, `best`, `worst`{}) in the indicator or the payment",
                    if unit == Unit::Days { ", `sum`" } else { "" }
                ),
            };
            return Err(NotCombinable {
                message: format!(
                    "the rows of `{name}` for {} give their values in {} but not the counts behind them, so they cannot be pooled into one value",
                    period.label,
                    crate::units::unit_words(unit)
                ),
                help,
                rows: inside,
            });
        }
        Combine::Mean => {
            let total: Decimal = inside.iter().map(|o| o.value).sum();
            let value = total / Decimal::from(inside.len());
            let how = format!(
                "`{name}` for {} is the mean of {} = {}",
                period.label,
                each.join(", "),
                shown(value)
            );
            // The period's counts are still all its rows' counts (for a minimum denominator).
            let (n, d, e) = pooled_counts(&inside);
            value_of(value, n, d, e, how)
        }
        Combine::Latest => {
            let Some(&last) = inside.last() else {
                return Ok(None);
            };
            let how = format!(
                "`{name}` for {} is the latest of {}: {}",
                period.label,
                each.join(", "),
                shown(last.value)
            );
            let left = last
                .denominator
                .map(|d| d - last.excluded.unwrap_or_default());
            value_of(last.value, last.numerator, left, last.excluded, how)
        }
        Combine::Best | Combine::Worst => {
            let higher_is_better = polarity != Some(crate::syntax::ast::Polarity::Lower);
            let pick_highest = higher_is_better == (combine == Combine::Best);
            // The first of equal values is taken.
            let Some(picked) = inside.iter().copied().reduce(|a, b| {
                let b_wins = if pick_highest {
                    b.value > a.value
                } else {
                    b.value < a.value
                };
                if b_wins {
                    b
                } else {
                    a
                }
            }) else {
                return Ok(None);
            };
            let how = format!(
                "`{name}` for {} is the {} of {}: {}, for {}",
                period.label,
                combine.words(),
                each.join(", "),
                shown(picked.value),
                picked.period.label
            );
            let left = picked
                .denominator
                .map(|d| d - picked.excluded.unwrap_or_default());
            value_of(picked.value, picked.numerator, left, picked.excluded, how)
        }
    };
    Ok(Some(measured))
}

/// The counts of rows that all give them, added up: numerator, denominator after exclusions,
/// and exclusions (where any row gives them).
fn pooled_counts(rows: &[&Observation]) -> (Option<Decimal>, Option<Decimal>, Option<Decimal>) {
    if !rows
        .iter()
        .all(|o| o.numerator.is_some() && o.denominator.is_some())
    {
        return (None, None, None);
    }
    let n: Decimal = rows.iter().filter_map(|o| o.numerator).sum();
    let d: Decimal = rows.iter().filter_map(|o| o.denominator).sum();
    let e: Decimal = rows.iter().filter_map(|o| o.excluded).sum();
    let excluded = rows.iter().any(|o| o.excluded.is_some()).then_some(e);
    (Some(n), Some(d - e), excluded)
}

fn round4(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn single<'d>(o: &'d Observation, how: String) -> Measured<'d> {
    Measured {
        value: o.value,
        numerator: o.numerator,
        denominator: o.denominator.map(|d| d - o.excluded.unwrap_or_default()),
        excluded: o.excluded,
        comparison: o.comparison,
        rows: vec![o],
        how,
    }
}

/// What a gateway decided for a period.
pub(crate) enum GatewayOutcome {
    Passed(String),
    Failed(String),
    /// The data it needs is missing: what is missing.
    Missing(String),
}

pub(crate) fn gateway<'d>(run: &mut Run<'d>, gateway: &Gateway, period: &Period) -> GatewayOutcome {
    let mut reasons = Vec::new();
    let currency = run.currency();
    for requirement in &gateway.requires {
        match requirement {
            Requirement::Indicator {
                name,
                comparison,
                value,
            } => {
                let Ok(found) = run.measure(name, period, None) else {
                    return GatewayOutcome::Failed(format!(
                        "the rows of `{name}` for {} cannot be combined",
                        period.label
                    ));
                };
                let Some(measured) = found else {
                    return GatewayOutcome::Missing(format!("`{name}` for {}", period.label));
                };
                run.used_rows.extend(measured.rows.iter().map(|o| o.row));
                let unit = run
                    .contract
                    .indicators
                    .get(name)
                    .map(|i| i.unit)
                    .unwrap_or(Unit::Count);
                let passes = match comparison {
                    Comparison::AtLeast => measured.value >= *value,
                    Comparison::AtMost => measured.value <= *value,
                    Comparison::Above => measured.value > *value,
                    Comparison::Below => measured.value < *value,
                };
                let words = match comparison {
                    Comparison::AtLeast => "at least",
                    Comparison::AtMost => "at most",
                    Comparison::Above => "above",
                    Comparison::Below => "below",
                };
                let reason = format!(
                    "`{name}` was {}, needing {words} {}",
                    format_value(measured.value, unit, currency),
                    format_value(*value, unit, currency)
                );
                if !passes {
                    return GatewayOutcome::Failed(reason);
                }
                reasons.push(reason);
            }
            Requirement::Flag(flag) => {
                let flagged: Vec<&crate::data::Observation> = run
                    .data
                    .observations
                    .iter()
                    .filter(|o| {
                        o.flags.contains_key(flag)
                            && o.period.start <= period.end
                            && o.period.end >= period.start
                    })
                    .collect();
                if flagged.is_empty() {
                    return GatewayOutcome::Missing(format!(
                        "the flag `{flag}` for {}",
                        period.label
                    ));
                }
                run.used_rows.extend(flagged.iter().map(|o| o.row));
                if let Some(no) = flagged.iter().find(|o| o.flags.get(flag) == Some(&false)) {
                    return GatewayOutcome::Failed(format!(
                        "the flag `{flag}` was `no` ({})",
                        run.row_name(no.row)
                    ));
                }
                reasons.push(format!("the flag `{flag}` was `yes`"));
            }
        }
    }
    GatewayOutcome::Passed(reasons.join(" and "))
}
