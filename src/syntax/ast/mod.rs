//! The typed syntax tree: what a contract file says, exactly as written, with a span on every node.
//!
//! Blocks keep their settings in source order, repeated or not: deciding what a duplicate or a
//! missing setting means is the checker's job, and a formatter needs the file as written.

use crate::source::Span;

mod contract;
mod deductions;
mod framework;
mod indicators;
mod literals;
mod payments;
mod tests_blocks;

pub use contract::*;
pub use deductions::*;
pub use framework::*;
pub use indicators::*;
pub use literals::*;
pub use payments::*;
pub use tests_blocks::*;

/// A node with the span of the text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

pub type Name = Spanned<String>;

/// A parsed file: its blocks and its comments, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub blocks: Vec<Block>,
    pub comments: Vec<Comment>,
    /// The text that could not be read (each unreadable setting or block), so that checks
    /// depending on it can stand back.
    pub unreadable: Vec<Span>,
    /// Every name as written, where it is defined and wherever it is used, in source order:
    /// what editors find references and rename by. Names in unreadable text are not among them.
    pub names: Vec<Span>,
}

/// A `//` comment; `text` excludes the slashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Import(Import),
    Contract(Contract),
    Population(Population),
    Cohort(Cohort),
    Domain(Domain),
    Indicator(Indicator),
    Factor(Declared),
    Flag(Declared),
    Input(Input),
    Derived(Derived),
    Payment(Payment),
    Deduction(Deduction),
    Gateway(Gateway),
    Advance(AdvanceBlock),
    Test(Test),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub path: Spanned<String>,
    pub span: Span,
}
