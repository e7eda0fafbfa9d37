//! `exercises/<id>/exercise.yaml`: the format, parsed strictly, and the loaded [`Exercise`].
//!
//! Loading reads every file an exercise names (starter, solution, extra files, check files)
//! so later stages and the sandbox never touch the book folder again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::config::{ExerciseDefaults, LimitsSpec};
use crate::runtime::{Runtime, BUILT_IN};
use labbook_core::config::{locate, parse_yaml};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};

/// The runtime every exercise gets unless it names another.
pub const PYTHON: &str = "python";

/// One exercise, loaded with every file it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// The folder name under `exercises/`.
    pub id: String,
    /// `exercises/<id>/exercise.yaml`, for messages.
    pub display: PathBuf,
    /// Shown as the exercise's heading.
    pub title: String,
    /// `python` or a name from `book.yaml` `runtimes:`.
    pub runtime: String,
    /// Markdown shown above the editor.
    pub instructions: String,
    /// What the student starts from.
    pub starter: String,
    /// The reference answer.
    pub solution: String,
    /// The name the student's code gets in the request (`main.py`).
    pub entry: String,
    /// Extra files sent with every run, by name.
    pub files: BTreeMap<String, FileContent>,
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// Markdown hints, shown one at a time.
    pub hints: Vec<String>,
    /// Time, memory and output limits of one run.
    pub limits: Limits,
    /// Whether `labbook test` demands that the starter fails a check.
    pub starter_fails: bool,
    /// When the page offers the solution.
    pub show_solution: ShowSolution,
    /// Seeds the runtime's random generator.
    pub seed: u64,
    /// What the exercise is worth in a gradebook (`points:`, default 1): a hand-in earns the
    /// share of its checks that pass.
    pub points: f64,
}

/// An extra file's bytes: text is sent as a JSON string, anything else as base64.
#[derive(Debug, Clone, PartialEq)]
pub enum FileContent {
    /// UTF-8 text.
    Text(String),
    /// Binary data.
    Binary(Vec<u8>),
    /// A split of one of the book's datasets (`datasets/<id>/<split>.json`, [`crate::data`]):
    /// its text, which `labbook test` and the grader send, and the site file (`asset`,
    /// relative to the site root) a page loads it from instead of carrying it.
    Split {
        /// The file's text.
        text: String,
        /// `runtime/data/….js`.
        asset: String,
    },
}

impl FileContent {
    /// The raw bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            FileContent::Text(t) | FileContent::Split { text: t, .. } => t.as_bytes(),
            FileContent::Binary(b) => b,
        }
    }
}

/// One check of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Shown beside the verdict.
    pub name: String,
    /// Hidden checks show their verdict, not their content.
    pub hidden: bool,
    /// Shown to a reader whose code fails the check (`feedback:`), instead of nothing for a
    /// hidden check: a hint in the author's words that does not reveal the check.
    pub feedback: Option<String>,
    /// What is checked.
    pub kind: CheckKind,
}

/// What a check compares.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    /// The whole stdout, exactly.
    Stdout(String),
    /// A regular expression searched in stdout.
    StdoutRegex(String),
    /// Every number in stdout, in order, each within `tolerance`.
    StdoutNumbers {
        /// The expected numbers.
        numbers: Vec<f64>,
        /// Relative-or-absolute tolerance; `None` means the runner's default (1e-6).
        tolerance: Option<f64>,
    },
    /// Python run after the entry file in its globals (python runtime only).
    Code(String),
    /// A name or import the code must not use (`forbid:`), checked on the parsed program by
    /// the python runtime (python runtime only).
    Forbid(String),
}

/// Limits of one run, resolved against the book's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time.
    pub time_ms: u64,
    /// Linear memory.
    pub memory_bytes: u64,
    /// Captured stdout (and stderr, each).
    pub output_bytes: u64,
}

/// When the page offers the solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShowSolution {
    /// After the student has run or checked once.
    AfterAttempt,
    /// From the start.
    Always,
    /// Never (graded work).
    Never,
}

