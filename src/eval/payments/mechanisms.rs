//! The amount tiers, linear scales and points pay for one period, with each step explained;
//! adjustment factors' values for the period; the band a value falls in.

use rust_decimal::Decimal;

use super::{of_pot, Worked};
use crate::calendar::Period;
use crate::eval::measure::Measured;
use crate::eval::{pot_words, values, Run};
use crate::intervals::Bound;
use crate::model::{scale_position, share_on_scale, BandPayout, Indicator, Mechanism, Payment};
use crate::syntax::ast::{BandSide, Protected};
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
    measured: Option<&Measured>,
) -> Vec<FactorValue> {
    let Mechanism::Points { factors, .. } = &payment.mechanism else {
        return Vec::new();
    };
    factors
        .iter()
        .map(|factor| {
            if run.contract.factors.contains(factor) {
                let value = measured
                    .into_iter()
                    .flat_map(|m| m.rows.iter())
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
                    let defined_at = values::defined_at(run, factor);
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

/// The points or share a protected payment is paid on for a period, as given with the data.
pub(super) struct ProtectedValue {
    /// Points, or a share of the pot in percent.
    pub value: Decimal,
    /// As a reader sees it: `4`, `60%`.
    pub shown: String,
    /// The input or derived value it comes from.
    pub name: String,
    pub steps: Vec<String>,
    pub rows: Vec<crate::data::RowRef>,
}

/// A protected payment's value for the period: the input or derived value it names, within
/// what the payment's rule can pay (its points, or its highest share). Missing data and values
/// out of range are reported; `Err` then.
/// Why a protected value could not be had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unavailable {
    /// Missing, or beyond what the rule could pay: reported.
    Failed,
    /// Not in yet, and not expected by the as-of date.
    NotYet,
}

pub(super) fn protected_value(
    run: &mut Run,
    payment: &Payment,
    protection: &crate::model::Protection,
    period: &Period,
    expected: bool,
) -> Result<ProtectedValue, Unavailable> {
    let name = protection.value.as_str();
    let worked = match values::named(run, name, period) {
        Ok(worked) => worked,
        Err(values::Problem::Missing { .. }) if !expected => return Err(Unavailable::NotYet),
        Err(values::Problem::Missing { what, defined_at }) => {
            run.missing_data(defined_at, &what, &format!("payment `{}`", payment.name));
            return Err(Unavailable::Failed);
        }
        Err(values::Problem::Reported) => return Err(Unavailable::Failed),
    };
    let (value, most) = match protection.what {
        Protected::Points => {
            let most = match &payment.mechanism {
                Mechanism::Points { points, .. } => *points,
                _ => Decimal::ZERO,
            };
            (worked.value, most)
        }
        Protected::Share => (worked.value * Decimal::ONE_HUNDRED, highest_share(payment)),
    };
    if value < Decimal::ZERO || value > most {
        let defined_at = values::defined_at(run, name);
        let (file, span) = worked
            .rows
            .first()
            .map(|r| (r.file, r.span))
            .unwrap_or(defined_at);
        let (most_words, what) = match protection.what {
            Protected::Points => (points_words(most), "points"),
            Protected::Share => (format_percent(most), "a share of the pot"),
        };
        run.diagnostics.push(
            crate::diagnostic::Diagnostic::new(
                crate::diagnostic::Code::DataValueOutOfRange,
                file,
                span,
                format!(
                    "`{name}` protects payment `{}` at {} for {}, beyond what it can pay: 0 to {most_words}",
                    payment.name, worked.shown, period.label
                ),
                "out of range",
            )
            .with_help(format!(
                "a payment is protected at {what} its rule could pay, at most {most_words}: check the value given for `{name}`"
            )),
        );
        return Err(Unavailable::Failed);
    }
    Ok(ProtectedValue {
        value,
        shown: worked.shown,
        name: name.to_string(),
        steps: worked.steps,
        rows: worked.rows,
    })
}

/// The highest share of the pot a payment's rule pays, in percent.
fn highest_share(payment: &Payment) -> Decimal {
    match &payment.mechanism {
        Mechanism::Tiers(bands) => bands
            .iter()
            .map(|b| match b.payout {
                BandPayout::Share(share) => share,
                BandPayout::Linear(from, to) => from.max(to),
                BandPayout::Nothing | BandPayout::Amount(_) => Decimal::ZERO,
            })
            .max()
            .unwrap_or_default(),
        Mechanism::Linear {
            pay_from, pay_to, ..
        } => (*pay_from).max(*pay_to),
        _ => Decimal::ZERO,
    }
}

/// What a payment for improvement is judged by in a period: its own improvement and the pooled
/// one.
#[derive(Clone, Copy)]
pub(super) struct ForImprovement<'a> {
    pub assessed: Option<&'a super::improvement::Assessed>,
    pub pooled: Result<Option<&'a super::improvement::Pooled>, ()>,
}

/// What the payment's mechanism pays for one period, before gateways, caps and rounding. A
/// protected payment is paid on its protected points or share; what its rule gives for the
/// period's result, where there is one, is shown as calculated.
#[allow(clippy::too_many_arguments)]
pub(super) fn work(
    run: &Run,
    payment: &Payment,
    indicator: &Indicator,
    period_pot: &crate::model::PeriodPot,
    measured: Option<&Measured>,
    for_improvement: ForImprovement,
    factor_values: &[FactorValue],
    protected: Option<&Result<ProtectedValue, ()>>,
) -> Worked {
    let pot = pot_words(run, payment, period_pot).map(|words| (period_pot.pot, words));
    let pot_amount = period_pot.pot;
    let mut steps: Vec<String> = pot.iter().map(|(_, words)| words.clone()).collect();
    let (protected, unavailable) = match protected {
        Some(Ok(value)) => (Some(value), false),
        Some(Err(())) => (None, true),
        None => (None, false),
    };
    if unavailable {
        // Without the protected value nothing is paid; the rule's result is still shown.
        let mut worked = work(
            run,
            payment,
            indicator,
            period_pot,
            measured,
            for_improvement,
            factor_values,
            None,
        );
        worked.steps.push(
            "the value the payment is protected at cannot be found, so nothing is paid".into(),
        );
        return Worked {
            basis: "no protected value".into(),
            calculated: measured.is_some().then_some(worked.basis),
            steps: worked.steps,
            ..Worked::default()
        };
    }
    let at = Assessed {
        run,
        payment,
        indicator,
        period: &period_pot.period,
        year: period_pot.year,
        pot: pot_amount,
    };
    let result = measured.map(|m| (m.value, at.shown(m.value)));
    match &payment.mechanism {
        Mechanism::Tiers(bands) => {
            let calculated =
                result.map(|(value, shown)| tiers(&at, bands, value, &shown, steps.clone()));
            protect_share(&at, calculated, protected, steps)
        }
        Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        } => {
            let calculated = result.map(|(value, shown)| {
                linear(
                    &at,
                    (from, to),
                    (*pay_from, *pay_to),
                    value,
                    &shown,
                    steps.clone(),
                )
            });
            protect_share(&at, calculated, protected, steps)
        }
        Mechanism::Points {
            points,
            from,
            to,
            price,
            factors,
        } => {
            let calculated = result.map(|(value, shown)| {
                earned_points(&at, *points, (from, to), value, &shown, &mut steps)
            });
            let earned = match (protected, calculated) {
                (Some(protected), calculated) => {
                    steps.extend(protected.steps.iter().cloned());
                    steps.push(match calculated {
                        Some(calculated) => format!(
                            "the points are protected at {} (`{}`): {} paid, not the {} calculated",
                            protected.shown,
                            protected.name,
                            points_words(protected.value),
                            calculated
                                .round_dp_with_strategy(
                                    4,
                                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                                )
                                .normalize()
                        ),
                        None => format!(
                            "the points are protected at {} (`{}`): {} paid",
                            protected.shown,
                            protected.name,
                            points_words(protected.value)
                        ),
                    });
                    protected.value
                }
                (None, Some(calculated)) => calculated,
                (None, None) => return Worked::default(),
            };
            let mut worked = priced(
                &at,
                earned,
                price.at(period_pot.year),
                factors,
                factor_values,
                steps,
            );
            if protected.is_some() {
                worked.calculated = calculated.map(points_words);
                worked.basis = format!("{} (protected)", worked.basis);
            }
            worked
        }
        Mechanism::Improvement(improvement) => super::improvement::work(
            run,
            indicator,
            improvement,
            for_improvement.assessed,
            for_improvement.pooled,
            pot.is_some().then_some(pot_amount),
            steps,
        ),
        Mechanism::RateCard(_) => Worked {
            steps,
            ..Worked::default()
        },
    }
}

/// What every mechanism's arithmetic for one period needs to know.
struct Assessed<'a> {
    run: &'a Run<'a>,
    payment: &'a Payment,
    indicator: &'a Indicator,
    period: &'a Period,
    year: u32,
    pot: Decimal,
}

