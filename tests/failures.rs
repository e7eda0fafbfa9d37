//! Each broken book fails with a clear message naming the file and line, exits 1, and
//! leaves the previous site exactly as it was.

mod common;

use std::path::Path;

use common::*;

/// Builds the `minimal` book into a temp output, then the broken `fixture` into the same
/// output; checks the exit code, the message, and that the first site is untouched.
fn assert_fails(fixture_name: &str, expected: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_ok(&fixture("minimal"), &out);
    let before = snapshot(&out);

    let output = build(&fixture(fixture_name), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{fixture_name} should fail with exit 1:\n{}", shown(&output));
    for needle in expected {
        assert!(stderr.contains(needle), "{fixture_name}: expected `{needle}` in stderr:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{fixture_name} panicked:\n{stderr}");
    assert_eq!(snapshot(&out), before, "{fixture_name}: the previous site changed");
    let leftovers: Vec<_> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(leftovers, ["site"], "{fixture_name}: a temporary folder was left behind");
}

/// Every file of a site with its contents.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn malformed_yaml() {
    assert_fails("fail-bad-yaml", &["book.yaml:3:", "error:"]);
}

#[test]
fn unknown_key() {
    assert_fails("fail-unknown-key", &["book.yaml:3:1: unknown field `them`, expected one of"]);
}

#[test]
fn toc_entry_for_a_missing_file() {
    assert_fails(
        "fail-toc-missing",
        &["book.yaml:6:9: toc entry `lessons/gone.md` does not exist in the content folder"],
    );
}

#[test]
fn broken_link() {
    assert_fails("fail-broken-link", &["content/index.md:3:5: broken link `next.md`: there is no page `next.md`"]);
}

#[test]
fn broken_anchor() {
    assert_fails("fail-broken-anchor", &["content/index.md:3:5: broken anchor `other.md#nowhere`: `other.html` has no heading or element with id `nowhere`"]);
}

#[test]
fn two_pages_writing_the_same_output() {
    assert_fails("fail-duplicate-output", &["writes `ml/index.html`, which content/ml/", "rename one of them"]);
}

#[test]
fn non_utf8_file() {
    assert_fails("fail-non-utf8", &["content/index.md:3:4: the file is not valid UTF-8"]);
}

#[test]
fn include_of_a_missing_file() {
    assert_fails("fail-include-missing", &["content/index.md:4:", "code/nope.py"]);
}

#[test]
fn include_cycle() {
    assert_fails("fail-include-cycle", &["content/", "cycle"]);
}

#[test]
fn bad_math() {
    assert_fails("fail-bad-math", &["content/index.md:3:5: cannot render math"]);
}

#[test]
fn bad_directive_body() {
    assert_fails("fail-bad-quiz", &["content/index.md:7:", "in the `quiz` block"]);
}

#[test]
fn unknown_front_matter_key() {
    assert_fails("fail-front-matter", &["content/index.md:3:1: unknown field `tagz`"]);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("thesis.tex"), "precious").unwrap();
    let output = build(&fixture("minimal"), &out);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing to replace it"), "{}", shown(&output));
    assert_eq!(std::fs::read_to_string(out.join("thesis.tex")).unwrap(), "precious");
    let clean = labbook().args(["clean", "--out"]).arg(&out).output().unwrap();
    assert_eq!(clean.status.code(), Some(1), "{}", shown(&clean));
    assert!(out.join("thesis.tex").is_file());
}

#[test]
fn keeps_files_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let built = build(&fixture("minimal"), &out);
    assert!(built.status.success(), "{}", shown(&built));
    // A teacher publishes from a git checkout of the site, with their host's CNAME.
    std::fs::write(out.join("CNAME"), "course.example.org").unwrap();
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main").unwrap();
    let rebuilt = build(&fixture("minimal"), &out);
    assert!(rebuilt.status.success(), "{}", shown(&rebuilt));
    assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "course.example.org");
    assert_eq!(std::fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref: refs/heads/main");
    assert!(out.join("index.html").is_file());

    let clean = labbook().args(["clean", "--out"]).arg(&out).output().unwrap();
    assert!(clean.status.success(), "{}", shown(&clean));
    let said = String::from_utf8_lossy(&clean.stdout);
    assert!(said.contains("kept what labbook did not write: .git, CNAME"), "{said}");
    assert!(!out.join("index.html").exists() && !out.join("assets").exists());
    assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "course.example.org");
    assert!(out.join(".git/HEAD").is_file());
}

#[test]
fn bad_usage_exits_2() {
    let output = labbook().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", shown(&output));
    let output = labbook().args(["frobnicate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", shown(&output));
}

#[test]
fn missing_book_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let output = build(tmp.path(), &tmp.path().join("site"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no book.yaml"), "{}", shown(&output));
}

#[test]
fn python_syntax_error_in_an_api_source() {
    assert_fails("fail-api-syntax", &["error: pkg/broken.py:4:5: Python syntax error: Expected an expression"]);
}

#[test]
fn unresolved_api_cross_links_and_unknown_autodoc_object() {
    assert_fails(
        "fail-api-xref",
        &[
            "content/index.md:3:5: unresolved cross-link [`lib.nothing`]: no API object `lib.nothing` is documented",
            "content/index.md:5:1: in the `autodoc` block: cannot document `lib.gone`",
        ],
    );
}

#[test]
fn model_index_without_task_type() {
    assert_fails(
        "fail-model-index-missing-task",
        &["content/models/m/README.md:7:7: model-index[0].results[0].task: missing field `type`"],
    );
}

#[test]
fn model_index_without_dataset_name() {
    assert_fails(
        "fail-model-index-missing-dataset-name",
        &["content/models/m/README.md:9:7: model-index[0].results[0].dataset: missing field `name`"],
    );
}

#[test]
fn model_weights_truncated() {
    assert_fails(
        "fail-model-truncated-weights",
        &["content/models/m/model.safetensors: not a valid safetensors file: the file is truncated"],
    );
}

#[test]
fn model_widget_example_unfit_for_its_task() {
    assert_fails(
        "fail-model-widget-pixels",
        &["content/models/m/README.md:8:3: widget example 2: `pixels` has 3 values; an 8×8 image has 64"],
    );
}

#[test]
fn model_config_not_json() {
    assert_fails("fail-model-bad-config", &["content/models/m/config.json:2:25: not valid JSON: trailing comma"]);
}

#[test]
fn notebook_with_bad_json() {
    assert_fails(
        "fail-notebook-bad-json",
        &["content/lesson.ipynb:7:3: not a Jupyter notebook (expected nbformat JSON): expected `,` or `]`"],
    );
}

#[test]
fn notebook_of_another_nbformat_version() {
    assert_fails(
        "fail-notebook-version",
        &["content/old.ipynb:3:2: nbformat 3 is not supported: expected a version 4 notebook"],
    );
}

// ---------- doc-builder folders (issue 13) ----------

#[test]
fn docbuilder_unclosed_tip() {
    assert_fails("fail-docbuilder-unclosed-tip", &["index.mdx:3:1: `<Tip>` opened here is never closed with `</Tip>`"]);
}

#[test]
fn docbuilder_choices_that_do_not_parse() {
    assert_fails(
        "fail-docbuilder-bad-choices",
        &["index.mdx:9:4: `choices` of `<Question>` does not read: expected `,` or `}` after an object value"],
    );
}

#[test]
fn docbuilder_if_without_end() {
    assert_fails("fail-docbuilder-open-if", &["index.mdx:3:1: `{#if}` opened here is never closed with `{/if}`"]);
}
