//! The site in memory, and the incremental rebuild: from a batch of changed files to the
//! smallest set of stages and pages to run again.
//!
//! | change                               | work                                                   |
//! |--------------------------------------|--------------------------------------------------------|
//! | a page's body                        | reload, transform, link-check and render that page     |
//! | ... and its heading ids changed      | also re-check the pages that link into it              |
//! | a page's title, weight, draft flag   | structure (below)                                      |
//! | a file a page includes               | re-transform the pages that include it                 |
//! | an asset (image, data)               | re-read it; reload the pages that link to it           |
//! | a theme file                         | reload the theme, render every page (no transform)     |
//! | book.yaml or book.toml, SUMMARY.md,  | structure: load the book again, transform only pages   |
//! |   a page added                       |                                                        |
//! |   or removed, an asset added          |   whose body changed, render every page                |
//!
//! `print.html`, `404.html` and `sitemap.xml` are rendered when first asked for after a
//! change, so a save never waits for them. Errors never replace the served site: the last
//! good version of a page stays until the page builds again. Warnings (and, in a book whose
//! `links` are `warn`, such as an mdBook, broken links) go to the terminal only.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::assemble::{check_links, check_page_links};
use crate::config::TocSpec;
use crate::content::{self, Book, Page};
use crate::diagnostic::Diagnostic;
use crate::feature::Features;
use crate::markdown::{Directives, Rendered, SiteIndex};
use crate::output::{OutContent, OutFile};
use crate::pipeline::{link_targets, site_wide_files, transform_page, SITE_PAGES};
use crate::render::{SiteRenderer, Theme};

use super::plan::{normalize, plan_changes, Change, PathState, Plan, SiteState};

/// A file's bytes, shared with the requests that serve it.
pub type Bytes = Arc<Vec<u8>>;

/// The book, its rendered pages and every file of the site, kept between changes.
pub struct LiveSite {
    root: PathBuf,
    features: Features,
    /// The language this site is of a translated book (`fr`), loaded with
    /// [`content::load_books`] so that its switcher knows the other languages' pages;
    /// none for a book without `languages:`.
    language: Option<String>,
    state: Option<Loaded>,
    files: HashMap<String, Bytes>,
    errors: Errors,
    /// The last structure rebuild failed: the next change of any kind retries it.
    needs_structure: bool,
    extras_dirty: bool,
    /// Counts the changes that made the site-wide pages stale.
    extras_generation: u64,
    /// The generation a background [`ExtrasJob`] is rendering, if one runs.
    extras_running: Option<u64>,
    /// The files the last site-wide render made (`print.html`, the search index...).
    extra_paths: HashSet<String>,
}

/// Whether a request for a file may be answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// The file is up to date.
    Ready,
    /// A background job is rendering it: wait for it.
    Wait,
    /// Stale and nobody renders it: render it now.
    Render,
}

/// The site-wide files ([`site_wide_files`], as `build` makes them), rendered away from
/// the lock.
pub struct ExtrasJob {
    generation: u64,
    book: Arc<Book>,
    rendered: Arc<Vec<Rendered>>,
    theme: Arc<Theme>,
}

impl ExtrasJob {
    /// Renders `print.html`, `404.html`, `sitemap.xml`, the index redirect, the features'
    /// assets and pages, and the search index. Errors are reported like a template error,
    /// by the first one.
    pub fn run(&self) -> Result<Vec<OutFile>, Diagnostic> {
        let renderer = SiteRenderer::new(&self.book, &self.theme)?;
        site_wide_files(&self.book, &self.rendered, &self.theme, &renderer).map_err(|mut e| e.0.remove(0))
    }
}

/// A successfully loaded book and what was built from it.
///
/// The book, its rendered pages and the theme are shared (copy on write) with the
/// background job that renders the site-wide pages, so that job never holds the lock.
struct Loaded {
    book: Arc<Book>,
    theme: Arc<Theme>,
    /// `rendered[i]` belongs to `book.pages[i]`.
    rendered: Arc<Vec<Rendered>>,
    /// Whether `rendered[i]` is the transform of the page's current text (not an older
    /// version kept because the current one has errors).
    fresh: Vec<bool>,
    site_index: SiteIndex,
    by_rel: HashMap<PathBuf, usize>,
    content_root: PathBuf,
    summary: Option<PathBuf>,
    /// Logical asset name -> hashed path, as the pages reference them.
    asset_names: BTreeMap<String, String>,
}

