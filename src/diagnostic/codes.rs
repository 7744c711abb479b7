//! The registry of diagnostic codes: each has a stable code, a kebab-case name and a severity.
//! The documentation of every code lives in `docs/diagnostics.md`; `obc explain` prints it.

use serde::Serialize;

/// How serious a finding is. Errors make `obc check` fail; warnings do not unless denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $severity:ident, $summary:literal;)*) => {
        /// Every finding obc can report.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            /// All codes, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, such as `E0101`.
            pub fn code(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// The stable kebab-case name, such as `undefined-name`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            /// The severity a finding with this code has unless warnings are denied.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// A one-line summary, used as the SARIF rule description.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }
        }
    };
}

codes! {
    SyntaxError = "E0001", "syntax-error", Error, "a line could not be read";
    InvalidLiteral = "E0002", "invalid-literal", Error, "a number, money amount or escape cannot be represented";
    NestingTooDeep = "E0003", "nesting-too-deep", Error, "braces are nested too deeply to be a contract";
    FileTooLarge = "E0004", "file-too-large", Error, "the file is larger than obc reads";
    ImportNotFound = "E0005", "import-not-found", Error, "an imported file cannot be read";
    ImportCycle = "E0006", "import-cycle", Error, "files import each other in a circle";
    TooComplexToRead = "E0007", "too-complex-to-read", Error, "the file takes more work to read than any contract needs";
    ImportRefused = "E0008", "import-refused", Error, "an import names a file outside the project, or one that is not an obc file";
    TextDirectionControl = "W0009", "text-direction-control", Warning, "the text holds an invisible character that changes the order text is shown in";

    UndefinedName = "E0101", "undefined-name", Error, "a name is used but never defined";
    DuplicateName = "E0102", "duplicate-name", Error, "two blocks have the same name";
    WrongKindOfName = "E0103", "wrong-kind-of-name", Error, "a name refers to the wrong kind of block";
    DuplicateSetting = "E0104", "duplicate-setting", Error, "a setting that may appear once appears twice";
    MissingSetting = "E0105", "missing-setting", Error, "a block lacks a setting it needs";
    MissingContract = "E0106", "missing-contract", Error, "payments are defined but there is no contract block";
    DuplicateContract = "E0107", "duplicate-contract", Error, "more than one contract block";
    ConflictingMechanisms = "E0108", "conflicting-mechanisms", Error, "a payment has more than one way of working out the amount";
    MisplacedSetting = "E0109", "misplaced-setting", Error, "a setting does not apply to this kind of payment";
    ConflictingSettings = "E0110", "conflicting-settings", Error, "two settings of a block contradict each other";
    CircularCalculation = "E0111", "circular-calculation", Error, "derived values are worked out from each other in a circle";

    PercentOutOfRange = "E0201", "percent-out-of-range", Error, "a percentage is below 0% or above 100%";
    WrongCurrency = "E0202", "wrong-currency", Error, "an amount is in a currency other than the contract's";
    UnitMismatch = "E0203", "unit-mismatch", Error, "a value is written in a unit different from its indicator's";
    ValueOutOfRange = "E0204", "value-out-of-range", Error, "a value is outside the range its unit allows";
    InvalidDate = "E0205", "invalid-date", Error, "a date does not exist";
    InvalidPeriod = "E0206", "invalid-period", Error, "a period does not exist";
    WrongSign = "E0207", "wrong-sign", Error, "an expected amount has the wrong sign for what it is";

    TierGap = "E0301", "tier-gap", Error, "some values fall into no payment band";
    TierOverlap = "E0302", "tier-overlap", Error, "two payment bands cover the same values";
    TiersOutOfOrder = "W0303", "tiers-out-of-order", Warning, "payment bands are not listed in order";
    ReversedBand = "E0304", "reversed-band", Error, "a band's lower threshold is above its upper threshold";
    UnboundedLinearBand = "E0305", "unbounded-linear-band", Error, "a band without an end cannot pay on a sliding scale";

    PaymentFallsAsPerformanceImproves = "E0401", "payment-falls-as-performance-improves", Error, "better performance can earn less";
    TargetWorseThanBaseline = "W0402", "target-worse-than-baseline", Warning, "a target is worse than the baseline";
    FloorAboveCeiling = "E0403", "floor-above-ceiling", Error, "a scale or limit is the wrong way round";

    WeightsDoNotSum = "E0501", "weights-do-not-sum", Error, "payment weights do not add up to 100%";
    PayoutExceedsPot = "E0502", "payout-exceeds-pot", Error, "more can be paid than the money at risk";
    UnreachableMoney = "W0503", "unreachable-money", Warning, "part of the money at risk can never be earned";
    AtRiskExceedsValue = "E0504", "at-risk-exceeds-value", Error, "more money is at risk than the contract is worth";
    UncappedRateCard = "W0505", "uncapped-rate-card", Warning, "a rate card has no yearly or overall cap";
    RateCardOverBudget = "W0506", "rate-card-over-budget", Warning, "a rate card can earn more in a year than its yearly budget pays";

    TermEndsBeforeStart = "E0601", "term-ends-before-start", Error, "the contract term ends before it starts";
    AssessedMoreOftenThanReported = "E0602", "assessed-more-often-than-reported", Error, "a payment is assessed more often than its data arrives";
    PaymentDueAfterTerm = "W0603", "payment-due-after-term", Warning, "a payment falls due after the contract term ends";
    PeriodOutsideTerm = "E0604", "period-outside-term", Error, "a period or contract year lies outside the term";
    TermTooLong = "E0605", "term-too-long", Error, "the contract term is longer than 100 years";

    UnusedIndicator = "W0701", "unused-indicator", Warning, "an indicator is never used and not marked reporting only";
    EmptyOutcome = "W0702", "empty-outcome", Warning, "an outcome has no indicators";
    ReportingOnlyIndicatorPaid = "E0703", "reporting-only-indicator-paid", Error, "a reporting-only indicator drives a payment";
    UnusedValue = "W0704", "unused-value", Warning, "an input or derived value is used by nothing";

    UnreadableData = "E0801", "unreadable-data", Error, "a data file cannot be read as a table";
    MissingColumn = "E0802", "missing-column", Error, "a data file lacks a column it needs";
    UnknownColumn = "E0803", "unknown-column", Error, "a data file has a column the contract does not declare";
    UnknownNameInData = "E0804", "unknown-name-in-data", Error, "a row names an indicator or outcome the contract does not define";
    InvalidPeriodInData = "E0805", "invalid-period-in-data", Error, "a row's period cannot be read or does not exist";
    DataOutsideTerm = "E0806", "data-outside-term", Error, "a row's period or date lies outside the contract term";
    DuplicateRow = "E0807", "duplicate-row", Error, "two rows give the same thing for the same period";
    NotANumber = "E0808", "not-a-number", Error, "a cell that must hold a number does not";
    DataValueOutOfRange = "E0809", "data-value-out-of-range", Error, "a value is outside the range its unit allows";
    ZeroDenominator = "E0810", "zero-denominator", Error, "a row has a denominator of zero";
    InvalidDateInData = "E0811", "invalid-date-in-data", Error, "a date cannot be read or does not exist";
    MissingData = "E0812", "missing-data", Error, "a period that is due has no data";
    InconsistentRow = "E0813", "inconsistent-row", Error, "a row's cells contradict each other or the rows before";
    AmountTooLarge = "E0815", "amount-too-large", Error, "a payment works out larger than obc calculates with";
    CalculationFailed = "E0816", "calculation-failed", Error, "a derived value cannot be worked out from its data";
    DerivedValueOutOfRange = "E0817", "derived-value-out-of-range", Error, "a derived value works out outside its stated range";
    RowsNotCombinable = "E0818", "rows-not-combinable", Error, "rows of shorter periods cannot be combined into a longer period's value";
    FractionForPercentage = "W0819", "fraction-for-percentage", Warning, "a percentage looks like it was given as a fraction";
    UnusedDataRow = "W0814", "unused-data-row", Warning, "a row is used by no payment, gateway or deduction";
    ExtraCells = "E0820", "extra-cells", Error, "a data row has more cells than the header names";
    DuplicateColumn = "E0821", "duplicate-column", Error, "a data file names the same column twice";
}

impl Code {
    /// Looks a code up by its code (`E0101`, case-insensitive) or its name (`undefined-name`).
    pub fn lookup(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(text) || c.name() == text)
    }
}
