//! The words of one setting or block header as written: whitespace splits them, except inside
//! quoted text; comments and braces are words of their own.

use super::is_space;
use crate::source::Span;

/// One word, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token<'t> {
    pub text: &'t str,
    /// Whether a line ended between this word and the one before it.
    pub newline_before: bool,
    pub comment: bool,
}

impl<'t> Token<'t> {
    pub fn word(text: &'t str) -> Self {
        Token {
            text,
            newline_before: false,
            comment: false,
        }
    }
}

/// The words of `text[span]`; `comments` are the spans of the comments inside it, in order.
pub(super) fn tokens<'t>(text: &'t str, span: Span, comments: &[Span]) -> Vec<Token<'t>> {
    let mut found = Vec::new();
    let mut comments = comments.iter().peekable();
    let mut at = span.start;
    let mut newline_before = false;
    while at < span.end {
        if let Some(comment) = comments.next_if(|c| c.start <= at) {
            found.push(Token {
                text: text[comment.start..comment.end].trim_end_matches([' ', '\t']),
                newline_before,
                comment: true,
            });
            at = comment.end.max(at);
            newline_before = false;
            continue;
        }
        let Some(c) = text[at..span.end].chars().next() else {
            break;
        };
        if is_space(c) {
            newline_before |= c == '\n';
            at += c.len_utf8();
            continue;
        }
        let stop = comments.peek().map_or(span.end, |c| c.start.min(span.end));
        let end = if matches!(c, '{' | '}') {
            at + 1
        } else {
            word_end(text, at, stop)
        };
        found.push(Token {
            text: &text[at..end],
            newline_before,
            comment: false,
        });
        newline_before = false;
        at = end;
    }
    found
}

/// Where the word starting at `start` ends: at whitespace, a brace or `stop`, reading quoted
/// text (which may hold spaces and braces) whole.
fn word_end(text: &str, start: usize, stop: usize) -> usize {
    let mut chars = text[start..stop].char_indices().peekable();
    let mut in_quotes = false;
    while let Some((offset, c)) = chars.peek().copied() {
        if in_quotes {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' | '\n' => in_quotes = false,
                _ => {}
            }
        } else if is_space(c) || matches!(c, '{' | '}') {
            return start + offset;
        } else if c == '"' {
            in_quotes = true;
        }
        chars.next();
    }
    stop
}

/// The words joined by single spaces.
pub(super) fn joined(tokens: &[Token]) -> String {
    let words: Vec<&str> = tokens.iter().map(|t| t.text).collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text, Span::new(0, text.len()), &[])
            .iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn quoted_text_is_one_word_with_its_spaces_and_braces() {
        assert_eq!(
            words("title  \"a  { b \\\" c\"x  y{z}"),
            vec!["title", "\"a  { b \\\" c\"x", "y", "{", "z", "}"]
        );
    }

    #[test]
    fn comments_are_words_and_record_the_line_break_before_them() {
        let text = "a, // one\n  b";
        let found = tokens(text, Span::new(0, text.len()), &[Span::new(3, 9)]);
        assert_eq!(
            found,
            vec![
                Token::word("a,"),
                Token {
                    text: "// one",
                    newline_before: false,
                    comment: true
                },
                Token {
                    text: "b",
                    newline_before: true,
                    comment: false
                },
            ]
        );
    }
}
