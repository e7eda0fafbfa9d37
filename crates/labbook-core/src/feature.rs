//! The feature interface: how exercises, models, the API reference and the next features
//! (notebooks, datasets, grading) plug into the one pipeline without the core naming them.
//!
//! In the spirit of mdBook's `Preprocessor` and `Renderer`, but covering what a course site
//! needs. A [`Feature`] is consulted at each stage:
//!
//! | stage      | hook                                                                      |
//! |------------|---------------------------------------------------------------------------|
//! | load       | [`Feature::book_config`] (a folder in another layout), [`Feature::reads_toc`] + [`Feature::read_toc`] (a toc in another format), [`Feature::config_keys`] (its `book.yaml` section), [`Feature::owns_content_file`], [`Feature::reads_page`] + [`Feature::read_page`] (pages in another format), [`Feature::load`] (data into [`FeatureData`], generated pages), [`Feature::extend_nav`] |
//! | transform  | [`Feature::directives`], [`Feature::stale_directives`], [`Feature::link_resolvers`], [`Feature::linkable_sources`] |
//! | assemble   | [`Feature::outputs`] (files pages may link to)                             |
//! | render     | [`Feature::theme`] (default templates and static files), [`Feature::page_links`] (links at the top of a page), [`Feature::assets`] (hashed or named before any page renders), [`Feature::page_view`] (the template and data of a page it generated), [`Feature::render`] (other files and search records) |
//! | search     | [`Feature::page_records`], and the records of [`Feature::render`]        |
//! | serve      | [`Feature::watch`], [`Feature::reloads_book`]                              |
//! | test       | [`Feature::test`]                                                          |
//! | grading    | [`Feature::grading_fingerprint`] (part of the content hash of hand-ins)    |
//!
//! Every hook has a default that does nothing, so a feature implements only what it uses.
//! The list of features a build uses is the caller's (the `labbook` binary's is in
//! `src/features.rs`); the core never names one.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::{BookConfig, TocEntry};
use crate::content::{Book, FrontMatter, NavItem, Page, PageFile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::i18n::strings::Words;
use crate::markdown::{Directives, LinkResolver, Rendered, SiteIndex};
use crate::output::OutFile;
use crate::render::{PageView, SiteRenderer, Theme};
use crate::search::SearchDoc;

/// The features' loaded data, held by the [`Book`] without the core knowing its types: one
/// value per type, shared (copy on write) between the book's clones.
#[derive(Clone, Default)]
pub struct FeatureData {
    values: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl FeatureData {
    /// Stores `value`, replacing an earlier value of the same type.
    pub fn insert<T: Any + Send + Sync>(&mut self, value: T) {
        self.values.insert(TypeId::of::<T>(), Arc::new(value));
    }

    /// The value of type `T`, if a feature stored one.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.values.get(&TypeId::of::<T>()).and_then(|v| v.downcast_ref::<T>())
    }

    /// The value of type `T`, shared: cheap to keep beside the book.
    pub fn get_arc<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.values.get(&TypeId::of::<T>()).cloned().and_then(|v| v.downcast::<T>().ok())
    }

    /// The value of type `T` to change (cloned first if another book shares it).
    pub fn get_mut<T: Any + Send + Sync + Clone>(&mut self) -> Option<&mut T> {
        let slot = self.values.get_mut(&TypeId::of::<T>())?;
        if Arc::get_mut(slot).is_none() {
            let copy: T = slot.downcast_ref::<T>()?.clone();
            *slot = Arc::new(copy);
        }
        Arc::get_mut(slot)?.downcast_mut::<T>()
    }
}

impl std::fmt::Debug for FeatureData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FeatureData({} values)", self.values.len())
    }
}

/// The features a build uses, in order: earlier features load first, and their pages,
/// records and test reports come first.
#[derive(Clone, Default)]
pub struct Features(Arc<Vec<Arc<dyn Feature>>>);

impl Features {
    /// These features, in this order.
    pub fn new(list: Vec<Arc<dyn Feature>>) -> Features {
        Features(Arc::new(list))
    }

    /// The features in order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Feature> {
        self.0.iter().map(|f| f.as_ref())
    }

    /// The same list with `feature` added at the end (a plug-in).
    pub fn with(&self, feature: Arc<dyn Feature>) -> Features {
        let mut list: Vec<Arc<dyn Feature>> = self.0.iter().cloned().collect();
        list.push(feature);
        Features::new(list)
    }
}

impl std::fmt::Debug for Features {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(|feature| feature.name())).finish()
    }
}

