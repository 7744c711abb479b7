//! Participant records for rate cards, read one record at a time. Only what the rate cards
//! need is kept per participant (a start date and the outcomes achieved, with the line each
//! came from), never the file's text: a file of millions of records is read in one pass with
//! memory proportional to the participants, not the bytes. When a record has a problem, its
//! line is fetched again in a second pass, only to show it in the diagnostic.

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;

use jiff::civil::Date;

use super::table::{extra_cells, field_spans, named_width, repeats, same_column, Table};
use crate::check::closest_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Contract, Mechanism};
use crate::source::{FileId, SourceFile, Sources, Span};

/// Where a participant record came from: a file and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordAt {
    pub file: FileId,
    pub line: u32,
}

/// An outcome (or criterion) achieved by a participant.
#[derive(Clone, Copy, Debug)]
pub struct Achievement {
    /// Index into [`Participants::outcomes`].
    pub outcome: u16,
    pub on: Date,
    pub at: RecordAt,
}

#[derive(Clone, Debug, Default)]
pub struct Person {
    pub start: Option<(Date, RecordAt)>,
    pub achieved: Vec<Achievement>,
}

/// Every participant's record, checked.
#[derive(Clone, Debug, Default)]
pub struct Participants {
    pub people: HashMap<Box<str>, Person>,
    /// The outcome and criterion names of every rate card, indexed by [`Achievement::outcome`].
    pub outcomes: Vec<String>,
    /// The names of the files read, for citing lines.
    pub files: HashMap<FileId, String>,
    pub records: u64,
}

impl Participants {
    /// No records yet, with the outcome and criterion names of the contract's rate cards.
    pub fn for_contract(contract: &Contract) -> Participants {
        let mut outcomes: Vec<String> = Vec::new();
        for payment in &contract.payments {
            let Mechanism::RateCard(card) = &payment.mechanism else {
                continue;
            };
            for name in card.outcomes.iter().map(|o| &o.name).chain(&card.criteria) {
                if !outcomes.contains(name) {
                    outcomes.push(name.clone());
                }
            }
        }
        Participants {
            outcomes,
            ..Default::default()
        }
    }

    pub fn outcome_index(&self, name: &str) -> Option<u16> {
        self.outcomes
            .iter()
            .position(|o| o == name)
            .map(|i| i as u16)
    }
}

/// Where a problem is: a span in a loaded file, or a line (and maybe a column) of a streamed one.
#[derive(Clone, Copy, Debug)]
enum ProblemAt {
    Span(FileId, Span),
    Line {
        file: FileId,
        line: u32,
        column: Option<usize>,
    },
}

struct Problem {
    code: Code,
    at: ProblemAt,
    message: String,
    label: &'static str,
    help: String,
    /// A second place to point at, on the same line: where a repeated column is first named.
    also: Option<(ProblemAt, &'static str)>,
}

/// The cells of one record, by role, each with how to point at it.
pub(super) struct Record<'r> {
    pub participant: Option<&'r str>,
    pub outcome: Option<&'r str>,
    pub achieved_on: Option<&'r str>,
    pub started_on: Option<&'r str>,
}

/// Columns of a participant file, by role.
#[derive(Clone, Copy, Default)]
pub(super) struct Columns {
    pub participant: Option<usize>,
    pub outcome: Option<usize>,
    pub achieved_on: Option<usize>,
    pub started_on: Option<usize>,
}

impl Columns {
    pub fn find(names: &[&str]) -> Columns {
        let position = |want: &str| {
            names
                .iter()
                .position(|n| n.trim().eq_ignore_ascii_case(want))
        };
        Columns {
            participant: position("participant"),
            outcome: position("outcome"),
            achieved_on: position("achieved_on"),
            started_on: position("started_on"),
        }
    }
}

/// Reads participant records into [`Participants`], collecting problems.
pub(super) struct Reader<'c> {
    contract: &'c Contract,
    pub participants: Participants,
    problems: Vec<Problem>,
    /// Outcomes that are paid only within a window of the start.
    windowed: BTreeSet<u16>,
}

