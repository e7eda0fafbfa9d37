//! labbook's doc-builder feature: a Hugging Face doc-builder folder (the course's
//! `chapters/<lang>/`, a library's `docs/source/<lang>/`) builds as it is.
//!
//! - A folder with `_toctree.yml` and no `book.yaml` is a book ([`Feature::book_config`]):
//!   the content folder is the folder itself, the toc its `_toctree.yml` (`toctree`), links
//!   are checked as warnings (doc-builder does not check them), and the language is the
//!   folder's name when it is a language code (`chapters/fr`). A `book.yaml` may name a
//!   `_toctree.yml` as its `toc:` too, to add settings (`api:` sources for `[[autodoc]]`,
//!   `docbuilder: notebooks:`).
//! - `.mdx` pages, and `.md` pages of such a book, are read in doc-builder's dialect
//!   (`mdx`: components to labbook Markdown, directives and raw HTML).
//! - Links written for huggingface.co (`/course/chapter1/3`, `./guides/x` without an
//!   extension) resolve to the pages of the folder (`PageLinks`); an absolute one that names
//!   no page links to huggingface.co.
//! - The switch, tabs and cards are styled and remembered by `docbuilder.css`/`docbuilder.js`,
//!   which the `docbuilder` directive at the end of such a page asks for.

mod jsvalue;
pub mod mdx;
mod tag;
mod toctree;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use labbook_core::config::{BookConfig, TocEntry, TocSpec};
use labbook_core::content::Book;
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::escape::escape_html;
use labbook_core::feature::{Feature, LoadContext, PageContext, PageSource, ThemeFiles};
use labbook_core::markdown::directive::{parse_body, Directive, DirectiveContext, DirectiveOutput};
use labbook_core::markdown::{relative_url, Directives, LinkResolver, Resolution, ResolvedLink, SiteIndex};
use labbook_core::render::Theme;

/// The doc-builder feature.
pub struct DocBuilderFeature;

/// The file name of doc-builder's table of contents.
pub const TOCTREE: &str = "_toctree.yml";

/// `docbuilder:` in `book.yaml`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Where `[[open-in-colab]]` notebooks live: a URL prefix to which the page's path and
    /// `.ipynb` are added (`https://colab.research.google.com/github/huggingface/notebooks/blob/main/transformers_doc/en/`).
    #[serde(default)]
    pub notebooks: Option<String>,
}

/// Whether the book's toc is a doc-builder `_toctree.yml`.
pub fn is_docbuilder(config: &BookConfig) -> bool {
    matches!(&config.toc, Some(TocSpec::Summary(p)) if p.file_name().is_some_and(|n| n == TOCTREE))
}

