//! The contract calendar: dates, the term, contract years, fiscal years and quarters, the
//! periods a payment is assessed on, and due dates. No crate knows UK fiscal years, so the
//! few rules are here; date arithmetic itself is jiff's (adding months clamps to month end).

use jiff::civil::Date;
use jiff::ToSpan;

use crate::syntax::ast::{DateLit, Duration, Frequency, PeriodLit, TimeUnit};

pub use crate::syntax::literal::MONTH_NAMES;

/// A real date from a written one, or `None` when no such day exists.
pub fn date(lit: DateLit) -> Option<Date> {
    Date::new(lit.year, lit.month, lit.day).ok()
}

/// `date` plus a duration; `None` past the year 9999.
pub fn add(date: Date, duration: Duration) -> Option<Date> {
    let n = i64::from(duration.count);
    let span = match duration.unit {
        TimeUnit::Day => n.days(),
        TimeUnit::Week => (n * 7).days(),
        TimeUnit::Month => n.months(),
        TimeUnit::Year => n.years(),
    };
    date.checked_add(span).ok()
}

/// `date` plus a duration, where a month end plus whole months or years stays a month end
/// when `keep_month_ends` is set (30 November + 3 months = 28 or 29 February either way;
/// 28 February + 1 month = 31 March with the rule, 28 March without).
pub fn add_months_rule(date: Date, duration: Duration, keep_month_ends: bool) -> Option<Date> {
    let added = add(date, duration)?;
    let whole_months = matches!(duration.unit, TimeUnit::Month | TimeUnit::Year);
    if keep_month_ends && whole_months && date == date.last_of_month() {
        Some(added.last_of_month())
    } else {
        Some(added)
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// An inclusive run of days with the name users write for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// Days in the period, counting both ends.
    pub fn days(&self) -> i64 {
        days_between(self.start, self.end) + 1
    }
}

/// Why a written period is not a real one.
#[derive(Debug, PartialEq, Eq)]
pub enum PeriodProblem {
    /// The period cannot exist, whatever the term: says why.
    Invalid(String),
    /// A contract year beyond the term's last year.
    BeyondTerm { year: u32, years: u32 },
}

/// The term of a contract and its fiscal year start: everything needed to name periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub start: Date,
    /// The last day of the term, inclusive.
    pub end: Date,
    /// 1 for January ... 4 for April.
    pub fiscal_start: i8,
}

fn month_start(year: i16, month: i8) -> Option<Date> {
    Date::new(year, month, 1).ok()
}

/// The first day of the `months`-long period, anchored on month `anchor`, that contains `date`.
fn period_start(date: Date, months: i8, anchor: i8) -> Date {
    let back = (date.month() - anchor).rem_euclid(months);
    date.first_of_month()
        .checked_sub(i64::from(back).months())
        .unwrap_or(date)
}

impl Calendar {
    /// The number of contract years, counting a final part year as a year.
    pub fn contract_years(&self) -> u32 {
        let mut years = 0;
        while let Some((start, _)) = self.contract_year(years + 1) {
            if start > self.end {
                break;
            }
            years += 1;
        }
        years
    }

    /// First and last day of contract year `year` (1-based), not clipped to the term.
    pub fn contract_year(&self, year: u32) -> Option<(Date, Date)> {
        let year = i64::from(year.checked_sub(1)?);
        let start = self.start.checked_add(year.years()).ok()?;
        let end = self
            .start
            .checked_add((year + 1).years())
            .ok()?
            .yesterday()
            .ok()?;
        Some((start, end))
    }

    /// The contract year a day falls in (1-based).
    pub fn contract_year_of(&self, day: Date) -> u32 {
        let mut year = 1;
        while let Some((_, end)) = self.contract_year(year) {
            if day <= end || year > 1000 {
                break;
            }
            year += 1;
        }
        year
    }

    /// `2016/17` for the fiscal year that starts in 2016.
    pub fn fiscal_year_label(start_year: i16) -> String {
        format!("{}/{:02}", start_year, (start_year + 1).rem_euclid(100))
    }

    fn fiscal_year_of(&self, day: Date) -> i16 {
        if day.month() >= self.fiscal_start {
            day.year()
        } else {
            day.year() - 1
        }
    }

    /// The fiscal quarter a day falls in, such as `2016/17 Q1`.
    pub fn quarter_label(&self, day: Date) -> String {
        self.label(
            period_start(day, 3, self.fiscal_start),
            Frequency::Quarterly,
        )
    }

    fn label(&self, start: Date, frequency: Frequency) -> String {
        match frequency {
            Frequency::Monthly => format!("{:04}-{:02}", start.year(), start.month()),
            Frequency::Quarterly => {
                let quarter = (start.month() - self.fiscal_start).rem_euclid(12) / 3 + 1;
                format!(
                    "{} Q{quarter}",
                    Self::fiscal_year_label(self.fiscal_year_of(start))
                )
            }
            Frequency::Annually => Self::fiscal_year_label(self.fiscal_year_of(start)),
            Frequency::AnnuallyByContractYear => format!("year {}", self.contract_year_of(start)),
        }
    }

