//! The dataset pages and the catalogue. They are pages of the book ([`pages`], added at
//! load): a card's Markdown goes through the one transform, link check and `page.html`; the
//! feature gives each its view ([`view`]): the theme's `dataset.html` or `datasets.html`
//! and the data they write the article from (metadata, splits, columns with their
//! statistics, the first rows, the models trained on the data).

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::columns::Kind;
use crate::metadata::size_category;
use crate::stats::{column_stats, ColumnStats};
use crate::viewer::{self, ViewerMeta};
use crate::{DatasetCard, Datasets, DATASETS_DIR};
use labbook_core::content::{Book, FrontMatter, Page};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::escape::escape_html;
use labbook_core::markdown::{relative_url, Heading, Rendered};
use labbook_core::output::OutFile;
use labbook_core::render::PageView;
use labbook_core::search::SearchDoc;
use labbook_models::catalogue::{card_page, facet, CardPage};
use labbook_models::page::summary;

/// The search kind of dataset pages.
pub const SEARCH_KIND: &str = "dataset";
/// Rows the page itself shows (with JavaScript off, and before the viewer starts).
pub const FIRST_ROWS: usize = 100;

/// The catalogue's output path.
pub fn catalogue_output() -> String {
    format!("{DATASETS_DIR}/index.html")
}

/// Ids `dataset.html` writes around a card's own headings.
const TEMPLATE_IDS: &[&str] = &["dataset-overview", "dataset-more", "dataset-models", "dataset-data", "dataset-files"];

fn page(text: &labbook_models::CardText, output: String, title: String, lenient: bool, tags: Vec<String>) -> Page {
    Page {
        rel: text.rel.clone(),
        display: text.display.clone(),
        abs: text.abs.clone(),
        output,
        front: FrontMatter { tags, ..FrontMatter::default() },
        body: text.body.clone(),
        body_line: text.body_line,
        source_lines: Vec::new(),
        title,
        has_h1: true,
        lenient_links: lenient,
        warnings: Vec::new(),
        template_ids: if lenient { TEMPLATE_IDS.iter().map(|s| s.to_string()).collect() } else { Vec::new() },
        files: Vec::new(),
    }
}

/// The catalogue and one page per card, as pages of the book. A card's broken links are
/// warnings, as the Hub shows a card's links as written.
pub fn pages(datasets: &Datasets, content_root: &Path, content_dir: &Path) -> Vec<Page> {
    if datasets.cards.is_empty() && datasets.intro.is_none() {
        return Vec::new();
    }
    let catalogue = match &datasets.intro {
        Some(text) => {
            let title =
                labbook_models::first_heading(&text.body).unwrap_or_else(|| datasets.word("dataset_part").to_string());
            page(text, catalogue_output(), title, false, Vec::new())
        }
        None => {
            let rel = Path::new(DATASETS_DIR).join("README.md");
            let text = labbook_models::CardText {
                abs: content_root.join(&rel),
                display: content_dir.join(DATASETS_DIR),
                rel,
                body: String::new(),
                body_line: 1,
            };
            page(&text, catalogue_output(), datasets.word("dataset_part").to_string(), false, Vec::new())
        }
    };
    let mut pages = vec![catalogue];
    pages.extend(
        datasets.cards.iter().map(|c| page(&c.text, c.output.clone(), c.title.clone(), true, c.meta.tags.clone())),
    );
    pages
}

