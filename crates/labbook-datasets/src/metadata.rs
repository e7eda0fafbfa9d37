//! A dataset card's YAML metadata, in the Hugging Face format, read as the Hub reads it.
//!
//! The Hub accepts a card whose keys have unexpected shapes (a licence list, a language
//! string) and shows what it understands. So the block is read as YAML values: a known key
//! of the wrong type is a warning at its line and column and is ignored; an unknown key is
//! kept for the page's "More metadata" panel (a near miss of a known key is a warning). Only
//! what makes the data unreadable is an error: a `configs` entry that names no files, or a
//! split without a path.

use std::path::Path;

use serde_yaml::Value;

use labbook_core::diagnostic::Diagnostic;
use labbook_models::licenses::{LICENSES, TASKS};
use labbook_models::metadata::{locate, Seg};

/// The metadata block, as far as labbook reads it.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// The name shown instead of the id.
    pub pretty_name: Option<String>,
    /// Hub licence ids (a card may give several).
    pub license: Vec<String>,
    /// The licence's name when `license: other`.
    pub license_name: Option<String>,
    /// Where the licence text is.
    pub license_link: Option<String>,
    /// ISO 639 codes of the languages of the data.
    pub language: Vec<String>,
    /// Hub task ids (`text-classification`, `tabular-classification`...).
    pub task_categories: Vec<String>,
    /// Finer task ids (`sentiment-classification`).
    pub task_ids: Vec<String>,
    /// The Hub's size buckets (`n<1K`, `1K<n<10K`...).
    pub size_categories: Vec<String>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Datasets this one was made from (`original`, `extended|glue`).
    pub source_datasets: Vec<String>,
    /// Who annotated it (`expert-generated`, `crowdsourced`...).
    pub annotations_creators: Vec<String>,
    /// Who wrote the language data.
    pub language_creators: Vec<String>,
    /// `monolingual`, `multilingual`...
    pub multilinguality: Vec<String>,
    /// The configurations and their files (`configs`).
    pub configs: Vec<ConfigSpec>,
    /// Declared features per configuration (`dataset_info`), by config name (`default`
    /// when the card gives one unnamed block).
    pub features: Vec<(String, Vec<FeatureSpec>)>,
}

/// One `configs` entry.
#[derive(Debug, Clone)]
pub struct ConfigSpec {
    /// `config_name` (`default`).
    pub name: String,
    /// Splits in card order, each with its patterns.
    pub splits: Vec<SplitSpec>,
    /// Where the entry is in the file, for messages.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The CSV separator the entry gives (`sep: ";"`), if any.
    pub sep: Option<u8>,
}

/// One split of a configuration and the globs that give its files.
#[derive(Debug, Clone)]
pub struct SplitSpec {
    /// `train`, `test`...
    pub name: String,
    /// Glob patterns relative to the card's folder.
    pub patterns: Vec<String>,
    /// Where the split (or its pattern) is written, for messages.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// One declared column (`dataset_info.features`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureSpec {
    /// The column name.
    pub name: String,
    /// `int64`, `string`, `image`, `class_label`, `sequence`...
    pub dtype: String,
    /// Class names, for a `class_label` column, in label order.
    pub names: Vec<String>,
}

/// The top-level keys [`Metadata`] reads; every other key is "more metadata".
pub const KNOWN_KEYS: &[&str] = &[
    "pretty_name",
    "license",
    "license_name",
    "license_link",
    "language",
    "task_categories",
    "task_ids",
    "size_categories",
    "tags",
    "source_datasets",
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "configs",
    "dataset_info",
];

/// The Hub's size buckets.
pub const SIZE_CATEGORIES: &[&str] = &[
    "n<1K",
    "1K<n<10K",
    "10K<n<100K",
    "100K<n<1M",
    "1M<n<10M",
    "10M<n<100M",
    "100M<n<1B",
    "1B<n<10B",
    "10B<n<100B",
    "100B<n<1T",
    "n>1T",
];

/// The size bucket of `rows` rows, as the Hub names it.
pub fn size_category(rows: u64) -> &'static str {
    let mut bound = 1_000u64;
    for cat in SIZE_CATEGORIES.iter().take(SIZE_CATEGORIES.len() - 1) {
        if rows < bound {
            return cat;
        }
        bound = bound.saturating_mul(10);
    }
    SIZE_CATEGORIES[SIZE_CATEGORIES.len() - 1]
}

/// The metadata read from `yaml` (the block's text, starting at line `first_line` of
/// `display`), the keys labbook does not read, and the warnings and errors found.
pub struct Parsed {
    /// What labbook reads.
    pub meta: Metadata,
    /// Unknown keys with their values, in card order.
    pub extra: Vec<(String, Value)>,
    /// What the Hub tolerates.
    pub warnings: Vec<Diagnostic>,
    /// What makes the data unreadable.
    pub errors: Vec<Diagnostic>,
}

