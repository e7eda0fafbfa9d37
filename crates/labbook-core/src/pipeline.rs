//! The whole build, stage by stage: load, transform, assemble, render, write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use crate::content::{self, Book};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::highlight_cache::HighlightCache;
use crate::markdown::{self, Directives, PageInput, Rendered, SiteIndex};
use crate::output::{self, OutFile};
use crate::render::{self, Theme};

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The book root.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Minify HTML.
    pub minify: bool,
    /// Reuse highlighted code from the previous build (`<root>/.labbook-cache/`).
    pub cache: bool,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Wall time.
    pub seconds: f64,
}

/// Builds the book into its output folder. Source problems come back as [`Diagnostics`]
/// inside the error; the previous output is untouched unless the build succeeds.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    output::check_writable(&options.out)?;
    let book = content::load_book(&options.root)?;
    for warning in book.api.warnings.iter().chain(book.models.cards.iter().flat_map(|c| &c.warnings)) {
        eprintln!("warning: {warning}");
    }
    stage("load", start);
    let cache = options.cache.then(|| Arc::new(HighlightCache::open(&options.root)));
    if let Some(cache) = &cache {
        cache.activate();
    }
    let files = render_book(&book);
    HighlightCache::deactivate();
    let files = files?;
    let written = Instant::now();
    output::write_site(&options.out, &files, options.minify)?;
    stage("write", written);
    if let Some(cache) = cache {
        let (hits, misses) = cache.stats();
        if std::env::var_os("LABBOOK_TIMINGS").is_some() {
            eprintln!("highlight cache: {hits} blocks reused, {misses} highlighted");
        }
        // The site is written; a cache that cannot be saved only costs the next build time.
        if let Err(e) = cache.save() {
            eprintln!("warning: {e:#}");
        }
    }
    Ok(BuildReport { pages: book.pages.len(), files: files.len(), seconds: start.elapsed().as_secs_f64() })
}

/// Transforms, checks and renders a loaded book into the site's files.
pub fn render_book(book: &Book) -> Result<Vec<OutFile>, Diagnostics> {
    let start = Instant::now();
    let theme = Theme::load(&book.root, book.config.theme.as_deref())?;
    let rendered = transform(book)?;
    for warning in rendered.iter().flat_map(|r| &r.warnings) {
        eprintln!("warning: {warning}");
    }
    stage("transform", start);
    let start = Instant::now();
    let model_outputs = crate::modelcard::page::outputs(book);
    let mut generated = vec!["print.html", "404.html", "index.html", "sitemap.xml"];
    generated.extend(model_outputs.iter().map(String::as_str));
    let errors = crate::assemble::check_links(book, &rendered, &generated);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    stage("assemble", start);
    let start = Instant::now();
    let mut files = render::render_site(book, &rendered, &theme)?;
    files.extend(crate::exercise::runtime_files(book));
    // Model pages come after the runtimes so that the "Try it" widget can find the runtime
    // script (`runtime/python.<hash>.js`) among the files already made.
    let runtime_src = files
        .iter()
        .map(|f| f.path.as_str())
        .find(|p| p.starts_with("runtime/python.") && p.ends_with(".js"))
        .map(String::from);
    let models =
        crate::modelcard::page::model_site(book, &theme, &site_index(book), &rendered, runtime_src.as_deref())?;
    files.extend(models.files);
    stage("render", start);
    let start = Instant::now();
    let mut docs = crate::search::book_docs(book, &rendered);
    docs.extend(models.docs.iter().map(|d| d.as_search_doc()));
    let instructions = crate::exercise::instructions_html(book);
    let pages: Vec<(&str, &str)> =
        book.pages.iter().zip(&rendered).map(|(p, r)| (p.output.as_str(), r.html.as_str())).collect();
    docs.extend(crate::exercise::search_docs(book, &pages, &instructions));
    files.extend(crate::search::index_files(book, &docs));
    stage("search", start);
    let content_root = book.root.join(&book.config.content_dir);
    files.extend(book.assets.iter().map(|a| OutFile::copy(&content::to_slash(a), content_root.join(a))));
    Ok(files)
}

/// The Markdown stage for one page.
pub fn transform_page(
    page: &content::Page,
    site: &SiteIndex,
    directives: &Directives,
) -> Result<Rendered, Vec<Diagnostic>> {
    let input = PageInput {
        rel: &page.rel,
        display: &page.display,
        abs: &page.abs,
        output: &page.output,
        body: &page.body,
        body_line: page.body_line,
    };
    markdown::render_page(&input, site, directives)
}

/// Source path -> output path of every page the Markdown stage can link to: the book's
/// pages and its model cards.
pub fn site_index(book: &Book) -> SiteIndex {
    SiteIndex::for_book(book)
}

/// Renders every page's Markdown in parallel; all pages' problems are returned together.
pub fn transform(book: &Book) -> Result<Vec<Rendered>, Diagnostics> {
    let site = site_index(book);
    let directives = Directives::for_book(book);
    let results: Vec<Result<Rendered, Vec<Diagnostic>>> =
        book.pages.par_iter().map(|page| transform_page(page, &site, &directives)).collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(r) => rendered.push(r),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(Diagnostics(errors))
    }
}

/// With `LABBOOK_TIMINGS=1`, prints how long a stage took (for profiling builds).
fn stage(name: &str, since: Instant) {
    if std::env::var_os("LABBOOK_TIMINGS").is_some() {
        eprintln!("{name:>10}: {:>7.1} ms", since.elapsed().as_secs_f64() * 1000.0);
    }
}

/// Deletes the output folder if labbook wrote it.
pub fn clean(out: &Path) -> Result<bool> {
    if !out.exists() {
        return Ok(false);
    }
    output::remove_owned(out)?;
    Ok(true)
}
