//! Dataset cards: `content/datasets/<id>/README.md` in the Hugging Face format, with the
//! data files beside it.
//!
//! [`load_datasets`] (part of the load stage) reads every card ([`metadata`]), finds each
//! configuration's splits (`configs` → `data_files` globs, or the Hub's defaults: a file
//! named for its split, else `train`), reads the files ([`table`]: CSV, TSV, JSON Lines,
//! Parquet) and types the columns ([`columns`]). [`page`] adds the dataset pages and the
//! catalogue to the book's pages and gives their views, with per-column statistics drawn at
//! build time ([`stats`]); [`viewer`] writes the row shards and indexes the pages' tables
//! load from `file://`.

pub mod columns;
pub mod metadata;
pub mod page;
pub mod stats;
pub mod table;
pub mod viewer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use labbook_core::content::{Book, NavItem, Page};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::feature::{Contribution, Feature, FeatureData, LoadContext, RenderContext, ThemeFiles};
use labbook_core::markdown::Rendered;
use labbook_core::render::PageView;
use labbook_core::search::SearchDoc;
use labbook_models::CardText;

pub use columns::{Column, Kind};
pub use metadata::Metadata;
pub use table::Cell;

/// The folder of the content folder that holds dataset cards.
pub const DATASETS_DIR: &str = "datasets";

/// The book's datasets (none when the feature is not in use).
pub fn datasets(book: &Book) -> &Datasets {
    static NONE: std::sync::OnceLock<Datasets> = std::sync::OnceLock::new();
    book.data::<Datasets>().unwrap_or_else(|| NONE.get_or_init(Datasets::default))
}

/// The datasets feature: cards under `content/datasets/`, their viewer pages and the catalogue.
pub struct DatasetsFeature;

impl Feature for DatasetsFeature {
    fn name(&self) -> &'static str {
        "datasets"
    }

    fn owns_content_file(&self, rel: &Path) -> bool {
        is_dataset_path(rel)
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        // Datasets are shared by every language of a translated book, as model cards are:
        // they live in the default language's content folder.
        let content_root = cx.default_content_root();
        let content_dir = cx.language.map_or_else(|| cx.config.content_dir.clone(), |l| l.default_content_dir.clone());
        let datasets = load_datasets_once(&content_root, &content_dir)?;
        page::check_page_collisions(&datasets, cx.pages)?;
        let mut datasets = datasets;
        datasets.words = cx.words.clone();
        let pages = page::pages(&datasets, &content_root, &content_dir);
        cx.pages.extend(pages);
        cx.data.insert(runtime_data(&datasets));
        cx.data.insert(datasets);
        Ok(())
    }

    /// A "Datasets" part in the sidebar: the catalogue, then each dataset.
    fn extend_nav(
        &self,
        data: &FeatureData,
        pages: &[Page],
        own: usize,
        nav: &mut Vec<NavItem>,
        _listed: &mut Vec<usize>,
    ) {
        let Some(datasets) = data.get::<Datasets>() else { return };
        if datasets.cards.is_empty() {
            return;
        }
        let catalogue = page::catalogue_output();
        let entries = std::iter::once((datasets.word("dataset_catalogue"), catalogue.as_str()))
            .chain(datasets.cards.iter().map(|c| (c.title.as_str(), c.output.as_str())));
        nav.push(labbook_models::catalogue::sidebar_part(datasets.word("dataset_part"), pages, own, entries));
    }

    fn warnings(&self, book: &Book) -> Vec<String> {
        datasets(book).cards.iter().flat_map(|c| c.warnings.iter().map(|w| w.to_string())).collect()
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: vec![
                ("dataset.html", include_str!("../theme/templates/dataset.html")),
                ("datasets.html", include_str!("../theme/templates/datasets.html")),
                ("catalogue.html", labbook_models::catalogue::CATALOGUE_HTML),
            ],
            statics: vec![
                ("datasets.css", include_bytes!("../theme/static/datasets.css")),
                ("datasets.js", include_bytes!("../theme/static/datasets.js")),
                ("catalogue.js", labbook_models::catalogue::CATALOGUE_JS),
            ],
            strings: STRINGS.to_vec(),
        }
    }

    fn page_view(&self, book: &Book, i: usize, rendered: &[Rendered]) -> Option<PageView> {
        page::view(book, i, rendered)
    }

    fn page_records<'a>(
        &self,
        book: &Book,
        i: usize,
        _breadcrumb: &[String],
        rendered: &'a Rendered,
    ) -> Option<Vec<SearchDoc<'a>>> {
        page::records(book, i, rendered)
    }

    fn outputs(&self, book: &Book) -> Vec<String> {
        datasets(book)
            .cards
            .iter()
            .flat_map(|c| c.files.iter().map(move |f| format!("{}/{}", c.dir_output(), f)))
            .collect()
    }

    fn render(&self, cx: &RenderContext) -> Result<Contribution, Diagnostics> {
        let mut files = page::file_copies(cx.book);
        for card in &datasets(cx.book).cards {
            files.extend(viewer::shards(card));
        }
        Ok(Contribution { files, records: Vec::new() })
    }

    fn reloads_book(&self, book: Option<&Book>, in_root: &Path) -> bool {
        let content_dir = book.map_or_else(|| PathBuf::from("content"), |b| b.config.content_dir.clone());
        in_root.strip_prefix(&content_dir).is_ok_and(|rel| rel.starts_with(DATASETS_DIR))
    }
}