/// Reads the metadata block. A YAML syntax error is the caller's (it has no value to read).
pub fn read(root: &Value, yaml: &str, display: &Path, first_line: usize) -> Parsed {
    let at = |path: &[Seg], message: String| {
        let (line, column) = locate(yaml, path);
        Diagnostic::new(display, line + first_line - 1, column, message)
    };
    let mut p = Parsed { meta: Metadata::default(), extra: Vec::new(), warnings: Vec::new(), errors: Vec::new() };
    let Value::Mapping(map) = root else {
        if !matches!(root, Value::Null) {
            p.warnings.push(at(&[], "the metadata block is not a mapping of keys; it is ignored".into()));
        }
        return p;
    };
    for (key, value) in map {
        let key = match key {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
        };
        let here = [Seg::Key(&key)];
        let mut text = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Null => None,
                _ => {
                    p.warnings.push(at(&here, format!("`{key}` should be a text value; it is ignored")));
                    None
                }
            }
        };
        match key.as_str() {
            "pretty_name" => p.meta.pretty_name = text(value),
            "license_name" => p.meta.license_name = text(value),
            "license_link" => p.meta.license_link = text(value),
            "license"
            | "language"
            | "task_categories"
            | "task_ids"
            | "size_categories"
            | "tags"
            | "source_datasets"
            | "annotations_creators"
            | "language_creators"
            | "multilinguality" => {
                let list = match string_list(value) {
                    Some(list) => list,
                    None => {
                        p.warnings
                            .push(at(&here, format!("`{key}` should be a text or a list of texts; it is ignored")));
                        Vec::new()
                    }
                };
                let slot = match key.as_str() {
                    "license" => &mut p.meta.license,
                    "language" => &mut p.meta.language,
                    "task_categories" => &mut p.meta.task_categories,
                    "task_ids" => &mut p.meta.task_ids,
                    "size_categories" => &mut p.meta.size_categories,
                    "tags" => &mut p.meta.tags,
                    "source_datasets" => &mut p.meta.source_datasets,
                    "annotations_creators" => &mut p.meta.annotations_creators,
                    "language_creators" => &mut p.meta.language_creators,
                    _ => &mut p.meta.multilinguality,
                };
                *slot = list;
            }
            "configs" => read_configs(value, &at, &mut p),
            "dataset_info" => read_dataset_info(value, &at, &mut p),
            _ => {
                if let Some(known) = near_known_key(&key) {
                    p.warnings.push(at(
                        &here,
                        format!(
                            "unknown key `{key}`: did you mean `{known}`? It is kept and shown under \"More metadata\""
                        ),
                    ));
                }
                p.extra.push((key.clone(), value.clone()));
            }
        }
    }
    check_values(&mut p, &at);
    p
}

/// Licences, tasks and sizes the Hub does not know: warnings at their key.
fn check_values(p: &mut Parsed, at: &dyn Fn(&[Seg], String) -> Diagnostic) {
    use Seg::Key;
    let m = &p.meta;
    let w = &mut p.warnings;
    if m.license.is_empty() {
        w.push(at(&[], "the card has no `license`; readers cannot tell whether they may use the data".into()));
    }
    for id in &m.license {
        if id == "other" {
            if m.license_name.is_none() && m.license_link.is_none() {
                w.push(at(
                    &[Key("license")],
                    "`license: other` needs `license_name` or `license_link` too, so readers can find the licence"
                        .into(),
                ));
            }
        } else if !LICENSES.contains(&id.as_str()) {
            w.push(at(&[Key("license")], format!("`{id}` is not a licence id the Hugging Face Hub knows")));
        }
    }
    let unknown: Vec<&str> = m
        .task_categories
        .iter()
        .map(String::as_str)
        .filter(|t| !TASKS.contains(t) && !EXTRA_TASKS.contains(t))
        .collect();
    if !unknown.is_empty() {
        let named: Vec<String> = unknown.iter().map(|t| format!("`{t}`")).collect();
        w.push(at(
            &[Key("task_categories")],
            format!(
                "{} not a task category the Hugging Face Hub knows",
                named.join(", ") + if named.len() == 1 { " is" } else { " are" }
            ),
        ));
    }
    for s in &m.size_categories {
        if !SIZE_CATEGORIES.contains(&s.as_str()) {
            w.push(at(
                &[Key("size_categories")],
                format!("`{s}` is not one of the Hub's size categories ({})", SIZE_CATEGORIES.join(", ")),
            ));
        }
    }
}

