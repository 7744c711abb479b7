//! Evaluation fixtures. Each `tests/eval/**/NAME.obc` is evaluated against the data files
//! beside it whose names start with `NAME` (`NAME.csv`, `NAME-participants.csv`, `NAME.json`).
//! A first line `// as of YYYY-MM-DD` sets `--as-of`. The schedule (or the diagnostics, when
//! there are errors) is snapshotted; when `NAME.expected.csv` exists, its hand-computed lines
//! (`payment,period,amount,due`) must match the schedule exactly.

use std::path::{Path, PathBuf};

use obc::eval::{self, Options};
use obc::render::{self, schedule::ScheduleFormat, Format, HumanStyle};
use obc::source::Sources;

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("inside the crate")
        .to_path_buf()
}

fn data_files(contract: &Path) -> Vec<PathBuf> {
    let stem = contract
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let dir = contract.parent().expect("a folder");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let data = name.ends_with(".csv") || name.ends_with(".json");
            let ours =
                name.starts_with(&format!("{stem}.")) || name.starts_with(&format!("{stem}-"));
            data && ours && !name.ends_with(".expected.csv")
        })
        .map(|p| relative(&p))
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
                assert_eq!(
                    got,
                    want,
                    "{} does not match its hand-computed schedule {}",
                    contract.display(),
                    expected.display()
                );
            }
        }
        insta::assert_snapshot!(report);
    });
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

/// Numbers and dates from an Excel workbook are read exactly: 82.25% pays 22.5% of the pot,
/// and a date cell of 29 February 2020 is that day.
#[test]
fn excel_workbooks_are_read_exactly() {
    let mut sources = Sources::new();
    let data = [
        PathBuf::from("tests/excel/workbook.xlsx"),
        PathBuf::from("tests/excel/workbook.xlsx#Participants"),
    ];
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
