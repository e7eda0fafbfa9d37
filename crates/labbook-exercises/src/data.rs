//! Book data the python runtime loads by name: the splits of the book's datasets, which
//! `tinyml.load_dataset("<id>", split="<split>")` reads (`runner/src/tinyml/datasets.rs`).
//!
//! The datasets feature, which loads before this one, stores them as [`RuntimeData`]. Each
//! exercise gets the splits its code names ([`calls`]) as files of its request
//! (`datasets/<id>/<split>.json`, [`split_file`]), so `labbook test` (wasmtime) and the page
//! send the same files, and the runtime reads nothing else.
//!
//! A page does not carry a split: the site has each split the book's code names once, as a
//! script (`runtime/data/…js`, [`Needed::asset`], [`split_script`]) that registers the
//! file's text with `window.__labbookRuntimeData`; the page's request names it
//! (`{"script": <url>, "key": <asset>}`), and `exercise.js` loads it with a script tag, which
//! works from `file://`, the first time the reader runs the code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use labbook_core::diagnostic::Diagnostic;

use regex::Regex;

/// The book's datasets as the runtime can load them, by id.
#[derive(Clone, Default)]
pub struct RuntimeData {
    /// Per dataset id, its splits in card order.
    pub datasets: BTreeMap<String, Vec<DataSplit>>,
}

impl std::fmt::Debug for RuntimeData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.datasets.iter().map(|(id, s)| (id, s.iter().map(|s| &s.split).collect::<Vec<_>>())))
            .finish()
    }
}

/// One split of a dataset, written on demand (only splits an exercise names are written).
#[derive(Clone)]
pub struct DataSplit {
    /// `config_name` of the card.
    pub config: String,
    /// The split's name.
    pub split: String,
    /// Writes the file the runtime reads: `{"config": …, "columns": [[name, [values…]], …]}`.
    pub json: Arc<dyn Fn() -> String + Send + Sync>,
}

/// The request file of split `split` of dataset `id` (as the runtime names it).
pub fn split_file(id: &str, split: &str) -> String {
    format!("datasets/{id}/{split}.json")
}

/// Whether a request file is a split the build sends (`datasets/<id>/<split>.json`).
pub fn is_split_file(name: &str) -> bool {
    name.strip_prefix("datasets/").and_then(|r| r.strip_suffix(".json")).is_some_and(|r| r.matches('/').count() == 1)
}

/// A `load_dataset` call with literal arguments, found in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The dataset id.
    pub id: String,
    /// `name=` (or the second positional argument): the configuration.
    pub name: Option<String>,
    /// `split=` (or the third positional argument).
    pub split: Option<String>,
    /// 1-based line and column of `load_dataset` in the code.
    pub line: usize,
    /// See `line`.
    pub column: usize,
}

