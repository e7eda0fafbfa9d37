//! mdBook's `book.toml`, mapped onto [`BookConfig`], so a folder mdBook builds is a book
//! labbook builds too.
//!
//! | `book.toml`                               | labbook                                   |
//! | ----------------------------------------- | ----------------------------------------- |
//! | `[book]` title, authors, language, description | the same keys                        |
//! | `[book]` src (default `src`)              | `content-dir`, with `toc: src/SUMMARY.md` |
//! | `[output.html]` additional-css / -js      | `extra-css` / `extra-js`                  |
//! | `git-repository-url`                      | a link in the header                      |
//! | `edit-url-template`                       | `edit-url`                                |
//! | `site-url`                                | `base-url`                                |
//! | `mathjax-support`                         | `$…$` math on (off otherwise)             |
//! | `smart-punctuation`, `definition-lists`   | the same Markdown extensions (both on by default, as in mdBook 0.5) |
//! | `no-section-label`                        | no section numbers in the sidebar         |
//! | `cname`                                   | a `CNAME` file                            |
//! | `[output.html.redirect]`                  | `redirects`                               |
//! | `[output.html.print]` enable, page-break  | `print.html` and its button; a page break before each chapter |
//! | `[output.html.fold]` enable, level        | the sidebar's folds (off by default: every section open) |
//! | `[output.html.search]` enable             | `search.enable`                           |
//! | `[output.html.search.chapter]` `enable = false` | `search.exclude`                    |
//!
//! Keys whose value is what labbook always does (`hash-files = true`,
//! `sidebar-header-nav = true`, `admonitions = true`, `search.use-boolean-and = true`) are
//! accepted. Broken internal links are warnings (`links: warn`), since mdBook does not
//! check them. Every other section (`[preprocessor.*]`, `[rust]`, other renderers) and every
//! other `[output.html]` key, nested ones included (`[output.html.playground]`, `code.hidelines`,
//! `search.limit-results`), gets one warning naming it, at its line; the build goes on.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::BookConfig;
use crate::diagnostic::Diagnostic;

/// `[output.html]` keys labbook maps (tables whose keys are checked one by one are
/// handled apart: `print`, `fold`, `search`).
const HTML_KEYS: &[&str] = &[
    "additional-css",
    "additional-js",
    "git-repository-url",
    "edit-url-template",
    "site-url",
    "mathjax-support",
    "smart-punctuation",
    "definition-lists",
    "no-section-label",
    "cname",
    "redirect",
];

/// `[output.html]` keys whose only value labbook honours is the one given: what labbook
/// always does. Another value gets a warning.
const FIXED_KEYS: &[(&str, bool, &str)] = &[
    ("hash-files", true, "labbook always hashes asset names"),
    ("sidebar-header-nav", true, "labbook always shows the page's headings beside it"),
    ("admonitions", true, "labbook always renders `> [!NOTE]` admonitions"),
];

/// Where a key of `book.toml` is written: `key = …` under `[table]`, or a header
/// `[table.key]` (or one below it), or `…key = …` in the parent table (an inline table), or
/// else the table's header.
fn locate_path(text: &str, table: &str, key: &str) -> (usize, usize) {
    let nowhere = (0, 0);
    let mut found = locate_key(text, table, key);
    if found == nowhere {
        found = locate_header(text, &format!("{table}.{key}"));
    }
    if found == nowhere {
        if let Some((parent, last)) = table.rsplit_once('.') {
            found = locate_key(text, parent, last);
        }
    }
    if found == nowhere {
        found = locate_header(text, table);
    }
    found
}

