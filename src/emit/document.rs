//! The readable specification for a tender pack, as Markdown or as one self-contained HTML file.

use super::spec::Spec;

/// The specification as Markdown.
pub fn markdown(spec: &Spec) -> String {
    format!("# {}\n", spec.contract.title)
}

/// The specification as one self-contained HTML file (inline CSS and SVG).
pub fn html(spec: &Spec) -> String {
    format!("<!doctype html><title>{}</title>\n", spec.contract.title)
}
