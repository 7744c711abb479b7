//! Gateways, deductions and advances compared.

use super::*;

impl Differ {
    pub(super) fn advances(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.advances, &new.advances, |a| &a.name) {
            let o = old.advances.iter().find(|a| a.name == name);
            let n = new.advances.iter().find(|a| a.name == name);
            let pays = |a: &crate::emit::spec::AdvanceBlockSpec, currency: CurrencyCode| match (
                &a.share,
                &a.share_of,
            ) {
                (Some(share), Some(of)) => format!("{} of {of}", pct(share)),
                _ => super::payments::by_year(&a.amount_per_year, &|m| {
                    in_unit(m, Some("money"), currency)
                }),
            };
            let summary = |a: &crate::emit::spec::AdvanceBlockSpec, currency| {
                format!(
                    "{}: pays {}, paid {}, covers {}",
                    titled(&a.name, &a.title),
                    pays(a, currency),
                    a.paid,
                    a.covers.join(", ")
                )
            };
            match (o, n) {
                (Some(o), Some(n)) => {
                    let area = "advance";
                    self.push(area, &name, "title", o.title.clone(), n.title.clone());
                    self.push(
                        area,
                        &name,
                        "pays",
                        Some(pays(o, self.old_currency)),
                        Some(pays(n, self.new_currency)),
                    );
                    self.push(
                        area,
                        &name,
                        "paid",
                        Some(o.paid.clone()),
                        Some(n.paid.clone()),
                    );
                    self.push(
                        area,
                        &name,
                        "covers",
                        Some(o.covers.join(", ")),
                        Some(n.covers.join(", ")),
                    );
                }
                (Some(o), None) => self.push(
                    "advance",
                    &name,
                    "removed",
                    Some(summary(o, self.old_currency)),
                    None,
                ),
                (None, Some(n)) => self.push(
                    "advance",
                    &name,
                    "added",
                    None,
                    Some(summary(n, self.new_currency)),
                ),
                (None, None) => {}
            }
        }
    }

    pub(super) fn gateways(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.gateways, &new.gateways, |g| &g.name) {
            let o = old.gateways.iter().find(|g| g.name == name);
            let n = new.gateways.iter().find(|g| g.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.gateway(o, n),
                (Some(o), None) => {
                    self.push("gateway", &name, "removed", Some(gateway_summary(o)), None)
                }
                (None, Some(n)) => {
                    self.push("gateway", &name, "added", None, Some(gateway_summary(n)))
                }
                (None, None) => {}
            }
        }
    }

    pub(super) fn gateway(&mut self, o: &GatewaySpec, n: &GatewaySpec) {
        let name = n.name.as_str();
        let g = "gateway";
        self.push(g, name, "title", o.title.clone(), n.title.clone());
        self.push(
            g,
            name,
            "requires",
            Some(o.requires.join(" and ")),
            Some(n.requires.join(" and ")),
        );
        self.push(
            g,
            name,
            "applies to",
            Some(applies(&o.applies_to)),
            Some(applies(&n.applies_to)),
        );
        self.push(
            g,
            name,
            "withholds",
            Some(pct(&o.withholds)),
            Some(pct(&n.withholds)),
        );
    }

    pub(super) fn deductions(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.deductions, &new.deductions, |d| &d.name) {
            let o = old.deductions.iter().find(|d| d.name == name);
            let n = new.deductions.iter().find(|d| d.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.deduction(o, n),
                (Some(o), None) => self.push(
                    "deduction",
                    &name,
                    "removed",
                    Some(self.deduction_summary(o, self.old_currency)),
                    None,
                ),
                (None, Some(n)) => self.push(
                    "deduction",
                    &name,
                    "added",
                    None,
                    Some(self.deduction_summary(n, self.new_currency)),
                ),
                (None, None) => {}
            }
        }
    }

    pub(super) fn deduction_amount(&self, d: &DeductionSpec, currency: CurrencyCode) -> String {
        let amount = match (&d.amount, &d.share_of_monthly_value) {
            (Some(a), _) => in_unit(a, Some("money"), currency),
            (None, Some(s)) => format!("{} of the monthly value", pct(s)),
            (None, None) => "nothing".to_string(),
        };
        let mut words = match &d.charged_per {
            Some(unit) => format!("{amount} per {unit}"),
            None => amount,
        };
        for instead in &d.instead {
            words.push_str(&format!(
                ", {} per breach on {} instead",
                in_unit(&instead.amount_per_breach, Some("money"), currency),
                instead.indicator
            ));
        }
        words
    }

    pub(super) fn deduction_summary(&self, d: &DeductionSpec, currency: CurrencyCode) -> String {
        format!(
            "{} on {}: {} above a tolerance of {} per {}",
            titled(&d.name, &d.title),
            d.indicator,
            self.deduction_amount(d, currency),
            num(&d.tolerance),
            d.per
        )
    }

    pub(super) fn deduction(&mut self, o: &DeductionSpec, n: &DeductionSpec) {
        let name = n.name.as_str();
        let d = "deduction";
        self.push(d, name, "title", o.title.clone(), n.title.clone());
        self.push(
            d,
            name,
            "indicator",
            Some(o.indicator.clone()),
            Some(n.indicator.clone()),
        );
        self.push(
            d,
            name,
            "tolerance",
            Some(format!("{} per {}", num(&o.tolerance), o.per)),
            Some(format!("{} per {}", num(&n.tolerance), n.per)),
        );
        let (ob, na) = (
            self.deduction_amount(o, self.old_currency),
            self.deduction_amount(n, self.new_currency),
        );
        self.push(d, name, "deducts", Some(ob), Some(na));
        self.push(d, name, "standard", o.standard_words(), n.standard_words());
        self.push(d, name, "borne", o.borne_words(), n.borne_words());
        self.push(
            d,
            name,
            "taken from",
            o.taken_from.clone(),
            n.taken_from.clone(),
        );
        self.limits(d, name, "cap", &o.caps, &n.caps);
    }
}

pub(super) fn applies(to: &Option<Vec<String>>) -> String {
    match to {
        Some(list) => list.join(", "),
        None => "all payments".to_string(),
    }
}

pub(super) fn gateway_summary(g: &GatewaySpec) -> String {
    format!(
        "{} requires {}; withholds {} of {}",
        titled(&g.name, &g.title),
        g.requires.join(" and "),
        pct(&g.withholds),
        applies(&g.applies_to)
    )
}
