//! The pest parser generated from `grammar/obc.pest`. Nothing outside `syntax` sees it.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/obc.pest"]
pub struct ObcParser;
