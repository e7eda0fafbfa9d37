//! The model pages and the catalogue. They are pages of the book like any other
//! ([`pages`], added at load): the cards' Markdown goes through the one transform, link
//! check and `page.html`; the feature only gives each its view ([`view`]): the theme's
//! `model.html` or `models.html` and the data they write the article from.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::catalogue::{card_page, facet, CardPage};
use super::metadata::{InputKind, MetricValue, WidgetOutput};
use super::widget;
use super::{ModelCard, Models, MODELS_DIR};
use labbook_core::content::{Book, FrontMatter, Page};
use labbook_core::i18n::numbers::NumberFormat;
use labbook_core::markdown::{relative_url, Heading, Rendered};
use labbook_core::output::OutFile;
use labbook_core::render::PageView;
use labbook_core::search::SearchDoc;
use labbook_exercises::runtime::asset_path;

/// The search kind of model pages.
pub const SEARCH_KIND: &str = "model";

/// The catalogue's output path.
pub fn catalogue_output() -> String {
    format!("{MODELS_DIR}/index.html")
}

/// Ids `model.html` writes around a card's own headings (links to them pass the check).
const TEMPLATE_IDS: &[&str] =
    &["model-overview", "model-more", "model-try", "model-examples", "model-results", "model-files", "model-tensors"];

/// The catalogue and one page per card, as pages of the book: the catalogue's Markdown is
/// the introduction (`models/README.md`), a card page's is the card's. A card's broken links
/// are warnings, as the Hub shows a card's links as written.
pub fn pages(models: &Models, content_root: &Path, content_dir: &Path) -> Vec<Page> {
    if models.cards.is_empty() && models.intro.is_none() {
        return Vec::new();
    }
    let intro_rel = Path::new(MODELS_DIR).join("README.md");
    let catalogue = match &models.intro {
        Some(text) => Page {
            rel: text.rel.clone(),
            display: text.display.clone(),
            abs: text.abs.clone(),
            output: catalogue_output(),
            front: FrontMatter::default(),
            body: text.body.clone(),
            body_line: text.body_line,
            title: super::first_heading(&text.body).unwrap_or_else(|| models.word("model_part").to_string()),
            has_h1: true,
            lenient_links: false,
            warnings: Vec::new(),
            source_lines: Vec::new(),
            template_ids: Vec::new(),
            files: Vec::new(),
        },
        None => Page {
            rel: intro_rel.clone(),
            display: content_dir.join(MODELS_DIR),
            abs: content_root.join(&intro_rel),
            output: catalogue_output(),
            front: FrontMatter::default(),
            body: String::new(),
            body_line: 1,
            title: models.word("model_part").to_string(),
            has_h1: true,
            lenient_links: false,
            warnings: Vec::new(),
            source_lines: Vec::new(),
            template_ids: Vec::new(),
            files: Vec::new(),
        },
    };
    let mut pages = vec![catalogue];
    pages.extend(models.cards.iter().map(|card| Page {
        rel: card.text.rel.clone(),
        display: card.text.display.clone(),
        abs: card.text.abs.clone(),
        output: card.output.clone(),
        front: FrontMatter { tags: card.meta.tags.clone(), ..FrontMatter::default() },
        body: card.text.body.clone(),
        body_line: card.text.body_line,
        title: card.title.clone(),
        has_h1: true,
        lenient_links: true,
        warnings: Vec::new(),
        source_lines: Vec::new(),
        template_ids: TEMPLATE_IDS.iter().map(|id| id.to_string()).collect(),
        files: Vec::new(),
    }));
    pages
}

fn model_page(book: &Book, i: usize) -> Option<CardPage<'_, ModelCard>> {
    let models = crate::models(book);
    let shown = !models.cards.is_empty() || models.intro.is_some();
    card_page(&book.pages.get(i)?.output, &catalogue_output(), shown, &models.cards, |c| &c.output)
}

