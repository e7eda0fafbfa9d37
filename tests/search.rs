//! Search end to end: builds fixture books (and the bundled course), then queries their
//! index from Node with `tests/search/query.mjs`, which loads meta, shards and page
//! fragments the way the browser does; and, in headless Chromium from `file://`, types a
//! query and opens a result (`tests/search/browser.mjs`).
//!
//! Node is needed for the queries, and `npm ci --prefix tests/browser` plus Chromium for
//! the browser check. Without them a test prints a SKIP line and passes, unless env `CI`
//! is set: then it fails, so CI never skips silently.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Queries a built site from Node; one JSON object per query.
fn query(site: &Path, queries: &[&str]) -> Vec<Value> {
    let script = repo_root().join("tests/search/query.mjs");
    let mut args = vec![site.display().to_string()];
    args.extend(queries.iter().map(|q| q.to_string()));
    let run = run_node(&script, &args, &repo_root());
    let stdout = run.expect_success("query.mjs", "");
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("query.mjs printed no JSON ({e}):\n{stdout}"))
}

/// `url#anchor` of each result.
fn hits(result: &Value) -> Vec<String> {
    result["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (url, anchor) = (r["url"].as_str().unwrap(), r["anchor"].as_str().unwrap());
            if anchor.is_empty() {
                url.to_string()
            } else {
                format!("{url}#{anchor}")
            }
        })
        .collect()
}

fn build_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    build_ok(&fixture(name), &out);
    (tmp, out)
}

