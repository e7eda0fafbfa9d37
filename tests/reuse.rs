//! A rebuild reuses the pages whose inputs did not change (`labbook_core::page_cache`), and
//! what it writes is byte for byte what a build without any cache writes, whatever was
//! edited: a page, a file a page includes, a template, the navigation, the configuration.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use common::{copy_fixture, labbook, repo_root, shown};

/// `labbook build` with its caches, as a writer rebuilds.
fn build_warm(root: &Path, out: &Path) -> Output {
    labbook()
        .env("LABBOOK_TIMINGS", "1")
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run labbook")
}

/// `labbook build --no-cache` into a fresh folder.
fn build_cold(root: &Path, out: &Path) -> Output {
    let _ = std::fs::remove_dir_all(out);
    labbook().args(["build", "--no-cache", "--root"]).arg(root).arg("--out").arg(out).output().expect("run labbook")
}

/// Every file of a site, by path.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("walk the site"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The two counts of the timings line that starts with `prefix`.
fn counts(output: &Output, prefix: &str) -> (usize, usize) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find_map(|l| l.strip_prefix(prefix)).unwrap_or_else(|| panic!("{}", shown(output)));
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

/// (pages reused, page files linked) from the timings the build printed.
fn reuse_of(output: &Output) -> (usize, usize) {
    counts(output, "page cache: ")
}

/// Builds `root` warm into `warm` and cold into a fresh folder, checks both succeed with the
/// same files, byte for byte, and returns what the warm build reused.
fn same_as_cold(root: &Path, warm: &Path, what: &str) -> (usize, usize) {
    let built = build_warm(root, warm);
    assert!(built.status.success(), "{what}: {}", shown(&built));
    let cold_dir = tempfile::tempdir().unwrap();
    let cold = cold_dir.path().join("site");
    let reference = build_cold(root, &cold);
    assert!(reference.status.success(), "{what}: {}", shown(&reference));
    let (warm_files, cold_files) = (files(warm), files(&cold));
    let names = |f: &BTreeMap<String, Vec<u8>>| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&warm_files), names(&cold_files), "{what}: the same files");
    for (path, bytes) in &warm_files {
        assert!(
            bytes == &cold_files[path],
            "{what}: {path} differs from a build without cache:\nwarm: {}\ncold: {}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&cold_files[path])
        );
    }
    reuse_of(&built)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_rebuild_equals_a_cold_build_after_any_edit_of_an_mdbook() {
    let book = copy_fixture("mdbook-rust-book");
    let (root, out) = (book.path().join("book"), book.path().join("site"));
    std::fs::create_dir(&root).unwrap();
    for entry in std::fs::read_dir(book.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "book" {
            std::fs::rename(entry.path(), root.join(entry.file_name())).unwrap();
        }
    }
    let src = root.join("src");
    let pages = 6;

    assert_eq!(same_as_cold(&root, &out, "first build"), (0, 0));
    assert_eq!(same_as_cold(&root, &out, "nothing changed"), (pages, pages), "every page is reused and linked");

    edit(
        &src.join("ch08-02-strings.md"),
        "## Storing UTF-8 Encoded Text with Strings",
        "## Storing UTF-8 Encoded Text with Strings\n\nOne more sentence.",
    );
    let (reused, linked) = same_as_cold(&root, &out, "a page edited");
    assert_eq!((reused, linked), (pages - 1, pages - 1), "only the edited page is made again");
    assert!(std::fs::read_to_string(out.join("ch08-02-strings.html")).unwrap().contains("One more sentence."));

    // A listing the ownership chapter includes. It is a file under the book root that is no
    // page: anything may read it, so every page is made again.
    let listing = root.join("listings/ch04-understanding-ownership/listing-04-01/src/main.rs");
    let text = std::fs::read_to_string(&listing).unwrap();
    std::fs::write(&listing, text.replacen("let s = \"hello\";", "let s = \"hello, reuse\";", 1)).unwrap();
    assert_eq!(same_as_cold(&root, &out, "an included file edited").0, 0);
    assert!(std::fs::read_to_string(out.join("ch04-01-what-is-ownership.html")).unwrap().contains("hello, reuse"));
    // A file included from outside the book root: only the page that includes it is made again.
    let outside = book.path().join("shared/snippet.rs");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::write(&outside, "fn shared() {}\n").unwrap();
    edit(&src.join("ch11-00-testing.md"), "\n", "\n\n```rust\n{{#include ../../shared/snippet.rs}}\n```\n\n");
    same_as_cold(&root, &out, "a page including a file from outside the book");
    std::fs::write(&outside, "fn shared_and_edited() {}\n").unwrap();
    let (reused, _) = same_as_cold(&root, &out, "a file included from outside the book edited");
    assert_eq!(reused, pages - 1, "only the page that includes it is made again");
    assert!(std::fs::read_to_string(out.join("ch11-00-testing.html")).unwrap().contains("shared_and_edited"));

    // The navigation: every page shows it (and prev/next names the chapters).
    edit(&src.join("SUMMARY.md"), "[How to Write Tests]", "[Writing Tests, Renamed]");
    assert_eq!(same_as_cold(&root, &out, "SUMMARY.md edited").0, 0);
    edit(&src.join("SUMMARY.md"), "- [Common Collections]", "- [Collections]");
    same_as_cold(&root, &out, "SUMMARY.md edited again");

    // The configuration.
    edit(&root.join("book.toml"), "title = \"The Rust Programming Language\"", "title = \"The Book\"");
    assert_eq!(same_as_cold(&root, &out, "book.toml edited").0, 0);
    edit(&root.join("theme/listing.css"), "", "/* edited */\n");
    same_as_cold(&root, &out, "an additional style sheet edited");

    // Back to the page alone, after all that.
    edit(&src.join("ch11-01-writing-tests.md"), "## How to Write Tests", "## How to Write Tests\n\nAn edit.");
    assert_eq!(same_as_cold(&root, &out, "another page edited").0, pages - 1);
}

