//! Payments compared: their settings, payers, pots per year and mechanisms (bands, scales,
//! points, improvement, rate cards).

use super::*;

impl Differ {
    pub(super) fn payments(&mut self, old: &Spec, new: &Spec) {
        for name in names(&old.payments, &new.payments, |p| &p.name) {
            let o = old.payments.iter().find(|p| p.name == name);
            let n = new.payments.iter().find(|p| p.name == name);
            match (o, n) {
                (Some(o), Some(n)) => self.payment(old, new, o, n),
                (Some(o), None) => {
                    self.push("payment", &name, "removed", Some(payment_summary(o)), None)
                }
                (None, Some(n)) => {
                    self.push("payment", &name, "added", None, Some(payment_summary(n)))
                }
                (None, None) => {}
            }
        }
    }

    pub(super) fn payment(&mut self, old: &Spec, new: &Spec, o: &PaymentSpec, n: &PaymentSpec) {
        let name = n.name.as_str();
        let p = "payment";
        self.push(p, name, "title", o.title.clone(), n.title.clone());
        self.push(
            p,
            name,
            "indicator",
            o.indicator.clone(),
            n.indicator.clone(),
        );
        self.push(
            p,
            name,
            "assessed",
            Some(o.assessed.clone()),
            Some(n.assessed.clone()),
        );
        let weight = |w: &PaymentSpec| {
            w.weight_as_written
                .clone()
                .or_else(|| w.weight.as_deref().map(pct))
        };
        self.push(p, name, "weight", weight(o), weight(n));
        self.push(
            p,
            name,
            "periods combine by",
            o.combine_periods.clone(),
            n.combine_periods.clone(),
        );
        let capped = |w: &PaymentSpec| w.not_capped.then(|| "not capped".to_string());
        self.push(p, name, "cap", capped(o), capped(n));
        let protected = |w: &PaymentSpec| {
            w.protected
                .as_ref()
                .map(|p| format!("{} protected at {}", p.what, p.value))
        };
        self.push(p, name, "protection", protected(o), protected(n));
        let own = |w: &PaymentSpec| {
            w.own_payers
                .then(|| super::contract::payer_split(&w.paid_by))
                .flatten()
        };
        self.push(p, name, "paid by", own(o), own(n));
        // Pots per contract year.
        let pot = |pots: &Option<Vec<crate::emit::spec::YearMoney>>, year: u32| {
            pots.as_ref()
                .and_then(|p| p.iter().find(|y| y.contract_year == year))
                .map(|y| y.amount.clone())
        };
        let years = o
            .pot_per_year
            .iter()
            .chain(&n.pot_per_year)
            .flatten()
            .map(|y| y.contract_year)
            .collect::<BTreeSet<_>>();
        for year in years {
            let (b, a) = self.opt_money(&pot(&o.pot_per_year, year), &pot(&n.pot_per_year, year));
            self.push(p, name, &format!("pot in year {year}"), b, a);
        }
        // The mechanism, in the unit of the indicator it is measured on.
        let unit_of = |spec: &Spec, payment: &PaymentSpec| {
            payment
                .indicator
                .as_ref()
                .and_then(|i| spec.indicators.iter().find(|x| &x.name == i))
                .map(|i| i.unit.kind.clone())
        };
        let (ou, nu) = (unit_of(old, o), unit_of(new, n));
        self.mechanism(
            name,
            &o.mechanism,
            &n.mechanism,
            ou.as_deref(),
            nu.as_deref(),
        );
        self.limits(p, name, "cap", &o.caps, &n.caps);
        self.limits(p, name, "floor", &o.floors, &n.floors);
        self.push(p, name, "paid", Some(o.paid.clone()), Some(n.paid.clone()));
        let advance = |a: &Option<crate::emit::spec::AdvanceSpec>| {
            a.as_ref()
                .map(|a| format!("{} of the pot, {}", pct(&a.share), a.frequency))
        };
        self.push(p, name, "advance", advance(&o.advance), advance(&n.advance));
    }

