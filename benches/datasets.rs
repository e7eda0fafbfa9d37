//! The dataset viewer on a generated 200,000-row CSV with 12 mixed columns (issue 19).
//!
//!     cargo bench --bench datasets              # 200,000 rows
//!     cargo bench --bench datasets -- 50000     # another row count
//!
//! The book has one dataset card and its `data/train.csv`: integers, floats (one with missing
//! values), a boolean, a class label declared in `dataset_info`, a 20-value category, short
//! names, dates, and review text of 20 to 120 characters, from a fixed-seed generator.
//! Reported:
//! - the build time (median of 3 clean builds of the binary cargo built for this bench) and
//!   the largest peak memory of those builds;
//! - the site's size, the viewer's file count and its largest shard;
//! - in headless Chromium from `file://` (`benches/browser/datasets-bytes.mjs`, when node and
//!   Chromium are there): the bytes the browser loads to show the first page of rows (the
//!   page, its style sheets and scripts, the shards), and to show the first page of a
//!   filtered view (`lisbon`: one row in 20), from a fresh page each time; and of those, the
//!   dataset page's own bytes (the page, `datasets.js` and `datasets.css`, the viewer's files)
//!   and the viewer's files alone. The rest are the theme's files, which every page of the
//!   site loads (`labbook.css`, `ui.js`, `toc.js` with the sidebar, `labbook.js`,
//!   `progress-index.js`); search, progress, quiz and code-colour files load only on pages or
//!   views that need them.
//!
//! `target:` lines compare the page weights, all files counted, with the targets
//! (under 100 KB each).
//! The figures also go to `target/bench-datasets.json`. No assertions.

mod common;
use common::{folder_size, mebibytes, run_measured, FreshOut};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const RUNS: usize = 3;
const CITIES: &[&str] = &[
    "lisbon", "porto", "madrid", "paris", "lyon", "berlin", "munich", "vienna", "prague", "warsaw", "oslo", "bergen",
    "dublin", "cork", "rome", "milan", "athens", "sofia", "riga", "tallinn",
];
const WORDS: &[&str] = &[
    "good",
    "bad",
    "great",
    "fine",
    "slow",
    "fast",
    "cheap",
    "pricey",
    "clean",
    "noisy",
    "friendly",
    "rude",
    "quiet",
    "busy",
    "fresh",
    "stale",
    "bright",
    "dark",
    "warm",
    "cold",
    "would",
    "come",
    "back",
    "never",
    "again",
    "staff",
    "room",
    "food",
    "view",
    "service",
    "value",
    "location",
    "breakfast",
    "bed",
    "shower",
    "price",
];