/// Task categories dataset cards use that are not pipeline tags of models.
const EXTRA_TASKS: &[&str] =
    &["tabular-to-text", "table-to-text", "multiple-choice", "text-retrieval", "time-series-forecasting", "other"];

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::String(s) => Some(vec![s.clone()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        Value::Sequence(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The known key an unknown one is probably a misspelling of (`licence` -> `license`).
fn near_known_key(key: &str) -> Option<&'static str> {
    let folded = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    KNOWN_KEYS.iter().copied().find(|known| {
        let (a, b) = (folded(key), folded(known));
        a == b
            || (a.len() > 4 && strsim::osa_distance(&a, &b) <= 2)
            || a.trim_end_matches('s') == b.trim_end_matches('s')
    })
}

/// `configs`: each entry's name and its `data_files` (a glob, a list of globs, or a list of
/// `{split, path}` with one glob or a list), as the Hub reads them.
fn read_configs(value: &Value, at: &dyn Fn(&[Seg], String) -> Diagnostic, p: &mut Parsed) {
    use Seg::{Index, Key};
    let Value::Sequence(entries) = value else {
        p.warnings.push(at(&[Key("configs")], "`configs` should be a list of configurations; it is ignored".into()));
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let base = [Key("configs"), Index(i)];
        let (line, column) = at(&base, String::new()).line_column();
        let name = entry.get("config_name").and_then(Value::as_str).unwrap_or("default").to_string();
        let sep = entry.get("sep").and_then(Value::as_str).and_then(|s| s.bytes().next());
        let mut splits = Vec::new();
        let files_at = [base[0], base[1], Key("data_files")];
        let split_here = |name: &str, patterns: Vec<String>, path: &[Seg]| {
            let (line, column) = at(path, String::new()).line_column();
            SplitSpec { name: name.to_string(), patterns, line, column }
        };
        match entry.get("data_files") {
            None => {
                // A config with `data_dir` reads that folder's files as the Hub does.
                match entry.get("data_dir").and_then(Value::as_str) {
                    Some(dir) => splits.push(split_here(
                        "train",
                        vec![format!("{}/**", dir.trim_end_matches('/'))],
                        &[base[0], base[1], Key("data_dir")],
                    )),
                    None => p.errors.push(at(
                        &base,
                        format!("the configuration `{name}` has no `data_files`; give the files of each split (`data_files: [{{split: train, path: data/train.csv}}]`)"),
                    )),
                }
            }
            Some(Value::String(glob)) => splits.push(split_here("train", vec![glob.clone()], &files_at)),
            Some(Value::Sequence(items)) => {
                for (j, item) in items.iter().enumerate() {
                    let item_at = [files_at[0], files_at[1], files_at[2], Index(j)];
                    match item {
                        Value::String(glob) => match splits.iter_mut().find(|s: &&mut SplitSpec| s.name == "train") {
                            Some(s) => s.patterns.push(glob.clone()),
                            None => splits.push(split_here("train", vec![glob.clone()], &item_at)),
                        },
                        Value::Mapping(_) => {
                            let split = item.get("split").and_then(Value::as_str).unwrap_or("train");
                            let patterns = item.get("path").and_then(string_list).unwrap_or_default();
                            if patterns.is_empty() {
                                p.errors.push(at(&item_at, format!("the split `{split}` of `{name}` has no `path`")));
                                continue;
                            }
                            let path_at = [item_at[0], item_at[1], item_at[2], item_at[3], Key("path")];
                            splits.push(split_here(split, patterns, &path_at));
                        }
                        _ => p.errors.push(at(&item_at, "a `data_files` entry is a glob or `{split, path}`".into())),
                    }
                }
            }
            Some(Value::Mapping(map)) => {
                // `data_files: {train: a.csv, test: b.csv}` (the `datasets` library's form).
                for (k, v) in map {
                    let split = k.as_str().unwrap_or("train");
                    let patterns = string_list(v).unwrap_or_default();
                    let at_split = [files_at[0], files_at[1], files_at[2], Key(split)];
                    splits.push(split_here(split, patterns, &at_split));
                }
            }
            Some(_) => p
                .errors
                .push(at(&files_at, "`data_files` is a glob, a list of globs or a list of `{split, path}`".into())),
        }
        p.meta.configs.push(ConfigSpec { name, splits, line, column, sep });
    }
}

/// `dataset_info`: one mapping, or a list of them with `config_name`; only `features` is read.
fn read_dataset_info(value: &Value, at: &dyn Fn(&[Seg], String) -> Diagnostic, p: &mut Parsed) {
    let infos: Vec<&Value> = match value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Mapping(_) => vec![value],
        _ => {
            p.warnings
                .push(at(&[Seg::Key("dataset_info")], "`dataset_info` should be a mapping; it is ignored".into()));
            return;
        }
    };
    for info in infos {
        let config = info.get("config_name").and_then(Value::as_str).unwrap_or("default").to_string();
        let Some(Value::Sequence(features)) = info.get("features") else { continue };
        let specs = features.iter().filter_map(feature_spec).collect();
        p.meta.features.push((config, specs));
    }
}

/// One entry of `features`: `{name, dtype: int64}`, `{name, dtype: {class_label: {names}}}`,
/// `{name, class_label: {names: {'0': a}}}`, `{name, sequence: ...}`, `{name, struct: ...}`.
fn feature_spec(v: &Value) -> Option<FeatureSpec> {
    let name = v.get("name")?.as_str()?.to_string();
    let class_label = v.get("class_label").or_else(|| v.get("dtype").and_then(|d| d.get("class_label")));
    if let Some(cl) = class_label {
        let names = match cl.get("names") {
            Some(Value::Mapping(m)) => {
                let mut pairs: Vec<(i64, String)> = m
                    .iter()
                    .filter_map(|(k, v)| {
                        let k = match k {
                            Value::Number(n) => n.as_i64()?,
                            Value::String(s) => s.parse().ok()?,
                            _ => return None,
                        };
                        Some((k, v.as_str().map(str::to_string).unwrap_or_else(|| yaml_inline(v))))
                    })
                    .collect();
                pairs.sort();
                pairs.into_iter().map(|(_, n)| n).collect()
            }
            Some(Value::Sequence(items)) => items.iter().map(yaml_inline).collect(),
            _ => Vec::new(),
        };
        return Some(FeatureSpec { name, dtype: "class_label".into(), names });
    }
    let dtype = match v.get("dtype") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            other.as_mapping().and_then(|m| m.keys().next()).and_then(Value::as_str).unwrap_or("struct").to_string()
        }
        None => ["sequence", "list", "struct", "image", "audio"]
            .iter()
            .find(|k| v.get(**k).is_some())
            .map_or("unknown", |k| *k)
            .to_string(),
    };
    Some(FeatureSpec { name, dtype, names: Vec::new() })
}

