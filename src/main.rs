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
    },
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
    match cli.command {
        Command::Check {
            files,
            format,
            deny,
            color,
        } => check(&files, format, deny.is_some(), color),
        Command::Explain { code } => explain(&code),
    }
}

fn check(files: &[PathBuf], format: OutputFormat, deny_warnings: bool, color: Color) -> ExitCode {
    let mut sources = Sources::new();
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
    let format = match format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
    };
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

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
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