/// The view of a model page or of the catalogue: its template and data.
pub fn view(book: &Book, i: usize, rendered: &[Rendered]) -> Option<PageView> {
    match model_page(book, i)? {
        CardPage::Card(card) => Some(card_view(book, card, &rendered[i])),
        CardPage::Catalogue => Some(catalogue_view(book, i, rendered)),
    }
}

/// The search records of page `i` when it is a model page (one of kind `model`) or the
/// catalogue (none: it lists what the model pages say).
pub fn records<'a>(book: &Book, i: usize, rendered: &'a Rendered) -> Option<Vec<SearchDoc<'a>>> {
    match model_page(book, i)? {
        CardPage::Catalogue => Some(Vec::new()),
        CardPage::Card(card) => {
            let meta = &card.meta;
            // The index gets the card and its facts, not the hashes and tensor names around them.
            let facts: Vec<&str> = meta
                .pipeline_tag
                .iter()
                .chain(&meta.library_name)
                .chain(&meta.datasets)
                .chain(&meta.language)
                .map(String::as_str)
                .collect();
            let task_label = meta.pipeline_tag.as_deref().map(super::licenses::task_label).unwrap_or_default();
            let html = format!(
                "<p>{} {}</p>\n{}",
                labbook_core::render::escape_html(&task_label),
                labbook_core::render::escape_html(&facts.join(" ")),
                strip_h1(&rendered.html)
            );
            Some(vec![SearchDoc {
                url: card.output.clone(),
                title: card.title.clone(),
                breadcrumb: vec![crate::models(book).word("model_part").into()],
                kind: SEARCH_KIND.to_string(),
                tags: meta.tags.clone(),
                html: std::borrow::Cow::Owned(html),
                // A card without `README.<code>.md` reads in the default language.
                language: (card.text.rel.file_name().is_some_and(|n| n == "README.md"))
                    .then(|| labbook_core::search::default_text(book))
                    .flatten(),
            }])
        }
    }
}

/// Each card itself, beside its page: one of the model's files, as on the Hub.
pub fn readme_copies(book: &Book) -> Vec<OutFile> {
    crate::models(book)
        .cards
        .iter()
        .map(|card| OutFile::copy(&card.output.replace("index.html", "README.md"), card.text.abs.clone()))
        .collect()
}

/// The python runtime's script, which the widget loads: the exercises feature ships it.
fn runtime_src(book: &Book) -> Option<String> {
    labbook_exercises::exercises(book).runtimes.get(labbook_exercises::PYTHON).map(asset_path)
}

#[derive(Serialize)]
struct LicenseCtx {
    id: Option<String>,
    name: Option<String>,
    link: Option<String>,
}

#[derive(Serialize)]
struct MetricCtx {
    label: String,
    kind: String,
    value: String,
    args: Option<String>,
    model: String,
}

#[derive(Serialize)]
struct ResultCtx {
    task: String,
    task_label: String,
    dataset: String,
    dataset_name: String,
    /// The book's page of the dataset, relative to the model page.
    dataset_page: Option<String>,
    split: Option<String>,
    config: Option<String>,
    source: Option<String>,
    metrics: Vec<MetricCtx>,
}

#[derive(Serialize)]
struct FileCtx {
    name: String,
    url: String,
    size: u64,
    size_human: String,
    sha256: String,
}

#[derive(Serialize)]
struct TensorRow {
    name: String,
    dtype: String,
    shape: String,
    parameters: String,
}

