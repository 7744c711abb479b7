//! Reading a data file into rows of text cells, each cell with its exact place in the file, so
//! that every problem can be reported with file, row and column. CSV is read by the `csv`
//! crate; JSON is an array of objects, read with its values' original text (no floats).

use std::borrow::Cow;
use std::collections::BTreeMap;

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
    pub columns: Vec<Cell>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.text.trim().eq_ignore_ascii_case(name))
    }
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
    let columns = cells(&header, text);
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
/// turned into floating point.
pub fn read_json(text: &str, file: FileId) -> Result<Table, TableError> {
    let objects: Vec<BTreeMap<Cow<str>, &RawValue>> = serde_json::from_str(text).map_err(|e| {
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
    let mut rows = Vec::new();
    for object in &objects {
        for key in object.keys() {
            if !columns.iter().any(|c| c.text == key.as_ref()) {
                let span = object
                    .get(key)
                    .map(|raw| Span::new(offset(raw), offset(raw)))
                    .unwrap_or_default();
                columns.push(Cell {
                    text: key.to_string(),
                    span,
                });
            }
        }
    }
    for (index, object) in objects.iter().enumerate() {
        let mut cells = vec![None; columns.len()];
        let mut span: Option<Span> = None;
        for (key, raw) in object {
            let Some(column) = columns.iter().position(|c| c.text == key.as_ref()) else {
                continue;
            };
            let start = offset(raw);
            let cell_span = Span::new(start, start + raw.get().len());
            span = Some(span.map_or(cell_span, |s| s.cover(cell_span)));
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
    })
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
