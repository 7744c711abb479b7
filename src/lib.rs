//! obc: a language and compiler for outcome-based health and social care contracts.
//!
//! The pipeline reads in one direction: [`syntax`] parses text into a typed tree,
//! [`check`] resolves names and finds mistakes, producing a checked contract model, and the
//! renderers in [`render`] turn diagnostics into text for people and machines.
//! The library never prints; the `obc` binary does.

pub mod calendar;
pub mod check;
pub mod curve;
pub mod data;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod eval;
pub mod fmt;
pub mod intervals;
pub mod limits;
pub mod load;
pub mod lsp;
pub mod model;
pub mod render;
pub mod simulate;
pub mod source;
pub mod split;
pub mod syntax;
pub mod testing;
pub mod units;
