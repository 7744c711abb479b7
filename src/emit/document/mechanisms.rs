//! The table of a payment's mechanism (bands, linear scale, points, improvement terms or rate
//! card), with what each band covers and pays in money per period.

use rust_decimal::Decimal;

use super::values::{dec, num, pct, period_noun, year_range, Ctx};
use super::{plain, Block, Table};
use crate::emit::chart::capitalise;
use crate::emit::spec::{
    BandSpec, BoundSpec, MechanismSpec, PaymentSpec, ScaleYearSpec, UnitSpec, YearMoney,
};

/// What a band covers once the boundary rule has placed shared thresholds, such as
/// `at least 80% and below 85%`.
fn band_covers(ctx: &Ctx, bands: &[BandSpec], index: usize, unit: Option<&UnitSpec>) -> String {
    let higher = ctx.spec.contract.rules.boundary_values_go_to != "lower";
    let Some(band) = bands.get(index) else {
        return String::new();
    };
    let shared = |bound: &BoundSpec, upper: bool| -> bool {
        // Whether another band also includes this bound's value.
        bands.iter().enumerate().any(|(j, other)| {
            j != index && {
                let b = if upper { &other.lower } else { &other.upper };
                b.as_ref()
                    .is_some_and(|b| b.included && dec(&b.value) == dec(&bound.value))
            }
        })
    };
    let lower = band.lower.as_ref().map(|b| {
        // A shared lower bound belongs to this band when values go to the higher band.
        let included = b.included && (!shared(b, false) || higher);
        (ctx.in_unit(&b.value, unit), included)
    });
    let upper = band.upper.as_ref().map(|b| {
        let included = b.included && (!shared(b, true) || !higher);
        (ctx.in_unit(&b.value, unit), included)
    });
    let lo_words = |(v, inc): &(String, bool)| {
        if *inc {
            format!("at least {v}")
        } else {
            format!("above {v}")
        }
    };
    let hi_words = |(v, inc): &(String, bool)| {
        if *inc {
            format!("at most {v}")
        } else {
            format!("below {v}")
        }
    };
    match (&lower, &upper) {
        (Some(l), Some(u)) => format!("{} and {}", lo_words(l), hi_words(u)),
        (Some(l), None) => lo_words(l),
        (None, Some(u)) => hi_words(u),
        (None, None) => "any result".to_string(),
    }
}

/// A scale placed by a target that changes by year, its ends in each year in words.
fn scale_by_year(ctx: &Ctx, years: &[ScaleYearSpec], unit: Option<&UnitSpec>) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let each: Vec<String> = years
        .iter()
        .map(|y| {
            format!(
                "{}: {} to {}",
                year_range(y.contract_year, y.contract_year),
                ctx.in_unit(&y.from, unit),
                ctx.in_unit(&y.to, unit)
            )
        })
        .collect();
    Some(format!(
        "The scale is placed by the year's target, so its ends change by contract year: {}.",
        each.join("; ")
    ))
}

fn band_pays(ctx: &Ctx, band: &BandSpec, unit: Option<&UnitSpec>) -> String {
    match band.pays.as_str() {
        "nothing" => "Nothing".to_string(),
        "share" => format!(
            "{} of the period's pot",
            pct(band.value.as_deref().unwrap_or("0"))
        ),
        "amount" => format!(
            "{} for the period",
            ctx.money(band.value.as_deref().unwrap_or("0"))
        ),
        "linear" => {
            let from = pct(band.from.as_deref().unwrap_or("0"));
            let to = pct(band.to.as_deref().unwrap_or("0"));
            let lo = band
                .lower
                .as_ref()
                .map(|b| ctx.in_unit(&b.value, unit))
                .unwrap_or_default();
            let hi = band
                .upper
                .as_ref()
                .map(|b| ctx.in_unit(&b.value, unit))
                .unwrap_or_default();
            let direction = if dec(band.to.as_deref().unwrap_or("0"))
                < dec(band.from.as_deref().unwrap_or("0"))
            {
                "falling"
            } else {
                "rising"
            };
            format!("{from} of the period's pot at {lo}, {direction} in proportion to {to} at {hi}")
        }
        other => other.to_string(),
    }
}

