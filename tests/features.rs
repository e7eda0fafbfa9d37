//! Fixture books that exercise each feature, built with the real binary and checked in the
//! output; the Markdown stage's HTML is snapshot-tested with insta.
//!
//! mdBook books build unchanged (issue 12): `book.toml`, SUMMARY.md's whole grammar, the
//! braces directives, mdBook's heading ids, the link dials and the `[output.html]` keys.
//! `mdbook-rust-book` and `mdbook-zh-excerpt` are real excerpts of the Rust book and of its
//! Chinese translation, `mdbook-upstream` holds mdBook's own test books (see each SOURCE.md).

mod common;

use std::path::Path;

use common::*;

/// Every built-in feature's words (`ThemeFiles::strings`): English and each language with
/// the same keys, and no key another feature or the core's theme already has.
#[test]
fn features_words_are_complete_and_their_own() {
    use std::collections::BTreeMap;
    let core: BTreeMap<String, String> =
        labbook_core::config::parse_yaml(labbook_core::i18n::strings::BUILTIN[0].1, "en.yaml".as_ref(), 1).unwrap();
    let mut owner: BTreeMap<String, String> = core.keys().map(|k| (k.clone(), "the core".to_string())).collect();
    let mut shipping = Vec::new();
    for feature in labbook::features::builtin().iter() {
        let strings = feature.theme().strings;
        if strings.is_empty() {
            continue;
        }
        shipping.push(feature.name());
        assert_eq!(labbook_core::i18n::strings::shipped_problems(&strings), Vec::<String>::new(), "{}", feature.name());
        let english = strings.iter().find(|(code, _)| *code == "en").unwrap().1;
        let words: BTreeMap<String, String> = labbook_core::config::parse_yaml(english, "en.yaml".as_ref(), 1).unwrap();
        for key in words.keys() {
            if let Some(other) = owner.insert(key.clone(), feature.name().to_string()) {
                panic!("`{key}` of {} is also {other}'s", feature.name());
            }
        }
    }
    for feature in ["exercises", "models", "datasets", "apidoc", "notebooks", "docbuilder"] {
        assert!(shipping.contains(&feature), "{feature} ships no words; features with words: {shipping:?}");
    }
}

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

/// A page links only the theme files what is on it uses (issue 19's page weight): the code
/// colours where there is highlighted code, the quiz's script and style sheet where there is
/// a quiz, progress.js (before labbook.js, which uses it) where a reader can complete
/// something, the languages' style sheet only in a translated or right-to-left book; and
/// each script carries the words it names, `ui.js` only its own.
#[test]
fn pages_link_only_the_theme_files_they_use() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("features"), &out);
    let links = |html: &str, asset: &str| {
        ["<link rel=\"stylesheet\" href=\"", "<script src=\""].iter().any(|tag| {
            [format!("{tag}assets/{asset}."), format!("{tag}../assets/{asset}.")].iter().any(|t| html.contains(t))
        })
    };
    let at = |html: &str, asset: &str| {
        html.find(&format!("<script src=\"../assets/{asset}.")).unwrap_or_else(|| panic!("no {asset} script in {html}"))
    };

    let plain = read(&out, "ml/math.html");
    for asset in ["highlight", "quiz", "progress", "languages", "apidoc"] {
        assert!(!links(&plain, asset), "a page without code or a quiz links {asset}:\n{plain}");
    }
    // labbook.js is told where progress.js is, to load it once the reader has kept something.
    assert!(plain.contains(" data-progress=\"../assets/progress."), "{plain}");

    let code = read(&out, "ml/code.html");
    assert!(links(&code, "highlight"), "a page with code links highlight.css");
    assert!(!links(&code, "quiz") && !links(&code, "progress"), "{code}");

    let quiz = read(&out, "ml/index.html");
    assert!(links(&quiz, "quiz"), "a page with a quiz links quiz.css and quiz.js");
    assert!(at(&quiz, "progress") < at(&quiz, "labbook") && at(&quiz, "labbook") < at(&quiz, "quiz"), "{quiz}");
    assert!(!links(&quiz, "highlight"), "the quiz page has no code");

    let progress = read(&out, "progress.html");
    assert!(progress.contains("<script src=\"assets/progress."), "the progress page loads progress.js");
    let print = read(&out, "print.html");
    for asset in ["highlight", "quiz"] {
        assert!(links(&print, asset), "print.html links what its chapters need: {asset}");
    }

    let asset = |prefix: &str| {
        let name = std::fs::read_dir(out.join("assets"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(prefix) && n.ends_with(".js"))
            .unwrap_or_else(|| panic!("no {prefix}*.js"));
        read(&out, &format!("assets/{name}"))
    };
    let (ui, labbook, quiz_js, progress_js) = (asset("ui."), asset("labbook."), asset("quiz."), asset("progress."));
    assert!(ui.contains("Quiz") && !ui.contains("quiz_check") && !ui.contains("copy_code"), "{ui}");
    assert!(labbook.contains("\"copy_code\":") && !labbook.contains("\"quiz_check\":"), "labbook.js's words");
    assert!(quiz_js.contains("\"quiz_check\":\"Check\"") && !quiz_js.contains("\"copy_code\":"), "quiz.js's words");
    assert!(progress_js.contains("\"progress_summary\":") && !progress_js.contains("\"search_"), "progress.js's words");
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
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);
    // In English, French, Simplified Chinese and Arabic; what is not translated falls back.
    for code in ["en", "fr", "zh-CN", "ar"] {
        for page in ["index.html", "ml/gradient-descent.html", "ml/softmax.html", "guide/translating.html"] {
            assert!(out.join(code).join(page).is_file(), "{code}/{page}");
        }
    }
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    assert!(read("fr/ml/gradient-descent.html").contains("La descente de gradient"));
    assert!(read("zh-CN/ml/linear-models.html").contains("线性模型与损失"));
    assert!(read("ar/index.html").contains("<html lang=\"ar\" dir=\"rtl\""));
    assert!(read("fr/ml/softmax.html").contains("translation-fallback"));
    // The code a translated page includes comes from the English tree.
    assert!(read("zh-CN/ml/gradient-descent.html").contains("check_gradient"));
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

    assert!(
        tour.contains("<img src=\"data:image/png;base64,") && tour.contains("alt=\"a black dot\""),
        "a small attachment is inline"
    );
    assert!(tour.contains("<img src=\"tour_files/attachment_10_pasted_noise.png\" alt=\"grey noise\" />"), "{tour}");
    let noise = std::fs::read(out.join("tour_files/attachment_10_pasted_noise.png")).unwrap();
    assert!(
        noise.starts_with(b"\x89PNG") && noise.len() > labbook_notebooks::INLINE_LIMIT,
        "a large attachment is a file"
    );

    let batch = read(&out, "batch-inputs.html");
    assert!(batch.contains("<div class=\"nb-output nb-error\">") && batch.contains("ValueError"), "a real traceback");
    assert!(
        !batch.contains("src=\"https://www.youtube.com/embed")
            && !batch.contains("<div class=\"nb-output nb-html\"></div>"),
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

/// A problem in a markdown cell (here a broken link, then a broken anchor) is located at its line
/// of the `.ipynb` file, and the build fails without touching the previous site.
#[test]
fn markdown_cell_errors_name_the_notebooks_line() {
    let book = copy_fixture("notebooks");
    let out = book.path().join("out");
    build_ok(book.path(), &out);
    let tour = book.path().join("content/tour.ipynb");
    let text = std::fs::read_to_string(&tour).unwrap();
    let line_of = |needle: &str, text: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let broken = text.replace("back to the [start](index.md)", "back to the [start](nowhere.md)");
    std::fs::write(&tour, &broken).unwrap();
    let failed = build(book.path(), &out);
    assert!(!failed.status.success());
    let line = line_of("nowhere.md", &broken);
    assert!(
        shown(&failed).contains(&format!("content/tour.ipynb:{line}:")) && shown(&failed).contains("nowhere.md"),
        "line {line}: {}",
        shown(&failed)
    );
    assert!(out.join("tour.html").is_file(), "the previous site is kept");

    let bad_anchor = text.replace("and a larger one,", "and [a link](#no-such-anchor) a larger one,");
    std::fs::write(&tour, &bad_anchor).unwrap();
    let failed = build(book.path(), &out);
    let line = line_of("no-such-anchor", &bad_anchor);
    assert!(line > 150, "the last cell, far into the file");
    assert!(
        shown(&failed).contains(&format!("content/tour.ipynb:{line}:")) && shown(&failed).contains("no-such-anchor"),
        "line {line}: {}",
        shown(&failed)
    );
}

/// The python that has the reference notebook validator: env `LABBOOK_PYTHON` (`.ci/run`
/// sets it to a virtual environment with `nbformat`), else `python3`; `Err` says why not.
fn nbformat_python() -> Result<String, String> {
    let python = std::env::var("LABBOOK_PYTHON").unwrap_or_else(|_| "python3".to_string());
    match std::process::Command::new(&python).args(["-c", "import nbformat"]).output() {
        Ok(o) if o.status.success() => Ok(python),
        Ok(_) => Err(format!("{python} cannot import nbformat (.ci/run installs it; set LABBOOK_PYTHON)")),
        Err(e) => Err(format!("cannot run {python}: {e}")),
    }
}

/// The bundled course's lessons written as notebooks (`tests/notebooks/validate.py`): each
/// valid nbformat 4.5 by the reference validator, the exercises' checker agreeing with the
/// table of check cases, and the exercises that need only plain Python passing their shown
/// checks with their solutions, run as Jupyter runs the cells. Pages link their notebook.
#[test]
fn exported_notebooks_validate_with_nbformat() {
    let python = nbformat_python();
    if !can_run(python.as_ref().err().cloned(), "tests/features.rs exported_notebooks_validate_with_nbformat") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);
    // The course's English site (its translations are beside it).
    let out = out.join("en");
    let bigram = read(&out, "ml/bigram-names.html");
    assert!(
        bigram.contains("<a href=\"bigram-names.ipynb\" download>Download notebook</a>"),
        "the page links its notebook"
    );
    assert!(!read(&out, "guide/book-yaml.html").contains("Download notebook"), "a page without code has no notebook");
    let nb: serde_json::Value = serde_json::from_str(&read(&out, "ml/bigram-names.ipynb")).unwrap();
    let cells = nb["cells"].as_array().unwrap();
    let text =
        |c: &serde_json::Value| c["source"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect::<String>();
    assert!(
        cells.iter().any(|c| c["cell_type"] == "code" && text(c).starts_with("import math\n\nNAMES = [")),
        "includes are expanded"
    );
    assert!(cells.iter().any(|c| text(c).starts_with("%%writefile main.py\n")), "the exercise's starter cell");
    let output = std::process::Command::new(python.unwrap())
        .arg(repo_root().join("tests/notebooks/validate.py"))
        .arg(&out)
        .arg(repo_root().join("crates/labbook-checks/tests/cases.json"))
        .arg(repo_root().join("exercises"))
        .output()
        .unwrap();
    let shown = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "validate.py failed:\n{shown}");
    assert!(shown.contains("validated 12 notebooks") && shown.contains("ran 2 exported exercises"), "{shown}");
}

