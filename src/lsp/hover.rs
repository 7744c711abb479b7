//! Hover: what the word under the cursor is. A diagnostic code (anywhere, comments included)
//! shows its documentation, as `obc explain` prints it; a name shows what it names (an
//! indicator's unit, polarity, baseline and targets; a payment's pot, mechanism and largest
//! possible payment, worked out from the resolved model when the contract checks clean, as
//! written otherwise); a word of the language shows what docs/language.md says of it.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use rust_decimal::Decimal;

use super::lexer::{self, TokenKind};
use super::position::Lines;
use super::snapshot::{is_reserved, Snapshot};
use crate::check::Kind;
use crate::diagnostic::{docs, Code};
use crate::model::{self, BandPayout, ImprovementPays, Mechanism};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, CurrencyCode, Unit};
use crate::units;

pub fn hover(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Hover> {
    let text = snapshot.text(file);
    let word = lexer::word_at(text, offset)?;
    let written = &text[word.start..word.end];
    let markdown = match Code::lookup(written).filter(|_| is_code(written)) {
        Some(code) => explain(code),
        None => {
            let tokens = lexer::tokens(text);
            let inside = lexer::token_at(&tokens, offset)?;
            if inside.kind != TokenKind::Word {
                return None;
            }
            // `total` in `expect total pays` is read as a name but is a word of the language.
            let defined = snapshot.definition(written).is_some();
            match snapshot.name_at(file, offset) {
                Some(_) if defined || !is_reserved(written) => name(snapshot, written)?,
                _ => keyword(written)?,
            }
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(Lines::new(text).range(word)),
    })
}

/// `E0301` or `W0303`: a code as written in text, not a code's name.
fn is_code(word: &str) -> bool {
    word.len() == 5 && word.starts_with(['E', 'W']) && word[1..].chars().all(|c| c.is_ascii_digit())
}

fn explain(code: Code) -> String {
    match docs::explain(code) {
        Some(section) => section.to_string(),
        None => format!("{} {}: {}", code.code(), code.name(), code.summary()),
    }
}

/// What docs/language.md says of a word of the language: its row in the table of blocks, else
/// the form and first paragraph of the first section whose heading names it.
pub fn keyword(word: &str) -> Option<String> {
    const REFERENCE: &str = include_str!("../../docs/language.md");
    if !is_reserved(word) {
        return None;
    }
    let row = format!("| `{word}` | ");
    if let Some(line) = REFERENCE.lines().find(|l| l.starts_with(&row)) {
        let meaning = line[row.len()..].trim_end_matches(['|', ' ']);
        return Some(format!("**`{word}`** block: {meaning}"));
    }
    let mut lines = REFERENCE.lines();
    let heading = lines.by_ref().find(|line| {
        line.starts_with("###")
            && line
                .split('`')
                .skip(1)
                .step_by(2)
                .any(|phrase| phrase == word || phrase.starts_with(&format!("{word} ")))
    })?;
    let mut out = format!("**{}**", heading.trim_start_matches('#').trim());
    let mut paragraph = Vec::new();
    let mut in_code = false;
    for line in lines.take_while(|l| !l.starts_with('#')) {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if let Some(form) = line.strip_prefix("Form: ") {
            out.push_str(&format!("\n\n{form}"));
        } else if in_code || line.starts_with(['|', '*']) {
            continue;
        } else if line.trim().is_empty() {
            if !paragraph.is_empty() {
                break;
            }
        } else {
            paragraph.push(line.trim());
        }
    }
    if !paragraph.is_empty() {
        out.push_str(&format!("\n\n{}", paragraph.join(" ")));
    }
    Some(out)
}

fn name(snapshot: &Snapshot, name: &str) -> Option<String> {
    let Some(definition) = snapshot.definition(name) else {
        return Some(format!("`{name}`: not defined"));
    };
    let symbols = snapshot.symbols();
    let symbol = symbols.by_name.get(name);
    let text = snapshot.text(definition.file);
    let mut out = match definition.kind {
        Some(kind) => format!("**{} `{name}`**", noun(kind)),
        None => format!("**rate-card outcome or criterion `{name}`**"),
    };
    if definition.file != snapshot.workspace.root {
        let file = &snapshot.sources.get(definition.file).name;
        let file = file.rsplit(['/', '\\']).next().unwrap_or(file);
        out.push_str(&format!(" (in `{file}`)"));
    }
    let title = title_after(text, definition.span);
    if let Some(title) = &title {
        out.push_str(&format!("\n\n{title}"));
    }
    let model = snapshot.analysis.contract.as_ref();
    let details = match symbol.map(|s| s.item) {
        Some(crate::check::Item::Indicator(indicator)) => indicator_lines(text, indicator),
        Some(crate::check::Item::Payment(payment)) => {
            match model.and_then(|m| Some((m, m.payments.iter().find(|p| p.name == name)?))) {
                Some((contract, resolved)) => payment_lines(contract, resolved),
                None => payment_as_written(text, payment),
            }
        }
        _ => Vec::new(),
    };
    for line in details {
        match line.strip_prefix("  ") {
            Some(nested) => out.push_str(&format!("\n  - {nested}")),
            None => out.push_str(&format!("\n- {line}")),
        }
    }
    Some(out)
}

fn noun(kind: Kind) -> &'static str {
    let noun = kind.article_noun();
    noun.split_once(' ').map_or(noun, |(_, n)| n)
}

