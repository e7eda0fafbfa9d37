//! Built sites in headless Chromium, opened from `file://`: the bundled course through
//! `tests/browser/navigation.mjs` (sidebar, keyboard paging, theme, highlighting, math, quiz,
//! phone layout, and no request leaving the site folder), the exercise fixture book through
//! `exercise.mjs` and its editor through `editor.mjs`, both through `highlight.mjs` (the
//! editor colours Python like the build-time code blocks), the exercise block's WASI shim on a
//! page of its own through `wasi.mjs`, and the table of check cases through the python
//! runtime's check request (`checks.mjs`); an mdBook's sidebar folding (`mdbook-fold.mjs`); a
//! doc-builder folder's quizzes, framework switch and tabs (`docbuilder.mjs`).
//!
//! The bundled course and the exercise fixture are built once for the whole file and only
//! read by the scripts; a test that runs several scripts runs them in one Chromium
//! (`tests/browser/suite.mjs`).
//!
//! Needs `npm ci --prefix tests/browser` and Chromium (`/usr/bin/chromium`, or env
//! `CHROMIUM`). Without them the test prints a SKIP line and passes, unless env `CI` is
//! set: then it fails, so CI can never silently skip it. `.ci/run` installs both.
//! Set `LABBOOK_SCREENSHOTS=<dir>` to keep screenshots of the pages it visits.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// The bundled course, built once for all the tests of this file (the scripts only read it;
/// `progress.mjs` copies it beside itself) into cargo's temp folder for integration tests:
/// its English site (`site/en`), which the course's scripts open.
fn course_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| course_all_languages().join("en"))
}

/// The whole bundled course: every language's site under its code, and the root page.
fn course_all_languages() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| shared_build(&repo_root(), "course"))
}

/// The `exercise-browser` fixture book, built once for all the tests of this file.
fn exercise_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| shared_build(&fixture("exercise-browser"), "exercise-browser"))
}

/// Builds `root` into `<CARGO_TARGET_TMPDIR>/browser/<name>/site`, replacing an earlier build.
fn shared_build(root: &Path, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("removing {}: {e}", dir.display()));
    }
    let out = dir.join("site");
    build_ok(root, &out);
    out
}

/// Runs the scripts of `tests/browser` named in `scripts`, each with `args`, one after the other
/// in one Chromium (`suite.mjs`); panics with their output unless every check passed.
fn run_scripts<S: AsRef<std::ffi::OsStr>>(scripts: &[&str], args: &[S]) -> String {
    run_scripts_within(scripts, args, NODE_TIMEOUT * scripts.len() as u32)
}

/// [`run_scripts`] with a time limit of their own.
fn run_scripts_within<S: AsRef<std::ffi::OsStr>>(scripts: &[&str], args: &[S], limit: std::time::Duration) -> String {
    let dir = repo_root().join("tests/browser");
    let mut all: Vec<std::ffi::OsString> = vec![scripts.join(",").into()];
    all.extend(args.iter().map(|a| a.as_ref().to_owned()));
    let run = run_node_within(&dir.join("suite.mjs"), &all, &dir, limit);
    run.expect_success(&scripts.join(" + "), "").to_owned()
}

#[test]
fn bundled_course_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs bundled_course_in_chromium") {
        return;
    }
    run_scripts(&["navigation.mjs", "highlight.mjs", "runnable.mjs"], &[course_site()]);
}

/// The theme's exercise block and its WASI shim (`window.labbook.run`) on a page of their own:
/// `tests/browser/wasi.mjs` assembles small WASI commands (no wasm toolchain needed) and checks
/// the read-only preopened directory, the time and output limits, stdout checks, and the
/// editor's Check / Hint / Solution / Reset and localStorage restore. The theme's assets (the
/// joined `exercise.js` among them) and the python runtime, which grades the `cat` runtime's
/// output, come from a build of the `exercise-browser` fixture.
#[test]
fn exercise_shim_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs exercise_shim_in_chromium") {
        return;
    }
    run_scripts(&["wasi.mjs"], &[exercise_site()]);
}

