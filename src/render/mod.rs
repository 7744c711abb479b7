//! Turning diagnostics into text: miette's graphical report for people, and concise lines,
//! JSON, SARIF 2.1.0 and GitHub Actions annotations for tools.

mod github;
mod human;
mod json;
mod sarif;
pub mod schedule;

use crate::diagnostic::Diagnostic;
use crate::source::{LineCol, Sources};

pub use json::Finding;

/// The output formats of `obc check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// How a human report looks.
#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanStyle {
    fn default() -> Self {
        HumanStyle {
            color: false,
            width: 100,
        }
    }
}

/// Renders diagnostics in one format. Human and concise output end with a summary line.
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    style: HumanStyle,
) -> String {
    match format {
        Format::Human => human::render(diagnostics, sources, style),
        Format::Concise => concise(diagnostics, sources),
        Format::Json => json::render(diagnostics, sources),
        Format::Sarif => sarif::render(diagnostics, sources),
        Format::Github => github::render(diagnostics, sources),
    }
}

/// Start and end of a diagnostic's primary span as 1-based lines and columns.
pub(crate) fn start_end(diagnostic: &Diagnostic, sources: &Sources) -> (LineCol, LineCol) {
    let file = sources.get(diagnostic.file);
    let span = diagnostic.span();
    (file.line_col(span.start), file.line_col(span.end))
}

fn concise(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, _) = start_end(d, sources);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            sources.get(d.file).name,
            start.line,
            start.column,
            d.severity.as_str(),
            d.code.code(),
            d.message
        ));
    }
    out.push_str(&summary(diagnostics));
    out
}

/// `2 errors, 1 warning` or `no problems found`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no problems found\n".to_string(),
        (e, 0) => format!("{}\n", plural(e, "error")),
        (0, w) => format!("{}\n", plural(w, "warning")),
        (e, w) => format!("{}, {}\n", plural(e, "error"), plural(w, "warning")),
    }
}
