//! Build time of a synthetic book, labbook against mdBook.
//!
//!     cargo bench --bench build                 # 1,000 and 10,000 pages
//!     cargo bench --bench build -- 300 3000     # other sizes
//!
//! Each size generates one source folder that both tools build unchanged: Markdown pages
//! under `src/` in 50 parts, an mdBook `SUMMARY.md`, a `book.yaml` (`toc: src/SUMMARY.md`)
//! and a `book.toml`. Every page has varied prose, headings, a table, inline and display
//! math, code in Python, Rust, TOML and Bash whose identifiers carry the page number (so
//! no work can be shared between pages), and links to its neighbours.
//!
//! The labbook binary is the one cargo built for this bench (`CARGO_BIN_EXE_labbook`, bench
//! profile). mdBook is timed when `mdbook` is on PATH. Each time is the median of 3 clean
//! builds, each into a new output folder (see `common::FreshOut` for why none is removed
//! before the timing ends); a tool whose first build takes over 2 minutes is built only
//! once at that size (the JSON records how many runs each number is). The table goes to stdout and the same
//! numbers to `target/bench-build.json`.
//! Each tool's peak memory (the largest of its cold builds) is reported too, and at 10,000
//! pages the lines `target: ...` compare the figures with issue 20's targets.
//! No assertions: this reports ratios, it does not enforce limits.
//! Set `LABBOOK_BENCH_KEEP=1` to keep the generated books and sites for a look, or
//! `LABBOOK_BENCH_GENERATE=DIR` to only write the books (`DIR/<pages>/`) and stop, for
//! profiling one build (`valgrind --tool=callgrind labbook build --root DIR/1000 ...`).

