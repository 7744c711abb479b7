//! Shared helpers for the fuzz targets: loading a contract from the fuzzer's text (imports
//! resolved inside a scratch folder only), rendering diagnostics in every format with the
//! invariants the renderers promise, and the example contracts from `contracts/`.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use obc::check::Analysis;
use obc::diagnostic::Diagnostic;
use obc::load::Workspace;
use obc::render::{self, Format, HumanStyle};
use obc::source::{FileId, SourceFile, Sources};
use obc::syntax::{self, ast};

/// The repository root (the main crate), for the example contracts and their data.
pub fn repo() -> &'static Path {
    static REPO: OnceLock<PathBuf> = OnceLock::new();
    REPO.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("fuzz/ is inside the repository")
            .to_path_buf()
    })
}

/// A folder of this process's own, in memory where the system has /dev/shm, for files the
/// targets write (data files) and the files a fuzzed contract may import.
pub fn scratch() -> &'static Path {
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("obc-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("cycle")).expect("scratch folder");
        // Files an input can import: an indicator library, and one that imports the root back.
        std::fs::write(dir.join("indicators.obc"), IMPORTED_INDICATORS).expect("scratch file");
        std::fs::write(dir.join("cycle/back.obc"), IMPORTED_CYCLE).expect("scratch file");
        std::fs::canonicalize(&dir).expect("scratch folder")
    })
}

const IMPORTED_INDICATORS: &str = r#"// A library of indicators a fuzzed contract may import.
indicator still_home_91 "Older people still at home 91 days after discharge into reablement" {
  unit percent
  better higher
  reported quarterly
  data lag 2 months
  baseline 82.7% in 2014/15
  target 85%
}
"#;

const IMPORTED_CYCLE: &str = r#"// Imports the fuzzed contract back: an import cycle.
import "../contract.obc"

indicator discharged_home "Patients discharged to their usual place of residence" {
  unit percent
  better higher
  reported monthly
}
"#;

/// The path the fuzzed contract is loaded as (it is never written: imports read it from text).
pub fn contract_path() -> PathBuf {
    scratch().join("contract.obc")
}

/// `a/b/../c` as `a/c`, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether every import in `file` (read from `dir`) stays inside the scratch folder, so loading
/// never reads the rest of the file system (`/dev/zero`, `/proc/...`), which is not what is fuzzed.
fn imports_stay_inside(file: &ast::File, dir: &Path) -> bool {
    file.blocks.iter().all(|block| match block {
        ast::Block::Import(import) => {
            let target = Path::new(&import.path.node);
            !target.is_absolute() && normalize(&dir.join(target)).starts_with(scratch())
        }
        _ => true,
    })
}

/// Loads fuzzed text as a contract the way `obc check` loads a file: parsed once, imports
/// resolved. Imports that would leave the scratch folder are not followed (the file is loaded on
/// its own, as if they were not there), so only the fixed files in it are ever read.
pub fn load(text: &str) -> (Sources, Workspace) {
    let path = contract_path();
    let mut sources = Sources::new();
    // Most inputs import nothing: parse them once, in the loader.
    if !text.contains("import")
        || imports_stay_inside(&syntax::parse(text, FileId(0)).file, scratch())
    {
        let workspace = obc::load::load_text(&path, text.to_string(), &mut sources);
        return (sources, workspace);
    }
    let root = sources.add(SourceFile::new(
        path.display().to_string(),
        text.to_string(),
    ));
    let parsed = syntax::parse(text, root);
    let workspace = Workspace {
        root,
        files: vec![(root, parsed.file)],
        diagnostics: parsed.diagnostics,
    };
    (sources, workspace)
}

/// Loads and analyses fuzzed text.
pub fn analyse(text: &str) -> (Sources, Workspace, Analysis) {
    let (sources, workspace) = load(text);
    let analysis = obc::check::analyse(&workspace, &sources);
    (sources, workspace, analysis)
}

