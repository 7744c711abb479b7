//! Running a contract's `test` blocks: the worked examples a commissioner writes next to the
//! rules. Each test's `given` lines become data, the contract is evaluated on them (periods
//! without data pay nothing), and each `expect` line is compared with the schedule.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::{self, Period};
use crate::data::{Dataset, Observation, Participants, RowRef};
use crate::eval::{self, Line, Options};
use crate::load::Workspace;
use crate::model::Contract;
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Block, GivenValue, MissingDataRule, TestSetting, Unit};
use crate::units::{format_money, unit_domain};

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The `expect` line as written.
    pub expectation: String,
    pub expected: String,
    pub actual: String,
    /// How the actual amount was worked out: the lines' explanations.
    pub explanation: Vec<String>,
    /// Where the expected amount is written, and the actual amount, for `--update`.
    pub amount_span: Option<Span>,
    pub actual_amount: Option<Decimal>,
}

/// The result of one `test` block.
#[derive(Debug, Clone)]
pub struct TestResult {
    pub title: String,
    pub file: FileId,
    pub span: Span,
    pub checks: usize,
    pub failures: Vec<Failure>,
    /// A `given` line that could not be used (such as a period outside the term): the test fails.
    pub problems: Vec<String>,
    /// What the test's schedule exercised, by payment (or deduction) name.
    pub exercised: Vec<(String, eval::Exercised)>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.problems.is_empty()
    }
}

