//! Checked workspaces: each open document loaded with its imports (open documents standing in
//! for the files on disk) and checked as `obc check` checks it, with what the features need to
//! look names up in it.
//!
//! References are found from the parser's record of every name written in a file
//! (`ast::File::names`), which holds definitions and uses alike and never a word of the language
//! or the inside of a string or comment; in text the parser could not read, every word equal to
//! the name counts too. Names form one namespace across a workspace, so equal text is the same
//! name. Rate-card outcomes and criteria are names of their own (what participant records say
//! was achieved) and are found the same way.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::Url;

use super::documents::Document;
use super::lexer::{self, TokenKind};
use crate::check::{self, Kind, Symbols};
use crate::load::{self, Workspace};
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Block};

/// One open document checked as a root, with its imports.
pub struct Snapshot {
    pub root: Url,
    pub sources: Sources,
    pub workspace: Workspace,
    pub analysis: check::Analysis,
    /// The address of each file, by file id.
    pub urls: Vec<Option<Url>>,
    /// The contract's calendar: this check's, or (while the text has errors, as it has while
    /// a line is being typed) the last one the document checked clean with.
    pub calendar: Option<crate::calendar::Calendar>,
}

/// Where a name is defined, and what it names.
#[derive(Clone, Copy, Debug)]
pub struct Definition {
    /// `None` for a rate-card outcome or criterion.
    pub kind: Option<Kind>,
    pub file: FileId,
    pub span: Span,
}

impl Snapshot {
    /// Loads and checks `url`'s document as a root. Imports read the open documents in `open`
    /// instead of their files on disk.
    pub fn check(
        url: &Url,
        document: &Document,
        open: &BTreeMap<Url, Document>,
        import_folders: &[PathBuf],
    ) -> Snapshot {
        let mut sources = Sources::new();
        for folder in import_folders {
            sources.allow_imports_from(folder.clone());
        }
        for (other, doc) in open {
            let canonical = other
                .to_file_path()
                .ok()
                .and_then(|p| std::fs::canonicalize(p).ok());
            if let Some(canonical) = canonical {
                sources.overlay(canonical, doc.text.clone());
            }
        }
        // A document that is not a file (`untitled:`) is named by its address; having no folder
        // of its own, it imports from the folder the server was started in.
        let path = url
            .to_file_path()
            .unwrap_or_else(|_| PathBuf::from(url.as_str()));
        let workspace = load::load_text(&path, document.text.clone(), &mut sources);
        let analysis = check::analyse(&workspace, &sources);
        let urls = sources
            .iter()
            .map(|(id, file)| match id == workspace.root {
                true => Some(url.clone()),
                false => Url::from_file_path(&file.name).ok(),
            })
            .collect();
        let calendar = analysis.contract.as_ref().map(|c| c.calendar);
        Snapshot {
            root: url.clone(),
            sources,
            workspace,
            analysis,
            urls,
            calendar,
        }
    }

    pub fn url(&self, file: FileId) -> Option<&Url> {
        self.urls.get(file.0 as usize).and_then(Option::as_ref)
    }

    /// The file of the workspace at `url`.
    pub fn file_of(&self, url: &Url) -> Option<FileId> {
        let index = self.urls.iter().position(|u| u.as_ref() == Some(url))?;
        let id = FileId(index as u32);
        self.tree(id).map(|_| id)
    }

