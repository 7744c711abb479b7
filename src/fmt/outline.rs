//! The outline of a file: blocks, settings, band rows, comments and the text kept as written, as
//! a tree of spans nested as the text nests them.
//!
//! The syntax tree says where each block, setting and band row is; the outline is built from
//! those spans alone, so every construct is laid out by the same rules. Text inside a block that
//! the tree does not hold (an unreadable setting, or one whose value could not be represented)
//! becomes a part kept as written, so nothing is ever lost.

use std::cmp::Reverse;

use super::is_space;
use crate::source::Span;
use crate::syntax::ast::{self, Block, PaymentSetting};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Node {
    pub span: Span,
    pub kind: Kind,
    /// For a block or a setting with a body, the offset of its `{`: children before it are
    /// comments in the header, the rest are the body.
    pub open: Option<usize>,
    pub children: Vec<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A block, a setting or a rate card's line.
    Item,
    /// A row of a `tiers` table, with the span of its range (`80% to 85%`).
    Band(Span),
    Comment,
    /// Text kept as written.
    Verbatim,
}

impl Node {
    pub fn is_comment(&self) -> bool {
        self.kind == Kind::Comment
    }

    /// The comments inside a setting, or inside a block's header.
    pub fn comment_spans(&self, before: usize) -> Vec<Span> {
        self.children
            .iter()
            .filter(|c| c.is_comment() && c.span.end <= before)
            .map(|c| c.span)
            .collect()
    }

    /// The children after the `{`.
    pub fn body(&self) -> &[Node] {
        let open = self.open.unwrap_or(self.span.end);
        let first = self.children.partition_point(|c| c.span.start < open);
        &self.children[first..]
    }
}

/// The top-level nodes of a file, with their children.
pub(super) fn outline(text: &str, file: &ast::File) -> Vec<Node> {
    let mut flat: Vec<(Span, Kind)> = Vec::new();
    for block in &file.blocks {
        block_items(block, &mut flat);
    }
    flat.extend(file.comments.iter().map(|c| (c.span, Kind::Comment)));
    flat.extend(
        file.unreadable
            .iter()
            .map(|s| (trim_end(text, *s), Kind::Verbatim)),
    );
    flat.retain(|(span, _)| !span.is_empty() && span.end <= text.len());
    // Outer before inner; a band row before the same span as a plain item.
    flat.sort_by_key(|(span, kind)| {
        (
            span.start,
            Reverse(span.end),
            !matches!(kind, Kind::Band(_)),
        )
    });
    flat.dedup_by_key(|(span, _)| *span);
    let mut next = 0;
    let nodes = nest(&flat, &mut next, text.len());
    let nodes = nodes.into_iter().map(|n| resolve(text, n)).collect();
    claim_gaps(text, Span::new(0, text.len()), nodes)
}

/// How many parts are kept as written, at every depth.
pub(super) fn count_verbatim(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| usize::from(n.kind == Kind::Verbatim) + count_verbatim(&n.children))
        .sum()
}

