//! The whole build, stage by stage: load, transform, assemble, render, write. `build` runs
//! [`render_book`] once; `serve` runs the same functions ([`transform_page`],
//! [`link_targets`], [`site_wide_files`]) on the pages a change touches.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use crate::content::{self, Book};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::feature::{Features, RenderContext};
use crate::markdown::highlight_cache::HighlightCache;
use crate::markdown::{self, Directives, PageInput, Rendered, SiteIndex};
use crate::output::{self, OutFile};
use crate::page_cache::{BookKeys, PageCache};
use crate::render::{self, SiteRenderer, Theme};

/// The pages the render stage makes for every book besides its own (`index.html` only when
/// the book has no index page); links may point at them.
pub const SITE_PAGES: &[&str] = &[
    "print.html",
    "404.html",
    "index.html",
    "sitemap.xml",
    crate::render::PROGRESS_PAGE,
    crate::render::PROGRESS_INDEX,
    crate::render::HANDIN_PAGE,
];

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
    /// The features to build with.
    pub features: Features,
    /// Every warning is an error (`--strict`).
    pub strict: bool,
    /// The edition to write (`--edition`); `None` keeps `book.yaml`'s `edition:`.
    pub edition: Option<crate::config::Edition>,
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
    // Loading the grammars takes tens of milliseconds of one core: do it while the book
    // loads, so the first code block does not wait for it.
    std::thread::spawn(|| {
        markdown::highlight::global();
    });
    // The theme needs only the book's settings: its templates are parsed while the pages
    // load, rather than on one core after them.
    let (books, theme) = std::thread::scope(|scope| {
        let theme = scope.spawn(|| ThemeAhead::parse(&options.root, &options.features));
        let books = content::load_books_as(&options.root, &options.features, options.edition);
        // The pages are loaded before the templates are parsed: meanwhile, this core readies
        // the grammars the pages' code uses, which the transform would otherwise wait for.
        if let Some(book) = books.as_ref().ok().and_then(|b| b.first()) {
            markdown::highlight::warm(book.pages.iter().map(|p| p.body.as_str()), || theme.is_finished());
        }
        (books, theme.join())
    });
    let books = books?;
    // A theme that could not be parsed ahead (a panic) is parsed again when it is needed.
    let theme = theme.ok().flatten();
    stage("load", start);
    let cache = options.cache.then(|| Arc::new(HighlightCache::open(&options.root)));
    if let Some(cache) = &cache {
        cache.activate();
    }
    let pages_cache = options.cache.then(|| PageCache::open(&options.root, &options.out));
    // Files are written as they are made, so no stage holds the whole site in memory.
    let staging = output::Staging::begin(&options.out, options.minify)?;
    let counted = Counted { inner: &staging, files: Default::default() };
    let made = render_site_reusing(&books, options.strict, &counted, pages_cache.as_ref(), theme);
    HighlightCache::deactivate();
    made?;
    let files = counted.files.into_inner();
    let written = Instant::now();
    staging.finish()?;
    stage("swap", written);
    if let Some(pages_cache) = pages_cache {
        if timings() {
            let (reused, linked) = pages_cache.stats();
            eprintln!("page cache: {reused} pages reused, {linked} page files linked");
        }
        if let Err(e) = pages_cache.save() {
            eprintln!("warning: {e:#}");
        }
    }
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
    let pages = books.iter().map(|b| b.pages.len()).sum();
    drop_aside(books);
    Ok(BuildReport { pages, files, seconds: start.elapsed().as_secs_f64() })
}

/// Drops `value` on a thread of its own: what a build made is freed while the caller goes
/// on (a command-line build exits without waiting for it).
fn drop_aside<T: Send + 'static>(value: T) {
    // Without a thread to spare, `spawn` drops the closure, and `value` with it, here.
    let _ = std::thread::Builder::new().name("drop".into()).spawn(move || drop(value));
}

/// The whole site of a loaded book: one book's files as [`render_book_with`] makes them, or
/// for a translated book (one [`Book`] per language, from [`content::load_books`]) each
/// language's site under `<code>/`, with the root page that picks the reader's language and
/// the index of the languages' sitemaps.
pub fn render_site(books: &[Book], strict: bool) -> Result<Vec<OutFile>, Diagnostics> {
    let files = output::Collect::default();
    render_site_into(books, strict, &files).map_err(into_diagnostics)?;
    Ok(files.into_files())
}

