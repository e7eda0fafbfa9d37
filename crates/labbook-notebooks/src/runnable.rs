//! Runnable lesson code: a ```` ```python runnable ```` block (every `python` block with
//! `book.yaml` `runnable: true`) gets a Run button that runs it in the page with the
//! exercise runtime, and `labbook test` runs a page's runnable blocks in order.
//!
//! Blocks on a page share state like a notebook's cells: a block runs after the blocks that
//! ran before it, replayed in the order they ran, in one program ([`program`]): the runtime
//! starts fresh each run, so the state is the history, and a marker line printed between the
//! blocks splits the output. `runnable.js` builds the same program in the browser.
//!
//! With JavaScript off the block is the ordinary highlighted code the Markdown stage writes.

use labbook_core::diagnostic::Diagnostic;
use labbook_core::escape::escape_html;
use labbook_core::markdown::directive::{Directive, DirectiveContext, DirectiveOutput};
use labbook_core::markdown::{highlight, relative_url};
use labbook_exercises::{Exercise, Limits, RunResult, Runtime, RuntimeData, ShowSolution};

use crate::lesson::{self, CodeBlock, Part};

/// The line printed between two blocks of one program (without its newline); the output
/// after the last one belongs to the block that was run. `runnable.js` has the same text.
pub const MARKER: &str = "\u{1e}labbook-block\u{1e}";

/// The limits of one run of runnable blocks (the blocks before it replayed included).
pub const LIMITS: Limits = Limits { time_ms: 10_000, memory_bytes: 256 << 20, output_bytes: 256 << 10 };

/// The program that runs `blocks` in order in one interpreter, a marker line printed
/// between each two; and the first line of each block in it.
pub fn program(blocks: &[&str]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    let mut line = 1;
    for (k, block) in blocks.iter().enumerate() {
        if k > 0 {
            text.push_str("print(\"\\x1elabbook-block\\x1e\")\n");
            line += 1;
        }
        starts.push(line);
        let block = block.trim_end_matches('\n');
        text.push_str(block);
        text.push('\n');
        line += block.lines().count().max(1);
    }
    (text, starts)
}

/// The `runnable` directive: takes the runnable `python` blocks.
pub struct RunnableDirective {
    /// Every `python` block runs (`runnable: true`).
    pub all: bool,
    /// The python runtime's asset (site path).
    pub runtime_asset: String,
    /// The book's dataset splits (`tinyml.load_dataset`): a block that names some carries
    /// them, and `runnable.js` sends them with the program.
    pub data: RuntimeData,
}

impl Directive for RunnableDirective {
    fn name(&self) -> &'static str {
        "runnable"
    }

    fn render(&self, body: &str, _ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        Ok(highlight::global().highlight(body, "python"))
    }

    fn takes_code_block(&self, info: &str) -> bool {
        lesson::is_runnable(info, self.all)
    }

    fn render_code_block(
        &self,
        _info: &str,
        code: &str,
        ctx: &DirectiveContext,
    ) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        // The splits the block loads are named (`runtime/data/….js`, written by the feature's
        // `render`), not carried: runnable.js sends them with every run of the page.
        let files =
            labbook_exercises::data::files_json(code, &self.data, ctx.output).map_err(|(line, column, message)| {
                vec![Diagnostic::new(ctx.display, ctx.body_line + line - 1, column, message)]
            })?;
        // Inside <script>, `</` would end the element: every `<` is a JSON escape.
        let files = files
            .map(|(json, _)| {
                format!(
                    "<script type=\"application/json\" class=\"lb-runnable-files\">{}</script>",
                    json.replace('<', "\\u003c")
                )
            })
            .unwrap_or_default();
        let html = format!(
            "<div class=\"lb-runnable\" data-runtime-src=\"{}\">{}{files}</div>\n",
            escape_html(&relative_url(ctx.output, &self.runtime_asset)),
            highlight::global().highlight(code, "python"),
        );
        Ok(DirectiveOutput {
            html,
            scripts: vec!["exercise.js".to_string(), "runnable.js".to_string()],
            styles: vec!["notebook.css".to_string(), highlight::STYLE.to_string()],
            ..Default::default()
        })
    }
}

/// The scripts of the dataset splits the book's runnable blocks load
/// ([`labbook_exercises::data::split_script`]), each once, leaving out those the exercises'
/// code loads (`exercises`), which the exercises feature writes.
pub fn split_files(
    book: &labbook_core::content::Book,
    all: bool,
    exercises: &[Exercise],
) -> Result<Vec<labbook_core::output::OutFile>, Diagnostic> {
    let data = book.data::<RuntimeData>().cloned().unwrap_or_default();
    if data.datasets.is_empty() {
        return Ok(Vec::new());
    }
    let written = labbook_exercises::split_files(exercises);
    let mut needed = std::collections::BTreeMap::new();
    for page in &book.pages {
        if !crate::has_runnable(&page.body, all) {
            continue;
        }
        for block in runnable_blocks(page, all)? {
            let files = labbook_exercises::data::files_for(&block.code, &data).map_err(|(line, column, message)| {
                Diagnostic::new(&page.display, block.line + line, column, message)
            })?;
            for split in files.into_values() {
                let asset = split.asset();
                if !written.contains_key(asset.as_str()) {
                    needed.entry(asset).or_insert(split);
                }
            }
        }
    }
    Ok(needed
        .into_iter()
        .map(|(asset, split)| {
            let text = labbook_exercises::data::split_script(&asset, &(split.split.json)());
            labbook_core::output::OutFile::bytes(&asset, text)
        })
        .collect())
}

