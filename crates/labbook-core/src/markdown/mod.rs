//! Markdown to HTML fragments: heading ids, links, highlighting, math, admonitions,
//! includes and directives.
//!
//! [`render_page`] takes one page's text and the site's page index and returns the HTML
//! with everything it found that later stages check (links, ids) or watch (includes).

pub mod directive;
pub mod highlight;
pub mod highlight_cache;
pub mod include;
mod line_memo;
pub mod math;
pub mod math_text;
mod quiz;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use pulldown_cmark::{
    BlockQuoteKind, BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diagnostic::Diagnostic;
pub use directive::{Directive, DirectiveContext, DirectiveOutput, DirectiveRecord, Directives, Landmark};

/// What the Markdown stage needs to know about the rest of the site.
#[derive(Default)]
pub struct SiteIndex {
    /// Page sources relative to the content folder -> output paths relative to the site root.
    pub pages: HashMap<PathBuf, String>,
    /// The features' cross-link resolvers, tried in order.
    pub resolvers: Vec<Arc<dyn LinkResolver>>,
    /// Broken internal links are warnings rather than errors (`links: warn`, mdBook books).
    pub links_warn: bool,
    /// `$…$` is text, not math (`book.toml` books without `mathjax-support`).
    pub no_math: bool,
    /// Straight quotes and dashes stay as written (mdBook's `smart-punctuation = false`).
    pub no_smart_punctuation: bool,
    /// `term` / `: definition` lists (mdBook books, unless `definition-lists = false`).
    pub definition_lists: bool,
    /// What a heading's `§` link says to screen readers, in the book's language (the theme's
    /// `heading_anchor`); English when empty.
    pub anchor_label: String,
}

impl SiteIndex {
    /// The index of a loaded book: its pages, the sources features make linkable (model
    /// cards) and the features' link resolvers.
    pub fn for_book(book: &crate::content::Book) -> SiteIndex {
        let mut pages: HashMap<PathBuf, String> =
            book.pages.iter().map(|p| (p.rel.clone(), p.output.clone())).collect();
        let mut resolvers = Vec::new();
        for feature in book.features.iter() {
            pages.extend(feature.linkable_sources(book));
            resolvers.extend(feature.link_resolvers(book));
        }
        SiteIndex {
            pages,
            resolvers,
            links_warn: book.config.links == crate::config::LinkPolicy::Warn,
            no_math: !book.config.math,
            no_smart_punctuation: !book.config.smart_punctuation,
            definition_lists: book.config.definition_lists,
            anchor_label: book.words.get("heading_anchor").to_string(),
        }
    }

    /// The label of a heading's `§` link.
    fn anchor_label(&self) -> &str {
        if self.anchor_label.is_empty() || self.anchor_label == "heading_anchor" {
            "Link to this section"
        } else {
            &self.anchor_label
        }
    }
}

/// A feature's cross-links: shortcut references with no definition (`` [`pkg.Class`] ``)
/// and link destinations of its own scheme, resolved to a page and an anchor.
pub trait LinkResolver: Send + Sync {
    /// The target written in a shortcut reference `[reference]` that has no definition, if
    /// this resolver handles it (`` `pkg.Class` `` -> `pkg.Class`).
    fn claim_reference<'r>(&self, reference: &'r str) -> Option<&'r str>;

    /// For a link destination of the resolver's own scheme (Markdown its feature generated):
    /// the target written and whether it is soft (left unlinked when it does not resolve).
    fn claim_destination<'d>(&self, _destination: &'d str) -> Option<(&'d str, bool)> {
        None
    }

    /// Resolves `written` for a page at `from` (output path); `scope` is the resolver's own
    /// context for generated Markdown (an API object), `None` on a book page.
    fn resolve(&self, written: &str, scope: Option<usize>, from: &str) -> Resolution;
}

/// What a [`LinkResolver`] made of a target.
pub struct Resolution {
    /// The code text the link shows instead of the written one (`~pkg.f()` -> `f()`).
    pub shown: Option<String>,
    /// The link, or why it does not resolve.
    pub link: Result<ResolvedLink, String>,
}