/// A share of a period's pot in money: `£561,000.00`.
fn share_money(ctx: &Ctx, share: Option<&str>, pot: Decimal) -> String {
    let share = share.and_then(dec).unwrap_or(Decimal::ZERO);
    ctx.money_dec(pot * share / Decimal::ONE_HUNDRED)
}

fn band_money(ctx: &Ctx, band: &BandSpec, pot: Decimal) -> String {
    match band.pays.as_str() {
        "share" => share_money(ctx, band.value.as_deref(), pot),
        "amount" => ctx.money(band.value.as_deref().unwrap_or("0")),
        "linear" => format!(
            "{} to {}",
            share_money(ctx, band.from.as_deref(), pot),
            share_money(ctx, band.to.as_deref(), pot)
        ),
        _ => ctx.money_dec(Decimal::ZERO),
    }
}

/// Column headings for the money a period's pot stands for, per run of years.
fn pot_columns(payment: &PaymentSpec, runs: &[(u32, u32, Decimal)], years: usize) -> Vec<String> {
    let noun = period_noun(&payment.assessed);
    runs.iter()
        .map(|(first, last, _)| match (years <= 1, noun) {
            (true, "year") => "Amount".to_string(),
            (true, _) => format!("Per {noun}"),
            (false, "year") => capitalise(&year_range(*first, *last)),
            (false, _) => format!("Per {noun}, {}", year_range(*first, *last)),
        })
        .collect()
}

/// Whether a scale from `from` to `to` rises, and the words for results beyond its worse and
/// its better end: `or less` and `or more` on a rising scale.
fn scale_words(from: &str, to: &str) -> (bool, &'static str, &'static str) {
    let rising = dec(from) <= dec(to);
    let (worse, better) = if rising {
        ("or less", "or more")
    } else {
        ("or more", "or less")
    };
    (rising, worse, better)
}

/// The values each band covers, boundary rule applied, for each run of contract years in which
/// they are the same: (first year, last year, words per band).
fn band_covers_by_year(
    ctx: &Ctx,
    bands: &[BandSpec],
    years: u32,
    unit: Option<&UnitSpec>,
) -> Vec<(u32, u32, Vec<String>)> {
    let in_year = |year: u32| -> Vec<BandSpec> {
        bands
            .iter()
            .map(|band| {
                let placed = band.by_year.iter().find(|y| y.contract_year == year);
                BandSpec {
                    range: band.range.clone(),
                    placed_by_target_or_baseline: band.placed_by_target_or_baseline,
                    lower: placed.map_or(band.lower.clone(), |y| y.lower.clone()),
                    upper: placed.map_or(band.upper.clone(), |y| y.upper.clone()),
                    by_year: Vec::new(),
                    pays: band.pays.clone(),
                    value: band.value.clone(),
                    from: band.from.clone(),
                    to: band.to.clone(),
                }
            })
            .collect()
    };
    let mut runs: Vec<(u32, u32, Vec<String>)> = Vec::new();
    for year in 1..=years.max(1) {
        let year_bands = in_year(year);
        let words: Vec<String> = (0..year_bands.len())
            .map(|j| band_covers(ctx, &year_bands, j, unit))
            .collect();
        match runs.last_mut() {
            Some((_, last, previous)) if *previous == words => *last = year,
            _ => runs.push((year, year, words)),
        }
    }
    runs
}

