//! The amount tiers, linear scales and points pay for one period, with each step explained;
//! adjustment factors' values for the period; the band a value falls in.

use rust_decimal::Decimal;

use super::{of_pot, Worked};
use crate::calendar::Period;
use crate::eval::measure::Measured;
use crate::eval::{pot_words, values, Run};
use crate::intervals::Bound;
use crate::model::{scale_position, share_on_scale, BandPayout, Indicator, Mechanism, Payment};
use crate::syntax::ast::BandSide;
use crate::units::{format_percent, format_value};

/// An adjustment factor's value for a period, found before the arithmetic: given on the
/// indicator's rows (a `factor`), or an input or derived value worked out for the period.
pub(super) struct FactorValue {
    name: String,
    value: Option<Decimal>,
    /// The data that was missing, in words, when an input or derived value could not be found.
    missing: Option<String>,
    /// How an input or derived value was worked out, in words, and the rows it read.
    steps: Vec<String>,
    pub rows: Vec<crate::data::RowRef>,
}

pub(super) fn factor_values(
    run: &mut Run,
    payment: &Payment,
    period: &Period,
    measured: &Measured,
) -> Vec<FactorValue> {
    let Mechanism::Points { factors, .. } = &payment.mechanism else {
        return Vec::new();
    };
    factors
        .iter()
        .map(|factor| {
            if run.contract.factors.contains(factor) {
                let value = measured
                    .rows
                    .iter()
                    .find_map(|o| o.factors.get(factor))
                    .copied();
                return FactorValue {
                    name: factor.clone(),
                    value,
                    missing: None,
                    steps: Vec::new(),
                    rows: Vec::new(),
                };
            }
            match values::named(run, factor, period) {
                Ok(worked) if worked.value < Decimal::ZERO => {
                    // A factor multiplies the payment: a negative one would make it negative.
                    let defined_at = run
                        .contract
                        .derived
                        .get(factor)
                        .map(|d| d.defined_at)
                        .or_else(|| run.contract.inputs.get(factor).map(|i| i.defined_at))
                        .unwrap_or_default();
                    run.diagnostics.push(
                        crate::diagnostic::Diagnostic::new(
                            crate::diagnostic::Code::DerivedValueOutOfRange,
                            defined_at.0,
                            defined_at.1,
                            format!(
                                "`{factor}` for {} works out at {}, but an adjustment factor cannot be negative",
                                period.label,
                                values::exact_number(worked.value)
                            ),
                            "negative",
                        )
                        .with_help(format!(
                            "{}; check the calculation and its figures, and give `{factor}` a `range` that keeps it above 0",
                            worked.steps.iter().filter(|s| !s.starts_with('\u{0}')).cloned().collect::<Vec<_>>().join("; ")
                        )),
                    );
                    FactorValue {
                        name: factor.clone(),
                        value: None,
                        missing: None,
                        steps: Vec::new(),
                        rows: Vec::new(),
                    }
                }
                Ok(worked) => FactorValue {
                    name: factor.clone(),
                    value: Some(worked.value),
                    missing: None,
                    steps: worked.steps,
                    rows: worked.rows,
                },
                Err(problem) => {
                    let missing = match &problem {
                        values::Problem::Missing { what, .. } => Some(what.clone()),
                        values::Problem::Reported => None,
                    };
                    values::report(run, problem, factor, &format!("payment `{}`", payment.name));
                    FactorValue {
                        name: factor.clone(),
                        value: None,
                        missing,
                        steps: Vec::new(),
                        rows: Vec::new(),
                    }
                }
            }
        })
        .collect()
}