/// The spans of a block and of everything in it the tree holds.
fn block_items(block: &Block, out: &mut Vec<(Span, Kind)>) {
    /// A block (or an outcome, a rate card) and its settings.
    fn with<T>(span: Span, settings: &[ast::Spanned<T>], out: &mut Vec<(Span, Kind)>) {
        out.push((span, Kind::Item));
        out.extend(settings.iter().map(|s| (s.span, Kind::Item)));
    }
    match block {
        Block::Import(b) => out.push((b.span, Kind::Item)),
        Block::Factor(b) | Block::Flag(b) => out.push((b.span, Kind::Item)),
        Block::Contract(b) => with(b.span, &b.settings, out),
        Block::Population(b) => with(b.span, &b.settings, out),
        Block::Cohort(b) => with(b.span, &b.settings, out),
        Block::Indicator(b) => with(b.span, &b.settings, out),
        Block::Input(b) => with(b.span, &b.settings, out),
        Block::Derived(b) => with(b.span, &b.settings, out),
        Block::Deduction(b) => with(b.span, &b.settings, out),
        Block::Gateway(b) => with(b.span, &b.settings, out),
        Block::Advance(b) => with(b.span, &b.settings, out),
        Block::Test(b) => with(b.span, &b.settings, out),
        Block::Domain(b) => {
            out.push((b.span, Kind::Item));
            out.extend(b.description.iter().map(|d| (d.span, Kind::Item)));
            for outcome in &b.outcomes {
                with(outcome.span, &outcome.settings, out);
            }
        }
        Block::Payment(b) => {
            with(b.span, &b.settings, out);
            for setting in &b.settings {
                match &setting.node {
                    PaymentSetting::Tiers(bands) => out.extend(
                        bands
                            .iter()
                            .map(|band| (band.span, Kind::Band(band.node.range_span))),
                    ),
                    PaymentSetting::RateCard(items) => {
                        out.extend(items.iter().map(|s| (s.span, Kind::Item)))
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Nests spans sorted outer first: each node holds the spans inside it. A span that overlaps
/// another without being inside it is dropped; its text is then kept as written.
fn nest(flat: &[(Span, Kind)], next: &mut usize, end: usize) -> Vec<Node> {
    let mut nodes = Vec::new();
    while let Some(&(span, kind)) = flat.get(*next) {
        if span.start >= end {
            break;
        }
        *next += 1;
        let children = nest(flat, next, span.end);
        if span.end > end {
            continue;
        }
        nodes.push(Node {
            span,
            kind,
            open: None,
            children: match kind {
                // Nothing the tree holds is inside a comment or unreadable text.
                Kind::Comment | Kind::Verbatim => Vec::new(),
                Kind::Item | Kind::Band(_) => children,
            },
        });
    }
    nodes
}

/// Finds the `{` of a block or setting with a body, and claims the text of its body that no
/// child holds. A node whose shape is not understood is kept as written.
fn resolve(text: &str, mut node: Node) -> Node {
    if matches!(node.kind, Kind::Comment | Kind::Verbatim) {
        return node;
    }
    let first_item = node
        .children
        .iter()
        .find(|c| !c.is_comment())
        .map_or(node.span.end, |c| c.span.start);
    let comments = node.comment_spans(first_item);
    node.open = find_open(text, Span::new(node.span.start, first_item), &comments);
    let closes = text[..node.span.end].ends_with('}');
    match node.open {
        Some(open) if closes => {
            let children = std::mem::take(&mut node.children);
            let (header, body): (Vec<Node>, Vec<Node>) =
                children.into_iter().partition(|c| c.span.start < open);
            let body = body.into_iter().map(|c| resolve(text, c)).collect();
            node.children = header;
            node.children.extend(claim_gaps(
                text,
                Span::new(open + 1, node.span.end - 1),
                body,
            ));
        }
        None if first_item == node.span.end => {}
        _ => {
            node.kind = Kind::Verbatim;
            node.open = None;
            node.children.clear();
        }
    }
    node
}

/// The first `{` in `span` outside quoted text and `comments`.
fn find_open(text: &str, span: Span, comments: &[Span]) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for piece in outside(span, comments.iter().copied()) {
        for (offset, c) in text[piece.start..piece.end].char_indices() {
            if in_quotes {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' | '\n' => in_quotes = false,
                    _ => {}
                }
            } else if c == '"' {
                in_quotes = true;
            } else if c == '{' {
                return Some(piece.start + offset);
            }
        }
    }
    None
}

/// The stretches of `span` outside `comments` (in order).
fn outside(span: Span, comments: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut pieces = Vec::new();
    let mut at = span.start;
    for comment in comments {
        if comment.start > at {
            pieces.push(Span::new(at, comment.start.min(span.end)));
        }
        at = at.max(comment.end);
    }
    if at < span.end {
        pieces.push(Span::new(at, span.end));
    }
    pieces
}

/// The children of `region`, with each stretch of text that no child holds made a part kept as
/// written. Comments inside such a stretch belong to it.
fn claim_gaps(text: &str, region: Span, children: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::new();
    let mut comments: Vec<Node> = Vec::new();
    let mut from = region.start;
    for child in children {
        if child.is_comment() {
            comments.push(child);
            continue;
        }
        claim(
            text,
            Span::new(from, child.span.start),
            &mut comments,
            &mut out,
        );
        from = child.span.end;
        out.push(child);
    }
    claim(text, Span::new(from, region.end), &mut comments, &mut out);
    out
}

/// Moves the comments of the stretch `gap` to `out`, with the text no node holds, from its first
/// to its last character outside comments, as a part kept as written.
fn claim(text: &str, gap: Span, comments: &mut Vec<Node>, out: &mut Vec<Node>) {
    let pieces = outside(gap, comments.iter().map(|c| c.span));
    let start = pieces.iter().find_map(|p| {
        let at = text[p.start..p.end].find(|c| !is_space(c))?;
        Some(p.start + at)
    });
    let end = pieces.iter().rev().find_map(|p| {
        let kept = text[p.start..p.end].trim_end_matches(is_space).len();
        (kept > 0).then_some(p.start + kept)
    });
    let (Some(start), Some(end)) = (start, end) else {
        out.append(comments);
        return;
    };
    let mut stretch = Some(unheld(text, Span::new(start, end)));
    for comment in comments.drain(..) {
        if comment.span.end <= start {
            out.push(comment);
        } else if comment.span.start >= end {
            out.extend(stretch.take().into_iter().flatten());
            out.push(comment);
        }
    }
    out.extend(stretch.into_iter().flatten());
}

/// Text the tree does not hold: kept as written, except the lines of comment that begin or end
/// it, which are comments still (the tree keeps no comment that follows an unreadable part).
fn unheld(text: &str, span: Span) -> Vec<Node> {
    let node = |span, kind| Node {
        span,
        kind,
        open: None,
        children: Vec::new(),
    };
    let mut lines = Vec::new();
    let mut at = span.start;
    for line in text[span.start..span.end].split('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let from = at + (line.len() - trimmed.len());
        let to = from + trimmed.trim_end_matches([' ', '\t']).len();
        if to > from {
            lines.push(Span::new(from, to));
        }
        at += line.len() + 1;
    }
    let comment = |line: &Span| text[line.start..line.end].starts_with("//");
    let Some(first) = lines.iter().position(|l| !comment(l)) else {
        return lines.into_iter().map(|l| node(l, Kind::Comment)).collect();
    };
    let last = lines.iter().rposition(|l| !comment(l)).unwrap_or(first);
    let mut nodes: Vec<Node> = lines[..first]
        .iter()
        .map(|&l| node(l, Kind::Comment))
        .collect();
    nodes.push(node(
        Span::new(lines[first].start, lines[last].end),
        Kind::Verbatim,
    ));
    nodes.extend(lines[last + 1..].iter().map(|&l| node(l, Kind::Comment)));
    nodes
}

/// `span` without whitespace at its end.
fn trim_end(text: &str, span: Span) -> Span {
    let kept = text[span.start..span.end].trim_end_matches(is_space);
    Span::new(span.start, span.start + kept.len())
}
