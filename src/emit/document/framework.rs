//! Sections 2 and 3: the outcomes framework, a definition card per indicator, and the factors
//! and flags supplied with the data.

use super::values::{num, Ctx};
use super::{open, open_class, plain, Block, Cell, Rich, Table};
use crate::emit::chart::{capitalise, id_part};
use crate::emit::spec::{IndicatorSpec, Spec};

pub(super) fn framework(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(
        blocks,
        "outcomes-framework",
        2,
        "2. Outcomes framework",
        "major",
    );
    if spec.outcomes_framework.is_empty() {
        blocks.push(Block::Para(plain(
            "The contract does not set out an outcomes framework.",
        )));
    } else {
        blocks.push(Block::Para(plain(
            "The outcomes the contract pursues, grouped by domain, and the indicators that measure each outcome.",
        )));
        let mut table = Table::new(
            "Outcomes framework: domains, outcomes and their indicators",
            &["Domain", "Outcome", "Indicators"],
        );
        table.row_headers = true;
        for domain in &spec.outcomes_framework {
            let span = domain.outcomes.len().max(1);
            let domain_cell = Rich::new()
                .strong(domain.title.clone().unwrap_or_else(|| domain.name.clone()))
                .name(domain.name.clone());
            if domain.outcomes.is_empty() {
                table.row(vec![domain_cell, plain("No outcomes"), plain("")]);
                continue;
            }
            for (i, outcome) in domain.outcomes.iter().enumerate() {
                let mut indicators = Rich::new();
                for (j, name) in outcome.indicators.iter().enumerate() {
                    if j > 0 {
                        indicators = indicators.text("; ");
                    }
                    indicators = indicators.append(ctx.indicator_ref(name));
                    if ctx.indicator(name).is_some_and(|i| i.reporting_only) {
                        indicators = indicators.text(" ").tag("reporting only");
                    }
                }
                let outcome_cell = plain(
                    outcome
                        .title
                        .clone()
                        .unwrap_or_else(|| outcome.name.clone()),
                );
                table.rows.push(vec![
                    Cell {
                        content: if i == 0 {
                            domain_cell.clone()
                        } else {
                            Rich::new()
                        },
                        rowspan: if i == 0 { span } else { 0 },
                    },
                    outcome_cell.into(),
                    indicators.into(),
                ]);
            }
        }
        blocks.push(Block::Table(table));
    }
    let listed: Vec<&String> = spec
        .outcomes_framework
        .iter()
        .flat_map(|d| d.outcomes.iter().flat_map(|o| o.indicators.iter()))
        .collect();
    let others: Vec<&IndicatorSpec> = spec
        .indicators
        .iter()
        .filter(|i| !listed.contains(&&i.name))
        .collect();
    if !others.is_empty() {
        let mut text = plain("Indicators defined outside the framework: ");
        for (j, i) in others.iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.append(ctx.indicator_ref(&i.name));
            let uses = used_by(ctx, &i.name);
            if !uses.is_empty() {
                text = text.text(format!(", used by {}", uses.join(", ")));
            }
        }
        blocks.push(Block::Para(text.text(".")));
    }
    blocks.push(Block::Close);
}

/// The indicators in the order of the framework, then the rest.
fn ordered_indicators(spec: &Spec) -> Vec<&IndicatorSpec> {
    let mut out: Vec<&IndicatorSpec> = Vec::new();
    for name in spec
        .outcomes_framework
        .iter()
        .flat_map(|d| d.outcomes.iter().flat_map(|o| o.indicators.iter()))
    {
        if let Some(i) = spec.indicators.iter().find(|i| &i.name == name) {
            if !out.iter().any(|o| o.name == i.name) {
                out.push(i);
            }
        }
    }
    for i in &spec.indicators {
        if !out.iter().any(|o| o.name == i.name) {
            out.push(i);
        }
    }
    out
}

/// What uses an indicator, in words: `payment at_home`, `gateway data_quality`.
fn used_by(ctx: &Ctx, name: &str) -> Vec<String> {
    let spec = ctx.spec;
    let mut uses = Vec::new();
    for p in &spec.payments {
        if p.indicator.as_deref() == Some(name) {
            uses.push(format!("payment {}", p.name));
        }
    }
    for g in &spec.gateways {
        if g.requires
            .iter()
            .any(|r| r.split_whitespace().next() == Some(name))
        {
            uses.push(format!("gateway {}", g.name));
        }
    }
    for d in &spec.deductions {
        if d.indicator == name {
            uses.push(format!("deduction {}", d.name));
        }
    }
    uses
}