/// The exercise editor's editing model on a page of the exercise fixture book
/// (`tests/browser/editor.mjs`): a table of keystroke sequences (Enter and auto-indent,
/// Backspace at an indent, Tab and Shift+Tab on selections, paste) against the text and caret
/// each must leave, with undo and redo after each; and Esc then Tab or Shift+Tab leaving it.
/// Then `highlight.mjs` on the same site: the fixture page's Python block, full of the grammar's
/// odd corners, must look the same in the editor, character by character. Then
/// `exercise-page.mjs`: only pages with an exercise load `exercise.js`, such a page fetches its
/// runtime once idle, and skip links lead from the top of the page to each editor.
#[test]
fn editor_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs editor_in_chromium") {
        return;
    }
    run_scripts(&["editor.mjs", "highlight.mjs", "exercise-page.mjs"], &[exercise_site()]);
}

/// The exercise fixture book (`tests/fixtures/exercise-browser`) built and opened from `file://` with the
/// real Python runtime: every solution passes, typed code fails a check with its message, an
/// error marks its line, an endless loop stops at the limit, progress survives a reload, and Hint
/// and Solution follow the exercise's settings (`tests/browser/exercise.mjs`).
#[test]
fn exercises_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs exercises_in_chromium") {
        return;
    }
    run_scripts(&["exercise.mjs"], &[exercise_site()]);
}

/// The digits model's "Try it" widget on the bundled course (`tests/browser/digits.mjs`):
/// each digit 0–9 drawn with the mouse as strokes, reduced to 8×8 like the UCI digits, and
/// at least 8 of the 10 read as the digit drawn (the count is printed).
#[test]
fn drawn_digits_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs drawn_digits_in_chromium") {
        return;
    }
    let stdout = run_scripts(&["digits.mjs"], &[course_site()]);
    let line = stdout.lines().find(|l| l.starts_with("digits recognised:")).expect("digits.mjs reports the count");
    eprintln!("{line}");
}

/// The table of check cases (`crates/labbook-checks/tests/cases.json`, also run natively by
/// that crate's tests) through the python runtime's "check this stdout" request in Chromium, and
/// the `exercises` fixture's exercise on a foreign runtime graded by it (`tests/browser/checks.mjs`).
#[test]
fn check_table_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs check_table_in_chromium") {
        return;
    }
    let book = copy_fixture("exercises");
    let wasm = wat::parse_file(book.path().join("runtimes/evil.wat")).expect("evil.wat compiles");
    std::fs::write(book.path().join("runtimes/evil.wasm"), wasm).expect("writing evil.wasm");
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let cases = repo_root().join("crates/labbook-checks/tests/cases.json");
    let stdout = run_scripts(&["checks.mjs"], &[&out, &cases]);
    // How long a check request takes in the browser, first (compiling the runtime) and after.
    let timing = stdout.lines().find(|l| l.contains("first request")).expect("checks.mjs reports its timing");
    eprintln!("{timing}");
}

/// Search in the bundled course (`tests/browser/search-course.mjs`): misspelt words find their
/// pages, one place in a page gives one result, maths reads as text in excerpts, the filter
/// chips show the kinds and top tags with "more", result links carry only the query's words,
/// API results land on their object, the guide's examples rank below the course, and Tab
/// stays inside the open dialog.
#[test]
fn course_search_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs course_search_in_chromium") {
        return;
    }
    run_scripts(&["search-course.mjs"], &[course_site()]);
}

/// axe-core (pinned in `tests/browser/package.json`, injected from node_modules) on every
/// kind of page of the bundled course, light and dark: a lesson with an exercise, a quiz
/// page, a model page, the model catalogue, the API page and a page with the search dialog
/// open. Zero violations allowed (`tests/browser/a11y.mjs`).
#[test]
fn axe_finds_no_violations_in_chromium() {
    let axe = repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    let missing = missing_browser()
        .or_else(|| (!axe.is_file()).then(|| format!("{} is missing (npm ci --prefix tests/browser)", axe.display())));
    if !can_run(missing, "tests/browser.rs axe_finds_no_violations_in_chromium") {
        return;
    }
    // Every page twice (light and dark), with a translated, an untranslated and an Arabic page.
    run_scripts_within(&["a11y.mjs"], &[course_all_languages()], NODE_TIMEOUT * 2);
}

/// A reader's progress in the bundled course (`tests/browser/progress.mjs`): quiz answers kept
/// across reloads, sidebar ticks, the "Your progress" page, progress kept in a copy of the
/// site in another folder (storage keyed by the book's id), Download / Load progress.
#[test]
fn progress_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs progress_in_chromium") {
        return;
    }
    run_scripts(&["progress.mjs"], &[course_site()]);
}

