//! How the document writes values (numbers, percentages, dates, money, amounts per contract
//! year, references to indicators and payments), through the [`Ctx`] of one specification.

use rust_decimal::{Decimal, RoundingStrategy};

use super::Rich;
use crate::emit::chart::{self, currency_symbol, group_digits, id_part};
use crate::emit::spec::{
    IndicatorSpec, LimitSpec, MechanismSpec, PaymentSpec, Spec, UnitSpec, YearMoney,
};

pub(super) fn dec(text: &str) -> Option<Decimal> {
    text.parse::<Decimal>().ok()
}

fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal without trailing zeros, digits grouped: `187,000`, `82.7`.
pub(super) fn num(text: &str) -> String {
    match dec(text) {
        Some(d) => group_digits(&d.normalize().to_string()),
        None => text.to_string(),
    }
}

pub(super) fn pct(text: &str) -> String {
    format!("{}%", num(text))
}

const MONTHS: [&str; 12] = crate::calendar::MONTH_NAMES;

/// `2016-04-01` as `1 April 2016`.
pub(super) fn date(day: &str) -> String {
    let mut parts = day.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return day.to_string();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m), Ok(d)) if (1..=12).contains(&m) => {
            format!("{d} {} {y}", MONTHS.get(m - 1).copied().unwrap_or(""))
        }
        _ => day.to_string(),
    }
}

pub(super) fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.max(1)) - 1)
        .copied()
        .unwrap_or("")
}

/// `years 2 to 5`, `year 1`.
pub(super) fn year_range(first: u32, last: u32) -> String {
    if first == last {
        format!("year {first}")
    } else {
        format!("years {first} to {last}")
    }
}

/// The noun for one assessment period.
pub(super) fn period_noun(assessed: &str) -> &'static str {
    match assessed {
        "monthly" => "month",
        "quarterly" => "quarter",
        _ => "year",
    }
}

pub(super) use crate::units::join_words;

/// Runs of consecutive contract years with equal amounts, as (first year, last year, amount).
fn year_runs(amounts: &[(u32, Option<String>)]) -> Vec<(u32, u32, Option<String>)> {
    let mut runs: Vec<(u32, u32, Option<String>)> = Vec::new();
    for (year, amount) in amounts {
        match runs.last_mut() {
            Some((_, last, value)) if *value == *amount && *last + 1 == *year => *last = *year,
            _ => runs.push((*year, *year, amount.clone())),
        }
    }
    runs
}