/// The current problems, by where they come from, so each is cleared by the rebuild that
/// redoes its work.
#[derive(Default)]
struct Errors {
    /// book.yaml, the toc, the theme.
    global: Vec<Diagnostic>,
    /// Reading or transforming a page, by page (`rel`).
    source: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Broken links and anchors, by page.
    links: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Template errors, by page.
    render: HashMap<PathBuf, Vec<Diagnostic>>,
}

/// What a rebuild changed, for the browser and the terminal.
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths of the pages whose HTML changed.
    pub pages: Vec<String>,
    /// Every page changed (navigation, theme).
    pub all: bool,
    /// Every page under these folders changed (`fr/`: a structure change of one language
    /// of a translated book).
    pub folders: Vec<String>,
    /// Stylesheets that changed while nothing else did: logical name -> new path.
    pub css: Option<BTreeMap<String, String>>,
    /// A short account of the work, such as `ml/loss.html`.
    pub summary: String,
}

impl Update {
    /// Whether the browser has something to reload.
    pub fn changed(&self) -> bool {
        self.all || !self.folders.is_empty() || !self.pages.is_empty() || self.css.is_some()
    }
}

impl LiveSite {
    /// An empty site for the book at `root` (an absolute path) built with `features`, in
    /// `language` for one language of a translated book; [`LiveSite::build`] fills it.
    pub fn new(root: PathBuf, features: Features, language: Option<String>) -> LiveSite {
        LiveSite {
            root,
            features,
            language,
            state: None,
            files: HashMap::new(),
            errors: Errors::default(),
            needs_structure: true,
            extras_dirty: true,
            extras_generation: 0,
            extras_running: None,
            extra_paths: HashSet::new(),
        }
    }

    /// Loads and builds the whole book.
    pub fn build(&mut self) -> Update {
        self.rebuild_structure(&Plan::default())
    }

    /// The book's title, once loaded.
    pub fn title(&self) -> Option<&str> {
        self.state.as_ref().map(|s| s.book.config.title.as_str())
    }

    /// The loaded book, once loaded.
    pub fn book(&self) -> Option<&Book> {
        self.state.as_ref().map(|s| s.book.as_ref())
    }

    /// Whether `path` (absolute, normalized) is the source of one of the site's pages (a
    /// fallback page's source is the default language's file).
    pub fn has_source(&self, path: &Path) -> bool {
        self.state.as_ref().is_some_and(|st| st.book.pages.iter().any(|p| normalize(&p.abs) == path))
    }

    /// How many pages the site has.
    pub fn pages(&self) -> usize {
        self.state.as_ref().map_or(0, |s| s.book.pages.len())
    }

