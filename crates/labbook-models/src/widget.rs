//! The "Try it" widget's inference, as Python for the exercise runtime (contract 1), and
//! the widget examples of every card as runnable requests with their expected outputs.
//!
//! The browser and `labbook test` run the same program: [`program`] picks it from the
//! tensors in the card's weights, and [`prelude`] defines the example's inputs in front of
//! it. [`book_cases`] is what `labbook test` runs under wasmtime: one request per widget
//! example that states an `output`, whose checks compare the scores (within the card's
//! 4-decimal rounding) or the generated text.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use super::metadata::{InputKind, WidgetExample, WidgetOutput};
use super::{ModelCard, ModelFile};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};

/// How close a computed score must be to the card's rounded one.
pub const SCORE_TOLERANCE: f64 = 1.5e-4;
/// Weights larger than this are not inlined into the page for the widget.
pub const MAX_INLINE_WEIGHTS: u64 = 4 * 1024 * 1024;
/// Names drawn per click by a text-generation widget.
pub const SAMPLES_PER_RUN: usize = 5;

/// A model architecture the Python runtime can run, recognised by its tensor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    /// `weight` [K, D], `bias` [K], optional `feature_mean`/`feature_std` [D]: softmax regression.
    Linear,
    /// `hidden.weight/bias`, `output.weight/bias`: one ReLU hidden layer on 8×8 images (0-16).
    Mlp8x8,
    /// `transition` [27, 27]: a character bigram table over ".a-z".
    Bigram,
}

/// The architecture of a weights file, if the runtime has a program for it.
pub fn architecture(weights: &ModelFile) -> Option<Architecture> {
    let header = weights.header.as_ref()?;
    let names: Vec<&str> = header.tensors.iter().map(|t| t.name.as_str()).collect();
    let has = |n: &str| names.contains(&n);
    if has("transition") && names.len() == 1 && header.tensors[0].shape == [27, 27] {
        Some(Architecture::Bigram)
    } else if ["hidden.weight", "hidden.bias", "output.weight", "output.bias"].iter().all(|n| has(n)) {
        let hidden = header.tensors.iter().find(|t| t.name == "hidden.weight")?;
        (hidden.shape.get(1) == Some(&64)).then_some(Architecture::Mlp8x8)
    } else if has("weight") && has("bias") {
        Some(Architecture::Linear)
    } else {
        None
    }
}

/// The architecture of a card the page can run in the browser: weights the python runtime
/// knows, small enough to inline, and a `pipeline_tag` whose inputs suit them.
pub fn runnable(card: &ModelCard) -> Option<Architecture> {
    let weights = card.weights()?;
    let arch = architecture(weights)?;
    let suits =
        card.meta.pipeline_tag.as_deref().and_then(super::metadata::input_kind) == Some(architecture_input(arch));
    (suits && weights.size <= MAX_INLINE_WEIGHTS).then_some(arch)
}

/// Whether the site needs the python runtime for the models' widgets (the build ships it
/// then, even when no exercise uses it).
pub fn needs_python(models: &super::Models) -> bool {
    models.cards.iter().any(|c| runnable(c).is_some())
}

/// The input kind each architecture takes.
pub fn architecture_input(arch: Architecture) -> InputKind {
    match arch {
        Architecture::Linear => InputKind::Tabular,
        Architecture::Mlp8x8 => InputKind::Image,
        Architecture::Bigram => InputKind::Text,
    }
}

/// The inference program. It expects the globals of [`prelude`] and leaves `SCORES`
/// (label -> probability) for classifiers, printing one `label probability` line per
/// class, or prints one generated name per line.
pub fn program(arch: Architecture) -> &'static str {
    match arch {
        Architecture::Linear => LINEAR_PY,
        Architecture::Mlp8x8 => MLP_PY,
        Architecture::Bigram => BIGRAM_PY,
    }
}

// The programs are Python files beside this one. The classifiers share a start,
// `widget/classifier.py`: `import tinyml`, a dense layer over plain lists, and the report of
// label scores (`LABELS` comes from the prelude).

/// Logistic regression over (optionally standardised) tabular features.
const LINEAR_PY: &str = concat!(include_str!("widget/classifier.py"), include_str!("widget/linear.py"));

/// A one-hidden-layer ReLU network over an 8x8 digit (`PIXELS`, values 0-16).
const MLP_PY: &str = concat!(include_str!("widget/classifier.py"), include_str!("widget/mlp.py"));

/// The course's LCG (content/ml/code/bigram.py) drives sampling, so `labbook train` can
/// compute the expected names without the runtime's own generator.
const BIGRAM_PY: &str = include_str!("widget/bigram.py");

/// Settings the programs read besides the example's input.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramSettings {
    /// Class labels in output order (classifiers).
    pub labels: Vec<String>,
    /// Column names (tabular inputs).
    pub features: Vec<String>,
    /// Longest generated name, prefix included (text generation).
    pub max_len: usize,
}

