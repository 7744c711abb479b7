//! Positions as editors count them, to and from byte offsets: a line and a column in UTF-16
//! code units, the protocol's default (obc's own columns count characters).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol says. A column past the end of a
//! line means the end of that line, a line past the end of the text means the end of the text,
//! and a column inside a character (half of a surrogate pair) means the start of the character.

use lsp_types::{Position, Range};

use crate::source::Span;

/// The lines of one text, for converting positions both ways.
pub struct Lines<'t> {
    text: &'t str,
    /// The byte offset each line starts at.
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { text, starts }
    }

    /// The position of a byte offset (clamped to the text, and back to a character's start).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self.line_end(position.line as usize);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units + c.len_utf16() > position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The span of a range; a range written backwards is read forwards.
    pub fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        Span::new(a.min(b), a.max(b))
    }

    /// Where the text of a line ends, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = &self.text[self.starts[line]..next];
        next - (content.len() - content.trim_end_matches(['\n', '\r']).len())
    }

    /// The byte offset a line starts at (the end of the text for a line past it).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let lines = Lines::new(text);
        for (offset, _) in text.char_indices() {
            // Between the two characters of a `\r\n` is no position of its own.
            if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                continue;
            }
            assert_eq!(
                lines.offset(lines.position(offset)),
                offset,
                "{text:?} at {offset}"
            );
        }
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // `😀` is two UTF-16 units and four bytes; `é` and `£` one unit and two bytes.
        let text = "a😀b\n£é x";
        let lines = Lines::new(text);
        assert_eq!(lines.position(0), Position::new(0, 0));
        assert_eq!(lines.position(1), Position::new(0, 1));
        assert_eq!(lines.position(5), Position::new(0, 3));
        assert_eq!(lines.position(7), Position::new(1, 0));
        assert_eq!(lines.position(11), Position::new(1, 2));
        assert_eq!(lines.offset(Position::new(0, 3)), 5);
        assert_eq!(lines.offset(Position::new(1, 3)), 12);
        round_trip(text);
    }

    #[test]
    fn non_latin_text() {
        let text = "indicator 指標 \"Здоровье 🏥 дома\" {\n  unit percent\n}";
        let lines = Lines::new(text);
        let at = text.find("дома").unwrap_or_default();
        // `indicator ` 10, `指標 ` 3, `"` 1, `Здоровье ` 9, `🏥 ` 3.
        assert_eq!(lines.position(at), Position::new(0, 26));
        assert_eq!(lines.offset(Position::new(0, 26)), at);
        round_trip(text);
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_is_the_start_of_the_character() {
        let lines = Lines::new("😀x");
        assert_eq!(lines.offset(Position::new(0, 1)), 0);
        assert_eq!(lines.offset(Position::new(0, 2)), 4);
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        let lines = Lines::new(text);
        assert_eq!(lines.position(3), Position::new(1, 0));
        assert_eq!(lines.position(5), Position::new(2, 0));
        assert_eq!(lines.position(7), Position::new(3, 0));
        // Past the end of a line: the end of the line, before its break.
        assert_eq!(lines.offset(Position::new(0, 9)), 1);
        assert_eq!(lines.offset(Position::new(1, 9)), 4);
        // Past the last line: the end of the text.
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        round_trip(text);
    }

    #[test]
    fn offsets_are_clamped() {
        let lines = Lines::new("£");
        assert_eq!(lines.position(1), Position::new(0, 0));
        assert_eq!(lines.position(99), Position::new(0, 1));
        assert_eq!(
            lines.span(Range::new(Position::new(0, 1), Position::new(0, 0))),
            Span::new(0, 2)
        );
    }
}
