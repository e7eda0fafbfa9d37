//! Loading a book from disk: `book.yaml`, the Markdown pages with their front matter,
//! the table of contents and the other files of the content folder.
//!
//! The result, [`Book`], is plain data; no later stage reads the file system again
//! except for `{{#include}}`, whose reads the Markdown stage records as dependencies.

pub mod summary;
mod toc;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::{parse_yaml, BookConfig, Edition};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::feature::{FeatureData, Features, LoadContext};

pub use toc::{NavItem, NavMarks};

/// A whole book, loaded.
#[derive(Debug, Clone)]
pub struct Book {
    /// The book root (the folder holding `book.yaml`).
    pub root: PathBuf,
    /// The parsed `book.yaml`.
    pub config: BookConfig,
    /// Every page that is built, in reading order: the toc's pages first, then unlisted ones.
    pub pages: Vec<Page>,
    /// `pages[..own_pages]` are the book's own pages, each read from its file (`Page::abs`);
    /// the pages features generate follow.
    pub own_pages: usize,
    /// The navigation tree; leaves point into `pages` by index.
    pub nav: Vec<NavItem>,
    /// Indices into `pages` in reading order: the toc's pages, then unlisted ones.
    pub reading_order: Vec<usize>,
    /// How many of `reading_order` come from the toc; prev/next links stay among them.
    pub listed: usize,
    /// Other files of the content folder (images, data, code), relative to it; copied as they are.
    pub assets: Vec<PathBuf>,
    /// The features this book is built with.
    pub features: Features,
    /// What the features loaded (exercises, model cards, the API model), by type; the core
    /// never looks inside.
    pub data: FeatureData,
    /// Problems found while loading that do not stop the build (`book.toml` sections
    /// labbook does not use).
    pub warnings: Vec<Diagnostic>,
    /// In a translated book (`languages:`), the language of this book and the state of its
    /// pages; `None` for a book in one language.
    pub language: Option<crate::i18n::BookLanguage>,
    /// The book's words in its language (the built-in theme's, the features', the book
    /// theme's overrides): what features write in Rust reads them.
    pub words: crate::i18n::strings::Words,
}

impl Book {
    /// Whether this book is a translation: a language of a translated book other than its
    /// default one.
    pub fn is_translation(&self) -> bool {
        self.language.as_ref().is_some_and(|l| !l.is_default())
    }

    /// The data of type `T` a feature loaded, if any.
    pub fn data<T: std::any::Any + Send + Sync>(&self) -> Option<&T> {
        self.data.get::<T>()
    }
}

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, with `/` separators (`ml/loss.md`).
    pub rel: PathBuf,
    /// Path shown in messages, relative to the book root (`content/ml/loss.md`).
    pub display: PathBuf,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Output path relative to the site root (`ml/loss.html`).
    pub output: String,
    /// The page's front matter.
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// The 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// The page title: front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// Whether `body` starts its content with a level-one heading.
    pub has_h1: bool,
    /// Broken links and anchors of this page are warnings, not errors, whatever `links:`
    /// says (a model card: the Hub shows a card's links as written).
    pub lenient_links: bool,
    /// Element ids the page's template writes around its Markdown (a model page's panels),
    /// so that links to them pass the link check.
    pub template_ids: Vec<String>,
    /// Files the page's source carries, written beside it (a notebook's large images).
    pub files: Vec<PageFile>,
    /// Problems in the page's source that do not stop the build (a doc-builder component
    /// labbook does not know), printed with the build's warnings.
    pub warnings: Vec<Diagnostic>,
    /// For a page read from another format: the file line of each line of `body`
    /// ([`crate::feature::PageSource::source_lines`]); empty when `body` is the file's text.
    pub source_lines: Vec<usize>,
}

