//! The offline search index, built from the rendered pages.
//!
//! Designed after Pagefind, but loadable from `file://`: [`index`] writes shards of
//! postings by term range, one fragment per page and a small meta file, all as `.js` files
//! that register themselves with `window.__labbookSearch`; the theme's `search.js` loads
//! only the ones a query needs. [`text`] splits a page's HTML into sections at its
//! headings, [`tokenize`] turns text into terms.
//!
//! `search/entry.js` is the one file with a fixed name: it tells `search.js` the hashed
//! meta file's name (or that search is off), like Pagefind's `pagefind-entry.json`.

pub mod index;
pub mod text;
pub mod tokenize;

use rayon::prelude::*;

use crate::content::{Book, NavItem};
use crate::markdown::DirectiveRecord;
use crate::markdown::Rendered;
use crate::output::OutFile;

/// The kind of the book's own Markdown pages; features give their records kinds of their
/// own (`exercise`, `model`, `api`), which the theme's filter lists as they come.
pub const LESSON: &str = "lesson";

/// One page to index.
#[derive(Debug, Clone)]
pub struct SearchDoc<'a> {
    /// Output path relative to the site root (`ml/loss.html`).
    pub url: String,
    /// The page title.
    pub title: String,
    /// Titles of the page's ancestors in the navigation, outermost first.
    pub breadcrumb: Vec<String>,
    /// What the page is, for the kind filter ([`LESSON`], or a feature's own kind).
    pub kind: String,
    /// Front-matter tags.
    pub tags: Vec<String>,
    /// The page's rendered body HTML.
    pub html: std::borrow::Cow<'a, str>,
    /// The language the page's text is written in when it is not the site's: a fallback
    /// page of a translation shows the default language's text ([`default_text`]). A search
    /// of every language shows such a page once, not once per language.
    pub language: Option<String>,
}

impl SearchDoc<'_> {
    /// The document, its HTML borrowed: for indexing, which drops it ([`index::build_into`]).
    pub fn lend(&self) -> SearchDoc<'_> {
        let mut doc: SearchDoc<'_> = self.clone_without_html();
        doc.html = std::borrow::Cow::Borrowed(&self.html);
        doc
    }

    fn clone_without_html(&self) -> SearchDoc<'static> {
        SearchDoc {
            url: self.url.clone(),
            title: self.title.clone(),
            breadcrumb: self.breadcrumb.clone(),
            kind: self.kind.clone(),
            tags: self.tags.clone(),
            html: std::borrow::Cow::Borrowed(""),
            language: self.language.clone(),
        }
    }

    /// The document with its HTML owned.
    pub fn into_owned(self) -> SearchDoc<'static> {
        let SearchDoc { url, title, breadcrumb, kind, tags, html, language } = self;
        SearchDoc { url, title, breadcrumb, kind, tags, html: std::borrow::Cow::Owned(html.into_owned()), language }
    }
}

/// The default language's code when `book` is a translation: the language of the pages and
/// records it shows untranslated (fallbacks, a model card without `README.<code>.md`).
pub fn default_text(book: &Book) -> Option<String> {
    book.language.as_ref().filter(|l| !l.is_default()).map(|l| l.default.code.clone())
}

/// [`default_text`] for a page that is a fallback, else none.
fn page_text_language(book: &Book, page: &crate::content::Page) -> Option<String> {
    let fallback = book.language.as_ref()?.translation(&page.rel) == crate::i18n::Translation::Fallback;
    if fallback {
        default_text(book)
    } else {
        None
    }
}

/// The search files of a book: the index of every page not excluded in `book.yaml`, or
/// only an `entry.js` saying search is off.
pub fn index_files(book: &Book, docs: &[SearchDoc]) -> Vec<OutFile> {
    index_files_reusing(book, docs, None)
}

