//! Rendering: the theme's Tera templates turn rendered Markdown into whole pages, plus the
//! sidebar script, `print.html`, `404.html` and `sitemap.xml`.

mod theme;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Book, NavItem};
use crate::diagnostic::Diagnostic;
use crate::markdown::{relative_url, root_prefix, Heading, Rendered};
use crate::output::{OutFile, Sink};

pub use crate::escape::escape_html;
pub use theme::{Assets, Theme};

/// `book` in every template context.
#[derive(Serialize)]
struct BookCtx<'a> {
    title: &'a str,
    /// What a reader's progress is kept under (book.yaml `id:`).
    id: String,
    description: &'a str,
    language: &'a str,
    authors: &'a [String],
    /// The book's own style sheets and scripts (`extra-css`, `extra-js`), site-relative.
    extra_css: Vec<String>,
    extra_js: Vec<String>,
    /// The source repository, linked from the header.
    repository_url: Option<&'a str>,
    /// Whether the book has `print.html` (and pages its print button).
    print: bool,
    /// Whether each chapter starts a new printed page.
    print_page_break: bool,
    /// How the sidebar folds.
    fold: crate::config::FoldOptions,
    /// `self-study` or `student`.
    edition: &'static str,
    /// `rtl` or `ltr` for a translated book or a right-to-left language; else none, and
    /// pages carry no `dir` (as before languages existed).
    dir: Option<&'static str>,
    /// In a translated book, its languages (the switcher's entries come per page).
    translated: bool,
    /// Search is on (`search: enable`): pages show the search button.
    search: bool,
}

/// One entry of a page's language switcher.
#[derive(Serialize)]
struct LanguageLinkCtx {
    code: String,
    name: String,
    dir: &'static str,
    /// The same page in that language, relative to this page; that language's index when it
    /// does not have the page.
    url: String,
    /// Whether the page exists in that language (an `hreflang` alternate).
    same_page: bool,
    /// The language of this page.
    current: bool,
}

/// What `print.html` and `404.html` know of themselves: the language menu's entries.
#[derive(Serialize)]
struct ExtraPageCtx {
    languages: Vec<LanguageLinkCtx>,
}

/// Why a page of a translation carries a banner.
#[derive(Serialize)]
struct TranslationCtx {
    /// `fallback` (shown in the default language) or `stale`.
    state: &'static str,
    /// The default language's name.
    source: String,
    /// Its code and direction: a fallback's article is marked as written in it.
    source_code: String,
    source_dir: &'static str,
    /// `edit-url` with the path the translation has (or would have).
    edit_url: Option<String>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    description: &'a str,
    tags: &'a [String],
    content: &'a str,
    has_title: bool,
    headings: Vec<&'a Heading>,
    path: &'a str,
    /// "Edit this page" (`edit-url` with the page's source path).
    edit_url: Option<String>,
    /// Theme scripts this page needs besides every page's (`exercise.js`), without
    /// [`PROGRESS_SCRIPT`], which `progress` places.
    scripts: Vec<&'a str>,
    /// Whether the page loads progress.js before its other scripts: a reader can complete
    /// something here (an exercise, a quiz), or the page asked for it (`progress.html`).
    /// Elsewhere labbook.js loads it only once the reader has kept something, for the
    /// sidebar's ticks.
    progress: bool,
    /// Theme style sheets this page needs besides every page's (`exercise.css`), as the
    /// features placed on it asked.
    styles: &'a [String],
    /// Skip-link targets besides the content.
    landmarks: &'a [crate::markdown::Landmark],
    /// The features' links for this page ("Download notebook"), hrefs relative to it.
    links: Vec<crate::feature::PageLink>,
    /// The language switcher (a translated book only).
    languages: Vec<LanguageLinkCtx>,
    /// A fallback's or stale translation's banner.
    translation: Option<TranslationCtx>,
}

#[derive(Serialize)]
struct LinkCtx {
    title: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct PageTemplateCtx<'a> {
    book: &'a BookCtx<'a>,
    page: PageCtx<'a>,
    root: String,
    assets: &'a BTreeMap<String, String>,
    prev: Option<LinkCtx>,
    next: Option<LinkCtx>,
    breadcrumbs: Vec<LinkCtx>,
    generator: &'static str,
}

#[derive(Serialize)]
struct NavCtx {
    title: String,
    url: Option<String>,
    number: Option<String>,
    is_part: bool,
    children: Vec<NavCtx>,
    marks: crate::content::NavMarks,
}

#[derive(Serialize)]
struct ChapterCtx<'a> {
    title: &'a str,
    id: String,
    content: std::borrow::Cow<'a, str>,
    /// Where the contents link it: `#<id>`, or `print-<n>.html#<id>` in another part.
    href: String,
}

/// An entry of the contents of `print.html`.
#[derive(Serialize)]
struct ContentsCtx<'a> {
    title: &'a str,
    href: String,
}

/// One part of a book printed in several files.
#[derive(Serialize)]
struct VolumeCtx {
    title: String,
    url: String,
    /// The part this file holds.
    current: bool,
}

/// Above this many bytes of chapters, `print.html` holds only the cover and the contents,
/// and the chapters are printed in parts (`print-1.html`, ...) of about this size, each
/// starting at a top-level chapter or part of the book. A browser lays out a page of a
/// hundred megabytes slowly if at all, and the build would hold it in memory whole.
pub const PRINT_PART_BYTES: usize = 8 << 20;

/// What the built-in `page.html` and `print.html` are rendered with in each article's place,
/// before the articles are written there ([`SiteRenderer::render_page`],
/// [`SiteRenderer::print_file`]): no page's text holds it (a page title that did would only
/// make the marks miscount, and the page is rendered the plain way).
const ARTICLE_MARK: &str = "\u{1}labbook-article\u{1}";

/// How a page a feature generated shows ([`crate::feature::Feature::page_view`]): its
/// article comes from a theme template and the feature's data rather than straight from
/// its Markdown (which the data usually holds, transformed like any page's).
pub struct PageView {
    /// The theme template that writes the article (`model.html`). It gets `book`, `root`,
    /// `assets` and `generator`, as every template does, and `data`.
    pub template: &'static str,
    /// What the template needs (`model` for `model.html`).
    pub data: tera::Context,
    /// `<meta name="description">`, instead of the front matter's.
    pub description: Option<String>,
    /// The headings of "On this page", instead of the Markdown's.
    pub headings: Option<Vec<Heading>>,
    /// Ancestors (title, target relative to the site root), instead of the navigation's.
    pub breadcrumbs: Option<Vec<(String, Option<String>)>>,
    /// Theme scripts the page needs besides every page's and its directives'.
    pub scripts: Vec<String>,
    /// Theme style sheets the page needs besides every page's and its directives'.
    pub styles: Vec<String>,
}

