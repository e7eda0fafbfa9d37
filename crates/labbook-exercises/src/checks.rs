//! Running an exercise: the runner request (contract 1), the result, and the host's own
//! evaluation of `stdout*` checks for runtimes that do not check themselves.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::runtime::Runtime;
use super::sandbox::{self, Invocation, RunLimits, Stopped};
use super::spec::{Check, CheckKind, Exercise, FileContent};

/// The default tolerance of `stdout-numbers` (contract 1).
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// The result of one run (contract 1's result, plus `stopped` when the host killed it).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RunResult {
    /// What the student's code printed.
    #[serde(default)]
    pub stdout: String,
    /// What it printed to stderr.
    #[serde(default)]
    pub stderr: String,
    /// Whether output was cut at the limit.
    #[serde(default)]
    pub truncated: bool,
    /// The exception the entry raised, if any.
    #[serde(default)]
    pub error: Option<RunError>,
    /// Each check's verdict, in order.
    #[serde(default)]
    pub checks: Vec<CheckResult>,
    /// No error, not stopped, and every check passed.
    #[serde(default)]
    pub passed: bool,
    /// Time the run took, as the runtime measured it.
    #[serde(default)]
    pub duration_ms: f64,
    /// Why the host killed the run (`time limit of 2 s exceeded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// An exception raised by the student's code.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RunError {
    /// `NameError`, ...
    #[serde(default, rename = "type")]
    pub kind: String,
    /// The exception's message.
    #[serde(default)]
    pub message: String,
    /// The file it was raised in.
    #[serde(default)]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(default)]
    pub line: Option<u32>,
    /// 1-based column.
    #[serde(default)]
    pub column: Option<u32>,
    /// The formatted traceback.
    #[serde(default)]
    pub traceback: Option<String>,
}

/// One check's verdict.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CheckResult {
    /// The check's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why not (or a note).
    #[serde(default)]
    pub message: String,
    /// Whether its content is hidden from students.
    #[serde(default)]
    pub hidden: bool,
}

impl RunResult {
    /// Checks passed, checks in all.
    pub fn score(&self) -> (usize, usize) {
        (self.checks.iter().filter(|c| c.passed).count(), self.checks.len())
    }
}

/// Contract 1's request for `code` as the exercise's entry file, without the student's code
/// when `code` is `None` (the page adds it in the browser).
pub fn request(exercise: &Exercise, code: Option<&str>) -> Value {
    let mut files = serde_json::Map::new();
    if let Some(code) = code {
        files.insert(exercise.entry.clone(), Value::String(code.to_string()));
    }
    for (name, content) in &exercise.files {
        let value = match content {
            FileContent::Text(t) => Value::String(t.clone()),
            FileContent::Binary(b) => json!({ "base64": base64::engine::general_purpose::STANDARD.encode(b) }),
        };
        files.insert(name.clone(), value);
    }
    json!({
        "files": files,
        "entry": exercise.entry,
        "checks": exercise.checks.iter().map(check_json).collect::<Vec<_>>(),
        "seed": exercise.seed,
        "max_output": exercise.limits.output_bytes,
        // The runner's own allocation budget, a little under the host's hard cap on linear
        // memory (its interpreter and buffers need the rest): a program that allocates too
        // much gets a MemoryError it can read, and the cap stays the backstop.
        "max_memory": exercise.limits.memory_bytes / 8 * 7,
    })
}

fn check_json(check: &Check) -> Value {
    let mut v = json!({ "name": check.name, "hidden": check.hidden });
    let map = v.as_object_mut().expect("an object");
    match &check.kind {
        CheckKind::Stdout(s) => map.insert("stdout".into(), json!(s)),
        CheckKind::StdoutRegex(r) => map.insert("stdout_regex".into(), json!(r)),
        CheckKind::StdoutNumbers { numbers, tolerance } => {
            map.insert("tolerance".into(), json!(tolerance.unwrap_or(DEFAULT_TOLERANCE)));
            map.insert("stdout_numbers".into(), json!(numbers))
        }
        CheckKind::Code(c) => map.insert("code".into(), json!(c)),
    };
    v
}

