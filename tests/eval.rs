//! Evaluation fixtures. Each `tests/eval/**/NAME.obc` is evaluated against the data files
//! beside it whose names start with `NAME` (`NAME.csv`, `NAME-participants.csv`, `NAME.json`).
//! A first line `// as of YYYY-MM-DD` sets `--as-of`. The schedule (or the diagnostics, when
//! there are errors) is snapshotted; when `NAME.expected.csv` exists, its hand-computed lines
//! (`payment,period,amount,due`) must match the schedule exactly.

mod common;

use std::path::{Path, PathBuf};

use obc::eval::{self, Options};
use obc::render::{self, schedule::ScheduleFormat, Format, HumanStyle};
use obc::source::Sources;

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("inside the crate")
        .to_path_buf()
}

/// The data files of a fixture: `NAME.csv|json` and `NAME-*.csv|json`, except those that belong
/// to another fixture with a longer name (`advances-monthly.csv` is not `advances`'s).
fn data_files(contract: &Path) -> Vec<PathBuf> {
    let stem = contract
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let dir = contract.parent().expect("a folder");
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    let fixtures: Vec<String> = entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "obc"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(String::from))
        .collect();
    let owner = |name: &str| {
        fixtures
            .iter()
            .filter(|f| name.starts_with(&format!("{f}.")) || name.starts_with(&format!("{f}-")))
            .max_by_key(|f| f.len())
            .cloned()
    };
    let mut files: Vec<PathBuf> = entries
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let data = name.ends_with(".csv") || name.ends_with(".json");
            data && !name.ends_with(".expected.csv")
                && owner(name).as_deref() == Some(stem.as_str())
        })
        .map(|p| relative(p))
        .collect();
    files.sort();
    files
}

fn as_of(contract: &Path) -> Option<jiff::civil::Date> {
    let text = std::fs::read_to_string(contract).ok()?;
    text.lines()
        .next()?
        .strip_prefix("// as of ")?
        .trim()
        .parse()
        .ok()
}

#[test]
fn eval_fixtures() {
    let mismatches = std::sync::Mutex::new(Vec::new());
    insta::glob!("eval/**/*.obc", |path| {
        let contract = relative(path);
        let mut sources = Sources::new();
        let options = Options { as_of: as_of(path) };
        let evaluation = eval::evaluate_files(&contract, &data_files(path), options, &mut sources)
            .expect("files are readable");
        let style = HumanStyle {
            color: false,
            width: 100,
        };
        let mut report = String::new();
        if !evaluation.diagnostics.is_empty() {
            report.push_str(&render::render(
                Format::Human,
                &evaluation.diagnostics,
                &sources,
                style,
            ));
        }
        if let Some(schedule) = &evaluation.schedule {
            report.push_str(&render::schedule::render(schedule, ScheduleFormat::Table));
            let expected = path.with_extension("expected.csv");
            if let Ok(text) = std::fs::read_to_string(&expected) {
                let want: Vec<String> = text
                    .lines()
                    .skip(1)
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.trim().to_string())
                    .collect();
                let got: Vec<String> = schedule
                    .lines
                    .iter()
                    .map(|l| {
                        format!(
                            "{},{},{},{}",
                            l.payment,
                            l.period,
                            eval::money_string(l.amount),
                            l.due
                        )
                    })
                    .collect();
                if got != want {
                    let mut m = mismatches.lock().unwrap_or_else(|e| e.into_inner());
                    m.push(format!(
                        "{}\n  hand-computed: {want:?}\n  evaluated:     {got:?}",
                        contract.display()
                    ));
                }
            }
        }
        insta::assert_snapshot!(report);
    });
    let mismatches = mismatches.into_inner().unwrap_or_else(|e| e.into_inner());
    assert!(
        mismatches.is_empty(),
        "schedules that differ from their hand-computed lines:\n{}",
        mismatches.join("\n")
    );
}