/// A page's article and what its template needs besides: from its Markdown, or from the
/// view of the feature that generated it. `page.html` and `print.html` both take it.
struct PageParts<'r> {
    content: std::borrow::Cow<'r, str>,
    has_title: bool,
    description: Option<String>,
    headings: Vec<Heading>,
    breadcrumbs: Option<Vec<(String, Option<String>)>>,
    scripts: Vec<String>,
    styles: Vec<String>,
    /// Whether the page gets an "Edit this page" link (a page with a Markdown source).
    editable: bool,
}

/// The theme's progress script (`window.labbook.progress`): what a reader completed, the
/// sidebar's ticks, the "Your progress" page. A page names it in its scripts when it needs it
/// from the start; pages with progress items get it anyway.
pub const PROGRESS_SCRIPT: &str = "progress.js";

/// `scripts` without [`PROGRESS_SCRIPT`], which `page.html` places before the others.
fn without_progress(scripts: &[String]) -> Vec<&str> {
    scripts.iter().map(String::as_str).filter(|s| *s != PROGRESS_SCRIPT).collect()
}

/// Adds `extra` to the sorted names `list`, each once.
fn merge_names(list: &mut Vec<String>, extra: &[String]) {
    for name in extra {
        if !list.contains(name) {
            list.push(name.clone());
        }
    }
}

/// A site page the core makes itself rather than from a Markdown file (`progress.html`);
/// a feature's pages are pages of the book with a [`PageView`].
pub(crate) struct GeneratedPage {
    /// Output path relative to the site root.
    pub(crate) output: String,
    /// The source it is made from, for messages.
    pub(crate) source: std::path::PathBuf,
    /// The `<title>`.
    pub(crate) title: String,
    /// `<meta name="description">`.
    pub(crate) description: String,
    /// Tags shown under the page.
    pub(crate) tags: Vec<String>,
    /// The body HTML, including its `<h1>`, for `page.html`; templates of their own may
    /// leave it empty and build the body from `data`.
    pub(crate) content: String,
    /// The theme template that renders the page (`page.html`, or one extending it such as
    /// `model.html`).
    pub(crate) template: &'static str,
    /// What the template needs besides the page context (`model` for `model.html`).
    pub(crate) data: tera::Context,
    /// Theme scripts the page needs besides every page's (a model's widget: `exercise.js`).
    pub(crate) scripts: Vec<String>,
    /// Headings for "On this page".
    pub(crate) headings: Vec<Heading>,
    /// Ancestors: title and target relative to the site root.
    pub(crate) breadcrumbs: Vec<(String, Option<String>)>,
}

/// The generator's name and version, for `<meta name="generator">`.
pub const GENERATOR: &str = concat!("labbook ", env!("CARGO_PKG_VERSION"));

/// Renders the shared files (assets, `toc.html`) and every page of the book from its
/// rendered Markdown (`rendered[i]` belongs to `book.pages[i]`); the site-wide pages come
/// from [`SiteRenderer::render_extras`].
pub fn render_pages(renderer: &SiteRenderer, book: &Book, rendered: &[Rendered]) -> Result<Vec<OutFile>, Diagnostic> {
    let mut files = renderer.shared_files();
    let pages: Vec<Result<OutFile, Diagnostic>> =
        (0..book.pages.len()).into_par_iter().map(|i| renderer.render_page(i, rendered)).collect();
    for page in pages {
        files.push(page?);
    }
    Ok(files)
}

/// Everything pages share (navigation, hashed assets), computed once so that single pages
/// can be rendered on their own: all of them in a build, one at a time in `serve`.
pub struct SiteRenderer<'a> {
    book: &'a Book,
    theme: &'a Theme,
    book_ctx: BookCtx<'a>,
    assets: Assets,
    toc_html: String,
    breadcrumbs: Vec<Crumbs>,
    position: Vec<Option<usize>>,
    /// What a previous build printed, for linking unchanged print parts.
    reuse: Option<&'a crate::page_cache::BookKeys<'a>>,
}

