//! Serve's change planning as a pure function: from one batch of changed paths, what the file
//! system said about each, and the site in memory, to the work the batch calls for. Nothing
//! here reads a file, so the rules are tested with plain data (see the tests below), and
//! [`super::site::LiveSite`] only probes the paths and carries the plan out.
//!
//! The features say which of their sources reload the book (`Feature::reloads_book`); the
//! core's rules are the table in [`super::site`].

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::content::{self, Book};
use crate::feature::Features;
use crate::markdown::Rendered;

/// What the file system said about a changed path when the batch was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathState {
    /// A file.
    File,
    /// A folder, and whether any file is under it.
    Folder {
        /// Some file lies under the folder (at any depth).
        holds_files: bool,
    },
    /// Nothing there any more (deleted, or renamed away).
    Missing,
}

/// One changed path of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Absolute and normalized ([`normalize`]).
    pub path: PathBuf,
    /// What is there now.
    pub state: PathState,
}

/// The site in memory that a plan is made against.
pub struct SiteState<'a> {
    /// The loaded book.
    pub book: &'a Book,
    /// `rendered[i]` belongs to `book.pages[i]`.
    pub rendered: &'a [Rendered],
    /// The content folder, absolute and normalized.
    pub content_root: &'a Path,
    /// The book's `SUMMARY.md`, absolute and normalized, if the toc comes from one.
    pub summary: Option<&'a Path>,
    /// Page source (relative to the content folder) -> index into `book.pages`.
    pub by_rel: &'a HashMap<PathBuf, usize>,
    /// Pages whose last transform failed: retried after any change.
    pub failed: Vec<usize>,
}

/// The changed files of one batch, sorted by the work they call for.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Load the book again (book.yaml or book.toml, the toc, a feature's sources, pages
    /// added or removed).
    pub structure: bool,
    /// Reload the theme and render every page.
    pub theme: bool,
    /// Every theme change was a stylesheet: the browser can swap them without a reload.
    pub theme_css_only: bool,
    /// Pages whose file changed.
    pub pages: BTreeSet<usize>,
    /// Pages that include a changed file.
    pub transform: BTreeSet<usize>,
    /// Assets whose bytes changed, as output paths.
    pub assets: BTreeSet<String>,
    /// Every changed path, normalized.
    pub changed: HashSet<PathBuf>,
}

impl Plan {
    /// Whether the batch calls for any work.
    pub fn is_empty(&self) -> bool {
        !self.structure && !self.theme && self.pages.is_empty() && self.transform.is_empty() && self.assets.is_empty()
    }
}

/// Sorts the changed paths of a book at `root` (absolute, normalized) into the work they
/// need. `site` is `None` before the book first loaded.
pub fn plan_changes(root: &Path, features: &Features, site: Option<&SiteState>, changes: &[Change]) -> Plan {
    let mut plan = Plan { theme_css_only: true, ..Plan::default() };
    for change in changes {
        let path = &change.path;
        let Ok(in_root) = path.strip_prefix(root) else { continue };
        if in_root.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
            continue;
        }
        plan.changed.insert(path.clone());
        // A feature's sources (exercises, the API's Python files, model cards) are loaded
        // with the book.
        let book = site.map(|s| s.book);
        let config = in_root == Path::new("book.yaml") || in_root == Path::new("book.toml");
        if config || features.iter().any(|f| f.reloads_book(book, in_root)) {
            plan.structure = true;
            continue;
        }
        let Some(st) = site else {
            plan.structure = true;
            continue;
        };
        if st.summary == Some(path.as_path()) {
            plan.structure = true;
            continue;
        }
        for (i, r) in st.rendered.iter().enumerate() {
            if r.dependencies.iter().any(|d| normalize(d) == *path) {
                plan.transform.insert(i);
            }
        }
        if let Some(theme) = st.book.config.theme.as_deref() {
            let theme_dir = Path::new("themes").join(theme);
            // The theme's words reach what the features wrote at load (a sidebar part, a
            // converted page's labels): the book loads again.
            if in_root.starts_with(theme_dir.join("i18n")) {
                plan.structure = true;
                continue;
            }
            if in_root.starts_with(&theme_dir) || theme_dir.starts_with(in_root) {
                plan.theme = true;
                let css = in_root.starts_with(theme_dir.join("static"))
                    && in_root.extension().is_some_and(|e| e == "css")
                    && change.state == PathState::File;
                plan.theme_css_only &= css;
                continue;
            }
        }
        let Ok(rel) = path.strip_prefix(st.content_root) else { continue };
        let is_file = change.state == PathState::File;
        if rel.as_os_str().is_empty() {
            plan.structure = true;
        } else if let Some(&i) = st.by_rel.get(rel) {
            if is_file {
                plan.pages.insert(i);
            } else {
                plan.structure = true;
            }
        } else if st.book.assets.iter().any(|a| a == rel) {
            if is_file {
                plan.assets.insert(content::to_slash(rel));
            } else {
                plan.structure = true;
            }
        } else if is_file {
            // A new page or asset, or a draft page that may have stopped being one.
            plan.structure = true;
        } else {
            // A folder: it matters if it holds (or held) pages or assets.
            let held = st.book.pages.iter().any(|p| p.rel.starts_with(rel))
                || st.book.assets.iter().any(|a| a.starts_with(rel));
            let holds = matches!(change.state, PathState::Folder { holds_files: true });
            plan.structure |= held || holds;
        }
    }
    // A page that failed may have failed because of the file that just changed (an include
    // that did not exist yet): try it again.
    if let (Some(st), false) = (site, plan.changed.is_empty()) {
        plan.pages.extend(st.failed.iter().copied());
    }
    plan
}

