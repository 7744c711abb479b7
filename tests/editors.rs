//! The VS Code extension in `editors/vscode/`: its TextMate grammar knows every word of
//! `grammar/obc.pest` (so the two cannot drift apart), its JSON files parse, and, with npm, its
//! grammar tests pass and it packages into a `.vsix`.
//!
//! The words of the language are taken from the pest grammar as every double-quoted literal
//! that starts with a letter and holds only letters and hyphens (`half-up`, `pro-rated`), at
//! least two characters long. The one-letter literals are not words: `n` and `t` are escapes
//! (`\n`, `\t`), `Q` is the quarter in `2016/17 Q1`, and `E` and `W` start finding codes
//! (`E0812`). The test checks that those five are the only one-letter literals, so a
//! one-letter word added to the language cannot slip past.
//!
//! The npm steps need Node.js and npm: without them the test fails and says so (`.ci/run`
//! installs them). `npm ci` runs only when `node_modules` was not installed from the current
//! `package-lock.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn extension() -> PathBuf {
    root().join("editors/vscode")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every double-quoted literal in a pest grammar, outside `//` comments, as written (escapes
/// kept).
fn pest_literals(grammar: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = grammar.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            literal.push(c);
                            if let Some(next) = chars.next() {
                                literal.push(next);
                            }
                        }
                        '"' => break,
                        _ => literal.push(c),
                    }
                }
                literals.push(literal);
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    literals
}

