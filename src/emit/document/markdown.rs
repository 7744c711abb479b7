//! The document written as GitHub-flavoured Markdown, payout curves as tables of key points.

use super::summary::{at_risk_words, people, term_words};
use super::values::Ctx;
use super::{build, contents, plain, Block, Inline, Rich, Table};
use crate::emit::chart::Scale;
use crate::emit::spec::Spec;

/// Escapes text for GitHub-flavoured Markdown, inside a paragraph or a table cell.
fn md(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars.get(i - 1) } else { None };
        let next = chars.get(i + 1);
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(*c);
            }
            '_' => {
                let inner = prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
                out.push('_');
            }
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => {
                out.push_str("\\&");
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(*c),
        }
    }
    out
}

/// A Markdown code span that holds any text.
fn md_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    // A `|` inside a code span in a table cell still needs escaping in GFM.
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

fn md_rich(rich: &Rich) -> String {
    let mut out = String::new();
    for inline in &rich.0 {
        match inline {
            Inline::Text(t) => out.push_str(&md(t)),
            Inline::Code(t) => out.push_str(&md_code(t)),
            Inline::Strong(t) => out.push_str(&format!("**{}**", md(t))),
            Inline::Link(_, t) => out.push_str(&md(t)),
            Inline::Tag(t) => out.push_str(&format!("*({})*", md(t))),
            Inline::Name(t) => out.push_str(&format!("({})", md_code(t))),
            Inline::Break => out.push_str("; "),
        }
    }
    out
}

fn md_table(out: &mut String, table: &Table) {
    if !table.caption.is_empty() && table.class != "facts" {
        out.push_str(&format!("*{}*\n\n", md(&table.caption)));
    }
    out.push_str(&format!(
        "| {} |\n",
        table
            .head
            .iter()
            .map(|h| md(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}\n",
        (0..table.head.len())
            .map(|i| if table.numeric.contains(&i) {
                " ---: |"
            } else {
                " --- |"
            })
            .collect::<String>()
    ));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let text = md_rich(&cell.content);
                if i == 0 && table.row_headers && table.class == "facts" && !text.is_empty() {
                    format!("**{text}**")
                } else {
                    text
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

/// The specification as Markdown.
pub fn markdown(spec: &Spec) -> String {
    let ctx = Ctx::new(spec);
    let c = &spec.contract;
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", md(&c.title)));
    out.push_str("**Specification of outcome-based payments**");
    if let Some(r) = &c.reference {
        out.push_str(&format!(" · Reference {}", md(r)));
    }
    out.push_str("\n\n");
    if let Some(d) = &c.description {
        out.push_str(&format!("{}\n\n", md(d)));
    }
    out.push_str(&format!(
        "- **{}:** {}\n- **{}:** {}\n- **Term:** {}\n- **Value per year:** {}\n- **Money at risk per year:** {}\n\n",
        if c.commissioners.len() == 1 {
            "Commissioner"
        } else {
            "Commissioners"
        },
        md_rich(&people(&c.commissioners)),
        if c.providers.len() == 1 {
            "Provider"
        } else {
            "Providers"
        },
        md_rich(&people(&c.providers)),
        md(&term_words(&ctx)),
        md(&ctx.money(&c.value_per_year)),
        md(&at_risk_words(&ctx)),
    ));
    out.push_str("## Contents\n\n");
    for (_, title) in contents(spec) {
        out.push_str(&format!("- {}\n", md(&title)));
    }
    out.push('\n');
    for block in build(&ctx) {
        match block {
            Block::Open { level, title, .. } => {
                out.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(level)),
                    md(&title)
                ));
            }
            Block::Close => {}
            Block::Para(r) => out.push_str(&format!("{}\n\n", md_rich(&r))),
            Block::Note(r) => out.push_str(&format!("> {}\n\n", md_rich(&r))),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", md_rich(&item)));
                }
                out.push('\n');
            }
            Block::Table(t) => md_table(&mut out, &t),
            Block::Chart {
                points,
                scale,
                measured,
                caption,
                ..
            } => {
                let pays = match scale {
                    Scale::Share => "Pays (share of the period's pot)",
                    Scale::Money => "Pays for the period",
                };
                let x = if measured { "Result" } else { "Improvement" };
                let mut table = Table::new("Payout at key points", &[x, pays, "Note"]);
                table.numeric = vec![1];
                for p in &points {
                    table.row(vec![
                        plain(p.result.clone()),
                        plain(p.pays.clone()),
                        plain(p.note.clone()),
                    ]);
                }
                md_table(&mut out, &table);
                out.push_str(&format!(
                    "> {} The HTML specification draws the curve as a chart.\n\n",
                    md_rich(&caption)
                ));
            }
            Block::Example { lines } => {
                let longest = lines
                    .iter()
                    .flat_map(|l| l.split(|c| c != '`').map(str::len))
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat((longest + 1).max(3));
                out.push_str(&format!("{fence}text\n"));
                for line in lines {
                    out.push_str(&line);
                    out.push('\n');
                }
                out.push_str(&format!("{fence}\n\n"));
            }
        }
    }
    out.push_str(&format!(
        "---\n\n*Generated by obc from the contract source (specification format {}).*\n",
        md(&spec.obc_format)
    ));
    out
}
