//! GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding.

use crate::diagnostic::Diagnostic;
use crate::source::Sources;

/// Escapes message text as GitHub's workflow command parser requires.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which also may not contain `:` or `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, end) = super::start_end(d, sources);
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            d.severity.as_str(),
            escape_property(&sources.get(d.file).name),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} {}", d.code.code(), d.code.name())),
            escape_data(&d.message)
        ));
    }
    out
}