/// The catalogue and the dataset pages are generated: a Markdown page may not take their paths.
pub fn check_page_collisions(datasets: &Datasets, pages: &[Page]) -> Result<(), Diagnostics> {
    if datasets.cards.is_empty() && datasets.intro.is_none() {
        return Ok(());
    }
    let catalogue = catalogue_output();
    let errors: Vec<Diagnostic> = pages
        .iter()
        .filter(|p| p.output == catalogue || datasets.cards.iter().any(|c| c.output == p.output))
        .map(|p| {
            Diagnostic::file(
                &p.display,
                format!("writes `{}`, which the dataset catalogue or a dataset card writes; rename the page", p.output),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

fn dataset_page(book: &Book, i: usize) -> Option<CardPage<'_, DatasetCard>> {
    let datasets = crate::datasets(book);
    let shown = !datasets.cards.is_empty() || datasets.intro.is_some();
    card_page(&book.pages.get(i)?.output, &catalogue_output(), shown, &datasets.cards, |c| &c.output)
}

/// The view of a dataset page or of the catalogue.
pub fn view(book: &Book, i: usize, rendered: &[Rendered]) -> Option<PageView> {
    match dataset_page(book, i)? {
        CardPage::Card(card) => Some(card_view(book, card, &rendered[i])),
        CardPage::Catalogue => Some(catalogue_view(book, i, rendered)),
    }
}

/// One record of kind `dataset` per dataset page: the card, its facts and column names.
pub fn records<'a>(book: &Book, i: usize, rendered: &'a Rendered) -> Option<Vec<SearchDoc<'a>>> {
    match dataset_page(book, i)? {
        CardPage::Catalogue => Some(Vec::new()),
        CardPage::Card(card) => {
            let m = &card.meta;
            let mut facts: Vec<&str> = m
                .task_categories
                .iter()
                .chain(&m.task_ids)
                .chain(&m.language)
                .chain(&m.license)
                .map(String::as_str)
                .collect();
            let columns: Vec<&str> =
                card.configs.iter().flat_map(|c| &c.splits).flat_map(|s| &s.columns).map(|c| c.name.as_str()).collect();
            facts.extend(columns);
            let html = format!("<p>{}</p>\n{}", escape_html(&facts.join(" ")), strip_h1(&rendered.html));
            Some(vec![SearchDoc {
                url: card.output.clone(),
                title: card.title.clone(),
                breadcrumb: vec![crate::datasets(book).word("dataset_part").into()],
                kind: SEARCH_KIND.to_string(),
                tags: m.tags.clone(),
                html: std::borrow::Cow::Owned(html),
                // Every language shows the default language's cards.
                language: labbook_core::search::default_text(book),
            }])
        }
    }
}

/// Each card and the files the page shows or links (data files, images), beside the page.
pub fn file_copies(book: &Book) -> Vec<OutFile> {
    let mut out = Vec::new();
    for card in &crate::datasets(book).cards {
        out.push(OutFile::copy(&card.output.replace("index.html", "README.md"), card.text.abs.clone()));
        let dir = card.text.abs.parent().expect("a card is in its folder");
        for f in &card.files {
            out.push(OutFile::copy(&format!("{}/{f}", card.dir_output()), dir.join(f)));
        }
    }
    out
}

fn strip_h1(html: &str) -> &str {
    let trimmed = html.trim_start();
    if trimmed.starts_with("<h1") {
        if let Some(end) = trimmed.find("</h1>") {
            return trimmed[end + 5..].trim_start();
        }
    }
    html
}

#[derive(Serialize)]
struct ColumnCtx {
    name: String,
    dtype: String,
    kind: Kind,
    /// Class names, shown under a label column's type.
    names: Vec<String>,
    stats: ColumnStats,
    /// The header's class (`num` or `text`).
    align: &'static str,
}

#[derive(Serialize)]
struct SplitCtx {
    /// `default / train`, or `train` when the card has one configuration.
    title: String,
    id: String,
    config: String,
    name: String,
    rows: usize,
    rows_text: String,
    files: Vec<(String, String)>,
    columns: Vec<ColumnCtx>,
    /// The first rows' `<tr>` elements ([`viewer::first_rows`]).
    first_rows: String,
    shown: usize,
    viewer: String,
    /// Cells align right unless marked (see [`viewer::first_rows`]).
    numeric: bool,
}

#[derive(Serialize)]
struct ModelLink {
    title: String,
    url: String,
    /// "trained on" from `datasets:`, or "evaluated on" from the results only.
    relation: &'static str,
}

#[derive(Serialize)]
struct DatasetCtx<'a> {
    id: &'a str,
    title: &'a str,
    licenses: &'a [String],
    license_name: Option<&'a str>,
    license_link: Option<&'a str>,
    languages: &'a [String],
    tasks: Vec<(String, String)>,
    task_ids: &'a [String],
    /// Size categories with their URL-encoded form, for the catalogue's hash.
    size_links: Vec<(String, String)>,
    tags: &'a [String],
    sources: &'a [String],
    annotations: &'a [String],
    rows_text: String,
    body: String,
    splits: Vec<SplitCtx>,
    models: Vec<ModelLink>,
    extra: Vec<(String, String)>,
    catalogue: String,
    cell_chars: usize,
}

