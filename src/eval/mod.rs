//! Evaluation: a resolved contract and its checked data in, a payment schedule out, every line
//! with the ordered steps that produced its amount. The order is documented in
//! docs/evaluation.md: measured value, mechanism, factors, gateways, caps, rounding, due date.

mod advances;
mod deductions;
pub(crate) use deductions::FLOOR;
mod payers;
mod payments;
pub use payers::PayerTotal;
pub(crate) use payments::find_band;
mod measure;
mod rate_card;
mod values;

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::calendar::{self, Calendar, Period};
use crate::data::{Dataset, RowRef};
use crate::diagnostic::Diagnostic;
use crate::model::{Contract, Mechanism, Payment};
use crate::syntax::ast::{CurrencyCode, Duration, Frequency, LagFrom, LimitScope};
use crate::units::format_money;

/// Choices for one evaluation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Only what is due by this date counts as due; the rest is pending. Without it, the
    /// whole term is evaluated and every period must have its data.
    pub as_of: Option<Date>,
}

/// What a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Payment,
    Deduction,
    Advance,
    Reconciliation,
    Floor,
}

/// Whether a line is due by the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Due on or before the as-of date (or no as-of date was given).
    Due,
    /// Falls due after the as-of date, or awaits data.
    Pending,
}

impl Line {
    /// A line with no amount yet, for `name` and `period`, falling due on `due`.
    pub(crate) fn new(
        name: &str,
        kind: LineKind,
        period: &Period,
        year: u32,
        due: Date,
        status: Status,
    ) -> Line {
        Line {
            payment: name.to_string(),
            kind,
            period: period.label.clone(),
            period_start: period.start,
            period_end: period.end,
            contract_year: year,
            measured: None,
            basis: String::new(),
            calculated: None,
            amount: Decimal::ZERO,
            due,
            status,
            explanation: Vec::new(),
            rows: Vec::new(),
            shares: Vec::new(),
            payers: Vec::new(),
            exercised: Vec::new(),
        }
    }
}

/// The part of a line's amount that one party bears or pays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PartyShare {
    /// `provider`, `commissioner`, or a named commissioner.
    pub party: String,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub amount: Decimal,
}

/// One line of the schedule: what one payment owes for one period, and why.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Line {
    pub payment: String,
    pub kind: LineKind,
    pub period: String,
    #[schemars(with = "IsoDate")]
    pub period_start: Date,
    #[schemars(with = "IsoDate")]
    pub period_end: Date,
    pub contract_year: u32,
    /// The measured value as written, such as `86.5%`, where there is one.
    pub measured: Option<String>,
    /// The band or formula applied, in a few words.
    pub basis: String,
    /// For a payment paid on protected points or a protected share: what its rule gives for the
    /// period's result (`5.2 points`, `25%`), where there is a result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculated: Option<String>,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub amount: Decimal,
    #[schemars(with = "IsoDate")]
    pub due: Date,
    pub status: Status,
    /// The ordered steps that produced the amount and the due date.
    pub explanation: Vec<String>,
    /// The data rows used, as `file:line`.
    pub rows: Vec<String>,
    /// How a sanction is shared between the provider and the commissioner, where the contract
    /// says (`borne`); the parts add up to the whole sanction, of which the provider's is the
    /// amount.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<PartyShare>,
    /// Who pays the amount, where the contract names its payers: each payer's part, in whole
    /// pennies that add up to the amount.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payers: Vec<PartyShare>,
    /// The parts of the contract this line exercised, for `obc test --coverage`.
    #[serde(skip)]
    #[schemars(skip)]
    pub exercised: Vec<Exercised>,
}

/// A part of a contract that a line exercised.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exercised {
    /// A band of a tiers table, as written.
    Band(String),
    /// A cap that bit, by its scope in words.
    Cap(String),
    /// A gateway, and whether it passed.
    Gateway(String, bool),
    /// A rate-card fee: an outcome's name, or `attachment fee`.
    Fee(String),
    /// A contract year in which the line had something to assess (a value, or fees).
    Year(u32),
    /// A derived value worked out for the line.
    Value(String),
    /// A deduction's floor that limited the breaches counted (`no further sanction`), or the
    /// worse breaches of an indicator charged instead, by name.
    Sanction(String),
    /// A period of a payment for improvement that missed its own trigger and was paid by the
    /// pooled trigger.
    Pooled,
    /// An advance's year-end reconciliation: paying what was earned beyond the instalments, or
    /// recovering an overpayment.
    Reconciliation { recovered: bool },
}

