//! SARIF 2.1.0, the static-analysis interchange format read by GitHub code scanning and IDEs.
//! One rule per diagnostic code, with the code's documentation as the rule's help.

use serde_json::{json, Value};

use crate::diagnostic::{docs, Code, Diagnostic, Severity};
use crate::source::{FileId, Sources, Span};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(code: Code) -> Value {
    let help = docs::explain(code).unwrap_or(code.summary());
    json!({
        "id": code.code(),
        "name": code.name(),
        "shortDescription": { "text": code.summary() },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(code.severity()) },
    })
}

fn uri(sources: &Sources, file: FileId) -> Value {
    json!({ "uri": sources.get(file).name.replace('\\', "/") })
}

fn region(sources: &Sources, file: FileId, span: Span) -> Value {
    let source = sources.get(file);
    let (start, end) = (source.line_col(span.start), source.line_col(span.end));
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "byteOffset": span.start,
        "byteLength": span.len(),
    })
}

fn location(sources: &Sources, file: FileId, span: Span, message: Option<&str>) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": uri(sources, file),
            "region": region(sources, file, span),
        }
    });
    if let Some(text) = message {
        location["message"] = json!({ "text": text });
    }
    location
}

pub(super) fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            let related: Vec<Value> = d
                .labels
                .iter()
                .skip(1)
                .map(|l| location(sources, d.file, l.span, Some(&l.message)))
                .collect();
            let mut result = json!({
                "ruleId": d.code.code(),
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(sources, d.file, d.span(), None)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(sources, d.file, e.span),
                            "insertedContent": { "text": e.replacement },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": uri(sources, d.file),
                        "replacements": replacements,
                    }],
                }]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "obc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": Code::ALL.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}