pub(super) fn work(
    run: &Run,
    payment: &Payment,
    indicator: &Indicator,
    period_pot: &crate::model::PeriodPot,
    measured: &Measured,
    pooled: Option<Decimal>,
    factor_values: &[FactorValue],
) -> Worked {
    let value = measured.value;
    let unit = indicator.unit;
    let currency = run.currency();
    let shown = format_value(
        value.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        unit,
        currency,
    );
    let period = &period_pot.period;
    let pot = pot_words(run, payment, period_pot).map(|words| (period_pot.pot, words));
    let pot_amount = period_pot.pot;
    let mut steps: Vec<String> = pot.iter().map(|(_, words)| words.clone()).collect();
    let of_pot = |share: Decimal, steps: &mut Vec<String>| of_pot(run, pot_amount, share, steps);
    let year = period_pot.year;
    match &payment.mechanism {
        Mechanism::Tiers(bands) => {
            let band_found = find_band(bands, value, run.contract.boundary, year);
            if let Some(band) = band_found {
                steps.push(crate::eval::exercised_step(&crate::eval::Exercised::Band(
                    band.text.clone(),
                )));
            }
            let Some(band) = band_found else {
                steps.push(format!("{shown} falls in no band, so nothing is paid"));
                return Worked {
                    amount: Decimal::ZERO,
                    basis: "no band".into(),
                    steps,
                    missing: None,
                };
            };
            let (amount, basis) = match band.payout {
                BandPayout::Nothing => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays nothing",
                        band_words(run, band, year, unit)
                    ));
                    (Decimal::ZERO, format!("`{}`: nothing", band.text))
                }
                BandPayout::Share(share) => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays {} of the pot",
                        band_words(run, band, year, unit),
                        format_percent(share)
                    ));
                    (
                        of_pot(share, &mut steps),
                        format!("`{}`: {}", band.text, format_percent(share)),
                    )
                }
                BandPayout::Amount(amount) => {
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays {}",
                        band_words(run, band, year, unit),
                        run.money(amount)
                    ));
                    (amount, format!("`{}`: {}", band.text, run.money(amount)))
                }
                BandPayout::Linear(from, to) => {
                    let share = band.share_at(value, year).unwrap_or(from);
                    steps.push(format!(
                        "{shown} falls in the band {}, which pays from {} to {} of the pot in proportion: {}",
                        band_words(run, band, year, unit),
                        format_percent(from),
                        format_percent(to),
                        format_percent(share.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
                    ));
                    (
                        of_pot(share, &mut steps),
                        format!(
                            "`{}`: {}",
                            band.text,
                            format_percent(share.round_dp_with_strategy(
                                2,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero
                            ))
                        ),
                    )
                }
            };
            Worked {
                amount,
                basis,
                steps,
                missing: None,
            }
        }
        Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        } => {
            let (from, to) = (from.at(year), to.at(year));
            let share = share_on_scale(value, from, to, *pay_from, *pay_to);
            steps.push(format!(
                "on the scale from {} (paying {}) to {} (paying {}){}, {shown} earns {}",
                format_value(from, unit, currency),
                format_percent(*pay_from),
                format_value(to, unit, currency),
                format_percent(*pay_to),
                scale_placed(payment, year),
                format_percent(share.round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                ))
            ));
            let amount = of_pot(share, &mut steps);
            Worked {
                amount,
                basis: format!(
                    "linear: {}",
                    format_percent(share.round_dp_with_strategy(
                        2,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero
                    ))
                ),
                steps,
                missing: None,
            }
        }
        Mechanism::Points {
            points,
            from,
            to,
            price,
            factors,
        } => {
            let (from, to) = (from.at(year), to.at(year));
            let position = scale_position(value, from, to);
            let earned = points * position;
            steps.push(format!(
                "{shown} earns {} of {} points (0 at {}, all at {}{})",
                earned
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                points.normalize(),
                format_value(from, unit, currency),
                format_value(to, unit, currency),
                scale_placed(payment, year)
            ));
            let price = price.at(year);
            let mut amount = earned * price;
            steps.push(format!(
                "{} points at {} a point is {}",
                earned
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                run.money(price),
                run.money(amount)
            ));
            for factor in factors {
                let given = factor_values
                    .iter()
                    .find(|f| &f.name == factor)
                    .and_then(|f| {
                        // A figure two factors share is explained once.
                        for step in &f.steps {
                            if !steps.contains(step) {
                                steps.push(step.clone());
                            }
                        }
                        f.value
                    });
                let supplied = run.contract.factors.contains(factor);
                let Some(mut factor_value) = given else {
                    let why = factor_values
                        .iter()
                        .find(|f| &f.name == factor)
                        .and_then(|f| f.missing.clone());
                    let what = if supplied {
                        format!(
                            "the factor `{factor}` for `{}` in {}",
                            indicator.name, period.label
                        )
                    } else {
                        format!("`{factor}` in {}", period.label)
                    };
                    match &why {
                        Some(why) => steps.push(format!(
                            "there is no data for {why}, so `{factor}` cannot be worked out and nothing is paid"
                        )),
                        None => steps.push(format!("there is no value for {what}, so nothing is paid")),
                    }
                    return Worked {
                        amount: Decimal::ZERO,
                        basis: "missing factor".into(),
                        steps,
                        // An input or derived value reports its own missing data.
                        missing: supplied.then_some(what),
                    };
                };
                // A derived value with its own rounding is used as it is.
                let own_rounding = run
                    .contract
                    .derived
                    .get(factor)
                    .is_some_and(|d| d.places.is_some());
                if let (Some(places), false) = (run.contract.factor_places, own_rounding) {
                    let rounded = run.contract.rounding.round_to_places(factor_value, places);
                    if rounded != factor_value {
                        let mut shown = rounded;
                        shown.rescale(places);
                        steps.push(format!(
                            "`{factor}` of {} is rounded to {places} decimal place{} (the contract rounds factors): {shown}",
                            values::exact_number(factor_value),
                            if places == 1 { "" } else { "s" }
                        ));
                    }
                    factor_value = rounded;
                }
                // Saturates rather than overflows: an amount beyond range is reported below.
                amount = amount.checked_mul(factor_value).unwrap_or(Decimal::MAX);
                steps.push(format!(
                    "times `{factor}` of {} is {}",
                    values::exact_number(factor_value),
                    run.money(amount)
                ));
            }
            Worked {
                amount,
                basis: {
                    let shown = earned
                        .round_dp_with_strategy(
                            2,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                        )
                        .normalize();
                    format!(
                        "{shown} point{}",
                        if shown == Decimal::ONE { "" } else { "s" }
                    )
                },
                steps,
                missing: None,
            }
        }
        Mechanism::Improvement(improvement) => super::improvement::work(
            run,
            indicator,
            improvement,
            measured,
            pooled,
            pot.is_some().then_some(pot_amount),
            steps,
        ),
        Mechanism::RateCard(_) => Worked {
            amount: Decimal::ZERO,
            basis: String::new(),
            steps,
            missing: None,
        },
    }
}