    /// Every current problem, sorted by file and position.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let e = &self.errors;
        let mut all: Vec<Diagnostic> = e.global.clone();
        let mut pages: Vec<Diagnostic> =
            e.source.values().chain(e.links.values()).chain(e.render.values()).flatten().cloned().collect();
        pages.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        all.extend(pages);
        all
    }

    /// What to watch: the book root itself (book.yaml), the content folder, themes/, the
    /// folders the features name (exercises/, the API's sources) and the folder of a
    /// SUMMARY.md outside the content folder; `true` = recursive.
    pub fn watch_list(&self) -> Vec<(PathBuf, bool)> {
        let content = self.state.as_ref().map_or_else(|| self.root.join("content"), |s| s.content_root.clone());
        let mut list = vec![(self.root.clone(), false), (content.clone(), true), (self.root.join("themes"), true)];
        let wanted: Vec<(PathBuf, bool)> = match &self.state {
            Some(st) => self.features.iter().flat_map(|f| f.watch(&st.book)).collect(),
            None => Vec::new(),
        };
        for (path, recursive) in wanted {
            if !path.starts_with(&content) && path != self.root && !list.contains(&(path.clone(), recursive)) {
                list.push((path, recursive));
            }
        }
        if let Some(folder) = self.state.as_ref().and_then(|s| s.summary.as_ref()).and_then(|p| p.parent()) {
            if !folder.starts_with(&content) && folder != self.root {
                list.push((folder.to_path_buf(), false));
            }
        }
        list
    }

    /// A file of the site (path relative to the site root) as it is now; see
    /// [`LiveSite::readiness`] for whether it is up to date.
    pub fn file(&self, path: &str) -> Option<Bytes> {
        self.files.get(path).cloned()
    }

    /// Whether `path` can be served now: files the site-wide render makes (and files not
    /// found, which it may make) wait for it after a change.
    pub fn readiness(&self, path: &str) -> Readiness {
        let extra = SITE_PAGES.contains(&path) || self.extra_paths.contains(path) || !self.files.contains_key(path);
        if !self.extras_dirty || !extra || self.state.is_none() {
            Readiness::Ready
        } else if self.extras_running == Some(self.extras_generation) {
            Readiness::Wait
        } else {
            Readiness::Render
        }
    }

    /// A job that renders the stale site-wide pages, unless they are up to date or being
    /// rendered; hand its result to [`LiveSite::finish_extras`].
    pub fn start_extras(&mut self) -> Option<ExtrasJob> {
        let st = self.state.as_ref()?;
        if !self.extras_dirty || self.extras_running == Some(self.extras_generation) {
            return None;
        }
        self.extras_running = Some(self.extras_generation);
        Some(ExtrasJob {
            generation: self.extras_generation,
            book: st.book.clone(),
            rendered: st.rendered.clone(),
            theme: st.theme.clone(),
        })
    }

    /// Installs a job's files if no change came since it started.
    pub fn finish_extras(&mut self, job: &ExtrasJob, result: Result<Vec<OutFile>, Diagnostic>) {
        if self.extras_running == Some(job.generation) {
            self.extras_running = None;
        }
        if job.generation != self.extras_generation || !self.extras_dirty {
            return;
        }
        let files = match result {
            Ok(files) => files,
            Err(e) => {
                // A template error here is also one of the pages': it is shown with those.
                eprintln!("error: {e}");
                self.extras_dirty = false;
                return;
            }
        };
        for stale in std::mem::take(&mut self.extra_paths) {
            self.files.remove(&stale);
        }
        for file in files {
            self.extra_paths.insert(file.path.clone());
            self.files.insert(file.path.clone(), Arc::new(bytes_of(file)));
        }
        self.extras_dirty = false;
    }

    /// Renders the stale site-wide pages now, holding the lock (when no job is running).
    pub fn render_extras(&mut self) {
        if let Some(job) = self.start_extras() {
            let result = job.run();
            self.finish_extras(&job, result);
        }
    }

    /// Marks the site-wide pages stale.
    fn extras_stale(&mut self) {
        self.extras_dirty = true;
        self.extras_generation += 1;
    }

    /// Rebuilds what the changed files (absolute paths) touch.
    pub fn apply(&mut self, changed: &BTreeSet<PathBuf>) -> Update {
        let plan = self.plan(changed);
        if plan.is_empty() {
            return Update::default();
        }
        self.extras_stale();
        if plan.structure || self.needs_structure || self.state.is_none() {
            return self.rebuild_structure(&plan);
        }
        self.rebuild_incremental(plan)
    }

    /// Probes the changed paths (the only file-system reads of planning) and sorts them into
    /// the work they need with [`plan_changes`].
    fn plan(&self, changed: &BTreeSet<PathBuf>) -> Plan {
        let changes: Vec<Change> = changed
            .iter()
            .map(|path| {
                let path = normalize(path);
                let state = if path.is_file() {
                    PathState::File
                } else if path.is_dir() {
                    let holds_files =
                        walkdir::WalkDir::new(&path).into_iter().flatten().any(|e| e.file_type().is_file());
                    PathState::Folder { holds_files }
                } else {
                    PathState::Missing
                };
                Change { path, state }
            })
            .collect();
        let site = self.state.as_ref().map(|st| SiteState {
            book: &st.book,
            rendered: &st.rendered,
            content_root: &st.content_root,
            summary: st.summary.as_deref(),
            by_rel: &st.by_rel,
            failed: self.errors.source.keys().filter_map(|rel| st.by_rel.get(rel).copied()).collect(),
        });
        let mut plan = plan_changes(&self.root, &self.features, site.as_ref(), &changes);
        // A translation shows the default language's pages and files it lacks: a change in
        // the default language's folder (outside its own) loads it again, which transforms
        // only the pages whose text changed.
        if let Some(st) = &self.state {
            if let Some(language) = st.book.language.as_ref().filter(|l| !l.is_default()) {
                let own = normalize(&self.root.join(&language.content_dir));
                let default = normalize(&self.root.join(&language.default_content_dir));
                if changes.iter().any(|c| c.path.starts_with(&default) && !c.path.starts_with(&own)) {
                    plan.structure = true;
                }
            }
        }
        plan
    }

    /// Loads the book (this site's language of it).
    fn load(&self) -> Result<Book, crate::diagnostic::Diagnostics> {
        let Some(code) = &self.language else { return content::load_book(&self.root, &self.features) };
        let books = content::load_books(&self.root, &self.features)?;
        books
            .into_iter()
            .find(|b| b.language.as_ref().is_some_and(|l| &l.current.code == code))
            .ok_or_else(|| Diagnostic::file("book.yaml", format!("the book has no language `{code}` any more")).into())
    }

    /// Page edits, includes, assets and theme files, without reloading the book.
    fn rebuild_incremental(&mut self, plan: Plan) -> Update {
        let st = self.state.as_mut().expect("checked by apply");
        let mut update = Update::default();
        let mut summary = Vec::new();

        let old_names = st.asset_names.clone();
        if plan.theme {
            match Theme::load_in(&self.root, st.book.config.theme.as_deref(), &self.features, &st.book.config.language)
            {
                Ok(theme) => st.theme = Arc::new(theme),
                Err(e) => {
                    self.errors.global = vec![e];
                    self.needs_structure = true;
                    return update;
                }
            }
            summary.push("theme".to_string());
        }

        // Reload edited pages. A new title, weight or draft flag changes the navigation,
        // which the toc builds: that is a structure change (decided before anything changes).
        let loaded: Vec<(usize, Result<Page, Diagnostic>)> = plan
            .pages
            .iter()
            .map(|&i| {
                (
                    i,
                    content::load_page(
                        &st.content_root,
                        &st.book.config,
                        &st.book.pages[i].rel,
                        &st.book.features,
                        &st.book.words,
                    ),
                )
            })
            .collect();
        let renavigate = loaded.iter().any(|(i, page)| {
            let old = &st.book.pages[*i];
            page.as_ref().is_ok_and(|page| {
                let reordered = st.book.config.toc.is_none() && page.front.weight != old.front.weight;
                page.title != old.title || page.front.draft || reordered
            })
        });
        if renavigate {
            return self.rebuild_structure(&plan);
        }
        let mut transform = plan.transform.clone();
        for (i, page) in loaded {
            match page {
                Err(e) => {
                    self.errors.source.insert(st.book.pages[i].rel.clone(), vec![e]);
                    st.fresh[i] = false;
                    transform.remove(&i);
                }
                Ok(page) => {
                    Arc::make_mut(&mut st.book).pages[i] = page;
                    transform.insert(i);
                }
            }
        }

        // Transform, then re-check the links of every page whose links or targets changed.
        let directives = Directives::for_book(&st.book, &st.theme);
        if plan.theme {
            // Directives that write their markup with the theme's templates wrote it with the
            // old theme.
            transform.extend(
                (0..st.book.pages.len())
                    .filter(|&i| st.fresh[i] && st.rendered[i].directives.iter().any(|d| directives.uses_theme(d))),
            );
        }
        let results: Vec<(usize, Result<Rendered, Vec<Diagnostic>>)> = transform
            .par_iter()
            .map(|&i| (i, transform_page(&st.book.pages[i], &st.site_index, &directives)))
            .collect();
        let mut recheck = BTreeSet::new();
        let mut rerender = BTreeSet::new();
        for (i, result) in results {
            let rel = st.book.pages[i].rel.clone();
            match result {
                Ok(r) => {
                    print_warnings(&r.warnings);
                    let ids_changed = r.ids != st.rendered[i].ids;
                    Arc::make_mut(&mut st.rendered)[i] = r;
                    st.fresh[i] = true;
                    self.errors.source.remove(&rel);
                    recheck.insert(i);
                    rerender.insert(i);
                    if ids_changed {
                        let output = &st.book.pages[i].output;
                        recheck.extend(st.rendered.iter().enumerate().filter_map(|(j, r)| {
                            r.links.iter().any(|l| &l.target == output && l.anchor.is_some()).then_some(j)
                        }));
                    }
                }
                Err(errors) => {
                    self.errors.source.insert(rel, errors);
                    st.fresh[i] = false;
                }
            }
        }
        let recheck: Vec<usize> = recheck.into_iter().collect();
        let mut found: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        let generated = link_targets(&st.book);
        let generated: Vec<&str> = generated.iter().map(String::as_str).collect();
        let broken = check_page_links(&st.book, &st.rendered, &recheck, &generated);
        for d in keep_link_errors(&st.book, broken) {
            found.entry(d.file.clone()).or_default().push(d);
        }
        for &j in &recheck {
            let page = &st.book.pages[j];
            set_or_clear(&mut self.errors.links, &page.rel, found.remove(&page.display).unwrap_or_default());
        }

        for asset in &plan.assets {
            match std::fs::read(asset_source(&self.root, &st.book, &st.content_root, asset)) {
                Ok(bytes) => {
                    self.files.insert(asset.clone(), Arc::new(bytes));
                }
                Err(e) => eprintln!("warning: cannot read {asset}: {e}"),
            }
            update.pages.extend(
                st.rendered
                    .iter()
                    .zip(&st.book.pages)
                    .filter(|(r, _)| r.links.iter().any(|l| &l.target == asset))
                    .map(|(_, p)| p.output.clone()),
            );
            summary.push(asset.clone());
        }

        // Render: every page after a theme change, else the transformed ones.
        let which: Vec<usize> =
            if plan.theme { (0..st.book.pages.len()).collect() } else { rerender.into_iter().collect() };
        if !which.is_empty() {
            if let Err(e) = render_pages(st, &which, plan.theme, &mut self.files, &mut self.errors.render) {
                self.errors.global = vec![e];
                self.needs_structure = true;
                return update;
            }
        }
        if plan.theme {
            update.all = true;
            if plan.theme_css_only {
                let css: BTreeMap<String, String> = st
                    .asset_names
                    .iter()
                    .filter(|(name, path)| name.ends_with(".css") && old_names.get(*name) != Some(*path))
                    .map(|(n, p)| (n.clone(), p.clone()))
                    .collect();
                update.all = false;
                update.css = Some(css);
            }
        } else {
            let pages: Vec<String> = which.iter().map(|&i| st.book.pages[i].output.clone()).collect();
            summary.extend(pages.iter().cloned());
            update.pages.extend(pages);
        }
        update.pages.sort();
        update.pages.dedup();
        update.summary = summary.join(", ");
        update
    }

    /// Loads the book again and renders every page, transforming only the pages whose text
    /// (or an included file) changed since the last build.
    fn rebuild_structure(&mut self, plan: &Plan) -> Update {
        let book = match self.load() {
            Ok(book) => book,
            Err(errors) => {
                self.errors.global = errors.0;
                self.needs_structure = true;
                return Update::default();
            }
        };
        let theme =
            match Theme::load_in(&self.root, book.config.theme.as_deref(), &self.features, &book.config.language) {
                Ok(theme) => theme,
                Err(e) => {
                    self.errors.global = vec![e];
                    self.needs_structure = true;
                    return Update::default();
                }
            };

        // Reuse the transform of every page whose text and includes did not change.
        let theme = Arc::new(theme);
        let directives = Directives::for_book(&book, &theme);
        let old = self.state.as_ref();
        let mut reused: Vec<Option<Rendered>> = vec![None; book.pages.len()];
        if let Some(old) = old {
            // Directives whose feature data changed (an exercise edited) make again.
            let stale: HashSet<&str> =
                self.features.iter().flat_map(|f| f.stale_directives(&old.book, &book)).collect();
            for (j, page) in book.pages.iter().enumerate() {
                let Some(&i) = old.by_rel.get(&page.rel) else { continue };
                let before = &old.book.pages[i];
                let same = old.fresh[i]
                    && before.body == page.body
                    && before.body_line == page.body_line
                    && before.display == page.display
                    && before.abs == page.abs
                    && !old.rendered[i].dependencies.iter().any(|d| plan.changed.contains(&normalize(d)))
                    && !old.rendered[i].directives.iter().any(|d| stale.contains(d.as_str()))
                    // Markup written with the theme's templates is stale when the theme changed.
                    && !(plan.theme && old.rendered[i].directives.iter().any(|d| directives.uses_theme(d)));
                if same {
                    reused[j] = Some(old.rendered[i].clone());
                }
            }
        }
        let site_index = crate::pipeline::site_index(&book);
        let transformed: Vec<Option<Result<Rendered, Vec<Diagnostic>>>> = book
            .pages
            .par_iter()
            .zip(reused.par_iter())
            .map(|(page, reused)| reused.is_none().then(|| transform_page(page, &site_index, &directives)))
            .collect();
        let mut rendered = Vec::with_capacity(book.pages.len());
        let mut fresh = Vec::with_capacity(book.pages.len());
        let mut source_errors = HashMap::new();
        let mut transformed_count = 0;
        for ((page, reused), result) in book.pages.iter().zip(reused).zip(transformed) {
            match (reused, result) {
                (Some(r), _) => {
                    rendered.push(r);
                    fresh.push(true);
                }
                (None, Some(Ok(r))) => {
                    print_warnings(&r.warnings);
                    transformed_count += 1;
                    rendered.push(r);
                    fresh.push(true);
                }
                (None, result) => {
                    source_errors.insert(page.rel.clone(), result.and_then(Result::err).unwrap_or_default());
                    // Keep the last good version of the page if there is one.
                    let previous = old
                        .and_then(|o| o.by_rel.get(&page.rel).map(|&i| o.rendered[i].clone()))
                        .filter(|r| !r.html.is_empty());
                    rendered.push(previous.unwrap_or_else(placeholder));
                    fresh.push(false);
                }
            }
        }

        let content_root = book.root.join(&book.config.content_dir);
        let summary = match &book.config.toc {
            Some(TocSpec::Summary(p)) => Some(normalize(&book.root.join(p))),
            _ => None,
        };
        let by_rel = book.pages.iter().enumerate().map(|(i, p)| (p.rel.clone(), i)).collect();
        let mut st = Loaded {
            book: Arc::new(book),
            theme,
            rendered: Arc::new(rendered),
            fresh,
            site_index,
            by_rel,
            content_root,
            summary,
            asset_names: BTreeMap::new(),
        };
        let by_display: HashMap<&Path, &Path> =
            st.book.pages.iter().map(|p| (p.display.as_path(), p.rel.as_path())).collect();
        let mut link_errors: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        let generated = link_targets(&st.book);
        let generated: Vec<&str> = generated.iter().map(String::as_str).collect();
        print_warnings(&st.book.warnings);
        for d in keep_link_errors(&st.book, check_links(&st.book, &st.rendered, &generated)) {
            let rel = by_display.get(d.file.as_path()).map(|r| r.to_path_buf()).unwrap_or_default();
            link_errors.entry(rel).or_default().push(d);
        }
        drop(by_display);

        // A new files map: pages, shared assets and the content folder's files.
        let mut files: HashMap<String, Bytes> = HashMap::new();
        for asset in &st.book.assets {
            let path = content::to_slash(asset);
            let abs = asset_source(&self.root, &st.book, &st.content_root, &path);
            let bytes = match self.files.get(&path) {
                Some(bytes) if !plan.changed.contains(&normalize(&abs)) => bytes.clone(),
                _ => match std::fs::read(&abs) {
                    Ok(bytes) => Arc::new(bytes),
                    Err(e) => {
                        eprintln!("warning: cannot read {}: {e}", abs.display());
                        continue;
                    }
                },
            };
            files.insert(path, bytes);
        }
        let all: Vec<usize> = (0..st.book.pages.len()).collect();
        let mut render_errors = HashMap::new();
        if let Err(e) = render_pages(&mut st, &all, true, &mut files, &mut render_errors) {
            self.errors.global = vec![e];
            self.needs_structure = true;
            return Update::default();
        }
        let pages = st.book.pages.len();
        self.errors.source = source_errors;
        self.errors.links = link_errors;
        self.errors.render = render_errors;
        self.files = files;
        self.extra_paths.clear();
        self.state = Some(st);
        self.errors.global.clear();
        self.needs_structure = false;
        self.extras_stale();
        Update {
            pages: Vec::new(),
            all: true,
            folders: Vec::new(),
            css: None,
            summary: format!("{pages} pages ({transformed_count} transformed)"),
        }
    }
}