/// [`render_site`], each file given to `sink` as soon as it is made.
pub fn render_site_into(books: &[Book], strict: bool, sink: &dyn output::Sink) -> Result<()> {
    render_site_reusing(books, strict, sink, None, None)
}

/// A theme parsed before its book was loaded, from the book's settings: the theme of the
/// book built first (a translated book's default language).
struct ThemeAhead {
    /// The theme folder's name it was parsed for (`theme:`).
    name: Option<String>,
    /// The language it was parsed for.
    language: String,
    /// The theme, or why it could not be parsed, reported as [`Theme::for_book`] reports it.
    theme: Result<Theme, Diagnostic>,
}

impl ThemeAhead {
    /// The theme of the book at `root` built first; `None` when its settings cannot be read
    /// (the book's load reports why).
    fn parse(root: &Path, features: &Features) -> Option<ThemeAhead> {
        let (config, _) = content::load_config(root, features).ok()?;
        let language = config.default_language().map_or(&config.language, |l| &l.code).clone();
        let theme = Theme::load_in(root, config.theme.as_deref(), features, &language);
        Some(ThemeAhead { name: config.theme, language, theme })
    }

    /// The theme for `book`: this one if it was parsed for the book's theme and language,
    /// else the book's own, parsed now.
    fn for_book(ahead: Option<ThemeAhead>, book: &Book) -> Result<Theme, Diagnostic> {
        match ahead.filter(|a| a.name == book.config.theme && a.language == book.config.language) {
            Some(ahead) => ahead.theme,
            None => Theme::for_book(book),
        }
    }
}

/// [`render_site_into`], reusing the pages of previous builds that `cache` holds, and the
/// theme parsed `ahead` for the first book.
fn render_site_reusing(
    books: &[Book],
    strict: bool,
    sink: &dyn output::Sink,
    cache: Option<&PageCache>,
    mut ahead: Option<ThemeAhead>,
) -> Result<()> {
    let Some(default) = books.first().and_then(|b| b.language.as_ref()) else {
        return match books {
            [book] => render_book_reusing(book, strict, sink, cache, ahead),
            _ => Ok(()),
        };
    };
    let config = &books[0].config;
    let root_404 = std::sync::Mutex::new(None);
    for book in books {
        let code = &book.language.as_ref().expect("every language's book has its language").current.code;
        let keep_404 = code == &default.default.code && config.base_url().is_some();
        let prefixed = Prefixed { inner: sink, prefix: code, keep_404: keep_404.then_some(&root_404) };
        render_book_reusing(book, strict, &prefixed, cache, ahead.take())?;
    }
    sink.put(OutFile::bytes(
        "index.html",
        crate::i18n::chooser_page(&config.title, &default.all, &default.default.code),
    ))?;
    // Absolute addresses only: a sitemap of relative ones is no use to a crawler.
    if let Some(base) = config.base_url() {
        // Each language's base is `<base>/<code>/`.
        let base = base.strip_suffix(&format!("{}/", default.current.code)).unwrap_or(&base).to_string();
        sink.put(OutFile::bytes("sitemap.xml", crate::i18n::sitemap_index(&base, &default.all)))?;
        // A host serves the root 404.html for any missing address; the default language's
        // links start from the site's path, so it works there too.
        if let Some(content) = root_404.into_inner().unwrap_or_else(|e| e.into_inner()) {
            sink.put(OutFile { path: "404.html".into(), content })?;
        }
    }
    Ok(())
}

/// A language's files, put under `<prefix>/`; the language's `404.html` is kept aside too
/// when `keep_404` is given (the default language's, for the site's root).
struct Prefixed<'a> {
    inner: &'a dyn output::Sink,
    prefix: &'a str,
    keep_404: Option<&'a std::sync::Mutex<Option<output::OutContent>>>,
}

impl output::Sink for Prefixed<'_> {
    fn put(&self, mut file: OutFile) -> Result<()> {
        if let Some(keep) = self.keep_404.filter(|_| file.path == "404.html") {
            *keep.lock().unwrap_or_else(|e| e.into_inner()) = Some(file.content.clone());
        }
        file.path = format!("{}/{}", self.prefix, file.path);
        self.inner.put(file)
    }

    fn put_previous(&self, path: &str, len: u64, hash: u128) -> Result<bool> {
        self.inner.put_previous(&format!("{}/{path}", self.prefix), len, hash)
    }
}

