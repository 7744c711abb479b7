//! Go to definition, find references and rename, for every kind of name, across imports and
//! across the workspaces of all open documents that hold the file (see `snapshot` for how
//! references are found).

use std::collections::{BTreeSet, HashMap};

use lsp_types::{Location, Position, PrepareRenameResponse, TextEdit, Url, WorkspaceEdit};

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

/// Every place the name at `position` is written, in every open workspace that holds the file
/// it is defined in (or, for a name defined nowhere, the file it is written in).
pub fn references(
    snapshots: &[Snapshot],
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

/// Renames the name at `position` everywhere it is written, refusing a new name that is not a
/// name, is a word of the language, or is already taken.
pub fn rename(
    snapshots: &[Snapshot],
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
    for place in references(snapshots, url, position, true) {
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new_name.to_string()));
    }
    Ok(WorkspaceEdit::new(changes))
}
