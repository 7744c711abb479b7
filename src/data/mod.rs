//! Indicator data and participant records: reading every data file of an evaluation and
//! checking each row against the contract. Every problem is reported with its file, row and
//! cell; nothing is dropped silently. Rows that pass are kept with a reference to where they
//! came from, so each payment line can cite the rows it used.

mod excel;
pub mod participants;
pub mod table;

pub use participants::Participants;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::calendar::{Period, PeriodProblem};
use crate::check::closest_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Contract;
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::syntax::{self, ast::Unit};
use crate::units::{format_value, unit_domain};
use table::{Cell, Row, Table};

/// Where a value came from: a row of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRef {
    pub file: FileId,
    pub row: usize,
    /// The 1-based line the row starts on, as an editor shows it.
    pub line: usize,
    pub span: Span,
}

/// One indicator's result for one period.
#[derive(Clone, Debug)]
pub struct Observation {
    pub indicator: String,
    pub period: Period,
    /// The value in the indicator's unit (85% is 85).
    pub value: Decimal,
    pub numerator: Option<Decimal>,
    /// The denominator as given, before any exclusions.
    pub denominator: Option<Decimal>,
    /// Cases excluded from the denominator (an indicator that takes exclusions).
    pub excluded: Option<Decimal>,
    /// The comparison group's value, for improvement against a comparison group.
    pub comparison: Option<Decimal>,
    pub factors: BTreeMap<String, Decimal>,
    pub flags: BTreeMap<String, bool>,
    pub row: RowRef,
}

impl Observation {
    /// A single figure for a period: a value with no counts, comparison, factors or flags.
    pub fn figure(name: &str, period: Period, value: Decimal, row: RowRef) -> Observation {
        Observation {
            indicator: name.to_string(),
            period,
            value,
            numerator: None,
            denominator: None,
            excluded: None,
            comparison: None,
            factors: BTreeMap::new(),
            flags: BTreeMap::new(),
            row,
        }
    }
}

/// Everything the data files say, checked.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// The file name of each data file, for citing rows as `name:line`.
    pub file_names: BTreeMap<FileId, String>,
    pub observations: Vec<Observation>,
    /// Participant records for rate cards.
    pub participants: Participants,
}

/// The largest data file obc reads whole (indicator data, JSON). CSV files of participant
/// records are streamed instead, and bounded line by line.
pub const MAX_DATA_FILE_BYTES: usize = 1024 * 1024 * 1024;

/// Reads a data file into the sources, so its cells can be pointed at. CSV and JSON are kept as
/// they are. An Excel workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`) is read with calamine and its
/// sheet (the first, or the one named after `#`: `outcomes.xlsx#Quarterly`) is written out as
/// CSV text, one line per sheet row, so problems are reported at the sheet's row and cell.
pub fn read(path: &Path, sources: &mut Sources) -> std::io::Result<FileId> {
    if let Some((workbook, sheet)) = spreadsheet(path) {
        let text = excel::sheet_as_csv(&workbook, sheet.as_deref())?;
        let name = match &sheet {
            Some(sheet) => format!("{}#{sheet}", workbook.display()),
            None => workbook.display().to_string(),
        };
        return Ok(sources.add(SourceFile::new(name, text)));
    }
    let text = crate::source::read_text(path, MAX_DATA_FILE_BYTES)?;
    Ok(sources.add(SourceFile::new(path.display().to_string(), text)))
}

/// A workbook path and the sheet named after `#`, when `path` names a spreadsheet.
fn spreadsheet(path: &Path) -> Option<(std::path::PathBuf, Option<String>)> {
    let text = path.to_str()?;
    let (file, sheet) = match text.rsplit_once('#') {
        Some((file, sheet)) if !path.exists() => (file, Some(sheet.to_string())),
        _ => (text, None),
    };
    let extension = Path::new(file).extension()?.to_str()?.to_ascii_lowercase();
    matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
        .then(|| (std::path::PathBuf::from(file), sheet))
}

