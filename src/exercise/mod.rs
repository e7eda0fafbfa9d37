//! Runnable exercises: loading `exercises/<id>/exercise.yaml` ([`spec`]), the runtimes and
//! their browser asset ([`runtime`]), the wasmtime sandbox ([`sandbox`]), running and
//! checking ([`checks`]), the page directive ([`directive`]) and the `test`, `run` and
//! `grade` commands ([`drive`]).

pub mod checks;
pub mod directive;
pub mod drive;
pub mod runtime;
pub mod sandbox;
pub mod spec;

pub use checks::{run_exercise, CheckResult, RunError, RunResult};
pub use runtime::Runtime;
pub use spec::{Check, CheckKind, Exercise, FileContent, Limits, ShowSolution, PYTHON};

use std::collections::BTreeMap;

use crate::content::Book;
use crate::output::OutFile;
use crate::search::{Kind, SearchDoc};

/// The runtime asset of every runtime the book's exercises use.
pub fn runtime_files(book: &Book) -> Vec<OutFile> {
    book.runtimes.values().map(|r| OutFile::bytes(&runtime::asset_path(r), runtime::asset_text(r).as_bytes())).collect()
}

/// The runtimes the exercises use: `python` when any exercise does, and the `book.yaml`
/// ones that any exercise names (others are not shipped). `python` is shipped too when an
/// exercise on another runtime has checks: the browser grades that runtime's output with it.
pub fn used_runtimes(exercises: &[Exercise], declared: BTreeMap<String, Runtime>) -> BTreeMap<String, Runtime> {
    let mut used = BTreeMap::new();
    if exercises.iter().any(|e| e.runtime == PYTHON || !e.checks.is_empty()) {
        used.insert(PYTHON.to_string(), Runtime::python());
    }
    for (name, runtime) in declared {
        if exercises.iter().any(|e| e.runtime == name) {
            used.insert(name, runtime);
        }
    }
    used
}

/// Search records for the exercises placed in pages: the section's URL, the exercise's
/// title and its instructions. `pages` pairs each page's output path with its rendered HTML.
pub fn search_docs<'a>(book: &Book, pages: &[(&str, &str)], instructions: &'a [String]) -> Vec<SearchDoc<'a>> {
    let mut docs = Vec::new();
    for (exercise, html) in book.exercises.iter().zip(instructions) {
        let marker = format!("data-exercise=\"{}\"", exercise.id);
        if let Some((output, _)) = pages.iter().find(|(_, page)| page.contains(&marker)) {
            docs.push(SearchDoc {
                url: format!("{output}#exercise-{}", exercise.id),
                title: exercise.title.clone(),
                breadcrumb: Vec::new(),
                kind: Kind::Exercise,
                tags: Vec::new(),
                html,
            });
        }
    }
    docs
}

/// Each exercise's instructions as HTML, in the order of `book.exercises` (search text).
pub fn instructions_html(book: &Book) -> Vec<String> {
    book.exercises.iter().map(|e| crate::markdown::render_fragment(&e.instructions)).collect()
}