#[test]
fn a_rebuild_equals_a_cold_build_after_a_template_edit() {
    let book = copy_fixture("features");
    let root = book.path();
    let out = root.join("site");
    let pages = same_as_cold(root, &out, "first build");
    assert_eq!(pages, (0, 0));
    let (all, _) = same_as_cold(root, &out, "nothing changed");
    assert!(all > 3, "{all} pages reused");

    // The book takes the built-in page template into a theme of its own, then edits it.
    let template = root.join("themes/mine/templates/page.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::copy(repo_root().join("crates/labbook-core/src/render/theme/templates/page.html"), &template).unwrap();
    edit(&root.join("book.yaml"), "title: Features\n", "title: Features\ntheme: mine\n");
    same_as_cold(root, &out, "a theme of its own");
    edit(
        &template,
        "<article class=\"content\"",
        "<p class=\"edited\">Edited template</p>\n<article class=\"content\"",
    );
    assert_eq!(same_as_cold(root, &out, "the page template edited").0, 0);
    assert!(std::fs::read_to_string(out.join("ml/index.html")).unwrap().contains("Edited template"));

    edit(&root.join("book.yaml"), "description: Every Markdown feature labbook supports.", "description: Edited.");
    same_as_cold(root, &out, "book.yaml edited");
    edit(&root.join("content/ml/math.md"), "Back to", "Now back to");
    assert_eq!(same_as_cold(root, &out, "a page edited").0, all - 1);
}

#[test]
fn a_link_broken_by_another_page_s_edit_still_fails_the_rebuild() {
    let book = copy_fixture("features");
    let root = book.path();
    let out = root.join("site");
    same_as_cold(root, &out, "first build");
    let before = files(&out);
    // `ml/math.md` links to `index.md#custom`; the link's page is unchanged, its target is not.
    edit(&root.join("content/ml/index.md"), "## A custom id {#custom}", "## A custom id {#another}");
    let warm = build_warm(root, &out);
    assert!(!warm.status.success(), "{}", shown(&warm));
    let cold_dir = tempfile::tempdir().unwrap();
    let cold = build_cold(root, &cold_dir.path().join("site"));
    assert!(!cold.status.success());
    let message = |o: &Output| {
        let text = String::from_utf8_lossy(&o.stderr).to_string();
        text.lines().filter(|l| l.contains("custom")).map(str::to_string).collect::<Vec<_>>()
    };
    assert!(!message(&warm).is_empty() && message(&warm) == message(&cold), "{}\n{}", shown(&warm), shown(&cold));
    assert!(message(&warm).iter().any(|l| l.contains("ml/math.md")), "{}", shown(&warm));
    assert_eq!(files(&out), before, "the previous site stays as it was");
}

#[test]
fn a_translated_book_with_models_and_exercises_rebuilds_as_a_cold_build_does() {
    let book = copy_fixture("i18n");
    let root = book.path();
    let out = root.join("site");
    same_as_cold(root, &out, "first build");
    let (reused, linked) = same_as_cold(root, &out, "nothing changed");
    assert!(reused > 10 && linked > 10, "every language's pages are reused: {reused}, {linked}");

    // A page only English has: the other languages show it too, untranslated.
    let en = root.join("content/en");
    edit(&en.join("lessons/regularisation.md"), "simple explanations.", "simple explanations, edited.");
    let (again, _) = same_as_cold(root, &out, "an English page the others fall back to");
    assert_eq!(again, reused - 3, "the page is made again in each of the three languages");
    // A page French translates: the translation becomes stale.
    edit(&en.join("lessons/gradient.md"), "one small step at a time.", "one small step at a time, edited.");
    same_as_cold(root, &out, "an English page with a French translation");
    // A model card (a page the models feature writes) and an exercise.
    edit(&en.join("models/tiny-classifier/README.md"), "small enough to read", "small enough to read, edited");
    same_as_cold(root, &out, "a model card");
    let exercise = root.join("exercises/double/exercise.yaml");
    let text = std::fs::read_to_string(&exercise).unwrap();
    let title = text.lines().find(|l| l.starts_with("title:")).expect("the exercise has a title").to_string();
    edit(&exercise, &title, &format!("{title} (edited)"));
    same_as_cold(root, &out, "an exercise");
}

/// (blocks taken from the highlight cache, blocks highlighted) from the timings the build
/// printed.
fn highlighted(output: &Output) -> (usize, usize) {
    counts(output, "highlight cache: ")
}

#[test]
fn a_long_page_of_listings_keeps_its_highlighted_blocks_when_reused() {
    // A chapter of 48 listings, and a short one.
    let book = tempfile::tempdir().unwrap();
    let (root, out) = (book.path().join("book"), book.path().join("site"));
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Listings\"\n").unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [Listings](listings.md)\n- [Prose](prose.md)\n").unwrap();
    let mut listings = String::from("# Listings\n\nThe first words.\n\n");
    for i in 0..48 {
        let (lang, body) = if i % 2 == 0 {
            (
                "rust",
                format!(
                    "# fn hidden_{i}() {{}}\nfn listing_{i}(x: u32) -> u32 {{\n    // {}\n    x * {i}\n}}\n",
                    "padding ".repeat(60)
                ),
            )
        } else {
            ("python", format!("def listing_{i}(x):\n    \"\"\"{}\"\"\"\n    return x * {i}\n", "padding ".repeat(60)))
        };
        listings.push_str(&format!("Listing {i}:\n\n```{lang}\n{body}```\n\n"));
    }
    std::fs::write(src.join("listings.md"), &listings).unwrap();
    std::fs::write(src.join("prose.md"), "# Prose\n\nNo code here.\n").unwrap();

    let first = build_warm(&root, &out);
    assert!(first.status.success(), "{}", shown(&first));
    assert_eq!(highlighted(&first), (0, 48), "the first build highlights every block");
    // Only the prose changes: the listings page is reused whole, and must keep its blocks in
    // the highlight cache.
    edit(&src.join("prose.md"), "No code here.", "Still no code here.");
    assert_eq!(same_as_cold(&root, &out, "the prose page edited"), (1, 1));
    // The listings page's own words change: it is made again, and every block comes from
    // the highlight cache, none parsed again.
    edit(&src.join("listings.md"), "The first words.", "Other first words.");
    let third = build_warm(&root, &out);
    assert!(third.status.success(), "{}", shown(&third));
    assert_eq!(highlighted(&third), (48, 0), "no block is highlighted again");
    assert_eq!(same_as_cold(&root, &out, "the listings page edited"), (2, 2));
}
