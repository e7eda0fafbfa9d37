//! A lesson page written as a Jupyter notebook (nbformat 4.5), for "Download notebook" and
//! "Open in Colab". What maps to what:
//!
//! | page                         | notebook                                                    |
//! |------------------------------|-------------------------------------------------------------|
//! | prose between code blocks    | a markdown cell (includes expanded)                         |
//! | a `python` block             | a code cell, its text unchanged                             |
//! | another language's block     | a fenced block in a markdown cell                           |
//! | an `exercise` block          | a markdown cell (title, instructions), a cell writing its data files, the starter as a `%%writefile` cell, and a cell that runs it and its shown checks with a self-contained checker ([`CHECKER`]) |
//! | other directives (quiz...)   | left out, with a pointer to the page                        |
//! | datasets the code loads      | a markdown cell after the title naming them                 |
//! | links to pages and files     | absolute on the published site when `base-url` is set       |
//!
//! Cell ids are `cell-<n>`, unique within the notebook as nbformat 4.5 asks.

use std::collections::BTreeSet;
use std::path::Path;

use labbook_core::content::Page;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::markdown::SiteIndex;
use labbook_exercises::{CheckKind, Exercise, FileContent};
use std::borrow::Cow;

use serde::Serialize;
use serde_json::{json, Value};

use crate::lesson::{self, Part};

/// The checker an exercise's check cell carries: plain Python, the rules of labbook's
/// `stdout`, `stdout_regex`, `stdout_numbers` and `code` checks (`labbook-checks`), tested
/// against that crate's table of cases.
pub const CHECKER: &str = include_str!("checker.py");

/// The notebook of lesson `page`, as the bytes of its file (nbformat's JSON, indented by two
/// spaces, keys sorted, a newline at the end); `is_directive` tells directive blocks from
/// code, and `exercises` are the book's. `url` is the page's published address, if known;
/// with the site's index and address (`base-url`), the prose's links to the site become
/// absolute, so they work from Colab or a download.
pub fn notebook(
    page: &Page,
    is_directive: &dyn Fn(&str) -> bool,
    exercises: &[Exercise],
    url: Option<&str>,
    site: Option<(&SiteIndex, &str)>,
) -> Result<Vec<u8>, Diagnostic> {
    let parts = lesson::parts(page, is_directive)?;
    let mut cells = Cells::default();
    let mut datasets = BTreeSet::new();
    for part in &parts {
        if let Part::Code(block) = part {
            datasets.extend(datasets_in(&block.code));
        }
    }
    let mut noted = datasets.is_empty();
    let mut first = true;
    for part in &parts {
        match part {
            Part::Prose(text) => {
                match site {
                    Some((index, base)) => cells.markdown(absolute_links(text, page, index, base)),
                    None => cells.markdown(text.as_str()),
                }
                if first && !noted {
                    cells.markdown(datasets_note(&datasets));
                    noted = true;
                }
            }
            Part::Code(block) if block.lang == "python" || block.lang == "py" => cells.code(block.code.as_str()),
            Part::Code(block) => {
                let fence = "`".repeat(longest_backticks(&block.code).max(2) + 1);
                cells.markdown(format!("{fence}{}\n{}\n{fence}", block.info, block.code.trim_end_matches('\n')));
            }
            Part::Directive { name, body, .. } if name == "exercise" => {
                let id = exercise_id(body);
                match exercises.iter().find(|e| Some(e.id.as_str()) == id.as_deref()) {
                    Some(exercise) => exercise_cells(&mut cells, exercise),
                    None => cells.markdown("*An exercise is on the web page.*"),
                }
            }
            Part::Directive { name, .. } => {
                let place = url.map(|u| format!("[the web page]({u})")).unwrap_or_else(|| "the web page".to_string());
                cells.markdown(format!("*Here the page has a `{name}` block: see {place}.*"));
            }
        }
        first = false;
    }
    if !noted {
        cells.markdown(datasets_note(&datasets));
    }
    let notebook = NotebookFile {
        cells: &cells.list,
        metadata: Metadata {
            kernelspec: KernelSpec { display_name: "Python 3", language: "python", name: "python3" },
            labbook: LabbookMeta { description: page.front.description.as_deref(), source: url, title: &page.title },
            language_info: LanguageInfo { name: "python" },
        },
        nbformat: 4,
        nbformat_minor: 5,
    };
    // Written straight into the file's bytes, with room for the cells' text and their
    // indentation up front (a notebook is mostly its cells' text).
    let text: usize = cells.list.iter().map(|c| c.text.len()).sum();
    let mut bytes = Vec::with_capacity(text + text / 4 + 512);
    serde_json::to_writer_pretty(&mut bytes, &notebook).expect("JSON serializes");
    bytes.push(b'\n');
    Ok(bytes)
}

