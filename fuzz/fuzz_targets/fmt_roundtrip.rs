//! Arbitrary text through the formatter, as `obc fmt` and the language server's formatting use
//! it: formatting changes only whitespace, formatting twice gives what formatting once gave, the
//! formatted text says what the original said (the same tree, spans aside, the same comments
//! and the same unreadable parts) and has the same findings. A syntax finding quotes the text it
//! stopped at up to the next space (`1}` before formatting puts the brace on a line of its own,
//! `1` after), and a line joined to the one before it has one text-direction warning where it
//! had two; so syntax findings are compared by code, once each, and all others in full.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = obc::fmt::format(text);
    let twice = obc::fmt::format(&once.text);
    assert_eq!(
        obc_fuzz::words(text),
        obc_fuzz::words(&once.text),
        "formatting changed more than whitespace"
    );
    assert_eq!(once.text, twice.text, "formatting twice differs from once");
    assert!(!twice.changed, "a formatted file formats to a change");
    if once.changed {
        // What the formatter promises is what `obc check` reads: the text after a mark, with a
        // lone carriage return as a line feed (which formatting writes).
        let read = |t: &str| obc::fmt::tree_without_spans(&obc::source::readable_text(t.to_string()));
        assert_eq!(read(text), read(&once.text), "formatting changed the tree");
        assert_eq!(
            findings(text),
            findings(&once.text),
            "formatting changed the findings"
        );
    }
});

/// The findings on `text`: every finding but syntax ones in full; syntax codes once each.
fn findings(text: &str) -> (Vec<String>, std::collections::BTreeSet<String>) {
    let mut others = Vec::new();
    let mut syntax = std::collections::BTreeSet::new();
    for finding in obc_fuzz::findings(text) {
        if finding.starts_with("E0001 ") || finding.starts_with("W0009 ") {
            syntax.insert(finding[..5].to_string());
        } else {
            others.push(finding);
        }
    }
    (others, syntax)
}
