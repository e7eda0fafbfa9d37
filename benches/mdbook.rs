//! A real mdBook, built unchanged, labbook against `mdbook build`, side by side.
//!
//!     LABBOOK_BENCH_BOOK=/tmp/rustbook cargo bench --bench mdbook
//!
//! The book is `LABBOOK_BENCH_BOOK` (a folder with `book.toml`; default: the Rust book
//! excerpt in `tests/fixtures/mdbook-rust-book`). Each tool builds it cold (no highlight
//! cache, a fresh output folder) `LABBOOK_BENCH_RUNS` times (default 7); the medians and
//! their ratio are printed, with each tool's peak memory and the ratios issues 12 and 20
//! ask for. mdBook runs on a copy whose `[preprocessor.*]` sections are
//! removed, since labbook does not run preprocessors either (their commands may need a
//! network or a toolchain); it is skipped when `mdbook` is not on PATH
//! (`cargo install mdbook --locked`). No assertions: this reports a ratio.

mod common;
use common::{mebibytes, run_measured};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let book = std::env::var_os("LABBOOK_BENCH_BOOK")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook-rust-book"));
    let runs: usize = std::env::var("LABBOOK_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(7);
    let tmp = tempfile::tempdir().expect("temp dir");
    println!("book:    {}", book.display());

    let labbook_out = tmp.path().join("labbook-site");
    let (labbook, labbook_peak) = median(runs, &labbook_out, || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_labbook"));
        command.args(["build", "--no-cache", "--root"]).arg(&book).arg("--out").arg(&labbook_out);
        command
    });
    println!("labbook: {labbook:.3} s (median of {runs}), peak memory {}", mebibytes(labbook_peak));

    let Some(version) = Command::new("mdbook").arg("--version").output().ok().filter(|o| o.status.success()) else {
        println!("mdbook:  not on PATH, skipped");
        return;
    };
    let copy = tmp.path().join("mdbook-book");
    copy_without_preprocessors(&book, &copy);
    let mdbook_out = tmp.path().join("mdbook-site");
    let (mdbook, mdbook_peak) = median(runs, &mdbook_out, || {
        let mut command = Command::new("mdbook");
        command.arg("build").arg(&copy).arg("-d").arg(&mdbook_out);
        command
    });
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

/// The median wall time of `runs` builds into `out`, each into a removed folder, and the
/// largest peak memory of those builds.
fn median(runs: usize, out: &Path, mut build: impl FnMut() -> Command) -> (f64, Option<u64>) {
    let mut times = Vec::with_capacity(runs);
    let mut peak = None;
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(out);
        let run = run_measured(&mut build());
        assert!(run.output.status.success(), "build failed:\n{}", String::from_utf8_lossy(&run.output.stderr));
        times.push(run.seconds);
        peak = peak.max(run.peak_bytes);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], peak)
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