/// A lesson written as a notebook and read back as a page keeps every code cell's text, and
/// every Python block of the lesson is one of those cells, in order.
#[test]
fn lesson_notebook_round_trip_keeps_code() {
    use labbook_core::feature::Feature;
    use labbook_notebooks::lesson::{parts_of, Part};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);
    let out = out.join("en");
    let codes = |parts: Vec<Part>| -> Vec<String> {
        parts
            .into_iter()
            .filter_map(|p| match p {
                Part::Code(b) if b.lang == "python" => Some(b.code.trim_end_matches('\n').to_string()),
                _ => None,
            })
            .collect()
    };
    let directive = |name: &str| matches!(name, "exercise" | "quiz" | "autodoc" | "notebook");
    let mut lessons = 0;
    for entry in std::fs::read_dir(repo_root().join("content/ml")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let notebook = out.join(format!("ml/{stem}.ipynb"));
        let text = std::fs::read_to_string(&notebook).unwrap_or_else(|e| panic!("{}: {e}", notebook.display()));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cells: Vec<String> = json["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["cell_type"] == "code")
            .map(|c| c["source"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect())
            .collect();
        let config = labbook_core::config::BookConfig::parse("title: T\n", Path::new("book.yaml")).unwrap();
        let words = labbook_core::i18n::strings::Words::default();
        let cx = labbook_core::feature::PageContext { config: &config, words: &words };
        let page = labbook_notebooks::NotebooksFeature
            .read_page(&cx, Path::new("lesson.ipynb"), &notebook, &text)
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        let back = codes(parts_of(&page.body, &notebook, &notebook, 1, &directive).unwrap());
        assert_eq!(back, cells, "{stem}: the re-imported page's code blocks are the notebook's code cells");
        let source = std::fs::read_to_string(&path).unwrap();
        let body =
            source.strip_prefix("---\n").map_or(source.as_str(), |rest| &rest[rest.find("\n---\n").unwrap() + 5..]);
        let lesson = codes(parts_of(body, &path, &path, 1, &directive).unwrap());
        let mut rest = cells.iter();
        for code in &lesson {
            assert!(rest.any(|c| c == code), "{stem}: the lesson's block is a code cell, in order:\n{code}");
        }
        lessons += 1;
    }
    assert_eq!(lessons, 6, "every lesson of the course");
}

/// Runnable blocks: the Run button's markup over the highlighted code (what a reader without
/// JavaScript sees), `labbook test` running the blocks in order with their `# expect:` output,
/// and failing, located, on a wrong output or an exception.
#[test]
fn runnable_blocks_build_and_run_in_labbook_test() {
    let book = copy_fixture("runnable");
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let html = read(&out, "index.html");
    assert_eq!(html.matches("<div class=\"lb-runnable\" data-runtime-src=\"runtime/python.").count(), 3, "{html}");
    assert!(
        html.contains("<div class=\"lb-runnable\" data-runtime-src=\"runtime/python.")
            && html.contains("<pre class=\"code\" data-lang=\"python\">")
    );
    assert!(html.contains("runnable.") && html.contains("exercise."), "the page loads runnable.js and the run API");
    let runtime = std::fs::read_dir(out.join("runtime")).unwrap().count();
    assert_eq!(runtime, 1, "the python runtime is shipped");

    let test = |root: &Path| labbook().args(["test", "--root"]).arg(root).output().unwrap();
    let ok = test(book.path());
    assert!(ok.status.success(), "{}", shown(&ok));
    assert!(shown(&ok).contains("ok    content/index.md: 3 runnable blocks"), "{}", shown(&ok));

    let page = book.path().join("content/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("# expect: 3.1", "# expect: 3.2")).unwrap();
    let wrong = test(book.path());
    assert!(!wrong.status.success());
    assert!(
        shown(&wrong).contains("FAIL  content/index.md:11: the block's output is not its `# expect:` lines: line 1 of the output is \"3.1\", expected \"3.2\""),
        "{}",
        shown(&wrong)
    );
    std::fs::write(&page, text.replace("total = sum(scores)", "total = sum(score)")).unwrap();
    let raised = test(book.path());
    assert!(!raised.status.success());
    assert!(shown(&raised).contains("FAIL  content/index.md:11: the block raised NameError"), "{}", shown(&raised));
    assert!(shown(&raised).contains("(line 1 of the block)"), "{}", shown(&raised));

    // `runnable: true` makes every python block runnable; with `base-url` the notebook's
    // links to the site are absolute.
    std::fs::write(&page, &text).unwrap();
    let yaml = "title: Runnable blocks\nrunnable: true\nbase-url: https://example.org/course/\n";
    std::fs::write(book.path().join("book.yaml"), yaml).unwrap();
    build_ok(book.path(), &out);
    assert_eq!(read(&out, "index.html").matches("<div class=\"lb-runnable\"").count(), 4);
    let notebook = read(&out, "index.ipynb");
    assert!(notebook.contains("(https://example.org/course/index.html#three-blocks-that-share-state)"), "{notebook}");
}

/// `tinyml.load_dataset` (issue 19): a runnable block and an exercise that name a split of
/// the book's dataset get it with their program, in the page (beside the block, in the
/// exercise's request) as in `labbook test`, which runs them under wasmtime and checks their
/// output; a call the book's data cannot answer is a located build error.
#[test]
fn dataset_splits_reach_runnable_blocks_and_exercises() {
    let book = copy_fixture("dataset-code");
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let html = read(&out, "index.html");
    // The page names the splits its code loads; it does not carry them.
    assert!(!html.contains("columns"), "a split travels inside the page: {html}");
    let files: Vec<&str> = html
        .split("<script type=\"application/json\" class=\"lb-runnable-files\">")
        .skip(1)
        .map(|s| s.split("</script>").next().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "each block that loads a split names it: {html}");
    // A named split: the script beside the site (relative to the page) and the key it
    // registers its text under; the text, read back from the script.
    let split_of = |reference: &serde_json::Value| -> serde_json::Value {
        let (script, key) = (reference["script"].as_str().unwrap(), reference["key"].as_str().unwrap());
        assert!(script.starts_with("runtime/data/") && script.ends_with(".js"), "{reference}");
        let text = read(&out, script);
        let prefix = format!("(window.__labbookRuntimeData=window.__labbookRuntimeData||{{}})[\"{key}\"]=");
        let literal =
            text.strip_prefix(&prefix).and_then(|t| t.strip_suffix(";\n")).unwrap_or_else(|| panic!("{text}"));
        serde_json::from_str(&serde_json::from_str::<String>(literal).unwrap()).unwrap()
    };
    let first: serde_json::Value = serde_json::from_str(files[0]).unwrap();
    let train = split_of(&first["datasets/pets/train.json"]);
    assert_eq!(
        train,
        serde_json::json!({"config": "default", "columns": [
            ["name", ["felix", "rex", "tom", "lassie"]],
            ["weight", [4.2, 30.5, null, 25.0]],
            ["kind", [0, 1, 0, 1]],
        ]})
    );
    let second: serde_json::Value = serde_json::from_str(files[1]).unwrap();
    let names: Vec<&String> = second.as_object().unwrap().keys().collect();
    assert_eq!(names, ["datasets/pets/test.json", "datasets/pets/train.json"], "a call without a split gets them all");
    assert_eq!(second["datasets/pets/train.json"], first["datasets/pets/train.json"], "one file per split");
    assert_eq!(split_of(&second["datasets/pets/test.json"])["columns"][0][1], serde_json::json!(["kitty", "buddy"]));
    let data = html.split("class=\"lb-exercise-data\">").nth(1).unwrap().split("</script>").next().unwrap();
    let data: serde_json::Value = serde_json::from_str(data).unwrap();
    let sent = &data["request"]["files"]["datasets/pets/train.json"];
    assert_eq!(sent, &first["datasets/pets/train.json"], "the exercise's request names the block's file");
    // Each split the code loads is in the site once (the exercises feature writes what the
    // exercises load, the notebooks feature the rest of what runnable blocks load).
    let mut written: Vec<String> = std::fs::read_dir(out.join("runtime/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(
        written[0].starts_with("pets-default-test.") && written[1].starts_with("pets-default-train."),
        "{written:?}"
    );

    let test = |root: &Path| labbook().args(["test", "--root"]).arg(root).output().unwrap();
    let ok = test(book.path());
    assert!(ok.status.success(), "{}", shown(&ok));
    assert!(shown(&ok).contains("ok    content/index.md: 2 runnable blocks"), "{}", shown(&ok));
    assert!(shown(&ok).contains("1 exercises: 1 ok, 0 failed"), "{}", shown(&ok));

    // A split the dataset does not have, in a block; a dataset the book does not have, in
    // an exercise's starter.
    let page = book.path().join("content/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("split=\"train\")", "split=\"valid\")")).unwrap();
    let o = build(book.path(), &out);
    assert!(!o.status.success());
    assert!(
        shown(&o).contains("content/index.md:8:8: `load_dataset(\"pets\", split=\"valid\")`: the dataset has no split `valid`; its splits: train, test"),
        "{}",
        shown(&o)
    );
    std::fs::write(&page, &text).unwrap();
    let starter = book.path().join("exercises/pets/starter.py");
    std::fs::write(&starter, "from tinyml import load_dataset\n\npets = load_dataset('pet', split='train')\n").unwrap();
    let o = build(book.path(), &out);
    assert!(!o.status.success());
    assert!(
        shown(&o).contains("exercises/pets/starter.py:3:8: `load_dataset(\"pet\")`: the book has no dataset `pet` (content/datasets/<id>/README.md); its datasets: pets"),
        "{}",
        shown(&o)
    );
}

/// `repository:` gives a notebook page "Open in Colab" and "Open in Studio Lab" links to its
/// published notebook, which is the notebook file itself.
#[test]
fn notebook_pages_link_colab_and_studio_lab() {
    let book = copy_fixture("notebooks");
    let yaml = book.path().join("book.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!("{text}repository:\n  url: https://github.com/example/course\n  branch: gh-pages\n  path: site\n"),
    )
    .unwrap();
    let out = book.path().join("out");
    build_ok(book.path(), &out);
    let tour = read(&out, "tour.html");
    assert!(tour.contains("<a href=\"tour.ipynb\" download>Download notebook</a>"), "{tour}");
    assert!(tour.contains("href=\"https://colab.research.google.com/github/example/course/blob/gh-pages/site/tour.ipynb\">Open in Colab</a>"));
    assert!(tour.contains("href=\"https://studiolab.sagemaker.aws/import/github/example/course/blob/gh-pages/site/tour.ipynb\">Open in Studio Lab</a>"));
    assert_eq!(read(&out, "tour.ipynb"), std::fs::read_to_string(book.path().join("content/tour.ipynb")).unwrap());

    std::fs::write(&yaml, format!("{text}repository:\n  url: https://gitlab.com/example/course\n  branch: main\n"))
        .unwrap();
    let bad = build(book.path(), &out);
    assert!(!bad.status.success());
    assert!(
        shown(&bad).contains("book.yaml:") && shown(&bad).contains("is not a GitHub repository URL"),
        "{}",
        shown(&bad)
    );
}

// ---------- mdBook books ----------

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
    assert!(page.contains("<h2 id=\"what-is-ownership\">What Is Ownership?"), "the page's heading stays");
    assert!(!page.contains("<h1"), "a chapter starting at `##` gets no other heading, as in mdBook");
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

/// `tests/fixtures/mdbook-upstream/<name>`: one of mdBook's own test books.
fn upstream(name: &str) -> std::path::PathBuf {
    fixture("mdbook-upstream").join(name)
}

#[test]
fn mdbook_summary_grammar() {
    // mdBook's `all-summary` test book: prefix and suffix chapters, a draft, `#` parts, `---`.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&upstream("all-summary"), &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let toc = read(&out, "toc.html");
    let order: Vec<usize> =
        ["Prefix 1", "Prefix 2", "Introduction", "Draft", "Part 1", "P1 C1", "Part 2", "P2 C1", "Suffix 1", "Suffix 2"]
            .iter()
            .map(|needle| toc.find(needle).unwrap_or_else(|| panic!("toc lacks {needle}:\n{toc}")))
            .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "out of order: {order:?}\n{toc}");
    // Numbered chapters only, counted across parts as mdBook counts them; the draft has no page.
    for (number, title) in [("1", "Introduction"), ("2", "Draft"), ("3", "P1 C1"), ("4", "P2 C1")] {
        let needle = format!("<span class=\"toc-number\">{number}</span> {title}");
        assert!(toc.contains(&needle), "no `{needle}` in:\n{toc}");
    }
    assert!(toc.contains("<span class=\"toc-nolink\">"), "the draft is not a link");
    assert!(out.join("part-1/chapter-1.html").is_file() && out.join("suffix-2.html").is_file());
    assert_eq!(title_of(&read(&out, "prefix-2.html")), "Prefix 2 · all-summary");
}

/// The text of an HTML fragment: tags dropped, the escapes code uses decoded.
fn text_of(html: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain.replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Whether `html` shows `line` as a hidden ("boring") line of code: inside a
/// `<span class="boring">` (which may hold several lines and highlighting spans).
fn hidden_line(html: &str, line: &str) -> bool {
    const OPEN: &str = "<span class=\"boring\">";
    let mut hidden = String::new();
    for (start, _) in html.match_indices(OPEN) {
        let (mut depth, mut at) = (1, start + OPEN.len());
        while depth > 0 {
            let next_open = html[at..].find("<span").map(|i| at + i);
            let next_close = html[at..].find("</span>").map(|i| at + i).expect("a closed span");
            match next_open {
                Some(open) if open < next_close => (depth, at) = (depth + 1, open + 5),
                _ => (depth, at) = (depth - 1, next_close + 7),
            }
        }
        hidden.push_str(&text_of(&html[start..at]));
    }
    hidden.lines().any(|l| l == line)
}

#[test]
fn mdbook_includes_as_mdbook_renders_them() {
    // mdBook's `all_includes` test book; the expectations are mdBook's (tests/testsuite/includes.rs).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&upstream("all_includes"), &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    for page in ["includes.html", "relative/includes.html"] {
        let html = read(&out, page);
        assert!(html.contains("<h2 id=\"sample\">Sample"), "{page}: {html}");
        assert!(html.contains("<p>This is a sample include.</p>"), "{page}");
    }
    // An anchored include keeps only the anchor's lines, and no ANCHOR markers.
    let anchors = read(&out, "anchors.html");
    assert!(text_of(&anchors).contains("let x = 1;") && !anchors.contains("ANCHOR"), "{anchors}");
    // rustdoc_include: the named lines shown, the rest of the file hidden.
    let rustdoc = read(&out, "rustdoc.html");
    assert!(hidden_line(&rustdoc, "fn some_function() {"), "{rustdoc}");
    assert!(hidden_line(&rustdoc, "fn some_other_function() {"), "{rustdoc}");
    assert!(text_of(&rustdoc).contains("fn main() {\n    some_function();\n}"), "{rustdoc}");
    assert!(!rustdoc.contains("ANCHOR"));
    // playground: `#` alone and `#   text` lines are hidden, with the text after `# ` kept.
    let playground = read(&out, "playground.html");
    assert!(hidden_line(&playground, "   // You can even hide lines! :D"), "{playground}");
    assert!(
        hidden_line(&playground, "  println!(\"I am hidden! Expand the code snippet to see me\");"),
        "{playground}"
    );
    assert!(text_of(&playground).contains("println!(\"Hello World!\");"));
}

#[test]
fn mdbook_chinese_parts_titles_and_ids() {
    // The Chinese translation of the Rust book: `## 入门指南` parts, SUMMARY names as titles,
    // and links written for mdBook's non-ASCII ids.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("mdbook-zh-excerpt"), &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let toc = read(&out, "toc.html");
    for part in ["入门指南", "Rust 编程思想"] {
        assert!(toc.contains(&format!("<span class=\"toc-part-title\">{part}</span>")), "{toc}");
    }
    assert_eq!(title_of(&read(&out, "ch01-01-installation.html")), "安装 · Rust 程序设计语言 简体中文版");
    for (page, id) in [
        ("ch02-00-guessing-game-tutorial.html", "使用-result-类型来处理潜在的错误"),
        ("ch02-00-guessing-game-tutorial.html", "比较猜测的数字和秘密数字"),
        ("ch15-01-box.html", "box-允许创建递归类型"),
        ("appendix-07-nightly-rust.html", "不稳定功能"),
        ("appendix-07-nightly-rust.html", "choo-choo-发布通道和发布时刻表riding-the-trains"),
    ] {
        assert!(read(&out, page).contains(&format!("id=\"{id}\"")), "{page} has no id {id}");
    }
    // Those pages' own anchors resolve; links to chapters left out are located warnings.
    for page in ["ch02-00-guessing-game-tutorial.md", "ch15-01-box.md", "appendix-07-nightly-rust.md"] {
        assert!(!stderr.lines().any(|l| l.contains(page) && l.contains("broken anchor")), "{stderr}");
    }
    assert!(stderr.contains("warning: src/"), "{stderr}");
    assert!(!stderr.lines().any(|l| l.starts_with("error")), "{stderr}");
}

#[test]
fn book_yaml_books_stay_strict_unless_links_warn() {
    // The Rust book excerpt links to chapters it leaves out.
    let book = copy_fixture("mdbook-rust-book");
    let root = book.path();
    std::fs::remove_file(root.join("book.toml")).unwrap();
    let yaml = "title: R\ncontent-dir: src\ntoc: src/SUMMARY.md\n";
    std::fs::write(root.join("book.yaml"), yaml).unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "error: src/ch04-01-what-is-ownership.md:137:30: broken link `ch03-02-data-types.html#data-types`"
        ),
        "{stderr}"
    );

    std::fs::write(root.join("book.yaml"), format!("{yaml}links: warn\n")).unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: src/ch04-01-what-is-ownership.md:137:30: broken link"), "{stderr}");

    // `links` is parsed strictly.
    std::fs::write(root.join("book.yaml"), format!("{yaml}links: maybe\n")).unwrap();
    let output = build(root, &root.join("site"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("book.yaml:4:8"), "{}", shown(&output));
}

