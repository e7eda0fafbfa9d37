//! From a card's `configs` to typed splits: the `data_files` globs matched in the card's
//! folder (or the Hub's defaults), the files read and joined, and each column given a type
//! (declared in `dataset_info.features`, else inferred) and a kind the viewer draws.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use serde::Serialize;

use crate::metadata::{ConfigSpec, FeatureSpec, Metadata, SplitSpec};
use crate::table::{self, Cell, Format};
use crate::{Config, Split};
use labbook_core::diagnostic::Diagnostic;

/// What the viewer does with a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Numbers: histogram, min, max, mean.
    Number,
    /// `true`/`false`: counts.
    Bool,
    /// A class label (integers with names): top values.
    Label,
    /// Short strings with few distinct values: top values.
    Category,
    /// Free text: a length histogram.
    Text,
    /// Paths to images in the folder: thumbnails.
    Image,
    /// Anything else (lists, structs as JSON).
    Other,
}

/// One typed column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// The name.
    pub name: String,
    /// The type as the Hub names it (`int64`, `float64`, `string`, `class_label`, `image`...).
    pub dtype: String,
    /// How the viewer shows it.
    pub kind: Kind,
    /// Class names, for a label column.
    pub names: Vec<String>,
}

/// Image file extensions an image column's paths end with.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp"];

/// Every configuration of the card with its data, and the folder's files the page ships
/// (data files and images). Errors: a glob matching no file, an unreadable file, files of
/// one split whose columns differ.
pub fn load_configs(
    dir: &Path,
    display_dir: &Path,
    card_display: &Path,
    meta: &Metadata,
) -> Result<(Vec<Config>, Vec<String>), Vec<Diagnostic>> {
    let all = folder_files(dir)
        .map_err(|e| vec![Diagnostic::file(display_dir, format!("cannot read the dataset folder: {e}"))])?;
    let specs = if meta.configs.is_empty() { default_configs(&all) } else { meta.configs.clone() };
    let mut errors = Vec::new();
    let mut configs = Vec::new();
    let mut shipped: Vec<String> = Vec::new();
    for spec in &specs {
        let declared = meta
            .features
            .iter()
            .find(|(name, _)| *name == spec.name)
            .or_else(|| (meta.features.len() == 1).then(|| &meta.features[0]))
            .map(|(_, f)| f.as_slice())
            .unwrap_or(&[]);
        let mut splits = Vec::new();
        for split in &spec.splits {
            match load_split(dir, display_dir, card_display, &all, spec, split, declared) {
                Ok((s, images)) => {
                    shipped.extend(s.files.iter().cloned());
                    shipped.extend(images);
                    splits.push(s);
                }
                Err(e) => errors.push(e),
            }
        }
        configs.push(Config { name: spec.name.clone(), splits });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    shipped.sort();
    shipped.dedup();
    Ok((configs, shipped))
}

/// Files of the folder, relative and `/`-separated, without hidden ones and the card.
fn folder_files(dir: &Path) -> Result<Vec<String>, walkdir::Error> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("walkdir stays under its root");
            let rel = labbook_core::content::to_slash(rel);
            if rel != "README.md" {
                files.push(rel);
            }
        }
    }
    Ok(files)
}

/// The Hub's defaults without `configs`: every data file of the folder, in the split its
/// path names (`train`, `test`, `validation`/`valid`/`dev`), else `train`.
fn default_configs(files: &[String]) -> Vec<ConfigSpec> {
    let mut splits: Vec<SplitSpec> = Vec::new();
    for f in files.iter().filter(|f| Format::of(f).is_some()) {
        let name = split_of_path(f);
        match splits.iter_mut().find(|s| s.name == name) {
            Some(s) => s.patterns.push(glob_escape(f)),
            None => {
                splits.push(SplitSpec { name: name.to_string(), patterns: vec![glob_escape(f)], line: 1, column: 1 })
            }
        }
    }
    let order = |n: &str| ["train", "validation", "test"].iter().position(|s| *s == n).unwrap_or(3);
    splits.sort_by_key(|s| order(&s.name));
    if splits.is_empty() {
        return Vec::new();
    }
    vec![ConfigSpec { name: "default".into(), splits, line: 1, column: 1, sep: None }]
}