/// Every diagnostic code is produced by at least one fixture: a contract under tests/ui or an
/// evaluation under tests/eval.
#[test]
fn every_code_has_a_fixture() {
    use obc::diagnostic::Code;
    let mut seen = std::collections::BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (folder, evaluate) in [("tests/ui", false), ("tests/eval", true)] {
        for path in common::obc_files(&root.join(folder)) {
            let contract = relative(&path);
            let mut sources = Sources::new();
            let diagnostics = if evaluate {
                let options = Options {
                    as_of: as_of(&path),
                };
                eval::evaluate_files(&contract, &data_files(&path), options, &mut sources)
                    .expect("readable")
                    .diagnostics
            } else {
                let workspace = obc::load::load(&contract, &mut sources).expect("readable");
                obc::check::check(&workspace, &sources)
            };
            seen.extend(diagnostics.iter().map(|d| d.code));
        }
    }
    // A file over 16 MiB makes a poor fixture: `syntax::tests::huge_files_are_refused` covers it.
    seen.insert(Code::FileTooLarge);
    // No input makes reading run out of steps (tests/robustness.rs):
    // `syntax::tests::a_parse_that_runs_out_of_steps_is_reported_not_hung` forces it.
    seen.insert(Code::TooComplexToRead);
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !seen.contains(c))
        .map(|c| c.code())
        .collect();
    assert!(missing.is_empty(), "no fixture produces {missing:?}");
}

/// The committed schema of the JSON schedule is the one the code generates.
#[test]
fn schedule_schema_is_current() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema/schedule.schema.json"
    );
    let generated = eval::schedule_schema();
    if std::env::var_os("OBC_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).expect("writable");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == generated, "docs/schema/schedule.schema.json is stale: run `OBC_UPDATE_SCHEMA=1 cargo test --test eval schedule_schema`");
}

/// Evaluates `tests/excel/workbook.obc` against data files, with its findings in concise form.
fn evaluate_workbook(data: &[&str]) -> (eval::Evaluation, String) {
    let mut sources = Sources::new();
    let data: Vec<PathBuf> = data.iter().map(PathBuf::from).collect();
    let evaluation = eval::evaluate_files(
        Path::new("tests/excel/workbook.obc"),
        &data,
        Options::default(),
        &mut sources,
    )
    .expect("readable");
    let report = render::render(
        Format::Concise,
        &evaluation.diagnostics,
        &sources,
        HumanStyle::default(),
    );
    (evaluation, report)
}

/// Numbers and dates from an Excel workbook are read exactly: 82.25% pays 22.5% of the pot,
/// and a date cell of 29 February 2020 is that day.
#[test]
fn excel_workbooks_are_read_exactly() {
    let (evaluation, report) = evaluate_workbook(&[
        "tests/excel/workbook.xlsx",
        "tests/excel/workbook.xlsx#Participants",
    ]);
    let schedule = evaluation
        .schedule
        .unwrap_or_else(|| panic!("evaluates:\n{report}"));
    let line = |payment: &str, period: &str| {
        schedule
            .lines
            .iter()
            .find(|l| l.payment == payment && l.period == period)
            .map(|l| eval::money_string(l.amount))
            .unwrap_or_default()
    };
    // £100,000 at risk a year, £25,000 a quarter; 82.25% is 22.5% of the way from 80% to 90%.
    assert_eq!(line("at_home", "2019/20 Q2"), "5625.00");
    // 90.125% is above the ceiling: the whole £25,000.
    assert_eq!(line("at_home", "2019/20 Q4"), "25000.00");
    // Housed on 2019-05-20 and on 2020-02-29 (an Excel date cell in a leap year).
    assert_eq!(line("housing", "2019-05"), "1000.00");
    assert_eq!(line("housing", "2020-02"), "1000.00");
}

/// Workbooks get the checks CSV files get. `tests/excel/extra-cells.xlsx` has three sheets:
/// `Indicators` with a note in column E of one row (column D empty), `Participants` with a note
/// in column F of its record (column E empty), and `Repeated`, whose header names `value` and
/// `Value`. The empty cells a sheet's range gives the header and the other rows are not
/// reported; the notes are E0820 and the repeated column E0821, with none of its rows read
/// (they would otherwise be second rows for the same quarters, E0807).
#[test]
fn workbook_extra_cells_and_repeated_columns_are_reported() {
    let (_, report) = evaluate_workbook(&[
        "tests/excel/extra-cells.xlsx",
        "tests/excel/extra-cells.xlsx#Participants",
        "tests/excel/extra-cells.xlsx#Repeated",
    ]);
    assert_eq!(
        report,
        "tests/excel/extra-cells.xlsx:3:24: error[E0820] line 3 has 5 cells but the header names 3 columns: `checked by JS` is not in any column
tests/excel/extra-cells.xlsx#Participants:2:36: error[E0820] line 2 has 6 cells but the header names 4 columns: `moved again` is not in any column
tests/excel/extra-cells.xlsx#Repeated:1:24: error[E0821] the header names the column `value` twice, as `value` and `Value`
3 errors
"
    );
}

