//! Search index of a synthetic book: build cost, size, and bytes a query loads, against
//! mdBook's `searchindex.js` and (when on PATH: `npm install -g pagefind`) Pagefind on the
//! same content.
//!
//!     cargo bench --bench search                # 3,000 pages
//!     cargo bench --bench search -- 10000       # another size
//!
//! The book has prose drawn from a Zipf-distributed vocabulary of 20,000 words (plus
//! English stop words and machine-learning terms), five sections per page, a code block
//! whose identifiers carry the page number, and two tags per page. One source folder is
//! built by labbook (book.yaml), mdBook (book.toml, SUMMARY.md) and Pagefind (indexing the
//! labbook site).
//!
//! Reported: index build time (labbook's `search` stage, from `LABBOOK_TIMINGS`) and its
//! share of the build, total index bytes, and the bytes a query loads. labbook's figure
//! comes from `tests/search/query.mjs`, which runs the theme's search.js in Node and
//! records every file it loads (entry, meta, shards, the fragments of the first five
//! results). mdBook loads its whole `searchindex.js` for any query. Pagefind's figure
//! is estimated the same way from its files (entry, meta, wasm, the chunk of each word,
//! five fragments). Numbers go to stdout and `target/bench-search.json`; nothing is
//! asserted. `LABBOOK_BENCH_KEEP=1` keeps the generated book and sites.

