//! The `autodoc` and `autodoc-index` directives: API objects as HTML.
//!
//! ````markdown
//! ```autodoc
//! object: tinyml.softmax     # a module, class, function, method, attribute or constant
//! members: all               # or a list of member names; default none (a module page: all)
//! heading-level: 3           # the object's heading (1-5); members go one level down
//! ```
//! ````
//! Every object gets a heading whose id is its dotted path: the stable anchor cross-links
//! use. Docstring text goes through the Markdown stage like any page, with its problems
//! positioned in the Python file; parameter tables merge the signature (annotation,
//! default) with the docstring's description.
//!
//! The markup is the theme's: each part (heading, signature, parameter table...) is a
//! template under `api/` that this module fills with data, so a book's theme overrides any
//! of them like every other template. Values are escaped by the theme's one escaper; the
//! data's HTML fields (rendered docstring Markdown, annotations with their names linked)
//! are marked as such in each template's comment.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::docstring::{BlockKind, Item, ItemSection, VersionChange};
use super::model::{ApiModel, ObjectKind, ParamKind, Signature};
use super::xref;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::markdown::directive::{
    parse_body, Directive, DirectiveContext, DirectiveOutput, DirectiveRecord, Directives,
};
use labbook_core::markdown::{Heading, PageInput, SiteIndex};
use labbook_core::render::Theme;

/// The API reference's style sheet (`theme/static/apidoc.css`), linked by the pages that
/// hold an `autodoc` or `autodoc-index` block.
pub const STYLE: &str = "apidoc.css";

/// The theme's templates of the API reference, by name; a book's theme overrides them.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("api/index.html", include_str!("../theme/templates/api/index.html")),
    ("api/object.html", include_str!("../theme/templates/api/object.html")),
    ("api/heading.html", include_str!("../theme/templates/api/heading.html")),
    ("api/signature.html", include_str!("../theme/templates/api/signature.html")),
    ("api/admonition.html", include_str!("../theme/templates/api/admonition.html")),
    ("api/titled.html", include_str!("../theme/templates/api/titled.html")),
    ("api/source.html", include_str!("../theme/templates/api/source.html")),
    ("api/summary.html", include_str!("../theme/templates/api/summary.html")),
    ("api/params.html", include_str!("../theme/templates/api/params.html")),
    ("api/attributes.html", include_str!("../theme/templates/api/attributes.html")),
    ("api/items.html", include_str!("../theme/templates/api/items.html")),
];

/// The `autodoc` directive.
pub struct Autodoc {
    model: Arc<ApiModel>,
    site: Arc<SiteIndex>,
    theme: Arc<Theme>,
}

/// The `autodoc-index` directive: the module index and every object A–Z.
pub struct AutodocIndex {
    model: Arc<ApiModel>,
    theme: Arc<Theme>,
}

