//! doc-builder's `_toctree.yml` as labbook toc entries.
//!
//! A list of sections, nested to any depth. An entry with `local` (a page path without its
//! extension) is a page, titled `title` in the sidebar, with its `sections` nested under
//! it; an entry with only `title` and `sections` is a part. `isExpanded: false` starts the
//! section folded in the sidebar (the current page's path is always open). The course's
//! `new: true` and `quiz: N` become a "New" and a "Quiz" badge after the title, and
//! `subtitle` a second line under it.
//! `local_fw: { pt: a, tf: a_tf }` (a page written twice, once per framework) lists the
//! other framework's page under the entry, titled "… (TensorFlow)".
//! Any other key is a warning at its first place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use labbook_core::config::{TocEntry, TocPage, TocPart};
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use serde_yaml::Value;

/// Keys doc-builder and the course write.
const KNOWN: &[&str] = &["title", "local", "local_fw", "sections", "isExpanded", "new", "quiz", "subtitle"];

/// Reads `text` (the file `display`); `content_root` is where `local` paths are looked up.
pub fn read(content_root: &Path, display: &Path, text: &str) -> Result<(Vec<TocEntry>, Vec<Diagnostic>), Diagnostics> {
    let value: Value = labbook_core::config::parse_yaml(text, display, 1)?;
    let Value::Sequence(items) = value else {
        return Err(Diagnostic::new(display, 1, 1, "`_toctree.yml` must be a list of sections (`- title: …`)").into());
    };
    let mut listed = std::collections::HashSet::new();
    collect_locals(&items, &mut listed);
    let mut reader = Reader { content_root, display, text, listed, unknown: BTreeMap::new(), errors: Vec::new() };
    let entries = reader.entries(&items);
    if !reader.errors.is_empty() {
        return Err(Diagnostics(reader.errors));
    }
    let warnings = reader
        .unknown
        .into_iter()
        .map(|(key, n)| {
            let (line, column) = locate_key(text, &key);
            let times = if n > 1 { format!(" ({n} entries)") } else { String::new() };
            Diagnostic::new(
                display,
                line,
                column,
                format!("unknown key `{key}` in a toctree entry{times}; labbook reads {}", KNOWN.join(", ")),
            )
        })
        .collect();
    Ok((entries, warnings))
}

/// Every `local` of the toctree, at any depth.
fn collect_locals(items: &[Value], out: &mut std::collections::HashSet<String>) {
    for item in items {
        if let Some(local) = item.get("local") {
            out.insert(yaml_text(local));
        }
        if let Some(Value::Sequence(s)) = item.get("sections") {
            collect_locals(s, out);
        }
    }
}

struct Reader<'a> {
    /// The pages the toctree lists itself (`local_fw` adds no second entry for them).
    listed: std::collections::HashSet<String>,
    content_root: &'a Path,
    display: &'a Path,
    text: &'a str,
    unknown: BTreeMap<String, usize>,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn entries(&mut self, items: &[Value]) -> Vec<TocEntry> {
        items.iter().filter_map(|item| self.entry(item)).collect()
    }

    fn entry(&mut self, item: &Value) -> Option<TocEntry> {
        let Value::Mapping(map) = item else {
            let (line, column) = labbook_core::config::locate(self.text, &yaml_text(item));
            self.errors.push(Diagnostic::new(
                self.display,
                line,
                column,
                "a toctree entry must be a map with `title` and `local` or `sections`",
            ));
            return None;
        };
        for key in map.keys() {
            let key = yaml_text(key);
            if !KNOWN.contains(&key.as_str()) {
                *self.unknown.entry(key).or_default() += 1;
            }
        }
        let get = |k: &str| map.get(Value::String(k.into()));
        let title = get("title").map(yaml_text);
        let sections = match get("sections") {
            Some(Value::Sequence(s)) => self.entries(s),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                let (line, column) = locate_key(self.text, "sections");
                self.errors.push(Diagnostic::new(self.display, line, column, "`sections` must be a list"));
                Vec::new()
            }
        };
        let mut sections = sections;
        let folded = matches!(get("isExpanded"), Some(Value::Bool(false)));
        let truthy = |v: Option<&Value>| match v {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(Value::String(s)) => !s.is_empty() && s != "false",
            Some(_) => true,
        };
        let badge = if truthy(get("quiz")) {
            Some("Quiz".to_string())
        } else if truthy(get("new")) {
            Some("New".to_string())
        } else {
            None
        };
        let subtitle = get("subtitle").map(yaml_text).filter(|s| !s.trim().is_empty());
        if let (Some(Value::Mapping(fw)), Some(local)) = (get("local_fw"), get("local").map(yaml_text)) {
            for (key, name) in [("pt", "PyTorch"), ("tf", "TensorFlow")] {
                let Some(other) = fw.get(Value::String(key.into())).map(yaml_text) else { continue };
                if other != local && !self.listed.contains(&other) {
                    let title = title.as_ref().map(|t| format!("{t} ({name})"));
                    sections.insert(0, TocEntry::Page(TocPage { title, ..TocPage::file(self.page_file(&other)) }));
                }
            }
        }
        match get("local").map(yaml_text) {
            Some(local) => {
                Some(TocEntry::Page(TocPage { file: self.page_file(&local), title, sections, folded, badge, subtitle }))
            }
            None => match title {
                Some(part) => Some(TocEntry::Part(TocPart { part, chapters: sections, folded, badge, subtitle })),
                None => {
                    let (line, column) = locate_key(self.text, "sections");
                    self.errors.push(Diagnostic::new(
                        self.display,
                        line,
                        column,
                        "a toctree entry needs `local` (a page) or `title` and `sections` (a section)",
                    ));
                    None
                }
            },
        }
    }

    /// The page file `local` names: `local.mdx`, else `local.md`, else as written (the
    /// core's toc check then reports it at its place).
    ///
    /// In a folder of languages (`chapters/fr` beside `chapters/en`), a page the translation
    /// lacks is looked up in the default language's folder too: the core builds it there as
    /// a fallback.
    fn page_file(&self, local: &str) -> PathBuf {
        let mut folders = vec![self.content_root.to_path_buf()];
        if let Some(parent) = self.content_root.parent().filter(|_| self.content_root.join(crate::TOCTREE).is_file()) {
            folders.extend(crate::language_folders(parent).iter().take(1).map(|code| parent.join(code)));
        }
        for folder in &folders {
            for ext in ["mdx", "md"] {
                let candidate = format!("{local}.{ext}");
                if folder.join(&candidate).is_file() {
                    return PathBuf::from(candidate);
                }
            }
        }
        PathBuf::from(local)
    }
}

