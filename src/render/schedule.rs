//! Payment schedules for people (an aligned table) and machines (JSON, CSV).

use rust_decimal::Decimal;

use crate::eval::{LineKind, Schedule, Status};
use crate::units::format_number;

/// The output formats of `obc eval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleFormat {
    Table,
    Json,
    Csv,
}

pub fn render(schedule: &Schedule, format: ScheduleFormat) -> String {
    match format {
        ScheduleFormat::Table => table(schedule),
        ScheduleFormat::Json => {
            let mut out = serde_json::to_string_pretty(schedule).unwrap_or_default();
            out.push('\n');
            out
        }
        ScheduleFormat::Csv => csv(schedule),
    }
}

/// Money with pence always shown, as a finance team reads it: `£570,000.00`.
fn money(amount: Decimal, symbol: &str) -> String {
    let rounded = amount.round_dp(2);
    let text = format_number(rounded.abs());
    let text = match text.split_once('.') {
        Some((whole, pence)) => format!("{whole}.{pence:0<2}"),
        None => format!("{text}.00"),
    };
    if rounded.is_sign_negative() && !rounded.is_zero() {
        format!("-{symbol}{text}")
    } else {
        format!("{symbol}{text}")
    }
}

fn symbol(currency: &str) -> &'static str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        _ => "£",
    }
}

fn kind_word(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Payment => "",
        LineKind::Deduction => " (deduction)",
        LineKind::Advance => " (advance)",
        LineKind::Reconciliation => " (reconciliation)",
        LineKind::Floor => " (floor)",
    }
}

