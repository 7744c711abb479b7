//! An Open Contracting Data Standard 1.1 release package for the tender stage, with the Metrics
//! extension: the indicators and their targets as `tender.targets`, the payment points as
//! `tender.milestones` of type `payment`, the contract value and period, and a document entry
//! pointing at the obc JSON specification (OCDS cannot express tiers or formulas).
//!
//! OCDS wants amounts and measures as JSON numbers. They are written as the exact decimal
//! digits (raw JSON number tokens), never through floating point.

use serde_json::{json, Value};

use super::spec::{IndicatorSpec, Spec};

/// The Metrics extension's published extension.json.
const METRICS_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json";

/// Marks a decimal string to be written as an exact JSON number (see [`exact_numbers`]).
fn number(decimal: &str) -> Value {
    let valid = !decimal.is_empty() && decimal.parse::<rust_decimal::Decimal>().is_ok();
    if valid {
        Value::String(format!("{NUMBER_MARK}{decimal}"))
    } else {
        Value::Null
    }
}

/// Starts a string that stands for a number. No contract text can contain it: the marker
/// begins with a NUL character, which `exact_numbers` checks before replacing anything.
const NUMBER_MARK: &str = "\u{0}obc-number:";

/// Replaces each marked string with its digits as a bare JSON number, so amounts and measures
/// keep every digit (serde_json's own numbers would go through floating point).
fn exact_numbers(text: String) -> String {
    let quoted_mark = "\"\\u0000obc-number:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(quoted_mark) {
        out.push_str(&rest[..at]);
        let after = &rest[at + quoted_mark.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// `2016-04-01` as an OCDS date-time at the start of that day, UTC.
fn date_time(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

/// A name safe for identifiers: lowercase letters, digits and hyphens.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn target(indicator: &IndicatorSpec, spec: &Spec) -> Value {
    let unit = json!({ "name": indicator.unit.words });
    let mut observations = Vec::new();
    if let Some(baseline) = &indicator.baseline_value {
        observations.push(json!({
            "id": format!("{}-baseline", indicator.name),
            "measure": number(baseline),
            "unit": unit,
            "dimensions": { "observationType": "baseline", "asWritten": indicator.baseline.clone().unwrap_or_default() },
        }));
    }
    for (index, step) in indicator.targets.iter().enumerate() {
        // The value is the first word of the step as written (`85%`, `12`); the rest names the years.
        let value = step
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('%')
            .replace(',', "");
        let mut observation = json!({
            "id": format!("{}-target-{}", indicator.name, index + 1),
            "measure": number(&value),
            "unit": unit,
            "dimensions": { "observationType": "target", "asWritten": step },
        });
        if let Some(period) = target_period(step, spec) {
            observation["period"] = period;
        }
        observations.push(observation);
    }
    // A national standard a deduction holds the indicator to is a target too.
    for deduction in spec
        .deductions
        .iter()
        .filter(|d| d.indicator == indicator.name)
    {
        if let (Some(standard), Some(words)) = (&deduction.standard, deduction.standard_words()) {
            observations.push(json!({
                "id": format!("{}-standard-{}", indicator.name, deduction.name),
                "measure": number(standard),
                "unit": unit,
                "period": { "startDate": date_time(&spec.contract.term.start), "endDate": date_time(&spec.contract.term.end) },
                "dimensions": { "observationType": "standard", "asWritten": words, "deduction": deduction.name },
            }));
        }
    }
    let mut description = indicator.definition.clone().unwrap_or_default();
    if let (Some(n), Some(d)) = (&indicator.numerator, &indicator.denominator) {
        description.push_str(&format!(" Numerator: {n}. Denominator: {d}."));
    }
    let mut metric = json!({ "id": indicator.name, "title": indicator.title.clone().unwrap_or_else(|| indicator.name.clone()) });
    if !description.trim().is_empty() {
        metric["description"] = json!(description.trim());
    }
    if !observations.is_empty() {
        metric["observations"] = Value::Array(observations);
    }
    metric
}

/// The contract years a target step covers: `in year 2` is that year, `from year 2` runs to the
/// end of the term, a plain target the whole term.
fn target_period(step: &str, spec: &Spec) -> Option<Value> {
    let words: Vec<&str> = step.split_whitespace().collect();
    let year_of = |n: &str| {
        n.parse::<u32>()
            .ok()
            .and_then(|y| spec.years.iter().find(|s| s.contract_year == y))
    };
    let term = &spec.contract.term;
    let (start, end) = match words.as_slice() {
        [_, "in", "year", n] => {
            let year = year_of(n)?;
            (year.start.clone(), year.end.clone())
        }
        [_, "from", "year", n] => (year_of(n)?.start.clone(), term.end.clone()),
        [_] => (term.start.clone(), term.end.clone()),
        _ => return None,
    };
    Some(json!({ "startDate": date_time(&start), "endDate": date_time(&end) }))
}

/// The release package, as pretty-printed JSON.
pub fn release_package(spec: &Spec) -> String {
    let contract = &spec.contract;
    let name = slug(contract.reference.as_deref().unwrap_or(&contract.title));
    let published = date_time(&contract.term.start);
    let mut parties = Vec::new();
    for (index, commissioner) in contract.commissioners.iter().enumerate() {
        // A named commissioner that pays a share of the payments is also a payer.
        let payer = contract.payers.iter().find(|p| &p.title == commissioner);
        let mut roles = if index == 0 {
            vec!["buyer", "procuringEntity"]
        } else {
            vec!["buyer"]
        };
        if payer.is_some() {
            roles.push("payer");
        }
        parties.push(json!({
            "id": format!("commissioner-{}", index + 1),
            "name": commissioner,
            "roles": roles,
        }));
    }
    let total_value: rust_decimal::Decimal = contract
        .value_per_year
        .parse::<rust_decimal::Decimal>()
        .map(|v| v * rust_decimal::Decimal::from(contract.term.contract_years))
        .unwrap_or_default();
    let milestones: Vec<Value> = spec
        .payments
        .iter()
        .flat_map(|payment| {
            payment.periods.iter().map(move |period| {
                let title = payment
                    .title
                    .clone()
                    .unwrap_or_else(|| payment.name.clone());
                let mut description = format!(
                    "Payment for {} ({} to {}), worked out as set out in the obc specification",
                    period.label, period.start, period.end
                );
                if let Some(pot) = &period.pot {
                    description.push_str(&format!("; pot {pot} {}", contract.currency));
                }
                json!({
                    "id": format!("{}-{}", payment.name, slug(&period.label)),
                    "title": format!("{title}: {}", period.label),
                    "type": "payment",
                    "dueDate": date_time(&period.due),
                    "description": description,
                })
            })
        })
        .chain(spec.advances.iter().flat_map(|advance| {
            let title = advance
                .title
                .clone()
                .unwrap_or_else(|| advance.name.clone());
            advance.instalments.iter().map(move |instalment| {
                let amount = match (&instalment.amount, &advance.share, &advance.share_of) {
                    (Some(amount), _, _) => format!("{amount} {}", contract.currency),
                    (None, Some(share), Some(value)) => {
                        format!("an equal part of {share}% of {value} for the year")
                    }
                    _ => "an equal part of the year's advance".to_string(),
                };
                json!({
                    "id": format!("{}-{}", advance.name, slug(&instalment.label)),
                    "title": format!("{title}: {}", instalment.label),
                    "type": "payment",
                    "dueDate": date_time(&instalment.due),
                    "description": format!(
                        "Advance instalment for {} ({} to {}): {amount}, reconciled at the end of contract year {} against what the payments it covers earn",
                        instalment.label, instalment.start, instalment.end, instalment.contract_year
                    ),
                })
            })
        }))
        .collect();
    let targets: Vec<Value> = spec
        .indicators
        .iter()
        .filter(|i| !i.reporting_only || !i.targets.is_empty())
        .map(|i| target(i, spec))
        .collect();
    let mut tender = json!({
        "id": name,
        "title": contract.title,
        "status": "planned",
        "value": { "amount": number(&crate::eval::money_string(total_value)), "currency": contract.currency },
        "contractPeriod": { "startDate": date_time(&contract.term.start), "endDate": date_time(&contract.term.end) },
        "documents": [{
            "id": "obc-specification",
            "documentType": "technicalSpecifications",
            "title": "Payment mechanism: obc contract specification (JSON)",
            "description": "The full payment mechanism (indicators, bands, formulas, caps, gateways, timing) in the obc contract specification format; OCDS cannot express it.",
            "url": format!("https://example.org/specifications/{name}.obc.json"),
            "format": "application/json",
        }],
    });
    if let Some(description) = &contract.description {
        tender["description"] = json!(description);
    }
    if !targets.is_empty() {
        tender["targets"] = Value::Array(targets);
    }
    if !milestones.is_empty() {
        tender["milestones"] = Value::Array(milestones);
    }
    let mut release = json!({
        "ocid": format!("ocds-obc-{name}"),
        "id": format!("{name}-tender"),
        "date": published,
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "tender": tender,
    });
    if let Some(buyer) = contract.commissioners.first() {
        release["parties"] = Value::Array(parties);
        release["buyer"] = json!({ "id": "commissioner-1", "name": buyer });
    }
    let package = json!({
        "uri": format!("https://example.org/ocds/{name}/release-package.json"),
        "version": "1.1",
        "extensions": [METRICS_EXTENSION],
        "publishedDate": published,
        "publisher": { "name": contract.commissioners.first().cloned().unwrap_or_else(|| contract.title.clone()) },
        "releases": [release],
    });
    let mut text = exact_numbers(serde_json::to_string_pretty(&package).unwrap_or_default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits() {
        let text = exact_numbers(
            serde_json::to_string(&json!({ "amount": number("74800000.10") })).unwrap_or_default(),
        );
        assert_eq!(text, r#"{"amount":74800000.10}"#);
        assert_eq!(number("lots"), Value::Null);
        assert_eq!(
            slug("RCCG-OBC-2016-01 (illustrative)"),
            "rccg-obc-2016-01-illustrative"
        );
    }
}
