//! Lowering indicator, input and derived-value settings and calculations.

use crate::syntax::literal;

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, find_all, kid, kids, span, Lowerer, P};

impl Lowerer {
    pub(super) fn indicator_setting(&mut self, pair: P) -> Option<IndicatorSetting> {
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

    pub(super) fn combine(&self, pair: &P) -> Option<Combine> {
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

    pub(super) fn input_setting(&mut self, pair: P) -> Option<InputSetting> {
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

    pub(super) fn derived_setting(&mut self, pair: P) -> Option<DerivedSetting> {
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
}
