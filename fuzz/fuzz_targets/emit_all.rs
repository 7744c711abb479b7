//! A fuzzed contract that checks clean, through everything that reads a resolved contract:
//! every emit format (JSON, Markdown, HTML, OCDS), the curve of each payment in each output,
//! `diff` against itself (which must find no change) and against a fixed example in both
//! directions, and its `test` blocks with coverage and `--update`. Nothing may panic.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use obc::emit::{self, EmitFormat};
use obc_fuzz::{json, Example};

fn example() -> &'static obc::emit::spec::Spec {
    static SPEC: OnceLock<obc::emit::spec::Spec> = OnceLock::new();
    SPEC.get_or_init(|| obc::emit::spec::build(&Example::load("richmond-community").contract))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (sources, workspace, analysis) = obc_fuzz::analyse(text);
    let Some(contract) = analysis.contract else {
        return;
    };

    for format in [
        EmitFormat::Json,
        EmitFormat::Markdown,
        EmitFormat::Html,
        EmitFormat::Ocds,
    ] {
        let out = emit::emit(&contract, format);
        if matches!(format, EmitFormat::Json | EmitFormat::Ocds) {
            json(&format!("emit {format:?}"), &out);
        }
    }

    let years = contract.calendar.contract_years();
    for payment in &contract.payments {
        let mut wanted = vec![None, Some(years)];
        wanted.dedup();
        for year in wanted {
            if let Ok(curve) = obc::curve::curve(&contract, &payment.name, None, year) {
                obc::curve::table(&curve);
                obc::curve::csv(&curve);
                json("curve json", &obc::curve::json(&curve));
            }
        }
        obc::curve::svg(&contract, &payment.name);
    }
    // A payment that does not exist is an error, not a panic.
    let _ = obc::curve::curve(&contract, "no_such_payment", None, None);

    let spec = emit::spec::build(&contract);
    let same = obc::diff::diff(&spec, &spec);
    assert!(
        same.is_empty(),
        "a contract differs from itself:\n{}",
        obc::diff::human(&same)
    );
    for (old, new) in [(&spec, example()), (example(), &spec)] {
        let changes = obc::diff::diff(old, new);
        obc::diff::human(&changes);
        json("diff json", &obc::diff::json(&changes));
    }

    let results = obc::testing::run(&workspace, &contract, &sources);
    obc::testing::uncovered(&contract, &results);
    let root = &sources.get(workspace.root).text;
    obc::testing::updated_source(root, &results, &contract);
});