impl<'a> SiteRenderer<'a> {
    /// Renders the sidebar and hashes the assets.
    pub fn new(book: &'a Book, theme: &'a Theme) -> Result<SiteRenderer<'a>, Diagnostic> {
        let config = &book.config;
        let book_ctx = BookCtx {
            title: &config.title,
            id: config.book_id(),
            description: &config.description,
            language: &config.language,
            authors: &config.authors,
            extra_css: config.extra_css.iter().map(|p| crate::content::to_slash(p)).collect(),
            extra_js: config.extra_js.iter().map(|p| crate::content::to_slash(p)).collect(),
            repository_url: config.repository_url.as_deref(),
            print: config.print.enable,
            print_page_break: config.print.page_break,
            fold: config.fold,
            edition: config.edition.name(),
            dir: match &book.language {
                Some(l) => Some(l.current.dir.as_str()),
                None => Some(crate::config::TextDirection::of(&config.language))
                    .filter(|d| *d == crate::config::TextDirection::Rtl)
                    .map(|d| d.as_str()),
            },
            translated: book.language.is_some(),
            search: config.search.enable,
        };
        // Sidebar: rendered once, shipped in toc.js (and toc.html for readers without JavaScript).
        let mut nav = nav_context(&book.nav, book);
        if config.edition == crate::config::Edition::Student {
            nav.push(NavCtx {
                title: handin_title(theme.words()).into(),
                url: Some(HANDIN_PAGE.into()),
                number: None,
                is_part: false,
                children: Vec::new(),
                marks: Default::default(),
            });
        }
        let mut ctx = tera::Context::new();
        ctx.insert("book", &book_ctx);
        ctx.insert("nav", &nav);
        ctx.insert("standalone", &false);
        let sidebar = theme.render("sidebar.html", &ctx)?;
        ctx.insert("standalone", &true);
        let toc_html = theme.render("sidebar.html", &ctx)?;
        let toc_js = theme.toc_js(&sidebar, &config.fold);
        let assets = theme.assets(&[
            ("toc.js", toc_js.into_bytes()),
            (crate::markdown::highlight::STYLE, crate::markdown::highlight::theme_css().into_bytes()),
            ("ui.js", crate::i18n::strings::ui_script(&theme.ui_words()).into_bytes()),
        ]);
        let breadcrumbs = breadcrumb_index(&book.nav, book.pages.len());
        let mut position = vec![None; book.pages.len()];
        for (k, &i) in book.reading_order.iter().enumerate() {
            position[i] = Some(k);
        }
        Ok(SiteRenderer { book, theme, book_ctx, assets, toc_html, breadcrumbs, position, reuse: None })
    }

    /// This renderer, taking from `keys` the print parts a previous build wrote from the same
    /// pages: such a part is linked from the previous site rather than printed again.
    pub fn reusing(self, keys: &'a crate::page_cache::BookKeys<'a>) -> SiteRenderer<'a> {
        SiteRenderer { reuse: Some(keys), ..self }
    }

    /// Puts the file `name`, which is made from the pages `pages` alone (with what else the
    /// book's key covers: its configuration, navigation, page titles, other files and
    /// features), into `sink`. When a rebuild reused every one of those pages and the previous
    /// site still holds the file exactly as a build with the same keys wrote it, that file is
    /// linked and `make` is not called: a feature's file per page (a lesson's notebook) costs
    /// nothing on a rebuild that left its page alone. Otherwise `make` makes the bytes.
    pub fn put_made_from(
        &self,
        sink: &dyn Sink,
        name: &str,
        pages: &[usize],
        make: impl FnOnce() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<()> {
        put_made_from(self.reuse, sink, name, pages, b"", make)
    }

    /// Logical asset name -> hashed path relative to the site root.
    pub fn asset_names(&self) -> &BTreeMap<String, String> {
        &self.assets.names
    }

    /// The files every page links to: hashed assets and `toc.html`.
    pub fn shared_files(&self) -> Vec<OutFile> {
        let mut files = self.assets.files.clone();
        files.push(OutFile::bytes("toc.html", self.toc_html.clone()));
        files
    }

    /// The article of page `i` and what its template needs besides: its Markdown's, or a
    /// feature's view rendered through the view's template.
    fn page_parts<'r>(&self, i: usize, rendered: &'r [Rendered]) -> Result<PageParts<'r>, Diagnostic> {
        let book = self.book;
        let (page, r) = (&book.pages[i], &rendered[i]);
        let Some(view) = book.features.iter().find_map(|f| f.page_view(book, i, rendered)) else {
            return Ok(PageParts {
                content: std::borrow::Cow::Borrowed(&r.html),
                // mdBook books show only what the page says (a chapter may start at `##`).
                has_title: page.has_h1 || !book.config.title_heading,
                description: None,
                headings: r.headings.clone(),
                breadcrumbs: None,
                scripts: r.scripts.clone(),
                styles: r.styles.clone(),
                editable: true,
            });
        };
        let mut ctx = tera::Context::new();
        ctx.insert("book", &self.book_ctx);
        ctx.insert("root", &root_prefix(&page.output));
        ctx.insert("assets", &self.assets.names);
        ctx.insert("generator", GENERATOR);
        ctx.extend(view.data);
        let html =
            self.theme.render(view.template, &ctx).map_err(|e| Diagnostic { file: page.display.clone(), ..e })?;
        let mut scripts = r.scripts.clone();
        merge_names(&mut scripts, &view.scripts);
        let mut styles = r.styles.clone();
        merge_names(&mut styles, &view.styles);
        Ok(PageParts {
            content: std::borrow::Cow::Owned(html),
            has_title: true,
            description: view.description,
            headings: view.headings.unwrap_or_else(|| r.headings.clone()),
            breadcrumbs: view.breadcrumbs,
            scripts,
            styles,
            editable: false,
        })
    }

    /// Renders page `i` of the book (`rendered[i]` is its transformed Markdown; a feature's
    /// view of the page may use the others').
    pub fn render_page(&self, i: usize, rendered: &[Rendered]) -> Result<OutFile, Diagnostic> {
        let book = self.book;
        let page = &book.pages[i];
        let r = &rendered[i];
        let parts = self.page_parts(i, rendered)?;
        let out = &page.output;
        let link = |j: usize| LinkCtx {
            title: book.pages[j].title.clone(),
            url: Some(relative_url(out, &book.pages[j].output)),
        };
        let k = self.position[i].expect("every page is in the reading order");
        let listed = &book.reading_order[..book.listed];
        let prev = if k > 0 && k < listed.len() { Some(link(listed[k - 1])) } else { None };
        let next = if k < listed.len() { listed.get(k + 1).map(|&j| link(j)) } else { None };
        let breadcrumbs = match &parts.breadcrumbs {
            Some(crumbs) => crumbs
                .iter()
                .map(|(title, url)| LinkCtx { title: title.clone(), url: url.as_ref().map(|u| relative_url(out, u)) })
                .collect(),
            None => self.breadcrumbs[i]
                .iter()
                .map(|(title, target)| LinkCtx {
                    title: title.clone(),
                    url: target.map(|j| relative_url(out, &book.pages[j].output)),
                })
                .collect(),
        };
        // The built-in template shows the article once, as it is: the page is rendered around
        // a mark in its place and the article written there, so that it is not copied into
        // the template's context and out again.
        let splice = self.theme.is_built_in("page.html");
        let mut ctx = PageTemplateCtx {
            book: &self.book_ctx,
            page: PageCtx {
                title: r.title.as_deref().unwrap_or(&page.title),
                description: parts
                    .description
                    .as_deref()
                    .or(page.front.description.as_deref())
                    .unwrap_or(&book.config.description),
                tags: &page.front.tags,
                content: if splice { ARTICLE_MARK } else { &parts.content },
                has_title: parts.has_title,
                headings: parts.headings.iter().filter(|h| h.level == 2 || h.level == 3).collect(),
                path: out,
                edit_url: book
                    .config
                    .edit_url
                    .as_ref()
                    .filter(|_| parts.editable)
                    .map(|u| u.replace("{path}", &crate::content::to_slash(&page.display))),
                scripts: without_progress(&parts.scripts),
                progress: !r.progress.is_empty() || parts.scripts.iter().any(|s| s == PROGRESS_SCRIPT),
                styles: &parts.styles,
                landmarks: &r.landmarks,
                links: book
                    .features
                    .iter()
                    .flat_map(|f| f.page_links(book, i))
                    .map(|mut link| {
                        if !link.href.contains("://") {
                            link.href = relative_url(out, &link.href);
                        }
                        link
                    })
                    .collect(),
                languages: self.language_links(out),
                translation: self.translation(page),
            },
            root: root_prefix(out),
            assets: &self.assets.names,
            prev,
            next,
            breadcrumbs,
            generator: GENERATOR,
        };
        let render = |ctx: &PageTemplateCtx| {
            let ctx = tera::Context::from_serialize(ctx)
                .map_err(|e| Diagnostic::file(&page.display, format!("cannot build the template context: {e}")))?;
            self.theme.render("page.html", &ctx).map_err(|e| Diagnostic { file: page.display.clone(), ..e })
        };
        let html = render(&ctx)?;
        if !splice {
            return Ok(OutFile::bytes(out, html));
        }
        let mut gaps = html.split(ARTICLE_MARK);
        if let (Some(before), Some(after), None) = (gaps.next(), gaps.next(), gaps.next()) {
            let mut bytes = Vec::with_capacity(before.len() + parts.content.len() + after.len());
            bytes.extend_from_slice(before.as_bytes());
            bytes.extend_from_slice(parts.content.as_bytes());
            bytes.extend_from_slice(after.as_bytes());
            return Ok(OutFile::bytes(out, bytes));
        }
        // The mark miscounted (a title holding it): the page rendered the plain way.
        ctx.page.content = &parts.content;
        Ok(OutFile::bytes(out, render(&ctx)?))
    }

    /// The language switcher of the page at `out` (relative to its language's root).
    fn language_links(&self, out: &str) -> Vec<LanguageLinkCtx> {
        let Some(language) = &self.book.language else {
            return Vec::new();
        };
        let up = root_prefix(out);
        language
            .all
            .iter()
            .map(|l| {
                let current = l.code == language.current.code;
                let same_page = current || language.outputs.get(&l.code).is_some_and(|o| o.contains(out));
                let target = if same_page { out } else { "index.html" };
                let url = if current { relative_url(out, out) } else { format!("{up}../{}/{target}", l.code) };
                LanguageLinkCtx {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    dir: l.dir.as_str(),
                    url,
                    same_page,
                    current,
                }
            })
            .collect()
    }

    /// The banner of a page that is a fallback or a stale translation.
    fn translation(&self, page: &crate::content::Page) -> Option<TranslationCtx> {
        let language = self.book.language.as_ref()?;
        let state = match language.translation(&page.rel) {
            crate::i18n::Translation::Current => return None,
            crate::i18n::Translation::Stale => "stale",
            crate::i18n::Translation::Fallback => "fallback",
        };
        let path = crate::content::to_slash(&language.content_dir.join(&page.rel));
        Some(TranslationCtx {
            state,
            source: language.default.name.clone(),
            source_code: language.default.code.clone(),
            source_dir: language.default.dir.as_str(),
            edit_url: self.book.config.edit_url.as_ref().map(|u| u.replace("{path}", &path)),
        })
    }

    /// Renders a site page the core generates (`progress.html`) with its
    /// template, which gets the page context (`book`, `page`, `root`, `assets`, ...) and the
    /// page's `data`; `breadcrumbs` are (title, URL relative to the site root) pairs.
    pub(crate) fn render_generated(&self, page: &GeneratedPage) -> Result<OutFile, Diagnostic> {
        let out = page.output.as_str();
        let ctx = PageTemplateCtx {
            book: &self.book_ctx,
            page: PageCtx {
                title: &page.title,
                description: &page.description,
                tags: &page.tags,
                content: &page.content,
                has_title: true,
                headings: page.headings.iter().filter(|h| h.level == 2 || h.level == 3).collect(),
                path: out,
                edit_url: None,
                scripts: without_progress(&page.scripts),
                progress: page.scripts.iter().any(|s| s == PROGRESS_SCRIPT),
                styles: &[],
                landmarks: &[],
                links: Vec::new(),
                languages: self.language_links(out),
                translation: None,
            },
            root: root_prefix(out),
            assets: &self.assets.names,
            prev: None,
            next: None,
            breadcrumbs: page
                .breadcrumbs
                .iter()
                .map(|(title, url)| LinkCtx { title: title.clone(), url: url.as_ref().map(|u| relative_url(out, u)) })
                .collect(),
            generator: GENERATOR,
        };
        let mut ctx = tera::Context::from_serialize(&ctx)
            .map_err(|e| Diagnostic::file(&page.source, format!("cannot build the template context: {e}")))?;
        ctx.extend(page.data.clone());
        let html = self.theme.render(page.template, &ctx).map_err(|e| Diagnostic { file: page.source.clone(), ..e })?;
        Ok(OutFile::bytes(out, html))
    }

    /// The print file of the pages `order` (a part of the reading order), rendered with
    /// `ctx` and the pages: each page's article (a feature's view where the page has one)
    /// with its links and image sources rewritten for a page at the root (a link to a page
    /// printed in another part leads to that part's file, which `file_of` writes), the
    /// contents, and the style sheets the pages asked for, sorted, once each.
    fn print_file(
        &self,
        rendered: &[Rendered],
        order: &[usize],
        ids: &std::collections::HashMap<&str, String>,
        file_of: &dyn Fn(&str, &mut String),
        ctx: &mut tera::Context,
    ) -> anyhow::Result<String> {
        use std::borrow::Cow;
        let book = self.book;
        let pages = order
            .iter()
            .map(|&i| self.page_parts(i, rendered).map(|parts| (i, parts)))
            .collect::<Result<Vec<_>, _>>()?;
        let styles: std::collections::BTreeSet<&String> = pages.iter().flat_map(|(_, p)| &p.styles).collect();
        ctx.insert("styles", &styles);
        let article_into = |out: &mut String, i: usize, parts: &PageParts| {
            let page = &book.pages[i];
            if !parts.has_title {
                out.push_str("<h1>");
                out.push_str(&escape_html(&page.title));
                out.push_str("</h1>\n");
            }
            rewrite_urls_for_root_into(out, &parts.content, &page.output, ids, file_of);
        };
        let mut render = |articles: &mut dyn FnMut(usize, &PageParts) -> Cow<'static, str>| {
            let chapters: Vec<ChapterCtx> = pages
                .iter()
                .map(|(i, parts)| {
                    let page = &book.pages[*i];
                    let id = ids[page.output.as_str()].clone();
                    ChapterCtx { title: &page.title, href: format!("#{id}"), id, content: articles(*i, parts) }
                })
                .collect();
            let contents: Vec<ContentsCtx> =
                chapters.iter().map(|c| ContentsCtx { title: c.title, href: c.href.clone() }).collect();
            ctx.insert("contents", &contents);
            ctx.insert("chapters", &chapters);
            self.theme.render("print.html", ctx)
        };
        // The built-in template prints each article once, as it is: the page is rendered
        // around a mark in each article's place and the articles are written into the gaps,
        // so the megabytes of a part are not copied into the template's context and out again.
        if self.theme.is_built_in("print.html") {
            let shell = render(&mut |_, _| Cow::Borrowed(ARTICLE_MARK))?;
            let gaps = shell.split(ARTICLE_MARK);
            if gaps.clone().count() == pages.len() + 1 {
                let articles: usize = pages.iter().map(|(_, p)| p.content.len() + p.content.len() / 16).sum();
                let mut out = String::with_capacity(shell.len() + articles);
                let mut gaps = gaps;
                for (i, parts) in &pages {
                    out.push_str(gaps.next().unwrap_or_default());
                    article_into(&mut out, *i, parts);
                }
                out.push_str(gaps.next().unwrap_or_default());
                return Ok(out);
            }
        }
        Ok(render(&mut |i, parts| {
            let mut article = String::with_capacity(parts.content.len() + parts.content.len() / 16);
            article_into(&mut article, i, parts);
            Cow::Owned(article)
        })?)
    }

    /// The reading order cut into the parts of the printed book ([`cut_print_parts`] with
    /// each page's article size and [`print_part_bytes`]).
    fn print_parts(&self, rendered: &[Rendered]) -> Vec<Vec<usize>> {
        let book = self.book;
        let starts = top_level_pages(&book.nav);
        cut_print_parts(&book.reading_order, |i| rendered[i].html.len(), &starts, print_part_bytes())
    }

    /// `print.html`: the whole book, or for a long book its cover and contents, with the
    /// parts (`print-<n>.html`) that print its chapters.
    fn render_print(&self, rendered: &[Rendered], ctx: &mut tera::Context, sink: &dyn Sink) -> anyhow::Result<()> {
        let book = self.book;
        let ids: std::collections::HashMap<&str, String> =
            book.pages.iter().map(|p| (p.output.as_str(), print_id(&p.output))).collect();
        // Every language prints its whole book: the menu leads to the other print.html.
        let languages = |file: &str| {
            let mut languages = self.language_links(file);
            for l in languages.iter_mut().filter(|l| !l.current) {
                l.same_page = true;
                l.url = format!("../{}/print.html", l.code);
            }
            languages
        };
        let parts = self.print_parts(rendered);
        // A print part is reused when every page in it is (a feature's view of a page may
        // show other pages, so a book with views prints afresh), within the same cut.
        let reuse = self.reuse.filter(|_| {
            (0..book.pages.len()).all(|i| book.features.iter().all(|f| f.page_view(book, i, rendered).is_none()))
        });
        let cut = format!("{parts:?}");
        // `make` prints the part: called only when the previous site's cannot be linked.
        let print_into = |name: &str, order: &[usize], make: &mut dyn FnMut() -> anyhow::Result<String>| {
            put_made_from(reuse, sink, name, order, cut.as_bytes(), || make().map(String::into_bytes))
        };
        if let [order] = parts.as_slice() {
            return print_into("print.html", order, &mut || {
                let mut ctx = ctx.clone();
                ctx.insert("volumes", &Vec::<VolumeCtx>::new());
                ctx.insert("page", &ExtraPageCtx { languages: languages("print.html") });
                self.print_file(rendered, order, &ids, &|_, _| {}, &mut ctx)
            });
        }
        let file_name = |n: usize| format!("print-{}.html", n + 1);
        let names: Vec<String> = (0..parts.len()).map(file_name).collect();
        let part_of: std::collections::HashMap<&str, usize> = parts
            .iter()
            .enumerate()
            .flat_map(|(n, order)| order.iter().map(move |&i| (book.pages[i].output.as_str(), n)))
            .collect();
        let volumes = |current: Option<usize>| -> Vec<VolumeCtx> {
            parts
                .iter()
                .enumerate()
                .map(|(n, order)| {
                    let first = &book.pages[order[0]].title;
                    let last = &book.pages[*order.last().expect("a part has pages")].title;
                    let title = if order.len() == 1 { first.clone() } else { format!("{first} – {last}") };
                    VolumeCtx { title, url: names[n].clone(), current: current == Some(n) }
                })
                .collect()
        };
        // print.html: the cover, every part and the contents, each chapter linked in its part.
        let contents: Vec<ContentsCtx> = parts
            .iter()
            .enumerate()
            .flat_map(|(n, order)| {
                let (ids, names) = (&ids, &names);
                order.iter().map(move |&i| {
                    let page = &book.pages[i];
                    ContentsCtx { title: &page.title, href: format!("{}#{}", names[n], ids[page.output.as_str()]) }
                })
            })
            .collect();
        let mut index = ctx.clone();
        index.insert("contents", &contents);
        index.insert("chapters", &Vec::<ChapterCtx>::new());
        index.insert("styles", &Vec::<String>::new());
        index.insert("volumes", &volumes(None));
        index.insert("page", &ExtraPageCtx { languages: languages("print.html") });
        sink.put(OutFile::bytes("print.html", self.theme.render("print.html", &index)?))?;
        drop((index, contents));
        parts.par_iter().enumerate().try_for_each(|(n, order)| -> anyhow::Result<()> {
            print_into(&names[n], order, &mut || {
                let file_of = |target: &str, out: &mut String| {
                    if let Some(&p) = part_of.get(target).filter(|&&p| p != n) {
                        out.push_str(&names[p]);
                    }
                };
                let mut ctx = ctx.clone();
                ctx.insert("volumes", &volumes(Some(n)));
                ctx.insert("page", &ExtraPageCtx { languages: languages(&names[n]) });
                ctx.insert("print_path", &names[n]);
                self.print_file(rendered, order, &ids, &file_of, &mut ctx)
            })
        })
    }

    /// The site-wide pages: the index redirect when the book has no index page,
    /// `print.html`, `404.html` and `sitemap.xml`.
    pub fn render_extras(&self, rendered: &[Rendered]) -> Result<Vec<OutFile>, Diagnostic> {
        let files = crate::output::Collect::default();
        self.render_extras_into(rendered, &files).map_err(|e| match e.downcast::<Diagnostic>() {
            Ok(d) => d,
            Err(e) => Diagnostic::file("", format!("{e:#}")),
        })?;
        Ok(files.into_files())
    }

    /// [`SiteRenderer::render_extras`], each file given to `sink` as soon as it is made.
    pub fn render_extras_into(&self, rendered: &[Rendered], sink: &dyn Sink) -> anyhow::Result<()> {
        let book = self.book;
        if !book.pages.iter().any(|p| p.output == "index.html") {
            if let Some(&first) = book.reading_order.first() {
                sink.put(OutFile::bytes(
                    "index.html",
                    redirect_page(&book.pages[first].output, &book.pages[first].title),
                ))?;
            }
        }
        let mut ctx = tera::Context::new();
        ctx.insert("book", &self.book_ctx);
        ctx.insert("root", "");
        ctx.insert("assets", &self.assets.names);
        ctx.insert("generator", GENERATOR);
        if book.config.print.enable {
            self.render_print(rendered, &mut ctx, sink)?;
        }
        let mut files = Vec::new();
        // A host serves 404.html at any depth, so its links start from the site's path on the
        // host (`/course/`), never from another origin.
        let root = book.config.base_url().map(|b| site_path(&b)).unwrap_or_default();
        ctx.insert("root", &root);
        // Its language menu leads to each language's first page.
        let mut languages = self.language_links("index.html");
        let current = languages.iter().find(|l| l.current).map(|l| format!("{}/", l.code)).unwrap_or_default();
        // `/course/fr/` is the French site of the site at `/course/`.
        let site = root.strip_suffix(&current).filter(|_| !root.is_empty()).map(str::to_string);
        for l in &mut languages {
            l.same_page = false;
            l.url = match (&site, l.current) {
                (_, true) => format!("{root}index.html"),
                (Some(site), false) => format!("{site}{}/index.html", l.code),
                (None, false) => format!("../{}/index.html", l.code),
            };
        }
        ctx.insert("page", &ExtraPageCtx { languages });
        files.push(OutFile::bytes("404.html", self.theme.render("404.html", &ctx)?));
        files.push(OutFile::bytes("sitemap.xml", sitemap(book)));
        files.push(OutFile::bytes(PROGRESS_INDEX, progress_index(book, rendered)));
        files.push(self.render_generated(&progress_page(book, self.theme.words()))?);
        if book.config.edition == crate::config::Edition::Student {
            let hash = crate::pipeline::content_hash(book, rendered);
            files.push(self.render_generated(&handin_page(book, &hash, self.theme.words()))?);
        }
        for file in files {
            sink.put(file)?;
        }
        Ok(())
    }
}