/// The table of a payment's mechanism: its bands, scale, points, improvement terms or rate card.
pub(super) fn mechanism_table(
    ctx: &Ctx,
    blocks: &mut Vec<Block>,
    p: &PaymentSpec,
    runs: &[(u32, u32, Decimal)],
) {
    let spec = ctx.spec;
    let unit = ctx.unit_of(p);
    let money_heads = pot_columns(p, runs, spec.years.len());
    match &p.mechanism {
        MechanismSpec::Tiers { bands } => {
            // Bands placed by a target that changes by year cover other values in other years:
            // one column of the values covered for each run of years alike, each with the
            // boundary rule applied between that run's neighbouring bands.
            let covers = band_covers_by_year(ctx, bands, spec.years.len() as u32, unit);
            let cover_heads: Vec<String> = if covers.len() == 1 {
                vec!["Results it covers".to_string()]
            } else {
                covers
                    .iter()
                    .map(|(first, last, _)| {
                        format!("Results it covers, {}", year_range(*first, *last))
                    })
                    .collect()
            };
            let mut head = vec!["Band"];
            head.extend(cover_heads.iter().map(String::as_str));
            head.push("Pays");
            head.extend(money_heads.iter().map(String::as_str));
            let mut table = Table::new(format!("Payment bands of {}", p.name), &head);
            table.row_headers = true;
            let first_money = 2 + cover_heads.len();
            table.numeric = (first_money..first_money + money_heads.len()).collect();
            for (j, band) in bands.iter().enumerate() {
                let mut row = vec![plain(band.range.clone())];
                for (_, _, words) in &covers {
                    row.push(plain(capitalise(&words[j])));
                }
                row.push(plain(band_pays(ctx, band, unit)));
                for (_, _, pot) in runs {
                    row.push(plain(band_money(ctx, band, *pot)));
                }
                table.row(row);
            }
            blocks.push(Block::Table(table));
        }
        MechanismSpec::Linear {
            from,
            to,
            pays_from,
            pays_to,
            by_year,
        } => {
            let (rising, worse, better) = scale_words(from, to);
            let mut head = vec!["Result", "Pays"];
            head.extend(money_heads.iter().map(String::as_str));
            let mut table = Table::new(format!("Linear scale of {}", p.name), &head);
            table.row_headers = true;
            table.numeric = (2..2 + money_heads.len()).collect();
            let mut rows = vec![
                (
                    format!("{} {worse}", ctx.in_unit(from, unit)),
                    format!("{} of the period's pot", pct(pays_from)),
                    Some(pays_from.as_str()),
                    None,
                ),
                (
                    if rising {
                        format!(
                            "Between {} and {}",
                            ctx.in_unit(from, unit),
                            ctx.in_unit(to, unit)
                        )
                    } else {
                        format!(
                            "Between {} and {}",
                            ctx.in_unit(to, unit),
                            ctx.in_unit(from, unit)
                        )
                    },
                    format!(
                        "In proportion, from {} of the period's pot at {} to {} at {}",
                        pct(pays_from),
                        ctx.in_unit(from, unit),
                        pct(pays_to),
                        ctx.in_unit(to, unit)
                    ),
                    Some(pays_from.as_str()),
                    Some(pays_to.as_str()),
                ),
                (
                    format!("{} {better}", ctx.in_unit(to, unit)),
                    format!("{} of the period's pot", pct(pays_to)),
                    Some(pays_to.as_str()),
                    None,
                ),
            ];
            for (result, pays, a, b) in rows.drain(..) {
                let mut row = vec![plain(result), plain(pays)];
                for (_, _, pot) in runs {
                    row.push(plain(match b {
                        Some(b) => format!(
                            "{} to {}",
                            share_money(ctx, a, *pot),
                            share_money(ctx, Some(b), *pot)
                        ),
                        None => share_money(ctx, a, *pot),
                    }));
                }
                table.row(row);
            }
            blocks.push(Block::Table(table));
            if let Some(text) = scale_by_year(ctx, by_year, unit) {
                blocks.push(Block::Para(plain(text)));
            }
        }
        MechanismSpec::Points {
            points,
            from,
            to,
            by_year,
            price_per_point,
            adjusted_by,
        } => {
            let (_, worse, better) = scale_words(from, to);
            let mut table = Table::facts(format!("Points of {}", p.name));
            table.fact("Points available", plain(num(points)));
            table.fact(
                "How points are earned",
                plain(format!(
                    "No points at {} {worse}; all {} points at {} {better}; in proportion between",
                    ctx.in_unit(from, unit),
                    num(points),
                    ctx.in_unit(to, unit)
                )),
            );
            if let Some(text) = scale_by_year(ctx, by_year, unit) {
                table.fact("Scale by contract year", plain(text));
            }
            table.fact("Price per point", plain(ctx.by_year(price_per_point)));
            // All the points at each year's price.
            let most: Vec<YearMoney> = price_per_point
                .iter()
                .map(|y| YearMoney {
                    amount: dec(points)
                        .zip(dec(&y.amount))
                        .map(|(a, b)| (a * b).to_string())
                        .unwrap_or_default(),
                    ..y.clone()
                })
                .collect();
            table.fact(
                "Most before adjustment",
                plain(format!(
                    "{} ({} points × {})",
                    ctx.by_year(&most),
                    num(points),
                    ctx.by_year(price_per_point)
                )),
            );
            if !adjusted_by.is_empty() {
                let mut text = plain("Multiplied by each of: ");
                for (j, name) in adjusted_by.iter().enumerate() {
                    if j > 0 {
                        text = text.text("; ");
                    }
                    text = text.code(name.clone());
                    let title = ctx
                        .spec
                        .factors
                        .iter()
                        .find(|f| &f.name == name)
                        .and_then(|f| f.title.clone())
                        .or_else(|| {
                            let spec = ctx.spec;
                            spec.derived_values
                                .iter()
                                .find(|d| &d.name == name)
                                .map(|d| d.title.clone().unwrap_or_else(|| d.equals.clone()))
                                .or_else(|| {
                                    spec.inputs
                                        .iter()
                                        .find(|i| &i.name == name)
                                        .and_then(|i| i.title.clone())
                                })
                        });
                    if let Some(t) = title {
                        text = text.text(format!(" ({t})"));
                    }
                }
                let supplied = |name: &String| {
                    ctx.spec.factors.iter().any(|f| &f.name == name)
                        || ctx.spec.inputs.iter().any(|i| &i.name == name)
                };
                let (given, worked): (Vec<&String>, Vec<&String>) =
                    adjusted_by.iter().partition(|name| supplied(name));
                table.fact(
                    "Adjusted by",
                    text.text(match (given.is_empty(), worked.is_empty()) {
                        (false, true) => ", supplied with the data",
                        (true, false) => ", worked out from the data for each period",
                        _ => ", supplied with the data or worked out from it for each period",
                    }),
                );
            }
            blocks.push(Block::Table(table));
        }
        MechanismSpec::Improvement {
            change,
            against,
            trigger,
            trigger_above,
            pooled_trigger,
            pooled_trigger_above,
            pooled_on,
            pooled_when,
            pays_share,
            pays_per_point,
            pays_per_event,
        } => {
            let relative = change == "relative";
            let amount = |v: &str| {
                if relative {
                    pct(v)
                } else {
                    format!("{} points", num(v))
                }
            };
            let ind = p.indicator.as_deref().and_then(|i| ctx.indicator(i));
            let mut table = Table::facts(format!("Improvement terms of {}", p.name));
            table.fact(
                "Improvement measured as",
                plain(if relative {
                    "Relative change: the difference as a share of the starting value"
                } else {
                    "Absolute change: the plain difference, in the indicator's unit"
                }),
            );
            table.fact(
                "Compared with",
                plain(if against == "baseline" {
                    match ind.and_then(|i| i.baseline.clone()) {
                        Some(b) => format!("The indicator's baseline ({b})"),
                        None => "The indicator's baseline".to_string(),
                    }
                } else {
                    "A matched comparison group, whose result comes with the data".to_string()
                }),
            );
            if ind.and_then(|i| i.better.as_deref()) == Some("lower") {
                table.fact(
                    "Direction",
                    plain("Lower is better: an improvement is a fall"),
                );
            }
            table.fact(
                "Trigger",
                plain(match trigger {
                    Some(t) => format!(
                        "An improvement of {} {} is needed before anything is paid",
                        if *trigger_above {
                            "more than"
                        } else {
                            "at least"
                        },
                        amount(t)
                    ),
                    None => "Any improvement above zero".to_string(),
                }),
            );
            if let Some(t) = pooled_trigger {
                table.fact(
                    "Pooled trigger",
                    plain(crate::emit::spec::pooled_trigger_words(
                        &amount(t),
                        *pooled_trigger_above,
                        pooled_on.as_deref().unwrap_or_default(),
                        pooled_when.as_deref().unwrap_or_default(),
                    )),
                );
            }
            table.fact(
                "Pays",
                plain(match (pays_share, pays_per_point) {
                    (Some(s), _) => format!("{} of the period's pot when triggered", pct(s)),
                    (None, None) if pays_per_event.is_some() => format!(
                        "{} for each event avoided: the reference rate less the cohort's rate, times the cohort's size{}",
                        ctx.money(pays_per_event.as_deref().unwrap_or_default()),
                        if p.pot_per_year.is_some() {
                            ", up to the period's pot"
                        } else {
                            ""
                        }
                    ),
                    (None, Some(r)) => format!(
                        "{} for each {} of the period's own improvement{}",
                        ctx.money(r),
                        if relative { "1%" } else { "point" },
                        if p.pot_per_year.is_some() {
                            ", up to the period's pot"
                        } else {
                            ""
                        }
                    ),
                    _ => "Not stated".to_string(),
                }),
            );
            blocks.push(Block::Table(table));
        }
        MechanismSpec::RateCard {
            cohort,
            attachment_fee,
            criteria,
            outcomes,
        } => {
            let mut table = Table::new(
                format!("Rate card of {}", p.name),
                &["Outcome", "Price per participant", "Conditions"],
            );
            table.row_headers = true;
            table.numeric = vec![1];
            if let Some(fee) = attachment_fee {
                table.row(vec![
                    plain("Attachment fee"),
                    plain(ctx.by_year(fee)),
                    plain("Paid once for each participant who starts"),
                ]);
            }
            for o in outcomes {
                let mut conditions = Vec::new();
                if let Some(w) = &o.within {
                    conditions.push(format!("Achieved within {w} of the participant's start"));
                }
                if !o.all_of.is_empty() {
                    conditions.push(if o.achieved_by_criteria {
                        format!(
                            "Achieved by meeting all of {}, whether or not the outcome itself is recorded: paid on the day the last is met",
                            o.all_of.join(", ")
                        )
                    } else {
                        format!(
                            "Paid only when the outcome is recorded and all of {} are met, on the later of those days",
                            o.all_of.join(", ")
                        )
                    });
                }
                table.row(vec![
                    plain(o.title.clone().unwrap_or_else(|| o.name.clone())).name(o.name.clone()),
                    plain(ctx.by_year(&o.price)),
                    plain(if conditions.is_empty() {
                        "None".to_string()
                    } else {
                        conditions.join("; ")
                    }),
                ]);
            }
            blocks.push(Block::Table(table));
            if !criteria.is_empty() {
                let mut text = plain("Criteria (milestones recorded for each participant, not paid for on their own): ");
                for (j, c) in criteria.iter().enumerate() {
                    if j > 0 {
                        text = text.text(", ");
                    }
                    text = text.code(c.clone());
                }
                blocks.push(Block::Para(text.text(".")));
            }
            let mut text = plain(
                "Each participant's start date and the dates they achieve each outcome come from the participant records",
            );
            if let Some(c) = cohort {
                text = text.text(" of cohort ").code(c.clone());
            }
            blocks.push(Block::Note(text.text(
                ". A rate card has no single payout curve: it pays a price per outcome achieved, up to its caps.",
            )));
        }
    }
}
