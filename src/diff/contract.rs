//! The contract header, its payers, indicators, inputs and derived values, compared.

use super::*;

impl Differ {
    pub(super) fn contract(&mut self, old: &Spec, new: &Spec) {
        let (o, n) = (&old.contract, &new.contract);
        let name = n.title.clone();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            self.push("contract", &name, what, before, after)
        };
        c("title", Some(o.title.clone()), Some(n.title.clone()));
        c("reference", o.reference.clone(), n.reference.clone());
        c(
            "commissioners",
            Some(o.commissioners.join(", ")),
            Some(n.commissioners.join(", ")),
        );
        c(
            "providers",
            Some(o.providers.join(", ")),
            Some(n.providers.join(", ")),
        );
        let payers = |c: &crate::emit::spec::ContractSpec| {
            (!c.payers.is_empty()).then(|| {
                c.payers
                    .iter()
                    .map(|p| format!("{} ({})", p.name, p.title))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        };
        c("payers", payers(o), payers(n));
        c("paid by", payer_split(&o.paid_by), payer_split(&n.paid_by));
        c(
            "term start",
            Some(o.term.start.clone()),
            Some(n.term.start.clone()),
        );
        c(
            "term end",
            Some(o.term.end.clone()),
            Some(n.term.end.clone()),
        );
        c(
            "contract years",
            Some(o.term.contract_years.to_string()),
            Some(n.term.contract_years.to_string()),
        );
        c(
            "payments due by",
            o.term.payments_due_by.clone(),
            n.term.payments_due_by.clone(),
        );
        c(
            "fiscal year starts",
            Some(format!("month {}", o.fiscal_year_starts)),
            Some(format!("month {}", n.fiscal_year_starts)),
        );
        c(
            "currency",
            Some(o.currency.clone()),
            Some(n.currency.clone()),
        );
        let (rb, ra) = (&o.rules, &n.rules);
        c(
            "rounding",
            Some(format!("{} to {}", rb.rounding_mode, rb.rounding_unit)),
            Some(format!("{} to {}", ra.rounding_mode, ra.rounding_unit)),
        );
        let places = |p: Option<u32>| {
            p.map(|p| format!("{p} decimal places"))
                .unwrap_or_else(|| "not rounded".to_string())
        };
        c(
            "factors rounded to",
            Some(places(rb.factors_rounded_to)),
            Some(places(ra.factors_rounded_to)),
        );
        c(
            "boundary values go to",
            Some(format!("the {} band", rb.boundary_values_go_to)),
            Some(format!("the {} band", ra.boundary_values_go_to)),
        );
        c(
            "missing data",
            Some(rb.missing_data.clone()),
            Some(ra.missing_data.clone()),
        );
        c(
            "month ends stay month ends",
            Some(yes_no(rb.month_ends_stay_month_ends)),
            Some(yes_no(ra.month_ends_stay_month_ends)),
        );
        c(
            "part periods",
            Some(rb.part_periods.clone()),
            Some(ra.part_periods.clone()),
        );
        c(
            "deductions come",
            Some(rb.deductions_come.clone()),
            Some(ra.deductions_come.clone()),
        );
        let (vb, va) = self.money_pair(&o.value_per_year, &n.value_per_year);
        self.push("contract", &name, "value per year", Some(vb), Some(va));
    }

    pub(super) fn indicators(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.indicators, &new.indicators, |i| &i.name) {
            let o = old.indicators.iter().find(|i| i.name == name);
            let n = new.indicators.iter().find(|i| i.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.indicator(o, n),
                (Some(o), None) => self.push(
                    "indicator",
                    &name,
                    "removed",
                    Some(indicator_summary(o)),
                    None,
                ),
                (None, Some(n)) => self.push(
                    "indicator",
                    &name,
                    "added",
                    None,
                    Some(indicator_summary(n)),
                ),
                (None, None) => {}
            }
        }
    }