/// What [`Feature::load`] may read and change.
pub struct LoadContext<'a> {
    /// The book root.
    pub root: &'a Path,
    /// The core settings of `book.yaml`.
    pub config: &'a BookConfig,
    /// The text of `book.yaml`, for [`LoadContext::section`] and positioned messages.
    pub config_text: &'a str,
    /// The pages loaded so far: the book's own, then those earlier features generated. A
    /// feature may append generated pages (Markdown bodies, transformed like any page).
    pub pages: &'a mut Vec<Page>,
    /// The features' data; store yours here.
    pub data: &'a mut FeatureData,
    /// In a translated book, the language being loaded (each language loads on its own):
    /// a feature picks its translated texts with it (`exercise.fr.yaml`).
    pub language: Option<&'a crate::i18n::BookLanguage>,
    /// The book's words in its language, the book theme's overrides included: for what a
    /// feature writes in Rust (a sidebar part, a heading, a breadcrumb).
    pub words: &'a Words,
}

impl LoadContext<'_> {
    /// Parses the top-level `book.yaml` key `key` (one of [`Feature::config_keys`]) into `T`,
    /// strictly: errors carry `book.yaml:line:column`. `None` when the key is absent.
    pub fn section<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Diagnostic> {
        crate::config::parse_section(self.config_text, Path::new("book.yaml"), key)
    }

    /// The content folder on disk (in a translated book, this language's).
    pub fn content_root(&self) -> PathBuf {
        self.root.join(&self.config.content_dir)
    }

    /// The content folder of the book's default language: where files every language shares
    /// live (model cards). The content folder itself in a book of one language.
    pub fn default_content_root(&self) -> PathBuf {
        match self.language {
            Some(language) => self.root.join(&language.default_content_dir),
            None => self.content_root(),
        }
    }

    /// The code of the language being loaded, in a translated book.
    pub fn language_code(&self) -> Option<&str> {
        self.language.map(|l| l.current.code.as_str())
    }
}

/// Default theme files a feature ships; a book's `themes/<name>/` overrides them like the
/// core's own.
#[derive(Default, Clone)]
pub struct ThemeFiles {
    /// Tera templates by name (`model.html`), rendered with the theme's others.
    pub templates: Vec<(&'static str, &'static str)>,
    /// Static files by name (`exercise.js`), hashed into `assets/`.
    pub statics: Vec<(&'static str, &'static [u8])>,
    /// The feature's words by language code: YAML files of `key: text` (`theme/i18n/fr.yaml`),
    /// which its templates read with `t(key=…)` and its scripts with `window.labbook.t`. They
    /// join the theme's words ([`crate::i18n::strings`]): a language lacking a key falls back
    /// to the feature's English, and a book's `themes/<name>/i18n/<code>.yaml` overrides any.
    /// Keys start with the feature's name (`exercise_run`), so features never share one.
    pub strings: Vec<(&'static str, &'static str)>,
}

/// What [`Feature::read_page`] knows of the book a page belongs to.
pub struct PageContext<'a> {
    /// The book's settings (in a translated book, this language's).
    pub config: &'a BookConfig,
    /// The book's words in the language of the tree the page is built into (also for a page
    /// shown untranslated), the book theme's overrides included: a converter writes its own
    /// labels with them; [`Words::language`] is that language and [`Words::numbers`] its way
    /// of writing numbers.
    pub words: &'a Words,
}

/// A page written in a format other than Markdown (a Jupyter notebook), as
/// [`Feature::read_page`] reads it: the Markdown it stands for, which goes through the one
/// transform, link check and theme like any page.
#[derive(Debug, Clone, Default)]
pub struct PageSource {
    /// The page's front matter (from the format's own metadata).
    pub front: FrontMatter,
    /// The page's Markdown.
    pub body: String,
    /// Files the page carries, written beside it (a notebook's large images).
    pub files: Vec<PageFile>,
    /// Problems the format tolerates (an unknown component), printed with the build's
    /// warnings; `--strict` makes them errors.
    pub warnings: Vec<Diagnostic>,
    /// The line of the file each line of `body` came from (1-based), so errors the Markdown
    /// stage finds name the line the author wrote even where the format's one line became
    /// several (`[[autodoc]]` becomes a fenced block). Empty: line `n` of `body` is line `n`.
    pub source_lines: Vec<usize>,
}

/// A link a feature puts at the top of a page ("Download notebook", "Open in Colab"),
/// from [`Feature::page_links`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageLink {
    /// What the link says.
    pub label: String,
    /// A site path (`ml/softmax.ipynb`, made relative to the page) or an absolute URL.
    pub href: String,
    /// The link downloads its target (`<a download>`) rather than opening it.
    pub download: bool,
}