/// Registers both directives for a book's API model, writing their markup with `theme`.
pub fn register(directives: &mut Directives, model: Arc<ApiModel>, site: Arc<SiteIndex>, theme: Arc<Theme>) {
    directives.register(Arc::new(Autodoc { model: model.clone(), site, theme: theme.clone() }));
    directives.register(Arc::new(AutodocIndex { model, theme }));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AutodocSpec {
    object: String,
    #[serde(default)]
    members: Option<serde_yaml::Value>,
    #[serde(default = "default_level")]
    heading_level: u8,
    /// `warn`: an object or member that is not documented is a warning and a note in the
    /// page instead of an error (doc-builder's `[[autodoc]]` of a private name, which
    /// doc-builder imports but labbook's model leaves out).
    #[serde(default)]
    if_missing: Option<IfMissing>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum IfMissing {
    Error,
    Warn,
}

fn default_level() -> u8 {
    3
}

/// Which members to show.
enum Members {
    None,
    All,
    Named(Vec<String>),
}

impl Directive for Autodoc {
    fn name(&self) -> &'static str {
        "autodoc"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.render_output(body, ctx).map(|o| o.html).map_err(|mut e| e.remove(0))
    }

    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let at = |message: String| {
            vec![Diagnostic::new(ctx.display, ctx.fence_line, 1, format!("in the `autodoc` block: {message}"))]
        };
        let spec: AutodocSpec = parse_body(body, ctx, "autodoc").map_err(|e| vec![e])?;
        if !(1..=5).contains(&spec.heading_level) {
            return Err(at(format!("`heading-level` must be 1 to 5, not {}", spec.heading_level)));
        }
        let members = match &spec.members {
            None => Members::None,
            Some(serde_yaml::Value::String(s)) if s == "all" => Members::All,
            Some(serde_yaml::Value::Sequence(list)) => {
                let names: Option<Vec<String>> = list.iter().map(|v| v.as_str().map(str::to_string)).collect();
                Members::Named(names.ok_or_else(|| at("`members` must be `all` or a list of names".into()))?)
            }
            Some(_) => return Err(at("`members` must be `all` or a list of names".into())),
        };
        let model = &self.model;
        let warn = spec.if_missing == Some(IfMissing::Warn);
        let missing = |message: String| {
            if warn {
                let mut problem = at(message);
                Ok(DirectiveOutput {
                    html: format!(
                        "<p class=\"api-missing\"><code>{}</code> is not documented in this build.</p>\n",
                        labbook_core::escape::escape_html(&spec.object)
                    ),
                    warnings: vec![problem.remove(0)],
                    ..Default::default()
                })
            } else {
                Err(at(message))
            }
        };
        let i = match model.get(&spec.object).or_else(|| xref::package_relative(model, &spec.object)) {
            Some(i) => i,
            None => {
                let why = xref::resolve(model, &spec.object, None)
                    .map(|i| format!("write its full path `{}`", model.objects[i].qualname))
                    .unwrap_or_else(|e| e);
                return missing(format!("cannot document `{}`: {why}", spec.object));
            }
        };
        let mut members = members;
        if let Members::Named(names) = &mut members {
            let object = &model.objects[i];
            let absent: Vec<String> = names
                .iter()
                .filter(|name| !object.members.iter().any(|&m| model.objects[m].name == **name))
                .cloned()
                .collect();
            if let Some(name) = absent.first() {
                let have: Vec<&str> = object.members.iter().map(|&m| model.objects[m].name.as_str()).collect();
                let message = format!(
                    "`{}` has no public member `{name}`; it has: {}",
                    object.qualname,
                    if have.is_empty() { "none".to_string() } else { have.join(", ") }
                );
                if !warn {
                    return Err(at(message));
                }
                names.retain(|n| !absent.contains(n));
                let mut writer = Writer::new(model, &self.site, &self.theme, ctx.output);
                writer.object(i, spec.heading_level, &members);
                let mut out = writer.finish()?;
                out.warnings.extend(at(message));
                return Ok(out);
            }
        }
        let mut writer = Writer::new(model, &self.site, &self.theme, ctx.output);
        writer.object(i, spec.heading_level, &members);
        writer.finish()
    }

    fn uses_theme(&self) -> bool {
        true
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IndexSpec {
    #[serde(default)]
    output: Option<String>,
}

impl Directive for AutodocIndex {
    fn name(&self) -> &'static str {
        "autodoc-index"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.index(body, ctx).map(|(html, _)| html)
    }

    /// The HTML, and the ids of its section headings.
    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let (html, ids) = self.index(body, ctx).map_err(|e| vec![e])?;
        Ok(DirectiveOutput { html, ids, styles: vec![STYLE.into()], ..Default::default() })
    }

    fn uses_theme(&self) -> bool {
        true
    }
}

#[derive(Serialize)]
struct IndexModule {
    url: String,
    name: String,
    summary: String,
}

#[derive(Serialize)]
struct IndexEntry {
    url: String,
    name: String,
    kind: &'static str,
    owner: String,
}

#[derive(Serialize)]
struct IndexLetter {
    id: String,
    letter: char,
    entries: Vec<IndexEntry>,
}

