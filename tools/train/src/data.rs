//! The training data: iris and digits from scikit-learn's CSV files, the course's 28 names,
//! and the 1990 US Census given names (`tools/train/data/census-1990-names/`).

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// A labelled table: one row of features per example.
pub struct Table {
    pub x: Vec<Vec<f64>>,
    pub y: Vec<usize>,
    pub labels: Vec<String>,
}

impl Table {
    /// The course's split (see content/ml/learning-from-data.md): rows 4, 9, 14, ... are the
    /// test set. Both files are sorted by class, so every class lands in both halves.
    pub fn split_every_fifth(&self) -> (Table, Table) {
        let pick = |test: bool| Table {
            x: self.x.iter().enumerate().filter(|(i, _)| (i % 5 == 4) == test).map(|(_, r)| r.clone()).collect(),
            y: self.y.iter().enumerate().filter(|(i, _)| (i % 5 == 4) == test).map(|(_, &c)| c).collect(),
            labels: self.labels.clone(),
        };
        (pick(false), pick(true))
    }
}

/// The folder holding iris.csv and digits.csv.gz: the runner's copy when the repository has
/// one, else the artifacts folder the session was given.
pub fn data_dir(repo: &Path, explicit: Option<PathBuf>) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p],
        None => vec![repo.join("runner/data"), PathBuf::from("/work/artifacts/sklearn")],
    };
    for dir in &candidates {
        if dir.join("iris.csv").is_file() && dir.join("digits.csv.gz").is_file() {
            return Ok(dir.clone());
        }
    }
    bail!("no folder with iris.csv and digits.csv.gz among {candidates:?}; pass --data DIR")
}

/// scikit-learn's iris.csv: a header `150,4,setosa,versicolor,virginica`, then rows of
/// four measurements and a class number.
pub fn load_iris(dir: &Path) -> Result<Table> {
    let path = dir.join("iris.csv");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().context("iris.csv is empty")?.split(',').collect();
    let labels = header[2..].iter().map(|s| s.trim().to_string()).collect();
    let (x, y) = parse_rows(lines, 4, &path)?;
    Ok(Table { x, y, labels })
}

/// scikit-learn's digits.csv.gz: 1,797 rows of 64 pixel values (0-16) and the digit.
pub fn load_digits(dir: &Path) -> Result<Table> {
    let path = dir.join("digits.csv.gz");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .with_context(|| format!("unzipping {}", path.display()))?;
    let (x, y) = parse_rows(text.lines(), 64, &path)?;
    Ok(Table { x, y, labels: (0..10).map(|d| d.to_string()).collect() })
}

fn parse_rows<'a>(
    lines: impl Iterator<Item = &'a str>,
    width: usize,
    path: &Path,
) -> Result<(Vec<Vec<f64>>, Vec<usize>)> {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let values: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("{}: row {} is not numbers", path.display(), n + 1))?;
        if values.len() != width + 1 {
            bail!("{}: row {} has {} values, expected {}", path.display(), n + 1, values.len(), width + 1);
        }
        y.push(values[width] as usize);
        x.push(values[..width].to_vec());
    }
    Ok((x, y))
}

/// The 28 names of the bigram chapter, read from the `NAMES = [...]` list of
/// content/ml/code/bigram.py so the model and the chapter never disagree.
pub fn load_names(repo: &Path) -> Result<Vec<String>> {
    let path = repo.join("content/ml/code/bigram.py");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let start = text.find("NAMES = [").with_context(|| format!("{}: no `NAMES = [` list", path.display()))?;
    let end = text[start..].find(']').with_context(|| format!("{}: the NAMES list is not closed", path.display()))?;
    let names: Vec<String> = text[start + 9..start + end]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(bad) = names.iter().find(|n| !n.chars().all(|c| c.is_ascii_lowercase())) {
        bail!("{}: the name `{bad}` is not lowercase a-z", path.display());
    }
    Ok(names)
}

/// The folder of the census name lists, relative to the repository.
pub const CENSUS_NAMES_DIR: &str = "tools/train/data/census-1990-names";

/// The distinct given names of the 1990 US Census lists (female and male), lowercased and
/// sorted, so the split below never depends on the files' frequency order.
pub fn load_census_names(repo: &Path) -> Result<Vec<String>> {
    let mut names = std::collections::BTreeSet::new();
    for file in ["dist.female.first", "dist.male.first"] {
        let path = repo.join(CENSUS_NAMES_DIR).join(file);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let name = line.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase()) {
                bail!("{}:{}: `{name}` is not a name of letters a-z", path.display(), n + 1);
            }
            names.insert(name);
        }
    }
    Ok(names.into_iter().collect())
}

/// Every fifth name (positions 4, 9, 14, ... of the sorted list) is held out; the rest train.
pub fn split_names_every_fifth(names: &[String]) -> (Vec<String>, Vec<String>) {
    let pick =
        |test: bool| names.iter().enumerate().filter(|(i, _)| (i % 5 == 4) == test).map(|(_, n)| n.clone()).collect();
    (pick(false), pick(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fifth_row_is_held_out_and_classes_stay_balanced() {
        let table = Table {
            x: (0..15).map(|i| vec![i as f64]).collect(),
            y: (0..15).map(|i| i / 5).collect(),
            labels: vec!["a".into(), "b".into(), "c".into()],
        };
        let (train, test) = table.split_every_fifth();
        assert_eq!(test.x, [[4.0], [9.0], [14.0]]);
        assert_eq!(test.y, [0, 1, 2]);
        assert_eq!(train.x.len(), 12);
    }

    #[test]
    fn census_names_are_distinct_lowercase_and_split_one_in_five() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let names = load_census_names(&repo).unwrap();
        // 4,275 female and 1,219 male names, 331 of them on both lists.
        assert_eq!(names.len(), 4275 + 1219 - 331);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        let (train, test) = split_names_every_fifth(&names);
        assert_eq!(test.len(), names.len() / 5);
        assert_eq!(train.len() + test.len(), names.len());
        assert!(test.iter().all(|n| !train.contains(n)));
    }
}
