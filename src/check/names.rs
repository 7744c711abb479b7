//! The symbol table: every named block in one namespace, and resolving references to it with
//! "did you mean" suggestions.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Block, Name, RateCardItem};

/// What a name can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Indicator,
    Payment,
    Deduction,
    Gateway,
    Cohort,
    Domain,
    Outcome,
    Factor,
    Flag,
    Input,
    Derived,
    /// A named commissioner: a payer.
    Payer,
    Advance,
}

impl Kind {
    pub fn article_noun(self) -> &'static str {
        match self {
            Kind::Indicator => "an indicator",
            Kind::Payer => "a named commissioner",
            Kind::Advance => "an advance",
            Kind::Payment => "a payment",
            Kind::Deduction => "a deduction",
            Kind::Gateway => "a gateway",
            Kind::Cohort => "a cohort",
            Kind::Domain => "a domain",
            Kind::Outcome => "an outcome",
            Kind::Factor => "a factor",
            Kind::Flag => "a flag",
            Kind::Input => "an input",
            Kind::Derived => "a derived value",
        }
    }
}

/// A named block.
#[derive(Clone, Copy, Debug)]
pub struct Symbol<'a> {
    pub kind: Kind,
    pub file: FileId,
    pub span: Span,
    pub item: Item<'a>,
}

