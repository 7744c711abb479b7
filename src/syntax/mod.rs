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
mod characters;
pub mod complete;
mod lower;
mod prescan;

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::{Pair, Pairs};
use pest::Parser;
use std::num::NonZeroUsize;
use std::sync::Mutex;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use grammar::{ObcParser, Rule};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Braces nested deeper than this are refused before parsing: contracts nest two deep.
pub const MAX_NESTING: usize = 32;

/// Counted parser steps allowed for each byte of a file, on top of [`BASE_PARSE_STEPS`]. Reading
/// is linear in the input for every input, valid or not (tests/robustness.rs measures it); the
/// budget is a guard, so that a grammar mistake can never freeze an editor.
pub const PARSE_STEPS_PER_BYTE: usize = 400;
/// Counted parser steps every parse may take, however short the text.
pub const BASE_PARSE_STEPS: usize = 100_000;

/// pest's step budget is process-wide: contract parses take turns, each with its own budget.
static PARSER: Mutex<()> = Mutex::new(());

/// Parses `text` from `rule` within `steps` counted parser steps (`None`: the budget for its
/// length). The result borrows `text`, not the lock.
fn parse_rule(
    rule: Rule,
    text: &str,
    steps: Option<usize>,
) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let steps = steps.unwrap_or(BASE_PARSE_STEPS + PARSE_STEPS_PER_BYTE * text.len());
    let _turn = PARSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    pest::set_error_detail(true);
    pest::set_call_limit(NonZeroUsize::new(steps));
    let result = ObcParser::parse(rule, text);
    // Reads of single data cells do not take turns; they see the base budget at least.
    pest::set_call_limit(NonZeroUsize::new(BASE_PARSE_STEPS));
    result
}

/// Whether pest stopped because the step budget ran out.
fn out_of_steps(error: &pest::error::Error<Rule>) -> bool {
    matches!(&error.variant, ErrorVariant::CustomError { message } if message.contains("call limit"))
}

/// The guard's finding when a parse runs out of steps. Reading is linear, so this means a
/// mistake in obc's grammar, not in the contract; it is reported rather than freezing the caller.
fn too_complex(text: &str, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::TooComplexToRead,
        file,
        Span::new(0, text.lines().next().map_or(0, str::len)),
        format!(
            "reading this file took more than {} steps, more than any contract of its size needs",
            BASE_PARSE_STEPS + PARSE_STEPS_PER_BYTE * text.len()
        ),
        "file starts here",
    )
    .with_help("this is a fault in obc, not in the contract: please report it with the file attached; meanwhile, look for a block left half written")
}