impl AutodocIndex {
    /// The index's HTML and its ids.
    fn index(&self, body: &str, ctx: &DirectiveContext) -> Result<(String, Vec<String>), Diagnostic> {
        let spec: IndexSpec =
            if body.trim().is_empty() { IndexSpec::default() } else { parse_body(body, ctx, "autodoc-index")? };
        let model = &self.model;
        let roots: Vec<_> =
            model.roots.iter().filter(|r| spec.output.as_ref().is_none_or(|o| *o == r.output)).collect();
        let modules: Vec<usize> = roots.iter().flat_map(|r| r.modules.iter().copied()).collect();
        let mut ids = vec!["api-modules".to_string()];
        let modules_ctx: Vec<IndexModule> = modules
            .iter()
            .map(|&m| IndexModule {
                url: xref::url(model, m, ctx.output),
                name: model.objects[m].qualname.clone(),
                summary: plain_summary(model.objects[m].summary()),
            })
            .collect();
        let mut entries: Vec<usize> = modules
            .iter()
            .flat_map(|&m| descendants(model, m))
            .filter(|&i| model.objects[i].kind != ObjectKind::Module)
            .collect();
        entries.sort_by_cached_key(|&i| (model.objects[i].name.to_lowercase(), model.objects[i].qualname.clone()));
        let mut letters: Vec<IndexLetter> = Vec::new();
        for i in entries {
            let object = &model.objects[i];
            let first = object.name.chars().find(|c| c.is_alphanumeric()).map_or('_', |c| c.to_ascii_uppercase());
            if letters.last().is_none_or(|l| l.letter != first) {
                let id =
                    if first.is_ascii_alphanumeric() { first.to_ascii_lowercase().to_string() } else { "other".into() };
                ids.push(format!("api-index-{id}"));
                letters.push(IndexLetter { id: format!("api-index-{id}"), letter: first, entries: Vec::new() });
            }
            let owner = object.parent.map(|p| model.objects[p].qualname.clone()).unwrap_or_default();
            letters.last_mut().expect("pushed above").entries.push(IndexEntry {
                url: xref::url(model, i, ctx.output),
                name: object.name.clone(),
                kind: object.kind.label(),
                owner,
            });
        }
        let data = serde_json::json!({ "modules": modules_ctx, "letters": letters });
        let html = self.theme.render_value("api/index.html", &data)?;
        Ok((html, ids))
    }
}

/// An object and all its members, depth first.
fn descendants(model: &ApiModel, i: usize) -> Vec<usize> {
    let mut out = vec![i];
    for &m in &model.objects[i].members {
        out.extend(descendants(model, m));
    }
    out
}

pub use labbook_core::escape::escape_html as escape;

/// A parameter of a signature line, or a `*` / `/` marker between them.
#[derive(Serialize, Default)]
struct ParamCtx {
    marker: Option<&'static str>,
    name: String,
    /// HTML.
    annotation: Option<String>,
    separator: &'static str,
    default: Option<String>,
}

/// One line of a definition.
#[derive(Serialize, Default)]
struct LineCtx {
    /// `decorator`, `class`, `property`, `data` or `def`.
    kind: &'static str,
    name: String,
    /// `def `, `async def `, `class ` (a class with its constructor's signature).
    keyword: &'static str,
    /// HTML, for `class` lines.
    bases: String,
    /// HTML, for `property` and `data` lines.
    annotation: Option<String>,
    value: Option<String>,
    params: Vec<ParamCtx>,
    /// One parameter a line.
    multiline: bool,
    /// HTML.
    returns: Option<String>,
}

#[derive(Serialize)]
struct SummaryRow {
    url: String,
    name: String,
    kind: &'static str,
    /// HTML.
    summary: String,
}

#[derive(Serialize)]
struct ParamRow {
    name: String,
    /// HTML, empty when unknown.
    r#type: String,
    required: bool,
    default: Option<String>,
    /// HTML.
    text: String,
}

#[derive(Serialize)]
struct AttributeRow {
    id: Option<String>,
    name: String,
    /// HTML, empty when unknown.
    r#type: String,
    value: Option<String>,
    /// HTML.
    text: String,
}

/// A name a `See also` entry gives, with its URL when it resolves.
#[derive(Serialize)]
struct SeeAlsoLink {
    name: String,
    url: Option<String>,
}

#[derive(Serialize, Default)]
struct ItemRow {
    name: String,
    /// HTML.
    r#type: String,
    /// See-also targets.
    links: Vec<SeeAlsoLink>,
    /// HTML.
    text: String,
}

