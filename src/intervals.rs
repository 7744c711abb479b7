//! Exact interval arithmetic over decimals, for deciding gaps, overlaps and monotonicity of
//! piecewise payment functions. No floating point: every comparison is between decimals.

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// One end of an interval: a value, included or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    pub value: Decimal,
    pub closed: bool,
}

impl Bound {
    pub fn closed(value: Decimal) -> Self {
        Bound {
            value,
            closed: true,
        }
    }
    pub fn open(value: Decimal) -> Self {
        Bound {
            value,
            closed: false,
        }
    }
}

/// A set of values between two ends; `None` is unbounded on that side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interval {
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
}

/// Orders lower ends: unbounded first, then by value, a closed end before an open one.
fn cmp_lo(a: Option<Bound>, b: Option<Bound>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(a), Some(b)) => a.value.cmp(&b.value).then(b.closed.cmp(&a.closed)),
    }
}

/// Orders upper ends: by value, an open end before a closed one, unbounded last.
fn cmp_hi(a: Option<Bound>, b: Option<Bound>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(a), Some(b)) => a.value.cmp(&b.value).then(a.closed.cmp(&b.closed)),
    }
}

impl Interval {
    /// The values in both; `None` when they share nothing.
    pub fn intersect(self, other: Interval) -> Option<Interval> {
        let lo = if cmp_lo(self.lo, other.lo) == Ordering::Greater {
            self.lo
        } else {
            other.lo
        };
        let hi = if cmp_hi(self.hi, other.hi) == Ordering::Less {
            self.hi
        } else {
            other.hi
        };
        let result = Interval { lo, hi };
        (!result.is_empty()).then_some(result)
    }

    pub fn is_empty(self) -> bool {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => {
                lo.value > hi.value || (lo.value == hi.value && !(lo.closed && hi.closed))
            }
            _ => false,
        }
    }

    /// A single value, such as the shared threshold of two adjacent bands.
    pub fn single_point(self) -> Option<Decimal> {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) if lo.value == hi.value => Some(lo.value),
            _ => None,
        }
    }
}

/// The parts of `domain` that no interval covers, in order.
pub fn gaps(intervals: &[Interval], domain: Interval) -> Vec<Interval> {
    let mut sorted: Vec<Interval> = intervals
        .iter()
        .filter_map(|i| i.intersect(domain))
        .collect();
    sorted.sort_by(|a, b| cmp_lo(a.lo, b.lo));
    let mut gaps = Vec::new();
    // Everything before `need` is covered; `need` is the first value that may not be.
    let mut need = domain.lo;
    let mut done = false;
    for interval in sorted {
        if cmp_lo(interval.lo, need) == Ordering::Greater {
            let gap_hi = interval.lo.map(|lo| Bound {
                value: lo.value,
                closed: !lo.closed,
            });
            gaps.push(Interval {
                lo: need,
                hi: gap_hi,
            });
        }
        match interval.hi {
            None => {
                done = true;
                break;
            }
            Some(hi) => {
                let next = Some(Bound {
                    value: hi.value,
                    closed: !hi.closed,
                });
                if cmp_lo(next, need) == Ordering::Greater {
                    need = next;
                }
            }
        }
    }
    if !done {
        let tail = Interval {
            lo: need,
            hi: domain.hi,
        };
        if !tail.is_empty() {
            gaps.push(tail);
        }
    }
    gaps
}

/// Pairs of intervals (by index) that share more than a threshold they both end on.
pub fn overlaps(intervals: &[Interval]) -> Vec<(usize, usize, Interval)> {
    let mut found = Vec::new();
    for (i, a) in intervals.iter().enumerate() {
        for (j, b) in intervals.iter().enumerate().skip(i + 1) {
            let Some(common) = a.intersect(*b) else {
                continue;
            };
            if let Some(point) = common.single_point() {
                let touches = |x: &Interval, y: &Interval| {
                    x.hi.is_some_and(|h| h.value == point) && y.lo.is_some_and(|l| l.value == point)
                };
                if touches(a, b) || touches(b, a) {
                    continue;
                }
            }
            found.push((i, j, common));
        }
    }
    found
}