#[derive(Serialize)]
struct TensorTable {
    file: String,
    rows: Vec<TensorRow>,
    parameters: String,
    parameters_human: String,
    header_bytes: u64,
    metadata: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ExampleCtx {
    title: String,
    /// What the example feeds the model, as text for the JS-off view.
    input: String,
    /// 8×8 grey levels, for a small static picture.
    pixels: Option<Vec<f64>>,
    /// Expected scores, best first.
    scores: Vec<(String, f64)>,
    /// Expected generated text.
    text: Option<String>,
}

#[derive(Serialize)]
struct WidgetCtx {
    kind: InputKind,
    examples: Vec<ExampleCtx>,
    /// The JSON the script reads (`</` escaped).
    data: String,
    runtime: bool,
}

/// One key of the "More metadata" panel: short values inline, structured ones as YAML.
#[derive(Serialize)]
struct ExtraCtx {
    key: String,
    inline: Option<String>,
    block: Option<String>,
}

/// A widget example shown as text, for a card whose model cannot run in the page.
#[derive(Serialize)]
struct StaticExampleCtx {
    title: String,
    /// `text`, `src` and any other input key, as (key, text); `src` is a link.
    inputs: Vec<(String, String)>,
    /// A chat example's messages, as (role, content).
    messages: Vec<(String, String)>,
    /// Expected scores.
    scores: Vec<(String, f64)>,
    /// Expected text, or another expected output as YAML.
    output: Option<String>,
}

/// A `datasets:` entry, linked to the book's page of the dataset when it has one.
#[derive(Serialize)]
struct DatasetLink {
    id: String,
    page: Option<String>,
}

/// A `base_model` entry, linked to the Hub when it reads as a repository id.
#[derive(Serialize)]
struct BaseModelCtx {
    id: String,
    url: Option<String>,
}

/// A repository on the Hub the card names.
#[derive(Serialize)]
struct HubLink {
    id: String,
    url: String,
}

#[derive(Serialize)]
struct ModelCtx<'a> {
    id: &'a str,
    title: &'a str,
    task: Option<&'a str>,
    task_label: Option<String>,
    library: Option<&'a str>,
    languages: &'a [String],
    license: LicenseCtx,
    datasets: Vec<DatasetLink>,
    base_models: Vec<BaseModelCtx>,
    base_model_relation: Option<&'a str>,
    tags: &'a [String],
    results: Vec<ResultCtx>,
    body: String,
    /// In a translation, a card without `README.<code>.md`: the language and direction its
    /// text is written in (the default language's), as a fallback page's article carries.
    body_language: Option<(String, &'static str)>,
    files: Vec<FileCtx>,
    tensors: Vec<TensorTable>,
    parameters_human: Option<String>,
    widget: Option<WidgetCtx>,
    /// The widget examples as text, when the model cannot run here.
    static_examples: Vec<StaticExampleCtx>,
    /// The widget's task and where it came from, when it is not `pipeline_tag`.
    widget_task: Option<(String, String)>,
    /// The "More metadata" panel.
    extra: Vec<ExtraCtx>,
    /// Whether the folder has safetensors weights.
    has_weights: bool,
    /// Why there is no "Try it", when weights are there but cannot run here.
    no_widget_reason: Option<String>,
    /// The card's own repository on the Hub (a `model-index` name such as `org/model`).
    hub_repo: Option<HubLink>,
    /// `base_model` entries, linked to the Hub.
    base_links: Vec<HubLink>,
    catalogue: String,
}

/// Whether `id` reads as a Hub repository id, `owner/name`.
fn is_hub_id(id: &str) -> bool {
    let mut parts = id.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

fn hub_link(id: &str) -> HubLink {
    HubLink { id: id.to_string(), url: format!("https://huggingface.co/{id}") }
}

fn extra_ctx(extra: &[(String, serde_yaml::Value)]) -> Vec<ExtraCtx> {
    use serde_yaml::Value;
    extra
        .iter()
        .map(|(key, value)| {
            let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null);
            let short = match value {
                Value::Null => Some("—".to_string()),
                Value::String(s) if !s.contains('\n') && s.chars().count() <= 120 => Some(s.clone()),
                Value::Number(_) | Value::Bool(_) => Some(yaml_inline(value)),
                Value::Sequence(items) if items.iter().all(scalar) && items.len() <= 12 => Some(yaml_inline(value)),
                _ => None,
            };
            match short {
                Some(inline) => ExtraCtx { key: key.clone(), inline: Some(inline), block: None },
                None => {
                    let block = match value {
                        Value::String(s) => s.trim_end().to_string(),
                        other => serde_yaml::to_string(other).unwrap_or_default().trim_end().to_string(),
                    };
                    ExtraCtx { key: key.clone(), inline: None, block: Some(block) }
                }
            }
        })
        .collect()
}

fn yaml_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim_end().to_string(),
    }
}

