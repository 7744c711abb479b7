//! When a payment is assessed and when it falls due.

use super::Measured;
use crate::calendar::{self, frequency_months, frequency_words, Calendar};
use crate::check::settings::first;
use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::syntax::ast::{self, Frequency, LagFrom, PaymentSetting as S, Spanned};

/// How often the payment is assessed: as stated, else as its indicator is reported, else
/// monthly for a rate card. Reports assessment more frequent than the data.
pub(super) fn assessment_frequency(
    ctx: &mut Ctx,
    file: FileId,
    settings: &[Spanned<S>],
    measured: Option<&Measured>,
    mechanism: Option<&S>,
) -> Option<Frequency> {
    let reported = measured
        .and_then(|m| ctx.indicators.get(m.name))
        .and_then(|i| i.reported);
    let assessed = first(settings, |s| match s {
        S::Assessed(f) => Some(*f),
        _ => None,
    });
    if let (Some((assessed, span)), Some(m)) = (assessed, measured) {
        assessed_more_often(ctx, file, span, "payment", assessed, m.name);
    }
    match (assessed, mechanism) {
        (Some((f, _)), _) => Some(f),
        (None, Some(S::RateCard(_))) => Some(Frequency::Monthly),
        (None, _) => reported,
    }
}

/// Reports a payment or deduction assessed more often than its indicator is reported
/// (E0602): a month's result cannot be read from a quarter's data.
pub(crate) fn assessed_more_often(
    ctx: &mut Ctx,
    file: FileId,
    span: crate::source::Span,
    what: &str,
    assessed: Frequency,
    indicator: &str,
) {
    let Some(reported) = ctx.indicators.get(indicator).and_then(|i| i.reported) else {
        return;
    };
    if frequency_months(assessed) >= frequency_months(reported) {
        return;
    }
    let mut d = Diagnostic::new(
        Code::AssessedMoreOftenThanReported,
        file,
        span,
        format!(
            "the {what} is assessed {} but `{indicator}` is reported {}",
            frequency_words(assessed),
            frequency_words(reported)
        ),
        "more often than the data arrives",
    )
    .with_help(format!(
        "assess the {what} {} or less often",
        frequency_words(reported)
    ));
    if let Some(info) = ctx.indicators.get(indicator).filter(|i| i.file == file) {
        d = d.with_label(
            info.reported_span.unwrap_or(info.name_span),
            "how often the data arrives",
        );
    }
    ctx.report(d);
}

/// Warns when the lags push the payment for the last period past the end of the term.
pub(super) fn due_after_term(
    ctx: &mut Ctx,
    file: FileId,
    payment: &ast::Payment,
    settings: &[Spanned<S>],
    measured: Option<&Measured>,
    frequency: Frequency,
    calendar: Calendar,
) {
    let Some(last) = calendar.periods(frequency).pop() else {
        return;
    };
    let data_lag = measured
        .and_then(|m| ctx.indicators.get(m.name))
        .and_then(|i| i.data_lag);
    let paid = first(settings, |s| match s {
        S::Paid(lag) => Some(*lag),
        _ => None,
    });
    let mut due = last.end;
    let mut steps = vec![format!(
        "the last period, {}, ends on {}",
        last.label, last.end
    )];
    let data_counts = paid.is_none_or(|(p, _)| p.from == LagFrom::Data);
    if let (Some(lag), true) = (data_lag, data_counts) {
        let Some(next) = calendar::add(due, lag) else {
            return;
        };
        due = next;
        steps.push(format!(
            "its data arrives {} later, on {due}",
            crate::units::duration_words(lag)
        ));
    }
    if let Some((lag, _)) = paid {
        let Some(next) = calendar::add(due, lag.lag.node) else {
            return;
        };
        due = next;
        steps.push(format!(
            "payment is due {} after that, on {due}",
            crate::units::duration_words(lag.lag.node)
        ));
    }
    let last_due = ctx
        .header
        .as_ref()
        .and_then(|h| h.last_due)
        .unwrap_or(calendar.end);
    if due <= last_due {
        return;
    }
    let late = calendar::days_between(calendar.end, due);
    let name = &payment.name.node;
    let run_off = ctx.header.as_ref().and_then(|h| h.run_off);
    let (message, help) = match run_off {
        None => (
            format!("the payment of `{name}` for {} falls due on {due}, {late} days after the term ends on {}", last.label, calendar.end),
            format!(
                "{}; if the contract provides for payments after the term, say so with \
                 `payments continue 6 months after the term`; otherwise shorten the lags",
                steps.join(", ")
            ),
        ),
        Some((length, _)) => (
            format!(
                "the payment of `{name}` for {} falls due on {due}, {} days after the last day payments may fall due, {last_due}",
                last.label,
                calendar::days_between(last_due, due)
            ),
            format!(
                "{}; payments continue only {} after the term, which ends on {}: lengthen that to cover {late} days, or shorten the lags",
                steps.join(", "),
                crate::units::duration_words(length),
                calendar.end
            ),
        ),
    };
    let at = paid.map(|(_, span)| span).unwrap_or(payment.name.span);
    let mut d = Diagnostic::new(Code::PaymentDueAfterTerm, file, at, message, "due too late")
        .with_help(help);
    if let Some((_, span)) = run_off.filter(|_| ctx.header.as_ref().is_some_and(|h| h.file == file))
    {
        d = d.with_label(span, "payments may continue this long after the term");
    }
    ctx.report(d);
}
