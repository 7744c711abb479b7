//! What a syntax message says about the text it found: a word in backticks, or, for characters
//! a message cannot show (invisible spaces, line separators, controls, curly quotes), their name
//! and code point; and plain-words hints for the slips of text pasted from a word processor,
//! with the fix where what was meant is certain.

use crate::diagnostic::{Edit, Fix};
use crate::source::Span;

/// What was found where the grammar stopped, as a message shows it.
pub(super) struct Found {
    /// `` `word` ``, "a no-break space (U+00A0)", "the end of the line".
    pub words: String,
    /// Bytes of the text the label marks.
    pub len: usize,
    /// Help that replaces the block's general help, when the found text says what went wrong.
    pub help: Option<String>,
    /// The change that fixes the character found, when it is one a word processor puts in.
    pub fix: Option<Fix>,
}

/// What is at `offset` in `text`.
pub(super) fn found_at(text: &str, offset: usize) -> Found {
    let rest = &text[offset.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return Found {
            words: "the end of the file".to_string(),
            len: 0,
            help: None,
            fix: None,
        };
    };
    if let Some(character) = unusual(first) {
        let span = Span::new(offset, offset + first.len_utf8());
        return Found {
            words: character.name,
            len: first.len_utf8(),
            help: Some(character.help.to_string()),
            fix: character.replacement.map(|(title, replacement)| {
                Fix::certain(title, vec![Edit::new(span, replacement)])
            }),
        };
    }
    if first == '\n' || first == '\r' {
        return Found {
            words: "the end of the line".to_string(),
            len: 0,
            help: None,
            fix: None,
        };
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && unusual(*c).is_none())
        .take(24)
        .collect();
    if word.is_empty() {
        // Ordinary spaces, then more: name what follows them.
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = found_at(text, offset + skipped);
        return Found {
            len: if after.len > 0 {
                skipped + after.len
            } else {
                0
            },
            ..after
        };
    }
    Found {
        words: format!("`{word}`"),
        len: word.len(),
        help: None,
        fix: None,
    }
}

/// A character a message cannot show.
struct Unusual {
    /// Its name and code point: "a no-break space (U+00A0)".
    name: String,
    /// What to do about it.
    help: &'static str,
    /// What the fix does and what it writes instead, when what was meant is certain.
    replacement: Option<(&'static str, &'static str)>,
}

/// The name of a character a message cannot show, what to do about it, and its fix.
fn unusual(c: char) -> Option<Unusual> {
    const SPACE: &str = "replace it with an ordinary space, or remove it: it often comes with text pasted from a word processor";
    const LINE: &str =
        "replace it with an ordinary line break: obc ends lines only at a line feed or carriage return";
    const CONTROL: &str =
        "remove it: a contract is plain text, and this character cannot be seen in most editors";
    const QUOTE: &str = "obc text goes in straight double quotes `\"`: replace the curly quotes, which word processors put in as you type";
    const DASH: &str =
        "write a plain hyphen `-`: word processors turn hyphens into dashes as you type";
    const DIRECTION: &str = "remove it: it changes the order in which text is shown, so the contract would read differently on screen from how obc reads it";
    let name = match c {
        '\u{a0}' => "a no-break space",
        '\u{2007}' | '\u{202f}' => "a narrow no-break space",
        '\u{2000}'..='\u{200a}' | '\u{3000}' => "a wide space",
        '\u{200b}' => "a zero-width space",
        '\u{200c}' | '\u{200d}' | '\u{2060}' => "an invisible joiner",
        '\u{feff}' => "a zero-width no-break space",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{85}' => "a next-line character",
        '\u{b}' | '\u{c}' => "a page or tab break",
        '\u{0}' => "a NUL character",
        '\u{200e}' | '\u{200f}' | '\u{61c}' => "an invisible direction mark",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "an invisible text-direction control",
        '“' | '”' | '„' | '‟' | '‘' | '’' | '‚' | '«' | '»' => {
            // A double quote was meant; a single one may have been an apostrophe.
            let double = !matches!(c, '‘' | '’' | '‚');
            return Some(Unusual {
                name: format!("a curly quote `{c}`"),
                help: QUOTE,
                replacement: double.then_some(("replace the curly quote with `\"`", "\"")),
            });
        }
        '–' | '—' | '−' => {
            return Some(Unusual {
                name: format!("a dash `{c}`"),
                help: DASH,
                replacement: Some(("replace the dash with a hyphen `-`", "-")),
            })
        }
        c if c.is_control() && c != '\t' && c != '\n' && c != '\r' => "a control character",
        c if c.is_whitespace() && !matches!(c, ' ' | '\t' | '\n' | '\r') => "an unusual space",
        _ => return None,
    };
    let (help, replacement) = match c {
        '\u{2028}' | '\u{2029}' | '\u{85}' => (LINE, ("replace it with a line break", "\n")),
        '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            (DIRECTION, ("remove the invisible character", ""))
        }
        c if c.is_control() => (CONTROL, ("remove the invisible character", "")),
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {
            (SPACE, ("remove the invisible character", ""))
        }
        _ => (SPACE, ("replace it with an ordinary space", " ")),
    };
    Some(Unusual {
        name: format!("{name} (U+{:04X})", u32::from(c)),
        help,
        replacement: Some(replacement),
    })
}

/// A slip that the text around an error makes certain.
pub(super) struct Slip {
    pub message: String,
    pub help: String,
    pub fix: Option<Fix>,
}

/// A message, help and fix for a slip that the text around the error makes certain: a space
/// before `%`, a band written both ways, quotes from a word processor. `line` is the whole line,
/// starting at byte `line_start` of the file, and `column` the byte offset of the error in it.
pub(super) fn slip(line: &str, line_start: usize, column: usize) -> Option<Slip> {
    let column = column.min(line.len());
    let at = &line[column..];
    // `10 %`: a number, spaces, then a percent sign.
    let digits = at
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(at.len());
    if digits > 0
        && at[digits..].starts_with([' ', '\t'])
        && at[digits..].trim_start().starts_with('%')
    {
        let number = &at[..digits];
        let percent = at.find('%').unwrap_or(at.len());
        let spaces = Span::new(line_start + column + digits, line_start + column + percent);
        return Some(Slip {
            message: format!(
                "a percentage has no space before `%`: found `{}`",
                at[..(percent + 1).min(at.len())].trim_end()
            ),
            help: format!("write `{number}%`"),
            fix: Some(Fix::certain(
                format!("write `{number}%`"),
                vec![Edit::new(spaces, "")],
            )),
        });
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if let [side @ ("above" | "below"), low, "to", high, ..] = words.as_slice() {
        if !at.starts_with("to") {
            return None;
        }
        return Some(Slip {
            message: format!("a band is written `{low} to {high}` or `{side} {low}`, not both"),
            help: format!(
                "write `{low} to {high} pays ...` for a band between two values, or `{side} {low} pays ...` for a band with one end open"
            ),
            fix: None,
        });
    }
    if at.starts_with(['“', '”']) {
        let fixed = line.trim().replace(['“', '”'], "\"");
        let edits = line
            .match_indices(['“', '”'])
            .map(|(i, quote)| {
                Edit::new(
                    Span::new(line_start + i, line_start + i + quote.len()),
                    "\"",
                )
            })
            .collect();
        return Some(Slip {
            message: "text is in curly quotes `“ ”`: obc text goes in straight double quotes"
                .to_string(),
            help: format!(
                "write the line as `{fixed}`; word processors put curly quotes in as you type"
            ),
            fix: Some(Fix::certain(
                "replace the curly quotes with straight ones",
                edits,
            )),
        });
    }
    None
}
