//! `book.yaml`: the book's settings, parsed strictly.
//!
//! Every struct denies unknown keys, so a typo is an error with its line and column
//! rather than a setting silently ignored. Defaults live here and nowhere else.

mod mdbook;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::diagnostic::Diagnostic;

/// The core settings of `book.yaml`. The sections features claim (`api`, `exercises`, ...)
/// are theirs to parse ([`parse_section`]); [`BookConfig::parse`] checks that every
/// top-level key is the core's or a feature's, so unknown keys stay errors.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BookConfig {
    /// The book's title, shown in the header and the browser tab.
    pub title: String,
    /// A stable name for the book (letters, digits, `-`, `_`, `.`): what a reader's progress
    /// is kept under in the browser, so it survives moving the site. Default: a slug of the
    /// title; see [`BookConfig::book_id`].
    #[serde(default)]
    pub id: Option<String>,
    /// One or two sentences; used in `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// Authors, as written.
    #[serde(default)]
    pub authors: Vec<String>,
    /// BCP-47 language tag of the content.
    #[serde(default = "default_language")]
    pub language: String,
    /// A theme folder under `themes/`; its files override the built-in theme one by one.
    #[serde(default)]
    pub theme: Option<String>,
    /// The address the site is published at, for `sitemap.xml` and `404.html`.
    #[serde(default, alias = "base_url")]
    pub base_url: Option<String>,
    /// The folder holding the Markdown pages, relative to the book root.
    #[serde(default = "default_content_dir")]
    pub content_dir: PathBuf,
    /// The table of contents; absent means the content tree in file-name order.
    #[serde(default)]
    pub toc: Option<TocSpec>,
    /// The offline search index: on by default.
    #[serde(default)]
    pub search: SearchConfig,
    /// Whether a broken internal link or anchor fails the build (`error`, the default) or
    /// is a warning (`warn`, the default of `book.toml` books, as mdBook does not check).
    #[serde(default)]
    pub links: LinkPolicy,
    /// Old output paths that redirect to new ones: `old/page.html: new/page.html` (targets
    /// relative to the site root, `#anchor` allowed); each old path gets a redirect page.
    #[serde(default)]
    pub redirects: std::collections::BTreeMap<String, String>,
    /// Style sheets relative to the book root, copied into the site and linked from every
    /// page after the theme's.
    #[serde(default)]
    pub extra_css: Vec<PathBuf>,
    /// Scripts relative to the book root, copied into the site and loaded by every page.
    #[serde(default)]
    pub extra_js: Vec<PathBuf>,
    /// "Edit this page" link for every page: `{path}` becomes the page's path relative to
    /// the book root (`https://github.com/o/r/edit/main/{path}`).
    #[serde(default)]
    pub edit_url: Option<String>,
    /// `$…$` math. Always on for `book.yaml` books; a `book.toml` book turns it on with
    /// `mathjax-support`, since mdBook leaves dollar signs alone otherwise.
    #[serde(skip, default = "yes")]
    pub math: bool,
    /// The source repository, linked from the header (mdBook's `git-repository-url`).
    #[serde(skip)]
    pub repository_url: Option<String>,
    /// `print.html` and the print button (mdBook's `[output.html.print]`).
    #[serde(skip)]
    pub print: PrintOptions,
    /// How the sidebar folds (mdBook's `[output.html.fold]`). `book.yaml` books fold every
    /// section off the current page's path.
    #[serde(skip, default = "FoldOptions::folded")]
    pub fold: FoldOptions,
    /// Curly quotes, dashes and ellipses (mdBook's `smart-punctuation`, on by default).
    #[serde(skip, default = "yes")]
    pub smart_punctuation: bool,
    /// `term` / `: definition` lists (mdBook's `definition-lists`, on by default there;
    /// off in `book.yaml` books, whose pages never had them).
    #[serde(skip)]
    pub definition_lists: bool,
    /// Section numbers (`1.2`) before SUMMARY.md's numbered chapters in the sidebar (off
    /// with mdBook's `no-section-label`).
    #[serde(skip, default = "yes")]
    pub section_numbers: bool,
    /// A page without a `#` heading gets its title as one. Not in mdBook books, whose pages
    /// show only what they say (a chapter may start at `##`).
    #[serde(skip, default = "yes")]
    pub title_heading: bool,
    /// Markdown files the toc does not list are built too (after the listed ones). Not in
    /// mdBook books: mdBook renders SUMMARY.md's chapters only.
    #[serde(skip, default = "yes")]
    pub unlisted_pages: bool,
    /// The domain written to `CNAME` for GitHub Pages (mdBook's `cname`).
    #[serde(skip)]
    pub cname: Option<String>,
    /// Which edition a build writes when `labbook build --edition` does not say
    /// (`self-study`, the default, or `student`).
    #[serde(default)]
    pub edition: Edition,
    /// The languages of a translated book (`languages:`): each builds into `site/<code>/`
    /// from `content/<code>/`. Empty: one language, built as always (see [`crate::i18n`]).
    #[serde(default)]
    pub languages: Vec<LanguageConfig>,
}