impl Feature for DocBuilderFeature {
    fn name(&self) -> &'static str {
        "docbuilder"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["docbuilder"]
    }

    fn book_config(&self, root: &Path) -> Option<Result<(BookConfig, Vec<Diagnostic>), Diagnostics>> {
        if root.join(TOCTREE).is_file() {
            return Some(folder_config(root).map(|c| (c, Vec::new())).map_err(Diagnostics::from));
        }
        // The course's `chapters/`: one folder per language, each with its own toc.
        let languages = language_folders(root);
        if languages.is_empty() {
            return None;
        }
        Some(languages_config(root, &languages).map(|c| (c, Vec::new())).map_err(Diagnostics::from))
    }

    fn reads_toc(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == TOCTREE)
    }

    fn read_toc(
        &self,
        content_root: &Path,
        display: &Path,
        text: &str,
    ) -> Result<(Vec<TocEntry>, Vec<Diagnostic>), Diagnostics> {
        toctree::read(content_root, display, text)
    }

    fn reads_page(&self, config: &BookConfig, rel: &Path) -> bool {
        match rel.extension().and_then(|e| e.to_str()) {
            Some("mdx") => true,
            Some("md") => is_docbuilder(config),
            _ => false,
        }
    }

    fn read_page(&self, cx: &PageContext, _rel: &Path, display: &Path, text: &str) -> Result<PageSource, Diagnostic> {
        let converted = mdx::convert(text, display, cx.words)?;
        Ok(PageSource {
            body: converted.markdown,
            warnings: converted.warnings,
            source_lines: converted.source_lines,
            ..Default::default()
        })
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        let settings: Settings = cx.section("docbuilder")?.unwrap_or_default();
        cx.data.insert(settings);
        Ok(())
    }

    fn directives(&self, book: &Book, _site: &Arc<SiteIndex>, theme: &Arc<Theme>, directives: &mut Directives) {
        directives.register(Arc::new(AssetsDirective));
        let settings = book.data::<Settings>().cloned().unwrap_or_default();
        let word = |key: &str| theme.words().get(key).cloned().unwrap_or_else(|| key.to_string());
        directives.register(Arc::new(ColabDirective {
            notebooks: settings.notebooks,
            elsewhere: word("docbuilder_notebook_elsewhere"),
            open: word("docbuilder_open_notebook"),
        }));
    }

    fn link_resolvers(&self, book: &Book) -> Vec<Arc<dyn LinkResolver>> {
        if !is_docbuilder(&book.config) {
            return Vec::new();
        }
        let pages: Vec<(String, String)> =
            book.reading_order.iter().map(|&i| &book.pages[i]).map(|p| (stem(&p.rel), p.output.clone())).collect();
        let by_stem = pages.iter().map(|(s, o)| (s.clone(), o.clone())).collect();
        vec![Arc::new(PageLinks { by_stem, ordered: pages })]
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: Vec::new(),
            statics: vec![
                ("docbuilder.css", include_bytes!("../theme/docbuilder.css")),
                ("docbuilder.js", include_bytes!("../theme/docbuilder.js")),
            ],
            strings: STRINGS.to_vec(),
        }
    }
}

/// The settings of a doc-builder folder without `book.yaml`.
fn folder_config(root: &Path) -> Result<BookConfig, Diagnostic> {
    let abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let names: Vec<String> =
        abs.components().rev().filter_map(|c| c.as_os_str().to_str().map(str::to_string)).collect();
    let language = names.first().filter(|n| is_language(n)).cloned().unwrap_or_else(|| "en".to_string());
    // The book's name: the first folder up that is not a language or a docs folder
    // (`course/chapters/en` -> course).
    let title = names
        .iter()
        .find(|n| !is_language(n) && !matches!(n.as_str(), "chapters" | "source" | "docs" | "doc" | "/" | ""))
        .map(|n| labbook_core::content::humanize(n))
        .unwrap_or_else(|| "Documentation".to_string());
    let yaml = format!(
        "title: {}\nlanguage: {}\ntoc: {TOCTREE}\nlinks: warn\n",
        serde_json::to_string(&title).expect("a string"),
        serde_json::to_string(&language).expect("a string"),
    );
    let mut config = BookConfig::parse(&yaml, Path::new(TOCTREE))?;
    // The folder is its own content folder; pages are named from it (`chapter1/1.mdx`).
    config.content_dir = std::path::PathBuf::new();
    // doc-builder's section titles carry their own numbers ("1. Transformer models").
    config.section_numbers = false;
    Ok(config)
}

/// The language folders of `root` that hold a `_toctree.yml` (`chapters/en`, `chapters/fr`),
/// sorted, English first when it is there (it is the language the others translate).
fn language_folders(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut codes: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| is_language(n) && root.join(n).join(TOCTREE).is_file())
        .collect();
    codes.sort_by_key(|c| (c != "en", c.clone()));
    codes
}

