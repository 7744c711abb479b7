//! The checker: resolves names and finds every mistake that costs money or invites a dispute.
//!
//! It reads the syntax trees of a workspace (a root file and its imports) and reports
//! diagnostics; it never stops at the first finding. Each area has its own module.

mod advances;
mod contract;
mod deductions;
mod fraction;
mod framework;
mod indicators;
mod names;
mod payers;
mod payments;
mod settings;
mod tests_blocks;
mod values;

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::calendar::{Calendar, PeriodProblem};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::load::Workspace;
use crate::model;
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Measure, Money, Spanned, Unit};
use crate::units;

pub use contract::Header;
pub use names::{closest as closest_name, Item, Kind, Symbols};

/// Checks a loaded workspace. Returns every diagnostic, syntax ones included, sorted by position.
pub fn check(workspace: &Workspace, sources: &Sources) -> Vec<Diagnostic> {
    analyse(workspace, sources).diagnostics
}

/// How many times [`fix_certain`] checks a file again to find what its fixes brought to light.
pub const MAX_FIX_ROUNDS: usize = 10;

/// A contract's text, as read from `path`, with every certain fix made (see
/// [`crate::diagnostic::Fix`]), and how many were made. Fixing one finding can bring the next to
/// light (a file that stopped at one curly quote reads on to the next), so the text is checked
/// again after each round, up to [`MAX_FIX_ROUNDS`] times. Only the file itself is changed,
/// never the files it imports.
pub fn fix_certain(path: &std::path::Path, original: &str) -> (String, usize) {
    let mut text = original.to_string();
    let mut made = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let mut sources = Sources::new();
        let workspace = crate::load::load_text(path, text.clone(), &mut sources);
        let diagnostics = check(&workspace, &sources);
        let fixes: Vec<&crate::diagnostic::Fix> = diagnostics
            .iter()
            .filter(|d| d.file == workspace.root)
            .filter_map(|d| d.fix.as_deref())
            .filter(|f| f.certain)
            .collect();
        let (fixed, count) = crate::diagnostic::apply_fixes(&text, &fixes);
        if count == 0 {
            break;
        }
        text = fixed;
        made += count;
    }
    (text, made)
}

/// The findings about a workspace and, when there are no errors, its resolved contract.
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub contract: Option<model::Contract>,
}

/// Checks a loaded workspace and resolves its contract.
pub fn analyse(workspace: &Workspace, sources: &Sources) -> Analysis {
    let mut diagnostics = workspace.diagnostics.clone();
    let symbols = Symbols::collect(&workspace.files, sources, &mut diagnostics);
    let mut ctx = Ctx {
        files: &workspace.files,
        symbols,
        header: None,
        diagnostics,
        used: HashSet::new(),
        indicators: HashMap::new(),
        sources,
        payments: Vec::new(),
        gateways: Vec::new(),
        deductions: Vec::new(),
        weights: Default::default(),
        inputs: Default::default(),
        derived: Default::default(),
        value_uses: HashSet::new(),
        calculation_uses: HashSet::new(),
        payers: Default::default(),
        advances: Vec::new(),
    };
    ctx.header = contract::check(&mut ctx, workspace.root);
    ctx.payers = payers::check(&mut ctx);
    indicators::check(&mut ctx);
    values::check(&mut ctx);
    framework::check(&mut ctx);
    payments::check(&mut ctx);
    advances::check(&mut ctx);
    tests_blocks::check(&mut ctx);
    framework::check_hygiene(&mut ctx);
    let mut diagnostics = std::mem::take(&mut ctx.diagnostics);
    drop_cascades(&mut diagnostics, &workspace.files, sources);
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    let contract = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        resolve(ctx)
    };
    Analysis {
        diagnostics,
        contract,
    }
}

