//! Lowering pest's parse tree into the typed syntax tree of `ast`.
//!
//! The grammar guarantees the shape of every pair, so lowering only converts; where a literal
//! cannot be represented (a number too large for exact decimals, a bad escape) it records a
//! diagnostic and leaves the enclosing setting out of the tree.

use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::grammar::Rule;
use super::literal::{self, LiteralError, PeriodWord};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

pub(super) struct Lowerer {
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
}

type P<'i> = Pair<'i, Rule>;

/// The span of a pair without trailing white space or comments. pest includes them when a
/// rule ends with an optional part that was not there (`target 85%` then a comment line).
pub(super) fn span(pair: &P) -> Span {
    let s = pair.as_span();
    let text = s.as_str();
    let mut end = text.len();
    loop {
        end = text[..end].trim_end().len();
        // A comment that ends the text: cut back to where it starts, if it starts on its own line
        // or after the setting. Comments cannot contain a newline, so look on the last line only.
        let line_start = text[..end].rfind('\n').map(|i| i + 1).unwrap_or(0);
        match comment_start(&text[line_start..end]) {
            Some(at) if line_start + at > 0 => end = line_start + at,
            _ => break,
        }
    }
    Span::new(s.start(), s.start() + end)
}

/// Where a `//` comment starts on a line, ignoring `//` inside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && line[i..].starts_with("//") => return Some(i),
            _ => {}
        }
    }
    None
}

/// Keywords and comments carry no meaning of their own in the tree.
fn is_noise(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::COMMENT
            | Rule::k_import
            | Rule::k_contract
            | Rule::k_population
            | Rule::k_cohort
            | Rule::k_domain
            | Rule::k_outcome
            | Rule::k_indicator
            | Rule::k_factor
            | Rule::k_flag
            | Rule::k_input
            | Rule::k_derived
            | Rule::k_numerator
            | Rule::k_denominator
            | Rule::k_payment
            | Rule::k_deduction
            | Rule::k_gateway
            | Rule::k_test
            | Rule::k_on
            | Rule::k_by
            | Rule::k_expect
            | Rule::k_given
            | Rule::k_achieved
    )
}

/// The meaningful children of a pair.
fn kids<'i>(pair: P<'i>) -> impl Iterator<Item = P<'i>> {
    pair.into_inner().filter(|p| !is_noise(p.as_rule()))
}

/// The only (or first) meaningful child.
fn kid(pair: P) -> Option<P> {
    kids(pair).next()
}

fn find<'i>(pair: &P<'i>, rule: Rule) -> Option<P<'i>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

fn find_all<'i>(pair: &P<'i>, rule: Rule) -> Vec<P<'i>> {
    pair.clone()
        .into_inner()
        .filter(|p| p.as_rule() == rule)
        .collect()
}

impl Lowerer {
    fn literal_error(&mut self, error: LiteralError, at: Span) {
        let (message, label, help) = match error {
            LiteralError::TooLarge => (
                "this number is larger than obc calculates with",
                "too large",
                "obc reads numbers up to 1,000,000,000,000 (a million million) so that every sum stays exact; check for extra digits",
            ),
            LiteralError::TooPrecise => (
                "this number has more decimal places than obc can calculate with exactly",
                "too many decimal places",
                "obc calculates exactly with up to 28 significant digits; round the number",
            ),
            LiteralError::BadEscape => (
                "this escape is not a character",
                "not a character",
                "write `\\u{...}` with the hexadecimal code of a real character, such as `\\u{e9}` for é",
            ),
        };
        self.diagnostics.push(
            Diagnostic::new(Code::InvalidLiteral, self.file, at, message, label).with_help(help),
        );
    }

    fn check<T>(&mut self, result: Result<T, LiteralError>, at: Span) -> Option<T> {
        result.map_err(|e| self.literal_error(e, at)).ok()
    }

    // ------------------------------------------------------------ literals

    fn name(&self, pair: P) -> Name {
        Spanned::new(pair.as_str().to_string(), span(&pair))
    }

    fn names(&self, list: P) -> Vec<Name> {
        kids(list).map(|p| self.name(p)).collect()
    }

    fn string(&mut self, pair: P) -> Option<Spanned<String>> {
        let at = span(&pair);
        // `title` wraps `string`, which wraps `string_body`.
        let body = pair
            .into_inner()
            .flatten()
            .find(|p| p.as_rule() == Rule::string_body)?;
        // A bad escape is reported and the text kept as written, so the block is not lost.
        let raw = body.as_str().to_string();
        let text = self
            .check(literal::string(body.as_str()), at)
            .unwrap_or(raw);
        Some(Spanned::new(text, at))
    }

    fn opt_title(&mut self, pair: &P) -> Option<Spanned<String>> {
        find(pair, Rule::title).and_then(|t| self.string(t))
    }

    fn number(&mut self, pair: P) -> Option<Spanned<Decimal>> {
        let at = span(&pair);
        let value = match pair.as_rule() {
            Rule::percent => literal::percent(pair.as_str()),
            _ => literal::number(pair.as_str()),
        };
        Some(Spanned::new(self.check(value, at)?, at))
    }

    fn money(&mut self, pair: P) -> Option<Spanned<Money>> {
        let at = span(&pair);
        Some(Spanned::new(
            self.check(literal::money(pair.as_str()), at)?,
            at,
        ))
    }

    fn duration(&mut self, pair: P) -> Option<Spanned<Duration>> {
        let at = span(&pair);
        let mut parts = pair.into_inner();
        let count = parts.next()?;
        let unit = parts.next()?;
        Some(Spanned::new(
            self.check(literal::duration(count.as_str(), unit.as_str()), at)?,
            at,
        ))
    }

