//! `obc diff`: what changed between two versions of a contract, in business terms. Small pairs
//! of contracts under tests/diff/ change one kind of thing each; the human and JSON reports are
//! snapshots.

use std::path::{Path, PathBuf};

use obc::diff::{self, Diff};
use obc::emit::spec::{self, Spec};
use obc::source::Sources;

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn spec(relative: &str) -> Spec {
    let mut sources = Sources::new();
    let workspace = obc::load::load(&path(relative), &mut sources).expect("readable");
    let analysis = obc::check::analyse(&workspace, &sources);
    let contract = analysis
        .contract
        .unwrap_or_else(|| panic!("{relative} has errors"));
    spec::build(&contract)
}

fn diff_files(old: &str, new: &str) -> Diff {
    diff::diff(&spec(old), &spec(new))
}

fn snapshot(name: &str, old: &str, new: &str) {
    let d = diff_files(old, new);
    assert!(!d.changes.is_empty(), "{old} and {new} should differ");
    insta::assert_snapshot!(format!("{name}-human"), diff::human(&d));
    insta::assert_snapshot!(format!("{name}-json"), diff::json(&d));
}

#[test]
fn a_contract_diffed_with_itself_has_no_changes() {
    let mut files = vec![
        "tests/diff/base.obc".to_string(),
        "tests/diff/richmond-changed-band.obc".to_string(),
    ];
    for entry in std::fs::read_dir(path("contracts")).expect("readable") {
        let entry = entry.expect("readable");
        if entry.path().extension().is_some_and(|e| e == "obc") {
            files.push(format!("contracts/{}", entry.file_name().to_string_lossy()));
        }
    }
    for file in files {
        let d = diff_files(&file, &file);
        assert!(d.is_empty(), "{file}: {:?}", d.changes);
        assert_eq!(diff::human(&d), "no differences\n");
        assert_eq!(diff::json(&d), "{\n  \"changes\": []\n}\n");
    }
}

#[test]
fn moved_threshold() {
    snapshot(
        "moved-threshold",
        "tests/diff/base.obc",
        "tests/diff/moved-threshold.obc",
    );
}

#[test]
fn changed_target() {
    snapshot(
        "changed-target",
        "tests/diff/base.obc",
        "tests/diff/changed-target.obc",
    );
}

#[test]
fn changed_weights_and_cap() {
    snapshot(
        "weights-and-cap",
        "tests/diff/base.obc",
        "tests/diff/weights-and-cap.obc",
    );
}

#[test]
fn added_indicator() {
    snapshot(
        "added-indicator",
        "tests/diff/base.obc",
        "tests/diff/added-indicator.obc",
    );
}

#[test]
fn removed_indicator_is_the_reverse_of_added() {
    let added = diff_files("tests/diff/base.obc", "tests/diff/added-indicator.obc");
    let removed = diff_files("tests/diff/added-indicator.obc", "tests/diff/base.obc");
    assert_eq!(added.changes.len(), removed.changes.len());
    for (a, r) in added.changes.iter().zip(&removed.changes) {
        let what = match a.what.as_str() {
            "added" => "removed",
            "removed" => "added",
            other => other,
        };
        assert_eq!(
            (&a.area, &a.name, what),
            (&r.area, &r.name, r.what.as_str())
        );
        assert_eq!((&a.before, &a.after), (&r.after, &r.before));
    }
}

#[test]
fn longer_lag() {
    snapshot(
        "longer-lag",
        "tests/diff/base.obc",
        "tests/diff/longer-lag.obc",
    );
}

#[test]
fn example_contract_with_a_changed_band() {
    snapshot(
        "richmond-changed-band",
        "contracts/richmond-community.obc",
        "tests/diff/richmond-changed-band.obc",
    );
}

#[test]
fn different_example_contracts() {
    snapshot(
        "richmond-vs-hospital",
        "contracts/richmond-community.obc",
        "contracts/hospital-quality-incentive.obc",
    );
}

#[test]
fn changes_are_in_a_stable_order() {
    let areas = [
        "contract",
        "indicator",
        "payment",
        "gateway",
        "deduction",
        "money",
    ];
    let d = diff_files(
        "contracts/richmond-community.obc",
        "contracts/help-to-live-at-home.obc",
    );
    let ranks: Vec<usize> = d
        .changes
        .iter()
        .map(|c| {
            areas
                .iter()
                .position(|a| *a == c.area)
                .expect("a known area")
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let again = diff_files(
        "contracts/richmond-community.obc",
        "contracts/help-to-live-at-home.obc",
    );
    assert_eq!(d, again);
}

#[test]
fn bands_placed_by_a_changed_target() {
    snapshot(
        "placed-bands-target-lowered",
        "tests/eval/targets/bands-share-of-target-higher-rule.obc",
        "tests/diff/placed-bands-target-lowered.obc",
    );
}
