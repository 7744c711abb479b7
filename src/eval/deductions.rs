//! Deductions for breaches: an amount per breach above a tolerance, or a share of the monthly
//! value, capped, as negative lines.

use rust_decimal::Decimal;

use super::{apply_caps, due_date, round, CapTotals, Line, LineKind, Run};
use crate::model::{DeductAmount, Deduction};
use crate::units::format_percent;

pub(crate) fn evaluate(run: &mut Run, deduction: &Deduction) {
    let Some(indicator) = run.contract.indicators.get(&deduction.indicator).cloned() else {
        return;
    };
    let calendar = run.calendar();
    let mut totals = CapTotals::default();
    for period in calendar.periods(deduction.frequency) {
        let year = calendar.contract_year_of(period.end);
        let (due, due_steps) = due_date(run.contract, period.end, indicator.data_lag, None);
        let Ok(found) = run.measure(&indicator.name, &period, None) else {
            continue;
        };
        let Some(measured) = found else {
            if !run.data_expected(due) {
                continue;
            }
            let what = format!("`{}` in {}", indicator.name, period.label);
            run.missing_data(
                indicator.defined_at,
                &what,
                &format!("deduction `{}`", deduction.name),
            );
            continue;
        };
        run.used_rows.extend(measured.rows.iter().map(|o| o.row));
        let breaches = measured.value;
        let excess = (breaches - deduction.tolerance).max(Decimal::ZERO);
        let mut steps = vec![
            measured.how.clone(),
            format!(
                "{} breach{} against a tolerance of {}: {} above it",
                breaches.normalize(),
                if breaches == Decimal::ONE { "" } else { "es" },
                deduction.tolerance.normalize(),
                excess.normalize()
            ),
        ];
        let count = if deduction.per_breach {
            excess
        } else if excess > Decimal::ZERO {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        let amount = match deduction.amount {
            DeductAmount::Money(each) => {
                let amount = each * count;
                if !amount.is_zero() {
                    steps.push(format!(
                        "{} × {} = {}",
                        count.normalize(),
                        run.money(each),
                        run.money(amount)
                    ));
                }
                amount
            }
            DeductAmount::ShareOfMonthlyValue(share) => {
                let monthly = run.contract.value_per_year / Decimal::from(12);
                let amount = monthly * share / Decimal::ONE_HUNDRED * count;
                if !amount.is_zero() {
                    steps.push(format!(
                        "{} of the monthly value of {} is {}, × {}",
                        format_percent(share),
                        run.money(monthly),
                        run.money(monthly * share / Decimal::ONE_HUNDRED),
                        count.normalize()
                    ));
                }
                amount
            }
        };
        let rounded = round(run, amount, &mut steps);
        let capped = apply_caps(
            run,
            &deduction.caps,
            deduction.frequency,
            &period,
            &mut totals,
            rounded,
            &mut steps,
        );
        let cap_bit = capped < rounded;
        // Taken from a named payment before its caps: the payment's line carries it.
        let early = run.contract.deductions_before_caps && !capped.is_zero();
        let capped = match (&deduction.taken_from, early) {
            (Some(payment), true) => {
                run.taken.push((
                    payment.clone(),
                    period.end,
                    capped,
                    format!("deduction `{}` for {}", deduction.name, period.label),
                ));
                steps.push(format!(
                    "{} is taken off payment `{payment}` before its caps (the contract says deductions come before caps), so this line is nothing",
                    run.money(capped)
                ));
                Decimal::ZERO
            }
            (Some(payment), false) => {
                steps.push(format!("taken from payment `{payment}` after its caps"));
                capped
            }
            (None, _) => {
                steps.push("deducted from the payments due when the data is available".to_string());
                capped
            }
        };
        steps.extend(due_steps);
        run.lines.push(Line {
            measured: Some(format!(
                "{} breach{}",
                breaches.normalize(),
                if breaches == Decimal::ONE { "" } else { "es" }
            )),
            basis: if excess.is_zero() {
                "within tolerance".into()
            } else if cap_bit {
                format!("{} above tolerance (capped)", excess.normalize())
            } else {
                format!("{} above tolerance", excess.normalize())
            },
            amount: if capped.is_zero() {
                Decimal::ZERO
            } else {
                -capped
            },
            explanation: steps,
            rows: measured.rows.iter().map(|o| run.row_name(o.row)).collect(),
            ..Line::new(
                &deduction.name,
                LineKind::Deduction,
                &period,
                year,
                due,
                run.status(due),
            )
        });
    }
}
