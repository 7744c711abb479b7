//! Completion: what may come next at the cursor, as the grammar says (block keywords at the top
//! level, the settings of the block the cursor is in, the next word of a setting), the names of
//! the kind a setting refers to (an indicator after `on`, payments after `applies to`, ...; every
//! name where the kind cannot be told) and the periods of the contract's term.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::lexer::{self, TokenKind};
use super::snapshot::Snapshot;
use crate::check::Kind;
use crate::source::FileId;
use crate::syntax::complete::{self, Value};

pub fn completion(snapshot: &Snapshot, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let text = snapshot.text(file);
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let tokens = lexer::tokens(text);
    if let Some(token) = lexer::token_at(&tokens, offset) {
        let inside = token.span.start < offset && offset < token.span.end;
        let open_ended = token.span.end == offset && !ends_closed(text, token);
        if matches!(token.kind, TokenKind::Comment | TokenKind::Text) && (inside || open_ended) {
            return Vec::new();
        }
    }
    // The word being typed, back to the character before it (which may be `£`, two bytes).
    let word_start = text[..offset].trim_end_matches(lexer::is_word_char).len();
    let line_start = text[..word_start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = text[line_start..word_start].trim_start();
    let opener = opener(text, &tokens, line_start);
    let Some(expected) = complete::expected(opener, prefix) else {
        return Vec::new();
    };
    let mut items: Vec<CompletionItem> = expected
        .words
        .iter()
        .map(|word| CompletionItem {
            label: word.clone(),
            kind: Some(CompletionItemKind::KEYWORD),
            ..CompletionItem::default()
        })
        .collect();
    if expected.values.contains(&Value::Name) {
        let words: Vec<&str> = lexer::tokens(prefix)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| &prefix[t.span.start..t.span.end])
            .collect();
        items.extend(names(snapshot, wanted(opener, &words)));
    }
    if expected.values.contains(&Value::Period) {
        items.extend(periods(snapshot));
    }
    for (i, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{i:04}"));
    }
    items
}

/// Whether a string token ends with its closing quote.
fn ends_closed(text: &str, token: lexer::Token) -> bool {
    let written = &text[token.span.start..token.span.end];
    token.kind == TokenKind::Text && written.len() > 1 && written.ends_with('"')
}

/// The first word of the line that opened the innermost brace still open at `before`.
fn opener<'t>(text: &'t str, tokens: &[lexer::Token], before: usize) -> Option<&'t str> {
    let mut open = Vec::new();
    for token in tokens.iter().take_while(|t| t.span.start < before) {
        match &text[token.span.start..token.span.end] {
            "{" if token.kind == TokenKind::Punctuation => open.push(token.span.start),
            "}" if token.kind == TokenKind::Punctuation => {
                open.pop();
            }
            _ => {}
        }
    }
    let brace = *open.last()?;
    let line_start = text[..brace].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = text[line_start..brace].trim_start();
    let end = line
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(line.len());
    Some(&line[..end])
}