mod common;
use common::{copy_tree, folder_size, FreshOut};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Timed builds; the median is reported.
const RUNS: usize = 5;
/// Distinct pseudo-words in the vocabulary.
const VOCABULARY: usize = 20_000;
const TAGS: usize = 40;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.parse().unwrap_or_else(|_| panic!("page count expected, got `{a}`")))
        .collect();
    let pages = sizes.first().copied().unwrap_or(3000);
    let labbook = PathBuf::from(env!("CARGO_BIN_EXE_labbook"));
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::Builder::new().prefix("labbook-search-bench-").tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    let started = Instant::now();
    let vocab = Vocabulary::new();
    generate_book(&book, pages, &vocab);
    println!("{pages} pages generated in {:.1} s", started.elapsed().as_secs_f64());

    // Build: total time and the search stage, median of RUNS; and the same book with
    // search turned off (a copy whose book.yaml says so), runs alternating so that the
    // machine's load hits both alike: "what indexing adds" is a difference of wall times.
    // Each build writes a new folder (see `common::FreshOut`); `site` is the last one.
    let mut sites = FreshOut::new(&tmp.path().join("labbook-site"));
    let mut off_sites = FreshOut::new(&tmp.path().join("labbook-site-no-search"));
    let mut site = PathBuf::new();
    let off_book = tmp.path().join("book-no-search");
    copy_tree(&book, &off_book);
    let yaml = std::fs::read_to_string(book.join("book.yaml")).unwrap();
    std::fs::write(off_book.join("book.yaml"), format!("{yaml}search:\n  enable: false\n")).unwrap();
    let mut on = Vec::new();
    let mut off = Vec::new();
    for _ in 0..RUNS {
        site = sites.next();
        on.push(timed_build(&labbook, &book, &site));
        off.push(timed_build(&labbook, &off_book, &off_sites.next()));
    }
    let (search_ms, total_ms, wall_ms) = median(on);
    let (_, _, wall_off_ms) = median(off);
    let added = (wall_ms - wall_off_ms) / wall_off_ms;
    let index_bytes = folder_size(&site.join("search"));
    let index_files = std::fs::read_dir(site.join("search")).map(|d| d.count()).unwrap_or(0);

    // Queries: single words across the frequency range, and three-word queries.
    let one_word: Vec<String> = [0usize, 10, 100, 1000, 5000]
        .iter()
        .map(|&rank| vocab.words[rank].clone())
        .chain(["gradient", "softmax", "regularization"].iter().map(|w| w.to_string()))
        // Misspelt: corrected through the spelling dictionary (one edit, then two).
        .chain(["grdient", "softmx", "regularizaton", "regulraizaton"].iter().map(|w| w.to_string()))
        .collect();
    let three_words: Vec<String> = vec![
        format!("{} {} {}", vocab.words[5], vocab.words[50], vocab.words[500]),
        "gradient descent momentum".into(),
        format!("softmax {} {}", vocab.words[200], vocab.words[2000]),
    ];
    let loaded = |queries: &[String]| -> Vec<(String, u64, usize)> {
        let mut args = vec![repo.join("tests/search/query.mjs").display().to_string(), site.display().to_string()];
        args.extend(queries.iter().cloned());
        let output = Command::new("node").args(&args).output();
        match output {
            Ok(o) if o.status.success() => {
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("query.mjs JSON");
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|q| {
                        (
                            q["query"].as_str().unwrap().to_string(),
                            q["bytes"].as_u64().unwrap(),
                            q["total"].as_u64().unwrap() as usize,
                        )
                    })
                    .collect()
            }
            Ok(o) => panic!("query.mjs failed: {}", String::from_utf8_lossy(&o.stderr)),
            Err(_) => {
                println!("node not on PATH: query bytes not measured");
                Vec::new()
            }
        }
    };
    let one = loaded(&one_word);
    let three = loaded(&three_words);

    println!("\nlabbook ({pages} pages)");
    println!("  build (median of {RUNS}):  {:>8.0} ms", total_ms);
    println!("  search index stage:     {:>8.0} ms  ({:.1}% of the stages)", search_ms, 100.0 * search_ms / total_ms);
    println!(
        "  wall time, search on / off: {:.0} / {:.0} ms: indexing adds {:.1}%",
        wall_ms,
        wall_off_ms,
        100.0 * added
    );
    println!(
        "target: search indexing adds {:.1}% wall <= 15% (issue 20): {}",
        100.0 * added,
        if added <= 0.15 { "met" } else { "NOT met" }
    );
    println!("  index: {} files, {}", index_files, kilobytes(index_bytes));
    println!("  bytes loaded per query (entry + meta + shards + fragments of the first five results):");
    for (q, bytes, total) in one.iter().chain(&three) {
        println!("    {:<40} {:>9}  ({total} pages match)", format!("`{q}`"), kilobytes(*bytes));
    }

    // mdBook: the whole searchindex.js, whatever the query.
    let mdbook = mdbook_searchindex(&book, tmp.path());
    match mdbook {
        Some((bytes, ms)) => println!(
            "\nmdBook: searchindex.js {} (loaded in full for any query); whole build {ms:.0} ms",
            kilobytes(bytes)
        ),
        None => println!("\nmdBook: not on PATH, skipped (cargo install mdbook)"),
    }
    let pagefind = pagefind_figures(&site, tmp.path(), &one_word, &three_words);
    match &pagefind {
        Some(p) => println!(
            "Pagefind: index {} in {:.0} ms; one word ~{}, three words ~{} (entry + meta + wasm + chunks + 5 fragments)",
            kilobytes(p.index_bytes),
            p.ms,
            kilobytes(p.one_word),
            kilobytes(p.three_words)
        ),
        None => println!("Pagefind: not on PATH, skipped (`npm install -g pagefind`, or its node_modules/.bin on PATH)"),
    }

    let json = serde_json::json!({
        "pages": pages,
        "build_ms": total_ms,
        "search_ms": search_ms,
        "search_share": search_ms / total_ms,
        "wall_ms": wall_ms,
        "wall_no_search_ms": wall_off_ms,
        "search_adds": added,
        "index_bytes": index_bytes,
        "index_files": index_files,
        "one_word": one.iter().map(|(q, b, t)| serde_json::json!({"query": q, "bytes": b, "matches": t})).collect::<Vec<_>>(),
        "three_words": three.iter().map(|(q, b, t)| serde_json::json!({"query": q, "bytes": b, "matches": t})).collect::<Vec<_>>(),
        "mdbook_searchindex_bytes": mdbook.map(|m| m.0),
        "pagefind": pagefind.as_ref().map(|p| serde_json::json!({"index_bytes": p.index_bytes, "ms": p.ms, "one_word": p.one_word, "three_words": p.three_words})),
    });
    let target = repo.join("target");
    let _ = std::fs::create_dir_all(&target);
    std::fs::write(target.join("bench-search.json"), serde_json::to_string_pretty(&json).unwrap()).unwrap();
    println!("\nwritten to target/bench-search.json");
    if std::env::var_os("LABBOOK_BENCH_KEEP").is_some() {
        let kept = tmp.keep();
        println!("kept {}", kept.display());
    }
}