impl Assessed<'_> {
    /// The period's result as a reader sees it, to four places.
    fn shown(&self, value: Decimal) -> String {
        format_value(
            value.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            self.indicator.unit,
            self.run.currency(),
        )
    }
}

/// `4 points`, `1 point`, `5.2 points`.
fn points_words(points: Decimal) -> String {
    let shown = points
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!(
        "{shown} point{}",
        if shown == Decimal::ONE { "" } else { "s" }
    )
}

/// A share of the pot a protected `tiers` or `linear` payment is paid, whatever the result; the
/// share its rule gives, where there is a result, is shown as calculated.
fn protect_share(
    at: &Assessed,
    calculated: Option<Worked>,
    protected: Option<&ProtectedValue>,
    steps: Vec<String>,
) -> Worked {
    let Some(protected) = protected else {
        return calculated.unwrap_or_default();
    };
    let (mut steps, calculated) = match calculated {
        Some(worked) => (worked.steps, Some(worked.basis)),
        None => (steps, None),
    };
    steps.extend(protected.steps.iter().cloned());
    steps.push(format!(
        "the payment is protected at {} of the pot (`{}`): it is paid that share{}",
        protected.shown,
        protected.name,
        if calculated.is_some() {
            ", not the share calculated"
        } else {
            ""
        }
    ));
    let amount = of_pot(at.run, at.pot, protected.value, &mut steps);
    Worked {
        amount,
        basis: format!("protected: {}", format_percent(protected.value)),
        steps,
        calculated,
        ..Worked::default()
    }
}

