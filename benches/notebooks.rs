//! Build time of a folder of Jupyter notebooks, labbook against nbconvert.
//!
//!     cargo bench --bench notebooks              # 100 notebooks
//!     cargo bench --bench notebooks -- 30 300    # other counts
//!
//! The folder is made from the three real notebooks of `tests/fixtures/notebooks` (from the
//! Hugging Face notebooks repository, with a traceback, a pandas table, a 59 KB PNG figure and
//! an SVG), copied in turn until there are N. Each copy's code cells start with a comment
//! naming the copy, so no highlighting is shared between copies. The book lists them all in
//! its toc.
//!
//! labbook builds the book without its highlight cache (`--no-cache`); the time is the median
//! of 3 clean builds, of the binary cargo built for this bench (`CARGO_BIN_EXE_labbook`). When
//! `jupyter-nbconvert` is on PATH (or named by env `NBCONVERT`), the same notebooks are
//! converted to HTML with `jupyter nbconvert --to html` in one process, for a ratio: nbconvert
//! writes standalone pages, with no site, search index or link check.
//! The numbers go to stdout and `target/bench-notebooks.json`. No assertions.

mod common;
use common::{folder_size, FreshOut};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Timed builds per tool and size; the median is reported.
const RUNS: usize = 3;

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.parse().unwrap_or_else(|_| panic!("notebook count expected, got `{a}`")))
        .collect();
    let counts = if counts.is_empty() { vec![100] } else { counts };
    let labbook = PathBuf::from(env!("CARGO_BIN_EXE_labbook"));
    let nbconvert = nbconvert();
    println!("labbook:   {}", labbook.display());
    match &nbconvert {
        Some(path) => println!("nbconvert: {}", path.display()),
        None => println!("nbconvert: not found, skipped (pip install nbconvert; or set NBCONVERT)"),
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine:   {cores} cores, load average {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );

    let mut rows = Vec::new();
    for &n in &counts {
        let tmp = tempfile::Builder::new().prefix("labbook-bench-nb-").tempdir().expect("temp dir");
        let book = tmp.path().join("book");
        let source_bytes = generate_book(&book, n);
        println!("\n{n} notebooks ({:.1} MB of .ipynb)", source_bytes as f64 / 1e6);
        let (labbook_time, out) = median_time(&format!("labbook {n}"), &tmp.path().join("site"), |out| {
            let mut c = Command::new(&labbook);
            c.arg("build").arg("--no-cache").arg("--root").arg(&book).arg("--out").arg(out);
            c
        });
        let site_bytes = folder_size(&out);
        println!(
            "  labbook: {labbook_time:.2} s median, {:.1} notebooks/s, site {:.1} MB",
            n as f64 / labbook_time,
            site_bytes as f64 / 1e6
        );
        let nbconvert_time = nbconvert.as_ref().map(|tool| {
            let (time, _) = median_time(&format!("nbconvert {n}"), &tmp.path().join("nbconvert"), |html| {
                let mut c = Command::new(tool);
                c.arg("--to").arg("html").arg("--output-dir").arg(html);
                for k in 0..n {
                    c.arg(book.join("content").join(format!("nb-{k:04}.ipynb")));
                }
                c
            });
            println!("  nbconvert: {time:.2} s median ({:.2}x labbook's time)", time / labbook_time);
            time
        });
        rows.push(serde_json::json!({
            "notebooks": n,
            "source_bytes": source_bytes,
            "labbook_seconds": labbook_time,
            "site_bytes": site_bytes,
            "nbconvert_seconds": nbconvert_time,
            "runs": RUNS,
            "cores": cores,
            "load_average": load.trim(),
        }));
    }
    let json = serde_json::to_string_pretty(&rows).expect("JSON");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-notebooks.json");
    std::fs::write(&path, json).expect("writing the JSON");
    println!("\nwrote {}", path.display());
}

/// Writes a book of `n` notebooks (the real fixtures in turn, each copy's code marked) and returns
/// the size of the notebooks.
fn generate_book(book: &Path, n: usize) -> u64 {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notebooks/content");
    let sources: Vec<serde_json::Value> = ["batch-inputs", "sagemaker-metrics", "geodiff"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(fixtures.join(format!("{name}.ipynb"))).expect("a fixture notebook");
            serde_json::from_str(&text).expect("fixture JSON")
        })
        .collect();
    let content = book.join("content");
    std::fs::create_dir_all(&content).expect("content folder");
    let mut toc = String::from("title: A hundred notebooks\ntoc:\n");
    let mut bytes = 0;
    for k in 0..n {
        let mut nb = sources[k % sources.len()].clone();
        for cell in nb["cells"].as_array_mut().expect("cells") {
            if cell["cell_type"] == "code" {
                let mut lines = vec![serde_json::json!(format!("# copy {k}\n"))];
                match &cell["source"] {
                    serde_json::Value::Array(old) => lines.extend(old.iter().cloned()),
                    serde_json::Value::String(s) => lines.push(serde_json::json!(s)),
                    _ => {}
                }
                cell["source"] = serde_json::Value::Array(lines);
            }
        }
        // Every copy's title is its own.
        nb["metadata"]["labbook"] = serde_json::json!({"title": format!("Notebook {k}")});
        let text = serde_json::to_string_pretty(&nb).expect("JSON");
        bytes += text.len() as u64;
        std::fs::write(content.join(format!("nb-{k:04}.ipynb")), text).expect("writing a notebook");
        toc.push_str(&format!("  - nb-{k:04}.ipynb\n"));
    }
    std::fs::write(content.join("index.md"), "# A hundred notebooks\n").expect("index");
    std::fs::write(book.join("book.yaml"), toc.replacen("toc:\n", "toc:\n  - index.md\n", 1)).expect("book.yaml");
    bytes
}

/// The median of [`RUNS`] runs of `command`, each writing a new folder named after `out`
/// (see `common::FreshOut`), and the last run's folder.
fn median_time(label: &str, out: &Path, command: impl Fn(&Path) -> Command) -> (f64, PathBuf) {
    let mut outs = FreshOut::new(out);
    let mut times = Vec::new();
    let mut last = PathBuf::new();
    for run in 1..=RUNS {
        last = outs.next();
        let started = Instant::now();
        let output = command(&last).output().unwrap_or_else(|e| panic!("{label}: cannot start: {e}"));
        let seconds = started.elapsed().as_secs_f64();
        assert!(
            output.status.success(),
            "{label} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        println!("  {label}: run {run}: {seconds:.2} s");
        times.push(seconds);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last)
}

/// `jupyter-nbconvert`: env `NBCONVERT`, else on PATH.
fn nbconvert() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NBCONVERT") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("jupyter-nbconvert")).find(|p| p.is_file())
}
