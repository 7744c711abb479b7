//! Data-driven tests. Every `tests/ui/**/*.obc` fixture is checked and its diagnostics are
//! snapshotted twice, as the human report and as JSON; every contract in `contracts/` must
//! check clean. (That every code has a fixture is checked in tests/eval.rs, over both kinds.)

mod common;

use std::path::Path;

use obc::diagnostic::Diagnostic;
use obc::render::{self, Format, HumanStyle};
use obc::source::Sources;

/// Checks a file given by a path relative to the crate root, so rendered paths are stable.
fn check(relative: &Path) -> (Vec<Diagnostic>, Sources) {
    let mut sources = Sources::new();
    let workspace = obc::load::load(relative, &mut sources).expect("fixture is readable");
    let diagnostics = obc::check::check(&workspace, &sources);
    (diagnostics, sources)
}

fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("inside the crate")
}

#[test]
fn ui_fixtures() {
    insta::glob!("ui/**/*.obc", |path| {
        let (diagnostics, sources) = check(relative(path));
        let style = HumanStyle {
            color: false,
            width: 100,
        };
        insta::assert_snapshot!(
            "human",
            render::render(Format::Human, &diagnostics, &sources, style)
        );
        insta::assert_snapshot!(
            "json",
            render::render(Format::Json, &diagnostics, &sources, style)
        );
    });
}

#[test]
fn example_contracts_check_clean() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/contracts");
    let contracts: Vec<_> = common::obc_files(Path::new(dir))
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "library"))
        .collect();
    assert!(
        contracts.len() >= 5,
        "expected at least five example contracts, found {}",
        contracts.len()
    );
    for contract in contracts {
        let (diagnostics, sources) = check(relative(&contract));
        let report = render::render(
            Format::Concise,
            &diagnostics,
            &sources,
            HumanStyle::default(),
        );
        assert!(
            diagnostics.is_empty(),
            "{} does not check clean:\n{report}",
            contract.display()
        );
    }
}

/// Every ```obc example in the language reference is readable: the reference never shows
/// syntax that the parser rejects.
#[test]
fn language_reference_examples_parse() {
    let reference = include_str!("../docs/language.md");
    let mut examples = 0;
    for (index, block) in reference.split("```obc").skip(1).enumerate() {
        let code = block.split("```").next().unwrap_or_default();
        let parsed = obc::syntax::parse(code, obc::source::FileId(0));
        let errors: Vec<&str> = parsed
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            errors.is_empty(),
            "example {} of docs/language.md does not parse: {errors:?}\n{code}",
            index + 1
        );
        examples += 1;
    }
    assert!(
        examples > 50,
        "expected the reference to be full of examples, found {examples}"
    );
}

/// The reference of every code tells the truth: for a code found by `obc check` (not a data
/// code), its **Example** reports that code and its **How to fix** does not.
#[test]
fn diagnostics_reference_examples_show_their_code() {
    let reference = include_str!("../docs/diagnostics.md");
    let check_text = |code: &str| -> Vec<String> {
        let mut sources = Sources::new();
        let workspace =
            obc::load::load_text(Path::new("example.obc"), code.to_string(), &mut sources);
        obc::check::check(&workspace, &sources)
            .iter()
            .map(|d| d.code.code().to_string())
            .collect()
    };
    let mut shown = 0;
    let mut wrong = Vec::new();
    for section in reference.split("\n## ").skip(1) {
        let Some((code, _)) = section.split_once(':') else {
            continue;
        };
        // Data codes are found when data is read, and file codes need other files: their
        // examples need files beside them.
        if code.starts_with("E08")
            || code.starts_with("W08")
            || ["E0004", "E0005", "E0006"].contains(&code)
        {
            continue;
        }
        let obc_blocks = |part: &str| -> Vec<String> {
            part.split("```obc")
                .skip(1)
                .map(|b| b.split("```").next().unwrap_or_default().to_string())
                .collect()
        };
        let (example, fix) = match section.split_once("**How to fix**") {
            Some((example, fix)) => (obc_blocks(example), obc_blocks(fix)),
            None => (obc_blocks(section), Vec::new()),
        };
        for block in &example {
            let found = check_text(block);
            if !found.iter().any(|c| c == code) {
                wrong.push(format!("{code}: its example reports {found:?}\n{block}"));
            }
            shown += 1;
        }
        for block in &fix {
            let found = check_text(block);
            if found.iter().any(|c| c == code) {
                wrong.push(format!("{code}: its fix still reports it\n{block}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert!(
        shown > 30,
        "expected examples for most codes, found {shown}"
    );
}

/// Every word the grammar matches literally is listed among the reserved words of the language
/// reference (month names and the letters of codes and period labels aside).
#[test]
fn grammar_words_are_listed_as_reserved() {
    let root = env!("CARGO_MANIFEST_DIR");
    let grammar = std::fs::read_to_string(format!("{root}/grammar/obc.pest")).expect("grammar");
    let reference = std::fs::read_to_string(format!("{root}/docs/language.md")).expect("docs");
    let reserved = reference
        .split("## 16. Reserved words")
        .nth(1)
        .expect("a reserved words section");
    let listed: std::collections::BTreeSet<&str> = reserved.split('`').skip(1).step_by(2).collect();
    let mut missing = std::collections::BTreeSet::new();
    for line in grammar.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for word in code.split('"').skip(1).step_by(2) {
            let is_word = word.len() > 1
                && word.starts_with(|c: char| c.is_ascii_alphabetic())
                && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
                && !is_month(word);
            if is_word && !listed.contains(word) {
                missing.insert(word.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "words of the grammar not listed in docs/language.md section 16: {missing:?}"
    );
}

fn is_month(word: &str) -> bool {
    obc::syntax::MONTH_NAMES.contains(&word)
}