/// One entry of `languages:` in `book.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LanguageConfig {
    /// The BCP-47 tag (`en`, `fr`, `zh-CN`): the folder under `content/` and under the site.
    pub code: String,
    /// The language's name in itself (`Français`), shown in the language switcher.
    pub name: String,
    /// Writing direction; default `rtl` for Arabic, Hebrew, Persian and Urdu, else `ltr`.
    #[serde(default)]
    pub dir: Option<TextDirection>,
    /// The language pages are written in first, and fall back to (at most one; default:
    /// the first listed).
    #[serde(default)]
    pub default: bool,
    /// This language's table of contents (its own part titles); absent: the default
    /// language's, with the same page paths.
    #[serde(default)]
    pub toc: Option<TocSpec>,
    /// The book's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The book's description in this language.
    #[serde(default)]
    pub description: Option<String>,
}

/// Writing direction of a language (`dir` on `<html>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl TextDirection {
    /// The direction a language is written in when `book.yaml` does not say.
    pub fn of(code: &str) -> TextDirection {
        let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        if matches!(primary.as_str(), "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "dv" | "ckb") {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        }
    }

    /// `ltr` or `rtl`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

impl LanguageConfig {
    /// The direction: as written, else the language's usual one.
    pub fn direction(&self) -> TextDirection {
        self.dir.unwrap_or_else(|| TextDirection::of(&self.code))
    }
}

/// Who a build is for (`edition:` in `book.yaml`, `labbook build --edition`).
///
/// The core only carries the choice: every directive and feature that would put an answer in
/// a page reads it (from the book's config, in the load and render contexts) and leaves the
/// answer out of a student build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Edition {
    /// Readers learn on their own: solutions, hidden checks' code and quiz answers are in
    /// the pages, and quizzes are checked at once.
    #[default]
    SelfStudy,
    /// Students hand their work in: the pages carry no solution, no hidden check's code or
    /// expected values and no quiz answer; quizzes are answered and graded later.
    Student,
}

impl Edition {
    /// The name as `book.yaml` and the command line write it.
    pub fn name(self) -> &'static str {
        match self {
            Edition::SelfStudy => "self-study",
            Edition::Student => "student",
        }
    }

    /// `self-study` or `student`.
    pub fn parse(name: &str) -> Option<Edition> {
        match name {
            "self-study" => Some(Edition::SelfStudy),
            "student" => Some(Edition::Student),
            _ => None,
        }
    }
}

/// Whether the book has a print page (mdBook's `[output.html.print]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintOptions {
    /// Write `print.html` and show the print button.
    pub enable: bool,
    /// Start every chapter on a new printed page.
    pub page_break: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { enable: true, page_break: true }
    }
}

/// Sidebar folding (mdBook's `[output.html.fold]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FoldOptions {
    /// Sections with children get a fold button; off: every section is open, no buttons.
    pub enable: bool,
    /// Sections nested at most this deep start open (top-level chapters are at depth 1);
    /// 0 closes every fold. The current page's path is always open.
    pub level: u32,
}

impl FoldOptions {
    /// `book.yaml` books: every fold closed except on the current page's path.
    pub fn folded() -> FoldOptions {
        FoldOptions { enable: true, level: 0 }
    }
}

pub use mdbook::parse_book_toml;

fn yes() -> bool {
    true
}

