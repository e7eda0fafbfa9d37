//! The navigation tree: from `book.yaml`'s `toc`, or from the content tree.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::{locate, TocEntry};
use crate::diagnostic::{Diagnostic, Diagnostics};

use super::{humanize, Page};

/// One entry of the sidebar.
#[derive(Debug, Clone, PartialEq)]
pub struct NavItem {
    /// The title shown in the sidebar.
    pub title: String,
    /// The page it links to; `None` for a part heading or a folder without an index page.
    pub page: Option<usize>,
    /// For a page a feature renders without a [`Page`] of its own (a model card): its output
    /// path, which the sidebar links to when `page` is `None`.
    pub link: Option<String>,
    /// Section number such as `2.1`; parts and front pages have none.
    pub number: Option<String>,
    /// Whether this is a part heading.
    pub is_part: bool,
    /// Nested entries.
    pub children: Vec<NavItem>,
    /// How the sidebar shows it, beyond its title.
    pub marks: NavMarks,
}

/// What the toc says of an entry besides its title ([`crate::config::TocPage`] `folded`,
/// `badge`, `subtitle`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NavMarks {
    /// Its children start folded in the sidebar.
    pub folded: bool,
    /// A short tag after the title.
    pub badge: Option<String>,
    /// A second line under the title.
    pub subtitle: Option<String>,
}

impl NavItem {
    /// An unnumbered chapter entry without children: `page` is the page it opens (`None` for a
    /// draft chapter that has no page yet).
    pub fn chapter(title: impl Into<String>, page: Option<usize>) -> NavItem {
        NavItem {
            title: title.into(),
            page,
            link: None,
            number: None,
            is_part: false,
            children: Vec::new(),
            marks: NavMarks::default(),
        }
    }

    /// An unnumbered entry for page `i`, titled as the page.
    pub fn leaf(pages: &[Page], i: usize) -> NavItem {
        NavItem::chapter(pages[i].title.clone(), Some(i))
    }
}

/// Builds the tree from `toc` entries; returns it with the listed pages in reading order.
/// `yaml` is the text of book.yaml, to point errors at the offending entry.
pub fn from_entries(
    entries: &[TocEntry],
    by_rel: &HashMap<PathBuf, usize>,
    pages: &[Page],
    yaml: &str,
    drafts: &[PathBuf],
) -> Result<(Vec<NavItem>, Vec<usize>), Diagnostics> {
    from_entries_in(entries, by_rel, pages, yaml, Path::new("book.yaml"), drafts)
}

/// [`from_entries`] for entries read from another file (`display`, whose text is `text`): a
/// feature's toc format.
pub fn from_entries_in(
    entries: &[TocEntry],
    by_rel: &HashMap<PathBuf, usize>,
    pages: &[Page],
    text: &str,
    display: &Path,
    drafts: &[PathBuf],
) -> Result<(Vec<NavItem>, Vec<usize>), Diagnostics> {
    let mut builder = Builder {
        by_rel,
        pages,
        yaml: text,
        display,
        drafts,
        order: Vec::new(),
        seen: HashSet::new(),
        errors: Vec::new(),
        chapter: 0,
    };
    let nav = builder.entries(entries, &[], true);
    if builder.errors.is_empty() {
        Ok((nav, builder.order))
    } else {
        Err(Diagnostics(builder.errors))
    }
}

struct Builder<'a> {
    by_rel: &'a HashMap<PathBuf, usize>,
    pages: &'a [Page],
    yaml: &'a str,
    display: &'a Path,
    drafts: &'a [PathBuf],
    order: Vec<usize>,
    seen: HashSet<usize>,
    errors: Vec<Diagnostic>,
    chapter: usize,
}

impl Builder<'_> {
    fn entries(&mut self, entries: &[TocEntry], prefix: &[usize], top: bool) -> Vec<NavItem> {
        let mut items = Vec::new();
        let mut n = 0;
        for entry in entries {
            match entry {
                TocEntry::Part(part) => {
                    let children = self.entries(&part.chapters, &[], true);
                    items.push(NavItem {
                        title: part.part.clone(),
                        page: None,
                        link: None,
                        number: None,
                        is_part: true,
                        children,
                        marks: NavMarks {
                            folded: part.folded,
                            badge: part.badge.clone(),
                            subtitle: part.subtitle.clone(),
                        },
                    });
                }
                TocEntry::Page(spec) => {
                    let number_path: Vec<usize> = if top {
                        self.chapter += 1;
                        vec![self.chapter]
                    } else {
                        n += 1;
                        prefix.iter().copied().chain([n]).collect()
                    };
                    let page = self.resolve(&spec.file);
                    let title =
                        spec.title.clone().or_else(|| page.map(|i| self.pages[i].title.clone())).unwrap_or_default();
                    let children = self.entries(&spec.sections, &number_path, false);
                    let number = Some(number_path.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("."));
                    let marks =
                        NavMarks { folded: spec.folded, badge: spec.badge.clone(), subtitle: spec.subtitle.clone() };
                    items.push(NavItem { title, page, link: None, number, is_part: false, children, marks });
                }
            }
        }
        // A page that opens the book before any part (a welcome page) gets no number.
        if top {
            unnumber_front_pages(&mut items, &mut self.chapter);
        }
        items
    }

    fn resolve(&mut self, file: &Path) -> Option<usize> {
        let shown = file.to_string_lossy();
        let (line, column) = locate(self.yaml, &shown);
        let normalized = super::join_normalized(Path::new(""), &shown);
        match normalized.as_ref().and_then(|p| self.by_rel.get(p)) {
            Some(&i) => {
                if !self.seen.insert(i) {
                    self.errors.push(Diagnostic::new(
                        self.display,
                        line,
                        column,
                        format!("toc lists `{shown}` twice; a page can appear once"),
                    ));
                }
                self.order.push(i);
                Some(i)
            }
            None => {
                let why = if normalized.as_ref().is_some_and(|p| self.drafts.contains(p)) {
                    "is a draft (draft: true in its front matter); remove it from the toc or publish it".to_string()
                } else {
                    "does not exist in the content folder; expected a Markdown page path relative to it".to_string()
                };
                self.errors.push(Diagnostic::new(self.display, line, column, format!("toc entry `{shown}` {why}")));
                None
            }
        }
    }
}