/// A resolved cross-link.
pub struct ResolvedLink {
    /// The `href`, relative to the page (or absolute, for a link out of the site).
    pub href: String,
    /// The target page's output path, for the link check; empty for a link out of the site.
    pub target: String,
    /// The anchor on the target page.
    pub anchor: Option<String>,
    /// The file the target is documented from (the page is rebuilt when it changes).
    pub dependency: Option<PathBuf>,
}

/// The destination a shortcut reference claimed by resolver `k` gets while parsing
/// (`labbook-xref:<k>:<target>`); resolved (or reported) when the link's start event is seen.
const XREF_LINK: &str = "labbook-xref:";

/// One page to render.
pub struct PageInput<'a> {
    /// The page's path relative to the content folder.
    pub rel: &'a Path,
    /// How to name the file in messages.
    pub display: &'a Path,
    /// The file on disk (includes resolve relative to it).
    pub abs: &'a Path,
    /// The page's output path relative to the site root.
    pub output: &'a str,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// The file line where `body` starts.
    pub body_line: usize,
    /// For a page read from another format ([`crate::feature::PageSource::source_lines`]):
    /// the file line each line of `body` came from; empty when `body` is the file's text.
    pub source_lines: &'a [usize],
}

/// A heading of the rendered page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's inner HTML without links (for tables of contents that link to it).
    pub html: String,
    /// The heading as plain text.
    pub text: String,
}

/// An internal link or image found on a page, to be checked once every page is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Where it is written.
    pub line: usize,
    /// Column of the link's start.
    pub column: usize,
    /// The destination as written.
    pub written: String,
    /// The target's output path relative to the site root (`ml/loss.html`, `img/a.png`).
    pub target: String,
    /// The `#fragment`, if any.
    pub anchor: Option<String>,
}

/// A rendered page fragment.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML of the page body.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Internal links and images to check.
    pub links: Vec<Link>,
    /// Files read through `{{#include}}`.
    pub dependencies: Vec<PathBuf>,
    /// Problems that do not fail the build (math a docstring gets wrong), printed as warnings.
    pub warnings: Vec<Diagnostic>,
    /// What the page's directives reported for search (an exercise placed on the page).
    pub records: Vec<DirectiveRecord>,
    /// What a reader can complete on the page, in page order (see [`ProgressItem`]).
    pub progress: Vec<directive::ProgressItem>,
    /// The directive kinds the page uses, sorted, once each.
    pub directives: Vec<String>,
    /// The `<title>` a `{{#title …}}` directive gave the page.
    pub title: Option<String>,
    /// Theme scripts the page's directives need, sorted, once each.
    pub scripts: Vec<String>,
    /// Theme style sheets the page's directives need (`exercise.css`), sorted, once each.
    pub styles: Vec<String>,
    /// Skip-link targets the page's directives placed, in page order.
    pub landmarks: Vec<Landmark>,
    /// Every element id of `html` (headings, footnotes, what directives and the author's own
    /// HTML put there), for the link check: collected while rendering, never read back from
    /// the HTML.
    pub ids: Vec<String>,
    /// The text of the page's first paragraph, whitespace collapsed: a summary for listings
    /// and `<meta name="description">` (the model catalogue), taken from the Markdown
    /// events rather than read back from the HTML.
    pub first_paragraph: String,
}

/// Renders one page; all problems on the page are returned together.
pub fn render_page(page: &PageInput, site: &SiteIndex, directives: &Directives) -> Result<Rendered, Vec<Diagnostic>> {
    render_page_in(page, site, directives, None)
}