pub(super) fn indicators(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "indicators", 2, "3. Indicators", "major");
    blocks.push(Block::Para(plain(
        "One definition card per indicator: what is measured, where the data comes from, when it is reported, and the baseline and targets. The data lag is how long after the end of a period its data becomes available; a period whose denominator is below the minimum denominator is not assessed.",
    )));
    let stated = |v: &Option<String>| plain(v.clone().unwrap_or_else(|| "Not stated".into()));
    for (n, i) in ordered_indicators(spec).into_iter().enumerate() {
        let title = i.title.clone().unwrap_or_else(|| i.name.clone());
        open_class(
            blocks,
            format!("indicator-{}", id_part(&i.name)),
            3,
            format!("3.{} {title}", n + 1),
            "card",
        );
        let mut card = Table::facts(format!("Definition of {}", i.name));
        let mut name = Rich::new().code(i.name.clone());
        if i.reporting_only {
            name = name.text(" ").tag("reporting only");
        }
        card.fact("Name in the contract", name);
        card.fact("Definition", stated(&i.definition));
        card.fact("Numerator", stated(&i.numerator));
        card.fact("Denominator", stated(&i.denominator));
        card.fact("Source", stated(&i.source));
        if let Some(d) = &i.description {
            card.fact("Description", plain(d.clone()));
        }
        if let Some(f) = &i.follow_up {
            card.fact(
                "Follow-up",
                plain(format!("{f} after the event, as the definition requires")),
            );
        }
        card.fact(
            "Reporting only",
            plain(if i.reporting_only {
                "Yes: monitored and reported, never paid on"
            } else {
                "No"
            }),
        );
        let range = match &i.unit.max {
            // A score's words already give its range.
            Some(_) if i.unit.kind == "score" => String::new(),
            Some(max) => format!(
                " ({} to {})",
                ctx.in_unit(&i.unit.min, Some(&i.unit)),
                ctx.in_unit(max, Some(&i.unit))
            ),
            None => String::new(),
        };
        let mut strip = Table::new(
            format!("Measurement of {}", i.name),
            &[
                "Unit",
                "Polarity",
                "Reported",
                "Data lag",
                "Baseline",
                "Targets",
                "Minimum denominator",
            ],
        );
        strip.class = "strip";
        strip.row(vec![
            plain(format!("{}{range}", capitalise(&i.unit.words))),
            plain(match i.better.as_deref() {
                Some("higher") => "Higher is better",
                Some("lower") => "Lower is better",
                _ => "Not stated",
            }),
            plain(
                i.reported
                    .as_deref()
                    .map(capitalise)
                    .unwrap_or_else(|| "Not stated".into()),
            ),
            plain(match &i.data_lag {
                Some(lag) => format!("{lag} after the period"),
                None => "None".to_string(),
            }),
            plain(i.baseline.clone().unwrap_or_else(|| "None".into())),
            if i.targets.is_empty() {
                plain("None")
            } else {
                Rich::new().lines(&i.targets)
            },
            plain(
                i.minimum_denominator
                    .as_deref()
                    .map(num)
                    .unwrap_or_else(|| "None".into()),
            ),
        ]);
        if i.exclusions_come_off_the_denominator {
            card.fact(
                "Exclusions",
                plain("Cases excluded from the denominator (such as personalised care adjustments) come off the denominator, not the numerator: 540 of 900 with 180 excluded is 540 of 720"),
            );
        }
        if i.combine_periods != "pooling" {
            card.fact(
                "Periods combine by",
                plain(combine_words(&i.combine_periods)),
            );
        }
        if let Some(c) = &i.cohort {
            let cohort = spec.cohorts.iter().find(|k| k.name.as_deref() == Some(c));
            let mut text = Rich::new().code(c.clone());
            if let Some(t) = cohort.and_then(|k| k.title.clone()) {
                text = text.text(format!(" ({t})"));
            }
            card.fact("Measured in cohort", text);
        }
        let mut uses = Rich::new();
        let mut any = false;
        for p in spec
            .payments
            .iter()
            .filter(|p| p.indicator.as_deref() == Some(&i.name))
        {
            if any {
                uses = uses.text("; ");
            }
            uses = uses.text("payment ").append(ctx.payment_ref(&p.name));
            any = true;
        }
        for g in &spec.gateways {
            if g.requires
                .iter()
                .any(|r| r.split_whitespace().next() == Some(i.name.as_str()))
            {
                if any {
                    uses = uses.text("; ");
                }
                uses = uses.text("gateway ").link(
                    "gateways",
                    g.title.clone().unwrap_or_else(|| g.name.clone()),
                );
                any = true;
            }
        }
        for d in spec.deductions.iter().filter(|d| d.indicator == i.name) {
            if any {
                uses = uses.text("; ");
            }
            uses = uses.text("deduction ").link(
                "deductions",
                d.title.clone().unwrap_or_else(|| d.name.clone()),
            );
            any = true;
        }
        card.fact(
            "Used by",
            if any {
                uses
            } else {
                plain("No payment, gateway or deduction")
            },
        );
        blocks.push(Block::Table(card));
        blocks.push(Block::Table(strip));
        blocks.push(Block::Close);
    }
    if !spec.factors.is_empty()
        || !spec.flags.is_empty()
        || !spec.inputs.is_empty()
        || !spec.derived_values.is_empty()
    {
        let n = spec.indicators.len() + 1;
        open(
            blocks,
            "factors-and-flags",
            3,
            if spec.inputs.is_empty() && spec.derived_values.is_empty() {
                format!("3.{n} Factors and flags supplied with the data")
            } else {
                format!("3.{n} Values supplied with the data and worked out from it")
            },
        );
        let mut table = Table::new(
            if spec.derived_values.is_empty() {
                "Values supplied with the data for each period"
            } else {
                "Values supplied with the data, or worked out from it, for each period"
            },
            &["Name", "Kind", "Meaning"],
        );
        table.row_headers = true;
        for f in &spec.factors {
            table.row(vec![
                Rich::new().code(f.name.clone()),
                plain("Factor: multiplies the payments adjusted by it"),
                plain(f.title.clone().unwrap_or_default()),
            ]);
        }
        for f in &spec.flags {
            table.row(vec![
                Rich::new().code(f.name.clone()),
                plain("Flag: yes or no, used by gateways"),
                plain(f.title.clone().unwrap_or_default()),
            ]);
        }
        for i in &spec.inputs {
            let mut kind = format!("Input: {}, a row of its own for each period", i.unit.words);
            if let Some(range) = &i.range {
                kind.push_str(&format!(
                    ", from {} to {}",
                    ctx.in_unit(&range.from, Some(&i.unit)),
                    ctx.in_unit(&range.to, Some(&i.unit))
                ));
            }
            let meaning = [i.title.clone(), i.description.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(". ");
            table.row(vec![
                Rich::new().code(i.name.clone()),
                plain(kind),
                plain(meaning),
            ]);
        }
        if !spec.inputs.is_empty() || !spec.factors.is_empty() || !spec.flags.is_empty() {
            blocks.push(Block::Table(table));
        }
        if !spec.derived_values.is_empty() {
            let mut derived = Table::new(
                "Values worked out for each period from the data",
                &["Name", "Worked out as", "Meaning"],
            );
            derived.row_headers = true;
            for d in &spec.derived_values {
                let mut how = Rich::new()
                    .code(d.equals.clone())
                    .text(format!(", {}", d.unit));
                how = match d.rounded_to {
                    Some(places) => how.text(format!(
                        ", rounded to {places} decimal place{} by the contract's rounding rule",
                        if places == 1 { "" } else { "s" }
                    )),
                    None => how.text(", not rounded"),
                };
                if let Some(range) = &d.range {
                    how = how.text(format!(
                        "; it must lie from {} to {}",
                        num(&range.from),
                        num(&range.to)
                    ));
                }
                let meaning = [d.title.clone(), d.description.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(". ");
                derived.row(vec![Rich::new().code(d.name.clone()), how, plain(meaning)]);
            }
            blocks.push(Block::Table(derived));
        }
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}

/// How rows of shorter periods make a longer period's value, in words.
pub(super) fn combine_words(rule: &str) -> String {
    match rule {
        "mean" => "The mean of the shorter periods' values",
        "latest" => "The value of the latest shorter period (a cumulative measure)",
        "sum" => "The sum of the shorter periods' values",
        "best" => "The best of the shorter periods' values",
        "worst" => "The worst of the shorter periods' values",
        _ => "Pooling: numerators over denominators, counts and amounts added up",
    }
    .to_string()
}