mod common;
use common::{folder_size, mebibytes, run_measured, FreshOut};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Parts (top-level folders) of every generated book.
const PARTS: usize = 50;
/// Timed builds per tool and size; the median is reported.
const RUNS: usize = 3;
/// A first build slower than this is not repeated: at that size one run says enough.
const SLOW_SECONDS: f64 = 120.0;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-')) // cargo bench passes `--bench`
        .map(|a| a.parse().unwrap_or_else(|_| panic!("page count expected, got `{a}`")))
        .collect();
    let sizes = if sizes.is_empty() { vec![1000, 10_000] } else { sizes };

    if let Some(dir) = std::env::var_os("LABBOOK_BENCH_GENERATE") {
        for &pages in &sizes {
            let book = Path::new(&dir).join(pages.to_string());
            let written = generate_book(&book, pages);
            println!("generated {written} pages into {}", book.display());
        }
        return;
    }
    let labbook = PathBuf::from(env!("CARGO_BIN_EXE_labbook"));
    let mdbook = mdbook_version();
    println!("labbook: {}", labbook.display());
    match &mdbook {
        Some(version) => println!("mdbook:  {version}"),
        None => println!("mdbook:  not on PATH, skipped (cargo install mdbook)"),
    }

    let keep = std::env::var_os("LABBOOK_BENCH_KEEP").is_some();
    let mut rows = Vec::new();
    let mut done = Vec::new();
    for &pages in &sizes {
        let tmp = tempfile::Builder::new().prefix("labbook-bench-").tempdir().expect("temp dir");
        let book = tmp.path().join("book");
        let started = Instant::now();
        let written = generate_book(&book, pages);
        let source_bytes = folder_size(&book.join("src"));
        println!(
            "\n{pages} pages: generated {written} pages ({}) in {:.1} s",
            megabytes(source_bytes),
            started.elapsed().as_secs_f64()
        );

        // Every timed build writes a new folder (see `common::FreshOut`), except the warm
        // rebuilds, which build over the previous site as an author's rebuild does.
        let mut labbook_outs = FreshOut::new(&tmp.path().join("labbook-site"));
        let (labbook_time, labbook_runs, labbook_peak, labbook_out) =
            median_time(&format!("labbook {pages}"), Out::Fresh(&mut labbook_outs), |out| {
                let mut command = Command::new(&labbook);
                command.arg("build").arg("--no-cache").arg("--root").arg(&book).arg("--out").arg(out);
                command
            });
        let labbook_bytes = folder_size(&labbook_out);
        // With the highlight cache (primed by one build) reused: into a fresh folder, and as
        // a rebuild after an edit, where the previous site is still in the output folder.
        let warm = |command: &mut Command, out: &Path| {
            command.arg("build").arg("--root").arg(&book).arg("--out").arg(out);
        };
        let mut prime = Command::new(&labbook);
        warm(&mut prime, &labbook_out);
        assert!(prime.output().expect("prime the cache").status.success(), "priming build failed");
        let (labbook_warm_fresh, _, _, _) =
            median_time(&format!("labbook {pages} warm, fresh out"), Out::Fresh(&mut labbook_outs), |out| {
                let mut command = Command::new(&labbook);
                warm(&mut command, out);
                command
            });
        let edited = book.join("src/README.md");
        let mut edits = 0;
        let (labbook_warm, _, _, _) = median_time(&format!("labbook {pages} warm"), Out::Kept(&labbook_out), |out| {
            // One page changes between rebuilds, as when an author saves a file.
            edits += 1;
            let mut text = std::fs::read_to_string(&edited).expect("read the edited page");
            text.push_str(&format!("\nEdit {edits}: one more sentence.\n"));
            std::fs::write(&edited, text).expect("edit a page");
            let mut command = Command::new(&labbook);
            warm(&mut command, out);
            command
        });

        let (mdbook_time, mdbook_runs, mdbook_bytes, mdbook_peak) = if mdbook.is_some() {
            let mut mdbook_outs = FreshOut::new(&tmp.path().join("mdbook-site"));
            let (time, runs, peak, out) =
                median_time(&format!("mdbook {pages}"), Out::Fresh(&mut mdbook_outs), |out| {
                    let mut command = Command::new("mdbook");
                    command.arg("build").arg(&book).arg("--dest-dir").arg(out);
                    command
                });
            (Some(time), Some(runs), Some(folder_size(&out)), peak)
        } else {
            (None, None, None, None)
        };

        if keep {
            let kept = tmp.keep();
            println!("kept {}", kept.display());
        } else {
            // Removed after every size is timed (see `common::FreshOut`).
            done.push(tmp);
        }
        rows.push(Row {
            pages: written,
            source_bytes,
            labbook_time,
            labbook_runs,
            labbook_bytes,
            labbook_warm,
            labbook_warm_fresh,
            labbook_peak,
            mdbook_time,
            mdbook_runs,
            mdbook_bytes,
            mdbook_peak,
        });
    }

    print_table(&rows);
    let json = target_dir(&labbook).join("bench-build.json");
    std::fs::write(&json, to_json(&rows, mdbook.as_deref())).expect("write bench-build.json");
    println!("\nwrote {}", json.display());
}

/// One size's results.
struct Row {
    pages: usize,
    source_bytes: u64,
    labbook_time: f64,
    labbook_runs: usize,
    labbook_bytes: u64,
    /// A rebuild after a one-page edit: the highlight cache and the previous site reused.
    labbook_warm: f64,
    /// With the highlight cache of a previous build, into a fresh output folder.
    labbook_warm_fresh: f64,
    /// Peak memory of the cold builds.
    labbook_peak: Option<u64>,
    mdbook_time: Option<f64>,
    mdbook_runs: Option<usize>,
    mdbook_bytes: Option<u64>,
    mdbook_peak: Option<u64>,
}

