//! Every language of a translated book in `serve`, as `build` writes them: one
//! [`LiveSite`] per language under `<code>/`, and the root `index.html` that picks the
//! reader's language. A book without `languages:` is one site at the root.
//!
//! A batch of changes goes to every language's site, except a page that only another
//! language has (`content/fr/x.md` is nothing to the English site), so saving a
//! translation rebuilds that language alone; a default-language page goes to the
//! translations too, which show it where they lack it. A `book.yaml` that adds or removes
//! a language starts the sites again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content;
use crate::diagnostic::Diagnostic;
use crate::feature::Features;
use crate::output::OutFile;

use super::site::{Bytes, ExtrasJob, LiveSite, Readiness, Update};

/// The sites of a book's languages.
pub struct Sites {
    root: PathBuf,
    features: Features,
    /// `(code, site)`, the default language first; one site with an empty code for a book
    /// without languages.
    sites: Vec<(String, LiveSite)>,
    /// The root `index.html` of a translated book.
    chooser: Option<Bytes>,
    /// Counts the times the languages changed, so that a job of an older set is ignored.
    epoch: u64,
}

/// A background render of one language's site-wide files ([`ExtrasJob`]).
pub struct SitesJob {
    epoch: u64,
    site: usize,
    job: ExtrasJob,
}

impl SitesJob {
    /// Renders the files; see [`ExtrasJob::run`].
    pub fn run(&self) -> Result<Vec<OutFile>, Diagnostic> {
        self.job.run()
    }
}

/// The codes of the book's languages, the default first; empty for a book without
/// `languages:`; an error when the settings do not load.
fn language_codes(root: &Path, features: &Features) -> Result<Vec<String>, ()> {
    let (config, _) = content::load_config(root, features).map_err(|_| ())?;
    let Some(default) = config.default_language() else { return Ok(Vec::new()) };
    let mut codes = vec![default.code.clone()];
    codes.extend(config.languages.iter().filter(|l| l.code != default.code).map(|l| l.code.clone()));
    Ok(codes)
}

impl Sites {
    /// The sites of the book at `root` (absolute), empty until [`Sites::build`].
    pub fn new(root: PathBuf, features: Features) -> Sites {
        let codes = language_codes(&root, &features).unwrap_or_default();
        Sites::with_languages(root, features, &codes, 0)
    }

    fn with_languages(root: PathBuf, features: Features, codes: &[String], epoch: u64) -> Sites {
        let sites = if codes.is_empty() {
            vec![(String::new(), LiveSite::new(root.clone(), features.clone(), None))]
        } else {
            codes.iter().map(|c| (c.clone(), LiveSite::new(root.clone(), features.clone(), Some(c.clone())))).collect()
        };
        Sites { root, features, sites, chooser: None, epoch }
    }

    /// Whether the book has languages (each site under its code).
    fn translated(&self) -> bool {
        !self.sites[0].0.is_empty()
    }

    fn codes(&self) -> Vec<String> {
        if self.translated() {
            self.sites.iter().map(|(c, _)| c.clone()).collect()
        } else {
            Vec::new()
        }
    }

    /// Loads and builds every language.
    pub fn build(&mut self) -> Update {
        let updates: Vec<Update> = self.sites.iter_mut().map(|(_, site)| site.build()).collect();
        self.refresh_chooser();
        self.merge(updates)
    }

    /// The root page that picks the reader's language, from the default language's book.
    fn refresh_chooser(&mut self) {
        if !self.translated() {
            return;
        }
        let Some(book) = self.sites[0].1.book() else { return };
        let Some(language) = &book.language else { return };
        let page = crate::i18n::chooser_page(&book.config.title, &language.all, &language.default.code);
        self.chooser = Some(Arc::new(page.into_bytes()));
    }

    /// One update of the sites' updates, their pages under their codes.
    fn merge(&self, updates: Vec<Update>) -> Update {
        let mut out = Update::default();
        let mut summary = Vec::new();
        for ((code, _), update) in self.sites.iter().zip(updates) {
            let prefix = if code.is_empty() { String::new() } else { format!("{code}/") };
            if update.all {
                if prefix.is_empty() {
                    out.all = true;
                } else {
                    out.folders.push(prefix.clone());
                }
            }
            out.folders.extend(update.folders.iter().map(|f| format!("{prefix}{f}")));
            out.pages.extend(update.pages.iter().map(|p| format!("{prefix}{p}")));
            // Each language has its own copy of the theme's files, by the same names.
            if let Some(css) = update.css {
                out.css.get_or_insert_with(BTreeMap::new).extend(css);
            }
            if !update.summary.is_empty() {
                summary.push(if code.is_empty() { update.summary } else { format!("{code}: {}", update.summary) });
            }
        }
        out.summary = summary.join("; ");
        out
    }