fn table(schedule: &Schedule) -> String {
    let symbol = symbol(schedule.currency);
    let show_status = schedule.as_of.is_some();
    let mut header = vec!["Payment", "Period", "Measured", "Basis", "Amount", "Due"];
    if show_status {
        header.push("Status");
    }
    let show_payers = !schedule.payers.is_empty();
    if show_payers {
        header.push("Paid by");
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    for year in &schedule.years {
        let lines: Vec<_> = schedule
            .lines
            .iter()
            .filter(|l| l.contract_year == year.contract_year)
            .collect();
        if lines.is_empty() {
            continue;
        }
        for line in lines {
            let mut row = vec![
                format!("{}{}", line.payment, kind_word(line.kind)),
                line.period.clone(),
                line.measured.clone().unwrap_or_default(),
                match &line.calculated {
                    Some(calculated) => format!("{}; calculated {calculated}", line.basis),
                    None => line.basis.clone(),
                }
                .replace('`', ""),
                money(line.amount, symbol),
                line.due.to_string(),
            ];
            if show_status {
                row.push(match line.status {
                    Status::Due => "due".into(),
                    Status::Pending => "pending".into(),
                });
            }
            if show_payers {
                row.push(
                    line.payers
                        .iter()
                        .map(|p| format!("{} {}", p.party, money(p.amount, symbol)))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            rows.push(row);
        }
        let mut row = vec![
            format!(
                "Contract year {} ({} to {})",
                year.contract_year, year.start, year.end
            ),
            String::new(),
            String::new(),
            String::new(),
            money(year.total, symbol),
            String::new(),
        ];
        if show_status {
            row.push(String::new());
        }
        if show_payers {
            row.push(String::new());
        }
        rows.push(row);
    }
    let is_subtotal = |row: &Vec<String>| row[0].starts_with("Contract year ") && row[1].is_empty();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter(|r| i == 4 || !is_subtotal(r))
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let right = |i: usize| i == 4;
    let format_row = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if right(i) {
                    format!("{}{c}", " ".repeat(pad))
                } else {
                    format!("{c}{}", " ".repeat(pad))
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let rule: String = "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1));
    let mut out = format!(
        "{}: payment schedule ({})\n",
        schedule.contract, schedule.currency
    );
    if let Some(as_of) = schedule.as_of {
        out.push_str(&format!("as of {as_of}\n"));
    }
    out.push('\n');
    out.push_str(&format_row(
        &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
    ));
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    for row in &rows {
        let subtotal = is_subtotal(row);
        let text = if subtotal {
            // The label spans the first columns; the amount stays in its column.
            let label_width = widths[..4].iter().sum::<usize>() + 6;
            let amount = &row[4];
            format!(
                "{:<label_width$}  {:>width$}",
                row[0],
                amount,
                width = widths[4]
            )
        } else {
            format_row(row)
        };
        out.push_str(&text);
        out.push('\n');
        if subtotal {
            out.push('\n');
        }
    }
    out.push_str(&rule);
    out.push('\n');
    let label_width = widths[..4].iter().sum::<usize>() + 6;
    let mut total = |label: &str, amount: Decimal| {
        out.push_str(&format!(
            "{label:<label_width$}  {:>width$}\n",
            money(amount, symbol),
            width = widths[4]
        ));
    };
    if show_status {
        total("Due", schedule.total_due);
        total("Pending", schedule.total_pending);
    }
    total("Total", schedule.total);
    out.push('\n');
    out.push_str(&years_table(schedule, symbol));
    if show_payers {
        out.push('\n');
        out.push_str(&payers_table(schedule, symbol));
    }
    out
}

/// Rows of a money table in aligned columns: the first left-aligned, the amounts right-aligned.
fn money_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = " ".repeat(widths[i].saturating_sub(c.chars().count()));
                if i == 0 {
                    format!("{c}{pad}")
                } else {
                    format!("{pad}{c}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// What each payer pays in each contract year and in all.
fn payers_table(schedule: &Schedule, symbol: &str) -> String {
    let mut header = vec!["Paid by".to_string()];
    header.extend(
        schedule
            .years
            .iter()
            .map(|y| format!("Year {}", y.contract_year)),
    );
    header.push("Total".to_string());
    let mut rows = vec![header];
    for payer in &schedule.payers {
        let mut row = vec![format!("{} ({})", payer.payer, payer.title)];
        for year in &schedule.years {
            let part = year
                .payers
                .iter()
                .find(|p| p.party == payer.payer)
                .map(|p| p.amount)
                .unwrap_or_default();
            row.push(money(part, symbol));
        }
        row.push(money(payer.total, symbol));
        rows.push(row);
    }
    money_table(&rows)
}

/// Each contract year in money: the contract's value, the money at risk, what was earned and
/// deducted, the money at risk not earned, and what is paid in all.
fn years_table(schedule: &Schedule, symbol: &str) -> String {
    let header = [
        "Contract year",
        "Value",
        "At risk",
        "Earned",
        "Deducted",
        "Withheld",
        "Paid in all",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.map(String::from).to_vec()];
    rows.extend(schedule.years.iter().map(|y| {
        vec![
            format!("{} ({} to {})", y.contract_year, y.start, y.end),
            money(y.value, symbol),
            money(y.at_risk, symbol),
            money(y.earned, symbol),
            money(y.deducted, symbol),
            y.withheld
                .map(|w| money(w, symbol))
                .unwrap_or_else(|| "-".into()),
            money(y.paid_in_all, symbol),
        ]
    }));
    money_table(&rows)
}

fn csv(schedule: &Schedule) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "payment",
        "kind",
        "period",
        "period_start",
        "period_end",
        "contract_year",
        "measured",
        "basis",
        "calculated",
        "amount",
        "shares",
        "payers",
        "due",
        "status",
        "explanation",
        "rows",
    ];
    let _ = writer.write_record(header);
    for line in &schedule.lines {
        let kind = match line.kind {
            LineKind::Payment => "payment",
            LineKind::Deduction => "deduction",
            LineKind::Advance => "advance",
            LineKind::Reconciliation => "reconciliation",
            LineKind::Floor => "floor",
        };
        let status = match line.status {
            Status::Due => "due",
            Status::Pending => "pending",
        };
        let _ = writer.write_record([
            line.payment.as_str(),
            kind,
            &line.period,
            &line.period_start.to_string(),
            &line.period_end.to_string(),
            &line.contract_year.to_string(),
            line.measured.as_deref().unwrap_or_default(),
            &line.basis,
            line.calculated.as_deref().unwrap_or_default(),
            &crate::eval::money_string(line.amount),
            &line
                .shares
                .iter()
                .map(|s| format!("{} {}", s.party, crate::eval::money_string(s.amount)))
                .collect::<Vec<_>>()
                .join("; "),
            &line
                .payers
                .iter()
                .map(|s| format!("{} {}", s.party, crate::eval::money_string(s.amount)))
                .collect::<Vec<_>>()
                .join("; "),
            &line.due.to_string(),
            status,
            &line.explanation.join(" | "),
            &line.rows.join(" "),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_always_shows_pence() {
        assert_eq!(money(Decimal::from(570_000), "£"), "£570,000.00");
        assert_eq!(money(Decimal::new(-12345, 1), "£"), "-£1,234.50");
        assert_eq!(money(Decimal::new(1, 2), "€"), "€0.01");
    }
}