impl<'c> Reader<'c> {
    pub fn new(contract: &'c Contract) -> Self {
        let participants = Participants::for_contract(contract);
        let mut windowed = BTreeSet::new();
        for payment in &contract.payments {
            let Mechanism::RateCard(card) = &payment.mechanism else {
                continue;
            };
            for outcome in card.outcomes.iter().filter(|o| o.within.is_some()) {
                for name in std::iter::once(&outcome.name).chain(&outcome.all_of) {
                    if let Some(i) = participants.outcome_index(name) {
                        windowed.insert(i);
                    }
                }
            }
        }
        Reader {
            contract,
            participants,
            problems: Vec::new(),
            windowed,
        }
    }

    fn problem(
        &mut self,
        code: Code,
        at: ProblemAt,
        message: String,
        label: &'static str,
        help: impl Into<String>,
    ) {
        self.problems.push(Problem {
            code,
            at,
            message,
            label,
            help: help.into(),
            also: None,
        });
    }

    /// Checks one record and adds it to its participant.
    fn record(
        &mut self,
        record: Record,
        line: u32,
        file: FileId,
        at: &dyn Fn(Option<usize>) -> ProblemAt,
        columns: Columns,
    ) {
        self.participants.records += 1;
        let here = RecordAt { file, line };
        let Some(participant) = record.participant.map(str::trim).filter(|p| !p.is_empty()) else {
            self.problem(
                Code::InconsistentRow,
                at(None),
                format!("line {line} names no participant"),
                "no participant",
                "fill in the `participant` column",
            );
            return;
        };
        let mut start = None;
        if let Some(text) = record.started_on.map(str::trim).filter(|t| !t.is_empty()) {
            start = self.date(text, "started_on", at(columns.started_on));
        }
        // Look up before inserting, so an existing participant costs no allocation.
        if !self.participants.people.contains_key(participant) {
            self.participants
                .people
                .insert(participant.into(), Person::default());
        }
        let Some(person) = self.participants.people.get_mut(participant) else {
            return;
        };
        if let Some(date) = start {
            match person.start {
                Some((first, first_at)) if first != date => {
                    let message = format!(
                        "participant `{participant}` started on {first} (line {}), not {date}",
                        first_at.line
                    );
                    self.problem(
                        Code::InconsistentRow,
                        at(columns.started_on),
                        message,
                        "a different start date",
                        "give each participant one start date",
                    );
                }
                Some(_) => {}
                None => person.start = Some((date, here)),
            }
        }
        let Some(outcome) = record.outcome.map(str::trim).filter(|t| !t.is_empty()) else {
            if record.started_on.is_none_or(|t| t.trim().is_empty()) {
                self.problem(
                    Code::InconsistentRow,
                    at(None),
                    format!("line {line} records neither an outcome nor a start"),
                    "nothing recorded",
                    "fill in `outcome` and `achieved_on`, or `started_on`",
                );
            }
            return;
        };
        let Some(index) = self.participants.outcome_index(outcome) else {
            let help = match closest_name(
                outcome,
                self.participants.outcomes.iter().map(String::as_str),
            ) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "use the name of an outcome or criterion of a rate card".to_string(),
            };
            self.problem(
                Code::UnknownNameInData,
                at(columns.outcome),
                format!("`{outcome}` is not an outcome or criterion of any rate card"),
                "unknown outcome",
                help,
            );
            return;
        };
        let Some(achieved_text) = record.achieved_on.map(str::trim).filter(|t| !t.is_empty())
        else {
            self.problem(
                Code::InvalidDateInData,
                at(columns.achieved_on.or(columns.outcome)),
                format!("line {line} gives no `achieved_on` date for `{outcome}`"),
                "no date",
                "fill in the date the outcome was achieved",
            );
            return;
        };
        let Some(on) = self.date(achieved_text, "achieved_on", at(columns.achieved_on)) else {
            return;
        };
        let calendar = self.contract.calendar;
        if on < calendar.start || on > calendar.end {
            let message = format!(
                "{on} is outside the term, {} to {}",
                calendar.start, calendar.end
            );
            self.problem(Code::DataOutsideTerm, at(columns.achieved_on), message, "outside the term", "outcomes achieved outside the term are not paid; remove the row or correct the date");
            return;
        }
        let Some(person) = self.participants.people.get_mut(participant) else {
            return;
        };
        if let Some(first) = person.achieved.iter().find(|a| a.outcome == index) {
            let message = format!(
                "participant `{participant}` achieves `{outcome}` again (first on line {})",
                first.at.line
            );
            self.problem(
                Code::DuplicateRow,
                at(None),
                message,
                "second record",
                "an outcome is paid once per participant; keep the first time it was achieved",
            );
            return;
        }
        person.achieved.push(Achievement {
            outcome: index,
            on,
            at: here,
        });
    }

    fn date(&mut self, text: &str, column: &str, at: ProblemAt) -> Option<Date> {
        let parsed = iso_date(text);
        if parsed.is_none() {
            self.problem(
                Code::InvalidDateInData,
                at,
                format!("`{text}` in the `{column}` column is not a date"),
                "not a date",
                "write dates as year-month-day, such as `2016-11-20`",
            );
        }
        parsed
    }

    /// Reads a loaded table (JSON, a workbook, or CSV read whole) of participant records.
    pub fn table(&mut self, table: &Table, source: &SourceFile) {
        let names: Vec<&str> = table.columns.iter().map(|c| c.text.as_str()).collect();
        let columns = Columns::find(&names);
        self.participants
            .files
            .insert(table.file, short_name(&source.name));
        for row in &table.rows {
            let cell = |column: Option<usize>| {
                column
                    .and_then(|c| row.cells.get(c)?.as_ref())
                    .map(|c| c.text.as_str())
            };
            let record = Record {
                participant: cell(columns.participant),
                outcome: cell(columns.outcome),
                achieved_on: cell(columns.achieved_on),
                started_on: cell(columns.started_on),
            };
            let file = table.file;
            let at = |column: Option<usize>| {
                let span = column
                    .and_then(|c| row.cells.get(c)?.as_ref())
                    .map(|c| c.span)
                    .unwrap_or(row.span);
                ProblemAt::Span(file, span)
            };
            let line = source.line_col(row.span.start).line as u32;
            self.record(record, line, file, &at, columns);
        }
    }

    /// Reads a CSV file of participant records one record at a time. `progress` is told how
    /// many bytes of how many have been read.
    pub fn stream_csv(
        &mut self,
        path: &Path,
        file: FileId,
        progress: &mut dyn FnMut(u64, u64),
    ) -> std::io::Result<()> {
        let total = std::fs::metadata(path)?.len();
        let handle = std::fs::File::open(path)?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(
            std::io::BufReader::with_capacity(1 << 16, crate::source::LineLimited::new(handle)),
        );
        let header = reader.headers().map_err(std::io::Error::other)?.clone();
        let width = named_width(header.iter());
        let names: Vec<&str> = header.iter().take(width).collect();
        let columns = Columns::find(&names);
        let header_at = ProblemAt::Line {
            file,
            line: 1,
            column: None,
        };
        for (index, name) in names.iter().enumerate() {
            let known = ["participant", "outcome", "achieved_on", "started_on"];
            let again = names[..index].iter().any(|n| same_column(n, name));
            if !again && !known.iter().any(|k| k.eq_ignore_ascii_case(name.trim())) {
                let help = match closest_name(name.trim(), known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "participant records have the columns `participant`, `outcome`, `achieved_on` and `started_on`".to_string(),
                };
                let at = ProblemAt::Line {
                    file,
                    line: 1,
                    column: Some(index),
                };
                self.problem(
                    Code::UnknownColumn,
                    at,
                    format!("the column `{}` is not one the contract uses", name.trim()),
                    "unknown column",
                    help,
                );
            }
        }
        for (column, wanted) in [
            (columns.outcome, "outcome"),
            (columns.achieved_on, "achieved_on"),
        ] {
            if column.is_none() {
                self.problem(
                    Code::MissingColumn,
                    header_at,
                    format!("this file has no `{wanted}` column"),
                    "header row",
                    format!("add a `{wanted}` column"),
                );
            }
        }
        self.participants
            .files
            .insert(file, short_name(&path.display().to_string()));
        let found = repeats(names.iter().copied());
        for repeat in &found {
            let (message, help) = super::repeated_column_text(repeat, false);
            let column = |index: usize| ProblemAt::Line {
                file,
                line: 1,
                column: Some(index),
            };
            self.problems.push(Problem {
                code: Code::DuplicateColumn,
                at: column(repeat.again),
                message,
                label: "named again",
                help,
                also: Some((column(repeat.first), "first named here")),
            });
        }
        if !found.is_empty() {
            // Which of the two columns holds the figures cannot be told: no record is read.
            progress(total, total);
            return Ok(());
        }
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    let line = error
                        .position()
                        .map_or(reader.position().line(), |p| p.line())
                        as u32;
                    // A file that cannot be read on (a line without an end) stops here; a
                    // malformed record is reported and the next one read.
                    let (message, help, stop) = match error.into_kind() {
                        csv::ErrorKind::Io(io) => (
                            format!(
                                "line {line} cannot be read: {}",
                                crate::load::plain_io_error(&io)
                            ),
                            "a file of participant records is CSV text, one record a line",
                            true,
                        ),
                        _ => (
                            format!("line {line} cannot be read as CSV"),
                            "check the quotes and commas on this line",
                            false,
                        ),
                    };
                    let at = ProblemAt::Line {
                        file,
                        line,
                        column: None,
                    };
                    self.problem(Code::UnreadableData, at, message, "cannot be read", help);
                    if stop {
                        break;
                    }
                    continue;
                }
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
            if line % 8192 == 0 {
                progress(record.position().map(|p| p.byte()).unwrap_or(0), total);
            }
            let cell = |column: Option<usize>| column.and_then(|c| record.get(c));
            let fields = Record {
                participant: cell(columns.participant),
                outcome: cell(columns.outcome),
                achieved_on: cell(columns.achieved_on),
                started_on: cell(columns.started_on),
            };
            let at = |column: Option<usize>| ProblemAt::Line { file, line, column };
            if let Some(extra) = extra_cells(record.iter(), width) {
                let first = record.get(extra.first).unwrap_or_default();
                let before = extra.first.checked_sub(1).and_then(|i| record.get(i));
                let (message, help) =
                    super::extra_cells_text(line as usize, extra, width, first, before);
                self.problem(
                    Code::ExtraCells,
                    at(Some(extra.first)),
                    message,
                    "not in any column",
                    help,
                );
            }
            self.record(fields, line, file, &at, columns);
        }
        progress(total, total);
        Ok(())
    }

    /// Checks what can only be checked once every record is read, and turns the problems into
    /// diagnostics. Streamed files are read a second time for the lines that have problems.
    pub fn finish(
        mut self,
        sources: &mut Sources,
        streamed: &HashMap<FileId, std::path::PathBuf>,
    ) -> (Participants, Vec<Diagnostic>) {
        let mut missing_start: Vec<(String, Achievement)> = Vec::new();
        for (name, person) in &self.participants.people {
            if person.start.is_some() {
                continue;
            }
            if let Some(first) = person
                .achieved
                .iter()
                .filter(|a| self.windowed.contains(&a.outcome))
                .min_by_key(|a| a.at)
            {
                missing_start.push((name.to_string(), *first));
            }
        }
        missing_start.sort_by_key(|(_, a)| a.at);
        let mut before_start: Vec<(String, Date, Achievement)> = Vec::new();
        for (name, person) in &self.participants.people {
            if let Some((started, _)) = person.start {
                for achievement in person.achieved.iter().filter(|a| a.on < started) {
                    before_start.push((name.to_string(), started, *achievement));
                }
            }
        }
        before_start.sort_by_key(|(_, _, a)| a.at);
        for (name, started, achievement) in before_start {
            let outcome = self.participants.outcomes[achievement.outcome as usize].clone();
            self.problem(
                Code::InconsistentRow,
                ProblemAt::Line {
                    file: achievement.at.file,
                    line: achievement.at.line,
                    column: None,
                },
                format!(
                    "participant `{name}` achieves `{outcome}` on {}, before starting on {started}",
                    achievement.on
                ),
                "before the start",
                "check the dates: outcomes are achieved after a participant starts",
            );
        }
        for (name, achievement) in missing_start {
            let outcome = self.participants.outcomes[achievement.outcome as usize].clone();
            let at = ProblemAt::Line {
                file: achievement.at.file,
                line: achievement.at.line,
                column: None,
            };
            self.problem(
                Code::InconsistentRow,
                at,
                format!("participant `{name}` has no start date, which `{outcome}` needs"),
                "no start date",
                format!("`{outcome}` is paid only within a window from the start: give the participant a `started_on` date"),
            );
        }
        let diagnostics = materialise(self.problems, sources, streamed);
        (self.participants, diagnostics)
    }
}