    pub(super) fn mechanism(
        &mut self,
        name: &str,
        o: &MechanismSpec,
        n: &MechanismSpec,
        old_unit: Option<&str>,
        new_unit: Option<&str>,
    ) {
        let p = "payment";
        let (oc, nc) = (self.old_currency, self.new_currency);
        let ov = |v: &str| in_unit(v, old_unit, oc);
        let nv = |v: &str| in_unit(v, new_unit, nc);
        let om = |v: &str| in_unit(v, Some("money"), oc);
        let nm = |v: &str| in_unit(v, Some("money"), nc);
        let mut changes: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        let mut c = |what: &str, before: Option<String>, after: Option<String>| {
            changes.push((what.to_string(), before, after));
        };
        match (o, n) {
            (MechanismSpec::Tiers { bands: ob }, MechanismSpec::Tiers { bands: nb }) => {
                let band = |b: &BandSpec, money: &dyn Fn(&str) -> String| band_pays(b, money);
                if ob.len() == nb.len() {
                    // The same number of bands: compare them by position.
                    for (i, (x, y)) in ob.iter().zip(nb).enumerate() {
                        if x.range != y.range {
                            c(
                                &format!("band {} range", i + 1),
                                Some(x.range.clone()),
                                Some(y.range.clone()),
                            );
                        }
                        c(
                            &format!("band `{}`", y.range),
                            Some(band(x, &om)),
                            Some(band(y, &nm)),
                        );
                        c(
                            &format!("band `{}` covers", y.range),
                            placed_band(x, &ov),
                            placed_band(y, &nv),
                        );
                    }
                } else {
                    // Bands added or removed: compare them by range as written.
                    for x in ob {
                        let after = nb.iter().find(|y| y.range == x.range).map(|y| band(y, &nm));
                        c(&format!("band `{}`", x.range), Some(band(x, &om)), after);
                    }
                    for y in nb.iter().filter(|y| !ob.iter().any(|x| x.range == y.range)) {
                        c(&format!("band `{}`", y.range), None, Some(band(y, &nm)));
                    }
                }
            }
            (
                MechanismSpec::Linear {
                    from: of,
                    to: ot,
                    pays_from: opf,
                    pays_to: opt,
                    by_year: oy,
                },
                MechanismSpec::Linear {
                    from: nf,
                    to: nt,
                    pays_from: npf,
                    pays_to: npt,
                    by_year: ny,
                },
            ) => {
                c("scale starts at", Some(ov(of)), Some(nv(nf)));
                c("scale ends at", Some(ov(ot)), Some(nv(nt)));
                c(
                    "scale by contract year",
                    scale_years(oy, &ov),
                    scale_years(ny, &nv),
                );
                c("scale start pays", Some(pct(opf)), Some(pct(npf)));
                c("scale end pays", Some(pct(opt)), Some(pct(npt)));
            }
            (
                MechanismSpec::Points {
                    points: op,
                    from: of,
                    to: ot,
                    by_year: oy,
                    price_per_point: opp,
                    adjusted_by: oa,
                },
                MechanismSpec::Points {
                    points: np,
                    from: nf,
                    to: nt,
                    by_year: ny,
                    price_per_point: npp,
                    adjusted_by: na,
                },
            ) => {
                c("points", Some(num(op)), Some(num(np)));
                c("points from", Some(ov(of)), Some(nv(nf)));
                c("points to", Some(ov(ot)), Some(nv(nt)));
                c(
                    "points scale by contract year",
                    scale_years(oy, &ov),
                    scale_years(ny, &nv),
                );
                c(
                    "price per point",
                    Some(by_year(opp, &om)),
                    Some(by_year(npp, &nm)),
                );
                let adj = |a: &[String]| (!a.is_empty()).then(|| a.join(", "));
                c("adjusted by", adj(oa), adj(na));
            }
            (
                MechanismSpec::Improvement {
                    change: oc_,
                    against: oa,
                    trigger: ot,
                    trigger_above: ota,
                    pooled_trigger: opt,
                    pooled_trigger_above: opta,
                    pooled_on: opo,
                    pooled_when: opw,
                    pays_share: ops,
                    pays_per_point: opp,
                    pays_per_event: ope,
                },
                MechanismSpec::Improvement {
                    change: nc_,
                    against: na,
                    trigger: nt,
                    trigger_above: nta,
                    pooled_trigger: npt,
                    pooled_trigger_above: npta,
                    pooled_on: npo,
                    pooled_when: npw,
                    pays_share: nps,
                    pays_per_point: npp,
                    pays_per_event: npe,
                },
            ) => {
                c("improvement measured", Some(oc_.clone()), Some(nc_.clone()));
                c("improvement against", Some(oa.clone()), Some(na.clone()));
                let trig =
                    |t: &Option<String>, above: bool, rel: bool, f: &dyn Fn(&str) -> String| {
                        t.as_deref().map(|t| {
                            let value = if rel { pct(t) } else { f(t) };
                            if above {
                                format!("above {value}")
                            } else {
                                format!("at least {value}")
                            }
                        })
                    };
                c(
                    "trigger",
                    trig(ot, *ota, oc_ == "relative", &ov),
                    trig(nt, *nta, nc_ == "relative", &nv),
                );
                c(
                    "pooled trigger",
                    trig(opt, *opta, oc_ == "relative", &ov),
                    trig(npt, *npta, nc_ == "relative", &nv),
                );
                c("pooled trigger on", opo.clone(), npo.clone());
                c("pooled trigger assessed", opw.clone(), npw.clone());
                c(
                    "pays share",
                    ops.as_deref().map(pct),
                    nps.as_deref().map(pct),
                );
                c(
                    "pays per point",
                    opp.as_deref().map(om),
                    npp.as_deref().map(nm),
                );
                c(
                    "pays per event avoided",
                    ope.as_deref().map(om),
                    npe.as_deref().map(nm),
                );
            }
            (
                MechanismSpec::RateCard {
                    cohort: oco,
                    attachment_fee: of,
                    criteria: ocr,
                    outcomes: oo,
                },
                MechanismSpec::RateCard {
                    cohort: nco,
                    attachment_fee: nf,
                    criteria: ncr,
                    outcomes: no,
                },
            ) => {
                c("cohort", oco.clone(), nco.clone());
                c(
                    "attachment fee",
                    of.as_deref().map(|f| by_year(f, &om)),
                    nf.as_deref().map(|f| by_year(f, &nm)),
                );
                let crit = |a: &[String]| (!a.is_empty()).then(|| a.join("; "));
                c("eligibility criteria", crit(ocr), crit(ncr));
                let outcome_names = names(oo, no, |o| &o.name);
                for oname in outcome_names {
                    let x = oo.iter().find(|o| o.name == oname);
                    let y = no.iter().find(|o| o.name == oname);
                    let price = |o: &crate::emit::spec::RateOutcomeSpec,
                                 m: &dyn Fn(&str) -> String| {
                        let mut text = format!("pays {}", by_year(&o.price, m));
                        if let Some(within) = &o.within {
                            text.push_str(&format!(" within {within} of start"));
                        }
                        if !o.all_of.is_empty() {
                            text.push_str(&format!(
                                " {} all of {}",
                                if o.achieved_by_criteria {
                                    "achieved by"
                                } else {
                                    "when"
                                },
                                o.all_of.join(", ")
                            ));
                        }
                        text
                    };
                    c(
                        &format!("outcome `{oname}`"),
                        x.map(|x| price(x, &om)),
                        y.map(|y| price(y, &nm)),
                    );
                    if let (Some(x), Some(y)) = (x, y) {
                        c(
                            &format!("outcome `{oname}` title"),
                            x.title.clone(),
                            y.title.clone(),
                        );
                    }
                }
            }
            (o, n) => c(
                "mechanism",
                Some(mechanism_kind(o)),
                Some(mechanism_kind(n)),
            ),
        }
        for (what, before, after) in changes {
            self.push(p, name, &what, before, after);
        }
    }
}