    fn date(&self, pair: P) -> Spanned<DateLit> {
        Spanned::new(literal::date(pair.as_str()), span(&pair))
    }

    fn measure(&mut self, pair: P) -> Option<Spanned<Measure>> {
        let at = span(&pair);
        let inner = kid(pair)?;
        let value = match inner.as_rule() {
            Rule::percent => Measure::Percent(self.number(inner)?.node),
            Rule::money => Measure::Money(self.money(inner)?.node),
            Rule::duration => Measure::Duration(self.duration(inner)?.node),
            _ => Measure::Number(self.number(inner)?.node),
        };
        Some(Spanned::new(value, at))
    }

    fn contract_year(&mut self, pair: P) -> Option<u32> {
        let number = kid(pair)?;
        let at = span(&number);
        self.check(literal::whole(number.as_str()), at)
    }

    /// A `period` pair as a period literal.
    pub(super) fn period_pair(&mut self, pair: P) -> Option<Spanned<PeriodLit>> {
        self.period(pair)
    }

    fn period(&mut self, pair: P) -> Option<Spanned<PeriodLit>> {
        let at = span(&pair);
        let inner = kid(pair)?;
        let text = inner.as_str();
        let value = match inner.as_rule() {
            Rule::date_range => {
                let mut dates = kids(inner);
                let start = self.date(dates.next()?).node;
                let end = self.date(dates.next()?).node;
                PeriodLit::Range(start, end)
            }
            Rule::fiscal_quarter => literal::period_word(text, PeriodWord::FiscalQuarter),
            Rule::fiscal_year => literal::period_word(text, PeriodWord::FiscalYear),
            Rule::calendar_quarter => literal::period_word(text, PeriodWord::CalendarQuarter),
            Rule::month_period => literal::period_word(text, PeriodWord::Month),
            _ => PeriodLit::ContractYear(self.contract_year(inner)?),
        };
        Some(Spanned::new(value, at))
    }

    fn year_phase(&mut self, pair: P) -> Option<Spanned<YearPhase>> {
        let at = span(&pair);
        let from = pair.as_str().starts_with("from");
        let year = self.contract_year(kid(pair)?)?;
        Some(Spanned::new(
            if from {
                YearPhase::From(year)
            } else {
                YearPhase::In(year)
            },
            at,
        ))
    }

    /// The `in year N` / `from year N` after a value, if written. `None` only when it cannot be read.
    fn opt_year_phase(&mut self, pair: &P) -> Option<Option<Spanned<YearPhase>>> {
        match find(pair, Rule::year_phase) {
            Some(p) => Some(Some(self.year_phase(p)?)),
            None => Some(None),
        }
    }

    /// `£3,200 in year 1, £2,400 from year 2`, or one amount for every year.
    fn money_steps(&mut self, pair: P) -> Option<Phased<Money>> {
        let mut steps = Vec::new();
        for step in find_all(&pair, Rule::money_step) {
            let value = self.money(find(&step, Rule::money)?)?;
            let phase = self.opt_year_phase(&step)?;
            steps.push(Step { value, phase });
        }
        Some(steps)
    }

    fn weight(&mut self, pair: P) -> Option<Spanned<Weight>> {
        let at = span(&pair);
        let weight = match pair.as_rule() {
            Rule::weight_equal => Weight::Equal,
            Rule::weight_fraction => {
                let (numerator, denominator) = pair.as_str().split_once('/')?;
                let mut whole = |text: &str| self.check(literal::whole(text), at);
                let numerator = whole(numerator)?;
                let denominator = whole(denominator)?;
                Weight::Fraction {
                    numerator,
                    denominator,
                }
            }
            _ => Weight::Percent(self.number(pair)?.node),
        };
        Some(Spanned::new(weight, at))
    }

    fn trigger(&mut self, pair: &P) -> Option<TriggerSetting> {
        let above = find(pair, Rule::trigger_side)
            .and_then(kid)
            .is_some_and(|side| side.as_rule() == Rule::above);
        let pooling = find(pair, Rule::pooled_what).and_then(kid).map(|p| {
            if p.as_rule() == Rule::pooled_mean {
                Pooling::Mean
            } else {
                Pooling::Counts
            }
        });
        let when = find(pair, Rule::pooled_when).and_then(kid).map(|p| {
            if p.as_rule() == Rule::pooled_so_far {
                PooledWhen::SoFar
            } else {
                PooledWhen::FinalAssessment
            }
        });
        Some(TriggerSetting {
            value: self.measure(find(pair, Rule::measure)?)?,
            above,
            pooling,
            when,
        })
    }