#[test]
fn an_unknown_braces_directive_is_a_located_error() {
    let book = tempfile::tempdir().unwrap();
    copy_tree(&upstream("all-summary"), book.path());
    std::fs::write(book.path().join("src/suffix-1.md"), "# Suffix 1\n\nText {{#tempalte x}} here.\n").unwrap();
    let output = build(book.path(), &book.path().join("site"));
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("src/suffix-1.md:3:6: unknown directive `{{#tempalte}}`"),
        "{}",
        shown(&output)
    );
}

#[test]
fn mdbook_print_fold_and_other_html_keys() {
    // As written: folding off (no fold buttons), print on with page breaks, section numbers.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&upstream("heading-nav-folded"), &out);
    assert!(read(&out, "toc.html").contains("class=\"toc-toggle\""), "heading-nav-folded folds");
    let out = tmp.path().join("as-written");
    build_ok(&upstream("all-summary"), &out);
    assert!(!read(&out, "toc.html").contains("class=\"toc-toggle\""));
    assert!(read(&out, "toc.html").contains("<span class=\"toc-number\">1</span>"));
    assert!(read(&out, "intro.html").contains("print.html"));
    assert!(read(&out, "print.html").contains("<body class=\"print-book\""));
    assert!(!out.join("CNAME").exists());

    let book = tempfile::tempdir().unwrap();
    let root = book.path();
    copy_tree(&upstream("all-summary"), root);
    std::fs::write(
        root.join("book.toml"),
        r#"[book]
title = "all-summary"
language = "en"

[output.html]
no-section-label = true
cname = "book.example.org"
default-theme = "navy"
hash-files = false
sidebar-header-nav = true

[output.html.print]
enable = false

[output.html.fold]
enable = true
level = 2

[output.html.playground]
runnable = false

[output.html.search]
use-boolean-and = false
limit-results = 20

[output.html.search.chapter]
"part-2" = { enable = false }
"#,
    )
    .unwrap();
    // A Markdown file SUMMARY.md does not list is no page, as in mdBook.
    std::fs::write(root.join("src/notes.md"), "# Notes\n\n[broken](nowhere.md)\n").unwrap();
    let out = root.join("site");
    let output = build(root, &out);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!out.join("notes.html").exists() && !out.join("src/notes.md").exists() && !stderr.contains("notes.md"));
    // print off: no print page, no print button.
    assert!(!out.join("print.html").exists());
    assert!(!read(&out, "intro.html").contains("print.html"));
    // fold on at level 2: fold buttons, and the level in the sidebar script.
    assert!(read(&out, "toc.html").contains("class=\"toc-toggle\""));
    let toc_js = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("toc."))
        .expect("toc.js");
    // As written, or as the minifier writes the object.
    let toc_js = std::fs::read_to_string(toc_js).unwrap();
    assert!(
        toc_js.contains(r#"const FOLD = {"enable":true,"level":2};"#) || toc_js.contains("{enable:!0,level:2}"),
        "{toc_js}"
    );
    // no-section-label, cname, search.chapter.
    assert!(!read(&out, "toc.html").contains("class=\"toc-number\""));
    assert_eq!(read(&out, "CNAME"), "book.example.org\n");
    let index: String = walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(index.contains("part-1/chapter-1.html"), "part 1 is not searchable");
    assert!(!index.contains("part-2/chapter-1.html"), "part 2 is searchable");
    // What labbook does not do is a located warning, once each; what it always does is not.
    for needle in [
        "warning: book.toml:8:1: `output.html.default-theme` is not used by labbook",
        "warning: book.toml:9:1: `output.html.hash-files` is ignored: labbook always hashes asset names",
        "warning: book.toml:19:1: `output.html.playground` is not used by labbook",
        "warning: book.toml:23:1: `output.html.search.use-boolean-and` is ignored",
        "warning: book.toml:24:1: `output.html.search.limit-results` is not used by labbook",
    ] {
        assert_eq!(stderr.matches(needle).count(), 1, "expected `{needle}` once in:\n{stderr}");
    }
    assert!(!stderr.contains("sidebar-header-nav") && !stderr.contains("`output.html.print"), "{stderr}");
    assert!(!stderr.contains("`output.html.fold") && !stderr.contains("search.chapter"), "{stderr}");
}

