//! Model cards: `content/models/<id>/README.md` in the Hugging Face format, with the
//! model's files beside it.
//!
//! [`load_models`] (part of the load stage) reads every card, validates its metadata
//! ([`metadata`]), lists the folder's files with sizes and hashes and reads each
//! `.safetensors` header ([`safetensors`]). [`page`] adds the model pages and the catalogue
//! to the book's pages and gives their views (template and data); [`widget`] turns widget
//! examples into runner requests.

pub mod catalogue;
pub mod licenses;
pub mod metadata;
pub mod page;
pub mod safetensors;
pub mod test;
pub mod widget;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use labbook_core::content::Book;
use labbook_core::content::{NavItem, Page};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::feature::{Contribution, Feature, FeatureData, LoadContext, RenderContext, TestReport, ThemeFiles};
use labbook_core::markdown::Rendered;
use labbook_core::render::PageView;
use labbook_core::search::SearchDoc;
pub use metadata::Metadata;

/// The book's model cards (none when the feature is not in use).
pub fn models(book: &Book) -> &Models {
    static NONE: std::sync::OnceLock<Models> = std::sync::OnceLock::new();
    book.data::<Models>().unwrap_or_else(|| NONE.get_or_init(Models::default))
}

/// The models feature: cards under `content/models/`, their pages and the catalogue.
pub struct ModelsFeature;

impl Feature for ModelsFeature {
    fn name(&self) -> &'static str {
        "models"
    }

    fn owns_content_file(&self, rel: &Path) -> bool {
        is_card_path(rel)
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        // Cards are shared by every language of a translated book: they live in the default
        // language's content folder, with `README.<lang>.md` beside a card for its translation.
        let content_root = cx.default_content_root();
        let content_dir = cx.language.map_or_else(|| cx.config.content_dir.clone(), |l| l.default_content_dir.clone());
        let models = load_models_in(&content_root, &content_dir, cx.language_code())?;
        check_page_collisions(&models, cx.pages)?;
        // The "Try it" widgets run in the python runtime: have it shipped even without exercises.
        if widget::needs_python(&models) {
            let mut requests = cx.data.get::<labbook_exercises::RuntimeRequests>().cloned().unwrap_or_default();
            requests.0.insert(labbook_exercises::PYTHON.to_string());
            cx.data.insert(requests);
        }
        // The catalogue and the model pages are pages of the book, after its own.
        let mut models = models;
        models.words = cx.words.clone();
        let pages = page::pages(&models, &content_root, &content_dir);
        cx.pages.extend(pages);
        cx.data.insert(models);
        Ok(())
    }

    /// A "Models" part in the sidebar: the catalogue, then each model by its title. The
    /// pages stay out of the reading order's prev/next links (they are not `listed`).
    fn extend_nav(
        &self,
        data: &FeatureData,
        pages: &[Page],
        own: usize,
        nav: &mut Vec<NavItem>,
        _listed: &mut Vec<usize>,
    ) {
        let Some(models) = data.get::<Models>() else { return };
        if models.cards.is_empty() {
            return;
        }
        let catalogue = page::catalogue_output();
        let entries = std::iter::once((models.word("model_catalogue"), catalogue.as_str()))
            .chain(models.cards.iter().map(|c| (c.title.as_str(), c.output.as_str())));
        nav.push(catalogue::sidebar_part(models.word("model_part"), pages, own, entries));
    }

    fn warnings(&self, book: &Book) -> Vec<String> {
        models(book).cards.iter().flat_map(|c| c.warnings.iter().map(|w| w.to_string())).collect()
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: vec![
                ("model.html", include_str!("../theme/templates/model.html")),
                ("models.html", include_str!("../theme/templates/models.html")),
                ("catalogue.html", catalogue::CATALOGUE_HTML),
            ],
            statics: vec![
                ("models.css", include_bytes!("../theme/static/models.css")),
                ("models.js", include_bytes!("../theme/static/models.js")),
                ("catalogue.js", catalogue::CATALOGUE_JS),
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

    fn render(&self, cx: &RenderContext) -> Result<Contribution, Diagnostics> {
        Ok(Contribution { files: page::readme_copies(cx.book), records: Vec::new() })
    }

    fn reloads_book(&self, book: Option<&Book>, in_root: &Path) -> bool {
        // Model cards are read with their files' sizes, hashes and tensor headers.
        let content_dir = book.map_or_else(|| PathBuf::from("content"), |b| b.config.content_dir.clone());
        in_root.strip_prefix(&content_dir).is_ok_and(|rel| rel.starts_with(MODELS_DIR))
    }

    fn test(&self, book: &Book, _started: Instant) -> anyhow::Result<Option<TestReport>> {
        // The cards and their widgets are every language's: tested with the default language.
        if book.is_translation() {
            return Ok(None);
        }
        let verdicts = test::test_widgets(book)?;
        if verdicts.is_empty() {
            return Ok(None);
        }
        Ok(Some(TestReport {
            cases: verdicts.len(),
            text: test::format_widget_report(&verdicts),
            failed: verdicts.iter().any(|w| w.problem.is_some()),
        }))
    }
}

/// The folder of the content folder that holds model cards.
pub const MODELS_DIR: &str = "models";

/// Every model of a book, and the optional introduction of the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Models {
    /// Cards sorted by id.
    pub cards: Vec<ModelCard>,
    /// `content/models/README.md`, shown above the catalogue.
    pub intro: Option<CardText>,
    /// The book's words in its language (`LoadContext::words`: its own, the other features'
    /// and the book theme's overrides), for what it writes outside its templates (the sidebar
    /// part, headings, breadcrumbs).
    pub words: labbook_core::i18n::strings::Words,
}