/// Runs `code` as the exercise's entry file in its runtime and returns the verdict.
/// `Err` only when the runtime itself cannot be started (not for anything the code does).
pub fn run_exercise(exercise: &Exercise, runtime: &Runtime, code: &str) -> anyhow::Result<RunResult> {
    let sandbox = sandbox::global()?;
    let limits = exercise.limits;
    if runtime.self_checking() {
        let request = serde_json::to_vec(&request(exercise, Some(code))).expect("JSON serializes");
        // The runner's stdout is the JSON result: the student's output (capped by the runner
        // at `max_output`) escaped, plus checks and metadata. Leave it room for all that.
        let result_room = limits.output_bytes.saturating_mul(8).saturating_add(1 << 20);
        let run = RunLimits {
            time_ms: limits.time_ms,
            memory_bytes: limits.memory_bytes,
            stdout_bytes: result_room,
            stderr_bytes: limits.output_bytes,
        };
        let args = [runtime.name().to_string()];
        let outcome =
            sandbox.run(runtime.module(), &Invocation { args: &args, stdin: request, preopen: None, limits: run })?;
        if let Some(stopped) = outcome.stopped {
            return Ok(stopped_result(exercise, &stopped, String::new(), lossy(&outcome.stderr), outcome.duration));
        }
        return Ok(match serde_json::from_slice::<RunResult>(&outcome.stdout) {
            Ok(mut result) if outcome.exit_code == Some(0) => {
                // `passed` as the contract defines it, whatever the runner said.
                result.passed = result.error.is_none() && result.checks.iter().all(|c| c.passed);
                result
            }
            _ => runtime_failure(exercise, outcome.exit_code, &outcome.stdout, &outcome.stderr),
        });
    }
    run_foreign(exercise, runtime, code, sandbox)
}

/// A foreign runtime: the files in a private read-only folder preopened as `.`, args
/// `[name, entry]`, and the host checks stdout.
fn run_foreign(
    exercise: &Exercise,
    runtime: &Runtime,
    code: &str,
    sandbox: &sandbox::Sandbox,
) -> anyhow::Result<RunResult> {
    use anyhow::Context as _;
    // wasmtime-wasi 48 preopens only host directories (cap-std), so the files are written to
    // a fresh temporary folder that only this run sees, made read-only, and deleted after.
    let dir = tempfile::Builder::new().prefix("labbook-run-").tempdir().context("creating a folder for the run")?;
    let mut files: BTreeMap<&str, &[u8]> = exercise.files.iter().map(|(n, c)| (n.as_str(), c.bytes())).collect();
    files.insert(&exercise.entry, code.as_bytes());
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let limits = exercise.limits;
    let run = RunLimits {
        time_ms: limits.time_ms,
        memory_bytes: limits.memory_bytes,
        stdout_bytes: limits.output_bytes,
        stderr_bytes: limits.output_bytes,
    };
    let args = [runtime.name().to_string(), exercise.entry.clone()];
    let outcome = sandbox.run(
        runtime.module(),
        &Invocation { args: &args, stdin: Vec::new(), preopen: Some(dir.path()), limits: run },
    )?;
    let (stdout, stderr) = (lossy(&outcome.stdout), lossy(&outcome.stderr));
    if let Some(stopped) = outcome.stopped {
        return Ok(stopped_result(exercise, &stopped, stdout, stderr, outcome.duration));
    }
    let status = outcome.exit_code.unwrap_or(0);
    let error = (status != 0).then(|| RunError {
        kind: "ExitStatus".into(),
        message: format!("the program exited with status {status}"),
        traceback: (!stderr.is_empty()).then(|| stderr.clone()),
        ..Default::default()
    });
    let checks: Vec<CheckResult> = exercise
        .checks
        .iter()
        .map(|check| {
            let verdict = match &error {
                Some(e) => Err(format!("your program failed: {}", e.message)),
                None => evaluate_stdout(&check.kind, &stdout, check.hidden),
            };
            CheckResult {
                name: check.name.clone(),
                passed: verdict.is_ok(),
                message: verdict.err().unwrap_or_default(),
                hidden: check.hidden,
            }
        })
        .collect();
    let passed = error.is_none() && checks.iter().all(|c| c.passed);
    Ok(RunResult {
        stdout,
        stderr,
        truncated: false,
        error,
        checks,
        passed,
        duration_ms: outcome.duration.as_secs_f64() * 1000.0,
        stopped: None,
    })
}