/// The settings of a folder of languages side by side, each with its `_toctree.yml`: one
/// translated book (`languages:`), the first language the default, and each language with
/// its own table of contents, as the Hub shows them. Pages a translation lacks fall back to
/// the default language's (with the banner the core writes).
fn languages_config(root: &Path, codes: &[String]) -> Result<BookConfig, Diagnostic> {
    let mut config = folder_config(root)?;
    let default = &codes[0];
    let mut yaml = format!("title: {}\nlanguages:\n", serde_json::to_string(&config.title).expect("a string"));
    for (i, code) in codes.iter().enumerate() {
        let quoted = |s: &str| serde_json::to_string(s).expect("a string");
        yaml.push_str(&format!(
            "  - code: {}\n    name: {}\n    toc: {}\n{}",
            quoted(code),
            quoted(language_name(code)),
            quoted(&format!("{code}/{TOCTREE}")),
            if i == 0 { "    default: true\n" } else { "" }
        ));
    }
    let languages = BookConfig::parse(&yaml, Path::new(TOCTREE))?.languages;
    config.language = default.clone();
    config.toc = Some(TocSpec::Summary(Path::new(default).join(TOCTREE)));
    config.languages = languages;
    Ok(config)
}

/// A language's name in itself, for the switcher; the code when it is not one the Hugging
/// Face course or the library docs are translated into.
fn language_name(code: &str) -> &str {
    match code {
        "ar" => "العربية",
        "bn" => "বাংলা",
        "de" => "Deutsch",
        "en" => "English",
        "es" => "Español",
        "fa" => "فارسی",
        "fr" => "Français",
        "gj" | "gu" => "ગુજરાતી",
        "he" => "עברית",
        "hi" => "हिन्दी",
        "id" => "Bahasa Indonesia",
        "it" => "Italiano",
        "ja" => "日本語",
        "ko" => "한국어",
        "my" => "မြန်မာ",
        "ne" => "नेपाली",
        "pl" => "Polski",
        "pt" | "pt-BR" => "Português",
        "ro" | "rum" => "Română",
        "ru" => "Русский",
        "te" => "తెలుగు",
        "th" => "ไทย",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "vi" => "Tiếng Việt",
        "zh" | "zh-CN" | "zh-hans" => "简体中文",
        "zh-TW" | "zh-hant" => "繁體中文",
        _ => code,
    }
}

/// `en`, `zh-CN`, `pt-BR`: a language folder.
fn is_language(name: &str) -> bool {
    let mut parts = name.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A page's path without its extension, `/`-separated (`chapter1/3`).
fn stem(rel: &Path) -> String {
    labbook_core::content::to_slash(&rel.with_extension(""))
}

/// Links as doc-builder writes them: absolute paths on huggingface.co (`/course/chapter1/3`,
/// `/docs/huggingface_hub/guides/download`) and relative paths without an extension.
struct PageLinks {
    by_stem: HashMap<String, String>,
    /// Stems and outputs in reading order (a section's link opens its first page).
    ordered: Vec<(String, String)>,
}

impl PageLinks {
    /// The output of the page `path` names, or of the first page under the folder it names.
    fn find(&self, path: &str) -> Option<&str> {
        let path = path.trim_matches('/');
        if path.is_empty() {
            return None;
        }
        if let Some(o) = self.by_stem.get(path).or_else(|| self.by_stem.get(&format!("{path}/index"))) {
            return Some(o);
        }
        let folder = format!("{path}/");
        self.ordered.iter().find(|(s, _)| s.starts_with(&folder)).map(|(_, o)| o.as_str())
    }

    /// A page an absolute path names once the site's own prefix (`/course/`, `/docs/x/main/en/`)
    /// is dropped.
    fn find_absolute(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        (0..segments.len()).find_map(|k| self.find(&segments[k..].join("/")))
    }

    fn find_relative(&self, from: &str, path: &str) -> Option<&str> {
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let joined = labbook_core::content::join_normalized(base, path)?;
        self.find(&labbook_core::content::to_slash(&joined))
    }
}

fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    }
}

