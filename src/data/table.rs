//! Reading a data file into rows of text cells, each cell with its exact place in the file, so
//! that every problem can be reported with file, row and column. CSV is read by the `csv`
//! crate; JSON is an array of objects, read with its values' original text (no floats).
//!
//! Column names are matched as the readers match them everywhere: trimmed, in capitals or small
//! letters alike ([`same_column`]). A header cell left empty after the last named column names
//! no column (spreadsheets export such cells); the cells under it are a row's extra cells.

use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::source::{FileId, Span};

/// One cell: its text (unquoted) and where it is in the file.
#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub span: Span,
}

/// One data row. `number` counts data rows from 1, not counting the header.
#[derive(Clone, Debug)]
pub struct Row {
    pub number: usize,
    pub span: Span,
    /// Cells by column index; `None` where the row has no such cell.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub file: FileId,
    /// The named columns: a CSV header without its empty cells after the last name.
    pub columns: Vec<Cell>,
    pub rows: Vec<Row>,
    /// Columns named more than once: in a CSV header, or within one JSON object.
    pub repeats: Vec<Repeat<Span>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| same_column(&c.text, name))
    }
}

/// Whether two column names name the same column: trimmed, in capitals or small letters alike.
pub fn same_column(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A column named more than once, found at `first` and again at `again` (a column index of a
/// CSV header, or a span of the file).
#[derive(Clone, Debug)]
pub struct Repeat<At> {
    /// The name as first written, trimmed.
    pub name: String,
    /// The name as written the second time, trimmed.
    pub again_text: String,
    pub first: At,
    pub again: At,
    /// How many times the name is given.
    pub times: usize,
}

/// The columns a header names more than once, each once, in the order they are repeated.
pub fn repeats<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Repeat<usize>> {
    let names: Vec<&str> = names.into_iter().collect();
    let mut found: Vec<Repeat<usize>> = Vec::new();
    for (again, name) in names.iter().enumerate() {
        if name.trim().is_empty() || found.iter().any(|r| same_column(&r.name, name)) {
            continue;
        }
        let Some(first) = names[..again].iter().position(|n| same_column(n, name)) else {
            continue;
        };
        found.push(Repeat {
            name: names[first].trim().to_string(),
            again_text: name.trim().to_string(),
            first,
            again,
            times: names.iter().filter(|n| same_column(n, name)).count(),
        });
    }
    found
}

/// How many header cells name columns: all but the empty ones after the last name.
pub fn named_width<'a>(header: impl IntoIterator<Item = &'a str>) -> usize {
    let mut width = 0;
    for (index, name) in header.into_iter().enumerate() {
        if !name.trim().is_empty() {
            width = index + 1;
        }
    }
    width
}

/// A row's cells beyond the header's last named column that are not empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extra {
    /// The index of the first extra cell that is not empty.
    pub first: usize,
    /// How many cells the row has, up to its last cell that is not empty.
    pub cells: usize,
    /// How many extra cells are not empty.
    pub filled: usize,
}

/// The extra cells of a row whose header names `width` columns; `None` when every cell beyond
/// them is empty (spreadsheets export trailing empty cells, which are harmless).
pub fn extra_cells<'a>(cells: impl IntoIterator<Item = &'a str>, width: usize) -> Option<Extra> {
    let mut extra: Option<Extra> = None;
    for (index, text) in cells.into_iter().enumerate().skip(width) {
        if text.trim().is_empty() {
            continue;
        }
        let e = extra.get_or_insert(Extra {
            first: index,
            cells: 0,
            filled: 0,
        });
        e.cells = index + 1;
        e.filled += 1;
    }
    extra
}

/// Why a file could not be read as a table: a message and where.
#[derive(Debug)]
pub struct TableError {
    pub message: String,
    pub span: Span,
}

/// Reads CSV text: a header row, then one row per record.
pub fn read_csv(text: &str, file: FileId) -> Result<Table, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(error)) => return Err(csv_error(&error, text)),
        None => {
            return Err(TableError {
                message: "the file is empty: it needs a header row".into(),
                span: Span::new(0, 0),
            })
        }
    };
    let mut columns = cells(&header, text);
    columns.truncate(named_width(columns.iter().map(|c| c.text.as_str())));
    let found = repeats(columns.iter().map(|c| c.text.as_str()));
    let repeats = found
        .into_iter()
        .map(|r| Repeat {
            first: columns[r.first].span,
            again: columns[r.again].span,
            name: r.name,
            again_text: r.again_text,
            times: r.times,
        })
        .collect();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_error(&e, text))?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let cells = cells(&record, text);
        let span = cells
            .first()
            .map(|c| c.span)
            .unwrap_or_default()
            .cover(cells.last().map(|c| c.span).unwrap_or_default());
        rows.push(Row {
            number: rows.len() + 1,
            span,
            cells: cells.into_iter().map(Some).collect(),
        });
    }
    Ok(Table {
        file,
        columns,
        rows,
        repeats,
    })
}