/// The fewest counted parser steps in which `text` is read as a file, as [`parse`] reads it: a
/// measure of parsing work that does not depend on the machine, for tests and benchmarks. `None`
/// when it takes more than `most` steps, or the file is refused before parsing. (Explaining an
/// unreadable part re-reads only that part, so it adds at most the same again.)
pub fn parse_steps(text: &str, most: usize) -> Option<usize> {
    let braces = prescan::prescan(text, FileId(0)).ok()?;
    let readable = braces.readable(text);
    let fits = |steps: usize| match parse_rule(Rule::file, &readable, Some(steps)) {
        Ok(_) => true,
        Err(error) => !out_of_steps(&error),
    };
    let mut high = 16;
    while !fits(high) {
        if high >= most {
            return None;
        }
        high = (high * 2).min(most);
    }
    let mut low = high / 2;
    while low + 1 < high {
        let middle = low + (high - low) / 2;
        if fits(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    Some(high)
}

/// The tree that could be built and every syntax diagnostic.
pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file. `file` is the id diagnostics are reported against.
pub fn parse(text: &str, file: FileId) -> Parsed {
    parse_within(text, file, None)
}

/// [`parse`], with the main read limited to `steps` counted parser steps (`None`: the budget for
/// the text's length).
fn parse_within(text: &str, file: FileId, steps: Option<usize>) -> Parsed {
    let braces = match prescan::prescan(text, file) {
        Ok(braces) => braces,
        Err(diagnostic) => {
            // Nothing of a refused file is read.
            let file = ast::File {
                unreadable: vec![Span::new(0, text.len())],
                ..ast::File::default()
            };
            return Parsed {
                file,
                diagnostics: vec![diagnostic],
            };
        }
    };
    let readable = braces.readable(text);
    let warnings = braces.warnings.clone();
    let reading = Reading {
        text,
        readable: &readable,
        braces: &braces,
        file,
    };
    let pairs = match parse_rule(Rule::file, &readable, steps) {
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
    collect_trivia(pairs.clone(), None, &reading, &mut tree, &mut syntax);
    tree.names = pairs
        .clone()
        .into_inner()
        .flatten()
        .filter(|pair| pair.as_rule() == Rule::name)
        .map(|pair| pair_span(&pair))
        .collect();
    for pair in pairs.into_inner() {
        if let Some(block) = lowerer.block(pair) {
            tree.blocks.push(block);
        }
    }
    syntax.extend(lowerer.diagnostics);
    syntax.extend(warnings);
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
/// A file being read: the text as written, which messages quote, and the text the grammar reads
/// (the same, with unclosed braces hidden).
struct Reading<'t> {
    text: &'t str,
    readable: &'t str,
    braces: &'t prescan::Braces,
    file: FileId,
}

fn pair_span(pair: &Pair<Rule>) -> Span {
    lower::span(pair)
}

/// Explains an unreadable top-level block by re-reading it strictly.
fn explain_bad_block(pair: &Pair<Rule>, reading: &Reading) -> Diagnostic {
    let (text, file) = (reading.text, reading.file);
    let span = pair_span(pair);
    let slice = &reading.readable[span.start..span.end];
    let never_closed = || {
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
            "add a line with `}}` at the end of the `{keyword}` block, or remove a `{{` typed by mistake"
        ))
    };
    if reading.braces.first_unclosed_in(span).is_some() {
        return never_closed();
    }
    match parse_rule(Rule::strict_block, slice, None) {
        Err(error) if is_unclosed(&error, slice) => never_closed(),
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
    // `target 10 %`: the setting ended at the number, and a space before `%` is the slip.
    let head = text[..at.start].trim_end_matches([' ', '\t']);
    let number = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
    if number.len() < head.len() && text[at.start..].starts_with('%') {
        let (line_start, line_end) = line_around(text, at.start);
        let line = &text[line_start..line_end];
        if let Some(slip) = characters::slip(line, line_start, number.len() - line_start) {
            return Diagnostic::new(
                Code::SyntaxError,
                file,
                at,
                slip.message,
                "not expected here",
            )
            .with_help(slip.help)
            .with_fix(slip.fix);
        }
    }
    let found = characters::found_at(text, at.start);
    let message = match found.help {
        Some(_) => format!("found {} after the end of a setting", found.words),
        None => format!("unexpected {} after the end of a setting", found.words),
    };
    Diagnostic::new(
        Code::SyntaxError,
        file,
        at,
        message,
        "not part of the setting before it",
    )
    .with_label(before, "this setting is complete")
    .with_help(found.help.unwrap_or_else(|| {
        "put each setting on a line of its own, or remove the extra text".to_string()
    }))
    .with_fix(found.fix)
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
fn explain_bad_setting(pair: &Pair<Rule>, block: Option<Rule>, reading: &Reading) -> Diagnostic {
    let (text, file) = (reading.text, reading.file);
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
    let slice = &reading.readable[span.start..span.end];
    match parse_rule(rule, slice, None) {
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
    reading: &Reading,
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
            syntax.push(explain_bad_block(&pair, reading))
        }
        Rule::bad_setting => {
            tree.unreadable.push(pair_span(&pair));
            syntax.push(explain_bad_setting(&pair, block, reading))
        }
        rule => {
            let Some((setting, _)) = expected::setting_rule(rule) else {
                for child in pair.into_inner() {
                    collect_trivia(child, block, reading, tree, syntax);
                }
                return;
            };
            // In a block body: every setting must start on a line of its own.
            let mut previous: Option<Span> = None;
            for child in pair.into_inner() {
                let child_rule = child.as_rule();
                let is_setting = child_rule == setting || child_rule == Rule::bad_setting;
                let at = pair_span(&child);
                let same_line =
                    previous.is_some_and(|p| !reading.text[p.end..at.start].contains(['\n', '\r']));
                if is_setting && same_line {
                    let before = previous.unwrap_or_default();
                    syntax.push(setting_on_same_line(before, at, reading.text, reading.file));
                } else {
                    collect_trivia(child, Some(rule), reading, tree, syntax);
                }
                if is_setting {
                    previous = Some(at);
                }
            }
        }
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
    if out_of_steps(error) {
        return too_complex(text, file);
    }
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
    let found = characters::found_at(text, position);
    let span = Span::new(position, (position + found.len).min(text.len()));
    let (line_start, line_end) = line_around(text, position);
    let slip = characters::slip(
        &text[line_start..line_end],
        line_start,
        position - line_start,
    );
    let label = if found.len == 0 {
        "expected more here"
    } else {
        "not expected here"
    };
    if let Some(slip) = slip {
        return Diagnostic::new(Code::SyntaxError, file, span, slip.message, label)
            .with_help(slip.help)
            .with_fix(slip.fix);
    }
    let expectation = join_alternatives(&wanted);
    let message = match &expectation {
        Some(e) => format!("expected {e}, found {}", found.words),
        None if found.len == 0 && position >= text.trim_end().len() => {
            "the file ends too early".to_string()
        }
        None if found.len == 0 => "the line ends too early".to_string(),
        None if found.help.is_some() => format!("found {}", found.words),
        None => format!("unexpected {}", found.words),
    };
    if let Some(help) = found.help {
        return Diagnostic::new(Code::SyntaxError, file, span, message, label)
            .with_help(help)
            .with_fix(found.fix);
    }
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

/// The byte range of the line holding `offset`, without its line break.
fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    (start, end)
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
    fn a_parse_that_runs_out_of_steps_is_reported_not_hung() {
        let text = "indicator a \"A\" {\n  unit percent\n}\n";
        let parsed = parse_within(text, FileId(0), Some(20));
        let found: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.code()).collect();
        assert_eq!(found, vec!["E0007"]);
        assert!(parse(text, FileId(0)).diagnostics.is_empty());
    }

    #[test]
    fn every_kind_of_space_is_named_not_looped_on() {
        for space in ['\u{1680}', '\u{205f}', '\u{a0}', '\u{3000}'] {
            let found = codes(&format!("indicator a {{\n  unit{space}percent\n}}\n"));
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(found[0].contains("space (U+"), "{found:?}");
        }
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
        assert_eq!(
            found,
            vec![
                "E0001 expected a unit: `percent`, `count`, `rate per 1,000`, `money`, `days`, `score 0 to 10` or `ratio`, found `😀`",
                "E0001 expected a block such as `contract`, `indicator` or `payment`, found a zero-width no-break space (U+FEFF)",
                "W0009 this line holds an invisible right-to-left override character (U+202E)",
            ]
        );
    }
}