/// The descriptive parts of the contract, as written, for specifications.
fn describe(ctx: &Ctx) -> model::About {
    use ast::{
        Block, ContractSetting as C, IndicatorSetting as I, OutcomeSetting, PopulationSetting as P,
    };
    let mut about = model::About::default();
    let text = |s: &Option<ast::Spanned<String>>| s.as_ref().map(|t| t.node.clone());
    let population = |title: Option<String>, name: Option<String>, settings: &[ast::Spanned<P>]| {
        let mut info = model::PopulationInfo {
            name,
            title,
            ..Default::default()
        };
        for setting in settings {
            match &setting.node {
                P::Size(size) => info.size = Some(size.node),
                P::Eligibility(e) => info.eligibility = Some(e.clone()),
                P::Description(d) => info.description = Some(d.clone()),
            }
        }
        info
    };
    for (file, tree) in ctx.files {
        for block in &tree.blocks {
            match block {
                Block::Contract(c) => {
                    for setting in &c.settings {
                        match &setting.node {
                            C::Reference(r) => about.reference = Some(r.clone()),
                            C::Description(d) => about.description = Some(d.clone()),
                            C::Commissioner { title, .. } => {
                                about.commissioners.push(title.clone())
                            }
                            C::Provider(n) => about.providers.push(n.clone()),
                            _ => {}
                        }
                    }
                }
                Block::Population(p) => {
                    about.population =
                        Some(population(Some(p.title.node.clone()), None, &p.settings))
                }
                Block::Cohort(c) => about.cohorts.push(population(
                    text(&c.title),
                    Some(c.name.node.clone()),
                    &c.settings,
                )),
                Block::Domain(d) => {
                    if let Some(description) = &d.description {
                        about
                            .descriptions
                            .insert(d.name.node.clone(), description.node.clone());
                    }
                    about.domains.push(model::DomainInfo {
                        name: d.name.node.clone(),
                        title: text(&d.title),
                        outcomes: d
                            .outcomes
                            .iter()
                            .map(|o| model::OutcomeInfo {
                                name: o.name.node.clone(),
                                title: text(&o.title),
                                indicators: o
                                    .settings
                                    .iter()
                                    .filter_map(|s| match &s.node {
                                        OutcomeSetting::MeasuredBy(names) => {
                                            Some(names.iter().map(|n| n.node.clone()))
                                        }
                                        _ => None,
                                    })
                                    .flatten()
                                    .collect(),
                            })
                            .collect(),
                    });
                }
                Block::Indicator(i) => {
                    let mut t = model::IndicatorText::default();
                    for setting in &i.settings {
                        let written = ctx.text(*file, setting.span);
                        let after =
                            |keyword: &str| written.trim_start_matches(keyword).trim().to_string();
                        match &setting.node {
                            I::Definition(d) => t.definition = Some(d.clone()),
                            I::Numerator(n) => t.numerator = Some(n.clone()),
                            I::Denominator(d) => t.denominator = Some(d.clone()),
                            I::Source(s) => t.source = Some(s.clone()),
                            I::Description(d) => t.description = Some(d.clone()),
                            I::FollowUp(_) => t.follow_up = Some(after("follow up")),
                            I::Baseline { .. } => t.baseline = Some(after("baseline")),
                            I::Target(_) => {
                                t.targets = after("target").split(", ").map(String::from).collect()
                            }
                            I::MeasuredIn(c) => t.cohort = Some(c.node.clone()),
                            _ => {}
                        }
                    }
                    about.indicators.insert(i.name.node.clone(), t);
                }
                Block::Payment(p) => {
                    for setting in &p.settings {
                        if let ast::PaymentSetting::Description(d) = &setting.node {
                            about.descriptions.insert(p.name.node.clone(), d.clone());
                        }
                    }
                }
                Block::Gateway(g) => {
                    for setting in &g.settings {
                        if let ast::GatewaySetting::Description(d) = &setting.node {
                            about.descriptions.insert(g.name.node.clone(), d.clone());
                        }
                    }
                }
                Block::Deduction(d) => {
                    for setting in &d.settings {
                        if let ast::DeductionSetting::Description(text) = &setting.node {
                            about.descriptions.insert(d.name.node.clone(), text.clone());
                        }
                    }
                }
                Block::Input(i) => {
                    for setting in &i.settings {
                        if let ast::InputSetting::Description(d) = &setting.node {
                            about.descriptions.insert(i.name.node.clone(), d.clone());
                        }
                    }
                }
                Block::Derived(d) => {
                    for setting in &d.settings {
                        if let ast::DerivedSetting::Description(text) = &setting.node {
                            about.descriptions.insert(d.name.node.clone(), text.clone());
                        }
                    }
                }
                Block::Factor(d) => about.factors.push((d.name.node.clone(), text(&d.title))),
                Block::Flag(d) => about.flags.push((d.name.node.clone(), text(&d.title))),
                Block::Test(t) => about.examples.push(model::WorkedExample {
                    title: t.title.node.clone(),
                    lines: t.settings.iter().map(|s| ctx.text(*file, s.span)).collect(),
                }),
                _ => {}
            }
        }
    }
    about
}