/// Builds `book` into `site` once: (search stage, sum of stages, wall time) in ms, the
/// stages from `LABBOOK_TIMINGS`.
fn timed_build(labbook: &Path, book: &Path, site: &Path) -> (f64, f64, f64) {
    let started = Instant::now();
    let output = Command::new(labbook)
        .args(["build", "--no-cache", "--root"])
        .arg(book)
        .arg("--out")
        .arg(site)
        .env("LABBOOK_TIMINGS", "1")
        .output()
        .expect("run labbook");
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    assert!(output.status.success(), "labbook build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stage_ms = |name: &str| -> f64 {
        stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix(&format!("{name}:")))
            // `  1568.4 ms, memory 291 MiB (peak 374 MiB), cpu …`
            .filter_map(|rest| rest.split(" ms").next()?.trim().parse::<f64>().ok())
            .sum()
    };
    // The stages at the top of the table: `render` holds the pages, the features' files and
    // the search stage.
    let total: f64 = ["load", "theme", "transform", "assemble", "render", "swap"].iter().map(|s| stage_ms(s)).sum();
    (stage_ms("search"), total, wall)
}

/// The run with the median wall time.
fn median(mut runs: Vec<(f64, f64, f64)>) -> (f64, f64, f64) {
    runs.sort_by(|a, b| a.2.total_cmp(&b.2));
    runs[runs.len() / 2]
}

/// Builds the book with mdBook; the size of searchindex.js and the build time.
fn mdbook_searchindex(book: &Path, tmp: &Path) -> Option<(u64, f64)> {
    let ok = Command::new("mdbook").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        return None;
    }
    let out = tmp.join("mdbook-site");
    let started = Instant::now();
    let status = Command::new("mdbook").arg("build").arg(book).arg("--dest-dir").arg(&out).output().ok()?;
    if !status.status.success() {
        println!("mdbook build failed: {}", String::from_utf8_lossy(&status.stderr));
        return None;
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let file = walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).find(|e| {
        e.file_name().to_string_lossy().starts_with("searchindex") && e.file_name().to_string_lossy().ends_with(".js")
    })?;
    Some((file.metadata().ok()?.len(), ms))
}

struct PagefindFigures {
    index_bytes: u64,
    ms: f64,
    one_word: u64,
    three_words: u64,
}

/// Runs Pagefind on a copy of the labbook site and estimates what a query loads: the
/// entry, meta and wasm files, the index chunk holding each word, and five fragments
/// (Pagefind's default first page of results), averaged over fragments.
fn pagefind_figures(site: &Path, tmp: &Path, one: &[String], three: &[String]) -> Option<PagefindFigures> {
    let ok = Command::new("pagefind").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        return None;
    }
    let copy = tmp.join("pagefind-site");
    let _ = Command::new("cp").arg("-r").arg(site).arg(&copy).status();
    let started = Instant::now();
    let status = Command::new("pagefind").arg("--site").arg(&copy).output().ok()?;
    if !status.status.success() {
        return None;
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let dir = copy.join("pagefind");
    // (path relative to pagefind/, size) of every file.
    let files: Vec<(String, u64)> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, e.metadata().map(|m| m.len()).unwrap_or(0))
        })
        .collect();
    let fixed: u64 = files
        .iter()
        .filter(|(f, _)| {
            f == "pagefind-entry.json" || f == "pagefind.js" || f.starts_with("wasm.") || f.ends_with(".pf_meta")
        })
        .map(|(_, n)| n)
        .sum();
    let average = |folder: &str| -> u64 {
        let sizes: Vec<u64> = files.iter().filter(|(f, _)| f.starts_with(folder)).map(|(_, n)| *n).collect();
        sizes.iter().sum::<u64>() / sizes.len().max(1) as u64
    };
    let (chunk, fragment) = (average("index/"), average("fragment/"));
    let words = |q: &[String]| q.first().map(|q| q.split_whitespace().count() as u64).unwrap_or(1);
    Some(PagefindFigures {
        index_bytes: folder_size(&dir),
        ms,
        one_word: fixed + chunk * words(one) + 5 * fragment,
        three_words: fixed + chunk * words(three) + 5 * fragment,
    })
}

/// A deterministic vocabulary: pseudo-words ranked by frequency, sampled by Zipf's law.
struct Vocabulary {
    words: Vec<String>,
    /// Cumulative weights, for sampling a rank.
    cumulative: Vec<f64>,
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pi", "ne", "qua", "zi", "bar", "ton", "fe", "gri", "hul",
    "jas", "mor", "nix", "pel", "rho", "sten", "tra", "ul", "vin", "wex", "yor", "zen", "cal", "dri", "fol",
];
const TERMS: &[&str] = &[
    "gradient",
    "descent",
    "momentum",
    "softmax",
    "regularization",
    "overfitting",
    "validation",
    "classifier",
    "embedding",
    "attention",
    "tokenizer",
    "perplexity",
    "entropy",
    "likelihood",
    "posterior",
    "variance",
    "bias",
    "kernel",
    "convolution",
    "pooling",
    "dropout",
    "normalization",
    "batch",
    "epoch",
    "optimizer",
    "scheduler",
    "residual",
    "transformer",
    "decoder",
    "encoder",
    "sampling",
    "temperature",
    "logits",
    "probability",
    "matrix",
    "vector",
    "tensor",
    "derivative",
    "jacobian",
    "hessian",
    "eigenvalue",
    "projection",
    "distance",
    "neighbour",
    "cluster",
    "centroid",
    "bootstrap",
    "ensemble",
    "boosting",
    "forest",
    "decision",
    "margin",
    "hinge",
    "loss",
];
const STOP: &[&str] = &[
    "the", "of", "and", "a", "to", "in", "is", "that", "for", "it", "as", "with", "on", "by", "this", "are", "from",
    "or", "be", "at",
];

