//! Robustness: no input makes obc's work grow faster than the input.
//!
//! Parsing work is counted in pest's parser steps (not timed), for families of pathological inputs
//! of growing size: half-typed contracts as an editor sees them. For every family, each added byte
//! must cost no more work in a large input than in a small one.

use obc::syntax::parse_steps;

/// A family of inputs: its name, and the text of each size.
type Family = (&'static str, Box<dyn Fn(usize) -> String>);

/// Families of inputs: each takes a size and gives a text that grows with it.
fn families() -> Vec<Family> {
    vec![
        (
            "unclosed braces in a payment",
            Box::new(|n| format!("payment a \"b\" {{{}x", "{ ".repeat(n))),
        ),
        (
            "unclosed braces on separate lines",
            Box::new(|n| format!("payment a \"b\" {{\n{}x\n", "  tiers {\n".repeat(n))),
        ),
        (
            "unclosed brackets in a derived value",
            Box::new(|n| format!("derived d \"d\" {{\n  equals {}x\n}}\n", "(".repeat(n))),
        ),
        (
            "unclosed strings",
            Box::new(|n| "indicator a \"b {\n".repeat(n)),
        ),
        ("closing braces alone", Box::new(|n| "}\n".repeat(n))),
        (
            "blocks never closed",
            Box::new(|n| "payment p \"p\" {\n  weight 10%\n".repeat(n)),
        ),
        (
            "nested unclosed braces in a test",
            Box::new(|n| format!("test t \"t\" {{\n{}", "given x { } {\n".repeat(n))),
        ),
        (
            "braces in a string on an unreadable line",
            Box::new(|n| format!("payment p \"p\" {{\n  x \"{}\"\n}}\n", "{".repeat(n))),
        ),
        (
            "braces in a comment on an unreadable line",
            Box::new(|n| format!("payment p \"p\" {{\n  x // {}\n}}\n", "{".repeat(n))),
        ),
        (
            "a brace typed at the end of each band",
            Box::new(|n| {
                format!(
                    "payment p \"p\" {{\n  tiers {{\n{}  }}\n}}\n",
                    "    band 1 to 2 pays 10% {\n".repeat(n)
                )
            }),
        ),
        (
            "bands half typed",
            Box::new(|n| {
                format!(
                    "payment p \"p\" {{\n  tiers {{\n{}",
                    "    band 1 to\n".repeat(n)
                )
            }),
        ),
    ]
}

#[test]
fn parsing_work_grows_in_proportion_to_the_input() {
    let mut failures = Vec::new();
    for (family, make) in families() {
        // Sizes stay under the nesting limit, which refuses deeper texts before parsing.
        let sizes = [4usize, 8, 16, 30];
        let work: Vec<(usize, usize)> = sizes
            .iter()
            .map(|&n| {
                let text = make(n);
                // Far more than any linear parse needs: a runaway parse stops here.
                let most = 10_000 * text.len() + 100_000;
                (text.len(), parse_steps(&text, most).unwrap_or(usize::MAX))
            })
            .collect();
        // The work each added byte costs (the slope) may not grow as the input grows: for a
        // parse linear in its input it stays the same; for a quadratic one it doubles each time.
        let slopes: Vec<f64> = work
            .windows(2)
            .map(|pair| (pair[1].1 as f64 - pair[0].1 as f64) / (pair[1].0 - pair[0].0) as f64)
            .collect();
        let first = slopes.first().copied().unwrap_or_default();
        let last = slopes.last().copied().unwrap_or_default();
        if work.iter().any(|&(_, steps)| steps == usize::MAX) || last > first * 1.5 + 2.0 {
            failures.push(format!("{family}: {work:?}"));
        }
        eprintln!("{family}: {work:?}");
    }
    assert!(
        failures.is_empty(),
        "parsing work grows faster than the input:\n{}",
        failures.join("\n")
    );
}