/// A sink that counts the files it passes on, for the build's summary line.
struct Counted<'a> {
    inner: &'a dyn output::Sink,
    files: std::sync::atomic::AtomicUsize,
}

impl output::Sink for Counted<'_> {
    fn put(&self, file: OutFile) -> Result<()> {
        self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.inner.put(file)
    }

    fn put_previous(&self, path: &str, len: u64, hash: u128) -> Result<bool> {
        let put = self.inner.put_previous(path, len, hash)?;
        if put {
            self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(put)
    }
}

/// The source problems inside an error of a `*_into` function whose sink cannot fail.
fn into_diagnostics(e: anyhow::Error) -> Diagnostics {
    match e.downcast::<Diagnostics>() {
        Ok(d) => d,
        Err(e) => match e.downcast::<Diagnostic>() {
            Ok(d) => d.into(),
            Err(e) => Diagnostic::file("", format!("{e:#}")).into(),
        },
    }
}

/// Transforms, checks and renders a loaded book into the site's files; warnings are printed.
pub fn render_book(book: &Book) -> Result<Vec<OutFile>, Diagnostics> {
    render_book_with(book, false)
}

/// [`render_book`]; with `strict`, any warning fails the build (they are all returned as
/// errors).
pub fn render_book_with(book: &Book, strict: bool) -> Result<Vec<OutFile>, Diagnostics> {
    let files = output::Collect::default();
    render_book_into(book, strict, &files).map_err(into_diagnostics)?;
    Ok(files.into_files())
}

/// [`render_book_with`], each file given to `sink` as soon as it is made: a page as soon as
/// it is rendered, while the others still are.
pub fn render_book_into(book: &Book, strict: bool, sink: &dyn output::Sink) -> Result<()> {
    render_book_reusing(book, strict, sink, None, None)
}