/// [`index_files`], reusing the terms of unchanged pages that `memo` kept from previous
/// builds ([`index::build_reusing`]).
pub fn index_files_reusing(book: &Book, docs: &[SearchDoc], memo: Option<&dyn index::TermsMemo>) -> Vec<OutFile> {
    let files = crate::output::Collect::default();
    let mut lent: Vec<SearchDoc> = docs.iter().map(SearchDoc::lend).collect();
    index_into(book, &mut lent, memo, &files).expect("collecting files cannot fail");
    files.into_files()
}

/// [`index_files_reusing`], each file given to `sink` as soon as it is made
/// ([`index::build_into`]). Each document's HTML is dropped once its page is indexed.
pub fn index_into(
    book: &Book,
    docs: &mut [SearchDoc],
    memo: Option<&dyn index::TermsMemo>,
    sink: &dyn crate::output::Sink,
) -> anyhow::Result<()> {
    let config = &book.config.search;
    if !config.enable {
        return sink.put(OutFile::bytes("search/entry.js", "window.__labbookSearch.entry(null);\n"));
    }
    let language = config
        .languages
        .iter()
        .find(|l| tokenize::stemmer_for(l).is_some())
        .or(config.languages.first())
        .unwrap_or(&book.config.language);
    let tokenizer = tokenize::Tokenizer::new(language);
    let meta_name = index::build_into(docs, &tokenizer, &config.boost, memo, sink)?;
    sink.put(OutFile::bytes(
        "search/entry.js",
        format!(
            "window.__labbookSearch.entry({{\"meta\":{}}});\n",
            serde_json::to_string(&meta_name).expect("a string serializes")
        ),
    ))
}

/// The book's Markdown pages as search documents (`rendered[i]` belongs to `book.pages[i]`),
/// in reading order, without the pages `search.exclude` names. A page a feature generated
/// may give its own records instead ([`crate::feature::Feature::page_records`]).
pub fn book_docs<'a>(book: &Book, rendered: &'a [Rendered]) -> Vec<SearchDoc<'a>> {
    page_docs(book, rendered).into_iter().map(|(_, doc)| doc).collect()
}

/// [`book_docs`], each page's HTML moved out of `rendered` (left empty) into its document,
/// for a build that renders nothing from it after its search index: indexing drops each
/// page's HTML once it has taken its text ([`index_into`]), so that the pages' HTML and
/// the index are not all held at once.
pub fn book_docs_taking(book: &Book, rendered: &mut [Rendered]) -> Vec<SearchDoc<'static>> {
    let mut docs: Vec<(Option<usize>, SearchDoc<'static>)> = page_docs(book, rendered)
        .into_par_iter()
        .map(|(page, mut doc)| {
            if page.is_some() {
                doc.html = std::borrow::Cow::Borrowed("");
            }
            (page, doc.into_owned())
        })
        .collect();
    // A page listed twice in the toc shows in the reading order twice: its second document
    // copies the first's HTML.
    let mut first: Vec<Option<usize>> = vec![None; rendered.len()];
    for d in 0..docs.len() {
        let Some(i) = docs[d].0 else { continue };
        docs[d].1.html = match first[i] {
            Some(earlier) => docs[earlier].1.html.clone(),
            None => std::borrow::Cow::Owned(std::mem::take(&mut rendered[i].html)),
        };
        first[i].get_or_insert(d);
    }
    docs.into_iter().map(|(_, doc)| doc).collect()
}

/// [`book_docs`], each document with the page whose whole HTML it holds (none for a
/// feature's records).
fn page_docs<'a>(book: &Book, rendered: &'a [Rendered]) -> Vec<(Option<usize>, SearchDoc<'a>)> {
    let crumbs = breadcrumbs(&book.nav, book.pages.len());
    let exclude = &book.config.search.exclude;
    // On every core: a few microseconds a page (its path, the features' look at it, copies),
    // which the indexing that follows waits for.
    book.reading_order
        .par_iter()
        .flat_map_iter(|&i| {
            let page = &book.pages[i];
            let rel = crate::content::to_slash(&page.rel);
            if exclude.iter().any(|pattern| glob_match(pattern, &rel)) {
                return Vec::new();
            }
            if let Some(records) = book.features.iter().find_map(|f| f.page_records(book, i, &crumbs[i], &rendered[i]))
            {
                return records.into_iter().map(|doc| (None, doc)).collect();
            }
            vec![(
                Some(i),
                SearchDoc {
                    url: page.output.clone(),
                    title: page.title.clone(),
                    breadcrumb: crumbs[i].clone(),
                    kind: LESSON.to_string(),
                    tags: page.front.tags.clone(),
                    html: std::borrow::Cow::Borrowed(rendered[i].html.as_str()),
                    language: page_text_language(book, page),
                },
            )]
        })
        .collect()
}

