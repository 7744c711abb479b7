//! Lowering deduction, advance and gateway settings.

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, find_all, kid, Lowerer, P};

impl Lowerer {
    fn breach_unit(&self, pair: P) -> Option<BreachUnit> {
        Some(match kid(pair)?.as_rule() {
            Rule::per_patient_day => BreachUnit::PatientDay,
            Rule::per_patient_month => BreachUnit::PatientMonth,
            Rule::per_event => BreachUnit::Event,
            _ => BreachUnit::Breach,
        })
    }

    pub(super) fn deduction_setting(&mut self, pair: P) -> Option<DeductionSetting> {
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

    pub(super) fn advance_setting(&mut self, pair: P) -> Option<AdvanceSetting> {
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

    pub(super) fn gateway_setting(&mut self, pair: P) -> Option<GatewaySetting> {
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
}