/// `mdbook --version`, or None when mdBook is not installed.
fn mdbook_version() -> Option<String> {
    let output = Command::new("mdbook").arg("--version").output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Where each timed build writes: a new folder every run, or over the previous build's site.
enum Out<'a> {
    Fresh(&'a mut FreshOut),
    Kept(&'a Path),
}

/// Median wall time of `RUNS` builds (one if the first is slower than `SLOW_SECONDS`), each
/// made by `command` for its output folder; the number of runs, the largest peak memory of
/// those builds and the last run's folder. Panics if a build fails.
fn median_time(
    label: &str,
    mut out: Out,
    mut command: impl FnMut(&Path) -> Command,
) -> (f64, usize, Option<u64>, PathBuf) {
    let mut times = Vec::new();
    let mut peak = None;
    let mut last = PathBuf::new();
    for run in 1..=RUNS {
        last = match &mut out {
            Out::Fresh(outs) => outs.next(),
            Out::Kept(site) => site.to_path_buf(),
        };
        let measured = run_measured(&mut command(&last));
        let (output, seconds) = (measured.output, measured.seconds);
        if !output.status.success() {
            panic!(
                "{label}: build failed ({})\nstdout:\n{}\nstderr:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                tail(&String::from_utf8_lossy(&output.stderr), 40)
            );
        }
        println!("  {label}: run {run}: {seconds:.2} s, peak memory {}", mebibytes(measured.peak_bytes));
        times.push(seconds);
        peak = peak.max(measured.peak_bytes);
        if run == 1 && seconds > SLOW_SECONDS {
            println!("  {label}: slower than {SLOW_SECONDS} s, not repeated");
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times.len(), peak, last)
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn print_table(rows: &[Row]) {
    println!(
        "\n{:>7}  {:>11}  {:>10}  {:>10}  {:>10}  {:>10}  {:>8}  {:>12}  {:>12}  {:>12}  {:>12}",
        "pages",
        "source",
        "labbook s",
        "warm s",
        "warm new s",
        "mdbook s",
        "ratio",
        "labbook out",
        "mdbook out",
        "labbook peak",
        "mdbook peak"
    );
    for row in rows {
        let mdbook = row.mdbook_time.map_or("-".to_string(), |t| format!("{t:.2}"));
        let ratio = row.mdbook_time.map_or("-".to_string(), |t| format!("{:.2}x", t / row.labbook_time));
        let mdbook_bytes = row.mdbook_bytes.map_or("-".to_string(), megabytes);
        println!(
            "{:>7}  {:>11}  {:>10.2}  {:>10.2}  {:>10.2}  {:>10}  {:>8}  {:>12}  {:>12}  {:>12}  {:>12}",
            row.pages,
            megabytes(row.source_bytes),
            row.labbook_time,
            row.labbook_warm,
            row.labbook_warm_fresh,
            mdbook,
            ratio,
            megabytes(row.labbook_bytes),
            mdbook_bytes,
            mebibytes(row.labbook_peak),
            mebibytes(row.mdbook_peak)
        );
    }
    println!("labbook s: cold (--no-cache) into an empty folder");
    println!("warm s: a rebuild after a one-page edit, reusing the highlight cache and the previous site in the output folder");
    println!("warm new s: reusing the highlight cache, into an empty folder");
    println!("ratio = mdbook seconds / labbook cold seconds (above 1: labbook is faster); median of {RUNS} clean builds (1 when over {SLOW_SECONDS} s)");
    println!("peak: the largest resident set of the cold builds");
    // Issue 20's targets are stated at 10,000 pages.
    for row in rows.iter().filter(|r| r.pages >= 10_000) {
        let met = |ok: bool| if ok { "met" } else { "NOT met" };
        println!("\nissue 20 targets at {} pages:", row.pages);
        println!("target: cold (--no-cache) {:.2} s <= 8 s: {}", row.labbook_time, met(row.labbook_time <= 8.0));
        println!("target: warm {:.2} s <= 3 s: {}", row.labbook_warm, met(row.labbook_warm <= 3.0));
        match row.labbook_peak {
            Some(peak) => {
                println!("target: peak memory {} <= 500 MiB: {}", mebibytes(Some(peak)), met(peak <= 500 * 1024 * 1024))
            }
            None => println!("target: peak memory: not reported on this platform"),
        }
    }
}

fn to_json(rows: &[Row], mdbook: Option<&str>) -> String {
    let results: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "pages": row.pages,
                "source_bytes": row.source_bytes,
                "labbook_seconds": row.labbook_time,
                "labbook_runs": row.labbook_runs,
                "labbook_output_bytes": row.labbook_bytes,
                "labbook_warm_seconds": row.labbook_warm,
                "labbook_warm_fresh_out_seconds": row.labbook_warm_fresh,
                "labbook_peak_bytes": row.labbook_peak,
                "mdbook_peak_bytes": row.mdbook_peak,
                "mdbook_seconds": row.mdbook_time,
                "mdbook_runs": row.mdbook_runs,
                "mdbook_output_bytes": row.mdbook_bytes,
                "ratio_mdbook_over_labbook": row.mdbook_time.map(|t| t / row.labbook_time),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "bench": "build",
        "labbook": env!("CARGO_PKG_VERSION"),
        "mdbook": mdbook,
        "statistic": "median wall seconds of clean builds (3 runs, or 1 when the first takes over 120 s)",
        "results": results,
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

/// The cargo target folder: the binary lives in `<target>/<profile>/labbook`.
fn target_dir(binary: &Path) -> PathBuf {
    binary.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("target"))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

// ---------------------------------------------------------------------------------------
// The synthetic book
// ---------------------------------------------------------------------------------------

/// Writes a book of about `pages` pages into `root`; returns the exact number of pages.
///
/// `src/README.md` is the introduction; each part `p` has `src/part-PP/index.md` and its
/// chapters `src/part-PP/chapter-NNNNN.md`, listed in order in `src/SUMMARY.md`.
fn generate_book(root: &Path, pages: usize) -> usize {
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(root.join("book.yaml"), "title: Synthetic benchmark book\ndescription: Generated by benches/build.rs.\ncontent-dir: src\ntoc: src/SUMMARY.md\n").unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Synthetic benchmark book\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
    )
    .unwrap();

    // The linear reading order: every page, its file (relative to src/) and its title.
    // The introduction, then the other pages spread evenly over the parts (index included).
    let rest = pages.max(2) - 1;
    let parts = PARTS.min(rest);
    let mut order: Vec<(String, String)> = vec![("README.md".into(), "Introduction".into())];
    let mut summary = String::from("# Summary\n\n[Introduction](README.md)\n\n");
    for part in 1..=parts {
        let _ = writeln!(summary, "# Part {part}: {}\n", TOPICS[part % TOPICS.len()]);
        let index = format!("part-{part:02}/index.md");
        let title = format!("{} in practice", capitalise(TOPICS[part % TOPICS.len()]));
        let _ = writeln!(summary, "- [{title}]({index})");
        order.push((index, title));
        let in_part = rest / parts + usize::from(part <= rest % parts);
        for _ in 1..in_part {
            let n = order.len();
            let file = format!("part-{part:02}/chapter-{n:05}.md");
            let title = format!("{} {n}", capitalise(TOPICS[(n * 7) % TOPICS.len()]));
            let _ = writeln!(summary, "    - [{title}]({file})");
            order.push((file, title));
        }
        summary.push('\n');
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();

    for part in 1..=parts {
        std::fs::create_dir_all(src.join(format!("part-{part:02}"))).unwrap();
    }
    for (n, (file, title)) in order.iter().enumerate() {
        let prev = n.checked_sub(1).map(|i| &order[i]);
        let next = order.get(n + 1);
        std::fs::write(src.join(file), page_markdown(n, file, title, prev, next)).unwrap();
    }
    order.len()
}

/// Topics the generated prose and titles draw from.
const TOPICS: &[&str] = &[
    "gradient descent",
    "loss functions",
    "softmax",
    "bigram models",
    "tokenisation",
    "regularisation",
    "attention",
    "embeddings",
    "overfitting",
    "learning rates",
    "cross-entropy",
    "backpropagation",
    "batch normalisation",
    "decision trees",
    "k-nearest neighbours",
    "evaluation metrics",
];

const WORDS: &[&str] = &[
    "model",
    "weights",
    "gradient",
    "training",
    "data",
    "loss",
    "step",
    "batch",
    "token",
    "layer",
    "matrix",
    "vector",
    "prediction",
    "target",
    "error",
    "sample",
    "feature",
    "label",
    "epoch",
    "update",
    "curve",
    "noise",
    "signal",
    "parameter",
    "activation",
    "probability",
    "average",
    "the",
    "a",
    "each",
    "every",
    "small",
    "large",
    "careful",
    "slow",
    "fast",
    "simple",
    "noisy",
    "moves",
    "shrinks",
    "grows",
    "measures",
    "predicts",
    "learns",
    "repeats",
    "compares",
    "reduces",
    "with",
    "after",
    "before",
    "while",
    "because",
    "so",
    "when",
    "then",
    "until",
    "across",
];

/// A tiny deterministic generator, seeded per page: same book on every run, different pages.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// A paragraph of 40 to 90 words, with some inline markup.
fn paragraph(rng: &mut Rng, n: usize) -> String {
    let words = 40 + rng.below(50) as usize;
    let mut text = String::new();
    let mut sentence_start = true;
    for i in 0..words {
        let word = rng.pick(WORDS);
        if !text.is_empty() {
            text.push(' ');
        }
        match rng.below(23) {
            0 => {
                let _ = write!(text, "**{word}**");
            }
            1 => {
                let _ = write!(text, "*{word}*");
            }
            2 => {
                let _ = write!(text, "`{word}_{n}`");
            }
            _ if sentence_start => text.push_str(&capitalise(word)),
            _ => text.push_str(word),
        }
        sentence_start = false;
        if i + 1 == words || rng.below(11) == 0 {
            text.push('.');
            sentence_start = true;
        }
    }
    text
}

/// Relative link from page `from` (a path under src/) to page `to`.
fn relative_link(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// The Markdown of page number `n`.
fn page_markdown(
    n: usize,
    file: &str,
    title: &str,
    prev: Option<&(String, String)>,
    next: Option<&(String, String)>,
) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let topic = TOPICS[n % TOPICS.len()];
    let lr = 0.001 * (1 + n % 97) as f64;
    let mut md = String::with_capacity(6000);
    let _ = writeln!(md, "# {title}\n");
    let _ = writeln!(md, "{}\n", paragraph(&mut rng, n));

    // Neighbour links, with an anchor into a heading every page has.
    let mut links = Vec::new();
    if let Some((to, to_title)) = prev {
        links.push(format!("the previous page, [{to_title}]({}#overview)", relative_link(file, to)));
    }
    if let Some((to, to_title)) = next {
        links.push(format!("the next page, [{to_title}]({}#worked-example)", relative_link(file, to)));
    }
    if !links.is_empty() {
        let _ = writeln!(md, "This page builds on {}.\n", links.join(" and "));
    }

    let _ = writeln!(md, "## Overview\n\n{}\n\n{}\n", paragraph(&mut rng, n), paragraph(&mut rng, n));
    let _ = writeln!(md, "> [!NOTE]\n> Page {n} revisits {topic} with a learning rate of {lr:.3}.\n");

    let _ = writeln!(md, "## The maths\n");
    let _ = writeln!(
        md,
        "The prediction for sample $i$ is $\\hat{{y}}_i = \\mathbf{{w}}_{{{n}}} \\cdot \\mathbf{{x}}_i + b$, and its loss for page {n} is\n"
    );
    let _ = writeln!(
        md,
        "$$\nL_{{{n}}} = \\frac{{1}}{{N}} \\sum_{{i=1}}^{{N}} (y_i - \\hat{{y}}_i)^2 + \\lambda \\sqrt{{{n}}}\n$$\n"
    );
    let _ = writeln!(
        md,
        "Each step moves $\\mathbf{{w}} \\in \\mathbb{{R}}^{{{}}}$ against $\\nabla L$ with $\\eta = {lr:.3}$, and the softmax gives $p_k = \\frac{{\\exp(z_k)}}{{\\sum_j \\exp(z_j)}}$.\n",
        2 + n % 64
    );
    let _ = writeln!(md, "{}\n", paragraph(&mut rng, n));

    let _ = writeln!(md, "## Worked example\n");
    let _ = writeln!(md, "| epoch | loss | accuracy | note |\n|------:|-----:|---------:|------|");
    for epoch in 1..=4 + n % 4 {
        let loss = 2.5 / (epoch as f64 + (n % 13) as f64 * 0.1);
        let _ = writeln!(
            md,
            "| {epoch} | {loss:.4} | {:.1}% | {} {} |",
            100.0 - loss * 20.0,
            rng.pick(WORDS),
            rng.pick(WORDS)
        );
    }
    md.push('\n');

    let _ = writeln!(
        md,
        "```python\nimport math\n\n\ndef train_{n}(data, steps={steps}, lr={lr:.3}):\n    \"\"\"Fits the model of page {n} to `data`.\"\"\"\n    weights_{n} = [0.0] * len(data[0][0])\n    for step in range(steps):\n        for x, y in data:\n            pred = sum(w * v for w, v in zip(weights_{n}, x))\n            error = pred - y  # squared loss gradient\n            weights_{n} = [w - lr * error * v for w, v in zip(weights_{n}, x)]\n    return weights_{n}\n\n\nprint(train_{n}([([1.0, 2.0], 3.0)]), math.pi * {n})\n```\n",
        steps = 10 + n % 90
    );
    let _ = writeln!(
        md,
        "```rust\n/// Softmax of page {n}, numerically stable.\npub fn softmax_{n}(logits: &[f32]) -> Vec<f32> {{\n    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);\n    let exps: Vec<f32> = logits.iter().map(|z| (z - max).exp()).collect();\n    let sum: f32 = exps.iter().sum();\n    exps.into_iter().map(|e| e / sum).collect() // page {n}\n}}\n\nconst PAGE_{n}: usize = {n};\n```\n"
    );
    let _ = writeln!(md, "{}\n", paragraph(&mut rng, n));
    let _ = writeln!(md, "## Configuration\n");
    let _ = writeln!(
        md,
        "```toml\n[experiment-{n}]\nname = \"{topic} {n}\"\nlearning-rate = {lr:.3}\nepochs = {}\nlayers = [{}, {}, 1]\n\n[experiment-{n}.data]\npath = \"data/part-{n}.csv\"  # one file per page\nshuffle = true\n```\n",
        4 + n % 4,
        8 + n % 32,
        4 + n % 16
    );
    let _ = writeln!(
        md,
        "```bash\n#!/usr/bin/env bash\nset -euo pipefail\nexport RUN_ID=page-{n}\nfor seed in 1 2 3; do\n  python train_{n}.py --seed \"$seed\" --lr {lr:.3} > \"logs/run-{n}-$seed.txt\"\ndone\necho \"done: $RUN_ID\" | tee -a results-{n}.log\n```\n"
    );
    let _ = writeln!(md, "## Summary\n\n{}\n", paragraph(&mut rng, n));
    for _ in 0..1 + rng.below(3) {
        let _ =
            writeln!(md, "- {}", paragraph(&mut rng, n).split(". ").next().unwrap_or("A point").trim_end_matches('.'));
    }
    md
}
