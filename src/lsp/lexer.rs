//! The words, figures, strings and comments of a text, as an editor colours them: a linear
//! scan that never fails, for text the grammar could not read as much as for text it could.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A word: a name or a word of the language.
    Word,
    /// A number, percentage, amount, date or period such as `2016/17`.
    Figure,
    /// Text in double quotes (to the end of the line if never closed).
    Text,
    /// `//` to the end of the line.
    Comment,
    /// Any other character, one at a time: braces, commas, operators.
    Punctuation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every token of `text`, in order; white space between them is skipped.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let end_of_line = |from: usize| {
        text[from..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| from + i)
    };
    while let Some((start, c)) = chars.next() {
        let (kind, end) = if c.is_whitespace() {
            continue;
        } else if text[start..].starts_with("//") {
            (TokenKind::Comment, end_of_line(start))
        } else if c == '"' {
            let mut end = end_of_line(start);
            let mut escaped = false;
            for (i, c) in text[start + 1..end].char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = start + 1 + i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            (TokenKind::Text, end)
        } else if c.is_ascii_alphabetic() {
            let len = text[start..]
                .find(|c: char| !is_word_char(c))
                .unwrap_or(text.len() - start);
            (TokenKind::Word, start + len)
        } else if c.is_ascii_digit()
            || (matches!(c, '£' | '$' | '€' | '-')
                && text[start + c.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()))
        {
            (TokenKind::Figure, figure_end(text, start + c.len_utf8()))
        } else {
            (TokenKind::Punctuation, start + c.len_utf8())
        };
        found.push(Token {
            kind,
            span: Span::new(start, end),
        });
        while chars.peek().is_some_and(|(i, _)| *i < end) {
            chars.next();
        }
    }
    found
}

/// The end of a figure whose digits start at `from`: digits, with `,` `.` `/` `-` between
/// them (`1,200.50`, `2016/17`, `2016-04-01`, `2016-Q2`) and a `%` at the end.
fn figure_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        match bytes[i] {
            b'0'..=b'9' => i += 1,
            b',' | b'.' | b'/' if next.is_ascii_digit() => i += 1,
            b'-' if next.is_ascii_digit() || next == b'Q' => i += 1,
            b'Q' if i > 0 && bytes[i - 1] == b'-' => i += 1,
            b'%' => return i + 1,
            _ => break,
        }
    }
    i
}

/// The span of the word (letters, digits, underscores) at or just before `offset`.
pub fn word_at(text: &str, offset: usize) -> Option<Span> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset].trim_end_matches(is_word_char).len();
    let end = text[offset..]
        .find(|c: char| !is_word_char(c))
        .map_or(text.len(), |i| offset + i);
    (start < end).then_some(Span::new(start, end))
}

/// The token that holds `offset`, or ends at it.
pub fn token_at(tokens: &[Token], offset: usize) -> Option<Token> {
    let index = tokens.partition_point(|t| t.span.end < offset);
    tokens
        .get(index)
        .copied()
        .filter(|t| t.span.start <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.kind, &text[t.span.start..t.span.end]))
            .collect()
    }

    #[test]
    fn words_figures_text_and_comments() {
        use TokenKind::*;
        assert_eq!(
            kinds("baseline 82.7% in 2014/15 // \"x\"\nvalue £1,200.50, -5 \"a \\\" b\" {"),
            vec![
                (Word, "baseline"),
                (Figure, "82.7%"),
                (Word, "in"),
                (Figure, "2014/15"),
                (Comment, "// \"x\""),
                (Word, "value"),
                (Figure, "£1,200.50"),
                (Punctuation, ","),
                (Figure, "-5"),
                (Text, "\"a \\\" b\""),
                (Punctuation, "{"),
            ]
        );
        assert_eq!(
            kinds("2016-Q2 2016-04-01 \"open"),
            vec![
                (Figure, "2016-Q2"),
                (Figure, "2016-04-01"),
                (Text, "\"open")
            ]
        );
    }

    #[test]
    fn the_word_at_an_offset() {
        let text = "on still_home 😀x";
        assert_eq!(word_at(text, 5), Some(Span::new(3, 13)));
        assert_eq!(word_at(text, 13), Some(Span::new(3, 13)));
        assert_eq!(word_at(text, 2), Some(Span::new(0, 2)));
        assert_eq!(word_at(text, 18), Some(Span::new(18, 19)));
        assert_eq!(word_at(text, 15), None);
    }
}
