//! The one diagnostic type every stage reports with, and its documentation.

mod codes;
pub mod docs;
mod fix;

pub use codes::{Code, Severity};
pub use fix::{apply_fixes, Edit, Fix};

use crate::source::{FileId, Span};

/// A labelled span. The first label of a diagnostic is its primary label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding: a code, a one-line message, labelled spans in one file, help, and a change
/// that fixes it when a machine can make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Boxed, as most findings have none.
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    /// A diagnostic whose primary label marks `span` with `label`.
    pub fn new(
        code: Code,
        file: FileId,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            file,
            labels: vec![Label {
                span,
                message: label.into(),
            }],
            help: None,
            fix: None,
        }
    }

    /// Adds a secondary label: another place involved in the finding.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the change that fixes the finding (none for `None`).
    pub fn with_fix(mut self, fix: impl Into<Option<Fix>>) -> Self {
        self.fix = fix.into().map(Box::new);
        self
    }

    /// The primary span.
    pub fn span(&self) -> Span {
        self.labels.first().map(|l| l.span).unwrap_or_default()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file and position, so output is stable whatever order checks ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file, a.span().start, a.code, &a.message).cmp(&(
            b.file,
            b.span().start,
            b.code,
            &b.message,
        ))
    });
}
