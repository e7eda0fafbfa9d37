//! A model card's YAML metadata, in the Hugging Face format, parsed strictly.
//!
//! Typing catches missing and misspelt keys and wrong types (serde_yaml gives their line
//! and column); [`validate`] then checks what types cannot: licences, tasks, and that the
//! widget examples suit the `pipeline_tag`. Those checks locate their key in the text with
//! [`locate`], which follows the block-style YAML that model cards are written in.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};

use super::licenses::{LICENSES, TASKS};
use labbook_core::diagnostic::Diagnostic;

/// The metadata block. Keys labbook does not know are accepted, as the Hub accepts them:
/// [`extra_keys`] lists them (in card order) so the page shows them in its "More metadata"
/// panel, and [`validate`] warns about a key that looks like a typo of a known one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Metadata {
    /// A Hub licence id, or `other` with `license_name` and `license_link`.
    #[serde(default)]
    pub license: Option<String>,
    /// The licence's short name when `license: other`.
    #[serde(default)]
    pub license_name: Option<String>,
    /// Where the licence text is, when `license: other`.
    #[serde(default)]
    pub license_link: Option<String>,
    /// ISO 639-1 codes of the languages the model handles.
    #[serde(default, deserialize_with = "one_or_many")]
    pub language: Vec<String>,
    /// The library that loads it (`transformers`, `tinyml`, ...).
    #[serde(default)]
    pub library_name: Option<String>,
    /// Free-form tags.
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    /// Dataset ids it was trained or evaluated on.
    #[serde(default, deserialize_with = "one_or_many")]
    pub datasets: Vec<String>,
    /// Metric ids it is evaluated with.
    #[serde(default, deserialize_with = "one_or_many")]
    pub metrics: Vec<String>,
    /// The task, which picks the "Try it" inputs.
    #[serde(default)]
    pub pipeline_tag: Option<String>,
    /// Models it was fine-tuned, quantised or merged from.
    #[serde(default, deserialize_with = "one_or_many")]
    pub base_model: Vec<String>,
    /// How it relates to `base_model` (`finetune`, `quantized`, `merge`, `adapter`).
    #[serde(default)]
    pub base_model_relation: Option<String>,
    /// Evaluation results.
    #[serde(default, rename = "model-index")]
    pub model_index: Vec<ModelIndex>,
    /// Example inputs for the "Try it" widget, optionally with the expected output.
    #[serde(default)]
    pub widget: Vec<WidgetExample>,
}

/// The top-level keys [`Metadata`] reads; every other key is "more metadata".
pub const KNOWN_KEYS: &[&str] = &[
    "license",
    "license_name",
    "license_link",
    "language",
    "library_name",
    "tags",
    "datasets",
    "metrics",
    "pipeline_tag",
    "base_model",
    "base_model_relation",
    "model-index",
    "widget",
];

/// The top-level keys of `yaml` that [`Metadata`] does not read, with their values, in the
/// order the card writes them (`extra_gated_prompt`, `inference`, `thumbnail`, ...).
pub fn extra_keys(yaml: &str) -> Vec<(String, serde_yaml::Value)> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| {
            let key = match k {
                serde_yaml::Value::String(s) => s,
                other => serde_yaml::to_string(&other).ok()?.trim().to_string(),
            };
            (!KNOWN_KEYS.contains(&key.as_str())).then_some((key, v))
        })
        .collect()
}

/// The known key an unknown one is probably a misspelling of (`licence` -> `license`).
fn near_known_key(key: &str) -> Option<&'static str> {
    let folded = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    KNOWN_KEYS.iter().copied().find(|known| {
        let (a, b) = (folded(key), folded(known));
        a == b
            || (a.len() > 4 && strsim::osa_distance(&a, &b) <= 1)
            || (a.len() > 4 && a.replace("licence", "license") == b)
    })
}

/// One `model-index` entry: a model name and its results. Keys the schema does not have
/// (`notes:`, `confidence:` on a metric) are ignored with a warning, as the Hub shows such a
/// card ([`validate`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ModelIndex {
    /// The model's name.
    pub name: String,
    /// Results, each for one task on one dataset.
    pub results: Vec<EvalResult>,
}

