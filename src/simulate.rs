//! What-if simulation: named scenarios (indicator values per period) evaluated side by side,
//! and a seeded Monte Carlo run over uncertain indicator values. Every run is an ordinary
//! evaluation, so a simulation pays exactly what `obc eval` would for the same values.
//!
//! Random draws use ChaCha8 seeded from the scenario file, so the same seed gives the same
//! output on every machine. Draws are made in floating point (that is what distributions are)
//! and turned into decimals at four places before they are used; money is never a float.

use std::collections::BTreeMap;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Triangular};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Period;
use crate::data::{Dataset, Observation, Participants, RowRef};
use crate::eval::{self, Exercised, Options};
use crate::model::Contract;
use crate::source::FileId;
use crate::syntax::ast::MissingDataRule;
use crate::units::unit_domain;

/// A scenario file (JSON). See docs/analysis.md.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    pub uncertainty: Option<Uncertainty>,
}

/// Indicator (or input) values: each applies to the periods given, or to every period when none is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub values: Vec<GivenValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenValue {
    pub indicator: String,
    /// A period such as `2016/17 Q1`; every reporting period of the indicator when absent.
    pub period: Option<String>,
    /// The value in the indicator's unit, as a decimal string (`"86.5"`).
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    pub seed: u64,
    pub runs: u32,
    /// Per indicator (or input), the distribution of its value in every period.
    pub indicators: BTreeMap<String, Spread>,
}

/// A distribution of values, clamped to the unit's range.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Spread {
    Normal {
        mean: String,
        sd: String,
    },
    Triangular {
        min: String,
        mode: String,
        max: String,
    },
}

/// The totals of one scenario: per contract year and over the term.
#[derive(Debug, Serialize)]
pub struct ScenarioResult {
    pub name: String,
    #[serde(serialize_with = "money_list")]
    pub by_year: Vec<Decimal>,
    #[serde(serialize_with = "money")]
    pub total: Decimal,
    /// What each named payer pays over the term, in the contract's order; empty without payers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_payer: Vec<PayerAmount>,
}

/// An amount one payer pays.
#[derive(Debug, Serialize)]
pub struct PayerAmount {
    pub payer: String,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
}

#[derive(Debug, Serialize)]
pub struct MonteCarlo {
    pub seed: u64,
    pub runs: u32,
    /// The expected (mean) payment per contract year and over the term.
    #[serde(serialize_with = "money_list")]
    pub expected_by_year: Vec<Decimal>,
    #[serde(serialize_with = "money")]
    pub expected_total: Decimal,
    /// The expected (mean) amount each named payer pays over the term; empty without payers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expected_by_payer: Vec<PayerAmount>,
    #[serde(serialize_with = "money")]
    pub p10: Decimal,
    #[serde(serialize_with = "money")]
    pub p50: Decimal,
    #[serde(serialize_with = "money")]
    pub p90: Decimal,
    /// For each gateway, the share of its assessments that failed, in percent.
    pub gateway_failure_percent: BTreeMap<String, String>,
    /// The expected total as a share of the money at risk over the term, in percent.
    pub share_of_money_at_risk_paid: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Simulation {
    pub currency: &'static str,
    pub scenarios: Vec<ScenarioResult>,
    pub monte_carlo: Option<MonteCarlo>,
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&eval::money_string(*value))
}

fn money_list<S: serde::Serializer>(values: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(|v| eval::money_string(*v)))
}

fn decimal(text: &str, what: &str) -> Result<Decimal, String> {
    let number = text
        .trim()
        .parse::<Decimal>()
        .map_err(|_| format!("{what}: `{text}` is not a number"))?;
    if crate::syntax::literal::within_range(number) {
        Ok(number)
    } else {
        Err(format!(
            "{what}: `{text}` is larger than obc calculates with (at most 1,000,000,000,000)"
        ))
    }
}