    pub fn includes(&self, url: &Url) -> bool {
        self.file_of(url).is_some()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    /// The syntax tree of a file of the workspace.
    pub fn tree(&self, file: FileId) -> Option<&ast::File> {
        self.workspace
            .files
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, tree)| tree)
    }

    /// Every name defined in the workspace.
    pub fn symbols(&self) -> Symbols<'_> {
        Symbols::collect(&self.workspace.files, &self.sources, &mut Vec::new())
    }

    /// Where `name` is defined: a block, outcome or payer, else a rate-card outcome or criterion.
    pub fn definition(&self, name: &str) -> Option<Definition> {
        if let Some(symbol) = self.symbols().by_name.get(name) {
            return Some(Definition {
                kind: Some(symbol.kind),
                file: symbol.file,
                span: symbol.span,
            });
        }
        self.achievements()
            .into_iter()
            .find(|(_, n)| n.node == name)
            .map(|(file, n)| Definition {
                kind: None,
                file,
                span: n.span,
            })
    }

    /// The outcomes and criteria of every rate card, with their files.
    pub fn achievements(&self) -> Vec<(FileId, &ast::Name)> {
        let mut found = Vec::new();
        for (file, tree) in &self.workspace.files {
            for block in &tree.blocks {
                let Block::Payment(payment) = block else {
                    continue;
                };
                for setting in &payment.settings {
                    let ast::PaymentSetting::RateCard(items) = &setting.node else {
                        continue;
                    };
                    for item in items {
                        match &item.node {
                            ast::RateCardItem::Outcome(o) => found.push((*file, &o.name)),
                            ast::RateCardItem::Criterion { name, .. } => found.push((*file, name)),
                            ast::RateCardItem::AttachmentFee(_) => {}
                        }
                    }
                }
            }
        }
        found
    }

    /// The name written at `offset` in `file`: a name the parser read, or a word in unreadable
    /// text that is a defined name.
    pub fn name_at(&self, file: FileId, offset: usize) -> Option<Span> {
        let tree = self.tree(file)?;
        let text = self.text(file);
        let word = lexer::word_at(text, offset)?;
        if tree.names.contains(&word) {
            return Some(word);
        }
        let unread = tree
            .unreadable
            .iter()
            .any(|u| u.start <= word.start && word.end <= u.end);
        let is_word = lexer::tokens(text)
            .iter()
            .any(|t| t.kind == TokenKind::Word && t.span == word);
        (unread && is_word && self.definition(&text[word.start..word.end]).is_some())
            .then_some(word)
    }

    /// Every place `name` is written in the workspace, in file and source order.
    pub fn occurrences(&self, name: &str) -> Vec<(FileId, Span)> {
        let mut found = Vec::new();
        for (file, tree) in &self.workspace.files {
            let text = self.text(*file);
            let mut spans: Vec<Span> = tree
                .names
                .iter()
                .copied()
                .filter(|s| text.get(s.start..s.end) == Some(name))
                .collect();
            for unread in &tree.unreadable {
                let Some(part) = text.get(unread.start..unread.end) else {
                    continue;
                };
                spans.extend(
                    lexer::tokens(part)
                        .into_iter()
                        .filter(|t| t.kind == TokenKind::Word)
                        .map(|t| Span::new(unread.start + t.span.start, unread.start + t.span.end))
                        .filter(|s| &text[s.start..s.end] == name),
                );
            }
            spans.sort();
            spans.dedup();
            found.extend(spans.into_iter().map(|s| (*file, s)));
        }
        found
    }
}

/// The words of the language, which no name may be: those docs/language.md lists as reserved
/// (a test checks that they include every word of the grammar), and the month names.
pub fn is_reserved(word: &str) -> bool {
    const REFERENCE: &str = include_str!("../../docs/language.md");
    let listed = REFERENCE
        .split("## 16. Reserved words")
        .nth(1)
        .unwrap_or_default()
        .split('`')
        .skip(1)
        .step_by(2)
        .any(|w| w == word);
    listed || crate::syntax::MONTH_NAMES.contains(&word)
}

/// Whether `word` can be written as a name: a letter, then letters, digits and underscores.
pub fn is_identifier(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_and_identifiers() {
        assert!(is_reserved("target"));
        assert!(is_reserved("total"));
        assert!(is_reserved("April"));
        assert!(!is_reserved("still_home_91"));
        assert!(is_identifier("a_1"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(""));
    }
}
