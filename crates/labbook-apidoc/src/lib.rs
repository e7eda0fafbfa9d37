//! API reference from Python source, read without importing it (unlike doc-builder, which
//! imports the library and mocks its dependencies).
//!
//! [`load`] (load stage) parses every `api:` source of `book.yaml` with `ruff_python_parser`
//! into an [`ApiModel`]: plain data with parsed docstrings. [`pages`] makes one page per
//! module plus an A–Z index per output folder; their bodies are ordinary Markdown holding
//! the `autodoc` directive, so they go through the same transform, link check, theme and
//! search stages as every page. [`render`] holds the directives, [`xref`] the name
//! resolution behind `` [`Class.method`] `` cross-links.

pub mod config;
pub mod docstring;
pub mod inventory;
pub mod model;
pub mod parse;
pub mod reexport;
pub mod render;
pub mod xref;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use model::{ApiModel, ApiRoot, Object, ObjectKind, SourceFile};

pub use config::ApiSource;
use labbook_core::content::{Book, FrontMatter, NavItem, Page};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::feature::{Feature, FeatureData, LoadContext, ThemeFiles};
use labbook_core::markdown::directive::DirectiveRecord;
use labbook_core::markdown::{Directives, LinkResolver, Rendered, Resolution, ResolvedLink, SiteIndex};
use labbook_core::render::Theme;
use labbook_core::search::SearchDoc;

/// The search kind of API objects.
pub const SEARCH_KIND: &str = "api";

/// The feature's loaded data: the `api:` entries and the model read from them.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// The `api:` entries of `book.yaml`.
    pub sources: Vec<ApiSource>,
    /// The documented Python API (its pages are the last of the book's pages).
    pub model: Arc<ApiModel>,
    /// The output paths of the generated pages.
    pub outputs: HashSet<String>,
}

/// The book's API (empty when the feature is not in use).
pub fn api(book: &Book) -> &Api {
    static NONE: std::sync::OnceLock<Api> = std::sync::OnceLock::new();
    book.data::<Api>().unwrap_or_else(|| NONE.get_or_init(Api::default))
}

/// The API reference feature.
pub struct ApiFeature;

/// The API reference's words (`api_*`: table headers, Parameters, Source) by language (`theme/i18n/<code>.yaml`), in the ten languages of the core's
/// theme; English is the fallback of every key.
const STRINGS: &[(&str, &str)] = labbook_core::shipped_words!("../theme/i18n");

impl Feature for ApiFeature {
    fn name(&self) -> &'static str {
        "apidoc"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["api"]
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        let sources: Vec<ApiSource> = cx.section("api")?.unwrap_or_default();
        config::validate(&sources, cx.config_text)?;
        let model = load(cx.root, &sources, cx.config_text)?;
        cx.pages.extend(pages(&model));
        let outputs = page_outputs(&model);
        cx.data.insert(Api { sources, model: Arc::new(model), outputs });
        Ok(())
    }

    fn extend_nav(
        &self,
        data: &FeatureData,
        pages: &[Page],
        own: usize,
        nav: &mut Vec<NavItem>,
        listed: &mut Vec<usize>,
    ) {
        if let Some(api) = data.get::<Api>() {
            extend_nav(&api.model, pages, own, nav, listed);
        }
    }

    fn warnings(&self, book: &Book) -> Vec<String> {
        api(book).model.warnings.iter().map(|w| w.to_string()).collect()
    }

    fn directives(&self, book: &Book, site: &Arc<SiteIndex>, theme: &Arc<Theme>, directives: &mut Directives) {
        render::register(directives, api(book).model.clone(), site.clone(), theme.clone());
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles {
            templates: render::TEMPLATES.to_vec(),
            statics: vec![(render::STYLE, include_bytes!("../theme/static/apidoc.css"))],
            strings: STRINGS.to_vec(),
        }
    }

    fn link_resolvers(&self, book: &Book) -> Vec<Arc<dyn LinkResolver>> {
        // `` [`name`] `` is an API cross-link only when the book documents an API.
        let model = &api(book).model;
        if model.is_empty() {
            return Vec::new();
        }
        vec![Arc::new(ApiLinks { model: model.clone() })]
    }

    fn page_records<'a>(
        &self,
        book: &Book,
        i: usize,
        breadcrumb: &[String],
        rendered: &'a Rendered,
    ) -> Option<Vec<SearchDoc<'a>>> {
        let page = &book.pages[i];
        api(book)
            .outputs
            .contains(&page.output)
            .then(|| search_docs(page, breadcrumb, &rendered.records, labbook_core::search::default_text(book)))
    }

    fn watch(&self, book: &Book) -> Vec<(PathBuf, bool)> {
        api(book)
            .sources
            .iter()
            .map(|a| {
                // A single module is watched through its folder: editors save by replacing the file.
                let source = book.root.join(&a.source);
                if source.is_dir() {
                    (source, true)
                } else {
                    (source.parent().unwrap_or(&book.root).to_path_buf(), false)
                }
            })
            .collect()
    }

    fn reloads_book(&self, book: Option<&Book>, in_root: &Path) -> bool {
        // A Python source of `api:` changes the API model, which the load stage builds.
        book.is_some_and(|b| api(b).sources.iter().any(|a| in_root.starts_with(&a.source)))
    }
}