/// A notebook file's top level. The fields of these types are in the order of their names:
/// nbformat's JSON was written from `serde_json::Value`s, whose maps sort their keys, and
/// the files stay byte for byte what they were.
#[derive(Serialize)]
struct NotebookFile<'a> {
    cells: &'a [Cell<'a>],
    metadata: Metadata<'a>,
    nbformat: u32,
    nbformat_minor: u32,
}

#[derive(Serialize)]
struct Metadata<'a> {
    kernelspec: KernelSpec,
    labbook: LabbookMeta<'a>,
    language_info: LanguageInfo,
}

#[derive(Serialize)]
struct KernelSpec {
    display_name: &'static str,
    language: &'static str,
    name: &'static str,
}

/// The page's front matter a notebook keeps, and its address when the site's is known.
#[derive(Serialize)]
struct LabbookMeta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    title: &'a str,
}

#[derive(Serialize)]
struct LanguageInfo {
    name: &'static str,
}

/// One cell: its text (the lesson's own where it is copied unchanged) and its kind.
struct Cell<'a> {
    code: bool,
    text: Cow<'a, str>,
    /// Its number in the notebook, from 1 (its id is `cell-<number>`).
    number: usize,
}

impl Serialize for Cell<'_> {
    /// `cell_type`, (`execution_count`), `id`, `metadata`, (`outputs`), `source`: nbformat
    /// 4.5's fields, in the order of their names.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("cell_type", if self.code { "code" } else { "markdown" })?;
        if self.code {
            map.serialize_entry("execution_count", &())?;
        }
        map.serialize_entry("id", &format_args!("cell-{}", self.number))?;
        map.serialize_entry("metadata", &Empty)?;
        if self.code {
            map.serialize_entry("outputs", &[(); 0])?;
        }
        map.serialize_entry("source", &Lines(&self.text))?;
        map.end()
    }
}

/// `{}`.
struct Empty;

impl Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?)
    }
}

/// A cell's `source`: its text as [`lines`].
struct Lines<'a>(&'a str);

impl Serialize for Lines<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(lines(self.0))
    }
}

#[derive(Default)]
struct Cells<'a> {
    list: Vec<Cell<'a>>,
}

impl<'a> Cells<'a> {
    fn push(&mut self, code: bool, text: Cow<'a, str>) {
        let number = self.list.len() + 1;
        self.list.push(Cell { code, text, number });
    }

    fn markdown(&mut self, text: impl Into<Cow<'a, str>>) {
        self.push(false, text.into());
    }

    fn code(&mut self, code: impl Into<Cow<'a, str>>) {
        let code = match code.into() {
            Cow::Borrowed(code) => Cow::Borrowed(code.trim_end_matches('\n')),
            Cow::Owned(mut code) => {
                code.truncate(code.trim_end_matches('\n').len());
                Cow::Owned(code)
            }
        };
        self.push(true, code);
    }
}

/// nbformat's multi-line string: a list of lines, each with its newline but the last.
fn lines(text: &str) -> std::str::SplitInclusive<'_, char> {
    text.split_inclusive('\n')
}