/// The sizes the card gives, else the one its rows fall in.
fn sizes(card: &DatasetCard) -> Vec<String> {
    if card.meta.size_categories.is_empty() {
        vec![size_category(card.total_rows()).to_string()]
    } else {
        card.meta.size_categories.clone()
    }
}

/// The models of the book whose card names this dataset: `datasets:` (trained on) or a
/// `model-index` result's dataset (evaluated on).
fn models_of(book: &Book, card: &DatasetCard) -> Vec<ModelLink> {
    let mut out = Vec::new();
    for m in &labbook_models::models(book).cards {
        let trained = m.meta.datasets.iter().any(|d| labbook_models::names_dataset(d, &card.id));
        let evaluated = m
            .meta
            .model_index
            .iter()
            .flat_map(|e| &e.results)
            .filter_map(|r| r.dataset.as_ref())
            .any(|d| labbook_models::names_dataset(&d.kind, &card.id));
        if trained || evaluated {
            out.push(ModelLink {
                title: m.title.clone(),
                url: relative_url(&card.output, &m.output),
                // The theme's word for the relation (`dataset_trained_on`, `dataset_evaluated_on`).
                relation: if trained { "dataset_trained_on" } else { "dataset_evaluated_on" },
            });
        }
    }
    out
}

fn card_view(book: &Book, card: &DatasetCard, r: &Rendered) -> PageView {
    let m = &card.meta;
    let one_config = card.configs.len() == 1;
    let mut metas: Vec<ViewerMeta> = Vec::new();
    let splits: Vec<SplitCtx> = viewer::splits(card)
        .map(|(n, config, split)| {
            let numeric = viewer::numeric(split);
            let columns: Vec<ColumnCtx> = split
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| ColumnCtx {
                    name: c.name.clone(),
                    dtype: c.dtype.clone(),
                    kind: c.kind,
                    names: c.names.clone(),
                    stats: column_stats(c, i, &split.rows, &book.words),
                    align: if c.kind == Kind::Number { "num" } else { "text" },
                })
                .collect();
            let meta = viewer::meta(card, n, split);
            let data = serde_json::to_string(&meta).expect("JSON serializes").replace("</", "<\\/");
            metas.push(meta);
            SplitCtx {
                title: if one_config { split.name.clone() } else { format!("{config} / {}", split.name) },
                id: format!("dataset-split-{n}"),
                config: config.to_string(),
                name: split.name.clone(),
                rows: split.rows.len(),
                rows_text: book.words.numbers().integer(split.rows.len() as i128),
                files: split.files.iter().map(|f| (f.clone(), f.clone())).collect(),
                columns,
                first_rows: viewer::first_rows(split).to_string(),
                shown: split.rows.len().min(FIRST_ROWS),
                viewer: data,
                numeric,
            }
        })
        .collect();
    let ctx = DatasetCtx {
        id: &card.id,
        title: &card.title,
        licenses: &m.license,
        license_name: m.license_name.as_deref(),
        license_link: m.license_link.as_deref(),
        languages: &m.language,
        tasks: m.task_categories.iter().map(|t| (t.clone(), labbook_models::licenses::task_label(t))).collect(),
        task_ids: &m.task_ids,
        size_links: sizes(card)
            .into_iter()
            .map(|s| {
                let e = encode_component(&s);
                (s, e)
            })
            .collect(),
        tags: &m.tags,
        sources: &m.source_datasets,
        annotations: &m.annotations_creators,
        rows_text: book.words.numbers().integer(card.total_rows().into()),
        body: strip_h1(&r.html).to_string(),
        splits,
        models: models_of(book, card),
        extra: card.extra.iter().map(|(k, v)| (k.clone(), crate::metadata::yaml_inline(v))).collect(),
        catalogue: relative_url(&card.output, &catalogue_output()),
        cell_chars: viewer::CELL_CHARS,
    };
    let words = crate::datasets(book);
    let mut headings = Vec::new();
    if !ctx.extra.is_empty() {
        headings.push(heading(2, "dataset-more", words.word("dataset_more_metadata")));
    }
    if !ctx.models.is_empty() {
        headings.push(heading(2, "dataset-models", words.word("dataset_models")));
    }
    headings.push(heading(2, "dataset-data", words.word("dataset_data")));
    for s in &ctx.splits {
        let title =
            labbook_core::i18n::strings::fill(words.word("dataset_split"), &|n| (n == "name").then(|| s.title.clone()));
        headings.push(heading(3, &s.id, &title));
    }
    headings.extend(r.headings.iter().filter(|h| h.level > 1).cloned());
    let mut data = tera::Context::new();
    data.insert("dataset", &ctx);
    PageView {
        template: "dataset.html",
        data,
        description: Some(summary(r)),
        headings: Some(headings),
        breadcrumbs: Some(vec![(words.word("dataset_part").into(), Some(catalogue_output()))]),
        scripts: vec!["datasets.js".to_string()],
        styles: vec!["datasets.css".to_string()],
    }
}