/// A file that comes with a page rather than from the content folder: a notebook's image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFile {
    /// The output path relative to the site root.
    pub output: String,
    /// The bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// A page's YAML front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontMatter {
    /// Overrides the first heading as the page title.
    #[serde(default)]
    pub title: Option<String>,
    /// Used in `<meta name="description">`.
    #[serde(default)]
    pub description: Option<String>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Drafts are not built.
    #[serde(default)]
    pub draft: bool,
    /// Ordering without an explicit toc: lower weights first, then file names.
    #[serde(default)]
    pub weight: i64,
    /// In a translation, the hash of the default language's page it was translated from
    /// (`labbook i18n mark` writes it); when the source no longer has that hash, the page
    /// is stale.
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// Names the generator writes itself; a page may not take them.
pub const RESERVED_OUTPUTS: &[&str] = &["print.html", "404.html", "toc.html", "sitemap.xml", ".labbook", "assets"];

/// Loads the book at `root` with `features`; a translated book (`languages:`) in its default
/// language.
pub fn load_book(root: &Path, features: &Features) -> Result<Book, Diagnostics> {
    load_book_in(root, features, None)
}

/// Loads every language of the book at `root`: one [`Book`] per language, the default's
/// first; a book without `languages:` is one book, as [`load_book`] loads it.
pub fn load_books(root: &Path, features: &Features) -> Result<Vec<Book>, Diagnostics> {
    load_books_as(root, features, None)
}

/// [`load_books`] for an edition the command line chose (`labbook build --edition`); `None`
/// keeps `book.yaml`'s `edition:`. The features see the edition in their load context.
pub fn load_books_as(root: &Path, features: &Features, edition: Option<Edition>) -> Result<Vec<Book>, Diagnostics> {
    let (config, _) = load_config(root, features)?;
    let Some(default) = config.default_language() else {
        return Ok(vec![load_book_in_as(root, features, None, edition)?]);
    };
    let mut codes = vec![default.code.clone()];
    codes.extend(config.languages.iter().filter(|l| l.code != default.code).map(|l| l.code.clone()));
    let results: Vec<Result<Book, Diagnostics>> =
        codes.par_iter().map(|code| load_book_in_as(root, features, Some(code), edition)).collect();
    let mut books = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(book) => books.push(book),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        // The same mistake in a shared file (book.yaml, an exercise) is reported once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert(e.to_string()));
        return Err(Diagnostics(errors));
    }
    // Each language's switcher links the same page in the others when it exists there.
    let outputs: Vec<(String, std::collections::HashSet<String>)> = books
        .iter()
        .map(|b| {
            let code = b.language.as_ref().map(|l| l.current.code.clone()).unwrap_or_default();
            (code, b.pages.iter().map(|p| p.output.clone()).collect())
        })
        .collect();
    for book in &mut books {
        if let Some(language) = &mut book.language {
            language.outputs = outputs.iter().filter(|(code, _)| *code != language.current.code).cloned().collect();
        }
    }
    Ok(books)
}

/// Reads the book's settings: `book.yaml`, an mdBook's `book.toml`, or a feature's layout;
/// with the warnings of reading them.
pub fn load_config(root: &Path, features: &Features) -> Result<(BookConfig, Vec<Diagnostic>), Diagnostics> {
    let config_path = root.join("book.yaml");
    let toml_path = root.join("book.toml");
    let mut load_warnings = Vec::new();
    let config = if config_path.is_file() {
        let feature_keys: Vec<&str> = features.iter().flat_map(|f| f.config_keys().iter().copied()).collect();
        BookConfig::load(&config_path, Path::new("book.yaml"), &feature_keys)?
    } else if toml_path.is_file() {
        // An mdBook: built as mdBook would build it.
        let text = std::fs::read_to_string(&toml_path)
            .map_err(|e| Diagnostic::file("book.toml", format!("cannot read: {e}")))?;
        let folder = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Book".to_string());
        let (config, warnings) = crate::config::parse_book_toml(&text, Path::new("book.toml"), &folder)?;
        load_warnings = warnings;
        config
    } else if let Some(found) = features.iter().find_map(|f| f.book_config(root)) {
        // A folder in a feature's layout (a doc-builder folder with its `_toctree.yml`).
        let (config, warnings) = found?;
        load_warnings = warnings;
        config
    } else {
        return Err(Diagnostic::file(
            "book.yaml",
            format!("no book.yaml or book.toml in {}; run `labbook init` to start a book", root.display()),
        )
        .into());
    };
    Ok((config, load_warnings))
}