/// Every diagnostic's labels lie inside its file, on character boundaries, as renderers assume.
pub fn assert_spans_valid(diagnostics: &[Diagnostic], sources: &Sources) {
    for d in diagnostics {
        let text = &sources.get(d.file).text;
        for label in &d.labels {
            assert!(
                label.span.start <= label.span.end
                    && label.span.end <= text.len()
                    && text.is_char_boundary(label.span.start)
                    && text.is_char_boundary(label.span.end),
                "{} has a label {:?} outside its file of {} bytes: {}",
                d.code.code(),
                label.span,
                text.len(),
                d.message
            );
        }
    }
}

/// Renders diagnostics in every output format, checking that the machine formats are JSON.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources) {
    render_most(diagnostics, sources);
    // Colour, and a width narrower than most labels and help.
    let narrow = HumanStyle {
        color: true,
        width: 20,
    };
    render::render(Format::Human, diagnostics, sources, narrow);
    json(
        "SARIF output",
        &render::render(Format::Sarif, diagnostics, sources, HumanStyle::default()),
    );
}

/// Panics unless `text` is JSON.
pub fn json(what: &str, text: &str) {
    if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
        panic!("{what} is not JSON ({error}):\n{text}");
    }
}

/// Renders diagnostics in the plain human report, concise lines, GitHub annotations and JSON:
/// every format but SARIF (whose rules carry the documentation of every code, the same
/// whatever the findings, and cost most of a small run to write) and the narrow coloured report.
pub fn render_most(diagnostics: &[Diagnostic], sources: &Sources) {
    assert_spans_valid(diagnostics, sources);
    let style = HumanStyle::default();
    render::render(Format::Human, diagnostics, sources, style);
    render::render(Format::Concise, diagnostics, sources, style);
    render::render(Format::Github, diagnostics, sources, style);
    json(
        "JSON output",
        &render::render(Format::Json, diagnostics, sources, style),
    );
    render::summary(diagnostics);
}

/// An example contract from `contracts/`, checked once, with the sources it was checked
/// against (copied, so each run can add its own data files to a fresh set with the same ids).
pub struct Example {
    pub name: &'static str,
    pub path: PathBuf,
    pub files: Vec<SourceFile>,
    pub workspace: Workspace,
    pub contract: obc::model::Contract,
    /// Its data files in `contracts/data/`, as `obc eval` finds them.
    pub data: Vec<PathBuf>,
    /// The same files cut to their first [`COMPANION_LINES`] lines, in the scratch folder: data
    /// to evaluate beside a fuzzed file that is quick to read again for every input.
    pub companions: Vec<PathBuf>,
}

/// How much of each of an example's own data files is read beside a fuzzed one.
pub const COMPANION_LINES: usize = 80;

impl Example {
    pub fn load(name: &'static str) -> Example {
        let path = repo().join("contracts").join(format!("{name}.obc"));
        let mut sources = Sources::new();
        let workspace = obc::load::load(&path, &mut sources).expect("example is readable");
        let analysis = obc::check::analyse(&workspace, &sources);
        let contract = analysis.contract.expect("example checks clean");
        let files = sources.iter().map(|(_, f)| f.clone()).collect();
        let data = obc::eval::default_data_files(&path);
        let dir = scratch().join(name);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let companions = data
            .iter()
            .map(|file| {
                let text = std::fs::read_to_string(file).expect("example data is readable");
                let cut: String = text.split_inclusive('\n').take(COMPANION_LINES).collect();
                let companion = dir.join(file.file_name().expect("a file name"));
                std::fs::write(&companion, cut).expect("scratch file");
                companion
            })
            .collect();
        Example {
            name,
            path,
            files,
            workspace,
            contract,
            data,
            companions,
        }
    }

    /// A fresh set of sources holding the contract's files, with the ids the model refers to.
    pub fn sources(&self) -> Sources {
        let mut sources = Sources::new();
        for file in &self.files {
            sources.add(file.clone());
        }
        sources
    }
}

/// The characters of `text` other than the whitespace formatting may change.
pub fn words(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
        .collect()
}

/// The code and message of every finding on `text` (its whitespace runs as one space, since a
/// message quotes text as written), as `obc check` reports them.
pub fn findings(text: &str) -> Vec<String> {
    let (sources, _workspace, analysis) = analyse(text);
    drop(sources);
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let message: Vec<&str> = d.message.split_whitespace().collect();
            format!("{} {}", d.code.code(), message.join(" "))
        })
        .collect()
}
