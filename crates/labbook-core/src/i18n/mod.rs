//! Books in several languages (`languages:` in `book.yaml`).
//!
//! A translated book is built once per language, each language as a whole site of its own
//! under `site/<code>/` (see [`crate::pipeline::build`]): its pages come from `content/<code>/`
//! (the default language may also stay at `content/` itself), every page of the default
//! language missing from a translation is built from the default's source into the
//! translation's tree (a *fallback*, with a banner), and a translation whose `translated-from:`
//! hash no longer matches its source is *stale* (a banner too). The loaded [`crate::content::Book`]
//! of one language carries a [`BookLanguage`]; features read it from their contexts
//! (`LoadContext::language`, `book.language`), so the core never names them.
//!
//! [`strings`] holds the theme's words in every shipped language and a book's resolved
//! [`strings::Words`]; [`numbers`] writes numbers the reader's way; [`status`] is
//! `labbook i18n status` and `labbook i18n mark`.

pub mod numbers;
pub mod status;
pub mod strings;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{BookConfig, TextDirection};

/// One language of a translated book, as pages and the theme see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LanguageInfo {
    /// The BCP-47 tag, also the folder name (`zh-CN`).
    pub code: String,
    /// The language's own name (`中文`).
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: TextDirection,
}

/// What a page is, in a translated book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// A translation that is up to date (or was never marked: nothing to compare with).
    Current,
    /// A translation whose source changed after `labbook i18n mark` recorded it.
    Stale,
    /// No translation: the default language's page, built into this language's tree.
    Fallback,
}

/// The language of one loaded book of a translated book.
#[derive(Debug, Clone)]
pub struct BookLanguage {
    /// This book's language.
    pub current: LanguageInfo,
    /// The default language (pages fall back to it).
    pub default: LanguageInfo,
    /// Every language of the book, in `book.yaml` order.
    pub all: Vec<LanguageInfo>,
    /// This language's content folder, relative to the book root (`content/fr`).
    pub content_dir: PathBuf,
    /// The default language's content folder, relative to the book root (`content/en`, or
    /// `content` when the default language lives there directly).
    pub default_content_dir: PathBuf,
    /// Folders of the default language's content folder that are other languages' (when the
    /// default lives in the content folder itself); discovery skips them.
    pub skip_in_default: Vec<PathBuf>,
    /// Pages that are not originals of this language, by their path relative to the content
    /// folder: fallbacks and stale translations (an original or current translation is absent).
    pub pages: HashMap<PathBuf, Translation>,
    /// Files of the default language's content folder this language lacks (images), by
    /// their path relative to the content folder: copied from the default's folder.
    pub fallback_assets: HashSet<PathBuf>,
    /// For every other language, the output paths (relative to its own root) it has: the
    /// switcher links the same page when it exists there, else that language's index.
    pub outputs: BTreeMap<String, HashSet<String>>,
}

impl BookLanguage {
    /// Whether this book is the default language's.
    pub fn is_default(&self) -> bool {
        self.current.code == self.default.code
    }

    /// The state of the page at `rel` (relative to the content folder).
    pub fn translation(&self, rel: &Path) -> Translation {
        self.pages.get(rel).cloned().unwrap_or(Translation::Current)
    }
}

/// The languages of `config`, in order, with the default's index.
pub fn languages(config: &BookConfig) -> Vec<LanguageInfo> {
    config
        .languages
        .iter()
        .map(|l| LanguageInfo { code: l.code.clone(), name: l.name.clone(), dir: l.direction() })
        .collect()
}

/// The content folder of language `code`, relative to the book root: `content/<code>`, or for
/// the default language `content` itself when `content/<code>` does not exist (so that a
/// book gains its first translation without moving every page).
pub fn content_dir(root: &Path, config: &BookConfig, code: &str) -> PathBuf {
    let own = config.content_dir.join(code);
    let is_default = config.default_language().is_some_and(|d| d.code == code);
    if is_default && !root.join(&own).is_dir() {
        config.content_dir.clone()
    } else {
        own
    }
}

/// Folders of the content folder that belong to other languages, when the default language
/// lives in the content folder itself (`content/fr` beside `content/ml`); else none.
pub fn other_language_dirs(root: &Path, config: &BookConfig) -> Vec<PathBuf> {
    match config.default_language() {
        Some(default) if content_dir(root, config, &default.code) == config.content_dir => {
            config.languages.iter().map(|l| PathBuf::from(&l.code)).collect()
        }
        _ => Vec::new(),
    }
}