/// [`render_book_into`], reusing what `cache` holds of the pages of previous builds: a page
/// whose inputs are unchanged is not transformed again, and its file, when the previous site
/// still holds it, is linked rather than rendered. The theme parsed `ahead` is used when it
/// is this book's.
fn render_book_reusing(
    book: &Book,
    strict: bool,
    sink: &dyn output::Sink,
    cache: Option<&PageCache>,
    ahead: Option<ThemeAhead>,
) -> Result<()> {
    let start = Instant::now();
    let keys = cache.map(|c| c.keys(book));
    let mut warnings: Vec<Diagnostic> = book.warnings.clone();
    warnings.extend(book.pages.iter().flat_map(|p| p.warnings.iter().cloned()));
    // Features' warnings name their place in their text.
    warnings.extend(book.features.iter().flat_map(|f| f.warnings(book)).map(|w| Diagnostic::file("", w)));
    let theme = Arc::new(ThemeAhead::for_book(ahead, book)?);
    stage("    theme", start);
    // The renderer (the sidebar, the theme's minified assets) needs no page: made beside the
    // transform, on the core the transform's first pages leave idle while grammars load.
    let (rendered, renderer) =
        rayon::join(|| transform_reusing(book, &theme, keys.as_ref()), || SiteRenderer::new(book, &theme));
    let mut rendered = rendered?;
    // What later stages keep of each page for print.html and search: no spare capacity.
    rendered.par_iter_mut().for_each(|r| r.html.shrink_to_fit());
    rayon::broadcast(|_| markdown::highlight::forget_parsed_lines());
    warnings.extend(rendered.iter().flat_map(|r| r.warnings.iter().cloned()));
    stage("transform", start);
    if let Some((reused, parsed)) = markdown::highlight::line_stats().filter(|_| timings()) {
        eprintln!("code lines: {reused} reused, {parsed} parsed");
    }
    let start = Instant::now();
    let targets = link_targets(book);
    let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
    let errors = crate::assemble::check_links(book, &rendered, &targets);
    // Pages whose broken links are tolerated (model cards) warn whatever `links:` says.
    warnings.extend(crate::assemble::link_warnings(book, &rendered, &targets));
    if book.config.links == crate::config::LinkPolicy::Warn {
        warnings.extend(errors);
    } else if !errors.is_empty() {
        return Err(Diagnostics(errors).into());
    }
    if strict && !warnings.is_empty() {
        for w in &mut warnings {
            w.message.push_str(" (an error with --strict)");
        }
        return Err(Diagnostics(warnings).into());
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if warnings.len() > 1 {
        eprintln!("{} warnings", warnings.len());
    }
    stage("assemble", start);
    let start = Instant::now();
    let renderer = renderer?;
    let renderer = match &keys {
        Some(keys) => renderer.reusing(keys),
        None => renderer,
    };
    for file in renderer.shared_files() {
        sink.put(file)?;
    }
    let pages = || -> Result<()> {
        (0..book.pages.len()).into_par_iter().try_for_each(|i| -> Result<()> {
            // A page a feature writes with its own view may show other pages: always rendered.
            let keys =
                keys.as_ref().filter(|_| book.features.iter().all(|f| f.page_view(book, i, &rendered).is_none()));
            if let Some(keys) = keys {
                if let Some((len, hash)) = keys.output(i) {
                    if sink.put_previous(&book.pages[i].output, len, hash)? {
                        keys.linked();
                        return Ok(());
                    }
                }
            }
            let file = renderer.render_page(i, &rendered).map_err(Diagnostics::from)?;
            if let (Some(keys), output::OutContent::Bytes(bytes)) = (keys, &file.content) {
                keys.remember_output(i, bytes);
            }
            sink.put(file)
        })?;
        stage("pages", start);
        Ok(())
    };
    // The pages and the files made from all of them (print.html, the features' pages) need
    // only the transformed pages: made side by side, the one-core parts of the site-wide
    // files (printing the book's contents, a feature's own work) overlap the pages' work.
    let (pages, records) = rayon::join(pages, || site_wide_made(book, &rendered, &theme, &renderer, sink));
    pages?;
    // Nothing renders from the pages after them: search takes their HTML.
    site_wide_search(book, Pages::Given(&mut rendered), records?, sink, keys.as_ref())?;
    stage("render", start);
    // The pages and the theme are not needed any more.
    drop(renderer);
    drop_aside((rendered, theme));
    let content_root = book.root.join(&book.config.content_dir);
    let default_root = book.language.as_ref().map(|l| book.root.join(&l.default_content_dir));
    book.assets.par_iter().try_for_each(|a| {
        // A translation lacking a file (an image) takes the default language's.
        let from = match (&book.language, &default_root) {
            (Some(l), Some(default_root)) if l.fallback_assets.contains(a) => default_root,
            _ => &content_root,
        };
        sink.put(OutFile::copy(&content::to_slash(a), from.join(a)))
    })
}

/// The book's `extra-css` and `extra-js` files, its `redirects` pages and `CNAME`.
fn book_files(book: &Book) -> Result<Vec<OutFile>, Diagnostics> {
    let config_name = if book.root.join("book.yaml").is_file() { "book.yaml" } else { "book.toml" };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for extra in book.config.extra_css.iter().chain(&book.config.extra_js) {
        let path = book.root.join(extra);
        if path.is_file() {
            files.push(OutFile::copy(&content::to_slash(extra), path));
        } else {
            errors.push(Diagnostic::file(
                config_name,
                format!("`{}` (extra-css / extra-js) does not exist in the book", extra.display()),
            ));
        }
    }
    let pages: std::collections::HashSet<&str> = book.pages.iter().map(|p| p.output.as_str()).collect();
    for (from, to) in &book.config.redirects {
        if pages.contains(from.as_str()) {
            errors.push(Diagnostic::file(
                config_name,
                format!("redirect from `{from}`: a page of the book is written there"),
            ));
            continue;
        }
        let href = if markdown::is_external(to) { to.clone() } else { markdown::relative_url(from, to) };
        files.push(OutFile::bytes(from, render::redirect_page(&href, to)));
    }
    if let Some(cname) = &book.config.cname {
        files.push(OutFile::bytes("CNAME", format!("{}\n", cname.trim())));
    }
    // Files that came with a page's source (a notebook's large images).
    for file in book.pages.iter().flat_map(|p| &p.files) {
        files.push(OutFile::bytes(&file.output, file.bytes.as_ref().clone()));
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics(errors))
    }
}

/// Files besides the book's pages and assets a link may reach: [`SITE_PAGES`] and what
/// the features write (model pages).
pub fn link_targets(book: &Book) -> Vec<String> {
    let student = book.config.edition == crate::config::Edition::Student;
    let mut targets: Vec<String> = SITE_PAGES
        .iter()
        .filter(|&&p| p != "print.html" || book.config.print.enable)
        .filter(|&&p| p != crate::render::HANDIN_PAGE || student)
        .map(|s| s.to_string())
        .collect();
    targets.extend(book.features.iter().flat_map(|f| f.outputs(book)));
    targets
}