/// Renders Markdown a feature generated with its resolvers' `scope` (a docstring of an API
/// object), or with `None` a page: cross-links resolve from that scope outwards, and math
/// that cannot be rendered is shown as code with a warning, since docstrings are often
/// written for other tools.
pub fn render_page_in(
    page: &PageInput,
    site: &SiteIndex,
    directives: &Directives,
    scope: Option<usize>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut read = |p: &Path| crate::i18n::read_include(p);
    let expanded =
        include::expand_includes(page.body, page.abs, page.display, page.body_line, &mut read).map_err(|e| vec![e])?;
    let text = expanded.text.as_str();
    // A line of the expanded text back to its line in the page's file.
    let file_line = |line: usize| {
        let line = expanded.line_map.original_line(line);
        match (line + 1).checked_sub(page.body_line).and_then(|k| k.checked_sub(1)) {
            Some(k) if !page.source_lines.is_empty() => page.source_lines.get(k).copied().unwrap_or(line),
            _ => line,
        }
    };
    let position = |offset: usize| {
        let (line, column) = crate::diagnostic::line_column(text, offset);
        (file_line(line), column)
    };

    let mut out =
        Rendered { dependencies: expanded.dependencies.clone(), title: expanded.title.clone(), ..Default::default() };
    let mut errors = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut ids = HashSet::new();
    let page_dir = page.rel.parent().unwrap_or(Path::new(""));
    let mut ordinal = 0;
    let mut heading: Option<OpenHeading> = None;

    // `[reference]` with no link definition is a cross-link when a resolver claims it.
    let mut xref = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        if !matches!(link.link_type, LinkType::Shortcut | LinkType::Collapsed) {
            return None;
        }
        site.resolvers.iter().enumerate().find_map(|(k, r)| {
            let written = r.claim_reference(link.reference.as_ref())?;
            Some((CowStr::from(format!("{XREF_LINK}{k}:{written}")), CowStr::from("")))
        })
    };
    // The link text of a resolved cross-link replaces the code span inside it (`~` dropped);
    // a soft link that does not resolve leaves its text unlinked.
    let mut shown_code: Option<String> = None;
    let mut drop_link_end = false;
    let mut options = options();
    if site.no_math {
        options.remove(Options::ENABLE_MATH);
    }
    if site.no_smart_punctuation {
        options.remove(Options::ENABLE_SMART_PUNCTUATION);
    }
    if site.definition_lists {
        options.insert(Options::ENABLE_DEFINITION_LIST);
    }
    let mut parser = Parser::new_with_broken_link_callback(text, options, Some(&mut xref)).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let event = match (event, shown_code.take()) {
            (Event::Code(_), Some(shown)) => Event::Code(CowStr::from(shown)),
            (event, pending) => {
                shown_code = pending;
                event
            }
        };
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                // Inner events go through the arms below (links, math) and are gathered at the end.
                heading = Some(OpenHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    start: events.len(),
                    offset: range.start,
                    plain: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().expect("a heading ends after it starts");
                let inner: Vec<Event> = events.drain(h.start..).collect();
                // The in-page table of contents links to the heading, so its copy drops links.
                let mut toc_html = String::new();
                pulldown_cmark::html::push_html(
                    &mut toc_html,
                    inner
                        .iter()
                        .filter(|e| !matches!(e, Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)))
                        .cloned(),
                );
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                let id = match h.id {
                    Some(custom) => {
                        if !ids.insert(custom.clone()) {
                            let (line, column) = position(h.offset);
                            errors.push(Diagnostic::new(
                                page.display,
                                line,
                                column,
                                format!("the heading id `{custom}` is used twice on this page"),
                            ));
                        }
                        custom
                    }
                    None => unique_id(&slug(&h.plain), &mut ids),
                };
                let n = heading_number(h.level);
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{id}\">{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-label=\"{}\">§</a></h{n}>\n",
                    crate::escape::escape_html(site.anchor_label())
                ))));
                out.ids.push(id.clone());
                out.headings.push(Heading { level: n, id, html: toc_html, text: h.plain });
            }
            Event::Text(ref t) | Event::Code(ref t) if heading.is_some() => {
                heading.as_mut().expect("checked").plain.push_str(t);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = code_block_text(&mut parser);
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let lang = info.split([',', ' ', '{']).next().unwrap_or("").trim();
                // A block named after a directive, or an ordinary code block a directive takes
                // (runnable lesson code).
                let claimed = match directives.get(lang) {
                    Some(directive) => Some((directive, false)),
                    None => directives.code_block(&info).map(|d| (d, true)),
                };
                if let Some((directive, code_block)) = claimed {
                    ordinal += 1;
                    let kind = directive.name();
                    if !out.directives.iter().any(|d| d == kind) {
                        out.directives.push(kind.to_string());
                        out.directives.sort();
                    }
                    let (line, column) = position(range.start);
                    let (fence_at, _) = crate::diagnostic::line_column(text, range.start);
                    let ctx = DirectiveContext {
                        display: page.display,
                        fence_line: line,
                        body_line: file_line(fence_at + 1),
                        output: page.output,
                        ordinal,
                    };
                    let output = if code_block {
                        directive.render_code_block(&info, &code, &ctx)
                    } else {
                        directive.render_output(&code, &ctx)
                    };
                    match output {
                        Ok(output) => {
                            for h in &output.headings {
                                if !ids.insert(h.id.clone()) {
                                    errors.push(Diagnostic::new(
                                        page.display,
                                        line,
                                        column,
                                        format!("the id `{}` is used twice on this page", h.id),
                                    ));
                                }
                            }
                            out.ids.extend(output.headings.iter().map(|h| h.id.clone()));
                            out.ids.extend(output.ids);
                            out.headings.extend(output.headings);
                            out.dependencies.extend(output.dependencies);
                            out.warnings.extend(output.warnings);
                            out.records.extend(output.records);
                            out.progress.extend(output.progress);
                            for script in &output.scripts {
                                add_name(&mut out.scripts, script);
                            }
                            for style in &output.styles {
                                add_name(&mut out.styles, style);
                            }
                            out.landmarks.extend(output.landmarks);
                            events.push(Event::Html(CowStr::from(output.html)));
                        }
                        Err(e) => errors.extend(e),
                    }
                } else if lang == "rust" {
                    let (code, hidden) = hide_rust_lines(&code);
                    events.push(Event::Html(CowStr::from(highlight::global().highlight_lines(&code, lang, &hidden))));
                    add_name(&mut out.styles, highlight::STYLE);
                } else {
                    events.push(Event::Html(CowStr::from(highlight::global().highlight(&code, lang))));
                    add_name(&mut out.styles, highlight::STYLE);
                }
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                if let Some(h) = heading.as_mut() {
                    // mdBook, which has no math, takes the TeX as the heading's text.
                    h.plain.push_str(&tex);
                }
                let display = text[range.clone()].starts_with("$$");
                match math::render_math(&tex, display) {
                    Ok(mathml) => events.push(Event::InlineHtml(CowStr::from(mathml))),
                    Err(message) if scope.is_some() => {
                        let (line, _) = position(range.start);
                        out.warnings.push(Diagnostic::new(
                            page.display,
                            line,
                            0,
                            format!("math `{tex}` is shown as code: {message}"),
                        ));
                        events.push(Event::Code(tex));
                    }
                    Err(message) => {
                        let (line, column) = position(range.start);
                        errors.push(Diagnostic::new(
                            page.display,
                            line,
                            column,
                            format!("cannot render math `{tex}`: {message}"),
                        ));
                    }
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = admonition(kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"admonition {class}\" role=\"note\"><p class=\"admonition-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html(CowStr::from("</div>\n"))),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if claim(site, &dest_url).is_some() => {
                let (k, written, soft) = claim(site, &dest_url).expect("checked by the guard");
                let resolution = site.resolvers[k].resolve(written, scope, page.output);
                shown_code = resolution.shown;
                match resolution.link {
                    Ok(link) => {
                        let (line, column) = position(range.start);
                        out.dependencies.extend(link.dependency);
                        // No target page: a link out of the site (another project's docs).
                        if !link.target.is_empty() {
                            out.links.push(Link {
                                line,
                                column,
                                written: format!("[`{written}`]"),
                                target: link.target,
                                anchor: link.anchor,
                            });
                        }
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: CowStr::from(link.href),
                            title,
                            id,
                        }));
                    }
                    Err(_) if soft => drop_link_end = true,
                    // In generated Markdown (a docstring) the text stays, unlinked, with a
                    // warning: its author's tool (Sphinx, doc-builder) builds anyway.
                    Err(why) if scope.is_some() => {
                        let (line, _) = position(range.start);
                        out.warnings.push(Diagnostic::new(
                            page.display,
                            line,
                            0,
                            format!("unresolved cross-link [`{written}`]: {why}"),
                        ));
                        drop_link_end = true;
                    }
                    Err(why) => {
                        let (line, column) = position(range.start);
                        let problem = Diagnostic::new(
                            page.display,
                            line,
                            column,
                            format!("unresolved cross-link [`{written}`]: {why}"),
                        );
                        // `links: warn` (mdBook and doc-builder books): the text stays, unlinked.
                        if site.links_warn {
                            out.warnings.push(problem);
                            drop_link_end = true;
                        } else {
                            errors.push(problem);
                        }
                    }
                }
            }
            Event::End(TagEnd::Link) if drop_link_end => drop_link_end = false,
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                out.ids.push(crate::escape::escape_html(label));
                events.push(event);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                // HTML the author wrote in the Markdown source may carry ids to link to.
                out.ids.extend(source_html_ids(html));
                events.push(event);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = rewrite_link(&dest_url, page, page_dir, site, &position, range.start, &mut out, &mut errors);
                events.push(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = rewrite_link(&dest_url, page, page_dir, site, &position, range.start, &mut out, &mut errors);
                events.push(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }));
            }
            other => events.push(other),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.first_paragraph = first_paragraph(&events);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    if out.html.contains("<th") {
        out.html = accessible_header_cells(&out.html);
    }
    Ok(out)
}