pub(super) fn payment_summary(p: &PaymentSpec) -> String {
    let mut parts = Vec::new();
    if let Some(weight) = &p.weight {
        parts.push(format!("weight {}", pct(weight)));
    }
    if let Some(indicator) = &p.indicator {
        parts.push(format!("on {indicator}"));
    }
    parts.push(format!("assessed {}", p.assessed));
    parts.push(mechanism_kind(&p.mechanism));
    format!("{} ({})", titled(&p.name, &p.title), parts.join(", "))
}

pub(super) fn band_pays(band: &BandSpec, unit_money: impl Fn(&str) -> String) -> String {
    match band.pays.as_str() {
        "share" => format!("pays {}", pct(band.value.as_deref().unwrap_or("0"))),
        "amount" => format!("pays {}", unit_money(band.value.as_deref().unwrap_or("0"))),
        "linear" => format!(
            "pays linear {} to {}",
            pct(band.from.as_deref().unwrap_or("0")),
            pct(band.to.as_deref().unwrap_or("0"))
        ),
        _ => "pays nothing".to_string(),
    }
}

pub(super) fn mechanism_kind(m: &MechanismSpec) -> String {
    match m {
        MechanismSpec::Tiers { bands } => format!(
            "tiers ({} band{})",
            bands.len(),
            if bands.len() == 1 { "" } else { "s" }
        ),
        MechanismSpec::Linear { .. } => "linear scale".to_string(),
        MechanismSpec::Points { .. } => "points".to_string(),
        MechanismSpec::Improvement { .. } => "improvement".to_string(),
        MechanismSpec::RateCard { .. } => "rate card".to_string(),
    }
}

