//! The document written as one self-contained HTML file: inline CSS, and payout charts as
//! inline SVG.

use super::summary::{at_risk_words, people, term_words};
use super::values::Ctx;
use super::{build, contents, Block, Inline, Rich, Table};
use crate::emit::chart::escape;
use crate::emit::spec::Spec;

const CSS: &str = r#"
:root {
  --ink: #1c2430; --muted: #4a5565; --line: #d5dbe3; --soft: #f4f6f9; --band: #eaf0f7;
  --accent: #1f4e8c; --accent-dark: #163a69; --tag: #7a4b00; --tag-bg: #fff4de;
}
* { box-sizing: border-box; }
html { background: #e9edf2; }
body {
  margin: 0 auto; max-width: 1040px; background: #ffffff; color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-variant-numeric: lining-nums; box-shadow: 0 0 0 1px #d9dee5, 0 8px 28px rgba(20, 35, 60, 0.08);
}
.doc-header { padding: 40px 56px 32px; background: var(--accent-dark); color: #ffffff; }
.doc-header .eyebrow { margin: 0 0 6px; font-size: 12px; letter-spacing: 0.12em; text-transform: uppercase; color: #c9d8ee; }
.doc-header h1 { margin: 0 0 6px; font-size: 30px; line-height: 1.2; font-weight: 700; }
.doc-header .reference { margin: 0 0 14px; color: #dbe6f5; font-size: 14px; }
.doc-header .lede { margin: 0 0 22px; max-width: 56em; color: #f1f5fb; }
.doc-header dl { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px 28px; margin: 0; padding: 18px 0 0; border-top: 1px solid rgba(255, 255, 255, 0.25); }
.doc-header dt { font-size: 11.5px; letter-spacing: 0.08em; text-transform: uppercase; color: #b9cbe6; }
.doc-header dd { margin: 2px 0 0; font-weight: 600; }
main { padding: 8px 56px 40px; }
nav.toc { margin: 28px 56px 0; padding: 16px 22px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
nav.toc h2 { margin: 0 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); border: 0; padding: 0; }
nav.toc ol { margin: 0; padding: 0; list-style: none; columns: 2; column-gap: 32px; }
nav.toc li { padding: 2px 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h2 { margin: 44px 0 14px; padding-bottom: 8px; font-size: 23px; color: var(--accent-dark); border-bottom: 2px solid var(--accent); }
h3 { margin: 30px 0 10px; font-size: 18px; color: var(--ink); }
section.card > h3, section.payment > h3 { padding-left: 12px; border-left: 4px solid var(--accent); }
p { margin: 0 0 12px; }
p.note { color: var(--muted); font-size: 13.5px; }
ul.rules { margin: 0 0 12px; padding-left: 20px; }
ul.rules li { margin: 0 0 6px; }
table { width: 100%; margin: 6px 0 18px; border-collapse: collapse; font-size: 14px; }
caption { caption-side: top; text-align: left; padding: 0 0 6px; font-size: 12.5px; font-weight: 600; color: var(--muted); letter-spacing: 0.02em; }
th, td { padding: 7px 10px; border: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); color: var(--accent-dark); font-weight: 700; font-size: 13px; }
tbody th { font-weight: 600; background: #fbfcfd; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th.num { white-space: normal; }
table.facts { table-layout: fixed; }
table.facts thead { display: none; }
section.card table.facts { margin-bottom: 0; }
table.strip { table-layout: fixed; margin-top: -1px; }
table.strip caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table.strip thead th { font-size: 12px; color: var(--muted); background: var(--soft); padding: 5px 8px; }
table.strip td { font-weight: 500; background: #ffffff !important; padding: 7px 8px; }
table.facts th { width: 27%; background: var(--soft); }
table.facts td { background: #ffffff !important; }
table.long { font-size: 13px; }
table.long td, table.long th { padding: 4px 10px; }
table.long td, table.long tbody th { white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.86em; padding: 1px 4px; background: #eef1f5; border-radius: 3px; color: #243447; }
.name { white-space: nowrap; color: var(--muted); }
.tag { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11.5px; font-weight: 600; color: var(--tag); background: var(--tag-bg); border: 1px solid #f0d9a8; white-space: nowrap; }
figure { margin: 8px 0 22px; padding: 14px 14px 10px; border: 1px solid var(--line); border-radius: 6px; background: #ffffff; }
figure svg { display: block; width: 100%; max-width: 880px; height: auto; margin: 0 auto; }
figcaption { margin-top: 8px; font-size: 13px; color: var(--muted); }
ol.example { margin: 0 0 12px; padding: 10px 16px 10px 44px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
ol.example li { margin: 2px 0; }
ol.example .kw { display: inline-block; min-width: 4.2em; font-weight: 700; color: var(--accent-dark); }
ol.example .kw.expect { color: #1d6b3a; }
footer { padding: 18px 56px 28px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }
@media (max-width: 720px) {
  .doc-header, main, footer { padding-left: 18px; padding-right: 18px; }
  nav.toc { margin-left: 18px; margin-right: 18px; }
  nav.toc ol { columns: 1; }
}
@page { size: A4; margin: 16mm 15mm 18mm; }
@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, Arial, sans-serif; color: #4a5565; } }
@media print {
  html { background: #ffffff; }
  body { max-width: none; box-shadow: none; font-size: 9.5pt; line-height: 1.45; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .doc-header { padding: 14mm 10mm 9mm; }
  .doc-header h1 { font-size: 21pt; }
  nav.toc { margin: 6mm 0 0; }
  main { padding: 0 1px; }
  footer { padding: 4mm 1px 0; break-before: avoid; page-break-before: avoid; }
  section.major + section.major { break-before: page; }
  section.payment + section.payment { break-before: page; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  h2 { margin-top: 0; font-size: 15pt; }
  h3 { font-size: 11.5pt; margin-top: 14px; }
  table { font-size: 8.5pt; }
  thead th, table.strip thead th { font-size: 8pt; }
  caption, figcaption, p.note { font-size: 8pt; }
  code { font-size: 7.5pt; }
  th, td { padding: 4px 7px; }
  table.long { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, figure, ol.example, table:not(.long) { break-inside: avoid; page-break-inside: avoid; }
  section.card { break-inside: avoid; page-break-inside: avoid; }
  figure { padding: 6px; }
  figure svg { max-width: 165mm; }
  a { color: inherit; }
}
"#;

fn html_rich(rich: &Rich) -> String {
    let mut out = String::new();
    for inline in &rich.0 {
        match inline {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(t) => out.push_str(&format!("<code>{}</code>", escape(t))),
            Inline::Strong(t) => out.push_str(&format!("<strong>{}</strong>", escape(t))),
            Inline::Link(target, t) => out.push_str(&format!(
                "<a href=\"#{}\">{}</a>",
                escape(target),
                escape(t)
            )),
            Inline::Tag(t) => out.push_str(&format!("<span class=\"tag\">{}</span>", escape(t))),
            Inline::Name(t) => out.push_str(&format!(
                "<span class=\"name\">(<code>{}</code>)</span>",
                escape(t)
            )),
            Inline::Break => out.push_str("<br>"),
        }
    }
    out
}

fn html_table(out: &mut String, table: &Table) {
    let class = if table.class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", table.class)
    };
    out.push_str(&format!("<table{class}>\n"));
    if !table.caption.is_empty() {
        out.push_str(&format!("<caption>{}</caption>\n", escape(&table.caption)));
    }
    out.push_str("<thead><tr>");
    for (i, h) in table.head.iter().enumerate() {
        let num = if table.numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!("<th scope=\"col\"{num}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if cell.rowspan == 0 {
                continue;
            }
            let span = if cell.rowspan > 1 {
                format!(" rowspan=\"{}\"", cell.rowspan)
            } else {
                String::new()
            };
            let num = if table.numeric.contains(&i) {
                " class=\"num\""
            } else {
                ""
            };
            if i == 0 && table.row_headers {
                out.push_str(&format!(
                    "<th scope=\"{}\"{span}{num}>{}</th>",
                    if cell.rowspan > 1 { "rowgroup" } else { "row" },
                    html_rich(&cell.content)
                ));
            } else {
                out.push_str(&format!("<td{span}{num}>{}</td>", html_rich(&cell.content)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// An SVG document made ready to sit inside HTML: without the XML namespace declaration,
/// which HTML does not need.
fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// The specification as one self-contained HTML file (inline CSS and SVG).
pub fn html(spec: &Spec) -> String {
    let ctx = Ctx::new(spec);
    let c = &spec.contract;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}: specification of outcome-based payments</title>\n",
        escape(&c.title)
    ));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
    out.push_str("<header class=\"doc-header\">\n");
    out.push_str("<p class=\"eyebrow\">Specification of outcome-based payments</p>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&c.title)));
    if let Some(r) = &c.reference {
        out.push_str(&format!(
            "<p class=\"reference\">Reference {}</p>\n",
            escape(r)
        ));
    }
    if let Some(d) = &c.description {
        out.push_str(&format!("<p class=\"lede\">{}</p>\n", escape(d)));
    }
    out.push_str("<dl>\n");
    let facts = [
        (
            if c.commissioners.len() == 1 {
                "Commissioner"
            } else {
                "Commissioners"
            },
            html_rich(&people(&c.commissioners)),
        ),
        (
            if c.providers.len() == 1 {
                "Provider"
            } else {
                "Providers"
            },
            html_rich(&people(&c.providers)),
        ),
        ("Term", escape(&term_words(&ctx))),
        ("Value per year", escape(&ctx.money(&c.value_per_year))),
        ("Money at risk per year", escape(&at_risk_words(&ctx))),
    ];
    for (label, value) in facts {
        out.push_str(&format!("<div><dt>{label}</dt><dd>{value}</dd></div>\n"));
    }
    out.push_str("</dl>\n</header>\n");
    out.push_str("<nav class=\"toc\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n<ol>\n");
    for (id, title) in contents(spec) {
        out.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            escape(&title)
        ));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    let mut stack: Vec<()> = Vec::new();
    for block in build(&ctx) {
        match block {
            Block::Open {
                id,
                level,
                title,
                class,
            } => {
                let class = if class.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{class}\"")
                };
                let id = escape(&id);
                out.push_str(&format!(
                    "<section id=\"{id}\"{class} aria-labelledby=\"{id}-title\">\n<h{level} id=\"{id}-title\">{}</h{level}>\n",
                    escape(&title)
                ));
                stack.push(());
            }
            Block::Close => {
                if stack.pop().is_some() {
                    out.push_str("</section>\n");
                }
            }
            Block::Para(r) => out.push_str(&format!("<p>{}</p>\n", html_rich(&r))),
            Block::Note(r) => out.push_str(&format!("<p class=\"note\">{}</p>\n", html_rich(&r))),
            Block::Bullets(items) => {
                out.push_str("<ul class=\"rules\">\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", html_rich(&item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => html_table(&mut out, &t),
            Block::Chart {
                svg,
                caption,
                legend,
                ..
            } => {
                if let Some(svg) = svg {
                    out.push_str(&format!(
                        "<figure>\n{}<figcaption>{} {}</figcaption>\n</figure>\n",
                        inline_svg(&svg),
                        html_rich(&caption),
                        escape(&legend)
                    ));
                }
            }
            Block::Example { lines } => {
                out.push_str("<ol class=\"example\">\n");
                for line in lines {
                    let (word, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
                    let class = if word == "expect" { "kw expect" } else { "kw" };
                    out.push_str(&format!(
                        "<li><span class=\"{class}\">{}</span> <code>{}</code></li>\n",
                        escape(word),
                        escape(rest)
                    ));
                }
                out.push_str("</ol>\n");
            }
        }
    }
    while stack.pop().is_some() {
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");
    out.push_str(&format!(
        "<footer>Generated by obc from the contract source (specification format {}). Money in {}; dates are calendar dates; percentages of a pot are of the period's pot unless stated.</footer>\n",
        escape(&spec.obc_format),
        escape(&c.currency)
    ));
    out.push_str("</body>\n</html>\n");
    out
}
