//! The model pages and the catalogue: the cards' Markdown through the Markdown stage,
//! their links checked, then the theme's `model.html` and `models.html` templates inside
//! the page layout, through the feature's render hook ([`model_site`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::metadata::{InputKind, MetricValue, WidgetOutput};
use super::widget;
use super::{CardText, ModelCard, MODELS_DIR};
use labbook_core::content::Book;
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::feature::RenderContext;
use labbook_core::markdown::{relative_url, Directives, Heading, PageInput, Rendered, SiteIndex};
use labbook_core::output::OutFile;
use labbook_core::render::{GeneratedPage, SiteRenderer};
use labbook_core::search::SearchDoc;
use labbook_exercises::runtime::asset_path;

/// The search kind of model pages.
pub const SEARCH_KIND: &str = "model";

/// The catalogue's output path.
pub fn catalogue_output() -> String {
    format!("{MODELS_DIR}/index.html")
}

/// Source path -> output path of every card and the catalogue introduction, for the
/// Markdown stage's [`SiteIndex`] (so lessons can link to `models/<id>/README.md`).
pub fn site_entries(book: &Book) -> Vec<(std::path::PathBuf, String)> {
    let mut entries: Vec<_> =
        crate::models(book).cards.iter().map(|c| (c.text.rel.clone(), c.output.clone())).collect();
    if !crate::models(book).cards.is_empty() || crate::models(book).intro.is_some() {
        entries.push((std::path::Path::new(MODELS_DIR).join("README.md"), catalogue_output()));
    }
    entries
}

/// Every output path the model pages add to the site, for the link check of lessons.
pub fn outputs(book: &Book) -> Vec<String> {
    site_entries(book).into_iter().map(|(_, o)| o).collect()
}

/// The cards' and the introduction's Markdown, rendered.
pub struct RenderedModels {
    /// `cards[i]` belongs to `crate::models(book).cards[i]`.
    pub cards: Vec<Rendered>,
    /// The catalogue introduction.
    pub intro: Option<Rendered>,
}

/// A model page's search record, owning its text.
pub struct ModelDoc {
    /// Output path.
    pub url: String,
    /// Title.
    pub title: String,
    /// Tags of the card.
    pub tags: Vec<String>,
    /// Text to index: the metadata panel and the card.
    pub html: String,
}

impl ModelDoc {
    /// As a search document of kind `model`.
    pub fn as_search_doc(&self) -> SearchDoc<'static> {
        SearchDoc {
            url: self.url.clone(),
            title: self.title.clone(),
            breadcrumb: vec!["Models".into()],
            kind: SEARCH_KIND.to_string(),
            tags: self.tags.clone(),
            html: std::borrow::Cow::Owned(self.html.clone()),
        }
    }
}

/// Everything the models add to a site.
pub struct ModelSite {
    /// Model pages and the catalogue.
    pub files: Vec<OutFile>,
    /// Search records of the model pages.
    pub docs: Vec<ModelDoc>,
}

/// Transforms, link-checks and renders every model page and the catalogue. `pages` are the
/// book's rendered Markdown pages (for anchors of links into them); `runtime_src` is the
/// site path of the python runtime script (`runtime/python.<hash>.js`) when the build
/// writes one, which the "Try it" widget loads.
pub fn model_site(cx: &RenderContext) -> Result<ModelSite, Diagnostics> {
    let book = cx.book;
    if crate::models(book).cards.is_empty() && crate::models(book).intro.is_none() {
        return Ok(ModelSite { files: Vec::new(), docs: Vec::new() });
    }
    // The python runtime's script, which the widget loads: the exercises feature ships it.
    let runtime_src = labbook_exercises::exercises(book).runtimes.get(labbook_exercises::PYTHON).map(asset_path);
    let runtime_src = runtime_src.as_deref();
    let rendered = transform(book, cx.site, cx.directives)?;
    let (card_problems, intro_errors) = check_links(book, cx.rendered, &rendered);
    if !intro_errors.is_empty() {
        return Err(Diagnostics(intro_errors));
    }
    // The Hub renders a card's broken link or image as it is: a warning here, as the Hub
    // tolerates it. Printed as the pipeline prints the pages' warnings.
    for warning in rendered.cards.iter().flat_map(|r| &r.warnings).chain(&card_problems) {
        eprintln!("warning: {warning}");
    }
    let renderer = cx.renderer;
    let mut files = Vec::new();
    let mut docs = Vec::new();
    for (card, r) in crate::models(book).cards.iter().zip(&rendered.cards) {
        let (file, doc) = render_model_page(renderer, card, r, runtime_src)?;
        files.push(file);
        // The card itself is one of the model's files, as on the Hub: readers can download it.
        let readme = card.output.replace("index.html", "README.md");
        files.push(OutFile::copy(&readme, card.text.abs.clone()));
        docs.push(doc);
    }
    files.push(render_catalogue(renderer, book, &rendered)?);
    Ok(ModelSite { files, docs })
}

