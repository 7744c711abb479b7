//! The graphical report for people, drawn by miette.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::HumanStyle;
use crate::diagnostic::{Diagnostic, Severity};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::source::{FileId, SourceFile, Sources};

/// A source file as miette reads it: its text under its name, as [`shown_text`] shows it. miette
/// finds lines by scanning from the start of its text, so it is given only the lines around each
/// span, found by the file's line index: drawing many findings in a large file stays linear.
struct FileSource<'a>(&'a SourceFile, &'a str);

/// The text a report draws: the file's, with the invisible characters that reorder text (W0009)
/// shown as the replacement character U+FFFD, since drawn raw they would reorder the report
/// itself. Each is three bytes, as U+FFFD is, so every offset holds. Made once per file.
fn shown_text(file: &SourceFile) -> Cow<'_, str> {
    let reorders = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if file.text.contains(reorders) {
        Cow::Owned(file.text.replace(reorders, "\u{fffd}"))
    } else {
        Cow::Borrowed(file.text.as_str())
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (from, to, lines_before) = self.0.lines_around(
            span.offset(),
            span.offset() + span.len(),
            context_lines_before,
            context_lines_after,
        );
        let window = self.1.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let relative = SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let contents = window.read_span(&relative, context_lines_before, context_lines_after)?;
        let contents_span = SourceSpan::new(
            (contents.span().offset() + from).into(),
            contents.span().len(),
        );
        // miette counts columns in bytes; report characters, as every other format does.
        let at = self.0.line_col(contents_span.offset());
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name.clone(),
            contents.data(),
            contents_span,
            at.line - 1,
            at.column - 1,
            // miette's count runs from the start of the text it scanned: here, the window.
            lines_before + contents.line_count(),
        )))
    }
}

/// One diagnostic with its file, in the shape miette draws.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: FileSource<'a>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let code = self.diagnostic.code;
        Some(Box::new(format!("{}({})", code.code(), code.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let help = self.diagnostic.help.as_deref()?;
        Some(match &self.diagnostic.fix {
            // Help that already says what the fix does is not said twice.
            Some(fix) if fix.certain && help == fix.title => {
                Box::new(format!("{help}\n`obc check --fix` can do this for you"))
            }
            Some(fix) if fix.certain => Box::new(format!(
                "{help}\n`obc check --fix` can do this for you: {}",
                fix.title
            )),
            _ => Box::new(help),
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.diagnostic.labels.iter().enumerate().map(|(i, label)| {
            let span = (label.span.start, label.span.len());
            let text = Some(label.message.clone()).filter(|m| !m.is_empty());
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        });
        Some(Box::new(labels))
    }
}

pub(super) fn render(diagnostics: &[Diagnostic], sources: &Sources, style: HumanStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut shown: HashMap<FileId, Cow<str>> = HashMap::new();
    for diagnostic in diagnostics {
        shown
            .entry(diagnostic.file)
            .or_insert_with(|| shown_text(sources.get(diagnostic.file)));
    }
    let mut out = String::new();
    for diagnostic in diagnostics {
        let file = sources.get(diagnostic.file);
        let text = shown
            .get(&diagnostic.file)
            .map_or(file.text.as_str(), |t| t);
        let report = Report {
            diagnostic,
            source: FileSource(file, text),
        };
        // Writing into a String cannot fail; should miette ever fail, fall back to one line.
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                diagnostic.severity.as_str(),
                diagnostic.code.code(),
                diagnostic.message
            ));
        }
        out.push('\n');
    }
    out.push_str(&super::summary(diagnostics));
    out
}