/// `exercise.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExerciseSpec {
    title: String,
    #[serde(default)]
    runtime: Option<String>,
    #[serde(default)]
    instructions: String,
    starter: PathBuf,
    solution: PathBuf,
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    files: Vec<PathBuf>,
    #[serde(default)]
    checks: Vec<CheckSpec>,
    #[serde(default)]
    hints: Vec<String>,
    #[serde(default)]
    limits: LimitsSpec,
    #[serde(default = "yes")]
    starter_fails: bool,
    #[serde(default)]
    show_solution: Option<ShowSolution>,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    points: Option<f64>,
    #[serde(default)]
    forbid: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One entry of `checks:` as written: a name and exactly one kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CheckSpec {
    name: String,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    stdout: Option<String>,
    #[serde(default)]
    stdout_regex: Option<String>,
    #[serde(default, deserialize_with = "numbers")]
    stdout_numbers: Option<Vec<f64>>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    file: Option<PathBuf>,
    #[serde(default)]
    feedback: Option<String>,
}

/// `stdout-numbers:` takes a list of numbers.
fn numbers<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    Vec::<f64>::deserialize(d).map(Some)
}

/// Loads every `exercises/<id>/exercise.yaml` under `root`, sorted by id. `runtimes` are the
/// names `book.yaml` declares besides `python`. All problems are reported together.
pub fn load_exercises(
    root: &Path,
    defaults: &ExerciseDefaults,
    runtimes: &[&str],
) -> Result<Vec<Exercise>, Diagnostics> {
    let dir = root.join("exercises");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut ids = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| Diagnostic::file("exercises", format!("cannot read: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| Diagnostic::file("exercises", format!("cannot read: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        ids.push(name);
    }
    ids.sort();
    let mut exercises = Vec::new();
    let mut errors = Vec::new();
    for id in ids {
        match load_exercise(root, &id, defaults, runtimes) {
            Ok(ex) => exercises.push(ex),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(exercises)
    } else {
        Err(Diagnostics(errors))
    }
}

/// Loads `exercises/<id>/exercise.yaml` and the files it names.
pub fn load_exercise(
    root: &Path,
    id: &str,
    defaults: &ExerciseDefaults,
    runtimes: &[&str],
) -> Result<Exercise, Diagnostic> {
    let rel_dir = Path::new("exercises").join(id);
    let display = rel_dir.join("exercise.yaml");
    if !valid_id(id) {
        return Err(Diagnostic::file(
            &rel_dir,
            format!("`{id}` is not a valid exercise id: use letters, digits, `-` and `_` (it becomes part of URLs)"),
        ));
    }
    let abs_dir = root.join(&rel_dir);
    let text = match std::fs::read(abs_dir.join("exercise.yaml")) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::at_offset(&display, &text, e.utf8_error().valid_up_to(), 1, "the file is not valid UTF-8")
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Diagnostic::file(&display, "missing: every folder under exercises/ needs an exercise.yaml"))
        }
        Err(e) => return Err(Diagnostic::file(&display, format!("cannot read: {e}"))),
    };
    let spec: ExerciseSpec = parse_yaml(&text, &display, 1)?;
    let at = |needle: &str, message: String| {
        let (line, column) = locate(&text, needle);
        Diagnostic::new(&display, line, column, message)
    };
    if spec.title.trim().is_empty() {
        return Err(at("title:", "`title` must not be empty".into()));
    }
    let runtime = spec.runtime.unwrap_or_else(|| PYTHON.to_string());
    if !Runtime::is_built_in(&runtime) && !runtimes.contains(&runtime.as_str()) {
        let known: Vec<&str> = BUILT_IN.iter().map(|b| b.name).chain(runtimes.iter().copied()).collect();
        return Err(at(
            "runtime:",
            format!(
                "unknown runtime `{runtime}`; known: {} (add others under `runtimes:` in book.yaml)",
                known.join(", ")
            ),
        ));
    }
    let read_text = |key: &str, file: &Path| -> Result<String, Diagnostic> {
        let bytes = read_inside(&abs_dir, file).map_err(|why| at(&format!("{key}:"), format!("`{key}`: {why}")))?;
        String::from_utf8(bytes).map_err(|_| at(&format!("{key}:"), format!("`{}` is not UTF-8 text", file.display())))
    };
    let starter = read_text("starter", &spec.starter)?;
    let solution = read_text("solution", &spec.solution)?;
    let entry = spec.entry.unwrap_or_else(|| default_entry(&runtime, &spec.starter));
    if !valid_file_name(&entry) {
        return Err(at("entry:", format!("`entry` must be a plain file name, not `{entry}`")));
    }
    let mut files = BTreeMap::new();
    for file in &spec.files {
        let name = file.to_string_lossy().replace('\\', "/");
        if !valid_relative(file) {
            return Err(at(&name, format!("`files`: `{name}` must be a relative path inside the exercise folder")));
        }
        if name == entry {
            return Err(at(&name, format!("`files`: `{name}` is the entry file, which holds the student's code")));
        }
        let bytes = read_inside(&abs_dir, file).map_err(|why| at(&name, format!("`files`: {why}")))?;
        let content = match String::from_utf8(bytes) {
            Ok(text) => FileContent::Text(text),
            Err(e) => FileContent::Binary(e.into_bytes()),
        };
        files.insert(name, content);
    }
    let mut checks = Vec::new();
    for (i, c) in spec.checks.into_iter().enumerate() {
        let here =
            |message: String| at(&format!("name: {}", c.name), format!("check {} `{}`: {message}", i + 1, c.name));
        let kinds = [
            c.stdout.is_some(),
            c.stdout_regex.is_some(),
            c.stdout_numbers.is_some(),
            c.code.is_some(),
            c.file.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(here(
                "give exactly one of `stdout`, `stdout-regex`, `stdout-numbers`, `code` or `file`".into(),
            ));
        }
        if c.tolerance.is_some() && c.stdout_numbers.is_none() {
            return Err(here("`tolerance` applies to `stdout-numbers` only".into()));
        }
        if let Some(t) = c.tolerance {
            labbook_checks::validate_tolerance(t).map_err(&here)?;
        }
        let kind = if let Some(s) = c.stdout {
            CheckKind::Stdout(s)
        } else if let Some(r) = c.stdout_regex {
            labbook_checks::compile_regex(&r)
                .map_err(|e| here(format!("`stdout-regex` is not a valid regular expression: {e}")))?;
            CheckKind::StdoutRegex(r)
        } else if let Some(numbers) = c.stdout_numbers {
            if let Some(bad) = numbers.iter().find(|n| !n.is_finite()) {
                // Checks travel to the runtimes as JSON, where NaN and infinities become null.
                return Err(here(format!(
                    "`stdout-numbers` holds {bad}; only finite numbers can be expected (JSON, which carries checks to the runtime, has no NaN or infinity)"
                )));
            }
            CheckKind::StdoutNumbers { numbers, tolerance: c.tolerance }
        } else if let Some(code) = c.code {
            CheckKind::Code(code)
        } else {
            let file = c.file.expect("one kind is set");
            let code = read_inside(&abs_dir, &file).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(|| {
                here(format!("`file`: cannot read `{}` as text in {}", file.display(), rel_dir.display()))
            })?;
            CheckKind::Code(code)
        };
        if matches!(kind, CheckKind::Code(_)) && !Runtime::is_built_in(&runtime) {
            return Err(here(format!(
                "`code` checks run Python inside the python runtime; the `{runtime}` runtime takes only `stdout`, `stdout-regex` and `stdout-numbers` checks"
            )));
        }
        let feedback = match c.feedback.map(|f| f.trim().to_string()) {
            Some(f) if f.is_empty() => {
                return Err(here("`feedback` is empty: say what the reader should look at".into()))
            }
            other => other,
        };
        checks.push(Check { name: c.name, hidden: c.hidden, feedback, kind });
    }
    for rule in &spec.forbid {
        let here = || at("forbid:", String::new());
        labbook_checks::ForbidRule::parse(rule)
            .map_err(|why| Diagnostic { message: format!("`forbid`: {why}"), ..here() })?;
        if !Runtime::is_built_in(&runtime) {
            return Err(Diagnostic {
                message: format!(
                    "`forbid` is checked on the parsed program by the built-in python runtimes; the `{runtime}` runtime has no such check"
                ),
                ..here()
            });
        }
        let rule = labbook_checks::ForbidRule::parse(rule).expect("parsed above");
        checks.push(Check {
            name: rule.check_name(),
            hidden: false,
            feedback: None,
            kind: CheckKind::Forbid(rule.text()),
        });
    }
    let limits = spec.limits.resolve(&defaults.limits.resolve(&Limits::DEFAULT));
    let points = spec.points.unwrap_or(1.0);
    if !(points.is_finite() && points >= 0.0) {
        return Err(at("points:", format!("`points` must be a number of at least 0, not {points}")));
    }
    Ok(Exercise {
        id: id.to_string(),
        display,
        title: spec.title,
        runtime,
        instructions: spec.instructions,
        starter,
        solution,
        entry,
        files,
        checks,
        hints: spec.hints,
        limits,
        starter_fails: spec.starter_fails,
        show_solution: spec.show_solution.unwrap_or(ShowSolution::AfterAttempt),
        seed: spec.seed,
        points,
    })
}