impl Vocabulary {
    fn new() -> Vocabulary {
        let mut seen: std::collections::HashSet<String> = TERMS.iter().map(|t| t.to_string()).collect();
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut n = 0usize;
        while words.len() + TERMS.len() < VOCABULARY {
            let mut w = String::new();
            let mut k = n;
            for _ in 0..2 + n % 3 {
                w.push_str(SYLLABLES[k % SYLLABLES.len()]);
                k = k / SYLLABLES.len() + n % 7;
            }
            n += 1;
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        // Machine-learning terms at ranks 20, 40, 60...: frequent, as in a real course.
        for (i, t) in TERMS.iter().enumerate() {
            words.insert(20 + 20 * i, t.to_string());
        }
        let mut cumulative = Vec::with_capacity(words.len());
        let mut sum = 0.0;
        for rank in 0..words.len() {
            sum += 1.0 / (rank as f64 + 2.7);
            cumulative.push(sum);
        }
        Vocabulary { words, cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative.last().unwrap();
        let i = self.cumulative.partition_point(|&c| c < x).min(self.words.len() - 1);
        &self.words[i]
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn sentence_block(rng: &mut Rng, vocab: &Vocabulary, words: usize) -> String {
    let mut text = String::new();
    let mut start = true;
    for i in 0..words {
        let w = if rng.below(10) < 4 { STOP[rng.below(STOP.len() as u64) as usize] } else { vocab.sample(rng) };
        if !text.is_empty() {
            text.push(' ');
        }
        if start {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                text.extend(f.to_uppercase());
                text.push_str(c.as_str());
            }
        } else {
            text.push_str(w);
        }
        start = false;
        if i + 1 == words || rng.below(12) == 0 {
            text.push('.');
            start = true;
        }
    }
    text
}

fn generate_book(root: &Path, pages: usize, vocab: &Vocabulary) {
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        root.join("book.yaml"),
        "title: Synthetic search benchmark\ncontent-dir: src\ntoc: src/SUMMARY.md\n",
    )
    .unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Synthetic search benchmark\"\nsrc = \"src\"\n").unwrap();
    let mut summary = String::from("# Summary\n\n");
    let parts = 30.min(pages);
    for n in 0..pages {
        let part = n % parts;
        if n < parts {
            std::fs::create_dir_all(src.join(format!("part-{part:02}"))).unwrap();
        }
        let file = format!("part-{part:02}/page-{n:05}.md");
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
        let title = format!("{} and {} {n}", capital(vocab.sample(&mut rng)), vocab.sample(&mut rng));
        let _ = writeln!(summary, "- [{title}]({file})");
        let mut md = String::new();
        let tags: Vec<String> = (0..2).map(|_| format!("tag-{}", rng.below(TAGS as u64))).collect();
        let _ = writeln!(md, "---\ntags: [{}]\n---\n# {title}\n", tags.join(", "));
        let _ = writeln!(md, "{}\n", sentence_block(&mut rng, vocab, 60));
        for s in 0..5 {
            let heading = format!("{} {}", capital(vocab.sample(&mut rng)), vocab.sample(&mut rng));
            let _ = writeln!(md, "## {heading} {{#s{s}}}\n");
            let (long, short) = (50 + rng.below(60) as usize, 30 + rng.below(40) as usize);
            let _ = writeln!(md, "{}\n", sentence_block(&mut rng, vocab, long));
            let _ = writeln!(md, "{}\n", sentence_block(&mut rng, vocab, short));
            if s == 2 {
                let _ = writeln!(
                    md,
                    "```python\ndef step_{n}(weights_{n}, grad, lr=0.01):\n    \"\"\"One update of page {n}.\"\"\"\n    return [w - lr * g for w, g in zip(weights_{n}, grad)]\n```\n"
                );
            }
        }
        std::fs::write(src.join(&file), md).unwrap();
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