/// The periods a value stands for when a scenario gives no period: an indicator's reporting
/// periods; an input's contract years (a figure for a year covers its shorter periods).
fn reporting_periods(contract: &Contract, indicator: &str) -> Vec<Period> {
    if contract.inputs.contains_key(indicator) {
        return contract
            .calendar
            .periods(crate::syntax::ast::Frequency::AnnuallyByContractYear);
    }
    let frequency = contract.indicators.get(indicator).and_then(|i| i.reported);
    frequency
        .map(|f| contract.calendar.periods(f))
        .unwrap_or_default()
}

fn observation(indicator: &str, period: Period, value: Decimal) -> Observation {
    let row = RowRef {
        file: FileId(0),
        row: 0,
        line: 0,
        span: Default::default(),
    };
    Observation::figure(indicator, period, value, row)
}

/// Evaluates the contract on indicator values; periods without values pay nothing.
fn evaluate(contract: &Contract, observations: Vec<Observation>) -> eval::Schedule {
    let mut contract = contract.clone();
    contract.missing_data = MissingDataRule::PaysNothingHere;
    let data = Dataset {
        observations,
        participants: Participants::for_contract(&contract),
        ..Default::default()
    };
    eval::evaluate(&contract, &data, Options::default()).0
}

fn totals(schedule: &eval::Schedule) -> (Vec<Decimal>, Decimal) {
    (
        schedule.years.iter().map(|y| y.total).collect(),
        schedule.total,
    )
}

/// Runs the scenarios and the Monte Carlo simulation of a scenario file.
pub fn simulate(contract: &Contract, file: &ScenarioFile) -> Result<Simulation, String> {
    let mut scenarios = Vec::new();
    for scenario in &file.scenarios {
        let mut observations = Vec::new();
        for given in &scenario.values {
            let value = decimal(
                &given.value,
                &format!("scenario `{}`, `{}`", scenario.name, given.indicator),
            )?;
            if contract.unit_of(&given.indicator).is_none() {
                return Err(format!(
                    "scenario `{}`: `{}` is not an indicator or input of the contract",
                    scenario.name, given.indicator
                ));
            }
            let periods = match &given.period {
                Some(text) => {
                    let written = crate::syntax::parse_period(text).ok_or_else(|| {
                        format!("scenario `{}`: `{text}` is not a period", scenario.name)
                    })?;
                    vec![contract.calendar.resolve(written).map_err(|_| {
                        format!(
                            "scenario `{}`: `{text}` is not a period of the term",
                            scenario.name
                        )
                    })?]
                }
                None => reporting_periods(contract, &given.indicator),
            };
            observations.extend(
                periods
                    .into_iter()
                    .map(|p| observation(&given.indicator, p, value)),
            );
        }
        let schedule = evaluate(contract, observations);
        let (by_year, total) = totals(&schedule);
        scenarios.push(ScenarioResult {
            name: scenario.name.clone(),
            by_year,
            total,
            by_payer: by_payer(&schedule),
        });
    }
    let monte_carlo = match &file.uncertainty {
        Some(uncertainty) => Some(monte_carlo(contract, uncertainty)?),
        None => None,
    };
    Ok(Simulation {
        currency: contract.currency.code(),
        scenarios,
        monte_carlo,
    })
}

/// A sampler of one indicator's value.
enum Sampler {
    Normal(Normal<f64>),
    Triangular(Triangular<f64>),
    Fixed(Decimal),
}

fn sampler(name: &str, spread: &Spread) -> Result<Sampler, String> {
    let float = |text: &str, what: &str| -> Result<(Decimal, f64), String> {
        let d = decimal(text, &format!("`{name}` {what}"))?;
        Ok((d, d.to_f64().unwrap_or(0.0)))
    };
    match spread {
        Spread::Normal { mean, sd } => {
            let (mean_d, mean) = float(mean, "mean")?;
            let (sd_d, sd) = float(sd, "sd")?;
            if sd_d.is_zero() {
                return Ok(Sampler::Fixed(mean_d));
            }
            Normal::new(mean, sd).map(Sampler::Normal).map_err(|_| {
                format!("`{name}`: a normal distribution needs a standard deviation above 0")
            })
        }
        Spread::Triangular { min, mode, max } => {
            let (min_d, min) = float(min, "min")?;
            let (mode_d, mode) = float(mode, "mode")?;
            let (max_d, max) = float(max, "max")?;
            if min_d == max_d && mode_d == min_d {
                return Ok(Sampler::Fixed(mode_d));
            }
            Triangular::new(min, max, mode)
                .map(Sampler::Triangular)
                .map_err(|_| {
                    format!("`{name}`: a triangular distribution needs min <= mode <= max")
                })
        }
    }
}