/// The text of the first paragraph among a page's final events: its words and code spans,
/// the text inside inline HTML (rendered math) without the tags, whitespace collapsed.
fn first_paragraph(events: &[Event]) -> String {
    let Some(start) = events.iter().position(|e| matches!(e, Event::Start(Tag::Paragraph))) else {
        return String::new();
    };
    let mut text = String::new();
    for event in &events[start + 1..] {
        match event {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut in_tag = false;
                for c in html.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The values of ` id="..."` attributes in HTML written in a page's source.
pub fn source_html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    ids
}

/// Table header cells that assistive technology would announce as empty: a cell left
/// empty (`| | chapter |`) heads nothing and becomes a data cell; maths in a header gets its
/// readable text as its name ([`math_text::label_math`]).
fn accessible_header_cells(html: &str) -> String {
    let mut out = html.replace("<th></th>", "<td></td>");
    for align in ["left", "center", "right"] {
        out = out.replace(
            &format!("<th style=\"text-align: {align}\"></th>"),
            &format!("<td style=\"text-align: {align}\"></td>"),
        );
    }
    if !out.contains("<math") {
        return out;
    }
    let mut labelled = String::with_capacity(out.len() + 256);
    let mut rest = out.as_str();
    while let Some(start) = rest.find("<th") {
        let end = rest[start..].find("</th>").map_or(rest.len(), |e| start + e);
        labelled.push_str(&rest[..start]);
        labelled.push_str(&math_text::label_math(&rest[start..end]));
        rest = &rest[end..];
    }
    labelled.push_str(rest);
    labelled
}

/// The resolver a link destination is for, the target written and whether it is soft.
fn claim<'d>(site: &SiteIndex, dest: &'d str) -> Option<(usize, &'d str, bool)> {
    if let Some(rest) = dest.strip_prefix(XREF_LINK) {
        let (k, written) = rest.split_once(':')?;
        return Some((k.parse().ok()?, written, false));
    }
    site.resolvers.iter().enumerate().find_map(|(k, r)| r.claim_destination(dest).map(|(w, soft)| (k, w, soft)))
}

/// mdBook's hidden lines of a Rust code block: a line whose first non-blank character is
/// `#` followed by a space or nothing is hidden (`# ` dropped, its indentation kept); `#`
/// followed by another character is hidden too, except `#!` and `#[` (attributes); `##`
/// shows as `#`. Returns the code to show and which of its lines are hidden.
pub fn hide_rust_lines(code: &str) -> (String, Vec<bool>) {
    let mut out = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let rest = line.trim_start_matches([' ', '\t']);
        let indent = &line[..line.len() - rest.len()];
        let Some(after) = rest.strip_prefix('#') else {
            out.push_str(line);
            hidden.push(false);
            continue;
        };
        match after.chars().next() {
            Some('#') => {
                out.push_str(indent);
                out.push_str(after);
                hidden.push(false);
            }
            Some('!' | '[') => {
                out.push_str(line);
                hidden.push(false);
            }
            Some(' ') => {
                out.push_str(indent);
                out.push_str(&after[1..]);
                hidden.push(true);
            }
            _ => {
                out.push_str(indent);
                out.push_str(after);
                hidden.push(true);
            }
        }
    }
    (out, hidden)
}