/// Metrics for one task on one dataset.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EvalResult {
    /// The task.
    pub task: Task,
    /// The dataset; a result without one is shown (and warned about) all the same.
    #[serde(default)]
    pub dataset: Option<Dataset>,
    /// Its metrics.
    pub metrics: Vec<Metric>,
    /// Who measured it.
    #[serde(default)]
    pub source: Option<Source>,
}

/// `task:` of a result.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Task {
    /// A task id (`text-classification`); required.
    #[serde(rename = "type")]
    pub kind: String,
    /// A readable name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `dataset:` of a result.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Dataset {
    /// A dataset id; required.
    #[serde(rename = "type")]
    pub kind: String,
    /// A readable name; required.
    pub name: String,
    /// A configuration (subset) of the dataset.
    #[serde(default)]
    pub config: Option<String>,
    /// The split measured on.
    #[serde(default)]
    pub split: Option<String>,
    /// The dataset revision.
    #[serde(default)]
    pub revision: Option<String>,
    /// Dataset arguments.
    #[serde(default)]
    pub args: Option<serde_yaml::Value>,
}

/// One metric value.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Metric {
    /// A metric id (`accuracy`); required.
    #[serde(rename = "type")]
    pub kind: String,
    /// The value. The Hub shows a card whose value is empty or text; so does labbook
    /// ("—" for a missing value), with a warning.
    #[serde(default)]
    pub value: MetricValue,
    /// A readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// A metric configuration.
    #[serde(default)]
    pub config: Option<String>,
    /// Metric arguments (`average: macro`).
    #[serde(default)]
    pub args: Option<serde_yaml::Value>,
    /// Whether the Hub verified it.
    #[serde(default)]
    pub verified: Option<bool>,
    /// The Hub's verification token.
    #[serde(default, rename = "verifyToken")]
    pub verify_token: Option<String>,
}

/// A metric's `value`: a number, as the schema asks, or what real cards also write.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MetricValue {
    /// A number.
    Number(f64),
    /// Text such as `"31.2 ± 0.4"` or `high`.
    Text(String),
    /// `value:` with nothing after it, or no `value`.
    #[default]
    Missing,
}