/// The payment schedule that `obc eval --format json` writes.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(title = "obc payment schedule")]
pub struct Schedule {
    pub contract: String,
    pub currency: &'static str,
    #[schemars(with = "Option<IsoDate>")]
    pub as_of: Option<Date>,
    pub lines: Vec<Line>,
    /// Totals per contract year, year 1 first.
    pub years: Vec<YearTotal>,
    /// What each named payer pays in all, in the contract's order; empty without payers. The
    /// payers' totals add up to `total`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payers: Vec<PayerTotal>,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub total: Decimal,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub total_due: Decimal,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub total_pending: Decimal,
}

/// One contract year in money: the lines' total, and where it sits in the contract's value.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct YearTotal {
    pub contract_year: u32,
    #[schemars(with = "IsoDate")]
    pub start: Date,
    #[schemars(with = "IsoDate")]
    pub end: Date,
    /// The total of the year's lines: `earned` plus `deducted`.
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub total: Decimal,
    /// The contract's value for the year, pro-rated by days for a part year.
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub value: Decimal,
    /// The money at risk in the year, pro-rated likewise; zero when nothing is at risk.
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub at_risk: Decimal,
    /// What the payments' lines add up to (payments, advances, reconciliations, floors).
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub earned: Decimal,
    /// What the deductions' lines add up to: zero or negative.
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub deducted: Decimal,
    /// The money at risk that was not earned: `at_risk` less `earned`, never below zero; null
    /// when nothing is at risk.
    #[serde(serialize_with = "optional_decimal_string")]
    #[schemars(with = "Option<DecimalString>")]
    pub withheld: Option<Decimal>,
    /// What each named payer pays in the year; empty without payers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payers: Vec<PartyShare>,
    /// What is paid for the year in all: the value not at risk plus `total`.
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub paid_in_all: Decimal,
}

/// A date written `YYYY-MM-DD`, as the schema describes it.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)]
struct IsoDate(#[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))] String);

/// An amount of money as a decimal string with two places, such as `570000.00` or `-250.00`.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)]
struct DecimalString(#[schemars(regex(pattern = r"^-?\d+\.\d{2}$"))] String);

/// The JSON Schema of `obc eval --format json`, as committed in docs/schema/schedule.schema.json.
pub fn schedule_schema() -> String {
    let schema = schemars::schema_for!(Schedule);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Money as a decimal string with pence: `570000.00`.
fn decimal_string<S: serde::Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&money_string(*value))
}

fn optional_decimal_string<S: serde::Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.serialize_str(&money_string(*value)),
        None => serializer.serialize_none(),
    }
}

/// An amount as a plain decimal string with two places, for JSON and CSV.
pub fn money_string(value: Decimal) -> String {
    if value.is_zero() {
        return "0.00".to_string();
    }
    let mut value = value.round_dp(2);
    value.rescale(2);
    value.to_string()
}

/// Evaluates a contract against its data. Problems found while evaluating (missing data for a
/// period that is due) are returned as diagnostics; the schedule is meaningful only without errors.
pub fn evaluate(
    contract: &Contract,
    data: &Dataset,
    options: Options,
) -> (Schedule, Vec<Diagnostic>) {
    let mut run = Run {
        contract,
        data,
        options,
        lines: Vec::new(),
        diagnostics: Vec::new(),
        used_rows: Vec::new(),
        taken: Vec::new(),
        values: Default::default(),
        advance_earned: Default::default(),
    };
    // Deductions that come before caps must be known before the payments they reduce.
    let early = contract.deductions_before_caps;
    if early {
        for deduction in &contract.deductions {
            deductions::evaluate(&mut run, deduction);
        }
    }
    for payment in &contract.payments {
        match &payment.mechanism {
            Mechanism::RateCard(card) => rate_card::evaluate(&mut run, payment, card),
            _ => payments::evaluate(&mut run, payment),
        }
    }
    for advance in &contract.advances {
        advances::evaluate(&mut run, advance);
    }
    if !early {
        for deduction in &contract.deductions {
            deductions::evaluate(&mut run, deduction);
        }
    }
    run.report_unused_rows();
    for line in &mut run.lines {
        take_exercised(line);
    }
    let Run {
        mut lines,
        diagnostics,
        ..
    } = run;
    // Lines in period order; a year-end reconciliation after every line of its year's last period.
    let key = |l: &Line| {
        (
            l.period_end,
            l.kind == LineKind::Reconciliation,
            l.period_start,
            l.payment.clone(),
            l.kind as u8,
        )
    };
    lines.sort_by_key(key);
    payers::assign(contract, &mut lines);
    let schedule = summarise(contract, options, lines);
    (schedule, diagnostics)
}