/// The title written after a name, if any: `"Older people still at home"`.
fn title_after(text: &str, name: Span) -> Option<String> {
    let rest = text.get(name.end..)?.trim_start_matches([' ', '\t']);
    let token = lexer::tokens(rest.lines().next().unwrap_or_default())
        .into_iter()
        .next()?;
    (token.kind == TokenKind::Text).then(|| {
        rest[token.span.start..token.span.end]
            .trim_matches('"')
            .to_string()
    })
}

/// A setting as written, without its first words: `baseline 82.7% in 2014/15` after `baseline`.
fn written_after<'t>(text: &'t str, span: Span, keyword: &str) -> &'t str {
    text.get(span.start..span.end)
        .unwrap_or_default()
        .trim_start_matches(keyword)
        .trim()
}

fn indicator_lines(text: &str, indicator: &ast::Indicator) -> Vec<String> {
    use ast::IndicatorSetting as I;
    let mut lines = Vec::new();
    for setting in &indicator.settings {
        let line = match &setting.node {
            I::Unit(unit) => format!("unit: {}", units::unit_words(*unit)),
            I::Better(polarity) => format!(
                "better: {}",
                match polarity {
                    ast::Polarity::Higher => "higher",
                    ast::Polarity::Lower => "lower",
                }
            ),
            I::Reported(_) => format!("reported {}", written_after(text, setting.span, "reported")),
            I::Baseline { .. } => {
                format!(
                    "baseline: {}",
                    written_after(text, setting.span, "baseline")
                )
            }
            I::Target(_) => format!("target: {}", written_after(text, setting.span, "target")),
            I::ReportingOnly => "reporting only".to_string(),
            _ => continue,
        };
        lines.push(line);
    }
    lines
}

/// A payment's settings that say how it pays, as written: for a contract with errors, which has
/// no resolved model.
fn payment_as_written(text: &str, payment: &ast::Payment) -> Vec<String> {
    use ast::PaymentSetting as P;
    let mut lines = Vec::new();
    for setting in &payment.settings {
        let shown = match &setting.node {
            P::Weight(_) | P::Pot(_) | P::On(_) | P::Linear(_) | P::Points { .. } => true,
            P::PricePerPoint(_) | P::Improvement { .. } | P::Trigger(_) | P::Pays(_) => true,
            P::Cap(_) => true,
            P::Tiers(bands) => {
                lines.push(format!("tiers: {} bands", bands.len()));
                lines.extend(
                    bands
                        .iter()
                        .map(|b| format!("  `{}`", written(text, b.span))),
                );
                false
            }
            P::RateCard(items) => {
                lines.push("rate card:".to_string());
                lines.extend(
                    items
                        .iter()
                        .map(|i| format!("  `{}`", written(text, i.span))),
                );
                false
            }
            _ => false,
        };
        if shown {
            lines.push(format!("`{}`", written(text, setting.span)));
        }
    }
    lines.push("(as written: the contract has errors, so its figures are not worked out)".into());
    lines
}