/// A YAML scalar as text.
pub fn yaml_inline(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().replace('\n', " "),
    }
}

trait LineColumn {
    fn line_column(&self) -> (usize, usize);
}

impl LineColumn for Diagnostic {
    fn line_column(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Parsed {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        read(&value, yaml, Path::new("README.md"), 2)
    }

    #[test]
    fn reads_the_hub_keys_in_their_shapes() {
        let p = parse(
            "license: [cc-by-4.0, mit]\nlanguage: en\npretty_name: Iris\ntask_categories:\n- tabular-classification\nsize_categories: n<1K\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*.csv\n  - split: test\n    path: [data/test.csv]\ndataset_info:\n  features:\n  - name: label\n    dtype:\n      class_label:\n        names:\n          '0': setosa\n          '1': versicolor\n  - name: x\n    dtype: float32\n",
        );
        assert!(p.warnings.is_empty() && p.errors.is_empty(), "{:?} {:?}", p.warnings, p.errors);
        assert_eq!(p.meta.license, ["cc-by-4.0", "mit"]);
        assert_eq!(p.meta.language, ["en"]);
        let c = &p.meta.configs[0];
        assert_eq!(c.splits.len(), 2);
        assert_eq!((c.splits[0].name.as_str(), c.splits[0].line), ("train", 12));
        assert_eq!(c.splits[1].patterns, ["data/test.csv"]);
        let f = &p.meta.features[0].1;
        assert_eq!(
            f[0],
            FeatureSpec {
                name: "label".into(),
                dtype: "class_label".into(),
                names: vec!["setosa".into(), "versicolor".into()]
            }
        );
        assert_eq!(f[1].dtype, "float32");
    }

    #[test]
    fn what_the_hub_tolerates_is_a_located_warning() {
        let p = parse("license: not-a-licence\nlanguage: {en: 1}\nsize_categories: huge\nlicence: mit\n");
        let shown: Vec<String> = p.warnings.iter().map(|w| w.to_string()).collect();
        assert!(shown.iter().any(|w| w.starts_with("README.md:2:1: `not-a-licence`")), "{shown:?}");
        assert!(shown.iter().any(|w| w.starts_with("README.md:3:1: `language` should be")), "{shown:?}");
        assert!(shown.iter().any(|w| w.starts_with("README.md:4:1: `huge`")), "{shown:?}");
        assert!(
            shown.iter().any(|w| w.starts_with("README.md:5:1: unknown key `licence`: did you mean `license`")),
            "{shown:?}"
        );
        assert_eq!(p.extra.len(), 1);
    }

    #[test]
    fn a_split_without_path_is_an_error() {
        let p = parse("license: mit\nconfigs:\n- config_name: a\n  data_files:\n  - split: train\n");
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!((p.errors[0].line, p.errors[0].column), (6, 3));
    }

    #[test]
    fn size_buckets() {
        assert_eq!(size_category(150), "n<1K");
        assert_eq!(size_category(1797), "1K<n<10K");
        assert_eq!(size_category(200_000), "100K<n<1M");
    }
}