/// A band as written, and for a band placed by the target or baseline the values it covers in
/// the year: "`target met` (85% and above in contract year 2)".
fn band_words(
    run: &Run,
    band: &crate::model::Band,
    year: u32,
    unit: crate::syntax::ast::Unit,
) -> String {
    if !band.relative {
        return format!("`{}`", band.text);
    }
    let currency = run.currency();
    let v = |b: Bound| format_value(b.value, unit, currency);
    let interval = band.interval(year);
    let values = match (interval.lo, interval.hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", v(lo), v(hi)),
        (Some(lo), None) if lo.closed => format!("{} and above", v(lo)),
        (Some(lo), None) => format!("above {}", v(lo)),
        (None, Some(hi)) if hi.closed => format!("up to {}", v(hi)),
        (None, Some(hi)) => format!("below {}", v(hi)),
        (None, None) => "every value".to_string(),
    };
    format!("`{}` ({values} in contract year {year})", band.text)
}

/// For a scale placed by the target or baseline, the year whose values it has.
fn scale_placed(payment: &Payment, year: u32) -> String {
    let varies = match &payment.mechanism {
        Mechanism::Linear { from, to, .. } | Mechanism::Points { from, to, .. } => {
            from.same_every_year().is_none() || to.same_every_year().is_none()
        }
        _ => false,
    };
    if varies {
        format!(", as placed in contract year {year}")
    } else {
        String::new()
    }
}

/// The band a value falls in, in contract year `year` (bands placed by a target change by
/// year). A value exactly on a threshold two bands share goes to the band the contract's
/// boundary rule names.
pub(crate) fn find_band(
    bands: &[crate::model::Band],
    value: Decimal,
    boundary: BandSide,
    year: u32,
) -> Option<&crate::model::Band> {
    let contains = |lo: Option<Bound>, hi: Option<Bound>| {
        lo.is_none_or(|b| value > b.value || (b.closed && value == b.value))
            && hi.is_none_or(|b| value < b.value || (b.closed && value == b.value))
    };
    let matching: Vec<&crate::model::Band> = bands
        .iter()
        .filter(|b| {
            let interval = b.interval(year);
            contains(interval.lo, interval.hi)
        })
        .collect();
    let by_lower = |b: &&crate::model::Band| b.interval(year).lo.map(|l| l.value);
    match boundary {
        BandSide::Higher => matching.into_iter().max_by_key(by_lower),
        BandSide::Lower => matching.into_iter().min_by_key(by_lower),
    }
}