/// Assembles the resolved contract from what the passes established.
fn resolve(ctx: Ctx) -> Option<model::Contract> {
    let mut about = describe(&ctx);
    about.weights = ctx.weights.clone();
    let header = ctx.header?;
    let indicators = ctx
        .indicators
        .iter()
        .filter_map(|(name, info)| {
            Some((
                name.to_string(),
                model::Indicator {
                    defined_at: (info.file, info.name_span),
                    name: name.to_string(),
                    title: info.title.clone(),
                    unit: info.unit?,
                    polarity: info.polarity,
                    reported: info.reported,
                    data_lag: info.data_lag,
                    baseline: info.baseline,
                    targets: info.targets.clone().map(model::ByYear),
                    minimum_denominator: info.minimum_denominator,
                    reporting_only: info.reporting_only,
                    exclusions: info.exclusions,
                    combine: info.combine,
                },
            ))
        })
        .collect();
    let declared = |want: fn(&ast::Block) -> Option<&ast::Declared>| -> Vec<String> {
        ctx.files
            .iter()
            .flat_map(|(_, f)| {
                f.blocks
                    .iter()
                    .filter_map(want)
                    .map(|d| d.name.node.clone())
            })
            .collect()
    };
    Some(model::Contract {
        title: header.title.clone(),
        about,
        at_risk_per_year: header.at_risk.clone(),
        calendar: header.calendar?,
        currency: header.currency,
        value_per_year: header.value_per_year?,
        rounding: header.rounding,
        factor_places: header.factor_places,
        boundary: header.boundary,
        missing_data: header.missing_data,
        keep_month_ends: header.keep_month_ends,
        exclude_part_periods: header.exclude_part_periods,
        deductions_before_caps: header.deductions_before_caps,
        last_due: header.last_due,
        indicators,
        factors: declared(|b| match b {
            ast::Block::Factor(d) => Some(d),
            _ => None,
        }),
        flags: declared(|b| match b {
            ast::Block::Flag(d) => Some(d),
            _ => None,
        }),
        payers: ctx.payers.payers,
        paid_by: ctx.payers.default_split,
        advances: ctx.advances,
        payments: ctx.payments,
        deductions: ctx.deductions,
        gateways: ctx.gateways,
        inputs: ctx.inputs,
        derived: ctx.derived,
    })
}