impl Limits {
    /// Contract 3's defaults: 2 s, 64 MB, 64 KB.
    pub const DEFAULT: Limits = Limits { time_ms: 2000, memory_bytes: 64 << 20, output_bytes: 64 << 10 };
}

/// `main.py` for the python runtimes; for another runtime, the starter's own name.
fn default_entry(runtime: &str, starter: &Path) -> String {
    if Runtime::is_built_in(runtime) {
        return "main.py".to_string();
    }
    starter.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "main".into())
}

/// Ids become URL fragments and folder names in the site: keep them plain.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn valid_file_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

fn valid_relative(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Reads `file` relative to the exercise folder; the reason as text when it fails.
fn read_inside(dir: &Path, file: &Path) -> Result<Vec<u8>, String> {
    if !valid_relative(file) {
        return Err(format!("`{}` must be a relative path inside the exercise folder", file.display()));
    }
    std::fs::read(dir.join(file)).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("the file `{}` does not exist in {}", file.display(), dir_name(dir)),
        _ => format!("cannot read `{}`: {e}", file.display()),
    })
}

fn dir_name(dir: &Path) -> String {
    let parts: Vec<_> = dir.components().rev().take(2).collect();
    parts.iter().rev().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn load(dir: &tempfile::TempDir) -> Result<Exercise, Diagnostic> {
        load_exercise(dir.path(), "ex", &ExerciseDefaults::default(), &["wasm"])
    }

    const BASE: &str = "title: T\nstarter: s.py\nsolution: a.py\n";

    #[test]
    fn loads_checks_files_and_defaults() {
        let yaml = format!(
            "{BASE}files: [data.txt]\nchecks:\n  - name: out\n    stdout: \"1\\n\"\n  - name: nums\n    stdout-numbers: [1, 2.5]\n    tolerance: 0.01\n  - name: c\n    file: check.py\n    hidden: true\nlimits: {{time: 500ms}}\n"
        );
        let dir = book(&[
            ("exercises/ex/exercise.yaml", &yaml),
            ("exercises/ex/s.py", "pass\n"),
            ("exercises/ex/a.py", "print(1)\n"),
            ("exercises/ex/data.txt", "x"),
            ("exercises/ex/check.py", "assert True\n"),
        ]);
        let ex = load(&dir).unwrap();
        assert_eq!(ex.runtime, "python");
        assert_eq!(ex.entry, "main.py");
        assert_eq!(ex.starter, "pass\n");
        assert_eq!(ex.files["data.txt"], FileContent::Text("x".into()));
        assert_eq!(ex.checks[0].kind, CheckKind::Stdout("1\n".into()));
        assert_eq!(ex.checks[1].kind, CheckKind::StdoutNumbers { numbers: vec![1.0, 2.5], tolerance: Some(0.01) });
        assert_eq!(ex.checks[2].kind, CheckKind::Code("assert True\n".into()));
        assert!(ex.checks[2].hidden);
        assert_eq!(ex.limits, Limits { time_ms: 500, ..Limits::DEFAULT });
        assert!(ex.starter_fails);
        assert_eq!(ex.show_solution, ShowSolution::AfterAttempt);
    }

    #[test]
    fn unknown_key_is_positioned() {
        let dir = book(&[("exercises/ex/exercise.yaml", &format!("{BASE}hint: x\n"))]);
        let e = load(&dir).unwrap_err();
        assert_eq!((e.line, e.column), (4, 1), "{e}");
        assert!(e.message.contains("unknown field `hint`"), "{e}");
    }

    #[test]
    fn missing_starter_names_the_key() {
        let dir = book(&[("exercises/ex/exercise.yaml", BASE), ("exercises/ex/a.py", "")]);
        let e = load(&dir).unwrap_err();
        assert_eq!(
            e.to_string(),
            "exercises/ex/exercise.yaml:2:1: `starter`: the file `s.py` does not exist in exercises/ex"
        );
    }

    #[test]
    fn unknown_runtime_and_foreign_code_check() {
        let files = |yaml: String| {
            book(&[("exercises/ex/exercise.yaml", &yaml), ("exercises/ex/s.py", ""), ("exercises/ex/a.py", "")])
        };
        let e = load(&files(format!("{BASE}runtime: ruby\n"))).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("unknown runtime `ruby`; known: python, python-lite, wasm"), "{e}");
        let e = load(&files(format!("{BASE}runtime: wasm\nchecks:\n  - name: c\n    code: assert 1\n"))).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("the `wasm` runtime takes only"), "{e}");
        let e = load(&files(format!("{BASE}checks:\n  - name: two\n    stdout: a\n    code: b\n"))).unwrap_err();
        assert!(e.message.contains("exactly one"), "{e}");
        let e = load(&files(format!("{BASE}checks:\n  - name: re\n    stdout-regex: \"(\"\n"))).unwrap_err();
        assert!(e.message.contains("not a valid regular expression"), "{e}");
        let e = load(&files(format!("{BASE}checks:\n  - name: look\n    stdout-regex: \"a(?=b)\"\n"))).unwrap_err();
        assert!(
            e.message.contains("look-around, including look-ahead and look-behind, is not supported (column 2, `(?=`)"),
            "{e}"
        );
        let e = load(&files(format!("{BASE}checks:\n  - name: nan\n    stdout-numbers: [1, .nan]\n"))).unwrap_err();
        assert!(e.message.contains("`stdout-numbers` holds NaN; only finite numbers"), "{e}");
    }

    #[test]
    fn bad_limits_are_positioned() {
        let dir = book(&[
            ("exercises/ex/exercise.yaml", &format!("{BASE}limits:\n  time: soon\n")),
            ("exercises/ex/s.py", ""),
            ("exercises/ex/a.py", ""),
        ]);
        let e = load(&dir).unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("a duration"), "{e}");
    }

    #[test]
    fn escaping_paths_are_refused() {
        let dir = book(&[
            ("exercises/ex/exercise.yaml", "title: T\nstarter: ../../book.yaml\nsolution: a.py\n"),
            ("exercises/ex/a.py", ""),
            ("book.yaml", "title: x\n"),
        ]);
        let e = load(&dir).unwrap_err();
        assert!(e.message.contains("relative path inside the exercise folder"), "{e}");
    }
}