fn yaml_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// The first line where `key:` is written as a key: its 1-based line and column.
fn locate_key(text: &str, key: &str) -> (usize, usize) {
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let t2 = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
        if let Some(after) = t2.strip_prefix(key) {
            if after.trim_start().starts_with(':') {
                let col = line.len() - t2.len() + 1;
                return (n + 1, col);
            }
        }
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_pages_and_unknown_keys() {
        let text = "- title: 1. Intro\n  new: true\n  sections:\n  - local: a\n    title: A\n    quiz: 1\n  - title: Deeper\n    isExpanded: false\n    sections:\n    - local: b\n      title: B\n      colour: red\n";
        let (entries, warnings) = read(Path::new("/nonexistent"), Path::new("_toctree.yml"), text).unwrap();
        let TocEntry::Part(part) = &entries[0] else { panic!("a part") };
        assert_eq!(part.part, "1. Intro");
        assert!(matches!(&part.chapters[0], TocEntry::Page(p) if p.file == Path::new("a")));
        assert!(matches!(&part.chapters[1], TocEntry::Part(p) if p.chapters.len() == 1 && p.folded));
        assert!(!part.folded, "sections start open unless `isExpanded: false`");
        assert_eq!(part.badge.as_deref(), Some("New"));
        assert!(matches!(&part.chapters[0], TocEntry::Page(p) if p.badge.as_deref() == Some("Quiz")));
        assert_eq!(warnings.len(), 1);
        assert_eq!((warnings[0].line, warnings[0].column), (12, 7), "{}", warnings[0]);
        assert!(warnings[0].message.contains("`colour`"));
    }

    #[test]
    fn local_fw_adds_only_pages_not_listed() {
        let text = "- title: S\n  sections:\n  - local: a_tf\n    title: A (TF)\n  - local: a\n    title: A\n    local_fw: { pt: a, tf: a_tf }\n  - local: b\n    title: B\n    local_fw: { pt: b, tf: b_tf }\n";
        let (entries, _) = read(Path::new("/nonexistent"), Path::new("_toctree.yml"), text).unwrap();
        let TocEntry::Part(part) = &entries[0] else { panic!("a part") };
        assert!(matches!(&part.chapters[1], TocEntry::Page(p) if p.sections.is_empty()), "a_tf is listed already");
        assert!(matches!(&part.chapters[2], TocEntry::Page(p) if p.sections.len() == 1), "b_tf is added under b");
    }

    #[test]
    fn entries_need_a_page_or_sections() {
        let e = read(Path::new("/x"), Path::new("_toctree.yml"), "- sections: []\n").unwrap_err();
        assert!(e.0[0].message.contains("needs `local`"), "{}", e.0[0]);
        let e = read(Path::new("/x"), Path::new("_toctree.yml"), "- title: [unclosed\n").unwrap_err();
        assert!(e.0[0].line >= 1);
    }
}
