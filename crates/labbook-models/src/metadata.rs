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

/// The metadata block. Keys the Hub knows but labbook does not use are accepted and kept
/// out of the way; anything else is an error, so a typo such as `licence:` is caught.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
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
    /// Hub keys labbook accepts and does not show.
    #[serde(default, skip_serializing)]
    pub thumbnail: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing)]
    #[allow(missing_docs)]
    pub inference: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing)]
    #[allow(missing_docs)]
    pub co2_eq_emissions: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing)]
    #[allow(missing_docs)]
    pub new_version: Option<serde_yaml::Value>,
}

/// One `model-index` entry: a model name and its results.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelIndex {
    /// The model's name.
    pub name: String,
    /// Results, each for one task on one dataset.
    pub results: Vec<EvalResult>,
}

/// Metrics for one task on one dataset.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvalResult {
    /// The task.
    pub task: Task,
    /// The dataset.
    pub dataset: Dataset,
    /// Its metrics.
    pub metrics: Vec<Metric>,
    /// Who measured it.
    #[serde(default)]
    pub source: Option<Source>,
}

/// `task:` of a result.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// A task id (`text-classification`); required.
    #[serde(rename = "type")]
    pub kind: String,
    /// A readable name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `dataset:` of a result.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// A metric id (`accuracy`); required.
    #[serde(rename = "type")]
    pub kind: String,
    /// The value; required.
    pub value: f64,
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

/// `source:` of a result.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Who.
    pub name: String,
    /// Where.
    #[serde(default)]
    pub url: Option<String>,
}

/// One widget example. `text`, `structured_data` and `src` are the Hub's; `pixels` (an 8×8
/// grey image, 0-16, row by row) and `seed` are labbook's, for inputs the Hub expresses as
/// image URLs or server-side settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetExample {
    /// The example's label in the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_title: Option<String>,
    /// Text input (text generation, classification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
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
                TextOutput::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|t| WidgetOutput::Text { text: t.text })
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

/// Problems found by [`validate`]: errors fail the build, warnings are printed.
#[derive(Debug, Default)]
pub struct Findings {
    /// Build-stopping problems.
    pub errors: Vec<Diagnostic>,
    /// Printed and ignored.
    pub warnings: Vec<Diagnostic>,
}

/// Checks what typing cannot. `yaml` is the metadata text, starting at line `first_line`
/// of `display`.
pub fn validate(meta: &Metadata, yaml: &str, display: &Path, first_line: usize) -> Findings {
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
                    f.errors.push(at(
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
            for key in ["license_name", "license_link"] {
                let set = if key == "license_name" { &meta.license_name } else { &meta.license_link };
                if set.is_some() {
                    f.errors.push(at(
                        &[Key(key)],
                        format!("`{key}` only applies with `license: other`, not `license: {id}`"),
                    ));
                }
            }
        }
    }
    if let Some(tag) = &meta.pipeline_tag {
        if !TASKS.contains(&tag.as_str()) {
            f.warnings.push(at(&[Key("pipeline_tag")], format!("`{tag}` is not a task the Hugging Face Hub knows")));
        }
    }
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
                f.warnings.push(at(
                    &path(&[Key("task"), Key("type")]),
                    format!("`{}` is not a task the Hugging Face Hub knows", result.task.kind),
                ));
            }
            for (key, value) in [("type", &result.dataset.kind), ("name", &result.dataset.name)] {
                if value.trim().is_empty() {
                    f.errors.push(at(&path(&[Key("dataset"), Key(key)]), format!("`dataset.{key}` must not be empty")));
                }
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
                if !metric.value.is_finite() {
                    f.errors.push(at(
                        &path(&[Key("metrics"), Index(k), Key("value")]),
                        format!(
                            "the metric `{}` has the value {}; expected a finite number",
                            metric.kind, metric.value
                        ),
                    ));
                }
            }
        }
    }
    validate_widget(meta, &at, &mut f);
    f
}

fn validate_widget(meta: &Metadata, at: &dyn Fn(&[Seg], String) -> Diagnostic, f: &mut Findings) {
    use Seg::{Index, Key};
    if meta.widget.is_empty() {
        return;
    }
    let Some(tag) = meta.pipeline_tag.as_deref() else {
        f.errors.push(at(
            &[Key("widget")],
            "`widget` examples need a `pipeline_tag` saying which task they are for".into(),
        ));
        return;
    };
    let kind = input_kind(tag);
    for (i, example) in meta.widget.iter().enumerate() {
        let here = |key: &'static str| [Key("widget"), Index(i), Key(key)];
        let item = [Key("widget"), Index(i)];
        let mut error = |path: &[Seg], m: String| f.errors.push(at(path, format!("widget example {}: {m}", i + 1)));
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
            Some(InputKind::Image) => match (&example.pixels, &example.src) {
                (Some(p), _) if p.len() != 64 => {
                    error(&here("pixels"), format!("`pixels` has {} values; an 8×8 image has 64", p.len()))
                }
                (Some(p), _) if p.iter().any(|v| !(0.0..=16.0).contains(v)) => {
                    error(&here("pixels"), "`pixels` are grey levels from 0 to 16".into())
                }
                (None, None) => error(&item, format!("a `{tag}` example needs `pixels` (64 grey levels) or `src`")),
                _ => {}
            },
            Some(InputKind::Text) if example.text.is_none() => error(&item, format!("a `{tag}` example needs `text`")),
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
    fn typed_errors_carry_positions() {
        let e = serde_yaml::from_str::<Metadata>("license: mit\nlicence: mit\n").unwrap_err();
        assert_eq!(e.location().map(|l| l.line()), Some(2));
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
            validate(&meta, yaml, Path::new("c.md"), 2)
        };
        assert!(check("license: mit\n").errors.is_empty());
        let f = check("tags: [x]\nlicense: made-up\n");
        assert!(f.errors.is_empty());
        assert_eq!(f.warnings[0].line, 3, "{}", f.warnings[0]);
        assert!(f.warnings[0].message.contains("`made-up` is not a licence id"));
        let f = check("license: other\nlicense_name: x\n");
        assert_eq!(f.errors.len(), 1);
        assert!(f.errors[0].message.contains("`license_link`"), "{}", f.errors[0]);
        assert!(check("license: other\nlicense_name: x\nlicense_link: LICENSE\n").errors.is_empty());
    }
}