/// What [`Feature::render`] gets: the transformed book and the theme, ready to render pages.
pub struct RenderContext<'a> {
    /// The loaded book.
    pub book: &'a Book,
    /// `rendered[i]` belongs to `book.pages[i]`.
    pub rendered: &'a [Rendered],
    /// The theme's templates and the hashed assets, with the one page layout.
    pub renderer: &'a SiteRenderer<'a>,
    /// The theme.
    pub theme: &'a Theme,
    /// Sources -> outputs of every page a link may reach, for transforming generated Markdown.
    pub site: &'a Arc<SiteIndex>,
    /// Every directive of the book, for transforming generated Markdown.
    pub directives: &'a Directives,
    /// Where the build writes the site: a feature that makes many files (a notebook per
    /// lesson) may put each here as soon as it is made instead of returning them all in
    /// [`Contribution::files`], so that a big book's files are never in memory at once.
    pub sink: &'a dyn crate::output::Sink,
}

/// What a feature adds to the site once the book's pages are transformed.
#[derive(Default)]
pub struct Contribution {
    /// Files to write (pages rendered through the theme, copies of sources).
    pub files: Vec<OutFile>,
    /// Search records (kind: a string the theme's search filter shows).
    pub records: Vec<SearchDoc<'static>>,
}

/// A feature's part of `labbook test`.
pub struct TestReport {
    /// How many cases ran.
    pub cases: usize,
    /// What to print.
    pub text: String,
    /// Whether any case failed.
    pub failed: bool,
}

/// A part of labbook that plugs into the pipeline. See the module documentation for when
/// each hook runs.
pub trait Feature: Send + Sync {
    /// A short name, for messages (`exercises`).
    fn name(&self) -> &'static str;

    /// The top-level `book.yaml` keys this feature reads (with [`LoadContext::section`]).
    /// Any other key that neither the core nor a feature claims is an error.
    fn config_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether a file of the content folder (relative to it) is this feature's source rather
    /// than a page or an asset (model cards).
    fn owns_content_file(&self, _rel: &Path) -> bool {
        false
    }

    /// A book folder in a layout of this feature's (a doc-builder folder: `_toctree.yml`
    /// and `.mdx` pages), asked only when the folder has neither `book.yaml` nor
    /// `book.toml`: its settings and the problems found reading them. `None`: not this
    /// feature's layout.
    fn book_config(&self, _root: &Path) -> Option<Result<(BookConfig, Vec<Diagnostic>), Diagnostics>> {
        None
    }

    /// Whether `toc: <path>` (relative to the book root) names a table of contents in a
    /// format this feature reads with [`Feature::read_toc`] (doc-builder's `_toctree.yml`)
    /// rather than an mdBook `SUMMARY.md`.
    fn reads_toc(&self, _path: &Path) -> bool {
        false
    }

    /// Reads a table of contents of this feature's format (see [`Feature::reads_toc`]) into
    /// toc entries, whose `file`s are relative to `content_root` (a page that does not
    /// exist keeps its name as written in `text`, so the core's error points at it), and
    /// the problems it tolerates. `display` names the file in messages.
    fn read_toc(
        &self,
        _content_root: &Path,
        display: &Path,
        _text: &str,
    ) -> Result<(Vec<TocEntry>, Vec<Diagnostic>), Diagnostics> {
        Err(Diagnostic::file(display, format!("{} reads no table of contents", self.name())).into())
    }

    /// Whether a file of the content folder (relative to it) is a page in a format this
    /// feature reads with [`Feature::read_page`] (`.ipynb`); it is then listed in the toc,
    /// found by the tree and reloaded by `serve` like a Markdown page. `config` tells the
    /// book's kind: in a doc-builder folder, `.md` pages are the feature's dialect too.
    fn reads_page(&self, _config: &BookConfig, _rel: &Path) -> bool {
        false
    }

    /// Reads a page of this feature's format (see [`Feature::reads_page`]) from its text;
    /// errors are located in the file (`display` names it in messages). `cx` gives the
    /// book's settings and its words in the page's language.
    fn read_page(&self, _cx: &PageContext, _rel: &Path, display: &Path, _text: &str) -> Result<PageSource, Diagnostic> {
        Err(Diagnostic::file(display, format!("{} reads no page of this kind", self.name())))
    }

    /// Loads the feature's data into `cx.data`, after the book's pages are read.
    fn load(&self, _cx: &mut LoadContext) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Adds entries for the feature's generated pages to the navigation, after the toc is
    /// built from the book's own pages (`pages[..own]`).
    fn extend_nav(
        &self,
        _data: &FeatureData,
        _pages: &[Page],
        _own: usize,
        _nav: &mut Vec<NavItem>,
        _listed: &mut Vec<usize>,
    ) {
    }