/// What running a page's runnable blocks in `labbook test` found.
#[derive(Debug)]
pub struct PageVerdict {
    /// The page's file, as messages name it.
    pub display: String,
    /// How many blocks ran.
    pub blocks: usize,
    /// Problems, each starting with its block's line (`12: the block raised ...`), or with no
    /// line for the page's run as a whole.
    pub problems: Vec<String>,
}

/// The runnable blocks of `page` (its includes expanded). Directive blocks are never
/// `python` blocks, so they need not be told apart here.
pub fn runnable_blocks(page: &labbook_core::content::Page, all: bool) -> Result<Vec<CodeBlock>, Diagnostic> {
    Ok(lesson::parts(page, &|_| false)?
        .into_iter()
        .filter_map(|p| match p {
            Part::Code(block) if lesson::is_runnable(&block.info, all) => Some(block),
            _ => None,
        })
        .collect())
}

/// Runs the runnable blocks of page `display` in order in `runtime`, as the page runs them
/// after "Run all above": one program, each block's output checked against its `# expect:`
/// lines, an exception a failure at its block's line. The dataset splits the blocks name are
/// sent with the program, as the page sends them.
pub fn test_page(
    display: &str,
    blocks: &[CodeBlock],
    runtime: &Runtime,
    data: &RuntimeData,
) -> anyhow::Result<PageVerdict> {
    let codes: Vec<&str> = blocks.iter().map(|b| b.code.as_str()).collect();
    let (code, starts) = program(&codes);
    let mut exercise = exercise();
    for block in blocks {
        let files = labbook_exercises::data::files_for(&block.code, data).map_err(|(line, column, message)| {
            anyhow::anyhow!("{display}:{}:{column}: {message}", block.line + line)
        })?;
        for (name, needed) in files {
            exercise.files.insert(name, labbook_exercises::FileContent::Text((needed.split.json)()));
        }
    }
    let result = labbook_exercises::run_exercise(&exercise, runtime, &code)?;
    Ok(PageVerdict { display: display.to_string(), blocks: blocks.len(), problems: problems(blocks, &starts, &result) })
}

/// The problems of one run of a page's blocks.
fn problems(blocks: &[CodeBlock], starts: &[usize], result: &RunResult) -> Vec<String> {
    let mut problems = Vec::new();
    let outputs: Vec<&str> = split_output(&result.stdout);
    // The block an exception was raised in, from its line in the program.
    let failed = result.error.as_ref().map(|e| {
        let line = e.line.unwrap_or(1) as usize;
        let k = starts.partition_point(|&s| s <= line).saturating_sub(1);
        (k, line + 1 - starts[k], e)
    });
    for (k, block) in blocks.iter().enumerate() {
        if let Some((f, line, e)) = failed {
            if k == f {
                problems.push(format!(
                    "{}: the block raised {}: {} (line {line} of the block)",
                    block.line, e.kind, e.message
                ));
                break;
            }
        }
        if let Some(expected) = lesson::expected_output(&block.code) {
            let got = outputs.get(k).copied().unwrap_or("");
            if let Err(why) = labbook_checks::exact(got, &expected, false) {
                problems.push(format!("{}: the block's output is not its `# expect:` lines: {why}", block.line));
            }
        }
    }
    if let Some(stopped) = &result.stopped {
        problems.push(format!("{}: the blocks were stopped: {stopped}", blocks.first().map_or(1, |b| b.line)));
    }
    if result.truncated {
        problems
            .push(format!("{}: the blocks' output was cut at the output limit", blocks.first().map_or(1, |b| b.line)));
    }
    problems
}

/// Each block's output, in order, from a program's stdout.
pub fn split_output(stdout: &str) -> Vec<&str> {
    stdout.split(&format!("{MARKER}\n")).collect()
}

/// The exercise shape the runtime takes: no checks, the runnable limits.
fn exercise() -> Exercise {
    Exercise {
        id: "runnable".into(),
        display: Default::default(),
        title: "runnable blocks".into(),
        runtime: labbook_exercises::PYTHON.into(),
        instructions: String::new(),
        starter: String::new(),
        solution: String::new(),
        entry: "main.py".into(),
        files: Default::default(),
        checks: Vec::new(),
        hints: Vec::new(),
        limits: LIMITS,
        starter_fails: false,
        show_solution: ShowSolution::Never,
        seed: 0,
        points: 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_separates_blocks_with_a_marker() {
        let (text, starts) = program(&["x = 1\n", "y = x + 1\nprint(y)\n", "print(x)"]);
        assert_eq!(
            text,
            "x = 1\nprint(\"\\x1elabbook-block\\x1e\")\ny = x + 1\nprint(y)\nprint(\"\\x1elabbook-block\\x1e\")\nprint(x)\n"
        );
        assert_eq!(starts, vec![1, 3, 6]);
        assert_eq!(
            split_output("\u{1e}labbook-block\u{1e}\n2\n\u{1e}labbook-block\u{1e}\n1\n"),
            vec!["", "2\n", "1\n"]
        );
    }
}