    /// The periods of a frequency that overlap the term, clipped to it, in order, each with the
    /// number of days it has when not clipped (to pro-rate part periods at either end).
    pub fn periods_with_length(&self, frequency: Frequency) -> Vec<(Period, i64)> {
        self.periods(frequency)
            .into_iter()
            .map(|period| {
                let whole = match frequency {
                    Frequency::AnnuallyByContractYear => self
                        .contract_year(self.contract_year_of(period.start))
                        .map(|(s, e)| days_between(s, e) + 1),
                    _ => {
                        let months = frequency_months(frequency) as i8;
                        let start = period_start(period.start, months, self.fiscal_start);
                        start
                            .checked_add(i64::from(months).months())
                            .ok()
                            .map(|next| days_between(start, next))
                    }
                };
                let days = period.days();
                (period, whole.unwrap_or(days))
            })
            .collect()
    }

    /// The periods of a frequency that overlap the term, clipped to it, in order.
    pub fn periods(&self, frequency: Frequency) -> Vec<Period> {
        let mut periods = Vec::new();
        if let Frequency::AnnuallyByContractYear = frequency {
            for year in 1..=self.contract_years() {
                if let Some((start, end)) = self.contract_year(year) {
                    periods.push(Period {
                        label: format!("year {year}"),
                        start,
                        end: end.min(self.end),
                    });
                }
            }
            return periods;
        }
        let months: i8 = match frequency {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            _ => 12,
        };
        let mut start = period_start(self.start, months, self.fiscal_start);
        while start <= self.end && periods.len() < 100_000 {
            let Ok(next) = start.checked_add(i64::from(months).months()) else {
                break;
            };
            let Ok(end) = next.yesterday() else { break };
            periods.push(Period {
                label: self.label(start, frequency),
                start: start.max(self.start),
                end: end.min(self.end),
            });
            start = next;
        }
        periods
    }

    /// The days a written period covers.
    pub fn resolve(&self, period: PeriodLit) -> Result<Period, PeriodProblem> {
        let invalid = |why: &str| PeriodProblem::Invalid(why.to_string());
        match period {
            PeriodLit::Month { year, month } => {
                if !(1..=12).contains(&month) {
                    return Err(invalid("months are numbered 01 to 12"));
                }
                let start = month_start(year, month as i8)
                    .ok_or_else(|| invalid("the year is out of range"))?;
                Ok(Period {
                    label: self.label(start, Frequency::Monthly),
                    start,
                    end: start.last_of_month(),
                })
            }
            PeriodLit::CalendarQuarter { year, quarter } => {
                if !(1..=4).contains(&quarter) {
                    return Err(invalid("quarters are numbered Q1 to Q4"));
                }
                let start = month_start(year, (quarter as i8 - 1) * 3 + 1)
                    .ok_or_else(|| invalid("the year is out of range"))?;
                let end = start
                    .checked_add(2.months())
                    .map(|d| d.last_of_month())
                    .map_err(|_| invalid("out of range"))?;
                Ok(Period {
                    label: format!("{year}-Q{quarter}"),
                    start,
                    end,
                })
            }
            PeriodLit::FiscalYear { start, end } | PeriodLit::FiscalQuarter { start, end, .. } => {
                if i16::from(end) != (start + 1).rem_euclid(100) {
                    return Err(PeriodProblem::Invalid(format!(
                        "a fiscal year runs into the next calendar year, so the one starting in {start} is written `{}`",
                        Self::fiscal_year_label(start)
                    )));
                }
                let year_start = month_start(start, self.fiscal_start)
                    .ok_or_else(|| invalid("the year is out of range"))?;
                let (offset, months, label) = match period {
                    PeriodLit::FiscalQuarter { quarter, .. } => {
                        if !(1..=4).contains(&quarter) {
                            return Err(invalid("quarters are numbered Q1 to Q4"));
                        }
                        (
                            i64::from(quarter - 1) * 3,
                            3,
                            format!("{} Q{quarter}", Self::fiscal_year_label(start)),
                        )
                    }
                    _ => (0, 12, Self::fiscal_year_label(start)),
                };
                let first = year_start
                    .checked_add(offset.months())
                    .map_err(|_| invalid("out of range"))?;
                let last = first
                    .checked_add(months.months())
                    .and_then(|d| d.yesterday())
                    .map_err(|_| invalid("out of range"))?;
                Ok(Period {
                    label,
                    start: first,
                    end: last,
                })
            }
            PeriodLit::ContractYear(year) => {
                let years = self.contract_years();
                if year == 0 {
                    return Err(invalid("contract years are counted from `year 1`"));
                }
                if year > years {
                    return Err(PeriodProblem::BeyondTerm { year, years });
                }
                let (start, end) = self
                    .contract_year(year)
                    .ok_or_else(|| invalid("out of range"))?;
                Ok(Period {
                    label: format!("year {year}"),
                    start,
                    end: end.min(self.end),
                })
            }
            PeriodLit::Range(from, to) => {
                let start = date(from).ok_or_else(|| invalid("the first date does not exist"))?;
                let end = date(to).ok_or_else(|| invalid("the last date does not exist"))?;
                if end < start {
                    return Err(invalid("the range ends before it starts"));
                }
                Ok(Period {
                    label: format!("{start} to {end}"),
                    start,
                    end,
                })
            }
        }
    }
}