/// Reads and checks every data file against the contract. CSV files of participant records
/// are streamed (see [`participants`]); everything else is read whole. `progress` is told how
/// many bytes of a streamed file have been read.
pub fn load(
    paths: &[std::path::PathBuf],
    sources: &mut Sources,
    contract: &Contract,
    progress: &mut dyn FnMut(u64, u64),
) -> std::io::Result<(Dataset, Vec<Diagnostic>)> {
    let mut loaded = Vec::new();
    let mut streamed: HashMap<FileId, std::path::PathBuf> = HashMap::new();
    let with_path = |path: &Path, e: std::io::Error| {
        std::io::Error::new(
            e.kind(),
            format!("`{}`: {}", path.display(), crate::load::plain_io_error(&e)),
        )
    };
    for path in paths {
        if is_participant_csv(path) {
            let file = sources.add(SourceFile::new(path.display().to_string(), String::new()));
            streamed.insert(file, path.clone());
        } else {
            loaded.push(read(path, sources).map_err(|e| with_path(path, e))?);
        }
    }
    let mut reader = participants::Reader::new(contract);
    let (mut dataset, mut diagnostics) = validate(&loaded, sources, contract, &mut reader);
    let mut order: Vec<(&FileId, &std::path::PathBuf)> = streamed.iter().collect();
    order.sort();
    for (file, path) in order {
        reader
            .stream_csv(path, *file, progress)
            .map_err(|e| with_path(path, e))?;
    }
    let (participants, participant_diagnostics) = reader.finish(sources, &streamed);
    dataset.participants = participants;
    diagnostics.extend(participant_diagnostics);
    Ok((dataset, diagnostics))
}

/// Whether a path is a CSV file whose header has a `participant` column.
fn is_participant_csv(path: &Path) -> bool {
    let csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !csv {
        return false;
    }
    let Ok(handle) = std::fs::File::open(path) else {
        return false;
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(
        crate::source::LineLimited::new(handle),
    ));
    reader.headers().is_ok_and(|h| {
        h.iter()
            .any(|c| c.trim().eq_ignore_ascii_case("participant"))
    })
}

/// Checks the files read whole: indicator data, and participant records in JSON or workbooks.
fn validate<'c>(
    files: &[FileId],
    sources: &'c Sources,
    contract: &'c Contract,
    reader: &mut participants::Reader,
) -> (Dataset, Vec<Diagnostic>) {
    let mut v = Validator {
        contract,
        diagnostics: Vec::new(),
        data: Dataset::default(),
        seen: HashMap::new(),
        source: None,
    };
    for &file in files {
        let source = sources.get(file);
        let short = std::path::Path::new(&source.name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| source.name.clone());
        v.data.file_names.insert(file, short);
        v.source = Some(source);
        let is_json = source.name.to_ascii_lowercase().ends_with(".json");
        let read = if is_json {
            table::read_json(&source.text, file)
        } else {
            table::read_csv(&source.text, file)
        };
        match read {
            Ok(table) if table.column("participant").is_some() => {
                v.check_columns(&table, &PARTICIPANT_COLUMNS.map(String::from));
                if !v.repeated_columns(&table, is_json) {
                    for row in &table.rows {
                        v.extra_cells(&table, row);
                    }
                    reader.table(&table, source);
                }
            }
            Ok(table) => v.table(&table, is_json),
            Err(error) => v.diagnostics.push(
                Diagnostic::new(Code::UnreadableData, file, error.span, error.message, "cannot be read")
                    .with_help("data files are CSV with a header row, or a JSON array of objects; see docs/evaluation.md"),
            ),
        }
    }
    (v.data, v.diagnostics)
}

struct Validator<'c> {
    contract: &'c Contract,
    /// The file being read, for line numbers.
    source: Option<&'c SourceFile>,
    diagnostics: Vec<Diagnostic>,
    data: Dataset,
    /// First row seen for each (indicator, period start, period end).
    seen: HashMap<(String, Date, Date), RowRef>,
}

const INDICATOR_COLUMNS: [&str; 7] = [
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "excluded",
    "comparison",
];
const PARTICIPANT_COLUMNS: [&str; 4] = ["participant", "outcome", "achieved_on", "started_on"];

/// A cell's text, trimmed, or `None` when the cell is missing or blank.
fn text(row: &Row, column: Option<usize>) -> Option<&Cell> {
    row.cells
        .get(column?)?
        .as_ref()
        .filter(|c| !c.text.trim().is_empty())
}

/// The message and help of E0820: a row with cells beyond the header's `width` columns.
fn extra_cells_text(
    line: usize,
    extra: table::Extra,
    width: usize,
    first: &str,
    before: Option<&str>,
) -> (String, String) {
    let columns = if width == 1 { "column" } else { "columns" };
    let which = match extra.filled {
        1 => format!("`{}` is", first.trim()),
        n => format!("`{}` and {} more are", first.trim(), n - 1),
    };
    (
        format!(
            "line {line} has {} cells but the header names {width} {columns}: {which} not in any column",
            extra.cells
        ),
        match split_number(before, first) {
            Some(number) => format!("if `{number}` is one number, put it in quotes (`\"{number}\"`) so its comma does not split it; otherwise remove the cells past the last column, or name their column in the header"),
            None => "remove the cells past the last column, or name their column in the header".to_string(),
        },
    )
}

