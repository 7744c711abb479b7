//! Tests that run the real `obc` binary: every output format, exit statuses and `explain`.

use assert_cmd::Command;

fn obc() -> Command {
    let mut cmd = Command::cargo_bin("obc").expect("the obc binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    cmd
}

/// Output of `obc ARGS` as a string, asserting the exit status.
fn run(args: &[&str], status: i32) -> String {
    let output = obc().args(args).output().expect("obc runs");
    assert_eq!(
        output.status.code(),
        Some(status),
        "exit status of obc {args:?}; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("output is UTF-8")
        + &String::from_utf8(output.stderr).expect("UTF-8")
}

const BROKEN: &str = "tests/ui/syntax/several-errors.obc";
const CLEAN: &str = "contracts/richmond-community.obc";

#[test]
fn clean_contract_exits_zero() {
    insta::assert_snapshot!(run(&["check", CLEAN], 0), @"no problems found");
}

#[test]
fn every_format_of_a_broken_contract_exits_one() {
    for format in ["human", "concise", "json", "sarif", "github"] {
        let output = run(&["check", "--format", format, BROKEN], 1);
        insta::assert_snapshot!(format!("format-{format}"), output);
    }
}

#[test]
fn json_findings_have_the_documented_fields() {
    let output = run(&["check", "--format", "json", BROKEN], 1);
    let findings: serde_json::Value = serde_json::from_str(&output).expect("valid JSON");
    let first = &findings[0];
    for field in [
        "code", "name", "severity", "message", "help", "file", "span", "start", "end", "labels",
    ] {
        assert!(
            first.get(field).is_some(),
            "finding lacks `{field}`: {first}"
        );
    }
    assert_eq!(first["start"]["line"], 4);
}

#[test]
fn sarif_is_version_2_1_0_with_one_rule_per_code() {
    let output = run(&["check", "--format", "sarif", BROKEN], 1);
    let sarif: serde_json::Value = serde_json::from_str(&output).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), obc::diagnostic::Code::ALL.len());
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| t.len() > 40)));
}

#[test]
fn deny_warnings_turns_warnings_into_errors() {
    let warning_only = "tests/ui/hygiene/indicator-never-used.obc";
    run(&["check", warning_only], 0);
    let output = run(
        &[
            "check",
            "--deny",
            "warnings",
            "--format",
            "concise",
            warning_only,
        ],
        1,
    );
    assert!(output.contains("error[W0701]"), "{output}");
}

#[test]
fn unreadable_file_is_a_usage_error() {
    let output = run(&["check", "no/such/contract.obc"], 2);
    insta::assert_snapshot!(output, @"error: cannot read `no/such/contract.obc`: no such file");
}

#[test]
fn bad_arguments_are_usage_errors() {
    run(&["check"], 2);
    run(&["check", "--format", "xml", CLEAN], 2);
    run(&["frobnicate"], 2);
}

#[test]
fn explain_prints_the_documentation_of_a_code() {
    let output = run(&["explain", "E0301"], 0);
    assert!(output.starts_with("## E0301: tier-gap"), "{output}");
    let by_name = run(&["explain", "tier-gap"], 0);
    assert_eq!(output, by_name);
    run(&["explain", "E9999"], 2);
}
