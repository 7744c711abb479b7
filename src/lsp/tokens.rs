//! Semantic tokens: words of the language, names coloured by what they name (their definitions
//! marked as declarations), text, figures and comments.

use std::collections::HashMap;

use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};

use super::lexer::{self, TokenKind};
use super::position::Lines;
use super::snapshot::{is_reserved, Snapshot};
use crate::check::Kind;
use crate::source::FileId;

/// The token types, in the legend's order: a token's type is its index here.
const TYPES: [SemanticTokenType; 16] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::VARIABLE, // an indicator, and a name defined nowhere
    SemanticTokenType::FUNCTION, // a payment
    SemanticTokenType::METHOD,   // a deduction
    SemanticTokenType::INTERFACE, // a gateway
    SemanticTokenType::NAMESPACE, // a domain
    SemanticTokenType::ENUM_MEMBER, // an outcome, and a rate card's outcomes and criteria
    SemanticTokenType::CLASS,    // a cohort
    SemanticTokenType::PARAMETER, // an input or a factor
    SemanticTokenType::PROPERTY, // a derived value
    SemanticTokenType::TYPE,     // a payer
    SemanticTokenType::EVENT,    // a flag
    SemanticTokenType::STRUCT,   // an advance
];

fn type_index(token: &SemanticTokenType) -> u32 {
    TYPES.iter().position(|t| t == token).unwrap_or(0) as u32
}

/// A name's token type.
fn of_kind(kind: Option<Kind>) -> SemanticTokenType {
    match kind {
        Some(Kind::Indicator) => SemanticTokenType::VARIABLE,
        Some(Kind::Payment) => SemanticTokenType::FUNCTION,
        Some(Kind::Deduction) => SemanticTokenType::METHOD,
        Some(Kind::Gateway) => SemanticTokenType::INTERFACE,
        Some(Kind::Domain) => SemanticTokenType::NAMESPACE,
        Some(Kind::Outcome) | None => SemanticTokenType::ENUM_MEMBER,
        Some(Kind::Cohort) => SemanticTokenType::CLASS,
        Some(Kind::Input) | Some(Kind::Factor) => SemanticTokenType::PARAMETER,
        Some(Kind::Derived) => SemanticTokenType::PROPERTY,
        Some(Kind::Payer) => SemanticTokenType::TYPE,
        Some(Kind::Flag) => SemanticTokenType::EVENT,
        Some(Kind::Advance) => SemanticTokenType::STRUCT,
    }
}

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

pub fn semantic_tokens(snapshot: &Snapshot, file: FileId) -> Vec<SemanticToken> {
    let Some(tree) = snapshot.tree(file) else {
        return Vec::new();
    };
    let text = snapshot.text(file);
    let lines = Lines::new(text);
    let mut definitions: HashMap<String, (Option<Kind>, bool)> = HashMap::new();
    let mut name_type = |name: &str, at: crate::source::Span| {
        let (kind, here) = definitions
            .entry(name.to_string())
            .or_insert_with(|| match snapshot.definition(name) {
                Some(d) => (d.kind, d.file == file),
                None => (Some(Kind::Indicator), false),
            })
            .to_owned();
        let declaration = here
            && snapshot
                .definition(name)
                .is_some_and(|d| d.span == at && d.file == file);
        (of_kind(kind), declaration)
    };
    let mut data = Vec::new();
    let mut last = lsp_types::Position::new(0, 0);
    for token in lexer::tokens(text) {
        let span = token.span;
        let written = &text[span.start..span.end];
        let (token_type, declaration) = match token.kind {
            TokenKind::Comment => (SemanticTokenType::COMMENT, false),
            TokenKind::Text => (SemanticTokenType::STRING, false),
            TokenKind::Figure => (SemanticTokenType::NUMBER, false),
            TokenKind::Punctuation => continue,
            // A name, unless it is `total` (in `expect total pays`), a word of the language.
            TokenKind::Word
                if tree.names.contains(&span)
                    && !(is_reserved(written) && snapshot.definition(written).is_none()) =>
            {
                name_type(written, span)
            }
            // The quarter of a period such as `2016/17 Q1`.
            TokenKind::Word if matches!(written, "Q1" | "Q2" | "Q3" | "Q4") => {
                (SemanticTokenType::NUMBER, false)
            }
            TokenKind::Word => {
                let unread = tree
                    .unreadable
                    .iter()
                    .any(|u| u.start <= span.start && span.end <= u.end);
                if unread && snapshot.definition(written).is_some() {
                    name_type(written, span)
                } else if is_reserved(written) {
                    (SemanticTokenType::KEYWORD, false)
                } else {
                    continue;
                }
            }
        };
        let start = lines.position(span.start);
        let length = written.encode_utf16().count() as u32;
        data.push(SemanticToken {
            delta_line: start.line - last.line,
            delta_start: match start.line == last.line {
                true => start.character - last.character,
                false => start.character,
            },
            length,
            token_type: type_index(&token_type),
            token_modifiers_bitset: u32::from(declaration),
        });
        last = start;
    }
    data
}
