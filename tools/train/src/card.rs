//! Each model's training run turned into what its card says: the YAML metadata
//! (model-index results, widget examples and their expected outputs) and the numbers
//! the prose template quotes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Result};
use serde_json::json;

use crate::data::{self, Table};
use crate::models::{self, Scores};
use crate::Output;

const IRIS_FEATURES: [&str; 4] = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
/// The seed of the bigram widget examples: the course's (content/ml/code/bigram.py).
const NAMES_SEED: u64 = 42;
const NAMES_PER_SAMPLE: usize = 5;
const NAMES_MAX_LEN: usize = 12;

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn r4(v: f64) -> String {
    format!("{v:.4}")
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The `model-index` entry of a classifier: accuracy and macro F1 on the test split.
fn classifier_index(id: &str, task: &str, task_name: &str, dataset: &str, dataset_name: &str, s: &Scores) -> String {
    format!(
        "model-index:\n- name: {id}\n  results:\n  - task:\n      type: {task}\n      name: {task_name}\n    dataset:\n      type: {dataset}\n      name: {}\n      split: test\n    metrics:\n    - type: accuracy\n      value: {}\n      name: Test accuracy\n    - type: f1\n      value: {}\n      name: Macro F1\n      args:\n        average: macro\n",
        q(dataset_name),
        r4(s.accuracy()),
        r4(s.macro_f1()),
    )
}

/// `output:` of a classification example: every label with its score, best first.
fn label_scores(labels: &[String], probs: &[f64]) -> String {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
    let mut out = String::from("  output:\n");
    for i in order {
        let _ = writeln!(out, "  - label: {}\n    score: {}", q(&labels[i]), r4(probs[i]));
    }
    out
}

fn confusion_table(labels: &[String], s: &Scores) -> String {
    let mut t = String::from("| true \\ predicted |");
    for l in labels {
        let _ = write!(t, " {l} |");
    }
    t.push_str("\n|---|");
    t.push_str(&"---:|".repeat(labels.len()));
    for (i, row) in s.confusion.iter().enumerate() {
        let _ = write!(t, "\n| **{}** |", labels[i]);
        for c in row {
            let _ = write!(t, " {c} |");
        }
    }
    t
}

fn common_values(values: &mut BTreeMap<String, String>, prefix: &str, s: &Scores) {
    values.insert(format!("{prefix}_accuracy"), pct(s.accuracy()));
    values.insert(format!("{prefix}_accuracy_raw"), r4(s.accuracy()));
    values.insert(format!("{prefix}_correct"), s.correct.to_string());
    values.insert(format!("{prefix}_total"), s.total.to_string());
    values.insert(format!("{prefix}_loss"), r4(s.loss));
    values.insert(format!("{prefix}_f1"), r4(s.macro_f1()));
}

/// Softmax regression on iris.
pub fn iris(dir: &Path) -> Result<Output> {
    let table = data::load_iris(dir)?;
    let (train, test) = table.split_every_fifth();
    let model = models::train_softmax(&train, &test);
    let mut meta = String::from(
        "license: mit\nlibrary_name: tinyml\ntags:\n- tabular-classification\n- softmax-regression\n- iris\n- course\ndatasets:\n- scikit-learn/iris\nmetrics:\n- accuracy\n- f1\npipeline_tag: tabular-classification\n",
    );
    meta.push_str(&classifier_index(
        "iris-softmax",
        "tabular-classification",
        "Tabular classification",
        "scikit-learn/iris",
        "Iris flowers (every fifth flower held out)",
        &model.test,
    ));
    meta.push_str("widget:\n");
    for (title, i) in iris_examples(&test, &model.tensors) {
        let x = &test.x[i];
        let _ = writeln!(meta, "- example_title: {}\n  structured_data:", q(&title));
        for (name, v) in IRIS_FEATURES.iter().zip(x) {
            let _ = writeln!(meta, "    {}: [{v}]", q(name));
        }
        meta.push_str(&label_scores(&table.labels, &models::softmax_predict(&model.tensors, x)));
    }
    let mut values = BTreeMap::new();
    common_values(&mut values, "test", &model.test);
    common_values(&mut values, "train", &model.train);
    values.insert("confusion".into(), confusion_table(&table.labels, &model.test));
    values.insert("lr".into(), models::IRIS_LR.to_string());
    values.insert("epochs".into(), models::IRIS_EPOCHS.to_string());
    let mut curve = String::from("| epoch |");
    let mut row = String::from("| training loss |");
    for (epoch, loss) in &model.loss_curve {
        let _ = write!(curve, " {epoch} |");
        let _ = write!(row, " {} |", r4(*loss));
    }
    values.insert("loss_curve".into(), format!("{curve}\n|---|{}\n{row}", "---:|".repeat(model.loss_curve.len())));
    let config = json!({
        "model_type": "softmax-regression",
        "task": "tabular-classification",
        "features": IRIS_FEATURES,
        "id2label": table.labels.iter().enumerate().map(|(i, l)| (i.to_string(), l)).collect::<BTreeMap<_, _>>(),
        "preprocessing": "x = (x - feature_mean) / feature_std, with the training set's mean and standard deviation",
        "training": {"optimizer": "full-batch gradient descent", "learning_rate": models::IRIS_LR, "epochs": models::IRIS_EPOCHS, "init": "zeros"},
    });
    Ok(Output { id: "iris-softmax", tensors: model.tensors, config, metadata: meta, values })
}

/// One test flower of each species, and the first flower the model gets wrong (if any).
fn iris_examples(test: &Table, tensors: &[models::Tensor]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (c, label) in test.labels.iter().enumerate() {
        if let Some(i) = test.y.iter().position(|&y| y == c) {
            out.push((format!("A {label} from the test set"), i));
        }
    }
    let wrong = (0..test.x.len()).find(|&i| {
        let p = models::softmax_predict(tensors, &test.x[i]);
        (0..p.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b }) != test.y[i]
    });
    if let Some(i) = wrong {
        out.push((format!("A {} the model gets wrong", test.labels[test.y[i]]), i));
    }
    out
}

