//! Runnable exercises, a labbook feature: loading `exercises/<id>/exercise.yaml` ([`spec`]),
//! its `book.yaml` sections ([`config`]), the runtimes and their browser asset ([`runtime`]),
//! the wasmtime sandbox ([`sandbox`]), running and checking ([`checks`]), the page directive
//! ([`directive`]), the `test`, `run` and `grade` commands ([`drive`]) and the grading of
//! the student edition's hand-in files ([`gradebook`]).

pub mod checks;
pub mod config;
pub mod data;
pub mod directive;
pub mod drive;
pub mod gradebook;
pub mod runtime;
pub mod sandbox;
pub mod spec;
pub mod translation;

pub use checks::{run_exercise, CheckResult, RunError, RunResult};
pub use data::{DataSplit, RuntimeData};
pub use runtime::Runtime;
pub use spec::{Check, CheckKind, Exercise, FileContent, Limits, ShowSolution, PYTHON};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use labbook_core::content::Book;
use labbook_core::diagnostic::Diagnostics;
use labbook_core::feature::{Feature, LoadContext, TestReport, ThemeFiles};
use labbook_core::markdown::{Directives, SiteIndex};
use labbook_core::output::OutFile;
use labbook_core::render::Theme;

/// The exercises of a book and the runtimes they use (the feature's loaded data).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exercises {
    /// The exercises under `exercises/`, sorted by id.
    pub list: Vec<Exercise>,
    /// The runtimes the exercises (and other features) use, by name; the site ships one
    /// asset per runtime.
    pub runtimes: BTreeMap<String, Runtime>,
    /// The output path of the book's "Python in this course" page (`exercises: python-guide:`).
    pub python_guide: Option<String>,
}

impl PartialEq for Runtime {
    fn eq(&self, other: &Runtime) -> bool {
        self.name() == other.name() && self.module().sha256 == other.module().sha256
    }
}

/// Runtimes another feature needs shipped although no exercise may use them (the models'
/// Try-it widget runs in `python`): stored in the book's data by a feature that loads
/// before this one.
#[derive(Debug, Clone, Default)]
pub struct RuntimeRequests(pub BTreeSet<String>);

/// The book's exercises (none when the feature is not in use).
pub fn exercises(book: &Book) -> &Exercises {
    static NONE: std::sync::OnceLock<Exercises> = std::sync::OnceLock::new();
    book.data::<Exercises>().unwrap_or_else(|| NONE.get_or_init(Exercises::default))
}

/// One part of `exercise.js`, from `theme/exercise/`.
macro_rules! exercise_part {
    ($name:literal) => {
        include_str!(concat!("../theme/exercise/", $name))
    };
}

/// The exercise script, joined from its parts (one concern each) in one function scope, so the
/// site still loads a single `exercise.js`; a theme's `static/exercise.js` replaces the whole.
/// The order matters only for the top-level statements: `main.js` sets up the blocks last.
const EXERCISE_JS: &str = concat!(
    "(function () {\n",
    exercise_part!("prelude.js"),
    "\n",
    exercise_part!("worker.js"),
    "\n",
    exercise_part!("runtime.js"),
    "\n",
    exercise_part!("checks.js"),
    "\n",
    exercise_part!("run.js"),
    "\n",
    exercise_part!("highlight.js"),
    "\n",
    exercise_part!("storage.js"),
    "\n",
    exercise_part!("editor.js"),
    "\n",
    exercise_part!("block.js"),
    "\n",
    exercise_part!("main.js"),
    "})();\n",
);

/// The exercises feature.
pub struct ExercisesFeature;

/// The exercise editor's words by language (`theme/i18n/<code>.yaml`), in the ten
/// languages of the core's theme; English is the fallback of every key.
const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

impl Feature for ExercisesFeature {
    fn name(&self) -> &'static str {
        "exercises"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["exercises", "runtimes"]
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        let defaults: config::ExerciseDefaults = cx.section("exercises")?.unwrap_or_default();
        let declared: BTreeMap<String, PathBuf> = cx.section("runtimes")?.unwrap_or_default();
        config::validate_runtimes(&declared, cx.config_text)?;
        let declared = runtime::load_runtimes(cx.root, &declared, cx.config_text)?;
        let names: Vec<&str> = declared.keys().map(String::as_str).collect();
        let mut list = spec::load_exercises(cx.root, &defaults, &names)?;
        // In a translated book, each language's words (`exercise.<lang>.yaml`).
        if let Some(code) = cx.language_code() {
            translation::apply(cx.root, &mut list, code)?;
        }
        translation::name_forbid_checks(&mut list, cx.words);
        // The book's dataset splits the exercises' code loads (the datasets feature, which
        // loads before this one, gives them) travel with the exercise.
        let data = cx.data.get::<RuntimeData>().cloned().unwrap_or_default();
        let mut errors = Vec::new();
        for exercise in &mut list {
            let yaml = std::fs::read_to_string(cx.root.join(&exercise.display)).unwrap_or_default();
            if let Err(e) = data::attach(exercise, &yaml, &data) {
                errors.push(e);
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let mut runtimes = used_runtimes(&list, declared);
        let requested = cx.data.get::<RuntimeRequests>().cloned().unwrap_or_default();
        if requested.0.contains(PYTHON) {
            runtimes.entry(PYTHON.to_string()).or_insert_with(Runtime::python);
        }
        let python_guide = match &defaults.python_guide {
            None => None,
            Some(source) => {
                let page = cx.pages.iter().find(|p| p.rel == *source).ok_or_else(|| {
                    let (line, column) = labbook_core::config::locate(cx.config_text, "python-guide:");
                    labbook_core::diagnostic::Diagnostic::new(
                        "book.yaml",
                        line,
                        column,
                        format!("`exercises.python-guide`: no page `{}` in the content folder", source.display()),
                    )
                })?;
                Some(page.output.clone())
            }
        };
        cx.data.insert(Exercises { list, runtimes, python_guide });
        Ok(())
    }

    fn directives(&self, book: &Book, _site: &Arc<SiteIndex>, theme: &Arc<Theme>, directives: &mut Directives) {
        let data = exercises(book);
        directives.register(Arc::new(
            directive::ExerciseDirective::new(
                &data.list,
                &data.runtimes,
                data.python_guide.clone(),
                book.config.edition,
            )
            .with_label(theme.words().get("exercise_label").cloned()),
        ));
    }

    fn stale_directives(&self, old: &Book, new: &Book) -> Vec<&'static str> {
        if exercises(old) == exercises(new) {
            Vec::new()
        } else {
            vec!["exercise"]
        }
    }

