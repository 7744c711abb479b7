//! The checker's findings as the protocol's diagnostics.
//!
//! Each finding keeps its code (`E0101`), linked to its section of docs/diagnostics.md; its
//! message is the one-line message, then the help on a line of its own (`help: ...`), so that
//! an editor showing one line shows the message and one showing all shows the fix too; its
//! secondary labels are related information, in the same file.

use std::collections::BTreeMap;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};

use super::position::Lines;
use super::snapshot::Snapshot;
use crate::diagnostic::{self, Code, Severity};

/// Where every code's documentation is published: docs/diagnostics.md, one section a code.
pub const DIAGNOSTICS_DOCS: &str = "https://github.com/obc-lang/obc/blob/main/docs/diagnostics.md";

/// The address of a code's section: `...diagnostics.md#e0101-undefined-name`.
pub fn docs_url(code: Code) -> String {
    format!(
        "{DIAGNOSTICS_DOCS}#{}-{}",
        code.code().to_lowercase(),
        code.name()
    )
}

/// The findings of a checked workspace, by the address of the file each is in.
pub fn by_file(snapshot: &Snapshot) -> BTreeMap<Url, Vec<Diagnostic>> {
    let mut found: BTreeMap<Url, Vec<Diagnostic>> = BTreeMap::new();
    let mut lines: BTreeMap<u32, Lines> = BTreeMap::new();
    for finding in &snapshot.analysis.diagnostics {
        let Some(url) = snapshot.url(finding.file) else {
            continue;
        };
        let lines = lines
            .entry(finding.file.0)
            .or_insert_with(|| Lines::new(snapshot.text(finding.file)));
        found
            .entry(url.clone())
            .or_default()
            .push(convert(finding, url, lines));
    }
    found
}

pub fn convert(finding: &diagnostic::Diagnostic, url: &Url, lines: &Lines) -> Diagnostic {
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = finding
        .labels
        .iter()
        .skip(1)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(url.clone(), lines.range(label.span)),
            message: label.message.clone(),
        })
        .collect();
    Diagnostic {
        range: lines.range(finding.span()),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.code.code().to_string())),
        code_description: Url::parse(&docs_url(finding.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("obc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_links_to_its_section() {
        assert_eq!(
            docs_url(Code::UndefinedName),
            "https://github.com/obc-lang/obc/blob/main/docs/diagnostics.md#e0101-undefined-name"
        );
        let docs = include_str!("../../docs/diagnostics.md");
        for code in Code::ALL {
            // GitHub's anchor for `## E0101: undefined-name`.
            let heading = format!("## {}: {}", code.code(), code.name());
            assert!(docs.contains(&heading), "{heading}");
            assert!(Url::parse(&docs_url(*code)).is_ok());
        }
    }
}