/// Python errors that teach (`tests/browser/python.mjs`): the exercise block links the guide's
/// "Python in this course", `import pandas` gets the runtime's note with that link, and the
/// default runtime (RustPython) runs numpy, a class with a base, a generator and `[0] * 40000`.
#[test]
fn python_notes_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs python_notes_in_chromium") {
        return;
    }
    run_scripts(&["python.mjs"], &[course_site()]);
}

/// The bundled course's content and polish (`tests/browser/polish.mjs`): no stale "coming"
/// promises, one sidebar entry per title, chapter 4 named alike in the front page's table and
/// the sidebar, the model catalogue and models in the sidebar, the catalogue's intro for
/// readers with a whole filter placeholder and a styled sort control, the iris card's two
/// parameter counts explained, the API example's real tensor key, and print.html keeping the
/// text of code as written.
#[test]
fn course_polish_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs course_polish_in_chromium") {
        return;
    }
    run_scripts(&["polish.mjs"], &[course_site()]);
}

/// The dataset viewer of the bundled course (`tests/browser/datasets.mjs`, issue 19): paging,
/// sorting and filtering the census names from `file://`, loading only the shards a view
/// needs; the filter's words and hash agree with `viewer.rs`; the first 100 rows with
/// JavaScript off; the catalogue's task facet; the splits lessons load.
///
/// Every language of the course has its dataset files whole (the viewer's shards, the
/// splits code loads), and on disk they are one copy, hard links of each other; the scripts
/// run on the English folder copied out alone, so a language's folder works by itself.
#[test]
fn datasets_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs datasets_in_chromium") {
        return;
    }
    let all = course_all_languages();
    let file_in = |dir: &Path, prefix: &str| {
        let name = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}* in {}", dir.display()));
        dir.join(name)
    };
    #[cfg(unix)]
    for (folder, prefix) in
        [("datasets/census-1990-given-names/viewer/0", "r-"), ("runtime/data", "digits-default-train.")]
    {
        use std::os::unix::fs::MetadataExt;
        let inodes: Vec<u64> = ["en", "fr", "ar", "zh-CN"]
            .iter()
            .map(|code| std::fs::metadata(file_in(&all.join(code).join(folder), prefix)).unwrap().ino())
            .collect();
        assert!(inodes.iter().all(|&i| i == inodes[0]), "{folder}/{prefix}*: one file per language ({inodes:?})");
    }
    let alone = tempfile::tempdir().unwrap();
    let en = alone.path().join("en");
    copy_tree(&all.join("en"), &en);
    run_scripts(&["datasets.mjs"], &[&en]);
}

/// mdBook's `[output.html.fold]` (`tests/browser/mdbook-fold.mjs`) on mdBook's own
/// `heading-nav-folded` test book: as written (`enable = true, level = 0`: every fold closed
/// but the current page's path), with `level = 1` (top-level chapters open), and with the
/// table removed (folding off, mdBook's default: every section open, no fold buttons).
#[test]
fn mdbook_fold_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs mdbook_fold_in_chromium") {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = fixture("mdbook-upstream").join("heading-nav-folded");
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    let mut sites = Vec::new();
    for (name, changed) in [
        ("level-0", toml.clone()),
        ("level-1", toml.replace("level = 0", "level = 1")),
        ("off", toml.replace("enable = true", "enable = false")),
    ] {
        assert!(name == "level-0" || changed != toml, "{name}: book.toml not changed");
        let copy = tmp.path().join(format!("{name}-book"));
        copy_tree(&book, &copy);
        std::fs::write(copy.join("book.toml"), changed).unwrap();
        let out = tmp.path().join(name);
        build_ok(&copy, &out);
        sites.push(out);
    }
    run_scripts(&["mdbook-fold.mjs"], &sites);
}

/// A doc-builder folder (`tests/fixtures/docbuilder`, with an excerpt of the Hugging Face
/// course) through `tests/browser/docbuilder.mjs`: a `<Question>` quiz answers, the
/// PyTorch/TensorFlow switch shows one version, is remembered and works with JavaScript off,
/// `<hfoptions>` tabs switch, and axe finds nothing.
#[test]
fn docbuilder_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs docbuilder_in_chromium") {
        return;
    }
    let site = shared_build(&fixture("docbuilder"), "docbuilder");
    run_scripts(&["docbuilder.mjs"], &[site]);
}

