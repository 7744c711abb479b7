//! Rate cards: fees, criteria and the caps that bound them.

use rust_decimal::Decimal;

use crate::check::names;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{self, LimitScope, PaymentSetting as S, RateCardItem, Spanned};
use crate::units;

pub(super) fn rate_card(
    ctx: &mut Ctx,
    file: FileId,
    items: &[Spanned<RateCardItem>],
) -> model::RateCard {
    let mut card = model::RateCard::default();
    let card_names: Vec<&str> = items
        .iter()
        .filter_map(|i| match &i.node {
            RateCardItem::Outcome(o) => Some(o.name.node.as_str()),
            RateCardItem::Criterion { name, .. } => Some(name.node.as_str()),
            RateCardItem::AttachmentFee(_) => None,
        })
        .collect();
    let outcome_names: Vec<&str> = items
        .iter()
        .filter_map(|i| match &i.node {
            RateCardItem::Outcome(o) => Some(o.name.node.as_str()),
            _ => None,
        })
        .collect();
    let criteria_names: Vec<&str> = items
        .iter()
        .filter_map(|i| match &i.node {
            RateCardItem::Criterion { name, .. } => Some(name.node.as_str()),
            _ => None,
        })
        .collect();
    for item in items {
        match &item.node {
            RateCardItem::AttachmentFee(fee) => {
                card.attachment_fee = ctx
                    .phased(fee, file, "the attachment fee", |ctx, m| ctx.money(m, file))
                    .map(model::ByYear);
            }
            RateCardItem::Criterion { name, .. } => card.criteria.push(name.node.clone()),
            RateCardItem::Outcome(outcome) => {
                let what = format!("the fee for `{}`", outcome.name.node);
                let price = ctx.phased(&outcome.price, file, &what, |ctx, m| ctx.money(m, file));
                if let Some(price) = price.map(model::ByYear) {
                    card.outcomes.push(model::RateOutcome {
                        name: outcome.name.node.clone(),
                        title: outcome.title.as_ref().map(|t| t.node.clone()),
                        price,
                        within: outcome.within.map(|w| w.node),
                        all_of: outcome.all_of.iter().map(|n| n.node.clone()).collect(),
                        by_criteria: outcome.by_criteria,
                    });
                }
                for criterion in &outcome.all_of {
                    if outcome_names.contains(&criterion.node.as_str()) {
                        // A ladder of outcomes would pay a step whose own condition was never
                        // checked: only criteria may be conditions.
                        ctx.report(
                            Diagnostic::new(
                                Code::WrongKindOfName,
                                file,
                                criterion.span,
                                format!(
                                    "`{}` is an outcome, but `all of` lists criteria",
                                    criterion.node
                                ),
                                "an outcome",
                            )
                            .with_help(format!(
                                "declare the milestone as a `criterion {}` (an outcome is paid for on its own), or, for a ladder of outcomes, give each step its own `within` or its own criteria",
                                criterion.node
                            )),
                        );
                    } else if !card_names.contains(&criterion.node.as_str()) {
                        ctx.report(names::undefined(
                            criterion,
                            file,
                            "a criterion of this rate card",
                            criteria_names.iter().copied(),
                        ));
                    }
                }
            }
        }
    }
    card
}

