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
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).expect("inside the crate").to_path_buf()
}

fn data_files(contract: &Path) -> Vec<PathBuf> {
    let stem = contract.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let dir = contract.parent().expect("a folder");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let data = name.ends_with(".csv") || name.ends_with(".json");
            let ours = name.starts_with(&format!("{stem}.")) || name.starts_with(&format!("{stem}-"));
            data && ours && !name.ends_with(".expected.csv")
        })
        .map(|p| relative(&p))
        .collect();
    files.sort();
    files
}

fn as_of(contract: &Path) -> Option<jiff::civil::Date> {
    let text = std::fs::read_to_string(contract).ok()?;
    text.lines().next()?.strip_prefix("// as of ")?.trim().parse().ok()
}

#[test]
fn eval_fixtures() {
    insta::glob!("eval/**/*.obc", |path| {
        let contract = relative(path);
        let mut sources = Sources::new();
        let options = Options { as_of: as_of(path) };
        let evaluation = eval::evaluate_files(&contract, &data_files(path), options, &mut sources).expect("files are readable");
        let style = HumanStyle { color: false, width: 100 };
        let mut report = String::new();
        if !evaluation.diagnostics.is_empty() {
            report.push_str(&render::render(Format::Human, &evaluation.diagnostics, &sources, style));
        }
        if let Some(schedule) = &evaluation.schedule {
            report.push_str(&render::schedule::render(schedule, ScheduleFormat::Table));
            let expected = path.with_extension("expected.csv");
            if let Ok(text) = std::fs::read_to_string(&expected) {
                let want: Vec<String> = text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.trim().to_string()).collect();
                let got: Vec<String> = schedule
                    .lines
                    .iter()
                    .map(|l| format!("{},{},{},{}", l.payment, l.period, eval::money_string(l.amount), l.due))
                    .collect();
                assert_eq!(got, want, "{} does not match its hand-computed schedule {}", contract.display(), expected.display());
            }
        }
        insta::assert_snapshot!(report);
    });
}