/// A heading whose inner events are being collected.
struct OpenHeading {
    level: HeadingLevel,
    id: Option<String>,
    start: usize,
    offset: usize,
    plain: String,
}

/// The Markdown extensions labbook turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_SMART_PUNCTUATION
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn admonition(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The text of a code block whose start event was just read, up to and including its end.
fn code_block_text<'a>(events: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) -> String {
    let mut code = String::new();
    for (e, _) in events.by_ref() {
        match e {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

/// Adds `name` to the sorted list of asset names `list`, once.
fn add_name(list: &mut Vec<String>, name: &str) {
    if let Err(at) = list.binary_search_by(|n| n.as_str().cmp(name)) {
        list.insert(at, name.to_string());
    }
}

/// Renders a short Markdown text that is not a page (exercise instructions, hints): code
/// blocks highlighted and math rendered like a page's, no heading anchors or link checks.
pub fn render_fragment(text: &str) -> String {
    let mut events = Vec::new();
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = code_block_text(&mut parser);
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split([',', ' ', '{']).next().unwrap_or("").trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                events.push(Event::Html(CowStr::from(highlight::global().highlight(&code, &lang))));
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = text[range].starts_with("$$");
                match math::render_math(&tex, display) {
                    Ok(mathml) => events.push(Event::InlineHtml(CowStr::from(mathml))),
                    Err(_) => events.push(Event::Code(tex)),
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// A heading id from its text, computed as mdBook 0.5 (`id_from_content`) and GitHub
/// compute it, so links written for either resolve: the text trimmed and lowercased as a
/// whole (Unicode rules), then letters and digits of any script and `-` and `_` kept, each
/// whitespace character turned into `-` (repeated dashes are *not* collapsed), everything
/// else dropped (so `İ`'s combining dot goes, as in mdBook). Text with nothing left gets
/// `section` (mdBook would write an empty id). Duplicates on a page get `-1`, `-2`
/// ([`unique_id`]). This is the only implementation of the rule.
pub fn slug(text: &str) -> String {
    let s: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect();
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

fn unique_id(base: &str, ids: &mut HashSet<String>) -> String {
    if ids.insert(base.to_string()) {
        return base.to_string();
    }
    (1..).map(|n| format!("{base}-{n}")).find(|id| ids.insert(id.clone())).expect("some suffix is free")
}

/// Whether a link destination leaves the site (a scheme such as `https:` or `mailto:`).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Rewrites an internal destination (`../b.md#x` -> `../b.html#x`) and records it for the link check.
#[allow(clippy::too_many_arguments)]
fn rewrite_link<'a>(
    dest: &CowStr<'a>,
    page: &PageInput,
    page_dir: &Path,
    site: &SiteIndex,
    position: &dyn Fn(usize) -> (usize, usize),
    offset: usize,
    out: &mut Rendered,
    errors: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let links = &mut out.links;
    if dest.is_empty() || is_external(dest) {
        return dest.clone();
    }
    let (line, column) = position(offset);
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest.as_ref(), None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    if path_part.is_empty() {
        links.push(Link { line, column, written: dest.to_string(), target: page.output.to_string(), anchor });
        return dest.clone();
    }
    let decoded = percent_decode(path_part);
    let Some(resolved) = crate::content::join_normalized(page_dir, &decoded) else {
        // mdBook keeps such links (`../std/index.html`, next to the book on a server).
        out.warnings.push(Diagnostic::new(
            page.display,
            line,
            column,
            format!("link `{dest}` leaves the book; kept as written"),
        ));
        return dest.clone();
    };
    let target = if decoded.ends_with(".md") {
        match site.pages.get(&resolved) {
            Some(output) => output.clone(),
            None => {
                let problem = Diagnostic::new(
                    page.display,
                    line,
                    column,
                    format!(
                        "broken link `{dest}`: there is no page `{}` in the content folder",
                        crate::content::to_slash(&resolved)
                    ),
                );
                if !site.links_warn {
                    errors.push(problem);
                    return dest.clone();
                }
                // As mdBook does: the link still points at the page's would-be `.html`.
                out.warnings.push(problem);
                return CowStr::from(match dest.split_once(".md") {
                    Some((before, after)) => format!("{before}.html{after}"),
                    None => dest.to_string(),
                });
            }
        }
    } else if let Some(output) = site.pages.get(&resolved) {
        // A page in another format a feature reads (`intro.ipynb`).
        output.clone()
    } else if decoded.ends_with('/') || resolved.as_os_str().is_empty() {
        // A folder link: its index page, written out so it also works from file://.
        let index = resolved.join("index.md");
        match site.pages.get(&index).or_else(|| site.pages.get(&resolved.join("README.md"))) {
            Some(output) => output.clone(),
            None => crate::content::to_slash(&resolved.join("index.html")),
        }
    } else {
        crate::content::to_slash(&resolved)
    };
    let href = relative_url(page.output, &target);
    links.push(Link { line, column, written: dest.to_string(), target, anchor: anchor.clone() });
    let mut out = href;
    if let Some(a) = anchor {
        let _ = write!(out, "#{a}");
    }
    CowStr::from(out)
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The relative URL from the page at `from` to `to` (both relative to the site root).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from_dir.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    if url.is_empty() {
        url.push_str(to_parts.last().copied().unwrap_or_default());
    }
    url
}

/// The prefix from a page at `output` to the site root: `""`, `"../"`, ...
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let site = SiteIndex {
            pages: [("a.md", "a.html"), ("ml/b.md", "ml/b.html"), ("ml/index.md", "ml/index.html")]
                .iter()
                .map(|(s, o)| (PathBuf::from(s), o.to_string()))
                .collect(),
            ..Default::default()
        };
        let page = PageInput {
            rel: Path::new("ml/b.md"),
            display: Path::new("content/ml/b.md"),
            abs: Path::new("/nonexistent/ml/b.md"),
            output: "ml/b.html",
            body,
            body_line: 3,
            source_lines: &[],
        };
        render_page(&page, &site, &Directives::builtin())
    }

    #[test]
    fn the_first_paragraph_is_reported_as_text() {
        let r = render(
            "# Iris\n\n> [!NOTE]\n> Not this one.\n\nA <b>softmax</b> & `code`,\nsplit [here](b.md).\n\nNot this.\n",
        )
        .unwrap();
        assert_eq!(r.first_paragraph, "Not this one.");
        let r = render("# Iris\n\nA <b>softmax</b> & `code`,\nsplit [here](b.md).\n\nNot this.\n").unwrap();
        assert_eq!(r.first_paragraph, "A softmax & code, split here.");
        assert_eq!(render("# Only a title\n").unwrap().first_paragraph, "");
    }

    #[test]
    fn ids_are_recorded_while_rendering() {
        let r = render("# Top\n\n## Step {#s1}\n\nText[^note] <a id=\"here\"></a>\n\n<div id=\"box\">x</div>\n\n[^note]: A note.\n\n```quiz\nquestion: Q?\nchoices:\n  - text: a\n    correct: true\n  - text: b\n```\n").unwrap();
        for id in ["top", "s1", "note", "here", "box", "quiz-mlb-1"] {
            assert!(r.ids.iter().any(|i| i == id), "{id} missing from {:?}", r.ids);
            assert!(r.html.contains(&format!(" id=\"{id}\"")), "{id} is in the HTML too");
        }
        assert_eq!(r.directives, ["quiz"]);
        assert_eq!(source_html_ids("<p id=\"a\"><span id=\"b\">"), ["a", "b"]);
    }
    #[test]
    fn slugs() {
        // Heading text -> id, as mdBook and GitHub make them.
        let table = [
            ("The learning rate", "the-learning-rate"),
            ("Soft-max & friends (2)", "soft-max--friends-2"),
            ("Concatenating with + or format!", "concatenating-with--or-format"),
            ("Überblick", "überblick"),
            ("入门指南", "入门指南"),
            ("snake_case_names", "snake_case_names"),
            ("What Is Ownership?", "what-is-ownership"),
            ("Using `Box<T>` to Point to Data", "using-boxt-to-point-to-data"),
            ("a -- b", "a----b"),
            (" padded ", "padded"),
            ("???", "section"),
            // mdBook 0.5.4's own cases (mdbook-html/src/utils.rs).
            ("--passes: add more rustdoc passes", "--passes-add-more-rustdoc-passes"),
            ("Method-call \u{1f419} expressions \u{1f47c}", "method-call--expressions-"),
            ("_-_12345", "_-_12345"),
            ("中文標題 CJK title", "中文標題-cjk-title"),
            ("にほんご", "にほんご"),
            ("한국어", "한국어"),
            // Lowercased as a whole, then filtered: the combining dot of `i̇` goes.
            ("İstanbul", "istanbul"),
            ("ΟΔΟΣ", "οδος"),
        ];
        for (text, id) in table {
            assert_eq!(slug(text), id, "{text}");
        }
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("ml/b.html", "a.html"), "../a.html");
        assert_eq!(relative_url("ml/b.html", "ml/c.html"), "c.html");
        assert_eq!(relative_url("a.html", "ml/c.html"), "ml/c.html");
        assert_eq!(relative_url("ml/x/b.html", "ml/y/c.html"), "../y/c.html");
        assert_eq!(root_prefix("ml/x/b.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }

    #[test]
    fn headings_get_unique_and_custom_ids() {
        let r = render("# Title\n\n## Step\n\n## Step\n\n## Other {#custom}\n").unwrap();
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "step", "step-1", "custom"]);
        assert!(r.html.contains("<h2 id=\"step-1\">Step<a class=\"anchor\" href=\"#step-1\""), "{}", r.html);
    }

    #[test]
    fn links_are_rewritten_and_recorded() {
        let r =
            render("See [a](../a.md#x), [self](#top), [idx](./), [web](https://example.org) and ![i](img/p.png).\n")
                .unwrap();
        assert!(r.html.contains("href=\"../a.html#x\""), "{}", r.html);
        assert!(r.html.contains("href=\"index.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://example.org\""));
        let targets: Vec<_> = r.links.iter().map(|l| (l.target.as_str(), l.anchor.as_deref())).collect();
        assert_eq!(
            targets,
            [("a.html", Some("x")), ("ml/b.html", Some("top")), ("ml/index.html", None), ("ml/img/p.png", None)]
        );
        assert_eq!(r.links[0].line, 3);
    }

    #[test]
    fn broken_page_link_names_line_and_column() {
        let e = render("text\n\nA [gone](missing.md) link.\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "content/ml/b.md:5:3: broken link `missing.md`: there is no page `ml/missing.md` in the content folder"
        );
    }

    #[test]
    fn admonitions_and_math() {
        let r = render("> [!WARNING]\n> Careful.\n\nInline $x^2$ and\n\n$$\\frac{1}{2}$$\n").unwrap();
        assert!(
            r.html
                .contains("<div class=\"admonition warning\" role=\"note\"><p class=\"admonition-title\">Warning</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<math"), "{}", r.html);
        assert!(r.html.contains("display=\"block\""), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted() {
        let r = render("```python\ndef f(x):\n    return x\n```\n").unwrap();
        assert!(r.html.contains("<pre class=\"code\" data-lang=\"python\">"), "{}", r.html);
        assert!(r.html.contains("<span class=\"l"), "{}", r.html);
    }

    #[test]
    fn links_and_math_inside_headings_are_processed() {
        let r = render("## See [a](../a.md) and $x$\n").unwrap();
        assert!(r.html.contains("href=\"../a.html\""), "{}", r.html);
        assert!(r.html.contains("<math"), "{}", r.html);
        assert_eq!(r.headings[0].id, "see-a-and-x");
        assert!(!r.headings[0].html.contains("<a "), "{}", r.headings[0].html);
        assert_eq!(r.links.len(), 1);
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a.md"));
        assert!(!is_external("dir/a:b.md"));
    }
}