    /// The book's title, once loaded.
    pub fn title(&self) -> Option<&str> {
        self.sites[0].1.title()
    }

    /// How many pages the sites have together.
    pub fn pages(&self) -> usize {
        self.sites.iter().map(|(_, s)| s.pages()).sum()
    }

    /// Every current problem, once (a mistake in a shared file is every language's).
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut seen = HashSet::new();
        self.sites.iter().flat_map(|(_, s)| s.errors()).filter(|e| seen.insert(e.to_string())).collect()
    }

    /// What to watch: every language's folders.
    pub fn watch_list(&self) -> Vec<(PathBuf, bool)> {
        let mut list = Vec::new();
        for item in self.sites.iter().flat_map(|(_, s)| s.watch_list()) {
            if !list.contains(&item) {
                list.push(item);
            }
        }
        list
    }

    /// The site and its own path for a path of the whole site (`fr/ml/loss.html`).
    fn route<'p>(&self, path: &'p str) -> Option<(usize, &'p str)> {
        if !self.translated() {
            return Some((0, path));
        }
        // A host serves the root 404.html for any missing address: the default language's.
        if path == "404.html" {
            return Some((0, path));
        }
        let (code, rest) = path.split_once('/')?;
        self.sites.iter().position(|(c, _)| c == code).map(|i| (i, rest))
    }

    /// A file of the site as it is now; see [`Sites::readiness`].
    pub fn file(&self, path: &str) -> Option<Bytes> {
        if self.translated() && path == "index.html" {
            return self.chooser.clone();
        }
        let (i, rest) = self.route(path)?;
        self.sites[i].1.file(rest)
    }

    /// Whether `path` can be served now ([`LiveSite::readiness`] of its language's site).
    pub fn readiness(&self, path: &str) -> Readiness {
        match self.route(path) {
            Some((i, rest)) if !(self.translated() && path == "index.html") => self.sites[i].1.readiness(rest),
            _ => Readiness::Ready,
        }
    }

    /// Renders the stale site-wide files of the site `path` belongs to, holding the lock.
    pub fn render_extras_for(&mut self, path: &str) {
        if let Some((i, _)) = self.route(path) {
            self.sites[i].1.render_extras();
        }
    }

    /// A job for the first site whose site-wide files are stale; see [`LiveSite::start_extras`].
    pub fn start_extras(&mut self) -> Option<SitesJob> {
        let epoch = self.epoch;
        self.sites
            .iter_mut()
            .enumerate()
            .find_map(|(i, (_, site))| site.start_extras().map(|job| SitesJob { epoch, site: i, job }))
    }

    /// Installs a job's files; see [`LiveSite::finish_extras`].
    pub fn finish_extras(&mut self, job: &SitesJob, result: Result<Vec<OutFile>, Diagnostic>) {
        if job.epoch == self.epoch {
            self.sites[job.site].1.finish_extras(&job.job, result);
        }
    }

    /// Rebuilds what the changed files (absolute paths) touch in each language.
    pub fn apply(&mut self, changed: &BTreeSet<PathBuf>) -> Update {
        let settings = changed.iter().any(|p| {
            p.parent() == Some(self.root.as_path())
                && p.file_name().is_some_and(|n| n == "book.yaml" || n == "book.toml")
        });
        if settings {
            if let Ok(codes) = language_codes(&self.root, &self.features) {
                if codes != self.codes() {
                    *self = Sites::with_languages(self.root.clone(), self.features.clone(), &codes, self.epoch + 1);
                    let mut update = self.build();
                    update.all = true;
                    return update;
                }
            }
        }
        let updates: Vec<Update> = (0..self.sites.len())
            .map(|i| {
                let mine: BTreeSet<PathBuf> = changed.iter().filter(|p| !self.only_elsewhere(i, p)).cloned().collect();
                if mine.is_empty() {
                    Update::default()
                } else {
                    self.sites[i].1.apply(&mine)
                }
            })
            .collect();
        self.refresh_chooser();
        self.merge(updates)
    }

    /// Whether `path` is the source of a page of another language and none of site `i`'s.
    fn only_elsewhere(&self, i: usize, path: &Path) -> bool {
        let path = super::plan::normalize(path);
        !self.sites[i].1.has_source(&path)
            && self.sites.iter().enumerate().any(|(j, (_, site))| j != i && site.has_source(&path))
    }
}
