//! Findings as a JSON array: the format documented in docs/diagnostics.md for tools and editors.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::{LineCol, Sources, Span};

/// One finding as it appears in `--format json`.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub file: String,
    /// Byte offsets of the primary span, end exclusive.
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    /// Every label, the primary one first.
    pub labels: Vec<JsonLabel>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub message: String,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
}

impl Finding {
    pub fn new(d: &Diagnostic, sources: &Sources) -> Self {
        let file = sources.get(d.file);
        let labels = d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: l.message.clone(),
                span: l.span,
                start: file.line_col(l.span.start),
                end: file.line_col(l.span.end),
            })
            .collect();
        let (start, end) = super::start_end(d, sources);
        Finding {
            code: d.code.code(),
            name: d.code.name(),
            severity: d.severity.as_str(),
            message: d.message.clone(),
            help: d.help.clone(),
            file: file.name.clone(),
            span: d.span(),
            start,
            end,
            labels,
        }
    }
}

pub(super) fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let findings: Vec<Finding> = diagnostics
        .iter()
        .map(|d| Finding::new(d, sources))
        .collect();
    let mut out = serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
