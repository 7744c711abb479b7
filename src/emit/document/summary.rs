//! Section 1, the summary: parties, term and value, money per contract year, the payments at a
//! glance, the contract's rules in plain words, and the population and cohorts.

use rust_decimal::Decimal;

use super::values::{date, dec, month_name, num, Ctx};
use super::{open, open_class, plain, Block, Rich, Table};
use crate::emit::spec::{MechanismSpec, PopulationSpec};

pub(super) fn people(list: &[String]) -> Rich {
    if list.is_empty() {
        plain("Not stated")
    } else {
        plain(list.join("; "))
    }
}

pub(super) fn term_words(ctx: &Ctx) -> String {
    let term = &ctx.spec.contract.term;
    let years = term.contract_years;
    format!(
        "{} to {} ({} contract year{})",
        date(&term.start),
        date(&term.end),
        years,
        if years == 1 { "" } else { "s" }
    )
}

pub(super) fn at_risk_words(ctx: &Ctx) -> String {
    let amounts: Vec<(u32, Option<String>)> = ctx
        .spec
        .years
        .iter()
        .map(|y| (y.contract_year, y.at_risk.clone()))
        .collect();
    if amounts.iter().all(|(_, a)| a.is_none()) {
        return "Not set".to_string();
    }
    ctx.per_year(&amounts, "not set")
}

pub(super) fn summary(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    let c = &spec.contract;
    open_class(blocks, "summary", 2, "1. Summary", "major");

    open(blocks, "parties-and-term", 3, "1.1 Parties, term and value");
    let mut facts = Table::facts("Parties, term and value");
    facts.fact(
        if c.commissioners.len() == 1 {
            "Commissioner"
        } else {
            "Commissioners"
        },
        people(&c.commissioners),
    );
    if !c.payers.is_empty() {
        let names: Vec<String> = c
            .payers
            .iter()
            .map(|p| format!("{}: {}", p.name, p.title))
            .collect();
        let split = if c.paid_by.is_empty() {
            "each payment says who pays it".to_string()
        } else {
            format!(
                "{} of every payment and deduction, unless a payment says otherwise",
                super::values::payer_words(&c.paid_by)
            )
        };
        facts.fact(
            "Payers",
            plain(format!("{}. Who pays: {split}", names.join("; "))),
        );
    }
    facts.fact(
        if c.providers.len() == 1 {
            "Provider"
        } else {
            "Providers"
        },
        people(&c.providers),
    );
    facts.fact(
        "Reference",
        plain(c.reference.clone().unwrap_or_else(|| "None given".into())),
    );
    facts.fact("Term", plain(term_words(ctx)));
    facts.fact(
        "Payments fall due by",
        plain(match &c.term.payments_due_by {
            Some(day) => format!(
                "{}: payments for the last periods may fall due after the term ends, up to this date",
                date(day)
            ),
            None => format!("{} (the end of the term)", date(&c.term.end)),
        }),
    );
    facts.fact(
        "Fiscal year",
        plain(format!("Starts in {}", month_name(c.fiscal_year_starts))),
    );
    facts.fact("Currency", plain(c.currency.clone()));
    facts.fact(
        "Contract value per year",
        plain(ctx.money(&c.value_per_year)),
    );
    facts.fact("Money at risk per year", plain(at_risk_words(ctx)));
    blocks.push(Block::Table(facts));
    blocks.push(Block::Close);

    open(blocks, "money-per-year", 3, "1.2 Money per contract year");
    let mut years = Table::new(
        "Money at risk and the largest possible payment in each contract year",
        &[
            "Contract year",
            "From",
            "To",
            "Money at risk",
            "Largest possible payment",
        ],
    );
    years.numeric = vec![3, 4];
    years.row_headers = true;
    let mut total_risk = Some(Decimal::ZERO);
    let mut total_largest = Some(Decimal::ZERO);
    for y in &spec.years {
        let risk = y.at_risk.as_deref().and_then(dec);
        let largest = y.largest_payment.as_deref().and_then(dec);
        total_risk = total_risk.zip(risk).map(|(t, a)| t + a);
        total_largest = total_largest.zip(largest).map(|(t, a)| t + a);
        years.row(vec![
            plain(format!("Year {}", y.contract_year)),
            plain(date(&y.start)),
            plain(date(&y.end)),
            plain(
                risk.map(|r| ctx.money_dec(r))
                    .unwrap_or_else(|| "not set".into()),
            ),
            plain(
                largest
                    .map(|l| ctx.money_dec(l))
                    .unwrap_or_else(|| "cannot be known in advance".into()),
            ),
        ]);
    }
    if spec.years.len() > 1 {
        years.row(vec![
            Rich::new().strong("Whole term"),
            plain(date(&c.term.start)),
            plain(date(&c.term.end)),
            total_risk
                .map(|t| Rich::new().strong(ctx.money_dec(t)))
                .unwrap_or_else(|| plain("not set")),
            total_largest
                .map(|t| Rich::new().strong(ctx.money_dec(t)))
                .unwrap_or_else(|| plain("cannot be known in advance")),
        ]);
    }
    blocks.push(Block::Table(years));
    blocks.push(Block::Note(plain(
        "The largest possible payment is what all the payments together would pay if every result were at its best, after caps; it cannot be known in advance where a payment depends on values supplied with the data, such as adjustment factors.",
    )));
    blocks.push(Block::Close);

    open(
        blocks,
        "payments-at-a-glance",
        3,
        "1.3 Payments at a glance",
    );
    let mut glance = Table::new(
        "The payments, what each is measured on, and the money each draws on",
        &[
            "Payment",
            "Measured on",
            "How it pays",
            "Pot per year",
            "Largest possible payment per year",
        ],
    );
    glance.row_headers = true;
    glance.numeric = vec![3, 4];
    for p in &spec.payments {
        glance.row(vec![
            ctx.payment_ref(&p.name),
            match (&p.indicator, &p.mechanism) {
                (Some(i), _) => ctx.indicator_ref(i),
                (None, MechanismSpec::RateCard { cohort, .. }) => match cohort {
                    Some(c) => plain("outcomes of participants in ").code(c.clone()),
                    None => plain("outcomes of participants"),
                },
                _ => plain("—"),
            },
            Rich::new().lines(&[
                mechanism_name(&p.mechanism).to_string(),
                format!("assessed {}", p.assessed),
            ]),
            Rich::new().lines(&match &p.pot_per_year {
                Some(list) => ctx.per_year_lines(&ctx.year_money(list), "None"),
                None => vec!["None".to_string()],
            }),
            Rich::new().lines(&ctx.largest_lines(p)),
        ]);
    }
    blocks.push(Block::Table(glance));
    blocks.push(Block::Close);

    open(blocks, "rules", 3, "1.4 How the contract settles details");
    blocks.push(Block::Bullets(rules(ctx)));
    blocks.push(Block::Close);

    let groups: Vec<(&str, &PopulationSpec)> = spec
        .population
        .iter()
        .map(|p| ("Population", p))
        .chain(spec.cohorts.iter().map(|c| ("Cohort", c)))
        .collect();
    if !groups.is_empty() {
        open(blocks, "population", 3, "1.5 Population and cohorts");
        for (kind, group) in groups {
            let name = match (&group.title, &group.name) {
                (Some(t), _) => t.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => kind.to_string(),
            };
            let mut table = Table::facts(format!("{kind}: {name}"));
            table.fact("Kind", plain(kind));
            if let Some(n) = &group.name {
                table.fact("Name in the contract", Rich::new().code(n.clone()));
            }
            table.fact("Title", plain(name.clone()));
            if let Some(size) = &group.size {
                table.fact("Size", plain(format!("{} people", num(size))));
            }
            if let Some(e) = &group.eligibility {
                table.fact("Eligibility", plain(e.clone()));
            }
            if let Some(d) = &group.description {
                table.fact("Description", plain(d.clone()));
            }
            blocks.push(Block::Table(table));
        }
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}

pub(super) fn mechanism_name(mechanism: &MechanismSpec) -> &'static str {
    match mechanism {
        MechanismSpec::Tiers { .. } => "Threshold bands",
        MechanismSpec::Linear { .. } => "Linear scale",
        MechanismSpec::Points { .. } => "Points",
        MechanismSpec::Improvement { .. } => "Improvement",
        MechanismSpec::RateCard { .. } => "Rate card",
    }
}

