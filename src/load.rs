//! Reading a contract file and everything it imports, parsing each file once.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::syntax::{self, ast};

/// A root file and its imports, parsed, with the syntax and import diagnostics of all of them.
pub struct Workspace {
    pub root: FileId,
    /// Every file in load order: imports before the files that import them, the root last.
    pub files: Vec<(FileId, ast::File)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a file from disk. An unreadable root file is an I/O error for the caller to report;
/// unreadable imports become diagnostics.
pub fn load(path: &Path, sources: &mut Sources) -> std::io::Result<Workspace> {
    let text = read_text(path)?;
    Ok(load_text(path, text, sources))
}

/// Loads already-read text as the root file, resolving its imports from disk relative to `path`.
pub fn load_text(path: &Path, text: String, sources: &mut Sources) -> Workspace {
    let root = sources.add(SourceFile::new(path.display().to_string(), text));
    let mut loader = Loader {
        sources,
        files: Vec::new(),
        diagnostics: Vec::new(),
        stack: Vec::new(),
        loaded: Vec::new(),
    };
    loader.visit(root, path.to_path_buf());
    Workspace {
        root,
        files: loader.files,
        diagnostics: loader.diagnostics,
    }
}

fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is not UTF-8 text (at byte {at})"),
        )
    })
}

struct Loader<'s> {
    sources: &'s mut Sources,
    files: Vec<(FileId, ast::File)>,
    diagnostics: Vec<Diagnostic>,
    /// Canonical paths of the files being loaded, outermost first, to detect cycles.
    stack: Vec<PathBuf>,
    loaded: Vec<PathBuf>,
}

impl Loader<'_> {
    fn visit(&mut self, id: FileId, path: PathBuf) {
        let canonical = std::fs::canonicalize(&path).unwrap_or(path.clone());
        let parsed = syntax::parse(&self.sources.get(id).text, id);
        self.diagnostics.extend(parsed.diagnostics);
        self.stack.push(canonical.clone());
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for block in &parsed.file.blocks {
            let ast::Block::Import(import) = block else {
                continue;
            };
            self.import(id, &base, &import.path.node, import.path.span);
        }
        self.stack.pop();
        self.loaded.push(canonical);
        self.files.push((id, parsed.file));
    }

    fn import(&mut self, from: FileId, base: &Path, target: &str, span: Span) {
        let path = normalize(&base.join(target));
        let canonical = std::fs::canonicalize(&path).unwrap_or(path.clone());
        if self.stack.contains(&canonical) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ImportCycle,
                    from,
                    span,
                    format!("`{target}` imports this file back, directly or through other files"),
                    "imported here",
                )
                .with_help("move the blocks both files need into a third file that both import"),
            );
            return;
        }
        if self.loaded.contains(&canonical) {
            return;
        }
        match read_text(&path) {
            Ok(text) => {
                let id = self
                    .sources
                    .add(SourceFile::new(path.display().to_string(), text));
                self.visit(id, path);
            }
            Err(error) => self.diagnostics.push(
                Diagnostic::new(
                    Code::ImportNotFound,
                    from,
                    span,
                    format!("cannot read `{target}`: {}", plain_io_error(&error)),
                    "imported here",
                )
                .with_help(format!(
                    "the path is relative to this file's folder; check that `{}` exists",
                    path.display()
                )),
            ),
        }
    }
}

/// `a/b/../c` as `a/c`, without touching the file system, so paths read as users expect.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An I/O error in words, without the OS error number.
pub fn plain_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        _ => {
            let text = error.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}
