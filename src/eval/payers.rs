//! Who pays each line: a payment's (or deduction's) amount split between its payers by their
//! shares, in whole units of the contract's rounding that add up to the line exactly
//! ([`crate::split`]); and each payer's totals, which add up to the schedule's.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{decimal_string, DecimalString, Line, PartyShare};
use crate::model::Contract;

/// What one payer pays in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PayerTotal {
    /// The payer's name in the contract.
    pub payer: String,
    pub title: String,
    #[serde(serialize_with = "decimal_string")]
    #[schemars(with = "DecimalString")]
    pub total: Decimal,
}

/// Splits every line between its payers (none when the contract names no payers).
pub(crate) fn assign(contract: &Contract, lines: &mut [Line]) {
    let unit = contract.rounding.unit();
    for line in lines.iter_mut() {
        let split = contract.payers_of(&line.payment);
        if split.is_empty() {
            continue;
        }
        let weights: Vec<Decimal> = split.iter().map(|(_, share)| *share).collect();
        let parts = crate::split::split(line.amount, &weights, unit);
        let words: Vec<String> = split
            .iter()
            .zip(&parts)
            .map(|((payer, share), amount)| {
                format!(
                    "{} by `{payer}` ({})",
                    crate::units::format_money(*amount, contract.currency),
                    crate::units::format_percent(
                        share
                            .round_dp_with_strategy(
                                4,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero
                            )
                            .normalize()
                    )
                )
            })
            .collect();
        line.explanation
            .push(format!("paid {}", crate::units::join_words(&words)));
        line.payers = split
            .iter()
            .zip(parts)
            .map(|((payer, _), amount)| PartyShare {
                party: payer.clone(),
                amount,
            })
            .collect();
    }
}

/// Each payer's part of `lines`, in the contract's order of payers; empty without payers.
pub(crate) fn parts<'a>(
    contract: &Contract,
    lines: impl Iterator<Item = &'a Line> + Clone,
) -> Vec<PartyShare> {
    contract
        .payers
        .iter()
        .map(|payer| PartyShare {
            party: payer.name.clone(),
            amount: lines
                .clone()
                .flat_map(|l| l.payers.iter())
                .filter(|p| p.party == payer.name)
                .map(|p| p.amount)
                .sum(),
        })
        .collect()
}

/// Each payer's total over the whole schedule.
pub(crate) fn totals(contract: &Contract, lines: &[Line]) -> Vec<PayerTotal> {
    parts(contract, lines.iter())
        .into_iter()
        .zip(&contract.payers)
        .map(|(part, payer)| PayerTotal {
            payer: part.party,
            title: payer.title.clone(),
            total: part.amount,
        })
        .collect()
}