/// The split a file's path names, as the Hub's default split patterns read it.
fn split_of_path(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |names: &[&str]| words.iter().any(|w| names.contains(w));
    if has(&["test", "testing", "eval", "evaluation"]) {
        "test"
    } else if has(&["validation", "valid", "val", "dev"]) {
        "validation"
    } else {
        "train"
    }
}

fn glob_escape(path: &str) -> String {
    path.chars()
        .map(|c| if matches!(c, '*' | '?' | '[' | ']' | '{' | '}') { format!("[{c}]") } else { c.to_string() })
        .collect()
}

fn matcher(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./")).literal_separator(true).build().map(|g| g.compile_matcher())
}

fn load_split(
    dir: &Path,
    display_dir: &Path,
    card_display: &Path,
    all: &[String],
    config: &ConfigSpec,
    spec: &SplitSpec,
    declared: &[FeatureSpec],
) -> Result<(Split, Vec<String>), Diagnostic> {
    let at = |message: String| Diagnostic::new(card_display, spec.line, spec.column, message);
    let mut files: Vec<String> = Vec::new();
    for pattern in &spec.patterns {
        let m = matcher(pattern).map_err(|e| at(format!("`{pattern}` is not a valid glob: {}", e.kind())))?;
        let matched: Vec<&String> = all.iter().filter(|f| m.is_match(f.as_str())).collect();
        if matched.is_empty() {
            return Err(at(format!(
                "`{pattern}` (split `{}` of `{}`) matches no file in {}",
                spec.name,
                config.name,
                display_dir.display()
            )));
        }
        for f in matched {
            if !files.contains(f) {
                files.push(f.clone());
            }
        }
    }
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for f in &files {
        let display = display_dir.join(f);
        let format = Format::of(f).ok_or_else(|| {
            at(format!("`{f}` is not a data file the viewer reads (CSV, TSV, JSON Lines or Parquet)"))
        })?;
        let t = table::read(&dir.join(f), &display, format, config.sep)?;
        if columns.is_empty() {
            columns = t.columns;
        } else if t.columns != columns {
            return Err(Diagnostic::new(
                &display,
                1,
                1,
                format!(
                    "its columns ({}) differ from those of `{}` ({}), in the same split",
                    t.columns.join(", "),
                    files[0],
                    columns.join(", ")
                ),
            ));
        }
        rows.extend(t.rows);
    }
    let mut images = Vec::new();
    let typed: Vec<Column> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (column, found) = type_column(name, i, &rows, declared, all, &files);
            images.extend(found);
            column
        })
        .collect();
    // A label column's class names index its integers; text labels become their index.
    for (i, c) in typed.iter().enumerate() {
        if c.kind == Kind::Label {
            for row in &mut rows {
                if let Cell::Text(t) = &row[i] {
                    if let Some(k) = c.names.iter().position(|n| **n == **t) {
                        row[i] = Cell::Int(k as i64);
                    }
                }
            }
        }
    }
    let split =
        Split { name: spec.name.clone(), files, columns: typed, rows: Arc::new(rows), derived: Default::default() };
    Ok((split, images))
}