// ---------- doc-builder folders (issue 13) ----------

/// Every page's Markdown as doc-builder wrote it, rendered: one snapshot per page.
#[test]
fn docbuilder_snapshots() {
    let book = labbook::load_book(&fixture("docbuilder")).expect("load");
    let rendered = labbook::pipeline::transform(&book).expect("transform");
    for (page, r) in book.pages.iter().zip(&rendered) {
        let name = format!("docbuilder_{}", page.output.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, r.html);
    }
}

/// The course's `chapters/` (a folder per language, each with its `_toctree.yml`) builds as
/// one translated site: each language with its own toc, pages a translation lacks built from
/// English with the fallback banner, the switcher linking the languages, and a translation's
/// `{#else}` slip a located warning.
#[test]
fn docbuilder_languages_build_as_one_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("docbuilder-languages"), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}", shown(&output));
    for warning in [
        "fr/chapter1/1.mdx:9:1: `{#else}` is read as `{:else}`",
        "fr/chapter1/1.mdx:11:1: a `{:else}` after the `{#else}` at 9:1, which was read as it; this one is ignored",
    ] {
        assert!(stderr.contains(warning), "expected `{warning}` in:\n{stderr}");
    }

    let chooser = read(&out, "index.html");
    assert!(chooser.contains("href=\"en/index.html\"") && chooser.contains("href=\"fr/index.html\""), "{chooser}");
    assert!(chooser.contains("Français"), "the language's own name");

    let fr = read(&out, "fr/chapter1/1.html");
    assert!(fr.contains("<html lang=\"fr\""), "the French page is French");
    assert!(title_of(&fr).starts_with("Introduction en français"));
    assert!(fr.contains("hreflang=\"en\"") && fr.contains("hreflang=\"fr\""), "alternates");
    assert!(fr.contains("Nous entraînons avec Keras."), "the TensorFlow branch after the slip");
    assert!(!fr.contains("translation-fallback"), "a translated page has no fallback banner");
    assert!(!without_code(&fr).contains("{:else}") && !without_code(&fr).contains("{#else}"));
    let toc = read(&out, "fr/toc.html");
    assert!(toc.contains("Premiers pas"), "the French toc's part title");
    assert!(!read(&out, "en/toc.html").contains("Premiers pas"), "English keeps its own toc");

    let fallback = read(&out, "fr/chapter1/2.html");
    assert!(fallback.contains("translation-fallback"), "an untranslated page says so");
    assert!(fallback.contains("This page has no French translation yet."), "built from the English page");
    assert!(read(&out, "en/chapter1/2.html").contains("<html lang=\"en\""));
    for code in ["en", "fr"] {
        assert!(!out.join(code).join("_toctree.yml").exists(), "{code}'s toc is not a file of the site");
    }

    // The converter's own words are the page's language: the offline cards, the notebook
    // links and the framework switch of the French page are French.
    let fr_text = without_code(&fr);
    for french in [
        "<p class=\"hf-notebooks\">Ouvrir le notebook : <a href=",
        "<p class=\"hf-card-title\">Vidéo : <a href=\"https://www.youtube.com/watch?v=00GKzGyWFEs\">",
        "Non intégrée : ce site fonctionne hors ligne",
        "<span class=\"hf-card-title\">Image : <a href=",
        "Non fournie avec ce site : elle est sur huggingface.co.",
        "role=\"radiogroup\" aria-label=\"Framework\"",
    ] {
        assert!(fr_text.contains(french), "`{french}` in the French page:\n{fr_text}");
    }
    assert!(fr_text.contains("aria-label=\"Lien vers cette section\">§</a>"), "headings' § links are French too");
    for english in ["Open notebook:", "Video:", "Not embedded", "Image:", "Not shipped", "Link to this section"] {
        assert!(!fr_text.contains(english), "`{english}` in the French page");
    }
    // An English page built into the French tree (a fallback) is in English, its labels in
    // French like the rest of the French site's; in the English site they are English.
    assert!(without_code(&fallback).contains("Vidéo : <a href="), "{fallback}");
    let en_fallback = without_code(&read(&out, "en/chapter1/2.html"));
    assert!(en_fallback.contains("Video: <a href=") && en_fallback.contains("Not embedded: this site works offline"));
}

