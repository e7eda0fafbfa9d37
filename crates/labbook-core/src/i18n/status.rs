//! `labbook i18n status` (which pages of each translation are translated, stale or missing)
//! and `labbook i18n mark` (record what a translation was translated from).

use std::path::{Path, PathBuf};

use crate::content::Book;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::i18n::{content_hash, Translation};

/// The state of one translation of a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageStatus {
    /// The language's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Pages translated and up to date, relative to the content folder.
    pub translated: Vec<String>,
    /// Of `translated`, those with no `translated-from:` (so never compared).
    pub unmarked: Vec<String>,
    /// Pages whose source changed after they were translated.
    pub stale: Vec<String>,
    /// Pages of the default language with no translation (built as fallbacks).
    pub missing: Vec<String>,
}

/// The status of every translation of a loaded book (the books of [`crate::content::load_books`]);
/// empty for a book in one language.
pub fn status(books: &[Book]) -> Vec<LanguageStatus> {
    let mut out = Vec::new();
    for book in books {
        let Some(language) = book.language.as_ref().filter(|l| !l.is_default()) else {
            continue;
        };
        let mut status = LanguageStatus {
            code: language.current.code.clone(),
            name: language.current.name.clone(),
            translated: Vec::new(),
            unmarked: Vec::new(),
            stale: Vec::new(),
            missing: Vec::new(),
        };
        for page in &book.pages {
            let rel = crate::content::to_slash(&page.rel);
            match language.translation(&page.rel) {
                Translation::Fallback => status.missing.push(rel),
                Translation::Stale => status.stale.push(rel),
                // Only the language's own pages: not those a feature generated.
                Translation::Current if page.display.starts_with(&language.content_dir) => {
                    if page.front.translated_from.is_none() {
                        status.unmarked.push(rel.clone());
                    }
                    status.translated.push(rel);
                }
                Translation::Current => {}
            }
        }
        for list in [&mut status.translated, &mut status.unmarked, &mut status.stale, &mut status.missing] {
            list.sort();
        }
        out.push(status);
    }
    out
}

/// The status as a table per language, with the pages under it.
pub fn format_status(statuses: &[LanguageStatus]) -> String {
    let mut text = String::new();
    if statuses.is_empty() {
        return "The book has no translations (no `languages:` in book.yaml).\n".to_string();
    }
    text.push_str(&format!("{:<10} {:<16} {:>10} {:>6} {:>8}\n", "language", "name", "translated", "stale", "missing"));
    for s in statuses {
        // `{:<16}` counts characters; a Chinese or Japanese one takes two columns.
        let width: usize = s.name.chars().map(|c| if crate::search::tokenize::is_cjk(c) { 2 } else { 1 }).sum();
        let name = format!("{}{}", s.name, " ".repeat(16usize.saturating_sub(width)));
        text.push_str(&format!(
            "{:<10} {} {:>10} {:>6} {:>8}\n",
            s.code,
            name,
            s.translated.len(),
            s.stale.len(),
            s.missing.len()
        ));
    }
    for s in statuses {
        text.push_str(&format!("\n{} ({}):\n", s.code, s.name));
        for (label, list) in [("translated", &s.translated), ("stale", &s.stale), ("missing", &s.missing)] {
            if list.is_empty() {
                continue;
            }
            text.push_str(&format!("  {label}:\n"));
            for page in list {
                let note = if label == "translated" && s.unmarked.contains(page) {
                    "  (no translated-from: run `labbook i18n mark`)"
                } else {
                    ""
                };
                text.push_str(&format!("    {page}{note}\n"));
            }
        }
    }
    text
}

