//! Specifications: the JSON of every example contract validates against the committed JSON
//! Schema (which must match the code), the OCDS release package of every example validates
//! against OCDS 1.1 with the Metrics extension applied, and emitting refuses a contract with
//! errors.

mod common;

use std::path::{Path, PathBuf};

use obc::emit::{self, EmitFormat};
use obc::source::Sources;
use serde_json::Value;

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::obc_files(&root.join("contracts"))
        .into_iter()
        .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
        .collect()
}

fn emitted(contract: &Path, format: EmitFormat) -> String {
    let mut sources = Sources::new();
    let emission = emit::emit_file(contract, format, &mut sources).expect("readable");
    emission
        .output
        .unwrap_or_else(|| panic!("{} has errors", contract.display()))
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("readable");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn contract_schema_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema/obc-contract.schema.json"
    );
    let generated = emit::spec::schema();
    if std::env::var_os("OBC_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).expect("writable");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == generated, "docs/schema/obc-contract.schema.json is stale: run `OBC_UPDATE_SCHEMA=1 cargo test --test emit`");
}

#[test]
fn every_example_specification_validates_against_the_schema() {
    let schema = read_json("docs/schema/obc-contract.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for contract in examples() {
        let spec: Value =
            serde_json::from_str(&emitted(&contract, EmitFormat::Json)).expect("valid JSON");
        assert_eq!(spec["obc_format"], "2.1");
        let errors: Vec<String> = validator
            .iter_errors(&spec)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            contract.display(),
            errors.join("\n")
        );
    }
}

/// RFC 7386 JSON Merge Patch: how OCDS extensions apply to the release schema.
fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

#[test]
fn every_example_release_package_validates_against_ocds_with_metrics() {
    let mut release = read_json("tests/schemas/ocds-1.1/release-schema.json");
    merge_patch(
        &mut release,
        &read_json("tests/schemas/ocds-1.1/metrics-extension/release-schema.json"),
    );
    let release_id = release["id"]
        .as_str()
        .expect("the release schema has an id")
        .to_string();
    let package = read_json("tests/schemas/ocds-1.1/release-package-schema.json");
    let registry = jsonschema::Registry::new()
        .add(release_id.as_str(), release.clone())
        .and_then(|builder| builder.prepare())
        .expect("the release schema registers");
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&package)
        .expect("a valid schema");
    let release_validator = jsonschema::validator_for(&release).expect("a valid schema");
    // The validators can fail: a milestone without an id, a wrong tag and a text amount are caught.
    let mut broken: Value = serde_json::from_str(&emitted(
        Path::new("contracts/richmond-community.obc"),
        EmitFormat::Ocds,
    ))
    .expect("valid JSON");
    broken["releases"][0]["tag"] = serde_json::json!(["notATag"]);
    broken["releases"][0]["tender"]["value"]["amount"] = serde_json::json!("lots");
    broken["releases"][0]["tender"]["targets"][0]["observations"][0]["id"] = serde_json::json!("");
    assert!(
        !validator.is_valid(&broken),
        "the package validator accepts a broken package"
    );
    assert_eq!(
        release_validator
            .iter_errors(&broken["releases"][0])
            .count(),
        3
    );
    for contract in examples() {
        let output: Value =
            serde_json::from_str(&emitted(&contract, EmitFormat::Ocds)).expect("valid JSON");
        let errors: Vec<String> = validator
            .iter_errors(&output)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{} package:\n{}",
            contract.display(),
            errors.join("\n")
        );
        // The package schema only refers to the release schema; check the release against it directly too.
        let errors: Vec<String> = release_validator
            .iter_errors(&output["releases"][0])
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{} release:\n{}",
            contract.display(),
            errors.join("\n")
        );
        let tender = &output["releases"][0]["tender"];
        assert!(
            tender["targets"].as_array().is_some_and(|t| !t.is_empty()),
            "{} has no targets",
            contract.display()
        );
        // Each payment's due dates are milestones; a contract of deductions only has none.
        let has_payments = std::fs::read_to_string(&contract)
            .expect("readable")
            .lines()
            .any(|l| l.starts_with("payment "));
        match tender["milestones"].as_array() {
            Some(m) => assert!(m.iter().all(|m| m["type"] == "payment")),
            None => assert!(!has_payments, "{} has no milestones", contract.display()),
        }
        assert_eq!(tender["documents"][0]["format"], "application/json");
    }
}

#[test]
fn specifications_are_snapshotted() {
    for contract in examples() {
        let name = contract
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        insta::assert_snapshot!(format!("json-{name}"), emitted(&contract, EmitFormat::Json));
        insta::assert_snapshot!(format!("ocds-{name}"), emitted(&contract, EmitFormat::Ocds));
    }
}

/// An advance of amounts lists the instalments `obc eval` pays, in whole pennies that add up to
/// each year's amount (tests/eval/advances/cquin-paid-in-advance.obc works them out by hand:
/// £60,000 / 4 = £15,000.00 a quarter in year 1; £50,000.01 / 4 = £12,500.01 then 3 x £12,500.00
/// in year 2), each due on the first day of its quarter, and the OCDS release has a payment
/// milestone for each.
#[test]
fn advance_instalments_are_in_the_specification_and_the_release() {
    let contract =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/advances/cquin-paid-in-advance.obc");
    let spec: Value =
        serde_json::from_str(&emitted(&contract, EmitFormat::Json)).expect("valid JSON");
    let instalments = spec["advances"][0]["instalments"]
        .as_array()
        .expect("instalments");
    let listed: Vec<(u64, &str, &str)> = instalments
        .iter()
        .map(|i| {
            (
                i["contract_year"].as_u64().expect("a year"),
                i["due"].as_str().expect("a due day"),
                i["amount"].as_str().expect("an amount"),
            )
        })
        .collect();
    assert_eq!(
        &listed[..5],
        &[
            (1, "2019-04-01", "15000.00"),
            (1, "2019-07-01", "15000.00"),
            (1, "2019-10-01", "15000.00"),
            (1, "2020-01-01", "15000.00"),
            (2, "2020-04-01", "12500.01"),
        ]
    );
    assert_eq!(
        listed[5..8].iter().map(|l| l.2).collect::<Vec<_>>(),
        ["12500.00"; 3]
    );
    let release: Value =
        serde_json::from_str(&emitted(&contract, EmitFormat::Ocds)).expect("valid JSON");
    let milestones = release["releases"][0]["tender"]["milestones"]
        .as_array()
        .expect("milestones");
    let advances: Vec<&Value> = milestones
        .iter()
        .filter(|m| {
            m["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("cquin_on_account-"))
        })
        .collect();
    assert_eq!(advances.len(), instalments.len());
    assert!(
        advances[4]["description"]
            .as_str()
            .is_some_and(|d| d.contains("12500.01 GBP")),
        "{}",
        advances[4]
    );
}
