//! The documents an editor has open: their text as the editor has it, kept in step with the
//! edits it sends (incremental sync: each change replaces a range, counted in UTF-16 units).

use lsp_types::TextDocumentContentChangeEvent;

use super::position::Lines;

/// An open document.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
}

impl Document {
    /// Applies the edits of one `didChange`, in order: each range is read against the text the
    /// edits before it left. A change without a range replaces the whole text.
    pub fn apply(&mut self, version: i32, changes: &[TextDocumentContentChangeEvent]) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = Lines::new(&self.text).span(range);
                    self.text.replace_range(span.start..span.end, &change.text);
                }
                None => self.text = change.text.clone(),
            }
        }
        self.version = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn ranged_edits_count_utf16_units_and_apply_in_order() {
        let mut doc = Document {
            text: "title \"🏥 Ünï\" x\nnext\n".to_string(),
            version: 1,
        };
        // `x` is at UTF-16 column 15: `title "` 7, `🏥` 2, ` Ünï" ` 6.
        doc.apply(
            2,
            &[
                edit(((0, 15), (0, 16)), "yes"),
                edit(((1, 0), (1, 4)), "line"),
                edit(((0, 0), (0, 0)), "// ✓\n"),
            ],
        );
        assert_eq!(doc.text, "// ✓\ntitle \"🏥 Ünï\" yes\nline\n");
        assert_eq!(doc.version, 2);
    }

    #[test]
    fn edits_past_the_end_are_clamped_and_a_whole_text_replaces_all() {
        let mut doc = Document {
            text: "ab".to_string(),
            version: 0,
        };
        doc.apply(1, &[edit(((0, 1), (7, 0)), "c")]);
        assert_eq!(doc.text, "ac");
        doc.apply(
            2,
            &[TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".to_string(),
            }],
        );
        assert_eq!(doc.text, "new");
    }
}
