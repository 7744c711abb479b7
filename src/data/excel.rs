//! Excel and OpenDocument workbooks, read with calamine and written out as CSV text. Numbers
//! are stored by Excel as binary floating point; each is written as the shortest decimal that
//! reads back to the same number (what Excel shows), then read exactly like any other text.
//! Dates are serial day numbers counted from 1899-12-30 and become ISO dates.

use std::io::{Error, ErrorKind};
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use jiff::ToSpan;

pub(super) fn sheet_as_csv(path: &Path, sheet: Option<&str>) -> std::io::Result<String> {
    let invalid = |message: String| Error::new(ErrorKind::InvalidData, message);
    let mut workbook =
        open_workbook_auto(path).map_err(|e| invalid(format!("cannot read the workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                invalid(format!(
                    "the workbook has no sheet `{wanted}`; its sheets are {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| invalid("the workbook has no sheets".to_string()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| invalid(format!("cannot read the sheet `{name}`: {e}")))?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        writer
            .write_record(&cells)
            .map_err(|e| invalid(e.to_string()))?;
    }
    let bytes = writer.into_inner().map_err(|e| invalid(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| invalid(e.to_string()))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(serial) => {
            let days = serial.as_f64().floor() as i64;
            jiff::civil::date(1899, 12, 30)
                .checked_add(days.days())
                .map(|d| d.to_string())
                .unwrap_or_else(|_| serial.as_f64().to_string())
        }
        Data::Error(error) => format!("#{error:?}"),
    }
}
