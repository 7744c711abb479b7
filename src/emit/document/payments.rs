//! Section 4, the payment mechanisms: each payment's key facts, its mechanism table and its
//! payout chart.

use super::mechanisms::mechanism_table;
use super::summary::mechanism_name;
use super::values::{date, join_words, pct, period_noun, year_range, Ctx};
use super::{open_class, plain, Block, Rich, Table};
use crate::emit::chart::{self, capitalise, id_part, lower_first, KeyPoint, Scale};
use crate::emit::spec::{DeductionSpec, GatewaySpec, MechanismSpec, PaymentSpec};

pub(super) fn payments(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "payments", 2, "4. Payment mechanisms", "major");
    if spec.payments.is_empty() {
        blocks.push(Block::Para(plain("The contract has no payments.")));
    } else {
        let side = if spec.contract.rules.boundary_values_go_to == "lower" {
            "lower"
        } else {
            "higher"
        };
        let tiers = spec
            .payments
            .iter()
            .any(|p| matches!(p.mechanism, MechanismSpec::Tiers { .. }));
        let mut text = "How each payment works out its amount. Amounts per period are before gateways and deductions; a payment's caps limit them as stated.".to_string();
        if tiers {
            text.push_str(&format!(" In the tables of bands, \"Results it covers\" applies the contract's boundary rule: a result exactly on a threshold that two bands share falls in the {side} band."));
        }
        blocks.push(Block::Para(plain(text)));
    }
    for (n, p) in spec.payments.iter().enumerate() {
        payment(ctx, blocks, n + 1, p);
    }
    for (n, a) in spec.advances.iter().enumerate() {
        advance(ctx, blocks, spec.payments.len() + n + 1, a);
    }
    blocks.push(Block::Close);
}

/// An `advance` block: what it pays each year, how, and the payments it reconciles.
fn advance(ctx: &Ctx, blocks: &mut Vec<Block>, n: usize, a: &crate::emit::spec::AdvanceBlockSpec) {
    let title = a.title.clone().unwrap_or_else(|| a.name.clone());
    open_class(
        blocks,
        format!("advance-{}", id_part(&a.name)),
        3,
        format!("4.{n} {title}"),
        "payment",
    );
    let mut facts = Table::facts(format!("Key facts of advance {}", a.name));
    facts.fact("Name in the contract", plain("").code(a.name.clone()));
    let pays = match (&a.share, &a.share_of) {
        (Some(share), Some(value)) => plain(format!("{} of ", pct(share)))
            .code(value.clone())
            .text(" for each contract year, rounded by the contract's rule"),
        _ => plain(ctx.per_year(&ctx.year_money(&a.amount_per_year), "none")),
    };
    facts.fact("Pays each contract year", pays);
    facts.fact(
        "Paid",
        plain(format!(
            "In {} instalments in whole pennies that add up to the year's advance, each due on the first day of its period",
            a.paid
        )),
    );
    let mut covers = plain("");
    for (i, payment) in a.covers.iter().enumerate() {
        if i > 0 {
            covers = covers.text(if i + 1 == a.covers.len() {
                " and "
            } else {
                ", "
            });
        }
        covers = covers.append(ctx.payment_ref(payment));
    }
    facts.fact("Covers", covers);
    facts.fact(
        "Reconciled",
        plain("At the end of each contract year: what the payments it covers earned, less the instalments paid, is paid with the last of them, or recovered when the instalments were more"),
    );
    blocks.push(Block::Table(facts));
    if let Some(description) = &a.description {
        blocks.push(Block::Para(plain(description.clone())));
    }
    blocks.push(Block::Close);
}

