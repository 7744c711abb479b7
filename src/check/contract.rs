//! The contract header: parties, term, currency, value and the money at risk each year.

use rust_decimal::Decimal;

use super::settings::{first, missing, report_duplicates};
use super::Ctx;
use crate::calendar::{self, Calendar};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, BandSide, Block, ContractSetting as S, CurrencyCode, PopulationSetting, RiskKind,
    TermEnd, ValueBasis,
};
use crate::units;

/// What the rest of the checks need from the header.
#[derive(Clone, Debug)]
pub struct Header {
    pub title: String,
    pub file: FileId,
    pub title_span: Span,
    pub calendar: Option<Calendar>,
    pub currency: CurrencyCode,
    pub value_per_year: Option<Decimal>,
    /// Money at risk in each contract year, year 1 first; empty when not stated or unknown.
    pub at_risk: Vec<Decimal>,
    pub at_risk_span: Option<Span>,
    pub boundary: BandSide,
    pub rounding: crate::model::Rounding,
    pub factor_places: Option<u32>,
    pub missing_data: ast::MissingDataRule,
    pub keep_month_ends: bool,
    pub exclude_part_periods: bool,
    pub deductions_before_caps: bool,
    /// The last day a payment may fall due: the term's end plus any run-off.
    pub last_due: Option<jiff::civil::Date>,
    /// `payments continue ... after the term`, where stated.
    pub run_off: Option<(ast::Duration, Span)>,
}

pub(super) fn check(ctx: &mut Ctx, root: FileId) -> Option<Header> {
    let contracts = ctx.blocks_of(|b| match b {
        Block::Contract(c) => Some(c),
        _ => None,
    });
    let Some(&(file, contract)) = contracts
        .iter()
        .find(|(f, _)| *f == root)
        .or(contracts.first())
    else {
        let first_payment = ctx.blocks().find_map(|(file, block)| match block {
            Block::Payment(p) => Some((file, p.name.span)),
            _ => None,
        });
        let nothing_written = ctx.blocks().next().is_none()
            && ctx.files.iter().all(|(_, tree)| tree.unreadable.is_empty());
        if nothing_written {
            ctx.report(
                Diagnostic::new(
                    Code::MissingContract,
                    root,
                    Span::new(0, 0),
                    "the file is empty: there is no `contract` block",
                    "nothing here",
                )
                .with_help("start with a `contract \"Title\" { ... }` block giving the term, value and money at risk; docs/language.md shows one"),
            );
        } else if let Some((file, span)) = first_payment {
            ctx.report(
                Diagnostic::new(Code::MissingContract, file, span, "payments are defined but there is no `contract` block", "a payment")
                    .with_help("add a `contract \"Title\" { ... }` block with the term, value and money at risk"),
            );
        }
        return None;
    };
    for (other_file, other) in contracts
        .iter()
        .filter(|(_, c)| !std::ptr::eq(*c, contract))
    {
        let mut d = Diagnostic::new(
            Code::DuplicateContract,
            *other_file,
            other.title.span,
            "a file may describe only one contract",
            "another contract",
        )
        .with_help(
            "keep one `contract` block; put shared indicators in a file that each contract imports",
        );
        if *other_file == file {
            d = d.with_label(contract.title.span, "first contract");
        }
        ctx.report(d);
    }

    let settings = &contract.settings;
    report_duplicates(
        settings,
        file,
        |s| matches!(s, S::Commissioner { .. } | S::Provider(_)),
        |_| 0,
        setting_word,
        &mut ctx.diagnostics,
    );
    let currency = first(settings, |s| match s {
        S::Currency(c) => Some(c.node),
        _ => None,
    })
    .map(|(c, _)| c)
    .unwrap_or(CurrencyCode::Gbp);
    let fiscal_start = first(settings, |s| match s {
        S::FiscalYearStart(m) => Some(m.node as i8),
        _ => None,
    })
    .map(|(m, _)| m)
    .unwrap_or(4);
    let boundary = first(settings, |s| match s {
        S::BoundaryRule(side) => Some(*side),
        _ => None,
    })
    .map(|(b, _)| b)
    .unwrap_or(BandSide::Higher);

    let rounding = first(settings, |s| match s {
        S::Rounding { mode, unit } => Some(crate::model::Rounding {
            mode: *mode,
            unit: *unit,
        }),
        _ => None,
    })
    .map(|(r, _)| r)
    .unwrap_or_default();
    let factor_places = first(settings, |s| match s {
        S::FactorRounding(places) => Some(places.map(|p| p.node)),
        _ => None,
    })
    .and_then(|(p, _)| p);
    let missing_data = first(settings, |s| match s {
        S::MissingData(rule) => Some(*rule),
        _ => None,
    })
    .map(|(r, _)| r)
    .unwrap_or(ast::MissingDataRule::Error);
    let mut header = Header {
        title: contract.title.node.clone(),
        file,
        title_span: contract.title.span,
        calendar: None,
        currency,
        value_per_year: None,
        at_risk: Vec::new(),
        at_risk_span: None,
        boundary,
        rounding,
        factor_places,
        missing_data,
        keep_month_ends: settings.iter().any(|s| matches!(s.node, S::MonthEndsStay)),
        exclude_part_periods: settings
            .iter()
            .any(|s| matches!(s.node, S::PartPeriodsExcluded(true))),
        deductions_before_caps: settings
            .iter()
            .any(|s| matches!(s.node, S::DeductionsBeforeCaps(true))),
        last_due: None,
        run_off: None,
    };
    header.calendar = term(ctx, settings, file, contract.title.span, fiscal_start);
    let run_off = first(settings, |s| match s {
        S::RunOff(d) => Some(d.node),
        _ => None,
    });
    header.run_off = run_off;
    header.last_due = header.calendar.and_then(|c| match run_off {
        Some((length, _)) => calendar::add(c.end, length),
        None => Some(c.end),
    });
    ctx.header = Some(header.clone());
    header.value_per_year = value(ctx, settings, file, contract.title.span);
    ctx.header = Some(header.clone());
    if let Some((steps, span)) = first(settings, |s| match s {
        S::AtRisk(steps) => Some(steps),
        _ => None,
    }) {
        header.at_risk_span = Some(span);
        header.at_risk = at_risk(ctx, steps, &header, span);
    }
    Some(header)
}