/// A piece of a piecewise-linear payment function: over `interval` it pays from `pay_lo` at the
/// lower end to `pay_hi` at the upper end (both limits), linearly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub index: usize,
    pub interval: Interval,
    pub pay_lo: Decimal,
    pub pay_hi: Decimal,
}

impl Piece {
    /// The payment at `x`, which must lie in the piece's closure.
    pub fn pay_at(&self, x: Decimal) -> Decimal {
        match (self.interval.lo, self.interval.hi) {
            (Some(lo), Some(hi)) if hi.value != lo.value => {
                self.pay_lo + (self.pay_hi - self.pay_lo) * (x - lo.value) / (hi.value - lo.value)
            }
            _ => self.pay_lo,
        }
    }
}

/// Where payment falls as performance improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fall {
    /// The pieces involved: the same one twice for a fall inside a band.
    pub from_piece: usize,
    pub to_piece: usize,
    /// Performance moves from `from` to `to` (an improvement) and payment falls from
    /// `pay_from` to `pay_to`.
    pub from: Decimal,
    pub to: Decimal,
    pub pay_from: Decimal,
    pub pay_to: Decimal,
}

/// Every place where a better value pays less. `higher_is_better` gives the direction of
/// improvement; `step` is the small move used to show a fall at a threshold (such as 0.1);
/// `ties_to_upper` says which band a value exactly on a shared threshold belongs to.
pub fn falls(
    pieces: &[Piece],
    higher_is_better: bool,
    step: Decimal,
    ties_to_upper: bool,
) -> Vec<Fall> {
    let mut sorted: Vec<Piece> = pieces.to_vec();
    sorted.sort_by(|a, b| cmp_lo(a.interval.lo, b.interval.lo));
    let mut found = Vec::new();
    // Within a piece.
    for p in &sorted {
        let (Some(lo), Some(hi)) = (p.interval.lo, p.interval.hi) else {
            continue;
        };
        let falls_within = if higher_is_better {
            p.pay_hi < p.pay_lo
        } else {
            p.pay_lo < p.pay_hi
        };
        if falls_within {
            let (from, to, pay_from, pay_to) = if higher_is_better {
                (lo.value, hi.value, p.pay_lo, p.pay_hi)
            } else {
                (hi.value, lo.value, p.pay_hi, p.pay_lo)
            };
            found.push(Fall {
                from_piece: p.index,
                to_piece: p.index,
                from,
                to,
                pay_from,
                pay_to,
            });
        }
    }
    // Between neighbours, comparing the limits on either side of the threshold.
    for pair in sorted.windows(2) {
        let (left, right) = (pair[0], pair[1]);
        let Some(right_lo) = right.interval.lo else {
            continue;
        };
        let threshold = right_lo.value;
        let falls_here = if higher_is_better {
            right.pay_lo < left.pay_hi
        } else {
            left.pay_hi < right.pay_lo
        };
        if !falls_here {
            continue;
        }
        // Show the move across the threshold with two values that really fall in the two bands.
        let left_has_it = left
            .interval
            .hi
            .is_some_and(|h| h.closed && h.value == threshold);
        let right_has_it = right_lo.closed && (!left_has_it || ties_to_upper);
        let (in_left, in_right) = if right_has_it {
            (threshold - step, threshold)
        } else {
            (threshold, threshold + step)
        };
        let left_pay = left.pay_at(in_left);
        let right_pay = right.pay_at(in_right);
        let fall = if higher_is_better {
            Fall {
                from_piece: left.index,
                to_piece: right.index,
                from: in_left,
                to: in_right,
                pay_from: left_pay,
                pay_to: right_pay,
            }
        } else {
            Fall {
                from_piece: right.index,
                to_piece: left.index,
                from: in_right,
                to: in_left,
                pay_from: right_pay,
                pay_to: left_pay,
            }
        };
        found.push(fall);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }
    fn band(lo: Option<Bound>, hi: Option<Bound>) -> Interval {
        Interval { lo, hi }
    }
    fn percent_domain() -> Interval {
        band(Some(Bound::closed(d(0))), Some(Bound::closed(d(100))))
    }

    #[test]
    fn adjacent_bands_sharing_a_threshold_leave_no_gap_and_do_not_overlap() {
        let bands = [
            band(None, Some(Bound::open(d(80)))),
            band(Some(Bound::closed(d(80))), Some(Bound::closed(d(85)))),
            band(Some(Bound::closed(d(85))), None),
        ];
        assert!(gaps(&bands, percent_domain()).is_empty());
        assert!(overlaps(&bands).is_empty());
    }

    #[test]
    fn below_and_above_the_same_threshold_miss_exactly_that_value() {
        let bands = [
            band(None, Some(Bound::open(d(80)))),
            band(Some(Bound::open(d(80))), None),
        ];
        let found = gaps(&bands, percent_domain());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].single_point(), Some(d(80)));
    }

    #[test]
    fn a_missing_middle_and_top_are_both_found() {
        let bands = [
            band(None, Some(Bound::open(d(60)))),
            band(Some(Bound::closed(d(65))), Some(Bound::closed(d(90)))),
        ];
        let found = gaps(&bands, percent_domain());
        assert_eq!(
            found,
            vec![
                band(Some(Bound::closed(d(60))), Some(Bound::open(d(65)))),
                band(Some(Bound::open(d(90))), Some(Bound::closed(d(100)))),
            ]
        );
    }

    #[test]
    fn crossing_bands_overlap() {
        let bands = [
            band(Some(Bound::closed(d(80))), Some(Bound::closed(d(85)))),
            band(Some(Bound::closed(d(82))), Some(Bound::closed(d(90)))),
        ];
        let found = overlaps(&bands);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].2,
            band(Some(Bound::closed(d(82))), Some(Bound::closed(d(85))))
        );
    }

    #[test]
    fn a_drop_at_a_threshold_is_a_fall_for_higher_is_better_only() {
        let pieces = [
            Piece {
                index: 0,
                interval: band(None, Some(Bound::open(d(80)))),
                pay_lo: d(100),
                pay_hi: d(100),
            },
            Piece {
                index: 1,
                interval: band(Some(Bound::closed(d(80))), None),
                pay_lo: d(90),
                pay_hi: d(90),
            },
        ];
        let step = Decimal::new(1, 1);
        let found = falls(&pieces, true, step, true);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].from, found[0].to), (Decimal::new(799, 1), d(80)));
        assert!(falls(&pieces, false, step, true).is_empty());
    }

    #[test]
    fn a_drop_into_a_band_open_at_the_threshold_is_shown_above_it() {
        let pieces = [
            Piece {
                index: 0,
                interval: band(Some(Bound::closed(d(80))), Some(Bound::closed(d(90)))),
                pay_lo: d(100),
                pay_hi: d(100),
            },
            Piece {
                index: 1,
                interval: band(Some(Bound::open(d(90))), None),
                pay_lo: d(50),
                pay_hi: d(50),
            },
        ];
        let found = falls(&pieces, true, Decimal::new(1, 1), true);
        assert_eq!((found[0].from, found[0].to), (d(90), Decimal::new(901, 1)));
    }

    #[test]
    fn a_sliding_scale_the_wrong_way_falls_within_its_band() {
        let pieces = [Piece {
            index: 0,
            interval: band(Some(Bound::closed(d(80))), Some(Bound::closed(d(85)))),
            pay_lo: d(100),
            pay_hi: d(50),
        }];
        let found = falls(&pieces, true, Decimal::ONE, true);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pay_to, d(50));
        assert_eq!(pieces[0].pay_at(Decimal::new(825, 1)), d(75));
    }
}