/// Property tests of `exercise.yaml`: the course's real files with random edits (or any
/// text), loaded from a scratch book that has the files they name. No panic, no hang, and an
/// exercise or an error that points into the file. `fuzz/` runs the same property longer.
#[cfg(test)]
mod props {
    use super::*;
    use labbook_core::testing::{mutate, within, Edit};
    use proptest::prelude::*;

    const SEEDS: &[&str] = &[
        include_str!("../../../exercises/softmax/exercise.yaml"),
        include_str!("../../../exercises/bigram-sampling/exercise.yaml"),
        include_str!("../../../exercises/knn-digits/exercise.yaml"),
        include_str!("../../../exercises/gradient-step/exercise.yaml"),
    ];

    fn text() -> impl Strategy<Value = String> {
        let edit = (any::<usize>(), any::<u8>(), any::<usize>()).prop_map(|(at, kind, arg)| Edit { at, kind, arg });
        prop_oneof![
            4 => (0..SEEDS.len(), proptest::collection::vec(edit, 0..12)).prop_map(|(i, e)| mutate(SEEDS[i], &e)),
            1 => "(?s).{0,300}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: labbook_core::testing::cases(64), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn exercise_yaml_gives_an_exercise_or_a_located_error(text in text()) {
            let book = tempfile::tempdir().unwrap();
            let dir = book.path().join("exercises/ex");
            std::fs::create_dir_all(&dir).unwrap();
            for file in ["starter.py", "solution.py", "check.py"] {
                std::fs::write(dir.join(file), "def f(x):\n    return x\n").unwrap();
            }
            std::fs::write(dir.join("exercise.yaml"), &text).unwrap();
            let root = book.path().to_path_buf();
            let result = within("exercise.yaml", move || {
                load_exercise(&root, "ex", &ExerciseDefaults::default(), &["cat"]).map(|_| ())
            });
            if let Err(e) = result {
                prop_assert!(e.points_into(Path::new("exercises/ex/exercise.yaml"), &text), "{e:?}\n{text}");
            }
        }
    }
}
