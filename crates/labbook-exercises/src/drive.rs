//! The teacher's commands over a loaded book: `labbook test` (every solution passes, every
//! starter fails), `labbook run` (one file, offline) and `labbook grade` (a folder of
//! submissions to a CSV file).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use super::checks::{run_exercise, RunResult};
use super::runtime::Runtime;
use super::sandbox::{self, GUEST_THREAD_STACK};
use super::spec::Exercise;
use labbook_core::content::Book;

/// A mistake in the command line (an unknown exercise, a missing file): exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The exercise `id` of the book, or a usage error listing the known ones.
pub fn find<'a>(book: &'a Book, id: &str) -> Result<&'a Exercise, UsageError> {
    crate::exercises(book).list.iter().find(|e| e.id == id).ok_or_else(|| {
        let known: Vec<&str> = crate::exercises(book).list.iter().map(|e| e.id.as_str()).collect();
        let known =
            if known.is_empty() { "the book has none".to_string() } else { format!("known: {}", known.join(", ")) };
        UsageError(format!("no exercise `{id}` in {}; {known}", book.root.join("exercises").display()))
    })
}

/// The loaded runtime of an exercise (loading guarantees there is one).
pub fn runtime_of<'a>(book: &'a Book, exercise: &Exercise) -> &'a Runtime {
    crate::exercises(book).runtimes.get(&exercise.runtime).expect("loading keeps every runtime an exercise names")
}

/// Compiles (or loads from the cache) every runtime the book uses, one at a time, so that
/// parallel runs do not all compile the same module at once.
pub(crate) fn warm_up(book: &Book) -> Result<()> {
    let sandbox = sandbox::global()?;
    for runtime in crate::exercises(book).runtimes.values() {
        sandbox.warm(runtime.module()).with_context(|| format!("preparing the `{}` runtime", runtime.name()))?;
    }
    Ok(())
}

/// A thread pool whose threads have room for the guest's stack.
pub fn pool() -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .stack_size(GUEST_THREAD_STACK)
        .thread_name(|i| format!("labbook-run-{i}"))
        .build()
        .context("starting the runner threads")
}

/// What `labbook test` found for one exercise.
#[derive(Debug, Clone)]
pub struct ExerciseVerdict {
    /// The exercise id.
    pub id: String,
    /// Problems; empty means the exercise is fine.
    pub problems: Vec<String>,
    /// Checks the solution passed, of all.
    pub solution_score: (usize, usize),
    /// Checks the starter passed, of all.
    pub starter_score: (usize, usize),
    /// Both runs' time.
    pub duration: Duration,
}

/// `labbook test`: every solution must pass every check; every starter must fail at least
/// one, unless the exercise says `starter-fails: false`.
pub fn test_book(book: &Book) -> Result<Vec<ExerciseVerdict>> {
    warm_up(book)?;
    let jobs: Vec<(usize, bool)> =
        (0..crate::exercises(book).list.len()).flat_map(|i| [(i, true), (i, false)]).collect();
    let results: Vec<(Result<RunResult>, Duration)> = pool()?.install(|| {
        jobs.par_iter()
            .map(|&(i, solution)| {
                let ex = &crate::exercises(book).list[i];
                let code = if solution { &ex.solution } else { &ex.starter };
                let started = Instant::now();
                (run_exercise(ex, runtime_of(book, ex), code), started.elapsed())
            })
            .collect()
    });
    let mut verdicts = Vec::new();
    for (ex, pair) in crate::exercises(book).list.iter().zip(results.chunks(2)) {
        let [(solution, t1), (starter, t2)] = pair else { unreachable!("two runs per exercise") };
        let mut problems = Vec::new();
        let solution_score = match solution {
            Ok(r) => {
                if !r.passed {
                    problems.push(format!("the solution does not pass: {}", why_failed(r)));
                }
                r.score()
            }
            Err(e) => {
                problems.push(format!("the solution could not run: {e:#}"));
                (0, ex.checks.len())
            }
        };
        let starter_score = match starter {
            Ok(r) => {
                if ex.starter_fails && ex.checks.is_empty() {
                    problems.push("the exercise has no checks, so its starter cannot fail one (add checks or `starter-fails: false`)".into());
                } else if ex.starter_fails && r.passed {
                    problems.push("the starter passes every check; a student would have nothing to do (or set `starter-fails: false`)".into());
                }
                r.score()
            }
            Err(e) => {
                problems.push(format!("the starter could not run: {e:#}"));
                (0, ex.checks.len())
            }
        };
        verdicts.push(ExerciseVerdict {
            id: ex.id.clone(),
            problems,
            solution_score,
            starter_score,
            duration: *t1 + *t2,
        });
    }
    Ok(verdicts)
}