fn summarise(contract: &Contract, options: Options, lines: Vec<Line>) -> Schedule {
    let calendar = contract.calendar;
    let rounding = contract.rounding;
    let years = (1..=calendar.contract_years())
        .filter_map(|year| {
            let (start, end) = calendar.contract_year(year)?;
            let in_year = || lines.iter().filter(|l| l.contract_year == year);
            let total = in_year().map(|l| l.amount).sum();
            let deducted = in_year()
                .filter(|l| l.kind == LineKind::Deduction)
                .map(|l| l.amount)
                .sum();
            let earned = in_year()
                .filter(|l| l.kind != LineKind::Deduction)
                .map(|l| l.amount)
                .sum::<Decimal>();
            // A part year at either end of the term has that share of a year's value.
            let covered = calendar::days_between(start, end.min(calendar.end)) + 1;
            let whole = calendar::days_between(start, end) + 1;
            let part = |amount: Decimal| {
                rounding.apply(amount * Decimal::from(covered) / Decimal::from(whole.max(1)))
            };
            let value = part(contract.value_per_year);
            // The money at risk is what the weighted payments' pots hold in the year (in a part
            // year, their periods' pro-rated pots); without weighted payments, the year's share.
            let weighted: Vec<&Payment> = contract
                .payments
                .iter()
                .filter(|p| contract.about.weights.contains_key(&p.name))
                .collect();
            let at_risk = if weighted.is_empty() {
                contract
                    .at_risk_per_year
                    .get(year as usize - 1)
                    .map(|a| part(*a))
                    .unwrap_or_default()
            } else {
                weighted
                    .iter()
                    .flat_map(|p| p.period_pots(&calendar, rounding, false))
                    .filter(|p| p.year == year)
                    .map(|p| p.pot)
                    .sum()
            };
            Some(YearTotal {
                contract_year: year,
                start,
                end: end.min(calendar.end),
                total,
                value,
                at_risk,
                earned,
                deducted,
                withheld: (!at_risk.is_zero()).then(|| (at_risk - earned).max(Decimal::ZERO)),
                paid_in_all: value - at_risk + total,
                payers: payers::parts(contract, in_year()),
            })
        })
        .collect();
    let total = lines.iter().map(|l| l.amount).sum();
    let total_due = lines
        .iter()
        .filter(|l| l.status == Status::Due)
        .map(|l| l.amount)
        .sum();
    let total_pending = lines
        .iter()
        .filter(|l| l.status == Status::Pending)
        .map(|l| l.amount)
        .sum();
    Schedule {
        contract: contract.title.clone(),
        currency: contract.currency.code(),
        as_of: options.as_of,
        payers: payers::totals(contract, &lines),
        lines,
        years,
        total,
        total_due,
        total_pending,
    }
}

/// A problem already reported as a diagnostic.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reported;

/// The state of one evaluation.
pub(crate) struct Run<'a> {
    pub contract: &'a Contract,
    pub data: &'a Dataset,
    pub options: Options,
    pub lines: Vec<Line>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rows some line used.
    pub used_rows: Vec<RowRef>,
    /// Deductions to take from payments before their caps: (payment, day the deduction's
    /// period ends, amount, deduction and period in words).
    pub taken: Vec<(String, Date, Decimal, String)>,
    /// Derived values worked out so far, by name and period.
    pub values:
        std::collections::HashMap<(String, Date, Date), Result<values::Worked, values::Problem>>,
    /// What the payments each `advance` block covers earned, by advance and contract year.
    pub advance_earned: std::collections::BTreeMap<(String, u32), advances::Earned>,
}