/// `2016-11-20` as a date: the ten characters checked by hand, because this runs once per record.
fn iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i16> {
        let part = bytes.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i16, |n, d| n * 10 + i16::from(d - b'0')))
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    Date::new(digits(0..4)?, digits(5..7)? as i8, digits(8..10)? as i8).ok()
}

fn short_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Turns problems into diagnostics. A problem on a line of a streamed file gets an excerpt
/// source holding just that line, read in one more pass over the file.
fn materialise(
    problems: Vec<Problem>,
    sources: &mut Sources,
    streamed: &HashMap<FileId, std::path::PathBuf>,
) -> Vec<Diagnostic> {
    let mut wanted: HashMap<FileId, BTreeSet<u32>> = HashMap::new();
    for problem in &problems {
        if let ProblemAt::Line { file, line, .. } = problem.at {
            wanted.entry(file).or_default().insert(line);
        }
    }
    let mut excerpts: HashMap<(FileId, u32), FileId> = HashMap::new();
    for (file, lines) in wanted {
        let (name, text_lines) = match streamed.get(&file) {
            Some(path) => (path.display().to_string(), read_lines(path, &lines)),
            None => {
                let source = sources.get(file);
                let found = lines
                    .iter()
                    .map(|l| (*l, source.line_text(*l as usize).to_string()))
                    .collect();
                (source.name.clone(), found)
            }
        };
        for (line, text) in text_lines {
            let id = sources.add(SourceFile::excerpt(name.clone(), text, line as usize));
            excerpts.insert((file, line), id);
        }
    }
    let place = |at: ProblemAt| match at {
        ProblemAt::Span(file, span) => (file, span),
        ProblemAt::Line { file, line, column } => match excerpts.get(&(file, line)) {
            Some(&id) => {
                let text = &sources.get(id).text;
                let line_len = text.trim_end_matches(['\n', '\r']).len();
                let span = column
                    .and_then(|c| field_spans(text, 0, c + 1).get(c).copied())
                    .unwrap_or(Span::new(0, line_len));
                (id, span)
            }
            None => (file, Span::new(0, 0)),
        },
    };
    problems
        .into_iter()
        .map(|p| {
            let (file, span) = place(p.at);
            let mut d = Diagnostic::new(p.code, file, span, p.message, p.label);
            if let Some((at, label)) = p.also {
                let (also_file, also_span) = place(at);
                if also_file == file {
                    d = d.with_label(also_span, label);
                }
            }
            d.with_help(p.help)
        })
        .collect()
}

/// The text of the given lines of a file, in one pass.
fn read_lines(path: &Path, lines: &BTreeSet<u32>) -> Vec<(u32, String)> {
    let Ok(handle) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let last = lines.iter().next_back().copied().unwrap_or(0);
    let reader = std::io::BufReader::new(crate::source::LineLimited::new(handle));
    for (index, text) in reader.lines().enumerate() {
        let number = index as u32 + 1;
        if number > last {
            break;
        }
        if lines.contains(&number) {
            found.push((number, text.unwrap_or_default()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_read_exactly() {
        assert_eq!(iso_date("2020-02-29"), Some(jiff::civil::date(2020, 2, 29)));
        assert_eq!(iso_date("2019-02-29"), None);
        assert_eq!(iso_date("2019-2-28"), None);
        assert_eq!(iso_date("20x9-02-28"), None);
    }
}
