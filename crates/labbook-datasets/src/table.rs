//! Data files read into tables: CSV, TSV, JSON Lines and Parquet.
//!
//! A table is column names and rows of [`Cell`]s; types are inferred after reading
//! ([`infer`]) unless the card declares them. Every malformed file is an error at its
//! place: a ragged CSV row at its line, a JSON Lines error at line and column, a Parquet
//! file whose footer is not one at the footer's byte offset.

use std::path::Path;

use labbook_core::diagnostic::Diagnostic;

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Missing (an empty CSV field, `null`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text (and, for nested JSON or Parquet values, their JSON).
    Text(Box<str>),
}

impl Cell {
    /// The value as a number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            Cell::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    /// The value as text, for filtering and display.
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format_float(*f),
            Cell::Text(t) => t.to_string(),
        }
    }

    /// The value as JSON, for the row shards.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Bool(b) => (*b).into(),
            Cell::Int(i) => (*i).into(),
            Cell::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Cell::Text(t) => serde_json::Value::String(t.to_string()),
        }
    }
}

/// A float as people write it: `5.1`, `0.25`, `1e-7`; integers without `.0`.
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f}");
        if s.len() > 12 {
            format!("{f:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// Rows read from one file.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names in file order.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// The formats the viewer reads, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated (or the config's `sep`).
    Csv,
    /// Tab-separated.
    Tsv,
    /// One JSON object per line.
    JsonLines,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// The format of a file name, if it is a data file.
    pub fn of(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit('.').next()?;
        match ext {
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::Tsv),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// Reads a data file. `display` names it in messages; `sep` overrides the CSV separator.
pub fn read(path: &Path, display: &Path, format: Format, sep: Option<u8>) -> Result<Table, Diagnostic> {
    match format {
        Format::Csv | Format::Tsv => {
            let bytes = std::fs::read(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))?;
            let delimiter = sep.unwrap_or(if format == Format::Tsv { b'\t' } else { b',' });
            read_delimited(&bytes, display, delimiter)
        }
        Format::JsonLines => {
            let bytes = std::fs::read(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))?;
            read_json_lines(&bytes, display)
        }
        Format::Parquet => read_parquet(path, display),
    }
}

/// A CSV or TSV file with a header line. A row with another number of fields than the
/// header is an error at its line.
pub fn read_delimited(bytes: &[u8], display: &Path, delimiter: u8) -> Result<Table, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(false).from_reader(bytes);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line() as usize);
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                format!(
                    "this row has {len} fields but the header has {expected_len}; every row needs one field per column"
                )
            }
            csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8; save the file as UTF-8".to_string(),
            _ => format!("cannot read the file: {e}"),
        };
        Diagnostic::new(display, line, usize::from(line > 0), message)
    };
    let columns: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(str::to_string).collect();
    if columns.is_empty() {
        return Err(Diagnostic::new(display, 1, 1, "the file has no header line naming its columns"));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push(record.iter().map(parse_field).collect()),
            Err(e) => return Err(csv_error(e)),
        }
    }
    Ok(Table { columns, rows })
}

/// A CSV field's value: empty is missing, then integer, float, boolean, text.
fn parse_field(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        return Cell::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Cell::Int(i);
    }
    if t.bytes().any(|b| b.is_ascii_digit()) {
        if let Ok(f) = t.parse::<f64>() {
            return Cell::Float(f);
        }
    }
    match t {
        "true" | "True" | "TRUE" => Cell::Bool(true),
        "false" | "False" | "FALSE" => Cell::Bool(false),
        _ => Cell::Text(s.into()),
    }
}

/// One JSON object per line; blank lines are skipped. A line that is not an object is an
/// error at its line and column.
pub fn read_json_lines(bytes: &[u8], display: &Path) -> Result<Table, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let lossy = String::from_utf8_lossy(bytes);
        Diagnostic::at_offset(display, &lossy, e.valid_up_to(), 1, "the file is not valid UTF-8; save it as UTF-8")
    })?;
    let mut table = Table::default();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            Diagnostic::new(display, n + 1, e.column().max(1), format!("not valid JSON: {message}"))
        })?;
        let serde_json::Value::Object(map) = value else {
            let column = line.len() - line.trim_start().len() + 1;
            return Err(Diagnostic::new(
                display,
                n + 1,
                column,
                "each line of a JSON Lines file must be one JSON object (`{\"column\": value, ...}`)",
            ));
        };
        let mut row = vec![Cell::Null; table.columns.len()];
        for (key, v) in map {
            let i = *index.entry(key.clone()).or_insert_with(|| {
                table.columns.push(key);
                for r in &mut table.rows {
                    r.push(Cell::Null);
                }
                table.columns.len() - 1
            });
            if row.len() <= i {
                row.resize(i + 1, Cell::Null);
            }
            row[i] = json_cell(v);
        }
        row.resize(table.columns.len(), Cell::Null);
        table.rows.push(row);
    }
    Ok(table)
}