fn page_input<'a>(text: &'a CardText, output: &'a str) -> PageInput<'a> {
    PageInput {
        rel: &text.rel,
        display: &text.display,
        abs: &text.abs,
        output,
        body: &text.body,
        body_line: text.body_line,
    }
}

/// The Markdown stage for the cards and the introduction.
pub fn transform(book: &Book, site: &SiteIndex, directives: &Directives) -> Result<RenderedModels, Diagnostics> {
    let mut errors = Vec::new();
    let mut cards = Vec::new();
    for card in &crate::models(book).cards {
        match labbook_core::markdown::render_page(&page_input(&card.text, &card.output), site, directives) {
            Ok(r) => cards.push(r),
            Err(e) => errors.extend(e),
        }
    }
    let catalogue = catalogue_output();
    let intro = match &crate::models(book).intro {
        Some(text) => match labbook_core::markdown::render_page(&page_input(text, &catalogue), site, directives) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.extend(e);
                None
            }
        },
        None => None,
    };
    if errors.is_empty() {
        Ok(RenderedModels { cards, intro })
    } else {
        Err(Diagnostics(errors))
    }
}

/// Checks the links of the cards and the introduction against the whole site: the cards'
/// problems (warnings, as the Hub does not check a card's links), then the introduction's
/// (errors, as for any page of the book).
fn check_links(book: &Book, pages: &[Rendered], models: &RenderedModels) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut ids_of: HashMap<String, &[String]> =
        book.pages.iter().zip(pages).map(|(p, r)| (p.output.clone(), r.ids.as_slice())).collect();
    for (card, r) in crate::models(book).cards.iter().zip(&models.cards) {
        ids_of.insert(card.output.clone(), r.ids.as_slice());
    }
    let mut known: HashSet<String> = book.assets.iter().map(|a| labbook_core::content::to_slash(a)).collect();
    known.extend(["print.html", "404.html", "index.html", "sitemap.xml"].map(String::from));
    known.insert(catalogue_output());
    let sources = crate::models(book)
        .cards
        .iter()
        .zip(&models.cards)
        .map(|(c, r)| (&c.text, r, true))
        .chain(crate::models(book).intro.iter().zip(models.intro.iter()).map(|(t, r)| (t, r, false)));
    let mut card_problems = Vec::new();
    let mut intro_errors = Vec::new();
    for (text, r, is_card) in sources {
        let errors = if is_card { &mut card_problems } else { &mut intro_errors };
        for link in &r.links {
            let target = link.target.as_str();
            match ids_of.get(target) {
                Some(ids) => {
                    if let Some(anchor) = link.anchor.as_deref().filter(|a| !a.is_empty()) {
                        let extra = generated_ids(book, target);
                        if !ids.iter().any(|id| id == anchor) && !extra.contains(&anchor) {
                            errors.push(Diagnostic::new(
                                &text.display,
                                link.line,
                                link.column,
                                format!(
                                    "broken anchor `{}`: `{target}` has no element with id `{anchor}`",
                                    link.written
                                ),
                            ));
                        }
                    }
                }
                None if known.contains(target) => {}
                None => errors.push(Diagnostic::new(
                    &text.display,
                    link.line,
                    link.column,
                    format!("broken link `{}`: no page or file `{target}` in the site", link.written),
                )),
            }
        }
    }
    (card_problems, intro_errors)
}

/// Ids the model page template adds around a card's own headings.
fn generated_ids(book: &Book, target: &str) -> Vec<&'static str> {
    if crate::models(book).cards.iter().any(|c| c.output == target) {
        vec![
            "model-overview",
            "model-more",
            "model-try",
            "model-examples",
            "model-results",
            "model-files",
            "model-tensors",
        ]
    } else {
        Vec::new()
    }
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
    datasets: &'a [String],
    base_models: Vec<BaseModelCtx>,
    base_model_relation: Option<&'a str>,
    tags: &'a [String],
    results: Vec<ResultCtx>,
    body: String,
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

/// 2410 -> "2,410".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 2410 -> "2.4k", 7_000_000 -> "7M", as the Hub abbreviates parameter counts.
pub fn short_count(n: u64) -> String {
    let (value, unit) = match n {
        0..1_000 => return n.to_string(),
        1_000..1_000_000 => (n as f64 / 1e3, "k"),
        1_000_000..1_000_000_000 => (n as f64 / 1e6, "M"),
        _ => (n as f64 / 1e9, "B"),
    };
    let text = if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") };
    format!("{}{unit}", text.trim_end_matches(".0"))
}