/// The values a band placed by the target or the baseline covers, in each contract year where
/// they change: `year 1: from 76% to below 80%; year 2: from 79.8% to below 84%`. `None` for a
/// band written with values, whose range as written says it all.
pub(super) fn placed_band(band: &BandSpec, value: &dyn Fn(&str) -> String) -> Option<String> {
    use crate::emit::spec::BoundSpec;
    if !band.placed_by_target_or_baseline {
        return None;
    }
    let covers = |lower: &Option<BoundSpec>, upper: &Option<BoundSpec>| match (lower, upper) {
        (Some(l), Some(u)) => format!(
            "{} {}",
            if l.included { "from" } else { "above" },
            if u.included {
                format!("{} to {}", value(&l.value), value(&u.value))
            } else {
                format!("{} to below {}", value(&l.value), value(&u.value))
            }
        ),
        (Some(l), None) if l.included => format!("{} and above", value(&l.value)),
        (Some(l), None) => format!("above {}", value(&l.value)),
        (None, Some(u)) if u.included => format!("up to {}", value(&u.value)),
        (None, Some(u)) => format!("below {}", value(&u.value)),
        (None, None) => "every value".to_string(),
    };
    Some(if band.by_year.is_empty() {
        covers(&band.lower, &band.upper)
    } else {
        band.by_year
            .iter()
            .map(|y| format!("year {}: {}", y.contract_year, covers(&y.lower, &y.upper)))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// A scale's ends in each contract year, where they change by year.
pub(super) fn scale_years(
    years: &[crate::emit::spec::ScaleYearSpec],
    value: &dyn Fn(&str) -> String,
) -> Option<String> {
    (!years.is_empty()).then(|| {
        years
            .iter()
            .map(|y| {
                format!(
                    "year {}: {} to {}",
                    y.contract_year,
                    value(&y.from),
                    value(&y.to)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// An amount that may change by contract year, in words: `£187.74`, or
/// `£187.74 in year 1, £194.83 in years 2 to 3`.
pub(super) fn by_year(
    list: &[crate::emit::spec::YearMoney],
    money: &dyn Fn(&str) -> String,
) -> String {
    let mut runs: Vec<(u32, u32, &str)> = Vec::new();
    for y in list {
        match runs.last_mut() {
            Some((_, last, amount)) if *amount == y.amount => *last = y.contract_year,
            _ => runs.push((y.contract_year, y.contract_year, &y.amount)),
        }
    }
    if let [(_, _, amount)] = runs.as_slice() {
        return money(amount);
    }
    runs.iter()
        .map(|(first, last, amount)| {
            if first == last {
                format!("{} in year {first}", money(amount))
            } else {
                format!("{} in years {first} to {last}", money(amount))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