/// `links:` in `book.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkPolicy {
    /// A broken internal link or anchor fails the build.
    #[default]
    Error,
    /// It is printed as a warning (`--strict` still fails).
    Warn,
}

/// `search:` in `book.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SearchConfig {
    /// Build the index and show the search box.
    pub enable: bool,
    /// BCP-47 tags whose stemmer applies: the first one with a Snowball stemmer is used.
    /// Empty means the book's `language`.
    pub languages: Vec<String>,
    /// Pages left out of the index: paths relative to the content folder, or globs
    /// (`*` within a folder, `**` across folders, `?` one character).
    pub exclude: Vec<String>,
    /// Ranking weights of words in titles and headings.
    pub boost: SearchBoost,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enable: true, languages: Vec::new(), exclude: Vec::new(), boost: SearchBoost::default() }
    }
}

/// `search.boost`: how much more a word counts in a page title or a section heading than
/// in body text (BM25 term frequency added per occurrence).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SearchBoost {
    /// A word in the page title.
    pub title: f64,
    /// A word in a section heading.
    pub heading: f64,
}

impl Default for SearchBoost {
    fn default() -> Self {
        SearchBoost { title: 3.0, heading: 2.0 }
    }
}

fn default_language() -> String {
    "en".to_string()
}

fn default_content_dir() -> PathBuf {
    PathBuf::from("content")
}

/// Where the table of contents comes from.
#[derive(Debug, Clone)]
pub enum TocSpec {
    /// Entries written in `book.yaml`.
    Entries(Vec<TocEntry>),
    /// An mdBook `SUMMARY.md`, relative to the book root.
    Summary(PathBuf),
}