fn csv_error(error: &csv::Error, text: &str) -> TableError {
    let at = error
        .position()
        .map(|p| p.byte() as usize)
        .unwrap_or(0)
        .min(text.len());
    let end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".to_string(),
        _ => format!(
            "this row cannot be read as CSV: {}",
            error.to_string().to_lowercase()
        ),
    };
    TableError {
        message,
        span: Span::new(at, end),
    }
}

/// The cells of a record with their spans, found by scanning the record's text in the file.
fn cells(record: &csv::StringRecord, text: &str) -> Vec<Cell> {
    let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
    let spans = field_spans(text, start, record.len());
    record
        .iter()
        .zip(spans)
        .map(|(field, span)| Cell {
            text: field.to_string(),
            span,
        })
        .collect()
}

/// Byte spans of `count` fields starting at `start`, honouring quotes; a quoted field's span
/// covers its text inside the quotes.
pub(crate) fn field_spans(text: &str, start: usize, count: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(count);
    let mut at = start;
    for _ in 0..count {
        if bytes.get(at) == Some(&b'"') {
            let mut end = at + 1;
            while end < bytes.len() {
                if bytes[end] == b'"' {
                    if bytes.get(end + 1) == Some(&b'"') {
                        end += 2;
                        continue;
                    }
                    break;
                }
                end += 1;
            }
            spans.push(Span::new(at + 1, end.min(bytes.len())));
            at = end + 1;
        } else {
            let end = text[at.min(text.len())..]
                .find([',', '\n', '\r'])
                .map(|i| at + i)
                .unwrap_or(text.len());
            spans.push(Span::new(at, end));
            at = end;
        }
        // Step over the delimiter.
        if bytes.get(at) == Some(&b',') {
            at += 1;
        }
    }
    spans
}

/// Reads a JSON array of objects. Every value keeps its original text: numbers are never
/// turned into floating point. Keys are columns, matched as header names are; an object that
/// gives a key twice (which JSON readers usually settle silently, by keeping the last) is a
/// repeated column.
pub fn read_json(text: &str, file: FileId) -> Result<Table, TableError> {
    let objects: Vec<Entries> = serde_json::from_str(text).map_err(|e| {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum();
        let at = (line_start + e.column().saturating_sub(1)).min(text.len());
        TableError {
            message: format!(
                "this is not a JSON array of objects: {}",
                strip_position(&e.to_string())
            ),
            span: Span::new(at, at),
        }
    })?;
    let base = text.as_ptr() as usize;
    let offset = |raw: &RawValue| raw.get().as_ptr() as usize - base;
    let mut columns: Vec<Cell> = Vec::new();
    for object in &objects {
        for (key, raw) in &object.0 {
            if !columns.iter().any(|c| same_column(&c.text, key)) {
                columns.push(Cell {
                    text: key.clone(),
                    span: key_span(text, offset(raw)),
                });
            }
        }
    }
    let mut rows = Vec::new();
    let mut repeats: Vec<Repeat<Span>> = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        let mut cells: Vec<Option<Cell>> = vec![None; columns.len()];
        let mut span: Option<Span> = None;
        for (position, (key, raw)) in object.0.iter().enumerate() {
            let Some(column) = columns.iter().position(|c| same_column(&c.text, key)) else {
                continue;
            };
            let start = offset(raw);
            let cell_span = Span::new(start, start + raw.get().len());
            span = Some(span.map_or(cell_span, |s| s.cover(cell_span)));
            if cells[column].is_some() {
                // The first key of the object with this name.
                let earlier = object.0[..position]
                    .iter()
                    .find(|(k, _)| same_column(k, key));
                if let Some((first_key, first_raw)) = earlier {
                    if !repeats.iter().any(|r| same_column(&r.name, key)) {
                        repeats.push(Repeat {
                            name: first_key.trim().to_string(),
                            again_text: key.trim().to_string(),
                            first: key_span(text, offset(first_raw)),
                            again: key_span(text, start),
                            times: object.0.iter().filter(|(k, _)| same_column(k, key)).count(),
                        });
                    }
                }
                continue;
            }
            let value = raw.get();
            let text = if value.starts_with('"') {
                serde_json::from_str::<String>(value).unwrap_or_else(|_| value.to_string())
            } else if value == "null" {
                String::new()
            } else {
                value.to_string()
            };
            cells[column] = Some(Cell {
                text,
                span: cell_span,
            });
        }
        rows.push(Row {
            number: index + 1,
            span: span.unwrap_or_default(),
            cells,
        });
    }
    Ok(Table {
        file,
        columns,
        rows,
        repeats,
    })
}

