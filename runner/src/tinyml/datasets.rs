//! The datasets bundled in the runner: iris and digits from scikit-learn (see `runner/data/README.md`).
//!
//! Both are embedded as scikit-learn ships them (a CSV, a gzipped CSV) and parsed on first use;
//! digits stays gzipped in the module because it is 4.5 times smaller that way.
//!
//! And a book's own datasets (`content/datasets/<id>/`), which the build sends with the
//! request as files ([`split_file`]) when the program names them in `load_dataset`
//! ([`load_split`]): the runtime reads nothing else, in wasmtime as in the browser.

use monty_types::{DictPairs, MontyObject};

use super::HostError;

const IRIS_CSV: &str = include_str!("../../data/iris.csv");
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits.csv.gz");

/// The iris column names, in scikit-learn's order.
pub const IRIS_FEATURES: [&str; 4] = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];

/// The iris species, indexed by label.
pub const IRIS_TARGETS: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// Features and labels of a classification dataset.
pub struct Dataset {
    /// One row of features per sample.
    pub x: Vec<Vec<f64>>,
    /// One integer label per sample.
    pub y: Vec<i64>,
}

/// Parses scikit-learn's CSV layout: each row holds the features then the integer label.
/// `header` says whether the first line is scikit-learn's "n_samples,n_features,names…" line.
fn parse_csv(text: &str, header: bool, features: usize) -> Result<Dataset, HostError> {
    let mut data = Dataset { x: Vec::new(), y: Vec::new() };
    for (number, line) in text.lines().enumerate().skip(usize::from(header)) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let bad = || HostError::runtime(format!("bundled dataset, line {}: malformed row", number + 1));
        if fields.len() != features + 1 {
            return Err(bad());
        }
        let row = fields[..features].iter().map(|f| f.trim().parse::<f64>()).collect::<Result<Vec<_>, _>>();
        let label = fields[features].trim().parse::<f64>();
        match (row, label) {
            (Ok(row), Ok(label)) => {
                data.x.push(row);
                data.y.push(label as i64);
            }
            _ => return Err(bad()),
        }
    }
    Ok(data)
}

/// Fisher's iris: 150 rows of 4 measurements, labels 0..3.
pub fn iris() -> Result<Dataset, HostError> {
    parse_csv(IRIS_CSV, true, 4)
}

/// The 8x8 handwritten digits: 1,797 rows of 64 grey levels, labels 0..10.
pub fn digits() -> Result<Dataset, HostError> {
    let raw = gunzip(DIGITS_CSV_GZ)?;
    let text = String::from_utf8(raw).map_err(|_| HostError::runtime("bundled digits data is not UTF-8"))?;
    parse_csv(&text, false, 64)
}

/// The request file that holds split `split` of the book dataset `id`.
pub fn split_file(id: &str, split: &str) -> String {
    format!("datasets/{id}/{split}.json")
}

/// A split as the build ships it (labbook's `crates/labbook-exercises`, `RuntimeData`): its
/// configuration and its columns, each a name and the values in row order (numbers, strings,
/// booleans, `null`; a class label is its number).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippedSplit {
    config: String,
    columns: Vec<(String, Vec<serde_json::Value>)>,
}

/// `load_dataset(id, name, split)` for one split: a dict from column name to the column's
/// values, in the card's column order. `name`, when given, must be the configuration the
/// split was shipped from.
pub fn load_split(file: &str, bytes: &[u8], id: &str, name: Option<&str>) -> Result<MontyObject, HostError> {
    let shipped: ShippedSplit = serde_json::from_slice(bytes)
        .map_err(|e| HostError::runtime(format!("load_dataset: the build's file {file} is not valid: {e}")))?;
    if let Some(name) = name.filter(|n| *n != shipped.config) {
        return Err(HostError::value(format!(
            "load_dataset: `{id}` was sent with configuration `{}`, not `{name}` (one configuration of a dataset per program)",
            shipped.config
        )));
    }
    let columns = shipped
        .columns
        .into_iter()
        .map(|(column, values)| {
            let values = values.into_iter().map(cell).collect();
            (MontyObject::String(column), MontyObject::List(values))
        })
        .collect::<Vec<_>>();
    Ok(MontyObject::Dict(DictPairs::from(columns)))
}

fn cell(value: serde_json::Value) -> MontyObject {
    match value {
        serde_json::Value::Null => MontyObject::None,
        serde_json::Value::Bool(b) => MontyObject::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => MontyObject::Int(i),
            None => MontyObject::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => MontyObject::String(s),
        // The build writes only scalars.
        other => MontyObject::String(other.to_string()),
    }
}

/// Decompresses a single-member gzip file (RFC 1952), skipping the optional header fields.
fn gunzip(data: &[u8]) -> Result<Vec<u8>, HostError> {
    let corrupt = || HostError::runtime("bundled digits data is not a valid gzip file");
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err(corrupt());
    }
    let flags = data[3];
    let mut pos = 10;
    if flags & 0x04 != 0 {
        let extra = usize::from(u16::from_le_bytes([data[pos], data[pos + 1]]));
        pos += 2 + extra;
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            pos += data.get(pos..).and_then(|rest| rest.iter().position(|b| *b == 0)).ok_or_else(corrupt)? + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    let body = data.get(pos..data.len() - 8).ok_or_else(corrupt)?;
    miniz_oxide::inflate::decompress_to_vec(body).map_err(|_| corrupt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_has_150_rows_of_4_and_three_classes() {
        let d = iris().unwrap();
        assert_eq!((d.x.len(), d.x[0].len()), (150, 4));
        assert_eq!(d.x[0], vec![5.1, 3.5, 1.4, 0.2]);
        assert_eq!((d.y[0], d.y[149]), (0, 2));
    }

    #[test]
    fn a_shipped_split_becomes_a_dict_of_columns() {
        let file = br#"{"config":"default","columns":[["x",[1.5,2.0,null]],["label",[0,2,1]],["name",["a","b","c"]],["ok",[true,false,true]]]}"#;
        let MontyObject::Dict(pairs) = load_split("datasets/t/train.json", file, "t", None).unwrap() else { panic!() };
        let pairs: Vec<(MontyObject, MontyObject)> = pairs.into_iter().collect();
        assert_eq!(pairs[0].0, MontyObject::String("x".into()));
        assert_eq!(
            pairs[0].1,
            MontyObject::List(vec![MontyObject::Float(1.5), MontyObject::Float(2.0), MontyObject::None])
        );
        assert_eq!(pairs[1].1, MontyObject::List(vec![MontyObject::Int(0), MontyObject::Int(2), MontyObject::Int(1)]));
        assert_eq!(
            pairs[3].1,
            MontyObject::List(vec![MontyObject::Bool(true), MontyObject::Bool(false), MontyObject::Bool(true)])
        );
        assert!(load_split("f", file, "t", Some("default")).is_ok());
        let e = load_split("f", file, "t", Some("other")).unwrap_err();
        assert!(e.message.contains("configuration `default`, not `other`"), "{}", e.message);
        let e = load_split("datasets/t/train.json", b"[1", "t", None).unwrap_err();
        assert!(e.message.contains("datasets/t/train.json is not valid"), "{}", e.message);
    }

    #[test]
    fn digits_has_1797_images_of_64_pixels() {
        let d = digits().unwrap();
        assert_eq!((d.x.len(), d.x[0].len()), (1797, 64));
        assert_eq!(&d.y[..5], &[0, 1, 2, 3, 4]);
        assert!(d.x.iter().flatten().all(|p| (0.0..=16.0).contains(p)));
    }
}
