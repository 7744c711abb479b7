//! One linear pass over a file before the grammar reads it: it refuses what no contract can be
//! (too large, nested too deep) and matches braces as a reader would, skipping strings and
//! comments.
//!
//! A `{` that is never closed is hidden from the grammar (replaced by a byte no rule accepts, at
//! the same offset, so every span still points into the file as written). Without this, each rule
//! that opens a brace would read on to the end of the file looking for its `}` and then try again
//! from the next line: with a few unclosed braces that work grows exponentially, and a half-typed
//! contract would freeze an editor. With it, every `{` the grammar sees has its `}`.

use std::borrow::Cow;

use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::source::{FileId, Span};

use super::{MAX_FILE_BYTES, MAX_NESTING};

/// What the grammar reads in place of a `{` that is never closed.
const HIDDEN_BRACE: &str = "\u{1}";

/// The braces in a file that are never closed, by offset, in order, and the warnings the scan
/// found on the way.
pub(super) struct Braces {
    pub unclosed: Vec<usize>,
    pub warnings: Vec<Diagnostic>,
}

impl Braces {
    /// The text the grammar reads: `text` with every unclosed `{` hidden.
    pub fn readable<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.unclosed.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut readable = text.to_string();
        for &offset in &self.unclosed {
            readable.replace_range(offset..offset + 1, HIDDEN_BRACE);
        }
        Cow::Owned(readable)
    }

    /// The first unclosed brace in `span`.
    pub fn first_unclosed_in(&self, span: Span) -> Option<usize> {
        self.unclosed
            .iter()
            .copied()
            .find(|&offset| span.start <= offset && offset < span.end)
    }
}

/// Scans `text`: the braces never closed, or the diagnostic that refuses the file.
pub(super) fn prescan(text: &str, file: FileId) -> Result<Braces, Diagnostic> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
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
        .with_help("split the contract into files joined with `import`"));
    }
    let too_deep = |offset: usize, what: &str, help: &str| {
        Diagnostic::new(
            Code::NestingTooDeep,
            file,
            Span::new(offset, offset + 1),
            format!("{what} are nested more than {MAX_NESTING} deep"),
            "too deep",
        )
        .with_help(help.to_string())
    };
    let mut open: Vec<usize> = Vec::new();
    let mut brackets = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    let mut warnings = Vec::new();
    let mut warned_line = None;
    let mut line = 0usize;
    for (offset, c) in text.char_indices() {
        let newline = c == '\n' || c == '\r';
        if newline {
            line += 1;
        }
        if is_direction_control(c) {
            let removal = Edit::new(Span::new(offset, offset + c.len_utf8()), "");
            match warnings
                .last_mut()
                .and_then(|w: &mut Diagnostic| w.fix.as_mut())
            {
                // One warning a line, whose fix removes every such character on it.
                Some(fix) if warned_line == Some(line) => fix.edits.push(removal),
                _ => {
                    warned_line = Some(line);
                    warnings.push(direction_control(c, offset, file).with_fix(Fix::certain(
                        "remove the invisible text-direction characters on this line",
                        vec![removal],
                    )));
                }
            }
        }
        if in_comment {
            in_comment = !newline;
        } else if in_string {
            if newline {
                in_string = false;
                escaped = false;
            } else if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if text[offset..].starts_with("//") => in_comment = true,
                '{' => {
                    open.push(offset);
                    if open.len() > MAX_NESTING {
                        return Err(too_deep(
                            offset,
                            "braces",
                            "blocks nest at most two deep (a tiers table in a payment); close the blocks you opened with `}`",
                        ));
                    }
                }
                '}' => {
                    open.pop();
                }
                '(' => {
                    brackets += 1;
                    if brackets > MAX_NESTING {
                        return Err(too_deep(
                            offset,
                            "brackets",
                            "a calculation needs only a few brackets; close the brackets you opened with `)`",
                        ));
                    }
                }
                ')' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(Braces {
        unclosed: open,
        warnings,
    })
}

/// The invisible characters that reorder how text is shown (Unicode's embeddings, overrides and
/// isolates): text with them can read differently on screen from how obc reads it.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn direction_control(c: char, offset: usize, file: FileId) -> Diagnostic {
    let name = match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        _ => "pop directional isolate",
    };
    Diagnostic::new(
        Code::TextDirectionControl,
        file,
        Span::new(offset, offset + c.len_utf8()),
        format!(
            "this line holds an invisible {name} character (U+{:04X})",
            u32::from(c)
        ),
        "invisible character here",
    )
    .with_help("remove it: it changes the order in which text is shown, so the contract can read differently on screen, in the specification and in reviews from what obc reads")
}
