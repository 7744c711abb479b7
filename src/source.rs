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

/// Reads a file as UTF-8 text, stopping as soon as it passes `max_bytes`, so that a device such
/// as `/dev/zero` cannot exhaust memory.
pub fn read_text(path: &std::path::Path, max_bytes: usize) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max_bytes {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the file is larger than the {} MiB obc reads",
                max_bytes / (1024 * 1024)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is not UTF-8 text (at byte {at})"),
        )
    })
}

/// The longest line obc reads from a file it streams: a line without an end (`/dev/zero`, a
/// binary file) is refused here rather than read into memory for ever.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A reader that fails once a line runs past [`MAX_LINE_BYTES`].
pub struct LineLimited<R> {
    inner: R,
    line: usize,
}

impl<R> LineLimited<R> {
    pub fn new(inner: R) -> Self {
        LineLimited { inner, line: 0 }
    }
}

impl<R: std::io::Read> std::io::Read for LineLimited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        for &byte in &buf[..read] {
            self.line = if byte == b'\n' { 0 } else { self.line + 1 };
            if self.line > MAX_LINE_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a line is longer than the {} MiB obc reads: is this a text file?",
                        MAX_LINE_BYTES / (1024 * 1024)
                    ),
                ));
            }
        }
        Ok(read)
    }
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

    /// The bytes of the lines from `before` lines above the one holding `start` to `after` lines
    /// below the one holding `end`, whole: the window a report draws, found by the line index;
    /// with the number of lines of the text before the window.
    pub fn lines_around(
        &self,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> (usize, usize, usize) {
        let line_of = |offset: usize| {
            let offset = self.floor_char_boundary(offset.min(self.text.len()));
            self.line_starts.partition_point(|&s| s <= offset) - 1
        };
        let first = line_of(start).saturating_sub(before);
        let last = line_of(end) + after + 1;
        let from = self.line_starts[first];
        let to = self
            .line_starts
            .get(last)
            .copied()
            .unwrap_or(self.text.len());
        (from, to, first)
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
    fn an_endless_line_is_refused_not_read_for_ever() {
        use std::io::Read;
        let mut endless = LineLimited::new(std::io::repeat(b'0'));
        let mut sink = Vec::new();
        let error = endless.read_to_end(&mut sink).expect_err("refused");
        assert!(
            error.to_string().contains("a line is longer than"),
            "{error}"
        );
        assert!(sink.len() <= MAX_LINE_BYTES + 64 * 1024);
        let text = "a\n".repeat(MAX_LINE_BYTES);
        let mut lines = LineLimited::new(text.as_bytes());
        assert!(lines.read_to_end(&mut Vec::new()).is_ok());
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let file = SourceFile::new("t", "£");
        assert_eq!(file.line_col(1), LineCol { line: 1, column: 1 });
    }
}
