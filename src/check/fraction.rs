//! Exact fractions, for shares such as `1/7` or `1/3` that decimals cannot hold, so that shares
//! of a whole (weights, payers' shares) can be checked to add up to exactly 100%.

use rust_decimal::Decimal;

use crate::check::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::syntax::ast::{Spanned, Weight};

/// An exact fraction, for weights such as `1/7` that decimals cannot hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fraction {
    pub numerator: i128,
    pub denominator: i128,
}

impl Fraction {
    pub fn new(numerator: i128, denominator: i128) -> Option<Fraction> {
        if denominator == 0 {
            return None;
        }
        let divisor = gcd(numerator.unsigned_abs(), denominator.unsigned_abs()).max(1) as i128;
        let sign = if denominator < 0 { -1 } else { 1 };
        Some(Fraction {
            numerator: sign * numerator / divisor,
            denominator: sign * denominator / divisor,
        })
    }

    pub fn from_percent(percent: Decimal) -> Option<Fraction> {
        let scale = 10i128.checked_pow(percent.scale())?;
        Fraction::new(percent.mantissa(), scale.checked_mul(100)?)
    }

    pub fn add(self, other: Fraction) -> Option<Fraction> {
        Fraction::new(
            self.numerator
                .checked_mul(other.denominator)?
                .checked_add(other.numerator.checked_mul(self.denominator)?)?,
            self.denominator.checked_mul(other.denominator)?,
        )
    }

    pub fn sub(self, other: Fraction) -> Option<Fraction> {
        self.add(Fraction::new(-other.numerator, other.denominator)?)
    }

    pub fn divide_by(self, count: i128) -> Option<Fraction> {
        Fraction::new(self.numerator, self.denominator.checked_mul(count)?)
    }

    pub fn one() -> Fraction {
        Fraction {
            numerator: 1,
            denominator: 1,
        }
    }

    /// The fraction in percent, to as many digits as a decimal holds.
    pub fn percent(self) -> Decimal {
        let numerator = Decimal::from_i128_with_scale(self.numerator, 0);
        let denominator = Decimal::from_i128_with_scale(self.denominator, 0);
        numerator
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|n| n.checked_div(denominator))
            .unwrap_or_default()
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A share of a whole as written (`25%`, `1/7`), exactly; `Some(0)` for `equal`, whose share
/// depends on the others. Shares outside 0% to 100% are reported.
pub(crate) fn exact_share(
    ctx: &mut Ctx,
    file: FileId,
    weight: Spanned<Weight>,
    what: &str,
) -> Option<Fraction> {
    match weight.node {
        Weight::Percent(percent) => ctx
            .share(Spanned::new(percent, weight.span), what, file)
            .and_then(Fraction::from_percent),
        Weight::Fraction {
            numerator,
            denominator,
        } => {
            let fraction = Fraction::new(numerator.into(), denominator.into())
                .filter(|f| f.numerator <= f.denominator);
            if fraction.is_none() {
                ctx.report(
                    Diagnostic::new(
                        Code::PercentOutOfRange,
                        file,
                        weight.span,
                        format!("{what} `{numerator}/{denominator}` is not a share from 0% to 100%"),
                        "not a share of the whole",
                    )
                    .with_help("write a fraction no larger than 1, such as `1/7`, whose bottom number is not 0"),
                );
            }
            fraction
        }
        Weight::Equal => Some(Fraction::new(0, 1).unwrap_or_else(Fraction::one)),
    }
}