/// The book's splits as `tinyml.load_dataset` reads them, for the exercises feature: each
/// written once, when code names it (`RuntimeData`, `crates/labbook-exercises/src/data.rs`).
pub fn runtime_data(datasets: &Datasets) -> labbook_exercises::RuntimeData {
    let mut data = labbook_exercises::RuntimeData::default();
    for card in &datasets.cards {
        let splits = card
            .configs
            .iter()
            .flat_map(|config| config.splits.iter().map(move |split| (config, split)))
            .map(|(config, split)| {
                let (columns, rows) = (split.columns.clone(), split.rows.clone());
                let config_name = config.name.clone();
                let written = Arc::new(std::sync::OnceLock::new());
                labbook_exercises::DataSplit {
                    config: config.name.clone(),
                    split: split.name.clone(),
                    json: Arc::new(move || {
                        written.get_or_init(|| shipped_split(&config_name, &columns, &rows)).clone()
                    }),
                }
            })
            .collect();
        data.datasets.insert(card.id.clone(), splits);
    }
    data
}

/// `{"config": …, "columns": [[name, [values…]], …]}`: a split as the runtime reads it
/// (`runner/src/tinyml/datasets.rs`), column by column; a class label is its number.
fn shipped_split(config: &str, columns: &[Column], rows: &[Vec<Cell>]) -> String {
    let columns: Vec<serde_json::Value> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let values: Vec<serde_json::Value> =
                rows.iter().map(|r| r.get(i).map_or(serde_json::Value::Null, Cell::json)).collect();
            serde_json::json!([c.name, values])
        })
        .collect();
    serde_json::json!({ "config": config, "columns": columns }).to_string()
}

/// Every dataset of a book, and the optional introduction of the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Datasets {
    /// Cards sorted by id.
    pub cards: Vec<DatasetCard>,
    /// `content/datasets/README.md`, shown above the catalogue.
    pub intro: Option<CardText>,
    /// The book's words in its language (`LoadContext::words`: its own, the other features'
    /// and the book theme's overrides), for what it writes outside its templates (the sidebar
    /// part, headings, breadcrumbs).
    pub words: labbook_core::i18n::strings::Words,
}

/// The dataset pages' words by language (`theme/i18n/<code>.yaml`), in the ten languages of
/// the core's theme; English is the fallback of every key.
pub const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

impl Datasets {
    /// The word `key` in the book's language (the key itself if no file has it).
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key)
    }

    /// The card with this id.
    pub fn get(&self, id: &str) -> Option<&DatasetCard> {
        self.cards.iter().find(|c| c.id == id)
    }
}