impl LinkResolver for PageLinks {
    fn claim_reference<'r>(&self, _reference: &'r str) -> Option<&'r str> {
        None
    }

    fn claim_destination<'d>(&self, destination: &'d str) -> Option<(&'d str, bool)> {
        let (path, _) = split_anchor(destination);
        if path.is_empty() || path.starts_with("//") || path.contains(':') {
            return None;
        }
        if path.starts_with('/') {
            return Some((destination, false));
        }
        // A relative link without an extension that names a page (`./guides/download`).
        let last = path.rsplit('/').next().unwrap_or(path);
        if last.contains('.') && last != "." && last != ".." {
            return None;
        }
        Some((destination, true))
    }

    fn resolve(&self, written: &str, _scope: Option<usize>, from: &str) -> Resolution {
        let (path, anchor) = split_anchor(written);
        let found = if path.starts_with('/') { self.find_absolute(path) } else { self.find_relative(from, path) };
        let link = match found {
            Some(output) => {
                let mut href = relative_url(from, output);
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(a);
                }
                Ok(ResolvedLink {
                    href,
                    target: output.to_string(),
                    anchor: anchor.map(str::to_string),
                    dependency: None,
                })
            }
            // Written for huggingface.co: it links there.
            None if path.starts_with('/') => Ok(ResolvedLink {
                href: format!("https://huggingface.co{written}"),
                target: String::new(),
                anchor: None,
                dependency: None,
            }),
            None => Err(format!("`{written}` names no page of this folder")),
        };
        Resolution { shown: None, link }
    }
}

/// Ends a page that uses the switch, tabs or cards: asks for their style sheet and script.
struct AssetsDirective;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetsSpec {
    #[allow(dead_code)]
    assets: bool,
}

impl Directive for AssetsDirective {
    fn name(&self) -> &'static str {
        "docbuilder"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        let _: AssetsSpec = parse_body(body, ctx, "docbuilder")?;
        Ok(String::new())
    }

    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let html = self.render(body, ctx).map_err(|e| vec![e])?;
        Ok(DirectiveOutput {
            html,
            styles: vec!["docbuilder.css".into()],
            scripts: vec!["docbuilder.js".into()],
            ..Default::default()
        })
    }
}

/// The doc-builder pages' words by language (`theme/i18n/<code>.yaml`), in the ten languages
/// of the core's theme; English is the fallback of every key.
const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

/// `[[open-in-colab]]`: links to the page's notebook in Colab and Studio Lab, in the book's
/// language (`docbuilder_open_notebook`, `docbuilder_notebook_elsewhere`).
struct ColabDirective {
    notebooks: Option<String>,
    elsewhere: String,
    open: String,
}

impl Directive for ColabDirective {
    fn name(&self) -> &'static str {
        "docbuilder-colab"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.render_output(body, ctx).map(|o| o.html).map_err(|mut e| e.remove(0))
    }

    fn render_output(&self, _body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let page = ctx.output.trim_end_matches(".html");
        let Some(prefix) = &self.notebooks else {
            return Ok(DirectiveOutput {
                html: format!("<p class=\"hf-notebooks\">{}</p>\n", escape_html(&self.elsewhere)),
                warnings: vec![Diagnostic::new(
                    ctx.display,
                    ctx.fence_line,
                    1,
                    "`[[open-in-colab]]` links no notebook: set `docbuilder: notebooks:` in book.yaml to the URL prefix of the notebooks",
                )],
                styles: vec!["docbuilder.css".into()],
                ..Default::default()
            });
        };
        let url = format!("{prefix}{page}.ipynb");
        let colab = if url.starts_with("https://colab.research.google.com/") {
            url.clone()
        } else {
            format!("https://colab.research.google.com/{}", url.trim_start_matches("https://"))
        };
        let studio = colab.replace("https://colab.research.google.com/", "https://studiolab.sagemaker.aws/import/");
        Ok(DirectiveOutput {
            html: format!(
                "<p class=\"hf-notebooks\">{} <a href=\"{}\">Google Colab</a> · <a href=\"{}\">AWS Studio Lab</a></p>\n",
                escape_html(&self.open),
                escape_html(&colab),
                escape_html(&studio)
            ),
            styles: vec!["docbuilder.css".into()],
            ..Default::default()
        })
    }
}
