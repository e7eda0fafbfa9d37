//! mdBook books build unchanged (issue 12): `book.toml`, SUMMARY.md's whole grammar, the
//! braces directives, mdBook's heading ids and the link dials. `mdbook-rust-book` is a real
//! excerpt of the Rust book (see its SOURCE.md); `mdbook-grammar` exercises each rule.

mod common;

use std::path::Path;

use common::*;

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + 7;
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[test]
fn the_rust_book_excerpt_builds_as_mdbook_would() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("mdbook-rust-book"), &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);

    // SUMMARY.md's link text names the chapter; the page keeps its own first heading.
    let page = read(&out, "ch04-01-what-is-ownership.html");
    assert_eq!(title_of(&page), "What is Ownership? · The Rust Programming Language");
    assert!(page.contains("<h1 id=\"what-is-ownership\">What Is Ownership?"), "the page's heading stays");
    let next = read(&out, "ch04-00-understanding-ownership.html");
    assert!(next.contains("<span class=\"pager-title\">What is Ownership?</span>"));

    // Every `{{#rustdoc_include}}` and `{{#include}}` is expanded; hidden lines are marked.
    for file in ["ch04-01-what-is-ownership.html", "ch08-02-strings.html", "ch11-01-writing-tests.html"] {
        assert!(!read(&out, file).contains("{{#"), "{file} keeps a directive as text");
    }
    assert!(read(&out, "ch08-02-strings.html").contains("<span class=\"boring\">"));

    // mdBook's ids: the link written for mdBook resolves.
    assert!(read(&out, "ch08-02-strings.html").contains("id=\"concatenating-with--or-format\""));
    assert!(read(&out, "ch11-01-writing-tests.html")
        .contains("href=\"ch08-02-strings.html#concatenating-with--or-format\""));

    // book.toml: one located warning per unused section; redirects and additional files.
    for needle in [
        "warning: book.toml:41:1: `[preprocessor.trpl-note]` is not run by labbook",
        "warning: book.toml:44:1: `[preprocessor.trpl-listing]` is not run by labbook",
        "warning: book.toml:48:1: `[rust]` is not used by labbook",
        "warning: book.toml:51:1: `[build]` is not used by labbook",
    ] {
        assert!(stderr.contains(needle), "expected `{needle}` in:\n{stderr}");
    }
    assert!(read(&out, "ch17-00-oop.html").contains("url=ch18-00-oop.html"));
    assert!(out.join("theme/listing.css").is_file() && out.join("ferris.js").is_file());
    assert!(page.contains("href=\"theme/listing.css\"") && page.contains("src=\"ferris.js\""));
    assert!(page.contains("href=\"https://github.com/rust-lang/book\""));
    // Links to chapters left out of the excerpt are warnings, located.
    assert!(stderr.contains("warning: src/ch04-01-what-is-ownership.md:"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");

    // --strict: every warning fails the build.
    let strict = labbook()
        .args(["build", "--no-cache", "--strict", "--root"])
        .arg(fixture("mdbook-rust-book"))
        .arg("--out")
        .arg(tmp.path().join("strict"))
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1), "{}", shown(&strict));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("(an error with --strict)"), "{}", shown(&strict));
    assert!(!tmp.path().join("strict").exists());
}

#[test]
fn summary_grammar_directives_and_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("mdbook-grammar"), &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);

    // Parts at any level (non-ASCII), deep nesting, drafts, suffix chapters.
    let toc = read(&out, "toc.html");
    for needle in ["入门指南", "Part three", "最深", "草稿", "Appendix", "前言"] {
        assert!(toc.contains(needle), "toc lacks {needle}:\n{toc}");
    }
    assert!(out.join("deep/c.html").is_file());

    // {{#title}}, hidden lines, rustdoc_include and playground.
    let ch1 = read(&out, "ch1.html");
    assert_eq!(title_of(&ch1), "A custom title · Grammar");
    assert!(ch1.contains("<span class=\"boring\">fn main() {\n</span>"), "{ch1}");
    assert!(ch1.contains("# not hidden"));
    assert!(ch1.contains("derive"));
    assert!(ch1.contains("<span class=\"boring\">use std::fmt;\n</span>"), "{ch1}");
    assert!(ch1.contains("data-lang=\"rust\""));
    assert!(!ch1.contains("ANCHOR"));
    assert!(ch1.contains("href=\"https://example.org/edit/src/ch1.md\""));

    // Heading ids as mdBook and GitHub make them: every link to them resolves.
    let headings = read(&out, "headings.html");
    for id in [
        "concatenating-with--or-format",
        "soft-max--friends-2",
        "入门指南",
        "überblick",
        "snake_case_names",
        "using-boxt-to-point-to-data",
        "step",
        "step-1",
        "step-2",
    ] {
        assert!(headings.contains(&format!("id=\"{id}\"")), "no id {id}");
    }
    assert!(read(&out, "appendix.html").contains("$5 and $6"), "no math without mathjax-support");

    // Warnings, each located: leaving the book, a broken link and anchor, the preprocessor.
    for needle in [
        "warning: src/foreword.md:3:61: link `../std/index.html` leaves the book; kept as written",
        "warning: src/ch1.md:18:17: broken link `missing.md`",
        "warning: src/ch1.md:18:47: broken anchor `headings.md#no-such-heading`",
        "warning: book.toml:8:1: `[preprocessor.katex]` is not run by labbook",
    ] {
        assert!(stderr.contains(needle), "expected `{needle}` in:\n{stderr}");
    }
    assert!(read(&out, "foreword.html").contains("href=\"../std/index.html\""));
    assert!(read(&out, "ch1.html").contains("href=\"missing.html\""));
}

#[test]
fn book_yaml_books_stay_strict_unless_links_warn() {
    let book = copy_fixture("mdbook-grammar");
    let root = book.path();
    std::fs::remove_file(root.join("book.toml")).unwrap();
    std::fs::write(root.join("book.yaml"), "title: G\ncontent-dir: src\ntoc: src/SUMMARY.md\n").unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("src/ch1.md:18:17: broken link `missing.md`"), "{stderr}");

    std::fs::write(root.join("book.yaml"), "title: G\ncontent-dir: src\ntoc: src/SUMMARY.md\nlinks: warn\n").unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning: src/ch1.md:18:47: broken anchor"));

    // `links` is parsed strictly.
    std::fs::write(root.join("book.yaml"), "title: G\ncontent-dir: src\ntoc: src/SUMMARY.md\nlinks: maybe\n").unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("book.yaml:4:8"), "{}", shown(&output));
}

#[test]
fn an_unknown_braces_directive_is_a_located_error() {
    let book = copy_fixture("mdbook-grammar");
    std::fs::write(book.path().join("src/appendix.md"), "# Appendix\n\nText {{#tempalte x}} here.\n").unwrap();
    let output = build(book.path(), &book.path().join("site"));
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("src/appendix.md:3:6: unknown directive `{{#tempalte}}`"),
        "{}",
        shown(&output)
    );
}
