//! mdBook's `SUMMARY.md` as a table of contents, so an existing mdBook builds unchanged.
//!
//! The format: an optional `# Summary` title; prefix chapters as bare links; numbered
//! chapters as list items (`-` or `*`), nested by indentation to any depth; part titles as
//! headings of any level (`# Part`, `## 入门指南`) after the first; `---` separators; draft
//! chapters with an empty link target; suffix chapters as bare links after the numbered
//! ones. The link text names the chapter in the sidebar, prev/next and `<title>`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};

use super::{NavItem, Page};

/// Reads `SUMMARY.md` at `root/path`; links resolve relative to its folder, which must be
/// (or lie inside) the content folder.
pub fn load(
    root: &Path,
    path: &Path,
    content_dir: &Path,
    by_rel: &HashMap<PathBuf, usize>,
    pages: &[Page],
) -> Result<(Vec<NavItem>, Vec<usize>), Diagnostics> {
    let text = std::fs::read_to_string(root.join(path))
        .map_err(|e| Diagnostic::file("book.yaml", format!("toc: cannot read `{}`: {e}", path.display())))?;
    let base =
        path.parent().unwrap_or(Path::new("")).strip_prefix(content_dir).map(Path::to_path_buf).map_err(|_| {
            Diagnostic::file(
                "book.yaml",
                format!("toc: `{}` must be inside the content folder `{}`", path.display(), content_dir.display()),
            )
        })?;
    parse(&text, path, &base, by_rel, pages)
}

/// Parses `SUMMARY.md` text (`display` names it in messages); links resolve against `base`
/// in the content folder, through `by_rel` (content-relative path -> index into `pages`).
/// Public for the property tests and fuzz targets: the loader above is the caller.
pub fn parse(
    text: &str,
    display: &Path,
    base: &Path,
    by_rel: &HashMap<PathBuf, usize>,
    pages: &[Page],
) -> Result<(Vec<NavItem>, Vec<usize>), Diagnostics> {
    let mut nav: Vec<NavItem> = Vec::new();
    let mut order = Vec::new();
    let mut errors = Vec::new();
    let mut seen_title = false;
    let mut in_part = false;
    // Stack of (indent, path of indices into the tree) for list nesting.
    let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut chapter = 0usize;

    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(title) = heading_text(trimmed) {
            if !seen_title && nav.is_empty() {
                seen_title = true;
            } else {
                nav.push(NavItem {
                    title: title.trim().to_string(),
                    page: None,
                    link: None,
                    number: None,
                    is_part: true,
                    children: Vec::new(),
                    marks: Default::default(),
                });
                in_part = true;
                stack.clear();
            }
            continue;
        }
        if trimmed.chars().all(|c| c == '-') && trimmed.len() >= 3 {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let (is_item, rest) = match trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        // `rest` lies inside `line`; columns count characters (the fuzzer found byte columns
        // after a line starting with U+0085, which `trim` takes for a space).
        let column = line[..rest.as_ptr() as usize - line.as_ptr() as usize].chars().count() + 1;
        let Some((title, target)) = parse_link(rest) else {
            errors.push(Diagnostic::new(
                display,
                line_no,
                column,
                "expected a link `[Title](path.md)`, a `# Part` heading or `---`",
            ));
            continue;
        };
        let page = if target.is_empty() {
            None
        } else {
            let rel = super::join_normalized(base, &target);
            match rel.as_ref().and_then(|r| by_rel.get(r)) {
                Some(&i) => {
                    order.push(i);
                    Some(i)
                }
                None => {
                    errors.push(Diagnostic::new(
                        display,
                        line_no,
                        column,
                        format!("`{target}` does not exist; expected a Markdown page next to SUMMARY.md"),
                    ));
                    None
                }
            }
        };
        let title = if title.is_empty() { page.map(|i| pages[i].title.clone()).unwrap_or_default() } else { title };
        let item = NavItem::chapter(title, page);
        if !is_item {
            // A prefix or suffix chapter: unnumbered, at the top level.
            stack.clear();
            nav.push(item);
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let parent_path: Option<Vec<usize>> = stack.last().map(|(_, p)| p.clone());
        let number = match &parent_path {
            Some(p) => {
                let parent = nav_ref(&nav, p);
                format!(
                    "{}.{}",
                    parent.number.clone().unwrap_or_default(),
                    1 + parent.children.iter().filter(|i| i.number.is_some()).count()
                )
            }
            None => {
                chapter += 1;
                chapter.to_string()
            }
        };
        let item = NavItem { number: Some(number), ..item };
        let (siblings, mut path) = match &parent_path {
            Some(p) => (&mut item_at(&mut nav, p).children, p.clone()),
            None if in_part => {
                let last = nav.len() - 1;
                (&mut nav[last].children, vec![last])
            }
            None => (&mut nav, Vec::new()),
        };
        siblings.push(item);
        path.push(siblings.len() - 1);
        stack.push((indent, path));
    }
    if errors.is_empty() {
        Ok((nav, order))
    } else {
        Err(Diagnostics(errors))
    }
}

fn item_at<'a>(nav: &'a mut [NavItem], path: &[usize]) -> &'a mut NavItem {
    let (first, rest) = path.split_first().expect("non-empty path");
    rest.iter().fold(&mut nav[*first], |item, &i| &mut item.children[i])
}