fn longest_backticks(code: &str) -> usize {
    code.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The exercise id of an `exercise` block's YAML body (`id: softmax`).
fn exercise_id(body: &str) -> Option<String> {
    body.lines().find_map(|l| l.trim().strip_prefix("id:")).map(|id| id.trim().trim_matches(['"', '\'']).to_string())
}

/// The cells of an exercise: its instructions, its data files, the starter (saved as the
/// entry file when run, so the check cell can run it), and the check cell.
fn exercise_cells(cells: &mut Cells<'_>, exercise: &Exercise) {
    cells.markdown(format!("### Exercise: {}\n\n{}", exercise.title, exercise.instructions.trim_end()));
    // The book's dataset splits the code loads are the runtime's (`tinyml.load_dataset`), not
    // files a notebook writes: the cell after the title names the datasets.
    let files: Vec<(&String, &FileContent)> =
        exercise.files.iter().filter(|(name, _)| !labbook_exercises::data::is_split_file(name)).collect();
    if !files.is_empty() {
        let mut code = String::from("# The exercise's data files.\nimport base64\n");
        for (name, content) in files {
            let data = base64_text(content.bytes());
            code.push_str(&format!(
                "with open({}, \"wb\") as f:\n    f.write(base64.b64decode({}))\n",
                py_string(name),
                py_string(&data)
            ));
        }
        cells.code(code);
    }
    cells.code(format!("%%writefile {}\n{}", exercise.entry, exercise.starter.trim_end_matches('\n')));
    let shown: Vec<Value> = exercise
        .checks
        .iter()
        // A `forbid` rule is checked on the parsed program by labbook's python runtime; the
        // notebook's checker runs plain Python and leaves it out.
        .filter(|c| !c.hidden && !matches!(c.kind, CheckKind::Forbid(_)))
        .map(|c| {
            let mut check = json!({"name": c.name});
            match &c.kind {
                CheckKind::Stdout(s) => check["stdout"] = json!(s),
                CheckKind::StdoutRegex(r) => check["stdout_regex"] = json!(r),
                CheckKind::StdoutNumbers { numbers, tolerance } => {
                    check["stdout_numbers"] = json!(numbers);
                    check["tolerance"] = json!(tolerance.unwrap_or(labbook_checks::DEFAULT_TOLERANCE));
                }
                CheckKind::Code(code) => check["code"] = json!(code),
                CheckKind::Forbid(_) => {}
            }
            check
        })
        .collect();
    let checks = serde_json::to_string(&Value::Array(shown)).expect("JSON serializes");
    cells.code(format!(
        "# Runs {entry} (the cell above) and the checks the page shows.\n{CHECKER}\nrun_checks({entry_lit}, {checks_lit}, seed={seed})",
        entry = exercise.entry,
        entry_lit = py_string(&exercise.entry),
        checks_lit = py_string(&checks),
        seed = exercise.seed,
    ));
}

fn base64_text(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A Python string literal of `text`: a JSON string is one (its escapes are Python's too).
fn py_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// The datasets `code` loads: labbook's bundled ones (`load_iris()`), Hugging Face datasets
/// (`load_dataset("name")`) and files read with `read_csv`/`open`.
fn datasets_in(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (call, what) in [("load_iris(", "iris (`tinyml.load_iris`)"), ("load_digits(", "digits (`tinyml.load_digits`)")]
    {
        if code.contains(call) {
            found.push(what.to_string());
        }
    }
    for call in ["load_dataset(", "read_csv(", "read_parquet("] {
        let mut rest = code;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            let arg = rest.trim_start();
            if let Some(quote) = arg.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(end) = arg[1..].find(quote) {
                    found.push(format!("`{}` (`{}…)`)", &arg[1..1 + end], call));
                }
            }
        }
    }
    found
}

fn datasets_note(datasets: &BTreeSet<String>) -> String {
    let mut text = String::from("**Data this lesson loads:**\n\n");
    for d in datasets {
        text.push_str(&format!("- {d}\n"));
    }
    if datasets.iter().any(|d| d.contains("tinyml")) {
        text.push_str(
            "\n`tinyml` is the module of the course's Python runtime (labbook), which bundles these \
             datasets; outside the course site, scikit-learn's `sklearn.datasets` has the same data.\n",
        );
    }
    text
}

/// `text` (a lesson's prose) with its links to other pages and files made absolute on the
/// published site (`base`, the site's address), so they work from Colab or a download; links
/// out of the site and anchors on the same page stay as written.
fn absolute_links(text: &str, page: &Page, site: &SiteIndex, base: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let parser = pulldown_cmark::Parser::new_ext(text, labbook_core::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        let (pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. })
        | pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. })) = event
        else {
            continue;
        };
        let dest = dest_url.to_string();
        if dest.is_empty()
            || dest.starts_with('#')
            || dest.contains("://")
            || dest.starts_with("mailto:")
            || dest.starts_with('/')
        {
            continue;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (dest.as_str(), None),
        };
        let target = page.rel.parent().unwrap_or(Path::new("")).join(path);
        let target = normalize(&target);
        let output = site.pages.get(&target).cloned().unwrap_or_else(|| labbook_core::content::to_slash(&target));
        let url = match anchor {
            Some(a) => format!("{base}/{output}#{a}"),
            None => format!("{base}/{output}"),
        };
        // The destination as written inside the link's source text.
        if let Some(at) = text[range.clone()].rfind(&dest) {
            let start = range.start + at;
            edits.push((start..start + dest.len(), url));
        }
    }
    let mut out = text.to_string();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    edits.dedup_by_key(|(r, _)| r.start);
    for (range, url) in edits {
        out.replace_range(range, &url);
    }
    out
}

/// `a/./b/../c` as `a/c`.
fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasets_are_found_in_code() {
        assert_eq!(
            datasets_in("X, y = load_iris()\nds = load_dataset(\"imdb\", split='train')\ndf = pd.read_csv('a.csv')"),
            vec![
                "iris (`tinyml.load_iris`)".to_string(),
                "`imdb` (`load_dataset(…)`)".to_string(),
                "`a.csv` (`read_csv(…)`)".to_string()
            ]
        );
    }

    #[test]
    fn lines_keep_their_newlines() {
        assert_eq!(lines("a\nb\n").collect::<Vec<_>>(), vec!["a\n", "b\n"]);
        assert_eq!(lines("a\nb").collect::<Vec<_>>(), vec!["a\n", "b"]);
        assert!(lines("").next().is_none());
    }
}
