//! Lowering literals: names, strings, numbers, money, durations, dates, periods, weights.

use rust_decimal::Decimal;

use crate::syntax::literal::{self, PeriodWord};

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, find_all, kid, kids, span, Lowerer, P};

impl Lowerer {
    pub(super) fn name(&self, pair: P) -> Name {
        Spanned::new(pair.as_str().to_string(), span(&pair))
    }

    pub(super) fn names(&self, list: P) -> Vec<Name> {
        kids(list).map(|p| self.name(p)).collect()
    }

    pub(super) fn string(&mut self, pair: P) -> Option<Spanned<String>> {
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

    pub(super) fn opt_title(&mut self, pair: &P) -> Option<Spanned<String>> {
        find(pair, Rule::title).and_then(|t| self.string(t))
    }

    pub(super) fn number(&mut self, pair: P) -> Option<Spanned<Decimal>> {
        let at = span(&pair);
        let value = match pair.as_rule() {
            Rule::percent => literal::percent(pair.as_str()),
            _ => literal::number(pair.as_str()),
        };
        Some(Spanned::new(self.check(value, at)?, at))
    }

    pub(super) fn money(&mut self, pair: P) -> Option<Spanned<Money>> {
        let at = span(&pair);
        Some(Spanned::new(
            self.check(literal::money(pair.as_str()), at)?,
            at,
        ))
    }

    pub(super) fn duration(&mut self, pair: P) -> Option<Spanned<Duration>> {
        let at = span(&pair);
        let mut parts = pair.into_inner();
        let count = parts.next()?;
        let unit = parts.next()?;
        Some(Spanned::new(
            self.check(literal::duration(count.as_str(), unit.as_str()), at)?,
            at,
        ))
    }

    pub(super) fn date(&self, pair: P) -> Spanned<DateLit> {
        Spanned::new(literal::date(pair.as_str()), span(&pair))
    }

    pub(super) fn measure(&mut self, pair: P) -> Option<Spanned<Measure>> {
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

    pub(super) fn period(&mut self, pair: P) -> Option<Spanned<PeriodLit>> {
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

    pub(super) fn year_phase(&mut self, pair: P) -> Option<Spanned<YearPhase>> {
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
    pub(super) fn opt_year_phase(&mut self, pair: &P) -> Option<Option<Spanned<YearPhase>>> {
        match find(pair, Rule::year_phase) {
            Some(p) => Some(Some(self.year_phase(p)?)),
            None => Some(None),
        }
    }

    /// `£3,200 in year 1, £2,400 from year 2`, or one amount for every year.
    pub(super) fn money_steps(&mut self, pair: P) -> Option<Phased<Money>> {
        let mut steps = Vec::new();
        for step in find_all(&pair, Rule::money_step) {
            let value = self.money(find(&step, Rule::money)?)?;
            let phase = self.opt_year_phase(&step)?;
            steps.push(Step { value, phase });
        }
        Some(steps)
    }

    pub(super) fn weight(&mut self, pair: P) -> Option<Spanned<Weight>> {
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

    pub(super) fn frequency(&self, pair: P) -> Option<Frequency> {
        Some(match kid(pair)?.as_rule() {
            Rule::monthly => Frequency::Monthly,
            Rule::quarterly => Frequency::Quarterly,
            Rule::annually_contract => Frequency::AnnuallyByContractYear,
            _ => Frequency::Annually,
        })
    }

    pub(super) fn integer(&mut self, pair: P) -> Option<Spanned<Decimal>> {
        self.number(pair)
    }
}
