//! Test blocks: the values given and the results expected.

use rust_decimal::Decimal;

use super::{DateLit, Measure, Money, Name, PeriodLit, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub title: Spanned<String>,
    pub settings: Vec<Spanned<TestSetting>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestSetting {
    Given {
        name: Name,
        value: Spanned<GivenValue>,
        /// `against 63%`: the comparison group's value.
        against: Option<Spanned<Measure>>,
        period: Spanned<PeriodLit>,
    },
    ParticipantStarted {
        participant: Spanned<String>,
        on: Spanned<DateLit>,
    },
    ParticipantAchieved {
        participant: Spanned<String>,
        outcome: Name,
        on: Spanned<DateLit>,
    },
    /// `expect NAME pays AMOUNT in PERIOD`; the name `total` means every payment together,
    /// and an amount of `None` means `pays nothing`.
    ExpectPays {
        name: Name,
        /// `deducts`: the amount is what is taken off (the schedule's amount, negated).
        deducts: bool,
        /// Signed: `pays -£750` is -750.
        amount: Spanned<Option<Money>>,
        /// `for <payment>`: what the payer `name` pays for one payment.
        payment: Option<Name>,
        period: Spanned<PeriodLit>,
    },
    ExpectGateway {
        gateway: Name,
        passes: bool,
        period: Spanned<PeriodLit>,
    },
    /// `expect finding E0812`: the test's data, under the contract's rules, reports this code.
    ExpectFinding(Spanned<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GivenValue {
    Measure(Measure),
    Fraction {
        numerator: Decimal,
        denominator: Decimal,
        /// `excluding 180`: cases taken off the denominator.
        excluded: Option<Decimal>,
    },
    YesNo(bool),
}
