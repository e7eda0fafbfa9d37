//! Fixture books that exercise each feature, built with the real binary and checked in the
//! output; the Markdown stage's HTML is snapshot-tested with insta.

mod common;

use std::path::Path;

use common::*;

#[test]
fn features_book_builds_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("features"), &out);
    for file in [
        "index.html",
        "ml/index.html",
        "ml/math.html",
        "ml/code.html",
        "guide/links.html",
        "print.html",
        "404.html",
        "sitemap.xml",
        "toc.html",
        ".labbook",
        "img/curve.svg",
        "ml/code/train.py",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let assets: Vec<String> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for prefix in ["labbook.", "highlight.", "toc."] {
        let hashed = assets
            .iter()
            .find(|a| a.starts_with(prefix))
            .unwrap_or_else(|| panic!("no hashed {prefix}* in {assets:?}"));
        assert!(
            hashed.split('.').nth(1).is_some_and(|h| h.len() == 10 && h.chars().all(|c| c.is_ascii_hexdigit())),
            "{hashed} is not content-hashed"
        );
    }

    let page = read(&out, "ml/math.html");
    assert!(page.contains("<math"), "math is rendered to MathML");
    assert!(page.contains("href=\"index.html#custom\""), "links are rewritten to .html");
    assert!(page.contains("../assets/labbook."), "assets are linked relatively from nested pages");
    assert!(page.contains("rel=\"prev\""), "prev link");
    assert!(page.contains("rel=\"next\""), "next link");

    let code = read(&out, "ml/code.html");
    assert!(code.contains("<span class=\"l"), "code is highlighted at build time");
    assert!(code.contains("{{#include code/train.py}}"), "an escaped include stays literal");
    assert!(!code.contains("ANCHOR"), "anchor markers are dropped from includes");
    assert!(code.contains("src=\"../img/curve.svg\""), "images keep working relative paths");

    let print = read(&out, "print.html");
    for title in ["Welcome to the features book", "Machine learning", "Math", "Code", "Links"] {
        assert!(print.contains(title), "print.html has {title}");
    }
    assert!(
        print.contains("src=\"img/curve.svg\""),
        "print.html rewrites image paths to the root: {}",
        &print[print.find("curve").unwrap_or(0).saturating_sub(80)..][..120]
    );

    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/features/ml/math.html</loc>"), "{sitemap}");

    assert_no_external_resources(&out);
}

/// No page loads a script, style, image or font from outside the site.
fn assert_no_external_resources(out: &Path) {
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html" || e == "css" || e == "js") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for bad in [
                "src=\"http",
                "src=\"//",
                "href=\"//",
                "@import url(http",
                "url(http",
                "<link rel=\"stylesheet\" href=\"http",
            ] {
                assert!(!text.contains(bad), "{} loads an external resource ({bad})", entry.path().display());
            }
        }
    }
}

#[test]
fn rendered_markdown_snapshots() {
    let book = labbook::load_book(&fixture("features")).expect("load");
    let rendered = labbook::pipeline::transform(&book).expect("transform");
    for (page, r) in book.pages.iter().zip(&rendered) {
        let name = page.output.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, r.html);
    }
}

#[test]
fn mdbook_summary_builds_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("summary"), &out);
    let toc = read(&out, "toc.html");
    for title in ["Introduction", "Chapter 1", "Section 1.1", "Not written yet", "Reference", "Glossary"] {
        assert!(toc.contains(title), "toc.html lists {title}");
    }
    let section = read(&out, "chapter_1/section.html");
    assert!(section.contains("href=\"../glossary.html#terms\""));
    assert!(out.join("index.html").is_file(), "README.md becomes index.html");
}

#[test]
fn content_tree_order_without_toc() {
    let book = labbook::load_book(&fixture("no-toc")).expect("load");
    let order: Vec<&str> = book.reading_order.iter().map(|&i| book.pages[i].output.as_str()).collect();
    assert_eq!(
        order,
        ["index.html", "a-part/yy.html", "a-part/zz.html", "b-part/index.html"],
        "weights first, then names; drafts skipped"
    );
}

#[test]
fn theme_files_override_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("theme-override"), &out);
    let not_found = read(&out, "404.html");
    assert!(not_found.contains("Custom not found page for Themed"), "{not_found}");
    assert!(not_found.contains("assets/extra."), "an added static file is hashed and available: {not_found}");
    let index = read(&out, "index.html");
    assert!(index.contains("assets/labbook."), "templates not overridden come from the default theme");
}

#[test]
fn init_scaffolds_a_book_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    let output = labbook().arg("init").arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", shown(&output));
    build_ok(&dir, &dir.join("site"));
    assert!(read(&dir.join("site"), "lessons/first-lesson.html").contains("<math"));
    let again = labbook().arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "init refuses to overwrite: {}", shown(&again));
    let clean = labbook().args(["clean", "--root"]).arg(&dir).output().unwrap();
    assert!(clean.status.success(), "{}", shown(&clean));
    assert!(!dir.join("site").exists());
    assert!(dir.join("book.yaml").exists(), "clean removes only the site");
}