/// The MLP on digits.
pub fn digits(dir: &Path) -> Result<Output> {
    let table = data::load_digits(dir)?;
    let (train, test) = table.split_every_fifth();
    let model = models::train_mlp(&train, &test);
    let mut meta = String::from(
        "license: mit\nlibrary_name: tinyml\ntags:\n- image-classification\n- mlp\n- digits\n- course\ndatasets:\n- scikit-learn/digits\nmetrics:\n- accuracy\n- f1\npipeline_tag: image-classification\n",
    );
    meta.push_str(&classifier_index(
        "digits-mlp",
        "image-classification",
        "Image classification",
        "scikit-learn/digits",
        "Handwritten digits 8×8 (every fifth image held out)",
        &model.test,
    ));
    meta.push_str("widget:\n");
    let predict = |i: usize| models::mlp_predict(&model.tensors, &test.x[i]);
    let argmax = |p: &[f64]| (0..p.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b });
    let mut examples: Vec<(String, usize)> = [3usize, 8]
        .iter()
        .filter_map(|&d| test.y.iter().position(|&y| y == d).map(|i| (format!("A {d} from the test set"), i)))
        .collect();
    if let Some(i) = (0..test.x.len()).find(|&i| argmax(&predict(i)) != test.y[i]) {
        let guess = argmax(&predict(i));
        examples.push((format!("A {} the model reads as a {guess}", test.y[i]), i));
    }
    for (title, i) in examples {
        let pixels: Vec<String> = test.x[i].iter().map(|v| format!("{v}")).collect();
        let _ = writeln!(meta, "- example_title: {}\n  pixels: [{}]", q(&title), pixels.join(", "));
        meta.push_str(&label_scores(&table.labels, &predict(i)));
    }
    let mut values = BTreeMap::new();
    common_values(&mut values, "test", &model.test);
    common_values(&mut values, "train", &model.train);
    values.insert("confusion".into(), confusion_table(&table.labels, &model.test));
    values.insert("hidden".into(), models::MLP_HIDDEN.to_string());
    values.insert("epochs".into(), models::MLP_EPOCHS.to_string());
    values.insert("batch".into(), models::MLP_BATCH.to_string());
    values.insert("lr".into(), models::MLP_LR.to_string());
    values.insert("seed".into(), models::MLP_SEED.to_string());
    values.insert("first_epoch_loss".into(), r4(model.epoch_losses[0]));
    values.insert("last_epoch_loss".into(), r4(*model.epoch_losses.last().expect("epochs ran")));
    let config = json!({
        "model_type": "mlp",
        "task": "image-classification",
        "image_size": [8, 8],
        "pixel_range": [0, 16],
        "preprocessing": "x = pixels / 16",
        "hidden_size": models::MLP_HIDDEN,
        "activation": "relu",
        "id2label": table.labels.iter().enumerate().map(|(i, l)| (i.to_string(), l)).collect::<BTreeMap<_, _>>(),
        "training": {"optimizer": "minibatch SGD", "learning_rate": models::MLP_LR, "epochs": models::MLP_EPOCHS, "batch_size": models::MLP_BATCH, "seed": models::MLP_SEED, "init": "He normal"},
    });
    Ok(Output { id: "digits-mlp", tensors: model.tensors, config, metadata: meta, values })
}

