//! Go to definition, find references and rename, for every kind of name, across imports,
//! across the workspaces of all open documents that hold the file, and across the contracts on
//! disk near it that import it (see `snapshot` for how references are found).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use lsp_types::{Location, Position, PrepareRenameResponse, TextEdit, Url, WorkspaceEdit};

use super::documents::Document;
use super::position::Lines;
use super::snapshot::{is_identifier, is_reserved, Snapshot};
use crate::source::{FileId, Span};

/// The name at a position: the snapshot read, the file, the name's span and text.
struct At<'s> {
    snapshot: &'s Snapshot,
    file: FileId,
    span: Span,
    name: String,
}

/// The snapshot a document is best read in: its own when it is checked as a root, else the
/// first that imports it.
pub fn snapshot_for<'s>(snapshots: &'s [Snapshot], url: &Url) -> Option<(&'s Snapshot, FileId)> {
    let own = snapshots.iter().find(|s| &s.root == url);
    own.into_iter()
        .chain(snapshots.iter())
        .find_map(|s| Some((s, s.file_of(url)?)))
}

fn name_at<'s>(snapshots: &'s [Snapshot], url: &Url, position: Position) -> Option<At<'s>> {
    let (snapshot, file) = snapshot_for(snapshots, url)?;
    let text = snapshot.text(file);
    let span = snapshot.name_at(file, Lines::new(text).offset(position))?;
    let written = &text[span.start..span.end];
    // `total` in `expect total pays` names no block: it is a word of the language.
    if is_reserved(written) && snapshot.definition(written).is_none() {
        return None;
    }
    Some(At {
        snapshot,
        file,
        span,
        name: text[span.start..span.end].to_string(),
    })
}

fn location(snapshot: &Snapshot, file: FileId, span: Span) -> Option<Location> {
    let url = snapshot.url(file)?.clone();
    Some(Location::new(
        url,
        Lines::new(snapshot.text(file)).range(span),
    ))
}

pub fn definition(snapshots: &[Snapshot], url: &Url, position: Position) -> Option<Location> {
    let at = name_at(snapshots, url, position)?;
    let definition = at.snapshot.definition(&at.name)?;
    location(at.snapshot, definition.file, definition.span)
}

/// How many folders up from each file of a workspace [`closed_importers`] looks for contracts:
/// an import reads only files inside the importing contract's folder, so whatever imports a
/// file is in the file's folder or one above it.
const IMPORTER_LEVELS: usize = 4;

/// The most contracts on disk [`closed_importers`] reads for one request.
const MOST_CLOSED_FILES: usize = 200;

/// The workspaces of contracts on disk that are not open but may import a file of `snapshot`'s
/// workspace: every `.obc` file in the folders holding its files and up to
/// [`IMPORTER_LEVELS`] folders above them, read with the open documents standing in for their
/// files. References and rename search them too, so renaming a name in a library renames it in
/// the contracts that use it, open or not.
pub fn closed_importers(
    snapshot: &Snapshot,
    open: &BTreeMap<Url, Document>,
    import_folders: &[PathBuf],
) -> Vec<Snapshot> {
    let mut folders = BTreeSet::new();
    for url in snapshot.urls.iter().flatten() {
        let Ok(path) = url.to_file_path() else {
            continue;
        };
        for folder in path.ancestors().skip(1).take(IMPORTER_LEVELS) {
            folders.insert(folder.to_path_buf());
        }
    }
    let mut candidates = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "obc") && p.is_file())
            .collect();
        files.sort();
        candidates.extend(files);
    }
    candidates
        .into_iter()
        .filter_map(|path| Url::from_file_path(&path).ok().map(|url| (path, url)))
        .filter(|(_, url)| !open.contains_key(url) && !snapshot.includes(url))
        .take(MOST_CLOSED_FILES)
        .filter_map(|(path, url)| {
            let text = crate::load::read_text(&path).ok()?;
            let document = Document { text, version: 0 };
            let checked = Snapshot::check(&url, &document, open, import_folders);
            // Only a contract that imports one of the workspace's files is of interest.
            let imports = snapshot
                .urls
                .iter()
                .flatten()
                .any(|u| *u != url && checked.includes(u));
            imports.then_some(checked)
        })
        .collect()
}

/// Every place the name at `position` is written, in every open workspace that holds the file
/// it is defined in (or, for a name defined nowhere, the file it is written in), and in the
/// workspaces of `closed`, contracts on disk that are not open.
pub fn references(
    snapshots: &[Snapshot],
    closed: &[Snapshot],
    url: &Url,
    position: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(at) = name_at(snapshots, url, position) else {
        return Vec::new();
    };
    let definition = at.snapshot.definition(&at.name);
    let home = match definition {
        Some(d) => at.snapshot.url(d.file).cloned(),
        None => at.snapshot.url(at.file).cloned(),
    };
    let declaration = definition.and_then(|d| location(at.snapshot, d.file, d.span));
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for snapshot in snapshots
        .iter()
        .chain(closed)
        .filter(|s| home.as_ref().is_some_and(|h| s.includes(h)))
    {
        for (file, span) in snapshot.occurrences(&at.name) {
            let Some(place) = location(snapshot, file, span) else {
                continue;
            };
            let is_declaration = declaration.as_ref() == Some(&place);
            let key = (
                place.uri.to_string(),
                place.range.start.line,
                place.range.start.character,
            );
            if (include_declaration || !is_declaration) && seen.insert(key) {
                found.push(place);
            }
        }
    }
    found
}

pub fn prepare_rename(
    snapshots: &[Snapshot],
    url: &Url,
    position: Position,
) -> Result<PrepareRenameResponse, String> {
    let at = name_at(snapshots, url, position)
        .ok_or_else(|| "only names can be renamed: put the cursor on a name".to_string())?;
    let range = Lines::new(at.snapshot.text(at.file)).range(at.span);
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range,
        placeholder: at.name,
    })
}

/// Renames the name at `position` everywhere it is written (in `closed` too), refusing a new
/// name that is not a name, is a word of the language, or is already taken.
pub fn rename(
    snapshots: &[Snapshot],
    closed: &[Snapshot],
    url: &Url,
    position: Position,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let at = name_at(snapshots, url, position)
        .ok_or_else(|| "only names can be renamed: put the cursor on a name".to_string())?;
    if !is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` cannot be a name: a name starts with a letter (A to Z) and holds only letters, digits and underscores"
        ));
    }
    if is_reserved(new_name) {
        return Err(format!(
            "`{new_name}` is a word of the language and cannot be a name (docs/language.md, reserved words)"
        ));
    }
    if new_name != at.name {
        let taken = snapshots
            .iter()
            .filter(|s| s.includes(url))
            .find_map(|s| s.definition(new_name));
        if let Some(taken) = taken {
            let what = taken
                .kind
                .map_or("a rate-card outcome or criterion", |k| k.article_noun());
            return Err(format!("`{new_name}` is already the name of {what}"));
        }
    }
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for place in references(snapshots, closed, url, position, true) {
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new_name.to_string()));
    }
    Ok(WorkspaceEdit::new(changes))
}