/// `` [`pkg.Class.method`] `` cross-links, and the soft links docstrings turn into.
struct ApiLinks {
    model: Arc<ApiModel>,
}

impl LinkResolver for ApiLinks {
    fn claim_reference<'r>(&self, reference: &'r str) -> Option<&'r str> {
        xref::parse_reference(reference)?;
        Some(&reference[1..reference.len() - 1])
    }

    fn claim_destination<'d>(&self, destination: &'d str) -> Option<(&'d str, bool)> {
        destination.strip_prefix(docstring::SOFT_LINK).map(|written| (written, true))
    }

    fn resolve(&self, written: &str, scope: Option<usize>, from: &str) -> Resolution {
        let Some(target) = xref::parse_name(written) else {
            return Resolution { shown: None, link: Err(format!("`{written}` is not a dotted Python name")) };
        };
        let link = xref::resolve(&self.model, target.name, scope).map(|i| {
            let object = &self.model.objects[i];
            ResolvedLink {
                href: xref::url(&self.model, i, from),
                target: object.page.clone(),
                anchor: Some(object.qualname.clone()),
                dependency: Some(self.model.files[object.file].abs.clone()),
            }
        });
        // Another project's name, from an inventory: a link out of the site, not checked.
        let link = link.or_else(|why| match self.model.external.get(target.name) {
            Some(url) => Ok(ResolvedLink { href: url.clone(), target: String::new(), anchor: None, dependency: None }),
            None => Err(why),
        });
        Resolution { shown: Some(target.shown), link }
    }
}

/// One module file to parse.
struct ModuleFile {
    name: String,
    is_package: bool,
    /// A private module (`_jobs_api.py`) or one inside a private package: read for the
    /// objects public modules re-export, never a page of its own.
    is_private: bool,
    abs: PathBuf,
    display: PathBuf,
}