impl<'de> Deserialize<'de> for TocSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TocSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of toc entries, or the path of an mdBook SUMMARY.md")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TocSpec, E> {
                Ok(TocSpec::Summary(PathBuf::from(v)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<TocSpec, A::Error> {
                Vec::<TocEntry>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(TocSpec::Entries)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One entry of a `toc` list: a page, or a part grouping pages under an unlinked title.
#[derive(Debug, Clone)]
pub enum TocEntry {
    /// A page with optional nested sections.
    Page(TocPage),
    /// A part: a heading in the sidebar.
    Part(TocPart),
}

/// A page entry: `- path.md` or `- file: path.md` with `title` and `sections`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TocPage {
    /// Path relative to the content folder.
    pub file: PathBuf,
    /// Title in the navigation, overriding the page's own.
    #[serde(default)]
    pub title: Option<String>,
    /// Pages nested under this one.
    #[serde(default)]
    pub sections: Vec<TocEntry>,
    /// The sidebar starts with `sections` folded (unless the reader is on one of them).
    #[serde(default)]
    pub folded: bool,
    /// A short tag after the title in the sidebar (`New`, `Quiz`).
    #[serde(default)]
    pub badge: Option<String>,
    /// A second, smaller line under the title in the sidebar.
    #[serde(default)]
    pub subtitle: Option<String>,
}

impl TocPage {
    /// An entry for `file` with no title, sections or marks.
    pub fn file(file: impl Into<PathBuf>) -> TocPage {
        TocPage { file: file.into(), title: None, sections: Vec::new(), folded: false, badge: None, subtitle: None }
    }
}

/// A part entry: `- part: Title` with `chapters`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TocPart {
    /// The part's heading.
    pub part: String,
    /// The pages in this part.
    #[serde(default)]
    pub chapters: Vec<TocEntry>,
    /// The sidebar starts with the part folded (unless the reader is on one of its pages).
    #[serde(default)]
    pub folded: bool,
    /// A short tag after the title in the sidebar.
    #[serde(default)]
    pub badge: Option<String>,
    /// A second, smaller line under the title in the sidebar.
    #[serde(default)]
    pub subtitle: Option<String>,
}

impl<'de> Deserialize<'de> for TocEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TocEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a page path, a map with `file` (and optional `title`, `sections`), or a map with `part` and `chapters`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TocEntry, E> {
                Ok(TocEntry::Page(TocPage::file(v)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TocEntry, A::Error> {
                // The first key decides the kind; the rest is read strictly by the matching struct.
                let Some(first) = map.next_key::<String>()? else {
                    return Err(serde::de::Error::custom("an empty toc entry; expected `file` or `part`"));
                };
                let rest =
                    serde::de::value::MapAccessDeserializer::new(PrefixedMap { first: Some(first.clone()), map });
                match first.as_str() {
                    "part" | "chapters" => TocPart::deserialize(rest).map(TocEntry::Part),
                    _ => TocPage::deserialize(rest).map(TocEntry::Page),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A map access that yields an already-read first key before the rest.
struct PrefixedMap<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::MapAccess<'de> for PrefixedMap<A> {
    type Error = A::Error;
    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(serde::de::value::StringDeserializer::new(key)).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }
    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

impl BookConfig {
    /// Reads and validates `book.yaml` at `path`; `display` names it in errors.
    pub fn load(path: &Path, display: &Path, feature_keys: &[&str]) -> Result<BookConfig, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::at_offset(display, &text, offset, 1, "the file is not valid UTF-8")
        })?;
        BookConfig::parse_with(&text, display, feature_keys)
    }

    /// Parses `book.yaml` text with no feature sections; errors carry `display:line:column`.
    pub fn parse(text: &str, display: &Path) -> Result<BookConfig, Diagnostic> {
        BookConfig::parse_with(text, display, &[])
    }

    /// Parses `book.yaml` text whose top-level keys may also be `feature_keys` (the sections
    /// features parse themselves); any other key is an error naming every known key.
    pub fn parse_with(text: &str, display: &Path, feature_keys: &[&str]) -> Result<BookConfig, Diagnostic> {
        let mut known: Vec<&str> = CORE_KEYS.to_vec();
        known.extend(feature_keys.iter().copied().filter(|k| !CORE_KEYS.contains(k)));
        check_top_level_keys(text, display, &known)?;
        let config: BookConfig = parse_yaml(text, display, 1)?;
        config.validate(text, display)?;
        Ok(config)
    }

    pub(crate) fn validate(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        let at = |needle: &str, message: String| {
            let (line, column) = locate(text, needle);
            Diagnostic::new(display, line, column, message)
        };
        if self.title.trim().is_empty() {
            return Err(at("title:", "`title` must not be empty".into()));
        }
        if let Some(id) = &self.id {
            let ok = id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if id.is_empty() || id.len() > 100 || !ok {
                return Err(at(
                    "id:",
                    format!("`id` must be 1 to 100 letters a-z, digits, `-`, `_` or `.`, not `{id}`"),
                ));
            }
        }
        if let Some(theme) = &self.theme {
            if theme.is_empty() || theme.contains(['/', '\\']) || theme == ".." {
                return Err(at("theme:", format!("`theme` must be a folder name under themes/, not `{theme}`")));
            }
        }
        if let Some(base) = &self.base_url {
            if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with('/')) {
                return Err(at("base-url", format!("`base-url` must start with https://, http:// or /, not `{base}`")));
            }
        }
        for (name, value) in [("title", self.search.boost.title), ("heading", self.search.boost.heading)] {
            if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
                // The key under `boost:`, not the book's own `title:`.
                let offset = text.find("boost").and_then(|b| text[b..].find(name).map(|i| b + i));
                let (line, column) = offset.map_or((0, 0), |o| crate::diagnostic::line_column(text, o));
                return Err(Diagnostic::new(
                    display,
                    line,
                    column,
                    format!("`search.boost.{name}` must be a number from 0 to 100, not {value}"),
                ));
            }
        }
        if let Some(empty) = self.search.exclude.iter().find(|e| e.trim().is_empty()) {
            return Err(at("exclude", format!("`search.exclude` entries must not be empty (got `{empty}`)")));
        }
        for (key, files) in [("extra-css", &self.extra_css), ("extra-js", &self.extra_js)] {
            if let Some(bad) = files.iter().find(|f| !is_inside(f)) {
                return Err(at(key, format!("`{key}` entries must be files inside the book, not `{}`", bad.display())));
            }
        }
        for (from, to) in &self.redirects {
            if from.is_empty() || from.contains("..") || to.is_empty() {
                return Err(at(
                    "redirects",
                    format!("`redirects` maps an old path inside the site to a new one, not `{from}: {to}`"),
                ));
            }
        }
        if let Some(url) = &self.edit_url {
            if !url.contains("{path}") {
                return Err(at("edit-url", format!("`edit-url` must contain `{{path}}`, not `{url}`")));
            }
        }
        if self.content_dir.is_absolute() || self.content_dir.components().any(|c| c == std::path::Component::ParentDir)
        {
            return Err(at("content-dir", "`content-dir` must be a folder inside the book".into()));
        }
        self.validate_languages(text, display)
    }

    /// `languages:`: codes that can name folders, each once, at most one default.
    fn validate_languages(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        let at_code = |code: &str, message: String| {
            let offset = text.find("languages:").and_then(|l| {
                let needle = format!("code: {code}");
                text[l..].find(&needle).map(|i| l + i)
            });
            let (line, column) =
                offset.map_or_else(|| locate(text, "languages:"), |o| crate::diagnostic::line_column(text, o));
            Diagnostic::new(display, line, column, message)
        };
        let mut seen = std::collections::HashSet::new();
        for language in &self.languages {
            let code = &language.code;
            let ok = !code.is_empty()
                && code.len() <= 35
                && code.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
            if !ok {
                return Err(at_code(
                    code,
                    format!("a language `code` is a BCP-47 tag such as `fr` or `zh-CN` (letters, digits and `-`), not `{code}`"),
                ));
            }
            if !seen.insert(code.to_ascii_lowercase()) {
                return Err(at_code(code, format!("the language `{code}` is listed twice")));
            }
            if language.name.trim().is_empty() {
                return Err(at_code(code, format!("the language `{code}` needs a `name`")));
            }
        }
        let defaults: Vec<&LanguageConfig> = self.languages.iter().filter(|l| l.default).collect();
        if defaults.len() > 1 {
            return Err(at_code(
                &defaults[1].code,
                format!(
                    "only one language may be the `default` (`{}` and `{}` both are)",
                    defaults[0].code, defaults[1].code
                ),
            ));
        }
        Ok(())
    }

    /// The default language of a translated book: the one marked `default`, else the first.
    pub fn default_language(&self) -> Option<&LanguageConfig> {
        self.languages.iter().find(|l| l.default).or(self.languages.first())
    }

    /// The book's id: `id:`, or else a slug of the title (`Tiny models, big ideas` ->
    /// `tiny-models-big-ideas`).
    pub fn book_id(&self) -> String {
        self.id.clone().unwrap_or_else(|| crate::markdown::slug(&self.title))
    }

    /// `base-url` with exactly one trailing slash, if set.
    pub fn base_url(&self) -> Option<String> {
        self.base_url.as_ref().map(|b| format!("{}/", b.trim_end_matches('/')))
    }
}