    /// Problems in the sources that do not fail the build, printed as warnings.
    fn warnings(&self, _book: &Book) -> Vec<String> {
        Vec::new()
    }

    /// Registers the feature's directive kinds. `site` resolves links of Markdown the
    /// directive renders itself; `theme` holds the templates it may write its markup with
    /// (the feature's defaults from [`Feature::theme`], as the book's theme overrides them).
    fn directives(&self, _book: &Book, _site: &Arc<SiteIndex>, _theme: &Arc<Theme>, _directives: &mut Directives) {}

    /// The directive kinds whose output may differ between two loads of the book because
    /// this feature's data changed (`serve` transforms again the pages that use them).
    fn stale_directives(&self, _old: &Book, _new: &Book) -> Vec<&'static str> {
        Vec::new()
    }

    /// Resolvers for cross-links the feature understands (`` [`Class.method`] ``).
    fn link_resolvers(&self, _book: &Book) -> Vec<Arc<dyn LinkResolver>> {
        Vec::new()
    }

    /// Source files (relative to the content folder) that pages may link to although they
    /// are not pages, with the output each becomes (a model card's README.md).
    fn linkable_sources(&self, _book: &Book) -> Vec<(PathBuf, String)> {
        Vec::new()
    }

    /// Output paths the feature writes that pages may link to (the link check accepts them).
    fn outputs(&self, _book: &Book) -> Vec<String> {
        Vec::new()
    }

    /// The feature's default templates and static files.
    fn theme(&self) -> ThemeFiles {
        ThemeFiles::default()
    }

    /// Files made from the feature's data alone (a runtime's script), known before any page
    /// renders, so pages can name them.
    fn assets(&self, _book: &Book) -> Vec<OutFile> {
        Vec::new()
    }

    /// How page `i` shows when the feature generated it with a template of its own (a
    /// model page, the catalogue): the template and the data it writes the page's article
    /// from, given every page's transformed Markdown. `None` leaves the page an ordinary
    /// page. The page still goes through the one transform, link check and `page.html`, and
    /// its article is the chapter `print.html` shows.
    fn page_view(&self, _book: &Book, _i: usize, _rendered: &[Rendered]) -> Option<PageView> {
        None
    }

    /// Links to show at the top of page `i` (the page as a notebook, in Colab); their site
    /// paths are files the feature writes (see [`Feature::outputs`]).
    fn page_links(&self, _book: &Book, _i: usize) -> Vec<PageLink> {
        Vec::new()
    }

    /// Files the feature adds besides pages (copies of sources) and search records that
    /// belong to no page.
    fn render(&self, _cx: &RenderContext) -> Result<Contribution, Diagnostics> {
        Ok(Contribution::default())
    }

    /// The search records of page `i` when the feature generated it (one record per API
    /// object instead of one per page, from what its directives reported in
    /// `rendered.records`); `None` leaves the page an ordinary lesson.
    fn page_records<'a>(
        &self,
        _book: &Book,
        _i: usize,
        _breadcrumb: &[String],
        _rendered: &'a Rendered,
    ) -> Option<Vec<SearchDoc<'a>>> {
        None
    }

    /// Folders `serve` must watch besides the book root, the content folder and the theme
    /// (`true`: recursively).
    fn watch(&self, _book: &Book) -> Vec<(PathBuf, bool)> {
        Vec::new()
    }

    /// Whether a change of `in_root` (a path relative to the book root) changes this
    /// feature's loaded data, so that `serve` must load the book again. `book` is the
    /// current book, if one loaded.
    fn reloads_book(&self, _book: Option<&Book>, _in_root: &Path) -> bool {
        false
    }

    /// What a handed-in piece of work is graded against in this feature's data (an
    /// exercise's checks, hidden ones included), as bytes: part of the content hash a
    /// student edition writes into the hand-in page and the grader compares
    /// ([`crate::pipeline::content_hash`]). Empty: nothing of this feature is graded.
    fn grading_fingerprint(&self, _book: &Book) -> Vec<u8> {
        Vec::new()
    }

    /// Runs the feature's part of `labbook test` (solutions and starters, Try-it examples);
    /// `None` when it has nothing to test. A translated book is tested in each of its
    /// languages: what every language shares (an exercise's code and checks, a model's
    /// widget) is tested once, in the default language's book ([`Book::is_translation`]
    /// tells the others), and what a translation may change (its pages' runnable code) in
    /// each.
    fn test(&self, _book: &Book, _started: Instant) -> anyhow::Result<Option<TestReport>> {
        Ok(None)
    }
}
