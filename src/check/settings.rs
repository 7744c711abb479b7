//! Settings that may appear once per block: finding repeats and missing ones.

use std::mem::discriminant;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::Spanned;

/// Reports every setting that repeats an earlier one of the same kind, unless `repeatable`
/// says that kind may repeat. `key` distinguishes settings of one kind that may coexist
/// (caps of different scopes); `word` names the setting in messages.
pub fn report_duplicates<T>(
    settings: &[Spanned<T>],
    file: FileId,
    repeatable: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> u64,
    word: impl Fn(&T) -> &'static str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (i, setting) in settings.iter().enumerate() {
        if repeatable(&setting.node) {
            continue;
        }
        let first = settings[..i].iter().find(|s| {
            discriminant(&s.node) == discriminant(&setting.node)
                && key(&s.node) == key(&setting.node)
        });
        if let Some(first) = first {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateSetting,
                    file,
                    setting.span,
                    format!("`{}` is set more than once", word(&setting.node)),
                    "set again here",
                )
                .with_label(first.span, "first set here")
                .with_help(format!(
                    "keep one `{}` line and remove the other",
                    word(&setting.node)
                )),
            );
        }
    }
}

/// The first setting that `pick` matches.
pub fn first<'s, T, R>(
    settings: &'s [Spanned<T>],
    pick: impl Fn(&'s T) -> Option<R>,
) -> Option<(R, Span)> {
    settings
        .iter()
        .find_map(|s| pick(&s.node).map(|r| (r, s.span)))
}

/// A diagnostic for a missing setting, marking the block's name.
pub fn missing(file: FileId, at: Span, message: String, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::MissingSetting, file, at, message, "needs a setting").with_help(help)
}