/// The syntax node a symbol names.
#[derive(Clone, Copy, Debug)]
pub enum Item<'a> {
    Indicator(&'a ast::Indicator),
    Payment(&'a ast::Payment),
    Deduction(&'a ast::Deduction),
    Gateway(&'a ast::Gateway),
    Derived(&'a ast::Derived),
    Other,
}

/// Every name defined in a workspace.
#[derive(Default)]
pub struct Symbols<'a> {
    pub by_name: HashMap<&'a str, Symbol<'a>>,
    /// Outcomes and criteria of rate cards: what participant records may say was achieved.
    pub achievements: HashMap<&'a str, Span>,
}

impl<'a> Symbols<'a> {
    /// Collects the names of every file, reporting duplicates against the first definition.
    pub fn collect(
        files: &'a [(FileId, ast::File)],
        sources: &Sources,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut symbols = Symbols::default();
        for (file, tree) in files {
            for block in &tree.blocks {
                let (kind, name, item) = match block {
                    Block::Indicator(b) => (Kind::Indicator, &b.name, Item::Indicator(b)),
                    Block::Payment(b) => {
                        symbols.collect_rate_card(b);
                        (Kind::Payment, &b.name, Item::Payment(b))
                    }
                    Block::Deduction(b) => (Kind::Deduction, &b.name, Item::Deduction(b)),
                    Block::Gateway(b) => (Kind::Gateway, &b.name, Item::Gateway(b)),
                    Block::Advance(b) => (Kind::Advance, &b.name, Item::Other),
                    Block::Cohort(b) => (Kind::Cohort, &b.name, Item::Other),
                    Block::Factor(b) => (Kind::Factor, &b.name, Item::Other),
                    Block::Flag(b) => (Kind::Flag, &b.name, Item::Other),
                    Block::Input(b) => (Kind::Input, &b.name, Item::Other),
                    Block::Derived(b) => (Kind::Derived, &b.name, Item::Derived(b)),
                    Block::Contract(c) => {
                        for setting in &c.settings {
                            if let ast::ContractSetting::Commissioner {
                                name: Some(name), ..
                            } = &setting.node
                            {
                                symbols.define(
                                    Kind::Payer,
                                    *file,
                                    name,
                                    Item::Other,
                                    sources,
                                    diagnostics,
                                );
                            }
                        }
                        continue;
                    }
                    Block::Domain(d) => {
                        for outcome in &d.outcomes {
                            symbols.define(
                                Kind::Outcome,
                                *file,
                                &outcome.name,
                                Item::Other,
                                sources,
                                diagnostics,
                            );
                        }
                        (Kind::Domain, &d.name, Item::Other)
                    }
                    _ => continue,
                };
                symbols.define(kind, *file, name, item, sources, diagnostics);
            }
        }
        symbols
    }

    fn collect_rate_card(&mut self, payment: &'a ast::Payment) {
        for setting in &payment.settings {
            let ast::PaymentSetting::RateCard(items) = &setting.node else {
                continue;
            };
            for item in items {
                let name = match &item.node {
                    RateCardItem::Outcome(o) => &o.name,
                    RateCardItem::Criterion { name, .. } => name,
                    RateCardItem::AttachmentFee(_) => continue,
                };
                self.achievements
                    .entry(name.node.as_str())
                    .or_insert(name.span);
            }
        }
    }

    fn define(
        &mut self,
        kind: Kind,
        file: FileId,
        name: &'a Name,
        item: Item<'a>,
        sources: &Sources,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if let Some(first) = self.by_name.get(name.node.as_str()) {
            let mut d = Diagnostic::new(
                Code::DuplicateName,
                file,
                name.span,
                format!(
                    "the name `{}` is already used by {}",
                    name.node,
                    first.kind.article_noun()
                ),
                "defined again here",
            )
            .with_help("give each block its own name; references would otherwise be ambiguous");
            if first.file == file {
                d = d.with_label(first.span, "first defined here");
            } else {
                d.help = Some(format!(
                    "`{}` is first defined in `{}`; give each block its own name",
                    name.node,
                    sources.get(first.file).name
                ));
            }
            diagnostics.push(d);
            return;
        }
        self.by_name.insert(
            &name.node,
            Symbol {
                kind,
                file,
                span: name.span,
                item,
            },
        );
    }

    /// Resolves a reference that must name one of `kinds`, reporting why it does not.
    pub fn resolve(
        &self,
        name: &Name,
        kinds: &[Kind],
        file: FileId,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Symbol<'a>> {
        let wanted = kinds
            .iter()
            .map(|k| k.article_noun())
            .collect::<Vec<_>>()
            .join(" or ");
        match self.by_name.get(name.node.as_str()) {
            Some(symbol) if kinds.contains(&symbol.kind) => Some(*symbol),
            Some(symbol) => {
                let mut d = Diagnostic::new(
                    Code::WrongKindOfName,
                    file,
                    name.span,
                    format!(
                        "`{}` is {}, but {wanted} is needed here",
                        name.node,
                        symbol.kind.article_noun()
                    ),
                    format!("{} here", symbol.kind.article_noun()),
                )
                .with_help(format!("name {wanted} here"));
                if symbol.file == file {
                    d = d.with_label(symbol.span, "defined here");
                }
                diagnostics.push(d);
                None
            }
            None => {
                let candidates = self
                    .by_name
                    .iter()
                    .filter(|(_, s)| kinds.contains(&s.kind))
                    .map(|(n, _)| *n);
                diagnostics.push(undefined(name, file, &wanted, candidates));
                None
            }
        }
    }
}

/// The diagnostic for a name that is not defined, with the closest candidate as a suggestion.
pub fn undefined<'n>(
    name: &Name,
    file: FileId,
    wanted: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UndefinedName,
        file,
        name.span,
        format!("`{}` is not defined", name.node),
        format!(
            "no {} has this name",
            wanted
                .split(" or ")
                .map(|w| w.trim_start_matches("a ").trim_start_matches("an "))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    );
    match closest(&name.node, candidates) {
        Some(suggestion) => d
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(Fix::suggested(
                format!("change `{}` to `{suggestion}`", name.node),
                vec![Edit::new(name.span, suggestion)],
            )),
        None => d.with_help(format!(
            "define {wanted} called `{}`, or correct the name",
            name.node
        )),
    }
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a likely typo.
pub fn closest<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    // Optimal string alignment: insertions, deletions, substitutions and swaps of two
    // neighbouring characters (`hmoe` for `home`) each cost one.
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_two_letters_is_one_edit() {
        assert_eq!(edit_distance("hmoe", "home"), 1);
        assert_eq!(edit_distance("home", "home"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("hmoe", ["home", "falls"].into_iter()), Some("home"));
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["still_home_91", "readmissions", "falls"];
        assert_eq!(
            closest("still_home_19", names.iter().copied()),
            Some("still_home_91")
        );
        assert_eq!(
            closest("readmision", names.iter().copied()),
            Some("readmissions")
        );
        assert_eq!(closest("waiting_times", names.iter().copied()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