/// Every `load_dataset("<id>", …)` call of the code whose id is a string literal. Arguments
/// that are not literals are left out (the runtime says what was sent when it lacks them).
pub fn calls(code: &str) -> Vec<Call> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    static KEYWORD: OnceLock<Regex> = OnceLock::new();
    static STRING: OnceLock<Regex> = OnceLock::new();
    let call = CALL.get_or_init(|| {
        Regex::new(r#"\bload_dataset\(\s*(?:path\s*=\s*)?(?:"([^"\n]*)"|'([^'\n]*)')([^()]*(?:\([^()]*\)[^()]*)*)\)"#)
            .expect("valid regex")
    });
    let keyword =
        KEYWORD.get_or_init(|| Regex::new(r#"\b(name|split)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)')"#).expect("valid regex"));
    let string = STRING.get_or_init(|| Regex::new(r#"^\s*,\s*(?:"([^"\n]*)"|'([^'\n]*)')"#).expect("valid regex"));
    let mut out = Vec::new();
    for m in call.captures_iter(code) {
        let whole = m.get(0).expect("the match");
        let id = m.get(1).or(m.get(2)).map_or("", |g| g.as_str()).to_string();
        let rest = m.get(3).map_or("", |g| g.as_str());
        let literal = |c: &regex::Captures| c.get(2).or(c.get(3)).map(|g| g.as_str().to_string());
        let (mut name, mut split) = (None, None);
        // Positional: `load_dataset("id", "name", "split")`.
        let positional = |c: &regex::Captures| c.get(1).or(c.get(2)).map(|g| g.as_str().to_string());
        if let Some(c) = string.captures(rest) {
            name = positional(&c);
            let after = &rest[c.get(0).expect("the match").end()..];
            split = string.captures(after).and_then(|c| positional(&c));
        }
        for c in keyword.captures_iter(rest) {
            match &c[1] {
                "name" => name = literal(&c),
                _ => split = literal(&c),
            }
        }
        let before = &code[..whole.start()];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        out.push(Call { id, name, split, line, column });
    }
    out
}

/// A file of a request, made when the request is sent.
pub type LazyFile = Arc<dyn Fn() -> String + Send + Sync>;

/// A split some code names: the dataset's id and the split (with its text, made on demand).
#[derive(Clone)]
pub struct Needed {
    /// The dataset id.
    pub id: String,
    /// The split, of the configuration the call chose.
    pub split: DataSplit,
}

impl Needed {
    /// The site file pages load the split from (relative to the site root):
    /// `runtime/data/<id>-<config>-<split>.<hash>.js`, the names' unsafe characters as `_`
    /// and the hash of the exact names keeping two splits apart.
    pub fn asset(&self) -> String {
        let safe = |s: &str| -> String {
            s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
        };
        // FNV-1a over the three names, each ended by a NUL byte.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.id, &self.split.config, &self.split.split] {
            for b in part.bytes().chain([0]) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!(
            "runtime/data/{}-{}-{}.{:08x}.js",
            safe(&self.id),
            safe(&self.split.config),
            safe(&self.split.split),
            hash as u32
        )
    }

    /// What a page's request names instead of the split's text: the script that holds it
    /// (`url`, relative to the page) and the key it registers under.
    pub fn reference(&self, url: &str) -> serde_json::Value {
        serde_json::json!({ "script": url, "key": self.asset() })
    }
}

/// The script of [`Needed::asset`]: it registers the split's text (`json`) under the
/// asset's path in `window.__labbookRuntimeData`, where `exercise.js` reads it.
pub fn split_script(asset: &str, json: &str) -> String {
    let key = serde_json::to_string(asset).expect("a string serializes");
    let text = serde_json::to_string(json).expect("a string serializes").replace("</", "<\\/");
    format!("(window.__labbookRuntimeData=window.__labbookRuntimeData||{{}})[{key}]={text};\n")
}

/// Where in a code a call is (line, column), with what is wrong with it.
pub type CallError = (usize, usize, String);

/// The files the calls of `code` need, by request name; or, for a call this book's data
/// cannot answer, its line and column in the code with what is wrong.
pub fn files_for(code: &str, data: &RuntimeData) -> Result<BTreeMap<String, Needed>, CallError> {
    let mut files = BTreeMap::new();
    for call in calls(code) {
        let Some(splits) = data.datasets.get(&call.id) else {
            let known: Vec<&str> = data.datasets.keys().map(String::as_str).collect();
            let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err((
                call.line,
                call.column,
                format!("`load_dataset(\"{}\")`: the book has no dataset `{}` (content/datasets/<id>/README.md); its datasets: {known}", call.id, call.id),
            ));
        };
        let of_config: Vec<&DataSplit> = match &call.name {
            Some(name) => splits.iter().filter(|s| s.config == *name).collect(),
            None => splits.iter().collect(),
        };
        if of_config.is_empty() {
            let configs: Vec<&str> = splits.iter().map(|s| s.config.as_str()).collect();
            return Err((
                call.line,
                call.column,
                format!(
                    "`load_dataset(\"{}\", \"{}\")`: the dataset has no configuration `{}`; its configurations: {}",
                    call.id,
                    call.name.as_deref().unwrap_or_default(),
                    call.name.as_deref().unwrap_or_default(),
                    dedup(configs).join(", ")
                ),
            ));
        }
        let chosen: Vec<&DataSplit> = match &call.split {
            // The first configuration that has the split.
            Some(split) => match of_config.iter().find(|s| s.split == *split) {
                Some(s) => vec![s],
                None => {
                    let names: Vec<&str> = of_config.iter().map(|s| s.split.as_str()).collect();
                    return Err((
                        call.line,
                        call.column,
                        format!(
                            "`load_dataset(\"{}\", split=\"{split}\")`: the dataset has no split `{split}`; its splits: {}",
                            call.id,
                            dedup(names).join(", ")
                        ),
                    ));
                }
            },
            // Every split of one configuration.
            None => {
                let config = &of_config[0].config;
                of_config.into_iter().filter(|s| s.config == *config).collect()
            }
        };
        for s in chosen {
            files.insert(split_file(&call.id, &s.split), Needed { id: call.id.clone(), split: s.clone() });
        }
    }
    Ok(files)
}

/// Adds to `exercise`'s files the splits its code names (starter, solution, `code` checks),
/// so the page's request and `labbook test`'s are the same. Only the python runtimes read
/// them. A call the book's data cannot answer is an error at its place in the exercise's
/// file (`exercise_yaml` is the text of its exercise.yaml, to name the starter's and the
/// solution's files).
pub fn attach(exercise: &mut crate::Exercise, exercise_yaml: &str, data: &RuntimeData) -> Result<(), Diagnostic> {
    if !crate::Runtime::is_built_in(&exercise.runtime) {
        return Ok(());
    }
    let dir = exercise.display.parent().map(Path::to_path_buf).unwrap_or_default();
    // The file a key of exercise.yaml names (`starter: starter.py`).
    let named = |key: &str| -> Option<PathBuf> {
        exercise_yaml.lines().find_map(|l| {
            let value = l.strip_prefix(key)?.strip_prefix(':')?.trim();
            (!value.is_empty()).then(|| dir.join(value.trim_matches(['"', '\''])))
        })
    };
    // Each source: its file, where it starts in that file (a check inside exercise.yaml), its code.
    type Source<'a> = (PathBuf, Option<(usize, usize)>, &'a str);
    let mut sources: Vec<Source> = vec![
        (named("starter").unwrap_or_else(|| exercise.display.clone()), None, &exercise.starter),
        (named("solution").unwrap_or_else(|| exercise.display.clone()), None, &exercise.solution),
    ];
    for check in &exercise.checks {
        if let crate::CheckKind::Code(code) = &check.kind {
            // A check's code is in exercise.yaml (or a file it names): placed at its check.
            let at = labbook_core::config::locate(exercise_yaml, &format!("name: {}", check.name));
            sources.push((exercise.display.clone(), Some(at), code));
        }
    }
    let mut found = BTreeMap::new();
    for (file, check, code) in sources {
        let files = files_for(code, data).map_err(|(line, column, message)| match check {
            None => Diagnostic::new(&file, line, column, message),
            Some((l, c)) => Diagnostic::new(&file, l, c, format!("in this check's code, line {line}: {message}")),
        })?;
        found.extend(files);
    }
    for (name, needed) in found {
        if exercise.files.contains_key(&name) {
            return Err(Diagnostic::new(
                &exercise.display,
                1,
                1,
                format!(
                    "`files`: `{name}` is the name the build gives a dataset split the code loads; rename the file"
                ),
            ));
        }
        let text = (needed.split.json)();
        exercise.files.insert(name, crate::FileContent::Split { text, asset: needed.asset() });
    }
    Ok(())
}

/// The splits `code` names, as one JSON object from request name to the split's
/// [`Needed::reference`] for a page at `page` (what a page's runnable blocks send beside
/// the program), and the splits themselves; `None` when it names none.
pub fn files_json(code: &str, data: &RuntimeData, page: &str) -> Result<Option<(String, Vec<Needed>)>, CallError> {
    let files = files_for(code, data)?;
    if files.is_empty() {
        return Ok(None);
    }
    let object: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|(name, needed)| {
            (name.clone(), needed.reference(&labbook_core::markdown::relative_url(page, &needed.asset())))
        })
        .collect();
    Ok(Some((serde_json::Value::Object(object).to_string(), files.into_values().collect())))
}

fn dedup(mut names: Vec<&str>) -> Vec<&str> {
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(*n));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> RuntimeData {
        let split = |config: &str, split: &str| DataSplit {
            config: config.into(),
            split: split.into(),
            json: Arc::new({
                let s = format!("{config}/{split}");
                move || s.clone()
            }),
        };
        let mut d = RuntimeData::default();
        d.datasets.insert("iris".into(), vec![split("default", "train")]);
        d.datasets
            .insert("names".into(), vec![split("default", "train"), split("default", "test"), split("v2", "train")]);
        d
    }

    #[test]
    fn finds_calls_with_literal_arguments() {
        let code = "import tinyml\nds = tinyml.load_dataset('iris', split=\"train\")\nx = load_dataset(\"names\", \"v2\", \"train\")\ny = load_dataset(name)\nz = load_dataset(path='names', name='default', split=f(1))\n";
        let got = calls(code);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], Call { id: "iris".into(), name: None, split: Some("train".into()), line: 2, column: 13 });
        assert_eq!((got[1].name.as_deref(), got[1].split.as_deref(), got[1].line), (Some("v2"), Some("train"), 3));
        assert_eq!(
            (got[2].id.as_str(), got[2].name.as_deref(), got[2].split.as_deref()),
            ("names", Some("default"), None)
        );
    }

    #[test]
    fn ships_the_named_splits_or_every_split_of_the_configuration() {
        let d = data();
        let files = files_for("load_dataset('iris', split='train')", &d).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["datasets/iris/train.json"]);
        assert_eq!((files["datasets/iris/train.json"].split.json)(), "default/train");
        let files = files_for("load_dataset('names')", &d).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["datasets/names/test.json", "datasets/names/train.json"]);
        let files = files_for("load_dataset('names', 'v2', split='train')", &d).unwrap();
        assert_eq!((files["datasets/names/train.json"].split.json)(), "v2/train");
        // Each split has its own site file, its names kept readable where they are safe.
        let v2 = files["datasets/names/train.json"].asset();
        let default =
            files_for("load_dataset('names', split='train')", &d).unwrap()["datasets/names/train.json"].asset();
        assert!(v2.starts_with("runtime/data/names-v2-train.") && v2.ends_with(".js"), "{v2}");
        assert_ne!(v2, default);
        let odd =
            Needed { id: "a/b".into(), split: DataSplit { config: "..".into(), ..d.datasets["iris"][0].clone() } };
        assert!(odd.asset().starts_with("runtime/data/a_b-__-train."), "{}", odd.asset());
    }

    #[test]
    fn a_split_script_registers_the_exact_text() {
        let script = split_script("runtime/data/x.js", "{\"a\": \"</script>\"}");
        assert_eq!(
            script,
            "(window.__labbookRuntimeData=window.__labbookRuntimeData||{})[\"runtime/data/x.js\"]=\"{\\\"a\\\": \\\"<\\/script>\\\"}\";\n"
        );
    }

    #[test]
    fn a_call_the_data_cannot_answer_is_located() {
        let d = data();
        let (line, column, message) = files_for("x = 1\n  load_dataset('irs')", &d).err().unwrap();
        assert_eq!((line, column), (2, 3));
        assert!(message.contains("no dataset `irs`") && message.contains("iris, names"), "{message}");
        let (_, _, message) = files_for("load_dataset('iris', split='test')", &d).err().unwrap();
        assert!(message.contains("no split `test`; its splits: train"), "{message}");
        let (_, _, message) = files_for("load_dataset('names', name='v3')", &d).err().unwrap();
        assert!(message.contains("no configuration `v3`; its configurations: default, v2"), "{message}");
    }
}
