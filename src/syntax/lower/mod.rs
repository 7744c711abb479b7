//! Lowering pest's parse tree into the typed syntax tree of `ast`.
//!
//! The grammar guarantees the shape of every pair, so lowering only converts; where a literal
//! cannot be represented (a number too large for exact decimals, a bad escape) it records a
//! diagnostic and leaves the enclosing setting out of the tree.

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use super::literal::LiteralError;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

mod contract;
mod deductions;
mod indicators;
mod literals;
mod payments;
mod tests_blocks;

pub(super) struct Lowerer {
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
}

type P<'i> = Pair<'i, Rule>;

/// The span of a pair without trailing white space or comments. pest includes them when a
/// rule ends with an optional part that was not there (`target 85%` then a comment line).
pub(super) fn span(pair: &P) -> Span {
    let s = pair.as_span();
    let text = s.as_str();
    let mut end = text.len();
    loop {
        end = text[..end].trim_end().len();
        // A comment that ends the text: cut back to where it starts, if it starts on its own line
        // or after the setting. Comments cannot contain a newline, so look on the last line only.
        let line_start = text[..end].rfind('\n').map(|i| i + 1).unwrap_or(0);
        match comment_start(&text[line_start..end]) {
            Some(at) if line_start + at > 0 => end = line_start + at,
            _ => break,
        }
    }
    Span::new(s.start(), s.start() + end)
}

/// Where a `//` comment starts on a line, ignoring `//` inside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && line[i..].starts_with("//") => return Some(i),
            _ => {}
        }
    }
    None
}

/// Keywords and comments carry no meaning of their own in the tree.
fn is_noise(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::COMMENT
            | Rule::k_import
            | Rule::k_contract
            | Rule::k_population
            | Rule::k_cohort
            | Rule::k_domain
            | Rule::k_outcome
            | Rule::k_indicator
            | Rule::k_factor
            | Rule::k_flag
            | Rule::k_input
            | Rule::k_derived
            | Rule::k_numerator
            | Rule::k_denominator
            | Rule::k_payment
            | Rule::k_deduction
            | Rule::k_gateway
            | Rule::k_test
            | Rule::k_on
            | Rule::k_by
            | Rule::k_expect
            | Rule::k_given
            | Rule::k_achieved
    )
}

/// The meaningful children of a pair.
fn kids<'i>(pair: P<'i>) -> impl Iterator<Item = P<'i>> {
    pair.into_inner().filter(|p| !is_noise(p.as_rule()))
}

/// The only (or first) meaningful child.
fn kid(pair: P) -> Option<P> {
    kids(pair).next()
}

fn find<'i>(pair: &P<'i>, rule: Rule) -> Option<P<'i>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

fn find_all<'i>(pair: &P<'i>, rule: Rule) -> Vec<P<'i>> {
    pair.clone()
        .into_inner()
        .filter(|p| p.as_rule() == rule)
        .collect()
}

impl Lowerer {
    fn literal_error(&mut self, error: LiteralError, at: Span) {
        let (message, label, help) = match error {
            LiteralError::TooLarge => (
                "this number is larger than obc calculates with",
                "too large",
                "obc reads numbers up to 1,000,000,000,000 (a million million) so that every sum stays exact; check for extra digits",
            ),
            LiteralError::TooPrecise => (
                "this number has more decimal places than obc can calculate with exactly",
                "too many decimal places",
                "obc calculates exactly with up to 28 significant digits; round the number",
            ),
            LiteralError::BadEscape => (
                "this escape is not a character",
                "not a character",
                "write `\\u{...}` with the hexadecimal code of a real character, such as `\\u{e9}` for é",
            ),
        };
        self.diagnostics.push(
            Diagnostic::new(Code::InvalidLiteral, self.file, at, message, label).with_help(help),
        );
    }

    fn check<T>(&mut self, result: Result<T, LiteralError>, at: Span) -> Option<T> {
        result.map_err(|e| self.literal_error(e, at)).ok()
    }

    /// A `period` pair as a period literal.
    pub(super) fn period_pair(&mut self, pair: P) -> Option<Spanned<PeriodLit>> {
        self.period(pair)
    }

    // ------------------------------------------------------------ blocks

    pub fn block(&mut self, pair: P) -> Option<Block> {
        let at = span(&pair);
        Some(match pair.as_rule() {
            Rule::import => {
                let path = self.string(find(&pair, Rule::string)?)?;
                Block::Import(Import { path, span: at })
            }
            Rule::contract => {
                let title = self.opt_title(&pair)?;
                let settings = self.settings(&pair, Rule::contract_setting, Self::contract_setting);
                Block::Contract(Contract {
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::population => {
                let title = self.opt_title(&pair)?;
                let settings =
                    self.settings(&pair, Rule::population_setting, Self::population_setting);
                Block::Population(Population {
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::cohort => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::population_setting, Self::population_setting);
                Block::Cohort(Cohort {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::domain => Block::Domain(self.domain(pair)?),
            Rule::indicator => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::indicator_setting, Self::indicator_setting);
                Block::Indicator(Indicator {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::factor | Rule::flag => {
                let declared = Declared {
                    name: self.name(find(&pair, Rule::name)?),
                    title: self.opt_title(&pair),
                    span: at,
                };
                if pair.as_rule() == Rule::factor {
                    Block::Factor(declared)
                } else {
                    Block::Flag(declared)
                }
            }
            Rule::input => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::input_setting, Self::input_setting);
                Block::Input(Input {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::derived => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::derived_setting, Self::derived_setting);
                Block::Derived(Derived {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::payment => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::payment_setting, Self::payment_setting);
                Block::Payment(Payment {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::deduction => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings =
                    self.settings(&pair, Rule::deduction_setting, Self::deduction_setting);
                Block::Deduction(Deduction {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::gateway => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::gateway_setting, Self::gateway_setting);
                Block::Gateway(Gateway {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::advance_block => {
                let name = self.name(find(&pair, Rule::name)?);
                let title = self.opt_title(&pair);
                let settings = self.settings(&pair, Rule::advance_setting, Self::advance_setting);
                Block::Advance(AdvanceBlock {
                    name,
                    title,
                    settings,
                    span: at,
                })
            }
            Rule::test => {
                let title = self.opt_title(&pair)?;
                let settings = self.settings(&pair, Rule::test_setting, Self::test_setting);
                Block::Test(Test {
                    title,
                    settings,
                    span: at,
                })
            }
            _ => return None,
        })
    }

    /// Lowers every child of `rule` in a block body; a setting whose literal cannot be read is left out.
    fn settings<T>(
        &mut self,
        block: &P,
        rule: Rule,
        lower: fn(&mut Self, P) -> Option<T>,
    ) -> Vec<Spanned<T>> {
        find_all(block, rule)
            .into_iter()
            .filter_map(|setting| {
                let at = span(&setting);
                let inner = kid(setting)?;
                lower(self, inner).map(|node| Spanned::new(node, at))
            })
            .collect()
    }

    fn text_setting(&mut self, pair: P) -> Option<String> {
        Some(self.string(find(&pair, Rule::string)?)?.node)
    }
}