/// Parses `book.toml` text (`display` names it in messages): the configuration and the
/// warnings for what labbook does not use.
pub fn parse_book_toml(
    text: &str,
    display: &Path,
    folder_name: &str,
) -> Result<(BookConfig, Vec<Diagnostic>), Diagnostic> {
    let root: Map<String, Value> = basic_toml::from_str(text).map_err(|e| toml_error(text, display, &e))?;
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Diagnostic>, header: &str, message: String| {
        let (line, column) = locate_header(text, header);
        warnings.push(Diagnostic::new(display, line, column, message));
    };
    let empty = Map::new();
    let table = |value: Option<&Value>| value.and_then(Value::as_object).cloned().unwrap_or_default();
    let book = table(root.get("book"));
    for (key, value) in &root {
        match key.as_str() {
            "book" => {}
            "output" => {
                for (renderer, _) in value.as_object().unwrap_or(&empty) {
                    if renderer != "html" {
                        warn(
                            &mut warnings,
                            &format!("output.{renderer}"),
                            format!("`[output.{renderer}]` is another renderer; labbook ignores it"),
                        );
                    }
                }
            }
            "preprocessor" => {
                for (name, _) in value.as_object().unwrap_or(&empty) {
                    warn(
                        &mut warnings,
                        &format!("preprocessor.{name}"),
                        format!("`[preprocessor.{name}]` is not run by labbook; its output is missing from the pages"),
                    );
                }
            }
            other => warn(&mut warnings, other, format!("`[{other}]` is not used by labbook")),
        }
    }
    let html = table(root.get("output").and_then(|o| o.get("html")));
    let mut ignored = |table: &str, key: &str, why: Option<&str>| {
        let (line, column) = locate_path(text, table, key);
        let message = match why {
            Some(why) => format!("`{table}.{key}` is ignored: {why}"),
            None => format!("`{table}.{key}` is not used by labbook"),
        };
        warnings.push(Diagnostic::new(display, line, column, message));
    };
    for (key, value) in &html {
        let key = key.as_str();
        if HTML_KEYS.contains(&key) {
            continue;
        }
        if let Some(&(_, honoured, why)) = FIXED_KEYS.iter().find(|(k, ..)| *k == key) {
            if value.as_bool() != Some(honoured) {
                ignored("output.html", key, Some(why));
            }
            continue;
        }
        let known: &[&str] = match key {
            "print" => &["enable", "page-break"],
            "fold" => &["enable", "level"],
            "search" => &["enable", "chapter", "use-boolean-and"],
            _ => {
                ignored("output.html", key, None);
                continue;
            }
        };
        let Some(sub) = value.as_object() else {
            ignored("output.html", key, Some("expected a table"));
            continue;
        };
        for (name, value) in sub {
            let inner = format!("output.html.{key}");
            if !known.contains(&name.as_str()) {
                ignored(&inner, name, None);
            } else if key == "search" && name == "use-boolean-and" && value.as_bool() != Some(true) {
                ignored(&inner, name, Some("labbook's search always ranks pages holding every word first"));
            }
        }
    }

    let string = |map: &Map<String, Value>, key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let strings = |map: &Map<String, Value>, key: &str| -> Vec<String> {
        map.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let src = string(&book, "src").unwrap_or_else(|| "src".to_string());
    let src = src.trim_end_matches('/').to_string();
    let title = string(&book, "title").filter(|t| !t.trim().is_empty()).unwrap_or_else(|| folder_name.to_string());
    let mut redirects = Map::new();
    for (from, to) in table(html.get("redirect")) {
        let Some(to) = to.as_str() else { continue };
        let from = from.trim_start_matches('/').to_string();
        // mdBook's targets are relative to the old page, or absolute within the site.
        let target = if to.starts_with('/') || crate::markdown::is_external(to) {
            to.trim_start_matches('/').to_string()
        } else {
            let base = Path::new(&from).parent().unwrap_or(Path::new(""));
            match crate::content::join_normalized(base, to) {
                Some(p) => crate::content::to_slash(&p),
                None => to.to_string(),
            }
        };
        redirects.insert(from, Value::String(target));
    }
    let search = table(html.get("search"));
    let search_enable = search.get("enable").and_then(Value::as_bool).unwrap_or(true);
    // mdBook names chapters or folders of `src`; a folder covers everything under it.
    let search_exclude: Vec<String> = table(search.get("chapter"))
        .iter()
        .filter(|(_, v)| v.get("enable").and_then(Value::as_bool) == Some(false))
        .map(|(path, _)| {
            let path = path.trim_matches('/');
            if path.ends_with(".md") {
                path.to_string()
            } else {
                format!("{path}/**")
            }
        })
        .collect();
    let flag =
        |map: &Map<String, Value>, key: &str, default: bool| map.get(key).and_then(Value::as_bool).unwrap_or(default);
    let print = table(html.get("print"));
    let fold = table(html.get("fold"));
    let mut yaml_like = json!({
        "title": title,
        "description": string(&book, "description").unwrap_or_default(),
        "authors": strings(&book, "authors"),
        "language": string(&book, "language").unwrap_or_else(|| "en".to_string()),
        "content-dir": src,
        "toc": format!("{src}/SUMMARY.md"),
        "search": { "enable": search_enable, "exclude": search_exclude },
        "links": "warn",
        "redirects": redirects,
        "extra-css": strings(&html, "additional-css"),
        "extra-js": strings(&html, "additional-js"),
    });
    if let Some(url) = string(&html, "site-url") {
        yaml_like["base-url"] = Value::String(url);
    }
    if let Some(url) = string(&html, "edit-url-template") {
        yaml_like["edit-url"] = Value::String(url);
    }
    let mut config: BookConfig = serde_json::from_value(yaml_like)
        .map_err(|e| Diagnostic::file(display, format!("cannot map book.toml: {e}")))?;
    config.math = html.get("mathjax-support").and_then(Value::as_bool).unwrap_or(false);
    config.repository_url = string(&html, "git-repository-url");
    config.print =
        super::PrintOptions { enable: flag(&print, "enable", true), page_break: flag(&print, "page-break", true) };
    config.fold = super::FoldOptions {
        enable: flag(&fold, "enable", false),
        level: fold.get("level").and_then(Value::as_u64).map_or(0, |l| l.min(u32::MAX as u64) as u32),
    };
    config.smart_punctuation = flag(&html, "smart-punctuation", true);
    config.definition_lists = flag(&html, "definition-lists", true);
    config.section_numbers = !flag(&html, "no-section-label", false);
    config.cname = string(&html, "cname").filter(|c| !c.trim().is_empty());
    config.title_heading = false;
    config.unlisted_pages = false;
    config.validate(text, display)?;
    warnings.sort_by_key(|w| (w.line, w.column));
    Ok((config, warnings))
}

/// A TOML syntax error at its line and column when the parser names them.
fn toml_error(text: &str, display: &Path, e: &basic_toml::Error) -> Diagnostic {
    let message = e.to_string();
    // basic-toml ends its messages with "at line L column C".
    if let Some(at) = message.rfind(" at line ") {
        let mut words = message[at + 9..].split_whitespace();
        let line: Option<usize> = words.next().and_then(|l| l.parse().ok());
        let column: Option<usize> = words.nth(1).and_then(|c| c.parse().ok());
        if let (Some(line), Some(column)) = (line, column) {
            // Its column counts bytes; ours count characters (found by the property tests,
            // on a line of Chinese).
            let start: usize = text.split_inclusive('\n').take(line.max(1) - 1).map(str::len).sum();
            let here = text[start..].split('\n').next().unwrap_or_default();
            let offset = start + column.saturating_sub(1).min(here.len());
            return Diagnostic::at_offset(display, text, offset, 1, message[..at].to_string());
        }
    }
    Diagnostic::file(display, message)
}

/// The line and column of the table header `[name]` (or of the first header inside it).
fn locate_header(text: &str, name: &str) -> (usize, usize) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let header = header.split(']').next().unwrap_or_default().trim();
            if header == name || header.starts_with(&format!("{name}.")) {
                let column = line.len() - trimmed.len();
                return crate::diagnostic::line_column(text, offset + column);
            }
        }
        offset += line.len();
    }
    (0, 0)
}