/// A small fixed-seed generator (xorshift64*), so every run builds the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn generate_book(root: &Path, rows: usize) -> u64 {
    let dir = root.join("content/datasets/reviews");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(root.join("book.yaml"), "title: Dataset bench\n").unwrap();
    std::fs::write(root.join("content/index.md"), "# Bench\n\nThe [reviews](datasets/reviews/README.md).\n").unwrap();
    let card = "---\npretty_name: Generated hotel reviews\nlicense: cc0-1.0\nlanguage: [en]\ntask_categories: [text-classification]\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.csv\ndataset_info:\n  features:\n  - name: label\n    dtype:\n      class_label:\n        names:\n          '0': negative\n          '1': neutral\n          '2': positive\n---\n\n# Generated hotel reviews\n\nGenerated data for the viewer bench.\n";
    std::fs::write(dir.join("README.md"), card).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut csv = String::with_capacity(rows * 160);
    csv.push_str("id,age,height,weight,score,rating,active,label,city,name,date,review\n");
    for i in 0..rows {
        let age = 18 + rng.below(70);
        let height = 150.0 + rng.unit() * 50.0;
        let weight = if rng.below(20) == 0 { String::new() } else { format!("{:.1}", 45.0 + rng.unit() * 60.0) };
        let score = rng.unit() * 2.0 - 1.0;
        let rating = 1 + rng.below(5);
        let active = rng.below(2) == 1;
        let label = rng.below(3);
        let city = CITIES[rng.below(CITIES.len() as u64) as usize];
        let name = format!("guest{}", rng.below(5000));
        let date = format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        let mut review = String::new();
        let target = 20 + rng.below(100) as usize;
        while review.len() < target {
            if !review.is_empty() {
                review.push(' ');
            }
            review.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        }
        let _ = writeln!(
            csv,
            "{i},{age},{height:.2},{weight},{score:.4},{rating},{active},{label},{city},{name},{date},{review}"
        );
    }
    std::fs::write(dir.join("data/train.csv"), &csv).unwrap();
    csv.len() as u64
}

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(|a| a.parse().unwrap_or_else(|_| panic!("row count expected, got `{a}`")))
        .unwrap_or(200_000);
    let labbook = PathBuf::from(env!("CARGO_BIN_EXE_labbook"));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("labbook:   {}", labbook.display());
    println!(
        "machine:   {cores} cores, load average {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let tmp = tempfile::Builder::new().prefix("labbook-bench-ds-").tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    let csv_bytes = generate_book(&book, rows);
    println!("\n{rows} rows x 12 columns ({:.1} MB of CSV)", csv_bytes as f64 / 1e6);
    // Each run writes a new folder (see `common::FreshOut`); `out` is the last one.
    let mut outs = FreshOut::new(&tmp.path().join("site"));
    let mut out = PathBuf::new();
    let mut times = Vec::new();
    let mut peak: Option<u64> = None;
    for run in 1..=RUNS {
        out = outs.next();
        let mut c = Command::new(&labbook);
        c.arg("build").arg("--no-cache").arg("--root").arg(&book).arg("--out").arg(&out);
        let m = run_measured(&mut c);
        assert!(m.output.status.success(), "build failed:\n{}", String::from_utf8_lossy(&m.output.stderr));
        println!("  run {run}: {:.2} s, peak memory {}", m.seconds, mebibytes(m.peak_bytes));
        times.push(m.seconds);
        peak = peak.max(m.peak_bytes);
    }
    times.sort_by(f64::total_cmp);
    let time = times[times.len() / 2];
    let viewer = out.join("datasets/reviews/viewer/0");
    let (mut files, mut largest, mut largest_name) = (0usize, 0u64, String::new());
    for entry in std::fs::read_dir(&viewer).expect("the viewer files") {
        let entry = entry.unwrap();
        let size = entry.metadata().unwrap().len();
        files += 1;
        if size > largest {
            largest = size;
            largest_name = entry.file_name().to_string_lossy().into_owned();
        }
    }
    let site = folder_size(&out);
    let viewer_bytes = folder_size(&viewer);
    let page_bytes = std::fs::metadata(out.join("datasets/reviews/index.html")).map(|m| m.len()).unwrap_or(0);
    println!("build:     {time:.2} s median of {RUNS}, peak memory {}", mebibytes(peak));
    println!(
        "site:      {:.1} MB; viewer files {files} ({:.1} MB); dataset page {:.1} KB",
        site as f64 / 1e6,
        viewer_bytes as f64 / 1e6,
        page_bytes as f64 / 1e3
    );
    println!("largest shard: {largest_name}, {:.1} KB", largest as f64 / 1e3);

    let browser = measure_in_browser(&out);
    let kb = |b: u64| b as f64 / 1e3;
    match &browser {
        Some(Bytes { first, filtered, own, viewer, status: matches }) => {
            println!(
                "browser:   first page of rows {:.1} KB; filtered page (`lisbon`, {matches}) {:.1} KB",
                kb(*first),
                kb(*filtered)
            );
            println!(
                "           of which the dataset page's own {:.1} KB and {:.1} KB (viewer files {:.1} KB and {:.1} KB); the theme's files {:.1} KB",
                kb(own.0),
                kb(own.1),
                kb(viewer.0),
                kb(viewer.1),
                kb(first - own.0)
            );
            println!("target: first page of rows {:.1} KB < 100 KB: {}", kb(*first), met(*first < 100_000));
            println!("target: filtered page {:.1} KB < 100 KB: {}", kb(*filtered), met(*filtered < 100_000));
        }
        None => println!("browser:   skipped (needs node, tests/browser/node_modules and Chromium)"),
    }
    let json = serde_json::json!({
        "rows": rows,
        "csv_bytes": csv_bytes,
        "build_seconds": time,
        "build_runs": times,
        "peak_bytes": peak,
        "site_bytes": site,
        "viewer_files": files,
        "viewer_bytes": viewer_bytes,
        "page_bytes": page_bytes,
        "largest_shard": { "file": largest_name, "bytes": largest },
        "first_page_bytes": browser.as_ref().map(|b| b.first),
        "filtered_page_bytes": browser.as_ref().map(|b| b.filtered),
        "own_bytes": browser.as_ref().map(|b| [b.own.0, b.own.1]),
        "viewer_bytes_loaded": browser.as_ref().map(|b| [b.viewer.0, b.viewer.1]),
    });
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-datasets.json");
    std::fs::write(&target, serde_json::to_string_pretty(&json).unwrap()).ok();
    println!("written:   {}", target.display());
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

/// What the browser loaded for the first page of rows and for a filtered page.
struct Bytes {
    first: u64,
    filtered: u64,
    /// The dataset page's own files (first, filtered).
    own: (u64, u64),
    /// The viewer's files (first, filtered).
    viewer: (u64, u64),
    /// The filter's status line.
    status: String,
}

/// Bytes of the first page of rows and of a filtered page, and the filter's status line.
fn measure_in_browser(site: &Path) -> Option<Bytes> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("benches/browser/datasets-bytes.mjs");
    if !root.join("tests/browser/node_modules/playwright-core").is_dir() {
        return None;
    }
    let output =
        Command::new("node").arg(&script).arg(site.join("datasets/reviews/index.html")).arg("lisbon").output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        println!("browser:   failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(stdout.lines().last()?).ok()?;
    let pair = |key: &str| Some((value[key][0].as_u64()?, value[key][1].as_u64()?));
    Some(Bytes {
        first: value["first"].as_u64()?,
        filtered: value["filtered"].as_u64()?,
        own: pair("own")?,
        viewer: pair("viewer")?,
        status: value["status"].as_str()?.to_string(),
    })
}