/// The card's widget examples as text.
fn static_examples(card: &ModelCard) -> Vec<StaticExampleCtx> {
    let raw = super::metadata::widget_entries(&card.meta_yaml);
    card.meta
        .widget
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let shown_elsewhere = ["example_title", "messages", "output"];
            let inputs = raw
                .get(i)
                .map(|entry| {
                    entry
                        .iter()
                        .filter(|(k, _)| !shown_elsewhere.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), yaml_text(v)))
                        .collect()
                })
                .unwrap_or_default();
            let messages = w.messages.iter().flatten().map(|m| (m.role.clone(), m.content.clone())).collect();
            let (scores, output) = match &w.output {
                Some(WidgetOutput::Labels(l)) => (l.iter().map(|l| (l.label.clone(), l.score)).collect(), None),
                Some(WidgetOutput::Text { text }) => (Vec::new(), Some(text.clone())),
                Some(WidgetOutput::Other(v)) => (Vec::new(), Some(yaml_text(v))),
                None => (Vec::new(), None),
            };
            StaticExampleCtx {
                title: w.example_title.clone().unwrap_or_else(|| format!("Example {}", i + 1)),
                inputs,
                messages,
                scores,
                output,
            }
        })
        .collect()
}

/// 2410 -> "2,410" (`2.410` in German).
pub fn thousands(n: u64, nf: &NumberFormat) -> String {
    nf.integer(n.into())
}

/// 2410 -> "2.4k", 7_000_000 -> "7M", as the Hub abbreviates parameter counts (the decimal
/// mark the language's: `2,4k` in French).
pub fn short_count(n: u64, nf: &NumberFormat) -> String {
    let (value, unit) = match n {
        0..1_000 => return nf.integer(n.into()),
        1_000..1_000_000 => (n as f64 / 1e3, "k"),
        1_000_000..1_000_000_000 => (n as f64 / 1e6, "M"),
        _ => (n as f64 / 1e9, "B"),
    };
    let text = if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") };
    format!("{}{unit}", nf.plain(text.trim_end_matches(".0")))
}

/// 9984 -> "9.75 KiB" (`9,75 KiB` in French).
pub fn human_size(bytes: u64, nf: &NumberFormat) -> String {
    if bytes < 1024 {
        return format!("{} B", nf.integer(bytes.into()));
    }
    let mut value = bytes as f64;
    for unit in ["KiB", "MiB", "GiB", "TiB"] {
        value /= 1024.0;
        if value < 1024.0 {
            return format!("{} {unit}", nf.plain(&format!("{value:.2}")));
        }
    }
    format!("{} PiB", nf.plain(&format!("{value:.2}")))
}

/// A metric value as the page shows it: the number (in the language's way), the text as
/// written, or "—".
fn show_value(v: &MetricValue, nf: &NumberFormat) -> String {
    match v {
        MetricValue::Number(n) => format_value(*n, nf),
        MetricValue::Text(t) => t.clone(),
        MetricValue::Missing => "—".to_string(),
    }
}

fn format_value(v: f64, nf: &NumberFormat) -> String {
    let s = format!("{v}");
    if s.contains('e') {
        format!("{v:.4e}").replacen('.', nf.decimal, 1)
    } else {
        nf.plain(&s)
    }
}