/// One line per exercise and a summary line.
pub fn format_test_report(verdicts: &[ExerciseVerdict], elapsed: Duration) -> String {
    let mut out = String::new();
    let width = verdicts.iter().map(|v| v.id.len()).max().unwrap_or(0);
    for v in verdicts {
        let (sp, st) = (v.solution_score, v.starter_score);
        let status = if v.problems.is_empty() { "ok  " } else { "FAIL" };
        let _ = writeln!(
            out,
            "{status}  {:width$}  solution {}/{} checks, starter {}/{} ({} ms)",
            v.id,
            sp.0,
            sp.1,
            st.0,
            st.1,
            v.duration.as_millis()
        );
        for p in &v.problems {
            let _ = writeln!(out, "      {p}");
        }
    }
    let failed = verdicts.iter().filter(|v| !v.problems.is_empty()).count();
    let _ = writeln!(
        out,
        "{} exercises: {} ok, {failed} failed ({:.2} s)",
        verdicts.len(),
        verdicts.len() - failed,
        elapsed.as_secs_f64()
    );
    out
}

/// Why a run did not pass, in one line.
pub fn why_failed(r: &RunResult) -> String {
    if let Some(stopped) = &r.stopped {
        return format!("stopped: {stopped}");
    }
    if let Some(e) = &r.error {
        let at = e.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        return format!("{}: {}{at}", e.kind, e.message);
    }
    let failed: Vec<String> = r
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| if c.message.is_empty() { format!("`{}`", c.name) } else { format!("`{}` ({})", c.name, c.message) })
        .collect();
    format!("failed {}", failed.join(", "))
}

/// `labbook run`: runs `code` as the exercise's entry file.
pub fn run_code(book: &Book, exercise: &Exercise, code: &str) -> Result<RunResult> {
    let sandbox = sandbox::global()?;
    let runtime = runtime_of(book, exercise);
    sandbox.warm(runtime.module())?;
    // The main thread's stack is large enough for the guest (8 MB on Linux), but a thread of
    // our own makes that true everywhere.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(GUEST_THREAD_STACK)
            .spawn_scoped(s, || run_exercise(exercise, runtime, code))
            .context("starting the runner thread")?
            .join()
            .map_err(|_| anyhow::anyhow!("the runner thread panicked"))?
    })
}

