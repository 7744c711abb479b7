//! Developer aid: parse a file and print the syntax diagnostics, or `[]` when there are none.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        return eprintln!("usage: dump FILE");
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let parsed = obc::syntax::parse(&text, obc::source::FileId(0));
    let file = obc::source::SourceFile::new(path, text);
    let lines: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| {
            let at = file.line_col(d.span().start);
            format!("{}:{}: {} {}", at.line, at.column, d.code.code(), d.message)
        })
        .collect();
    println!("{lines:#?}");
}
