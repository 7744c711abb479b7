//! The documentation of each diagnostic code, taken from `docs/diagnostics.md` at build time.

use super::Code;

const DOCS: &str = include_str!("../../docs/diagnostics.md");

/// The documentation section of a code: from its `## CODE` heading up to the next heading of
/// the same level. `None` when the docs lack a section (a test guards against that).
pub fn explain(code: Code) -> Option<&'static str> {
    let heading = format!("## {}", code.code());
    let start = DOCS
        .match_indices(&heading)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || DOCS[..i].ends_with('\n'))?;
    let rest = &DOCS[start..];
    let end = rest[3..].find("\n## ").map(|i| i + 4).unwrap_or(rest.len());
    Some(rest[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_with_its_name() {
        for code in Code::ALL {
            let doc = explain(*code)
                .unwrap_or_else(|| panic!("{} has no section in docs/diagnostics.md", code.code()));
            let first_line = doc.lines().next().unwrap_or_default();
            assert!(
                first_line.contains(code.name()),
                "heading of {} should name `{}`: {first_line}",
                code.code(),
                code.name()
            );
        }
    }
}
