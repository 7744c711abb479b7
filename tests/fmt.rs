//! `obc fmt`: every fixture and example contract formatted, snapshots of formatted files, a
//! property test on generated contracts, and the command run as a user runs it.
//!
//! Formatting must be idempotent, change nothing but whitespace, and leave a file that parses to
//! the same tree (spans aside) with the same findings.

mod common;

use std::path::{Path, PathBuf};

use obc::source::Sources;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every contract the project holds: fixtures and examples.
fn every_contract() -> Vec<PathBuf> {
    let mut files = common::obc_files(&root().join("tests"));
    files.extend(common::obc_files(&root().join("contracts")));
    assert!(files.len() > 300, "found only {} contracts", files.len());
    files
}

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root())
        .expect("inside the crate")
        .to_path_buf()
}

fn format(text: &str) -> String {
    obc::fmt::format(text).text
}

/// What a file says, spans aside, read as `obc check` reads it: after a byte-order mark, with a
/// lone carriage return as a line feed (which formatting writes, even in text it keeps as
/// written; the fuzzer found it, tests/fmt/found-by-fuzzing/).
fn tree(text: &str) -> String {
    obc::fmt::tree_without_spans(&obc::source::readable_text(text.to_string()))
}

/// The code and message of every finding `check` reports on `text` read as `path`. A message
/// quotes the text as written (`min( a ,  2 )`), so its runs of whitespace count as one space.
/// A syntax finding quotes the text it stopped at up to the next space, which formatting can
/// change (`1}` becomes `1` once the brace is on a line of its own; the fuzzer found it,
/// tests/fmt/found-by-fuzzing/), and a line joined to the one before has one text-direction
/// warning where it had two: those are compared by code, once each.
fn findings(path: &Path, text: &str) -> Vec<String> {
    let mut sources = Sources::new();
    let workspace = obc::load::load_text(path, text.to_string(), &mut sources);
    let mut found: Vec<String> = obc::check::check(&workspace, &sources)
        .iter()
        .map(|d| match d.code.code() {
            code @ ("E0001" | "W0009") => code.to_string(),
            code => {
                let message: Vec<&str> = d.message.split_whitespace().collect();
                format!("{code} {}", message.join(" "))
            }
        })
        .collect();
    found.sort();
    found.dedup_by(|a, b| a == b && (a == "E0001" || a == "W0009"));
    found
}

fn words(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
        .collect()
}

/// Formatting `text` changes only whitespace, is idempotent, and keeps the tree; what fails, in
/// words.
fn problems(text: &str) -> Vec<String> {
    let once = format(text);
    let twice = format(&once);
    let mut found = Vec::new();
    if words(text) != words(&once) {
        found.push("characters other than whitespace changed".to_string());
    }
    if once != twice {
        found.push(format!(
            "formatting twice differs:\n--- once\n{once}\n--- twice\n{twice}"
        ));
    }
    if tree(text) != tree(&once) {
        found.push(format!("the tree differs after formatting:\n{once}"));
    }
    found
}