fn setting_word(setting: &S) -> &'static str {
    match setting {
        S::Reference(_) => "reference",
        S::Commissioner { .. } => "commissioner",
        S::PaidBy(_) => "paid by",
        S::Provider(_) => "provider",
        S::Description(_) => "description",
        S::Term { .. } => "term",
        S::FiscalYearStart(_) => "fiscal year starts",
        S::Currency(_) => "currency",
        S::Value { .. } => "value",
        S::AtRisk(_) => "at risk",
        S::Rounding { .. } => "rounding",
        S::FactorRounding(_) => "factors",
        S::BoundaryRule(_) => "boundary values",
        S::MissingData(_) => "missing data",
        S::RunOff(_) => "payments continue",
        S::MonthEndsStay => "month ends stay month ends",
        S::PartPeriodsExcluded(_) => "part periods are",
        S::DeductionsBeforeCaps(_) => "deductions come",
    }
}

pub(super) fn invalid_date(span: Span, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDate,
        file,
        span,
        "this date does not exist",
        "no such day",
    )
    .with_help("check the day and month: dates are written year-month-day, such as `2016-04-01`")
}

/// The longest term obc reads: a contract of more than a century is a typo in a year, and every
/// analysis of the term is bounded by it.
pub const MAX_TERM_YEARS: u32 = 100;

fn term(
    ctx: &mut Ctx,
    settings: &[ast::Spanned<S>],
    file: FileId,
    title: Span,
    fiscal_start: i8,
) -> Option<Calendar> {
    let Some(((start, end), span)) = first(settings, |s| match s {
        S::Term { start, end } => Some((*start, *end)),
        _ => None,
    }) else {
        ctx.report(missing(
            file,
            title,
            "the contract has no `term`".to_string(),
            "add a line such as `term 2016-04-01 to 2021-03-31` or `term 2016-04-01 for 5 years`",
        ));
        return None;
    };
    let Some(start_date) = calendar::date(start.node) else {
        ctx.report(invalid_date(start.span, file));
        return None;
    };
    let (end_date, end_span) = match end {
        TermEnd::To(end) => match calendar::date(end.node) {
            Some(d) => (d, end.span),
            None => {
                ctx.report(invalid_date(end.span, file));
                return None;
            }
        },
        TermEnd::For(length) => {
            let after = calendar::add(start_date, length.node).and_then(|d| d.yesterday().ok());
            match after {
                Some(d) if length.node.count > 0 => (d, length.span),
                _ => {
                    ctx.report(
                        Diagnostic::new(
                            Code::TermEndsBeforeStart,
                            file,
                            length.span,
                            "the term has no length",
                            "zero length",
                        )
                        .with_help("give the term a length such as `5 years`"),
                    );
                    return None;
                }
            }
        }
    };
    if end_date < start_date {
        ctx.report(
            Diagnostic::new(
                Code::TermEndsBeforeStart,
                file,
                end_span,
                format!("the term ends on {end_date}, before it starts on {start_date}"),
                "ends here",
            )
            .with_label(start.span, "starts here")
            .with_help("check the dates: the term is written `term START to END`"),
        );
        return None;
    }
    let _ = span;
    let longest = ast::Duration {
        count: MAX_TERM_YEARS,
        unit: ast::TimeUnit::Year,
    };
    if calendar::add(start_date, longest).is_none_or(|limit| end_date >= limit) {
        ctx.report(
            Diagnostic::new(
                Code::TermTooLong,
                file,
                start.span.cover(end_span),
                format!(
                    "the term runs from {start_date} to {end_date}, more than {MAX_TERM_YEARS} years"
                ),
                "too long for a contract",
            )
            .with_help("check the years of the dates: an outcomes contract runs for a few years, and obc reads terms of up to 100 years"),
        );
        return None;
    }
    Some(Calendar {
        start: start_date,
        end: end_date,
        fiscal_start,
    })
}