/// A book theme's `i18n/<code>.yaml` overrides the words features write in Rust (here the
/// models feature's sidebar part and breadcrumb, `model_part`) as it does the theme's: in the
/// language it names only, and `labbook build` fails at the line of a malformed file.
#[test]
fn a_book_theme_overrides_the_words_features_write() {
    let book = copy_fixture("i18n");
    let root = book.path();
    let yaml = std::fs::read_to_string(root.join("book.yaml")).unwrap();
    std::fs::write(root.join("book.yaml"), format!("{yaml}theme: course\n")).unwrap();
    std::fs::create_dir_all(root.join("themes/course/i18n")).unwrap();
    std::fs::write(root.join("themes/course/i18n/fr.yaml"), "model_part: \"Nos modèles\"\n").unwrap();
    let out = root.join("site");
    build_ok(root, &out);
    let fr = read(&out, "fr/models/tiny-classifier/index.html");
    assert!(fr.contains("Nos modèles"), "the override in the French breadcrumb:\n{fr}");
    let fr_toc = read(&out, "fr/toc.html");
    assert!(fr_toc.contains("Nos modèles") && !fr_toc.contains(">Modèles<"), "the French sidebar part:\n{fr_toc}");
    assert!(read(&out, "en/toc.html").contains(">Models<"), "English keeps the shipped word");
    assert!(!read(&out, "ar/toc.html").contains("Nos modèles"), "Arabic keeps its own");

    std::fs::write(root.join("themes/course/i18n/fr.yaml"), "model_part: \"Nos modèles\"\nmodel_total: [1, 2]\n")
        .unwrap();
    let output = build(root, &root.join("site2"));
    assert!(!output.status.success(), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("themes/course/i18n/fr.yaml:2:"), "{stderr}");
}