fn is_word(literal: &str) -> bool {
    literal.starts_with(|c: char| c.is_ascii_alphabetic())
        && literal.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

/// The words of the language: see the module's documentation.
fn keywords() -> BTreeSet<String> {
    let literals = pest_literals(&read(&root().join("grammar/obc.pest")));
    let single: BTreeSet<&str> = literals
        .iter()
        .map(String::as_str)
        .filter(|l| l.len() == 1 && is_word(l))
        .collect();
    assert_eq!(
        single,
        BTreeSet::from(["E", "Q", "W", "n", "t"]),
        "the one-letter literals of grammar/obc.pest are the escapes n and t, the quarter Q and \
         the finding codes' E and W; a new one may be a word of the language that \
         editors/vscode/syntaxes/obc.tmLanguage.json should know (see tests/editors.rs)"
    );
    let words: BTreeSet<String> = literals
        .into_iter()
        .filter(|l| l.len() >= 2 && is_word(l))
        .collect();
    assert!(
        words.len() > 200,
        "only {} words found in grammar/obc.pest",
        words.len()
    );
    words
}

/// Every regular expression of a TextMate grammar (`match`, `begin`, `end`, `while`), with the
/// JSON pointer-like path it is at.
fn regexes(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{key}");
                match (key.as_str(), value) {
                    ("match" | "begin" | "end" | "while", Value::String(regex)) => {
                        found.push((here, regex.clone()));
                    }
                    _ => regexes(value, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                regexes(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// The words of every group of plain alternatives in a regular expression: `(?:above|absolute)`,
/// `(contract|population|test)`, `(import)`. Groups with anything else in them are not lists
/// of words and are skipped.
fn alternatives(regex: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = regex.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '(' => {
                let rest = &regex[i + 1..];
                let body = rest.strip_prefix("?:").unwrap_or(rest);
                let end = body.find([')', '(']).unwrap_or(body.len());
                let group = &body[..end];
                if body[end..].starts_with(')')
                    && !group.is_empty()
                    && group.split('|').all(|w| !w.is_empty() && is_word(w))
                {
                    words.extend(group.split('|').map(str::to_string));
                }
            }
            _ => {}
        }
    }
    words
}

fn grammar() -> Value {
    json(&extension().join("syntaxes/obc.tmLanguage.json"))
}

/// Each word of the grammar's lists, with the patterns it is in.
fn grammar_words() -> BTreeMap<String, Vec<String>> {
    let mut found = Vec::new();
    regexes(&grammar(), "", &mut found);
    assert!(
        found.len() > 20,
        "only {} patterns in the grammar",
        found.len()
    );
    let mut words: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (at, regex) in found {
        for word in alternatives(&regex) {
            words.entry(word).or_default().push(at.clone());
        }
    }
    words
}

#[test]
fn the_keyword_extraction_reads_literals_and_skips_comments() {
    let grammar = r#"// "commented" out
k = @{ "on" ~ "\"" ~ "half-up" } // "trailing"
s = { "\\" ~ "n" ~ "u{" }"#;
    let literals = pest_literals(grammar);
    assert_eq!(literals, ["on", r#"\""#, "half-up", r"\\", "n", "u{"]);
    let words: Vec<&String> = literals.iter().filter(|l| is_word(l)).collect();
    assert_eq!(words, ["on", "half-up", "n"]);
    assert_eq!(
        alternatives(r"(?<![\w-])(?:above|half-up)(?![\w-])^\s*(import)\b(\d+|x)(a(b)c)"),
        ["above", "half-up", "import", "b"]
    );
}

#[test]
fn every_word_of_the_language_is_in_the_textmate_grammar() {
    let keywords = keywords();
    let words = grammar_words();
    let missing: Vec<&String> = keywords
        .iter()
        .filter(|k| !words.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "words of grammar/obc.pest that editors/vscode/syntaxes/obc.tmLanguage.json does not \
         list (add them to the keyword list in its repository's \"keywords\" pattern, or to the \
         pattern that gives them their own scope): {missing:?}"
    );
    let stale: Vec<(&String, &Vec<String>)> = words
        .iter()
        .filter(|(w, _)| !keywords.contains(*w))
        .collect();
    assert!(
        stale.is_empty(),
        "words the TextMate grammar lists that grammar/obc.pest no longer has: {stale:?}"
    );
}

#[test]
fn the_grammar_tests_use_every_word_of_the_language() {
    let fixture = extension().join("tests/keywords.test.obc");
    let text = read(&fixture);
    let mut used = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
            let word = word.trim_matches('-');
            if !word.is_empty() {
                used.insert(word.to_string());
            }
        }
    }
    let missing: Vec<String> = keywords().difference(&used).cloned().collect();
    assert!(
        missing.is_empty(),
        "{} has no line (other than comments) with these words of the language, so the grammar \
         tests do not check their scope: {missing:?}",
        fixture.display()
    );
}

#[test]
fn the_grammar_and_the_language_configuration_are_valid() {
    let grammar = grammar();
    assert_eq!(grammar["scopeName"], "source.obc");
    let repository = grammar["repository"]
        .as_object()
        .expect("the grammar has a repository");
    let patterns = grammar["patterns"]
        .as_array()
        .expect("the grammar has patterns");
    for pattern in patterns {
        let include = pattern["include"].as_str().expect("top-level includes");
        let name = include
            .strip_prefix('#')
            .expect("an include of the repository");
        assert!(
            repository.contains_key(name),
            "the grammar includes #{name}, which its repository does not have"
        );
    }
    // Every scope the grammar gives is the language's own.
    fn scopes(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("name" | "contentName", Value::String(scope)) => found.push(scope.clone()),
                        _ => scopes(value, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| scopes(item, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    scopes(&grammar["repository"], &mut found);
    for scope in &found {
        assert!(
            scope.split(' ').all(|s| s.ends_with(".obc")),
            "scope {scope:?} does not end in .obc"
        );
    }
    for scope in [
        "keyword.control.block.obc",
        "keyword.other.obc",
        "string.quoted.double.obc",
        "constant.character.escape.obc",
        "comment.line.double-slash.obc",
        "constant.numeric.money.obc",
        "constant.numeric.percentage.obc",
        "constant.numeric.date.obc",
        "constant.numeric.duration.obc",
    ] {
        assert!(
            found.iter().any(|s| s == scope),
            "the grammar gives no {scope}"
        );
    }

    let configuration = json(&extension().join("language-configuration.json"));
    assert_eq!(configuration["comments"]["lineComment"], "//");
    let pairs = configuration["autoClosingPairs"]
        .as_array()
        .expect("autoClosingPairs");
    for open in ["{", "(", "\""] {
        assert!(
            pairs.iter().any(|p| p["open"] == open),
            "no auto-closing pair for {open}"
        );
    }
    assert!(configuration["brackets"].is_array());
    assert!(configuration["folding"]["markers"]["start"].is_string());
    assert!(configuration["wordPattern"].is_string());

    let package = json(&extension().join("package.json"));
    assert_eq!(package["name"], "obc");
    let language = &package["contributes"]["languages"][0];
    assert_eq!(language["id"], "obc");
    assert_eq!(language["extensions"][0], ".obc");
    let contributed = &package["contributes"]["grammars"][0];
    assert_eq!(contributed["scopeName"], "source.obc");
    for path in [
        &contributed["path"],
        &language["configuration"],
        &package["main"],
    ] {
        let path = path.as_str().expect("a path");
        assert!(
            extension().join(path).is_file(),
            "package.json names {path}, which is not there"
        );
    }
    let settings = &package["contributes"]["configuration"]["properties"];
    assert_eq!(settings["obc.path"]["default"], "obc");
    assert_eq!(settings["obc.allowImport"]["type"], "array");
    let cargo = read(&root().join("Cargo.toml"));
    let license = package["license"].as_str().expect("a licence");
    assert!(
        cargo.contains(&format!("license = \"{license}\"")),
        "the extension's licence {license} is not obc's (Cargo.toml)"
    );
}

// ------------------------------------------------------------------ npm

fn run(mut command: Command, what: &str) -> Output {
    command
        .current_dir(extension())
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false");
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what} could not be run: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `npm`, `npx`: `.cmd` files on Windows.
fn tool(name: &str) -> Command {
    if cfg!(windows) {
        Command::new(format!("{name}.cmd"))
    } else {
        Command::new(name)
    }
}

/// Installs the extension's packages from package-lock.json, once per test run and only when
/// node_modules was not installed from this very lock file.
fn installed() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        let version = tool("npm").arg("--version").output();
        match version {
            Ok(output) if output.status.success() => {}
            _ => {
                return Err(
                    "npm is not installed: the VS Code extension's tests need Node.js \
                            and npm (on Debian: apt-get install nodejs npm; .ci/run installs \
                            them when they are missing)"
                        .to_string(),
                )
            }
        }
        let lock = std::fs::read(extension().join("package-lock.json"))
            .map_err(|e| format!("editors/vscode/package-lock.json: {e}"))?;
        let stamp = extension().join("node_modules/.obc-installed");
        if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
            return Ok(());
        }
        let mut npm = tool("npm");
        npm.args(["ci", "--no-audit", "--no-fund"]);
        run(npm, "npm ci (in editors/vscode)");
        std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))
    });
    if let Err(message) = result {
        panic!("{message}");
    }
}