/// Renders pages `which` into `files`; with `shared`, also the assets and `toc.html` (and
/// drops the assets of the previous theme or navigation). Template errors of single pages
/// go to `errors`; an error of the site-wide parts is returned.
fn render_pages(
    st: &mut Loaded,
    which: &[usize],
    shared: bool,
    files: &mut HashMap<String, Bytes>,
    errors: &mut HashMap<PathBuf, Vec<Diagnostic>>,
) -> Result<(), Diagnostic> {
    let renderer = SiteRenderer::new(&st.book, &st.theme)?;
    if shared {
        for old in st.asset_names.values() {
            files.remove(old);
        }
        for file in renderer.shared_files() {
            files.insert(file.path.clone(), Arc::new(bytes_of(file)));
        }
    }
    let names = renderer.asset_names().clone();
    let pages: Vec<(usize, Result<OutFile, Diagnostic>)> =
        which.par_iter().map(|&i| (i, renderer.render_page(i, &st.rendered))).collect();
    for (i, page) in pages {
        let rel = &st.book.pages[i].rel;
        match page {
            Ok(file) => {
                errors.remove(rel);
                files.insert(file.path.clone(), Arc::new(bytes_of(file)));
            }
            Err(e) => {
                errors.insert(rel.clone(), vec![e]);
            }
        }
    }
    drop(renderer);
    st.asset_names = names;
    Ok(())
}