#[test]
fn every_contract_formats_to_the_same_tree_and_findings_and_formats_once() {
    let mut failures = Vec::new();
    for path in every_contract() {
        let contract = relative(&path);
        let text = std::fs::read_to_string(&path).expect("readable");
        let mut found = problems(&text);
        let formatted = format(&text);
        if findings(&contract, &text) != findings(&contract, &formatted) {
            found.push(format!(
                "findings differ:\n{:#?}\n{:#?}",
                findings(&contract, &text),
                findings(&contract, &formatted)
            ));
        }
        if !found.is_empty() {
            failures.push(format!("{}: {}", contract.display(), found.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn formatted_text_has_the_canonical_whitespace() {
    for path in every_contract() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let formatted = obc::fmt::format(&text);
        if formatted.kept_as_written > 0 || formatted.text.is_empty() {
            continue;
        }
        let name = relative(&path);
        let out = &formatted.text;
        assert!(
            out.ends_with('\n') && !out.ends_with("\n\n"),
            "{name:?}: one final newline"
        );
        assert!(!out.starts_with('\n'), "{name:?}: no blank line first");
        assert!(
            !out.contains('\r') && !out.contains('\t'),
            "{name:?}: no CR or tab"
        );
        assert!(!out.contains("\n\n\n"), "{name:?}: at most one blank line");
        for line in out.lines() {
            assert_eq!(line, line.trim_end(), "{name:?}: trailing whitespace");
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{name:?}: odd indentation in {line:?}");
        }
    }
}

/// Every ```obc example in the language reference, which shows every construct, formats to the
/// same tree, once.
#[test]
fn language_reference_examples_format_to_the_same_tree() {
    let reference = include_str!("../docs/language.md");
    let mut failures = Vec::new();
    for (index, block) in reference.split("```obc").skip(1).enumerate() {
        let code = block.split("```").next().unwrap_or_default();
        let found = problems(code);
        if !found.is_empty() {
            failures.push(format!("example {}: {}", index + 1, found.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The examples in docs/formatting.md are laid out as `obc fmt` lays them out.
#[test]
fn formatting_guide_examples_are_formatted() {
    let guide = include_str!("../docs/formatting.md");
    for block in guide.split("```obc").skip(1) {
        let code = block.split("```").next().unwrap_or_default().trim_start();
        assert_eq!(format(code), code);
    }
}

/// The example contracts change only where the layout rules say: band tables are aligned.
#[test]
fn examples_change_only_in_their_band_tables() {
    for path in common::obc_files(&root().join("contracts")) {
        let text = std::fs::read_to_string(&path).expect("readable");
        let formatted = format(&text);
        assert_eq!(formatted.lines().count(), text.lines().count(), "{path:?}");
        for (before, after) in text.lines().zip(formatted.lines()) {
            if before != after {
                assert!(
                    after.contains("  pays ") && before.contains(" pays "),
                    "{path:?}: {before:?} became {after:?}"
                );
            }
        }
    }
}

#[test]
fn formatted_examples() {
    for name in ["richmond-community", "help-to-live-at-home"] {
        let path = root().join("contracts").join(format!("{name}.obc"));
        let text = std::fs::read_to_string(path).expect("readable");
        insta::assert_snapshot!(format!("example-{name}"), format(&text));
    }
}

/// The fixtures under tests/fmt, deliberately laid out badly, each rule shown.
#[test]
fn formatted_fixtures() {
    insta::glob!("fmt/*.obc", |path| {
        let text = std::fs::read_to_string(path).expect("readable");
        insta::assert_snapshot!(format(&text));
    });
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const SETTINGS: &[&[&str]] = &[
        &["unit", "percent"],
        &["better", "higher"],
        &["reported", "quarterly"],
        &["baseline", "82.70%", "in", "2014/15"],
        &["target", "84%", "in", "year 1,", "85.50%", "from", "year 2"],
        &["data", "lag", "2 months"],
        &["source", "\"a  source {with} // no comment\""],
        &["minimum", "denominator", "1,000"],
        &["unit", "furlongs"],
        &["target", "twelve"],
    ];
    const PAYMENT: &[&[&str]] = &[
        &["weight", "12.5%"],
        &["on", "home"],
        &["paid", "30 days", "after", "data"],
        &["cap", "£1,200.50", "per", "year"],
        &[
            "pot", "£5,000", "per", "year", "in", "year 1,", "£8,000", "per", "year", "from",
            "year 2",
        ],
        &["paid", "by"],
    ];
    const BANDS: &[&[&str]] = &[
        &["below", "80%", "pays", "nothing"],
        &["80%", "to", "85.5%", "pays", "linear", "50%", "to", "100%"],
        &["85.5%", "and", "above", "pays", "100%"],
        &["target", "not", "met", "pays", "£1,000"],
        &["80%", "to", "pays", "100%"],
    ];
    const SPACES: &[&str] = &[" ", "  ", "\t", " \t ", "\n    ", "   "];
    const COMMENTS: &[&str] = &["", "", "", " // a comment  ", "// another"];

    #[derive(Clone, Debug)]
    struct Piece {
        kind: usize,
        choice: usize,
        spaces: Vec<usize>,
        comment: usize,
        blank_lines: usize,
        indent: usize,
    }

    fn piece() -> impl Strategy<Value = Piece> {
        (
            0usize..3,
            0usize..16,
            prop::collection::vec(0usize..SPACES.len(), 1..4),
            0usize..COMMENTS.len(),
            0usize..3,
            0usize..6,
        )
            .prop_map(
                |(kind, choice, spaces, comment, blank_lines, indent)| Piece {
                    kind,
                    choice,
                    spaces,
                    comment,
                    blank_lines,
                    indent,
                },
            )
    }

    /// One line of a block's body: a setting, maybe with a comment after it. (A word with a space
    /// in it, such as `30 days`, takes only spaces inside: the grammar allows no tab there.)
    fn line(words: &[&str], piece: &Piece) -> String {
        // Line breaks inside a setting only where a reader can tell it carries on: after a comma.
        let spaces: Vec<&str> = piece.spaces.iter().map(|&s| SPACES[s]).collect();
        let mut out = String::new();
        for (index, word) in words.iter().enumerate() {
            if index > 0 {
                let space = spaces[index % spaces.len()];
                let carried = words[index - 1].ends_with(',');
                out.push_str(if space.contains('\n') && !carried {
                    " "
                } else {
                    space
                });
            }
            out.push_str(word);
        }
        format!(
            "{}{}{}{}\n",
            "\n".repeat(piece.blank_lines),
            " ".repeat(piece.indent),
            out,
            COMMENTS[piece.comment]
        )
    }

    /// A small contract from pieces: an indicator, a payment with a band table, and whole-line
    /// comments and blank lines between them.
    fn contract(indicator: &[Piece], payment: &[Piece], bands: &[Piece], gap: &Piece) -> String {
        let mut text = String::new();
        text.push_str(&format!(
            "{}contract \"C\" {{\n  term 2016-04-01 to 2017-03-31\n}}",
            " ".repeat(gap.indent)
        ));
        text.push_str(&"\n".repeat(gap.blank_lines + 1));
        text.push_str(COMMENTS[gap.comment].trim_start());
        text.push_str("\nindicator home \"Home\"   {");
        text.push_str(COMMENTS[gap.comment]);
        text.push('\n');
        for piece in indicator {
            let words = SETTINGS[piece.choice % SETTINGS.len()];
            match piece.kind {
                0 => text.push_str(&line(words, piece)),
                _ => text.push_str(&format!("{}//{}\n", " ".repeat(piece.indent), piece.choice)),
            }
        }
        text.push_str("}\npayment p{\n");
        for piece in payment {
            text.push_str(&line(PAYMENT[piece.choice % PAYMENT.len()], piece));
        }
        text.push_str(" tiers {\n");
        for piece in bands {
            text.push_str(&line(BANDS[piece.choice % BANDS.len()], piece));
        }
        text.push_str("    }  \n}");
        text
    }

    /// Words of the language and pieces of them, for texts half right and half wrong.
    const VOCABULARY: &[&str] = &[
        "payment",
        "p",
        "indicator",
        "i",
        "\"T\"",
        "\"a // b { c\"",
        "{",
        "}",
        "tiers",
        "below",
        "80%",
        "pays",
        "nothing",
        "to",
        "85.50%",
        "and",
        "above",
        "unit",
        "percent",
        "weight",
        "rate",
        "card",
        "outcome",
        "o",
        "£1,500",
        "// c",
        ",",
        "domain",
        "d",
        "measured",
        "by",
        "test",
        "given",
        "is",
        "in",
        "2016/17 Q1",
        "flag",
        "f",
        "advance",
        "input",
        "contract",
        "\"",
        "\\",
        "year 1",
        "9999999999999",
        "1.00000000000000000000000000001",
        "\"\\q\"",
        "target",
        "met",
        "not",
        "import",
        "\"x.obc\"",
        "equals",
        "(",
        ")",
        "+",
        "min(",
    ];
    const SEPARATORS: &[&str] = &[
        " ", " ", " ", "\n", "\n", "  ", "\n\n\n", "\t", "", "\r\n", " \n  ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn formatting_generated_contracts_is_idempotent_and_keeps_the_tree(
            indicator in prop::collection::vec(piece(), 0..6),
            payment in prop::collection::vec(piece(), 0..4),
            bands in prop::collection::vec(piece(), 0..5),
            gap in piece(),
        ) {
            let text = contract(&indicator, &payment, &bands, &gap);
            let found = problems(&text);
            prop_assert!(found.is_empty(), "{}\n\n{}", text, found.join("\n"));
        }

        #[test]
        fn formatting_any_mix_of_the_language_s_words_keeps_the_tree(words in prop::collection::vec((0..VOCABULARY.len(), 0..SEPARATORS.len()), 0..60)) {
            let text: String = words.iter().map(|&(word, separator)| format!("{}{}", VOCABULARY[word], SEPARATORS[separator])).collect();
            let found = problems(&text);
            prop_assert!(found.is_empty(), "{:?}\n\n{}", text, found.join("\n"));
        }
    }
}

/// The command as a user runs it.
mod cli {
    use std::path::PathBuf;

    use assert_cmd::Command;

    const MESSY: &str = "indicator a \"A\"{\nunit percent   \n}\n";
    const TIDY: &str = "indicator a \"A\" {\n  unit percent\n}\n";

    fn obc() -> Command {
        let mut cmd = Command::cargo_bin("obc").expect("the obc binary is built");
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1");
        cmd
    }

    /// A fresh folder for one test's files.
    fn folder(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("obc-fmt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    }

    /// A folder holding `messy.obc` and `tidy.obc`, and their paths.
    fn messy_and_tidy(name: &str) -> (PathBuf, PathBuf, PathBuf) {
        let dir = folder(name);
        let (messy, tidy) = (dir.join("messy.obc"), dir.join("tidy.obc"));
        std::fs::write(&messy, MESSY).expect("written");
        std::fs::write(&tidy, TIDY).expect("written");
        (dir, messy, tidy)
    }

    /// Runs `obc ARGS` with `stdin`, asserting the exit status: standard output and error.
    fn run(args: &[&str], stdin: &str, status: i32) -> (String, String) {
        let output = obc()
            .args(args)
            .write_stdin(stdin)
            .output()
            .expect("obc runs");
        let (out, err) = (
            String::from_utf8(output.stdout).expect("UTF-8"),
            String::from_utf8(output.stderr).expect("UTF-8"),
        );
        assert_eq!(
            output.status.code(),
            Some(status),
            "obc {args:?}: {out}{err}"
        );
        (out, err)
    }

    #[test]
    fn fmt_rewrites_a_file_in_place_and_leaves_a_tidy_one_alone() {
        let (dir, messy, tidy) = messy_and_tidy("rewrite");
        let before = std::fs::metadata(&tidy)
            .and_then(|m| m.modified())
            .expect("a time");
        let (out, err) = run(
            &["fmt", &messy.to_string_lossy(), &tidy.to_string_lossy()],
            "",
            0,
        );
        assert_eq!((out.as_str(), err.as_str()), ("", ""));
        assert_eq!(std::fs::read_to_string(&messy).expect("readable"), TIDY);
        assert_eq!(std::fs::read_to_string(&tidy).expect("readable"), TIDY);
        let after = std::fs::metadata(&tidy)
            .and_then(|m| m.modified())
            .expect("a time");
        assert_eq!(before, after, "a file already tidy is not written");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn check_lists_the_files_that_would_change_and_changes_none() {
        let (dir, messy, tidy) = messy_and_tidy("check");
        let (messy, tidy) = (messy.to_string_lossy(), tidy.to_string_lossy());
        let (out, _) = run(&["fmt", "--check", &messy, &tidy], "", 1);
        assert_eq!(out, format!("{messy}\n"));
        assert_eq!(std::fs::read_to_string(&*messy).expect("readable"), MESSY);
        let (out, _) = run(&["fmt", "--check", &tidy], "", 0);
        assert_eq!(out, "");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn every_example_contract_is_already_tidy() {
        let examples: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts"))
                .expect("contracts/")
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "obc"))
                .map(|path| {
                    format!(
                        "contracts/{}",
                        path.file_name().unwrap_or_default().to_string_lossy()
                    )
                })
                .collect();
        let mut args = vec!["fmt", "--check"];
        args.extend(examples.iter().map(String::as_str));
        let (out, _) = run(&args, "", 0);
        assert_eq!(out, "");
    }

    #[test]
    fn a_dash_reads_standard_input_and_writes_standard_output() {
        let (out, err) = run(&["fmt", "-"], MESSY, 0);
        assert_eq!((out.as_str(), err.as_str()), (TIDY, ""));
        let (out, _) = run(&["fmt", "--check", "-"], MESSY, 1);
        assert_eq!(out, "<standard input>\n");
        run(&["fmt", "--check", "-"], TIDY, 0);
    }

    #[test]
    fn unreadable_text_is_kept_and_a_note_says_so() {
        let text = "indicator a {\n   unit   furlongs\n}\n";
        let (out, err) = run(&["fmt", "-"], text, 0);
        assert_eq!(out, "indicator a {\n  unit   furlongs\n}\n");
        insta::assert_snapshot!(err, @"note: `<standard input>`: 1 part could not be read and is kept as written; `obc check` says why");
    }

    #[test]
    fn files_that_cannot_be_read_are_usage_errors() {
        let dir = folder("unreadable");
        let tidy = dir.join("tidy.obc");
        std::fs::write(&tidy, TIDY).expect("written");
        let binary = dir.join("binary.obc");
        std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("written");
        let (_, err) = run(
            &[
                "fmt",
                "no/such/file.obc",
                &binary.to_string_lossy(),
                &tidy.to_string_lossy(),
            ],
            "",
            2,
        );
        assert!(
            err.contains("error: cannot read `no/such/file.obc`: no such file"),
            "{err}"
        );
        assert!(
            err.to_lowercase()
                .contains("binary.obc`: the file is not utf-8 text (at byte 0)"),
            "{err}"
        );
        run(&["fmt"], "", 2);
        run(&["fmt", "--frobnicate", "x.obc"], "", 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