#[test]
fn minify_shrinks_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    let small = tmp.path().join("small");
    build_ok(&fixture("features"), &plain);
    let output = labbook()
        .args(["build", "--no-cache", "--minify", "--root"])
        .arg(fixture("features"))
        .arg("--out")
        .arg(&small)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", shown(&output));
    let a = read(&plain, "ml/index.html");
    let b = read(&small, "ml/index.html");
    assert!(b.len() < a.len(), "minified {} >= {}", b.len(), a.len());
    assert!(b.contains("quiz-check"));
}

#[test]
fn bundled_course_builds() {
    let tmp = tempfile::tempdir().unwrap();
    build_ok(&repo_root(), &tmp.path().join("site"));
}

#[test]
fn highlight_cache_gives_the_same_site() {
    let book = copy_fixture("features");
    let (cold, warm, off) = (book.path().join("cold"), book.path().join("warm"), book.path().join("off"));
    for out in [&cold, &warm] {
        let output = labbook().args(["build", "--root"]).arg(book.path()).arg("--out").arg(out).output().unwrap();
        assert!(output.status.success(), "{}", shown(&output));
    }
    assert!(book.path().join(".labbook-cache/highlight.bin").is_file(), "the cache is written");
    assert!(read(book.path(), ".labbook-cache/.gitignore").contains('*'), "the cache keeps itself out of git");
    build_ok(book.path(), &off);
    for page in ["ml/code.html", "ml/index.html"] {
        assert_eq!(read(&cold, page), read(&warm, page), "{page}: a cached build differs");
        assert_eq!(read(&cold, page), read(&off, page), "{page}: a build without cache differs");
    }
}

/// Three real notebooks (Hugging Face course and docs, with a traceback, a pandas table, a
/// PNG figure and an SVG) and a tour of every mapping build into pages listed in the toc.
#[test]
fn notebooks_build_into_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("notebooks"), &out);

    let tour = read(&out, "tour.html");
    assert!(tour.contains("<title>A notebook tour"), "the title comes from metadata.labbook");
    assert!(tour.contains("<math"), "maths in markdown cells is rendered");
    assert!(tour.contains("admonition") && tour.contains("Outputs below were kept"), "admonitions");
    assert!(tour.contains("href=\"index.html\""), "links in cells are checked and rewritten");
    assert!(tour.contains("<span class=\"l"), "code cells are highlighted");
    assert!(tour.contains("<span class=\"ansi-fg-green\">ok</span> 1.0"), "stream ANSI colours become classes");
    assert!(
        tour.contains("<details class=\"nb-hidden\"><summary>Show code</summary>") && tour.contains("hidden_input"),
        "hide-input collapses the code"
    );
    assert!(tour.contains("<summary>Show output</summary>") && tour.contains("quagga"), "hide-output");
    assert!(!tour.contains("removed_input_okapi") && tour.contains("shown output"), "remove-input");
    assert!(tour.contains("kept_input") && !tour.contains("tapir"), "remove-output");
    assert!(!tour.contains("narwhal") && !tour.contains("wombat"), "remove-cell and raw cells are left out");
    assert!(tour.contains("<span class=\"ansi-fg-red\">ZeroDivisionError</span>: division by zero"), "tracebacks");
    assert!(tour.contains("notebook."), "the page links notebook.css");

    let batch = read(&out, "batch-inputs.html");
    assert!(batch.contains("<div class=\"nb-output nb-error\">") && batch.contains("ValueError"), "a real traceback");
    assert!(
        !batch.contains("src=\"https://www.youtube.com/embed") && !batch.contains("<div class=\"nb-output nb-html\"></div>"),
        "text/html outputs are sanitised (the video embed's iframe is dropped, with its empty output)"
    );

    let metrics = read(&out, "sagemaker-metrics.html");
    assert!(metrics.contains("<table>") && metrics.contains("<td>"), "a pandas table from text/html");
    assert!(metrics.contains("<img src=\"sagemaker-metrics_files/output_26_2.png\""), "a large PNG is a file");
    let png = std::fs::read(out.join("sagemaker-metrics_files/output_26_2.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > labbook_notebooks::INLINE_LIMIT, "the decoded PNG");
    assert!(!metrics.contains("data:image/png"), "no large base64 image in the HTML");

    let geodiff = read(&out, "geodiff.html");
    assert!(geodiff.contains("<img src=\"geodiff_files/output_68_1.svg\""), "an SVG output");
    assert!(read(&out, "geodiff_files/output_68_1.svg").contains("<svg"), "the SVG file");

    let toc = read(&out, "toc.html");
    for page in ["tour.html", "batch-inputs.html", "sagemaker-metrics.html", "geodiff.html"] {
        assert!(toc.contains(page), "{page} is in the toc");
    }
    let search: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for word in ["zebra", "quagga", "zerodivisionerror"] {
        assert!(search.contains(&format!("\"{word}\"")), "search indexes cell text and outputs: {word}");
    }
}