#[test]
fn index_files_register_themselves_and_carry_hashes() {
    let (_tmp, out) = build_fixture("search-basic");
    let names: Vec<String> = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let count = |prefix: &str| names.iter().filter(|n| n.starts_with(prefix)).count();
    assert_eq!(count("meta."), 1, "{names:?}");
    assert!(count("shard-") >= 1, "{names:?}");
    // Seven pages are indexed; drafts/secret.md is excluded in book.yaml.
    assert_eq!(count("page-"), 7, "{names:?}");
    let entry = read(&out, "search/entry.js");
    assert!(entry.starts_with("window.__labbookSearch.entry({\"meta\":\"meta."), "{entry}");
    for name in &names {
        let text = read(&out, &format!("search/{name}"));
        assert!(text.starts_with("window.__labbookSearch."), "{name}: {text}");
        if name != "entry.js" {
            let hash = name.rsplit('.').nth(1).unwrap();
            assert!(hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
        }
    }
    // The page links the search script and shows the button (hidden without JavaScript by CSS).
    let index = read(&out, "index.html");
    assert!(index.contains("id=\"search-open\""), "{index}");
    assert!(index.contains("assets/search."), "{index}");
}

#[test]
fn fixture_queries_find_the_expected_sections() {
    if !can_run(missing_node(), "fixture_queries_find_the_expected_sections") {
        return;
    }
    let (_tmp, out) = build_fixture("search-basic");
    let cases: &[(&str, &[&str])] = &[
        ("gradient descent", &["ml/gradient-descent.html"]),
        ("learning rate", &["ml/gradient-descent.html#learning-rate"]),
        // The last word is a prefix while typing.
        ("softm", &["ml/softmax.html"]),
        ("mean squ", &["ml/loss.html#mean-squared-error"]),
        // A quoted phrase: softmax.html has both words, but not next to each other.
        ("\"cross entropy\"", &["ml/loss.html#cross-entropy"]),
        // Stemming: the book says "neighbours" and "trained"/"training".
        ("neighbour", &["ml/neighbours.html"]),
        ("training example", &["ml/neighbours.html"]),
        // A form the book never uses.
        ("overshooting", &["ml/gradient-descent.html#learning-rate"]),
        // CJK bigrams.
        ("学习", &["intl/zh.html"]),
        ("人工智能", &["intl/zh.html"]),
        ("ネットワーク", &["intl/ja.html"]),
        // Excluded in book.yaml.
        ("xylophone", &[]),
        // Filters.
        ("{\"q\":\"loss\",\"tag\":\"classification\"}", &["ml/loss.html"]),
        ("{\"q\":\"scores\",\"tag\":\"optimization\"}", &[]),
        ("{\"q\":\"softmax\",\"kind\":\"lesson\"}", &["ml/softmax.html"]),
    ];
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let results = query(&out, &queries);
    let mut failures = Vec::new();
    for ((q, expected), result) in cases.iter().zip(&results) {
        let got = hits(result);
        let ok =
            if expected.is_empty() { got.is_empty() } else { got.first().map(String::as_str) == Some(expected[0]) };
        if !ok {
            failures.push(format!("{q}: expected {expected:?} first, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The phrase query drops softmax.html, which has both words apart.
    let phrase = &results[4];
    assert_eq!(phrase["total"], 1, "{phrase}");
    // Excerpts mark the terms.
    let excerpt = results[1]["results"][0]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("<mark>learning</mark> <mark>rate</mark>"), "{excerpt}");
    // A query of stop words only does not fail.
    let stop = &query(&out, &["the of and"])[0];
    assert!(stop["results"].is_array(), "{stop}");
    // A one-word query loads entry, meta, one shard and the fragments of its results.
    let one = &query(&out, &["softmax"])[0];
    let loaded: Vec<&str> = one["loaded"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(loaded.iter().filter(|f| f.contains("/shard-")).count(), 1, "{loaded:?}");
    assert!(loaded[0] == "search/entry.js" && loaded[1].starts_with("search/meta."), "{loaded:?}");
}

#[test]
fn search_can_be_turned_off() {
    let book = copy_fixture("search-basic");
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).unwrap();
    std::fs::write(book.path().join("book.yaml"), yaml.replace("search:\n", "search:\n  enable: false\n")).unwrap();
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let names: Vec<_> = std::fs::read_dir(out.join("search")).unwrap().collect();
    assert_eq!(names.len(), 1);
    assert_eq!(read(&out, "search/entry.js"), "window.__labbookSearch.entry(null);\n");
}

#[test]
fn unknown_search_key_is_an_error() {
    let book = copy_fixture("search-basic");
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).unwrap();
    std::fs::write(book.path().join("book.yaml"), yaml.replace("  exclude:", "  exclude-pages:")).unwrap();
    let output = build(book.path(), &book.path().join("site"));
    assert!(!output.status.success());
    let text = shown(&output);
    assert!(text.contains("book.yaml:5:3") && text.contains("unknown field `exclude-pages`"), "{text}");
}

/// Queries against the bundled course, each with the page that must be in the top three.
const COURSE_QUERIES: &[(&str, &str)] = &[
    ("softmax", "ml/softmax.html"),
    ("cross-entropy", "ml/softmax.html"),
    ("learning rate", "ml/gradient-descent.html"),
    ("gradient descent", "ml/gradient-descent.html"),
    ("mean squared error", "ml/linear-models.html"),
    ("residuals", "ml/linear-models.html"),
    ("closed form", "ml/linear-models.html"),
    ("confusion matrix", "ml/nearest-neighbours.html"),
    ("overfitting", "ml/nearest-neighbours.html"),
    ("k-NN classifier", "ml/nearest-neighbours.html"),
    ("bigram", "ml/bigram-names.html"),
    ("perplexity", "ml/bigram-names.html"),
    ("smoothing", "ml/bigram-names.html"),
    ("iris flowers", "ml/learning-from-data.html"),
    ("train/test split", "ml/learning-from-data.html"),
    ("generalisation", "ml/learning-from-data.html"),
    ("install", "guide/getting-started.html"),
    ("exit codes", "guide/getting-started.html"),
    ("base-url", "guide/book-yaml.html"),
    ("template context", "guide/theming.html"),
    ("hashed assets", "guide/theming.html"),
    ("admonitions", "guide/writing-content.html"),
    ("overfl", "ml/softmax.html"),
    ("search boost", "guide/search.html"),
];

#[test]
fn bundled_course_queries_find_their_page_in_the_top_three() {
    if !can_run(missing_node(), "bundled_course_queries_find_their_page_in_the_top_three") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);
    let queries: Vec<&str> = COURSE_QUERIES.iter().map(|c| c.0).collect();
    // The course's English site, with its own index (each language has one).
    let results = query(&out.join("en"), &queries);
    let mut failures = Vec::new();
    for ((q, expected), result) in COURSE_QUERIES.iter().zip(&results) {
        let pages: Vec<String> = hits(result).iter().map(|h| h.split('#').next().unwrap().to_string()).collect();
        if !pages.iter().take(3).any(|p| p == expected) {
            failures.push(format!("{q}: expected {expected} in the top three, got {pages:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        COURSE_QUERIES.len(),
        failures.join("\n")
    );
}

#[test]
fn search_in_chromium_from_file_url() {
    if !can_run(missing_browser(), "search_in_chromium_from_file_url") {
        return;
    }
    let (_tmp, out) = build_fixture("search-basic");
    let run = run_node(
        &repo_root().join("tests/search/browser.mjs"),
        &[out.display().to_string()],
        &repo_root().join("tests/browser"),
    );
    let stdout = run.expect_success("tests/search/browser.mjs", "");
    assert!(!stdout.contains("FAIL"), "{stdout}");
}

/// A word in more sections than an index entry keeps is cut to its best sections at build
/// time; a query still finds pages by their rarer words, counts the common word's pages
/// truly, and "More results" pages through what was kept.
#[test]
fn a_word_on_every_page_stays_cheap_and_optional() {
    if !can_run(missing_node(), "a_word_on_every_page_stays_cheap_and_optional") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("content")).unwrap();
    std::fs::write(book.join("book.yaml"), "title: Common words\n").unwrap();
    // 420 pages × 3 sections = 1,260 sections hold "tensor"; only page 17 says "zebrafish".
    for n in 0..420 {
        // Page 3 has a longer word that "tensor" is a prefix of, as a reader types it.
        let rare = match n {
            17 => " A zebrafish appears here.",
            3 => " Compare tensorflow.",
            _ => "",
        };
        let page = format!(
            "# Page {n}\n\nEvery tensor has a shape.{rare}\n\n## Part one\n\nA tensor of rank {n}.\n\n## Part two\n\nReshape the tensor.\n"
        );
        std::fs::write(book.join(format!("content/p{n:03}.md")), page).unwrap();
    }
    let out = tmp.path().join("site");
    build_ok(&book, &out);
    let results = query(&out, &["tensor", "tensor zebrafish", r#"{"q": "tensor", "offset": 5}"#]);
    // The common word alone: its true page count, five results.
    assert_eq!(results[0]["total"], 420, "{}", results[0]);
    assert_eq!(hits(&results[0]).len(), 5);
    // With a rarer word, the common word does not hide the page that has both.
    assert_eq!(results[1]["total"], 1, "{}", results[1]);
    assert_eq!(hits(&results[1]), ["p017.html"], "{}", results[1]);
    // The next five come with an offset.
    assert_eq!(hits(&results[2]).len(), 5);
    assert!(hits(&results[2]).iter().all(|h| !hits(&results[0]).contains(h)));
}

/// A rebuild after a one-page edit renames only the fragments of that page's bucket (64
/// pages share a hash in their names): the others keep their names, and the rebuild links
/// them from the previous site (same inode), instead of writing every fragment again.
/// Search still finds a word of the edited page and one of a page in another bucket, and
/// the site is the one a build without the cache writes.
#[test]
fn an_edit_renames_only_its_buckets_fragments() {
    if !can_run(missing_node(), "an_edit_renames_only_its_buckets_fragments") {
        return;
    }
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("content")).unwrap();
    std::fs::write(book.join("book.yaml"), "title: Buckets\n").unwrap();
    // 150 pages: fragment buckets 0..64, 64..128 and 128..150.
    for n in 0..150 {
        let page = format!("# Page {n}\n\nWord{n} is said on page {n} only.\n\n## More\n\nCommon text.\n");
        std::fs::write(book.join(format!("content/p{n:03}.md")), page).unwrap();
    }
    let out = tmp.path().join("site");
    let warm = |out: &Path| {
        let built = labbook().args(["build", "--root"]).arg(&book).arg("--out").arg(out).output().unwrap();
        assert!(built.status.success(), "{}", shown(&built));
    };
    // Fragment names and inodes, by page number.
    let fragments = |out: &Path| -> std::collections::BTreeMap<usize, (String, u64)> {
        std::fs::read_dir(out.join("search"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let n = name.strip_prefix("page-")?.split('.').next()?.parse().ok()?;
                Some((n, (name, e.metadata().unwrap().ino())))
            })
            .collect()
    };
    warm(&out);
    let before = fragments(&out);
    assert_eq!(before.len(), 150);
    let hashes = |f: &std::collections::BTreeMap<usize, (String, u64)>| -> std::collections::BTreeSet<String> {
        f.values().map(|(name, _)| name.rsplit('.').nth(1).unwrap().to_string()).collect()
    };
    assert_eq!(hashes(&before).len(), 3, "one hash per bucket of 64 pages");

    // Page 70 is in the second bucket.
    let edited = book.join("content/p070.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("Common text.", "Common text, and a quokka.")).unwrap();
    warm(&out);
    let after = fragments(&out);
    assert_eq!(after.len(), 150);
    for (n, (name, ino)) in &after {
        let (old_name, old_ino) = &before[n];
        if (64..128).contains(n) {
            assert_ne!(name, old_name, "page {n}: its bucket's hash changes");
        } else {
            assert_eq!(name, old_name, "page {n}: another bucket keeps its name");
            assert_eq!(ino, old_ino, "page {n}: its fragment is the previous site's file, linked");
        }
    }

    // The same site as a build without the cache.
    let cold = tmp.path().join("cold");
    build_ok(&book, &cold);
    let listing = |site: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walk(site);
        files.sort();
        files
    };
    assert!(listing(&out) == listing(&cold), "the rebuilt site equals a build without the cache");

    let results = query(&out, &["quokka", "word3", "word140", "word70"]);
    // The edited page's new word, and words of pages in the edited bucket and in others.
    assert_eq!(results[0]["total"], 1, "{}", results[0]);
    for (result, page) in results.iter().zip(["p070.html", "p003.html", "p140.html", "p070.html"]) {
        assert!(hits(result).first().is_some_and(|h| h.starts_with(page)), "{page}: {result}");
    }
}

/// Every file under `site`, by path relative to it.
fn walk(site: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(site).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// The search box's query parser and engine (`search.js`, in Node as in the browser) on
/// random queries: quotes, operators, CJK, emoji, stop words, misspellings, very long words,
/// empty and blank queries, odd filters and limits. A property test: every query answers
/// (no exception, no hang: the Node run has a time limit), with `total` at least the results
/// shown and every result a page of the site. The seed is printed, so a failure can be rerun
/// with `LABBOOK_QUERY_SEED`.
#[test]
fn random_queries_always_answer() {
    if !can_run(missing_node(), "tests/search.rs random_queries_always_answer") {
        return;
    }
    const PIECES: &[&str] = &[
        "softmax",
        "gradient",
        "descent",
        "the",
        "a",
        "of",
        "\"",
        "\"exact phrase\"",
        " ",
        "  ",
        "-",
        "+",
        "*",
        "?",
        "OR",
        "AND",
        "NOT",
        ":",
        "kind:",
        "tag:",
        "(",
        ")",
        "[",
        "]",
        "\\",
        "/",
        "é",
        "ß",
        "İ",
        "中文",
        "模型",
        "损失",
        "🙂",
        "\u{200b}",
        "\u{feff}",
        "\t",
        "\n",
        "gradeint",
        "sofmax",
        "x",
        "99",
        "1e9",
        "<b>",
        "&amp;",
        "%20",
        "$",
        "'",
        "`",
        "__proto__",
        "constructor",
        "toString",
        ".",
        "..",
        "ℕ",
    ];
    let seed: u64 = std::env::var("LABBOOK_QUERY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    // xorshift64*: enough randomness for query text, and reproducible from the seed.
    let mut state = seed;
    let mut next = move |n: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    };
    let mut specs = vec![
        serde_json::json!({"q": ""}),
        serde_json::json!({"q": "   "}),
        serde_json::json!({"q": "\"\"\"\""}),
        serde_json::json!({"q": "a".repeat(2000)}),
        serde_json::json!({"q": "softmax ".repeat(200)}),
    ];
    for _ in 0..150 {
        let words = next(8);
        let mut q = String::new();
        for _ in 0..=words {
            q.push_str(PIECES[next(PIECES.len())]);
            if next(3) == 0 {
                q.push(' ');
            }
        }
        let mut spec = serde_json::json!({ "q": q });
        match next(6) {
            0 => spec["kind"] = serde_json::json!(["lesson", "exercise", "model", "api", "nope", ""][next(6)]),
            1 => spec["tag"] = serde_json::json!(["basics", "中文", "", "<x>"][next(4)]),
            2 => spec["limit"] = serde_json::json!([0, 1, 1000, -1][next(4)]),
            3 => spec["offset"] = serde_json::json!([0, 3, 100_000, -5][next(4)]),
            _ => {}
        }
        specs.push(spec);
    }
    let (_tmp, site) = build_fixture("search-basic");
    let args: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let answers = std::panic::catch_unwind(|| query(&site, &refs))
        .unwrap_or_else(|_| panic!("a random query failed (LABBOOK_QUERY_SEED={seed})"));
    assert_eq!(answers.len(), specs.len(), "LABBOOK_QUERY_SEED={seed}");
    for (spec, answer) in specs.iter().zip(&answers) {
        let results = answer["results"].as_array().unwrap_or_else(|| panic!("no results for {spec} (seed {seed})"));
        let total = answer["total"].as_u64().unwrap_or_else(|| panic!("no total for {spec} (seed {seed})"));
        assert!(total as usize >= results.len(), "{spec}: total {total} < {} shown (seed {seed})", results.len());
        for r in results {
            let url = r["url"].as_str().unwrap_or_default();
            assert!(
                url.ends_with(".html") && site.join(url).is_file(),
                "{spec}: result {r} is not a page of the site (seed {seed})"
            );
        }
    }
}

/// French elisions come off their word, in the index and in queries: `erreur` finds the
/// page that writes `L'erreur quadratique`, and so do `l'erreur` and `l’erreur`.
#[test]
fn french_elisions_are_split_in_the_index_and_queries() {
    if !can_run(missing_node(), "tests/search.rs french_elisions_are_split_in_the_index_and_queries") {
        return;
    }
    let (_tmp, out) = build_fixture("i18n");
    let results = query(&out.join("fr"), &["erreur ", "l'erreur ", "l’erreur quadratique", "\"l'erreur quadratique\""]);
    for result in &results {
        assert!(
            hits(result).iter().any(|h| h.starts_with("lessons/loss.html")),
            "`{}` does not find the French loss page: {:?}",
            result["query"],
            hits(result)
        );
    }
}