/// The names a setting refers to.
enum Wanted {
    Kinds(&'static [Kind]),
    /// A rate card's outcomes and criteria.
    Achievements,
    All,
    /// A name being defined.
    Nothing,
}

fn wanted(opener: Option<&str>, words: &[&str]) -> Wanted {
    use Kind::*;
    let first = words.first().copied().unwrap_or_default();
    let last = words.last().copied().unwrap_or_default();
    let has = |word: &str| words.contains(&word);
    match (opener, first, last) {
        (None, _, _) => Wanted::Nothing,
        (_, "outcome" | "criterion", _) if words.len() == 1 => Wanted::Nothing,
        (Some("test"), "given", _) if has("achieved") => Wanted::Achievements,
        (Some("rate"), _, _) => Wanted::Achievements,
        (_, "for" | "measured", "cohort") => Wanted::Kinds(&[Cohort]),
        (_, "on" | "measured", _) | (_, "deduct", "on") => Wanted::Kinds(&[Indicator]),
        (_, "adjusted", _) => Wanted::Kinds(&[Factor, Input, Derived]),
        (_, "paid", _) => Wanted::Kinds(&[Payer]),
        (_, "taken" | "applies" | "covers", _) => Wanted::Kinds(&[Payment]),
        (_, _, _) if has("protected") => Wanted::Kinds(&[Input, Derived]),
        (Some("advance"), "pays", _) => Wanted::Kinds(&[Input, Derived]),
        (_, "require", "flag") => Wanted::Kinds(&[Flag]),
        (_, "require", _) => Wanted::Kinds(&[Indicator]),
        (_, "equals", _) => Wanted::Kinds(&[Input, Derived, Factor, Indicator]),
        (_, "given", _) => Wanted::Kinds(&[Indicator, Input, Flag, Factor]),
        (_, "expect", "gateway") => Wanted::Kinds(&[Gateway]),
        (_, "expect", "for") => Wanted::Kinds(&[Payment]),
        (_, "expect", _) => Wanted::Kinds(&[Payment, Deduction, Payer]),
        _ => Wanted::All,
    }
}

fn item_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::Indicator => CompletionItemKind::VARIABLE,
        Kind::Payment | Kind::Advance => CompletionItemKind::FUNCTION,
        Kind::Deduction => CompletionItemKind::METHOD,
        Kind::Gateway => CompletionItemKind::INTERFACE,
        Kind::Domain => CompletionItemKind::MODULE,
        Kind::Outcome => CompletionItemKind::EVENT,
        Kind::Cohort => CompletionItemKind::CLASS,
        Kind::Factor | Kind::Input => CompletionItemKind::FIELD,
        Kind::Derived => CompletionItemKind::PROPERTY,
        Kind::Flag => CompletionItemKind::CONSTANT,
        Kind::Payer => CompletionItemKind::STRUCT,
    }
}

fn names(snapshot: &Snapshot, wanted: Wanted) -> Vec<CompletionItem> {
    let item = |name: &str, kind: CompletionItemKind, detail: &str| CompletionItem {
        label: name.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    };
    let mut found: Vec<CompletionItem> = match wanted {
        Wanted::Nothing => Vec::new(),
        Wanted::Achievements => snapshot
            .achievements()
            .into_iter()
            .map(|(_, n)| item(&n.node, CompletionItemKind::EVENT, "a rate-card outcome"))
            .collect(),
        Wanted::Kinds(_) | Wanted::All => {
            let kinds = match wanted {
                Wanted::Kinds(kinds) => Some(kinds),
                _ => None,
            };
            snapshot
                .symbols()
                .by_name
                .iter()
                .filter(|(_, s)| kinds.is_none_or(|k| k.contains(&s.kind)))
                .map(|(name, s)| item(name, item_kind(s.kind), s.kind.article_noun()))
                .collect()
        }
    };
    found.sort_by(|a, b| a.label.cmp(&b.label));
    found.dedup_by(|a, b| a.label == b.label);
    found
}

/// The contract years and fiscal years of the term, when the contract checks clean (or did).
fn periods(snapshot: &Snapshot) -> Vec<CompletionItem> {
    let Some(calendar) = &snapshot.calendar else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for year in 1..=calendar.contract_years() {
        let Some((start, _)) = calendar.contract_year(year) else {
            continue;
        };
        // `2016/17 Q1` names the fiscal year the contract year starts in.
        let quarter = calendar.quarter_label(start);
        let fiscal = quarter.split(' ').next().unwrap_or(&quarter).to_string();
        found.push(CompletionItem {
            label: format!("year {year}"),
            kind: Some(CompletionItemKind::VALUE),
            detail: Some(format!("contract year {year}, starting {start}")),
            ..CompletionItem::default()
        });
        found.push(CompletionItem {
            label: fiscal,
            kind: Some(CompletionItemKind::VALUE),
            detail: Some(format!("the fiscal year contract year {year} starts in")),
            ..CompletionItem::default()
        });
    }
    found
}