fn rules(ctx: &Ctx) -> Vec<Rich> {
    let r = &ctx.spec.contract.rules;
    let (minor, major) = match ctx.spec.contract.currency.as_str() {
        "GBP" => ("penny", "pound"),
        "EUR" => ("cent", "euro"),
        "USD" => ("cent", "dollar"),
        _ => ("hundredth", "whole unit"),
    };
    let unit = if r.rounding_unit == "pound" {
        major
    } else {
        minor
    };
    let rounding = match r.rounding_mode.as_str() {
        "half-up" => format!("Rounding: each amount is rounded to the nearest {unit}; an amount exactly halfway is rounded up."),
        "half-even" => format!("Rounding: each amount is rounded to the nearest {unit}; an amount exactly halfway goes to the even {unit} (banker's rounding)."),
        "up" => format!("Rounding: each amount is rounded up to the next whole {unit}."),
        "down" => format!("Rounding: each amount is rounded down to the whole {unit}."),
        other => format!("Rounding: {other} to the {unit}."),
    };
    let mut out = vec![plain(format!(
        "{rounding} Every payment line is rounded on its own; totals are the sum of the rounded lines."
    ))];
    if !ctx.spec.factors.is_empty() {
        out.push(plain(match r.factors_rounded_to {
            Some(places) => format!(
                "Adjustment factors: rounded to {places} decimal place{} before they are used.",
                if places == 1 { "" } else { "s" }
            ),
            None => "Adjustment factors: used as supplied, without rounding.".to_string(),
        }));
    }
    out.push(plain(if r.boundary_values_go_to == "lower" {
        "Results on a threshold: a result exactly on a threshold that two payment bands share falls in the lower band."
    } else {
        "Results on a threshold: a result exactly on a threshold that two payment bands share falls in the higher band."
    }));
    out.push(plain(if r.missing_data == "error" {
        "Missing data: a payment is not worked out for a period until every value it needs (results, factors, and the data of the gateways that apply) has been supplied, so that nothing is paid or withheld by accident."
    } else {
        "Missing data: a payment whose data for a period is missing pays nothing for that period, and a gateway whose data is missing counts as failed."
    }));
    out.push(plain(if r.part_periods == "excluded" {
        "Part periods: an assessment period cut short by the start or the end of the term is not assessed."
    } else {
        "Part periods: an assessment period cut short by the start or the end of the term is assessed, and its pot is reduced in proportion to its days inside the term."
    }));
    out.push(plain(if r.month_ends_stay_month_ends {
        "Due dates: adding whole months to the last day of a month gives the last day of the later month (30 June plus 2 months is 31 August)."
    } else {
        "Due dates: adding whole months to a date keeps the day of the month (30 June plus 2 months is 30 August); a day the later month does not have becomes its last day."
    }));
    if !ctx.spec.deductions.is_empty() {
        out.push(plain(if r.deductions_come == "before caps" {
            "Deductions taken from a payment reduce it before the payment's caps are applied."
        } else {
            "Deductions taken from a payment are applied after the payment's caps."
        }));
    }
    out
}