impl MetricValue {
    /// The number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            MetricValue::Number(v) => Some(*v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MetricValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, a text or nothing")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MetricValue, E> {
                Ok(MetricValue::Text(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<MetricValue, E> {
                Ok(MetricValue::Text(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<MetricValue, E> {
                Ok(MetricValue::Missing)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<MetricValue, E> {
                Ok(MetricValue::Missing)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `source:` of a result.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Source {
    /// Who.
    pub name: String,
    /// Where.
    #[serde(default)]
    pub url: Option<String>,
}

/// One widget example. `text`, `messages`, `structured_data` and `src` are the Hub's;
/// `pixels` (an 8×8 grey image, 0-16, row by row) and `seed` are labbook's, for inputs the
/// Hub expresses as image URLs or server-side settings. Other keys of the Hub's widgets
/// (`context`, `candidate_labels`, `table`, ...) are accepted; [`widget_entries`] has them.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WidgetExample {
    /// The example's label in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_title: Option<String>,
    /// Text input (text generation, classification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A chat conversation (chat-completion widgets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<ChatMessage>>,
    /// Tabular input: column name -> values (the first row is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structured_data: Option<BTreeMap<String, Vec<f64>>>,
    /// An image file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// An 8×8 image as 64 grey levels from 0 to 16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pixels: Option<Vec<f64>>,
    /// The sampling seed for generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The expected output; `labbook test` checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<WidgetOutput>,
}

/// One message of a chat example.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// What it says.
    #[serde(default)]
    pub content: String,
}

/// An expected widget output.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum WidgetOutput {
    /// Classification scores.
    Labels(Vec<LabelScore>),
    /// Generated text.
    Text {
        /// The text.
        text: String,
    },
    /// Another output the Hub's widgets show (`url: ...` of an image, ...), kept as written.
    Other(serde_yaml::Value),
}

impl<'de> Deserialize<'de> for WidgetOutput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct TextOutput {
            text: String,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = WidgetOutput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of `- label: ..., score: ...` or a map `text: ...`")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<WidgetOutput, A::Error> {
                Vec::<LabelScore>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(WidgetOutput::Labels)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<WidgetOutput, A::Error> {
                let value = serde_yaml::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(match serde_yaml::from_value::<TextOutput>(value.clone()) {
                    Ok(t) => WidgetOutput::Text { text: t.text },
                    Err(_) => WidgetOutput::Other(value),
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// One label with its score.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabelScore {
    /// The label.
    pub label: String,
    /// Its probability.
    pub score: f64,
}

/// A string or a list of strings (the Hub accepts both for `language`, `datasets`, ...).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<String>, A::Error> {
            Vec::<String>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(Visitor)
}

/// Which kind of input a `pipeline_tag` takes in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// Number fields, one per column.
    Tabular,
    /// An 8×8 drawing.
    Image,
    /// A text prompt.
    Text,
}

/// The widget input of a task, or None for tasks the runtime has no widget for.
pub fn input_kind(pipeline_tag: &str) -> Option<InputKind> {
    match pipeline_tag {
        "tabular-classification" | "tabular-regression" => Some(InputKind::Tabular),
        "image-classification" => Some(InputKind::Image),
        "text-generation" | "text-classification" | "fill-mask" | "text2text-generation" => Some(InputKind::Text),
        _ => None,
    }
}

/// The task of a card's widget: its `pipeline_tag`, else what the Hub would infer (the
/// first `model-index` result's task, else the task `library_name` implies), with where it
/// came from. None when nothing names one: the examples are then shown as static text.
pub fn widget_task(meta: &Metadata) -> Option<(String, &'static str)> {
    if let Some(tag) = &meta.pipeline_tag {
        return Some((tag.clone(), "pipeline_tag"));
    }
    let from_index =
        meta.model_index.iter().flat_map(|e| &e.results).map(|r| r.task.kind.trim()).find(|t| !t.is_empty());
    if let Some(task) = from_index {
        return Some((task.to_string(), "model-index"));
    }
    let from_library = match meta.library_name.as_deref()? {
        "sentence-transformers" => "sentence-similarity",
        "diffusers" => "text-to-image",
        "timm" => "image-classification",
        "speechbrain" | "nemo" | "espnet" => "automatic-speech-recognition",
        "sklearn" | "scikit-learn" => "tabular-classification",
        "flair" | "spacy" => "token-classification",
        "fasttext" => "text-classification",
        _ => return None,
    };
    Some((from_library.to_string(), "library_name"))
}

/// The `widget` entries as written, key and value in card order, for showing the keys
/// [`WidgetExample`] does not read (`context`, `candidate_labels`, ...).
pub fn widget_entries(yaml: &str) -> Vec<Vec<(String, serde_yaml::Value)>> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Vec::new();
    };
    let Some(serde_yaml::Value::Sequence(items)) = map.get("widget") else { return Vec::new() };
    items
        .iter()
        .map(|item| match item {
            serde_yaml::Value::Mapping(m) => {
                m.iter().map(|(k, v)| (k.as_str().map(str::to_string).unwrap_or_default(), v.clone())).collect()
            }
            _ => Vec::new(),
        })
        .collect()
}

/// One step of a path into the YAML: a mapping key or a list index.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// `key:`
    Key(&'a str),
    /// The n-th `- ` item (from 0).
    Index(usize),
}

/// The 1-based line and column of the deepest part of `path` found in block-style YAML
/// `text` ((1, 1) when even the first step is missing). Flow-style values (`[a, b]`) are
/// located at their key.
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let content_col = |line: &str| line.len() - line.trim_start().len();
    let mut best = (1, 1);
    // The lines of the current node, and whether its first line starts with "- " (a list item).
    let (mut start, mut end, mut item) = (0usize, lines.len(), false);
    for seg in path {
        match *seg {
            Seg::Key(key) => {
                let mut indent = None;
                let mut found = None;
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let trimmed = line.trim_start();
                    if trimmed.is_empty() || trimmed.starts_with('#') {
                        continue;
                    }
                    let mut col = content_col(line);
                    let mut rest = trimmed;
                    if i == start && item {
                        rest = trimmed.trim_start_matches('-').trim_start();
                        col += trimmed.len() - rest.len();
                    }
                    let indent = *indent.get_or_insert(col);
                    if col != indent {
                        continue;
                    }
                    let quoted = format!("\"{key}\":");
                    if rest.starts_with(&format!("{key}:")) || rest.starts_with(&quoted) {
                        found = Some((i, col));
                        break;
                    }
                }
                let Some((i, col)) = found else { return best };
                best = (i + 1, col + 1);
                let block_end = (i + 1..end)
                    .find(|&j| {
                        let t = lines[j].trim_start();
                        !t.is_empty()
                            && content_col(lines[j]) <= col
                            && !(content_col(lines[j]) == col && t.starts_with('-'))
                    })
                    .unwrap_or(end);
                (start, end, item) = (i + 1, block_end, false);
            }
            Seg::Index(n) => {
                let items: Vec<usize> = (start..end).filter(|&j| lines[j].trim_start().starts_with('-')).collect();
                let Some(indent) = items.iter().map(|&j| content_col(lines[j])).min() else { return best };
                let items: Vec<usize> = items.into_iter().filter(|&j| content_col(lines[j]) == indent).collect();
                let Some(&i) = items.get(n) else { return best };
                best = (i + 1, indent + 1);
                let next = items.get(n + 1).copied().unwrap_or(end);
                (start, end, item) = (i, next, true);
            }
        }
    }
    best
}

/// A step of a path into the metadata, owned (see [`Seg`]).
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(&'static str),
    Index(usize),
}

impl Step {
    fn as_seg(&self) -> Seg<'static> {
        match self {
            Step::Key(k) => Seg::Key(k),
            Step::Index(i) => Seg::Index(*i),
        }
    }
}

/// Keys of `model-index` entries that its schema does not have, with the path to the
/// mapping that holds each, in card order.
fn unknown_model_index_keys(yaml: &str) -> Vec<(Vec<Step>, String)> {
    const ENTRY: &[&str] = &["name", "results"];
    const RESULT: &[&str] = &["task", "dataset", "metrics", "source"];
    const TASK: &[&str] = &["type", "name"];
    const DATASET: &[&str] = &["type", "name", "config", "split", "revision", "args"];
    const METRIC: &[&str] = &["type", "value", "name", "config", "args", "verified", "verifyToken"];
    const SOURCE: &[&str] = &["name", "url"];
    fn check(value: Option<&serde_yaml::Value>, known: &[&str], path: Vec<Step>, out: &mut Vec<(Vec<Step>, String)>) {
        let Some(map) = value.and_then(|v| v.as_mapping()) else { return };
        for key in map.keys().filter_map(|k| k.as_str()) {
            if !known.contains(&key) {
                out.push((path.clone(), key.to_string()));
            }
        }
    }
    let seq = |v: Option<&serde_yaml::Value>| v.and_then(|v| v.as_sequence()).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let Ok(raw) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else { return out };
    for (i, entry) in seq(raw.get("model-index")).iter().enumerate() {
        let at_entry = vec![Step::Key("model-index"), Step::Index(i)];
        check(Some(entry), ENTRY, at_entry.clone(), &mut out);
        for (j, result) in seq(entry.get("results")).iter().enumerate() {
            let at_result = [at_entry.clone(), vec![Step::Key("results"), Step::Index(j)]].concat();
            check(Some(result), RESULT, at_result.clone(), &mut out);
            for (key, known) in [("task", TASK), ("dataset", DATASET), ("source", SOURCE)] {
                check(result.get(key), known, [at_result.clone(), vec![Step::Key(key)]].concat(), &mut out);
            }
            for (k, metric) in seq(result.get("metrics")).iter().enumerate() {
                let at_metric = [at_result.clone(), vec![Step::Key("metrics"), Step::Index(k)]].concat();
                check(Some(metric), METRIC, at_metric, &mut out);
            }
        }
    }
    out
}

/// Problems found by [`validate`]: errors fail the build, warnings are printed.
#[derive(Debug, Default)]
pub struct Findings {
    /// Build-stopping problems.
    pub errors: Vec<Diagnostic>,
    /// Printed and ignored.
    pub warnings: Vec<Diagnostic>,
}

/// Checks what typing cannot. `yaml` is the metadata text, starting at line `first_line`
/// of `display`. What the Hub tolerates is a warning; `has_weights` says whether the model
/// folder has weights the widget could run, which makes unfit widget examples errors.
pub fn validate(meta: &Metadata, yaml: &str, display: &Path, first_line: usize, has_weights: bool) -> Findings {
    let mut f = Findings::default();
    let at = |path: &[Seg], message: String| {
        let (line, column) = locate(yaml, path);
        Diagnostic::new(display, line + first_line - 1, column, message)
    };
    use Seg::{Index, Key};

    match meta.license.as_deref() {
        None => f
            .warnings
            .push(at(&[], "the card has no `license`; readers cannot tell whether they may use the model".into())),
        Some("other") => {
            for key in ["license_name", "license_link"] {
                let missing = if key == "license_name" { &meta.license_name } else { &meta.license_link };
                if missing.as_deref().is_none_or(|v| v.trim().is_empty()) {
                    f.warnings.push(at(
                        &[Key("license")],
                        format!("`license: other` needs `{key}` too, so readers can find the licence"),
                    ));
                }
            }
        }
        Some(id) => {
            if !LICENSES.contains(&id) {
                f.warnings.push(at(
                    &[Key("license")],
                    format!("`{id}` is not a licence id the Hugging Face Hub knows; use one of its ids (`mit`, `apache-2.0`, `cc-by-4.0`, ...), or `license: other` with `license_name` and `license_link`"),
                ));
            }
            // `license_link` beside a known id is common (Qwen's cards link their LICENSE
            // file) and the Hub shows it; `license_name` there is only ignored.
            if meta.license_name.is_some() {
                f.warnings.push(at(
                    &[Key("license_name")],
                    format!("`license_name` only applies with `license: other`, not `license: {id}`; it is ignored"),
                ));
            }
        }
    }
    if let Some(tag) = &meta.pipeline_tag {
        if !TASKS.contains(&tag.as_str()) {
            f.warnings.push(at(&[Key("pipeline_tag")], format!("`{tag}` is not a task the Hugging Face Hub knows")));
        }
    }
    // Task types the Hub does not know (MTEB cards write `Retrieval`, `STS`, ...): one
    // warning per card, at the first, naming them all.
    let mut unknown_tasks: Option<(Diagnostic, Vec<&str>)> = None;
    for (i, entry) in meta.model_index.iter().enumerate() {
        let base = [Key("model-index"), Index(i)];
        if entry.name.trim().is_empty() {
            f.errors.push(at(&[base[0], base[1], Key("name")], "`model-index` entries need a non-empty `name`".into()));
        }
        if entry.results.is_empty() {
            f.errors.push(at(
                &[base[0], base[1], Key("results")],
                "`results` is empty: list at least one task, dataset and metrics".into(),
            ));
        }
        for (j, result) in entry.results.iter().enumerate() {
            let r = [base[0], base[1], Key("results"), Index(j)];
            let path = |tail: &[Seg<'static>]| [&r[..], tail].concat();
            if result.task.kind.trim().is_empty() {
                f.errors.push(at(&path(&[Key("task"), Key("type")]), "`task.type` must not be empty".into()));
            } else if !TASKS.contains(&result.task.kind.as_str()) {
                let (_, kinds) = unknown_tasks
                    .get_or_insert_with(|| (at(&path(&[Key("task"), Key("type")]), String::new()), Vec::new()));
                if !kinds.contains(&result.task.kind.as_str()) {
                    kinds.push(&result.task.kind);
                }
            }
            match &result.dataset {
                Some(dataset) => {
                    for (key, value) in [("type", &dataset.kind), ("name", &dataset.name)] {
                        if value.trim().is_empty() {
                            f.errors.push(at(
                                &path(&[Key("dataset"), Key(key)]),
                                format!("`dataset.{key}` must not be empty"),
                            ));
                        }
                    }
                }
                None => f.warnings.push(at(
                    &path(&[Key("task")]),
                    "this `model-index` result names no `dataset`; its metrics are shown without one".into(),
                )),
            }
            if result.metrics.is_empty() {
                f.errors.push(at(
                    &path(&[Key("metrics")]),
                    "`metrics` is empty: give at least one `type` and `value`".into(),
                ));
            }
            for (k, metric) in result.metrics.iter().enumerate() {
                if metric.kind.trim().is_empty() {
                    f.errors.push(at(
                        &path(&[Key("metrics"), Index(k), Key("type")]),
                        "a metric's `type` must not be empty".into(),
                    ));
                }
                let value_at = path(&[Key("metrics"), Index(k), Key("value")]);
                match &metric.value {
                    MetricValue::Number(v) if !v.is_finite() => f.errors.push(at(
                        &value_at,
                        format!("the metric `{}` has the value {v}; expected a finite number", metric.kind),
                    )),
                    MetricValue::Number(_) => {}
                    MetricValue::Text(text) => f.warnings.push(at(
                        &value_at,
                        format!(
                            "the metric `{}` has the value `{text}`, which is not a number; it is shown as written",
                            metric.kind
                        ),
                    )),
                    MetricValue::Missing => f.warnings.push(at(
                        &value_at,
                        format!("the metric `{}` has no value; it is shown as \"—\"", metric.kind),
                    )),
                }
            }
        }
    }
    if let Some((mut warning, kinds)) = unknown_tasks {
        let named: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
        warning.message = match named.as_slice() {
            [one] => format!("{one} is not a task the Hugging Face Hub knows"),
            many => format!(
                "{} are not tasks the Hugging Face Hub knows; their results are shown under them as written",
                many.join(", ")
            ),
        };
        f.warnings.push(warning);
    }
    for (path, key) in unknown_model_index_keys(yaml) {
        let mut segs: Vec<Seg> = path.iter().map(|p| p.as_seg()).collect();
        segs.push(Key(&key));
        f.warnings.push(at(&segs, format!("`model-index` has no key `{key}` here; it is ignored")));
    }
    for (key, _) in extra_keys(yaml) {
        if let Some(known) = near_known_key(&key) {
            f.warnings.push(at(
                &[Key(&key)],
                format!("unknown key `{key}`: did you mean `{known}`? It is kept and shown under \"More metadata\""),
            ));
        }
    }
    validate_widget(meta, &at, &mut f, has_weights);
    f
}

fn validate_widget(meta: &Metadata, at: &dyn Fn(&[Seg], String) -> Diagnostic, f: &mut Findings, has_weights: bool) {
    use Seg::{Index, Key};
    if meta.widget.is_empty() {
        return;
    }
    // The examples' own pixel images are labbook's; malformed, they are always an error.
    for (i, example) in meta.widget.iter().enumerate() {
        let at_pixels = [Key("widget"), Index(i), Key("pixels")];
        match &example.pixels {
            Some(p) if p.len() != 64 => f.errors.push(at(
                &at_pixels,
                format!("widget example {}: `pixels` has {} values; an 8×8 image has 64", i + 1, p.len()),
            )),
            Some(p) if p.iter().any(|v| !(0.0..=16.0).contains(v)) => f
                .errors
                .push(at(&at_pixels, format!("widget example {}: `pixels` are grey levels from 0 to 16", i + 1))),
            _ => {}
        }
    }
    let tag = match widget_task(meta) {
        Some((tag, "pipeline_tag")) => tag,
        Some((tag, source)) => {
            f.warnings.push(at(
                &[Key("widget")],
                format!(
                    "`widget` without `pipeline_tag`: the task `{tag}` is inferred from `{source}`, as the Hub does"
                ),
            ));
            tag
        }
        None => {
            f.warnings.push(at(
                &[Key("widget")],
                "`widget` without `pipeline_tag`, `model-index` or a known `library_name`: the task is unknown, so the examples are shown as static text".into(),
            ));
            return;
        }
    };
    let tag = tag.as_str();
    let kind = input_kind(tag);
    for (i, example) in meta.widget.iter().enumerate() {
        let here = |key: &'static str| [Key("widget"), Index(i), Key(key)];
        let item = [Key("widget"), Index(i)];
        // Only examples a runnable model will be given must fit its inputs; the Hub shows
        // any example as it is.
        let mut error = |path: &[Seg], m: String| {
            let d = at(path, format!("widget example {}: {m}", i + 1));
            if has_weights {
                f.errors.push(d)
            } else {
                f.warnings.push(d)
            }
        };
        match kind {
            Some(InputKind::Tabular) => match &example.structured_data {
                None => {
                    error(&item, format!("a `{tag}` example needs `structured_data` (column name -> list of values)"))
                }
                Some(columns) if columns.is_empty() || columns.values().any(|v| v.is_empty()) => {
                    error(&here("structured_data"), "every column of `structured_data` needs at least one value".into())
                }
                Some(_) => {}
            },
            Some(InputKind::Image) if example.pixels.is_none() && example.src.is_none() => {
                error(&item, format!("a `{tag}` example needs `pixels` (64 grey levels) or `src`"))
            }
            Some(InputKind::Text) if example.text.is_none() && example.messages.is_none() => {
                error(&item, format!("a `{tag}` example needs `text`"))
            }
            _ => {}
        }
        match (&example.output, kind) {
            (Some(WidgetOutput::Text { .. }), Some(InputKind::Tabular | InputKind::Image)) => error(
                &here("output"),
                format!("a `{tag}` model outputs label scores (`- label: ..., score: ...`), not text"),
            ),
            (Some(WidgetOutput::Labels(labels)), _) => {
                if labels.is_empty() {
                    error(&here("output"), "`output` lists no labels".into());
                }
                if let Some(bad) = labels.iter().find(|l| !(0.0..=1.0).contains(&l.score)) {
                    error(
                        &here("output"),
                        format!("the score of `{}` is {}; scores are probabilities from 0 to 1", bad.label, bad.score),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "license: mit\ntags:\n- a\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: text-generation\n    dataset:\n      type: d\n      name: D\n    metrics:\n    - type: accuracy\n      value: 0.5\n    - type: loss\n      value: 1.5\nwidget:\n- text: hi\n- text: there\n  output:\n    text: x\n";

    #[test]
    fn locates_nested_keys_and_items() {
        use Seg::{Index, Key};
        assert_eq!(locate(CARD, &[Key("license")]), (1, 1));
        assert_eq!(locate(CARD, &[Key("model-index"), Index(0), Key("name")]), (5, 3));
        let metric = [Key("model-index"), Index(0), Key("results"), Index(0), Key("metrics"), Index(1), Key("value")];
        assert_eq!(locate(CARD, &metric), (16, 7));
        assert_eq!(
            locate(CARD, &[Key("model-index"), Index(0), Key("results"), Index(0), Key("task"), Key("type")]),
            (8, 7)
        );
        assert_eq!(locate(CARD, &[Key("widget"), Index(1)]), (19, 1));
        assert_eq!(locate(CARD, &[Key("widget"), Index(1), Key("output")]), (20, 3));
        assert_eq!(locate(CARD, &[Key("widget"), Index(5)]), (17, 1), "a missing item stays at its parent");
    }

    #[test]
    fn unknown_keys_are_kept_and_typos_named() {
        let yaml = "license: mit\nlicence: mit\nextra_gated_prompt: Agree?\ninference: false\n";
        let meta: Metadata = serde_yaml::from_str(yaml).unwrap();
        let keys: Vec<String> = extra_keys(yaml).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["licence", "extra_gated_prompt", "inference"]);
        let f = validate(&meta, yaml, Path::new("c.md"), 2, false);
        assert!(f.errors.is_empty());
        assert_eq!(f.warnings.len(), 1, "only the likely typo warns: {:?}", f.warnings);
        assert_eq!((f.warnings[0].line, f.warnings[0].column), (3, 1));
        assert!(f.warnings[0].message.contains("did you mean `license`"));
        assert_eq!(near_known_key("pipeline-tag"), Some("pipeline_tag"));
        assert_eq!(near_known_key("base_modle"), Some("base_model"));
        assert_eq!(near_known_key("extra_gated_fields"), None);
    }

    #[test]
    fn metric_values_may_be_text_or_missing() {
        let yaml = "model-index:\n- name: m\n  results:\n  - task:\n      type: translation\n    dataset:\n      type: d\n      name: D\n    metrics:\n    - type: a\n      value:\n    - type: b\n      value: 31.2 ± 0.4\n    - type: c\n      value: 3\n    - type: d\n";
        let meta: Metadata = serde_yaml::from_str(yaml).unwrap();
        let values: Vec<&MetricValue> = meta.model_index[0].results[0].metrics.iter().map(|m| &m.value).collect();
        assert_eq!(
            values,
            [
                &MetricValue::Missing,
                &MetricValue::Text("31.2 ± 0.4".into()),
                &MetricValue::Number(3.0),
                &MetricValue::Missing
            ]
        );
        let f = validate(&meta, yaml, Path::new("c.md"), 2, false);
        let at: Vec<(usize, usize)> = f.warnings.iter().map(|w| (w.line, w.column)).collect();
        // The licence warning, then the values of a, b (at `value:`) and d (at its item).
        assert_eq!(at, [(2, 1), (12, 7), (14, 7), (17, 5)], "{:?}", f.warnings);
    }

    #[test]
    fn widget_task_is_inferred_like_the_hub() {
        let task = |yaml: &str| widget_task(&serde_yaml::from_str::<Metadata>(yaml).unwrap());
        assert_eq!(task("pipeline_tag: fill-mask\n"), Some(("fill-mask".into(), "pipeline_tag")));
        assert_eq!(
            task("model-index:\n- name: m\n  results:\n  - task:\n      type: translation\n    dataset:\n      type: d\n      name: D\n    metrics: []\n"),
            Some(("translation".into(), "model-index"))
        );
        assert_eq!(task("library_name: sentence-transformers\n"), Some(("sentence-similarity".into(), "library_name")));
        assert_eq!(task("library_name: transformers\n"), None, "transformers serves every task");
    }

    #[test]
    fn typed_errors_carry_positions() {
        let e = serde_yaml::from_str::<Metadata>(
            "model-index:\n- name: m\n  results:\n  - task:\n      type: t\n    dataset:\n      type: d\n    metrics: []\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("missing field `name`"), "{e}");
        assert!(e.location().is_some());
    }

    #[test]
    fn licence_rules() {
        let check = |yaml: &str| {
            let meta: Metadata = serde_yaml::from_str(yaml).unwrap();
            validate(&meta, yaml, Path::new("c.md"), 2, false)
        };
        assert!(check("license: mit\n").errors.is_empty());
        let f = check("tags: [x]\nlicense: made-up\n");
        assert!(f.errors.is_empty());
        assert_eq!(f.warnings[0].line, 3, "{}", f.warnings[0]);
        assert!(f.warnings[0].message.contains("`made-up` is not a licence id"));
        let f = check("license: other\nlicense_name: x\n");
        assert!(f.errors.is_empty(), "the Hub shows it; a warning");
        assert!(f.warnings[0].message.contains("`license_link`"), "{}", f.warnings[0]);
        assert!(check("license: apache-2.0\nlicense_link: LICENSE\n").warnings.is_empty(), "Qwen's cards do this");
        assert!(check("license: other\nlicense_name: x\nlicense_link: LICENSE\n").errors.is_empty());
    }
}