/// The keys and values of one JSON object in the order written, keeping a key given twice.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Visit<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Entries<'a>, M::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit(PhantomData))
    }
}

/// The span of the key (inside its quotes) whose value starts at `value`, found by reading
/// back over the colon; an empty span at the value if the text is not shaped so.
fn key_span(text: &str, value: usize) -> Span {
    let bytes = text.as_bytes();
    let before = text[..value].trim_end();
    let Some(before) = before.strip_suffix(':').map(str::trim_end) else {
        return Span::new(value, value);
    };
    let Some(end) = before.len().checked_sub(1).filter(|&e| bytes[e] == b'"') else {
        return Span::new(value, value);
    };
    let escaped = |at: usize| {
        bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count()
            % 2
            == 1
    };
    match (0..end).rev().find(|&at| bytes[at] == b'"' && !escaped(at)) {
        Some(open) => Span::new(open + 1, end),
        None => Span::new(value, value),
    }
}

fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_know_where_they_are() {
        let text = "indicator,period,value\nstill_home_91,\"2016/17 Q1\",86.5\n";
        let table = read_csv(text, FileId(0)).expect("reads");
        let cell = table.rows[0].cells[1].as_ref().expect("cell");
        assert_eq!(cell.text, "2016/17 Q1");
        assert_eq!(&text[cell.span.start..cell.span.end], "2016/17 Q1");
        let value = table.rows[0].cells[2].as_ref().expect("cell");
        assert_eq!(&text[value.span.start..value.span.end], "86.5");
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let text = r#"[{"indicator": "a", "value": 0.1000000000000000055511151231257827}]"#;
        let table = read_json(text, FileId(0)).expect("reads");
        let value = table.rows[0].cells[table.column("value").expect("column")]
            .as_ref()
            .expect("cell");
        assert_eq!(value.text, "0.1000000000000000055511151231257827");
        assert_eq!(&text[value.span.start..value.span.end], value.text);
    }

    #[test]
    fn empty_cells_past_the_header_are_not_extra() {
        let text = "indicator,period,value,,\na,2016/17 Q1,90,,\nb,2016/17 Q2,90, ,,x,y\n";
        let table = read_csv(text, FileId(0)).expect("reads");
        assert_eq!(table.columns.len(), 3, "empty header cells name no column");
        let texts = |row: &Row| -> Vec<String> {
            row.cells
                .iter()
                .map(|c| c.as_ref().map(|c| c.text.clone()).unwrap_or_default())
                .collect()
        };
        let extra = |row: &Row| extra_cells(texts(row).iter().map(String::as_str), 3);
        assert_eq!(extra(&table.rows[0]), None);
        let found = extra(&table.rows[1]).expect("extra cells");
        assert_eq!((found.first, found.cells, found.filled), (5, 7, 2));
    }

    #[test]
    fn repeated_header_names_are_found_once_as_the_readers_match_them() {
        let found = repeats(["indicator", "numerator", " Numerator ", "numerator", ""]);
        assert_eq!(found.len(), 1);
        let repeat = &found[0];
        assert_eq!((repeat.first, repeat.again, repeat.times), (1, 2, 3));
        assert_eq!(
            (repeat.name.as_str(), repeat.again_text.as_str()),
            ("numerator", "Numerator")
        );
        assert!(repeats(["indicator", "period", "value"]).is_empty());
    }

    #[test]
    fn json_keys_given_twice_are_repeats_and_other_capitals_are_one_column() {
        let text =
            r#"[{"indicator": "a", "value": 1, "value": 2}, {"indicator": "a", "Value": 3}]"#;
        let table = read_json(text, FileId(0)).expect("reads");
        assert_eq!(table.columns.len(), 2);
        let repeat = &table.repeats[0];
        assert_eq!(&text[repeat.first.start..repeat.first.end], "value");
        assert_eq!(
            repeat.again.start,
            text.rfind("\"value\"").expect("key") + 1
        );
        let value = table.column("value").expect("column");
        let cell = table.rows[1].cells[value].as_ref().expect("cell");
        assert_eq!(cell.text, "3");
        assert_eq!(
            &text[table.columns[0].span.start..table.columns[0].span.end],
            "indicator"
        );
    }

    #[test]
    fn bad_json_says_where() {
        let error = read_json("[{\"a\": 1,}]", FileId(0)).expect_err("trailing comma");
        assert!(
            error
                .message
                .starts_with("this is not a JSON array of objects"),
            "{}",
            error.message
        );
    }
}
