//! Edits the server offers: quick fixes for findings that carry a fix, fixing every certain
//! finding of a file at once (`source.fixAll`), and formatting with the `obc fmt` engine.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use super::diagnostics;
use super::position::Lines;
use super::snapshot::Snapshot;
use crate::diagnostic::{apply_fixes, Fix};
use crate::source::{FileId, Span};

/// The kind of the action that makes every certain fix in a file.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.obc")
}

/// The code actions for `range` of a file: a quick fix for each finding with a fix whose span
/// meets the range, and, when the file has certain fixes, one action making them all.
pub fn code_actions(
    snapshot: &Snapshot,
    file: FileId,
    url: &Url,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let text = snapshot.text(file);
    let lines = Lines::new(text);
    let wanted = lines.span(range);
    let offers = |kind: &CodeActionKind| {
        only.is_none_or(|kinds| kinds.iter().any(|k| kind.as_str().starts_with(k.as_str())))
    };
    let in_file: Vec<_> = snapshot
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .filter_map(|d| d.fix.as_deref().map(|fix| (d, fix)))
        .collect();
    let mut actions = Vec::new();
    if offers(&CodeActionKind::QUICKFIX) {
        for (finding, fix) in &in_file {
            let span = finding.span();
            let meets = span.start <= wanted.end && wanted.start <= span.end;
            if !meets {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit::new(lines.range(e.span), e.replacement.clone()))
                .collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: capitalised(&fix.title),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostics::convert(finding, url, &lines)]),
                edit: Some(edit_of(url, edits)),
                is_preferred: Some(fix.certain),
                ..CodeAction::default()
            }));
        }
    }
    let certain: Vec<&Fix> = in_file
        .iter()
        .map(|(_, fix)| *fix)
        .filter(|f| f.certain)
        .collect();
    if !certain.is_empty() && offers(&fix_all_kind()) {
        let (fixed, _) = apply_fixes(text, &certain);
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Fix every certain finding in this file".to_string(),
            kind: Some(fix_all_kind()),
            edit: Some(edit_of(url, changed_part(text, &fixed))),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The edits that format a document's text: none when it is already tidy.
pub fn formatting(text: &str) -> Vec<TextEdit> {
    let formatted = crate::fmt::format(text);
    if formatted.changed {
        changed_part(text, &formatted.text)
    } else {
        Vec::new()
    }
}

fn edit_of(url: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(url.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// One edit turning `old` into `new`: the part between what they start and end with alike, so
/// an editor keeps the cursor and marks outside it where they were.
fn changed_part(old: &str, new: &str) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let lines = Lines::new(old);
    let span = Span::new(prefix, old.len() - suffix);
    vec![TextEdit::new(
        lines.range(span),
        new[prefix..new.len() - suffix].to_string(),
    )]
}

fn capitalised(title: &str) -> String {
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `old` with the edits made, as an editor makes them.
    fn apply(old: &str, edits: &[TextEdit]) -> String {
        let mut text = old.to_string();
        for edit in edits.iter().rev() {
            let span = Lines::new(&text).span(edit.range);
            text.replace_range(span.start..span.end, &edit.new_text);
        }
        text
    }

    #[test]
    fn the_changed_part_is_the_middle_and_turns_old_into_new() {
        for (old, new) in [
            ("flag a \"A\"  \n", "flag a \"A\"\n"),
            ("a\n\n\nb\n", "a\n\nb\n"),
            ("“x”", "\"x\""),
            ("ab", "abab"),
            ("é🙂é", "é🙃é"),
            ("", "x"),
            ("x", ""),
        ] {
            let edits = changed_part(old, new);
            assert_eq!(edits.len(), 1, "{old:?} -> {new:?}");
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}");
        }
        assert!(changed_part("same", "same").is_empty());
    }

    #[test]
    fn formatting_a_tidy_text_changes_nothing() {
        assert!(formatting("flag a \"A\"\n").is_empty());
        assert_eq!(
            apply("flag a   \"A\"\n", &formatting("flag a   \"A\"\n")),
            "flag a \"A\"\n"
        );
    }
}
