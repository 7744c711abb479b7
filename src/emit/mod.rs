//! Emission: specifications of a checked contract for tenders, as versioned JSON (with a JSON
//! Schema), a Markdown or HTML document, or an OCDS release package.

pub mod chart;
pub mod document;
pub mod ocds;
pub mod spec;

use crate::model::Contract;

/// The output formats of `obc emit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmitFormat {
    Json,
    Markdown,
    Html,
    Ocds,
}

/// Renders a resolved contract in one format.
pub fn emit(contract: &Contract, format: EmitFormat) -> String {
    let spec = spec::build(contract);
    match format {
        EmitFormat::Json => {
            let mut text = serde_json::to_string_pretty(&spec).unwrap_or_default();
            text.push('\n');
            text
        }
        EmitFormat::Markdown => document::markdown(&spec),
        EmitFormat::Html => document::html(&spec),
        EmitFormat::Ocds => ocds::release_package(&spec),
    }
}

/// The result of emitting a file: every diagnostic and, when there were no errors, the output.
pub struct Emission {
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    pub output: Option<String>,
}

/// Loads and checks a contract and, when it has no errors, renders it. A contract with errors
/// is refused: its diagnostics are returned and there is no output.
pub fn emit_file(
    path: &std::path::Path,
    format: EmitFormat,
    sources: &mut crate::source::Sources,
) -> std::io::Result<Emission> {
    let workspace = crate::load::load(path, sources)?;
    let analysis = crate::check::analyse(&workspace, sources);
    let output = analysis
        .contract
        .as_ref()
        .map(|contract| emit(contract, format));
    Ok(Emission {
        diagnostics: analysis.diagnostics,
        output,
    })
}