/// 9984 -> "9.75 KiB".
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    for unit in ["KiB", "MiB", "GiB", "TiB"] {
        value /= 1024.0;
        if value < 1024.0 {
            return format!("{value:.2} {unit}");
        }
    }
    format!("{value:.2} PiB")
}

/// A metric value as the page shows it: the number, the text as written, or "—".
fn show_value(v: &MetricValue) -> String {
    match v {
        MetricValue::Number(n) => format_value(*n),
        MetricValue::Text(t) => t.clone(),
        MetricValue::Missing => "—".to_string(),
    }
}

fn format_value(v: f64) -> String {
    let s = format!("{v}");
    if s.contains('e') {
        format!("{v:.4e}")
    } else {
        s
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
fn results(card: &ModelCard) -> Vec<ResultCtx> {
    let mut out: Vec<ResultCtx> = Vec::new();
    for entry in &card.meta.model_index {
        for r in &entry.results {
            let metrics = r.metrics.iter().map(|m| MetricCtx {
                label: m.name.clone().unwrap_or_else(|| m.kind.clone()),
                kind: m.kind.clone(),
                value: show_value(&m.value),
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

/// The first paragraph of a rendered card as plain text, for the catalogue and `<meta>`.
pub fn summary(html: &str) -> String {
    let Some(start) = html.find("<p>") else { return String::new() };
    let end = html[start..].find("</p>").map_or(html.len(), |e| start + e);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start + 3..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 220 {
        let cut: String = text.chars().take(217).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
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

fn render_model_page(
    renderer: &SiteRenderer,
    card: &ModelCard,
    r: &Rendered,
    runtime_src: Option<&str>,
) -> Result<(OutFile, ModelDoc), Diagnostic> {
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
                        parameters: thousands(t.parameters),
                    })
                    .collect(),
                parameters: thousands(h.parameters),
                parameters_human: short_count(h.parameters),
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
        datasets: &meta.datasets,
        base_models: meta
            .base_model
            .iter()
            .map(|b| BaseModelCtx { id: b.clone(), url: is_hub_id(b).then(|| hub_link(b).url) })
            .collect(),
        base_model_relation: meta.base_model_relation.as_deref(),
        tags: &meta.tags,
        results: results(card),
        body: strip_h1(&r.html).to_string(),
        files: card
            .files
            .iter()
            .map(|f| FileCtx {
                name: f.name.clone(),
                url: f.name.clone(),
                size: f.size,
                size_human: human_size(f.size),
                sha256: f.sha256.clone(),
            })
            .collect(),
        tensors,
        parameters_human: (parameters > 0).then(|| short_count(parameters)),
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
    let mut headings = Vec::new();
    if !ctx.extra.is_empty() {
        headings.push(heading(2, "model-more", "More metadata"));
    }
    if ctx.widget.is_some() {
        headings.push(heading(2, "model-try", "Try it"));
    }
    if !ctx.static_examples.is_empty() {
        headings.push(heading(2, "model-examples", "Widget examples"));
    }
    if !ctx.results.is_empty() {
        headings.push(heading(2, "model-results", "Evaluation results"));
    }
    headings.extend(r.headings.iter().filter(|h| h.level > 1).cloned());
    headings.push(heading(2, "model-files", "Files"));
    if !ctx.tensors.is_empty() {
        headings.push(heading(2, "model-tensors", "Weights"));
    }
    let description = summary(&r.html);
    let has_widget = ctx.widget.is_some();
    let file = renderer.render_generated(&GeneratedPage {
        output: card.output.clone(),
        source: card.text.display.clone(),
        title: card.title.clone(),
        description: description.clone(),
        tags: meta.tags.clone(),
        content: String::new(),
        template: "model.html",
        data,
        // The widget runs the model with the exercises' run API (window.labbook.run).
        scripts: if has_widget { vec!["exercise.js".to_string()] } else { Vec::new() },
        headings,
        breadcrumbs: vec![("Models".into(), Some(catalogue_output()))],
    })?;
    // The index gets the card and its facts, not the hashes and tensor names around them.
    let facts: Vec<&str> = meta
        .pipeline_tag
        .iter()
        .chain(&meta.library_name)
        .chain(&meta.datasets)
        .chain(&meta.language)
        .map(String::as_str)
        .collect();
    let html = format!(
        "<p>{} {}</p>\n{}",
        labbook_core::render::escape_html(&ctx.task_label.clone().unwrap_or_default()),
        labbook_core::render::escape_html(&facts.join(" ")),
        ctx.body
    );
    let doc = ModelDoc { url: card.output.clone(), title: card.title.clone(), tags: meta.tags.clone(), html };
    Ok((file, doc))
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

#[derive(Serialize)]
struct FacetCtx {
    key: &'static str,
    label: &'static str,
    values: Vec<(String, String, usize)>,
}

fn render_catalogue(renderer: &SiteRenderer, book: &Book, rendered: &RenderedModels) -> Result<OutFile, Diagnostic> {
    let output = catalogue_output();
    let entries: Vec<CatalogueEntry> = crate::models(book)
        .cards
        .iter()
        .zip(&rendered.cards)
        .map(|(card, r)| {
            let parameters: u64 = card.files.iter().filter_map(|f| f.header.as_ref()).map(|h| h.parameters).sum();
            let headline = card.meta.model_index.first().and_then(|e| e.results.first()).and_then(|r| {
                r.metrics
                    .first()
                    .map(|m| format!("{} {}", m.name.clone().unwrap_or_else(|| m.kind.clone()), show_value(&m.value)))
            });
            CatalogueEntry {
                id: card.id.clone(),
                title: card.title.clone(),
                url: relative_url(&output, &card.output),
                summary: summary(&r.html),
                task: card.meta.pipeline_tag.clone(),
                task_label: card.meta.pipeline_tag.as_deref().map(super::licenses::task_label),
                library: card.meta.library_name.clone(),
                languages: card.meta.language.clone(),
                license: card.meta.license.clone(),
                datasets: card.meta.datasets.clone(),
                parameters,
                parameters_human: (parameters > 0).then(|| short_count(parameters)),
                headline,
            }
        })
        .collect();
    let facet = |key: &'static str, label: &'static str, values: &dyn Fn(&CatalogueEntry) -> Vec<String>| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for e in &entries {
            let mut vs = values(e);
            vs.sort();
            vs.dedup();
            for v in vs {
                *counts.entry(v).or_default() += 1;
            }
        }
        let values = counts
            .into_iter()
            .map(|(v, n)| {
                let shown = if key == "task" { super::licenses::task_label(&v) } else { v.clone() };
                (v, shown, n)
            })
            .collect();
        FacetCtx { key, label, values }
    };
    let facets = vec![
        facet("task", "Tasks", &|e| e.task.iter().cloned().collect()),
        facet("library", "Libraries", &|e| e.library.iter().cloned().collect()),
        facet("language", "Languages", &|e| e.languages.clone()),
        facet("license", "Licenses", &|e| e.license.iter().cloned().collect()),
        facet("dataset", "Datasets", &|e| e.datasets.clone()),
    ];
    let data = serde_json::to_string(&entries).expect("JSON serializes").replace("</", "<\\/");
    let intro = rendered.intro.as_ref().map(|r| strip_h1(&r.html).to_string());
    let title = crate::models(book)
        .intro
        .as_ref()
        .and_then(|t| super::first_heading(&t.body))
        .unwrap_or_else(|| "Models".to_string());
    let mut ctx = tera::Context::new();
    ctx.insert("title", &title);
    ctx.insert("intro", &intro);
    ctx.insert("models", &entries);
    ctx.insert("facets", &facets);
    ctx.insert("data", &data);
    let source = crate::models(book)
        .intro
        .as_ref()
        .map(|t| t.display.clone())
        .unwrap_or_else(|| book.config.content_dir.join(MODELS_DIR));
    let description = format!("{} models of {}", entries.len(), book.config.title);
    renderer.render_generated(&GeneratedPage {
        output,
        source,
        title,
        description,
        tags: Vec::new(),
        content: String::new(),
        template: "models.html",
        data: ctx,
        scripts: Vec::new(),
        headings: Vec::new(),
        breadcrumbs: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_the_hub() {
        assert_eq!(thousands(2410), "2,410");
        assert_eq!(thousands(999), "999");
        assert_eq!(short_count(15), "15");
        assert_eq!(short_count(2410), "2.4k");
        assert_eq!(short_count(7_000_000), "7M");
        assert_eq!(short_count(125_000_000), "125M");
        assert_eq!(human_size(396), "396 B");
        assert_eq!(human_size(9984), "9.75 KiB");
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let html = "<h1 id=\"x\">T</h1>\n<p>A <a href=\"a.html\">softmax</a> &amp; more.</p><p>no</p>";
        assert_eq!(summary(html), "A softmax & more.");
        assert_eq!(strip_h1(html), "<p>A <a href=\"a.html\">softmax</a> &amp; more.</p><p>no</p>");
    }
}