/// The settings of a card, from its `config.json` (`id2label`, `features`, `max_length`),
/// falling back to the widget outputs' labels.
pub fn settings(card: &ModelCard) -> ProgramSettings {
    let config = card.config.as_ref();
    let mut labels: Vec<String> = Vec::new();
    if let Some(map) = config.and_then(|c| c.get("id2label")).and_then(|m| m.as_object()) {
        let mut pairs: Vec<(usize, String)> =
            map.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?.to_string()))).collect();
        pairs.sort();
        labels = pairs.into_iter().map(|(_, l)| l).collect();
    }
    let features = config
        .and_then(|c| c.get("features"))
        .and_then(|f| f.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .or_else(|| {
            card.meta.widget.iter().find_map(|w| w.structured_data.as_ref().map(|d| d.keys().cloned().collect()))
        })
        .unwrap_or_default();
    let max_len = config.and_then(|c| c.get("max_length")).and_then(|v| v.as_u64()).unwrap_or(12) as usize;
    ProgramSettings { labels, features, max_len }
}

/// Python literal of a string.
fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn py_list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// The globals an example defines in front of the program.
pub fn prelude(
    arch: Architecture,
    settings: &ProgramSettings,
    example: &WidgetExample,
    count: usize,
) -> Option<String> {
    let labels: Vec<String> = settings.labels.iter().map(|l| py_str(l)).collect();
    let labels = format!("LABELS = [{}]\n", labels.join(", "));
    match arch {
        Architecture::Linear => {
            let data = example.structured_data.as_ref()?;
            // Columns in the model's feature order, first row of each.
            let row: Option<Vec<f64>> = if settings.features.is_empty() {
                Some(data.values().map(|v| v[0]).collect())
            } else {
                settings.features.iter().map(|f| data.get(f).and_then(|v| v.first().copied())).collect()
            };
            Some(format!("{labels}INPUT = {}\n", py_list(&row?)))
        }
        Architecture::Mlp8x8 => Some(format!("{labels}PIXELS = {}\n", py_list(example.pixels.as_ref()?))),
        Architecture::Bigram => Some(format!(
            "PREFIX = {}\nSEED = {}\nCOUNT = {count}\nMAX_LEN = {}\n",
            py_str(example.text.as_deref()?),
            example.seed.unwrap_or(0),
            settings.max_len
        )),
    }
}

/// One widget example as a runner request with its checks.
#[derive(Debug, Clone, Serialize)]
pub struct WidgetCase {
    /// The model's id.
    pub model: String,
    /// The example's title (or "example N").
    pub title: String,
    /// The card, for messages.
    pub file: PathBuf,
    /// The example's line in the card.
    pub line: usize,
    /// The contract-1 request: files, entry, checks, seed.
    pub request: serde_json::Value,
}

impl WidgetCase {
    /// `content/models/<id>/README.md:<line>`, for reports.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    /// Judges the runner's result (contract 1) for this case: `None` when it passed, else
    /// one line per problem, prefixed with the example's location and title.
    pub fn failure(&self, result: &serde_json::Value) -> Option<String> {
        if result["passed"].as_bool() == Some(true) {
            return None;
        }
        let mut problems = Vec::new();
        if let Some(stopped) = result["stopped"].as_str() {
            problems.push(format!("stopped: {stopped}"));
        }
        if let Some(error) = result["error"].as_object() {
            let kind = error.get("type").and_then(|v| v.as_str()).unwrap_or("error");
            let message = error.get("message").and_then(|v| v.as_str()).unwrap_or("");
            let line = error.get("line").and_then(|v| v.as_u64()).map(|l| format!(" (line {l} of the widget program)"));
            problems.push(format!("the inference raised {kind}: {message}{}", line.unwrap_or_default()));
        }
        for check in result["checks"].as_array().into_iter().flatten() {
            if check["passed"].as_bool() != Some(true) {
                let name = check["name"].as_str().unwrap_or("a check");
                let message = check["message"].as_str().unwrap_or("");
                problems.push(if message.is_empty() { name.to_string() } else { format!("{name}: {message}") });
            }
        }
        if problems.is_empty() {
            problems.push("the runner reported a failure without a reason".into());
        }
        Some(format!("{}: widget example `{}` of {}: {}", self.location(), self.title, self.model, problems.join("; ")))
    }
}