/// Loads the book at `root` in `language` (a code of its `languages:`; `None`: the default
/// language, or the only one of a book without `languages:`).
pub fn load_book_in(root: &Path, features: &Features, language: Option<&str>) -> Result<Book, Diagnostics> {
    load_book_in_as(root, features, language, None)
}

/// [`load_book`] for an edition the command line chose; `None` keeps `book.yaml`'s `edition:`.
pub fn load_book_as(root: &Path, features: &Features, edition: Option<Edition>) -> Result<Book, Diagnostics> {
    load_book_in_as(root, features, None, edition)
}

/// [`load_book_in`] for an edition (`None`: `book.yaml`'s `edition:`).
pub fn load_book_in_as(
    root: &Path,
    features: &Features,
    language: Option<&str>,
    edition: Option<Edition>,
) -> Result<Book, Diagnostics> {
    let config_path = root.join("book.yaml");
    let (mut config, mut load_warnings) = load_config(root, features)?;
    if let Some(edition) = edition {
        config.edition = edition;
    }
    let (config, mut language) = localize(root, config, language)?;
    // The words of the book in its language, read before any page: a page reader writes
    // some (doc-builder's labels), as do the features' loads.
    let words = crate::i18n::strings::Words::load(root, config.theme.as_deref(), features, &config.language)?;
    let content_root = root.join(&config.content_dir);
    let untranslated = language.as_ref().is_some_and(|l| !l.is_default());
    if !content_root.is_dir() && !untranslated {
        return Err(Diagnostic::file(
            "book.yaml",
            format!("the content folder `{}` does not exist", config.content_dir.display()),
        )
        .into());
    }

    let summary_file = match &config.toc {
        Some(crate::config::TocSpec::Summary(p)) => Some(root.join(p)),
        _ => None,
    };
    let owned = |rel: &Path| features.iter().any(|f| f.owns_content_file(rel));
    let is_page =
        |rel: &Path| rel.extension().is_some_and(|e| e == "md") || features.iter().any(|f| f.reads_page(&config, rel));
    let skip = match &language {
        Some(language) if language.is_default() => language.skip_in_default.clone(),
        _ => Vec::new(),
    };
    let mut files = if content_root.is_dir() {
        discover(&content_root, summary_file.as_deref(), &owned, &is_page, &skip)?
    } else {
        Discovered { markdown: Vec::new(), assets: Vec::new() }
    };
    // A translation: the default language's pages and files it lacks are built from the
    // default's sources (fallbacks).
    let mut fallback_pages: Vec<PathBuf> = Vec::new();
    let mut default_config = config.clone();
    if let Some(language) = language.as_mut().filter(|l| !l.is_default()) {
        crate::i18n::record_include_fallback(
            &root.join(&language.content_dir),
            &root.join(&language.default_content_dir),
        );
        default_config.content_dir = language.default_content_dir.clone();
        let default_root = root.join(&language.default_content_dir);
        // The default language's own table of contents is not one of its files either: the
        // one its `languages:` entry names, else the one at this language's toc's place.
        let default_toc = match config.default_language().and_then(|d| d.toc.as_ref()) {
            Some(crate::config::TocSpec::Summary(p)) => Some(root.join(p)),
            _ => summary_file
                .as_deref()
                .and_then(|f| f.strip_prefix(root.join(&language.content_dir)).ok())
                .map(|rel| default_root.join(rel)),
        };
        let default_files =
            discover(&default_root, default_toc.as_deref(), &owned, &is_page, &language.skip_in_default)?;
        let own: std::collections::HashSet<&PathBuf> = files.markdown.iter().collect();
        fallback_pages = default_files.markdown.iter().filter(|rel| !own.contains(rel)).cloned().collect();
        let own_assets: std::collections::HashSet<&PathBuf> = files.assets.iter().collect();
        let extra: Vec<PathBuf> = default_files.assets.iter().filter(|a| !own_assets.contains(a)).cloned().collect();
        language.fallback_assets = extra.iter().cloned().collect();
        files.assets.extend(extra);
        files.assets.sort_by(|a, b| a.components().cmp(b.components()));
    }
    let mut errors = Vec::new();
    let mut sources: Vec<(&PathBuf, bool)> =
        files.markdown.iter().map(|rel| (rel, false)).chain(fallback_pages.iter().map(|rel| (rel, true))).collect();
    sources.sort_by(|a, b| a.0.components().cmp(b.0.components()));
    let loaded: Vec<Result<Page, Diagnostic>> = sources
        .par_iter()
        .map(|&(rel, fallback)| {
            if fallback {
                load_page(&root.join(&default_config.content_dir), &default_config, rel, features, &words)
            } else {
                load_page(&content_root, &config, rel, features, &words)
            }
        })
        .collect();
    if let Some(language) = language.as_mut().filter(|l| !l.is_default()) {
        for rel in &fallback_pages {
            language.pages.insert(rel.clone(), crate::i18n::Translation::Fallback);
        }
        for page in loaded.iter().flatten() {
            let (Some(recorded), false) = (&page.front.translated_from, fallback_pages.contains(&page.rel)) else {
                continue;
            };
            let source = root.join(&language.default_content_dir).join(&page.rel);
            if let Ok(text) = std::fs::read_to_string(&source) {
                if crate::i18n::content_hash(&text) != *recorded {
                    language.pages.insert(page.rel.clone(), crate::i18n::Translation::Stale);
                }
            }
        }
    }
    let mut pages = Vec::new();
    let mut drafts = Vec::new();
    for page in loaded {
        match page {
            Ok(page) if page.front.draft => drafts.push(page.rel),
            Ok(page) => pages.push(page),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let yaml = std::fs::read_to_string(&config_path).unwrap_or_default();
    // Features load in order; they may add generated pages (the API reference), which
    // follow the book's own.
    let book_pages = pages.len();
    let mut data = FeatureData::default();
    for feature in features.iter() {
        let mut cx = LoadContext {
            root,
            config: &config,
            config_text: &yaml,
            pages: &mut pages,
            data: &mut data,
            language: language.as_ref(),
            words: &words,
        };
        feature.load(&mut cx)?;
    }
    check_output_collisions(&pages, &files.assets, &config.content_dir)?;

    // The toc covers the book's own pages; the generated API pages follow as parts of their own.
    let own = &pages[..book_pages];
    let by_rel: HashMap<PathBuf, usize> = own.iter().enumerate().map(|(i, p)| (p.rel.clone(), i)).collect();
    let (mut nav, mut listed) = match &config.toc {
        None => toc::from_tree(own),
        Some(crate::config::TocSpec::Entries(entries)) => toc::from_entries(entries, &by_rel, own, &yaml, &drafts)?,
        Some(crate::config::TocSpec::Summary(path)) => match features.iter().find(|f| f.reads_toc(path)) {
            // A toc in a feature's format (doc-builder's `_toctree.yml`), as toc entries.
            Some(feature) => {
                let text = std::fs::read_to_string(root.join(path))
                    .map_err(|e| Diagnostic::file(path, format!("cannot read the table of contents: {e}")))?;
                let (entries, warnings) = feature.read_toc(&content_root, path, &text)?;
                load_warnings.extend(warnings);
                toc::from_entries_in(&entries, &by_rel, own, &text, path, &drafts)?
            }
            None => summary::load(root, path, &config.content_dir, &by_rel, own)?,
        },
    };
    let foreign_toc =
        matches!(&config.toc, Some(crate::config::TocSpec::Summary(p)) if features.iter().any(|f| f.reads_toc(p)));
    if matches!(config.toc, Some(crate::config::TocSpec::Summary(_))) && !foreign_toc {
        // As in mdBook, SUMMARY.md's link text names the chapter (sidebar, prev/next, `<title>`).
        name_pages_from_nav(&nav, &mut pages);
    }
    let book_pages = if config.unlisted_pages {
        book_pages
    } else {
        // mdBook renders SUMMARY.md's chapters only; other Markdown files are not pages.
        drop_unlisted(&mut pages, book_pages, &mut nav, &mut listed)
    };
    for feature in features.iter() {
        feature.extend_nav(&data, &pages, book_pages, &mut nav, &mut listed);
    }
    let mut reading_order = listed.clone();
    let mut seen = vec![false; pages.len()];
    for &i in &listed {
        seen[i] = true;
    }
    reading_order.extend((0..pages.len()).filter(|&i| !seen[i]));
    Ok(Book {
        root: root.to_path_buf(),
        config,
        pages,
        own_pages: book_pages,
        nav,
        listed: listed.len(),
        reading_order,
        assets: files.assets,
        features: features.clone(),
        data,
        warnings: load_warnings,
        language,
        words,
    })
}

/// The settings of `config` for one of its languages (the default when `code` is `None`), and
/// that language; a book without `languages:` is returned as it is.
fn localize(
    root: &Path,
    mut config: BookConfig,
    code: Option<&str>,
) -> Result<(BookConfig, Option<crate::i18n::BookLanguage>), Diagnostics> {
    let Some(default) = config.default_language().cloned() else {
        return Ok((config, None));
    };
    let code = code.unwrap_or(&default.code);
    let Some(chosen) = config.languages.iter().find(|l| l.code == code).cloned() else {
        return Err(Diagnostic::file(
            "book.yaml",
            format!(
                "no language `{code}` in `languages:` (the book has {})",
                config.languages.iter().map(|l| format!("`{}`", l.code)).collect::<Vec<_>>().join(", ")
            ),
        )
        .into());
    };
    let all = crate::i18n::languages(&config);
    let info = |code: &str| all.iter().find(|l| l.code == code).cloned().expect("a listed language");
    let language = crate::i18n::BookLanguage {
        current: info(&chosen.code),
        default: info(&default.code),
        all: all.clone(),
        content_dir: crate::i18n::content_dir(root, &config, &chosen.code),
        default_content_dir: crate::i18n::content_dir(root, &config, &default.code),
        skip_in_default: crate::i18n::other_language_dirs(root, &config),
        pages: HashMap::new(),
        fallback_assets: Default::default(),
        outputs: Default::default(),
    };
    config.language = chosen.code.clone();
    config.content_dir = language.content_dir.clone();
    if let Some(toc) = chosen.toc {
        config.toc = Some(toc);
    }
    if let Some(title) = chosen.title {
        config.title = title;
    }
    if let Some(description) = chosen.description {
        config.description = description;
    }
    // Each language is a site of its own under `<base>/<code>/`.
    if let Some(base) = config.base_url() {
        config.base_url = Some(format!("{base}{}/", chosen.code));
    }
    Ok((config, Some(language)))
}

/// Removes the book's own pages (`pages[..book_pages]`) that `listed` does not name,
/// renumbering `nav` and `listed`; returns the new count of the book's own pages.
fn drop_unlisted(pages: &mut Vec<Page>, book_pages: usize, nav: &mut [NavItem], listed: &mut [usize]) -> usize {
    let mut keep = vec![false; pages.len()];
    for &i in listed.iter() {
        keep[i] = true;
    }
    keep[book_pages..].iter_mut().for_each(|k| *k = true);
    let mut new_index = vec![None; pages.len()];
    let mut next = 0;
    for (i, &k) in keep.iter().enumerate() {
        if k {
            new_index[i] = Some(next);
            next += 1;
        }
    }
    fn renumber(items: &mut [NavItem], new_index: &[Option<usize>]) {
        for item in items {
            item.page = item.page.and_then(|i| new_index[i]);
            renumber(&mut item.children, new_index);
        }
    }
    renumber(nav, &new_index);
    for i in listed.iter_mut() {
        *i = new_index[*i].expect("listed pages are kept");
    }
    let mut k = keep.iter();
    pages.retain(|_| *k.next().expect("one flag per page"));
    book_pages - keep[..book_pages].iter().filter(|&&k| !k).count()
}

/// Gives each page its navigation entry's title, unless its front matter sets one.
fn name_pages_from_nav(nav: &[NavItem], pages: &mut [Page]) {
    for item in nav {
        if let Some(i) = item.page {
            if pages[i].front.title.is_none() && !item.title.is_empty() {
                pages[i].title = item.title.clone();
            }
        }
        name_pages_from_nav(&item.children, pages);
    }
}

struct Discovered {
    markdown: Vec<PathBuf>,
    assets: Vec<PathBuf>,
}

/// Walks the content folder: pages (Markdown, or a format a feature reads) and other files,
/// both relative to it, sorted. Files a feature `owns` (model cards) are neither.
fn discover(
    content_root: &Path,
    summary: Option<&Path>,
    owned: &dyn Fn(&Path) -> bool,
    is_page: &dyn Fn(&Path) -> bool,
    skip: &[PathBuf],
) -> Result<Discovered, Diagnostics> {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let walker = walkdir::WalkDir::new(content_root).sort_by_file_name().into_iter().filter_entry(|e| {
        // Hidden files and folders (.git, .DS_Store) are never part of a book, nor is a site
        // labbook built (its marker): a doc-builder folder is its own content folder, and
        // its default output `site/` sits inside it.
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        let built_site = e.file_type().is_dir() && e.path().join(".labbook").exists();
        // Another language's folder, when the default language lives in the content folder.
        let translation = e.depth() == 1 && e.file_type().is_dir() && skip.iter().any(|s| s == e.file_name());
        e.depth() == 0 || !(hidden || built_site || translation)
    });
    for entry in walker {
        let entry =
            entry.map_err(|e| Diagnostic::file(content_root, format!("cannot read the content folder: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        if Some(entry.path()) == summary {
            continue;
        }
        let rel = entry.path().strip_prefix(content_root).expect("walkdir yields paths under its root").to_path_buf();
        if owned(&rel) {
            continue;
        }
        if is_page(&rel) {
            markdown.push(rel);
        } else {
            assets.push(rel);
        }
    }
    Ok(Discovered { markdown, assets })
}

/// Reads one page: UTF-8 check, front matter, title. `rel` is relative to `content_root`,
/// which is `content_dir` under the book root (`serve` reloads single pages with it). A page
/// in another format is read by the feature that [`crate::feature::Feature::reads_page`] it,
/// with the book's `words` in its language.
pub fn load_page(
    content_root: &Path,
    config: &BookConfig,
    rel: &Path,
    features: &Features,
    words: &crate::i18n::strings::Words,
) -> Result<Page, Diagnostic> {
    let abs = content_root.join(rel);
    let display = config.content_dir.join(rel);
    let bytes = std::fs::read(&abs).map_err(|e| Diagnostic::file(&display, format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(Diagnostic::at_offset(
                &display,
                &lossy,
                offset,
                1,
                "the file is not valid UTF-8; save it as UTF-8",
            ));
        }
    };
    let (front, body, body_line, files, warnings, source_lines) =
        match features.iter().find(|f| f.reads_page(config, rel)) {
            Some(feature) => {
                let cx = crate::feature::PageContext { config, words };
                let source = feature.read_page(&cx, rel, &display, &text)?;
                (source.front, source.body, 1, source.files, source.warnings, source.source_lines)
            }
            None => {
                let (front, body, body_line) = split_front_matter(&text, &display)?;
                (front, body, body_line, Vec::new(), Vec::new(), Vec::new())
            }
        };
    let (first_heading, has_h1) = first_h1(&body);
    let title = front.title.clone().or(first_heading).unwrap_or_else(|| {
        humanize(rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default().as_str())
    });
    Ok(Page {
        output: output_path(rel),
        rel: rel.to_path_buf(),
        display,
        abs,
        front,
        body,
        body_line,
        title,
        has_h1,
        lenient_links: false,
        template_ids: Vec::new(),
        files,
        warnings,
        source_lines,
    })
}

/// Splits `---`-fenced YAML front matter from the body.
pub fn split_front_matter(text: &str, display: &Path) -> Result<(FrontMatter, String, usize), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Ok((FrontMatter::default(), text.to_string(), 1));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let front: FrontMatter =
                if yaml.trim().is_empty() { FrontMatter::default() } else { parse_yaml(yaml, display, 2)? };
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Ok((front, body.to_string(), body_line));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(display, 1, 1, "front matter starts with `---` but has no closing `---` line"))
}

/// The text of the first level-one ATX heading before any other content, and whether
/// the page starts with it (so the theme does not add a second title).
fn first_h1(body: &str) -> (Option<String>, bool) {
    let mut in_fence = false;
    let mut first_block = true;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            first_block = false;
            continue;
        }
        if in_fence || trimmed.is_empty() {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix("# ") {
            return (Some(clean_heading(h)), first_block);
        }
        first_block = false;
    }
    (None, false)
}

/// Heading source text without `{#id}` attributes and inline Markdown markers.
fn clean_heading(h: &str) -> String {
    let h = h.trim().trim_end_matches('#').trim();
    let h = match h.rfind('{') {
        Some(i) if h.ends_with('}') => h[..i].trim(),
        _ => h,
    };
    h.replace(['`', '*'], "").replace("\\_", "_")
}

/// `intro-to_ml` -> `Intro to ml`.
pub fn humanize(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The output path of a page: `a/b.md` -> `a/b.html`; `a/index.md`, `a/README.md` -> `a/index.html`.
pub fn output_path(rel: &Path) -> String {
    let parent = rel.parent().map(to_slash).unwrap_or_default();
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if stem == "index" || stem.eq_ignore_ascii_case("readme") { "index".to_string() } else { stem };
    if parent.is_empty() {
        format!("{name}.html")
    } else {
        format!("{parent}/{name}.html")
    }
}

/// A relative path with `/` separators.
pub fn to_slash(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Resolves `target` (with `/` separators) against the folder `base`, both relative to the
/// content root; `None` when it climbs out of it.
pub fn join_normalized(base: &Path, target: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
    };
    for piece in Path::new(target.trim_start_matches('/')).components() {
        match piece {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    Some(parts.iter().collect())
}

/// Two sources writing the same output file is an error naming both.
fn check_output_collisions(pages: &[Page], assets: &[PathBuf], content_dir: &Path) -> Result<(), Diagnostics> {
    let mut owners: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors = Vec::new();
    for reserved in RESERVED_OUTPUTS {
        owners.insert(reserved.to_string(), PathBuf::from("(generated by labbook)"));
    }
    let sources = pages
        .iter()
        .map(|p| (p.output.clone(), p.display.clone()))
        .chain(assets.iter().map(|a| (to_slash(a), content_dir.join(a))));
    for (output, display) in sources {
        let top = output.split('/').next().unwrap_or_default().to_string();
        let clash = owners.get(&output).or_else(|| if top == "assets" { owners.get("assets") } else { None });
        if let Some(first) = clash {
            errors.push(Diagnostic::file(
                &display,
                format!("writes `{output}`, which {} writes too; rename one of them", first.display()),
            ));
        } else {
            owners.insert(output, display);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path(Path::new("a.md")), "a.html");
        assert_eq!(output_path(Path::new("ml/loss.md")), "ml/loss.html");
        assert_eq!(output_path(Path::new("ml/index.md")), "ml/index.html");
        assert_eq!(output_path(Path::new("README.md")), "index.html");
    }

    #[test]
    fn front_matter_is_split_with_line_numbers() {
        let (front, body, line) =
            split_front_matter("---\ntitle: Hi\ntags: [a]\n---\n# Body\n", Path::new("p.md")).unwrap();
        assert_eq!(front.title.as_deref(), Some("Hi"));
        assert_eq!(front.tags, vec!["a"]);
        assert_eq!(body, "# Body\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let e = split_front_matter("---\ntitle: Hi\ndraftt: true\n---\n", Path::new("p.md")).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        let e = split_front_matter("---\ntitle: Hi\n", Path::new("p.md")).unwrap_err();
        assert!(e.message.contains("closing"), "{e}");
    }

    #[test]
    fn first_heading_is_the_title() {
        assert_eq!(first_h1("\n# Hello `x` {#top}\ntext"), (Some("Hello x".into()), true));
        assert_eq!(first_h1("text\n# Later"), (Some("Later".into()), false));
        assert_eq!(first_h1("```\n# not\n```\n"), (None, false));
    }

    #[test]
    fn joins_stay_inside_the_content_folder() {
        assert_eq!(join_normalized(Path::new("ml"), "../guide/a.md"), Some(PathBuf::from("guide/a.md")));
        assert_eq!(join_normalized(Path::new("ml"), "./b.md"), Some(PathBuf::from("ml/b.md")));
        assert_eq!(join_normalized(Path::new(""), "../x.md"), None);
    }
}