/// A block with an unreadable line or literal often lacks a setting (or a band) only because
/// that line was it: the syntax error says it better. So inside such a block, findings that
/// depend on the whole block (missing settings, gaps and order of bands, the shape and money of
/// the payment) are dropped; when any payment, or a whole block, could not be read, so are the
/// contract-wide sums of weights; a name used only in unreadable text is not "unused", and one
/// that unreadable text may define is not "undefined".
fn drop_cascades(
    diagnostics: &mut Vec<Diagnostic>,
    files: &[(FileId, ast::File)],
    sources: &Sources,
) {
    let mut unreadable: Vec<(FileId, Span)> = diagnostics
        .iter()
        .filter(|d| matches!(d.code, Code::SyntaxError | Code::InvalidLiteral))
        .map(|d| (d.file, d.span()))
        .collect();
    for (file, tree) in files {
        unreadable.extend(tree.unreadable.iter().map(|span| (*file, *span)));
    }
    if unreadable.is_empty() {
        return;
    }
    let within = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    // The unreadable text, whole: a name in it may be used by what could not be read.
    let unread_text: Vec<&str> = unreadable
        .iter()
        .filter_map(|(file, span)| {
            let text = &sources.get(*file).text;
            let rest = text.get(span.start..)?;
            let end = (span.end - span.start).max(rest.find('\n').unwrap_or(rest.len()));
            rest.get(..end.min(rest.len()))
        })
        .collect();
    let named_in_unread = |d: &Diagnostic| {
        let Some(name) = d.message.split('`').nth(1) else {
            return false;
        };
        unread_text.iter().any(|text| {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == name)
        })
    };
    // `target 10 %`: the number was read alone, so it is not a percentage; the `%` after it is
    // the syntax error to report, not the unit.
    let percent_cut_off = |d: &Diagnostic| {
        let text = &sources.get(d.file).text;
        unreadable.iter().any(|(file, span)| {
            *file == d.file
                && text
                    .get(d.span().end..span.start)
                    .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\t'))
                && text.get(span.start..).is_some_and(|t| t.starts_with('%'))
        })
    };
    let blocks: Vec<(FileId, &ast::Block, Span)> = files
        .iter()
        .flat_map(|(file, tree)| tree.blocks.iter().map(move |b| (*file, b, block_span(b))))
        .collect();
    let broken_blocks: Vec<(FileId, Span)> = blocks
        .iter()
        .filter(|(file, _, block)| {
            unreadable
                .iter()
                .any(|(f, s)| f == file && within(*block, *s))
        })
        .map(|(file, _, block)| (*file, *block))
        .collect();
    // A payment that could not be read, or a whole block that could not (which may have been one).
    let payments_unsure = unreadable.iter().any(|(f, s)| {
        match blocks
            .iter()
            .find(|(file, _, block)| file == f && within(*block, *s))
        {
            Some((_, ast::Block::Payment(_), _)) => true,
            Some(_) => false,
            None => true,
        }
    });
    let depends_on_the_block = |code: Code| {
        matches!(
            code,
            Code::MissingSetting
                | Code::TierGap
                | Code::TierOverlap
                | Code::TiersOutOfOrder
                | Code::ReversedBand
                | Code::PaymentFallsAsPerformanceImproves
                | Code::FloorAboveCeiling
                | Code::PayoutExceedsPot
                | Code::UnreachableMoney
                | Code::UncappedRateCard
                | Code::RateCardOverBudget
        )
    };
    diagnostics.retain(|d| {
        let in_broken = broken_blocks
            .iter()
            .any(|(f, b)| *f == d.file && within(*b, d.span()));
        let cascade = (depends_on_the_block(d.code) && in_broken)
            || (d.code == Code::WeightsDoNotSum
                && payments_unsure
                && d.message.contains("weights"))
            || (matches!(
                d.code,
                Code::UnusedIndicator | Code::UnusedValue | Code::UndefinedName
            ) && named_in_unread(d))
            || (d.code == Code::UnitMismatch && percent_cut_off(d));
        !cascade
    });
}

fn block_span(block: &ast::Block) -> Span {
    use ast::Block::*;
    match block {
        Import(b) => b.span,
        Contract(b) => b.span,
        Population(b) => b.span,
        Cohort(b) => b.span,
        Domain(b) => b.span,
        Indicator(b) => b.span,
        Factor(b) | Flag(b) => b.span,
        Input(b) => b.span,
        Derived(b) => b.span,
        Payment(b) => b.span,
        Deduction(b) => b.span,
        Gateway(b) => b.span,
        Advance(b) => b.span,
        Test(b) => b.span,
    }
}