/// One dataset card, loaded with its data.
#[derive(Debug, Clone)]
pub struct DatasetCard {
    /// The folder name (`iris`).
    pub id: String,
    /// The card's text.
    pub text: CardText,
    /// The page's output path (`datasets/iris/index.html`).
    pub output: String,
    /// What labbook reads of the metadata.
    pub meta: Metadata,
    /// Top-level keys labbook does not read, for "More metadata".
    pub extra: Vec<(String, serde_yaml::Value)>,
    /// `pretty_name`, else the card's first heading, else the id.
    pub title: String,
    /// The configurations with their splits' data.
    pub configs: Vec<Config>,
    /// Files of the folder the page links to or shows (data files, images), relative to the
    /// folder, `/`-separated; copied beside the page.
    pub files: Vec<String>,
    /// What the Hub tolerates.
    pub warnings: Vec<Diagnostic>,
}

impl DatasetCard {
    /// The folder the page and its files are written to (`datasets/iris`).
    pub fn dir_output(&self) -> String {
        format!("{DATASETS_DIR}/{}", self.id)
    }

    /// Rows over every split of every configuration.
    pub fn total_rows(&self) -> u64 {
        self.configs.iter().flat_map(|c| &c.splits).map(|s| s.rows.len() as u64).sum()
    }

    /// The split `name` of the first configuration that has one.
    pub fn split(&self, name: &str) -> Option<&Split> {
        self.configs.iter().flat_map(|c| &c.splits).find(|s| s.name == name)
    }
}

/// One configuration of a dataset.
#[derive(Debug, Clone)]
pub struct Config {
    /// `config_name` (`default`).
    pub name: String,
    /// The splits, in card order (or train, validation, test).
    pub splits: Vec<Split>,
}

/// One split: its files, typed columns and rows.
#[derive(Debug, Clone)]
pub struct Split {
    /// `train`, `test`...
    pub name: String,
    /// Its data files, relative to the card's folder.
    pub files: Vec<String>,
    /// The columns, typed.
    pub columns: Vec<Column>,
    /// The rows, shared between the book's clones.
    pub rows: Arc<Vec<Vec<Cell>>>,
    /// What the viewer computes from the rows, once (shared between the book's clones; a
    /// split with other rows needs a new one).
    pub derived: viewer::Derived,
}

/// Whether `rel` (relative to the content folder) belongs to the datasets feature: the
/// folder's README.md files and everything inside a dataset's folder.
pub fn is_dataset_path(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if parts.next().as_deref() != Some(DATASETS_DIR) {
        return false;
    }
    match (parts.next(), parts.next()) {
        (Some(readme), None) => readme == "README.md",
        (Some(_), Some(_)) => true,
        _ => false,
    }
}

/// [`load_datasets`], read once per process for one state of the files: every language of
/// a translated book loads the same folder (its default language's), so the second and later
/// languages get a copy of the first's, whose rows and what the viewer derives from them
/// (`Split::rows`, `Split::derived`) are shared, not read, parsed and derived again. A
/// change to any file of the folder (its path, size or modification time) reads it again
/// (`serve`).
pub fn load_datasets_once(content_root: &Path, content_dir: &Path) -> Result<Datasets, Diagnostics> {
    type Loaded = (PathBuf, PathBuf, Vec<(PathBuf, u64, Option<std::time::SystemTime>)>, Datasets);
    static LOADED: std::sync::Mutex<Option<Loaded>> = std::sync::Mutex::new(None);
    let files: Vec<(PathBuf, u64, Option<std::time::SystemTime>)> =
        walkdir::WalkDir::new(content_root.join(DATASETS_DIR))
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((e.into_path(), meta.len(), meta.modified().ok()))
            })
            .collect();
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((root, dir, seen, datasets)) = loaded.as_ref() {
        if root == content_root && dir == content_dir && *seen == files {
            return Ok(datasets.clone());
        }
    }
    let datasets = load_datasets(content_root, content_dir)?;
    *loaded = Some((content_root.to_path_buf(), content_dir.to_path_buf(), files, datasets.clone()));
    Ok(datasets)
}

