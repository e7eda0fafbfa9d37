//! Assembling the rendered pages into a site: the link check, and the ids each page offers.
//!
//! Every internal link and image the Markdown stage recorded must reach a page or a file
//! of the site, and every `#anchor` an id on the target page; all failures are listed.

use std::collections::{HashMap, HashSet};

use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;

/// Checks every recorded link of every page; `extra` are other files the site will contain
/// (generated pages such as `print.html`).
pub fn check_links(book: &Book, rendered: &[Rendered], extra: &[&str]) -> Vec<Diagnostic> {
    let ids: HashMap<&str, HashSet<&str>> =
        book.pages.iter().zip(rendered).map(|(p, r)| (p.output.as_str(), element_ids(&r.html))).collect();
    let assets: HashSet<String> = book.assets.iter().map(|a| crate::content::to_slash(a)).collect();
    let mut errors = Vec::new();
    for (page, r) in book.pages.iter().zip(rendered) {
        for link in &r.links {
            let target = link.target.as_str();
            match ids.get(target) {
                Some(page_ids) => {
                    if let Some(anchor) = &link.anchor {
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

/// Every `id="..."` in an HTML fragment.
pub fn element_ids(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let ids =
            element_ids(r##"<h2 id="a">A</h2><sup class="footnote-reference"><a href="#1">1</a></sup><div id="fn">"##);
        assert_eq!(ids, ["a", "fn"].into_iter().collect::<HashSet<_>>());
    }
}
