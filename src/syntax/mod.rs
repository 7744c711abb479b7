//! Parsing: contract text in, a typed syntax tree plus syntax diagnostics out.
//!
//! Parsing never fails as a whole. Lines it cannot read become one diagnostic each (the grammar
//! recovers at every setting and at every top-level block) and the rest of the file is still
//! read, so later stages see everything that was written correctly.

pub mod ast;
mod expected;
mod grammar;
pub(crate) mod literal;
pub use literal::MONTH_NAMES;
mod lower;

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use grammar::{ObcParser, Rule};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Braces nested deeper than this are refused before parsing: contracts nest two deep.
pub const MAX_NESTING: usize = 32;

/// The tree that could be built and every syntax diagnostic.
pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file. `file` is the id diagnostics are reported against.
pub fn parse(text: &str, file: FileId) -> Parsed {
    pest::set_error_detail(true);
    if let Some(diagnostic) = refuse_pathological(text, file) {
        return Parsed {
            file: ast::File::default(),
            diagnostics: vec![diagnostic],
        };
    }
    let pairs = match ObcParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(pair) => pair,
            None => {
                return Parsed {
                    file: ast::File::default(),
                    diagnostics: Vec::new(),
                }
            }
        },
        Err(error) => {
            let diagnostic = error_to_diagnostic(&error, text, 0, file, None);
            return Parsed {
                file: ast::File::default(),
                diagnostics: vec![diagnostic],
            };
        }
    };
    let mut lowerer = lower::Lowerer {
        file,
        diagnostics: Vec::new(),
    };
    let mut tree = ast::File::default();
    let mut syntax = Vec::new();
    collect_trivia(pairs.clone(), None, text, file, &mut tree, &mut syntax);
    for pair in pairs.into_inner() {
        if let Some(block) = lowerer.block(pair) {
            tree.blocks.push(block);
        }
    }
    syntax.extend(lowerer.diagnostics);
    Parsed {
        file: tree,
        diagnostics: syntax,
    }
}

/// Reads a period written as in a contract (`2016/17 Q1`, `2016-04`, ...) from a data cell.
pub fn parse_period(text: &str) -> Option<ast::PeriodLit> {
    let pair = ObcParser::parse(Rule::period_only, text.trim())
        .ok()?
        .next()?
        .into_inner()
        .next()?;
    let mut lowerer = lower::Lowerer {
        file: FileId(0),
        diagnostics: Vec::new(),
    };
    lowerer.period_pair(pair).map(|p| p.node)
}

/// Reads an ISO date (`2016-04-01`) from a data cell; whether the day exists is checked later.
pub fn parse_date(text: &str) -> Option<ast::DateLit> {
    ObcParser::parse(Rule::date_only, text.trim()).ok()?;
    Some(literal::date(text.trim()))
}

/// Refuses input that no contract could be: too large, or nested deeper than the grammar nests.
fn refuse_pathological(text: &str, file: FileId) -> Option<Diagnostic> {
    if text.len() > MAX_FILE_BYTES {
        return Some(
            Diagnostic::new(
                Code::FileTooLarge,
                file,
                Span::new(0, 0),
                format!(
                    "the file is {} bytes, more than the {} bytes obc reads",
                    text.len(),
                    MAX_FILE_BYTES
                ),
                "file starts here",
            )
            .with_help("split the contract into files joined with `import`"),
        );
    }
    let mut depth = 0usize;
    let mut brackets = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if text[offset..].starts_with("//") => in_comment = true,
                '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(
                            Diagnostic::new(
                                Code::NestingTooDeep,
                                file,
                                Span::new(offset, offset + 1),
                                format!("braces are nested more than {MAX_NESTING} deep"),
                                "too deep",
                            )
                            .with_help("blocks nest at most two deep (a tiers table in a payment); close the blocks you opened with `}`"),
                        );
                    }
                }
                '}' => depth = depth.saturating_sub(1),
                '(' => {
                    brackets += 1;
                    if brackets > MAX_NESTING {
                        return Some(
                            Diagnostic::new(
                                Code::NestingTooDeep,
                                file,
                                Span::new(offset, offset + 1),
                                format!("brackets are nested more than {MAX_NESTING} deep"),
                                "too deep",
                            )
                            .with_help("a calculation needs only a few brackets; close the brackets you opened with `)`"),
                        );
                    }
                }
                ')' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

fn pair_span(pair: &Pair<Rule>) -> Span {
    lower::span(pair)
}