/// `encodeURIComponent` of a facet value (`n<1K` -> `n%3C1K`).
fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn heading(level: u8, id: &str, text: &str) -> Heading {
    Heading { level, id: id.into(), html: escape_html(text), text: text.into() }
}

#[derive(Serialize)]
struct CatalogueEntry {
    id: String,
    title: String,
    url: String,
    summary: String,
    tasks: Vec<String>,
    task_labels: Vec<String>,
    licenses: Vec<String>,
    languages: Vec<String>,
    sizes: Vec<String>,
    rows: u64,
    rows_text: String,
}

fn catalogue_view(book: &Book, i: usize, rendered: &[Rendered]) -> PageView {
    let output = catalogue_output();
    let page_of: HashMap<&str, usize> = book.pages.iter().enumerate().map(|(j, p)| (p.output.as_str(), j)).collect();
    let no_text = Rendered::default();
    let datasets = crate::datasets(book);
    let entries: Vec<CatalogueEntry> = datasets
        .cards
        .iter()
        .map(|card| {
            let r = page_of.get(card.output.as_str()).map_or(&no_text, |&j| &rendered[j]);
            CatalogueEntry {
                id: card.id.clone(),
                title: card.title.clone(),
                url: relative_url(&output, &card.output),
                summary: summary(r),
                tasks: card.meta.task_categories.clone(),
                task_labels: card
                    .meta
                    .task_categories
                    .iter()
                    .map(|t| labbook_models::licenses::task_label(t))
                    .collect(),
                licenses: card.meta.license.clone(),
                languages: card.meta.language.clone(),
                sizes: sizes(card),
                rows: card.total_rows(),
                rows_text: book.words.numbers().integer(card.total_rows().into()),
            }
        })
        .collect();
    let mut sizes = facet(&entries, "size", "Sizes", |e| e.sizes.clone());
    let rank = |v: &str| crate::metadata::SIZE_CATEGORIES.iter().position(|s| *s == v).unwrap_or(usize::MAX);
    sizes.values.sort_by_key(|(v, _, _)| rank(v));
    let facets = vec![
        facet(&entries, "task", "Tasks", |e| e.tasks.clone()),
        facet(&entries, "license", "Licenses", |e| e.licenses.clone()),
        facet(&entries, "language", "Languages", |e| e.languages.clone()),
        sizes,
    ];
    let data = serde_json::to_string(&entries).expect("JSON serializes").replace("</", "<\\/");
    let intro = datasets.intro.as_ref().map(|_| strip_h1(&rendered[i].html).to_string());
    let mut ctx = tera::Context::new();
    ctx.insert("title", &book.pages[i].title);
    ctx.insert("intro", &intro);
    ctx.insert("datasets", &entries);
    ctx.insert("facets", &facets);
    ctx.insert("words", "dataset");
    ctx.insert("data", &data);
    PageView {
        template: "datasets.html",
        data: ctx,
        description: Some(format!("{} datasets of {}", entries.len(), book.config.title)),
        headings: Some(Vec::new()),
        breadcrumbs: Some(Vec::new()),
        scripts: vec!["catalogue.js".to_string(), "datasets.js".to_string()],
        // The catalogue's layout is the model catalogue's (the models feature ships it).
        styles: vec!["models.css".to_string(), "datasets.css".to_string()],
    }
}
