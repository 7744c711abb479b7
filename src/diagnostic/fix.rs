//! Fixes: the changes a machine can make to a contract's text to fix a finding, and making
//! them without one fix overwriting another.

use std::collections::BTreeMap;

use crate::source::Span;

/// A change to the finding's file that fixes it: what an editor's quick fix and
/// `obc check --fix` apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the change does, in words: "replace the curly quotes with straight ones".
    pub title: String,
    /// The edits, in order and not overlapping.
    pub edits: Vec<Edit>,
    /// Whether the fix is certain to be what was meant (a character pasted from a word
    /// processor), so `obc check --fix` makes it; a guess (a name that is spelled like the one
    /// written) is only offered, in editors and reports.
    pub certain: bool,
}

/// Text of a file replaced: `span` (empty to insert) by `replacement` (empty to delete).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Fix {
    /// A fix that is certain.
    pub fn certain(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            certain: true,
        }
    }

    /// A fix that is a guess at what was meant.
    pub fn suggested(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            certain: false,
        }
    }
}

impl Edit {
    pub fn new(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }
}

/// `original` (a file's text as read from disk) with `fixes` made, and how many were made. Spans
/// are in the text as obc reads it (after a byte-order mark, which is kept). A fix is made
/// whole or not at all: one with an edit that overlaps an edit of a fix made before it (in
/// order of position), or that falls outside the text, is left for another run.
pub fn apply_fixes(original: &str, fixes: &[&Fix]) -> (String, usize) {
    let shift = if original.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let fits = |e: &Edit| {
        let (start, end) = (e.span.start + shift, e.span.end + shift);
        start <= end
            && end <= original.len()
            && original.is_char_boundary(start)
            && original.is_char_boundary(end)
    };
    let mut ordered: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty() && f.edits.iter().all(fits))
        .collect();
    ordered.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    // The spans of the edits taken, by start; they never overlap.
    let mut taken: BTreeMap<usize, (usize, &str)> = BTreeMap::new();
    let mut made = 0;
    for fix in ordered {
        let free = fix.edits.iter().enumerate().all(|(i, e)| {
            let (start, end) = (e.span.start, e.span.end);
            let clashes_within = fix.edits[..i]
                .iter()
                .any(|o| o.span.start < end && start < o.span.end || o.span.start == start);
            let clashes_taken = taken.contains_key(&start)
                || taken
                    .range(..end.max(start + 1))
                    .next_back()
                    .is_some_and(|(_, (taken_end, _))| *taken_end > start);
            !clashes_within && !clashes_taken
        });
        if free {
            for e in &fix.edits {
                taken.insert(e.span.start, (e.span.end, e.replacement.as_str()));
            }
            made += 1;
        }
    }
    let mut out = String::with_capacity(original.len());
    let mut at = 0;
    for (start, (end, replacement)) in taken {
        out.push_str(&original[at..start + shift]);
        out.push_str(replacement);
        at = end + shift;
    }
    out.push_str(&original[at..]);
    (out, made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix::certain(
            "test",
            edits
                .iter()
                .map(|(s, e, r)| Edit::new(Span::new(*s, *e), *r))
                .collect(),
        )
    }

    #[test]
    fn fixes_are_made_in_order_of_position_whatever_order_they_come_in() {
        // `“` and `”` are three bytes each.
        let (a, b) = (fix(&[(7, 10, "\"")]), fix(&[(0, 3, "\"")]));
        assert_eq!(
            apply_fixes("“Word” x", &[&a, &b]),
            ("\"Word\" x".to_string(), 2)
        );
    }

    #[test]
    fn a_fix_that_overlaps_one_made_is_left_whole() {
        let first = fix(&[(0, 3, "abc")]);
        let second = fix(&[(2, 4, "zz"), (6, 7, "q")]);
        assert_eq!(
            apply_fixes("0123456789", &[&first, &second]),
            ("abc3456789".to_string(), 1)
        );
    }

    #[test]
    fn spans_count_after_a_byte_order_mark_which_is_kept() {
        let remove = fix(&[(2, 3, "")]);
        assert_eq!(
            apply_fixes("\u{feff}10 %", &[&remove]),
            ("\u{feff}10%".to_string(), 1)
        );
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_not_made() {
        let outside = fix(&[(5, 40, "")]);
        let inside = fix(&[(1, 2, "")]);
        assert_eq!(
            apply_fixes("“ab", &[&outside, &inside]),
            ("“ab".to_string(), 0)
        );
    }
}
