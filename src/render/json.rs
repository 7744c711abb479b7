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
    /// The change that fixes the finding, when a machine can make one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    /// Whether `obc check --fix` makes it (it is certain); otherwise it is a guess to offer.
    pub certain: bool,
    pub edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit {
    /// Byte offsets of the text replaced, end exclusive (equal to insert).
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub replacement: String,
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
        let fix = d.fix.as_ref().map(|fix| JsonFix {
            title: fix.title.clone(),
            certain: fix.certain,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    span: e.span,
                    start: file.line_col(e.span.start),
                    end: file.line_col(e.span.end),
                    replacement: e.replacement.clone(),
                })
                .collect(),
        });
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
            fix,
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
