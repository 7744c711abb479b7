//! The shape of a document: its outline (document symbols) and what can be folded (blocks,
//! the tiers tables and rate cards inside payments, domains' outcomes, runs of comment lines).

use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};

use super::position::Lines;
use super::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Block, Name, Spanned};

/// One entry of the outline, before conversion: what it is, its name or title, where.
struct Entry {
    kind: SymbolKind,
    label: String,
    detail: Option<String>,
    span: Span,
    selection: Span,
    children: Vec<Entry>,
}

fn named(kind: SymbolKind, name: &Name, title: &Option<Spanned<String>>, span: Span) -> Entry {
    Entry {
        kind,
        label: name.node.clone(),
        detail: title.as_ref().map(|t| t.node.clone()),
        span,
        selection: name.span,
        children: Vec::new(),
    }
}

fn titled(kind: SymbolKind, word: &str, title: &Spanned<String>, span: Span) -> Entry {
    Entry {
        kind,
        label: format!("{word} \"{}\"", title.node),
        detail: None,
        span,
        selection: title.span,
        children: Vec::new(),
    }
}

fn entries(tree: &ast::File) -> Vec<Entry> {
    let mut out = Vec::new();
    for block in &tree.blocks {
        out.push(match block {
            Block::Import(i) => Entry {
                kind: SymbolKind::FILE,
                label: format!("import \"{}\"", i.path.node),
                detail: None,
                span: i.span,
                selection: i.path.span,
                children: Vec::new(),
            },
            Block::Contract(c) => titled(SymbolKind::PACKAGE, "contract", &c.title, c.span),
            Block::Population(p) => titled(SymbolKind::OBJECT, "population", &p.title, p.span),
            Block::Test(t) => titled(SymbolKind::METHOD, "test", &t.title, t.span),
            Block::Cohort(c) => named(SymbolKind::CLASS, &c.name, &c.title, c.span),
            Block::Domain(d) => {
                let mut entry = named(SymbolKind::NAMESPACE, &d.name, &d.title, d.span);
                entry.children = d
                    .outcomes
                    .iter()
                    .map(|o| named(SymbolKind::EVENT, &o.name, &o.title, o.span))
                    .collect();
                entry
            }
            Block::Indicator(i) => named(SymbolKind::VARIABLE, &i.name, &i.title, i.span),
            Block::Factor(f) => named(SymbolKind::CONSTANT, &f.name, &f.title, f.span),
            Block::Flag(f) => named(SymbolKind::BOOLEAN, &f.name, &f.title, f.span),
            Block::Input(i) => named(SymbolKind::FIELD, &i.name, &i.title, i.span),
            Block::Derived(d) => named(SymbolKind::PROPERTY, &d.name, &d.title, d.span),
            Block::Payment(p) => named(SymbolKind::FUNCTION, &p.name, &p.title, p.span),
            Block::Deduction(d) => named(SymbolKind::OPERATOR, &d.name, &d.title, d.span),
            Block::Gateway(g) => named(SymbolKind::INTERFACE, &g.name, &g.title, g.span),
            Block::Advance(a) => named(SymbolKind::STRUCT, &a.name, &a.title, a.span),
        });
    }
    out
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, though it is deprecated.
fn convert(entry: Entry, lines: &Lines) -> DocumentSymbol {
    DocumentSymbol {
        name: entry.label,
        detail: entry.detail,
        kind: entry.kind,
        tags: None,
        deprecated: None,
        range: lines.range(entry.span),
        selection_range: lines.range(entry.selection),
        children: (!entry.children.is_empty()).then(|| {
            entry
                .children
                .into_iter()
                .map(|c| convert(c, lines))
                .collect()
        }),
    }
}

pub fn document_symbols(snapshot: &Snapshot, file: FileId) -> Vec<DocumentSymbol> {
    let Some(tree) = snapshot.tree(file) else {
        return Vec::new();
    };
    let lines = Lines::new(snapshot.text(file));
    entries(tree)
        .into_iter()
        .map(|e| convert(e, &lines))
        .collect()
}

pub fn folding_ranges(snapshot: &Snapshot, file: FileId) -> Vec<FoldingRange> {
    let Some(tree) = snapshot.tree(file) else {
        return Vec::new();
    };
    let text = snapshot.text(file);
    let lines = Lines::new(text);
    let mut spans: Vec<(Span, Option<FoldingRangeKind>)> = Vec::new();
    for block in &tree.blocks {
        let span = match block {
            Block::Import(i) => i.span,
            Block::Contract(b) => b.span,
            Block::Population(b) => b.span,
            Block::Cohort(b) => b.span,
            Block::Domain(b) => {
                spans.extend(b.outcomes.iter().map(|o| (o.span, None)));
                b.span
            }
            Block::Indicator(b) => b.span,
            Block::Factor(b) | Block::Flag(b) => b.span,
            Block::Input(b) => b.span,
            Block::Derived(b) => b.span,
            Block::Payment(b) => {
                spans.extend(b.settings.iter().filter_map(|s| match s.node {
                    ast::PaymentSetting::Tiers(_) | ast::PaymentSetting::RateCard(_) => {
                        Some((s.span, None))
                    }
                    _ => None,
                }));
                b.span
            }
            Block::Deduction(b) => b.span,
            Block::Gateway(b) => b.span,
            Block::Advance(b) => b.span,
            Block::Test(b) => b.span,
        };
        spans.push((span, None));
    }
    // Runs of lines holding only a comment.
    let mut run: Option<Span> = None;
    let mut previous_line = None;
    for comment in &tree.comments {
        let line = lines.position(comment.span.start).line;
        let own_line = text[lines.line_start(line as usize)..comment.span.start]
            .trim()
            .is_empty();
        run = match (
            run,
            own_line && previous_line.is_some_and(|p| p + 1 == line),
        ) {
            (Some(r), true) => Some(r.cover(comment.span)),
            (r, _) => {
                spans.extend(r.map(|r| (r, Some(FoldingRangeKind::Comment))));
                own_line.then_some(comment.span)
            }
        };
        previous_line = own_line.then_some(line);
    }
    spans.extend(run.map(|r| (r, Some(FoldingRangeKind::Comment))));
    let mut ranges: Vec<FoldingRange> = spans
        .into_iter()
        .filter_map(|(span, kind)| {
            let (start, end) = (lines.position(span.start), lines.position(span.end));
            (end.line > start.line).then_some(FoldingRange {
                start_line: start.line,
                start_character: None,
                end_line: end.line,
                end_character: None,
                kind,
                collapsed_text: None,
            })
        })
        .collect();
    ranges.sort_by_key(|r| (r.start_line, r.end_line));
    ranges
}