/// The line and column of `key = …` inside the table `[table]`.
fn locate_key(text: &str, table: &str, key: &str) -> (usize, usize) {
    let mut offset = 0;
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            inside = header.split(']').next().unwrap_or_default().trim() == table;
        } else if inside && trimmed.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            return crate::diagnostic::line_column(text, offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the property tests: basic-toml counts columns in bytes.
    #[test]
    fn a_syntax_error_after_chinese_text_has_its_column_in_characters() {
        let text = "[book]\nauthors = [\n    \"来自 Rust 社区\"<<,\n]\n";
        let e = parse_book_toml(text, Path::new("book.toml"), "book").unwrap_err();
        assert_eq!((e.line, e.column), (3, 17), "{e}");
        assert!(e.points_into(Path::new("book.toml"), text));
    }

    const TOML: &str = r#"[book]
title = "The Book"
authors = ["A", "B"]
language = "zh-CN"
src = "src"

[rust]
edition = "2021"

[output.html]
additional-css = ["ferris.css"]
git-repository-url = "https://github.com/o/book"
site-url = "/book/"
mathjax-support = true
default-theme = "light"

[output.html.redirect]
"/old/page.html" = "../new.html"

[preprocessor.trpl-note]
command = "x"
"#;

    #[test]
    fn maps_the_book_and_warns_once_per_unused_section() {
        let (config, warnings) = parse_book_toml(TOML, Path::new("book.toml"), "book").unwrap();
        assert_eq!(config.title, "The Book");
        assert_eq!(config.authors, ["A", "B"]);
        assert_eq!(config.language, "zh-CN");
        assert_eq!(config.content_dir, Path::new("src"));
        assert!(matches!(&config.toc, Some(super::super::TocSpec::Summary(p)) if p == Path::new("src/SUMMARY.md")));
        assert_eq!(config.links, super::super::LinkPolicy::Warn);
        assert!(config.math);
        assert_eq!(config.base_url.as_deref(), Some("/book/"));
        assert_eq!(config.extra_css, [Path::new("ferris.css")]);
        assert_eq!(config.repository_url.as_deref(), Some("https://github.com/o/book"));
        assert_eq!(config.redirects["old/page.html"], "new.html");
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            [
                "book.toml:7:1: `[rust]` is not used by labbook",
                "book.toml:15:1: `output.html.default-theme` is not used by labbook",
                "book.toml:20:1: `[preprocessor.trpl-note]` is not run by labbook; its output is missing from the pages",
            ]
        );
    }

    #[test]
    fn print_fold_markdown_and_search_keys() {
        let text = r#"[output.html]
smart-punctuation = false
definition-lists = false
no-section-label = true
cname = "book.example.org"
hash-files = true
admonitions = false
playground = { runnable = false }

[output.html.print]
enable = false
page-break = false

[output.html.fold]
enable = true
level = 2

[output.html.search]
use-boolean-and = true
boost-title = 3

[output.html.search.chapter]
"appendix" = { enable = false }
"intro.md" = { enable = false }
"keep.md" = { enable = true }

[output.html.code.hidelines]
python = "~"
"#;
        let (config, warnings) = parse_book_toml(text, Path::new("book.toml"), "b").unwrap();
        assert_eq!(config.print, super::super::PrintOptions { enable: false, page_break: false });
        assert_eq!(config.fold, super::super::FoldOptions { enable: true, level: 2 });
        assert!(!config.smart_punctuation && !config.definition_lists && !config.section_numbers);
        assert_eq!(config.cname.as_deref(), Some("book.example.org"));
        assert_eq!(config.search.exclude, ["appendix/**", "intro.md"]);
        let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            shown,
            [
                "book.toml:7:1: `output.html.admonitions` is ignored: labbook always renders `> [!NOTE]` admonitions",
                "book.toml:8:1: `output.html.playground` is not used by labbook",
                "book.toml:20:1: `output.html.search.boost-title` is not used by labbook",
                "book.toml:27:1: `output.html.code` is not used by labbook",
            ]
        );

        // mdBook's defaults: print on with page breaks, folding off, both Markdown extensions.
        let (config, warnings) = parse_book_toml("[book]\n", Path::new("book.toml"), "b").unwrap();
        assert_eq!(config.print, super::super::PrintOptions { enable: true, page_break: true });
        assert!(!config.fold.enable);
        assert!(config.smart_punctuation && config.definition_lists && config.section_numbers);
        assert!(config.cname.is_none() && warnings.is_empty());
    }

    #[test]
    fn defaults_and_syntax_errors() {
        let (config, warnings) = parse_book_toml("", Path::new("book.toml"), "my-book").unwrap();
        assert_eq!(config.title, "my-book");
        assert_eq!(config.content_dir, Path::new("src"));
        assert!(!config.math);
        assert!(warnings.is_empty());
        let e = parse_book_toml("[book]\ntitle = \n", Path::new("book.toml"), "b").unwrap_err();
        assert_eq!((e.line, e.column > 0), (2, true), "{e}");
    }
}