/// A doc-builder folder (no book.yaml) builds with `--root` alone: toctree, components,
/// quizzes, links written for huggingface.co, located warnings, search.
#[test]
fn docbuilder_folder_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("docbuilder"), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}", shown(&output));
    for warning in [
        "_toctree.yml:17:7: unknown key `colour`",
        "chapter1/1.mdx:65:1: unknown component `<DocNotebookDropdown>`",
        "chapter1/1.mdx:69:1: unknown component `<Unknown>`: labbook does not render it and keeps the Markdown inside it",
    ] {
        assert!(stderr.contains(warning), "expected `{warning}` in:\n{stderr}");
    }
    assert!(stderr.contains("3 warnings"), "{stderr}");

    let every = read(&out, "chapter1/1.html");
    assert_eq!(every.matches("<h1").count(), 1, "the first heading is the title, shown once");
    assert!(title_of(&every).starts_with("Every component"));
    assert!(every.contains("id=\"every-component\"") && every.contains("id=\"callouts\""), "[[anchor]] ids");
    assert!(every.contains("admonition tip") && every.contains("admonition warning"), "<Tip> callouts");
    assert!(every.contains("<strong>How flash attention works</strong>"), "a Tip's title");
    assert!(every.contains("<code>&lt;mask&gt;</code>"), "tag-like text in code stays code");
    assert!(every.contains("<math"), "\\\\( \\\\) maths");
    assert!(every.contains("$5"), "a lone dollar stays text");
    assert!(every.contains("youtube.com/watch?v=zsfR7eY9Uho"), "a video is a link card");
    assert!(!every.contains("src=\"https://huggingface-course"), "an off-site iframe is not embedded");
    assert!(every.contains("huggingface-course-chapter-1-exam.hf.space"), "the iframe's link");
    assert!(every.contains("Open notebook: <a href=\"https://colab.research.google.com/"), "the banner's notebooks");
    assert!(every.contains("href=\"2.html\"") && every.contains("href=\"3.html#tabs\""), "/course/… links resolve");
    assert!(every.contains("href=\"../chapter2/9.html\""), "a chapter link opens its first page");
    assert!(every.contains("href=\"https://huggingface.co/docs/hub/index\""), "other huggingface.co links go there");
    assert!(every.contains("Kept <strong>inner</strong> Markdown"), "an unknown component keeps its Markdown");
    assert!(every.contains("docbuilder.") && every.contains(".css"), "the page links docbuilder.css");
    for raw in ["&lt;Tip", "&lt;Question", "&lt;Youtube", "[[", "{#if", "<Tip", "<Youtube"] {
        let text = without_code(&every);
        assert!(!text.contains(raw), "raw `{raw}` left in the page text");
    }

    let fw = read(&out, "chapter1/2.html");
    assert!(fw.contains("class=\"hf-fw-switch\""), "the framework switch");
    assert!(fw.contains("id=\"training\"") && fw.contains("id=\"training-tf\""), "both versions, ids kept apart");
    assert!(fw.contains("<div class=\"hf-fw\" data-fw=\"pt\">") && fw.contains("<div class=\"hf-fw\" data-fw=\"tf\">"));
    assert!(fw.contains("<code>TFAutoModel</code>"), "<frameworkcontent> keeps both");
    let tabs = read(&out, "chapter1/3.html");
    assert!(tabs.contains("data-group=\"installation\"") && tabs.contains("value=\"conda\""), "hfoptions tabs");
    assert_eq!(tabs.matches("class=\"hf-tab-label\"").count(), 16, "every option of both groups has its tab");
    assert!(tabs.contains("id=\"many-options-and-the-hftoken-argument\""), "doc-builder's id for a heading: {tabs}");
    assert!(tabs.contains("href=\"#many-options-and-the-hftoken-argument\""), "a link to it");
    assert!(!tabs.contains("<img"), "an off-site image is not loaded");
    assert_eq!(
        tabs.matches("class=\"hf-card hf-image\"").count(),
        3,
        "light/dark twins give one card; <img> and ![]()"
    );
    assert!(tabs.contains(">Architecture of a Transformers model</a>"), "a card is named by the image's alt");
    assert!(tabs.contains(">gpt2 architecture</a>"), "or by its file name");
    assert!(tabs.contains("<code>&lt;img src=\"https://example.org/x.png\"&gt;</code>"), "an <img> in code stays code");
    let quiz = read(&out, "chapter2/9.html");
    assert_eq!(quiz.matches("class=\"quiz\"").count(), 3, "every <Question> is a quiz");
    assert!(quiz.contains("data-multiple=\"true\""), "several correct answers: a multiple-choice quiz");

    let toc = read(&out, "toc.html");
    assert!(toc.contains("Framework blocks (TensorFlow)"), "local_fw lists the other framework's page");
    assert!(toc.contains("Nested section"), "nested sections");
    // `isExpanded: false` starts a section folded; `new`, `quiz` and `subtitle` are shown.
    assert!(toc.contains("<li class=\"toc-part\" data-folded=\"true\"><div class=\"toc-row\"><span class=\"toc-part-title\">1. Switches and tabs"), "{toc}");
    assert_eq!(toc.matches("data-folded").count(), 1, "only the section marked isExpanded: false");
    assert!(
        toc.contains(
            "<span class=\"toc-badge\">New</span><span class=\"toc-subtitle\">Both frameworks on one page</span>"
        ),
        "{toc}"
    );
    assert!(toc.contains("End-of-chapter quiz <span class=\"toc-badge\">Quiz</span>"), "{toc}");
    let search: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for word in ["tokenizer", "flash"] {
        assert!(search.contains(&format!("\"{word}\"")), "search indexes the pages: {word}");
    }
}

/// `[[autodoc]]` in a library's docs folder documents objects from the sources `api:`
/// names; an unknown object is a located warning; `[[open-in-colab]]` uses `docbuilder:`.
#[test]
fn docbuilder_autodoc_over_the_api_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("docbuilder-api"), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}", shown(&output));
    assert!(
        stderr.contains("docs/reference.md:14:1: in the `autodoc` block: cannot document `tinypkg.Missing`"),
        "{stderr}"
    );
    // Lines after one-line `[[autodoc]]`s (each three lines of Markdown) keep their numbers.
    assert!(stderr.contains("docs/reference.md:16:10: "), "the broken anchor's own line: {stderr}");
    let reference = read(&out, "reference.html");
    assert!(reference.contains("id=\"tinypkg.Greeter\""), "`[[autodoc]] Greeter` is relative to the package");
    assert!(reference.contains("id=\"tinypkg.Greeter.hello\""), "`- hello` documents that method");
    assert!(!reference.contains("id=\"tinypkg.Greeter.bye\""), "and not the others");
    assert!(reference.contains("id=\"tinypkg.add\""));
    let index = read(&out, "index.html");
    assert!(index.contains("tiny_doc/en/index.ipynb"), "[[open-in-colab]] links the page's notebook");
    assert!(index.contains("href=\"api/tinypkg.html#tinypkg.Greeter\""), "[`Greeter`] cross-links");
    assert!(index.contains("href=\"reference.html#greeter\""), "a relative link without extension");
    let strict = labbook()
        .args(["build", "--strict", "--root"])
        .arg(fixture("docbuilder-api"))
        .arg("--out")
        .arg(tmp.path().join("strict"))
        .output()
        .unwrap();
    assert!(!strict.status.success(), "--strict makes the unknown object an error");
}

