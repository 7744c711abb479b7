//! The money a payment draws on and can pay: pots, caps and floors, weights, and the largest
//! possible payment against the pot.

use rust_decimal::Decimal;

use crate::check::fraction::{exact_share, Fraction};

use crate::calendar::Calendar;
use crate::check::settings::missing;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, LimitScope, PaymentSetting as S, PotAmount, Spanned, Weight};
use crate::units;

/// The payment's own pot in each contract year (`pot ...`), when it can be worked out. A
/// weighted payment's pot comes from [`weigh`] instead.
pub(super) fn own_pot(
    ctx: &mut Ctx,
    file: FileId,
    steps: &[ast::Step<PotAmount>],
) -> Option<Vec<Decimal>> {
    let header = ctx.header.clone()?;
    ctx.phased(steps, file, "the pot", |ctx, step| match step.node {
        PotAmount::ShareOfValue(share) => {
            let share = ctx.share(Spanned::new(share, step.span), "the pot", file)?;
            Some(header.rounding.apply(header.value_per_year? * share / Decimal::ONE_HUNDRED))
        }
        PotAmount::Money { amount, per_year } => {
            let amount = ctx.money(Spanned::new(amount, step.span), file)?;
            if !per_year && steps.len() == 1 && steps[0].phase.is_none() {
                let written = units::format_money(amount, header.currency);
                ctx.report(
                    Diagnostic::new(
                        Code::MissingSetting,
                        file,
                        step.span,
                        format!("the pot of {written} does not say what time it covers"),
                        "for what time?",
                    )
                    .with_help(format!(
                        "write `{written} per year`, or give the pot of each contract year, such as `{written} in year 1`"
                    )),
                );
                return None;
            }
            Some(amount)
        }
    })
}

/// Every weighted payment's share of the money at risk and its pot in each contract year.
#[derive(Default)]
pub(super) struct Weighted {
    /// Pots per contract year by payment name; the pots of a year add up exactly to the money
    /// at risk that year.
    pub pots: std::collections::HashMap<String, Vec<Decimal>>,
    /// Each weighted payment's share of the money at risk, in percent, and its weight as written.
    pub shares: std::collections::BTreeMap<String, (Decimal, String)>,
}