/// Everything the checks share.
pub(crate) struct Ctx<'a> {
    pub files: &'a [(FileId, ast::File)],
    pub symbols: Symbols<'a>,
    pub header: Option<Header>,
    pub diagnostics: Vec<Diagnostic>,
    /// Indicators used by a payment, gateway or deduction.
    pub used: HashSet<&'a str>,
    /// What the indicators say, by name, once read.
    pub indicators: HashMap<&'a str, indicators::IndicatorInfo>,
    pub sources: &'a Sources,
    /// The parts of the resolved model the passes have built.
    pub payments: Vec<model::Payment>,
    pub gateways: Vec<model::Gateway>,
    pub deductions: Vec<model::Deduction>,
    /// Each weighted payment's share of the money at risk, in percent, and its weight as written.
    pub weights: std::collections::BTreeMap<String, (Decimal, String)>,
    /// Inputs and derived values that checked out, by name.
    pub inputs: std::collections::BTreeMap<String, model::Input>,
    pub derived: std::collections::BTreeMap<String, model::Derived>,
    /// Inputs and derived values something refers to.
    pub value_uses: HashSet<String>,
    /// Indicators used only in calculations (so not needing `better` or `reported`).
    pub calculation_uses: HashSet<&'a str>,
    /// The named commissioners and who pays what by default.
    pub payers: payers::Payers,
    pub advances: Vec<model::Advance>,
}

impl<'a> Ctx<'a> {
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The source text of a span, as written.
    pub fn text(&self, file: FileId, span: Span) -> String {
        self.sources
            .get(file)
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .to_string()
    }

    /// Every block of one kind, with its file: `ctx.blocks_of(|b| match b { Block::Test(t) =>
    /// Some(t), _ => None })`.
    pub fn blocks_of<T: 'a>(
        &self,
        want: impl Fn(&'a ast::Block) -> Option<&'a T>,
    ) -> Vec<(FileId, &'a T)> {
        self.blocks()
            .filter_map(|(file, block)| want(block).map(|b| (file, b)))
            .collect()
    }

