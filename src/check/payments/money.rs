//! The money a payment draws on and can pay: pots, caps and floors, weights, and the largest
//! possible payment against the pot.

use rust_decimal::Decimal;

use crate::calendar::Calendar;
use crate::check::settings::missing;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, LimitScope, PaymentSetting as S, Pot, Spanned};
use crate::units;

/// The payment's pot in each contract year, when it can be worked out.
pub(super) fn pot_per_year(
    ctx: &mut Ctx,
    file: FileId,
    weight: Option<Spanned<Decimal>>,
    pot: Option<Pot>,
) -> Option<Vec<Decimal>> {
    let header = ctx.header.clone()?;
    let years = header.calendar?.contract_years() as usize;
    if let Some(weight) = weight {
        let share = ctx.share(weight, "the weight", file)?;
        if header.at_risk_span.is_none() {
            ctx.report(missing(
                header.file,
                header.title_span,
                "payments are weighted but the contract does not say how much is `at risk`"
                    .to_string(),
                "add a line such as `at risk 10% of value` to the contract",
            ));
            return None;
        }
        if header.at_risk.is_empty() {
            return None;
        }
        return Some(
            header
                .at_risk
                .iter()
                .map(|r| *r * share / Decimal::ONE_HUNDRED)
                .collect(),
        );
    }
    match pot? {
        Pot::ShareOfValue(share) => {
            let share = ctx.share(share, "the pot", file)?;
            let value = header.value_per_year?;
            Some(vec![value * share / Decimal::ONE_HUNDRED; years])
        }
        Pot::PerYear(money) => Some(vec![ctx.money(money, file)?; years]),
    }
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
    for (_, year, pot) in resolved.period_pots(&calendar, header.exclude_part_periods) {
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

/// The weights of all weighted payments must add up to exactly 100%.
pub(super) fn check_weights(ctx: &mut Ctx, payments: &[(FileId, &ast::Payment)]) {
    let weights: Vec<(FileId, Spanned<Decimal>)> = payments
        .iter()
        .flat_map(|(file, p)| {
            p.settings.iter().filter_map(move |s| match s.node {
                S::Weight(w) => Some((*file, w)),
                _ => None,
            })
        })
        .collect();
    let Some((first_file, first_weight)) = weights.first().copied() else {
        return;
    };
    let total: Decimal = weights.iter().map(|(_, w)| w.node).sum();
    if total == Decimal::ONE_HUNDRED {
        return;
    }
    let mut d = Diagnostic::new(
        Code::WeightsDoNotSum,
        first_file,
        first_weight.span,
        format!(
            "the weights of the payments add up to {}, not 100%",
            units::format_percent(total)
        ),
        units::format_percent(first_weight.node),
    );
    for (file, weight) in weights.iter().skip(1) {
        if *file == first_file {
            d = d.with_label(weight.span, units::format_percent(weight.node));
        }
    }
    let gap = Decimal::ONE_HUNDRED - total;
    let help = if gap > Decimal::ZERO {
        format!("{} of the money at risk is not assigned to any payment; adjust the weights so they add up to 100%", units::format_percent(gap))
    } else {
        format!("the weights promise {} more than the money at risk; adjust them so they add up to 100%", units::format_percent(-gap))
    };
    ctx.report(d.with_help(help));
}
