//! Arbitrary bytes as a data file (CSV, JSON and, when they look like one, a workbook),
//! read and checked against fixed example contracts and, when clean, evaluated into a schedule
//! that is rendered in every format. Each example is evaluated with the fuzzed file alone and
//! with the fuzzed file in place of each of its own data files (so the other files, cut short
//! to stay quick, give a complete evaluation). The diagnostics of every run are rendered; SARIF, whose rules are the
//! same whatever the findings, once per input, for the run with the most findings. Nothing may
//! panic.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use obc::diagnostic::Diagnostic;
use obc::eval::Options;
use obc::render::schedule::{self, ScheduleFormat};
use obc::source::Sources;
use obc_fuzz::Example;

/// Indicator-level examples (CSV and JSON data, counts, comparison groups) and participant-level
/// ones (rate cards over participant records).
const EXAMPLES: [&str; 4] = [
    "richmond-community",
    "help-to-live-at-home",
    "hospital-quality-incentive",
    "social-outcomes-partnership",
];

fn examples() -> &'static [Example] {
    static LOADED: OnceLock<Vec<Example>> = OnceLock::new();
    LOADED.get_or_init(|| EXAMPLES.iter().map(|name| Example::load(name)).collect())
}

/// Reads and checks `data` against the example and, without errors, evaluates it (over the
/// whole term, and as of a date) and renders the schedule. Returns the findings, rendered.
fn evaluate(example: &Example, data: &[PathBuf]) -> Option<(Vec<Diagnostic>, Sources)> {
    let mut sources = example.sources();
    // An unreadable file (not UTF-8, not a workbook) is an I/O error for the caller.
    let (dataset, mut diagnostics) =
        obc::data::load(data, &mut sources, &example.contract, &mut |_, _| {}).ok()?;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        for as_of in [None, Some(jiff::civil::date(2018, 3, 31))] {
            let (schedule, found) =
                obc::eval::evaluate(&example.contract, &dataset, Options { as_of });
            schedule::render(&schedule, ScheduleFormat::Table);
            schedule::render(&schedule, ScheduleFormat::Csv);
            obc_fuzz::json(
                "the JSON schedule",
                &schedule::render(&schedule, ScheduleFormat::Json),
            );
            diagnostics.extend(found);
        }
    }
    obc::diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    obc_fuzz::render_most(&diagnostics, &sources);
    Some((diagnostics, sources))
}

fuzz_target!(|data: &[u8]| {
    let examples = examples();
    let dir = obc_fuzz::scratch();
    let mut files = Vec::new();
    if std::str::from_utf8(data).is_ok() {
        files.push(dir.join("fuzzed.csv"));
        files.push(dir.join("fuzzed.json"));
    }
    // Workbooks are zip archives (xlsx, ods) or compound files (xls).
    if data.starts_with(b"PK") {
        files.push(dir.join("fuzzed.xlsx"));
        files.push(dir.join("fuzzed.ods"));
    }
    if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        files.push(dir.join("fuzzed.xls"));
    }
    let mut most: Option<(Vec<Diagnostic>, Sources)> = None;
    for file in &files {
        std::fs::write(file, data).expect("scratch file");
        for example in examples {
            let mut runs = vec![vec![file.clone()]];
            for replaced in 0..example.companions.len() {
                let mut data = example.companions.clone();
                data[replaced] = file.clone();
                runs.push(data);
            }
            for run in runs {
                if let Some(found) = evaluate(example, &run) {
                    if most.as_ref().is_none_or(|m| found.0.len() > m.0.len()) {
                        most = Some(found);
                    }
                }
            }
        }
    }
    if let Some((diagnostics, sources)) = most {
        obc_fuzz::render_all(&diagnostics, &sources);
    }
});
