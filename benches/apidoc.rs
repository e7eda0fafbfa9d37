//! API reference of a real, large pure-Python package: how fast its source becomes the API
//! model (the load stage), and a whole build of its reference pages.
//!
//!     cargo bench --bench apidoc                 # networkx
//!     cargo bench --bench apidoc -- sympy        # another pure-Python package from PyPI
//!
//! The package's wheel is fetched once with `pip download <name> --no-deps` into
//! `target/apidoc-bench/` (the bench says when it downloads) and unpacked with Python's
//! `zipfile`; its `tests` folders are left out, as a book would with `exclude`. Nothing is
//! imported or run. Reported: lines of Python, the median time to parse them into the model
//! (in process, `labbook::apidoc::load`), lines per second, the median cold `labbook build`
//! (`--no-cache`) with its load and transform stages (`LABBOOK_TIMINGS`), and a warm rebuild
//! that reuses the highlight cache (most of a cold transform is highlighting `>>>` examples). Numbers go to stdout and
//! `target/bench-apidoc.json`; nothing is asserted.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Timed runs; the median is reported.
const PARSE_RUNS: usize = 7;
const BUILD_RUNS: usize = 3;

fn main() {
    let package = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_else(|| "networkx".to_string());
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let labbook = PathBuf::from(env!("CARGO_BIN_EXE_labbook"));
    let work = repo.join("target/apidoc-bench");
    let book = work.join(format!("book-{package}"));
    let import_name = prepare_book(&work, &book, &package);

    let source = book.join(&import_name);
    let (files, lines) = count_python(&source);
    println!("{package}: {files} Python files, {lines} lines (tests left out) in {}", source.display());

    // The load stage's API model, in process.
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    let sources: Vec<labbook::apidoc::ApiSource> = labbook::config::parse_section(&yaml, Path::new("book.yaml"), "api")
        .expect("book.yaml parses")
        .unwrap_or_default();
    let mut times = Vec::new();
    let mut objects = 0;
    let mut warnings = 0;
    for _ in 0..PARSE_RUNS {
        let start = Instant::now();
        let model = labbook::apidoc::load(&book, &sources, &yaml).expect("the package parses");
        times.push(start.elapsed().as_secs_f64());
        objects = model.objects.len();
        warnings = model.warnings.len();
    }
    times.sort_by(f64::total_cmp);
    let parse_s = times[PARSE_RUNS / 2];
    let rate = lines as f64 / parse_s;
    println!("\nparse into the API model (median of {PARSE_RUNS}, {} cores):", cores());
    println!(
        "  {:>8.1} ms for {lines} lines: {:.0} lines/s; {objects} objects, {warnings} docstring warnings",
        parse_s * 1000.0,
        rate
    );

    // A whole build: every module a page, every docstring through the Markdown stage.
    let site = work.join(format!("site-{package}"));
    let mut runs = Vec::new();
    let mut pages = 0;
    for _ in 0..BUILD_RUNS {
        let start = Instant::now();
        let output = Command::new(&labbook)
            .args(["build", "--no-cache", "--root"])
            .arg(&book)
            .arg("--out")
            .arg(&site)
            .env("LABBOOK_TIMINGS", "1")
            .output()
            .expect("run labbook");
        let wall = start.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "labbook build failed:\n{stderr}");
        let stage = |name: &str| -> f64 {
            stderr
                .lines()
                .filter_map(|l| l.trim().strip_prefix(&format!("{name}:")))
                .filter_map(|rest| rest.trim().trim_end_matches("ms").trim().parse::<f64>().ok())
                .sum()
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        pages = stdout.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
        runs.push((wall, stage("load"), stage("transform")));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (wall, load_ms, transform_ms) = runs[BUILD_RUNS / 2];
    // Warm: the first build fills `<book>/.labbook-cache`, the second is measured.
    let mut warm = (0.0, 0.0);
    for _ in 0..2 {
        let start = Instant::now();
        let output = Command::new(&labbook)
            .args(["build", "--root"])
            .arg(&book)
            .arg("--out")
            .arg(&site)
            .env("LABBOOK_TIMINGS", "1")
            .output()
            .expect("run labbook");
        assert!(output.status.success(), "labbook build failed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let transform = stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("transform:"))
            .filter_map(|rest| rest.trim().trim_end_matches("ms").trim().parse::<f64>().ok())
            .sum::<f64>();
        warm = (start.elapsed().as_secs_f64(), transform);
    }
    println!("\nlabbook build (median of {BUILD_RUNS}): {pages} pages, {}", kilobytes(common::folder_size(&site)));
    println!(
        "  {:>8.0} ms in all; load {load_ms:.0} ms, transform (docstrings to HTML) {transform_ms:.0} ms",
        wall * 1000.0
    );
    println!("  {:.0} lines/s end to end", lines as f64 / wall);
    println!("  warm rebuild (highlight cache reused): {:.0} ms, transform {:.0} ms", warm.0 * 1000.0, warm.1);

    let json = serde_json::json!({
        "package": package,
        "files": files,
        "lines": lines,
        "objects": objects,
        "parse_ms": parse_s * 1000.0,
        "parse_lines_per_second": rate,
        "build_ms": wall * 1000.0,
        "build_load_ms": load_ms,
        "build_transform_ms": transform_ms,
        "pages": pages,
        "warm_build_ms": warm.0 * 1000.0,
        "warm_transform_ms": warm.1,
    });
    let out = repo.join("target/bench-apidoc.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap()).expect("write results");
    println!("\nwritten to {}", out.display());
}

/// Downloads and unpacks the package once; writes a book documenting it. Returns the
/// package's import name (its top folder holding `__init__.py`).
fn prepare_book(work: &Path, book: &Path, package: &str) -> String {
    let unpacked = work.join(format!("wheel-{package}"));
    if !unpacked.is_dir() {
        std::fs::create_dir_all(work).expect("create target/apidoc-bench");
        println!("downloading {package} with `pip download {package} --no-deps` into {} (once)", work.display());
        let status = Command::new("python3")
            .args(["-m", "pip", "download", package, "--no-deps", "--only-binary", ":all:", "--dest"])
            .arg(work)
            .status()
            .expect("python3 -m pip is needed to fetch the package");
        assert!(status.success(), "pip download {package} failed");
        let wheel = std::fs::read_dir(work)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
                name.starts_with(&package.to_lowercase().replace('-', "_")) && name.ends_with(".whl")
            })
            .expect("a wheel was downloaded");
        let status =
            Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&wheel).arg(&unpacked).status().expect("unzip");
        assert!(status.success(), "cannot unpack {}", wheel.display());
    }
    let import_name = std::fs::read_dir(&unpacked)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("__init__.py").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .min()
        .expect("the wheel holds a package");
    if !book.join(&import_name).is_dir() {
        std::fs::create_dir_all(book.join("content")).unwrap();
        common::copy_tree(&unpacked.join(&import_name), &book.join(&import_name));
        std::fs::write(
            book.join("content/index.md"),
            format!("# {package}\n\nThe reference is under [API](api/index.md).\n"),
        )
        .unwrap();
        std::fs::write(
            book.join("book.yaml"),
            format!("title: {package} reference\napi:\n  - source: {import_name}\n    exclude: [\"**/tests/**\"]\n"),
        )
        .unwrap();
    }
    import_name
}

/// Python files and their lines, without `tests` folders.
fn count_python(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut lines = 0;
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_entry(|e| e.file_name() != "tests") {
        let entry = entry.unwrap();
        let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or_default();
        if entry.file_type().is_file() && (ext == "py" || ext == "pyi") {
            files += 1;
            lines += std::fs::read_to_string(entry.path()).map(|t| t.lines().count()).unwrap_or(0);
        }
    }
    (files, lines)
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