/// The files that depend on every page: [`SITE_PAGES`], the features' assets and pages, and
/// the search index over all of it; with them the book's own extra files (`extra-css`,
/// `extra-js`, redirect pages, `CNAME`). `build` makes them once; `serve` makes them again,
/// away from its lock, when a change made them stale.
pub fn site_wide_files(
    book: &Book,
    rendered: &[Rendered],
    theme: &Arc<Theme>,
    renderer: &SiteRenderer,
) -> Result<Vec<OutFile>, Diagnostics> {
    let files = output::Collect::default();
    site_wide_files_into(book, rendered, theme, renderer, &files).map_err(into_diagnostics)?;
    Ok(files.into_files())
}

/// [`site_wide_files`], each file given to `sink` as soon as it is made.
pub fn site_wide_files_into(
    book: &Book,
    rendered: &[Rendered],
    theme: &Arc<Theme>,
    renderer: &SiteRenderer,
    sink: &dyn output::Sink,
) -> Result<()> {
    let records = site_wide_made(book, rendered, theme, renderer, sink)?;
    site_wide_search(book, Pages::Lent(rendered), records, sink, None)
}

/// The pages' rendered results as the site-wide files get them: lent (`serve` keeps them
/// for its next change), or given, each page's HTML taken by the search index, which drops
/// it once the page is indexed ([`crate::search::book_docs_taking`]): a build then never
/// holds all of its pages' HTML and the whole index at once.
enum Pages<'a> {
    Lent(&'a [Rendered]),
    Given(&'a mut [Rendered]),
}

/// The site-wide files made from the pages' rendered results (print.html, the features'
/// assets and pages); returns the search records the features made.
fn site_wide_made(
    book: &Book,
    rendered: &[Rendered],
    theme: &Arc<Theme>,
    renderer: &SiteRenderer,
    sink: &dyn output::Sink,
) -> Result<Vec<crate::search::SearchDoc<'static>>> {
    let start = Instant::now();
    renderer.render_extras_into(rendered, sink)?;
    stage("    extras", start);
    for feature in book.features.iter() {
        for file in feature.assets(book) {
            sink.put(file)?;
        }
    }
    let site = Arc::new(site_index(book));
    let directives = Directives::for_book(book, theme);
    let cx =
        RenderContext { book, rendered, renderer, theme: theme.as_ref(), site: &site, directives: &directives, sink };
    let mut records = Vec::new();
    for feature in book.features.iter() {
        let since = Instant::now();
        let contribution = feature.render(&cx)?;
        stage(&format!("    {}", feature.name()), since);
        for file in contribution.files {
            sink.put(file)?;
        }
        records.extend(contribution.records);
    }
    stage("  features", start);
    Ok(records)
}

/// The search index over the pages (taking their HTML when they are given) and the
/// features' `records`, reusing the terms `keys` kept of unchanged pages; then the book's
/// own extra files.
fn site_wide_search(
    book: &Book,
    mut pages: Pages,
    records: Vec<crate::search::SearchDoc<'static>>,
    sink: &dyn output::Sink,
    keys: Option<&BookKeys>,
) -> Result<()> {
    let start = Instant::now();
    let (mut docs, rendered) = match &mut pages {
        Pages::Lent(rendered) => (crate::search::book_docs(book, rendered), &**rendered),
        Pages::Given(rendered) => (crate::search::book_docs_taking(book, rendered), &**rendered),
    };
    docs.extend(records);
    docs.extend(crate::search::directive_docs(book, rendered));
    let memo = keys.map(|k| k as &dyn crate::search::index::TermsMemo);
    // Written as made, on every core: thousands of fragments (or linked from the previous site).
    crate::search::index_into(book, &mut docs, memo, sink)?;
    stage("search", start);
    for file in book_files(book)? {
        sink.put(file)?;
    }
    Ok(())
}