/// Every example contract evaluates against its bundled data with no findings at all; the
/// schedules are snapshotted so any change in what they pay is reviewed.
#[test]
fn example_contracts_evaluate_cleanly() {
    let mut contracts: Vec<PathBuf> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts"))
            .expect("contracts/")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "obc"))
            .collect();
    contracts.sort();
    assert!(contracts.len() >= 5);
    for path in contracts {
        let contract = relative(&path);
        let data = eval::default_data_files(&contract);
        assert!(
            !data.is_empty(),
            "{} has no data in contracts/data/",
            contract.display()
        );
        let mut sources = Sources::new();
        let evaluation = eval::evaluate_files(&contract, &data, Options::default(), &mut sources)
            .expect("readable");
        let report = render::render(
            Format::Concise,
            &evaluation.diagnostics,
            &sources,
            HumanStyle::default(),
        );
        assert!(
            evaluation.diagnostics.is_empty(),
            "{} does not evaluate cleanly:\n{report}",
            contract.display()
        );
        let schedule = evaluation.schedule.expect("a schedule");
        let total: rust_decimal::Decimal = schedule.lines.iter().map(|l| l.amount).sum();
        assert_eq!(total, schedule.total, "the total is the sum of the lines");
        let name = contract
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        insta::assert_snapshot!(
            format!("example-{name}"),
            render::schedule::render(&schedule, ScheduleFormat::Table)
        );
    }
}

mod properties {
    //! Properties of evaluation over generated data: the total is the sum of the lines, a better
    //! value never pays less where the checker accepts the payment table, and every data row
    //! is either used by a line or reported.

    use super::*;
    use proptest::prelude::*;

    /// A one-year contract with a tiers table (fixed, linear and stepped bands), a gateway and a
    /// reporting-only indicator. The checker accepts it, so it must be monotone.
    const CONTRACT: &str = r#"
contract "Property test" {
  term 2019-04-01 to 2020-03-31
  value £1,000,000 per year
  at risk 10% of value
  payments continue 6 months after the term
}
indicator home "Still at home" {
  unit percent
  better higher
  reported quarterly
  data lag 1 month
}
indicator completeness "Data completeness" {
  unit percent
  better higher
  reported quarterly
}
indicator waits "Waiting days" {
  unit days
  better lower
  reported quarterly
  reporting only
}
payment at_home "Staying at home" {
  weight 100%
  on home
  tiers {
    below 60% pays nothing
    60% to 75% pays linear 10% to 60%
    75% to 90% pays 70%
    90% and above pays 100%
  }
  paid 30 days after data
}
gateway quality "Data quality" {
  require completeness at least 90%
  applies to all payments
  withholds 50%
}
"#;

    const QUARTERS: [&str; 4] = ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4"];

    fn evaluate(values: &[(u32, u32)], extra: &str) -> (eval::Evaluation, Sources, PathBuf) {
        evaluate_contract(CONTRACT, values, extra)
    }