    /// Every block with its file.
    pub fn blocks(&self) -> impl Iterator<Item = (FileId, &'a ast::Block)> + 'a {
        self.files
            .iter()
            .flat_map(|(file, tree)| tree.blocks.iter().map(move |b| (*file, b)))
    }

    pub fn currency(&self) -> ast::CurrencyCode {
        self.header
            .as_ref()
            .map(|h| h.currency)
            .unwrap_or(ast::CurrencyCode::Gbp)
    }

    pub fn calendar(&self) -> Option<Calendar> {
        self.header.as_ref().and_then(|h| h.calendar)
    }

    /// A share in percent, reported when outside 0%..100%.
    pub fn share(&mut self, value: Spanned<Decimal>, what: &str, file: FileId) -> Option<Decimal> {
        if value.node < Decimal::ZERO || value.node > Decimal::ONE_HUNDRED {
            self.report(
                Diagnostic::new(
                    Code::PercentOutOfRange,
                    file,
                    value.span,
                    format!(
                        "{what} `{}` is outside 0% to 100%",
                        units::format_percent(value.node)
                    ),
                    "not between 0% and 100%",
                )
                .with_help(format!(
                    "{what} is a share of a whole: write a percentage from 0% to 100%"
                )),
            );
            return None;
        }
        Some(value.node)
    }

    /// An amount of money, reported when in another currency than the contract's.
    pub fn money(&mut self, value: Spanned<Money>, file: FileId) -> Option<Decimal> {
        let currency = self.currency();
        if value.node.currency != currency.symbol() {
            self.report(wrong_currency(
                value.span,
                value.node.currency.symbol(),
                currency,
                file,
            ));
            return None;
        }
        Some(value.node.amount)
    }

    /// A threshold, baseline or target in its indicator's unit.
    pub fn value_of(
        &mut self,
        measure: Spanned<Measure>,
        indicator: &str,
        unit: Unit,
        what: &str,
        file: FileId,
    ) -> Option<Decimal> {
        let currency = self.currency();
        match units::value_in_unit(measure.node, unit, currency) {
            Ok(value) => Some(value),
            Err(units::UnitProblem::Currency(symbol)) => {
                self.report(wrong_currency(measure.span, symbol, currency, file));
                None
            }
            Err(units::UnitProblem::Mismatch { written, example }) => {
                self.report(
                    Diagnostic::new(
                        Code::UnitMismatch,
                        file,
                        measure.span,
                        format!(
                            "{what} is {written} but `{indicator}` is measured in {}",
                            units::unit_words(unit)
                        ),
                        written.to_string(),
                    )
                    .with_help(format!(
                        "write {what} in the unit of `{indicator}`: {example}"
                    )),
                );
                None
            }
            Err(units::UnitProblem::OutOfRange(range)) => {
                let code = if unit == Unit::Percent {
                    Code::PercentOutOfRange
                } else {
                    Code::ValueOutOfRange
                };
                self.report(
                    Diagnostic::new(
                        code,
                        file,
                        measure.span,
                        format!("{what} is outside the range of `{indicator}`, which runs {range}"),
                        "out of range",
                    )
                    .with_help(format!("values of `{indicator}` run {range}")),
                );
                None
            }
        }
    }

    /// Resolves a written period against the contract calendar, reporting periods that do not
    /// exist or lie outside the term. `None` when there is no usable calendar or a problem.
    pub fn period(
        &mut self,
        period: Spanned<ast::PeriodLit>,
        file: FileId,
        must_be_in_term: bool,
    ) -> Option<crate::calendar::Period> {
        let calendar = self.calendar()?;
        match calendar.resolve(period.node) {
            Ok(resolved) => {
                if must_be_in_term
                    && (resolved.end < calendar.start || resolved.start > calendar.end)
                {
                    self.report(
                        Diagnostic::new(
                            Code::PeriodOutsideTerm,
                            file,
                            period.span,
                            format!(
                                "`{}` ({} to {}) is outside the term, {} to {}",
                                resolved.label,
                                resolved.start,
                                resolved.end,
                                calendar.start,
                                calendar.end
                            ),
                            "outside the term",
                        )
                        .with_help("use a period within the contract term"),
                    );
                    return None;
                }
                Some(resolved)
            }
            Err(PeriodProblem::Invalid(why)) => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidPeriod,
                        file,
                        period.span,
                        "this period does not exist",
                        "no such period",
                    )
                    .with_help(why),
                );
                None
            }
            Err(PeriodProblem::BeyondTerm { year, years }) => {
                self.report(year_beyond_term(period.span, year, years, file));
                None
            }
        }
    }

    /// A value that may change by contract year, one value per contract year (year 1 first).
    /// Reports steps for years outside the term, a year given twice, and years no step covers;
    /// `value` reads each step's value (reporting its own problems). `None` on any problem.
    pub fn phased<T: Copy>(
        &mut self,
        steps: &[ast::Step<T>],
        file: FileId,
        what: &str,
        mut value: impl FnMut(&mut Self, Spanned<T>) -> Option<Decimal>,
    ) -> Option<Vec<Decimal>> {
        let mut resolved = Vec::new();
        let layout: Vec<(Option<Spanned<ast::YearPhase>>, Span)> =
            steps.iter().map(|s| (s.phase, s.value.span)).collect();
        let mut complete = self.steps_once_each(&layout, file, what);
        for step in steps {
            if let Some(phase) = step.phase {
                self.year_phase(phase, file);
            }
            match value(self, step.value) {
                Some(v) => resolved.push((step.phase.map(|p| p.node), v)),
                None => complete = false,
            }
        }
        let calendar = self.calendar()?;
        if !complete {
            return None;
        }
        let span = steps
            .first()
            .map(|s| s.value.span)
            .unwrap_or_default()
            .cover(
                steps
                    .last()
                    .map(|s| s.phase.map_or(s.value.span, |p| p.span))
                    .unwrap_or_default(),
            );
        let mut by_year = Vec::new();
        for year in 1..=calendar.contract_years() {
            let Some(v) = step_for_year(&resolved, year) else {
                let example = steps
                    .first()
                    .map(|s| self.text(file, s.value.span))
                    .unwrap_or_default();
                self.report(
                    Diagnostic::new(
                        Code::MissingSetting,
                        file,
                        span,
                        format!("{what} does not say what applies in contract year {year}"),
                        format!("no step for year {year}"),
                    )
                    .with_help(format!(
                        "add a step for year {year}, such as `{example} in year {year}`, or make the first step `from year {year}`"
                    )),
                );
                return None;
            };
            by_year.push(*v);
        }
        Some(by_year)
    }

    /// Reports a contract year given by two steps of a value that changes by year (or two steps
    /// with no year, which both claim every year). Returns whether each year is given once.
    pub fn steps_once_each(
        &mut self,
        steps: &[(Option<Spanned<ast::YearPhase>>, Span)],
        file: FileId,
        what: &str,
    ) -> bool {
        let mut once = true;
        for (index, (phase, span)) in steps.iter().enumerate() {
            let same = |other: &Option<Spanned<ast::YearPhase>>| {
                other.map(|p| p.node) == phase.map(|p| p.node)
            };
            let Some((earlier_phase, earlier_span)) =
                steps[..index].iter().find(|(other, _)| same(other))
            else {
                continue;
            };
            let (message, at, first) = match phase {
                Some(phase) => {
                    let year = match phase.node {
                        ast::YearPhase::In(y) | ast::YearPhase::From(y) => y,
                    };
                    (
                        format!("{what} gives contract year {year} twice"),
                        phase.span,
                        earlier_phase.map(|p| p.span).unwrap_or(*earlier_span),
                    )
                }
                None => (
                    format!("{what} gives two amounts for every year"),
                    *span,
                    *earlier_span,
                ),
            };
            self.report(
                Diagnostic::new(Code::DuplicateSetting, file, at, message, "given again")
                    .with_label(first, "first given here")
                    .with_help(
                        "keep one step for each contract year: `... in year 1`, `... from year 2`",
                    ),
            );
            once = false;
        }
        once
    }

    /// Checks that `in year N` / `from year N` names a year of the term.
    pub fn year_phase(&mut self, phase: Spanned<ast::YearPhase>, file: FileId) {
        let Some(calendar) = self.calendar() else {
            return;
        };
        let (ast::YearPhase::In(year) | ast::YearPhase::From(year)) = phase.node;
        let years = calendar.contract_years();
        if year == 0 || year > years {
            self.report(year_beyond_term(phase.span, year, years, file));
        }
    }
}