/// How `labbook run` shows a result: the output, the error, each check, the verdict.
pub fn format_run(r: &RunResult) -> String {
    let mut out = String::new();
    if !r.stdout.is_empty() {
        out.push_str(&r.stdout);
        if !r.stdout.ends_with('\n') {
            out.push('\n');
        }
    }
    if r.truncated {
        out.push_str("[output truncated]\n");
    }
    if !r.stderr.is_empty() {
        let _ = writeln!(out, "--- stderr ---\n{}", r.stderr.trim_end());
    }
    if let Some(stopped) = &r.stopped {
        let _ = writeln!(out, "stopped: {stopped}");
    }
    if let Some(e) = &r.error {
        match &e.traceback {
            Some(tb) if !tb.is_empty() => {
                let _ = writeln!(out, "{}", tb.trim_end());
            }
            _ => {
                let at = match (&e.file, e.line) {
                    (Some(f), Some(l)) => format!(" ({f}, line {l})"),
                    _ => String::new(),
                };
                let _ = writeln!(out, "{}: {}{at}", e.kind, e.message);
            }
        }
        if let Some(note) = &e.note {
            let _ = writeln!(out, "note: {note}");
        }
    }
    for c in &r.checks {
        let mark = if c.passed { "pass" } else { "FAIL" };
        let hidden = if c.hidden { " (hidden)" } else { "" };
        // A hidden check's message may quote the check (a code check's assert): its feedback speaks instead.
        let message = if c.message.is_empty() || c.hidden { String::new() } else { format!(": {}", c.message) };
        let _ = writeln!(out, "{mark}  {}{hidden}{message}", c.name);
        if let Some(feedback) = &c.feedback {
            let _ = writeln!(out, "      feedback: {feedback}");
        }
    }
    let (passed, total) = r.score();
    let verdict = if r.passed { "passed" } else { "not passed" };
    let _ = writeln!(out, "{verdict}: {passed}/{total} checks ({:.1} ms)", r.duration_ms);
    out
}

/// One row of `labbook grade`'s CSV.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GradeRow {
    /// The submission's file name, relative to the submissions folder.
    pub file: String,
    /// Checks passed.
    pub checks_passed: usize,
    /// Checks in all.
    pub checks_total: usize,
    /// `checks_passed / checks_total` (1 with no checks and no error), 3 decimals.
    pub score: String,
    /// Why the run failed, if it did: an exception, a stop reason, or an unreadable file.
    pub error: String,
    /// The `feedback` of every failed check that has one, joined with " | ".
    pub feedback: String,
}

/// `labbook grade`: runs every file of `dir` (sorted, hidden files skipped) and writes one
/// CSV row per file. A broken submission is a row with an error, never the end of the batch.
pub fn grade(book: &Book, exercise: &Exercise, dir: &Path) -> Result<Vec<GradeRow>> {
    if !dir.is_dir() {
        return Err(UsageError(format!("{} is not a folder of submissions", dir.display())).into());
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    warm_up(book)?;
    let runtime = runtime_of(book, exercise);
    let rows = pool()?.install(|| {
        files
            .par_iter()
            .map(|path| {
                let file = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
                let total = exercise.checks.len();
                let failed = |error: String| GradeRow {
                    file: file.clone(),
                    checks_passed: 0,
                    checks_total: total,
                    score: format!("{:.3}", 0.0),
                    error,
                    feedback: String::new(),
                };
                let code = match std::fs::read(path) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(code) => code,
                        Err(_) => return failed("the file is not UTF-8 text".into()),
                    },
                    Err(e) => return failed(format!("cannot read: {e}")),
                };
                match run_exercise(exercise, runtime, &code) {
                    Ok(r) => {
                        let (passed, total) = r.score();
                        let score = if total == 0 {
                            if r.passed {
                                1.0
                            } else {
                                0.0
                            }
                        } else {
                            passed as f64 / total as f64
                        };
                        let error = if let Some(s) = &r.stopped {
                            format!("stopped: {s}")
                        } else if let Some(e) = &r.error {
                            format!("{}: {}", e.kind, e.message)
                        } else {
                            String::new()
                        };
                        let feedback: Vec<&str> =
                            r.checks.iter().filter(|c| !c.passed).filter_map(|c| c.feedback.as_deref()).collect();
                        GradeRow {
                            file,
                            checks_passed: passed,
                            checks_total: total,
                            score: format!("{score:.3}"),
                            error,
                            feedback: feedback.join(" | "),
                        }
                    }
                    Err(e) => failed(format!("could not run: {e:#}")),
                }
            })
            .collect()
    });
    Ok(rows)
}

/// Writes the grade rows as CSV with a header.
pub fn write_grades(rows: &[GradeRow], out: &Path) -> Result<()> {
    let mut writer = csv::Writer::from_path(out).with_context(|| format!("creating {}", out.display()))?;
    for row in rows {
        writer.serialize(row).with_context(|| format!("writing {}", out.display()))?;
    }
    writer.flush().with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}
