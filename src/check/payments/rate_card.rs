//! Rate cards: fees, criteria and the caps that bound them.

use crate::check::names::{self};
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model;
use crate::source::FileId;
use crate::syntax::ast::{self, LimitScope, PaymentSetting as S, RateCardItem, Spanned};

pub(super) fn rate_card(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
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
    for item in items {
        match &item.node {
            RateCardItem::AttachmentFee(fee) => {
                card.attachment_fee = ctx.money(*fee, file);
            }
            RateCardItem::Criterion { name, .. } => card.criteria.push(name.node.clone()),
            RateCardItem::Outcome(outcome) => {
                if let Some(price) = ctx.money(outcome.price, file) {
                    card.outcomes.push(model::RateOutcome {
                        name: outcome.name.node.clone(),
                        title: outcome.title.as_ref().map(|t| t.node.clone()),
                        price,
                        within: outcome.within.map(|w| w.node),
                        all_of: outcome.all_of.iter().map(|n| n.node.clone()).collect(),
                    });
                }
                for criterion in &outcome.all_of {
                    if !card_names.contains(&criterion.node.as_str()) {
                        ctx.report(names::undefined(
                            criterion,
                            file,
                            "a criterion or outcome of this rate card",
                            card_names.iter().copied(),
                        ));
                    }
                }
            }
        }
    }
    let capped = payment
        .settings
        .iter()
        .any(|s| matches!(&s.node, S::Cap(limit) if matches!(limit.scope, LimitScope::Year | LimitScope::Term)));
    if !capped {
        ctx.report(
            Diagnostic::new(
                Code::UncappedRateCard,
                file,
                payment.name.span,
                format!("rate card `{}` has no cap per year or over the term", payment.name.node),
                "no overall cap",
            )
            .with_help("add `cap £1,200,000 per year` or `cap £3,000,000 over the term` so the most the contract can cost is known"),
        );
    }
    card
}