impl<'a> Run<'a> {
    /// Takes the deductions due from `payment` for `period` off `amount`, before its caps
    /// (only when the contract says deductions come before caps).
    pub fn take_deductions(
        &self,
        payment: &str,
        period: &Period,
        amount: Decimal,
        steps: &mut Vec<String>,
    ) -> Decimal {
        let mut amount = amount;
        for (target, day, taken, what) in &self.taken {
            if target == payment && period.start <= *day && *day <= period.end {
                steps.push(format!(
                    "{what}: {} taken off before the caps, leaving {}",
                    self.money(*taken),
                    self.money(amount - taken)
                ));
                amount -= taken;
            }
        }
        amount
    }

    pub fn calendar(&self) -> Calendar {
        self.contract.calendar
    }

    pub fn money(&self, amount: Decimal) -> String {
        format_money(amount, self.contract.currency)
    }

    pub fn currency(&self) -> CurrencyCode {
        self.contract.currency
    }

    /// The value of an indicator for a period, its rows of shorter periods combined `combine`'s
    /// way (the indicator's own when `None`); `Ok(None)` when there is no data for it. Rows that
    /// cover the period but cannot be combined are reported (once for each indicator and
    /// period) and give `Err(Reported)`.
    pub fn measure(
        &mut self,
        name: &str,
        period: &Period,
        combine: Option<crate::syntax::ast::Combine>,
    ) -> Result<Option<measure::Measured<'a>>, Reported> {
        let combine = combine.or_else(|| measure::default_combine(self, name));
        match measure::find(self, name, period, combine) {
            Ok(found) => Ok(found),
            Err(problem) => {
                let key = (format!("combine {name}"), period.start, period.end);
                if let std::collections::hash_map::Entry::Vacant(entry) = self.values.entry(key) {
                    entry.insert(Err(values::Problem::Reported));
                    let first = problem.rows.first().map(|o| o.row);
                    let (file, span) = first
                        .map(|r| (r.file, r.span))
                        .or_else(|| self.contract.indicators.get(name).map(|i| i.defined_at))
                        .unwrap_or_default();
                    let cited: Vec<String> =
                        problem.rows.iter().map(|o| self.row_name(o.row)).collect();
                    self.diagnostics.push(
                        Diagnostic::new(
                            crate::diagnostic::Code::RowsNotCombinable,
                            file,
                            span,
                            format!("{} ({})", problem.message, cited.join(", ")),
                            "cannot be combined",
                        )
                        .with_help(problem.help),
                    );
                }
                Err(Reported)
            }
        }
    }

    /// Whether the data for a period can be expected by the as-of date.
    pub fn data_expected(&self, available: Date) -> bool {
        self.options.as_of.is_none_or(|as_of| available <= as_of)
    }

    pub fn status(&self, due: Date) -> Status {
        match self.options.as_of {
            Some(as_of) if due > as_of => Status::Pending,
            _ => Status::Due,
        }
    }

    /// `file:line` for explanations, as an editor shows it.
    pub fn row_name(&self, row: RowRef) -> String {
        let file = self
            .data
            .file_names
            .get(&row.file)
            .map(String::as_str)
            .unwrap_or("data");
        format!("{file}:{}", row.line)
    }

    /// Reports data that is missing for a period, unless the contract says missing data pays
    /// nothing. `what` names the data; `needed_by` the payment, gateway or deduction.
    pub fn missing_data(
        &mut self,
        defined_at: (crate::source::FileId, crate::source::Span),
        what: &str,
        needed_by: &str,
    ) {
        if self.contract.missing_data != crate::syntax::ast::MissingDataRule::Error {
            return;
        }
        let (file, span) = defined_at;
        self.diagnostics.push(
            Diagnostic::new(
                crate::diagnostic::Code::MissingData,
                file,
                span,
                format!("there is no data for {what}, which {needed_by} needs"),
                "no data for this period",
            )
            .with_help("add it to the data, or state `missing data pays nothing` in the contract"),
        );
    }

    /// Reports a payment that works out beyond the size of number obc calculates with: its
    /// data or its rates hold a slip, and no sum built on it could be exact.
    pub fn amount_too_large(
        &mut self,
        defined_at: (crate::source::FileId, crate::source::Span),
        payment: &str,
        period: &str,
        rows: &[String],
    ) {
        let (file, span) = defined_at;
        self.diagnostics.push(
            Diagnostic::new(
                crate::diagnostic::Code::AmountTooLarge,
                file,
                span,
                format!(
                    "payment `{payment}` for {period} works out larger than obc calculates with, from {}",
                    rows.join(", ")
                ),
                "measured here",
            )
            .with_help("check the rows and the payment's rates for extra digits: obc calculates with numbers up to 1,000,000,000,000"),
        );
    }

    fn report_unused_rows(&mut self) {
        // After an error, rows the failed working would have read are not really unused.
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return;
        }
        let monitored: Vec<&str> = self
            .contract
            .indicators
            .values()
            .filter(|i| i.reporting_only)
            .map(|i| i.name.as_str())
            .collect();
        // Under `--as-of`, a row for a period whose line still awaits its data may be used once
        // the rest arrives: it is not reported.
        let pending: Vec<(Date, Date)> = self
            .lines
            .iter()
            .filter(|l| l.status == Status::Pending)
            .map(|l| (l.period_start, l.period_end))
            .collect();
        for observation in &self.data.observations {
            let awaited = pending.iter().any(|(start, end)| {
                observation.period.start <= *end && observation.period.end >= *start
            });
            if monitored.contains(&observation.indicator.as_str())
                || self.used_rows.contains(&observation.row)
                || awaited
            {
                continue;
            }
            self.diagnostics.push(
                Diagnostic::new(
                    crate::diagnostic::Code::UnusedDataRow,
                    observation.row.file,
                    observation.row.span,
                    format!("the row for `{}` in {} is not used by any payment, gateway or deduction", observation.indicator, observation.period.label),
                    "not used",
                )
                .with_help("the row's period may not match how often the payments are assessed, or no payment needed it; check its period, or remove it"),
            );
        }
    }
}