fn nav_ref<'a>(nav: &'a [NavItem], path: &[usize]) -> &'a NavItem {
    let (first, rest) = path.split_first().expect("non-empty path");
    rest.iter().fold(&nav[*first], |item, &i| &item.children[i])
}

/// The text of an ATX heading of any level (`## Part`), or `None`.
fn heading_text(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('#');
    let level = line.len() - rest.len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = rest.strip_prefix([' ', '\t'])?.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then_some(text)
}

/// `[Title](target)` -> (title, target); the title loses its inline Markdown markers, as
/// mdBook keeps only the link's text.
fn parse_link(s: &str) -> Option<(String, String)> {
    let s = s.strip_prefix('[')?;
    let close = s.rfind("](")?;
    let title = s[..close].trim().replace(['`', '*'], "").replace("\\_", "_");
    let target = s[close + 2..].strip_suffix(')')?.trim().to_string();
    Some((title, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str) -> Page {
        Page {
            rel: rel.into(),
            display: rel.into(),
            abs: rel.into(),
            output: super::super::output_path(Path::new(rel)),
            front: Default::default(),
            body: String::new(),
            body_line: 1,
            title: format!("T {rel}"),
            has_h1: false,
            lenient_links: false,
            warnings: Vec::new(),
            source_lines: Vec::new(),
            template_ids: Vec::new(),
            files: Vec::new(),
        }
    }

    #[test]
    fn parses_prefix_numbered_nested_parts_and_drafts() {
        let pages: Vec<Page> = ["intro.md", "a.md", "a/b.md", "c.md", "d.md"].iter().map(|p| page(p)).collect();
        let by_rel = pages.iter().enumerate().map(|(i, p)| (p.rel.clone(), i)).collect();
        let text = "# Summary\n\n[Intro](intro.md)\n\n- [A](a.md)\n  - [B](a/b.md)\n- [Draft]()\n\n# Part two\n\n- [C](c.md)\n---\n- [D](./d.md)\n";
        let (nav, order) = parse(text, Path::new("SUMMARY.md"), Path::new(""), &by_rel, &pages).unwrap();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
        assert_eq!(nav[0].title, "Intro");
        assert_eq!(nav[0].number, None);
        assert_eq!(nav[1].number.as_deref(), Some("1"));
        assert_eq!(nav[1].children[0].number.as_deref(), Some("1.1"));
        assert_eq!(nav[2].page, None);
        assert!(nav[3].is_part);
        assert_eq!(nav[3].children.len(), 2);
        assert_eq!(nav[3].children[1].number.as_deref(), Some("4"));
    }

    #[test]
    fn parts_at_any_level_deep_nesting_and_suffix_chapters() {
        let pages: Vec<Page> = ["intro.md", "a.md", "b.md", "c.md", "d.md", "end.md"].iter().map(|p| page(p)).collect();
        let by_rel = pages.iter().enumerate().map(|(i, p)| (p.rel.clone(), i)).collect();
        let text = "# Summary\n\n[Intro](intro.md)\n\n## 入门指南\n\n* [`A` *one*](a.md)\n    * [B](b.md)\n        * [C](c.md)\n            * [D](d.md)\n\n---\n\n[End](end.md)\n";
        let (nav, order) = parse(text, Path::new("SUMMARY.md"), Path::new(""), &by_rel, &pages).unwrap();
        assert_eq!(order, vec![0, 1, 2, 3, 4, 5]);
        assert!(nav[1].is_part);
        assert_eq!(nav[1].title, "入门指南");
        let a = &nav[1].children[0];
        assert_eq!(a.title, "A one");
        let d = &a.children[0].children[0].children[0];
        assert_eq!((d.title.as_str(), d.number.as_deref()), ("D", Some("1.1.1.1")));
        assert_eq!((nav[2].title.as_str(), nav[2].number.as_deref()), ("End", None));
    }

    #[test]
    fn missing_page_is_positioned() {
        let e =
            parse("- [X](nope.md)\n", Path::new("src/SUMMARY.md"), Path::new(""), &HashMap::new(), &[]).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (1, 3));
    }

    /// Found by the `summary` fuzz target: a line that starts with two U+0085 (whitespace to
    /// `trim`, two bytes each) had its error at byte column 5 of a 3-character line.
    #[test]
    fn columns_count_characters_after_unicode_whitespace() {
        let text = "\u{85}\u{85}\0";
        let e = parse(text, Path::new("src/SUMMARY.md"), Path::new(""), &HashMap::new(), &[]).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (1, 3));
        assert!(e.0[0].points_into(Path::new("src/SUMMARY.md"), text));
        let e = parse("\u{a0}- [Ünïcode](nope.md)\n", Path::new("src/SUMMARY.md"), Path::new(""), &HashMap::new(), &[])
            .unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (1, 4));
    }
}