/// The classroom loop (`tests/browser/classroom.mjs`): the bundled course's student edition in
/// Chromium from file:// (no answer in the pages, the softmax `forbid` rule caught in the
/// browser, softmax solved and k-NN solved wrongly, the quizzes answered, "Hand in my work"
/// downloaded), then `labbook grade --work` on the downloaded file gives the expected row, and
/// its feedback page opens in Chromium; axe passes on the hand-in and feedback pages.
#[test]
fn classroom_in_chromium() {
    let axe = repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    let missing = missing_browser()
        .or_else(|| (!axe.is_file()).then(|| format!("{} is missing (npm ci --prefix tests/browser)", axe.display())));
    if !can_run(missing, "tests/browser.rs classroom_in_chromium") {
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser").join("classroom");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let site = dir.join("site");
    let o = labbook()
        .args(["build", "--no-cache", "--edition", "student", "--root"])
        .arg(repo_root())
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", shown(&o));
    let work = dir.join("work");
    let solution = repo_root().join("exercises/softmax/solution.py");
    run_scripts(
        &["classroom.mjs"],
        &[std::ffi::OsStr::new("handin"), site.as_os_str(), work.as_os_str(), solution.as_os_str()],
    );

    let grades = dir.join("grades");
    std::fs::create_dir_all(&grades).unwrap();
    let o = labbook()
        .args(["grade", "--root"])
        .arg(repo_root())
        .arg("--work")
        .arg(&work)
        .arg("--out")
        .arg(grades.join("gradebook.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", shown(&o));
    let csv = std::fs::read_to_string(grades.join("gradebook.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{csv}");
    let row: Vec<&str> = rows[0].split(',').collect();
    let cell =
        |name: &str| row[header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}: {csv}"))];
    assert_eq!(cell("student"), "Ada Lovelace", "{csv}");
    assert_eq!(cell("softmax"), "1", "the solution passes every check, hidden ones too: {csv}");
    let knn: f64 = cell("knn-digits").parse().unwrap();
    assert!(knn < 1.0, "the wrong k-NN fails checks: {csv}");
    assert_eq!(cell("gradient-step"), "0", "not handed in: {csv}");
    // Each quiz answered on the two pages scores its points exactly when its first choice is right.
    let book = labbook::load_book(&repo_root()).unwrap();
    let rendered = labbook::pipeline::transform(&book).unwrap();
    let mut expected = 1.0 + knn;
    let mut answered = 0;
    for (page, r) in book.pages.iter().zip(&rendered) {
        for item in r.progress.iter().filter(|p| p.kind == "quiz") {
            let right = item.key.as_ref().unwrap().is_right(&[0]);
            let done = page.output == "ml/softmax.html" || page.output == "ml/nearest-neighbours.html";
            let want = if done && right { "1" } else { "0" };
            assert_eq!(cell(&item.id), want, "quiz {} (first choice right: {right}): {csv}", item.id);
            if done {
                answered += 1;
                expected += if right { 1.0 } else { 0.0 };
            }
        }
    }
    assert!(answered >= 4, "{answered} quizzes answered");
    let total: f64 = cell("total").parse().unwrap();
    assert!((total - expected).abs() < 1e-6, "total {total}, expected {expected}: {csv}");
    assert!(cell("error").is_empty(), "{csv}");
    run_scripts(
        &["classroom.mjs"],
        &[std::ffi::OsStr::new("feedback"), grades.as_os_str(), std::ffi::OsStr::new("feedback/ada-lovelace.html")],
    );
}

/// The bundled course in its languages and the `i18n` fixture (`tests/browser/i18n.mjs`): the
/// root page picks the browser's language, the language menu keeps the page, the fallback and
/// staleness banners, Arabic right to left, the theme's words in French, and search in Chinese
/// and in French finding pages of that language.
#[test]
fn languages_in_chromium() {
    if !can_run(missing_browser(), "tests/browser.rs languages_in_chromium") {
        return;
    }
    let fixture = shared_build(&fixture("i18n"), "i18n");
    run_scripts(&["i18n.mjs"], &[course_all_languages(), fixture.as_path()]);
}