/// The script that tells the theme's progress.js what each page holds (`window.labbook.pages`).
/// Not hashed: it changes whenever a page gains or loses an exercise or a quiz, and every
/// page loads it, so it is made with the site-wide pages (in `serve` too) rather than with
/// the assets every page names.
pub const PROGRESS_INDEX: &str = "progress-index.js";

/// The "Your progress" page, filled by progress.js from what the reader's browser kept.
pub const PROGRESS_PAGE: &str = "progress.html";

#[derive(Serialize)]
struct ProgressPageCtx<'a> {
    path: &'a str,
    title: &'a str,
    part: Option<&'a str>,
    exercises: Vec<&'a str>,
    quizzes: Vec<&'a str>,
}

/// Every listed page in reading order with the exercises and quizzes on it, and the part of
/// the table of contents it belongs to.
fn progress_index(book: &Book, rendered: &[Rendered]) -> String {
    let mut part_of: Vec<Option<&str>> = vec![None; book.pages.len()];
    fn walk<'b>(items: &'b [NavItem], part: Option<&'b str>, out: &mut Vec<Option<&'b str>>) {
        for item in items {
            let here = if item.is_part { Some(item.title.as_str()) } else { part };
            if let Some(i) = item.page {
                out[i] = here;
            }
            walk(&item.children, here, out);
        }
    }
    walk(&book.nav, None, &mut part_of);
    let pages: Vec<ProgressPageCtx> = book.reading_order[..book.listed]
        .iter()
        .map(|&i| {
            let items = &rendered[i].progress;
            let of = |kind: &str| items.iter().filter(|p| p.kind == kind).map(|p| p.id.as_str()).collect();
            ProgressPageCtx {
                path: &book.pages[i].output,
                title: &book.pages[i].title,
                part: part_of[i],
                exercises: of("exercise"),
                quizzes: of("quiz"),
            }
        })
        .collect();
    let json = serde_json::to_string(&pages).expect("the progress index serializes").replace("</", "<\\/");
    format!("(window.labbook = window.labbook || {{}}).pages = {json};\n")
}