/// `1,200` when a cell `1` and the next cell `200` look like one number that its thousands
/// comma split in two, in CSV without quotes.
fn split_number(before: Option<&str>, after: &str) -> Option<String> {
    let before = before?.trim();
    let after = after.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole = before.trim_start_matches(['£', '$', '€', '-']);
    let group = after.get(..3)?;
    let rest = after[3..].trim_end_matches('%');
    let rest_ok = rest.is_empty() || rest.strip_prefix('.').is_some_and(digits);
    (whole.len() <= 3 && digits(whole) && digits(group) && rest_ok)
        .then(|| format!("{before},{after}"))
}

/// The message and help of E0821: a column named twice, in a header or a JSON object.
fn repeated_column_text(repeat: &table::Repeat<impl Copy>, is_json: bool) -> (String, String) {
    let name = &repeat.name;
    let times = match repeat.times {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let written = if repeat.again_text == *name {
        String::new()
    } else {
        format!(", as `{name}` and `{}`", repeat.again_text)
    };
    let (whole, keep) = if is_json {
        (
            "an object names",
            format!("give `{name}` once in each object"),
        )
    } else {
        ("the header names", format!("keep one `{name}` column"))
    };
    (
        format!("{whole} the column `{name}` {times}{written}"),
        format!("{keep}: obc cannot tell which holds the figures, so it reads none of this file's rows until the column is named once"),
    )
}

/// A number as finance teams write it: `86.5`, `86.5%`, `1,200`, `£1,200.50`.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let trimmed = text
        .trim()
        .trim_end_matches('%')
        .trim_start_matches(['£', '$', '€']);
    // Commas only as thousands separators: `1,200.5`, never a decimal comma such as `1,5`.
    let whole = trimmed
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_start_matches('-');
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        let grouped = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
        if !grouped || trimmed.split('.').nth(1).is_some_and(|f| f.contains(',')) {
            return None;
        }
    }
    let digits: String = trimmed.chars().filter(|&c| c != ',').collect();
    if digits.is_empty() || digits.contains(['e', 'E']) {
        return None;
    }
    Decimal::from_str_exact(&digits).ok()
}