/// How a payment line falls due: period end, plus the data lag when paid after data, plus the
/// payment lag. Returns the date and the steps in words.
pub fn due_date(
    contract: &Contract,
    period_end: Date,
    data_lag: Option<Duration>,
    lag: Option<(Duration, LagFrom)>,
) -> (Date, Vec<String>) {
    let add = |date: Date, length: Duration| {
        calendar::add_months_rule(date, length, contract.keep_month_ends)
    };
    let mut due = period_end;
    let mut steps = vec![format!("the period ends on {period_end}")];
    let after_data = lag.is_none_or(|(_, from)| from == LagFrom::Data);
    if let (Some(data_lag), true) = (data_lag, after_data) {
        if let Some(next) = add(due, data_lag) {
            due = next;
            steps.push(format!(
                "its data is available {} later, on {due}",
                duration_words(data_lag)
            ));
        }
    }
    match lag {
        Some((length, from)) => {
            if let Some(next) = add(due, length) {
                due = next;
                let after = if from == LagFrom::Data {
                    "after the data"
                } else {
                    "after the period ends"
                };
                steps.push(format!(
                    "payment is due {} {after}, on {due}",
                    duration_words(length)
                ));
            }
        }
        None => steps.push(format!(
            "payment is due when the data is available, on {due}"
        )),
    }
    (due, steps)
}

use crate::units::duration_words;

pub(crate) use crate::limits::CapTotals;

/// Applies the caps of a payment to a rounded amount for one period (see [`crate::limits`]),
/// adding a step for each cap that bites.
pub(crate) fn apply_caps(
    run: &Run,
    caps: &[(LimitScope, Decimal)],
    frequency: Frequency,
    period: &Period,
    totals: &mut CapTotals,
    amount: Decimal,
    steps: &mut Vec<String>,
) -> Decimal {
    let (capped, bites) =
        crate::limits::cap_line(&run.calendar(), caps, frequency, period, totals, amount);
    for bite in &bites {
        steps_exercised(steps, &bite.scope);
    }
    for bite in bites {
        let step = match bite.paid_before {
            None => format!(
                "capped at {} {}: {} becomes {}",
                run.money(bite.cap),
                bite.scope.words(),
                run.money(bite.from),
                run.money(bite.to)
            ),
            Some(paid) => format!(
                "capped at {} {}: {} already paid in {}, so {} becomes {}",
                run.money(bite.cap),
                bite.scope.words(),
                run.money(paid),
                bite.within,
                run.money(bite.from),
                run.money(bite.to)
            ),
        };
        steps.push(step);
    }
    capped
}

