//! labbook's notebooks feature: notebooks in and out, and lesson code that runs where it
//! stands.
//!
//! - In: a Jupyter notebook (`.ipynb`, nbformat 4) in the content folder is a page. It reads
//!   as Markdown (`page`: markdown cells as written, code cells as fenced blocks in the
//!   kernel's language, outputs as HTML), so it goes through the one transform, link check,
//!   theme, toc and search index like a `.md` page. Large images become files beside the
//!   page. `notebook` is the directive that ends such a page: it names the kernel and asks
//!   for `notebook.css`.
//! - Out: every lesson page with Python code or an exercise is also written as a notebook
//!   (`export`), linked from the page ("Download notebook", and "Open in Colab" / "Open in
//!   Studio Lab" with `book.yaml` `repository:`).
//! - Runnable lesson code (`runnable`): ```` ```python runnable ```` blocks run in the page
//!   with the exercise runtime, sharing state in order, and in `labbook test`.

mod ansi;
pub mod export;
pub mod lesson;
mod lines;
mod notebook;
mod page;
pub mod runnable;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use labbook_core::config::locate;
use labbook_core::content::Book;
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::escape::escape_html;
use labbook_core::feature::{
    Contribution, Feature, LoadContext, PageContext, PageLink, PageSource, RenderContext, TestReport, ThemeFiles,
};
use labbook_core::markdown::directive::{parse_body, Directive, DirectiveContext, DirectiveOutput};
use labbook_core::markdown::{Directives, SiteIndex};
use labbook_core::render::Theme;
use labbook_exercises::{RuntimeRequests, PYTHON};
use rayon::prelude::*;
use serde::Deserialize;

pub use page::INLINE_LIMIT;

/// The notebooks feature.
pub struct NotebooksFeature;

/// `book.yaml` `repository:`: where the site's notebooks are published on GitHub, for the
/// "Open in Colab" and "Open in Studio Lab" links.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Repository {
    /// `https://github.com/<owner>/<repo>`.
    pub url: String,
    /// The branch the built site (or its notebooks) is pushed to.
    pub branch: String,
    /// The folder of that branch holding the site, `""` for its root.
    #[serde(default)]
    pub path: String,
}

impl Repository {
    /// `<owner>/<repo>`, from the URL.
    fn slug(&self) -> &str {
        self.url.trim_start_matches("https://github.com/").trim_end_matches('/').trim_end_matches(".git")
    }

    /// The notebook `site_path` (`ml/softmax.ipynb`) as `<owner>/<repo>/blob/<branch>/<path>`.
    fn blob(&self, site_path: &str) -> String {
        let folder = self.path.trim_matches('/');
        let path = if folder.is_empty() { site_path.to_string() } else { format!("{folder}/{site_path}") };
        format!("{}/blob/{}/{path}", self.slug(), self.branch)
    }
}

/// The feature's loaded data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotebookSettings {
    /// `runnable: true`: every `python` block runs.
    pub runnable: bool,
    /// `repository:`.
    pub repository: Option<Repository>,
    /// The output paths of the pages written as notebooks too (lessons with Python code or
    /// an exercise, and notebook pages, whose own file is copied).
    pub exported: BTreeSet<String>,
}

/// The notebook path of a page's output path (`ml/a.html` -> `ml/a.ipynb`).
pub fn notebook_path(output: &str) -> String {
    format!("{}.ipynb", output.strip_suffix(".html").unwrap_or(output))
}

/// The book's notebook settings, borrowed: `page_links` asks for them on every page, and a
/// copy of `exported` per page made a 10,000-page book cost 10,000 times 10,000 paths.
fn settings(book: &Book) -> &NotebookSettings {
    static NONE: std::sync::OnceLock<NotebookSettings> = std::sync::OnceLock::new();
    book.data::<NotebookSettings>().unwrap_or_else(|| NONE.get_or_init(NotebookSettings::default))
}

/// The info strings of the fenced code blocks of a page's Markdown (a block shown inside
/// another, as in a guide, is not one).
fn fence_infos(body: &str) -> impl Iterator<Item = pulldown_cmark::CowStr<'_>> {
    pulldown_cmark::Parser::new_ext(body, labbook_core::markdown::options()).filter_map(|e| match e {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
            Some(info)
        }
        _ => None,
    })
}