impl Validator<'_> {
    fn line(&self, row: &Row) -> usize {
        self.source
            .map(|s| s.line_col(row.span.start).line)
            .unwrap_or(row.number + 1)
    }

    fn row_ref(&self, file: FileId, row: &Row) -> RowRef {
        let line = self
            .source
            .map(|s| s.line_col(row.span.start).line)
            .unwrap_or(row.number + 1);
        RowRef {
            file,
            row: row.number,
            line,
            span: row.span,
        }
    }

    fn report(
        &mut self,
        code: Code,
        file: FileId,
        span: Span,
        message: String,
        label: &str,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::new(code, file, span, message, label).with_help(help));
    }

    fn table(&mut self, table: &Table, is_json: bool) {
        if table.column("indicator").is_none() {
            let span = table.columns.first().map(|c| c.span).unwrap_or_default();
            self.report(
                Code::MissingColumn,
                table.file,
                span,
                "this file has neither an `indicator` nor a `participant` column".to_string(),
                "header row",
                "indicator data needs the columns `indicator`, `period` and `value` (or `numerator` and `denominator`); participant records need `participant`, `outcome` and `achieved_on`",
            );
            return;
        }
        let mut known: Vec<String> = INDICATOR_COLUMNS.iter().map(|c| c.to_string()).collect();
        known.extend(self.contract.factors.iter().cloned());
        known.extend(self.contract.flags.iter().cloned());
        self.check_columns(table, &known);
        self.require_column(table, "period");
        if table.column("value").is_none()
            && (table.column("numerator").is_none() || table.column("denominator").is_none())
        {
            self.missing_column(
                table,
                "value",
                "add a `value` column, or `numerator` and `denominator` columns",
            );
        }
        if self.repeated_columns(table, is_json) {
            return;
        }
        for row in &table.rows {
            self.extra_cells(table, row);
            self.indicator_row(table, row);
        }
    }

    /// Reports each column the file names twice, once. Which of the two holds the figures
    /// cannot be told, so then none of the file's rows are read (and none reported).
    fn repeated_columns(&mut self, table: &Table, is_json: bool) -> bool {
        for repeat in &table.repeats {
            let (message, help) = repeated_column_text(repeat, is_json);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateColumn,
                    table.file,
                    repeat.again,
                    message,
                    "named again",
                )
                .with_label(repeat.first, "first named here")
                .with_help(help),
            );
        }
        !table.repeats.is_empty()
    }

    /// Reports a row's cells beyond the header's last column, unless they are all empty.
    fn extra_cells(&mut self, table: &Table, row: &Row) {
        let texts = row
            .cells
            .iter()
            .map(|c| c.as_ref().map_or("", |c| c.text.as_str()));
        let Some(extra) = table::extra_cells(texts, table.columns.len()) else {
            return;
        };
        let Some(first) = row.cells[extra.first].as_ref() else {
            return;
        };
        let before = extra
            .first
            .checked_sub(1)
            .and_then(|i| row.cells.get(i)?.as_ref())
            .map(|c| c.text.as_str());
        let (message, help) = extra_cells_text(
            self.line(row),
            extra,
            table.columns.len(),
            &first.text,
            before,
        );
        self.report(
            Code::ExtraCells,
            table.file,
            first.span,
            message,
            "not in any column",
            help,
        );
    }

    /// Reports columns the contract does not use; a column named twice is reported once.
    fn check_columns(&mut self, table: &Table, known: &[String]) {
        for (index, column) in table.columns.iter().enumerate() {
            let name = column.text.trim();
            let again = table.columns[..index]
                .iter()
                .any(|c| table::same_column(&c.text, name));
            if !again && !known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                let help = match closest_name(name, known.iter().map(String::as_str)) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => format!("declare it in the contract (`factor {name} \"...\"` or `flag {name} \"...\"`), or remove the column"),
                };
                self.report(
                    Code::UnknownColumn,
                    table.file,
                    column.span,
                    format!("the column `{name}` is not one the contract uses"),
                    "unknown column",
                    help,
                );
            }
        }
    }

    fn require_column(&mut self, table: &Table, name: &str) {
        if table.column(name).is_none() {
            self.missing_column(table, name, format!("add a `{name}` column"));
        }
    }

    fn missing_column(&mut self, table: &Table, name: &str, help: impl Into<String>) {
        let span = table.columns.first().map(|c| c.span).unwrap_or_default();
        self.report(
            Code::MissingColumn,
            table.file,
            span,
            format!("this file has no `{name}` column"),
            "header row",
            help,
        );
    }

    /// A number in a cell, reporting text that is not one.
    fn number(&mut self, file: FileId, cell: Option<&Cell>, column: &str) -> Option<Decimal> {
        let cell = cell?;
        match parse_number(&cell.text) {
            Some(n) if crate::syntax::literal::within_range(n) => Some(n),
            Some(_) => {
                self.report(
                    Code::NotANumber,
                    file,
                    cell.span,
                    format!(
                        "`{}` in the `{column}` column is larger than obc calculates with",
                        cell.text.trim()
                    ),
                    "too large",
                    "obc reads numbers up to 1,000,000,000,000 (a million million) so that every sum stays exact; check for extra digits",
                );
                None
            }
            None => {
                self.report(
                    Code::NotANumber,
                    file,
                    cell.span,
                    format!(
                        "`{}` in the `{column}` column is not a number",
                        cell.text.trim()
                    ),
                    "not a number",
                    "write a plain number with a decimal point, such as `86.5` or `1,200`",
                );
                None
            }
        }
    }

    fn indicator_row(&mut self, table: &Table, row: &Row) {
        let file = table.file;
        let row_ref = self.row_ref(file, row);
        let Some(name_cell) = text(row, table.column("indicator")) else {
            self.report(
                Code::InconsistentRow,
                file,
                row.span,
                format!("line {} names no indicator", self.line(row)),
                "no indicator",
                "fill in the `indicator` column",
            );
            return;
        };
        let name = name_cell.text.trim().to_string();
        if let Some(input) = self.contract.inputs.get(&name) {
            self.input_row(table, row, &name, input.unit, input.range);
            return;
        }
        let Some(indicator) = self.contract.indicators.get(&name) else {
            let known = self
                .contract
                .indicators
                .keys()
                .chain(self.contract.inputs.keys())
                .map(String::as_str);
            let help = match closest_name(&name, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "use the name of an indicator or input defined in the contract".to_string(),
            };
            let message = if self.contract.derived.contains_key(&name) {
                format!("`{name}` is a derived value: obc works it out from its inputs, so it is not given in the data")
            } else {
                format!("`{name}` is not an indicator or input of the contract")
            };
            self.report(
                Code::UnknownNameInData,
                file,
                name_cell.span,
                message,
                "unknown indicator",
                help,
            );
            return;
        };
        let unit = indicator.unit;
        if table.column("period").is_none() {
            return; // reported once, for the header
        }
        let period = self.period(file, row, text(row, table.column("period")));
        let value_cell = text(row, table.column("value"));
        let value = self.number(file, value_cell, "value");
        if let (Some(cell), Some(v)) = (value_cell, value) {
            self.value_fits_unit(file, cell, &name, unit, v);
            self.fraction_for_percentage(file, cell, &name, unit, v);
        }
        let numerator = self.number(file, text(row, table.column("numerator")), "numerator");
        let denominator_cell = text(row, table.column("denominator"));
        let denominator = self.number(file, denominator_cell, "denominator");
        if let (Some(d), Some(cell)) = (denominator, denominator_cell) {
            if d.is_zero() {
                self.report(Code::ZeroDenominator, file, cell.span, format!("the denominator of `{name}` is zero"), "zero", "a proportion needs at least one eligible case: check the row, or leave the period out and let the contract's missing-data rule apply");
                return;
            }
        }
        let excluded_cell = text(row, table.column("excluded"));
        let excluded = self.number(file, excluded_cell, "excluded");
        if let (Some(e), Some(cell)) = (excluded, excluded_cell) {
            if !self.exclusions_fit(
                file,
                cell,
                &name,
                indicator.exclusions,
                numerator,
                denominator,
                e,
            ) {
                return;
            }
        }
        // Exclusions come off the denominator, not off the numerator.
        let left = denominator.map(|d| d - excluded.unwrap_or_default());
        let comparison = self.number(file, text(row, table.column("comparison")), "comparison");
        if let (Some(minimum), None) = (indicator.minimum_denominator, denominator) {
            self.report(
                Code::InconsistentRow,
                file,
                row.span,
                format!("`{name}` is not assessed below a denominator of {}, so its rows need a `denominator`", minimum.normalize()),
                "no denominator",
                "give the numerator and denominator (or the denominator beside the value), so the minimum can be applied",
            );
        }
        let value = match (value, numerator, left) {
            (Some(v), Some(n), Some(d)) => {
                self.value_matches_fraction(file, row, table, &name, unit, v, n, d);
                Some(v)
            }
            (Some(v), _, _) => Some(v),
            (None, Some(n), Some(d)) => match crate::units::proportion(n, d, unit) {
                Some(v) => Some(v),
                None => {
                    self.report(Code::InconsistentRow, file, row.span, format!("`{name}` is measured in {} and needs a `value`, not a numerator and denominator", crate::units::unit_words(unit)), "no value", "give the value in the `value` column");
                    None
                }
            },
            (None, _, _) => {
                let has_error = self.diagnostics.iter().any(|d| {
                    d.file == file
                        && row.span.start <= d.span().start
                        && d.span().end <= row.span.end
                });
                if !has_error {
                    self.report(
                        Code::InconsistentRow,
                        file,
                        row.span,
                        format!("line {} gives no value for `{name}`", self.line(row)),
                        "no value",
                        "fill in `value`, or both `numerator` and `denominator`",
                    );
                }
                None
            }
        };
        let mut factors = BTreeMap::new();
        for factor in &self.contract.factors.clone() {
            if let Some(n) = self.number(file, text(row, table.column(factor)), factor) {
                factors.insert(factor.clone(), n);
            }
        }
        let mut flags = BTreeMap::new();
        for flag in &self.contract.flags.clone() {
            if let Some(cell) = text(row, table.column(flag)) {
                match cell.text.trim().to_ascii_lowercase().as_str() {
                    "yes" | "true" | "1" | "y" => {
                        flags.insert(flag.clone(), true);
                    }
                    "no" | "false" | "0" | "n" => {
                        flags.insert(flag.clone(), false);
                    }
                    other => self.report(
                        Code::InconsistentRow,
                        file,
                        cell.span,
                        format!("`{other}` is not `yes` or `no` for the flag `{flag}`"),
                        "not yes or no",
                        "write `yes` or `no`",
                    ),
                }
            }
        }
        let (Some(period), Some(value)) = (period, value) else {
            return;
        };
        let (lo, hi) = unit_domain(unit);
        if value < lo || hi.is_some_and(|hi| value > hi) {
            let at = text(row, table.column("value"))
                .map(|c| c.span)
                .unwrap_or(row.span);
            let currency = self.contract.currency;
            self.report(
                Code::DataValueOutOfRange,
                file,
                at,
                format!(
                    "{} is outside the range of `{name}`",
                    format_value(value, unit, currency)
                ),
                "out of range",
                format!(
                    "`{name}` is measured in {}; check the value",
                    crate::units::unit_words(unit)
                ),
            );
            return;
        }
        if !self.first_row(file, row.span, &name, &period, row_ref) {
            return;
        }
        self.data.observations.push(Observation {
            indicator: name,
            period,
            value,
            numerator,
            denominator,
            excluded,
            comparison,
            factors,
            flags,
            row: row_ref,
        });
    }

    /// A row giving an input's figure for a period: one value, in the input's unit and range.
    fn input_row(
        &mut self,
        table: &Table,
        row: &Row,
        name: &str,
        unit: Unit,
        range: Option<(Decimal, Decimal)>,
    ) {
        let file = table.file;
        let row_ref = self.row_ref(file, row);
        if table.column("period").is_none() {
            return; // reported once, for the header
        }
        let period = self.period(file, row, text(row, table.column("period")));
        for column in ["numerator", "denominator", "comparison"] {
            if let Some(cell) = text(row, table.column(column)) {
                self.report(
                    Code::InconsistentRow,
                    file,
                    cell.span,
                    format!(
                        "`{name}` is an input, a single figure, but this row gives it a `{column}`"
                    ),
                    "not for an input",
                    format!("give the figure of `{name}` in the `value` column only"),
                );
            }
        }
        let value_cell = text(row, table.column("value"));
        let Some(value) = self.number(file, value_cell, "value") else {
            if value_cell.is_none() {
                self.report(
                    Code::InconsistentRow,
                    file,
                    row.span,
                    format!("line {} gives no value for `{name}`", self.line(row)),
                    "no value",
                    "fill in the `value` column",
                );
            }
            return;
        };
        if let Some(cell) = value_cell {
            self.value_fits_unit(file, cell, name, unit, value);
        }
        let (lo, hi) = range.map_or(unit_domain(unit), |(lo, hi)| (lo, Some(hi)));
        if value < lo || hi.is_some_and(|hi| value > hi) {
            let currency = self.contract.currency;
            let at = value_cell.map(|c| c.span).unwrap_or(row.span);
            let allowed = match hi {
                Some(hi) => format!(
                    "from {} to {}",
                    format_value(lo, unit, currency),
                    format_value(hi, unit, currency)
                ),
                None => format!("{} or more", format_value(lo, unit, currency)),
            };
            self.report(
                Code::DataValueOutOfRange,
                file,
                at,
                format!(
                    "{} is outside the range of `{name}`, which runs {allowed}",
                    format_value(value, unit, currency)
                ),
                "out of range",
                format!("check the value: `{name}` may run {allowed}"),
            );
            return;
        }
        let Some(period) = period else {
            return;
        };
        if self.first_row(file, row.span, name, &period, row_ref) {
            self.data
                .observations
                .push(Observation::figure(name, period, value, row_ref));
        }
    }

    /// Records the row for a name and period, or reports it as a second row for them.
    fn first_row(
        &mut self,
        file: FileId,
        span: Span,
        name: &str,
        period: &Period,
        row_ref: RowRef,
    ) -> bool {
        let key = (name.to_string(), period.start, period.end);
        if let Some(first) = self.seen.get(&key).copied() {
            let mut d = Diagnostic::new(Code::DuplicateRow, file, span, format!("`{name}` for {} is given twice", period.label), "second row")
                .with_help("keep one row per name and period; if the figures were revised, keep the revised row only");
            if first.file == file {
                d = d.with_label(first.span, "first row");
            }
            self.diagnostics.push(d);
            return false;
        }
        self.seen.insert(key, row_ref);
        true
    }

    /// A percentage written as a fraction (`0.76` for 76%) is read as 0.76%: warn when a value
    /// of at most 1 has no percent sign and the indicator's thresholds start well above 1%.
    fn fraction_for_percentage(
        &mut self,
        file: FileId,
        cell: &Cell,
        name: &str,
        unit: Unit,
        value: Decimal,
    ) {
        let written = cell.text.trim();
        if unit != Unit::Percent
            || written.ends_with('%')
            || value <= Decimal::ZERO
            || value > Decimal::ONE
        {
            return;
        }
        let Some(lowest) = self.contract.lowest_threshold(name) else {
            return;
        };
        if lowest < Decimal::TEN {
            return;
        }
        let meant = (value * Decimal::ONE_HUNDRED).normalize();
        self.report(
            Code::FractionForPercentage,
            file,
            cell.span,
            format!(
                "`{written}` for `{name}` is read as {}%, but its payments start at {}%: did you mean {meant}%?",
                value.normalize(),
                lowest.normalize()
            ),
            "a fraction?",
            format!("write percentages as `{meant}` or `{meant}%`; a fraction such as `{written}` is read as {}%", value.normalize()),
        );
    }

    /// Cases excluded from a denominator: only for an indicator that takes exclusions, with a
    /// numerator and denominator, no more than the denominator, leaving at least the numerator.
    #[allow(clippy::too_many_arguments)]
    fn exclusions_fit(
        &mut self,
        file: FileId,
        cell: &Cell,
        name: &str,
        takes_exclusions: bool,
        numerator: Option<Decimal>,
        denominator: Option<Decimal>,
        excluded: Decimal,
    ) -> bool {
        let problem = match (takes_exclusions, numerator, denominator) {
            _ if excluded < Decimal::ZERO => Some((
                Code::DataValueOutOfRange,
                format!("{} cases excluded from `{name}` is below zero", excluded.normalize()),
                "write the number of cases excluded from the denominator: 0 or more".to_string(),
            )),
            _ if !excluded.fract().is_zero() => Some((
                Code::NotANumber,
                format!("{} cases excluded from `{name}` is not a whole number", excluded.normalize()),
                "the cases excluded are people or events: write a whole number".to_string(),
            )),
            (false, _, _) => Some((
                Code::InconsistentRow,
                format!("`{name}` does not take exclusions off its denominator, but this row gives {} excluded", excluded.normalize()),
                format!("add `exclusions come off the denominator` to `{name}` in the contract, or leave the `excluded` cell empty"),
            )),
            (true, _, None) | (true, None, _) => Some((
                Code::InconsistentRow,
                format!("the row gives {} excluded from `{name}` but not its numerator and denominator", excluded.normalize()),
                "exclusions come off a denominator: give the `numerator` and `denominator` too".to_string(),
            )),
            (true, Some(_), Some(d)) if excluded > d => Some((
                Code::InconsistentRow,
                format!("{} are excluded from `{name}`, more than its denominator of {}", excluded.normalize(), d.normalize()),
                "the cases excluded are some of the denominator's: check the `excluded` and `denominator` cells".to_string(),
            )),
            (true, Some(_), Some(d)) if excluded == d => Some((
                Code::ZeroDenominator,
                format!("every one of the {} in the denominator of `{name}` is excluded, leaving none", d.normalize()),
                "a proportion needs at least one case left: check the row, or leave the period out and let the contract's missing-data rule apply".to_string(),
            )),
            (true, Some(n), Some(d)) if n > d - excluded => Some((
                Code::InconsistentRow,
                format!(
                    "the numerator of `{name}`, {}, is more than the {} left in its denominator after {} excluded",
                    n.normalize(),
                    (d - excluded).normalize(),
                    excluded.normalize()
                ),
                "exclusions come off the denominator only: check the numerator and the cases excluded".to_string(),
            )),
            _ => None,
        };
        match problem {
            Some((code, message, help)) => {
                self.report(code, file, cell.span, message, "excluded", help);
                false
            }
            None => true,
        }
    }

    /// Symbols must match the unit (`%` only for percentages, the contract's currency only for
    /// money) and counts must be whole.
    fn value_fits_unit(
        &mut self,
        file: FileId,
        cell: &Cell,
        name: &str,
        unit: Unit,
        value: Decimal,
    ) {
        let text = cell.text.trim();
        let currency = self.contract.currency.symbol().symbol();
        let problem = if text.ends_with('%') && unit != Unit::Percent {
            Some(format!(
                "`{text}` has a percent sign but `{name}` is measured in {}",
                crate::units::unit_words(unit)
            ))
        } else if text.starts_with(['£', '$', '€'])
            && !(unit == Unit::Money && text.starts_with(currency))
        {
            Some(format!(
                "`{text}` is an amount of money but `{name}` is measured in {}",
                crate::units::unit_words(unit)
            ))
        } else if unit == Unit::Count && !value.fract().is_zero() {
            Some(format!(
                "`{text}` is not a whole number, but `{name}` is a count"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            self.report(
                Code::NotANumber,
                file,
                cell.span,
                message,
                "not in the indicator's unit",
                format!("write a value in {}", crate::units::unit_words(unit)),
            );
        }
    }

    /// A row that gives both a value and a numerator and denominator must agree with itself, to
    /// the places the value is written with.
    #[allow(clippy::too_many_arguments)]
    fn value_matches_fraction(
        &mut self,
        file: FileId,
        row: &Row,
        table: &Table,
        name: &str,
        unit: Unit,
        value: Decimal,
        numerator: Decimal,
        denominator: Decimal,
    ) {
        let Some(from_fraction) = crate::units::proportion(numerator, denominator, unit) else {
            return;
        };
        let places = value.scale();
        // Half a unit of the last digit written: 86% stands for 85.5% up to 86.5%.
        let tolerance = Decimal::new(5, places + 1);
        if (from_fraction - value).abs() > tolerance {
            let at = text(row, table.column("value"))
                .map(|c| c.span)
                .unwrap_or(row.span);
            let currency = self.contract.currency;
            self.report(
                Code::InconsistentRow,
                file,
                at,
                format!(
                    "the value {} of `{name}` does not match its numerator and denominator, {} of {}, which give {}",
                    format_value(value, unit, currency),
                    numerator.normalize(),
                    denominator.normalize(),
                    format_value(from_fraction.round_dp(places.max(1)), unit, currency)
                ),
                "does not match",
                "correct the value, the numerator or the denominator, or leave the value out and let obc work it out",
            );
        }
    }

    /// The period of a row, reporting periods that cannot be read, do not exist or lie outside the term.
    fn period(&mut self, file: FileId, row: &Row, cell: Option<&Cell>) -> Option<Period> {
        let Some(cell) = cell else {
            self.report(
                Code::InvalidPeriodInData,
                file,
                row.span,
                format!("line {} has no period", self.line(row)),
                "no period",
                "fill in the `period` column, such as `2016/17 Q1`",
            );
            return None;
        };
        let calendar = self.contract.calendar;
        let Some(written) = syntax::parse_period(&cell.text) else {
            self.report(Code::InvalidPeriodInData, file, cell.span, format!("`{}` is not a period", cell.text.trim()), "not a period", "write periods as `2016-04`, `2016-Q2`, `2016/17`, `2016/17 Q1`, `year 1` or `2016-04-01 to 2016-06-30`");
            return None;
        };
        match calendar.resolve(written) {
            Ok(period) if period.end < calendar.start || period.start > calendar.end => {
                self.report(
                    Code::DataOutsideTerm,
                    file,
                    cell.span,
                    format!(
                        "`{}` ({} to {}) is outside the term, {} to {}",
                        cell.text.trim(),
                        period.start,
                        period.end,
                        calendar.start,
                        calendar.end
                    ),
                    "outside the term",
                    "remove the row, or correct its period",
                );
                None
            }
            Ok(period) => Some(period),
            Err(PeriodProblem::Invalid(why)) => {
                self.report(
                    Code::InvalidPeriodInData,
                    file,
                    cell.span,
                    format!("`{}` is not a real period", cell.text.trim()),
                    "no such period",
                    why,
                );
                None
            }
            Err(PeriodProblem::BeyondTerm { year, years }) => {
                self.report(Code::DataOutsideTerm, file, cell.span, format!("contract year {year} is outside the term, which has {years} contract year{}", if years == 1 { "" } else { "s" }), "outside the term", "remove the row, or correct its period");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_split_by_its_comma_is_recognised() {
        assert_eq!(split_number(Some("1"), "200"), Some("1,200".to_string()));
        assert_eq!(
            split_number(Some("£12"), "500.50"),
            Some("£12,500.50".to_string())
        );
        assert_eq!(split_number(Some("86"), "5"), None);
        assert_eq!(split_number(Some("1200"), "200"), None);
        assert_eq!(split_number(Some("1"), "2€0"), None);
        assert_eq!(split_number(Some("note"), "200"), None);
        assert_eq!(split_number(None, "200"), None);
    }
}