/// A summary's Markdown as plain text (for descriptions and the index).
fn plain_summary(markdown: &str) -> String {
    markdown.replace(['`', '*'], "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the HTML of one directive, collecting headings, problems and source files.
struct Writer<'a> {
    model: &'a ApiModel,
    site: &'a SiteIndex,
    theme: &'a Theme,
    directives: Directives,
    output: &'a str,
    rel: PathBuf,
    html: String,
    headings: Vec<Heading>,
    ids: Vec<String>,
    records: Vec<DirectiveRecord>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    files: BTreeSet<usize>,
    /// The style sheets and scripts the docstrings' Markdown asked for (highlight.css for
    /// an example), besides [`STYLE`].
    styles: BTreeSet<String>,
    scripts: BTreeSet<String>,
}

impl<'a> Writer<'a> {
    fn new(model: &'a ApiModel, site: &'a SiteIndex, theme: &'a Theme, output: &'a str) -> Writer<'a> {
        Writer {
            model,
            site,
            theme,
            // Docstrings get the plain directives: an `autodoc` inside a docstring would recurse.
            directives: Directives::builtin(),
            output,
            rel: PathBuf::from(output.strip_suffix(".html").map_or_else(|| output.to_string(), |s| format!("{s}.md"))),
            html: String::new(),
            headings: Vec::new(),
            ids: Vec::new(),
            records: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            files: BTreeSet::new(),
            styles: BTreeSet::new(),
            scripts: BTreeSet::new(),
        }
    }

    fn finish(self) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let dependencies = self.files.iter().map(|&f| self.model.files[f].abs.clone()).collect();
        Ok(DirectiveOutput {
            html: self.html,
            headings: self.headings,
            ids: self.ids,
            records: self.records,
            dependencies,
            warnings: self.warnings,
            styles: std::iter::once(STYLE.to_string()).chain(self.styles).collect(),
            scripts: self.scripts.into_iter().collect(),
            ..Default::default()
        })
    }

    /// Renders one of the theme's `api/` templates with `data`; a template error (a theme's
    /// override) is reported with the template's file.
    fn render<T: Serialize>(&mut self, template: &str, data: &T) -> String {
        match self.theme.render_value(template, data) {
            Ok(html) => html,
            Err(e) => {
                if !self.errors.contains(&e) {
                    self.errors.push(e);
                }
                String::new()
            }
        }
    }

    /// Renders docstring Markdown that starts on `line` of object `i`'s file.
    fn markdown(&mut self, text: &str, line: usize, i: usize) -> String {
        if text.is_empty() {
            return String::new();
        }
        let file = &self.model.files[self.model.objects[i].file];
        let input = PageInput {
            rel: &self.rel,
            display: &file.display,
            abs: &file.abs,
            output: self.output,
            body: text,
            body_line: line,
            source_lines: &[],
        };
        match labbook_core::markdown::render_page_in(&input, self.site, &self.directives, Some(i)) {
            Ok(r) => {
                self.warnings.extend(r.warnings);
                self.ids.extend(r.ids);
                self.styles.extend(r.styles);
                self.scripts.extend(r.scripts);
                r.html
            }
            Err(e) => {
                // Columns count from the dedented docstring, not the file: give the line only.
                self.errors.extend(e.into_iter().map(|d| Diagnostic { column: 0, ..d }));
                String::new()
            }
        }
    }

    /// Markdown rendered without its wrapping paragraph, for table cells.
    fn inline(&mut self, text: &str, line: usize, i: usize) -> String {
        let html = self.markdown(text, line, i);
        let trimmed = html.trim();
        match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }

    /// A type annotation (or a `Raises` name), escaped, with the names that are documented
    /// objects or in an inventory linked ([`xref::resolve_type`]).
    fn annotation(&self, text: &str, scope: usize) -> String {
        let mut out = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let start = rest.find(|c: char| c.is_alphabetic() || c == '_').unwrap_or(rest.len());
            out.push_str(&escape(&rest[..start]));
            rest = &rest[start..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
            let name = rest[..end].trim_end_matches('.');
            if name.is_empty() {
                break;
            }
            let href = match xref::resolve_type(self.model, name, scope) {
                Some(xref::TypeLink::Object(target)) => Some(xref::url(self.model, target, self.output)),
                Some(xref::TypeLink::External(url)) => Some(url),
                None => None,
            };
            match href {
                Some(href) => {
                    let _ = write!(out, "<a href=\"{}\">{}</a>", escape(&href), escape(name));
                }
                None => out.push_str(&escape(name)),
            }
            rest = &rest[name.len()..];
        }
        out
    }

    /// A type (or exception) written in a docstring, its names linked like an annotation's
    /// once its markup is off (`` :class:`~pkg.Index` or None `` reads `pkg.Index or None`).
    fn doc_type(&self, text: &str, scope: usize) -> String {
        self.annotation(&super::docstring::plain_type(text), scope)
    }

    fn heading(&mut self, i: usize, level: u8) {
        let object = &self.model.objects[i];
        let shown = if object.kind == ObjectKind::Module { &object.qualname } else { &object.name };
        let data =
            serde_json::json!({ "level": level, "id": object.qualname, "kind": object.kind.label(), "name": shown });
        let html = self.render("api/heading.html", &data);
        self.html.push_str(&html);
        self.headings.push(Heading {
            level,
            id: object.qualname.clone(),
            html: format!("<code>{}</code>", escape(shown)),
            text: shown.clone(),
        });
    }

    fn signature_line(&self, i: usize, signature: &Signature) -> LineCtx {
        let object = &self.model.objects[i];
        let mut params = Vec::new();
        let mut keyword_marker = false;
        for (k, p) in signature.params.iter().enumerate() {
            if p.kind == ParamKind::KeywordOnly
                && !keyword_marker
                && !signature.params.iter().any(|q| q.kind == ParamKind::VarArgs)
            {
                params.push(ParamCtx { marker: Some("*"), ..Default::default() });
                keyword_marker = true;
            }
            params.push(ParamCtx {
                marker: None,
                name: p.display_name(),
                annotation: p.annotation.as_ref().map(|a| self.annotation(a, i)),
                separator: if p.annotation.is_some() { " = " } else { "=" },
                default: p.default.clone(),
            });
            let last_positional = p.kind == ParamKind::PositionalOnly
                && signature.params.get(k + 1).is_none_or(|q| q.kind != ParamKind::PositionalOnly);
            if last_positional {
                params.push(ParamCtx { marker: Some("/"), ..Default::default() });
            }
        }
        let keyword = match object.kind {
            ObjectKind::Class => "class ",
            _ if object.is_async => "async def ",
            _ => "def ",
        };
        // One parameter a line when the signature would not fit in a reader's view.
        let plain_len: usize = signature
            .params
            .iter()
            .map(|p| {
                p.display_name().len()
                    + p.annotation.as_ref().map_or(0, |a| a.len() + 2)
                    + p.default.as_ref().map_or(0, |d| d.len() + 3)
                    + 2
            })
            .sum();
        let multiline = plain_len + object.name.len() > 80 && params.len() > 1;
        // A class's signature is its constructor's, whose `-> None` says nothing.
        let returns =
            signature.returns.as_ref().filter(|_| object.kind != ObjectKind::Class).map(|r| self.annotation(r, i));
        LineCtx { kind: "def", name: object.name.clone(), keyword, params, multiline, returns, ..Default::default() }
    }

    /// The definition line(s): decorators, then the signature (one per overload).
    fn definition(&mut self, i: usize) {
        let object = &self.model.objects[i];
        let mut lines = Vec::new();
        for d in &object.decorators {
            lines.push(LineCtx { kind: "decorator", name: d.clone(), ..Default::default() });
        }
        match object.kind {
            ObjectKind::Module => return,
            ObjectKind::Class if object.signatures.is_empty() => {
                lines.push(LineCtx {
                    kind: "class",
                    name: object.name.clone(),
                    bases: if object.bases.is_empty() { String::new() } else { self.bases(i) },
                    ..Default::default()
                });
            }
            ObjectKind::Property => {
                lines.push(LineCtx {
                    kind: "property",
                    name: object.name.clone(),
                    annotation: object.annotation.as_ref().map(|a| self.annotation(a, i)),
                    ..Default::default()
                });
            }
            ObjectKind::Attribute | ObjectKind::Data => {
                lines.push(LineCtx {
                    kind: "data",
                    name: object.name.clone(),
                    annotation: object.annotation.as_ref().map(|a| self.annotation(a, i)),
                    value: object.value.as_ref().map(|v| shorten(v, 200)),
                    ..Default::default()
                });
            }
            _ => {
                let count = object.signatures.len();
                for s in &object.signatures {
                    if count > 1 {
                        lines.push(LineCtx { kind: "decorator", name: "overload".into(), ..Default::default() });
                    }
                    lines.push(self.signature_line(i, s));
                }
            }
        }
        let bases = if object.kind == ObjectKind::Class && !object.signatures.is_empty() && !object.bases.is_empty() {
            self.bases(i)
        } else {
            String::new()
        };
        let data = serde_json::json!({ "lines": lines, "bases": bases });
        let html = self.render("api/signature.html", &data);
        self.html.push_str(&html);
    }

    fn bases(&self, i: usize) -> String {
        let object = &self.model.objects[i];
        object.bases.iter().map(|b| self.annotation(b, object.parent.unwrap_or(i))).collect::<Vec<_>>().join(", ")
    }

    fn object(&mut self, i: usize, level: u8, members: &Members) {
        let model = self.model;
        let object = &model.objects[i];
        self.files.insert(object.file);
        // The object's own part is written into a fresh buffer, then its members after it.
        let outer = std::mem::take(&mut self.html);
        // The object's search record: its own part, from its heading to its first member.
        let record = self.records.len();
        self.records.push(DirectiveRecord {
            kind: crate::SEARCH_KIND.to_string(),
            key: object.qualname.clone(),
            anchor: object.qualname.clone(),
            title: object.qualname.clone(),
            html: String::new(),
            page_only: true,
        });
        self.heading(i, level);
        self.definition(i);
        self.docstring(i);
        let file = &model.files[object.file];
        let data = serde_json::json!({
            "file": labbook_core::content::to_slash(&file.display),
            "line": object.line,
        });
        let html = self.render("api/source.html", &data);
        self.html.push_str(&html);
        let chosen: Vec<usize> = match members {
            Members::None => Vec::new(),
            Members::All => object.members.clone(),
            Members::Named(names) => names
                .iter()
                .filter_map(|n| object.members.iter().copied().find(|&m| model.objects[m].name == *n))
                .collect(),
        };
        let members: Vec<usize> = if object.kind == ObjectKind::Module {
            self.module_summary(i, &chosen)
        } else {
            // Attributes are rows of a table (with anchors); the rest are objects.
            if model.objects[i].is_dataclass {
                let (fields, others): (Vec<usize>, Vec<usize>) =
                    chosen.iter().partition(|&&m| model.objects[m].is_dataclass);
                self.attribute_table(i, &fields, true);
                self.attribute_table(i, &others, false);
            } else {
                self.attribute_table(i, &chosen, false);
            }
            chosen.into_iter().filter(|&m| model.objects[m].kind != ObjectKind::Attribute).collect()
        };
        let body = std::mem::take(&mut self.html);
        self.records[record].html = body.clone();
        for m in members {
            self.object(m, (level + 1).min(6), &Members::All);
        }
        let members_html = std::mem::replace(&mut self.html, outer);
        let data = serde_json::json!({ "kind": object.kind.label(), "body": body, "members": members_html });
        let html = self.render("api/object.html", &data);
        self.html.push_str(&html);
    }

    /// A module's index of its contents; returns its members to show: classes, functions and
    /// constants.
    fn module_summary(&mut self, i: usize, chosen: &[usize]) -> Vec<usize> {
        let model = self.model;
        let module = &model.objects[i];
        let prefix = format!("{}.", module.qualname);
        let submodules: Vec<usize> = model
            .roots
            .iter()
            .flat_map(|r| r.modules.iter().copied())
            .filter(|&m| model.objects[m].qualname.strip_prefix(&prefix).is_some_and(|rest| !rest.contains('.')))
            .collect();
        let order = [ObjectKind::Class, ObjectKind::Function, ObjectKind::Data];
        let mut sorted: Vec<usize> = Vec::new();
        for kind in order {
            sorted.extend(chosen.iter().copied().filter(|&m| model.objects[m].kind == kind));
        }
        if !(submodules.is_empty() && sorted.is_empty()) {
            let mut rows = Vec::new();
            for &m in submodules.iter().chain(&sorted) {
                let o = &model.objects[m];
                let summary = o
                    .doc
                    .as_ref()
                    .map(|d| (d.summary.clone(), d.blocks.first().map_or(o.line, |b| b.line)))
                    .unwrap_or_default();
                let summary_html = self.inline(&summary.0, summary.1, m);
                let shown = if o.kind == ObjectKind::Module { &o.qualname } else { &o.name };
                rows.push(SummaryRow {
                    url: xref::url(model, m, self.output),
                    name: shown.clone(),
                    kind: o.kind.label(),
                    summary: summary_html,
                });
            }
            let html = self.render("api/summary.html", &serde_json::json!({ "rows": rows }));
            self.html.push_str(&html);
        }
        sorted
    }

    /// Attribute members and the docstring's `Attributes` entries, one table, a row per
    /// attribute carrying its anchor.
    /// `fields`: the dataclass fields table, which also takes the documented entries.
    fn attribute_table(&mut self, i: usize, chosen: &[usize], fields: bool) {
        let model = self.model;
        let attributes: Vec<usize> =
            chosen.iter().copied().filter(|&m| model.objects[m].kind == ObjectKind::Attribute).collect();
        let takes_documented = fields || !model.objects[i].is_dataclass;
        let documented: Vec<Item> =
            if takes_documented { doc_items(model, i, ItemSection::Attributes) } else { Vec::new() };
        if attributes.is_empty() && documented.is_empty() {
            return;
        }
        let mut rows = Vec::new();
        let mut shown = Vec::new();
        for &m in &attributes {
            let a = &model.objects[m];
            let item = documented.iter().find(|d| d.name == a.name);
            let ty = a
                .annotation
                .as_ref()
                .map(|t| self.annotation(t, i))
                .or_else(|| item.and_then(|d| d.ty.as_ref()).map(|t| self.doc_type(t, i)))
                .unwrap_or_default();
            let text = match (&a.doc, item) {
                (Some(doc), _) => {
                    let md: Vec<String> = doc
                        .blocks
                        .iter()
                        .filter_map(|b| match &b.kind {
                            BlockKind::Text(t) => Some(t.clone()),
                            _ => None,
                        })
                        .collect();
                    let line = doc.blocks.first().map_or(a.line, |b| b.line);
                    self.inline(&md.join("\n\n"), line, m)
                }
                (None, Some(d)) => self.inline(&d.text, d.line, i),
                _ => String::new(),
            };
            self.ids.push(escape(&a.qualname));
            rows.push(AttributeRow {
                id: Some(a.qualname.clone()),
                name: a.name.clone(),
                r#type: ty,
                value: a.value.as_ref().map(|v| shorten(v, 60)),
                text,
            });
            shown.push(a.name.clone());
        }
        for d in documented.iter().filter(|d| !shown.contains(&d.name)) {
            let text = self.inline(&d.text, d.line, i);
            rows.push(AttributeRow {
                id: None,
                name: d.name.clone(),
                r#type: d.ty.as_ref().map(|t| self.doc_type(t, i)).unwrap_or_default(),
                value: None,
                text,
            });
        }
        let data = serde_json::json!({
            "title": if fields { "Fields" } else { "Attributes" },
            "value_header": if fields { "Default" } else { "Value" },
            "rows": rows,
        });
        let html = self.render("api/attributes.html", &data);
        self.html.push_str(&html);
    }

    /// The docstring's blocks in order, parameters merged with the signature.
    fn docstring(&mut self, i: usize) {
        let model = self.model;
        let object = &model.objects[i];
        let Some(doc) = &object.doc else {
            self.params_table(i, &[]);
            return;
        };
        // Without a parameters section, the signature's table follows the opening text.
        let mut params_done =
            doc.blocks.iter().any(|b| matches!(b.kind, BlockKind::Items { section: ItemSection::Params, .. }));
        for block in &doc.blocks {
            if !params_done && !matches!(block.kind, BlockKind::Text(_)) {
                self.params_table(i, &[]);
                params_done = true;
            }
            match &block.kind {
                BlockKind::Text(text) => {
                    let html = self.markdown(text, block.line, i);
                    self.html.push_str(&html);
                }
                BlockKind::Items { section: ItemSection::Params, items } => self.params_table(i, items),
                BlockKind::Items { section: ItemSection::Attributes, .. } if object.kind == ObjectKind::Class => {}
                BlockKind::Items { section, items } => self.items(i, *section, items),
                BlockKind::Admonition { class, title, text } => {
                    let body = self.markdown(text, block.line, i);
                    let data = serde_json::json!({ "class": class, "title": title, "body": body });
                    let html = self.render("api/admonition.html", &data);
                    self.html.push_str(&html);
                }
                BlockKind::Version { change, version, text } => {
                    let class = if *change == VersionChange::Deprecated { "warning" } else { "note" };
                    let body = self.markdown(text, block.line, i);
                    let data = serde_json::json!({
                        "class": format!("{class} api-version"),
                        "title": format!("{} {version}", change.phrase()),
                        "body": body,
                    });
                    let html = self.render("api/admonition.html", &data);
                    self.html.push_str(&html);
                }
                BlockKind::Titled { title, text } => {
                    let body = self.markdown(text, block.line, i);
                    let html = self.render("api/titled.html", &serde_json::json!({ "title": title, "body": body }));
                    self.html.push_str(&html);
                }
            }
        }
        if !params_done {
            self.params_table(i, &[]);
        }
    }

    /// Parameters: the signature's order, annotation and default, the docstring's text
    /// (and type, when the signature has none); documented names not in the signature last.
    fn params_table(&mut self, i: usize, items: &[Item]) {
        let object = &self.model.objects[i];
        let signature = object.signatures.first().cloned().unwrap_or_default();
        let annotated = signature.params.iter().any(|p| p.annotation.is_some() || p.default.is_some());
        // A dataclass's fields table already says what its generated constructor takes.
        if items.is_empty() && (!annotated || object.is_dataclass) {
            return;
        }
        let find = |name: &str| {
            items.iter().find(|it| it.name.split(',').map(str::trim).any(|n| n.trim_start_matches('*') == name))
        };
        let mut rows = Vec::new();
        let mut used = Vec::new();
        for p in &signature.params {
            let item = find(&p.name);
            let ty = match (&p.annotation, item.and_then(|it| it.ty.as_ref())) {
                (Some(a), _) => self.annotation(a, i),
                (None, Some(t)) => self.doc_type(t, i),
                _ => String::new(),
            };
            let text = match item {
                Some(it) => {
                    used.push(it.name.clone());
                    self.inline(&it.text, it.line, i)
                }
                None => String::new(),
            };
            rows.push(ParamRow {
                name: p.display_name(),
                r#type: ty,
                required: p.default.is_none() && !matches!(p.kind, ParamKind::VarArgs | ParamKind::VarKeywords),
                default: p.default.as_ref().map(|d| shorten(d, 60)),
                text,
            });
        }
        for it in items.iter().filter(|it| !used.contains(&it.name)) {
            let text = self.inline(&it.text, it.line, i);
            rows.push(ParamRow {
                name: it.name.clone(),
                r#type: it.ty.as_ref().map(|t| self.doc_type(t, i)).unwrap_or_default(),
                required: false,
                default: None,
                text,
            });
        }
        let html = self.render("api/params.html", &serde_json::json!({ "rows": rows }));
        self.html.push_str(&html);
    }

    /// Returns, yields, raises, see-also and other lists.
    fn items(&mut self, i: usize, section: ItemSection, items: &[Item]) {
        let object = &self.model.objects[i];
        let (layout, rows): (&str, Vec<ItemRow>) = match section {
            ItemSection::Returns | ItemSection::Yields => {
                let annotation = object.signatures.first().and_then(|s| s.returns.clone());
                let rows = items
                    .iter()
                    .enumerate()
                    .map(|(k, it)| {
                        let ty = match (&it.ty, &annotation) {
                            (Some(t), _) => self.doc_type(t, i),
                            (None, Some(a)) if k == 0 && items.len() == 1 => self.annotation(a, i),
                            _ => String::new(),
                        };
                        let text = self.inline(&it.text, it.line, i);
                        ItemRow { name: it.name.clone(), r#type: ty, text, ..Default::default() }
                    })
                    .collect();
                ("returns", rows)
            }
            ItemSection::Raises | ItemSection::Warns => {
                let rows = items
                    .iter()
                    .map(|it| {
                        let ty = self.doc_type(&it.name, i);
                        let text = self.inline(&it.text, it.line, i);
                        ItemRow { name: it.name.clone(), r#type: ty, text, ..Default::default() }
                    })
                    .collect();
                ("raises", rows)
            }
            ItemSection::Attributes | ItemSection::OtherParams | ItemSection::Params => {
                let rows = items
                    .iter()
                    .map(|it| {
                        let text = self.inline(&it.text, it.line, i);
                        let ty = it.ty.as_ref().map(|t| self.doc_type(t, i)).unwrap_or_default();
                        ItemRow { name: it.name.clone(), r#type: ty, text, ..Default::default() }
                    })
                    .collect();
                ("names", rows)
            }
            _ => {
                let rows = items
                    .iter()
                    .map(|it| {
                        let links = it
                            .name
                            .split(',')
                            .map(str::trim)
                            .filter(|n| !n.is_empty())
                            .map(|name| {
                                let target = xref::parse_name(name)
                                    .and_then(|t| xref::resolve(self.model, t.name, Some(i)).ok());
                                SeeAlsoLink {
                                    name: name.to_string(),
                                    url: target.map(|t| xref::url(self.model, t, self.output)),
                                }
                            })
                            .collect();
                        let text = self.inline(&it.text, it.line, i);
                        ItemRow { name: it.name.clone(), links, text, ..Default::default() }
                    })
                    .collect();
                ("see-also", rows)
            }
        };
        let data = serde_json::json!({ "title": section.title(), "layout": layout, "items": rows });
        let html = self.render("api/items.html", &data);
        self.html.push_str(&html);
    }
}

/// The docstring entries of one section of object `i`.
fn doc_items(model: &ApiModel, i: usize, section: ItemSection) -> Vec<Item> {
    model.objects[i]
        .doc
        .iter()
        .flat_map(|d| d.blocks.iter())
        .filter_map(|b| match &b.kind {
            BlockKind::Items { section: s, items } if *s == section => Some(items.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A long value cut with an ellipsis (a default that is a whole table would swamp the page).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