/// Runs every `test` block of the root file of a checked workspace.
pub fn run(workspace: &Workspace, contract: &Contract, sources: &Sources) -> Vec<TestResult> {
    let Some((file, tree)) = workspace.files.iter().find(|(id, _)| *id == workspace.root) else {
        return Vec::new();
    };
    let source = sources.get(*file);
    let name = std::path::Path::new(&source.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tree.blocks
        .iter()
        .filter_map(|block| match block {
            Block::Test(test) => Some(run_one(test, *file, &name, &source.text, contract)),
            _ => None,
        })
        .collect()
}

fn written(text: &str, span: Span) -> String {
    text.get(span.start..span.end)
        .unwrap_or_default()
        .to_string()
}

fn run_one(
    test: &ast::Test,
    file: FileId,
    file_name: &str,
    text: &str,
    contract: &Contract,
) -> TestResult {
    let mut result = TestResult {
        title: test.title.node.clone(),
        file,
        span: test.span,
        checks: 0,
        failures: Vec::new(),
        problems: Vec::new(),
        exercised: Vec::new(),
    };
    let calendar = contract.calendar;
    let mut data = Dataset::default();
    data.file_names.insert(file, file_name.to_string());
    let line_of = |span: Span| text[..span.start.min(text.len())].matches('\n').count() + 1;
    data.participants = Participants::for_contract(contract);
    // Factors and flags given for a period apply to every observation within it.
    let mut factors: Vec<(Period, String, Decimal)> = Vec::new();
    let mut flags: Vec<(Period, String, bool)> = Vec::new();
    for (index, setting) in test.settings.iter().enumerate() {
        let row = RowRef {
            file,
            row: index + 1,
            line: line_of(setting.span),
            span: setting.span,
        };
        match &setting.node {
            TestSetting::Given {
                name,
                value,
                against,
                period,
            } => {
                let Ok(period) = calendar.resolve(period.node) else {
                    result.problems.push(format!(
                        "`{}`: the period is not in the contract's calendar",
                        written(text, setting.span)
                    ));
                    continue;
                };
                if let Some(indicator) = contract.indicators.get(&name.node) {
                    match observation_value(value.node, indicator.unit, contract) {
                        Some((value, numerator, denominator, excluded)) => {
                            data.observations.push(Observation {
                                indicator: name.node.clone(),
                                period,
                                value,
                                numerator,
                                denominator,
                                excluded,
                                comparison: against.and_then(|a| {
                                    crate::units::value_in_unit(
                                        a.node,
                                        indicator.unit,
                                        contract.currency,
                                    )
                                    .ok()
                                }),
                                factors: BTreeMap::new(),
                                flags: BTreeMap::new(),
                                row,
                            })
                        }
                        None => result.problems.push(format!(
                            "`{}`: the value is not in the indicator's unit",
                            written(text, setting.span)
                        )),
                    }
                } else if let (Some(input), GivenValue::Measure(measure)) =
                    (contract.inputs.get(&name.node), value.node)
                {
                    match crate::units::value_in_unit(measure, input.unit, contract.currency) {
                        Ok(value) => data
                            .observations
                            .push(Observation::figure(&name.node, period, value, row)),
                        Err(_) => result.problems.push(format!(
                            "`{}`: the value is not in the input's unit",
                            written(text, setting.span)
                        )),
                    }
                } else if let GivenValue::YesNo(yes) = value.node {
                    flags.push((period, name.node.clone(), yes));
                } else if let GivenValue::Measure(ast::Measure::Number(n)) = value.node {
                    factors.push((period, name.node.clone(), n));
                }
            }
            TestSetting::ParticipantStarted { participant, on } => {
                if let Some(day) = calendar::date(on.node) {
                    let person = data
                        .participants
                        .people
                        .entry(participant.node.as_str().into())
                        .or_default();
                    person.start = Some((
                        day,
                        crate::data::participants::RecordAt {
                            file,
                            line: index as u32 + 1,
                        },
                    ));
                }
            }
            TestSetting::ParticipantAchieved {
                participant,
                outcome,
                on,
            } => {
                if let (Some(day), Some(index_of)) = (
                    calendar::date(on.node),
                    data.participants.outcome_index(&outcome.node),
                ) {
                    let person = data
                        .participants
                        .people
                        .entry(participant.node.as_str().into())
                        .or_default();
                    person
                        .achieved
                        .push(crate::data::participants::Achievement {
                            outcome: index_of,
                            on: day,
                            at: crate::data::participants::RecordAt {
                                file,
                                line: index as u32 + 1,
                            },
                        });
                }
            }
            TestSetting::ExpectPays { .. }
            | TestSetting::ExpectGateway { .. }
            | TestSetting::ExpectFinding(_) => {}
        }
    }
    for observation in &mut data.observations {
        let within =
            |p: &Period| observation.period.start >= p.start && observation.period.end <= p.end;
        for (period, name, value) in &factors {
            if within(period) {
                observation.factors.insert(name.clone(), *value);
            }
        }
        for (period, name, value) in &flags {
            if within(period) {
                observation.flags.insert(name.clone(), *value);
            }
        }
    }
    // In a test, periods the test gives no data for pay nothing.
    // `expect finding`: the same data under the contract's own rules (missing data included).
    let findings: Vec<&ast::Spanned<String>> = test
        .settings
        .iter()
        .filter_map(|s| match &s.node {
            TestSetting::ExpectFinding(code) => Some(code),
            _ => None,
        })
        .collect();
    if !findings.is_empty() {
        let (_, diagnostics) = eval::evaluate(contract, &data, Options::default());
        let found: Vec<&str> = diagnostics.iter().map(|d| d.code.code()).collect();
        for code in findings {
            result.checks += 1;
            if !found.iter().any(|f| f.eq_ignore_ascii_case(&code.node)) {
                let mut seen: Vec<&str> = found.clone();
                seen.dedup();
                result.failures.push(Failure {
                    expectation: format!("expect finding {}", code.node),
                    expected: code.node.clone(),
                    actual: if seen.is_empty() {
                        "no finding".to_string()
                    } else {
                        seen.join(", ")
                    },
                    explanation: diagnostics
                        .iter()
                        .map(|d| format!("{}: {}", d.code.code(), d.message))
                        .collect(),
                    amount_span: None,
                    actual_amount: None,
                });
            }
        }
    }
    let mut contract = contract.clone();
    contract.missing_data = MissingDataRule::PaysNothingHere;
    let (schedule, _) = eval::evaluate(&contract, &data, Options::default());
    for line in &schedule.lines {
        result.exercised.extend(
            line.exercised
                .iter()
                .map(|e| (line.payment.clone(), e.clone())),
        );
    }
    for setting in &test.settings {
        match &setting.node {
            TestSetting::ExpectPays {
                name,
                deducts,
                amount,
                payment,
                period,
            } => {
                result.checks += 1;
                let Ok(period) = calendar.resolve(period.node) else {
                    continue;
                };
                let payer = contract.payers.iter().any(|p| p.name == name.node);
                let lines: Vec<&Line> = schedule
                    .lines
                    .iter()
                    .filter(|l| {
                        let whose = match (payer, payment) {
                            (true, Some(payment)) => l.payment == payment.node,
                            (true, None) => true,
                            (false, _) => name.node == "total" || l.payment == name.node,
                        };
                        whose && l.period_start >= period.start && l.period_end <= period.end
                    })
                    .collect();
                let total: Decimal = if payer {
                    lines
                        .iter()
                        .flat_map(|l| l.payers.iter())
                        .filter(|p| p.party == name.node)
                        .map(|p| p.amount)
                        .sum()
                } else {
                    lines.iter().map(|l| l.amount).sum()
                };
                // `pays` is the schedule's amount; `deducts` the amount taken off.
                let actual = if *deducts { -total } else { total };
                let actual = if actual.is_zero() {
                    Decimal::ZERO
                } else {
                    actual
                };
                let expected = amount.node.map(|m| m.amount).unwrap_or_default();
                if actual != expected {
                    result.failures.push(Failure {
                        expectation: written(text, setting.span),
                        expected: format_money(expected, contract.currency),
                        actual: format_money(actual, contract.currency),
                        explanation: lines
                            .iter()
                            .flat_map(|l| {
                                l.explanation
                                    .iter()
                                    .map(move |e| format!("{} {}: {e}", l.payment, l.period))
                            })
                            .collect(),
                        amount_span: Some(amount.span),
                        actual_amount: Some(actual),
                    });
                }
            }
            TestSetting::ExpectGateway {
                gateway,
                passes,
                period,
            } => {
                result.checks += 1;
                let Ok(period) = calendar.resolve(period.node) else {
                    continue;
                };
                let mention = format!("gateway `{}` ", gateway.node);
                let outcomes: Vec<bool> = schedule
                    .lines
                    .iter()
                    .filter(|l| l.period_start >= period.start && l.period_end <= period.end)
                    .flat_map(|l| l.exercised.iter())
                    .filter_map(|e| match e {
                        eval::Exercised::Gateway(name, passed) if *name == gateway.node => {
                            Some(*passed)
                        }
                        _ => None,
                    })
                    .collect();
                let actual = match (outcomes.is_empty(), outcomes.iter().all(|p| *p)) {
                    (true, _) => None,
                    (false, all) => Some(all),
                };
                if actual != Some(*passes) {
                    let words = |p: bool| if p { "passes" } else { "fails" };
                    result.failures.push(Failure {
                        expectation: written(text, setting.span),
                        expected: words(*passes).to_string(),
                        actual: actual
                            .map(words)
                            .unwrap_or("is not decided: no payment it applies to has data")
                            .to_string(),
                        explanation: schedule
                            .lines
                            .iter()
                            .filter(|l| {
                                l.period_start >= period.start && l.period_end <= period.end
                            })
                            .flat_map(|l| {
                                l.explanation
                                    .iter()
                                    .filter(|e| e.starts_with(&mention))
                                    .map(move |e| format!("{} {}: {e}", l.payment, l.period))
                            })
                            .collect(),
                        amount_span: None,
                        actual_amount: None,
                    });
                }
            }
            _ => {}
        }
    }
    result
}

/// A given value in an indicator's unit, with its numerator, denominator and exclusions when
/// given as `172 of 200` or `540 of 900 excluding 180`.
type GivenCounts = (Decimal, Option<Decimal>, Option<Decimal>, Option<Decimal>);

fn observation_value(value: GivenValue, unit: Unit, contract: &Contract) -> Option<GivenCounts> {
    match value {
        GivenValue::Measure(measure) => {
            let v = crate::units::value_in_unit(measure, unit, contract.currency).ok()?;
            Some((v, None, None, None))
        }
        GivenValue::Fraction {
            numerator,
            denominator,
            excluded,
        } => {
            let left = denominator - excluded.unwrap_or_default();
            let v = crate::units::proportion(numerator, left, unit)?;
            let (lo, hi) = unit_domain(unit);
            (v >= lo && hi.is_none_or(|hi| v <= hi)).then_some((
                v,
                Some(numerator),
                Some(denominator),
                excluded,
            ))
        }
        _ => None,
    }
}

/// The text of a contract with every failing amount replaced by the actual one (`--update`).
pub fn updated_source(text: &str, results: &[TestResult], contract: &Contract) -> String {
    let mut edits: Vec<(Span, String)> = results
        .iter()
        .flat_map(|r| r.failures.iter())
        .filter_map(|f| {
            let amount = f.actual_amount?;
            let written = if amount.is_zero() {
                "nothing".to_string()
            } else {
                format_money(amount, contract.currency)
            };
            Some((f.amount_span?, written))
        })
        .collect();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_string();
    for (span, replacement) in edits {
        if out.is_char_boundary(span.start)
            && out.is_char_boundary(span.end)
            && span.end <= out.len()
        {
            out.replace_range(span.start..span.end, &replacement);
        }
    }
    out
}

/// The runs of contract years in which a payment's pot, prices and fees stay the same, as
/// (first year, last year).
fn year_runs(payment: &crate::model::Payment, years: u32) -> Vec<(u32, u32)> {
    use crate::model::Mechanism;
    let amounts = |year: u32| -> Vec<Decimal> {
        let mut amounts: Vec<Decimal> = payment
            .pot_per_year
            .iter()
            .flat_map(|pots| pots.get(year as usize - 1).or(pots.last()).copied())
            .collect();
        match &payment.mechanism {
            Mechanism::Points { price, .. } => amounts.push(price.at(year)),
            Mechanism::RateCard(card) => {
                amounts.extend(card.attachment_fee.as_ref().map(|f| f.at(year)));
                amounts.extend(card.outcomes.iter().map(|o| o.price.at(year)));
            }
            _ => {}
        }
        amounts
    };
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for year in 1..=years {
        match runs.last_mut() {
            Some((first, last)) if amounts(*first) == amounts(year) => *last = year,
            _ => runs.push((year, year)),
        }
    }
    runs
}

/// What no test exercises: bands, caps, gateway outcomes and rate-card fees, in words.
pub fn uncovered(contract: &Contract, results: &[TestResult]) -> (usize, Vec<String>) {
    use crate::model::Mechanism;
    use eval::Exercised;
    let seen = |payment: &str, what: &Exercised| {
        results
            .iter()
            .any(|r| r.exercised.iter().any(|(p, e)| p == payment && e == what))
    };
    let seen_gateway = |what: &Exercised| {
        results
            .iter()
            .any(|r| r.exercised.iter().any(|(_, e)| e == what))
    };
    let mut total = 0;
    let mut missing = Vec::new();
    let mut need = |covered: bool, words: String| {
        total += 1;
        if !covered {
            missing.push(words);
        }
    };
    for payment in &contract.payments {
        match &payment.mechanism {
            Mechanism::Tiers(bands) => {
                for band in bands {
                    need(
                        seen(&payment.name, &Exercised::Band(band.text.clone())),
                        format!("payment `{}`: band `{}`", payment.name, band.text),
                    );
                }
            }
            Mechanism::RateCard(card) => {
                if card.attachment_fee.is_some() {
                    need(
                        seen(&payment.name, &Exercised::Fee("attachment fee".into())),
                        format!("payment `{}`: the attachment fee", payment.name),
                    );
                }
                for outcome in &card.outcomes {
                    need(
                        seen(&payment.name, &Exercised::Fee(outcome.name.clone())),
                        format!("payment `{}`: outcome `{}`", payment.name, outcome.name),
                    );
                }
            }
            _ => {}
        }
        if let (Mechanism::RateCard(_), Some(_)) = (&payment.mechanism, &payment.pot_per_year) {
            need(
                seen(&payment.name, &Exercised::Cap("yearly budget".into())),
                format!("payment `{}`: the yearly budget", payment.name),
            );
        }
        // Where a price, fee or pot changes by contract year, each run of years with the same
        // amounts needs a worked example in it.
        let runs = year_runs(payment, contract.calendar.contract_years());
        if runs.len() > 1 {
            for (first, last) in runs {
                let covered = (first..=last).any(|y| seen(&payment.name, &Exercised::Year(y)));
                let years = if first == last {
                    format!("contract year {first}")
                } else {
                    format!("contract years {first} to {last}")
                };
                need(
                    covered,
                    format!(
                        "payment `{}` in {years} (its amounts change by contract year)",
                        payment.name
                    ),
                );
            }
        }
        if let Mechanism::Improvement(improvement) = &payment.mechanism {
            if improvement.pooled_trigger.is_some() {
                need(
                    seen(&payment.name, &Exercised::Pooled),
                    format!(
                        "payment `{}`: a period missing its trigger, paid by the pooled trigger",
                        payment.name
                    ),
                );
            }
        }
        if let Some(protection) = &payment.protection {
            need(
                seen(&payment.name, &Exercised::Value(protection.value.clone())),
                format!(
                    "payment `{}` paid on its protected {}",
                    payment.name,
                    protection.what.word()
                ),
            );
        }
        for (scope, _) in payment
            .caps
            .iter()
            .filter(|(s, _)| *s != crate::syntax::ast::LimitScope::Participant)
        {
            need(
                seen(&payment.name, &Exercised::Cap(scope.words().to_string())),
                format!("payment `{}`: the cap {}", payment.name, scope.words()),
            );
        }
    }
    for advance in &contract.advances {
        for (recovered, words) in [
            (false, "paying what was earned beyond the instalments"),
            (true, "recovering an overpayment"),
        ] {
            need(
                seen(&advance.name, &Exercised::Reconciliation { recovered }),
                format!(
                    "advance `{}`: a year-end reconciliation {words}",
                    advance.name
                ),
            );
        }
    }
    for derived in contract.derived.values() {
        need(
            seen_gateway(&Exercised::Value(derived.name.clone())),
            format!("derived value `{}` worked out", derived.name),
        );
    }
    for deduction in &contract.deductions {
        if deduction.standard.is_some_and(|s| s.floor.is_some()) {
            need(
                seen(
                    &deduction.name,
                    &Exercised::Sanction(crate::eval::FLOOR.to_string()),
                ),
                format!("deduction `{}`: no further sanction", deduction.name),
            );
        }
        for (worse, _) in &deduction.instead {
            need(
                seen(&deduction.name, &Exercised::Sanction(worse.clone())),
                format!(
                    "deduction `{}`: breaches on `{worse}` charged instead",
                    deduction.name
                ),
            );
        }
        for (scope, _) in &deduction.caps {
            need(
                seen(&deduction.name, &Exercised::Cap(scope.words().to_string())),
                format!("deduction `{}`: the cap {}", deduction.name, scope.words()),
            );
        }
    }
    for gateway in &contract.gateways {
        need(
            seen_gateway(&Exercised::Gateway(gateway.name.clone(), true)),
            format!("gateway `{}` passing", gateway.name),
        );
        need(
            seen_gateway(&Exercised::Gateway(gateway.name.clone(), false)),
            format!("gateway `{}` failing", gateway.name),
        );
    }
    (total, missing)
}
