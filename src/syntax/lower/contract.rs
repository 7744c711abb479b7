//! Lowering the contract and population settings and the outcomes framework.

use crate::syntax::literal;

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, find_all, kid, span, Lowerer, P};

impl Lowerer {
    pub(super) fn contract_setting(&mut self, pair: P) -> Option<ContractSetting> {
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

    pub(super) fn population_setting(&mut self, pair: P) -> Option<PopulationSetting> {
        Some(match pair.as_rule() {
            Rule::size => PopulationSetting::Size(self.integer(kid(pair)?)?),
            Rule::eligibility => PopulationSetting::Eligibility(self.text_setting(pair)?),
            _ => PopulationSetting::Description(self.text_setting(pair)?),
        })
    }

    pub(super) fn domain(&mut self, pair: P) -> Option<Domain> {
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
}
