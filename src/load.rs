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
///
/// Imports may read only regular `.obc` files inside the root contract's folder, or inside a
/// folder the caller allowed with [`Sources::allow_imports_from`]: a contract cannot make obc
/// read (and quote in a message) a file outside its project, a device or a pipe.
pub fn load_text(path: &Path, text: String, sources: &mut Sources) -> Workspace {
    let root = sources.add(SourceFile::new(path.display().to_string(), text));
    let project = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut folders: Vec<PathBuf> = std::iter::once(project.to_path_buf())
        .chain(sources.import_folders().iter().cloned())
        .filter_map(|folder| std::fs::canonicalize(folder).ok())
        .collect();
    folders.dedup();
    let project = project.display().to_string();
    let mut loader = Loader {
        sources,
        files: Vec::new(),
        diagnostics: Vec::new(),
        stack: Vec::new(),
        loaded: Vec::new(),
        folders,
        project,
    };
    loader.visit(root, path.to_path_buf());
    Workspace {
        root,
        files: loader.files,
        diagnostics: loader.diagnostics,
    }
}

/// Reads a contract file, up to the size obc reads.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    crate::source::read_text(path, syntax::MAX_FILE_BYTES)
}

struct Loader<'s> {
    sources: &'s mut Sources,
    files: Vec<(FileId, ast::File)>,
    diagnostics: Vec<Diagnostic>,
    /// Canonical paths of the files being loaded, outermost first, to detect cycles.
    stack: Vec<PathBuf>,
    loaded: Vec<PathBuf>,
    /// The folders imports may read from, canonical.
    folders: Vec<PathBuf>,
    /// The root contract's folder as the user wrote it, for messages.
    project: String,
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
        let canonical = match self.admit(&path) {
            Ok(canonical) => canonical,
            Err(refusal) => {
                let diagnostic = refusal.diagnostic(from, span, target, &path, &self.project);
                self.diagnostics.push(diagnostic);
                return;
            }
        };
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
        let text = match self.sources.overlay_of(&canonical) {
            Some(text) => Ok(text.to_string()),
            None => read_text(&path),
        };
        match text {
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

impl Loader<'_> {
    /// The canonical path of an import obc may read, or why it may not. Nothing is opened, and
    /// nothing outside the project is even looked up, before the import is admitted.
    fn admit(&self, path: &Path) -> Result<PathBuf, Refusal> {
        if path.extension().and_then(|e| e.to_str()) != Some("obc") {
            return Err(Refusal::NotAContract);
        }
        let inside = |p: &Path| self.folders.iter().any(|folder| p.starts_with(folder));
        // Where the path points as written, before a link in its last part is followed; a folder
        // that does not exist is placed by the path's own words.
        let folder = path.parent().unwrap_or(Path::new("."));
        let written = match (std::fs::canonicalize(folder), path.file_name()) {
            (Ok(folder), Some(name)) => folder.join(name),
            _ => normalize(&std::env::current_dir().unwrap_or_default().join(path)),
        };
        if !inside(&written) {
            return Err(Refusal::OutsideProject);
        }
        let canonical = match std::fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(error) => return Err(Refusal::Unreadable(error)),
        };
        if !inside(&canonical) {
            return Err(Refusal::LinksOutside);
        }
        match std::fs::metadata(&canonical) {
            Ok(meta) if meta.is_file() => Ok(canonical),
            Ok(meta) if meta.is_dir() => Err(Refusal::Unreadable(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a directory",
            ))),
            Ok(_) => Err(Refusal::NotARegularFile),
            Err(error) => Err(Refusal::Unreadable(error)),
        }
    }
}

/// Why an import is not read.
enum Refusal {
    NotAContract,
    OutsideProject,
    LinksOutside,
    NotARegularFile,
    Unreadable(std::io::Error),
}

impl Refusal {
    fn diagnostic(
        &self,
        from: FileId,
        span: Span,
        target: &str,
        path: &Path,
        project: &str,
    ) -> Diagnostic {
        let refused = |message: String, help: String| {
            Diagnostic::new(Code::ImportRefused, from, span, message, "imported here")
                .with_help(help)
        };
        match self {
            Refusal::NotAContract => refused(
                format!("`{target}` is not an obc file: imports name files ending in `.obc`"),
                "import the contract files that hold the blocks you need; data files are given to `obc eval` with `--data`".to_string(),
            ),
            Refusal::OutsideProject => refused(
                format!("`{target}` is outside the project folder"),
                format!("imports read files in `{project}` (the contract's folder) and below: move the file there, or name its folder with `--allow-import FOLDER`"),
            ),
            Refusal::LinksOutside => refused(
                format!("`{target}` is a link to a file outside the project folder"),
                format!("imports read files in `{project}` (the contract's folder) and below, after following links: copy the file there, or name its folder with `--allow-import FOLDER`"),
            ),
            Refusal::NotARegularFile => refused(
                format!("`{target}` is not a regular file"),
                "imports read ordinary files only, not devices, pipes or sockets".to_string(),
            ),
            Refusal::Unreadable(error) => Diagnostic::new(
                Code::ImportNotFound,
                from,
                span,
                format!("cannot read `{target}`: {}", plain_io_error(error)),
                "imported here",
            )
            .with_help(format!(
                "the path is relative to this file's folder; check that `{}` exists",
                path.display()
            )),
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
        // obc's own words, already plain.
        std::io::ErrorKind::InvalidData => error.to_string(),
        _ => {
            let text = error.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}