/// Whether a page's Markdown has a block that makes it a lesson worth a notebook (a
/// `python` block or an exercise), and whether it has a runnable block ([`has_runnable`]).
fn code_and_runnable(body: &str, all: bool) -> (bool, bool) {
    // A block is runnable only with the word `runnable` in its info string, unless `all`:
    // without that word in the page, the scan may stop at the first code block. (Only a
    // numeric character reference, `&#114;`, could spell a letter of it otherwise: letters
    // have no named entity and no backslash escape.)
    let may_run = all || body.contains("runnable") || body.contains("&#");
    // Both answers need a block whose info string starts with `python` or `exercise`, so
    // a line that opens a fence and spells one of them (or holds a character reference,
    // `&#…;`; the only named entity that makes ASCII letters, `&fjlig;`, makes "fj"). A
    // page without such a line (most of a book that is not a course) is not parsed.
    let Some(end) = first_candidate_line_end(body) else {
        return (false, false);
    };
    // Markdown's blocks are found line by line, and no later line changes whether an
    // earlier one opens a fence or what its info string is: the body cut after that line
    // has the same blocks up to it. Most lessons are settled by their first such block
    // without parsing the rest of the page.
    if end < body.len() {
        if let (found, true) = scan_fences(&body[..end], all, may_run) {
            return found;
        }
    }
    scan_fences(body, all, may_run).0
}