/// The page's text without code blocks and spans.
fn without_code(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre").or_else(|| rest.find("<code")) {
        let first = [rest.find("<pre"), rest.find("<code")].into_iter().flatten().min().unwrap_or(start);
        text.push_str(&rest[..first]);
        let close = if rest[first..].starts_with("<pre") { "</pre>" } else { "</code>" };
        match rest[first..].find(close) {
            Some(end) => rest = &rest[first + end + close.len()..],
            None => break,
        }
    }
    text.push_str(rest);
    text
}

/// A book in three languages (tests/fixtures/i18n): each language's site under its code,
/// fallbacks for untranslated pages with their banner, the stale translation's banner, the
/// switcher and the alternates, `dir` for Arabic, and the root page that picks a language.
#[test]
fn languages_build_one_site_each_with_fallbacks() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    build_ok(&fixture("i18n"), &out);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    for code in ["en", "fr", "ar"] {
        for page in ["index.html", "lessons/loss.html", "lessons/gradient.html", "lessons/regularisation.html"] {
            assert!(out.join(code).join(page).is_file(), "{code}/{page}");
        }
        // The image only the English tree has is in every language's tree.
        assert!(out.join(code).join("lessons/img/penalty.svg").is_file(), "{code}: the fallback image");
        assert!(out.join(code).join("search/entry.js").is_file(), "{code}: its own search index");
    }
    let root = read("index.html");
    for code in ["en", "fr", "ar"] {
        assert!(root.contains(&format!("<a href=\"{code}/index.html\" hreflang=\"{code}\"")), "{root}");
    }
    // The translated title and toc.
    let fr_index = read("fr/index.html");
    assert!(fr_index.contains("<html lang=\"fr\" dir=\"ltr\""), "{fr_index}");
    assert!(fr_index.contains("Apprendre en trois langues") && fr_index.contains("Le livre des langues"));
    assert!(!fr_index.contains("translation-banner"), "an up-to-date translation has no banner");
    assert!(read("fr/toc.html").contains("Leçons"));
    // The switcher and the alternates lead to the same page in the other languages.
    let fr_loss = read("fr/lessons/loss.html");
    assert!(
        fr_loss.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"../../en/lessons/loss.html\">"),
        "{fr_loss}"
    );
    assert!(fr_loss.contains("href=\"../../ar/lessons/loss.html\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\""));
    // A fallback: the English page in the French tree, with the banner and the link to translate it.
    let fr_reg = read("fr/lessons/regularisation.html");
    assert!(fr_reg.contains("translation-banner translation-fallback"), "{fr_reg}");
    assert!(fr_reg.contains("https://example.org/edit/content/fr/lessons/regularisation.md"));
    assert!(fr_reg.contains("<article class=\"content\" lang=\"en\" dir=\"ltr\">"));
    assert!(fr_reg.contains("Regularisation adds a penalty"));
    // The stale translation: its English source changed after it was marked.
    let fr_grad = read("fr/lessons/gradient.html");
    assert!(fr_grad.contains("translation-banner translation-stale"), "{fr_grad}");
    assert!(fr_grad.contains("La descente de gradient"));
    // Arabic is right to left.
    let ar_index = read("ar/index.html");
    assert!(ar_index.contains("<html lang=\"ar\" dir=\"rtl\""), "{ar_index}");
    assert!(read("ar/lessons/loss.html").contains("translation-fallback"));
    // The English pages carry no banner.
    assert!(!read("en/lessons/gradient.html").contains("translation-banner"));
    // Sitemaps: the root one indexes the languages', which have absolute addresses.
    assert!(read("sitemap.xml").contains("<loc>https://example.org/course/fr/sitemap.xml</loc>"));
    let fr_sitemap = read("fr/sitemap.xml");
    assert!(fr_sitemap.contains("<loc>https://example.org/course/fr/lessons/loss.html</loc>"), "{fr_sitemap}");
    // Each page lists its alternates in every language, as its `hreflang` links do.
    for code in ["en", "fr", "ar"] {
        let link = format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"https://example.org/course/{code}/lessons/loss.html\"/>"
        );
        assert!(fr_sitemap.contains(&link), "{link} in {fr_sitemap}");
    }
    assert!(fr_sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    // print.html and 404.html have the language menu too: the other print.html, each
    // language's first page from the site's path; the sidebar's page for readers without
    // JavaScript is right to left in Arabic.
    assert!(read("fr/print.html").contains("<a href=\"../ar/print.html\" hreflang=\"ar\""));
    let fr_404 = read("fr/404.html");
    assert!(fr_404.contains("<a href=\"/course/en/index.html\" hreflang=\"en\""), "{fr_404}");
    assert!(fr_404.contains("<a href=\"/course/fr/index.html\" hreflang=\"fr\""), "{fr_404}");
    assert!(read("ar/toc.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
}

/// Model cards in a translated book (tests/fixtures/i18n): a card's and the catalogue
/// introduction's `README.<lang>.md` give the French pages their text, the metadata stays the
/// card's own, and the feature's words (sidebar part, headings, facts, catalogue filters) are
/// French on French pages, Arabic on Arabic ones and English on English ones.
#[test]
fn model_cards_and_their_words_in_each_language() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    build_ok(&fixture("i18n"), &out);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let fr = read("fr/models/tiny-classifier/index.html");
    assert!(fr.contains("Petit classifieur") && fr.contains("il distingue une perte"), "{fr}");
    assert!(!fr.contains("small enough to read"), "the English card text on the French page");
    for word in ["<dt>Tâche</dt>", "<dt>Licence</dt>", ">Fichiers</h2>", "Modèles"] {
        assert!(fr.contains(word), "{word} in {fr}");
    }
    assert!(fr.contains("text-classification") && fr.contains(">mit</a>"), "the card's metadata");
    let fr_catalogue = read("fr/models/index.html");
    assert!(fr_catalogue.contains("Les modèles du livre") && fr_catalogue.contains("Filtrer les modèles"));
    assert!(fr_catalogue.contains("<legend>Tâches</legend>"), "{fr_catalogue}");
    assert!(fr.contains("<div class=\"model-card\">"), "a translated card is in the page's language");
    let ar = read("ar/models/tiny-classifier/index.html");
    assert!(ar.contains("<dt>المهمة</dt>") && ar.contains("Tiny classifier"), "{ar}");
    // An untranslated card in the Arabic site is marked as the English, left-to-right text it is.
    assert!(ar.contains("<div class=\"model-card\" lang=\"en\" dir=\"ltr\">"), "{ar}");
    let en = read("en/models/tiny-classifier/index.html");
    assert!(en.contains("<dt>Task</dt>") && en.contains("small enough to read") && !en.contains("Petit classifieur"));
    assert!(read("en/models/index.html").contains("Models of the book"));
}

/// The bundled course keeps its translations current: its stale page is the i18n fixture's,
/// made stale on purpose, never one of the course's (a change to an English page that has
/// translations comes with theirs, marked again with `labbook i18n mark`).
#[test]
fn the_course_has_no_stale_translation() {
    let status = labbook().args(["i18n", "status", "--root"]).arg(repo_root()).output().unwrap();
    assert!(status.status.success(), "{}", shown(&status));
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    let rows: Vec<Vec<&str>> =
        text.lines().skip(1).take_while(|l| !l.trim().is_empty()).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 3, "fr, zh-CN and ar:\n{text}");
    for row in &rows {
        let stale = row[row.len() - 2];
        assert_eq!(stale, "0", "{} has stale pages:\n{text}", row[0]);
    }
    let translated = |code: &str| rows.iter().find(|r| r[0] == code).map(|r| r[r.len() - 3].parse::<usize>().unwrap());
    assert!(translated("fr") >= Some(4) && translated("zh-CN") >= Some(4), "the index and three chapters:\n{text}");
}

