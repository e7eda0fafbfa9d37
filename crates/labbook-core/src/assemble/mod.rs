//! Assembling the rendered pages into a site: the link check, and the ids each page offers.
//!
//! Every internal link and image the Markdown stage recorded must reach a page or a file
//! of the site, and every `#anchor` an id on the target page (the ids the Markdown stage
//! recorded, [`Rendered::ids`]); all failures are listed.

use std::collections::{HashMap, HashSet};

use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;

/// Checks every recorded link of every page; `extra` are other files the site will contain
/// (generated pages such as `print.html`). Pages with [`Page::lenient_links`] are left out:
/// their problems are [`link_warnings`].
///
/// [`Page::lenient_links`]: crate::content::Page::lenient_links
pub fn check_links(book: &Book, rendered: &[Rendered], extra: &[&str]) -> Vec<Diagnostic> {
    let all: Vec<usize> = (0..book.pages.len()).collect();
    check_page_links(book, rendered, &all, extra)
}

/// The broken links and anchors of the pages whose problems are warnings
/// ([`Page::lenient_links`], model cards), checked like any page's.
///
/// [`Page::lenient_links`]: crate::content::Page::lenient_links
pub fn link_warnings(book: &Book, rendered: &[Rendered], extra: &[&str]) -> Vec<Diagnostic> {
    let lenient: Vec<usize> = (0..book.pages.len()).filter(|&i| book.pages[i].lenient_links).collect();
    link_problems(book, rendered, &lenient, extra)
}

/// Checks the links of the pages `which` only (`serve` re-checks the pages a change touches),
/// leaving out pages whose problems are warnings.
pub fn check_page_links(book: &Book, rendered: &[Rendered], which: &[usize], extra: &[&str]) -> Vec<Diagnostic> {
    let strict: Vec<usize> = which.iter().copied().filter(|&i| !book.pages[i].lenient_links).collect();
    link_problems(book, rendered, &strict, extra)
}

/// The link problems of pages `which`; the ids of a target page (what its Markdown recorded
/// and what its template adds) are collected only when a link needs them.
fn link_problems(book: &Book, rendered: &[Rendered], which: &[usize], extra: &[&str]) -> Vec<Diagnostic> {
    let by_output: HashMap<&str, usize> = book.pages.iter().enumerate().map(|(i, p)| (p.output.as_str(), i)).collect();
    let mut ids: HashMap<usize, HashSet<&str>> = HashMap::new();
    let ids_of = |t: usize| -> HashSet<&str> {
        rendered[t].ids.iter().chain(&book.pages[t].template_ids).map(String::as_str).collect()
    };
    let assets: HashSet<String> = book.assets.iter().map(|a| crate::content::to_slash(a)).collect();
    let mut errors = Vec::new();
    for &i in which {
        let (page, r) = (&book.pages[i], &rendered[i]);
        for link in &r.links {
            let target = link.target.as_str();
            match by_output.get(target) {
                Some(&t) => {
                    if let Some(anchor) = &link.anchor {
                        let page_ids = ids.entry(t).or_insert_with(|| ids_of(t));
                        if !anchor.is_empty() && !page_ids.contains(anchor.as_str()) {
                            let on =
                                if target == page.output { "this page".to_string() } else { format!("`{target}`") };
                            errors.push(Diagnostic::new(
                                &page.display,
                                link.line,
                                link.column,
                                format!(
                                    "broken anchor `{}`: {on} has no heading or element with id `{anchor}`",
                                    link.written
                                ),
                            ));
                        }
                    }
                }
                None if assets.contains(target) || extra.contains(&target) => {}
                None => errors.push(Diagnostic::new(
                    &page.display,
                    link.line,
                    link.column,
                    format!("broken link `{}`: no page or file `{target}` in the site", link.written),
                )),
            }
        }
    }
    errors
}
