//! Indicators: their settings, units, baselines and targets.

use rust_decimal::Decimal;

use super::names::Kind;
use super::settings::{missing, report_duplicates};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Block, Duration, Frequency, IndicatorSetting as S, Polarity, Unit};
use crate::units;

/// What the checks of payments need to know about an indicator.
#[derive(Clone, Debug)]
pub struct IndicatorInfo {
    pub title: Option<String>,
    pub minimum_denominator: Option<Decimal>,
    pub file: FileId,
    pub name_span: Span,
    pub unit: Option<Unit>,
    pub polarity: Option<Polarity>,
    pub reported: Option<Frequency>,
    pub data_lag: Option<Duration>,
    pub baseline: Option<Decimal>,
    pub target: Option<Decimal>,
    /// The target of each contract year (year 1 first), when the targets cover every year.
    pub targets: Option<Vec<Decimal>>,
    /// The contract years the target steps give no target for.
    pub years_without_target: Vec<u32>,
    pub reporting_only: bool,
    /// `exclusions come off the denominator`.
    pub exclusions: bool,
    /// How rows of shorter periods combine into a longer one.
    pub combine: ast::Combine,
    /// Where `reported` and `reporting only` are set, for secondary labels.
    pub reported_span: Option<Span>,
    pub reporting_only_span: Option<Span>,
}

fn setting_word(setting: &S) -> &'static str {
    match setting {
        S::Definition(_) => "definition",
        S::Numerator(_) => "numerator",
        S::Denominator(_) => "denominator",
        S::Source(_) => "source",
        S::Description(_) => "description",
        S::Unit(_) => "unit",
        S::Better(_) => "better",
        S::Reported(_) => "reported",
        S::FollowUp(_) => "follow up",
        S::DataLag(_) => "data lag",
        S::Baseline { .. } => "baseline",
        S::Target(_) => "target",
        S::MinimumDenominator(_) => "minimum denominator",
        S::ReportingOnly => "reporting only",
        S::MeasuredIn(_) => "measured in cohort",
        S::ExclusionsOffDenominator => "exclusions",
        S::CombinePeriods(_) => "combine periods",
    }
}

pub(super) fn check(ctx: &mut Ctx) {
    let indicators = ctx.blocks_of(|b| match b {
        Block::Indicator(i) => Some(i),
        _ => None,
    });
    for (file, indicator) in indicators {
        let info = check_one(ctx, file, indicator);
        ctx.indicators
            .entry(indicator.name.node.as_str())
            .or_insert(info);
    }
}