    fn payer_shares(&mut self, pair: P) -> Option<Vec<PayerShare>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::payer_share)
            .map(|share| {
                let payer = self.name(find(&share, Rule::name)?);
                let weight = share.into_inner().find(|p| p.as_rule() != Rule::name)?;
                Some(PayerShare {
                    payer,
                    share: self.weight(weight)?,
                })
            })
            .collect()
    }

    fn frequency(&self, pair: P) -> Option<Frequency> {
        Some(match kid(pair)?.as_rule() {
            Rule::monthly => Frequency::Monthly,
            Rule::quarterly => Frequency::Quarterly,
            Rule::annually_contract => Frequency::AnnuallyByContractYear,
            _ => Frequency::Annually,
        })
    }

    fn integer(&mut self, pair: P) -> Option<Spanned<Decimal>> {
        self.number(pair)
    }

    // ------------------------------------------------------------ blocks

    pub fn block(&mut self, pair: P) -> Option<Block> {
        let at = span(&pair);
        Some(match pair.as_rule() {
            Rule::import => {
                let path = self.string(find(&pair, Rule::string)?)?;
                Block::Import(Import { path, span: at })
            }
            Rule::contract => {
                let title = self.opt_title(&pair)?;
                let settings = self.settings(&pair, Rule::contract_setting, Self::contract_setting);
                Block::Contract(Contract {
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::population => {
                let title = self.opt_title(&pair)?;
                let settings =
                    self.settings(&pair, Rule::population_setting, Self::population_setting);
                Block::Population(Population {
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::cohort => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::population_setting, Self::population_setting);
                Block::Cohort(Cohort {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::domain => Block::Domain(self.domain(pair)?),
            Rule::indicator => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::indicator_setting, Self::indicator_setting);
                Block::Indicator(Indicator {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::factor | Rule::flag => {
                let declared = Declared {
                    name: self.name(find(&pair, Rule::name)?),
                    title: self.opt_title(&pair),
                    span: at,
                };
                if pair.as_rule() == Rule::factor {
                    Block::Factor(declared)
                } else {
                    Block::Flag(declared)
                }
            }
            Rule::input => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::input_setting, Self::input_setting);
                Block::Input(Input {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::derived => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::derived_setting, Self::derived_setting);
                Block::Derived(Derived {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::payment => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::payment_setting, Self::payment_setting);
                Block::Payment(Payment {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::deduction => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::deduction_setting, Self::deduction_setting);
                Block::Deduction(Deduction {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::gateway => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::gateway_setting, Self::gateway_setting);
                Block::Gateway(Gateway {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::advance_block => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::advance_setting, Self::advance_setting);
                Block::Advance(AdvanceBlock {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::test => {
                let title = self.opt_title(&pair)?;
                let settings = self.settings(&pair, Rule::test_setting, Self::test_setting);
                Block::Test(Test {
                    title,
                    settings,
                    span: at,
                })
            }
            _ => return None,
        })
    }

    /// Lowers every child of `rule` in a block body; a setting whose literal cannot be read is left out.
    fn settings<T>(
        &mut self,
        block: &P,
        rule: Rule,
        lower: fn(&mut Self, P) -> Option<T>,
    ) -> Vec<Spanned<T>> {
        find_all(block, rule)
            .into_iter()
            .filter_map(|setting| {
                let at = span(&setting);
                let inner = kid(setting)?;
                lower(self, inner).map(|node| Spanned::new(node, at))
            })
            .collect()
    }

    fn text_setting(&mut self, pair: P) -> Option<String> {
        Some(self.string(find(&pair, Rule::string)?)?.node)
    }

    fn contract_setting(&mut self, pair: P) -> Option<ContractSetting> {
        use ContractSetting as S;
        Some(match pair.as_rule() {
            Rule::reference => S::Reference(self.text_setting(pair)?),
            Rule::commissioner => S::Commissioner {
                name: find(&pair, Rule::name).map(|n| self.name(n)),
                title: self.string(find(&pair, Rule::string)?)?.node,
            },
            Rule::paid_by => S::PaidBy(self.payer_shares(pair)?),
            Rule::provider => S::Provider(self.text_setting(pair)?),
            Rule::description => S::Description(self.text_setting(pair)?),
            Rule::term => {
                let start = self.date(find(&pair, Rule::date)?);
                let end = if let Some(to) = find(&pair, Rule::term_to) {
                    TermEnd::To(self.date(kid(to)?))
                } else {
                    TermEnd::For(self.duration(kid(find(&pair, Rule::term_for)?)?)?)
                };
                S::Term { start, end }
            }
            Rule::fiscal_year_start => {
                let month = find(&pair, Rule::month_name)?;
                S::FiscalYearStart(Spanned::new(
                    literal::month_number(month.as_str()),
                    span(&month),
                ))
            }
            Rule::currency => {
                let code = find(&pair, Rule::currency_code)?;
                let value = match code.as_str() {
                    "EUR" => CurrencyCode::Eur,
                    "USD" => CurrencyCode::Usd,
                    _ => CurrencyCode::Gbp,
                };
                S::Currency(Spanned::new(value, span(&code)))
            }
            Rule::value => {
                let amount = self.money(find(&pair, Rule::money)?)?;
                let basis = match kid(find(&pair, Rule::value_basis)?)?.as_rule() {
                    Rule::per_year => ValueBasis::PerYear,
                    Rule::total => ValueBasis::Total,
                    _ => ValueBasis::PerPersonPerYear,
                };
                S::Value { amount, basis }
            }
            Rule::at_risk => {
                let mut steps = Vec::new();
                for step in find_all(&pair, Rule::risk_amount) {
                    let at = span(&step);
                    let kind =
                        find(&step, Rule::risk_share).or_else(|| find(&step, Rule::risk_pot))?;
                    let amount = if kind.as_rule() == Rule::risk_share {
                        RiskKind::ShareOfValue(self.number(kid(kind)?)?)
                    } else {
                        RiskKind::PerYear(self.money(kid(kind)?)?)
                    };
                    let phase = match find(&step, Rule::year_phase) {
                        Some(p) => Some(self.year_phase(p)?),
                        None => None,
                    };
                    steps.push(Spanned::new(RiskAmount { amount, phase }, at));
                }
                S::AtRisk(steps)
            }
            Rule::rounding => {
                let mode = match find(&pair, Rule::rounding_mode)?.as_str() {
                    "half-up" => RoundingMode::HalfUp,
                    "half-even" => RoundingMode::HalfEven,
                    "up" => RoundingMode::Up,
                    _ => RoundingMode::Down,
                };
                let unit = match find(&pair, Rule::rounding_unit)?.as_str() {
                    "penny" | "cent" => RoundingUnit::Minor,
                    _ => RoundingUnit::Major,
                };
                S::Rounding { mode, unit }
            }
            Rule::factor_rounding => match find(&pair, Rule::factors_rounded) {
                Some(rounded) => {
                    let places = kid(rounded)?;
                    let at = span(&places);
                    let count = self.check(literal::whole(places.as_str()), at)?;
                    S::FactorRounding(Some(Spanned::new(count, at)))
                }
                None => S::FactorRounding(None),
            },
            Rule::boundary_rule => S::BoundaryRule(match find(&pair, Rule::band_side)?.as_str() {
                "lower" => BandSide::Lower,
                _ => BandSide::Higher,
            }),
            Rule::run_off => S::RunOff(self.duration(find(&pair, Rule::duration)?)?),
            Rule::month_ends => S::MonthEndsStay,
            Rule::deductions_order => {
                S::DeductionsBeforeCaps(find(&pair, Rule::deduction_side)?.as_str() == "before")
            }
            Rule::part_periods => {
                S::PartPeriodsExcluded(find(&pair, Rule::part_period_rule)?.as_str() == "excluded")
            }
            Rule::missing_data_rule => {
                let action = kid(find(&pair, Rule::missing_data_action)?)?;
                S::MissingData(if action.as_rule() == Rule::missing_is_error {
                    MissingDataRule::Error
                } else {
                    MissingDataRule::PaysNothing
                })
            }
            _ => return None,
        })
    }

    fn population_setting(&mut self, pair: P) -> Option<PopulationSetting> {
        Some(match pair.as_rule() {
            Rule::size => PopulationSetting::Size(self.integer(kid(pair)?)?),
            Rule::eligibility => PopulationSetting::Eligibility(self.text_setting(pair)?),
            _ => PopulationSetting::Description(self.text_setting(pair)?),
        })
    }

    fn domain(&mut self, pair: P) -> Option<Domain> {
        let at = span(&pair);
        let name = self.name(find(&pair, Rule::name)?);
        let title = self.opt_title(&pair);
        let description = match find(&pair, Rule::description) {
            Some(d) => {
                let d_at = span(&d);
                Some(Spanned::new(self.text_setting(d)?, d_at))
            }
            None => None,
        };
        let mut outcomes = Vec::new();
        for outcome in find_all(&pair, Rule::outcome) {
            let o_at = span(&outcome);
            let Some(name_pair) = find(&outcome, Rule::name) else {
                continue;
            };
            let name = self.name(name_pair);
            let title = self.opt_title(&outcome);
            let settings = self.settings(&outcome, Rule::outcome_setting, |this, setting| {
                Some(match setting.as_rule() {
                    Rule::measured_by => {
                        OutcomeSetting::MeasuredBy(this.names(find(&setting, Rule::name_list)?))
                    }
                    _ => OutcomeSetting::Description(this.text_setting(setting)?),
                })
            });
            outcomes.push(Outcome {
                name,
                title,
                settings,
                span: o_at,
            });
        }
        Some(Domain {
            name,
            title,
            description,
            outcomes,
            span: at,
        })
    }

    fn indicator_setting(&mut self, pair: P) -> Option<IndicatorSetting> {
        use IndicatorSetting as S;
        Some(match pair.as_rule() {
            Rule::definition => S::Definition(self.text_setting(pair)?),
            Rule::numerator => S::Numerator(self.text_setting(pair)?),
            Rule::denominator => S::Denominator(self.text_setting(pair)?),
            Rule::source => S::Source(self.text_setting(pair)?),
            Rule::description => S::Description(self.text_setting(pair)?),
            Rule::unit => S::Unit(self.unit(pair)?),
            Rule::polarity => S::Better(match find(&pair, Rule::direction)?.as_str() {
                "lower" => Polarity::Lower,
                _ => Polarity::Higher,
            }),
            Rule::reported => S::Reported(self.frequency(find(&pair, Rule::frequency)?)?),
            Rule::follow_up => S::FollowUp(self.duration(find(&pair, Rule::duration)?)?),
            Rule::data_lag => S::DataLag(self.duration(find(&pair, Rule::duration)?)?),
            Rule::baseline => {
                let value = self.measure(find(&pair, Rule::measure)?)?;
                let period = self.period(find(&pair, Rule::period)?)?;
                S::Baseline { value, period }
            }
            Rule::target => {
                let mut steps = Vec::new();
                for step in find_all(&pair, Rule::target_step) {
                    let value = self.measure(find(&step, Rule::measure)?)?;
                    let phase = match find(&step, Rule::year_phase) {
                        Some(p) => Some(self.year_phase(p)?),
                        None => None,
                    };
                    steps.push(TargetStep { value, phase });
                }
                S::Target(steps)
            }
            Rule::minimum_denominator => {
                S::MinimumDenominator(self.integer(find(&pair, Rule::integer)?)?)
            }
            Rule::reporting_only => S::ReportingOnly,
            Rule::exclusions => S::ExclusionsOffDenominator,
            Rule::combine_periods => S::CombinePeriods(self.combine(&pair)?),
            _ => S::MeasuredIn(self.name(find(&pair, Rule::name)?)),
        })
    }

    /// `unit percent`, `unit rate per 1,000`, `unit score 0 to 10` and the like.
    fn unit(&mut self, pair: P) -> Option<Unit> {
        let kind = kid(find(&pair, Rule::unit_kind)?)?;
        Some(match kind.as_rule() {
            Rule::unit_percent => Unit::Percent,
            Rule::unit_count => Unit::Count,
            Rule::unit_rate => Unit::RatePer(self.number(kid(kind)?)?.node),
            Rule::unit_money => Unit::Money,
            Rule::unit_days => Unit::Days,
            Rule::unit_score => {
                let mut bounds = kids(kind);
                let min = self.number(bounds.next()?)?.node;
                let max = self.number(bounds.next()?)?.node;
                Unit::Score { min, max }
            }
            _ => Unit::Ratio,
        })
    }

    fn combine(&self, pair: &P) -> Option<Combine> {
        Some(match find(pair, Rule::combine_rule)?.as_str() {
            "mean" => Combine::Mean,
            "latest" => Combine::Latest,
            "sum" => Combine::Sum,
            "best" => Combine::Best,
            "worst" => Combine::Worst,
            _ => Combine::Pooling,
        })
    }

    fn value_range(&mut self, pair: &P) -> Option<(Spanned<Measure>, Spanned<Measure>)> {
        self.two_measures(pair)
    }

    fn input_setting(&mut self, pair: P) -> Option<InputSetting> {
        Some(match pair.as_rule() {
            Rule::unit => InputSetting::Unit(self.unit(pair)?),
            Rule::value_range => {
                let (from, to) = self.value_range(&pair)?;
                InputSetting::Range(from, to)
            }
            Rule::combine_periods => InputSetting::CombinePeriods(self.combine(&pair)?),
            _ => InputSetting::Description(self.text_setting(pair)?),
        })
    }

    fn derived_setting(&mut self, pair: P) -> Option<DerivedSetting> {
        Some(match pair.as_rule() {
            Rule::equals => {
                let expression = find(&pair, Rule::expression)?;
                DerivedSetting::Equals(self.sum(kid(expression)?)?)
            }
            Rule::rounded_places => {
                let places = find(&pair, Rule::integer)?;
                let at = span(&places);
                DerivedSetting::Rounded(Spanned::new(
                    self.check(literal::whole(places.as_str()), at)?,
                    at,
                ))
            }
            Rule::value_range => {
                let (from, to) = self.value_range(&pair)?;
                DerivedSetting::Range(from, to)
            }
            _ => DerivedSetting::Description(self.text_setting(pair)?),
        })
    }

    /// `a + b - c`, or `a × b ÷ c`: operands joined left to right by operators of one precedence.
    fn chain(
        &mut self,
        pair: P,
        next: fn(&mut Self, P) -> Option<Spanned<Expr>>,
    ) -> Option<Spanned<Expr>> {
        let mut parts = kids(pair);
        let mut left = next(self, parts.next()?)?;
        while let Some(op) = parts.next() {
            let op = match op.as_str() {
                "+" => Operator::Add,
                "-" | "−" => Operator::Subtract,
                "*" | "×" => Operator::Multiply,
                _ => Operator::Divide,
            };
            let right = next(self, parts.next()?)?;
            let at = left.span.cover(right.span);
            left = Spanned::new(
                Expr::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                at,
            );
        }
        Some(left)
    }

    fn sum(&mut self, pair: P) -> Option<Spanned<Expr>> {
        self.chain(pair, Self::product)
    }

    fn product(&mut self, pair: P) -> Option<Spanned<Expr>> {
        self.chain(pair, Self::operand)
    }

    fn operand(&mut self, pair: P) -> Option<Spanned<Expr>> {
        let at = span(&pair);
        let inner = kid(pair)?;
        let expr = match inner.as_rule() {
            Rule::sum => Expr::Brackets(Box::new(self.sum(inner)?)),
            Rule::function => {
                let mut parts = kids(inner);
                let function = match parts.next()?.as_str() {
                    "min" => Function::Min,
                    _ => Function::Max,
                };
                let mut args = Vec::new();
                for arg in parts {
                    args.push(self.sum(arg)?);
                }
                Expr::Call { function, args }
            }
            Rule::numerator_of => Expr::Numerator(self.name(find(&inner, Rule::name)?)),
            Rule::denominator_of => Expr::Denominator(self.name(find(&inner, Rule::name)?)),
            Rule::percent => Expr::Percent(self.number(inner)?.node),
            Rule::money => Expr::Money(self.money(inner)?.node),
            Rule::number => Expr::Number(self.number(inner)?.node),
            _ => Expr::Name(self.name(inner)),
        };
        Some(Spanned::new(expr, at))
    }

    fn limit(&mut self, pair: P) -> Option<Limit> {
        let amount = self.money(find(&pair, Rule::money)?)?;
        let scope = match kid(find(&pair, Rule::cap_scope)?)?.as_rule() {
            Rule::per_participant => LimitScope::Participant,
            Rule::per_month => LimitScope::Month,
            Rule::per_quarter => LimitScope::Quarter,
            Rule::per_period => LimitScope::Period,
            Rule::per_year => LimitScope::Year,
            _ => LimitScope::Term,
        };
        Some(Limit { amount, scope })
    }

    /// A value, or `95% of target - 5%`.
    fn threshold(&mut self, pair: P) -> Option<Spanned<Threshold>> {
        let at = span(&pair);
        let inner = kid(pair)?;
        if inner.as_rule() == Rule::measure {
            return Some(Spanned::new(
                Threshold::Value(self.measure(inner)?.node),
                at,
            ));
        }
        let reference = match find(&inner, Rule::threshold_reference)?.as_str() {
            "target" => Reference::Target,
            _ => Reference::Baseline,
        };
        let share = match find(&inner, Rule::percent) {
            Some(p) => Some(self.number(p)?.node),
            None => None,
        };
        let offset = match (find(&inner, Rule::add_op), find(&inner, Rule::measure)) {
            (Some(op), Some(m)) => {
                let op = if op.as_str() == "+" {
                    Operator::Add
                } else {
                    Operator::Subtract
                };
                Some((op, self.measure(m)?))
            }
            _ => None,
        };
        Some(Spanned::new(
            Threshold::Relative {
                reference,
                share,
                offset,
            },
            at,
        ))
    }

    fn two_thresholds(&mut self, pair: &P) -> Option<(Spanned<Threshold>, Spanned<Threshold>)> {
        let mut found = find_all(pair, Rule::threshold).into_iter();
        let from = self.threshold(found.next()?)?;
        let to = self.threshold(found.next()?)?;
        Some((from, to))
    }

    fn two_measures(&mut self, pair: &P) -> Option<(Spanned<Measure>, Spanned<Measure>)> {
        let mut measures = find_all(pair, Rule::measure).into_iter();
        let from = self.measure(measures.next()?)?;
        let to = self.measure(measures.next()?)?;
        Some((from, to))
    }

    fn payment_setting(&mut self, pair: P) -> Option<PaymentSetting> {
        use PaymentSetting as S;
        Some(match pair.as_rule() {
            Rule::weight => S::Weight(self.weight(kid(pair)?)?),
            Rule::pot => {
                let mut steps = Vec::new();
                for step in find_all(&pair, Rule::pot_step) {
                    let inner = kid(step.clone())?;
                    // The span of the amount itself, so a finding about it points at it.
                    let (value, at) = if inner.as_rule() == Rule::pot_share {
                        let share = self.number(kid(inner)?)?;
                        (PotAmount::ShareOfValue(share.node), share.span)
                    } else {
                        let amount = self.money(find(&inner, Rule::money)?)?;
                        let per_year = find(&inner, Rule::pot_per_year).is_some();
                        (
                            PotAmount::Money {
                                amount: amount.node,
                                per_year,
                            },
                            amount.span,
                        )
                    };
                    let phase = self.opt_year_phase(&step)?;
                    steps.push(Step {
                        value: Spanned::new(value, at),
                        phase,
                    });
                }
                S::Pot(steps)
            }
            Rule::on_indicator => S::On(self.name(find(&pair, Rule::name)?)),
            Rule::for_cohort => S::ForCohort(self.name(find(&pair, Rule::name)?)),
            Rule::assessed => S::Assessed(self.frequency(find(&pair, Rule::frequency)?)?),
            Rule::tiers => {
                let mut bands = Vec::new();
                for band in find_all(&pair, Rule::band) {
                    let at = span(&band);
                    if let Some(band) = self.band(band) {
                        bands.push(Spanned::new(band, at));
                    }
                }
                S::Tiers(bands)
            }
            Rule::linear => {
                let (from, to) = self.two_thresholds(&pair)?;
                let paying = match find(&pair, Rule::linear_paying) {
                    Some(paying) => {
                        let mut shares = kids(paying);
                        let low = self.number(shares.next()?)?;
                        let high = self.number(shares.next()?)?;
                        Some((low, high))
                    }
                    None => None,
                };
                S::Linear(Linear { from, to, paying })
            }
            Rule::points => {
                let points = self.number(find(&pair, Rule::number)?)?;
                let (from, to) = self.two_thresholds(&pair)?;
                S::Points { points, from, to }
            }
            Rule::price_per_point => {
                S::PricePerPoint(self.money_steps(find(&pair, Rule::money_steps)?)?)
            }
            Rule::adjusted_by => S::AdjustedBy(self.names(find(&pair, Rule::name_list)?)),
            Rule::protected => S::Protected {
                what: match find(&pair, Rule::protected_what)?.as_str() {
                    "share" => Protected::Share,
                    _ => Protected::Points,
                },
                value: self.name(find(&pair, Rule::name)?),
            },
            Rule::improvement => {
                let change = match find(&pair, Rule::change_kind)?.as_str() {
                    "relative" => ChangeKind::Relative,
                    _ => ChangeKind::Absolute,
                };
                let comparator = kid(find(&pair, Rule::comparator)?)?;
                let against = if comparator.as_rule() == Rule::against_baseline {
                    Comparator::Baseline
                } else {
                    let description = match find(&comparator, Rule::string) {
                        Some(s) => Some(self.string(s)?.node),
                        None => None,
                    };
                    Comparator::ComparisonGroup(description)
                };
                S::Improvement { change, against }
            }
            Rule::trigger => S::Trigger(self.trigger(&pair)?),
            Rule::pooled_trigger => S::PooledTrigger(self.trigger(&pair)?),
            Rule::pays_improvement => {
                if let Some(per_point) = find(&pair, Rule::improvement_per_point) {
                    S::Pays(ImprovementPays::PerPoint(self.money(kid(per_point)?)?))
                } else if let Some(per_event) = find(&pair, Rule::improvement_per_event) {
                    S::Pays(ImprovementPays::PerEvent(self.money(kid(per_event)?)?))
                } else {
                    S::Pays(ImprovementPays::Share(
                        self.number(find(&pair, Rule::percent)?)?,
                    ))
                }
            }
            Rule::rate_card => {
                let items = self.settings(&pair, Rule::rate_card_setting, Self::rate_card_item);
                S::RateCard(items)
            }
            Rule::cap => S::Cap(self.limit(pair)?),
            Rule::not_capped => S::NotCapped,
            Rule::floor => S::Floor(self.limit(pair)?),
            Rule::paid => {
                let lag = self.duration(find(&pair, Rule::duration)?)?;
                let from = match kid(find(&pair, Rule::paid_from)?)?.as_rule() {
                    Rule::after_data => LagFrom::Data,
                    _ => LagFrom::PeriodEnd,
                };
                S::Paid(PaymentLag { lag, from })
            }
            Rule::combine_periods => S::CombinePeriods(self.combine(&pair)?),
            Rule::paid_by => S::PaidBy(self.payer_shares(pair)?),
            Rule::advance => {
                let share = self.number(find(&pair, Rule::percent)?)?;
                let frequency = self.frequency(find(&pair, Rule::frequency)?)?;
                S::Advance { share, frequency }
            }
            _ => S::Description(self.text_setting(pair)?),
        })
    }

    fn band(&mut self, pair: P) -> Option<Band> {
        let range_outer = find(&pair, Rule::band_range)?;
        let range_span = span(&range_outer);
        let range_pair = kid(range_outer)?;
        let rule = range_pair.as_rule();
        let range = match rule {
            Rule::band_target_met => BandRange::TargetMet,
            Rule::band_target_missed => BandRange::TargetMissed,
            _ => {
                let mut thresholds = find_all(&range_pair, Rule::threshold).into_iter();
                let first = self.threshold(thresholds.next()?)?;
                match rule {
                    Rule::band_between => {
                        BandRange::Between(first, self.threshold(thresholds.next()?)?)
                    }
                    Rule::band_at_least => BandRange::AtLeast(first),
                    Rule::band_above => BandRange::Above(first),
                    Rule::band_below => BandRange::Below(first),
                    _ => BandRange::UpTo(first),
                }
            }
        };
        let payout_pair = find(&pair, Rule::band_payout)?;
        let at = span(&payout_pair);
        let inner = kid(payout_pair)?;
        let payout = match inner.as_rule() {
            Rule::payout_nothing => Payout::Nothing,
            Rule::payout_linear => {
                let mut shares = kids(inner);
                let low = self.number(shares.next()?)?;
                let high = self.number(shares.next()?)?;
                Payout::Linear(low, high)
            }
            Rule::percent => Payout::Share(self.number(inner)?.node),
            _ => Payout::Amount(self.money(inner)?.node),
        };
        Some(Band {
            range,
            range_span,
            payout: Spanned::new(payout, at),
        })
    }

    fn rate_card_item(&mut self, pair: P) -> Option<RateCardItem> {
        Some(match pair.as_rule() {
            Rule::attachment_fee => {
                RateCardItem::AttachmentFee(self.money_steps(find(&pair, Rule::money_steps)?)?)
            }
            Rule::criterion => RateCardItem::Criterion {
                name: self.name(find(&pair, Rule::name)?),
                title: self.opt_title(&pair),
            },
            _ => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let price = self.money_steps(find(&pair, Rule::money_steps)?)?;
                let mut within = None;
                let mut all_of = Vec::new();
                let mut by_criteria = false;
                for condition in find_all(&pair, Rule::outcome_condition) {
                    let inner = kid(condition)?;
                    if inner.as_rule() == Rule::within_of_start {
                        within = Some(self.duration(find(&inner, Rule::duration)?)?);
                    } else {
                        by_criteria |= find(&inner, Rule::achieved_by_word).is_some();
                        all_of.extend(self.names(find(&inner, Rule::name_list)?));
                    }
                }
                RateCardItem::Outcome(RateOutcome {
                    name,
                    title,
                    price,
                    within,
                    all_of,
                    by_criteria,
                })
            }
        })
    }

    fn breach_unit(&self, pair: P) -> Option<BreachUnit> {
        Some(match kid(pair)?.as_rule() {
            Rule::per_patient_day => BreachUnit::PatientDay,
            Rule::per_patient_month => BreachUnit::PatientMonth,
            Rule::per_event => BreachUnit::Event,
            _ => BreachUnit::Breach,
        })
    }

    fn deduction_setting(&mut self, pair: P) -> Option<DeductionSetting> {
        use DeductionSetting as S;
        Some(match pair.as_rule() {
            Rule::on_indicator => S::On(self.name(find(&pair, Rule::name)?)),
            Rule::deducted_from => S::TakenFrom(self.name(find(&pair, Rule::name)?)),
            Rule::tolerance => {
                let breaches = self.integer(find(&pair, Rule::integer)?)?;
                let per = match kid(find(&pair, Rule::tolerance_scope)?)?.as_rule() {
                    Rule::per_month_word => Frequency::Monthly,
                    Rule::per_quarter_word => Frequency::Quarterly,
                    _ => Frequency::Annually,
                };
                S::Tolerance { breaches, per }
            }
            Rule::deduct => {
                let amount = match find(&pair, Rule::deduct_share) {
                    Some(share) => DeductAmount::ShareOfMonthlyValue(self.number(kid(share)?)?),
                    None => DeductAmount::Money(self.money(find(&pair, Rule::money)?)?),
                };
                let per = match find(&pair, Rule::breach_unit) {
                    Some(unit) => Some(self.breach_unit(unit)?),
                    None => None,
                };
                S::Deduct { amount, per }
            }
            Rule::deduct_instead => S::Instead {
                amount: self.money(find(&pair, Rule::money)?)?,
                per: self.breach_unit(find(&pair, Rule::breach_unit)?)?,
                indicator: self.name(find(&pair, Rule::name)?),
            },
            Rule::standard => S::Standard(self.number(find(&pair, Rule::percent)?)?),
            Rule::sanction_floor => S::SanctionFloor {
                side: match find(&pair, Rule::floor_side)?.as_str() {
                    "below" => FloorSide::Below,
                    "above" => FloorSide::Above,
                    _ => FloorSide::Beyond,
                },
                value: self.number(find(&pair, Rule::percent)?)?,
            },
            Rule::excess_rounding => S::ExcessRounding(match find(&pair, Rule::excess_rounded) {
                None => ExcessRounding::NotRounded,
                Some(rounded) => match kid(kid(rounded)?)?.as_rule() {
                    Rule::excess_down => ExcessRounding::Down,
                    Rule::excess_nearest => ExcessRounding::Nearest,
                    _ => ExcessRounding::Up,
                },
            }),
            Rule::borne => {
                let mut shares = Vec::new();
                for share in find_all(&pair, Rule::party_share) {
                    let percent = self.number(find(&share, Rule::percent)?)?;
                    let party = match find(&share, Rule::party_word)?.as_str() {
                        "commissioner" => Party::Commissioner,
                        _ => Party::Provider,
                    };
                    shares.push((percent, party));
                }
                S::Borne(shares)
            }
            Rule::assessed => S::Assessed(self.frequency(find(&pair, Rule::frequency)?)?),
            Rule::cap => S::Cap(self.limit(pair)?),
            _ => S::Description(self.text_setting(pair)?),
        })
    }

    fn advance_setting(&mut self, pair: P) -> Option<AdvanceSetting> {
        use AdvanceSetting as S;
        Some(match pair.as_rule() {
            Rule::advance_pays => match find(&pair, Rule::advance_share) {
                Some(share) => S::PaysShareOf {
                    share: self.number(find(&share, Rule::percent)?)?,
                    value: self.name(find(&share, Rule::name)?),
                },
                None => S::Pays(self.money_steps(find(&pair, Rule::money_steps)?)?),
            },
            Rule::advance_paid => S::Paid(self.frequency(find(&pair, Rule::frequency)?)?),
            Rule::advance_covers => match find(&pair, Rule::name_list) {
                Some(names) => S::Covers(Some(self.names(names))),
                None => S::Covers(None),
            },
            _ => S::Description(self.text_setting(pair)?),
        })
    }

    fn gateway_setting(&mut self, pair: P) -> Option<GatewaySetting> {
        use GatewaySetting as S;
        Some(match pair.as_rule() {
            Rule::require => {
                let inner = kid(pair)?;
                if inner.as_rule() == Rule::require_flag {
                    S::RequireFlag(self.name(find(&inner, Rule::name)?))
                } else {
                    let indicator = self.name(find(&inner, Rule::name)?);
                    let comparison = match kid(find(&inner, Rule::comparison)?)?.as_rule() {
                        Rule::at_least => Comparison::AtLeast,
                        Rule::at_most => Comparison::AtMost,
                        Rule::above => Comparison::Above,
                        _ => Comparison::Below,
                    };
                    let value = self.measure(find(&inner, Rule::measure)?)?;
                    S::Require {
                        indicator,
                        comparison,
                        value,
                    }
                }
            }
            Rule::applies_to => match find(&pair, Rule::name_list) {
                Some(list) => S::AppliesTo(self.names(list)),
                None => S::AppliesToAll,
            },
            Rule::withholds => S::Withholds(self.number(find(&pair, Rule::percent)?)?),
            _ => S::Description(self.text_setting(pair)?),
        })
    }

    fn test_setting(&mut self, pair: P) -> Option<TestSetting> {
        use TestSetting as S;
        Some(match pair.as_rule() {
            Rule::given => {
                let name = self.name(find(&pair, Rule::name)?);
                let value_pair = find(&pair, Rule::given_value)?;
                let at = span(&value_pair);
                let inner = kid(value_pair)?;
                let value = match inner.as_rule() {
                    Rule::ratio_value => {
                        let mut parts = kids(inner);
                        let numerator = self.integer(parts.next()?)?.node;
                        let denominator = self.integer(parts.next()?)?.node;
                        let excluded = match parts.next() {
                            Some(excluded) => Some(self.integer(excluded)?.node),
                            None => None,
                        };
                        GivenValue::Fraction {
                            numerator,
                            denominator,
                            excluded,
                        }
                    }
                    Rule::yes_no => GivenValue::YesNo(inner.as_str() == "yes"),
                    _ => GivenValue::Measure(self.measure(inner)?.node),
                };
                let period = self.period(find(&pair, Rule::period)?)?;
                let against = match find(&pair, Rule::given_against) {
                    Some(against) => Some(self.measure(kid(against)?)?),
                    None => None,
                };
                S::Given {
                    name,
                    value: Spanned::new(value, at),
                    against,
                    period,
                }
            }
            Rule::given_participant => {
                let participant = self.string(find(&pair, Rule::string)?)?;
                let event = kid(find(&pair, Rule::participant_event)?)?;
                let on = self.date(find(&event, Rule::date)?);
                if event.as_rule() == Rule::started_on {
                    S::ParticipantStarted { participant, on }
                } else {
                    S::ParticipantAchieved {
                        participant,
                        outcome: self.name(find(&event, Rule::name)?),
                        on,
                    }
                }
            }
            Rule::expect_finding => {
                let code = find(&pair, Rule::finding_code)?;
                S::ExpectFinding(Spanned::new(code.as_str().to_string(), span(&code)))
            }
            Rule::expect_gateway => S::ExpectGateway {
                gateway: self.name(find(&pair, Rule::name)?),
                passes: find(&pair, Rule::gateway_outcome)?.as_str() == "passes",
                period: self.period(find(&pair, Rule::period)?)?,
            },
            _ => {
                let name = self.name(find(&pair, Rule::name)?);
                let deducts = find(&pair, Rule::expect_verb)
                    .and_then(kid)
                    .is_some_and(|verb| verb.as_rule() == Rule::deducts_word);
                let (amount, at) = match find(&pair, Rule::signed_money) {
                    Some(signed) => {
                        let negative = find(&signed, Rule::minus_sign).is_some();
                        let mut money = self.money(find(&signed, Rule::money)?)?;
                        if negative {
                            money.node.amount = -money.node.amount;
                        }
                        (Some(money.node), span(&signed))
                    }
                    None => (None, span(&find(&pair, Rule::payout_nothing)?)),
                };
                S::ExpectPays {
                    name,
                    deducts,
                    amount: Spanned::new(amount, at),
                    payment: find(&pair, Rule::expect_for)
                        .and_then(|f| find(&f, Rule::name))
                        .map(|n| self.name(n)),
                    period: self.period(find(&pair, Rule::period)?)?,
                }
            }
        })
    }
}
