//! Payout curves (`obc curve`): snapshots of the table and CSV for one payment of each example
//! contract that has a curve, and a property check that a better-higher payment never pays a
//! smaller share (or amount) as its result rises.

mod common;

use std::path::{Path, PathBuf};

use obc::curve;
use obc::model::{Contract, Mechanism};
use obc::source::Sources;
use obc::syntax::ast::Polarity;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn examples() -> Vec<PathBuf> {
    common::obc_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts"))
}

fn load(path: &Path) -> Contract {
    let mut sources = Sources::new();
    let workspace = obc::load::load(path, &mut sources).expect("readable");
    obc::check::analyse(&workspace, &sources)
        .contract
        .unwrap_or_else(|| panic!("{} has errors", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Payments with a curve: measured on an indicator, not a rate card.
fn curved(contract: &Contract) -> Vec<String> {
    contract
        .payments
        .iter()
        .filter(|p| !matches!(p.mechanism, Mechanism::RateCard(_)) && p.indicator.is_some())
        .map(|p| p.name.clone())
        .collect()
}

#[test]
fn first_curve_of_each_example() {
    let mut snapshots = 0;
    for path in examples() {
        let contract = load(&path);
        let Some(payment) = curved(&contract).into_iter().next() else {
            // A contract of rate cards only: asking for a curve is refused in words.
            for p in &contract.payments {
                let err = curve::curve(&contract, &p.name, None, None).expect_err("no curve");
                assert!(err.contains("rate card"), "{err}");
            }
            continue;
        };
        let c = curve::curve(&contract, &payment, None, None).expect("curve");
        let name = format!("{}-{payment}", stem(&path));
        insta::assert_snapshot!(format!("table-{name}"), curve::table(&c));
        insta::assert_snapshot!(format!("csv-{name}"), curve::csv(&c));
        assert!(curve::svg(&contract, &payment).is_some_and(|s| s.starts_with("<svg")));
        snapshots += 1;
    }
    assert!(snapshots >= 4, "only {snapshots} examples have a curve");
}

#[test]
fn every_curve_includes_its_thresholds_baseline_and_target() {
    for path in examples() {
        let contract = load(&path);
        for payment in curved(&contract) {
            let c = curve::curve(&contract, &payment, None, None).expect("curve");
            let values: Vec<String> = c
                .points
                .iter()
                .map(|p| p.value.normalize().to_string())
                .collect();
            let wanted = c.thresholds.iter().chain(&c.baseline).chain(&c.target);
            for value in wanted {
                assert!(values.contains(value), "{payment}: {value} is not sampled");
            }
            assert!(
                c.points.windows(2).all(|w| w[0].value < w[1].value),
                "{payment}: values not strictly rising"
            );
        }
    }
}

/// Every payment measured on an indicator that is better higher, with its contract.
fn better_higher() -> Vec<(Contract, String)> {
    let mut found = Vec::new();
    for path in examples() {
        let contract = load(&path);
        for payment in curved(&contract) {
            let higher = contract
                .payments
                .iter()
                .find(|p| p.name == payment)
                .and_then(|p| p.indicator.as_ref())
                .and_then(|i| contract.indicators.get(i))
                .is_some_and(|i| i.polarity == Some(Polarity::Higher));
            if higher {
                found.push((contract.clone(), payment));
            }
        }
    }
    found
}

fn never_falls(contract: &Contract, payment: &str, step: Option<Decimal>) {
    let c = curve::curve(contract, payment, step, None).expect("curve");
    for w in c.points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            a.share.zip(b.share).is_none_or(|(x, y)| x <= y),
            "{payment}: share falls from {:?} at {} to {:?} at {}",
            a.share,
            a.value,
            b.share,
            b.value
        );
        assert!(
            a.amount.zip(b.amount).is_none_or(|(x, y)| x <= y),
            "{payment}: amount falls from {:?} at {} to {:?} at {}",
            a.amount,
            a.value,
            b.amount,
            b.value
        );
    }
}

#[test]
fn better_higher_never_falls_at_the_default_step() {
    let payments = better_higher();
    assert!(payments.len() >= 5, "{}", payments.len());
    for (contract, payment) in &payments {
        never_falls(contract, payment, None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn better_higher_never_falls_at_any_step(hundredths in 3u32..1000) {
        let step = Decimal::new(i64::from(hundredths), 2);
        for (contract, payment) in &better_higher() {
            never_falls(contract, payment, Some(step));
        }
    }
}

/// Every point of every curve pays what `obc eval` pays for that value, in the first whole
/// period of each contract year (pots and prices may change by year), with gateways, caps,
/// protection and advances set aside: the curve and the evaluator can never disagree.
#[test]
fn every_curve_point_is_what_evaluation_pays() {
    use obc::data::{Dataset, Observation, RowRef};
    use obc::source::FileId;
    for path in examples() {
        let mut contract = load(&path);
        contract.gateways.clear();
        for name in curved(&contract) {
            let Some(payment) = contract.payments.iter().find(|p| p.name == name).cloned() else {
                continue;
            };
            let (Some(indicator), true) = (
                payment.indicator.clone(),
                !matches!(payment.mechanism, Mechanism::Improvement(_)),
            ) else {
                continue;
            };
            for year in 1..=contract.calendar.contract_years() {
                let Some(period) = contract
                    .calendar
                    .periods_with_length(payment.frequency)
                    .into_iter()
                    .find(|(p, whole)| {
                        p.days() == *whole && contract.calendar.contract_year_of(p.end) == year
                    })
                    .map(|(p, _)| p)
                else {
                    continue;
                };
                // The curve is what the payment's rule earns, before its adjustments: factors
                // are given as 1 below, and inputs and derived values (worked out from rows of
                // their own) are set aside, as are protection and the advances that pay it.
                let mut bare = payment.clone();
                if let Mechanism::Points { factors, .. } = &mut bare.mechanism {
                    factors.retain(|f| {
                        !contract.inputs.contains_key(f) && !contract.derived.contains_key(f)
                    });
                }
                let mut single = contract.clone();
                single.payments = vec![obc::model::Payment {
                    caps: Vec::new(),
                    floors: Vec::new(),
                    advance: None,
                    protection: None,
                    ..bare.clone()
                }];
                single.deductions.clear();
                single.advances.clear();
                let factors: Vec<String> = match &bare.mechanism {
                    Mechanism::Points { factors, .. } => factors.clone(),
                    _ => Vec::new(),
                };
                let points = curve::curve(&contract, &name, None, Some(year))
                    .expect("a curve")
                    .points;
                for point in points.iter().step_by(7) {
                    let data = Dataset {
                        observations: vec![Observation {
                            indicator: indicator.clone(),
                            period: period.clone(),
                            value: point.value,
                            numerator: None,
                            denominator: None,
                            excluded: None,
                            comparison: None,
                            factors: factors.iter().map(|f| (f.clone(), Decimal::ONE)).collect(),
                            flags: Default::default(),
                            row: RowRef {
                                file: FileId(0),
                                row: 1,
                                line: 1,
                                span: Default::default(),
                            },
                        }],
                        ..Default::default()
                    };
                    let (schedule, _) = obc::eval::evaluate(&single, &data, Default::default());
                    let paid = schedule
                        .lines
                        .iter()
                        .find(|l| l.period == period.label)
                        .map(|l| l.amount);
                    assert_eq!(
                    paid,
                    point.amount,
                    "{} `{name}` in year {year} at {}: the curve says {:?}, evaluation pays {:?}",
                    path.display(),
                    point.value,
                    point.amount,
                    paid
                );
                }
            }
        }
    }
}