/// The "Your progress" page: its markup is the theme's `progress.html`, which progress.js fills.
fn progress_page(book: &Book, words: &BTreeMap<String, String>) -> GeneratedPage {
    let title = words.get("your_progress").map_or("Your progress", String::as_str);
    GeneratedPage {
        output: PROGRESS_PAGE.into(),
        source: "book.yaml".into(),
        title: title.into(),
        description: format!("Exercises solved and quizzes answered in {}.", book.config.title),
        tags: Vec::new(),
        content: String::new(),
        template: "progress.html",
        data: tera::Context::new(),
        headings: Vec::new(),
        breadcrumbs: Vec::new(),
        scripts: vec![PROGRESS_SCRIPT.into()],
    }
}

/// The student edition's "Hand in my work" page, linked from the sidebar.
pub const HANDIN_PAGE: &str = "handin.html";

/// Its title, in the sidebar too, in the theme's language.
fn handin_title(words: &BTreeMap<String, String>) -> &str {
    words.get("handin_title").map_or("Hand in my work", String::as_str)
}

/// The version of the hand-in file's format (`labbook-work`) that `handin.js` writes.
pub const HANDIN_FORMAT_VERSION: u32 = 1;

/// The "Hand in my work" page: the theme's `handin.html`, which `handin.js` fills from the
/// reader's browser storage; it carries the book's content hash, which every file it makes
/// holds.
fn handin_page(book: &Book, hash: &str, words: &BTreeMap<String, String>) -> GeneratedPage {
    let mut data = tera::Context::new();
    data.insert("content_hash", hash);
    data.insert("format_version", &HANDIN_FORMAT_VERSION);
    GeneratedPage {
        output: HANDIN_PAGE.into(),
        source: "book.yaml".into(),
        title: handin_title(words).into(),
        description: words
            .get("handin_description")
            .map_or("Hand in your exercises and quiz answers in {title}.", String::as_str)
            .replace("{title}", &book.config.title),
        tags: Vec::new(),
        content: String::new(),
        template: "handin.html",
        data,
        headings: Vec::new(),
        breadcrumbs: Vec::new(),
        scripts: vec![PROGRESS_SCRIPT.into(), "handin.js".into()],
    }
}

