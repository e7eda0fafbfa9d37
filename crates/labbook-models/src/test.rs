//! The models' part of `labbook test`: every "Try it" example that states an expected output
//! runs in the exercises' python runtime, under wasmtime.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use labbook_core::content::Book;
use labbook_exercises::sandbox::{self, Invocation, RunLimits};
use labbook_exercises::Runtime;

/// What `labbook test` found for one model widget example that states an expected output.
#[derive(Debug, Clone)]
pub struct WidgetVerdict {
    /// `content/models/<id>/README.md:<line>` and the example's title.
    pub name: String,
    /// Why it failed, or None.
    pub problem: Option<String>,
    /// The run's time.
    pub duration: Duration,
}

/// `labbook test` for models: every "Try it" example of a model card that states an
/// expected output runs in the python runtime, under the default exercise limits, and must
/// give that output.
pub fn test_widgets(book: &Book) -> Result<Vec<WidgetVerdict>> {
    let cases = crate::widget::book_widget_cases(book)?;
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let sandbox = sandbox::global()?;
    let python = Runtime::python();
    sandbox.warm(python.module())?;
    let limits = labbook_exercises::Limits::DEFAULT;
    let run_limits = RunLimits {
        time_ms: limits.time_ms,
        memory_bytes: limits.memory_bytes,
        stdout_bytes: limits.output_bytes.saturating_mul(8).saturating_add(1 << 20),
        stderr_bytes: limits.output_bytes,
    };
    let verdicts = labbook_exercises::drive::pool()?.install(|| {
        cases
            .par_iter()
            .map(|case| {
                let started = Instant::now();
                let args = [python.name().to_string()];
                let stdin = serde_json::to_vec(&case.request).expect("JSON serializes");
                let invocation = Invocation { args: &args, stdin, preopen: None, limits: run_limits };
                let problem = match sandbox.run(python.module(), &invocation) {
                    Ok(outcome) => {
                        match (&outcome.stopped, serde_json::from_slice::<serde_json::Value>(&outcome.stdout)) {
                            (Some(stopped), _) => Some(format!("{}: stopped: {stopped}", case.location())),
                            (None, Ok(result)) => case.failure(&result),
                            (None, Err(_)) => Some(format!(
                                "{}: the runtime gave no result (exit {:?}): {}",
                                case.location(),
                                outcome.exit_code,
                                String::from_utf8_lossy(&outcome.stderr).trim()
                            )),
                        }
                    }
                    Err(e) => Some(format!("{}: could not run: {e:#}", case.location())),
                };
                WidgetVerdict { name: format!("{} `{}`", case.model, case.title), problem, duration: started.elapsed() }
            })
            .collect()
    });
    Ok(verdicts)
}

/// One line per widget example and a summary line.
pub fn format_widget_report(verdicts: &[WidgetVerdict]) -> String {
    let mut out = String::new();
    for v in verdicts {
        let status = if v.problem.is_none() { "ok  " } else { "FAIL" };
        let _ = writeln!(out, "{status}  widget {} ({} ms)", v.name, v.duration.as_millis());
        if let Some(p) = &v.problem {
            let _ = writeln!(out, "      {p}");
        }
    }
    let failed = verdicts.iter().filter(|v| v.problem.is_some()).count();
    let _ = writeln!(out, "{} widget examples: {} ok, {failed} failed", verdicts.len(), verdicts.len() - failed);
    out
}