/// The content hash of what a student edition's work is graded against: the book's id, what
/// every page lets a reader complete (each exercise and quiz id, its points and a quiz's answer
/// key), and each feature's [`crate::feature::Feature::grading_fingerprint`] (an exercise's
/// checks). The hand-in page writes it into every hand-in file; the grader computes it again
/// from the book and refuses work made against another version. A change to prose leaves it
/// alone, so fixing a typo does not invalidate the work handed in.
pub fn content_hash(book: &Book, rendered: &[Rendered]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(b"labbook-content-hash 1");
    field(book.config.book_id().as_bytes());
    for &i in &book.reading_order {
        for item in &rendered[i].progress {
            field(item.kind.as_bytes());
            field(item.id.as_bytes());
            field(&item.points.to_le_bytes());
            let key = item.key.as_ref().map(|k| serde_json::to_vec(k).expect("a quiz key serializes"));
            field(&key.unwrap_or_default());
        }
    }
    for feature in book.features.iter() {
        field(feature.name().as_bytes());
        field(&feature.grading_fingerprint(book));
    }
    let digest = hash.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
        source_lines: &page.source_lines,
    };
    markdown::render_page(&input, site, directives)
}

/// Source path -> output path of every page the Markdown stage can link to: the book's
/// pages and its model cards.
pub fn site_index(book: &Book) -> SiteIndex {
    SiteIndex::for_book(book)
}

/// Renders every page's Markdown in parallel with the book's theme (which directives may
/// write their markup with); all pages' problems are returned together.
pub fn transform(book: &Book) -> Result<Vec<Rendered>, Diagnostics> {
    let theme = Arc::new(Theme::for_book(book)?);
    transform_with(book, &theme)
}

/// [`transform`] with a loaded theme.
pub fn transform_with(book: &Book, theme: &Arc<Theme>) -> Result<Vec<Rendered>, Diagnostics> {
    transform_reusing(book, theme, None)
}

/// [`transform_with`], taking from `keys` the pages whose inputs are unchanged since a
/// previous build and remembering the others there.
fn transform_reusing(book: &Book, theme: &Arc<Theme>, keys: Option<&BookKeys>) -> Result<Vec<Rendered>, Diagnostics> {
    let site = site_index(book);
    let directives = Directives::for_book(book, theme);
    let highlight = HighlightCache::active();
    let results: Vec<Result<Rendered, Vec<Diagnostic>>> = book
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let Some(keys) = keys else {
                return transform_page(page, &site, &directives);
            };
            if let Some(rendered) = keys.rendered(i, highlight.as_deref()) {
                return Ok(rendered);
            }
            let (rendered, blocks) = HighlightCache::recording(|| transform_page(page, &site, &directives));
            if let Ok(rendered) = &rendered {
                keys.remember(i, rendered, &blocks);
            }
            rendered
        })
        .collect();
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

/// Whether `LABBOOK_TIMINGS` asks for the stage table.
fn timings() -> bool {
    std::env::var_os("LABBOOK_TIMINGS").is_some()
}

/// With `LABBOOK_TIMINGS=1`, prints how long a stage took (for profiling builds).
fn stage(name: &str, since: Instant) {
    if timings() {
        eprintln!("{name:>10}: {:>7.1} ms{}", since.elapsed().as_secs_f64() * 1000.0, usage_so_far());
    }
}

/// [`memory_so_far`] and [`cpu_so_far`]: the columns of the stage table after a stage's time.
pub(crate) fn usage_so_far() -> String {
    format!("{}{}", memory_so_far(), cpu_so_far())
}

/// `, memory R MiB (peak P MiB)`: the process's resident memory now and at its peak, where
/// the system tells (Linux); empty elsewhere. For the stage table.
fn memory_so_far() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", memory {} MiB (peak {} MiB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// `, cpu U+S s`: the user and system CPU time all of the process's threads used so far, from
/// `/proc/self/stat` (in the kernel's ticks of 10 ms). Beside the wall time it shows how well a
/// stage used the cores.
fn cpu_so_far() -> String {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return String::new();
    };
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |n: usize| fields.get(n).and_then(|f| f.parse::<f64>().ok()).map(|t| t / 100.0);
    // utime and stime are the 14th and 15th fields; the slice starts at the 3rd.
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => format!(", cpu {user:.2}+{system:.2} s"),
        _ => String::new(),
    }
}

/// Deletes what labbook wrote in the output folder, if labbook wrote it: `None` when there
/// is no folder, else the entries of the user's that were kept (the folder stays for them).
pub fn clean(out: &Path) -> Result<Option<Vec<String>>> {
    if !out.exists() {
        return Ok(None);
    }
    output::remove_owned(out).map(Some)
}
