//! The datasets bundled in the runner: iris and digits from scikit-learn (see `runner/data/README.md`).
//!
//! Both are embedded as scikit-learn ships them (a CSV, a gzipped CSV) and parsed on first use;
//! digits stays gzipped in the module because it is 4.5 times smaller that way.

use super::HostError;

const IRIS_CSV: &str = include_str!("../../data/iris.csv");
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits.csv.gz");

/// The iris column names, in scikit-learn's order.
pub const IRIS_FEATURES: [&str; 4] = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];

/// The iris species, indexed by label.
pub const IRIS_TARGETS: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// Features and labels of a classification dataset.
pub struct Dataset {
    pub x: Vec<Vec<f64>>,
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
    fn digits_has_1797_images_of_64_pixels() {
        let d = digits().unwrap();
        assert_eq!((d.x.len(), d.x[0].len()), (1797, 64));
        assert_eq!(&d.y[..5], &[0, 1, 2, 3, 4]);
        assert!(d.x.iter().flatten().all(|p| (0.0..=16.0).contains(p)));
    }
}