#[test]
fn the_grammar_tests_pass() {
    installed();
    let mut npx = tool("npx");
    npx.args(["--no", "vscode-tmgrammar-test", "tests/*.test.obc"]);
    let output = run(npx, "npx vscode-tmgrammar-test 'tests/*.test.obc'");
    let said = String::from_utf8_lossy(&output.stdout);
    for fixture in ["keywords", "literals", "comments-and-text"] {
        assert!(
            said.contains(&format!("tests/{fixture}.test.obc run successfuly")),
            "tests/{fixture}.test.obc was not run:\n{said}"
        );
    }
}

/// tests/server.test.js and tests/extension.test.js: the command the extension runs, and the
/// extension itself (with a stand-in for the `vscode` module) starting, restarting and stopping
/// this obc's language server, and reporting an obc that is not there.
#[test]
fn the_extension_starts_the_real_obc() {
    installed();
    let mut node = Command::new("node");
    node.args(["--test", "tests/server.test.js", "tests/extension.test.js"])
        .env("OBC", env!("CARGO_BIN_EXE_obc"));
    let output = run(
        node,
        "node --test tests/server.test.js tests/extension.test.js",
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("# fail 0") && said.contains("# skipped 0"),
        "{said}"
    );
}

/// The names of the files in a zip archive, from its central directory.
fn zip_entries(zip: &[u8]) -> Vec<String> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at =
        |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let end = (0..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("a zip file: no end of central directory record");
    let count = u16_at(end + 10);
    let mut at = u32_at(end + 16);
    let mut names = Vec::new();
    for _ in 0..count {
        assert_eq!(
            zip[at..at + 4],
            [0x50, 0x4b, 0x01, 0x02],
            "a central directory entry"
        );
        let name_len = u16_at(at + 28);
        let extra_len = u16_at(at + 30);
        let comment_len = u16_at(at + 32);
        names.push(String::from_utf8_lossy(&zip[at + 46..at + 46 + name_len]).into_owned());
        at += 46 + name_len + extra_len + comment_len;
    }
    names
}

#[test]
fn the_extension_packages_into_a_vsix() {
    installed();
    let out = std::env::temp_dir().join(format!("obc-vsix-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("a temporary folder");
    let vsix = out.join("obc.vsix");
    let mut npx = tool("npx");
    npx.args(["--no", "@vscode/vsce", "package", "--out"])
        .arg(&vsix);
    run(npx, "npx @vscode/vsce package");
    let bytes = std::fs::read(&vsix).expect("vsce wrote the .vsix");
    let _ = std::fs::remove_dir_all(&out);
    assert_eq!(
        bytes[..4],
        [0x50, 0x4b, 0x03, 0x04],
        "a .vsix is a zip file"
    );
    let entries = zip_entries(&bytes);
    for wanted in [
        "extension/package.json",
        "extension/extension.js",
        "extension/server.js",
        "extension/syntaxes/obc.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/README.md",
        "extension/LICENSE.txt",
        "extension/node_modules/vscode-languageclient/node.js",
        "extension.vsixmanifest",
    ] {
        assert!(
            entries.iter().any(|e| e == wanted),
            "the .vsix has no {wanted}: {entries:?}"
        );
    }
    for unwanted in [
        "extension/tests/",
        "extension/node_modules/@vscode/vsce/",
        "extension/node_modules/vscode-tmgrammar-test/",
    ] {
        assert!(
            !entries.iter().any(|e| e.starts_with(unwanted)),
            "the .vsix should not have {unwanted}"
        );
    }
}