/// Explains an unreadable top-level block by re-reading it strictly.
fn explain_bad_block(pair: &Pair<Rule>, text: &str, file: FileId) -> Diagnostic {
    let span = pair_span(pair);
    let slice = &text[span.start..span.end];
    match ObcParser::parse(Rule::strict_block, slice) {
        Err(error) if is_unclosed(&error, slice) => {
            let first_line = slice.lines().next().unwrap_or_default().trim_end();
            let keyword = first_line.split_whitespace().next().unwrap_or("block");
            let end = span.start + slice.trim_end().len();
            Diagnostic::new(
                Code::SyntaxError,
                file,
                Span::new(span.start, span.start + first_line.len()),
                format!("this `{keyword}` block is never closed"),
                "block opened here",
            )
            .with_label(Span::new(end, end), "expected `}` here")
            .with_help(format!(
                "add a line with `}}` at the end of the `{keyword}` block"
            ))
        }
        Err(error) => error_to_diagnostic(&error, text, span.start, file, None),
        // Cannot happen: the block would have been read. Say so plainly all the same.
        Ok(_) => Diagnostic::new(
            Code::SyntaxError,
            file,
            span,
            "this block could not be read",
            "unreadable",
        )
        .with_help("check the block against the language reference in docs/language.md"),
    }
}

/// Text after a complete setting on the same line.
fn setting_on_same_line(before: Span, at: Span, text: &str, file: FileId) -> Diagnostic {
    let found = word_at(text, at.start);
    Diagnostic::new(
        Code::SyntaxError,
        file,
        at,
        format!("unexpected {found} after the end of a setting"),
        "not part of the setting before it",
    )
    .with_label(before, "this setting is complete")
    .with_help("put each setting on a line of its own, or remove the extra text")
}

/// Whether a strict re-read failed only because the block's closing brace is missing.
fn is_unclosed(error: &pest::error::Error<Rule>, slice: &str) -> bool {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    let expects_brace = error
        .parse_attempts()
        .is_some_and(|a| a.expected_tokens().iter().any(|t| t.to_string() == "}"));
    expects_brace && at >= slice.trim_end().len()
}

/// Explains an unreadable setting by re-reading it with the rule of its block.
fn explain_bad_setting(
    pair: &Pair<Rule>,
    block: Option<Rule>,
    text: &str,
    file: FileId,
) -> Diagnostic {
    let span = pair_span(pair);
    let Some((rule, block_name)) = block.and_then(expected::setting_rule) else {
        return Diagnostic::new(
            Code::SyntaxError,
            file,
            span,
            "this line could not be read",
            "unreadable",
        );
    };
    let slice = &text[span.start..span.end];
    match ObcParser::parse(rule, slice) {
        Err(error) => error_to_diagnostic(&error, text, span.start, file, Some(block_name)),
        Ok(pairs) => {
            // The setting was read but text follows it on the same line.
            let read = pairs.last().map(|p| p.as_span().end()).unwrap_or(0);
            let rest_start =
                span.start + read + (slice[read..].len() - slice[read..].trim_start().len());
            setting_on_same_line(
                Span::new(span.start, span.start + read),
                Span::new(rest_start, span.end),
                text,
                file,
            )
        }
    }
}

/// Collects comments and explains unreadable parts, walking the tree once and remembering the
/// innermost block each bad setting sits in.
fn collect_trivia(
    pair: Pair<Rule>,
    block: Option<Rule>,
    text: &str,
    file: FileId,
    tree: &mut ast::File,
    syntax: &mut Vec<Diagnostic>,
) {
    match pair.as_rule() {
        Rule::COMMENT => {
            tree.comments.push(ast::Comment {
                text: pair.as_str().trim_start_matches('/').to_string(),
                span: pair_span(&pair),
            });
        }
        Rule::bad_block => {
            tree.unreadable.push(pair_span(&pair));
            syntax.push(explain_bad_block(&pair, text, file))
        }
        Rule::bad_setting => {
            tree.unreadable.push(pair_span(&pair));
            syntax.push(explain_bad_setting(&pair, block, text, file))
        }
        rule => {
            let Some((setting, _)) = expected::setting_rule(rule) else {
                for child in pair.into_inner() {
                    collect_trivia(child, block, text, file, tree, syntax);
                }
                return;
            };
            // In a block body: every setting must start on a line of its own.
            let mut previous: Option<Span> = None;
            for child in pair.into_inner() {
                let child_rule = child.as_rule();
                let is_setting = child_rule == setting || child_rule == Rule::bad_setting;
                let at = pair_span(&child);
                let same_line = previous.is_some_and(|p| !text[p.end..at.start].contains('\n'));
                if is_setting && same_line {
                    let before = previous.unwrap_or_default();
                    syntax.push(setting_on_same_line(before, at, text, file));
                } else {
                    collect_trivia(child, Some(rule), text, file, tree, syntax);
                }
                if is_setting {
                    previous = Some(at);
                }
            }
        }
    }
}

