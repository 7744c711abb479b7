//! Writing an outline as lines: indentation, line breaks, blank lines and band tables.

use super::outline::{Kind, Node};
use super::tokens::{joined, tokens, Token};
use crate::source::Span;

/// Spaces per level of braces.
const INDENT: usize = 2;
/// Spaces between a band's range, padded to the widest in its table, and `pays`.
const BAND_GAP: usize = 2;

/// The text of `nodes` (a file's top-level outline) in the canonical layout.
pub(super) fn write(text: &str, nodes: &[Node]) -> String {
    let mut writer = Writer {
        text,
        out: String::with_capacity(text.len() + text.len() / 8),
        line: None,
        blank: false,
    };
    writer.top_level(nodes);
    writer.end_line();
    writer.out
}

/// What a top-level node is, for the blank lines around it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A block with a body.
    Braced,
    /// A block of one line (`import`, `factor`, `flag`, an `input` without a body), or a part
    /// kept as written (which runs up to the next block).
    Line,
    Comment,
}

fn shape(node: &Node) -> Shape {
    match node.kind {
        Kind::Comment => Shape::Comment,
        Kind::Verbatim => Shape::Line,
        Kind::Item | Kind::Band(_) if node.open.is_some() => Shape::Braced,
        Kind::Item | Kind::Band(_) => Shape::Line,
    }
}

struct Writer<'t> {
    text: &'t str,
    out: String,
    /// The line being written, with its indentation; `None` before the first.
    line: Option<Line>,
    /// Whether a blank line comes before the next line.
    blank: bool,
}

struct Line {
    text: String,
    /// Whether the line has no word yet.
    empty: bool,
}

impl Writer<'_> {
    /// Ends the line being written and starts one at `depth`.
    fn start(&mut self, depth: usize) {
        self.end_line();
        if std::mem::take(&mut self.blank) && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.line = Some(Line {
            text: " ".repeat(depth * INDENT),
            empty: true,
        });
    }

    /// A line as written, without its trailing whitespace.
    fn raw_line(&mut self, text: &str) {
        self.end_line();
        self.line = Some(Line {
            text: text.trim_end_matches([' ', '\t']).to_string(),
            empty: false,
        });
    }

    fn end_line(&mut self) {
        if let Some(line) = self.line.take() {
            self.out.push_str(line.text.trim_end_matches(' '));
            self.out.push('\n');
        }
    }

    /// Adds a word to the line, a space after the word before it.
    fn word(&mut self, word: &str) {
        let line = self.line.get_or_insert(Line {
            text: String::new(),
            empty: true,
        });
        if !line.empty {
            line.text.push(' ');
        }
        line.text.push_str(word);
        line.empty = false;
    }

    fn top_level(&mut self, nodes: &[Node]) {
        // The node that started the last line (a trailing comment starts none), and the end of
        // the last node.
        let mut last: Option<(Shape, usize)> = None;
        for node in nodes {
            match last {
                None => self.start(0),
                Some((before, end)) => {
                    let between = &self.text[end..node.span.start];
                    if node.is_comment() && !between.contains('\n') {
                        // A trailing comment stays at the end of its line.
                        self.node(node, 0);
                        last = Some((before, node.span.end));
                        continue;
                    }
                    self.blank = match (before, shape(node)) {
                        (Shape::Braced, _) | (Shape::Line, Shape::Braced) => true,
                        _ => blank_lines(between),
                    };
                    self.start(0);
                }
            }
            self.node(node, 0);
            last = Some((shape(node), node.span.end));
        }
    }

    /// Writes a node from the current position in the line; its own lines are at `depth`.
    fn node(&mut self, node: &Node, depth: usize) {
        match (node.kind, node.open) {
            (Kind::Comment, _) => self.word(comment_text(self.text, node.span)),
            (Kind::Verbatim, _) => {
                let mut lines = self.text[node.span.start..node.span.end].split('\n');
                self.word(
                    lines
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches([' ', '\t']),
                );
                for line in lines {
                    self.raw_line(line);
                }
            }
            (_, Some(open)) => {
                let header = Span::new(node.span.start, open);
                let mut words = tokens(self.text, header, &node.comment_spans(open));
                words.push(Token::word("{"));
                self.words(&words, depth + 1);
                self.body(node, open, depth + 1);
                self.start(depth);
                self.word("}");
            }
            (_, None) => {
                let words = tokens(self.text, node.span, &node.comment_spans(node.span.end));
                self.words(&words, depth + 1);
            }
        }
    }

    /// Writes words, breaking the line after a comment, before a comment that stood on a line of
    /// its own, and where a list was carried on after a comma; carried-on lines are at `depth`.
    fn words(&mut self, words: &[Token], depth: usize) {
        for (index, word) in words.iter().enumerate() {
            if let Some(before) = index.checked_sub(1).map(|i| words[i]) {
                let carried_on = before.text.ends_with(',') && word.newline_before;
                if before.comment || (word.comment && word.newline_before) || carried_on {
                    self.start(depth);
                }
            }
            self.word(word.text);
        }
    }

    /// Writes the body of a block (after its `{`), each child on a line at `depth`.
    fn body(&mut self, node: &Node, open: usize, depth: usize) {
        let children = node.body();
        // Whether each child starts a line: a comment after something on its line stays there,
        // and two settings written on one line (an error `obc check` reports) stay on it.
        let mut previous_end = open + 1;
        let starts: Vec<bool> = children
            .iter()
            .enumerate()
            .map(|(index, child)| {
                let same_line = !self.text[previous_end..child.span.start].contains('\n');
                previous_end = child.span.end;
                !(same_line && (child.is_comment() || index > 0))
            })
            .collect();
        let band_width = children
            .iter()
            .zip(&starts)
            .filter_map(|(child, &starts)| band_columns(self.text, child).filter(|_| starts))
            .map(|(range, _)| range.chars().count())
            .max();
        let mut previous_end = open + 1;
        let mut any_line = false;
        for (child, &starts) in children.iter().zip(&starts) {
            if starts {
                self.blank = any_line && blank_lines(&self.text[previous_end..child.span.start]);
                self.start(depth);
                any_line = true;
            }
            match (band_width, band_columns(self.text, child)) {
                (Some(width), Some((range, rest))) if starts => {
                    let padding = width - range.chars().count() + BAND_GAP;
                    self.word(&format!("{range}{}{rest}", " ".repeat(padding)));
                }
                _ => self.node(child, depth),
            }
            previous_end = child.span.end;
        }
    }
}

/// A band row's range and the rest (`pays ...`), each as one line of words, when the row can be
/// aligned: no comment inside it.
fn band_columns(text: &str, node: &Node) -> Option<(String, String)> {
    let Kind::Band(range) = node.kind else {
        return None;
    };
    let inside = node.span.start <= range.start && range.end <= node.span.end;
    if !inside || !node.children.is_empty() || node.open.is_some() {
        return None;
    }
    let rest = Span::new(range.end, node.span.end);
    Some((
        joined(&tokens(text, range, &[])),
        joined(&tokens(text, rest, &[])),
    ))
}

/// A comment's text without trailing whitespace.
fn comment_text(text: &str, span: Span) -> &str {
    text[span.start..span.end].trim_end_matches([' ', '\t'])
}

/// Whether whitespace between two nodes holds a blank line.
fn blank_lines(between: &str) -> bool {
    between.matches('\n').count() > 1
}