/// A relative path that stays inside its folder.
fn is_inside(path: &Path) -> bool {
    !path.is_absolute() && !path.components().any(|c| c == std::path::Component::ParentDir)
}

/// The top-level keys of `book.yaml` the core reads, in the order messages list them.
pub const CORE_KEYS: &[&str] = &[
    "title",
    "id",
    "description",
    "authors",
    "language",
    "languages",
    "theme",
    "base-url",
    "base_url",
    "content-dir",
    "toc",
    "search",
    "links",
    "redirects",
    "extra-css",
    "extra-js",
    "edit-url",
    "edition",
];

/// Fails on the first top-level key of `text` that is not in `known`, positioned at the key,
/// with serde's wording ("unknown field `x`, expected one of ...").
fn check_top_level_keys(text: &str, display: &Path, known: &[&str]) -> Result<(), Diagnostic> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    struct Keys<'a>(&'a [&'a str]);
    impl<'de> DeserializeSeed<'de> for Keys<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of settings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while map.next_key_seed(Key(self.0))?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
        // Not a map: the typed parse that follows says what is wrong.
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        }
    }
    // The check runs inside the key's visitor, so serde_yaml positions the error at the key.
    struct Key<'a>(&'a [&'a str]);
    impl<'de> DeserializeSeed<'de> for Key<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_str(self)
        }
    }
    impl<'de> Visitor<'de> for Key<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a setting's name")
        }
        fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<(), E> {
            if self.0.contains(&key) {
                return Ok(());
            }
            let expected: Vec<String> = self.0.iter().filter(|k| !k.contains('_')).map(|k| format!("`{k}`")).collect();
            Err(E::custom(format!("unknown field `{key}`, expected one of {}", expected.join(", "))))
        }
    }
    Keys(known).deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| yaml_diagnostic(&e, text, display, 1))
}