/// Caps that bite are recorded as a marker step, turned into [`Exercised::Cap`] by [`take_exercised`].
fn steps_exercised(steps: &mut Vec<String>, scope: &LimitScope) {
    steps.push(exercised_step(&Exercised::Cap(scope.words().to_string())));
}

/// A marker step recording that a line exercised part of the contract (moved out of the
/// explanation into [`Line::exercised`] before the schedule is returned).
pub(crate) fn exercised_step(what: &Exercised) -> String {
    match what {
        Exercised::Band(text) => format!("{EXERCISED}band {text}"),
        Exercised::Cap(scope) => format!("{EXERCISED}cap {scope}"),
        Exercised::Gateway(name, true) => format!("{EXERCISED}pass {name}"),
        Exercised::Gateway(name, false) => format!("{EXERCISED}fail {name}"),
        Exercised::Fee(name) => format!("{EXERCISED}fee {name}"),
        Exercised::Year(year) => format!("{EXERCISED}year {year}"),
        Exercised::Value(name) => format!("{EXERCISED}value {name}"),
        Exercised::Sanction(what) => format!("{EXERCISED}sanction {what}"),
        Exercised::Pooled => format!("{EXERCISED}pooled -"),
        Exercised::Reconciliation { recovered } => {
            format!("{EXERCISED}reconciliation {recovered}")
        }
    }
}

/// Starts a step that records what a line exercised rather than explaining it.
const EXERCISED: &str = "\u{0}exercised:";

/// Moves the marker steps of a line's explanation into its `exercised` list.
pub(crate) fn take_exercised(line: &mut Line) {
    let mut kept = Vec::with_capacity(line.explanation.len());
    for step in line.explanation.drain(..) {
        match step.strip_prefix(EXERCISED) {
            Some(rest) => {
                let (kind, what) = rest.split_once(' ').unwrap_or((rest, ""));
                let what = what.to_string();
                line.exercised.push(match kind {
                    "band" => Exercised::Band(what),
                    "cap" => Exercised::Cap(what),
                    "pass" => Exercised::Gateway(what, true),
                    "fail" => Exercised::Gateway(what, false),
                    "year" => Exercised::Year(what.parse().unwrap_or_default()),
                    "value" => Exercised::Value(what),
                    "sanction" => Exercised::Sanction(what),
                    "pooled" => Exercised::Pooled,
                    "reconciliation" => Exercised::Reconciliation {
                        recovered: what == "true",
                    },
                    _ => Exercised::Fee(what),
                });
            }
            None => kept.push(step),
        }
    }
    line.explanation = kept;
}

/// Rounds per the contract's rule, with a step when rounding changes the amount.
pub(crate) fn round(run: &Run, amount: Decimal, steps: &mut Vec<String>) -> Decimal {
    let rounded = run.contract.rounding.apply(amount);
    if rounded != amount {
        steps.push(format!(
            "{} {} gives {}",
            exact_money(run, amount),
            run.contract.rounding.words(),
            run.money(rounded)
        ));
    }
    rounded
}

/// An unrounded amount for explanations: to six places at most, with the currency symbol.
pub(crate) fn exact_money(run: &Run, amount: Decimal) -> String {
    let shown = amount.round_dp(6).normalize();
    let symbol = run.currency().symbol().symbol();
    let text = crate::units::format_number(shown.abs());
    if shown.is_sign_negative() && !shown.is_zero() {
        format!("-{symbol}{text}")
    } else {
        format!("{symbol}{text}")
    }
}

/// How a period's pot was worked out, in words; `None` for a payment without a pot. A year's
/// pot is divided among its periods in whole pennies that add up to it (see [`crate::split`]).
pub(crate) fn pot_words(
    run: &Run,
    payment: &Payment,
    pot: &crate::model::PeriodPot,
) -> Option<String> {
    payment.pot_per_year.as_ref()?;
    let per_year = 12 / calendar::frequency_months(payment.frequency);
    let noun = period_noun(payment.frequency);
    Some(share_words(run, pot, per_year, noun, "the pot"))
}

