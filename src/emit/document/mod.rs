//! The readable specification for a tender pack, as Markdown or as one self-contained HTML file.
//!
//! Both formats are rendered from one document model built from [`Spec`] alone, so they say
//! the same things: a summary (parties, term, money per year, the rules in plain words), the
//! outcomes framework, a definition card per indicator, each payment mechanism with its table
//! and payout curve, gateways and deductions, the payment timeline and the worked examples.
//! The HTML inlines each payout chart as SVG; the Markdown gives the key points of each curve
//! as a table instead (GitHub's Markdown renderer strips inline SVG).
//!
//! Money is written `£1,234,567.00` with the contract currency's symbol, dates `1 April 2016`,
//! percentages `85%`.
//!
//! This module holds the document model and its outline; each section is built in a file of
//! its own, and `markdown` and `html` write the model out.

mod framework;
mod gateways;
mod html;
mod markdown;
mod mechanisms;
mod payments;
mod summary;
mod timeline;
mod values;

pub use html::html;
pub use markdown::markdown;

use framework::{framework, indicators};
use gateways::gateways_and_deductions;
use payments::payments;
use summary::summary;
use timeline::{examples, timeline};
use values::Ctx;

use super::chart::{KeyPoint, Scale};
use super::spec::Spec;

// ---------------------------------------------------------------- the document model

/// A piece of inline text.
#[derive(Clone, Debug)]
enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    /// A link to a part of the document, by `id`.
    Link(String, String),
    /// A short label such as "reporting only".
    Tag(String),
    /// A name in the contract, in brackets after a title: `(at_home)`.
    Name(String),
    /// A line break in HTML; `; ` in Markdown.
    Break,
}

#[derive(Clone, Debug, Default)]
struct Rich(Vec<Inline>);

impl Rich {
    fn new() -> Self {
        Rich(Vec::new())
    }
    fn text(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Text(text.into()));
        self
    }
    fn code(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Code(text.into()));
        self
    }
    fn strong(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Strong(text.into()));
        self
    }
    fn link(mut self, target: impl Into<String>, text: impl Into<String>) -> Self {
        self.0.push(Inline::Link(target.into(), text.into()));
        self
    }
    fn tag(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Tag(text.into()));
        self
    }
    /// A title's name in the contract, after a space: ` (at_home)`.
    fn name(mut self, text: impl Into<String>) -> Self {
        self.0.push(Inline::Text(" ".into()));
        self.0.push(Inline::Name(text.into()));
        self
    }
    fn lines(mut self, items: &[String]) -> Self {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(Inline::Break);
            }
            self.0.push(Inline::Text(item.clone()));
        }
        self
    }
    fn append(mut self, other: Rich) -> Self {
        self.0.extend(other.0);
        self
    }
}

fn plain(text: impl Into<String>) -> Rich {
    Rich::new().text(text)
}

#[derive(Clone, Debug)]
struct Cell {
    content: Rich,
    /// How many rows the cell spans in HTML; 0 for a cell covered by the one above it.
    rowspan: usize,
}

impl From<Rich> for Cell {
    fn from(content: Rich) -> Self {
        Cell {
            content,
            rowspan: 1,
        }
    }
}

#[derive(Clone, Debug)]
struct Table {
    caption: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// Right-aligned (numeric) columns.
    numeric: Vec<usize>,
    /// The first cell of each row is a row header.
    row_headers: bool,
    /// A CSS class: `facts` (label and value), `long` (may split across pages), or empty.
    class: &'static str,
}

impl Table {
    fn new(caption: impl Into<String>, head: &[&str]) -> Self {
        Table {
            caption: caption.into(),
            head: head.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: Vec::new(),
            row_headers: false,
            class: "",
        }
    }
    /// A two-column table of labelled facts.
    fn facts(caption: impl Into<String>) -> Self {
        Table {
            row_headers: true,
            class: "facts",
            ..Table::new(caption, &["Item", "Detail"])
        }
    }
    fn row(&mut self, cells: Vec<Rich>) {
        self.rows.push(cells.into_iter().map(Cell::from).collect());
    }
    fn fact(&mut self, label: &str, value: Rich) {
        self.row(vec![plain(label), value]);
    }
}

#[derive(Clone, Debug)]
enum Block {
    /// Opens a section with a heading (level 2 to 4).
    Open {
        id: String,
        level: u8,
        title: String,
        class: &'static str,
    },
    Close,
    Para(Rich),
    /// A paragraph in a smaller, quieter style.
    Note(Rich),
    Bullets(Vec<Rich>),
    Table(Table),
    Chart {
        svg: Option<String>,
        points: Vec<KeyPoint>,
        scale: Scale,
        /// The horizontal axis is the measured result, not an improvement.
        measured: bool,
        caption: Rich,
        /// How to read the drawing (HTML only).
        legend: String,
    },
    Example {
        lines: Vec<String>,
    },
}

// ---------------------------------------------------------------- the outline

/// The document's blocks, section by section.
fn build(ctx: &Ctx) -> Vec<Block> {
    let mut blocks = Vec::new();
    summary(ctx, &mut blocks);
    framework(ctx, &mut blocks);
    indicators(ctx, &mut blocks);
    payments(ctx, &mut blocks);
    gateways_and_deductions(ctx, &mut blocks);
    timeline(ctx, &mut blocks);
    examples(ctx, &mut blocks);
    blocks
}

/// The numbered top-level sections, as (id, title).
fn contents(spec: &Spec) -> Vec<(&'static str, String)> {
    let _ = spec;
    vec![
        ("summary", "1. Summary".to_string()),
        ("outcomes-framework", "2. Outcomes framework".to_string()),
        ("indicators", "3. Indicators".to_string()),
        ("payments", "4. Payment mechanisms".to_string()),
        (
            "gateways-and-deductions",
            "5. Gateways and deductions".to_string(),
        ),
        ("timeline", "6. Payment timeline".to_string()),
        ("worked-examples", "7. Worked examples".to_string()),
    ]
}

fn open(blocks: &mut Vec<Block>, id: impl Into<String>, level: u8, title: impl Into<String>) {
    blocks.push(Block::Open {
        id: id.into(),
        level,
        title: title.into(),
        class: "",
    });
}

fn open_class(
    blocks: &mut Vec<Block>,
    id: impl Into<String>,
    level: u8,
    title: impl Into<String>,
    class: &'static str,
) {
    blocks.push(Block::Open {
        id: id.into(),
        level,
        title: title.into(),
        class,
    });
}
