//! Sections 6 and 7: the payment timeline (every period and when each payment falls due) and
//! the worked examples.

use super::values::{date, pct, Ctx};
use super::{open, open_class, plain, Block, Rich, Table};
use crate::emit::chart::{capitalise, id_part};
use crate::emit::spec::{PaymentSpec, PeriodSpec};

/// A period's label, start and end.
type PeriodKey<'a> = (&'a str, &'a str, &'a str);

pub(super) fn timeline(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "timeline", 2, "6. Payment timeline", "major");
    blocks.push(Block::Para(plain(
        "Every period each payment is assessed for, and the date its payment falls due. Payments assessed for the same periods share a table; payments that also fall due on the same dates share a column.",
    )));
    // Payments with the same periods, in the order they first appear.
    let mut groups: Vec<(Vec<PeriodKey>, Vec<&PaymentSpec>)> = Vec::new();
    for p in &spec.payments {
        let key: Vec<PeriodKey> = p
            .periods
            .iter()
            .map(|x| (x.label.as_str(), x.start.as_str(), x.end.as_str()))
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(p),
            None => groups.push((key, vec![p])),
        }
    }
    let end = &spec.contract.term.end;
    let mut any_late = false;
    for (n, (key, list)) in groups.iter().enumerate() {
        // Payments that fall due on the same dates share a column.
        let mut columns: Vec<(Vec<&str>, Vec<&PaymentSpec>)> = Vec::new();
        for p in list {
            let dues: Vec<&str> = p.periods.iter().map(|x| x.due.as_str()).collect();
            match columns.iter_mut().find(|(d, _)| *d == dues) {
                Some((_, ps)) => ps.push(p),
                None => columns.push((dues, vec![p])),
            }
        }
        let assessed = list.first().map(|p| p.assessed.clone()).unwrap_or_default();
        let heads: Vec<String> = columns
            .iter()
            .map(|(_, ps)| {
                if columns.len() == 1 {
                    return "Falls due".to_string();
                }
                format!(
                    "Due: {}",
                    ps.iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        let mut head = vec!["Period", "Covers", "Contract year"];
        head.extend(heads.iter().map(String::as_str));
        let count = key.len();
        let title = format!(
            "Assessed {assessed}: {count} period{}",
            if count == 1 { "" } else { "s" }
        );
        open(
            blocks,
            format!("timeline-{}", n + 1),
            3,
            format!("6.{} {title}", n + 1),
        );
        let mut table = Table::new(
            format!("Periods assessed {assessed} and when each payment falls due"),
            &head,
        );
        table.row_headers = true;
        table.class = "long";
        let periods: Vec<&PeriodSpec> = list
            .first()
            .map(|p| p.periods.iter().collect())
            .unwrap_or_default();
        for (i, period) in periods.iter().enumerate() {
            let mut row = vec![
                plain(period.label.clone()),
                plain(format!("{} to {}", date(&period.start), date(&period.end))),
                plain(period.contract_year.to_string()),
            ];
            for (dues, _) in &columns {
                let due = dues.get(i).copied().unwrap_or_default();
                let late = due > end.as_str();
                any_late |= late;
                row.push(plain(format!(
                    "{}{}",
                    date(due),
                    if late { " †" } else { "" }
                )));
            }
            table.row(row);
        }
        blocks.push(Block::Table(table));
        let names: Vec<Rich> = list.iter().map(|p| ctx.payment_ref(&p.name)).collect();
        let mut text = plain(if names.len() == 1 {
            "Payment: "
        } else {
            "Payments: "
        });
        for (j, r) in names.into_iter().enumerate() {
            if j > 0 {
                text = text.text("; ");
            }
            text = text.append(r);
        }
        blocks.push(Block::Note(text.text(".")));
        blocks.push(Block::Close);
    }
    if any_late {
        let until = spec
            .contract
            .term
            .payments_due_by
            .as_deref()
            .map(|d| {
                format!(
                    "; the contract allows payments to fall due until {}",
                    date(d)
                )
            })
            .unwrap_or_default();
        blocks.push(Block::Note(plain(format!(
            "† Falls due after the term ends on {}{until}.",
            date(end)
        ))));
    }
    if spec.payments.is_empty() {
        blocks.push(Block::Para(plain("The contract has no payments.")));
    }
    advance_instalments(ctx, groups.len(), blocks);
    blocks.push(Block::Close);
}

/// A table for each advance block: each instalment, its contract year, when it falls due and, when
/// the advance pays amounts, how much.
fn advance_instalments(ctx: &Ctx, tables_before: usize, blocks: &mut Vec<Block>) {
    for (n, a) in ctx.spec.advances.iter().enumerate() {
        let number = tables_before + n + 1;
        let count = a.instalments.len();
        open(
            blocks,
            format!("timeline-advance-{}", id_part(&a.name)),
            3,
            format!(
                "6.{number} Advance {}: {count} instalment{}",
                a.name,
                if count == 1 { "" } else { "s" }
            ),
        );
        let mut table = Table::new(
            format!("Instalments of advance {} and when each falls due", a.name),
            &["Period", "Covers", "Contract year", "Falls due", "Amount"],
        );
        table.row_headers = true;
        table.class = "long";
        for i in &a.instalments {
            let amount = match (&i.amount, &a.share_of) {
                (Some(amount), _) => ctx.money(&amount.to_string()),
                (None, Some(value)) => format!(
                    "{} of {value} for the year, in equal parts",
                    a.share.as_deref().map(pct).unwrap_or_default()
                ),
                (None, None) => String::new(),
            };
            table.row(vec![
                plain(i.label.clone()),
                plain(format!("{} to {}", date(&i.start), date(&i.end))),
                plain(i.contract_year.to_string()),
                plain(date(&i.due)),
                plain(amount),
            ]);
        }
        blocks.push(Block::Table(table));
        blocks.push(Block::Note(
            plain("Reconciled at the end of each contract year against what ")
                .text(if a.covers.len() == 1 {
                    "the payment"
                } else {
                    "the payments"
                })
                .text(" it covers earn; see ")
                .append(ctx.advance_ref(&a.name))
                .text("."),
        ));
        blocks.push(Block::Close);
    }
}

pub(super) fn examples(ctx: &Ctx, blocks: &mut Vec<Block>) {
    let spec = ctx.spec;
    open_class(blocks, "worked-examples", 2, "7. Worked examples", "major");
    if spec.worked_examples.is_empty() {
        blocks.push(Block::Para(plain("The contract has no worked examples.")));
    } else {
        blocks.push(Block::Para(plain(
            "Examples written into the contract and checked against it: each gives results for some periods and says what the contract then pays. Money is as written in the contract.",
        )));
    }
    for (n, e) in spec.worked_examples.iter().enumerate() {
        open_class(
            blocks,
            format!("example-{}", n + 1),
            3,
            format!("7.{} {}", n + 1, capitalise(&e.title)),
            "example",
        );
        blocks.push(Block::Example {
            lines: e.lines.clone(),
        });
        blocks.push(Block::Close);
    }
    blocks.push(Block::Close);
}