fn check_one(ctx: &mut Ctx, file: FileId, indicator: &ast::Indicator) -> IndicatorInfo {
    let settings = &indicator.settings;
    report_duplicates(
        settings,
        file,
        |_| false,
        |_| 0,
        setting_word,
        &mut ctx.diagnostics,
    );
    let name = indicator.name.node.as_str();
    let mut info = IndicatorInfo {
        title: indicator.title.as_ref().map(|t| t.node.clone()),
        minimum_denominator: None,
        file,
        name_span: indicator.name.span,
        unit: None,
        polarity: None,
        reported: None,
        data_lag: None,
        baseline: None,
        target: None,
        targets: None,
        years_without_target: Vec::new(),
        reporting_only: false,
        exclusions: false,
        combine: ast::Combine::Pooling,
        reported_span: None,
        reporting_only_span: None,
    };
    let mut unit_unusable = false;
    for setting in settings {
        match &setting.node {
            S::Unit(unit) if info.unit.is_none() && !unit_unusable => {
                if let Unit::Score { min, max } = unit {
                    if min >= max {
                        ctx.report(
                            Diagnostic::new(
                                Code::FloorAboveCeiling,
                                file,
                                setting.span,
                                format!(
                                    "the score runs from {} to {}, so it has no range",
                                    units::format_number(*min),
                                    units::format_number(*max)
                                ),
                                "lowest score not below highest",
                            )
                            .with_help("write the lowest score first, such as `score 0 to 10`"),
                        );
                        // Values cannot be checked against a scale that is the wrong way round.
                        unit_unusable = true;
                        continue;
                    }
                }
                info.unit = Some(*unit);
            }
            S::Better(p) if info.polarity.is_none() => info.polarity = Some(*p),
            S::Reported(f) if info.reported.is_none() => {
                info.reported = Some(*f);
                info.reported_span = Some(setting.span);
            }
            S::DataLag(d) if info.data_lag.is_none() => info.data_lag = Some(d.node),
            S::MinimumDenominator(n) if info.minimum_denominator.is_none() => {
                info.minimum_denominator = Some(n.node)
            }
            S::ReportingOnly => {
                info.reporting_only = true;
                info.reporting_only_span = Some(setting.span);
            }
            S::ExclusionsOffDenominator => info.exclusions = true,
            S::CombinePeriods(combine) => info.combine = *combine,
            S::MeasuredIn(cohort) => {
                ctx.symbols
                    .resolve(cohort, &[Kind::Cohort], file, &mut ctx.diagnostics);
            }
            _ => {}
        }
    }
    let Some(unit) = info.unit else {
        if unit_unusable {
            return info;
        }
        ctx.report(missing(
            file,
            indicator.name.span,
            format!("indicator `{name}` has no `unit`"),
            "add a line such as `unit percent`, `unit count` or `unit rate per 1,000`",
        ));
        return info;
    };
    for setting in settings {
        if let S::CombinePeriods(combine) = setting.node {
            combinable(ctx, file, name, unit, combine, setting.span);
        }
    }
    let mut baseline_span = None;
    for setting in settings {
        match &setting.node {
            S::Baseline { value, period } => {
                ctx.period(*period, file, false);
                if info.baseline.is_none() {
                    info.baseline = ctx.value_of(*value, name, unit, "the baseline", file);
                    baseline_span = Some(value.span);
                }
            }
            S::Target(steps) => {
                // Each year's target, for thresholds placed by it (`target met`, `95% of
                // target`). A year with no target is reported where a threshold needs it.
                let values: Vec<(Option<ast::YearPhase>, Option<Decimal>)> = steps
                    .iter()
                    .map(|step| {
                        let value =
                            units::value_in_unit(step.value.node, unit, ctx.currency()).ok();
                        (step.phase.map(|p| p.node), value)
                    })
                    .collect();
                let by_year: Vec<Option<Decimal>> = ctx
                    .calendar()
                    .map(|calendar| {
                        (1..=calendar.contract_years())
                            .map(|year| super::step_for_year(&values, year).copied().flatten())
                            .collect()
                    })
                    .unwrap_or_default();
                info.years_without_target = (1..)
                    .zip(&by_year)
                    .filter(|(_, target)| target.is_none())
                    .map(|(year, _)| year)
                    .collect();
                info.targets = ctx
                    .calendar()
                    .and_then(|_| by_year.iter().copied().collect());
                for step in steps {
                    if let Some(phase) = step.phase {
                        ctx.year_phase(phase, file);
                    }
                    let Some(target) = ctx.value_of(step.value, name, unit, "the target", file)
                    else {
                        continue;
                    };
                    info.target.get_or_insert(target);
                    target_against_baseline(
                        ctx,
                        &info,
                        target,
                        step.value.span,
                        baseline_span,
                        name,
                        unit,
                    );
                }
            }
            _ => {}
        }
    }
    info
}

/// Reports a way of combining periods that does not suit the unit: percentages, rates and
/// scores are not added up.
pub(super) fn combinable(
    ctx: &mut Ctx,
    file: FileId,
    name: &str,
    unit: Unit,
    combine: ast::Combine,
    span: Span,
) {
    if combine == ast::Combine::Sum
        && matches!(unit, Unit::Percent | Unit::RatePer(_) | Unit::Score { .. })
    {
        ctx.report(
            Diagnostic::new(
                Code::UnitMismatch,
                file,
                span,
                format!(
                    "`{name}` is measured in {}, which cannot be added up over periods",
                    units::unit_words(unit)
                ),
                "cannot be added up",
            )
            .with_help("pool its numerators and denominators (`combine periods by pooling`), or take the `mean`, the `latest`, the `best` or the `worst` of the periods"),
        );
    }
}

fn target_against_baseline(
    ctx: &mut Ctx,
    info: &IndicatorInfo,
    target: Decimal,
    target_span: Span,
    baseline_span: Option<Span>,
    name: &str,
    unit: Unit,
) {
    let (Some(baseline), Some(polarity)) = (info.baseline, info.polarity) else {
        return;
    };
    let worse = match polarity {
        Polarity::Higher => target < baseline,
        Polarity::Lower => target > baseline,
    };
    if !worse {
        return;
    }
    let currency = ctx.currency();
    let direction = match polarity {
        Polarity::Higher => "higher",
        Polarity::Lower => "lower",
    };
    let mut d = Diagnostic::new(
        Code::TargetWorseThanBaseline,
        info.file,
        target_span,
        format!(
            "the target {} is worse than the baseline {} for `{name}`, where {direction} is better",
            units::format_value(target, unit, currency),
            units::format_value(baseline, unit, currency)
        ),
        "worse than the baseline",
    )
    .with_help("a target that is worse than today pays for decline: check the target, the baseline and `better`");
    if let Some(span) = baseline_span {
        d = d.with_label(span, "baseline");
    }
    ctx.report(d);
}