/// The column's type and kind, and the image files it names (to ship beside the page).
fn type_column(
    name: &str,
    i: usize,
    rows: &[Vec<Cell>],
    declared: &[FeatureSpec],
    all: &[String],
    files: &[String],
) -> (Column, Vec<String>) {
    let cells = || rows.iter().map(move |r| &r[i]);
    if let Some(d) = declared.iter().find(|d| d.name == name) {
        if d.dtype == "class_label" {
            let column =
                Column { name: name.into(), dtype: d.dtype.clone(), kind: Kind::Label, names: d.names.clone() };
            return (column, Vec::new());
        }
    }
    let (mut ints, mut floats, mut bools, mut texts) = (0usize, 0usize, 0usize, 0usize);
    for c in cells() {
        match c {
            Cell::Int(_) => ints += 1,
            Cell::Float(_) => floats += 1,
            Cell::Bool(_) => bools += 1,
            Cell::Text(_) => texts += 1,
            Cell::Null => {}
        }
    }
    let inferred = if texts > 0 || (bools > 0 && ints + floats > 0) {
        "string"
    } else if bools > 0 {
        "bool"
    } else if floats > 0 {
        "float64"
    } else if ints > 0 {
        "int64"
    } else {
        "null"
    };
    let dtype = declared.iter().find(|d| d.name == name).map_or(inferred.to_string(), |d| d.dtype.clone());
    let mut images = Vec::new();
    let kind = match inferred {
        "float64" | "int64" => Kind::Number,
        "bool" => Kind::Bool,
        "null" => Kind::Other,
        _ => {
            let texts: Vec<&str> =
                cells().filter_map(|c| if let Cell::Text(t) = c { Some(&**t) } else { None }).collect();
            if dtype == "image" || (!texts.is_empty() && texts.iter().all(|t| is_image_path(t))) {
                let base = files.first().and_then(|f| f.rsplit_once('/').map(|(d, _)| d.to_string()));
                for t in &texts {
                    let t = t.trim_start_matches("./");
                    let in_data_dir = base.as_ref().map(|b| format!("{b}/{t}"));
                    if all.iter().any(|f| f == t) {
                        images.push(t.to_string());
                    } else if let Some(p) = in_data_dir.filter(|p| all.contains(p)) {
                        images.push(p);
                    }
                }
                if images.is_empty() && dtype != "image" {
                    Kind::Category
                } else {
                    Kind::Image
                }
            } else if texts.iter().any(|t| t.starts_with('{') || t.starts_with('[')) && dtype != "string" {
                Kind::Other
            } else {
                let distinct: HashSet<&str> = texts.iter().copied().collect();
                let mean_len =
                    texts.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / texts.len().max(1) as f64;
                if distinct.len() <= 30.max(texts.len() / 100).min(200) && mean_len <= 40.0 {
                    Kind::Category
                } else {
                    Kind::Text
                }
            }
        }
    };
    let dtype = if kind == Kind::Image { "image".to_string() } else { dtype };
    (Column { name: name.into(), dtype, kind, names: Vec::new() }, images)
}

fn is_image_path(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    !t.contains('\n') && lower.rsplit_once('.').is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_splits_follow_file_names() {
        assert_eq!(split_of_path("data/train-00000-of-00001.parquet"), "train");
        assert_eq!(split_of_path("test.csv"), "test");
        assert_eq!(split_of_path("data/dev.jsonl"), "validation");
        assert_eq!(split_of_path("iris.csv"), "train");
        let c = default_configs(&["b/test.csv".into(), "a/train.csv".into(), "notes.txt".into()]);
        let names: Vec<&str> = c[0].splits.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["train", "test"]);
    }

    #[test]
    fn globs_match_as_on_the_hub() {
        let m = matcher("data/*.csv").unwrap();
        assert!(m.is_match("data/a.csv"));
        assert!(!m.is_match("data/x/a.csv"));
        assert!(matcher("data/**/*.csv").unwrap().is_match("data/x/a.csv"));
    }

    #[test]
    fn a_glob_that_matches_nothing_is_an_error_at_its_split() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("train.csv"), "a\n1\n").unwrap();
        let yaml = "license: mit\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: train.csv\n  - split: test\n    path: data/test-*.csv\n";
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let card = Path::new("content/datasets/x/README.md");
        let parsed = crate::metadata::read(&value, yaml, card, 2);
        let e = load_configs(dir.path(), Path::new("content/datasets/x"), card, &parsed.meta).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "content/datasets/x/README.md:9:5: `data/test-*.csv` (split `test` of `default`) matches no file in content/datasets/x"
        );
    }
}