/// How many months a frequency's period spans; contract years count as 12.
pub fn frequency_months(frequency: Frequency) -> u32 {
    match frequency {
        Frequency::Monthly => 1,
        Frequency::Quarterly => 3,
        Frequency::Annually | Frequency::AnnuallyByContractYear => 12,
    }
}

pub fn frequency_words(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Monthly => "monthly",
        Frequency::Quarterly => "quarterly",
        Frequency::Annually => "annually",
        Frequency::AnnuallyByContractYear => "annually by contract year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    fn richmond() -> Calendar {
        Calendar {
            start: d(2016, 4, 1),
            end: d(2021, 3, 31),
            fiscal_start: 4,
        }
    }

    #[test]
    fn fiscal_quarters_follow_the_fiscal_year_start() {
        let q1 = richmond().resolve(PeriodLit::FiscalQuarter {
            start: 2016,
            end: 17,
            quarter: 1,
        });
        assert_eq!(
            q1,
            Ok(Period {
                label: "2016/17 Q1".into(),
                start: d(2016, 4, 1),
                end: d(2016, 6, 30)
            })
        );
        let q4 = richmond().resolve(PeriodLit::FiscalQuarter {
            start: 2016,
            end: 17,
            quarter: 4,
        });
        assert_eq!(
            q4.map(|p| (p.start, p.end)),
            Ok((d(2017, 1, 1), d(2017, 3, 31)))
        );
    }

    #[test]
    fn a_fiscal_year_must_name_the_next_year() {
        let wrong = richmond().resolve(PeriodLit::FiscalYear {
            start: 2016,
            end: 18,
        });
        assert!(matches!(wrong, Err(PeriodProblem::Invalid(_))));
        let century = richmond().resolve(PeriodLit::FiscalYear {
            start: 1999,
            end: 0,
        });
        assert_eq!(century.map(|p| p.end), Ok(d(2000, 3, 31)));
    }

    #[test]
    fn the_term_has_five_contract_years_and_twenty_quarters() {
        let calendar = richmond();
        assert_eq!(calendar.contract_years(), 5);
        let quarters = calendar.periods(Frequency::Quarterly);
        assert_eq!(quarters.len(), 20);
        assert_eq!(quarters[19].label, "2020/21 Q4");
        assert_eq!(
            calendar.resolve(PeriodLit::ContractYear(6)),
            Err(PeriodProblem::BeyondTerm { year: 6, years: 5 })
        );
    }

    #[test]
    fn a_term_starting_mid_quarter_clips_its_first_period() {
        let calendar = Calendar {
            start: d(2016, 5, 15),
            end: d(2017, 5, 14),
            fiscal_start: 4,
        };
        let quarters = calendar.periods(Frequency::Quarterly);
        assert_eq!(quarters[0].start, d(2016, 5, 15));
        assert_eq!(quarters[0].label, "2016/17 Q1");
        assert_eq!(quarters.last().map(|p| p.end), Some(d(2017, 5, 14)));
    }

    #[test]
    fn month_ends_can_stay_month_ends() {
        let one_month = Duration {
            count: 1,
            unit: TimeUnit::Month,
        };
        assert_eq!(
            add_months_rule(d(2017, 2, 28), one_month, true),
            Some(d(2017, 3, 31))
        );
        assert_eq!(
            add_months_rule(d(2017, 2, 28), one_month, false),
            Some(d(2017, 3, 28))
        );
        assert_eq!(
            add_months_rule(d(2017, 2, 27), one_month, true),
            Some(d(2017, 3, 27))
        );
    }

    #[test]
    fn adding_a_month_clamps_to_the_month_end() {
        let one_month = Duration {
            count: 1,
            unit: TimeUnit::Month,
        };
        assert_eq!(add(d(2016, 1, 31), one_month), Some(d(2016, 2, 29)));
        assert_eq!(add(d(2017, 1, 31), one_month), Some(d(2017, 2, 28)));
    }
}
