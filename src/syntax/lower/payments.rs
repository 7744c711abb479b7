//! Lowering payment settings: bands, thresholds, triggers, payers, rate cards and limits.

use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

use super::{find, find_all, kid, kids, span, Lowerer, P};

impl Lowerer {
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

    pub(super) fn payer_shares(&mut self, pair: P) -> Option<Vec<PayerShare>> {
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

    pub(super) fn limit(&mut self, pair: P) -> Option<Limit> {
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

    pub(super) fn two_measures(
        &mut self,
        pair: &P,
    ) -> Option<(Spanned<Measure>, Spanned<Measure>)> {
        let mut measures = find_all(pair, Rule::measure).into_iter();
        let from = self.measure(measures.next()?)?;
        let to = self.measure(measures.next()?)?;
        Some((from, to))
    }

    pub(super) fn payment_setting(&mut self, pair: P) -> Option<PaymentSetting> {
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
}
