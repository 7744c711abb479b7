//! Section 5: the gateways a payment must pass and the deductions taken for breaches.

use rust_decimal::Decimal;

use super::values::{dec, num, pct, Ctx};
use super::{open, open_class, plain, Block, Rich, Table};

fn requirement(ctx: &Ctx, text: &str) -> Rich {
    let mut words = text.splitn(2, ' ');
    let first = words.next().unwrap_or_default();
    let rest = words.next().unwrap_or_default();
    if first == "flag" {
        let title = ctx
            .spec
            .flags
            .iter()
            .find(|f| f.name == rest)
            .and_then(|f| f.title.clone());
        let mut r = plain("Flag ").code(rest.to_string());
        if let Some(t) = title {
            r = r.text(format!(" ({t})"));
        }
        return r.text(" is yes");
    }
    if ctx.indicator(first).is_some() {
        return ctx.indicator_ref(first).text(format!(" {rest}"));
    }
    plain(text)
}

pub(super) fn gateways_and_deductions(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(
        blocks,
        "gateways-and-deductions",
        2,
        "5. Gateways and deductions",
        "major",
    );
    open(blocks, "gateways", 3, "5.1 Gateways");
    if spec.gateways.is_empty() {
        blocks.push(Block::Para(plain("The contract has no gateways.")));
    } else {
        blocks.push(Block::Para(plain(
            "A gateway is a condition that must hold in a period before the payments it applies to are made. When it fails, the stated share of each of those payments is withheld for the period.",
        )));
        let mut table = Table::new(
            "Gateways",
            &[
                "Gateway",
                "Requires (all must hold)",
                "Applies to",
                "Withheld when it fails",
            ],
        );
        table.row_headers = true;
        table.numeric = vec![3];
        for g in &spec.gateways {
            let mut requires = Rich::new();
            for (j, r) in g.requires.iter().enumerate() {
                if j > 0 {
                    requires = requires.text("; ");
                }
                requires = requires.append(requirement(ctx, r));
            }
            let applies = match &g.applies_to {
                None => plain("All payments"),
                Some(list) => {
                    let mut text = Rich::new();
                    for (j, name) in list.iter().enumerate() {
                        if j > 0 {
                            text = text.text("; ");
                        }
                        text = text.append(ctx.payment_ref(name));
                    }
                    text
                }
            };
            table.row(vec![
                plain(g.title.clone().unwrap_or_else(|| g.name.clone())).name(g.name.clone()),
                requires,
                applies,
                plain(pct(&g.withholds)),
            ]);
        }
        blocks.push(Block::Table(table));
        for g in spec.gateways.iter().filter(|g| g.description.is_some()) {
            let title = g.title.clone().unwrap_or_else(|| g.name.clone());
            blocks.push(Block::Para(plain(format!(
                "{title}: {}",
                g.description.clone().unwrap_or_default()
            ))));
        }
    }
    blocks.push(Block::Close);
    open(blocks, "deductions", 3, "5.2 Deductions");
    if spec.deductions.is_empty() {
        blocks.push(Block::Para(plain("The contract has no deductions.")));
    } else {
        blocks.push(Block::Para(plain(
            "Money taken off the contract's payments when a service standard is breached more often than the tolerance allows.",
        )));
        let mut table = Table::new(
            "Deductions",
            &[
                "Deduction",
                "Breaches counted by",
                "Tolerance",
                "Deducts",
                "Caps",
                "Taken from",
            ],
        );
        table.row_headers = true;
        for d in &spec.deductions {
            let monthly = dec(&spec.contract.value_per_year).map(|v| v / Decimal::from(12));
            let deducts = match (&d.amount, &d.share_of_monthly_value) {
                (Some(a), _) => ctx.money(a),
                (None, Some(s)) => match monthly.zip(dec(s)) {
                    Some((m, s)) => format!(
                        "{} of the monthly contract value ({})",
                        pct(&s.normalize().to_string()),
                        ctx.money_dec(m * s / Decimal::ONE_HUNDRED)
                    ),
                    None => format!("{} of the monthly contract value", pct(s)),
                },
                _ => "Not stated".to_string(),
            };
            let beyond = if d.standard.is_some() {
                "the standard"
            } else {
                "the tolerance"
            };
            let mut deducts = match &d.charged_per {
                Some(unit) => format!("{deducts} for each {unit} beyond {beyond}"),
                None => format!(
                    "{deducts} once for a {} in which the tolerance is exceeded",
                    d.per
                ),
            };
            for instead in &d.instead {
                deducts.push_str(&format!(
                    "; {} for each breach counted by {} instead",
                    ctx.money(&instead.amount_per_breach),
                    instead.indicator
                ));
            }
            if let Some(borne) = d.borne_words() {
                deducts.push_str(&format!("; {borne}"));
            }
            let tolerance = match d.standard_words() {
                Some(standard) => format!("{standard}, measured each {}", d.per),
                None => format!("{} per {}", num(&d.tolerance), d.per),
            };
            table.row(vec![
                plain(d.title.clone().unwrap_or_else(|| d.name.clone())).name(d.name.clone()),
                ctx.indicator_ref(&d.indicator),
                plain(tolerance),
                plain(deducts),
                plain(if d.caps.is_empty() {
                    "None".to_string()
                } else {
                    ctx.limits(&d.caps)
                }),
                match &d.taken_from {
                    Some(p) => ctx.payment_ref(p),
                    None => plain("Whatever is due: a line of its own"),
                },
            ]);
        }
        blocks.push(Block::Table(table));
        for d in spec.deductions.iter().filter(|d| d.description.is_some()) {
            let title = d.title.clone().unwrap_or_else(|| d.name.clone());
            blocks.push(Block::Para(plain(format!(
                "{title}: {}",
                d.description.clone().unwrap_or_default()
            ))));
        }
    }
    blocks.push(Block::Close);
    blocks.push(Block::Close);
}