/// Reads the weight of every payment, checks that the weights add up to exactly 100%, and
/// splits the money at risk of each contract year among the weighted payments by their weights,
/// in whole pennies (or pounds) that add up to it exactly (see [`crate::split`]).
pub(super) fn weigh(ctx: &mut Ctx, payments: &[(FileId, &ast::Payment)]) -> Weighted {
    let mut weights: Vec<(FileId, &str, Spanned<Weight>)> = Vec::new();
    for (file, payment) in payments {
        let weight = payment.settings.iter().find_map(|s| match s.node {
            S::Weight(w) => Some(w),
            _ => None,
        });
        if let Some(weight) = weight {
            weights.push((*file, payment.name.node.as_str(), weight));
        }
    }
    let mut weighted = Weighted::default();
    let Some(&(first_file, _, first_weight)) = weights.first() else {
        return weighted;
    };
    // The stated weights, exactly; `equal` weights share what the others leave.
    let mut stated = Vec::new();
    let mut complete = true;
    for (file, _, weight) in &weights {
        let fraction = exact_share(ctx, *file, *weight, "the weight");
        match fraction {
            Some(f) => stated.push(f),
            None => complete = false,
        }
    }
    if !complete {
        return weighted;
    }
    let equal = weights
        .iter()
        .filter(|(_, _, w)| w.node == Weight::Equal)
        .count();
    let total = stated.iter().try_fold(
        Fraction::new(0, 1).unwrap_or_else(Fraction::one),
        |sum, f| sum.add(*f),
    );
    let left = total.and_then(|t| Fraction::one().sub(t));
    let each_equal = match (equal, left) {
        (0, _) => None,
        (n, Some(left)) if left.numerator > 0 => left.divide_by(n as i128),
        _ => None,
    };
    let sums_to_one = match (equal, total) {
        (0, Some(total)) => total == Fraction::one(),
        (_, Some(_)) => each_equal.is_some(),
        _ => false,
    };
    if !sums_to_one {
        let total = total.map(Fraction::percent).unwrap_or_default();
        let shown = |w: Weight| match w {
            Weight::Percent(p) => units::format_percent(p),
            Weight::Fraction {
                numerator,
                denominator,
            } => format!("{numerator}/{denominator}"),
            Weight::Equal => "equal".to_string(),
        };
        let (message, help) = if equal > 0 {
            (
                format!(
                    "the stated weights of the payments already add up to {}, leaving nothing for the {equal} `equal` weight{}",
                    units::format_percent(total.normalize()),
                    if equal == 1 { "" } else { "s" }
                ),
                "`equal` weights share what the other weights leave of 100%: lower the other weights, or state every weight".to_string(),
            )
        } else {
            let gap = Decimal::ONE_HUNDRED - total;
            (
                format!(
                    "the weights of the payments add up to {}, not 100%",
                    units::format_percent(total.round_dp(6).normalize())
                ),
                if gap > Decimal::ZERO {
                    format!("{} of the money at risk is not assigned to any payment; adjust the weights so they add up to 100%", units::format_percent(gap.round_dp(6).normalize()))
                } else {
                    format!("the weights promise {} more than the money at risk; adjust them so they add up to 100%", units::format_percent((-gap).round_dp(6).normalize()))
                },
            )
        };
        let mut d = Diagnostic::new(
            Code::WeightsDoNotSum,
            first_file,
            first_weight.span,
            message,
            shown(first_weight.node),
        );
        for (file, _, weight) in weights.iter().skip(1) {
            if *file == first_file {
                d = d.with_label(weight.span, shown(weight.node));
            }
        }
        ctx.report(d.with_help(help));
        return weighted;
    }
    let fractions: Vec<Fraction> = weights
        .iter()
        .zip(&stated)
        .map(|((_, _, w), f)| match (w.node, each_equal) {
            (Weight::Equal, Some(each)) => each,
            _ => *f,
        })
        .collect();
    for ((file, name, weight), fraction) in weights.iter().zip(&fractions) {
        let written = ctx.text(*file, weight.span);
        weighted
            .shares
            .insert(name.to_string(), (fraction.percent(), written));
    }
    let Some(header) = ctx.header.clone() else {
        return weighted;
    };
    if header.at_risk_span.is_none() {
        ctx.report(missing(
            header.file,
            header.title_span,
            "payments are weighted but the contract does not say how much is `at risk`".to_string(),
            "add a line such as `at risk 10% of value` to the contract",
        ));
        return weighted;
    }
    let shares: Vec<Decimal> = fractions.iter().map(|f| f.percent()).collect();
    let mut pots: Vec<Vec<Decimal>> = vec![Vec::new(); weights.len()];
    for at_risk in &header.at_risk {
        let parts = crate::split::split(*at_risk, &shares, header.rounding.unit());
        for (pot, part) in pots.iter_mut().zip(parts) {
            pot.push(part);
        }
    }
    if !header.at_risk.is_empty() {
        for ((_, name, _), pot) in weights.iter().zip(pots) {
            weighted.pots.insert(name.to_string(), pot);
        }
    }
    weighted
}

/// The payment's caps and its floors, each as (scope, amount).
type Limits = Vec<(LimitScope, Decimal)>;

/// Caps and floors by scope, after checking currency and that no floor is above its cap.
pub(super) fn limits(ctx: &mut Ctx, file: FileId, settings: &[Spanned<S>]) -> (Limits, Limits) {
    let mut caps = Vec::new();
    let mut floors = Vec::new();
    for setting in settings {
        match &setting.node {
            S::Cap(limit) => {
                if let Some(v) = ctx.money(limit.amount, file) {
                    caps.push((limit.scope, v, setting.span));
                }
            }
            S::Floor(limit) => {
                if let Some(v) = ctx.money(limit.amount, file) {
                    floors.push((limit.scope, v, setting.span));
                }
            }
            _ => {}
        }
    }
    let currency = ctx.currency();
    for (scope, floor, floor_span) in &floors {
        if let Some((_, cap, cap_span)) = caps.iter().find(|(s, _, _)| s == scope) {
            if floor > cap {
                ctx.report(
                    Diagnostic::new(
                        Code::FloorAboveCeiling,
                        file,
                        *floor_span,
                        format!(
                            "the floor of {} {} is above the cap of {}",
                            units::format_money(*floor, currency),
                            scope.words(),
                            units::format_money(*cap, currency)
                        ),
                        "floor",
                    )
                    .with_label(*cap_span, "cap")
                    .with_help("a floor is the least that is paid and a cap the most: the floor must not exceed the cap"),
                );
            }
        }
    }
    let strip = |limits: Vec<(LimitScope, Decimal, Span)>| {
        limits.into_iter().map(|(s, v, _)| (s, v)).collect()
    };
    (strip(caps), strip(floors))
}

