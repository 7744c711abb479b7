//! Formatting: a contract's text in one canonical layout, changing only whitespace.
//!
//! The layout is built from the spans of the syntax tree, never by printing values again: each
//! setting's words are taken as written and only the whitespace between them is chosen, so no
//! value or its precision can change. Text that could not be read (or that the tree does not
//! hold) is kept as written. The rules are in docs/formatting.md.

mod layout;
mod outline;
mod tokens;

use std::borrow::Cow;

use crate::diagnostic::Code;
use crate::source::FileId;
use crate::syntax;

/// A file after formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    /// The text in the canonical layout.
    pub text: String,
    /// Whether it differs from the text given.
    pub changed: bool,
    /// How many parts of the file could not be read and are kept as written (the whole file,
    /// as one part, when it could not be read at all).
    pub kept_as_written: usize,
}

/// Formats a contract's text. A file with syntax errors is formatted wherever it could be read;
/// a file refused before parsing (too large, nested too deep) is returned as it is.
pub fn format(text: &str) -> Formatted {
    let unchanged = |kept_as_written| Formatted {
        text: text.to_string(),
        changed: false,
        kept_as_written,
    };
    // A byte-order mark is kept, and the text after it read as `obc check` reads it.
    let (mark, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text),
    };
    let text_lf = unix_newlines(body);
    let parsed = syntax::parse(&text_lf, FileId(0));
    let refused = parsed.diagnostics.iter().any(|d| {
        matches!(
            d.code,
            Code::NestingTooDeep | Code::FileTooLarge | Code::TooComplexToRead
        )
    });
    if refused {
        return unchanged(1);
    }
    let nodes = outline::outline(&text_lf, &parsed.file);
    let kept_as_written = outline::count_verbatim(&nodes);
    let formatted = format!("{mark}{}", layout::write(&text_lf, &nodes));
    // Formatting only ever changes whitespace; if a fault in the layout ever did more, the file
    // is left alone rather than changed.
    if !same_words(text, &formatted) {
        debug_assert!(
            false,
            "formatting changed more than whitespace:\n{formatted}"
        );
        return unchanged(kept_as_written);
    }
    Formatted {
        changed: formatted != text,
        text: formatted,
        kept_as_written,
    }
}

/// What a contract's text says, spans aside: its blocks, its comments (without trailing
/// whitespace) and each part that could not be read (each line without trailing whitespace).
/// Formatting keeps this the same; the tests and the fuzzer compare it before and after.
pub fn tree_without_spans(text: &str) -> String {
    let file = syntax::parse(text, FileId(0)).file;
    let comments: Vec<&str> = file.comments.iter().map(|c| c.text.trim_end()).collect();
    let unreadable: Vec<String> = file
        .unreadable
        .iter()
        .map(|s| {
            let part = text.get(s.start..s.end).unwrap_or_default().trim_end();
            part.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    format!(
        "{}\ncomments: {comments:?}\nunreadable: {unreadable:?}",
        without_spans(&format!("{:?}", file.blocks))
    )
}

/// A `Debug` rendering with every `Span { .. }` written `Span`.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        match rest[at..].find('}') {
            Some(close) => rest = &rest[at + close + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The characters the grammar treats as whitespace (after newlines are made `\n`).
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether two texts have the same characters once whitespace is taken out.
fn same_words(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !is_space(*c))
        .eq(b.chars().filter(|c| !is_space(*c)))
}

/// `\r\n` and a lone `\r` (both newlines to the grammar) as `\n`.
fn unix_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).text
    }

    #[test]
    fn settings_are_indented_two_spaces_a_level() {
        let text = "payment p \"P\"{\nweight   100%\n      tiers {\nbelow 80% pays nothing\n}\n}\n";
        assert_eq!(
            fmt(text),
            "payment p \"P\" {\n  weight 100%\n  tiers {\n    below 80%  pays nothing\n  }\n}\n"
        );
    }

    #[test]
    fn values_keep_their_precision_and_text_its_spaces() {
        let text = "indicator a  \"Two  spaces\" {\n  target   85.50%\n}\ncontract \"C\" {\n value £1,200 per  year\n}";
        assert_eq!(
            fmt(text),
            "indicator a \"Two  spaces\" {\n  target 85.50%\n}\n\ncontract \"C\" {\n  value £1,200 per year\n}\n"
        );
    }

    #[test]
    fn line_endings_and_trailing_whitespace_are_normalised() {
        let text = "flag a \"A\"   \r\nflag b \"B\"\r\n\r\n\r\n";
        assert_eq!(fmt(text), "flag a \"A\"\nflag b \"B\"\n");
    }

    #[test]
    fn a_byte_order_mark_is_kept_and_the_text_after_it_formatted() {
        let formatted = format("\u{feff}flag a \"A\"  \nindicator b {\n unit percent\n}\n");
        assert_eq!(
            formatted.text,
            "\u{feff}flag a \"A\"\n\nindicator b {\n  unit percent\n}\n"
        );
        assert_eq!(formatted.kept_as_written, 0);
    }

    #[test]
    fn an_empty_file_stays_empty() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt(" \n\n"), "");
        assert!(!format("").changed);
    }

    #[test]
    fn a_list_carried_on_after_a_comma_stays_carried_on() {
        let text = "payment p {\n  pot £1 in year 1,\n  £2 from year 2\n  linear from 50%\n      to 90%\n}\n";
        assert_eq!(
            fmt(text),
            "payment p {\n  pot £1 in year 1,\n    £2 from year 2\n  linear from 50% to 90%\n}\n"
        );
    }

    #[test]
    fn a_file_refused_before_parsing_is_returned_as_it_is() {
        let text = format!("payment p {}{}  \n", "{".repeat(40), "}".repeat(40));
        let formatted = format(&text);
        assert_eq!(formatted.text, text);
        assert_eq!(formatted.kept_as_written, 1);
    }
}