/// Where the site's file `asset` (relative to the content folder) is read from: the
/// content folder, or for a file a translation lacks, the default language's.
fn asset_source(root: &Path, book: &Book, content_root: &Path, asset: &str) -> PathBuf {
    match &book.language {
        Some(language) if language.fallback_assets.contains(Path::new(asset)) => {
            root.join(&language.default_content_dir).join(asset)
        }
        _ => content_root.join(asset),
    }
}

/// What a page shows before it has ever built.
fn placeholder() -> Rendered {
    Rendered {
        html: "<p><strong>This page has errors.</strong> They are listed in the terminal and over this page.</p>\n"
            .to_string(),
        ..Rendered::default()
    }
}

/// Prints problems that do not stop the site (a `book.toml` section labbook does not use,
/// a link leaving the book) to the terminal, as `build` does.
fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// The broken links that are errors in this book: all of them, unless its `links` are
/// `warn` (an mdBook), where they are printed as warnings and the pages serve as written.
fn keep_link_errors(book: &Book, broken: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if book.config.links == crate::config::LinkPolicy::Warn {
        print_warnings(&broken);
        Vec::new()
    } else {
        broken
    }
}

fn set_or_clear(map: &mut HashMap<PathBuf, Vec<Diagnostic>>, rel: &Path, errors: Vec<Diagnostic>) {
    if errors.is_empty() {
        map.remove(rel);
    } else {
        map.insert(rel.to_path_buf(), errors);
    }
}

fn bytes_of(file: OutFile) -> Vec<u8> {
    match file.content {
        OutContent::Bytes(bytes) => bytes,
        OutContent::Copy(path) => std::fs::read(&path).unwrap_or_default(),
    }
}