/// Parses every source of `api:`; syntax errors and missing sources fail the load, naming
/// the file, line and column. `yaml` is book.yaml's text, to point at a bad entry.
pub fn load(root: &Path, sources: &[ApiSource], yaml: &str) -> Result<ApiModel, Diagnostics> {
    let mut model = ApiModel::default();
    let mut errors = Vec::new();
    let mut all_files: Vec<(usize, ModuleFile)> = Vec::new();
    for (r, source) in sources.iter().enumerate() {
        match module_files(root, source, yaml) {
            Ok(files) => all_files.extend(files.into_iter().map(|f| (r, f))),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let parsed: Vec<Result<parse::ParsedModule, Diagnostic>> = all_files
        .par_iter()
        .enumerate()
        .map(|(i, (_, f))| {
            let text = std::fs::read_to_string(&f.abs)
                .map_err(|e| Diagnostic::file(&f.display, format!("cannot read the Python source: {e}")))?;
            parse::parse_module(&text, &f.name, f.is_package, i, &f.display)
        })
        .collect();
    for inventory in sources.iter().flat_map(|s| &s.inventories) {
        match read_inventory(root, inventory, yaml) {
            Ok(names) => model.external.extend(names),
            Err(e) => errors.push(e),
        }
    }
    let mut roots: Vec<ApiRoot> = sources
        .iter()
        .map(|s| ApiRoot { title: String::new(), output: s.output.trim_matches('/').to_string(), modules: Vec::new() })
        .collect();
    let mut seen_modules: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut modules: Vec<(usize, usize, parse::ParsedModule)> = Vec::new();
    for (f, ((r, file), parsed)) in all_files.iter().zip(parsed).enumerate() {
        model.files.push(SourceFile { display: file.display.clone(), abs: file.abs.clone() });
        match parsed {
            Ok(parsed) => {
                if let Some(first) = seen_modules.insert(file.name.clone(), file.display.clone()) {
                    errors.push(Diagnostic::file(
                        &file.display,
                        format!("module `{}` is documented twice (also from {})", file.name, first.display()),
                    ));
                    continue;
                }
                model.warnings.extend(parsed.warnings.iter().cloned());
                modules.push((*r, f, parsed));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let imports = reexport::Imports::new(&modules.iter().map(|(_, _, m)| m).collect::<Vec<_>>());
    let (public, private): (Vec<_>, Vec<_>) = modules.into_iter().partition(|(_, f, _)| !all_files[*f].1.is_private);
    // Objects of private modules are documented under the public name that re-exports them.
    let mut public: Vec<(usize, usize, parse::Node)> = public.into_iter().map(|(r, f, m)| (r, f, m.root)).collect();
    let moved = reexport::adopt(&imports, private.into_iter().map(|(_, _, m)| m.root).collect(), &mut public);
    for (r, _, root) in public {
        let page = format!("{}/{}.html", roots[r].output, root.object.qualname);
        let module = flatten(&mut model, root, None, &page);
        roots[r].modules.push(module);
    }
    for (root, source) in roots.iter_mut().zip(sources) {
        root.modules.sort_by(|&a, &b| model.objects[a].qualname.cmp(&model.objects[b].qualname));
        root.title = source.title.clone().unwrap_or_else(|| {
            let top = root.modules.first().map(|&m| model.objects[m].qualname.clone()).unwrap_or_default();
            format!("{} API", top.split('.').next().unwrap_or_default())
        });
    }
    model.roots = roots;
    // Every imported name (and each private name whose object moved) leads to the object it
    // reaches, followed through any chain of imports; names of real objects are never shadowed.
    model.aliases = imports.aliases(&model.by_name, &moved);
    model.imports = imports.names().clone();
    // Short names (`Dense.forward`, `utils.HfFolder`) of objects and of the names that
    // re-export them: ambiguous only when they reach different objects.
    let names = model.objects.iter().enumerate().map(|(i, o)| (o.qualname.as_str(), i));
    let aliases = model.aliases.iter().map(|(a, t)| (a.as_str(), model.by_name[t]));
    let mut suffixes: HashMap<String, Vec<usize>> = HashMap::new();
    for (name, i) in names.chain(aliases) {
        let parts: Vec<&str> = name.split('.').collect();
        for k in 1..parts.len() {
            suffixes.entry(parts[k..].join(".")).or_default().push(i);
        }
    }
    for found in suffixes.values_mut() {
        found.sort_unstable();
        found.dedup();
    }
    model.suffixes = suffixes;
    Ok(model)
}

/// The names of one inventory with their absolute URLs; a missing or malformed file is an
/// error at its entry in book.yaml.
fn read_inventory(
    root: &Path,
    inventory: &config::InventorySource,
    yaml: &str,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let shown = labbook_core::content::to_slash(&inventory.path);
    let at = |why: String| {
        let (line, column) = labbook_core::config::locate(yaml, &shown);
        Diagnostic::new("book.yaml", line, column, format!("inventory `{shown}` {why}"))
    };
    let bytes = std::fs::read(root.join(&inventory.path)).map_err(|e| at(format!("cannot be read: {e}")))?;
    let entries = inventory::parse(&bytes).map_err(|why| at(format!("is not a Sphinx inventory: {why}")))?;
    let base = if inventory.url.ends_with('/') { inventory.url.clone() } else { format!("{}/", inventory.url) };
    Ok(entries.into_iter().map(|e| (e.name, format!("{base}{}", e.uri))).collect())
}

/// Adds a node and its members to the model; returns its index.
fn flatten(model: &mut ApiModel, node: parse::Node, parent: Option<usize>, page: &str) -> usize {
    let index = model.objects.len();
    let mut object = node.object;
    object.parent = parent;
    object.page = page.to_string();
    model.by_name.insert(object.qualname.clone(), index);
    model.objects.push(object);
    let members: Vec<usize> = node.children.into_iter().map(|c| flatten(model, c, Some(index), page)).collect();
    model.objects[index].members = members;
    index
}

/// The module files of one `api:` entry, with their dotted names.
fn module_files(root: &Path, source: &ApiSource, yaml: &str) -> Result<Vec<ModuleFile>, Diagnostic> {
    let abs = root.join(&source.source);
    let shown = labbook_core::content::to_slash(&source.source);
    if abs.is_file() {
        let ext = abs.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if ext != "py" && ext != "pyi" {
            let (line, column) = labbook_core::config::locate(yaml, &shown);
            return Err(Diagnostic::new(
                "book.yaml",
                line,
                column,
                format!("`api` source `{shown}` is not a Python file (.py or .pyi) or a package folder"),
            ));
        }
        let name = abs.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok(vec![ModuleFile {
            name,
            is_package: false,
            is_private: false,
            abs,
            display: source.source.clone(),
        }]);
    }
    let has_init = ["__init__.py", "__init__.pyi"].iter().any(|f| abs.join(f).is_file());
    if !abs.is_dir() || !has_init {
        let (line, column) = labbook_core::config::locate(yaml, &shown);
        let why = if abs.is_dir() { "is a folder without __init__.py" } else { "does not exist" };
        return Err(Diagnostic::new(
            "book.yaml",
            line,
            column,
            format!("`api` source `{shown}` {why}; expected a Python package folder or a .py/.pyi file"),
        ));
    }
    let package = abs.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut by_name: BTreeMap<String, ModuleFile> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(&abs).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        // Hidden folders and caches are never part of a package.
        e.depth() == 0 || !(name.starts_with('.') || name == "__pycache__")
    });
    for entry in walker {
        let entry = entry.map_err(|e| Diagnostic::file(&source.source, format!("cannot read the package: {e}")))?;
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !entry.file_type().is_file() || (ext != "py" && ext != "pyi") {
            continue;
        }
        let rel = path.strip_prefix(&abs).expect("walkdir stays under its root");
        let rel_slash = labbook_core::content::to_slash(rel);
        if source.exclude.iter().any(|p| labbook_core::search::glob_match(p, &rel_slash)) {
            continue;
        }
        let mut parts: Vec<String> =
            rel.with_extension("").components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let is_package = parts.last().is_some_and(|p| p == "__init__");
        if is_package {
            parts.pop();
        }
        // Private modules (and packages) are implementation: their public names reach the
        // reference through the public modules that import them.
        if parts.iter().any(|p| !is_identifier(p)) {
            continue;
        }
        let is_private = parts.iter().any(|p| p.starts_with('_'));
        // A package folder without __init__ is not importable as part of this package.
        let folder_ok = rel.parent().is_none_or(|dir| {
            dir.ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .all(|a| abs.join(a).join("__init__.py").is_file() || abs.join(a).join("__init__.pyi").is_file())
        });
        if !folder_ok {
            continue;
        }
        let name = std::iter::once(package.clone()).chain(parts).collect::<Vec<_>>().join(".");
        let file = ModuleFile {
            name: name.clone(),
            is_package,
            is_private,
            abs: path.to_path_buf(),
            display: source.source.join(rel),
        };
        // A stub describes the module better than its source.
        match by_name.get(&name) {
            Some(existing) if existing.abs.extension().is_some_and(|e| e == "pyi") => {}
            _ => {
                by_name.insert(name, file);
            }
        }
    }
    Ok(by_name.into_values().collect())
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The generated pages: one per module, and one A–Z index of every object in the first
/// entry's folder (`api/index.html`). Page bodies hold `autodoc` directives; `display` names
/// the Python file, so problems found while rendering a docstring point into it.
pub fn pages(model: &ApiModel) -> Vec<Page> {
    let mut pages = Vec::new();
    for (r, root) in model.roots.iter().enumerate() {
        if r == 0 {
            let rel = PathBuf::from(format!("{}/index.md", root.output));
            pages.push(Page {
                output: format!("{}/index.html", root.output),
                // The `api:` entry of book.yaml makes it (said if a page of the book clashes).
                display: PathBuf::from("book.yaml"),
                abs: rel.clone(),
                rel,
                front: FrontMatter {
                    description: Some("Every documented Python object, A to Z.".into()),
                    ..Default::default()
                },
                body: "# API index\n\n```autodoc-index\n```\n".to_string(),
                body_line: 1,
                title: "API index".into(),
                has_h1: true,
                lenient_links: false,
                warnings: Vec::new(),
                source_lines: Vec::new(),
                template_ids: Vec::new(),
                files: Vec::new(),
            });
        }
        for &m in &root.modules {
            let module = &model.objects[m];
            let file = &model.files[module.file];
            let summary =
                labbook_core::search::text::decode_entities(&module.summary().replace(['`', '*'], "")).into_owned();
            pages.push(Page {
                rel: PathBuf::from(module.page.replace(".html", ".md")),
                display: file.display.clone(),
                abs: file.abs.clone(),
                output: module.page.clone(),
                front: FrontMatter {
                    description: (!summary.is_empty()).then_some(summary),
                    tags: Vec::new(),
                    ..Default::default()
                },
                body: format!("```autodoc\nobject: {}\nmembers: all\nheading-level: 1\n```\n", module.qualname),
                body_line: 1,
                title: module.qualname.clone(),
                has_h1: true,
                lenient_links: false,
                warnings: Vec::new(),
                source_lines: Vec::new(),
                template_ids: Vec::new(),
                files: Vec::new(),
            });
        }
    }
    pages
}

/// The output paths of every generated API page.
pub fn page_outputs(model: &ApiModel) -> HashSet<String> {
    let modules = model.roots.iter().flat_map(|r| r.modules.iter().map(|&m| model.objects[m].page.clone()));
    modules.chain(model.roots.first().map(|r| format!("{}/index.html", r.output))).collect()
}

/// Search documents of one API page: one per object its `autodoc` block reported, titled
/// with its dotted path (the A–Z index has no objects of its own and gives none).
/// `language` is the default language's code in a translation: docstrings are not translated.
pub fn search_docs<'a>(
    page: &Page,
    crumbs: &[String],
    records: &'a [DirectiveRecord],
    language: Option<String>,
) -> Vec<SearchDoc<'a>> {
    let mut trail = crumbs.to_vec();
    trail.push(page.title.clone());
    records
        .iter()
        .filter(|r| r.kind == SEARCH_KIND)
        .map(|r| SearchDoc {
            url: page.output.clone(),
            title: r.title.clone(),
            breadcrumb: trail.clone(),
            kind: SEARCH_KIND.to_string(),
            tags: Vec::new(),
            html: std::borrow::Cow::Borrowed(r.html.as_str()),
            language: language.clone(),
        })
        .collect()
}

/// Adds the API pages (`first..` of `pages`) to the navigation after the book's own entries,
/// one part per `api:` entry, and to the listed reading order.
pub fn extend_nav(model: &ApiModel, pages: &[Page], first: usize, nav: &mut Vec<NavItem>, listed: &mut Vec<usize>) {
    let by_output: std::collections::HashMap<&str, usize> =
        pages.iter().enumerate().skip(first).map(|(i, p)| (p.output.as_str(), i)).collect();
    for (r, root) in model.roots.iter().enumerate() {
        let mut chapters = Vec::new();
        let mut add = |output: &str, title: String, chapters: &mut Vec<NavItem>| {
            if let Some(&i) = by_output.get(output) {
                listed.push(i);
                chapters.push(NavItem::chapter(title, Some(i)));
            }
        };
        if r == 0 {
            add(&format!("{}/index.html", root.output), "API index".into(), &mut chapters);
        }
        for &m in &root.modules {
            let module = &model.objects[m];
            add(&module.page, module.qualname.clone(), &mut chapters);
        }
        nav.push(NavItem {
            title: root.title.clone(),
            page: None,
            link: None,
            number: None,
            is_part: true,
            children: chapters,
            marks: Default::default(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads the package `pkg` made of `files` (path under `pkg/`, source).
    fn load_package(files: &[(&str, &str)]) -> Result<ApiModel, Diagnostics> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join("pkg").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let source = ApiSource {
            source: "pkg".into(),
            output: "api".into(),
            title: None,
            exclude: Vec::new(),
            inventories: Vec::new(),
        };
        load(dir.path(), &[source], "api:\n  - source: pkg\n")
    }

    #[test]
    fn cross_links_resolve_from_the_scope_outwards() {
        let model = load_package(&[
            ("__init__.py", "from .a import Dense\n__all__ = ['Dense']\n"),
            ("a.py", "class Dense:\n    def forward(self): pass\ndef forward(): pass\nclass Pool: pass\n"),
            ("b.py", "class Dense:\n    pass\nclass Pool: pass\n"),
            ("_private.py", "def hidden(): pass\n"),
        ])
        .unwrap();
        let name = |r: Result<usize, String>| r.map(|i| model.objects[i].qualname.clone());
        assert_eq!(name(xref::resolve(&model, "pkg.Dense", None)), Ok("pkg.a.Dense".into()), "a re-export");
        let a_dense = model.get("pkg.a.Dense");
        assert_eq!(name(xref::resolve(&model, "forward", a_dense)), Ok("pkg.a.Dense.forward".into()));
        assert_eq!(name(xref::resolve(&model, "a.forward", None)), Ok("pkg.a.forward".into()), "a unique suffix");
        // What the package exports wins over other objects of that name (doc-builder's
        // `[`Dense`]` is relative to the package); other names must be unique.
        assert_eq!(name(xref::resolve(&model, "Dense", None)), Ok("pkg.a.Dense".into()), "the package's export");
        let ambiguous = xref::resolve(&model, "Pool", None).unwrap_err();
        assert!(ambiguous.contains("ambiguous") && ambiguous.contains("pkg.b.Pool"), "{ambiguous}");
        assert!(xref::resolve(&model, "hidden", None).is_err(), "private modules are not documented");
        assert_eq!(model.roots[0].title, "pkg API");
        let pages: Vec<String> = pages(&model).into_iter().map(|p| p.output).collect();
        assert_eq!(pages, ["api/index.html", "api/pkg.html", "api/pkg.a.html", "api/pkg.b.html"]);
    }

    /// huggingface_hub's layout: `utils/__init__.py` re-exports `errors` with a computed
    /// `__all__`, the top package re-exports a private module's classes, `hf_api.py` imports
    /// one for its signatures only.
    #[test]
    fn names_follow_imports_and_private_objects_get_their_public_name() {
        let model = load_package(&[
            ("__init__.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ._jobs_api import JobInfo as JobInfo, JobStage\n__all__ = ['JobInfo', 'JobStage']\n"),
            ("errors.py", "class RepositoryNotFoundError(Exception):\n    '''Not found.'''\n"),
            ("utils/__init__.py", "from ..errors import RepositoryNotFoundError\nfrom ._headers import build_hf_headers\nimport json as _json\n__all__ = sorted(['build_hf_headers'])\n"),
            ("utils/_headers.py", "def build_hf_headers():\n    '''Headers.\n\n    Raises:\n        [`~utils.RepositoryNotFoundError`]: never.\n    '''\n"),
            ("_jobs_api.py", "class JobInfo:\n    def wait(self): pass\nclass JobStage:\n    pass\nclass JobOwner:\n    pass\ndef helper(): pass\n"),
            ("hf_api.py", "from ._jobs_api import JobOwner\nclass HfApi:\n    def whoami(self) -> JobOwner: pass\n"),
        ])
        .unwrap();
        let name = |r: Option<usize>| r.map(|i| model.objects[i].qualname.clone());
        // Documented under the public names, on the public modules' pages.
        let info = model.get("pkg.JobInfo").unwrap();
        assert_eq!(model.objects[info].page, "api/pkg.html");
        assert_eq!(name(model.objects[info].members.first().copied()).as_deref(), Some("pkg.JobInfo.wait"));
        assert_eq!(name(model.get("pkg._jobs_api.JobInfo.wait")).as_deref(), Some("pkg.JobInfo.wait"));
        assert_eq!(name(model.get("pkg.hf_api.JobOwner")).as_deref(), Some("pkg.hf_api.JobOwner"));
        assert_eq!(name(model.get("pkg.utils.build_hf_headers")).as_deref(), Some("pkg.utils.build_hf_headers"));
        assert!(model.get("pkg._jobs_api.helper").is_none(), "not re-exported: not documented");
        // `~utils.X` from a docstring of the utils package, and dotted partial names.
        let resolve = |n: &str, scope| name(xref::resolve(&model, n, scope).ok());
        let scope = model.get("pkg.utils.build_hf_headers");
        let error = Some("pkg.errors.RepositoryNotFoundError".to_string());
        assert_eq!(resolve("utils.RepositoryNotFoundError", scope), error);
        assert_eq!(resolve("utils.RepositoryNotFoundError", None), error);
        assert_eq!(resolve("JobInfo.wait", None).as_deref(), Some("pkg.JobInfo.wait"));
        let pages: Vec<String> = pages(&model).into_iter().map(|p| p.output).collect();
        assert_eq!(
            pages,
            ["api/index.html", "api/pkg.html", "api/pkg.errors.html", "api/pkg.hf_api.html", "api/pkg.utils.html"]
        );
    }

    #[test]
    fn bad_sources_are_reported_with_their_place() {
        let e = load_package(&[("__init__.py", "x = (\n")]).unwrap_err();
        assert_eq!(e.0[0].to_string(), "pkg/__init__.py:2:1: Python syntax error: unexpected EOF while parsing");
        let dir = tempfile::tempdir().unwrap();
        let source = ApiSource {
            source: "nope".into(),
            output: "api".into(),
            title: None,
            exclude: Vec::new(),
            inventories: Vec::new(),
        };
        let e = load(dir.path(), &[source], "title: T\napi:\n  - source: nope\n").unwrap_err();
        assert_eq!(
            e.0[0].to_string(),
            "book.yaml:3:13: `api` source `nope` does not exist; expected a Python package folder or a .py/.pyi file"
        );
    }
}
