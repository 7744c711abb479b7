//! Lowering test settings: the values given and the results expected.

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, kid, kids, span, Lowerer, P};

impl Lowerer {
    pub(super) fn test_setting(&mut self, pair: P) -> Option<TestSetting> {
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