/// The character bigram model on the 1990 US Census given names, compared with the model
/// of the same kind counted from the chapter's 21 training names (the card's first version).
pub fn names(repo: &Path) -> Result<Output> {
    let course = data::load_names(repo)?;
    if course.len() != 28 {
        bail!("expected the chapter's 28 names, found {}", course.len());
    }
    let census = data::load_census_names(repo)?;
    let (train, test) = data::split_names_every_fifth(&census);
    let model = models::train_bigram(&train, &test);
    let test_ppl = model.test_nll.exp();
    // Before: the table counted from the chapter's first 21 names, scored on its own 7
    // held-out names (what the card said) and on the census held-out names (a fair comparison).
    let small = models::train_bigram(&course[..21], &course[21..]);
    let (small_on_census, _) = models::bigram_nll(&small.tensors[0].f64s(), &test);
    eprintln!(
        "names-bigram: held-out perplexity {:.2} (census, {} names); before: {:.2} on the chapter's 7 names, {:.2} on the same census names",
        test_ppl,
        test.len(),
        small.test_nll.exp(),
        small_on_census.exp()
    );
    let dataset = "labbook/census-1990-given-names";
    let mut meta = format!(
        "license: mit\nlanguage:\n- en\nlibrary_name: tinyml\ntags:\n- text-generation\n- bigram\n- character-level\n- course\ndatasets:\n- {dataset}\nmetrics:\n- perplexity\npipeline_tag: text-generation\n"
    );
    let _ = write!(
        meta,
        "model-index:\n- name: names-bigram\n  results:\n  - task:\n      type: text-generation\n      name: Character-level language modelling\n    dataset:\n      type: {dataset}\n      name: {}\n      split: test\n    metrics:\n    - type: perplexity\n      value: {}\n      name: Held-out perplexity per character\n    - type: loss\n      value: {}\n      name: Held-out cross-entropy (nats per character)\n",
        q(&format!("1990 US Census given names (every fifth of {} held out)", census.len())),
        r4(test_ppl),
        r4(model.test_nll),
    );
    meta.push_str("widget:\n");
    let transition = model.tensors[0].f64s();
    for (title, prefix) in
        [("Names from scratch", ""), ("Names starting with “em”", "em"), ("Names starting with “jo”", "jo")]
    {
        let sampled = models::bigram_sample(&transition, prefix, NAMES_SEED, NAMES_PER_SAMPLE, NAMES_MAX_LEN);
        let _ = writeln!(
            meta,
            "- example_title: {}\n  text: {}\n  seed: {NAMES_SEED}\n  output:\n    text: {}",
            q(title),
            q(prefix),
            q(&sampled.join("\n"))
        );
    }
    let thousands = |n: usize| {
        let s = n.to_string();
        if s.len() > 3 {
            format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
        } else {
            s
        }
    };
    let mut values = BTreeMap::new();
    values.insert("alpha".into(), model.alpha.to_string());
    values.insert("test_nll".into(), r4(model.test_nll));
    values.insert("test_ppl".into(), format!("{test_ppl:.2}"));
    values.insert("train_nll".into(), r4(model.train_nll));
    values.insert("train_ppl".into(), format!("{:.2}", model.train_nll.exp()));
    values.insert("test_chars".into(), thousands(model.test_chars));
    values.insert("names".into(), thousands(census.len()));
    values.insert("train_names".into(), thousands(train.len()));
    values.insert("test_names".into(), thousands(test.len()));
    values.insert("before_alpha".into(), small.alpha.to_string());
    values.insert("before_own_nll".into(), r4(small.test_nll));
    values.insert("before_own_ppl".into(), format!("{:.2}", small.test_nll.exp()));
    values.insert("before_nll".into(), r4(small_on_census));
    values.insert("before_ppl".into(), format!("{:.2}", small_on_census.exp()));
    let mut head = String::from("| α |");
    let mut row = format!("| mean validation NLL (3 folds of the {} training names) |", thousands(train.len()));
    for (alpha, nll) in &model.validation {
        let _ = write!(head, " {alpha} |");
        let _ = write!(row, " {} |", r4(*nll));
    }
    values.insert("validation".into(), format!("{head}\n|---|{}\n{row}", "---:|".repeat(model.validation.len())));
    let sample = models::bigram_sample(&transition, "", 7, 8, NAMES_MAX_LEN);
    values.insert("sample".into(), sample.join(", "));
    let config = json!({
        "model_type": "bigram",
        "task": "text-generation",
        "alphabet": models::ALPHABET,
        "boundary": ".",
        "smoothing_alpha": model.alpha,
        "max_length": NAMES_MAX_LEN,
        "training_data": format!("{} (1990 US Census given names, public domain)", data::CENSUS_NAMES_DIR),
        "sampling": "inverse CDF over a row of `transition`, uniforms from the course's LCG: state = (1664525 * state + 1013904223) mod 2^32, u = state / 2^32",
    });
    Ok(Output { id: "names-bigram", tensors: model.tensors, config, metadata: meta, values })
}

/// Replaces every `{{name}}` in a card template; an unknown name is an error.
pub fn fill(template: &str, values: &BTreeMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else { bail!("an unclosed `{{{{`") };
        let name = rest[start + 2..start + end].trim();
        match values.get(name) {
            Some(v) => out.push_str(v),
            None => bail!("unknown placeholder `{{{{{name}}}}}`; known: {:?}", values.keys().collect::<Vec<_>>()),
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_and_refuses_unknown_ones() {
        let values: BTreeMap<String, String> = [("a".to_string(), "1".to_string())].into();
        assert_eq!(fill("x {{a}} y {{ a }}", &values).unwrap(), "x 1 y 1");
        assert!(fill("{{b}}", &values).unwrap_err().to_string().contains("unknown placeholder `{{b}}`"));
        assert!(fill("{{a", &values).is_err());
    }
}
