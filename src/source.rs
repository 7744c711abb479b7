//! Source files, byte spans and a line index for turning byte offsets into lines and columns.

use serde::Serialize;

/// A byte range in one source file, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Identifies a file within a [`Sources`] collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One source file with a precomputed index of line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to users: the path as given on the command line.
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// Lines before the text: non-zero for an excerpt of a large file kept only for a diagnostic.
    line_offset: usize,
}

/// Text as obc reads it: a byte-order mark at the start is dropped, and a carriage return not
/// followed by a line feed (old Mac line endings) ends a line like one. Every other byte is kept,
/// so offsets into the result match the file after its mark.
pub fn readable_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

impl SourceFile {
    /// A file of `text`, read as [`readable_text`] says.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = readable_text(text.into());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            line_offset: 0,
        }
    }

    /// An excerpt of a larger file: `text` is the file's line `first_line` (1-based) onwards, so
    /// line numbers shown to users are the file's own.
    pub fn excerpt(name: impl Into<String>, text: impl Into<String>, first_line: usize) -> Self {
        let mut file = SourceFile::new(name, text);
        file.line_offset = first_line.saturating_sub(1);
        file
    }

    /// Line and column of a byte offset, found by binary search over the line starts.
    /// Offsets past the end, or inside a UTF-8 sequence, are clamped to a valid position.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: self.line_offset + line + 1,
            column,
        }
    }

    /// The text of the 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self
            .line_starts
            .get(line.saturating_sub(1 + self.line_offset))
        else {
            return "";
        };
        let end = self
            .line_starts
            .get(line.saturating_sub(self.line_offset))
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// All the files of one run: the files named on the command line and what they import.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// Folders beyond the root contract's own that imports may read from.
    import_folders: Vec<std::path::PathBuf>,
    /// Texts that imports read instead of the files on disk, by canonical path: an editor's
    /// unsaved documents.
    overlays: std::collections::HashMap<std::path::PathBuf, String>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets imports read files in `folder` (and below), besides the root contract's own folder.
    pub fn allow_imports_from(&mut self, folder: std::path::PathBuf) {
        self.import_folders.push(folder);
    }

    /// The folders imports may read from besides the root contract's own.
    pub fn import_folders(&self) -> &[std::path::PathBuf] {
        &self.import_folders
    }

    /// Makes imports of the file at `canonical` read `text` instead of the file on disk. Which
    /// files an import may read is decided on disk as before.
    pub fn overlay(&mut self, canonical: std::path::PathBuf, text: String) {
        self.overlays.insert(canonical, text);
    }

    /// The text imports read for the file at `canonical`, when it stands in for the disk's.
    pub fn overlay_of(&self, canonical: &std::path::Path) -> Option<&str> {
        self.overlays.get(canonical).map(String::as_str)
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .map(|i| FileId(i as u32))
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("t", "ab\n£x\n\nz");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(7), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_col(8), LineCol { line: 4, column: 1 });
        assert_eq!(file.line_col(99), LineCol { line: 4, column: 2 });
        assert_eq!(file.line_text(2), "£x");
    }

    #[test]
    fn excerpts_keep_the_files_line_numbers() {
        let file = SourceFile::excerpt("big.csv", "P9,housed,2019-13-01\n", 1_000_001);
        assert_eq!(
            file.line_col(3),
            LineCol {
                line: 1_000_001,
                column: 4
            }
        );
        assert_eq!(file.line_text(1_000_001), "P9,housed,2019-13-01");
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_lone_carriage_returns_end_lines() {
        let file = SourceFile::new("t", "\u{feff}a\rb\r\nc\r");
        assert_eq!(file.text, "a\nb\r\nc\n");
        assert_eq!(file.line_col(2), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_text(2), "b");
        assert_eq!(file.line_col(5), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let file = SourceFile::new("t", "£");
        assert_eq!(file.line_col(1), LineCol { line: 1, column: 1 });
    }
}
