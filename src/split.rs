//! Splitting an amount into parts that are each a whole number of money units (pennies, or
//! pounds) and still add up exactly to the whole: a pot into weighted payments, a year into
//! instalments or periods, a line between payers.
//!
//! The method is the largest remainder (Hamilton's) method: every part first gets its exact
//! share rounded towards zero to the unit; the units left over go one at a time to the parts
//! whose exact shares lost the most in that rounding, the earlier part first where two lost the
//! same. A total that is not itself a whole number of units keeps its odd fraction on the part
//! with the largest remainder, so the parts always add up to the total to the last digit.

use rust_decimal::Decimal;

/// Splits `total` into parts in proportion to `weights`, each a whole number of `unit`s (such as
/// 0.01 for pennies), adding up exactly to `total`. Weights must not be negative; when they are
/// all zero every part is zero and the last part carries the total.
pub fn split(total: Decimal, weights: &[Decimal], unit: Decimal) -> Vec<Decimal> {
    let mut parts = vec![Decimal::ZERO; weights.len()];
    let Some(last) = parts.len().checked_sub(1) else {
        return parts;
    };
    let sum: Decimal = weights.iter().copied().filter(|w| *w > Decimal::ZERO).sum();
    if sum.is_zero() || unit <= Decimal::ZERO {
        parts[last] = total;
        return parts;
    }
    // Work on the size of the total and give the parts its sign at the end, so a negative
    // amount (a deduction) splits exactly as its positive would.
    let negative = total.is_sign_negative();
    let size = total.abs();
    let mut remainders: Vec<(Decimal, usize)> = Vec::with_capacity(weights.len());
    let mut allotted = Decimal::ZERO;
    for (index, weight) in weights.iter().enumerate() {
        let weight = (*weight).max(Decimal::ZERO);
        let exact = size
            .checked_mul(weight)
            .and_then(|product| product.checked_div(sum))
            .unwrap_or_else(|| size / sum * weight);
        let units = (exact / unit).trunc();
        let floor = units * unit;
        parts[index] = floor;
        allotted += floor;
        remainders.push((exact - floor, index));
    }
    // Largest remainder first; an earlier part first among equals.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Each part lost less than one unit, so one pass gives out every whole unit left.
    let mut left = size - allotted;
    for (_, index) in &remainders {
        if left < unit {
            break;
        }
        parts[*index] += unit;
        left -= unit;
    }
    if !left.is_zero() {
        let index = remainders.first().map(|(_, i)| *i).unwrap_or(last);
        parts[index] += left;
    }
    if negative {
        for part in &mut parts {
            *part = -*part;
        }
    }
    parts
}

/// Splits `total` into `count` equal parts of whole units that add up to it exactly: the
/// first parts take the odd units.
pub fn split_equally(total: Decimal, count: usize, unit: Decimal) -> Vec<Decimal> {
    split(total, &vec![Decimal::ONE; count], unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn twelve_instalments_add_up_to_the_year() {
        let parts = split_equally(d("100000"), 12, d("0.01"));
        assert_eq!(parts.iter().copied().sum::<Decimal>(), d("100000"));
        assert_eq!(parts[0], d("8333.34"));
        assert_eq!(parts[3], d("8333.34"));
        assert_eq!(parts[4], d("8333.33"));
    }

    #[test]
    fn seven_equal_weights_share_the_odd_pennies_from_the_first() {
        let parts = split_equally(d("1000000"), 7, d("0.01"));
        assert_eq!(parts.iter().copied().sum::<Decimal>(), d("1000000"));
        assert_eq!(parts[0], d("142857.15"));
        assert_eq!(parts[6], d("142857.14"));
    }

    #[test]
    fn larger_remainders_get_the_units_first() {
        // 10.00 in 60/40 of thirds: exact shares 6.666.. and 3.333..; 0.67 beats 0.33.
        let parts = split(d("10"), &[d("2"), d("1")], d("0.01"));
        assert_eq!(parts, vec![d("6.67"), d("3.33")]);
        let parts = split(d("1"), &[d("1"), d("2")], d("1"));
        assert_eq!(parts, vec![d("0"), d("1")]);
    }

    #[test]
    fn negative_totals_split_as_their_positives() {
        let parts = split(d("-100"), &[d("1"), d("1"), d("1")], d("0.01"));
        assert_eq!(parts, vec![d("-33.34"), d("-33.33"), d("-33.33")]);
    }

    #[test]
    fn a_total_with_a_fraction_of_a_unit_keeps_it() {
        let parts = split(d("10.005"), &[d("1"), d("1")], d("0.01"));
        assert_eq!(parts.iter().copied().sum::<Decimal>(), d("10.005"));
    }

    #[test]
    fn zero_weights_leave_the_total_on_the_last_part() {
        assert_eq!(
            split(d("5"), &[Decimal::ZERO, Decimal::ZERO], d("0.01")),
            vec![d("0"), d("5")]
        );
        assert!(split(d("5"), &[], d("0.01")).is_empty());
    }

    fn amount() -> impl Strategy<Value = Decimal> {
        (-10_000_000_000i64..10_000_000_000i64).prop_map(|pennies| Decimal::new(pennies, 2))
    }

    proptest! {
        #[test]
        fn parts_add_up_to_the_whole(
            total in amount(),
            weights in proptest::collection::vec(0u32..1_000, 1..20),
            pounds in any::<bool>(),
        ) {
            let unit = if pounds { Decimal::ONE } else { Decimal::new(1, 2) };
            let weights: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
            let parts = split(total, &weights, unit);
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
            let sum: Decimal = weights.iter().copied().sum();
            if !sum.is_zero() {
                for (part, weight) in parts.iter().zip(&weights) {
                    let exact = total * weight / sum;
                    // Each part is within one unit of its exact share (plus the total's odd fraction).
                    prop_assert!((*part - exact).abs() < unit + unit);
                }
            }
        }

        #[test]
        fn equal_parts_differ_by_at_most_one_unit(total in amount(), count in 1usize..40) {
            let parts = split_equally(total, count, Decimal::new(1, 2));
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
            let most = parts.iter().map(|p| p.abs()).max().unwrap_or_default();
            let least = parts.iter().map(|p| p.abs()).min().unwrap_or_default();
            prop_assert!(most - least <= Decimal::new(1, 2));
        }
    }
}