    pub(super) fn indicator(&mut self, o: &IndicatorSpec, n: &IndicatorSpec) {
        let name = n.name.clone();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            self.push("indicator", &name, what, before, after)
        };
        c("title", o.title.clone(), n.title.clone());
        c(
            "exclusions come off the denominator",
            Some(yes_no(o.exclusions_come_off_the_denominator)),
            Some(yes_no(n.exclusions_come_off_the_denominator)),
        );
        c(
            "periods combine by",
            Some(o.combine_periods.clone()),
            Some(n.combine_periods.clone()),
        );
        c("definition", o.definition.clone(), n.definition.clone());
        c("numerator", o.numerator.clone(), n.numerator.clone());
        c("denominator", o.denominator.clone(), n.denominator.clone());
        c("source", o.source.clone(), n.source.clone());
        c(
            "unit",
            Some(o.unit.words.clone()),
            Some(n.unit.words.clone()),
        );
        c(
            "polarity",
            o.better.as_ref().map(|b| format!("{b} is better")),
            n.better.as_ref().map(|b| format!("{b} is better")),
        );
        c("frequency", o.reported.clone(), n.reported.clone());
        c("follow up", o.follow_up.clone(), n.follow_up.clone());
        c("data lag", o.data_lag.clone(), n.data_lag.clone());
        if o.baseline != n.baseline {
            c("baseline", o.baseline.clone(), n.baseline.clone());
        } else {
            c(
                "baseline value",
                o.baseline_value.as_deref().map(num),
                n.baseline_value.as_deref().map(num),
            );
        }
        let targets = |t: &[String]| (!t.is_empty()).then(|| t.join(", "));
        c("target", targets(&o.targets), targets(&n.targets));
        c(
            "minimum denominator",
            o.minimum_denominator.as_deref().map(num),
            n.minimum_denominator.as_deref().map(num),
        );
        c(
            "reporting only",
            Some(yes_no(o.reporting_only)),
            Some(yes_no(n.reporting_only)),
        );
        c("cohort", o.cohort.clone(), n.cohort.clone());
    }

    /// Inputs and derived values: added, removed, and what changed in each.
    pub(super) fn values(&mut self, old: &Spec, new: &Spec) {
        let input = |i: &crate::emit::spec::InputSpec| {
            let mut text = format!("input, {}", i.unit.words);
            if let Some(range) = &i.range {
                text.push_str(&format!(
                    ", range {} to {}",
                    num(&range.from),
                    num(&range.to)
                ));
            }
            text
        };
        for name in names(&old.inputs, &new.inputs, |i| &i.name) {
            let o = old.inputs.iter().find(|i| i.name == name);
            let n = new.inputs.iter().find(|i| i.name == name);
            match (o, n) {
                (Some(o), Some(n)) => {
                    self.push("value", &name, "title", o.title.clone(), n.title.clone());
                    self.push("value", &name, "input", Some(input(o)), Some(input(n)));
                }
                (o, n) => {
                    let what = if o.is_some() { "removed" } else { "added" };
                    self.push("value", &name, what, o.map(input), n.map(input));
                }
            }
        }
        let derived = |d: &crate::emit::spec::DerivedSpec| {
            let mut text = format!("equals {}", d.equals);
            if let Some(places) = d.rounded_to {
                text.push_str(&format!(", rounded to {places} decimal places"));
            }
            if let Some(range) = &d.range {
                text.push_str(&format!(
                    ", range {} to {}",
                    num(&range.from),
                    num(&range.to)
                ));
            }
            text
        };
        for name in names(&old.derived_values, &new.derived_values, |d| &d.name) {
            let o = old.derived_values.iter().find(|d| d.name == name);
            let n = new.derived_values.iter().find(|d| d.name == name);
            match (o, n) {
                (Some(o), Some(n)) => {
                    self.push("value", &name, "title", o.title.clone(), n.title.clone());
                    self.push(
                        "value",
                        &name,
                        "worked out as",
                        Some(derived(o)),
                        Some(derived(n)),
                    );
                }
                (o, n) => {
                    let what = if o.is_some() { "removed" } else { "added" };
                    self.push("value", &name, what, o.map(derived), n.map(derived));
                }
            }
        }
    }
}

pub(super) fn indicator_summary(i: &IndicatorSpec) -> String {
    let mut parts = vec![format!("in {}", i.unit.words)];
    if let Some(better) = &i.better {
        parts.push(format!("{better} is better"));
    }
    if !i.targets.is_empty() {
        parts.push(format!("target {}", i.targets.join(", ")));
    }
    if i.reporting_only {
        parts.push("reporting only".to_string());
    }
    format!("{} ({})", titled(&i.name, &i.title), parts.join(", "))
}

/// Payers and their shares: `council 66.666667%, lcf 33.333333%`; `None` when there are none.
pub(super) fn payer_split(shares: &[crate::emit::spec::PayerShareSpec]) -> Option<String> {
    (!shares.is_empty()).then(|| {
        shares
            .iter()
            .map(|s| {
                let share = s
                    .share
                    .parse::<rust_decimal::Decimal>()
                    .map(|d| d.round_dp(6).normalize().to_string())
                    .unwrap_or_else(|_| s.share.clone());
                format!("{} {share}%", s.payer)
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}
