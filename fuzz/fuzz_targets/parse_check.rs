//! Arbitrary bytes as a contract file: parsed, loaded (imports resolved inside a scratch
//! folder), checked and resolved, and every diagnostic rendered in every output format.
//! Nothing may panic, every label must lie inside its file, and the JSON and SARIF output
//! must be JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As `obc check` does: load (which parses), check, render.
    let (sources, _workspace, analysis) = obc_fuzz::analyse(text);
    obc_fuzz::render_all(&analysis.diagnostics, &sources);
    // A resolved contract is only built without errors.
    if analysis.contract.is_some() {
        assert!(
            !analysis.diagnostics.iter().any(|d| d.is_error()),
            "a model was built for a contract with errors"
        );
    }
});