/// Parses the top-level key `key` of a YAML document into `T` (a feature's `book.yaml`
/// section), strictly and positioned in the whole file; `None` when the key is absent.
pub fn parse_section<T: serde::de::DeserializeOwned>(
    text: &str,
    display: &Path,
    key: &str,
) -> Result<Option<T>, Diagnostic> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    struct Section<'a, T>(&'a str, std::marker::PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> DeserializeSeed<'de> for Section<'_, T> {
        type Value = Option<T>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Section<'_, T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of settings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
            let mut found = None;
            while let Some(k) = map.next_key::<String>()? {
                if k == self.0 {
                    found = Some(map.next_value::<T>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    Section::<T>(key, std::marker::PhantomData)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| yaml_diagnostic(&e, text, display, 1))
}

/// Deserializes YAML, turning serde_yaml's error into a positioned [`Diagnostic`].
/// `first_line` is the file line where `text` starts (front matter begins on line 2).
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
    display: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| yaml_diagnostic(&e, text, display, first_line))
}

/// A positioned diagnostic from a serde_yaml error in `text`.
pub fn yaml_diagnostic(e: &serde_yaml::Error, text: &str, display: &Path, first_line: usize) -> Diagnostic {
    let message = clean_yaml_message(&e.to_string());
    match e.location() {
        Some(loc) => {
            // At the end of the text, serde_yaml may name the line after the last one, or a
            // column past the end of the line (found by the property tests): the end it is.
            let (line, column) = match text.split('\n').nth(loc.line().max(1) - 1) {
                Some(here) => (loc.line().max(1), loc.column().min(here.chars().count() + 1)),
                None => crate::diagnostic::line_column(text, text.len()),
            };
            Diagnostic::new(display, line + first_line - 1, column, message)
        }
        None => Diagnostic::new(display, first_line, 0, message),
    }
}

/// serde_yaml appends " at line L column C" to messages; the diagnostic says that already.
fn clean_yaml_message(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    message.to_string()
}