/// Loads every card under `<content_root>/datasets/`. `content_dir` is the content folder
/// relative to the book root, for messages.
pub fn load_datasets(content_root: &Path, content_dir: &Path) -> Result<Datasets, Diagnostics> {
    let root = content_root.join(DATASETS_DIR);
    let mut datasets = Datasets::default();
    if !root.is_dir() {
        return Ok(datasets);
    }
    let mut errors = Vec::new();
    let rel_intro = Path::new(DATASETS_DIR).join("README.md");
    if root.join("README.md").is_file() {
        match labbook_models::read_card_file(content_root, content_dir, &rel_intro) {
            Ok((text, None)) => datasets.intro = Some(text),
            Ok((text, Some(_))) => errors.push(Diagnostic::new(
                &text.display,
                1,
                1,
                "the catalogue introduction takes no metadata block; dataset cards go in datasets/<id>/README.md",
            )),
            Err(e) => errors.push(e),
        }
    }
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect(),
        Err(e) => return Err(Diagnostic::file(content_dir.join(DATASETS_DIR), format!("cannot read: {e}")).into()),
    };
    dirs.sort();
    for dir in dirs {
        let id = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if id.starts_with('.') {
            continue;
        }
        match load_card(content_root, content_dir, &id) {
            Ok(card) => datasets.cards.push(card),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(datasets)
    } else {
        Err(Diagnostics(errors))
    }
}

fn load_card(content_root: &Path, content_dir: &Path, id: &str) -> Result<DatasetCard, Vec<Diagnostic>> {
    let folder = Path::new(DATASETS_DIR).join(id);
    let rel = folder.join("README.md");
    let display_dir = content_dir.join(&folder);
    if !content_root.join(&rel).is_file() {
        return Err(vec![Diagnostic::file(
            &display_dir,
            "a dataset folder needs a dataset card, README.md (Hugging Face format: YAML metadata between `---` lines, then Markdown)",
        )]);
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(vec![Diagnostic::file(
            &display_dir,
            format!("the dataset id `{id}` (the folder name) may use only letters, digits, `-`, `_` and `.`"),
        )]);
    }
    let (text, block) = labbook_models::read_card_file(content_root, content_dir, &rel).map_err(|e| vec![e])?;
    let mut warnings = Vec::new();
    let parsed = match &block {
        Some((yaml, first_line)) => {
            match labbook_core::config::parse_yaml::<serde_yaml::Value>(yaml, &text.display, *first_line) {
                Ok(value) => metadata::read(&value, yaml, &text.display, *first_line),
                // The Hub shows a card whose metadata is not YAML, with an error banner and
                // without its metadata; so does labbook, with the error as a warning.
                Err(mut e) => {
                    e.message = format!("the metadata block is not valid YAML ({}); the card is shown without metadata, as the Hub shows it", e.message);
                    warnings.push(e);
                    metadata::Parsed {
                        meta: Metadata::default(),
                        extra: Vec::new(),
                        warnings: Vec::new(),
                        errors: Vec::new(),
                    }
                }
            }
        }
        None => {
            warnings.push(Diagnostic::new(
                &text.display,
                1,
                1,
                "the card has no metadata block (`---` lines with license, task_categories, configs, ...); it is shown without a licence or tasks",
            ));
            metadata::Parsed { meta: Metadata::default(), extra: Vec::new(), warnings: Vec::new(), errors: Vec::new() }
        }
    };
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    warnings.extend(parsed.warnings);
    let dir = content_root.join(&folder);
    let (configs, files) = columns::load_configs(&dir, &display_dir, &text.display, &parsed.meta)?;
    let title = parsed
        .meta
        .pretty_name
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            labbook_models::first_heading(&text.body)
                .map(|h| h.strip_prefix("Dataset Card for ").map(str::to_string).unwrap_or(h))
        })
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| id.to_string());
    Ok(DatasetCard {
        id: id.to_string(),
        output: format!("{DATASETS_DIR}/{id}/index.html"),
        text,
        meta: parsed.meta,
        extra: parsed.extra,
        title,
        configs,
        files,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_paths() {
        assert!(is_dataset_path(Path::new("datasets/README.md")));
        assert!(is_dataset_path(Path::new("datasets/iris/README.md")));
        assert!(is_dataset_path(Path::new("datasets/iris/data/train.csv")));
        assert!(!is_dataset_path(Path::new("datasets/notes.md")));
        assert!(!is_dataset_path(Path::new("ml/datasets/x/README.md")));
    }
}