/// The end of the first line of `body` that could open a fenced block whose info string
/// starts with `python` or `exercise` (see [`code_and_runnable`]), if there is one.
fn first_candidate_line_end(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut from = 0;
    // Only the lines with a run of three backticks or tildes are looked at.
    while let Some(at) = memchr::memchr2(b'`', b'~', &bytes[from..]).map(|i| from + i) {
        let fence = bytes[at];
        if !bytes[at..].starts_with(&[fence; 3]) {
            from = at + 1;
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let line = &body[start..end];
        if line.contains("python") || line.contains("exercise") || line.contains("&#") {
            return Some(end);
        }
        from = end;
    }
    None
}

/// [`code_and_runnable`]'s answers for the fenced blocks of `text`, and whether they are
/// settled: no later block could change them.
fn scan_fences(text: &str, all: bool, may_run: bool) -> ((bool, bool), bool) {
    let (mut code, mut runnable) = (false, false);
    for info in fence_infos(text) {
        let first = info.split([' ', ',', '{']).next().unwrap_or("");
        code |= first == "python" || first == "exercise";
        runnable |= lesson::is_runnable(&info, all);
        if code && (runnable || !may_run) {
            return ((code, runnable), true);
        }
    }
    ((code, runnable), false)
}

/// [`code_and_runnable`] of every page, on every core (rayon's pool: a core that another
/// process slows down takes fewer pages).
fn code_blocks(pages: &[labbook_core::content::Page], all: bool) -> Vec<(bool, bool)> {
    pages.par_iter().map(|p| code_and_runnable(&p.body, all)).collect()
}

/// Whether a page's Markdown has a runnable block (so the python runtime must be shipped).
pub(crate) fn has_runnable(body: &str, all: bool) -> bool {
    fence_infos(body).any(|info| lesson::is_runnable(&info, all))
}

/// The runnable lesson code's words (`notebook_*`) by language (`theme/i18n/<code>.yaml`), in the ten languages of the core's
/// theme; English is the fallback of every key.
const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

impl Feature for NotebooksFeature {
    fn name(&self) -> &'static str {
        "notebooks"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["runnable", "repository"]
    }

    /// Runs before the other features load, so `cx.pages` holds the book's own pages: those
    /// are the lessons written as notebooks.
    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        let runnable: bool = cx.section("runnable")?.unwrap_or(false);
        let repository: Option<Repository> = cx.section("repository")?;
        if let Some(repo) = &repository {
            let slug = repo.slug();
            if !repo.url.starts_with("https://github.com/") || slug.split('/').filter(|s| !s.is_empty()).count() != 2 {
                let (line, column) = locate(cx.config_text, &repo.url);
                return Err(Diagnostic::new(
                    "book.yaml",
                    line,
                    column,
                    format!(
                        "`repository.url`: `{}` is not a GitHub repository URL (https://github.com/<owner>/<repo>)",
                        repo.url
                    ),
                )
                .into());
            }
        }
        // Each page's Markdown parsed once, on every core: a 10,000-page book spent half a
        // second of its rebuild here.
        let blocks = code_blocks(cx.pages, runnable);
        let exported = cx
            .pages
            .iter()
            .zip(&blocks)
            .filter(|(p, (code, _))| p.rel.extension().is_some_and(|e| e == "ipynb") || *code)
            .map(|(p, _)| p.output.clone())
            .collect();
        if blocks.iter().any(|&(_, runnable)| runnable) {
            let mut requests = cx.data.get::<RuntimeRequests>().cloned().unwrap_or_default();
            requests.0.insert(PYTHON.to_string());
            cx.data.insert(requests);
        }
        cx.data.insert(NotebookSettings { runnable, repository, exported });
        Ok(())
    }

    fn stale_directives(&self, old: &Book, new: &Book) -> Vec<&'static str> {
        if settings(old).runnable == settings(new).runnable {
            Vec::new()
        } else {
            vec!["runnable"]
        }
    }

    fn reads_page(&self, _config: &labbook_core::config::BookConfig, rel: &Path) -> bool {
        rel.extension().is_some_and(|e| e == "ipynb")
    }

    fn read_page(&self, _cx: &PageContext, rel: &Path, display: &Path, text: &str) -> Result<PageSource, Diagnostic> {
        let nb = notebook::parse(display, text)?;
        let output = labbook_core::content::output_path(rel);
        let lines = lines::source_lines(text);
        let mut source = page::to_page(&nb, &output, lines.as_deref());
        // "Download notebook" gives the notebook itself, written beside its page.
        source.files.push(labbook_core::content::PageFile {
            output: notebook_path(&output),
            bytes: Arc::new(text.as_bytes().to_vec()),
        });
        Ok(source)
    }

    fn directives(&self, book: &Book, _site: &Arc<SiteIndex>, _theme: &Arc<Theme>, directives: &mut Directives) {
        directives.register(Arc::new(NotebookDirective));
        let runtime_asset = labbook_exercises::runtime::asset_path(&labbook_exercises::Runtime::python());
        directives.register_code_blocks(Arc::new(runnable::RunnableDirective {
            all: settings(book).runnable,
            runtime_asset,
            data: book.data::<labbook_exercises::RuntimeData>().cloned().unwrap_or_default(),
        }));
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: Vec::new(),
            statics: vec![
                ("notebook.css", include_bytes!("../theme/notebook.css")),
                ("runnable.js", include_bytes!("../theme/runnable.js")),
            ],
            strings: STRINGS.to_vec(),
        }
    }

    /// The notebooks, and the files notebook pages carry (images, attachments), which their
    /// Markdown may link.
    fn outputs(&self, book: &Book) -> Vec<String> {
        let mut outputs: Vec<String> = settings(book).exported.iter().map(|o| notebook_path(o)).collect();
        for page in book.pages.iter().filter(|p| p.rel.extension().is_some_and(|e| e == "ipynb")) {
            outputs.extend(page.files.iter().map(|f| f.output.clone()));
        }
        outputs
    }

    fn page_links(&self, book: &Book, i: usize) -> Vec<PageLink> {
        let settings = settings(book);
        let output = &book.pages[i].output;
        if !settings.exported.contains(output) {
            return Vec::new();
        }
        let path = notebook_path(output);
        let word = |key: &str| book.words.get(key).to_string();
        let mut links = vec![PageLink { label: word("notebook_download"), href: path.clone(), download: true }];
        if let Some(repo) = &settings.repository {
            let blob = repo.blob(&path);
            links.push(PageLink {
                label: word("notebook_open_colab"),
                href: format!("https://colab.research.google.com/github/{blob}"),
                download: false,
            });
            links.push(PageLink {
                label: word("notebook_open_studio_lab"),
                href: format!("https://studiolab.sagemaker.aws/import/github/{blob}"),
                download: false,
            });
        }
        links
    }

    /// Writes each lesson page as a notebook (a notebook page's own file is written with
    /// the page, as one of its files), and the dataset splits the runnable blocks load
    /// (`runtime/data/….js`), which their pages name, besides those the exercises' code loads,
    /// which the exercises feature writes.
    fn render(&self, cx: &RenderContext) -> Result<Contribution, Diagnostics> {
        let settings = settings(cx.book);
        let exercises = &labbook_exercises::exercises(cx.book).list;
        let is_directive = |name: &str| cx.directives.get(name).is_some();
        let base = cx.book.config.base_url.as_deref().map(|b| b.trim_end_matches('/').to_string());
        // On every core, each written as made: a 10,000-lesson book's notebooks are not
        // held at once.
        // A notebook is made from its page alone (and what the book's key covers: the
        // directives, exercises and base URL), so a rebuild links it from the previous site
        // when its page was reused.
        let write_notebook = |i: usize, page: &labbook_core::content::Page| -> Result<(), Diagnostic> {
            let url = base.as_ref().map(|b| format!("{b}/{}", page.output));
            let site = base.as_deref().map(|b| (cx.site.as_ref(), b));
            let made = cx.renderer.put_made_from(cx.sink, &notebook_path(&page.output), &[i], || {
                Ok(export::notebook(page, &is_directive, exercises, url.as_deref(), site)?)
            });
            // The export's own message as it was, or the sink's, naming the page.
            made.map_err(|e| match e.downcast::<Diagnostic>() {
                Ok(diagnostic) => diagnostic,
                Err(e) => Diagnostic::file(&page.display, format!("{e:#}")),
            })
        };
        // In page order, as a serial export would find them (rayon's collect keeps it).
        let mut errors: Vec<Diagnostic> = cx
            .book
            .pages
            .par_iter()
            .enumerate()
            .filter(|(_, page)| {
                settings.exported.contains(&page.output) && page.rel.extension().is_none_or(|e| e != "ipynb")
            })
            .filter_map(|(i, page)| write_notebook(i, page).err())
            .collect();
        match runnable::split_files(cx.book, settings.runnable, exercises) {
            Ok(splits) => {
                for file in splits {
                    if let Err(e) = cx.sink.put(file) {
                        errors.push(Diagnostic::file("", format!("{e:#}")));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        Ok(Contribution::default())
    }

    fn test(&self, book: &Book, started: Instant) -> anyhow::Result<Option<TestReport>> {
        let all = settings(book).runnable;
        let mut pages = Vec::new();
        // In a translation, its own pages (a page shown untranslated is the default's, tested there).
        let own = |page: &&labbook_core::content::Page| match &book.language {
            Some(l) if !l.is_default() => l.translation(&page.rel) != labbook_core::i18n::Translation::Fallback,
            _ => true,
        };
        for page in book.pages.iter().filter(own) {
            let blocks = runnable::runnable_blocks(page, all).map_err(|e| anyhow::anyhow!("{e}"))?;
            if !blocks.is_empty() {
                pages.push((page, blocks));
            }
        }
        if pages.is_empty() {
            return Ok(None);
        }
        let runtime = labbook_exercises::Runtime::python();
        let data = book.data::<labbook_exercises::RuntimeData>().cloned().unwrap_or_default();
        let mut text = String::new();
        let mut failed = false;
        let mut blocks = 0;
        for (page, list) in &pages {
            let verdict = runnable::test_page(&page.display.display().to_string(), list, &runtime, &data)?;
            blocks += verdict.blocks;
            if verdict.problems.is_empty() {
                text.push_str(&format!("ok    {}: {} runnable blocks\n", verdict.display, verdict.blocks));
            } else {
                failed = true;
                for problem in &verdict.problems {
                    text.push_str(&format!("FAIL  {}:{problem}\n", verdict.display));
                }
            }
        }
        text.push_str(&format!(
            "runnable blocks: {blocks} on {} page{}, {} ({:.1} s)\n",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            if failed { "FAILED" } else { "all ran" },
            started.elapsed().as_secs_f64()
        ));
        Ok(Some(TestReport { cases: blocks, text, failed }))
    }
}

/// The note that ends a notebook page (its kernel); it brings the outputs' style sheet.
struct NotebookDirective;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NotebookNote {
    kernel: String,
}

impl Directive for NotebookDirective {
    fn name(&self) -> &'static str {
        "notebook"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        let note: NotebookNote = parse_body(body, ctx, "notebook")?;
        Ok(format!(
            "<p class=\"nb-kernel\">This page is a Jupyter notebook (kernel: {}).</p>\n",
            escape_html(&note.kernel)
        ))
    }

    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let html = self.render(body, ctx).map_err(|e| vec![e])?;
        Ok(DirectiveOutput { html, styles: vec!["notebook.css".to_string()], ..Default::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_shown_inside_another_is_not_code() {
        let has_code = |body: &str| code_and_runnable(body, false).0;
        assert!(has_code("```python\nx = 1\n```\n"));
        assert!(has_code("~~~exercise\nid: a\n~~~\n"));
        assert!(!has_code("````markdown\n```python\nx = 1\n```\n````\n"));
        assert!(has_runnable("```python runnable\nx\n```\n", false));
        assert_eq!(code_and_runnable("```python\nx\n```\n\n```python runnable\ny\n```\n", false), (true, true));
        assert_eq!(code_and_runnable("```python\nx\n```\n", false), (true, false));
        assert_eq!(code_and_runnable("```python\nx\n```\n", true), (true, true));
        assert_eq!(code_and_runnable("```rust\nx\n```\n", true), (false, false));
        // The first code block ends the scan only when no later one can be runnable.
        assert_eq!(code_and_runnable("```python\nx\n```\n\n```python &#114;unnable\ny\n```\n", false), (true, true));
        assert_eq!(code_and_runnable("```python\nx\n```\n\n```python\ny\n```\n", false), (true, false));
        assert!(!has_runnable("````md\n```python runnable\nx\n```\n````\n", true));
        assert!(has_runnable("```python\nx\n```\n", true));
    }

    #[test]
    fn the_scan_that_stops_early_agrees_with_the_whole_page() {
        // Pieces that open, hide or shadow fences, joined in every order a small generator
        // makes: the answer from the cut page must be the whole page's.
        const PIECES: &[&str] = &[
            "Some prose about python and an exercise.\n\n",
            "```python\nx = 1\n```\n\n",
            "```python runnable\nx = 2\n```\n\n",
            "```rust\nfn main() {}\n```\n\n",
            "~~~exercise\nid: a\n~~~\n\n",
            "````markdown\n```python\nshown = 1\n```\n````\n\n",
            "> ```python\n> quoted = 1\n> ```\n\n",
            "- item\n\n  ```python\n  listed = 1\n  ```\n\n",
            "    ```python\n    indented = 1\n    ```\n\n",
            "<div>\n```python\nin_html = 1\n```\n</div>\n\n",
            "<!--\n```python\n-->\n\n",
            "``` p&#121;thon\nspelled = 1\n```\n\n",
            "```python &#114;unnable\nspelled = 2\n```\n\n",
            "Inline ```python``` in a sentence.\n\n",
            "[ref]: /url \"title\n```python\nafter = 1\n```\n\n",
            "| a | b |\n|---|---|\n| ```python | x |\n\n",
            "```python\r\ncrlf = 1\r\n```\r\n\r\n",
            "```python\runclosed = 1\r",
            "```\nplain\n```\n\n",
            "````\nunclosed outer\n",
            "[^note]: a footnote\n    ```python\n    in_note = 1\n    ```\n\n",
            "> [!NOTE]\n> ```exercise\n> id: b\n> ```\n\n",
        ];
        for (case, pieces) in labbook_core::testing::random_pieces(PIECES, 7, 4000).into_iter().enumerate() {
            let body = pieces.concat();
            let all = case % 2 == 0;
            let may_run = all || body.contains("runnable") || body.contains("&#");
            let whole = scan_fences(&body, all, may_run).0;
            assert_eq!(code_and_runnable(&body, all), whole, "all: {all}, body: {body:?}");
        }
    }

    #[test]
    fn colab_links_name_the_published_notebook() {
        let repo = Repository {
            url: "https://github.com/me/course.git".into(),
            branch: "gh-pages".into(),
            path: "/site/".into(),
        };
        assert_eq!(repo.blob("ml/a.ipynb"), "me/course/blob/gh-pages/site/ml/a.ipynb");
    }
}