/// The word at `offset`, in backticks, for "found ..." messages.
fn word_at(text: &str, offset: usize) -> String {
    let rest = &text[offset.min(text.len())..];
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    if word.is_empty() {
        if rest.is_empty() {
            "the end of the file".to_string()
        } else {
            "the end of the line".to_string()
        }
    } else {
        format!("`{word}`")
    }
}

/// Turns a pest error on `text[base..]` into a diagnostic in plain words.
fn error_to_diagnostic(
    error: &pest::error::Error<Rule>,
    text: &str,
    base: usize,
    file: FileId,
    block_name: Option<&str>,
) -> Diagnostic {
    let position = base
        + match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((start, _)) => start,
        };
    let mut wanted: Vec<String> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some(words) = expected::describe(*rule) {
                push_unique(&mut wanted, words.to_string());
            }
        }
    }
    // Literal words the grammar tried here, such as `}` or `per`. They are named only when no
    // rule describes the place better, except closing braces, which always matter.
    // Punctuation inside literals (`-`, `/`) and built-in classes are never named.
    if let Some(attempts) = error.parse_attempts() {
        let described = !wanted.is_empty();
        for token in attempts.expected_tokens().iter().map(ToString::to_string) {
            let word =
                token.starts_with(|c: char| c.is_ascii_alphabetic()) && token != "BUILTIN_RULE";
            if token == "}" || (word && !described) {
                push_unique(&mut wanted, format!("`{token}`"));
            }
        }
    }
    let found = word_at(text, position);
    let found_len = match found.strip_prefix('`').and_then(|f| f.strip_suffix('`')) {
        Some(word) => word.len(),
        None => 0,
    };
    let span = Span::new(position, (position + found_len).min(text.len()));
    let expectation = join_alternatives(&wanted);
    let message = match &expectation {
        Some(e) => format!("expected {e}, found {found}"),
        None => format!("unexpected {found}"),
    };
    let label = if found_len == 0 {
        "expected more here"
    } else {
        "not expected here"
    };
    let help =
        match block_name {
            Some(block) => format!(
            "each line of {} {block} is one setting; see the {block} section of docs/language.md",
            if block.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
        ),
            None => "see docs/language.md for how each block is written".to_string(),
        };
    Diagnostic::new(Code::SyntaxError, file, span, message, label).with_help(help)
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `a`, `a or b`, `a, b or c`; at most six alternatives.
fn join_alternatives(items: &[String]) -> Option<String> {
    let items: Vec<&str> = items.iter().take(6).map(String::as_str).collect();
    match items.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        [rest @ .., last] => Some(format!("{} or {}", rest.join(", "), last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        parse(text, FileId(0))
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code.code(), d.message))
            .collect()
    }

    #[test]
    fn a_setting_ending_in_an_optional_part_does_not_swallow_the_next_line() {
        let text = "indicator a {\n  target 85% // a comment\n  unit percent\n  target 80% in year 1, 85% from year 2\n}\n";
        assert_eq!(codes(text), Vec::<String>::new());
        let parsed = parse(text, FileId(0));
        let ast::Block::Indicator(indicator) = &parsed.file.blocks[0] else {
            panic!("an indicator")
        };
        assert_eq!(
            &text[indicator.settings[0].span.start..indicator.settings[0].span.end],
            "target 85%"
        );
        assert_eq!(parsed.file.comments.len(), 1);
    }

    #[test]
    fn two_settings_on_one_line_are_reported() {
        assert_eq!(
            codes("indicator a {\n unit percent better higher\n}\n"),
            vec!["E0001 unexpected `better` after the end of a setting"]
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_parsing() {
        let text = format!("payment p {}{}", "{".repeat(100), "}".repeat(100));
        assert_eq!(
            codes(&text),
            vec!["E0003 braces are nested more than 32 deep"]
        );
    }

    #[test]
    fn huge_files_are_refused() {
        let text = "// padding\n".repeat(MAX_FILE_BYTES / 11 + 1);
        let found = codes(&text);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("E0004 the file is"), "{found:?}");
    }

    #[test]
    fn odd_unicode_is_reported_not_panicked_on() {
        let found = codes("indicator a \"Ünïcödé ✓\" {\n  unit 😀\n}\n\u{feff}\u{202e}\n");
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