impl Models {
    /// The word `key` in the book's language (the key itself if no file has it).
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key)
    }
}

/// The model pages' words by language (`theme/i18n/<code>.yaml`), in the ten languages of the
/// core's theme; English is the fallback of every key.
pub const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

/// Markdown of a card or of the catalogue introduction, with where it came from.
#[derive(Debug, Clone)]
pub struct CardText {
    /// Path relative to the content folder (`models/iris/README.md`).
    pub rel: PathBuf,
    /// Path shown in messages (`content/models/iris/README.md`).
    pub display: PathBuf,
    /// On disk.
    pub abs: PathBuf,
    /// The Markdown after the metadata.
    pub body: String,
    /// The file line where `body` starts.
    pub body_line: usize,
}

/// One model card, loaded.
#[derive(Debug, Clone)]
pub struct ModelCard {
    /// The folder name (`iris-softmax`).
    pub id: String,
    /// The card's text.
    pub text: CardText,
    /// The page's output path (`models/iris-softmax/index.html`).
    pub output: String,
    /// The parsed metadata.
    pub meta: Metadata,
    /// The metadata's YAML, for locating widget examples in messages.
    pub meta_yaml: String,
    /// Top-level metadata keys labbook does not read, in card order: the page's "More
    /// metadata" panel.
    pub extra: Vec<(String, serde_yaml::Value)>,
    /// The card's title: its first `# heading` (without "Model Card for "), else the id.
    pub title: String,
    /// The files of the model folder, README included, sorted by name.
    pub files: Vec<ModelFile>,
    /// `config.json` of the folder, if any (labels, feature names, settings).
    pub config: Option<serde_json::Value>,
    /// What the Hub tolerates with a hint (no metadata, unknown licence id or task, a
    /// metric without a number, a widget without a task...).
    pub warnings: Vec<Diagnostic>,
}

/// One file of a model folder.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFile {
    /// Path relative to the model folder, `/`-separated.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Hex SHA-256 of the contents.
    pub sha256: String,
    /// The tensor table, for `.safetensors` files.
    pub header: Option<safetensors::Header>,
}

impl ModelCard {
    /// The card's `.safetensors` file the widget loads: `model.safetensors`, else the only one.
    pub fn weights(&self) -> Option<&ModelFile> {
        let mut weights = self.files.iter().filter(|f| f.header.is_some());
        self.files.iter().find(|f| f.name == "model.safetensors").or_else(|| weights.next())
    }
}

/// Whether a model card's dataset name (`datasets:` entry, `model-index` result
/// `dataset.type`) names the book's dataset `id`: the same id, or a Hub id `owner/<id>`.
/// The datasets feature lists a dataset's models with the same rule.
pub fn names_dataset(name: &str, id: &str) -> bool {
    let name = name.trim();
    name == id
        || name.rsplit_once('/').is_some_and(|(owner, last)| !owner.is_empty() && !owner.contains('/') && last == id)
}

/// The page of the book's dataset a card's dataset name names, if the book has one: the
/// datasets feature writes `datasets/<id>/index.html` for `content/datasets/<id>/`.
pub fn dataset_page(book: &Book, name: &str) -> Option<String> {
    book.pages
        .iter()
        .filter_map(|p| p.output.strip_prefix("datasets/")?.strip_suffix("/index.html").map(|id| (id, &p.output)))
        .find(|(id, _)| !id.contains('/') && names_dataset(name, id))
        .map(|(_, output)| output.clone())
}