/// Records in each translated page of `files` (paths as given on the command line, relative to
/// the current folder) the hash of the default language's page it translates. Returns each
/// file with the hash written.
pub fn mark(root: &Path, books: &[Book], files: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, Diagnostics> {
    let root_abs = root.canonicalize().map_err(|e| Diagnostic::file(root, format!("cannot read the book: {e}")))?;
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match mark_one(&root_abs, books, file) {
            Ok(hash) => done.push((file.clone(), hash)),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(Diagnostics(errors))
    }
}

fn mark_one(root: &Path, books: &[Book], file: &Path) -> Result<String, Diagnostic> {
    let abs = file.canonicalize().map_err(|e| Diagnostic::file(file, format!("cannot read: {e}")))?;
    let in_root = abs.strip_prefix(root).map_err(|_| Diagnostic::file(file, "is not inside the book"))?;
    let found = books
        .iter()
        .filter_map(|b| b.language.as_ref())
        .filter(|l| !l.is_default())
        .find_map(|l| in_root.strip_prefix(&l.content_dir).ok().map(|rel| (l, rel.to_path_buf())));
    let Some((language, rel)) = found else {
        let folders: Vec<String> = books
            .iter()
            .filter_map(|b| b.language.as_ref())
            .filter(|l| !l.is_default())
            .map(|l| format!("{}/", crate::content::to_slash(&l.content_dir)))
            .collect();
        return Err(Diagnostic::file(
            file,
            if folders.is_empty() {
                "the book has no translations (no `languages:` in book.yaml)".to_string()
            } else {
                format!("is not a translated page: translations live in {}", folders.join(", "))
            },
        ));
    };
    let source = root.join(&language.default_content_dir).join(&rel);
    let source_text = std::fs::read_to_string(&source).map_err(|_| {
        Diagnostic::file(
            file,
            format!(
                "translates nothing: there is no {}",
                crate::content::to_slash(&language.default_content_dir.join(&rel))
            ),
        )
    })?;
    let hash = content_hash(&source_text);
    let text = std::fs::read_to_string(&abs).map_err(|e| Diagnostic::file(file, format!("cannot read: {e}")))?;
    let marked = set_translated_from(&text, &hash);
    // Check that the result still parses before writing it.
    crate::content::split_front_matter(&marked, file)?;
    std::fs::write(&abs, marked).map_err(|e| Diagnostic::file(file, format!("cannot write: {e}")))?;
    Ok(hash)
}

/// `text` with `translated-from: <hash>` in its front matter: the line replaced if there is
/// one, else added at the end of the front matter, which is created if the page has none.
pub fn set_translated_from(text: &str, hash: &str) -> String {
    let bom = if text.starts_with('\u{feff}') { "\u{feff}" } else { "" };
    let body = &text[bom.len()..];
    let newline = if body.starts_with("---\r\n") { "\r\n" } else { "\n" };
    let line = format!("translated-from: {hash}{newline}");
    let Some(rest) = body.strip_prefix("---\n").or_else(|| body.strip_prefix("---\r\n")) else {
        return format!("{bom}---{newline}{line}---{newline}{body}");
    };
    let mut yaml = String::new();
    let mut offset = 0;
    let mut replaced = false;
    for l in rest.split_inclusive('\n') {
        if l.trim_end() == "---" {
            if !replaced {
                yaml.push_str(&line);
            }
            return format!("{bom}---{newline}{yaml}{}", &rest[offset..]);
        }
        if l.starts_with("translated-from:") {
            yaml.push_str(&line);
            replaced = true;
        } else {
            yaml.push_str(l);
        }
        offset += l.len();
    }
    // An unclosed front matter: leave the page as it is (its error says why).
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lines_up_chinese_names() {
        let status = |code: &str, name: &str| LanguageStatus {
            code: code.into(),
            name: name.into(),
            translated: vec!["index.md".into()],
            unmarked: Vec::new(),
            stale: Vec::new(),
            missing: Vec::new(),
        };
        let table = format_status(&[status("fr", "Français"), status("zh-CN", "简体中文")]);
        let ends: Vec<usize> = table
            .lines()
            .take(3)
            .map(|l| l.chars().map(|c| if crate::search::tokenize::is_cjk(c) { 2 } else { 1 }).sum())
            .collect();
        assert!(ends.windows(2).all(|w| w[0] == w[1]), "{table}");
    }

    #[test]
    fn marks_add_replace_or_create_the_front_matter() {
        assert_eq!(set_translated_from("# T\n", "ab"), "---\ntranslated-from: ab\n---\n# T\n");
        assert_eq!(
            set_translated_from("---\ntitle: X\n---\nB\n", "ab"),
            "---\ntitle: X\ntranslated-from: ab\n---\nB\n"
        );
        assert_eq!(
            set_translated_from("---\ntranslated-from: old\ntitle: X\n---\nB\n", "ab"),
            "---\ntranslated-from: ab\ntitle: X\n---\nB\n"
        );
        assert_eq!(
            set_translated_from("---\r\ntitle: X\r\n---\r\nB\r\n", "ab"),
            "---\r\ntitle: X\r\ntranslated-from: ab\r\n---\r\nB\r\n"
        );
        assert_eq!(set_translated_from("---\ntitle: X\n", "ab"), "---\ntitle: X\n");
    }
}