/// Removes `.` and `..` without touching the disk, so include paths and event paths compare.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture book loaded and transformed, as serve holds it.
    struct Loaded {
        root: PathBuf,
        book: Book,
        rendered: Vec<Rendered>,
        by_rel: HashMap<PathBuf, usize>,
        content_root: PathBuf,
    }

    fn load(name: &str) -> Loaded {
        let root = normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name));
        let book = content::load_book(&root, &crate::features::builtin()).expect("the fixture loads");
        let rendered = crate::pipeline::transform(&book).expect("the fixture transforms");
        let by_rel = book.pages.iter().enumerate().map(|(i, p)| (p.rel.clone(), i)).collect();
        let content_root = root.join("content");
        Loaded { root, book, rendered, by_rel, content_root }
    }

    impl Loaded {
        fn plan(&self, changes: &[(&str, PathState)], failed: Vec<usize>) -> Plan {
            let st = SiteState {
                book: &self.book,
                rendered: &self.rendered,
                content_root: &self.content_root,
                summary: None,
                by_rel: &self.by_rel,
                failed,
            };
            let changes: Vec<Change> =
                changes.iter().map(|(p, state)| Change { path: self.root.join(p), state: *state }).collect();
            plan_changes(&self.root, &crate::features::builtin(), Some(&st), &changes)
        }

        fn page(&self, rel: &str) -> usize {
            self.by_rel[Path::new(rel)]
        }
    }

    const FILE: PathState = PathState::File;

    #[test]
    fn a_page_edit_touches_that_page_only() {
        let site = load("features");
        let plan = site.plan(&[("content/ml/math.md", FILE)], Vec::new());
        assert_eq!(plan.pages, BTreeSet::from([site.page("ml/math.md")]));
        assert!(!plan.structure && !plan.theme && plan.transform.is_empty() && plan.assets.is_empty());
    }

    #[test]
    fn an_included_file_transforms_the_pages_that_include_it() {
        let site = load("features");
        let plan = site.plan(&[("content/ml/code/train.py", FILE)], Vec::new());
        assert_eq!(plan.transform, BTreeSet::from([site.page("ml/code.md")]));
        assert!(!plan.structure, "an included file is not a new asset: {plan:?}");
    }

    #[test]
    fn an_asset_edit_rereads_the_asset() {
        let site = load("features");
        let plan = site.plan(&[("content/img/curve.svg", FILE)], Vec::new());
        assert_eq!(plan.assets, BTreeSet::from(["img/curve.svg".to_string()]));
        assert!(plan.pages.is_empty() && !plan.structure);
    }

    #[test]
    fn structure_changes_reload_the_book() {
        let site = load("features");
        for (path, state) in [
            ("book.yaml", FILE),
            ("content/new-page.md", FILE),
            ("content/ml/math.md", PathState::Missing),
            ("content/ml", PathState::Missing),
            ("content/new-folder", PathState::Folder { holds_files: true }),
            // The exercises feature's sources.
            ("exercises/softmax/exercise.yaml", FILE),
        ] {
            assert!(site.plan(&[(path, state)], Vec::new()).structure, "{path} reloads the book");
        }
        let plan = site.plan(&[("content/empty-folder", PathState::Folder { holds_files: false })], Vec::new());
        assert!(plan.is_empty(), "an empty new folder changes nothing: {plan:?}");
    }

    #[test]
    fn hidden_files_and_files_outside_the_book_are_ignored() {
        let site = load("features");
        let plan = site.plan(&[("content/.notes.md.swp", FILE), ("../elsewhere.md", FILE)], Vec::new());
        assert!(plan.is_empty() && plan.changed.is_empty(), "{plan:?}");
    }

    #[test]
    fn a_stylesheet_of_the_theme_is_swapped_without_a_reload() {
        let site = load("theme-override");
        let plan = site.plan(&[("themes/custom/static/extra.css", FILE)], Vec::new());
        assert!(plan.theme && plan.theme_css_only, "{plan:?}");
        let plan = site.plan(&[("themes/custom/templates/404.html", FILE)], Vec::new());
        assert!(plan.theme && !plan.theme_css_only, "{plan:?}");
        // Its words reach what features wrote at load: the book loads again.
        let plan = site.plan(&[("themes/custom/i18n/fr.yaml", FILE)], Vec::new());
        assert!(plan.structure, "{plan:?}");
    }

    #[test]
    fn failed_pages_are_retried_after_any_change() {
        let site = load("features");
        let failed = site.page("ml/code.md");
        let plan = site.plan(&[("content/ml/math.md", FILE)], vec![failed]);
        assert!(plan.pages.contains(&failed), "{plan:?}");
        let plan = site.plan(&[], vec![failed]);
        assert!(plan.pages.is_empty(), "no change, no retry: {plan:?}");
    }

    #[test]
    fn before_the_first_load_everything_is_structure() {
        let root = PathBuf::from("/book");
        let changes = [Change { path: root.join("content/a.md"), state: FILE }];
        let plan = plan_changes(&root, &crate::features::builtin(), None, &changes);
        assert!(plan.structure);
    }
}