    /// The editor's words (`exercise_*`) are the theme's too.
    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: Vec::new(),
            statics: vec![
                ("exercise.js", EXERCISE_JS.as_bytes()),
                ("exercise.css", include_bytes!("../theme/static/exercise.css")),
            ],
            strings: STRINGS.to_vec(),
        }
    }

    fn assets(&self, book: &Book) -> Vec<OutFile> {
        runtime_files(book)
    }

    fn watch(&self, book: &Book) -> Vec<(PathBuf, bool)> {
        vec![(book.root.join("exercises"), true)]
    }

    fn reloads_book(&self, _book: Option<&Book>, in_root: &Path) -> bool {
        // Exercises are loaded with the book; pages that place one are transformed again.
        in_root.starts_with("exercises")
    }

    /// Each exercise's id, points and request (files, every check with the hidden ones, seed,
    /// limits): what a hand-in's code is graded with.
    fn grading_fingerprint(&self, book: &Book) -> Vec<u8> {
        let mut bytes = Vec::new();
        for ex in &exercises(book).list {
            let entry = serde_json::json!({ "id": ex.id, "points": ex.points, "request": checks::request(ex, None) });
            bytes.extend(serde_json::to_vec(&entry).expect("JSON serializes"));
            bytes.push(b'\n');
        }
        bytes
    }

    fn test(&self, book: &Book, started: Instant) -> anyhow::Result<Option<TestReport>> {
        // The code and checks are every language's: tested with the default language.
        if book.is_translation() {
            return Ok(None);
        }
        let verdicts = drive::test_book(book)?;
        Ok(Some(TestReport {
            cases: verdicts.len(),
            text: drive::format_test_report(&verdicts, started.elapsed()),
            failed: verdicts.iter().any(|v| !v.problems.is_empty()),
        }))
    }
}

/// The runtime asset of every runtime the book's exercises use, and the script of each
/// dataset split their code loads ([`data::split_script`]).
pub fn runtime_files(book: &Book) -> Vec<OutFile> {
    let list = &exercises(book).list;
    let runtimes = exercises(book)
        .runtimes
        .values()
        .map(|r| OutFile::bytes(&runtime::asset_path(r), runtime::asset_text(r).as_bytes()));
    let splits =
        split_files(list).into_iter().map(|(asset, text)| OutFile::bytes(asset, data::split_script(asset, text)));
    runtimes.chain(splits).collect()
}

/// The dataset splits the exercises' code loads: each site file (`runtime/data/….js`) once,
/// with the split's text.
pub fn split_files(list: &[Exercise]) -> BTreeMap<&str, &str> {
    list.iter()
        .flat_map(|e| e.files.values())
        .filter_map(|f| match f {
            FileContent::Split { text, asset } => Some((asset.as_str(), text.as_str())),
            _ => None,
        })
        .collect()
}

/// The runtimes the exercises use: each built-in python runtime that any exercise names, and
/// the `book.yaml` ones that any exercise names (others are not shipped). `python` is shipped
/// too when an exercise on another runtime has checks: the browser grades that runtime's
/// output with it.
pub fn used_runtimes(exercises: &[Exercise], declared: BTreeMap<String, Runtime>) -> BTreeMap<String, Runtime> {
    let mut used = BTreeMap::new();
    if exercises.iter().any(|e| e.runtime == PYTHON || (!Runtime::is_built_in(&e.runtime) && !e.checks.is_empty())) {
        used.insert(PYTHON.to_string(), Runtime::python());
    }
    for built_in in runtime::BUILT_IN {
        if exercises.iter().any(|e| e.runtime == built_in.name) {
            used.entry(built_in.name.to_string())
                .or_insert_with(|| Runtime::built_in(built_in.name).expect("built in"));
        }
    }
    for (name, runtime) in declared {
        if exercises.iter().any(|e| e.runtime == name) {
            used.insert(name, runtime);
        }
    }
    used
}