/// Every check failed with the stop reason (contract 1).
fn stopped_result(
    exercise: &Exercise,
    stopped: &Stopped,
    stdout: String,
    stderr: String,
    duration: std::time::Duration,
) -> RunResult {
    let reason = stopped.to_string();
    RunResult {
        stdout,
        stderr,
        truncated: matches!(stopped, Stopped::Output(_)),
        error: None,
        checks: exercise
            .checks
            .iter()
            .map(|c| CheckResult {
                name: c.name.clone(),
                passed: false,
                message: format!("stopped: {reason}"),
                hidden: c.hidden,
            })
            .collect(),
        passed: false,
        duration_ms: duration.as_secs_f64() * 1000.0,
        stopped: Some(reason),
    }
}

/// The runner exited abnormally or printed something that is not a result.
fn runtime_failure(exercise: &Exercise, exit: Option<i32>, stdout: &[u8], stderr: &[u8]) -> RunResult {
    let stderr = lossy(stderr);
    let what = match exit {
        Some(0) => "printed no valid result".to_string(),
        Some(code) => format!("exited with status {code}"),
        None => "ended abnormally".to_string(),
    };
    let message = format!("the runtime {what}");
    let mut detail = stderr.trim().to_string();
    if detail.is_empty() {
        detail = lossy(stdout).chars().take(500).collect();
    }
    RunResult {
        stdout: String::new(),
        stderr,
        truncated: false,
        error: Some(RunError {
            kind: "RuntimeError".into(),
            message: message.clone(),
            traceback: (!detail.is_empty()).then_some(detail),
            ..Default::default()
        }),
        checks: exercise
            .checks
            .iter()
            .map(|c| CheckResult { name: c.name.clone(), passed: false, message: message.clone(), hidden: c.hidden })
            .collect(),
        passed: false,
        duration_ms: 0.0,
        stopped: None,
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Contract 1's semantics of a `stdout*` check, for runtimes that do not check themselves;
/// the verdicts and messages are the Python runner's (`runner/src/checks.rs`), so a foreign
/// runtime's student reads the same words. A hidden check's message gives nothing away.
/// A `code` check cannot run on the host; loading refuses it on foreign runtimes.
pub fn evaluate_stdout(kind: &CheckKind, stdout: &str, hidden: bool) -> Result<(), String> {
    match kind {
        CheckKind::Stdout(expected) => {
            if stdout == expected {
                return Ok(());
            }
            if hidden {
                return Err("the output is not the expected one".into());
            }
            let (got, want): (Vec<&str>, Vec<&str>) = (stdout.lines().collect(), expected.lines().collect());
            let line = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
            Err(match (got.get(line), want.get(line)) {
                (Some(g), Some(w)) => format!("line {} of the output is {g:?}, expected {w:?}", line + 1),
                (None, Some(w)) => format!("the output stops after {line} line(s); expected next: {w:?}"),
                (Some(g), None) => format!("the output has extra line {}: {g:?}", line + 1),
                (None, None) => {
                    format!("the output differs in its line endings: got {stdout:?}, expected {expected:?}")
                }
            })
        }
        CheckKind::StdoutRegex(pattern) => match regex::Regex::new(pattern) {
            Ok(re) if re.is_match(stdout) => Ok(()),
            Ok(_) if hidden => Err("the output does not have the expected form".into()),
            Ok(_) => Err(format!("the output does not match /{pattern}/")),
            Err(e) => Err(format!("the check's regular expression is invalid: {e}")),
        },
        CheckKind::StdoutNumbers { numbers, tolerance } => {
            let tolerance = tolerance.unwrap_or(DEFAULT_TOLERANCE);
            let found = numbers_in(stdout);
            if found.len() != numbers.len() {
                return Err(format!("expected {} number(s) in the output, found {}", numbers.len(), found.len()));
            }
            for (i, (got, want)) in found.iter().zip(numbers).enumerate() {
                let diff = (got - want).abs();
                let close = diff <= tolerance
                    || diff <= tolerance * want.abs()
                    || (got.is_nan() && want.is_nan())
                    || got == want;
                if !close {
                    return Err(if hidden {
                        format!("number {} of the output is not the expected value", i + 1)
                    } else {
                        format!("number {} of the output is {got}, expected {want} (tolerance {tolerance})", i + 1)
                    });
                }
            }
            Ok(())
        }
        CheckKind::Code(_) => Err("a `code` check needs the python runtime".into()),
    }
}

/// Every number written in `text`, in order: integers, decimals, exponents, `nan` and `inf`.
/// Digits inside a word (`x1`, `3rd`, `float64`) are not numbers.
pub fn numbers_in(text: &str) -> Vec<f64> {
    static NUMBER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let number = NUMBER.get_or_init(|| {
        regex::Regex::new(r"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|(?i:nan|inf(?:inity)?))")
            .expect("a valid pattern")
    });
    let in_word = |c: char| c.is_alphanumeric() || c == '_';
    number
        .find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(|c| in_word(c) || c == '.') && !after.is_some_and(in_word)
        })
        .filter_map(|m| m.as_str().parse::<f64>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_in_order() {
        assert_eq!(numbers_in("p = [0.09, 0.24, 0.67]\n"), vec![0.09, 0.24, 0.67]);
        assert_eq!(numbers_in("loss -1.5e-3 at step 10."), vec![-1.5e-3, 10.0]);
        assert_eq!(numbers_in("x2 v1.5 3rd float64 .5"), vec![0.5]);
        assert!(numbers_in("no numbers").is_empty());
        assert!(numbers_in("nan")[0].is_nan());
    }

    #[test]
    fn stdout_checks() {
        let exact = |want: &str, got: &str, hidden| evaluate_stdout(&CheckKind::Stdout(want.into()), got, hidden);
        assert!(exact("a\n", "a\n", false).is_ok());
        assert_eq!(exact("a\nb\n", "a\nc\n", false).unwrap_err(), "line 2 of the output is \"c\", expected \"b\"");
        assert_eq!(exact("a\n", "b\n", true).unwrap_err(), "the output is not the expected one");
        let regex = |p: &str, got: &str| evaluate_stdout(&CheckKind::StdoutRegex(p.into()), got, false);
        assert!(regex("^0\\.09", "0.0900").is_ok());
        assert_eq!(regex("^1", "0.09").unwrap_err(), "the output does not match /^1/");
        let nums = |n: Vec<f64>, t, got: &str| {
            evaluate_stdout(&CheckKind::StdoutNumbers { numbers: n, tolerance: t }, got, false)
        };
        assert!(nums(vec![1.0, 2.0], None, "1.0000001 2").is_ok());
        assert!(nums(vec![1000.0], Some(0.001), "1000.5").is_ok(), "relative");
        assert_eq!(
            nums(vec![1.0], Some(0.01), "1.5").unwrap_err(),
            "number 1 of the output is 1.5, expected 1 (tolerance 0.01)"
        );
        assert_eq!(nums(vec![1.0], None, "1 2").unwrap_err(), "expected 1 number(s) in the output, found 2");
    }
}