/// Every widget example of the book's cards that states an expected `output`, as a request
/// for the `python` runtime. `weights` reads a model file (the caller decides from where;
/// `labbook test` reads `content/models/<id>/<name>`). Cards without weights in the book
/// (their weights stay on the Hub) have nothing to run and are skipped. With weights, an
/// example that cannot be run (an architecture the runtime does not know, inputs that do
/// not fit) is an error naming its line, since its expected output could never be checked.
pub fn book_cases(
    cards: &[ModelCard],
    weights: &dyn Fn(&ModelCard, &ModelFile) -> std::io::Result<Vec<u8>>,
) -> Result<Vec<WidgetCase>, Diagnostics> {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for card in cards {
        let tested: Vec<(usize, &WidgetExample)> =
            card.meta.widget.iter().enumerate().filter(|(_, w)| w.output.is_some()).collect();
        if tested.is_empty() {
            continue;
        }
        let where_ = |i: usize| {
            let (line, column) = super::metadata::locate(
                &card.meta_yaml,
                &[super::metadata::Seg::Key("widget"), super::metadata::Seg::Index(i)],
            );
            (line + 1, column)
        };
        let fail = |i: usize, m: String| {
            let (line, column) = where_(i);
            Diagnostic::new(&card.text.display, line, column, format!("widget example {}: {m}", i + 1))
        };
        // A card whose weights stay on the Hub (no weights file at all, as most real cards)
        // states outputs for the Hub's widget to show, not for labbook to check.
        if !card.files.iter().any(|f| f.name.ends_with(".safetensors")) {
            continue;
        }
        let Some(file) = card.weights() else { continue };
        let Some(arch) = architecture(file) else {
            errors.push(fail(
                tested[0].0,
                format!(
                    "states an output, but the tensors of {} match no architecture the python runtime can run",
                    file.name
                ),
            ));
            continue;
        };
        let bytes = match weights(card, file) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::file(&card.text.display, format!("cannot read {}: {e}", file.name)));
                continue;
            }
        };
        let encoded = base64(&bytes);
        let settings = settings(card);
        for (i, example) in tested {
            let output = example.output.as_ref().expect("filtered on output");
            let (checks, count) = match output {
                WidgetOutput::Labels(labels) => {
                    if let Some(l) = labels.iter().find(|l| !settings.labels.contains(&l.label)) {
                        errors.push(fail(
                            i,
                            format!("the label `{}` is not one of the model's labels {:?}", l.label, settings.labels),
                        ));
                        continue;
                    }
                    (labels.iter().map(score_check).collect::<Vec<_>>(), SAMPLES_PER_RUN)
                }
                WidgetOutput::Other(_) => {
                    errors.push(fail(
                        i,
                        "an `output` labbook can check is a list of labels with scores, or `text:`".into(),
                    ));
                    continue;
                }
                WidgetOutput::Text { text } => {
                    let expected = format!("{text}\n");
                    let check = json!({"name": "generates the expected text", "stdout": expected, "hidden": false});
                    (vec![check], text.lines().count().max(1))
                }
            };
            let Some(prelude) = prelude(arch, &settings, example, count) else {
                errors.push(fail(i, format!("its inputs do not fit the model's {:?} architecture", arch)));
                continue;
            };
            let (line, _) = where_(i);
            cases.push(WidgetCase {
                model: card.id.clone(),
                title: example.example_title.clone().unwrap_or_else(|| format!("example {}", i + 1)),
                file: card.text.display.clone(),
                line,
                request: json!({
                    "files": {
                        "main.py": format!("{prelude}{}", program(arch)),
                        "model.safetensors": {"base64": encoded},
                    },
                    "entry": "main.py",
                    "checks": checks,
                    "seed": example.seed.unwrap_or(0),
                    "max_output": 65536,
                }),
            });
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(Diagnostics(errors))
    }
}

/// [`book_cases`] with the weights read from the model folders, as `labbook test` needs:
/// the lead's `labbook test` runs each case's `request` with the `python` runtime under
/// wasmtime and reports [`WidgetCase::failure`] for each result that did not pass.
pub fn book_widget_cases(book: &labbook_core::content::Book) -> Result<Vec<WidgetCase>, Diagnostics> {
    book_cases(&crate::models(book).cards, &|card, file| std::fs::read(card.text.abs.with_file_name(&file.name)))
}

/// A `code` check that one label's probability matches the card.
fn score_check(l: &super::metadata::LabelScore) -> serde_json::Value {
    let label = py_str(&l.label);
    json!({
        "name": format!("{} scores {:.4}", l.label, l.score),
        "code": format!(
            "assert abs(SCORES[{label}] - {score:?}) <= {SCORE_TOLERANCE:?}, \"expected {name} to score {score}, got \" + str(SCORES[{label}])",
            score = l.score,
            name = l.label.replace(['"', '\\'], ""),
        ),
        "hidden": false,
    })
}

/// Standard base64 with padding (the request's binary files).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_example_and_each_failed_check() {
        let case = WidgetCase {
            model: "iris".into(),
            title: "A setosa".into(),
            file: PathBuf::from("content/models/iris/README.md"),
            line: 40,
            request: json!({}),
        };
        assert_eq!(case.failure(&json!({"passed": true, "checks": []})), None);
        let result = json!({
            "passed": false,
            "error": null,
            "checks": [
                {"name": "setosa scores 0.9966", "passed": false, "message": "expected setosa to score 0.9966, got 0.5"},
                {"name": "virginica scores 0.0000", "passed": true, "message": ""},
            ],
        });
        assert_eq!(
            case.failure(&result).unwrap(),
            "content/models/iris/README.md:40: widget example `A setosa` of iris: setosa scores 0.9966: expected setosa to score 0.9966, got 0.5"
        );
        let stopped = json!({"passed": false, "stopped": "time limit of 2 s exceeded", "error": {"type": "NameError", "message": "x", "line": 3}, "checks": []});
        let text = case.failure(&stopped).unwrap();
        assert!(
            text.contains(
                "stopped: time limit of 2 s exceeded; the inference raised NameError: x (line 3 of the widget program)"
            ),
            "{text}"
        );
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