/// The step of a value that changes by contract year which applies in `year`: the one written
/// `in year N` for that year, else the latest `from year K` at or before it, else one written
/// without a year.
pub(crate) fn step_for_year<T>(steps: &[(Option<ast::YearPhase>, T)], year: u32) -> Option<&T> {
    let exact = steps
        .iter()
        .find(|(p, _)| *p == Some(ast::YearPhase::In(year)));
    let from = steps
        .iter()
        .filter_map(|(p, v)| match p {
            Some(ast::YearPhase::From(k)) if *k <= year => Some((*k, v)),
            _ => None,
        })
        .max_by_key(|(k, _)| *k)
        .map(|(_, v)| v);
    let plain = steps.iter().find(|(p, _)| p.is_none()).map(|(_, v)| v);
    exact.map(|(_, v)| v).or(from).or(plain)
}

fn year_beyond_term(span: Span, year: u32, years: u32, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::PeriodOutsideTerm,
        file,
        span,
        format!(
            "contract year {year} is outside the term, which has {years} contract year{}",
            if years == 1 { "" } else { "s" }
        ),
        "outside the term",
    )
    .with_help(format!(
        "contract years run from `year 1` to `year {years}`"
    ))
}

fn wrong_currency(
    span: Span,
    written: &str,
    currency: ast::CurrencyCode,
    file: FileId,
) -> Diagnostic {
    Diagnostic::new(
        Code::WrongCurrency,
        file,
        span,
        format!(
            "this amount is in `{written}` but the contract is in {}",
            currency.code()
        ),
        "another currency",
    )
    .with_help(format!(
        "write amounts in `{}`, or change the contract's `currency`",
        currency.symbol().symbol()
    ))
}
