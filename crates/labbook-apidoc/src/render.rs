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

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use super::docstring::{BlockKind, Item, ItemSection, VersionChange};
use super::model::{ApiModel, ObjectKind, ParamKind, Signature};
use super::xref;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::markdown::directive::{
    parse_body, Directive, DirectiveContext, DirectiveOutput, DirectiveRecord, Directives,
};
use labbook_core::markdown::{Heading, PageInput, SiteIndex};

/// The `autodoc` directive.
pub struct Autodoc {
    model: Arc<ApiModel>,
    site: Arc<SiteIndex>,
}

/// The `autodoc-index` directive: the module index and every object A–Z.
pub struct AutodocIndex {
    model: Arc<ApiModel>,
}

/// Registers both directives for a book's API model.
pub fn register(directives: &mut Directives, model: Arc<ApiModel>, site: Arc<SiteIndex>) {
    directives.register(Arc::new(Autodoc { model: model.clone(), site }));
    directives.register(Arc::new(AutodocIndex { model }));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AutodocSpec {
    object: String,
    #[serde(default)]
    members: Option<serde_yaml::Value>,
    #[serde(default = "default_level")]
    heading_level: u8,
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
            vec![Diagnostic::new(
                ctx.display,
                ctx.body_line.saturating_sub(1),
                1,
                format!("in the `autodoc` block: {message}"),
            )]
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
        let i = match model.get(&spec.object) {
            Some(i) => i,
            None => {
                let why = xref::resolve(model, &spec.object, None)
                    .map(|i| format!("write its full path `{}`", model.objects[i].qualname))
                    .unwrap_or_else(|e| e);
                return Err(at(format!("cannot document `{}`: {why}", spec.object)));
            }
        };
        if let Members::Named(names) = &members {
            let object = &model.objects[i];
            for name in names {
                if !object.members.iter().any(|&m| model.objects[m].name == *name) {
                    let have: Vec<&str> = object.members.iter().map(|&m| model.objects[m].name.as_str()).collect();
                    return Err(at(format!(
                        "`{}` has no public member `{name}`; it has: {}",
                        object.qualname,
                        if have.is_empty() { "none".to_string() } else { have.join(", ") }
                    )));
                }
            }
        }
        let mut writer = Writer::new(model, &self.site, ctx.output);
        writer.object(i, spec.heading_level, &members);
        writer.finish()
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
        Ok(DirectiveOutput { html, ids, ..Default::default() })
    }
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
        let mut html = String::from(
            "<div class=\"api-index\">\n<h2 id=\"api-modules\">Modules</h2>\n<table class=\"api-summary\">\n<tbody>\n",
        );
        for &m in &modules {
            let module = &model.objects[m];
            let _ = writeln!(
                html,
                "<tr><td><a href=\"{}\"><code>{}</code></a></td><td>{}</td></tr>",
                escape(&xref::url(model, m, ctx.output)),
                escape(&module.qualname),
                escape(&plain_summary(module.summary()))
            );
        }
        html.push_str("</tbody>\n</table>\n");
        let mut entries: Vec<usize> = modules
            .iter()
            .flat_map(|&m| descendants(model, m))
            .filter(|&i| model.objects[i].kind != ObjectKind::Module)
            .collect();
        entries.sort_by_cached_key(|&i| (model.objects[i].name.to_lowercase(), model.objects[i].qualname.clone()));
        let mut letter: Option<char> = None;
        for i in entries {
            let object = &model.objects[i];
            let first = object.name.chars().find(|c| c.is_alphanumeric()).map_or('_', |c| c.to_ascii_uppercase());
            if letter != Some(first) {
                if letter.is_some() {
                    html.push_str("</ul>\n");
                }
                let id =
                    if first.is_ascii_alphanumeric() { first.to_ascii_lowercase().to_string() } else { "other".into() };
                let _ = write!(html, "<h2 id=\"api-index-{id}\">{first}</h2>\n<ul class=\"api-az\">\n");
                ids.push(format!("api-index-{id}"));
                letter = Some(first);
            }
            let owner = object.parent.map(|p| model.objects[p].qualname.as_str()).unwrap_or_default();
            let _ = writeln!(
                html,
                "<li><a href=\"{}\"><code>{}</code></a> <span class=\"api-kind\">{}</span> in <code>{}</code></li>",
                escape(&xref::url(model, i, ctx.output)),
                escape(&object.name),
                object.kind.label(),
                escape(owner)
            );
        }
        if letter.is_some() {
            html.push_str("</ul>\n");
        }
        html.push_str("</div>\n");
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

/// A summary's Markdown as plain text (for descriptions and the index).
fn plain_summary(markdown: &str) -> String {
    markdown.replace(['`', '*'], "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the HTML of one directive, collecting headings, problems and source files.
struct Writer<'a> {
    model: &'a ApiModel,
    site: &'a SiteIndex,
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
}

impl<'a> Writer<'a> {
    fn new(model: &'a ApiModel, site: &'a SiteIndex, output: &'a str) -> Writer<'a> {
        Writer {
            model,
            site,
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
            ..Default::default()
        })
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
        };
        match labbook_core::markdown::render_page_in(&input, self.site, &self.directives, Some(i)) {
            Ok(r) => {
                self.warnings.extend(r.warnings);
                self.ids.extend(r.ids);
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
        let id = escape(&object.qualname);
        let _ = writeln!(
            self.html,
            "<h{level} class=\"api-heading\" id=\"{id}\"><span class=\"api-kind\">{}</span> <code class=\"api-name\">{}</code><a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">§</a></h{level}>",
            object.kind.label(),
            escape(shown)
        );
        self.headings.push(Heading {
            level,
            id: object.qualname.clone(),
            html: format!("<code>{}</code>", escape(shown)),
            text: shown.clone(),
        });
    }

    fn signature_html(&self, i: usize, signature: &Signature) -> String {
        let object = &self.model.objects[i];
        let mut parts = Vec::new();
        let mut keyword_marker = false;
        for (k, p) in signature.params.iter().enumerate() {
            if p.kind == ParamKind::KeywordOnly
                && !keyword_marker
                && !signature.params.iter().any(|q| q.kind == ParamKind::VarArgs)
            {
                parts.push("*".to_string());
                keyword_marker = true;
            }
            let mut s = format!("<span class=\"api-param\">{}</span>", escape(&p.display_name()));
            if let Some(a) = &p.annotation {
                let _ = write!(s, ": {}", self.annotation(a, i));
            }
            if let Some(d) = &p.default {
                let sep = if p.annotation.is_some() { " = " } else { "=" };
                let _ = write!(s, "{sep}<span class=\"api-default\">{}</span>", escape(d));
            }
            parts.push(s);
            let last_positional = p.kind == ParamKind::PositionalOnly
                && signature.params.get(k + 1).is_none_or(|q| q.kind != ParamKind::PositionalOnly);
            if last_positional {
                parts.push("/".to_string());
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
        let params = if plain_len + object.name.len() > 80 && parts.len() > 1 {
            format!("\n    {},\n", parts.join(",\n    "))
        } else {
            parts.join(", ")
        };
        // A class's signature is its constructor's, whose `-> None` says nothing.
        let returns = signature
            .returns
            .as_ref()
            .filter(|_| object.kind != ObjectKind::Class)
            .map(|r| format!(" -&gt; {}", self.annotation(r, i)))
            .unwrap_or_default();
        format!(
            "<span class=\"api-keyword\">{keyword}</span><span class=\"api-def-name\">{}</span>({params}){returns}",
            escape(&object.name)
        )
    }

    /// The definition line(s): decorators, then the signature (one per overload).
    fn definition(&mut self, i: usize) {
        let object = &self.model.objects[i];
        let mut lines = Vec::new();
        for d in &object.decorators {
            lines.push(format!("<span class=\"api-decorator\">@{}</span>", escape(d)));
        }
        match object.kind {
            ObjectKind::Module => return,
            ObjectKind::Class if object.signatures.is_empty() => {
                let bases = if object.bases.is_empty() { String::new() } else { format!("({})", self.bases(i)) };
                lines.push(format!(
                    "<span class=\"api-keyword\">class </span><span class=\"api-def-name\">{}</span>{bases}",
                    escape(&object.name)
                ));
            }
            ObjectKind::Property => {
                let ann =
                    object.annotation.as_ref().map(|a| format!(": {}", self.annotation(a, i))).unwrap_or_default();
                lines.push(format!(
                    "<span class=\"api-keyword\">property </span><span class=\"api-def-name\">{}</span>{ann}",
                    escape(&object.name)
                ));
            }
            ObjectKind::Attribute | ObjectKind::Data => {
                let ann =
                    object.annotation.as_ref().map(|a| format!(": {}", self.annotation(a, i))).unwrap_or_default();
                let value = object
                    .value
                    .as_ref()
                    .map(|v| format!(" = <span class=\"api-default\">{}</span>", escape(&shorten(v, 200))))
                    .unwrap_or_default();
                lines.push(format!("<span class=\"api-def-name\">{}</span>{ann}{value}", escape(&object.name)));
            }
            _ => {
                let count = object.signatures.len();
                for s in &object.signatures {
                    if count > 1 {
                        lines.push("<span class=\"api-decorator\">@overload</span>".to_string());
                    }
                    lines.push(self.signature_html(i, s));
                }
            }
        }
        let _ = writeln!(self.html, "<pre class=\"api-signature\"><code>{}</code></pre>", lines.join("\n"));
        if object.kind == ObjectKind::Class && !object.signatures.is_empty() && !object.bases.is_empty() {
            let _ = writeln!(self.html, "<p class=\"api-bases\">Bases: <code>{}</code></p>", self.bases(i));
        }
    }

    fn bases(&self, i: usize) -> String {
        let object = &self.model.objects[i];
        object.bases.iter().map(|b| self.annotation(b, object.parent.unwrap_or(i))).collect::<Vec<_>>().join(", ")
    }

    fn object(&mut self, i: usize, level: u8, members: &Members) {
        let model = self.model;
        let object = &model.objects[i];
        self.files.insert(object.file);
        let _ = writeln!(self.html, "<section class=\"api-object api-{}\">", object.kind.label());
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
        let start = self.html.len();
        self.heading(i, level);
        self.definition(i);
        self.docstring(i);
        let file = &model.files[object.file];
        let _ = writeln!(
            self.html,
            "<p class=\"api-source\">Source: <code>{}</code>, line {}</p>",
            escape(&labbook_core::content::to_slash(&file.display)),
            object.line
        );
        let chosen: Vec<usize> = match members {
            Members::None => Vec::new(),
            Members::All => object.members.clone(),
            Members::Named(names) => names
                .iter()
                .filter_map(|n| object.members.iter().copied().find(|&m| model.objects[m].name == *n))
                .collect(),
        };
        if object.kind == ObjectKind::Module {
            let members = self.module_summary(i, &chosen);
            self.records[record].html = self.html[start..].to_string();
            for m in members {
                self.object(m, (level + 1).min(6), &Members::All);
            }
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
            self.records[record].html = self.html[start..].to_string();
            for m in chosen {
                if model.objects[m].kind != ObjectKind::Attribute {
                    self.object(m, (level + 1).min(6), &Members::All);
                }
            }
        }
        self.html.push_str("</section>\n");
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
            self.html.push_str("<table class=\"api-summary\">\n<thead><tr><th>Name</th><th>Kind</th><th>Summary</th></tr></thead>\n<tbody>\n");
            for &m in submodules.iter().chain(&sorted) {
                let o = &model.objects[m];
                let summary = o
                    .doc
                    .as_ref()
                    .map(|d| (d.summary.clone(), d.blocks.first().map_or(o.line, |b| b.line)))
                    .unwrap_or_default();
                let summary_html = self.inline(&summary.0, summary.1, m);
                let shown = if o.kind == ObjectKind::Module { &o.qualname } else { &o.name };
                let _ = writeln!(
                    self.html,
                    "<tr><td><a href=\"{}\"><code>{}</code></a></td><td>{}</td><td>{summary_html}</td></tr>",
                    escape(&xref::url(model, m, self.output)),
                    escape(shown),
                    o.kind.label()
                );
            }
            self.html.push_str("</tbody>\n</table>\n");
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
        let _ = writeln!(
            self.html,
            "<p class=\"api-section-title\">{}</p>\n<table class=\"api-params\">\n<thead><tr><th>Name</th><th>Type</th><th>{}</th><th>Description</th></tr></thead>\n<tbody>",
            if fields { "Fields" } else { "Attributes" },
            if fields { "Default" } else { "Value" }
        );
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
            let value =
                a.value.as_ref().map(|v| format!("<code>{}</code>", escape(&shorten(v, 60)))).unwrap_or_default();
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
            let _ = writeln!(
                self.html,
                "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{value}</td><td>{text}</td></tr>",
                escape(&a.qualname),
                escape(&a.name),
                if ty.is_empty() { String::new() } else { format!("<code>{ty}</code>") }
            );
            shown.push(a.name.clone());
        }
        for d in documented.iter().filter(|d| !shown.contains(&d.name)) {
            let text = self.inline(&d.text, d.line, i);
            let ty = d.ty.as_ref().map(|t| format!("<code>{}</code>", self.doc_type(t, i))).unwrap_or_default();
            let _ = writeln!(
                self.html,
                "<tr><td><code>{}</code></td><td>{ty}</td><td></td><td>{text}</td></tr>",
                escape(&d.name)
            );
        }
        self.html.push_str("</tbody>\n</table>\n");
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
                    let _ = write!(
                        self.html,
                        "<div class=\"admonition {class}\" role=\"note\"><p class=\"admonition-title\">{}</p>\n{body}</div>\n",
                        escape(title)
                    );
                }
                BlockKind::Version { change, version, text } => {
                    let class = if *change == VersionChange::Deprecated { "warning" } else { "note" };
                    let body = self.markdown(text, block.line, i);
                    let _ = write!(
                        self.html,
                        "<div class=\"admonition {class} api-version\" role=\"note\"><p class=\"admonition-title\">{} {}</p>\n{body}</div>\n",
                        change.phrase(),
                        escape(version)
                    );
                }
                BlockKind::Titled { title, text } => {
                    let body = self.markdown(text, block.line, i);
                    let _ = write!(self.html, "<p class=\"api-section-title\">{}</p>\n{body}", escape(title));
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
        self.html.push_str("<p class=\"api-section-title\">Parameters</p>\n<table class=\"api-params\">\n<thead><tr><th>Name</th><th>Type</th><th>Default</th><th>Description</th></tr></thead>\n<tbody>\n");
        let mut used = Vec::new();
        for p in &signature.params {
            let item = find(&p.name);
            let ty = match (&p.annotation, item.and_then(|it| it.ty.as_ref())) {
                (Some(a), _) => format!("<code>{}</code>", self.annotation(a, i)),
                (None, Some(t)) => format!("<code>{}</code>", self.doc_type(t, i)),
                _ => String::new(),
            };
            let default = match (&p.default, p.kind) {
                (Some(d), _) => format!("<code>{}</code>", escape(&shorten(d, 60))),
                (None, ParamKind::VarArgs | ParamKind::VarKeywords) => String::new(),
                _ => "required".to_string(),
            };
            let text = match item {
                Some(it) => {
                    used.push(it.name.clone());
                    self.inline(&it.text, it.line, i)
                }
                None => String::new(),
            };
            let _ = writeln!(
                self.html,
                "<tr><td><code>{}</code></td><td>{ty}</td><td>{default}</td><td>{text}</td></tr>",
                escape(&p.display_name())
            );
        }
        for it in items.iter().filter(|it| !used.contains(&it.name)) {
            let text = self.inline(&it.text, it.line, i);
            let ty = it.ty.as_ref().map(|t| format!("<code>{}</code>", self.doc_type(t, i))).unwrap_or_default();
            let _ = writeln!(
                self.html,
                "<tr><td><code>{}</code></td><td>{ty}</td><td></td><td>{text}</td></tr>",
                escape(&it.name)
            );
        }
        self.html.push_str("</tbody>\n</table>\n");
    }

    /// Returns, yields, raises, see-also and other lists.
    fn items(&mut self, i: usize, section: ItemSection, items: &[Item]) {
        let object = &self.model.objects[i];
        let _ = writeln!(self.html, "<p class=\"api-section-title\">{}</p>", section.title());
        match section {
            ItemSection::Returns | ItemSection::Yields => {
                self.html.push_str("<table class=\"api-params api-returns\">\n<thead><tr><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
                let annotation = object.signatures.first().and_then(|s| s.returns.clone());
                for (k, it) in items.iter().enumerate() {
                    let ty = match (&it.ty, &annotation) {
                        (Some(t), _) => self.doc_type(t, i),
                        (None, Some(a)) if k == 0 && items.len() == 1 => self.annotation(a, i),
                        _ => String::new(),
                    };
                    let name =
                        if it.name.is_empty() { String::new() } else { format!("<code>{}</code>: ", escape(&it.name)) };
                    let text = self.inline(&it.text, it.line, i);
                    let ty = if ty.is_empty() { ty } else { format!("<code>{ty}</code>") };
                    let _ = writeln!(self.html, "<tr><td>{ty}</td><td>{name}{text}</td></tr>");
                }
                self.html.push_str("</tbody>\n</table>\n");
            }
            ItemSection::Raises | ItemSection::Warns => {
                self.html.push_str("<table class=\"api-params api-raises\">\n<thead><tr><th>Exception</th><th>When</th></tr></thead>\n<tbody>\n");
                for it in items {
                    let name = self.doc_type(&it.name, i);
                    let text = self.inline(&it.text, it.line, i);
                    let _ = writeln!(self.html, "<tr><td><code>{name}</code></td><td>{text}</td></tr>");
                }
                self.html.push_str("</tbody>\n</table>\n");
            }
            ItemSection::Attributes | ItemSection::OtherParams | ItemSection::Params => {
                self.html.push_str("<table class=\"api-params\">\n<thead><tr><th>Name</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
                for it in items {
                    let text = self.inline(&it.text, it.line, i);
                    let ty =
                        it.ty.as_ref().map(|t| format!("<code>{}</code>", self.doc_type(t, i))).unwrap_or_default();
                    let _ = writeln!(
                        self.html,
                        "<tr><td><code>{}</code></td><td>{ty}</td><td>{text}</td></tr>",
                        escape(&it.name)
                    );
                }
                self.html.push_str("</tbody>\n</table>\n");
            }
            _ => {
                self.html.push_str("<ul class=\"api-see-also\">\n");
                for it in items {
                    let mut names = Vec::new();
                    for name in it.name.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        let target =
                            xref::parse_name(name).and_then(|t| xref::resolve(self.model, t.name, Some(i)).ok());
                        names.push(match target {
                            Some(t) => format!(
                                "<a href=\"{}\"><code>{}</code></a>",
                                escape(&xref::url(self.model, t, self.output)),
                                escape(name)
                            ),
                            None => format!("<code>{}</code>", escape(name)),
                        });
                    }
                    let text = self.inline(&it.text, it.line, i);
                    let sep = if text.is_empty() { "" } else { ": " };
                    let _ = writeln!(self.html, "<li>{}{sep}{text}</li>", names.join(", "));
                }
                self.html.push_str("</ul>\n");
            }
        }
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