fn tiers(
    at: &Assessed,
    bands: &[crate::model::Band],
    value: Decimal,
    shown: &str,
    mut steps: Vec<String>,
) -> Worked {
    let (run, year, unit) = (at.run, at.year, at.indicator.unit);
    let of_pot = |share: Decimal, steps: &mut Vec<String>| of_pot(run, at.pot, share, steps);
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
            calculated: None,
            ..Worked::default()
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
        calculated: None,
        ..Worked::default()
    }
}

fn linear(
    at: &Assessed,
    (from, to): (&crate::model::ByYear, &crate::model::ByYear),
    (pay_from, pay_to): (Decimal, Decimal),
    value: Decimal,
    shown: &str,
    mut steps: Vec<String>,
) -> Worked {
    let (run, payment, year, unit) = (at.run, at.payment, at.year, at.indicator.unit);
    let currency = run.currency();
    let (pay_from, pay_to) = (&pay_from, &pay_to);
    let of_pot = |share: Decimal, steps: &mut Vec<String>| of_pot(run, at.pot, share, steps);
    let (from, to) = (from.at(year), to.at(year));
    let share = share_on_scale(value, from, to, *pay_from, *pay_to);
    steps.push(format!(
        "on the scale from {} (paying {}) to {} (paying {}){}, {shown} earns {}",
        format_value(from, unit, currency),
        format_percent(*pay_from),
        format_value(to, unit, currency),
        format_percent(*pay_to),
        scale_placed(payment, year),
        format_percent(
            share.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        )
    ));
    let amount = of_pot(share, &mut steps);
    Worked {
        amount,
        basis: format!(
            "linear: {}",
            format_percent(
                share.round_dp_with_strategy(
                    2,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                )
            )
        ),
        steps,
        missing: None,
        calculated: None,
        ..Worked::default()
    }
}

/// The points a result earns on the scale, with the step that says so.
fn earned_points(
    at: &Assessed,
    points: Decimal,
    (from, to): (&crate::model::ByYear, &crate::model::ByYear),
    value: Decimal,
    shown: &str,
    steps: &mut Vec<String>,
) -> Decimal {
    let (payment, year, unit) = (at.payment, at.year, at.indicator.unit);
    let currency = at.run.currency();
    let points = &points;
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
    earned
}

/// Points priced at the year's price and multiplied by each adjustment factor.
fn priced(
    at: &Assessed,
    earned: Decimal,
    price: Decimal,
    factors: &[String],
    factor_values: &[FactorValue],
    mut steps: Vec<String>,
) -> Worked {
    let (run, indicator, period) = (at.run, at.indicator, at.period);
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
                calculated: None,
                ..Worked::default()
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
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize();
            format!(
                "{shown} point{}",
                if shown == Decimal::ONE { "" } else { "s" }
            )
        },
        steps,
        missing: None,
        calculated: None,
        ..Worked::default()
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