/// What limits the total a rate card can cost: its caps, its yearly budget (a `weight` or
/// `pot`, which evaluation applies as a cap in each contract year), or `not capped`. Warns when
/// nothing limits it, and when it can earn more in a year than its budget pays.
pub(super) fn rate_card_limits(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    card: &model::RateCard,
    budget: Option<&[Decimal]>,
    caps: &[(LimitScope, Decimal)],
) {
    let name = &payment.name.node;
    let currency = ctx.currency();
    let overall_cap = payment.settings.iter().find(|s| {
        matches!(&s.node, S::Cap(limit) if matches!(limit.scope, LimitScope::Year | LimitScope::Term))
    });
    let not_capped = payment
        .settings
        .iter()
        .find(|s| matches!(s.node, S::NotCapped));
    if let (Some(not_capped), Some(cap)) = (not_capped, overall_cap) {
        ctx.report(
            Diagnostic::new(
                Code::ConflictingSettings,
                file,
                not_capped.span,
                format!("payment `{name}` says it is `not capped` but has a cap"),
                "says not capped",
            )
            .with_label(cap.span, "a cap")
            .with_help("remove `not capped`, or remove the cap if the payment really has no limit"),
        );
        return;
    }
    // The most one participant can earn, and the most the cohort could.
    let fees: Decimal = card
        .outcomes
        .iter()
        .map(|o| o.price.most())
        .sum::<Decimal>()
        + card
            .attachment_fee
            .as_ref()
            .map(model::ByYear::most)
            .unwrap_or_default();
    let per_participant = caps
        .iter()
        .find(|(scope, _)| *scope == LimitScope::Participant)
        .map_or(fees, |(_, cap)| fees.min(*cap));
    let cohort = card
        .cohort
        .as_deref()
        .and_then(|cohort| cohort_size(ctx, cohort));
    let cohort_most = cohort.map(|size| (size, size * per_participant));
    let year_cap = caps
        .iter()
        .filter(|(scope, _)| matches!(scope, LimitScope::Year | LimitScope::Term))
        .map(|(_, cap)| *cap)
        .min();
    if let Some(budget) = budget {
        let Some(most_budget) = budget.iter().copied().min() else {
            return;
        };
        let most = match (year_cap, cohort_most) {
            (Some(cap), Some((_, cohort))) => Some(cap.min(cohort)),
            (Some(cap), None) => Some(cap),
            (None, Some((_, cohort))) => Some(cohort),
            (None, None) => None,
        };
        if most.is_some_and(|most| most <= most_budget) {
            return;
        }
        let can = match (most, cohort_most) {
            (Some(most), Some((size, cohort))) if most == cohort => format!(
                "can earn up to {} in a year ({} participants at up to {} each)",
                units::format_money(most, currency),
                units::format_number(size),
                units::format_money(per_participant, currency)
            ),
            (Some(most), _) => format!(
                "can earn up to {} in a year",
                units::format_money(most, currency)
            ),
            (None, _) => "has no limit on what it can earn in a year".to_string(),
        };
        ctx.report(
            Diagnostic::new(
                Code::RateCardOverBudget,
                file,
                payment.name.span,
                format!(
                    "rate card `{name}` {can}, but its yearly budget is {}",
                    units::format_money(most_budget, currency)
                ),
                "can earn more than its budget",
            )
            .with_help("the budget (its `weight` or `pot`) caps what is paid each contract year, so outcomes achieved once it is spent are not paid: raise the budget, cap the fees at it, or say so in the contract's terms"),
        );
        return;
    }
    if overall_cap.is_some() || not_capped.is_some() {
        return;
    }
    let at_risk = ctx
        .header
        .as_ref()
        .and_then(|h| h.at_risk.iter().copied().max());
    let suggestion = match (cohort_most, at_risk) {
        (Some((size, most)), _) if !most.is_zero() => format!(
            "with {} participants at up to {} each it could cost up to {}: add a cap such as `cap {} over the term`",
            units::format_number(size),
            units::format_money(per_participant, currency),
            units::format_money(most, currency),
            units::format_money(most, currency)
        ),
        (_, Some(at_risk)) if !at_risk.is_zero() => format!(
            "the contract puts {} a year at risk: add a cap such as `cap {} per year`",
            units::format_money(at_risk, currency),
            units::format_money(at_risk, currency)
        ),
        _ => "add a cap such as `cap ... per year` or `cap ... over the term`".to_string(),
    };
    ctx.report(
        Diagnostic::new(
            Code::UncappedRateCard,
            file,
            payment.name.span,
            format!("rate card `{name}` has no cap per year or over the term"),
            "no overall cap",
        )
        .with_help(format!(
            "{suggestion} so the most the contract can cost is known, or say `not capped` if it has no cap on purpose (a national tariff)"
        )),
    );
}

/// The size of a cohort, where its block gives one.
fn cohort_size(ctx: &Ctx, cohort: &str) -> Option<Decimal> {
    ctx.blocks().find_map(|(_, block)| match block {
        ast::Block::Cohort(c) if c.name.node == cohort => {
            c.settings.iter().find_map(|s| match &s.node {
                ast::PopulationSetting::Size(size) => Some(size.node),
                _ => None,
            })
        }
        _ => None,
    })
}