fn written(text: &str, span: Span) -> String {
    text.get(span.start..span.end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Amounts by contract year: `£1,000 a year`, or `year 1 £1,000, year 2 £1,200`.
fn by_year(amounts: &[Option<Decimal>], currency: CurrencyCode) -> String {
    let money = |a: &Option<Decimal>| match a {
        Some(a) => units::format_money(*a, currency),
        None => "not known from the contract alone".to_string(),
    };
    match amounts {
        [] => "none".to_string(),
        [first, rest @ ..] if rest.iter().all(|a| a == first) => format!("{} a year", money(first)),
        _ => amounts
            .iter()
            .enumerate()
            .map(|(i, a)| format!("year {} {}", i + 1, money(a)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn payment_lines(contract: &model::Contract, payment: &model::Payment) -> Vec<String> {
    let currency = contract.currency;
    let mut lines = Vec::new();
    if let Some(pots) = &payment.pot_per_year {
        let pots: Vec<Option<Decimal>> = pots.iter().copied().map(Some).collect();
        lines.push(format!("pot: {}", by_year(&pots, currency)));
    }
    let unit = payment
        .indicator
        .as_ref()
        .and_then(|i| contract.indicators.get(i))
        .map_or(Unit::Ratio, |i| i.unit);
    if let Some(indicator) = &payment.indicator {
        lines.push(format!("on `{indicator}`"));
    }
    lines.extend(mechanism_lines(&payment.mechanism, unit, currency));
    let largest = crate::emit::spec::largest_per_year(contract, payment);
    lines.push(format!(
        "largest possible payment: {}",
        by_year(&largest, currency)
    ));
    lines
}

fn mechanism_lines(mechanism: &Mechanism, unit: Unit, currency: CurrencyCode) -> Vec<String> {
    let value = |v: Decimal| units::format_value(v, unit, currency);
    let percent = units::format_percent;
    let money = |m: Decimal| units::format_money(m, currency);
    let scale = |from: &model::ByYear, to: &model::ByYear| {
        let note = match from.same_every_year().and(to.same_every_year()) {
            Some(_) => "",
            None => " (in year 1)",
        };
        format!("from {} to {}{note}", value(from.at(1)), value(to.at(1)))
    };
    match mechanism {
        Mechanism::Tiers(bands) => {
            std::iter::once(format!("pays by tiers, {} bands:", bands.len()))
                .chain(bands.iter().map(|band| {
                    let pays = match band.payout {
                        BandPayout::Nothing => "nothing".to_string(),
                        BandPayout::Share(s) => format!("{} of the pot", percent(s)),
                        BandPayout::Amount(a) => money(a),
                        BandPayout::Linear(a, b) => {
                            format!(
                                "{} to {} of the pot, in a straight line",
                                percent(a),
                                percent(b)
                            )
                        }
                    };
                    format!("  `{}` pays {pays}", band.text)
                }))
                .collect()
        }
        Mechanism::Linear {
            from,
            to,
            pay_from,
            pay_to,
        } => vec![format!(
            "pays on a linear scale {}, paying {} to {} of the pot",
            scale(from, to),
            percent(*pay_from),
            percent(*pay_to)
        )],
        Mechanism::Points {
            points,
            from,
            to,
            price,
            factors,
        } => {
            let mut line = format!(
                "pays by points: {} points {}, at {} a point",
                units::format_number(*points),
                scale(from, to),
                money(price.at(1))
            );
            if !factors.is_empty() {
                line.push_str(&format!(", adjusted by {}", factors.join(", ")));
            }
            vec![line]
        }
        Mechanism::Improvement(improvement) => {
            let change = match improvement.change {
                ast::ChangeKind::Absolute => "absolute",
                ast::ChangeKind::Relative => "relative",
            };
            let against = match improvement.against_baseline {
                true => "the baseline",
                false => "a comparison group",
            };
            let pays = match improvement.pays {
                ImprovementPays::Share(s) => format!("{} of the pot", percent(s)),
                ImprovementPays::PerPoint(m) => format!("{} per point", money(m)),
                ImprovementPays::PerEvent(m) => format!("{} per event avoided", money(m)),
            };
            vec![format!(
                "pays for {change} improvement against {against}: {pays}"
            )]
        }
        Mechanism::RateCard(card) => std::iter::once("pays by a rate card:".to_string())
            .chain(
                card.attachment_fee
                    .iter()
                    .map(|fee| format!("  attachment fee {}", money(fee.at(1)))),
            )
            .chain(
                card.outcomes
                    .iter()
                    .map(|o| format!("  outcome `{}` pays {}", o.name, money(o.price.at(1)))),
            )
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_explained_from_the_language_reference() {
        let payment = keyword("payment").unwrap_or_default();
        assert!(
            payment.contains("How one part of the money is earned"),
            "{payment}"
        );
        let on = keyword("on").unwrap_or_default();
        assert!(
            on.contains("on <indicator>") && on.contains("indicator the payment"),
            "{on}"
        );
        let weight = keyword("weight").unwrap_or_default();
        assert!(weight.contains("weight"), "{weight}");
        assert_eq!(keyword("still_home_91"), None);
    }

    #[test]
    fn codes_are_told_from_names() {
        assert!(is_code("E0301"));
        assert!(is_code("W0303"));
        assert!(!is_code("tier-gap"));
        assert!(!is_code("E03011"));
    }
}