/// Leading top-level pages before the first part are front matter (a welcome page):
/// they carry no number, and chapter numbers start after them.
fn unnumber_front_pages(items: &mut [NavItem], chapter: &mut usize) {
    if !items.iter().any(|i| i.is_part) {
        return;
    }
    let front = items.iter().take_while(|i| !i.is_part).count();
    if front == 0 {
        return;
    }
    for item in &mut items[..front] {
        item.number = None;
        clear_numbers(&mut item.children);
    }
    let mut renumber = 0;
    for item in items[front..].iter_mut() {
        renumber_part(item, &mut renumber);
    }
    *chapter = renumber;
}

fn clear_numbers(items: &mut [NavItem]) {
    for item in items {
        item.number = None;
        clear_numbers(&mut item.children);
    }
}

fn renumber_part(part: &mut NavItem, chapter: &mut usize) {
    for child in &mut part.children {
        *chapter += 1;
        renumber(child, &chapter.to_string());
    }
}

fn renumber(item: &mut NavItem, number: &str) {
    item.number = Some(number.to_string());
    for (k, child) in item.children.iter_mut().enumerate() {
        renumber(child, &format!("{number}.{}", k + 1));
    }
}

/// Without a `toc`: the content tree, folders in file-name order, pages by weight then name.
/// A folder's `index.md` is the folder's entry; a folder without one is an unlinked heading.
pub fn from_tree(pages: &[Page]) -> (Vec<NavItem>, Vec<usize>) {
    #[derive(Default)]
    struct Dir {
        index: Option<usize>,
        pages: Vec<usize>,
        dirs: std::collections::BTreeMap<String, Dir>,
    }
    let mut root = Dir::default();
    for (i, page) in pages.iter().enumerate() {
        let mut dir = &mut root;
        let parent = page.rel.parent().unwrap_or(Path::new(""));
        for part in parent.components() {
            dir = dir.dirs.entry(part.as_os_str().to_string_lossy().into_owned()).or_default();
        }
        if page.output.ends_with("index.html") {
            dir.index = Some(i);
        } else {
            dir.pages.push(i);
        }
    }

    fn walk(dir: &Dir, pages: &[Page], order: &mut Vec<usize>) -> Vec<NavItem> {
        // Pages and folders interleave by weight then name, so `02-x/` sorts between `01-a.md` and `03-b.md`.
        enum Child<'a> {
            Page(usize),
            Dir(&'a str, &'a Dir),
        }
        let mut children: Vec<(i64, String, Child)> = dir
            .pages
            .iter()
            .map(|&i| {
                (
                    pages[i].front.weight,
                    pages[i].rel.file_name().unwrap().to_string_lossy().into_owned(),
                    Child::Page(i),
                )
            })
            .chain(
                dir.dirs
                    .iter()
                    .map(|(n, d)| (d.index.map_or(0, |i| pages[i].front.weight), n.clone(), Child::Dir(n, d))),
            )
            .collect();
        children.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut items = Vec::new();
        for (_, _, child) in children {
            match child {
                Child::Page(i) => {
                    order.push(i);
                    items.push(NavItem::leaf(pages, i));
                }
                Child::Dir(n, d) => {
                    if let Some(i) = d.index {
                        order.push(i);
                    }
                    let title = d.index.map_or_else(|| humanize(n), |i| pages[i].title.clone());
                    let kids = walk(d, pages, order);
                    items.push(NavItem {
                        title,
                        page: d.index,
                        link: None,
                        number: None,
                        is_part: false,
                        children: kids,
                        marks: NavMarks::default(),
                    });
                }
            }
        }
        items
    }

    let mut order = Vec::new();
    let mut items = Vec::new();
    if let Some(i) = root.index {
        order.push(i);
        items.push(NavItem::leaf(pages, i));
    }
    items.extend(walk(&root, pages, &mut order));
    number_tree(&mut items[usize::from(root.index.is_some())..]);
    (items, order)
}

fn number_tree(items: &mut [NavItem]) {
    for (k, item) in items.iter_mut().enumerate() {
        renumber(item, &(k + 1).to_string());
    }
}