fn payment(ctx: &Ctx, blocks: &mut Vec<Block>, n: usize, p: &PaymentSpec) {
    let spec = ctx.spec;
    let title = p.title.clone().unwrap_or_else(|| p.name.clone());
    open_class(
        blocks,
        format!("payment-{}", id_part(&p.name)),
        3,
        format!("4.{n} {title}"),
        "payment",
    );
    if let Some(description) = &p.description {
        blocks.push(Block::Para(plain(description.clone())));
    }
    let mut facts = Table::facts(format!("Key facts of payment {}", p.name));
    facts.fact("Name in the contract", Rich::new().code(p.name.clone()));
    facts.fact(
        "Measured on",
        match (&p.indicator, &p.mechanism) {
            (Some(i), _) => ctx.indicator_ref(i),
            (
                None,
                MechanismSpec::RateCard {
                    cohort: Some(c), ..
                },
            ) => {
                let title = spec
                    .cohorts
                    .iter()
                    .find(|k| k.name.as_deref() == Some(c.as_str()))
                    .and_then(|k| k.title.clone());
                let mut text =
                    plain("Outcomes achieved by each participant in cohort ").code(c.clone());
                if let Some(t) = title {
                    text = text.text(format!(" ({t})"));
                }
                text
            }
            _ => plain("Outcomes achieved by each participant"),
        },
    );
    facts.fact("How it pays", plain(mechanism_name(&p.mechanism)));
    let count = p.periods.len();
    facts.fact(
        "Assessed",
        plain(format!(
            "{} ({count} period{} over the term)",
            capitalise(&p.assessed),
            if count == 1 { "" } else { "s" }
        )),
    );
    let runs = ctx.period_pots(p);
    let rate_card = matches!(p.mechanism, MechanismSpec::RateCard { .. });
    match &p.pot_per_year {
        // A rate card's pot is a yearly budget, not shared out among periods.
        Some(list) if rate_card => facts.fact(
            "Yearly budget",
            plain(format!(
                "{}: the most it pays in a contract year",
                ctx.per_year(&ctx.year_money(list), "none")
            )),
        ),
        Some(list) => {
            facts.fact(
                "Pot per year",
                plain(ctx.per_year(&ctx.year_money(list), "none")),
            );
            if chart::periods_per_year(&p.assessed) > 1 {
                let noun = period_noun(&p.assessed);
                let text = ctx
                    .period_pot_words(p)
                    .iter()
                    .map(|(first, last, pot)| {
                        if spec.years.len() <= 1 {
                            pot.clone()
                        } else {
                            format!("{pot} in {}", year_range(*first, *last))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                facts.fact(&format!("Pot per {noun}"), plain(text));
            }
        }
        None => facts.fact(
            "Pot per year",
            plain("None: the payment does not draw on a pot"),
        ),
    }
    if let Some(rule) = &p.combine_periods {
        facts.fact(
            "Periods combine by",
            plain(super::framework::combine_words(rule)),
        );
    }
    if p.own_payers {
        facts.fact("Paid by", plain(super::values::payer_words(&p.paid_by)));
    }
    if let Some(protected) = &p.protected {
        let what = if protected.what == "points" {
            "Paid on the points given for each period"
        } else {
            "Paid the share of its pot given for each period"
        };
        facts.fact(
            "Protected",
            plain(format!("{what} by "))
                .code(protected.value.clone())
                .text(
                ", whatever the result; the result is shown beside it as what the rule calculates",
            ),
        );
    }
    facts.fact("Largest possible payment per year", plain(ctx.largest(p)));
    facts.fact(
        "Caps",
        plain(match (p.caps.is_empty(), p.not_capped) {
            (true, true) => "None: the contract says it is not capped".to_string(),
            (true, false) => "None".to_string(),
            (false, _) => ctx.limits(&p.caps),
        }),
    );
    facts.fact(
        "Floors",
        plain(if p.floors.is_empty() {
            "None".to_string()
        } else {
            ctx.limits(&p.floors)
        }),
    );
    if let Some(a) = &p.advance {
        facts.fact(
            "Advance",
            plain(format!(
                "{} of the pot paid in advance, {}, and reconciled against the amount earned at the end of the year; caps do not apply",
                pct(&a.share),
                a.frequency
            )),
        );
    }
    if let Some(a) = ctx
        .spec
        .advances
        .iter()
        .find(|a| a.covers.contains(&p.name))
    {
        facts.fact(
            "Advance",
            plain("Paid through the advance ")
                .code(a.name.clone())
                .text(": what it earns, after its caps, is reconciled at the end of each contract year against the instalments paid"),
        );
    }
    let lag = p
        .indicator
        .as_deref()
        .and_then(|i| ctx.indicator(i))
        .and_then(|i| i.data_lag.clone());
    let mut due = capitalise(&p.paid);
    if p.paid.contains("after the data") {
        due.push_str(&match lag {
            Some(l) => format!(" (the data is available {l} after the period ends)"),
            None => " (the data is available when the period ends)".to_string(),
        });
    }
    if let (Some(first), Some(last)) = (p.periods.first(), p.periods.last()) {
        if count > 1 {
            due.push_str(&format!(
                ". First payment due {}; last due {}",
                date(&first.due),
                date(&last.due)
            ));
        } else {
            due.push_str(&format!(". Due {}", date(&first.due)));
        }
    }
    facts.fact("Falls due", plain(due));
    let gates: Vec<&GatewaySpec> = spec
        .gateways
        .iter()
        .filter(|g| {
            g.applies_to
                .as_ref()
                .is_none_or(|list| list.iter().any(|n| n == &p.name))
        })
        .collect();
    facts.fact(
        "Gateways",
        if gates.is_empty() {
            plain("None")
        } else {
            let mut text = Rich::new();
            for (j, g) in gates.iter().enumerate() {
                if j > 0 {
                    text = text.text("; ");
                }
                text = text
                    .link(
                        "gateways",
                        g.title.clone().unwrap_or_else(|| g.name.clone()),
                    )
                    .text(format!(": withholds {} when it fails", pct(&g.withholds)));
            }
            text
        },
    );
    let taken: Vec<&DeductionSpec> = spec
        .deductions
        .iter()
        .filter(|d| d.taken_from.as_deref() == Some(p.name.as_str()))
        .collect();
    if !taken.is_empty() {
        let mut text = Rich::new();
        for (j, d) in taken.iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.link(
                "deductions",
                d.title.clone().unwrap_or_else(|| d.name.clone()),
            );
        }
        facts.fact("Deductions taken from it", text);
    }
    blocks.push(Block::Table(facts));

    mechanism_table(ctx, blocks, p, &runs);

    if let Some(curve) = chart::curve(spec, p) {
        let points = chart::key_points(spec, p).unwrap_or_default();
        let svg = chart::payout_svg(spec, p);
        let mut caption = plain(format!("Payout of {title}: ")).text(match curve.scale {
            Scale::Share => "the share of the period's pot paid",
            Scale::Money => "the amount paid for the period",
        });
        caption = caption.text(format!(" against {}.", lower_first(&curve.x_title)));
        let mut marks = Vec::new();
        if matches!(
            p.mechanism,
            MechanismSpec::Tiers { .. }
                | MechanismSpec::Linear { .. }
                | MechanismSpec::Points { .. }
        ) {
            marks.push("thresholds (grey, dashed)".to_string());
        } else {
            marks.push("triggers (dark grey, dashed)".to_string());
        }
        let ind = p.indicator.as_deref().and_then(|i| ctx.indicator(i));
        let measured = !matches!(&p.mechanism, MechanismSpec::Improvement { against, .. } if against != "baseline");
        if measured && ind.is_some_and(|i| i.baseline_value.is_some()) {
            marks.push("the baseline (orange, dashed)".to_string());
        }
        if measured && ind.is_some_and(|i| !i.targets.is_empty()) {
            marks.push("the first target (purple, dotted)".to_string());
        }
        let mut legend = format!("Marked: {}.", join_words(&marks));
        if !chart_jumps_free(&points) {
            legend.push_str(
                " Where the payment jumps, the filled dot shows what a result exactly on the threshold pays.",
            );
        }
        if !curve.note.is_empty() {
            caption = caption.text(format!(" {}", curve.note));
        }
        if !p.caps.is_empty() || !p.floors.is_empty() {
            caption = caption.text(" Caps and floors are not applied.");
        }
        blocks.push(Block::Chart {
            svg,
            points,
            scale: curve.scale,
            measured: curve.measured,
            caption,
            legend,
        });
    }
    blocks.push(Block::Close);
}

fn chart_jumps_free(points: &[KeyPoint]) -> bool {
    !points.iter().any(|p| p.result.starts_with("just "))
}