/// Whether `rel` (relative to the content folder) is a model card or the catalogue
/// introduction, which the load stage reads as models rather than as pages.
pub fn is_card_path(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    match parts.as_slice() {
        // `README.md`, or a translation `README.<lang>.md` of the introduction or of a card.
        [dir, readme] => dir == MODELS_DIR && (readme == "README.md" || is_translated_card(readme)),
        [dir, _, readme] => dir == MODELS_DIR && (readme == "README.md" || is_translated_card(readme)),
        _ => false,
    }
}

/// `README.fr.md`, `README.zh-CN.md`: a card's translation.
fn is_translated_card(name: &str) -> bool {
    name.strip_prefix("README.")
        .and_then(|r| r.strip_suffix(".md"))
        .is_some_and(|code| !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Loads every card under `<content_root>/models/`. `content_dir` is the content folder
/// relative to the book root, for messages.
pub fn load_models(content_root: &Path, content_dir: &Path) -> Result<Models, Diagnostics> {
    load_models_in(content_root, content_dir, None)
}

/// [`load_models`] for the pages of one language of a translated book: a card with a
/// `README.<language>.md` beside its `README.md` shows that text (the metadata stays the
/// card's own, so results, files and the widget are the same in every language).
pub fn load_models_in(content_root: &Path, content_dir: &Path, language: Option<&str>) -> Result<Models, Diagnostics> {
    let root = content_root.join(MODELS_DIR);
    let mut models = Models::default();
    if !root.is_dir() {
        return Ok(models);
    }
    let mut errors = Vec::new();
    // The catalogue's introduction: `README.<language>.md` in a translation, if there is one.
    let rel_intro = language
        .map(|code| Path::new(MODELS_DIR).join(format!("README.{code}.md")))
        .filter(|rel| content_root.join(rel).is_file())
        .unwrap_or_else(|| Path::new(MODELS_DIR).join("README.md"));
    if content_root.join(&rel_intro).is_file() {
        match read_card_file(content_root, content_dir, &rel_intro) {
            Ok((text, meta)) if meta.is_none() => models.intro = Some(text),
            Ok((text, _)) => errors.push(Diagnostic::new(
                &text.display,
                1,
                1,
                "the catalogue introduction takes no metadata block; model cards go in models/<id>/README.md",
            )),
            Err(e) => errors.push(e),
        }
    }
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect(),
        Err(e) => return Err(Diagnostic::file(content_dir.join(MODELS_DIR), format!("cannot read: {e}")).into()),
    };
    dirs.sort();
    for dir in dirs {
        let id = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if id.starts_with('.') {
            continue;
        }
        match load_card(content_root, content_dir, &id, language) {
            Ok(card) => models.cards.push(card),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(models)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The catalogue and the model pages are generated: a Markdown page may not take their paths.
pub fn check_page_collisions(models: &Models, pages: &[labbook_core::content::Page]) -> Result<(), Diagnostics> {
    if models.cards.is_empty() && models.intro.is_none() {
        return Ok(());
    }
    let catalogue = format!("{MODELS_DIR}/index.html");
    let errors: Vec<Diagnostic> = pages
        .iter()
        .filter(|p| p.output == catalogue || models.cards.iter().any(|c| c.output == p.output))
        .map(|p| {
            Diagnostic::file(
                &p.display,
                format!("writes `{}`, which the model catalogue or a model card writes; rename the page", p.output),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

/// Reads a README: UTF-8 check and the `---` metadata split. Returns the text and the
/// metadata YAML with its first line, if there is a block. The datasets feature reads its
/// cards with it too.
pub fn read_card_file(
    content_root: &Path,
    content_dir: &Path,
    rel: &Path,
) -> Result<(CardText, Option<(String, usize)>), Diagnostic> {
    let abs = content_root.join(rel);
    let display = content_dir.join(rel);
    let bytes = std::fs::read(&abs).map_err(|e| Diagnostic::file(&display, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::at_offset(&display, &lossy, offset, 1, "the file is not valid UTF-8; save it as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // The Hub finds the block after leading blank lines too (`^\s*---`), and so do we.
    let blank = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let blank = text[..blank].rfind('\n').map_or(0, |i| i + 1);
    let skipped = text[..blank].matches('\n').count();
    let head = &text[blank..];
    let Some(rest) = head.strip_prefix("---\n").or_else(|| head.strip_prefix("---\r\n")) else {
        let card = CardText { rel: rel.to_path_buf(), display, abs, body: text.to_string(), body_line: 1 };
        return Ok((card, None));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = rest[..offset].to_string();
            let body = rest[offset + line.len()..].to_string();
            let body_line = skipped + 2 + yaml.matches('\n').count() + 1;
            let card = CardText { rel: rel.to_path_buf(), display, abs, body, body_line };
            return Ok((card, Some((yaml, skipped + 2))));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(&display, 1, 1, "the metadata block starts with `---` but has no closing `---` line"))
}

fn load_card(
    content_root: &Path,
    content_dir: &Path,
    id: &str,
    language: Option<&str>,
) -> Result<ModelCard, Vec<Diagnostic>> {
    let folder = Path::new(MODELS_DIR).join(id);
    let rel = folder.join("README.md");
    let display_dir = content_dir.join(&folder);
    if !content_root.join(&rel).is_file() {
        return Err(vec![Diagnostic::file(
            &display_dir,
            "a model folder needs a model card, README.md (Hugging Face format: YAML metadata between `---` lines, then Markdown)",
        )]);
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(vec![Diagnostic::file(
            &display_dir,
            format!("the model id `{id}` (the folder name) may use only letters, digits, `-`, `_` and `.`"),
        )]);
    }
    let (text, block) = read_card_file(content_root, content_dir, &rel).map_err(|e| vec![e])?;
    let files = list_files(&content_root.join(&folder), &display_dir)?;
    let has_weights = files.iter().any(|f| f.header.is_some());
    let had_block = block.is_some();
    // The Hub shows a card without metadata, with a hint to add some; so does labbook.
    let (yaml, first_line, mut warnings) = match block {
        Some((yaml, first_line)) => (yaml, first_line, Vec::new()),
        None => (String::new(), 1, vec![Diagnostic::new(
            &text.display,
            1,
            1,
            "the card has no metadata block (`---` lines with license, pipeline_tag, ...); it is shown without a licence, task or tags",
        )]),
    };
    let meta: Metadata = if yaml.trim().is_empty() {
        Metadata::default()
    } else {
        labbook_core::config::parse_yaml(&yaml, &text.display, first_line).map_err(|e| vec![e])?
    };
    if had_block {
        let findings = metadata::validate(&meta, &yaml, &text.display, first_line, has_weights);
        if !findings.errors.is_empty() {
            return Err(findings.errors);
        }
        warnings.extend(findings.warnings);
    }
    let config = read_config(&content_root.join(&folder).join("config.json"), &display_dir.join("config.json"))
        .map_err(|e| vec![e])?;
    // The card's translation, if any: its text replaces the card's (a metadata block in it
    // is not read: the card's own is the one the Hub shows).
    let translated =
        language.map(|code| folder.join(format!("README.{code}.md"))).filter(|r| content_root.join(r).is_file());
    let text = match translated {
        Some(rel) => read_card_file(content_root, content_dir, &rel).map_err(|e| vec![e])?.0,
        None => text,
    };
    // The Hub's template titles cards "Model Card for <name>"; the page shows the name.
    let title = first_heading(&text.body)
        .map(|h| h.strip_prefix("Model Card for ").map(str::to_string).unwrap_or(h))
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| id.to_string());
    Ok(ModelCard {
        config,
        id: id.to_string(),
        output: format!("{MODELS_DIR}/{id}/index.html"),
        text,
        meta,
        extra: metadata::extra_keys(&yaml),
        meta_yaml: yaml,
        title,
        files,
        warnings,
    })
}

/// Every file of a model folder with size and hash; safetensors headers are read, and a
/// broken one is an error naming the file.
fn list_files(dir: &Path, display_dir: &Path) -> Result<Vec<ModelFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::file(display_dir, format!("cannot read the model folder: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walkdir stays under its root");
        let name = labbook_core::content::to_slash(rel);
        let shown = display_dir.join(rel);
        let (size, sha256) = match hash_file(entry.path()) {
            Ok(v) => v,
            Err(e) => {
                errors.push(Diagnostic::file(&shown, format!("cannot read: {e}")));
                continue;
            }
        };
        let header = if name.ends_with(".safetensors") {
            match safetensors::read_file(entry.path()) {
                Ok(h) => Some(h),
                Err(e) => {
                    errors.push(Diagnostic::file(&shown, format!("not a valid safetensors file: {e}")));
                    continue;
                }
            }
        } else {
            None
        };
        files.push(ModelFile { name, size, sha256, header });
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// `config.json`, parsed; a JSON error names its line and column.
fn read_config(path: &Path, display: &Path) -> Result<Option<serde_json::Value>, Diagnostic> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        // serde_json ends its message with the position, which the diagnostic already names.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        Diagnostic::new(display, e.line(), e.column(), format!("not valid JSON: {message}"))
    })
}

fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let size = std::io::copy(&mut file, &mut hasher)?;
    let digest = hasher.finalize();
    Ok((size, digest.iter().map(|b| format!("{b:02x}")).collect()))
}

/// The text of the first `# heading` outside code fences.
pub fn first_heading(body: &str) -> Option<String> {
    let mut fence = false;
    for line in body.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        } else if !fence {
            if let Some(h) = t.strip_prefix("# ") {
                return Some(h.trim().trim_end_matches('#').trim().replace(['`', '*'], ""));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_paths() {
        assert!(is_card_path(Path::new("models/README.md")));
        assert!(is_card_path(Path::new("models/iris/README.md")));
        assert!(!is_card_path(Path::new("models/iris/notes.md")));
        assert!(!is_card_path(Path::new("ml/models/x/README.md")));
        assert!(!is_card_path(Path::new("README.md")));
    }
}

/// Property tests of the models' parsers of untrusted input: model cards (the course's and
/// real Hub cards with random edits, or any text) loaded as the feature loads them, and
/// safetensors headers (a real file's header with random bytes changed, or any bytes).
/// No panic, no hang, and a card or errors that point into the card; a header or an error.
/// `fuzz/` runs the same properties longer.
#[cfg(test)]
mod props {
    use super::*;
    use labbook_core::testing::{mutate, within, Edit};
    use proptest::prelude::*;

    const CARDS: &[&str] = &[
        include_str!("../../../content/models/iris-softmax/README.md"),
        include_str!("../../../content/models/digits-mlp/README.md"),
        include_str!("../../../tests/fixtures/hub-cards/content/models/bart-large-mnli/README.md"),
        include_str!("../../../tests/fixtures/hub-cards/content/models/whisper-large-v3/README.md"),
        include_str!("../../../tests/fixtures/hub-cards/content/models/text2vec-base-chinese/README.md"),
    ];

    fn card() -> impl Strategy<Value = String> {
        let edit = (any::<usize>(), any::<u8>(), any::<usize>()).prop_map(|(at, kind, arg)| Edit { at, kind, arg });
        prop_oneof![
            4 => (0..CARDS.len(), proptest::collection::vec(edit, 0..12)).prop_map(|(i, e)| mutate(CARDS[i], &e)),
            1 => "(?s).{0,300}",
        ]
    }

    /// The header of the iris model's weights (its 8-byte length and JSON) and 64 data bytes.
    fn real_header() -> Vec<u8> {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/models/iris-softmax/model.safetensors"))
                .expect("the iris weights");
        let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        bytes[..(8 + n + 64).min(bytes.len())].to_vec()
    }

    fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8).prop_map(|changes| {
                let mut bytes = real_header();
                for (at, byte) in changes {
                    let i = at % bytes.len();
                    bytes[i] = byte;
                }
                bytes
            }),
            1 => proptest::collection::vec(any::<u8>(), 0..300),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: labbook_core::testing::cases(48), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn a_card_loads_or_gives_located_errors(text in card()) {
            let content = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(content.path().join("models/m")).unwrap();
            std::fs::write(content.path().join("models/m/README.md"), &text).unwrap();
            let root = content.path().to_path_buf();
            let display = Path::new("content/models/m/README.md");
            match within("model card", move || load_models(&root, Path::new("content"))) {
                Ok(models) => {
                    for w in models.cards.iter().flat_map(|c| &c.warnings) {
                        prop_assert!(w.points_into(display, &text), "{w:?}\n{text}");
                    }
                }
                Err(errors) => {
                    for e in errors.0 {
                        prop_assert!(e.points_into(display, &text), "{e:?}\n{text}");
                    }
                }
            }
        }

        #[test]
        fn a_safetensors_header_parses_or_says_what_is_wrong(bytes in header_bytes()) {
            let len = bytes.len() as u64;
            let result = within("safetensors header", move || safetensors::read_header(bytes.as_slice(), len));
            if let Err(e) = result {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