/// The name of a contract year: its fiscal year when the two coincide (`2017/18`), else `year 2`.
pub(super) fn year_label(calendar: &Calendar, year: u32) -> String {
    match calendar.contract_year(year) {
        Some((start, _)) if start.day() == 1 && start.month() == calendar.fiscal_start => {
            Calendar::fiscal_year_label(start.year())
        }
        _ => format!("contract year {year}"),
    }
}

/// Compares the largest possible payment in each contract year with the payment's pot.
pub(super) fn compare_with_pot(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    resolved: &model::Payment,
) {
    let (Some(pots), Some(header)) = (&resolved.pot_per_year, ctx.header.clone()) else {
        return;
    };
    let Some(calendar) = header.calendar else {
        return;
    };
    let currency = header.currency;
    let largest =
        resolved.largest_per_year(&calendar, header.rounding, header.exclude_part_periods);
    // Each year's pot is what its periods can draw: a part year at either end of the term has
    // the pots of its periods, pro-rated as the payment is.
    let mut available = vec![Decimal::ZERO; largest.len()];
    // Each line is rounded on its own, so a year's lines may add up to a few pence (or pounds)
    // more or less than its pot: half a rounding unit per line is no finding.
    let mut slack = vec![Decimal::ZERO; largest.len()];
    let half_unit = match header.rounding.unit {
        ast::RoundingUnit::Minor => Decimal::new(5, 3),
        ast::RoundingUnit::Major => Decimal::new(5, 1),
    };
    for model::PeriodPot { year, pot, .. } in
        resolved.period_pots(&calendar, header.rounding, header.exclude_part_periods)
    {
        if let Some(total) = available.get_mut(year as usize - 1) {
            *total += pot;
        }
        if let Some(total) = slack.get_mut(year as usize - 1) {
            *total += half_unit;
        }
    }
    let available: Vec<Decimal> = available
        .into_iter()
        .map(|pot| header.rounding.apply(pot))
        .collect();
    let _ = pots;
    // Unknown in any year (a payment per point without a cap) means nothing to compare.
    let Some(years) = largest
        .iter()
        .zip(available)
        .map(|(most, pot)| most.map(|most| (most, pot)))
        .collect::<Option<Vec<(Decimal, Decimal)>>>()
    else {
        return;
    };
    let Some(index) = years
        .iter()
        .zip(&slack)
        .position(|((most, pot), slack)| (*most - *pot).abs() > *slack)
    else {
        return;
    };
    let (per_year, pot) = years[index];
    let label = if years.iter().all(|y| *y == years[index]) {
        "each contract year".to_string()
    } else {
        year_label(&calendar, index as u32 + 1)
    };
    let name = &payment.name.node;
    let diagnostic = if per_year > pot {
        Diagnostic::new(
            Code::PayoutExceedsPot,
            file,
            payment.name.span,
            format!(
                "the largest possible payment of `{name}` in {label} is {} but its pot is {}",
                units::format_money(per_year, currency),
                units::format_money(pot, currency)
            ),
            "can pay more than its pot",
        )
        .with_help("lower the amounts paid or add a `cap ... per year` no higher than the pot")
    } else {
        Diagnostic::new(
            Code::UnreachableMoney,
            file,
            payment.name.span,
            format!(
                "at most {} of the {} pot of `{name}` can be paid in {label}: {} can never be earned",
                units::format_money(per_year, currency),
                units::format_money(pot, currency),
                units::format_money(pot - per_year, currency)
            ),
            "cannot pay its whole pot",
        )
        .with_help("raise what the best result pays, raise or remove the cap that limits it, or lower the weight or pot to what can be earned")
    };
    ctx.report(diagnostic);
}
