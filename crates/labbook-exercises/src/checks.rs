//! Running an exercise: the runner request (contract 1), the result, and the verdicts of
//! `stdout*` checks for runtimes that do not check themselves (by `labbook-checks`, the rules
//! the python runtime and the browser use too).

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::runtime::Runtime;
use super::sandbox::{self, Invocation, RunLimits, Stopped};
use super::spec::{Check, CheckKind, Exercise, FileContent};

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
    /// The python runtime's note on an error a reader cannot act on alone (a module it does
    /// not have, syntax it does not support): what this course's Python offers instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The note as a code and arguments, for a page to say in its language
    /// (`exercise_note_<code>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_reason: Option<labbook_checks::Reason>,
}

/// One check's verdict (contract 1), as the runtime and the host's own checks give it.
pub use labbook_checks::Verdict as CheckResult;

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
            FileContent::Text(t) | FileContent::Split { text: t, .. } => Value::String(t.clone()),
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

/// The check as contract 1's request carries it.
pub fn check_json(check: &Check) -> Value {
    serde_json::to_value(wire_check(check)).expect("a check serializes")
}

/// The verdict on `check` from an outcome the host judged (a foreign runtime's output, a
/// stopped or unstartable run), made the way the runner makes its own.
fn verdict(check: &Check, outcome: Result<(), impl Into<labbook_checks::Failure>>) -> CheckResult {
    CheckResult::of(&wire_check(check), outcome)
}

/// The check in contract 1's terms.
fn wire_check(check: &Check) -> labbook_checks::Check {
    let mut wire = labbook_checks::Check {
        name: check.name.clone(),
        hidden: check.hidden,
        feedback: check.feedback.clone(),
        ..Default::default()
    };
    match &check.kind {
        CheckKind::Stdout(s) => wire.stdout = Some(s.clone()),
        CheckKind::StdoutRegex(r) => wire.stdout_regex = Some(r.clone()),
        CheckKind::StdoutNumbers { numbers, tolerance } => {
            wire.stdout_numbers = Some(numbers.clone());
            wire.tolerance = Some(tolerance.unwrap_or(labbook_checks::DEFAULT_TOLERANCE));
        }
        CheckKind::Code(c) => wire.code = Some(c.clone()),
        CheckKind::Forbid(rule) => wire.forbid = Some(rule.clone()),
    }
    wire
}

/// The rule of a `stdout*` check; `None` for a `code` check, which only the python runtime runs.
fn output_rule(kind: &CheckKind) -> Option<labbook_checks::Rule<'_>> {
    use labbook_checks::Rule;
    match kind {
        CheckKind::Stdout(expected) => Some(Rule::Stdout(expected)),
        CheckKind::StdoutRegex(pattern) => Some(Rule::Regex(pattern)),
        CheckKind::StdoutNumbers { numbers, tolerance } => {
            Some(Rule::Numbers { expected: numbers, tolerance: tolerance.unwrap_or(labbook_checks::DEFAULT_TOLERANCE) })
        }
        CheckKind::Code(_) | CheckKind::Forbid(_) => None,
    }
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
            if error.is_some() {
                return CheckResult::not_judged(
                    &wire_check(check),
                    labbook_checks::Reason::new("exit_status", &[("status", status.to_string())]),
                );
            }
            let outcome = match output_rule(&check.kind) {
                Some(rule) => rule.evaluate(&stdout, check.hidden).map_err(labbook_checks::Failure::from),
                // Loading refuses `code` checks on foreign runtimes.
                None => Err("a `code` check needs the python runtime".to_owned().into()),
            };
            verdict(check, outcome)
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
            .map(|c| CheckResult::not_judged(&wire_check(c), format!("stopped: {reason}")))
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
        checks: exercise.checks.iter().map(|c| CheckResult::not_judged(&wire_check(c), message.clone())).collect(),
        passed: false,
        duration_ms: 0.0,
        stopped: None,
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