pub(super) struct Ctx<'a> {
    pub(super) spec: &'a Spec,
    symbol: String,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(spec: &'a Spec) -> Self {
        Ctx {
            spec,
            symbol: currency_symbol(&spec.contract.currency),
        }
    }

    /// Money as a finance team reads it: `£1,234,567.00`.
    pub(super) fn money(&self, text: &str) -> String {
        match dec(text) {
            Some(d) => self.money_dec(d),
            None => text.to_string(),
        }
    }

    pub(super) fn money_dec(&self, value: Decimal) -> String {
        let rounded = round2(value);
        let text = format!("{:.2}", rounded.abs());
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}{}{}", self.symbol, group_digits(&text))
    }

    pub(super) fn indicator(&self, name: &str) -> Option<&'a IndicatorSpec> {
        self.spec.indicators.iter().find(|i| i.name == name)
    }

    fn payment(&self, name: &str) -> Option<&'a PaymentSpec> {
        self.spec.payments.iter().find(|p| p.name == name)
    }

    /// A value in an indicator's unit, such as `85%`, `720`, `3 days` or `£5,000.00`.
    pub(super) fn in_unit(&self, value: &str, unit: Option<&UnitSpec>) -> String {
        match unit.map(|u| u.kind.as_str()) {
            Some("percent") => pct(value),
            Some("days") => format!("{} days", num(value)),
            Some("money") => self.money(value),
            _ => num(value),
        }
    }

    pub(super) fn unit_of(&self, payment: &PaymentSpec) -> Option<&'a UnitSpec> {
        payment
            .indicator
            .as_deref()
            .and_then(|i| self.indicator(i))
            .map(|i| &i.unit)
    }

    /// A link to an indicator's card, with its title.
    pub(super) fn indicator_ref(&self, name: &str) -> Rich {
        let found = self.indicator(name).map(|i| i.title.as_deref());
        section_ref("indicator", name, found)
    }

    /// A link to an advance block's section, by its title.
    pub(super) fn advance_ref(&self, name: &str) -> Rich {
        let found = self.spec.advances.iter().find(|a| a.name == name);
        section_ref("advance", name, found.map(|a| a.title.as_deref()))
    }

    pub(super) fn payment_ref(&self, name: &str) -> Rich {
        section_ref(
            "payment",
            name,
            self.payment(name).map(|p| p.title.as_deref()),
        )
    }

    /// Amounts per contract year in words, runs of equal amounts together:
    /// `£2,244,000.00 in year 1; £4,488,000.00 a year in years 2 to 5`.
    pub(super) fn per_year(&self, amounts: &[(u32, Option<String>)], unknown: &str) -> String {
        let runs = year_runs(amounts);
        let years = self.spec.years.len();
        if let [(first, last, value)] = runs.as_slice() {
            let text = value
                .as_deref()
                .map(|v| self.money(v))
                .unwrap_or_else(|| unknown.to_string());
            return if years <= 1 || first == last {
                text
            } else if value.is_some() {
                format!("{text} a year (each of the {years} contract years)")
            } else {
                format!("{text} (every year)")
            };
        }
        runs.iter()
            .map(|(first, last, value)| {
                let text = value
                    .as_deref()
                    .map(|v| self.money(v))
                    .unwrap_or_else(|| unknown.to_string());
                if first == last {
                    format!("{text} in {}", year_range(*first, *last))
                } else {
                    format!("{text} a year in {}", year_range(*first, *last))
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// An amount that may change by contract year, such as a price or a fee: `£187.74`, or
    /// `£187.74 in year 1; £194.83 in years 2 to 3`.
    pub(super) fn by_year(&self, list: &[YearMoney]) -> String {
        let runs = year_runs(&self.year_money(list));
        if let [(_, _, Some(amount))] = runs.as_slice() {
            return self.money(amount);
        }
        runs.iter()
            .map(|(first, last, amount)| {
                format!(
                    "{} in {}",
                    amount.as_deref().map(|a| self.money(a)).unwrap_or_default(),
                    year_range(*first, *last)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(super) fn year_money(&self, list: &[YearMoney]) -> Vec<(u32, Option<String>)> {
        list.iter()
            .map(|y| (y.contract_year, Some(y.amount.clone())))
            .collect()
    }

    /// The pots of a year's whole periods: a year's pot is split among its periods in whole
    /// pennies, so they may differ by a penny (part periods at either end of the term, smaller
    /// still, are left out).
    fn whole_period_pots(&self, payment: &PaymentSpec, year: u32) -> Vec<Decimal> {
        let mut pots: Vec<Decimal> = payment
            .periods
            .iter()
            .filter(|p| p.contract_year == year)
            .filter_map(|p| p.pot.as_deref().and_then(dec))
            .collect();
        pots.sort();
        pots.dedup();
        match pots.last().copied() {
            Some(most) => pots
                .into_iter()
                .filter(|p| most - *p <= Decimal::new(1, 2))
                .collect(),
            None => pots,
        }
    }

    /// The pot of one whole period (the larger, where pennies differ), per run of contract
    /// years with the same pot.
    pub(super) fn period_pots(&self, payment: &PaymentSpec) -> Vec<(u32, u32, Decimal)> {
        let mut runs: Vec<(u32, u32, Decimal)> = Vec::new();
        for year in payment.pot_per_year.iter().flatten() {
            let Some(pot) = self
                .whole_period_pots(payment, year.contract_year)
                .last()
                .copied()
            else {
                continue;
            };
            match runs.last_mut() {
                Some((_, last, value)) if *value == pot => *last = year.contract_year,
                _ => runs.push((year.contract_year, year.contract_year, pot)),
            }
        }
        runs
    }

    /// The pot of one whole period in words, per run of contract years with the same pots:
    /// `£83,333.33 or £83,333.34` where the pennies differ.
    pub(super) fn period_pot_words(&self, payment: &PaymentSpec) -> Vec<(u32, u32, String)> {
        let mut runs: Vec<(u32, u32, String)> = Vec::new();
        for year in payment.pot_per_year.iter().flatten() {
            let pots = self.whole_period_pots(payment, year.contract_year);
            if pots.is_empty() {
                continue;
            }
            let text = pots
                .iter()
                .map(|p| self.money_dec(*p))
                .collect::<Vec<_>>()
                .join(" or ");
            match runs.last_mut() {
                Some((_, last, value)) if *value == text => *last = year.contract_year,
                _ => runs.push((year.contract_year, year.contract_year, text)),
            }
        }
        runs
    }

    /// Amounts per contract year, one line per run of equal amounts: `£2,244,000.00 (year 1)`.
    pub(super) fn per_year_lines(
        &self,
        amounts: &[(u32, Option<String>)],
        unknown: &str,
    ) -> Vec<String> {
        let runs = year_runs(amounts);
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(|v| self.money(v))
                .unwrap_or_else(|| unknown.to_string())
        };
        if let [(_, _, value)] = runs.as_slice() {
            return vec![text(value)];
        }
        runs.iter()
            .map(|(first, last, value)| format!("{} ({})", text(value), year_range(*first, *last)))
            .collect()
    }

    /// A payment's largest possible payment in each contract year, `None` where it cannot be
    /// known in advance.
    fn largest_per_year(&self, p: &PaymentSpec) -> Vec<(u32, Option<String>)> {
        p.largest_payment_per_year
            .iter()
            .zip(&self.spec.years)
            .map(|(l, y)| (y.contract_year, l.as_ref().map(|l| l.amount.clone())))
            .collect()
    }

    /// The most a points payment adjusted by factors can pay in a year before its factors.
    fn most_before_factors(&self, p: &PaymentSpec) -> Option<String> {
        match &p.mechanism {
            MechanismSpec::Points {
                points,
                price_per_point,
                adjusted_by,
                ..
            } if !adjusted_by.is_empty() => {
                // The highest price of any year.
                let price = price_per_point
                    .iter()
                    .filter_map(|y| dec(&y.amount))
                    .max()?;
                let per = Decimal::from(chart::periods_per_year(&p.assessed));
                dec(points).map(|a| self.money_dec(a * price * per))
            }
            _ => None,
        }
    }

    /// [`Ctx::largest`] in short lines, for the table of payments at a glance.
    pub(super) fn largest_lines(&self, p: &PaymentSpec) -> Vec<String> {
        let largest = self.largest_per_year(p);
        let unknown = self
            .most_before_factors(p)
            .map(|most| format!("{most} before factors"))
            .unwrap_or_else(|| "Not known in advance".to_string());
        self.per_year_lines(&largest, &unknown)
    }

    /// A payment's largest possible payment per year in words. Where it cannot be known (points
    /// times factors supplied with the data), the most before adjustment, when there is one.
    pub(super) fn largest(&self, p: &PaymentSpec) -> String {
        let largest = self.largest_per_year(p);
        let unknown = self
            .most_before_factors(p)
            .map(|most| format!("{most} before adjustment by factors supplied with the data"))
            .unwrap_or_else(|| {
                "cannot be known in advance (it depends on values supplied with the data)"
                    .to_string()
            });
        self.per_year(&largest, &unknown)
    }

    pub(super) fn limits(&self, limits: &[LimitSpec]) -> String {
        limits
            .iter()
            .map(|l| format!("{} {}", self.money(&l.amount), l.scope))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Payers and their shares in words: "`council` 66.6667% and `lcf` 33.3333%".
pub(super) fn payer_words(shares: &[crate::emit::spec::PayerShareSpec]) -> String {
    let parts: Vec<String> = shares
        .iter()
        .map(|s| {
            let share = dec(&s.share)
                .map(|d| {
                    d.round_dp_with_strategy(
                        4,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    )
                    .normalize()
                    .to_string()
                })
                .unwrap_or_else(|| s.share.clone());
            format!("{} {}%", s.payer, share)
        })
        .collect();
    join_words(&parts)
}

/// A link to the section of a named block (`kind-name`), by its title or else its name, with
/// the name after it; the name alone, as code, for a block `found` as `None` (not in the
/// specification).
fn section_ref(kind: &str, name: &str, found: Option<Option<&str>>) -> Rich {
    match found {
        Some(title) => Rich::new()
            .link(
                format!("{kind}-{}", id_part(name)),
                title.unwrap_or(name).to_string(),
            )
            .name(name),
        None => Rich::new().code(name),
    }
}