/// `https://example.org/course/` -> `/course/`.
fn site_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or_else(|| "/".to_string(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

fn nav_context(items: &[NavItem], book: &Book) -> Vec<NavCtx> {
    items
        .iter()
        .map(|item| NavCtx {
            title: item.title.clone(),
            url: item.page.map(|i| book.pages[i].output.clone()).or_else(|| item.link.clone()),
            number: item.number.clone().filter(|_| book.config.section_numbers),
            is_part: item.is_part,
            children: nav_context(&item.children, book),
            marks: item.marks.clone(),
        })
        .collect()
}

/// For every page, the chain of its ancestors in the navigation tree (title, page).
type Crumbs = Vec<(String, Option<usize>)>;

fn breadcrumb_index(nav: &[NavItem], pages: usize) -> Vec<Crumbs> {
    fn walk(items: &[NavItem], trail: &mut Crumbs, out: &mut Vec<Crumbs>) {
        for item in items {
            if let Some(i) = item.page {
                out[i] = trail.clone();
            }
            trail.push((item.title.clone(), item.page));
            walk(&item.children, trail, out);
            trail.pop();
        }
    }
    let mut out = vec![Vec::new(); pages];
    walk(nav, &mut Vec::new(), &mut out);
    out
}

/// A tiny page that sends the reader to the first chapter (works from file:// too).
pub(crate) fn redirect_page(target: &str, title: &str) -> String {
    let title = escape_html(title);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title><meta http-equiv=\"refresh\" content=\"0; url={target}\"><link rel=\"canonical\" href=\"{target}\"></head><body><p><a href=\"{target}\">{title}</a></p></body></html>\n"
    )
}

/// The size of the parts of a long printed book: [`PRINT_PART_BYTES`], or
/// `LABBOOK_PRINT_PART_BYTES` when set (the tests' small books print in parts with it).
fn print_part_bytes() -> usize {
    std::env::var("LABBOOK_PRINT_PART_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(PRINT_PART_BYTES)
}

/// Cuts `order` (pages, with `size(page)` bytes of article each) into the parts of a
/// printed book: one part when the whole is at most `limit` bytes; else consecutive parts of
/// about `limit`, each starting at a page of `starts` (a top-level entry of the navigation)
/// unless the run of pages up to the next such page alone is larger than `limit`.
fn cut_print_parts(
    order: &[usize],
    size: impl Fn(usize) -> usize,
    starts: &std::collections::HashSet<usize>,
    limit: usize,
) -> Vec<Vec<usize>> {
    if order.iter().map(|&i| size(i)).sum::<usize>() <= limit {
        return vec![order.to_vec()];
    }
    // The bytes from each page of the reading order to the next top-level start.
    let mut group = vec![0; order.len()];
    let mut run = 0;
    for (k, &i) in order.iter().enumerate().rev() {
        run += size(i);
        group[k] = run;
        if starts.contains(&i) {
            run = 0;
        }
    }
    let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
    let mut bytes = 0;
    for (k, &i) in order.iter().enumerate() {
        let started = !parts.last().is_some_and(Vec::is_empty);
        let full = if starts.contains(&i) { bytes + group[k] > limit } else { bytes >= limit };
        if started && full {
            parts.push(Vec::new());
            bytes = 0;
        }
        if let Some(part) = parts.last_mut() {
            part.push(i);
        }
        bytes += size(i);
    }
    parts
}

/// The pages that start a top-level entry of the navigation (a part heading's chapters
/// count as top level): where the printed book may be cut into parts.
fn top_level_pages(nav: &[NavItem]) -> std::collections::HashSet<usize> {
    fn first_page(item: &NavItem) -> Option<usize> {
        item.page.or_else(|| item.children.iter().find_map(first_page))
    }
    let mut starts = std::collections::HashSet::new();
    for item in nav {
        if item.is_part {
            starts.extend(item.children.iter().filter_map(first_page));
        }
        starts.extend(first_page(item));
    }
    starts
}

fn print_id(output: &str) -> String {
    format!("page-{}", crate::markdown::slug(output.trim_end_matches(".html")))
}

/// Rewrites `href`/`src` attributes of HTML written for the page at `from` so that it works
/// at the site root; links to other pages become in-document anchors, and ids get the
/// page's prefix (every page's ids live in one document here).
///
/// Only attributes inside start tags are touched: text, including the escaped HTML shown
/// in code blocks, and the content of `<script>` and `<style>` stay exactly as written.
/// The HTML is written at the end of `out`; `file_of` writes there the file of a page
/// printed in another part of the book.
fn rewrite_urls_for_root_into(
    out: &mut String,
    html: &str,
    from: &str,
    ids: &std::collections::HashMap<&str, String>,
    file_of: &dyn Fn(&str, &mut String),
) {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let page_id = ids.get(from).map(String::as_str).unwrap_or_default();
    let mut rest = html;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = memchr::memmem::find(rest.as_bytes(), b"-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(end) = tag_end(rest) else { break };
        let tag = &rest[..end];
        rest = &rest[end..];
        let name_end = tag[1..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(tag.len(), |i| i + 1);
        let name = &tag[1..name_end];
        if name.is_empty() {
            // `</…>`, `<!DOCTYPE>` and the like carry no attributes to rewrite.
            out.push_str(tag);
            continue;
        }
        rewrite_tag_into(out, tag, dir, from, page_id, ids, file_of);
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            let close = format!("</{}", name.to_ascii_lowercase());
            let stop = find_ignoring_ascii_case(rest, &close).unwrap_or(rest.len());
            out.push_str(&rest[..stop]);
            rest = &rest[stop..];
        }
    }
    out.push_str(rest);
}

/// [`rewrite_urls_for_root_into`], into a new string.
#[cfg(test)]
fn rewrite_urls_for_root(
    html: &str,
    from: &str,
    ids: &std::collections::HashMap<&str, String>,
    file_of: &dyn Fn(&str, &mut String),
) -> String {
    let mut out = String::with_capacity(html.len());
    rewrite_urls_for_root_into(&mut out, html, from, ids, file_of);
    out
}

/// The length of the tag at the start of `s` (which starts with `<`), up to and with its
/// `>`; a `>` inside a quoted attribute value does not end it.
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut at = 1.min(bytes.len());
    loop {
        let i = at + memchr::memchr3(b'>', b'"', b'\'', &bytes[at..])?;
        match bytes[i] {
            b'>' => return Some(i + 1),
            // A quoted value: the search goes on after its closing quote.
            quote => at = i + 1 + memchr::memchr(quote, &bytes[i + 1..])? + 1,
        }
    }
}

/// The byte offset of the first `needle` (lowercase ASCII) in `haystack`, in any ASCII case.
fn find_ignoring_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let first = needle.first()?;
    memchr::memchr_iter(*first, haystack)
        .find(|&i| haystack.len() - i >= needle.len() && haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// One start tag with its ` href="…"`, ` src="…"` and ` id="…"` values rewritten, written
/// at the end of `out` (the print parts rewrite every tag of a book: no string per tag).
fn rewrite_tag_into(
    out: &mut String,
    tag: &str,
    dir: &str,
    from: &str,
    page_id: &str,
    ids: &std::collections::HashMap<&str, String>,
    file_of: &dyn Fn(&str, &mut String),
) {
    let mut rest = tag;
    while let Some((offset, attr)) = find_attr(rest) {
        let (before, after) = rest.split_at(offset);
        out.push_str(before);
        out.push_str(&after[..attr.len()]);
        let end = memchr::memchr(b'"', &after.as_bytes()[attr.len()..]).map_or(after.len(), |e| attr.len() + e);
        let value = &after[attr.len()..end];
        if attr == " id=\"" {
            out.push_str(page_id);
            out.push('-');
            out.push_str(value);
        } else {
            rewrite_one_into(out, value, dir, from, ids, file_of);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
}

/// Finds the next ` href="`, ` src="` or ` id="` in a tag: its offset and the attribute text.
fn find_attr(s: &str) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b' ', bytes).find_map(|i| {
        [" href=\"", " src=\"", " id=\""]
            .into_iter()
            .find(|attr| bytes[i..].starts_with(attr.as_bytes()))
            .map(|attr| (i, attr))
    })
}

/// One `href` or `src` value of a page at `from` (in folder `dir`), as it reads in the
/// printed book, written at the end of `out`.
fn rewrite_one_into(
    out: &mut String,
    value: &str,
    dir: &str,
    from: &str,
    ids: &std::collections::HashMap<&str, String>,
    file_of: &dyn Fn(&str, &mut String),
) {
    if value.is_empty() || crate::markdown::is_external(value) || value.starts_with('/') {
        out.push_str(value);
        return;
    }
    let (path, anchor) = match value.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (value, None),
    };
    let anchored = |out: &mut String, id: &str, anchor: Option<&str>| {
        out.push('#');
        out.push_str(id);
        if let Some(a) = anchor {
            out.push('-');
            out.push_str(a);
        }
    };
    if path.is_empty() {
        match (anchor, ids.get(from)) {
            (_, Some(id)) => anchored(out, id, anchor),
            (Some(a), None) => anchored(out, a, None),
            (None, None) => out.push_str(value),
        }
        return;
    }
    let Some(target) = crate::content::join_normalized(std::path::Path::new(dir), path) else {
        out.push_str(value);
        return;
    };
    let target = crate::content::to_slash(&target);
    match ids.get(target.as_str()) {
        // A page printed in another part of the book is in that part's file.
        Some(id) => {
            file_of(&target, out);
            anchored(out, id, anchor);
        }
        None => {
            out.push_str(&target);
            if let Some(a) = anchor {
                anchored(out, a, None);
            }
        }
    }
}

/// The book's pages for crawlers. In a translated book each page also lists the same page in
/// every language that has it (`xhtml:link` alternates, as the pages' `hreflang` links do),
/// each at `<base>/<code>/<page>`.
fn sitemap(book: &Book) -> String {
    let base = book.config.base_url().unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if book.language.is_some() {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for &i in &book.reading_order {
        let out = &book.pages[i].output;
        xml.push_str(&format!("  <url><loc>{}{}</loc>", escape_html(&base), escape_html(out)));
        if let Some(language) = &book.language {
            // This language's base is `<root>/<code>/`.
            let root = base.strip_suffix(&format!("{}/", language.current.code)).unwrap_or(&base);
            for l in &language.all {
                let has = l.code == language.current.code
                    || language.outputs.get(&l.code).is_some_and(|o| o.contains(out.as_str()));
                if has {
                    xml.push_str(&format!(
                        "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}{}/{}\"/>",
                        escape_html(&l.code),
                        escape_html(root),
                        escape_html(&l.code),
                        escape_html(out)
                    ));
                }
            }
            xml.push_str("\n  ");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// [`SiteRenderer::put_made_from`], with the keys of a rebuild that reuses pages (`reuse`),
/// and `salt`: what else the file depends on (a print part, the cut of the book into parts).
fn put_made_from(
    reuse: Option<&crate::page_cache::BookKeys<'_>>,
    sink: &dyn Sink,
    name: &str,
    pages: &[usize],
    salt: &[u8],
    make: impl FnOnce() -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<()> {
    let key = reuse.map(|keys| (keys, keys.key_of(name, pages, salt)));
    if let Some((keys, key)) = &key {
        if let Some((len, hash)) = keys.output_of(key, pages) {
            if sink.put_previous(name, len, hash)? {
                return Ok(());
            }
        }
    }
    let bytes = make()?;
    if let Some((keys, key)) = &key {
        keys.remember_output_of(key, &bytes);
    }
    sink.put(OutFile::bytes(name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths() {
        assert_eq!(site_path("https://example.org/course/"), "/course/");
        assert_eq!(site_path("https://example.org/"), "/");
        assert_eq!(site_path("/docs/"), "/docs/");
    }

    #[test]
    fn print_rewrites_links_to_anchors_and_assets_to_root() {
        let ids = [("ml/a.html", "page-ml-a".to_string()), ("b.html", "page-b".to_string())].into_iter().collect();
        let html = r##"<h2 id="y">Y</h2><a href="../b.html#x">x</a> <a href="a.html">a</a> <img src="img/p.png"> <a href="https://e.org">e</a> <a href="#y">y</a>"##;
        let out = rewrite_urls_for_root(html, "ml/a.html", &ids, &|_, _| {});
        assert_eq!(
            out,
            r##"<h2 id="page-ml-a-y">Y</h2><a href="#page-b-x">x</a> <a href="#page-ml-a">a</a> <img src="ml/img/p.png"> <a href="https://e.org">e</a> <a href="#page-ml-a-y">y</a>"##
        );
    }

    #[test]
    fn a_long_book_prints_in_parts_cut_at_top_level_entries() {
        let starts: std::collections::HashSet<usize> = [0, 3, 6].into_iter().collect();
        let order: Vec<usize> = (0..9).collect();
        // Small enough: one part, whatever the starts.
        assert_eq!(cut_print_parts(&order, |_| 10, &starts, 90), vec![order.clone()]);
        // Three top-level groups of 30 bytes; parts of 60 take two groups, never half of one.
        assert_eq!(cut_print_parts(&order, |_| 10, &starts, 60), vec![(0..6).collect::<Vec<_>>(), (6..9).collect()]);
        assert_eq!(
            cut_print_parts(&order, |_| 10, &starts, 40),
            vec![(0..3).collect::<Vec<_>>(), (3..6).collect(), (6..9).collect()]
        );
        // A group larger than a part is cut between its pages.
        assert_eq!(
            cut_print_parts(&order, |_| 10, &starts, 20),
            vec![vec![0, 1], vec![2], vec![3, 4], vec![5], vec![6, 7], vec![8]]
        );
        // Every page once, in order, whatever the sizes.
        let parts = cut_print_parts(&order, |i| i * 7 % 23, &starts, 25);
        assert_eq!(parts.concat(), order);
        assert!(parts.iter().all(|p| !p.is_empty()));
    }

    #[test]
    fn a_tag_ends_at_its_first_unquoted_closing_bracket() {
        assert_eq!(tag_end("<a href=\"x>y\" title='>'>z"), Some(24));
        assert_eq!(tag_end("<br>"), Some(4));
        assert_eq!(tag_end("<a title=\"never closed>"), None);
        assert_eq!(tag_end("<a"), None);
        assert_eq!(tag_end("<"), None);
        assert_eq!(tag_end("<>"), Some(2));
    }

    #[test]
    fn print_never_rewrites_text_or_scripts() {
        let ids = [("guide/theming.html", "page-guide-theming".to_string())].into_iter().collect();
        // Inline code keeps its quotes unescaped; highlighted blocks escape them.
        let html = r##"<p><code>&lt;img src="guide/a.png"&gt;</code> <code>&lt;nav id="sidebar"&gt;</code></p><pre class="code"><code><span class="l1">&lt;a href=&quot;x.html&quot;&gt;</span> src="y"</code></pre><script>var s = ' src="z.js"';</script><a title="a > b" href="x.html">x</a>"##;
        let out = rewrite_urls_for_root(html, "guide/theming.html", &ids, &|_, _| {});
        assert_eq!(
            out,
            r##"<p><code>&lt;img src="guide/a.png"&gt;</code> <code>&lt;nav id="sidebar"&gt;</code></p><pre class="code"><code><span class="l1">&lt;a href=&quot;x.html&quot;&gt;</span> src="y"</code></pre><script>var s = ' src="z.js"';</script><a title="a > b" href="guide/x.html">x</a>"##
        );
    }
}
