//! The `obc` command: parses arguments, calls the library, prints, and sets the exit status.
//!
//! Exit status: 0 success (warnings allowed), 1 the contract has errors, 2 usage or I/O error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use obc::diagnostic::{docs, Code, Severity};
use obc::render::{self, Format, HumanStyle};
use obc::source::Sources;

#[derive(Parser)]
#[command(
    name = "obc",
    version,
    about = "Check outcome-based contracts written in the obc language"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Let imports read `.obc` files in this folder too (by default only the contract's own
    /// folder and below). May be given more than once.
    #[arg(long, global = true, value_name = "FOLDER")]
    allow_import: Vec<PathBuf>,
}

/// The folders `--allow-import` names, for every command that loads a contract.
static IMPORT_FOLDERS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();

/// An empty set of sources whose imports may read the folders `--allow-import` names.
fn new_sources() -> Sources {
    let mut sources = Sources::new();
    for folder in IMPORT_FOLDERS.get().into_iter().flatten() {
        sources.allow_imports_from(folder.clone());
    }
    sources
}

#[derive(Subcommand)]
enum Command {
    /// Check contract files for mistakes and report every finding.
    Check {
        /// The contract files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print the findings.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Treat warnings as errors: `--deny warnings`.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// When to colour human output.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// First make the fixes that are certain (characters pasted from a word processor) in
        /// the files named, then report what is left.
        #[arg(long)]
        fix: bool,
    },
    /// Evaluate a contract against its data into a payment schedule.
    Eval {
        /// The contract file.
        contract: PathBuf,
        /// Data files (CSV or JSON); by default `data/NAME*.csv|json` beside the contract.
        #[arg(long = "data", value_name = "FILE")]
        data: Vec<PathBuf>,
        /// Show only what is due by this date as due, the rest as pending (`2018-03-31`).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// How to write the schedule.
        #[arg(long, value_enum, default_value_t = ScheduleOutput::Table)]
        format: ScheduleOutput,
        /// Write the schedule to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// How to print problems with the contract or the data (on standard error).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        diagnostic_format: OutputFormat,
        /// When to colour human output.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Write a contract's specification for a tender: JSON, Markdown, HTML or OCDS.
    Emit {
        /// The contract file.
        contract: PathBuf,
        /// The kind of specification.
        #[arg(long, value_enum, default_value_t = EmitOutput::Json)]
        format: EmitOutput,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// How to print problems with the contract (on standard error).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        diagnostic_format: OutputFormat,
    },
    /// Run the worked examples (`test` blocks) of contracts.
    Test {
        /// The contract files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite failing expectations to the amounts actually paid, after showing the difference.
        #[arg(long)]
        update: bool,
        /// Report the bands, caps, gateway outcomes and rate-card fees no test exercises.
        #[arg(long)]
        coverage: bool,
    },
    /// The payout of one payment across the range of its indicator.
    Curve {
        /// The contract file.
        contract: PathBuf,
        /// The payment's name.
        payment: String,
        /// The distance between points, in the indicator's unit (such as `0.5`).
        #[arg(long)]
        step: Option<String>,
        /// The contract year to draw (1 for the first): prices, pots and targets may change by year.
        #[arg(long, value_name = "N")]
        year: Option<u32>,
        #[arg(long, value_enum, default_value_t = CurveOutput::Table)]
        format: CurveOutput,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// What changed between two versions of a contract, in business terms.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffOutput::Human)]
        format: DiffOutput,
    },
    /// Evaluate what-if scenarios and a seeded Monte Carlo simulation (docs/analysis.md).
    Simulate {
        /// The contract file.
        contract: PathBuf,
        /// The scenario file (JSON).
        #[arg(long, value_name = "FILE")]
        scenarios: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffOutput::Human)]
        format: DiffOutput,
    },
    /// Rewrite contract files in the canonical layout (docs/formatting.md).
    Fmt {
        /// The contract files; `-` reads standard input and writes standard output.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing: list the files that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Run a language server for editors over standard input and output (docs/editors.md).
    Lsp,
    /// Print the documentation of a diagnostic code, such as `obc explain E0301`.
    Explain {
        /// A code such as `E0301` or a name such as `tier-gap`.
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScheduleOutput {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum EmitOutput {
    Json,
    Markdown,
    Html,
    Ocds,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CurveOutput {
    Table,
    Csv,
    Json,
    Svg,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffOutput {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = IMPORT_FOLDERS.set(cli.allow_import.clone());
    match cli.command {
        Command::Check {
            files,
            format,
            deny,
            color,
            fix,
        } => {
            if fix {
                if let Err(status) = fix_files(&files) {
                    return status;
                }
            }
            check(&files, format, deny.is_some(), color)
        }
        Command::Explain { code } => explain(&code),
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Lsp => match obc::lsp::run_stdio(&cli.allow_import) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(EXIT_FINDINGS)
            }
        },
        Command::Curve {
            contract,
            payment,
            step,
            year,
            format,
            output,
        } => curve(
            &contract,
            &payment,
            step.as_deref(),
            year,
            format,
            output.as_deref(),
        ),
        Command::Diff { old, new, format } => diff(&old, &new, format),
        Command::Simulate {
            contract,
            scenarios,
            format,
        } => simulate(&contract, &scenarios, format),
        Command::Test {
            files,
            update,
            coverage,
        } => test(&files, update, coverage),
        Command::Emit {
            contract,
            format,
            output,
            diagnostic_format,
        } => emit(&contract, format, output.as_deref(), diagnostic_format),
        Command::Eval {
            contract,
            data,
            as_of,
            format,
            output,
            diagnostic_format,
            color,
        } => eval(
            &contract,
            data,
            as_of.as_deref(),
            format,
            output.as_deref(),
            diagnostic_format,
            color,
        ),
    }
}

fn check(files: &[PathBuf], format: OutputFormat, deny_warnings: bool, color: Color) -> ExitCode {
    let mut sources = new_sources();
    let mut diagnostics = Vec::new();
    for path in files {
        match obc::load::load(path, &mut sources) {
            Ok(workspace) => diagnostics.extend(obc::check::check(&workspace, &sources)),
            Err(error) => {
                eprintln!(
                    "error: cannot read `{}`: {}",
                    path.display(),
                    obc::load::plain_io_error(&error)
                );
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    if deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let format = check_format(format);
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = terminal_width();
    let output = render::render(format, &diagnostics, &sources, HumanStyle { color, width });
    print(&output);
    if diagnostics.iter().any(|d| d.is_error()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Makes the certain fixes in each file, saying on standard error how many were made.
fn fix_files(files: &[PathBuf]) -> Result<(), ExitCode> {
    for path in files {
        let name = path.display();
        let original = obc::load::read_text(path).map_err(|error| {
            eprintln!(
                "error: cannot read `{name}`: {}",
                obc::load::plain_io_error(&error)
            );
            ExitCode::from(EXIT_USAGE)
        })?;
        let (fixed, made) = obc::check::fix_certain(path, &original);
        if made == 0 {
            continue;
        }
        std::fs::write(path, fixed).map_err(|error| {
            eprintln!(
                "error: cannot write `{name}`: {}",
                obc::load::plain_io_error(&error)
            );
            ExitCode::from(EXIT_USAGE)
        })?;
        let plural = if made == 1 { "" } else { "s" };
        eprintln!("fixed {made} finding{plural} in `{name}`");
    }
    Ok(())
}

fn eval(
    contract: &std::path::Path,
    mut data: Vec<PathBuf>,
    as_of: Option<&str>,
    format: ScheduleOutput,
    output: Option<&std::path::Path>,
    diagnostic_format: OutputFormat,
    color: Color,
) -> ExitCode {
    let as_of = match as_of.map(|text| text.parse::<jiff::civil::Date>()) {
        Some(Ok(date)) => Some(date),
        Some(Err(_)) => {
            eprintln!("error: `--as-of` needs a date such as `2018-03-31`");
            return ExitCode::from(EXIT_USAGE);
        }
        None => None,
    };
    if data.is_empty() {
        data = obc::eval::default_data_files(contract);
        if data.is_empty() {
            eprintln!(
                "error: no data files given and none found in `{}`; name them with `--data FILE`",
                contract
                    .parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join("data")
                    .display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let mut sources = new_sources();
    let evaluation = match obc::eval::evaluate_files(
        contract,
        &data,
        obc::eval::Options { as_of },
        &mut sources,
    ) {
        Ok(evaluation) => evaluation,
        Err(error) => {
            eprintln!("error: cannot read {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    report_to_stderr(&evaluation.diagnostics, &sources, diagnostic_format, color);
    let Some(schedule) = evaluation.schedule else {
        return ExitCode::from(EXIT_FINDINGS);
    };
    let format = match format {
        ScheduleOutput::Table => render::schedule::ScheduleFormat::Table,
        ScheduleOutput::Json => render::schedule::ScheduleFormat::Json,
        ScheduleOutput::Csv => render::schedule::ScheduleFormat::Csv,
    };
    let text = render::schedule::render(&schedule, format);
    write_output(&text, output)
}

fn emit(
    contract: &std::path::Path,
    format: EmitOutput,
    output: Option<&std::path::Path>,
    diagnostic_format: OutputFormat,
) -> ExitCode {
    let format = match format {
        EmitOutput::Json => obc::emit::EmitFormat::Json,
        EmitOutput::Markdown => obc::emit::EmitFormat::Markdown,
        EmitOutput::Html => obc::emit::EmitFormat::Html,
        EmitOutput::Ocds => obc::emit::EmitFormat::Ocds,
    };
    let mut sources = new_sources();
    let emission = match obc::emit::emit_file(contract, format, &mut sources) {
        Ok(emission) => emission,
        Err(error) => {
            eprintln!(
                "error: cannot read `{}`: {}",
                contract.display(),
                obc::load::plain_io_error(&error)
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    report_to_stderr(
        &emission.diagnostics,
        &sources,
        diagnostic_format,
        Color::Auto,
    );
    let Some(text) = emission.output else {
        return ExitCode::from(EXIT_FINDINGS);
    };
    write_output(&text, output)
}

/// Writes to a file, or to standard output.
fn write_output(text: &str, output: Option<&std::path::Path>) -> ExitCode {
    match output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, text) {
                eprintln!(
                    "error: cannot write `{}`: {}",
                    path.display(),
                    obc::load::plain_io_error(&error)
                );
                return ExitCode::from(EXIT_USAGE);
            }
        }
        None => print(text),
    }
    ExitCode::SUCCESS
}

fn test(files: &[PathBuf], update: bool, coverage: bool) -> ExitCode {
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = String::new();
    for path in files {
        let mut sources = new_sources();
        let workspace = match obc::load::load(path, &mut sources) {
            Ok(workspace) => workspace,
            Err(error) => {
                eprintln!(
                    "error: cannot read `{}`: {}",
                    path.display(),
                    obc::load::plain_io_error(&error)
                );
                return ExitCode::from(EXIT_USAGE);
            }
        };
        let analysis = obc::check::analyse(&workspace, &sources);
        let Some(contract) = analysis.contract else {
            report_to_stderr(
                &analysis.diagnostics,
                &sources,
                OutputFormat::Human,
                Color::Auto,
            );
            return ExitCode::from(EXIT_FINDINGS);
        };
        let results = obc::testing::run(&workspace, &contract, &sources);
        out.push_str(&format!(
            "\nrunning {} test{} in {}\n",
            results.len(),
            if results.len() == 1 { "" } else { "s" },
            path.display()
        ));
        for result in &results {
            let status = if result.passed() { "ok" } else { "FAILED" };
            out.push_str(&format!("test {} ... {status}\n", result.title));
        }
        for result in results.iter().filter(|r| !r.passed()) {
            out.push_str(&format!("\n---- {} ----\n", result.title));
            for problem in &result.problems {
                out.push_str(&format!("  {problem}\n"));
            }
            for failure in &result.failures {
                out.push_str(&format!(
                    "  {}\n    expected: {}\n    actual:   {}\n",
                    failure.expectation, failure.expected, failure.actual
                ));
                for step in &failure.explanation {
                    out.push_str(&format!("      {step}\n"));
                }
            }
        }
        if coverage {
            let (total, missing) = obc::testing::uncovered(&contract, &results);
            out.push_str(&format!(
                "\ncoverage of {}: {} of {total} exercised\n",
                path.display(),
                total - missing.len()
            ));
            for item in &missing {
                out.push_str(&format!("  not exercised: {item}\n"));
            }
        }
        passed += results.iter().filter(|r| r.passed()).count();
        failed += results.iter().filter(|r| !r.passed()).count();
        if update && results.iter().any(|r| !r.failures.is_empty()) {
            let text = &sources.get(workspace.root).text;
            let updated = obc::testing::updated_source(text, &results, &contract);
            if let Err(error) = std::fs::write(path, updated) {
                eprintln!(
                    "error: cannot write `{}`: {}",
                    path.display(),
                    obc::load::plain_io_error(&error)
                );
                return ExitCode::from(EXIT_USAGE);
            }
            out.push_str(&format!(
                "\nupdated the failing expectations in {}\n",
                path.display()
            ));
        }
    }
    out.push_str(&format!("\n{passed} passed, {failed} failed\n"));
    print(&out);
    if failed > 0 && !update {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints diagnostics on standard error, as `obc check` would print them.
fn report_to_stderr(
    diagnostics: &[obc::diagnostic::Diagnostic],
    sources: &Sources,
    format: OutputFormat,
    color: Color,
) {
    if diagnostics.is_empty() {
        return;
    }
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = HumanStyle {
        color,
        width: terminal_width(),
    };
    let text = render::render(check_format(format), diagnostics, sources, style);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Loads and checks a contract for a command that needs it without errors: the resolved
/// contract, or the exit status after printing why not.
fn checked(path: &std::path::Path) -> Result<obc::model::Contract, ExitCode> {
    let mut sources = new_sources();
    let workspace = obc::load::load(path, &mut sources).map_err(|error| {
        eprintln!(
            "error: cannot read `{}`: {}",
            path.display(),
            obc::load::plain_io_error(&error)
        );
        ExitCode::from(EXIT_USAGE)
    })?;
    let analysis = obc::check::analyse(&workspace, &sources);
    analysis.contract.ok_or_else(|| {
        report_to_stderr(
            &analysis.diagnostics,
            &sources,
            OutputFormat::Human,
            Color::Auto,
        );
        ExitCode::from(EXIT_FINDINGS)
    })
}

fn curve(
    path: &std::path::Path,
    payment: &str,
    step: Option<&str>,
    year: Option<u32>,
    format: CurveOutput,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let step = match step.map(|s| s.parse::<rust_decimal::Decimal>()) {
        Some(Ok(step)) => Some(step),
        Some(Err(_)) => {
            eprintln!("error: `--step` needs a number such as `0.5`");
            return ExitCode::from(EXIT_USAGE);
        }
        None => None,
    };
    let contract = match checked(path) {
        Ok(contract) => contract,
        Err(code) => return code,
    };
    if format == CurveOutput::Svg && year.is_some_and(|y| y != 1) {
        eprintln!("error: `--year` applies to the table, CSV and JSON; the SVG chart shows contract year 1, as the specification does");
        return ExitCode::from(EXIT_USAGE);
    }
    let text = match format {
        CurveOutput::Svg => obc::curve::svg(&contract, payment)
            .ok_or_else(|| format!("payment `{payment}` has no payout curve to draw")),
        _ => obc::curve::curve(&contract, payment, step, year).map(|c| match format {
            CurveOutput::Csv => obc::curve::csv(&c),
            CurveOutput::Json => obc::curve::json(&c),
            _ => obc::curve::table(&c),
        }),
    };
    match text {
        Ok(text) => write_output(&text, output),
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn diff(old: &std::path::Path, new: &std::path::Path, format: DiffOutput) -> ExitCode {
    let (old, new) = match (checked(old), checked(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let changes = obc::diff::diff(&obc::emit::spec::build(&old), &obc::emit::spec::build(&new));
    print(&match format {
        DiffOutput::Human => obc::diff::human(&changes),
        DiffOutput::Json => obc::diff::json(&changes),
    });
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    }
}

fn simulate(path: &std::path::Path, scenarios: &std::path::Path, format: DiffOutput) -> ExitCode {
    let contract = match checked(path) {
        Ok(contract) => contract,
        Err(code) => return code,
    };
    let text = match std::fs::read_to_string(scenarios) {
        Ok(text) => text,
        Err(error) => {
            eprintln!(
                "error: cannot read `{}`: {}",
                scenarios.display(),
                obc::load::plain_io_error(&error)
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let file: obc::simulate::ScenarioFile = match serde_json::from_str(&text) {
        Ok(file) => file,
        Err(error) => {
            eprintln!(
                "error: `{}` is not a scenario file: {error}",
                scenarios.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match obc::simulate::simulate(&contract, &file) {
        Ok(simulation) => {
            print(&match format {
                DiffOutput::Human => obc::simulate::table(&simulation, &contract),
                DiffOutput::Json => format!(
                    "{}\n",
                    serde_json::to_string_pretty(&simulation).unwrap_or_default()
                ),
            });
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn check_format(format: OutputFormat) -> Format {
    match format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Formats each file in place (or only lists those that would change, with `--check`); `-` is
/// standard input, formatted to standard output. Exit status: 0 done or nothing to change, 1 a
/// file would change (`--check`), 2 a file could not be read or written.
fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    let mut would_change = false;
    for path in files {
        let stdin = path.as_os_str() == "-";
        let name = if stdin {
            "<standard input>".to_string()
        } else {
            path.display().to_string()
        };
        let read = if stdin {
            std::io::read_to_string(std::io::stdin())
        } else {
            obc::load::read_text(path)
        };
        let text = match read {
            Ok(text) => text,
            Err(error) => {
                eprintln!(
                    "error: cannot read `{name}`: {}",
                    obc::load::plain_io_error(&error)
                );
                status = ExitCode::from(EXIT_USAGE);
                continue;
            }
        };
        let formatted = obc::fmt::format(&text);
        if formatted.kept_as_written > 0 {
            eprintln!(
                "note: `{name}`: {} part{} could not be read and {} kept as written; `obc check` says why",
                formatted.kept_as_written,
                if formatted.kept_as_written == 1 { "" } else { "s" },
                if formatted.kept_as_written == 1 { "is" } else { "are" },
            );
        }
        if check {
            if formatted.changed {
                print(&format!("{name}\n"));
                would_change = true;
            }
        } else if stdin {
            print(&formatted.text);
        } else if formatted.changed {
            if let Err(error) = std::fs::write(path, &formatted.text) {
                eprintln!(
                    "error: cannot write `{name}`: {}",
                    obc::load::plain_io_error(&error)
                );
                status = ExitCode::from(EXIT_USAGE);
            }
        }
    }
    if status == ExitCode::SUCCESS && would_change {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        status
    }
}

fn explain(code: &str) -> ExitCode {
    let Some(found) = Code::lookup(code) else {
        eprintln!("error: `{code}` is not a diagnostic code; codes look like `E0301` (see docs/diagnostics.md)");
        return ExitCode::from(EXIT_USAGE);
    };
    match docs::explain(found) {
        Some(text) => {
            print(&format!("{text}\n"));
            ExitCode::SUCCESS
        }
        None => {
            print(&format!(
                "{} {}: {}\n",
                found.code(),
                found.name(),
                found.summary()
            ));
            ExitCode::SUCCESS
        }
    }
}

/// Prints to stdout, ignoring a closed pipe (`obc check x | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