/// The records the pages' directives reported (`rendered[i]` belongs to `book.pages[i]`):
/// each thing once, at its first page in the book's page order, sorted by kind and key.
/// Records that belong to their page ([`DirectiveRecord::page_only`]) are left out.
pub fn directive_docs<'a>(book: &Book, rendered: &'a [Rendered]) -> Vec<SearchDoc<'a>> {
    let mut first: std::collections::BTreeMap<(&str, &str), (&crate::content::Page, &'a DirectiveRecord)> =
        Default::default();
    for (page, r) in book.pages.iter().zip(rendered) {
        for record in r.records.iter().filter(|r| !r.page_only) {
            first.entry((record.kind.as_str(), record.key.as_str())).or_insert((page, record));
        }
    }
    first
        .into_values()
        .map(|(page, record)| SearchDoc {
            url: format!("{}#{}", page.output, record.anchor),
            title: record.title.clone(),
            breadcrumb: Vec::new(),
            kind: record.kind.clone(),
            tags: Vec::new(),
            html: std::borrow::Cow::Borrowed(record.html.as_str()),
            language: page_text_language(book, page),
        })
        .collect()
}

/// For every page, the titles of its ancestors in the navigation tree.
fn breadcrumbs(nav: &[NavItem], pages: usize) -> Vec<Vec<String>> {
    fn walk(items: &[NavItem], trail: &mut Vec<String>, out: &mut [Vec<String>]) {
        for item in items {
            if let Some(i) = item.page {
                out[i] = trail.clone();
            }
            trail.push(item.title.clone());
            walk(&item.children, trail, out);
            trail.pop();
        }
    }
    let mut out = vec![Vec::new(); pages];
    walk(nav, &mut Vec::new(), &mut out);
    out
}

/// Matches a content-relative path against an `exclude` entry: a plain path matches itself
/// and, when it names a folder, everything under it; `*` matches within one folder,
/// `**` across folders, `?` one character.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    if !pattern.contains(['*', '?']) {
        let folder = pattern.trim_end_matches('/');
        return path == pattern || path.starts_with(&format!("{folder}/"));
    }
    fn matches(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                if rest.is_empty() {
                    return true;
                }
                (0..=s.len()).any(|i| (i == 0 || s[i - 1] == b'/') && matches(rest, &s[i..]))
            }
            Some(b'*') => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != b'/').any(|i| matches(&p[1..], &s[i..])),
            Some(b'?') => !s.is_empty() && s[0] != b'/' && matches(&p[1..], &s[1..]),
            Some(&c) => s.first() == Some(&c) && matches(&p[1..], &s[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_patterns() {
        assert!(glob_match("drafts/a.md", "drafts/a.md"));
        assert!(glob_match("drafts", "drafts/a.md"));
        assert!(glob_match("drafts/", "drafts/x/b.md"));
        assert!(!glob_match("drafts", "drafts-old/a.md"));
        assert!(glob_match("*.md", "a.md"));
        assert!(!glob_match("*.md", "x/a.md"));
        assert!(glob_match("**/*.md", "x/y/a.md"));
        assert!(glob_match("**/*.md", "a.md"));
        assert!(glob_match("guide/**", "guide/x/y.md"));
        assert!(glob_match("ml/?.md", "ml/a.md"));
        assert!(!glob_match("ml/?.md", "ml/ab.md"));
    }
}