/// `labbook i18n status` lists each translation's translated, stale and missing pages, and
/// `labbook i18n mark` makes a stale page current.
#[test]
fn i18n_status_and_mark() {
    let book = copy_fixture("i18n");
    let status = labbook().args(["i18n", "status", "--root"]).arg(book.path()).output().unwrap();
    assert!(status.status.success(), "{}", shown(&status));
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    let row = |code: &str| {
        text.lines().find(|l| l.starts_with(code)).unwrap_or_default().split_whitespace().collect::<Vec<_>>()
    };
    assert_eq!(row("fr ")[2..], ["2", "1", "1"], "{text}");
    assert_eq!(row("ar ")[2..], ["1", "0", "3"], "{text}");
    let fr = &text[text.find("\nfr (Français):").expect("the French pages")..];
    let fr = &fr[..fr[1..].find("\n\n").map_or(fr.len(), |i| i + 2)];
    assert!(fr.contains("  stale:\n    lessons/gradient.md\n"), "{text}");
    assert!(fr.contains("  missing:\n    lessons/regularisation.md\n"), "{text}");
    assert!(fr.contains("  translated:\n    index.md\n    lessons/loss.md\n"), "{text}");

    let page = book.path().join("content/fr/lessons/gradient.md");
    let mark = labbook().args(["i18n", "mark", "--root"]).arg(book.path()).arg(&page).output().unwrap();
    assert!(mark.status.success(), "{}", shown(&mark));
    let marked = std::fs::read_to_string(&page).unwrap();
    assert!(marked.starts_with("---\ntranslated-from: 1852a18b0a87d2cb\n---\n# La descente"), "{marked}");
    let status = labbook().args(["i18n", "status", "--root"]).arg(book.path()).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    let fr_row: Vec<&str> = text.lines().find(|l| l.starts_with("fr ")).unwrap().split_whitespace().collect();
    assert_eq!(fr_row[2..], ["3", "0", "1"], "{text}");

    // Marking a page that translates nothing, or an English page, says why.
    let english = book.path().join("content/en/index.md");
    let bad = labbook().args(["i18n", "mark", "--root"]).arg(book.path()).arg(&english).output().unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("is not a translated page: translations live in content/fr/, content/ar/"),
        "{}",
        shown(&bad)
    );
}

#[test]
fn a_long_book_prints_in_parts_linked_from_print_html() {
    let tmp = tempfile::tempdir().unwrap();
    // A small book prints on one page.
    let whole = tmp.path().join("whole");
    build_ok(&fixture("features"), &whole);
    assert!(read(&whole, "print.html").contains("class=\"print-chapter content\""));
    assert!(!whole.join("print-1.html").exists() && !read(&whole, "print.html").contains("print-parts"));

    // Parts of one byte: every page of the features book is a part of its own.
    let out = tmp.path().join("parts");
    let output = labbook()
        .args(["build", "--no-cache", "--root"])
        .arg(fixture("features"))
        .arg("--out")
        .arg(&out)
        .env("LABBOOK_PRINT_PART_BYTES", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", shown(&output));
    let index = read(&out, "print.html");
    assert!(!index.contains("print-chapter"), "print.html holds the contents only");
    let parts: Vec<String> = (1..).map(|n| format!("print-{n}.html")).take_while(|p| out.join(p).is_file()).collect();
    let chapters = ["index", "mlindex", "mlmath", "mlcode", "guidelinks"];
    assert_eq!(parts.len(), chapters.len(), "{parts:?}");
    for part in &parts {
        assert!(index.contains(&format!("<a href=\"{part}\">")), "print.html lists {part}");
    }
    // Each chapter is in exactly one part, where print.html's contents link it.
    let texts: Vec<String> = parts.iter().map(|p| read(&out, p)).collect();
    for chapter in chapters {
        let id = format!("id=\"page-{chapter}\"");
        let holders: Vec<&String> = parts.iter().zip(&texts).filter(|(_, t)| t.contains(&id)).map(|(p, _)| p).collect();
        assert_eq!(holders.len(), 1, "page-{chapter} in {holders:?}");
        assert!(index.contains(&format!("href=\"{}#page-{chapter}\"", holders[0])), "contents link page-{chapter}");
    }
    // Every link between parts reaches an id of the part it names; a part marks itself.
    for (part, text) in parts.iter().zip(&texts) {
        assert!(text.contains(&format!("<a href=\"{part}\" aria-current=\"page\">")), "{part} marks itself");
        assert!(text.contains(&format!("data-path=\"{part}\"")), "{part} knows its path");
        for (at, _) in text.match_indices("href=\"print-") {
            let href = &text[at + 6..][..text[at + 6..].find('"').unwrap()];
            let Some((file, anchor)) = href.split_once('#') else { continue };
            let target = &texts[parts.iter().position(|p| p == file).unwrap_or_else(|| panic!("{href} in {part}"))];
            assert!(target.contains(&format!("id=\"{anchor}\"")), "{href} in {part} leads nowhere");
        }
    }
    let links = &texts[chapters.iter().position(|c| *c == "guidelinks").unwrap()];
    let math = parts[chapters.iter().position(|c| *c == "mlmath").unwrap()].clone();
    assert!(links.contains(&format!("href=\"{math}#page-mlmath\"")), "a link to another part's chapter");
}

/// The built-in `page.html` and `print.html` are rendered around a mark in each article's
/// place, and the articles written there: the site is the one the templates themselves make
/// (a theme with copies of them is rendered the plain way), also when a page's title holds
/// the mark.
#[test]
fn articles_written_into_the_built_in_templates_are_what_the_templates_make() {
    let templates = repo_root().join("crates/labbook-core/src/render/theme/templates");
    for title in ["First", "A \\u0001labbook-article\\u0001 b"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("themes/copy/templates")).unwrap();
        for template in ["page.html", "print.html"] {
            std::fs::copy(templates.join(template), root.join("themes/copy/templates").join(template)).unwrap();
        }
        std::fs::write(
            root.join("content/index.md"),
            format!("---\ntitle: \"{title}\"\n---\n\nThe first article, [the second](two.md).\n"),
        )
        .unwrap();
        std::fs::write(root.join("content/two.md"), "# Two\n\nThe second article.\n").unwrap();
        let yaml = "title: Marks\ntoc:\n  - index.md\n  - two.md\n";
        std::fs::write(root.join("book.yaml"), yaml).unwrap();
        build_ok(root, &root.join("built-in"));
        std::fs::write(root.join("book.yaml"), format!("{yaml}theme: copy\n")).unwrap();
        build_ok(root, &root.join("copied"));
        // Each article once where it is shown.
        for (file, first, second) in [("index.html", 1, 0), ("two.html", 0, 1), ("print.html", 1, 1)] {
            let (built_in, copied) = (read(&root.join("built-in"), file), read(&root.join("copied"), file));
            assert_eq!(built_in, copied, "{file} with the title {title}");
            assert_eq!(built_in.matches("The first article").count(), first, "{file}:\n{built_in}");
            assert_eq!(built_in.matches("The second article.").count(), second, "{file}:\n{built_in}");
        }
    }
}