/// The 1-based line and column of the first occurrence of `needle` in `text`, or (0, 0).
pub fn locate(text: &str, needle: &str) -> (usize, usize) {
    match text.find(needle) {
        Some(offset) => crate::diagnostic::line_column(text, offset),
        None => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BookConfig, Diagnostic> {
        BookConfig::parse(text, Path::new("book.yaml"))
    }

    /// Found by the property tests: serde_yaml put this error on line 3 of a 2-line file.
    #[test]
    fn an_error_at_the_end_of_the_text_points_at_its_end() {
        let text = "title: An mdBook\n[cont";
        let e = parse(text).unwrap_err();
        assert_eq!((e.line, e.column), (2, 6), "{e}");
        assert!(e.points_into(Path::new("book.yaml"), text));
    }

    #[test]
    fn the_book_id_is_given_or_a_slug_of_the_title() {
        assert_eq!(parse("title: Tiny models, big ideas\n").unwrap().book_id(), "tiny-models-big-ideas");
        assert_eq!(parse("title: T\nid: ml-101.2026\n").unwrap().book_id(), "ml-101.2026");
        let e = parse("title: T\nid: my course\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("`id` must be 1 to 100 letters"), "{e}");
        let e = parse("title: T\nid: [a]\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn minimal_book_takes_defaults() {
        let c = parse("title: T\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.content_dir, PathBuf::from("content"));
        assert!(c.toc.is_none());
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let e = parse("title: T\nlanguge: en\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("unknown field `languge`"), "{}", e.message);
        assert!(e.message.contains("expected one of"), "{}", e.message);
    }

    #[test]
    fn unknown_key_inside_toc_entry_is_positioned() {
        let e =
            parse("title: T\ntoc:\n  - part: A\n    chapters:\n      - file: a.md\n        titel: x\n").unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
    }

    #[test]
    fn toc_forms() {
        let c = parse("title: T\ntoc:\n  - index.md\n  - part: P\n    chapters:\n      - file: a.md\n        title: A\n        sections: [b.md]\n").unwrap();
        let Some(TocSpec::Entries(entries)) = c.toc else { panic!() };
        assert!(matches!(&entries[0], TocEntry::Page(p) if p.file == Path::new("index.md")));
        let TocEntry::Part(part) = &entries[1] else { panic!() };
        let TocEntry::Page(a) = &part.chapters[0] else { panic!() };
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.sections.len(), 1);
        let c = parse("title: T\ntoc: src/SUMMARY.md\n").unwrap();
        assert!(matches!(c.toc, Some(TocSpec::Summary(p)) if p == Path::new("src/SUMMARY.md")));
    }

    #[test]
    fn search_settings_are_strict() {
        let c = parse("title: T\n").unwrap();
        assert!(c.search.enable);
        assert_eq!(c.search.boost.title, 3.0);
        let c = parse("title: T\nsearch:\n  enable: false\n  exclude: [drafts/**]\n  boost: {heading: 1.5}\n").unwrap();
        assert!(!c.search.enable);
        assert_eq!(c.search.exclude, ["drafts/**"]);
        assert_eq!((c.search.boost.title, c.search.boost.heading), (3.0, 1.5));
        let e = parse("title: T\nsearch:\n  enabled: true\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("unknown field `enabled`"), "{}", e.message);
        let e = parse("title: T\nsearch:\n  boost:\n    title: -1\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }

    #[test]
    fn malformed_yaml_is_positioned() {
        let e = parse("title: T\nauthors: [a, b\n").unwrap_err();
        assert!(e.line >= 2, "{e}");
    }

    #[test]
    fn feature_sections_are_parsed_strictly_and_positioned() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Notes {
            folder: String,
        }
        let text = "title: T\nnotes:\n  folder: n\n";
        let e = parse(text).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("unknown field `notes`, expected one of `title`"), "{e}");
        let c = BookConfig::parse_with(text, Path::new("book.yaml"), &["notes"]).unwrap();
        assert_eq!(c.title, "T");
        let notes: Notes = parse_section(text, Path::new("book.yaml"), "notes").unwrap().unwrap();
        assert_eq!(notes.folder, "n");
        let absent: Option<Notes> = parse_section("title: T\n", Path::new("book.yaml"), "notes").unwrap();
        assert!(absent.is_none());
        let e = parse_section::<Notes>("title: T\nnotes:\n  fold: n\n", Path::new("book.yaml"), "notes").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = BookConfig::parse_with("title: T\nnotse: 1\n", Path::new("book.yaml"), &["notes"]).unwrap_err();
        assert!(e.message.ends_with("`edit-url`, `edition`, `notes`"), "{e}");
    }

    #[test]
    fn languages_are_checked_where_they_are_written() {
        let c =
            parse("title: T\nlanguages:\n  - code: en\n    name: English\n  - code: ar\n    name: العربية\n").unwrap();
        assert_eq!(c.default_language().unwrap().code, "en");
        assert_eq!(c.languages[1].direction(), TextDirection::Rtl);
        assert_eq!(c.languages[0].direction(), TextDirection::Ltr);
        let twice = "title: T\nlanguages:\n  - code: en\n    name: English\n  - code: en\n    name: Again\n";
        let e = parse(twice).unwrap_err();
        assert_eq!((e.line, e.column), (3, 5), "{e}");
        assert!(e.message.contains("listed twice"), "{e}");
        let two_defaults =
            "title: T\nlanguages:\n  - code: en\n    name: E\n    default: true\n  - code: fr\n    name: F\n    default: true\n";
        let e = parse(two_defaults).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("only one language may be the `default`"), "{e}");
        let e = parse("title: T\nlanguages:\n  - code: ../x\n    name: X\n").unwrap_err();
        assert!(e.message.contains("BCP-47"), "{e}");
        let e = parse("title: T\nlanguages:\n  - code: fr\n    name: F\n    dir: up\n").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
    }

    #[test]
    fn wrong_type_is_reported() {
        let e = parse("title: T\nauthors: 3\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }
}