/// Translation folders and the default language's folder each falls back to (absolute,
/// without `.` components), recorded when a translation is loaded: a fact about the book on
/// disk that the readers of included files (the Markdown stage, the notebooks feature) share
/// through [`read_include`].
static INCLUDE_FALLBACKS: std::sync::RwLock<Vec<(PathBuf, PathBuf)>> = std::sync::RwLock::new(Vec::new());

/// `path` without `.` components and, when it exists, absolute.
fn plain(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.components().filter(|c| *c != std::path::Component::CurDir).collect()
}

/// Records that files missing from the translation folder `own` are read from `default`.
pub fn record_include_fallback(own: &Path, default: &Path) {
    let pair = (plain(own), plain(default));
    let mut table = INCLUDE_FALLBACKS.write().unwrap_or_else(|e| e.into_inner());
    if !table.contains(&pair) {
        table.push(pair);
    }
}

/// Reads a file a page includes (`{{#include}}`): in a translation, the default language's
/// copy when the translation has none, so a translator copies a page and not its listings.
pub fn read_include(path: &Path) -> std::io::Result<String> {
    match std::fs::read_to_string(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let wanted = plain(path);
            let table = INCLUDE_FALLBACKS.read().unwrap_or_else(|e| e.into_inner());
            let other =
                table.iter().find_map(|(own, default)| wanted.strip_prefix(own).ok().map(|rel| default.join(rel)));
            drop(table);
            match other {
                Some(other) => std::fs::read_to_string(other),
                None => Err(e),
            }
        }
        other => other,
    }
}

/// The hash `translated-from:` records: of the source file's text, line endings normalised,
/// so a checkout on Windows does not make every translation stale.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let text = text.replace("\r\n", "\n");
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The root page of a translated site: sends the reader to the language the browser prefers
/// (or the one they chose before), with the list of languages for readers without JavaScript.
pub fn chooser_page(title: &str, languages: &[LanguageInfo], default: &str) -> String {
    let esc = crate::escape::escape_html;
    let mut links = String::new();
    for l in languages {
        links.push_str(&format!(
            "<li><a href=\"{code}/index.html\" hreflang=\"{code}\" lang=\"{code}\" dir=\"{dir}\">{name}</a></li>\n",
            code = esc(&l.code),
            dir = l.dir.as_str(),
            name = esc(&l.name)
        ));
    }
    let codes = serde_json::to_string(&languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>())
        .expect("strings serialize");
    let default = serde_json::to_string(default).expect("a string serializes");
    format!(
        r#"<!DOCTYPE html>
<html lang="{default_attr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script>
(function () {{
  var codes = {codes}, fallback = {default}, pick = null, saved = null;
  try {{ saved = localStorage.getItem("labbook-language"); }} catch (e) {{}}
  function match(tag) {{
    if (!tag) return null;
    tag = tag.toLowerCase();
    for (var i = 0; i < codes.length; i++) if (codes[i].toLowerCase() === tag) return codes[i];
    var primary = tag.split("-")[0];
    for (var j = 0; j < codes.length; j++) if (codes[j].toLowerCase().split("-")[0] === primary) return codes[j];
    return null;
  }}
  pick = match(saved);
  var wanted = navigator.languages || [navigator.language];
  for (var k = 0; !pick && k < wanted.length; k++) pick = match(wanted[k]);
  location.replace((pick || fallback) + "/index.html" + location.hash);
}})();
</script>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}}a{{color:inherit}}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<ul>
{links}</ul>
</main>
</body>
</html>
"#,
        default_attr = esc(default.trim_matches('"')),
        title = esc(title),
    )
}

/// `sitemap.xml` at the root of a translated site: the index of each language's sitemap.
pub fn sitemap_index(base: &str, languages: &[LanguageInfo]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for l in languages {
        xml.push_str(&format!(
            "  <sitemap><loc>{}{}/sitemap.xml</loc></sitemap>\n",
            crate::escape::escape_html(base),
            crate::escape::escape_html(&l.code)
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_line_endings() {
        assert_eq!(content_hash("a\r\nb\n"), content_hash("a\nb\n"));
        assert_ne!(content_hash("a\nb\n"), content_hash("a\nc\n"));
        assert_eq!(content_hash("x").len(), 16);
    }

    #[test]
    fn the_chooser_lists_every_language() {
        let langs = vec![
            LanguageInfo { code: "en".into(), name: "English".into(), dir: TextDirection::Ltr },
            LanguageInfo { code: "ar".into(), name: "العربية".into(), dir: TextDirection::Rtl },
        ];
        let html = chooser_page("T <b>", &langs, "en");
        assert!(html.contains("<a href=\"ar/index.html\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</a>"));
        assert!(html.contains("<title>T &lt;b&gt;</title>"));
        assert!(html.contains("var codes = [\"en\",\"ar\"], fallback = \"en\""));
    }
}
