//! A real mdBook, built unchanged, labbook against `mdbook build`, side by side.
//!
//!     LABBOOK_BENCH_BOOK=/tmp/rustbook cargo bench --bench mdbook
//!
//! The book is `LABBOOK_BENCH_BOOK` (a folder with `book.toml`; default: the Rust book
//! excerpt in `tests/fixtures/mdbook-rust-book`). Each tool builds it cold (no highlight
//! cache, a new output folder) `LABBOOK_BENCH_RUNS` times (default 7), the two tools taking
//! turns; the medians and their ratio are printed, with each tool's peak memory and the
//! ratios issues 12 and 20 ask for. mdBook runs on a copy whose `[preprocessor.*]` sections
//! are removed, since labbook does not run preprocessors either (their commands may need a
//! network or a toolchain); it is skipped when `mdbook` is not on PATH
//! (`cargo install mdbook --locked`). No assertions: this reports a ratio.

mod common;
use common::{mebibytes, run_measured, FreshOut};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let book = std::env::var_os("LABBOOK_BENCH_BOOK")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook-rust-book"));
    let runs: usize = std::env::var("LABBOOK_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(7);
    let tmp = tempfile::tempdir().expect("temp dir");
    println!("book:    {}", book.display());

    let version = Command::new("mdbook").arg("--version").output().ok().filter(|o| o.status.success());
    let copy = tmp.path().join("mdbook-book");
    if version.is_some() {
        copy_without_preprocessors(&book, &copy);
    }
    // The tools take turns, run by run, so that the machine's load hits both alike; each
    // build writes a new folder (see `common::FreshOut`).
    let mut labbook_outs = FreshOut::new(&tmp.path().join("labbook-site"));
    let mut mdbook_outs = FreshOut::new(&tmp.path().join("mdbook-site"));
    let (mut labbook_runs, mut mdbook_runs) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_labbook"));
        command.args(["build", "--no-cache", "--root"]).arg(&book).arg("--out").arg(labbook_outs.next());
        labbook_runs.push(timed(&mut command));
        if version.is_some() {
            let mut command = Command::new("mdbook");
            command.arg("build").arg(&copy).arg("-d").arg(mdbook_outs.next());
            mdbook_runs.push(timed(&mut command));
        }
    }
    let (labbook, labbook_peak) = median(labbook_runs);
    println!("labbook: {labbook:.3} s (median of {runs}), peak memory {}", mebibytes(labbook_peak));
    let Some(version) = version else {
        println!("mdbook:  not on PATH, skipped");
        return;
    };
    let (mdbook, mdbook_peak) = median(mdbook_runs);
    println!(
        "mdbook:  {mdbook:.3} s (median of {runs}, {}), peak memory {}",
        String::from_utf8_lossy(&version.stdout).trim(),
        mebibytes(mdbook_peak)
    );
    let ratio = labbook / mdbook;
    println!("ratio:   {ratio:.2} (labbook / mdbook wall, cold; below 1 is faster)");
    println!("target:  issue 12 (no regression): ratio <= 0.56: {}", verdict(ratio <= 0.56));
    println!("target:  issue 20: ratio <= 0.33: {}", verdict(ratio <= 0.33));
}

/// `met` or `NOT met`.
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// One build's wall time and peak memory; panics if it fails.
fn timed(command: &mut Command) -> (f64, Option<u64>) {
    let run = run_measured(command);
    assert!(run.output.status.success(), "build failed:\n{}", String::from_utf8_lossy(&run.output.stderr));
    (run.seconds, run.peak_bytes)
}

/// The median wall time of builds, and their largest peak memory.
fn median(mut runs: Vec<(f64, Option<u64>)>) -> (f64, Option<u64>) {
    let peak = runs.iter().filter_map(|r| r.1).max();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    (runs[runs.len() / 2].0, peak)
}

/// Copies `from` to `to`, with `book.toml`'s `[preprocessor.*]` tables left out.
fn copy_without_preprocessors(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| e.file_name() != ".git") {
        let entry = entry.expect("walk the book");
        let target = to.join(entry.path().strip_prefix(from).expect("under the book"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
    let toml = std::fs::read_to_string(from.join("book.toml")).expect("read book.toml");
    let mut kept = String::new();
    let mut skipping = false;
    for line in toml.lines() {
        if line.trim_start().starts_with('[') {
            skipping = line.trim_start().starts_with("[preprocessor");
        }
        if !skipping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    std::fs::write(to.join("book.toml"), kept).expect("write book.toml");
}