fn yaml_inline(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::Mapping(m) => {
            m.iter().map(|(k, v)| format!("{}: {}", yaml_inline(k), yaml_inline(v))).collect::<Vec<_>>().join(", ")
        }
        serde_yaml::Value::Sequence(s) => s.iter().map(yaml_inline).collect::<Vec<_>>().join(", "),
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// The `model-index` results grouped per task and dataset (and split), in card order.
fn results(book: &Book, card: &ModelCard) -> Vec<ResultCtx> {
    let nf = book.words.numbers();
    let mut out: Vec<ResultCtx> = Vec::new();
    for entry in &card.meta.model_index {
        for r in &entry.results {
            let metrics = r.metrics.iter().map(|m| MetricCtx {
                label: m.name.clone().unwrap_or_else(|| m.kind.clone()),
                kind: m.kind.clone(),
                value: show_value(&m.value, &nf),
                args: m.args.as_ref().map(yaml_inline),
                model: entry.name.clone(),
            });
            let dataset = r.dataset.clone().unwrap_or_default();
            let same = |g: &&mut ResultCtx| {
                g.task == r.task.kind
                    && g.dataset == dataset.kind
                    && g.dataset_name == dataset.name
                    && g.split == dataset.split
                    && g.config == dataset.config
            };
            if let Some(group) = out.iter_mut().find(|g| same(g)) {
                group.metrics.extend(metrics);
                continue;
            }
            out.push(ResultCtx {
                task: r.task.kind.clone(),
                task_label: r.task.name.clone().unwrap_or_else(|| super::licenses::task_label(&r.task.kind)),
                dataset: dataset.kind.clone(),
                dataset_name: dataset.name.clone(),
                dataset_page: crate::dataset_page(book, &dataset.kind).map(|p| relative_url(&card.output, &p)),
                split: dataset.split.clone(),
                config: dataset.config.clone(),
                source: r.source.as_ref().map(|s| s.name.clone()),
                metrics: metrics.collect(),
            });
        }
    }
    out
}

/// The card's HTML without its leading `<h1>`, which the template writes above the panel.
fn strip_h1(html: &str) -> &str {
    let trimmed = html.trim_start();
    if trimmed.starts_with("<h1") {
        if let Some(end) = trimmed.find("</h1>") {
            return trimmed[end + 5..].trim_start();
        }
    }
    html
}

/// A card's summary for the catalogue and `<meta>`: the first paragraph's text, which the
/// Markdown stage reports ([`Rendered::first_paragraph`]), cut to 220 characters.
pub fn summary(r: &Rendered) -> String {
    let text = &r.first_paragraph;
    if text.chars().count() > 220 {
        let cut: String = text.chars().take(217).collect();
        format!("{}…", cut.trim_end())
    } else {
        text.clone()
    }
}

fn widget_ctx(card: &ModelCard, runtime_src: Option<&str>) -> Option<WidgetCtx> {
    let arch = widget::runnable(card)?;
    let weights = card.weights()?;
    let kind = widget::architecture_input(arch);
    let settings = widget::settings(card);
    let examples: Vec<ExampleCtx> = card
        .meta
        .widget
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let input = match kind {
                InputKind::Tabular => w
                    .structured_data
                    .as_ref()
                    .map(|d| {
                        d.iter()
                            .map(|(k, v)| format!("{k} = {}", v.first().copied().unwrap_or(0.0)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                InputKind::Image => "an 8×8 drawing".to_string(),
                InputKind::Text => {
                    format!("prefix “{}”, seed {}", w.text.as_deref().unwrap_or(""), w.seed.unwrap_or(0))
                }
            };
            let (scores, text) = match &w.output {
                Some(WidgetOutput::Labels(l)) => (l.iter().map(|l| (l.label.clone(), l.score)).collect(), None),
                Some(WidgetOutput::Text { text }) => (Vec::new(), Some(text.clone())),
                Some(WidgetOutput::Other(v)) => (Vec::new(), Some(yaml_text(v))),
                None => (Vec::new(), None),
            };
            ExampleCtx {
                title: w.example_title.clone().unwrap_or_else(|| format!("Example {}", i + 1)),
                input,
                pixels: w.pixels.clone(),
                scores,
                text,
            }
        })
        .collect();
    let path = std::path::Path::new(&card.text.abs).with_file_name(&weights.name);
    let weights_b64 = std::fs::read(&path).ok().map(|b| widget::base64(&b))?;
    let runtime = runtime_src.map(|src| relative_url(&card.output, src));
    let data = serde_json::json!({
        "model": card.id,
        "kind": kind,
        "architecture": arch,
        "program": widget::program(arch),
        "labels": settings.labels,
        "features": settings.features,
        "max_len": settings.max_len,
        "samples": widget::SAMPLES_PER_RUN,
        "weights": weights_b64,
        "runtime": runtime,
        "examples": card.meta.widget,
    });
    let data = serde_json::to_string(&data).expect("JSON serializes").replace("</", "<\\/");
    Some(WidgetCtx { kind, examples, data, runtime: runtime_src.is_some() })
}

/// A model page's view: `model.html` with the card's metadata, results, files, tensors,
/// widget and transformed Markdown.
fn card_view(book: &Book, card: &ModelCard, r: &Rendered) -> PageView {
    let nf = book.words.numbers();
    let runtime_src = runtime_src(book);
    let runtime_src = runtime_src.as_deref();
    let meta = &card.meta;
    let tensors: Vec<TensorTable> = card
        .files
        .iter()
        .filter_map(|f| {
            let h = f.header.as_ref()?;
            Some(TensorTable {
                file: f.name.clone(),
                rows: h
                    .tensors
                    .iter()
                    .map(|t| TensorRow {
                        name: t.name.clone(),
                        dtype: t.dtype.clone(),
                        shape: format!("[{}]", t.shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
                        parameters: thousands(t.parameters, &nf),
                    })
                    .collect(),
                parameters: thousands(h.parameters, &nf),
                parameters_human: short_count(h.parameters, &nf),
                header_bytes: h.header_bytes,
                metadata: h.metadata.clone(),
            })
        })
        .collect();
    let parameters: u64 = card.files.iter().filter_map(|f| f.header.as_ref()).map(|h| h.parameters).sum();
    let widget = widget_ctx(card, runtime_src);
    let has_weights = card.weights().is_some();
    let static_examples = if widget.is_none() { static_examples(card) } else { Vec::new() };
    let widget_task = super::metadata::widget_task(meta)
        .filter(|(_, source)| *source != "pipeline_tag")
        .map(|(task, source)| (super::licenses::task_label(&task), source.to_string()));
    let no_widget_reason = (has_weights && widget.is_none() && !meta.widget.is_empty()).then(|| {
        "its weights are not of an architecture the in-browser runtime can run, or too large to put in the page"
            .to_string()
    });
    let hub_repo = meta.model_index.iter().map(|e| e.name.trim()).find(|n| is_hub_id(n)).map(hub_link);
    let ctx = ModelCtx {
        id: &card.id,
        title: &card.title,
        task: meta.pipeline_tag.as_deref(),
        task_label: meta.pipeline_tag.as_deref().map(super::licenses::task_label),
        library: meta.library_name.as_deref(),
        languages: &meta.language,
        license: LicenseCtx {
            id: meta.license.clone(),
            name: meta.license_name.clone(),
            link: meta.license_link.clone(),
        },
        datasets: meta
            .datasets
            .iter()
            .map(|d| DatasetLink {
                id: d.clone(),
                page: crate::dataset_page(book, d).map(|p| relative_url(&card.output, &p)),
            })
            .collect(),
        base_models: meta
            .base_model
            .iter()
            .map(|b| BaseModelCtx { id: b.clone(), url: is_hub_id(b).then(|| hub_link(b).url) })
            .collect(),
        base_model_relation: meta.base_model_relation.as_deref(),
        tags: &meta.tags,
        results: results(book, card),
        body: strip_h1(&r.html).to_string(),
        body_language: book
            .language
            .as_ref()
            .filter(|l| !l.is_default() && card.text.rel.file_name().is_some_and(|n| n == "README.md"))
            .map(|l| (l.default.code.clone(), l.default.dir.as_str())),
        files: card
            .files
            .iter()
            .map(|f| FileCtx {
                name: f.name.clone(),
                url: f.name.clone(),
                size: f.size,
                size_human: human_size(f.size, &nf),
                sha256: f.sha256.clone(),
            })
            .collect(),
        tensors,
        parameters_human: (parameters > 0).then(|| short_count(parameters, &nf)),
        widget,
        static_examples,
        widget_task,
        extra: extra_ctx(&card.extra),
        has_weights,
        no_widget_reason,
        hub_repo,
        base_links: meta.base_model.iter().filter(|b| is_hub_id(b)).map(|b| hub_link(b)).collect(),
        catalogue: relative_url(&card.output, &catalogue_output()),
    };
    let mut data = tera::Context::new();
    data.insert("model", &ctx);
    let words = crate::models(book);
    let heading = |level, id, key| heading(level, id, words.word(key));
    let mut headings = Vec::new();
    if !ctx.extra.is_empty() {
        headings.push(heading(2, "model-more", "model_more_metadata"));
    }
    if ctx.widget.is_some() {
        headings.push(heading(2, "model-try", "model_try_it"));
    }
    if !ctx.static_examples.is_empty() {
        headings.push(heading(2, "model-examples", "model_widget_examples"));
    }
    if !ctx.results.is_empty() {
        headings.push(heading(2, "model-results", "model_results"));
    }
    headings.extend(r.headings.iter().filter(|h| h.level > 1).cloned());
    headings.push(heading(2, "model-files", "model_files"));
    if !ctx.tensors.is_empty() {
        headings.push(heading(2, "model-tensors", "model_weights"));
    }
    let description = summary(r);
    // The widget runs the model with the exercises' run API (window.labbook.run).
    let mut scripts = vec!["models.js".to_string()];
    if ctx.widget.is_some() {
        scripts.push("exercise.js".to_string());
    }
    PageView {
        template: "model.html",
        data,
        description: Some(description),
        headings: Some(headings),
        breadcrumbs: Some(vec![(words.word("model_part").into(), Some(catalogue_output()))]),
        scripts,
        styles: vec!["models.css".to_string()],
    }
}

fn heading(level: u8, id: &str, text: &str) -> Heading {
    Heading { level, id: id.into(), html: labbook_core::render::escape_html(text), text: text.into() }
}

#[derive(Serialize)]
struct CatalogueEntry {
    id: String,
    title: String,
    url: String,
    summary: String,
    task: Option<String>,
    task_label: Option<String>,
    library: Option<String>,
    languages: Vec<String>,
    license: Option<String>,
    datasets: Vec<String>,
    parameters: u64,
    parameters_human: Option<String>,
    /// The first metric of the first result: "accuracy 0.9333".
    headline: Option<String>,
}

/// The catalogue's view: `models.html` with every card's entry (its summary from the card
/// page's transformed Markdown) and the facets to filter them by.
fn catalogue_view(book: &Book, i: usize, rendered: &[Rendered]) -> PageView {
    let nf = book.words.numbers();
    let output = catalogue_output();
    let page_of: HashMap<&str, usize> = book.pages.iter().enumerate().map(|(j, p)| (p.output.as_str(), j)).collect();
    let no_text = Rendered::default();
    let entries: Vec<CatalogueEntry> = crate::models(book)
        .cards
        .iter()
        .map(|card| {
            let r = page_of.get(card.output.as_str()).map_or(&no_text, |&j| &rendered[j]);
            let parameters: u64 = card.files.iter().filter_map(|f| f.header.as_ref()).map(|h| h.parameters).sum();
            let headline = card.meta.model_index.first().and_then(|e| e.results.first()).and_then(|r| {
                r.metrics.first().map(|m| {
                    format!("{} {}", m.name.clone().unwrap_or_else(|| m.kind.clone()), show_value(&m.value, &nf))
                })
            });
            CatalogueEntry {
                id: card.id.clone(),
                title: card.title.clone(),
                url: relative_url(&output, &card.output),
                summary: summary(r),
                task: card.meta.pipeline_tag.clone(),
                task_label: card.meta.pipeline_tag.as_deref().map(super::licenses::task_label),
                library: card.meta.library_name.clone(),
                languages: card.meta.language.clone(),
                license: card.meta.license.clone(),
                datasets: card.meta.datasets.clone(),
                parameters,
                parameters_human: (parameters > 0).then(|| short_count(parameters, &nf)),
                headline,
            }
        })
        .collect();
    let facets = vec![
        facet(&entries, "task", "Tasks", |e| e.task.iter().cloned().collect()),
        facet(&entries, "library", "Libraries", |e| e.library.iter().cloned().collect()),
        facet(&entries, "language", "Languages", |e| e.languages.clone()),
        facet(&entries, "license", "Licenses", |e| e.license.iter().cloned().collect()),
        facet(&entries, "dataset", "Datasets", |e| e.datasets.clone()),
    ];
    let data = serde_json::to_string(&entries).expect("JSON serializes").replace("</", "<\\/");
    let intro = crate::models(book).intro.as_ref().map(|_| strip_h1(&rendered[i].html).to_string());
    let title = book.pages[i].title.clone();
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title);
    ctx.insert("intro", &intro);
    ctx.insert("models", &entries);
    ctx.insert("facets", &facets);
    ctx.insert("words", "model");
    ctx.insert("data", &data);
    PageView {
        template: "models.html",
        data: ctx,
        description: Some(format!("{} models of {}", entries.len(), book.config.title)),
        headings: Some(Vec::new()),
        breadcrumbs: Some(Vec::new()),
        scripts: vec!["catalogue.js".to_string(), "models.js".to_string()],
        styles: vec!["models.css".to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_the_hub() {
        let en = NumberFormat::of("en");
        assert_eq!(thousands(2410, &en), "2,410");
        assert_eq!(thousands(999, &en), "999");
        assert_eq!(short_count(15, &en), "15");
        assert_eq!(short_count(2410, &en), "2.4k");
        assert_eq!(short_count(7_000_000, &en), "7M");
        assert_eq!(short_count(125_000_000, &en), "125M");
        assert_eq!(human_size(396, &en), "396 B");
        assert_eq!(human_size(9984, &en), "9.75 KiB");
    }

    #[test]
    fn counts_read_the_reader_s_way() {
        let (fr, de) = (NumberFormat::of("fr"), NumberFormat::of("de"));
        assert_eq!(thousands(2410, &fr), "2\u{202f}410");
        assert_eq!(thousands(2410, &de), "2.410");
        assert_eq!(short_count(2410, &fr), "2,4k");
        assert_eq!(human_size(9984, &de), "9,75 KiB");
        assert_eq!(human_size(2_000_000, &fr), "1,91 MiB");
        assert_eq!(format_value(0.9234, &fr), "0,9234");
        assert_eq!(format_value(12345.5, &de), "12.345,5");
        assert_eq!(format_value(1e-9, &de), "0,000000001");
    }

    #[test]
    fn summary_is_the_first_paragraph_cut_short() {
        let r = Rendered { first_paragraph: "A softmax & more.".into(), ..Rendered::default() };
        assert_eq!(summary(&r), "A softmax & more.");
        let long = Rendered { first_paragraph: "word ".repeat(60).trim_end().into(), ..Rendered::default() };
        let cut = summary(&long);
        assert_eq!(cut.chars().count(), 218);
        assert!(cut.ends_with(" wo…"));
        let html = "<h1 id=\"x\">T</h1>\n<p>A</p>";
        assert_eq!(strip_h1(html), "<p>A</p>");
    }
}