fn value(
    ctx: &mut Ctx,
    settings: &[ast::Spanned<S>],
    file: FileId,
    title: Span,
) -> Option<Decimal> {
    let Some(((amount, basis), _)) = first(settings, |s| match s {
        S::Value { amount, basis } => Some((*amount, *basis)),
        _ => None,
    }) else {
        ctx.report(missing(
            file,
            title,
            "the contract has no `value`".to_string(),
            "add a line such as `value £76,000,000 per year`",
        ));
        return None;
    };
    let amount_value = ctx.money(amount, file)?;
    match basis {
        ValueBasis::PerYear => Some(amount_value),
        ValueBasis::Total => {
            let years = ctx.calendar()?.contract_years();
            (years > 0).then(|| amount_value / Decimal::from(years))
        }
        ValueBasis::PerPersonPerYear => {
            let size = ctx.blocks().find_map(|(_, block)| match block {
                Block::Population(p) => p.settings.iter().find_map(|s| match &s.node {
                    PopulationSetting::Size(size) => Some(size.node),
                    _ => None,
                }),
                _ => None,
            });
            match size {
                Some(size) => Some(amount_value * size),
                None => {
                    ctx.report(missing(
                        file,
                        amount.span,
                        "the value is per person but no population size is given".to_string(),
                        "add a `population \"...\" { size 187,000 }` block so the yearly value can be worked out",
                    ));
                    None
                }
            }
        }
    }
}

/// The money at risk in each contract year.
fn at_risk(
    ctx: &mut Ctx,
    steps: &[ast::Spanned<ast::RiskAmount>],
    header: &Header,
    span: Span,
) -> Vec<Decimal> {
    let file = header.file;
    let layout: Vec<_> = steps.iter().map(|s| (s.node.phase, s.span)).collect();
    if !ctx.steps_once_each(&layout, file, "`at risk`") {
        return Vec::new();
    }
    let mut resolved = Vec::new();
    for step in steps {
        if let Some(phase) = step.node.phase {
            ctx.year_phase(phase, file);
        }
        let amount = match step.node.amount {
            RiskKind::ShareOfValue(share) => ctx
                .share(share, "the share at risk", file)
                .map(|s| (s, true, share.span)),
            RiskKind::PerYear(money) => ctx.money(money, file).map(|m| (m, false, money.span)),
        };
        resolved.push((step.node.phase.map(|p| p.node), amount));
    }
    let Some(calendar) = header.calendar else {
        return Vec::new();
    };
    let mut by_year = Vec::new();
    for year in 1..=calendar.contract_years() {
        let Some(step) = super::step_for_year(&resolved, year) else {
            ctx.report(missing(
                file,
                span,
                format!("`at risk` does not say how much is at risk in contract year {year}"),
                format!("add a step for year {year}, such as `20% of value from year {year}`"),
            ));
            return Vec::new();
        };
        let Some((amount, is_share, amount_span)) = *step else {
            return Vec::new();
        };
        let money = if is_share {
            match header.value_per_year {
                Some(value) => value * amount / Decimal::ONE_HUNDRED,
                None => return Vec::new(),
            }
        } else {
            if let Some(value) = header.value_per_year {
                if amount > value {
                    ctx.report(
                        Diagnostic::new(
                            Code::AtRiskExceedsValue,
                            file,
                            amount_span,
                            format!(
                                "{} is at risk each year but the contract is worth {} a year",
                                units::format_money(amount, header.currency),
                                units::format_money(value, header.currency)
                            ),
                            "more than the contract's value",
                        )
                        .with_help("the money at risk is part of the contract's value: lower it or correct the `value`"),
                    );
                    return Vec::new();
                }
            }
            amount
        };
        // Money is whole pennies (or pounds): the share at risk is rounded like every amount.
        by_year.push(header.rounding.apply(money));
    }
    by_year
}