/// How one period's share of a yearly amount (a pot, an advance) was worked out, in words.
pub(crate) fn share_words(
    run: &Run,
    share: &crate::model::PeriodPot,
    per_year: u32,
    noun: &str,
    what: &str,
) -> String {
    let units = run.contract.rounding.unit_words(run.currency());
    let even = share.pot_year / Decimal::from(per_year.max(1));
    let mut words = if per_year == 1 && share.whole_year {
        format!(
            "{what} for contract year {} is {}",
            share.year,
            run.money(share.pot_year)
        )
    } else if share.whole_year && run.contract.rounding.apply(even) == even {
        format!(
            "{what} for contract year {} is {}, so one {noun} is {}",
            share.year,
            run.money(share.pot_year),
            run.money(even)
        )
    } else if share.whole_year {
        format!(
            "{what} for contract year {} is {}, divided among its {per_year} {noun}s in whole {units} that add up to it: {} for {}",
            share.year,
            run.money(share.pot_year),
            run.money(share.pot),
            share.period.label
        )
    } else {
        format!(
            "{what} for contract year {} is {} for a whole year; its {noun}s within the term share {}, divided among them by days in whole {units}: {} for {}",
            share.year,
            run.money(share.pot_year),
            run.money(share.shared),
            run.money(share.pot),
            share.period.label
        )
    };
    if share.is_part() {
        words.push_str(&format!(
            " ({} covers {} of its {} days)",
            share.period.label,
            share.period.days(),
            share.whole_days
        ));
    }
    words
}

pub fn period_noun(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Monthly => "month",
        Frequency::Quarterly => "quarter",
        Frequency::Annually => "fiscal year",
        Frequency::AnnuallyByContractYear => "contract year",
    }
}

/// The result of evaluating files: every diagnostic (contract and data) and, when there were
/// no errors, the schedule.
pub struct Evaluation {
    pub diagnostics: Vec<Diagnostic>,
    pub schedule: Option<Schedule>,
}

/// The data files for a contract when none are named: `data/NAME.csv` (or `.json`, `.xlsx`)
/// beside the contract, and files whose names start with `NAME-` or `NAME_` there, in name order.
pub fn default_data_files(contract: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Some(stem) = contract.file_stem().and_then(|s| s.to_str()) else {
        return Vec::new();
    };
    let dir = contract
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("data");
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let ext_ok = p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "csv" | "json" | "xlsx" | "xlsm" | "xls" | "ods"
                )
            });
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            ext_ok
                && (name == stem
                    || name.starts_with(&format!("{stem}-"))
                    || name.starts_with(&format!("{stem}_")))
        })
        .collect();
    found.sort();
    found
}

/// Loads and checks a contract, reads and checks its data, and evaluates it. I/O errors on the
/// named files are returned as errors; everything else becomes diagnostics.
pub fn evaluate_files(
    contract: &std::path::Path,
    data: &[std::path::PathBuf],
    options: Options,
    sources: &mut crate::source::Sources,
) -> std::io::Result<Evaluation> {
    evaluate_files_with_progress(contract, data, options, sources, &mut |_, _| {})
}

/// [`evaluate_files`], telling `progress` how many bytes of a streamed participant file have
/// been read (for a progress bar).
pub fn evaluate_files_with_progress(
    contract: &std::path::Path,
    data: &[std::path::PathBuf],
    options: Options,
    sources: &mut crate::source::Sources,
    progress: &mut dyn FnMut(u64, u64),
) -> std::io::Result<Evaluation> {
    let workspace = crate::load::load(contract, sources)?;
    let analysis = crate::check::analyse(&workspace, sources);
    let mut diagnostics = analysis.diagnostics;
    let Some(model) = analysis.contract else {
        return Ok(Evaluation {
            diagnostics,
            schedule: None,
        });
    };
    let (dataset, data_diagnostics) = crate::data::load(data, sources, &model, progress)?;
    diagnostics.extend(data_diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        crate::diagnostic::sort(&mut diagnostics);
        return Ok(Evaluation {
            diagnostics,
            schedule: None,
        });
    }
    let (schedule, eval_diagnostics) = evaluate(&model, &dataset, options);
    diagnostics.extend(eval_diagnostics);
    crate::diagnostic::sort(&mut diagnostics);
    // A finding about one row that holds for several periods is reported once.
    diagnostics.dedup();
    let schedule = (!diagnostics.iter().any(Diagnostic::is_error)).then_some(schedule);
    Ok(Evaluation {
        diagnostics,
        schedule,
    })
}