fn monte_carlo(contract: &Contract, uncertainty: &Uncertainty) -> Result<MonteCarlo, String> {
    if uncertainty.runs == 0 || uncertainty.runs > 100_000 {
        return Err("`runs` must be from 1 to 100,000".to_string());
    }
    let mut samplers = Vec::new();
    for (name, spread) in &uncertainty.indicators {
        let unit = contract
            .unit_of(name)
            .ok_or_else(|| format!("`{name}` is not an indicator or input of the contract"))?;
        samplers.push((
            name.clone(),
            unit,
            reporting_periods(contract, name),
            sampler(name, spread)?,
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(uncertainty.seed);
    let years = contract.calendar.contract_years() as usize;
    let mut year_sums = vec![Decimal::ZERO; years];
    let mut term_totals = Vec::with_capacity(uncertainty.runs as usize);
    let mut payer_sums: Vec<PayerAmount> = contract
        .payers
        .iter()
        .map(|p| PayerAmount {
            payer: p.name.clone(),
            amount: Decimal::ZERO,
        })
        .collect();
    let mut gateway_counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for _ in 0..uncertainty.runs {
        let mut observations = Vec::new();
        for (name, unit, periods, sampler) in &samplers {
            let (lo, hi) = unit_domain(*unit);
            for period in periods {
                let drawn = match sampler {
                    Sampler::Fixed(v) => *v,
                    Sampler::Normal(n) => Decimal::from_f64(n.sample(&mut rng))
                        .unwrap_or_default()
                        .round_dp(4),
                    Sampler::Triangular(t) => Decimal::from_f64(t.sample(&mut rng))
                        .unwrap_or_default()
                        .round_dp(4),
                };
                let clamped = drawn.max(lo).min(hi.unwrap_or(drawn.max(lo)));
                observations.push(observation(name, period.clone(), clamped));
            }
        }
        let schedule = evaluate(contract, observations);
        let (by_year, total) = totals(&schedule);
        for (sum, year) in year_sums.iter_mut().zip(by_year) {
            *sum += year;
        }
        term_totals.push(total);
        for (sum, paid) in payer_sums.iter_mut().zip(by_payer(&schedule)) {
            sum.amount += paid.amount;
        }
        for line in &schedule.lines {
            for exercised in &line.exercised {
                if let Exercised::Gateway(name, passed) = exercised {
                    let entry = gateway_counts.entry(name.clone()).or_default();
                    entry.1 += 1;
                    if !passed {
                        entry.0 += 1;
                    }
                }
            }
        }
    }
    let runs = Decimal::from(uncertainty.runs);
    term_totals.sort();
    let percentile =
        |p: usize| term_totals[((term_totals.len() - 1) * p / 100).min(term_totals.len() - 1)];
    let expected_total = term_totals.iter().sum::<Decimal>() / runs;
    let at_risk: Decimal = contract.at_risk_per_year.iter().sum();
    Ok(MonteCarlo {
        seed: uncertainty.seed,
        runs: uncertainty.runs,
        expected_by_year: year_sums
            .into_iter()
            .map(|s| (s / runs).round_dp(2))
            .collect(),
        expected_total: expected_total.round_dp(2),
        expected_by_payer: payer_sums
            .into_iter()
            .map(|p| PayerAmount {
                payer: p.payer,
                amount: (p.amount / runs).round_dp(2),
            })
            .collect(),
        p10: percentile(10),
        p50: percentile(50),
        p90: percentile(90),
        gateway_failure_percent: gateway_counts
            .into_iter()
            .map(|(name, (failed, all))| {
                (
                    name,
                    (Decimal::from(failed) * Decimal::ONE_HUNDRED / Decimal::from(all.max(1)))
                        .round_dp(1)
                        .normalize()
                        .to_string(),
                )
            })
            .collect(),
        share_of_money_at_risk_paid: (!at_risk.is_zero()).then(|| {
            (expected_total * Decimal::ONE_HUNDRED / at_risk)
                .round_dp(1)
                .normalize()
                .to_string()
        }),
    })
}

/// Each payer's total over a schedule.
fn by_payer(schedule: &eval::Schedule) -> Vec<PayerAmount> {
    schedule
        .payers
        .iter()
        .map(|p| PayerAmount {
            payer: p.payer.clone(),
            amount: p.total,
        })
        .collect()
}

/// The simulation as an aligned table: scenarios side by side, then the Monte Carlo summary.
pub fn table(simulation: &Simulation, contract: &Contract) -> String {
    let m = |d: Decimal| crate::units::format_money(d.round_dp(2), contract.currency);
    let mut out = String::new();
    if !simulation.scenarios.is_empty() {
        let names: Vec<&str> = simulation
            .scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(14);
        let label = contract
            .payers
            .iter()
            .map(|p| p.name.chars().count() + 8)
            .max()
            .unwrap_or(0)
            .max(14);
        out.push_str(&format!("{:<label$}", "Contract year"));
        for name in &names {
            out.push_str(&format!("  {name:>width$}"));
        }
        out.push('\n');
        let years = simulation
            .scenarios
            .first()
            .map(|s| s.by_year.len())
            .unwrap_or(0);
        for year in 0..years {
            out.push_str(&format!("{:<label$}", format!("year {}", year + 1)));
            for scenario in &simulation.scenarios {
                out.push_str(&format!("  {:>width$}", m(scenario.by_year[year])));
            }
            out.push('\n');
        }
        out.push_str(&format!("{:<label$}", "Total"));
        for scenario in &simulation.scenarios {
            out.push_str(&format!("  {:>width$}", m(scenario.total)));
        }
        out.push('\n');
        for (index, payer) in contract.payers.iter().enumerate() {
            out.push_str(&format!("{:<label$}", format!("paid by {}", payer.name)));
            for scenario in &simulation.scenarios {
                let amount = scenario
                    .by_payer
                    .get(index)
                    .map(|p| p.amount)
                    .unwrap_or_default();
                out.push_str(&format!("  {:>width$}", m(amount)));
            }
            out.push('\n');
        }
    }
    if let Some(mc) = &simulation.monte_carlo {
        out.push_str(&format!(
            "\nMonte Carlo: {} runs, seed {}\n",
            mc.runs, mc.seed
        ));
        for (year, amount) in mc.expected_by_year.iter().enumerate() {
            out.push_str(&format!(
                "  expected in year {}: {}\n",
                year + 1,
                m(*amount)
            ));
        }
        out.push_str(&format!(
            "  expected over the term: {}\n",
            m(mc.expected_total)
        ));
        for payer in &mc.expected_by_payer {
            out.push_str(&format!(
                "  expected paid by `{}`: {}\n",
                payer.payer,
                m(payer.amount)
            ));
        }
        out.push_str(&format!(
            "  P10 {}, P50 {}, P90 {}\n",
            m(mc.p10),
            m(mc.p50),
            m(mc.p90)
        ));
        if let Some(share) = &mc.share_of_money_at_risk_paid {
            out.push_str(&format!(
                "  share of the money at risk likely to be paid: {share}%\n"
            ));
        }
        for (gateway, percent) in &mc.gateway_failure_percent {
            out.push_str(&format!(
                "  gateway `{gateway}` fails in {percent}% of assessments\n"
            ));
        }
    }
    out
}