    fn evaluate_contract(
        text: &str,
        values: &[(u32, u32)],
        extra: &str,
    ) -> (eval::Evaluation, Sources, PathBuf) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "obc-prop-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let contract = dir.join("contract.obc");
        std::fs::write(&contract, text).expect("written");
        let mut csv = String::from("indicator,period,value\n");
        for ((home, completeness), quarter) in values.iter().zip(QUARTERS) {
            csv.push_str(&format!(
                "home,{quarter},{}.{}\ncompleteness,{quarter},{}\n",
                home / 10,
                home % 10,
                completeness
            ));
        }
        csv.push_str(extra);
        let data = dir.join("data.csv");
        std::fs::write(&data, csv).expect("written");
        let mut sources = Sources::new();
        let evaluation = eval::evaluate_files(
            &contract,
            std::slice::from_ref(&data),
            Options::default(),
            &mut sources,
        )
        .expect("readable");
        (evaluation, sources, dir)
    }

    /// (home in tenths of a percent, completeness in percent) for the four quarters.
    fn quarters() -> impl Strategy<Value = Vec<(u32, u32)>> {
        prop::collection::vec((0u32..=1000, 80u32..=100), 4)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn the_total_is_the_sum_of_the_lines(values in quarters()) {
            let (evaluation, _, dir) = evaluate(&values, "");
            let schedule = evaluation.schedule.expect("evaluates");
            let sum: rust_decimal::Decimal = schedule.lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(sum, schedule.total);
            for year in &schedule.years {
                let year_sum: rust_decimal::Decimal = schedule.lines.iter().filter(|l| l.contract_year == year.contract_year).map(|l| l.amount).sum();
                prop_assert_eq!(year_sum, year.total);
            }
            for line in &schedule.lines {
                prop_assert_eq!(line.amount, line.amount.round_dp(2), "every line is rounded to the penny");
            }
            let _ = std::fs::remove_dir_all(dir);
        }

        #[test]
        fn payers_parts_add_up_to_every_line_and_the_totals(values in quarters(), shares in prop::collection::vec(1u32..=97, 3)) {
            // Three payers with exact shares a/T, b/T, c/T of every payment.
            let whole: u32 = shares.iter().sum();
            let text = CONTRACT.replace(
                "  term 2019-04-01 to 2020-03-31\n",
                &format!(
                    "  term 2019-04-01 to 2020-03-31\n  commissioner a \"A\"\n  commissioner b \"B\"\n  commissioner c \"C\"\n  paid by a {}/{whole}, b {}/{whole}, c {}/{whole}\n",
                    shares[0], shares[1], shares[2]
                ),
            );
            let (evaluation, _, dir) = evaluate_contract(&text, &values, "");
            let schedule = evaluation.schedule.expect("evaluates");
            for line in &schedule.lines {
                prop_assert_eq!(line.payers.len(), 3, "every line names its payers");
                let parts: rust_decimal::Decimal = line.payers.iter().map(|p| p.amount).sum();
                prop_assert_eq!(parts, line.amount, "the payers' parts add up to the line");
                prop_assert!(line.payers.iter().all(|p| p.amount == p.amount.round_dp(2)), "whole pennies");
            }
            let totals: rust_decimal::Decimal = schedule.payers.iter().map(|p| p.total).sum();
            prop_assert_eq!(totals, schedule.total, "the payers' totals add up to the total");
            for year in &schedule.years {
                let parts: rust_decimal::Decimal = year.payers.iter().map(|p| p.amount).sum();
                prop_assert_eq!(parts, year.total, "the payers' parts add up to the year");
            }
            let _ = std::fs::remove_dir_all(dir);
        }

        #[test]
        fn a_derived_value_used_twice_gives_the_same_figure(list in 1000u32..=30000, national in 5000u32..=12000, achievement in 0u32..=100) {
            // Two payments, alike but for their indicator, both adjusted by one derived value,
            // and a third whose factor uses it twice (cpi x cpi): the figure is the same each
            // time it is used.
            let text = r#"
contract "Derived value used twice" {
  term 2019-04-01 to 2020-03-31
  value £900,000 per year
}
input list_size "List size" {
  unit count
}
input national "National average list size" {
  unit count
}
derived cpi "Contractor population index" {
  equals list_size / national
}
derived cpi_squared "The index twice" {
  equals cpi * cpi
}
indicator a "A" {
  unit percent
  better higher
  reported annually
}
indicator b "B" {
  unit percent
  better higher
  reported annually
}
payment pa "A" {
  on a
  points 10 from 0% to 100%
  price per point £187.74
  adjusted by cpi
}
payment pb "B" {
  on b
  points 10 from 0% to 100%
  price per point £187.74
  adjusted by cpi
}
payment pc "A again" {
  on a
  points 10 from 0% to 100%
  price per point £187.74
  adjusted by cpi, cpi
}
payment pd "B, squared" {
  on b
  points 10 from 0% to 100%
  price per point £187.74
  adjusted by cpi_squared
}
"#.to_string();
            let extra = format!("list_size,2019/20,{list}\nnational,2019/20,{national}\n");
            let csv = format!("a,2019/20,{achievement}\nb,2019/20,{achievement}\n");
            let (evaluation, _, dir) = evaluate_contract(&text, &[], &(csv + &extra));
            let schedule = evaluation.schedule.expect("evaluates");
            let amount = |name: &str| schedule.lines.iter().find(|l| l.payment == name).map(|l| l.amount).expect("a line");
            prop_assert_eq!(amount("pa"), amount("pb"));
            prop_assert_eq!(amount("pc"), amount("pd"), "cpi used twice is cpi x cpi");
            let cpi_step = |name: &str| schedule.lines.iter().find(|l| l.payment == name)
                .and_then(|l| l.explanation.iter().find(|e| e.starts_with("`cpi` for")).cloned());
            prop_assert_eq!(cpi_step("pa"), cpi_step("pb"));
            let _ = std::fs::remove_dir_all(dir);
        }

        #[test]
        fn a_better_value_never_pays_less(low in 0u32..=1000, step in 0u32..=200, completeness in 80u32..=100) {
            let high = (low + step).min(1000);
            let pay = |home: u32| {
                let (evaluation, _, dir) = evaluate(&[(home, completeness); 4], "");
                let _ = std::fs::remove_dir_all(dir);
                evaluation.schedule.expect("evaluates").lines[0].amount
            };
            prop_assert!(pay(high) >= pay(low), "{} paid less than {}", high, low);
        }

        #[test]
        fn every_row_is_used_or_reported(values in quarters(), stray in prop::sample::select(vec![
            "homes,2019/20 Q1,80\n",
            "home,2018/19 Q4,80\n",
            "home,2019/20 Q1,81\n",
            "waits,2019/20 Q2,12\n",
            "completeness,2019/20,95\n",
            "home,2019/20 Q3,lots\n",
            "completeness,2019/20,95,,checked\n",
            "waits,2019/20 Q3,12,,\n",
        ])) {
            let (evaluation, sources, dir) = evaluate(&values, stray);
            let data_file = sources.iter().find(|(_, f)| f.name.ends_with("data.csv")).map(|(id, _)| id).expect("data file");
            let rows = 1 + values.len() * 2 + 1;
            let reported = |line: usize| evaluation.diagnostics.iter().any(|d| d.file == data_file && sources.get(data_file).line_col(d.span().start).line == line);
            match &evaluation.schedule {
                // With an error in the data there is no schedule: the stray row must be the one reported.
                None => prop_assert!(reported(rows), "the stray row on line {} is not reported", rows),
                Some(schedule) => {
                    for line in 2..=rows {
                        let cited = schedule.lines.iter().any(|l| l.rows.iter().any(|r| r == &format!("data.csv:{line}")));
                        let monitored = stray.starts_with("waits") && line == rows;
                        prop_assert!(cited || reported(line) || monitored, "row on line {} is neither used nor reported", line);
                    }
                }
            }
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

mod simulation {
    //! A simulation with no spread pays exactly what plain evaluation of the same values pays.

    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        #[test]
        fn zero_spread_equals_plain_evaluation(home in 600u32..=1000, plans in 300u32..=1000, completeness in 90u32..=100) {
            let mut sources = Sources::new();
            let workspace = obc::load::load(Path::new("contracts/richmond-community.obc"), &mut sources).expect("readable");
            let contract = obc::check::analyse(&workspace, &sources).contract.expect("checks clean");
            let value = |tenths: u32| format!("{}.{}", tenths / 10, tenths % 10);
            let text = format!(r#"{{
                "scenarios": [{{ "name": "plain", "values": [
                    {{ "indicator": "still_home_91", "value": "{h}" }},
                    {{ "indicator": "shared_care_plans", "value": "{p}" }},
                    {{ "indicator": "data_completeness", "value": "{c}" }} ] }}],
                "uncertainty": {{ "seed": 1, "runs": 3, "indicators": {{
                    "still_home_91": {{ "normal": {{ "mean": "{h}", "sd": "0" }} }},
                    "shared_care_plans": {{ "triangular": {{ "min": "{p}", "mode": "{p}", "max": "{p}" }} }},
                    "data_completeness": {{ "normal": {{ "mean": "{c}", "sd": "0" }} }} }} }}
            }}"#, h = value(home), p = value(plans), c = completeness);
            let file: obc::simulate::ScenarioFile = serde_json::from_str(&text).expect("a scenario file");
            let simulation = obc::simulate::simulate(&contract, &file).expect("simulates");
            let plain = simulation.scenarios[0].total;
            let monte_carlo = simulation.monte_carlo.expect("monte carlo");
            prop_assert_eq!(monte_carlo.expected_total, plain);
            prop_assert_eq!(monte_carlo.p10, plain);
            prop_assert_eq!(monte_carlo.p90, plain);
        }
    }
}