fn json_cell(v: serde_json::Value) -> Cell {
    use serde_json::Value;
    match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(b),
        Value::Number(n) => n.as_i64().map_or_else(|| Cell::Float(n.as_f64().unwrap_or(f64::NAN)), Cell::Int),
        Value::String(s) => Cell::Text(s.into()),
        other => Cell::Text(other.to_string().into()),
    }
}

/// A Parquet file, read with the crate's row API. A file that is not Parquet (its last
/// four bytes are not `PAR1`) or whose footer cannot be read is an error naming the
/// footer's byte offset.
pub fn read_parquet(path: &Path, display: &Path) -> Result<Table, Diagnostic> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let file = std::fs::File::open(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let footer = len.saturating_sub(8);
    let reader = SerializedFileReader::new(file).map_err(|e| {
        Diagnostic::file(
            display,
            format!("not a valid Parquet file: its footer (the last 8 bytes, from byte {footer} of {len}: the metadata length and `PAR1`) cannot be read: {e}"),
        )
    })?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let columns: Vec<String> = schema.root_schema().get_fields().iter().map(|f| f.name().to_string()).collect();
    let mut rows = Vec::new();
    let iter = reader
        .get_row_iter(None)
        .map_err(|e| Diagnostic::file(display, format!("cannot read the Parquet rows: {e}")))?;
    for (n, row) in iter.enumerate() {
        let row =
            row.map_err(|e| Diagnostic::file(display, format!("cannot read row {n} of the Parquet file: {e}")))?;
        let cells = row
            .get_column_iter()
            .map(|(_, field)| match field {
                Field::Null => Cell::Null,
                Field::Bool(b) => Cell::Bool(*b),
                Field::Byte(v) => Cell::Int(i64::from(*v)),
                Field::Short(v) => Cell::Int(i64::from(*v)),
                Field::Int(v) => Cell::Int(i64::from(*v)),
                Field::Long(v) => Cell::Int(*v),
                Field::UByte(v) => Cell::Int(i64::from(*v)),
                Field::UShort(v) => Cell::Int(i64::from(*v)),
                Field::UInt(v) => Cell::Int(i64::from(*v)),
                Field::ULong(v) => i64::try_from(*v).map_or(Cell::Float(*v as f64), Cell::Int),
                Field::Float(v) => Cell::Float(f64::from(*v)),
                Field::Double(v) => Cell::Float(*v),
                Field::Str(s) => Cell::Text(s.as_str().into()),
                other => Cell::Text(other.to_string().into()),
            })
            .collect();
        rows.push(cells);
    }
    Ok(Table { columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ragged_csv_row_is_an_error_at_its_line() {
        let e = read_delimited(b"a,b\n1,2\n3,4,5\n", Path::new("d.csv"), b',').unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:3:1: this row has 3 fields but the header has 2; every row needs one field per column"
        );
    }

    #[test]
    fn csv_values_are_typed() {
        let t = read_delimited(b"x,y,z\n1,2.5,hi\n,true,\"a,b\"\n", Path::new("d.csv"), b',').unwrap();
        assert_eq!(t.rows[0], vec![Cell::Int(1), Cell::Float(2.5), Cell::Text("hi".into())]);
        assert_eq!(t.rows[1], vec![Cell::Null, Cell::Bool(true), Cell::Text("a,b".into())]);
    }

    #[test]
    fn bad_json_lines_are_errors_at_line_and_column() {
        let e = read_json_lines(b"{\"a\": 1}\n{\"a\": 2,}\n", Path::new("d.jsonl")).unwrap_err();
        assert_eq!((e.line, e.column), (2, 9), "{e}");
        assert!(e.message.starts_with("not valid JSON"), "{e}");
        let e = read_json_lines(b"{\"a\": 1}\n\n  [1]\n", Path::new("d.jsonl")).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3), "{e}");
        let t = read_json_lines(b"{\"a\": 1}\n{\"b\": \"x\", \"a\": null}\n", Path::new("d.jsonl")).unwrap();
        assert_eq!(t.columns, ["a", "b"]);
        assert_eq!(t.rows[0], vec![Cell::Int(1), Cell::Null]);
        assert_eq!(t.rows[1], vec![Cell::Null, Cell::Text("x".into())]);
    }

    #[test]
    fn a_parquet_file_with_a_bad_footer_is_an_error_at_the_footer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.parquet");
        std::fs::write(&path, b"PAR1 not really parquet data, and no footer at all").unwrap();
        let e = read_parquet(&path, Path::new("content/datasets/x/bad.parquet")).unwrap_err();
        assert!(
            e.message.starts_with("not a valid Parquet file: its footer (the last 8 bytes, from byte 42 of 50"),
            "{e}"
        );
        assert_eq!(e.file, Path::new("content/datasets/x/bad.parquet"));
    }

    #[test]
    fn floats_read_as_written() {
        assert_eq!(format_float(5.0), "5");
        assert_eq!(format_float(0.25), "0.25");
        assert_eq!(format_float(1.0 / 3.0), "0.333333");
    }
}
