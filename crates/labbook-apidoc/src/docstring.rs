//! Docstrings to structured sections: Google style (`Args:` with indented entries), NumPy
//! style (a title underlined with dashes), reST directives (`.. versionadded:: 1.2`,
//! `.. note::`) and Google-style version lines (`Added in version 1.2.`).
//!
//! Free text stays Markdown for the Markdown stage, with two rewrites: `>>>` sessions become
//! fenced `pycon` blocks so they are highlighted, and Sphinx roles (``:func:`name` ``)
//! become soft cross-links, linked when the name is documented and plain code otherwise.
//! A docstring that does not follow its style is a warning, never an error: the text is
//! still shown.

use std::path::Path;

use labbook_core::diagnostic::Diagnostic;

/// A parsed docstring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The first paragraph, Markdown (for summary tables).
    pub summary: String,
    /// The sections in order.
    pub blocks: Vec<Block>,
}

/// One section of a docstring, with the file line where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// 1-based line in the source file of the block's first line of text.
    pub line: usize,
    /// What it holds.
    pub kind: BlockKind,
}

/// The kinds of docstring sections.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// Free Markdown text.
    Text(String),
    /// A list of named entries (parameters, return values, exceptions, ...).
    Items {
        /// Which list.
        section: ItemSection,
        /// The entries.
        items: Vec<Item>,
    },
    /// A note, warning or tip, shown like the Markdown `> [!NOTE]` admonitions.
    Admonition {
        /// The admonition class (`note`, `warning`, `tip`, `important`, `caution`).
        class: &'static str,
        /// The title shown.
        title: String,
        /// Markdown body.
        text: String,
    },
    /// `Added in version 1.2`, `Changed in version`, `Deprecated since version`.
    Version {
        /// Which change.
        change: VersionChange,
        /// The version named.
        version: String,
        /// Markdown explanation (may be empty).
        text: String,
    },
    /// A titled block of free text (`Examples`, `References`, ...).
    Titled {
        /// The section title.
        title: String,
        /// Markdown body.
        text: String,
    },
}

/// The lists of named entries a docstring may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemSection {
    /// `Args:` / `Parameters`.
    Params,
    /// `Keyword Args:` / `Other Parameters`.
    OtherParams,
    /// `Attributes:`.
    Attributes,
    /// `Returns:`.
    Returns,
    /// `Yields:`.
    Yields,
    /// `Raises:`.
    Raises,
    /// `Warns`.
    Warns,
    /// `See Also`.
    SeeAlso,
    /// `Methods`.
    Methods,
}

impl ItemSection {
    /// The heading shown above the list.
    pub fn title(self) -> &'static str {
        match self {
            ItemSection::Params => "Parameters",
            ItemSection::OtherParams => "Other parameters",
            ItemSection::Attributes => "Attributes",
            ItemSection::Returns => "Returns",
            ItemSection::Yields => "Yields",
            ItemSection::Raises => "Raises",
            ItemSection::Warns => "Warns",
            ItemSection::SeeAlso => "See also",
            ItemSection::Methods => "Methods",
        }
    }
}

/// A version note's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChange {
    /// `.. versionadded::`.
    Added,
    /// `.. versionchanged::`.
    Changed,
    /// `.. deprecated::`.
    Deprecated,
}

impl VersionChange {
    /// The sentence start shown.
    pub fn phrase(self) -> &'static str {
        match self {
            VersionChange::Added => "Added in version",
            VersionChange::Changed => "Changed in version",
            VersionChange::Deprecated => "Deprecated since version",
        }
    }
}

/// One named entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The parameter, attribute or exception name; empty for an unnamed return value.
    pub name: String,
    /// The type written in the docstring.
    pub ty: Option<String>,
    /// Markdown description.
    pub text: String,
    /// 1-based file line of the entry.
    pub line: usize,
}

/// A docstring literal cleaned as `inspect.cleandoc` does: the text, the file line of its
/// first line, and the indentation removed from the lines after the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The dedented text without leading or trailing blank lines.
    pub text: String,
    /// 1-based file line of `text`'s first line.
    pub line: usize,
    /// Columns removed from each line after the first.
    pub indent: usize,
}

/// Cleans a docstring's value whose first character is on file line `line`.
pub fn clean(raw: &str, line: usize) -> Cleaned {
    let raw = raw.replace('\t', "        ");
    let lines: Vec<&str> = raw.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    out.push(lines[0].trim());
    for l in &lines[1..] {
        out.push(if l.len() >= indent { l[indent..].trim_end() } else { l.trim() });
    }
    let leading = out.iter().take_while(|l| l.is_empty()).count();
    let trailing = out.iter().rev().take_while(|l| l.is_empty()).count();
    let text = if leading == out.len() { String::new() } else { out[leading..out.len() - trailing].join("\n") };
    Cleaned { text, line: line + leading, indent }
}

/// Parses a cleaned docstring; `display` names the file in warnings.
pub fn parse(doc: &Cleaned, display: &Path) -> (Doc, Vec<Diagnostic>) {
    let mut parser = Parser { lines: doc.text.lines().collect(), first: doc.line, display, warnings: Vec::new() };
    let blocks = parser.blocks();
    let summary = blocks
        .iter()
        .find_map(|b| match &b.kind {
            BlockKind::Text(t) => Some(t.split("\n\n").next().unwrap_or_default().trim().to_string()),
            _ => None,
        })
        .filter(|s| !s.starts_with("```"))
        .unwrap_or_default();
    (Doc { summary, blocks }, parser.warnings)
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    first: usize,
    display: &'a Path,
    warnings: Vec<Diagnostic>,
}

/// What a section title means.
enum SectionKind {
    Items(ItemSection),
    Admonition(&'static str, &'static str),
    Titled(&'static str),
}

fn section_kind(title: &str) -> Option<SectionKind> {
    use ItemSection::*;
    Some(match title.to_ascii_lowercase().as_str() {
        "args" | "arguments" | "parameters" | "params" => SectionKind::Items(Params),
        "keyword args" | "keyword arguments" | "kwargs" | "other parameters" | "other params" => {
            SectionKind::Items(OtherParams)
        }
        "attributes" => SectionKind::Items(Attributes),
        "returns" | "return" => SectionKind::Items(Returns),
        "yields" | "yield" => SectionKind::Items(Yields),
        "raises" | "raise" | "exceptions" => SectionKind::Items(Raises),
        "warns" => SectionKind::Items(Warns),
        "see also" => SectionKind::Items(SeeAlso),
        "methods" => SectionKind::Items(Methods),
        "note" | "notes" => SectionKind::Admonition("note", "Note"),
        "warning" | "warnings" => SectionKind::Admonition("warning", "Warning"),
        "tip" | "hint" => SectionKind::Admonition("tip", "Tip"),
        "important" | "attention" => SectionKind::Admonition("important", "Important"),
        "caution" | "danger" => SectionKind::Admonition("caution", "Caution"),
        "example" | "examples" => SectionKind::Titled("Examples"),
        "references" => SectionKind::Titled("References"),
        "todo" => SectionKind::Titled("To do"),
        _ => return None,
    })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '='))
}

impl Parser<'_> {
    fn line_no(&self, i: usize) -> usize {
        self.first + i
    }

    fn warn(&mut self, i: usize, message: String) {
        let line = self.line_no(i);
        self.warnings.push(Diagnostic::new(self.display, line, 0, message));
    }

    /// A NumPy section title at line `i` (the next line underlines it).
    fn numpy_title(&self, i: usize) -> Option<&str> {
        let title = self.lines[i].trim();
        let next = self.lines.get(i + 1)?;
        (!title.is_empty() && indent_of(self.lines[i]) == 0 && is_underline(next) && section_kind(title).is_some())
            .then_some(title)
    }

    /// A Google section title at line `i` (`Args:` alone on its line, not indented).
    fn google_title(&self, i: usize) -> Option<&str> {
        let line = self.lines[i];
        let title = line.strip_suffix(':')?;
        (indent_of(line) == 0 && section_kind(title.trim()).is_some()).then(|| title.trim())
    }

    /// A reST directive at line `i`: (name, argument).
    fn directive(&self, i: usize) -> Option<(&str, &str)> {
        let line = self.lines[i];
        let rest = line.strip_prefix(".. ")?;
        let (name, arg) = rest.split_once("::")?;
        (indent_of(line) == 0 && !name.contains(' ')).then(|| (name, arg.trim()))
    }

    fn starts_section(&self, i: usize) -> bool {
        self.numpy_title(i).is_some() || self.google_title(i).is_some() || self.directive(i).is_some()
    }

    fn blocks(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            if let Some(title) = self.numpy_title(i).map(str::to_string) {
                // Body: up to the next section title; NumPy bodies are not indented.
                let start = i + 2;
                let mut end = start;
                while end < self.lines.len() && !self.starts_section(end) {
                    end += 1;
                }
                self.section(&title, start, end, false, &mut blocks);
                i = end;
            } else if let Some(title) = self.google_title(i).map(str::to_string) {
                let start = i + 1;
                let mut end = start;
                while end < self.lines.len() && (self.lines[end].trim().is_empty() || indent_of(self.lines[end]) > 0) {
                    end += 1;
                }
                // Hugging Face writes `Example:` above an unindented fence: the section runs
                // to the next title.
                let titled = matches!(section_kind(&title), Some(SectionKind::Titled(_)));
                if titled && self.lines[start..end].iter().all(|l| l.trim().is_empty()) {
                    while end < self.lines.len() && !self.starts_section(end) {
                        end += 1;
                    }
                }
                self.section(&title, start, end, true, &mut blocks);
                i = end;
            } else if let Some((name, arg)) = self.directive(i).map(|(n, a)| (n.to_string(), a.to_string())) {
                let start = i + 1;
                let mut end = start;
                while end < self.lines.len() && (self.lines[end].trim().is_empty() || indent_of(self.lines[end]) > 0) {
                    end += 1;
                }
                let body = dedent(&self.lines[start..end]);
                self.directive_block(i, &name, &arg, body, &mut blocks);
                i = end;
            } else {
                let start = i;
                while i < self.lines.len() && !self.starts_section(i) {
                    i += 1;
                }
                self.text_blocks(start, i, &mut blocks);
            }
        }
        blocks
    }

    /// Free text: paragraphs that state a version change become version notes.
    fn text_blocks(&mut self, start: usize, end: usize, blocks: &mut Vec<Block>) {
        let mut run_start = start;
        let mut i = start;
        while i < end {
            let paragraph_start = i == start || self.lines[i - 1].trim().is_empty();
            if let (true, Some((change, version, rest))) = (paragraph_start, version_line(self.lines[i])) {
                push_text(blocks, self.line_no(run_start), &self.lines[run_start..i]);
                let mut j = i + 1;
                while j < end && !self.lines[j].trim().is_empty() {
                    j += 1;
                }
                let mut text = rest.to_string();
                for l in &self.lines[i + 1..j] {
                    text.push('\n');
                    text.push_str(l.trim());
                }
                blocks.push(Block {
                    line: self.line_no(i),
                    kind: BlockKind::Version { change, version, text: markdown(text.trim()) },
                });
                i = j;
                run_start = j;
                continue;
            }
            i += 1;
        }
        push_text(blocks, self.line_no(run_start), &self.lines[run_start..end]);
    }

    fn directive_block(&mut self, i: usize, name: &str, arg: &str, body: String, blocks: &mut Vec<Block>) {
        let line = self.line_no(i);
        let change = match name {
            "versionadded" => Some(VersionChange::Added),
            "versionchanged" => Some(VersionChange::Changed),
            "deprecated" => Some(VersionChange::Deprecated),
            _ => None,
        };
        if let Some(change) = change {
            // `.. versionadded:: 1.2 Text` or the text on the following indented lines.
            let (version, first) = arg.split_once(' ').unwrap_or((arg, ""));
            if version.is_empty() {
                self.warn(i, format!("`.. {name}::` names no version"));
            }
            let text = format!("{first}\n{body}");
            blocks.push(Block {
                line,
                kind: BlockKind::Version { change, version: version.to_string(), text: markdown(text.trim()) },
            });
            return;
        }
        let text = markdown(format!("{arg}\n{body}").trim());
        let kind = match section_kind(name) {
            Some(SectionKind::Admonition(class, title)) => {
                BlockKind::Admonition { class, title: title.to_string(), text }
            }
            _ if name == "seealso" => BlockKind::Admonition { class: "note", title: "See also".into(), text },
            // Other directives (`.. math::`, `.. plot::`, `.. code-block::`) keep their body.
            _ if name == "code-block" || name == "code" || name == "sourcecode" => {
                BlockKind::Text(format!("```{}\n{}\n```", if arg.is_empty() { "python" } else { arg }, body.trim_end()))
            }
            _ => BlockKind::Text(format!("```text\n{}\n```", body.trim_end())),
        };
        blocks.push(Block { line: line + 1, kind });
    }

    /// A titled section's lines `start..end`; `google` bodies are indented under the title.
    fn section(&mut self, title: &str, start: usize, end: usize, google: bool, blocks: &mut Vec<Block>) {
        let body_lines = &self.lines[start..end];
        if body_lines.iter().all(|l| l.trim().is_empty()) {
            let i = start.saturating_sub(if google { 1 } else { 2 });
            self.warn(i, format!("the `{title}` section of the docstring is empty"));
            return;
        }
        let first_text = start + body_lines.iter().take_while(|l| l.trim().is_empty()).count();
        let line = self.line_no(first_text);
        match section_kind(title).expect("titles are recognised before") {
            SectionKind::Items(section) => {
                let items = self.items(section, start, end, google);
                blocks.push(Block { line, kind: BlockKind::Items { section, items } });
            }
            SectionKind::Admonition(class, shown) => {
                let text = markdown(dedent(body_lines).trim());
                blocks.push(Block { line, kind: BlockKind::Admonition { class, title: shown.to_string(), text } });
            }
            SectionKind::Titled(shown) => {
                let text = markdown(dedent(body_lines).trim());
                blocks.push(Block { line, kind: BlockKind::Titled { title: shown.to_string(), text } });
            }
        }
    }

    /// Entries of an item section: an entry starts at the body's base indentation, its
    /// description continues on more indented lines.
    fn items(&mut self, section: ItemSection, start: usize, end: usize, google: bool) -> Vec<Item> {
        let base =
            self.lines[start..end].iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min().unwrap_or(0);
        let mut entries: Vec<(usize, Vec<&str>)> = Vec::new();
        let mut in_fence = false;
        for i in start..end {
            let line = self.lines[i];
            // A fenced block (an example under a misindented entry) never starts an entry.
            let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
            let was_in_fence = in_fence;
            in_fence ^= fence;
            if !line.trim().is_empty() && indent_of(line) == base && !fence && !was_in_fence {
                entries.push((i, vec![line.trim()]));
            } else if let Some((_, lines)) = entries.last_mut() {
                lines.push(if line.len() > base { &line[base..] } else { line.trim() });
            }
        }
        let returns = matches!(section, ItemSection::Returns | ItemSection::Yields);
        let mut items = Vec::new();
        // Google `Returns:` is usually one description, perhaps `type: text`.
        if returns && google {
            let (i, first) = (entries[0].0, entries[0].1[0]);
            let all: Vec<&str> = entries.iter().flat_map(|(_, l)| l.iter().copied()).collect();
            let text = all.join("\n");
            let (ty, text) = match first.split_once(':') {
                Some((ty, rest)) if looks_like_type(ty) && !rest.starts_with(':') => {
                    (Some(clean_type(ty)), text[first.find(':').expect("split") + 1..].to_string())
                }
                _ => (None, text),
            };
            items.push(Item {
                name: String::new(),
                ty,
                text: markdown(dedent_str(&text).trim()),
                line: self.line_no(i),
            });
            return items;
        }
        for (i, lines) in entries {
            let head = lines[0];
            let rest = dedent(&lines[1..]);
            let exception = matches!(section, ItemSection::Raises | ItemSection::Warns);
            let (name, ty, first) = if google {
                match exception.then(|| split_exception_entry(head)).flatten().or_else(|| split_google_entry(head)) {
                    Some(parts) => parts,
                    None if matches!(section, ItemSection::SeeAlso) => (head.to_string(), None, String::new()),
                    None => {
                        self.warn(
                            i,
                            format!(
                                "malformed `{}` entry `{head}`: expected `name: description` or `name (type): description`",
                                section.title()
                            ),
                        );
                        (head.split_whitespace().next().unwrap_or_default().to_string(), None, head.to_string())
                    }
                }
            } else {
                split_numpy_entry(head, section)
            };
            let text = if first.is_empty() { rest } else { format!("{first}\n{rest}") };
            // A NumPy section may hold prose at the entries' indentation: it belongs to the
            // entry above (or stands alone), it names nothing.
            let named = |n: &str| {
                n.trim_start_matches('*').chars().all(|c| c.is_alphanumeric() || c == '_' || c == ',' || c == ' ')
                    && n.split(',').all(|part| part.split_whitespace().count() <= 1)
            };
            let prose = !google
                && ty.is_none()
                && matches!(section, ItemSection::Params | ItemSection::OtherParams | ItemSection::Attributes)
                && !named(&name);
            if prose {
                let paragraph = format!("{name}\n{text}");
                match items.last_mut() {
                    Some(last) => {
                        last.text.push_str("\n\n");
                        last.text.push_str(&markdown(paragraph.trim()));
                    }
                    None => items.push(Item {
                        name: String::new(),
                        ty: None,
                        text: markdown(paragraph.trim()),
                        line: self.line_no(i),
                    }),
                }
                continue;
            }
            let ty = if google { ty.map(|t| clean_type(&t)) } else { ty };
            items.push(Item { name, ty, text: markdown(text.trim()), line: self.line_no(i) });
        }
        items
    }
}

/// `name (type): text` / `name: text` / `*args, **kwargs: text`; the type may hold colons
/// (`` (`str`, defaults to `"python:3.12"`) ``, ``(:class:`X`)``).
fn split_google_entry(head: &str) -> Option<(String, Option<String>, String)> {
    let colon = head.find(':')?;
    let (name, ty, text) = match head.find('(').filter(|&open| open < colon) {
        Some(open) => {
            let mut depth = 0;
            let close = head[open..].char_indices().find_map(|(k, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(open + k)
            })?;
            let text = head[close + 1..].trim_start().strip_prefix(':')?;
            (head[..open].trim(), Some(head[open + 1..close].trim().to_string()), text)
        }
        None => (head[..colon].trim(), None, &head[colon + 1..]),
    };
    let valid = !name.is_empty()
        && name.trim_start_matches('*').chars().all(|c| c.is_alphanumeric() || "_., *".contains(c))
        && name.split_whitespace().count() <= 3;
    valid.then(|| (name.to_string(), ty, text.trim().to_string()))
}

/// A `Raises:` entry as Hugging Face and others write it: `` [`~errors.X`]: text ``,
/// `` [`X`](url): text ``, `` `X`: text ``, ``:class:`X`: text`` or the bare name with the text
/// on the lines below; a leading `- ` is a list marker. The name loses its link markup
/// (`errors.X`); the renderer links it as it links annotations.
fn split_exception_entry(head: &str) -> Option<(String, Option<String>, String)> {
    let head = head.strip_prefix("- ").or_else(|| head.strip_prefix("* ")).unwrap_or(head).trim();
    let (name, rest) = if let Some(inner) = head.strip_prefix('[') {
        let close = inner.find(']')?;
        let mut rest = &inner[close + 1..];
        if let Some(url) = rest.strip_prefix('(') {
            rest = &url[url.find(')')? + 1..];
        }
        (&inner[..close], rest)
    } else if head.starts_with(':') || head.starts_with('`') {
        let role = match head.strip_prefix(':') {
            Some(after) => after.find(':')? + 2,
            None => 0,
        };
        let code = &head[role..];
        let close = code[1..].find('`')? + 2;
        (&code[..close], &code[close..])
    } else {
        return None;
    };
    let name = name.trim().trim_matches('`').trim_start_matches('~').trim_start_matches('!');
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    // `` [`OSError`](url) if the file is missing `` reads the same without its colon.
    let rest = rest.trim_start();
    let text = rest.strip_prefix(':').unwrap_or(rest).trim();
    valid.then(|| (name.to_string(), None, text.to_string()))
}

/// A type as written in a docstring, without its Markdown: `` [`CommitInfo`] `` and
/// `` `str` `` are `CommitInfo` and `str`; Hugging Face's `` `str`, *optional*, defaults to
/// `"main"` `` is `str` (the signature shows the default).
fn clean_type(ty: &str) -> String {
    let ty = ty.trim();
    let mut depth = 0i32;
    let mut cut = ty.len();
    for (k, c) in ty.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                let rest = ty[k + 1..].trim().trim_matches('*').to_ascii_lowercase();
                if rest.starts_with("optional") || rest.starts_with("default") || rest.starts_with("required") {
                    cut = k;
                    break;
                }
            }
            _ => {}
        }
    }
    let ty = ty[..cut].trim();
    // One Markdown link or one code span around the whole type.
    let unlinked = ty
        .strip_prefix('[')
        .and_then(|t| t.split_once(']'))
        .filter(|(_, after)| after.is_empty() || (after.starts_with('(') && after.ends_with(')')))
        .map_or(ty, |(inner, _)| inner);
    let uncoded = match unlinked.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        Some(inner) if !inner.contains('`') => inner,
        _ => unlinked,
    };
    uncoded.trim_start_matches('~').to_string()
}

/// A docstring's type or exception name without its reST and Markdown markup, for linking
/// the names in it as an annotation's: ``:py:class:`~pkg.Index` `` is `pkg.Index`,
/// ``list of :class:`Node` `` is `list of Node`, `` `str` `` is `str`, ``*optional*`` is
/// `optional`, and `` :class:`the index <pkg.Index>` `` is `pkg.Index`.
pub fn plain_type(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(tick) = rest.find('`') {
        let before = &rest[..tick];
        // A role (`:py:class:`) right before the backtick goes.
        let role_start = before
            .strip_suffix(':')
            .map(|b| b.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-')).map_or(0, |k| k + 1))
            .filter(|&k| before[k..].starts_with(':') && before.len() - k > 2);
        out.push_str(&before[..role_start.unwrap_or(before.len())]);
        let Some(close) = rest[tick + 1..].find('`') else {
            out.push_str(&rest[tick + 1..]);
            rest = "";
            break;
        };
        let mut inner = &rest[tick + 1..tick + 1 + close];
        if let (Some(lt), true) = (inner.rfind('<'), inner.ends_with('>')) {
            inner = &inner[lt + 1..inner.len() - 1];
        }
        out.push_str(inner.trim_start_matches(['~', '!']));
        rest = &rest[tick + 2 + close..];
    }
    out.push_str(rest);
    out.replace('*', "")
}

/// `name : type` / `name` / (for returns and raises) `type`.
fn split_numpy_entry(head: &str, section: ItemSection) -> (String, Option<String>, String) {
    // `name : type` is the style; `name: type` is a common slip that reads the same.
    let tight = head.split_once(':').filter(|(name, _)| {
        let name = name.trim_start_matches('*');
        !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == ',' || c == ' ')
    });
    match head.split_once(" : ").or_else(|| head.strip_suffix(" :").map(|n| (n, ""))).or(tight) {
        Some((name, ty)) => {
            let ty = ty.trim();
            (name.trim().to_string(), (!ty.is_empty()).then(|| ty.to_string()), String::new())
        }
        None => match section {
            ItemSection::Returns | ItemSection::Yields => (String::new(), Some(head.to_string()), String::new()),
            ItemSection::SeeAlso => match head.split_once(':') {
                Some((name, text)) => (name.trim().to_string(), None, text.trim().to_string()),
                None => (head.to_string(), None, String::new()),
            },
            _ => (head.to_string(), None, String::new()),
        },
    }
}

/// Whether the text before a colon reads as a type rather than a sentence.
fn looks_like_type(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 {
        return false;
    }
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ' ' if depth == 0 => {
                return s.split_whitespace().all(|w| w == "|" || w == "or" || w.ends_with(',')) || s.contains(" | ")
            }
            _ => {}
        }
    }
    s.chars().all(|c| c.is_alphanumeric() || "_.[](), |`'\"".contains(c))
}

/// `Added in version 1.2.`, `Deprecated since version 2.0: use x.` at a paragraph start.
fn version_line(line: &str) -> Option<(VersionChange, String, &str)> {
    let line = line.trim();
    let (change, rest) = [
        (VersionChange::Added, "Added in version "),
        (VersionChange::Added, "New in version "),
        (VersionChange::Changed, "Changed in version "),
        (VersionChange::Deprecated, "Deprecated since version "),
        (VersionChange::Deprecated, "Deprecated in version "),
    ]
    .into_iter()
    .find_map(|(c, p)| line.strip_prefix(p).map(|r| (c, r)))?;
    let end = rest.find(|c: char| c.is_whitespace() || c == ':' || c == ',').unwrap_or(rest.len());
    let version = rest[..end].trim_end_matches('.').to_string();
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after = rest[end..].trim_start_matches([':', ',', '.']).trim();
    Some((change, version, after))
}

fn push_text(blocks: &mut Vec<Block>, line: usize, lines: &[&str]) {
    let skip = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let text = lines[skip..].join("\n");
    let text = text.trim_end();
    if !text.is_empty() {
        blocks.push(Block { line: line + skip, kind: BlockKind::Text(markdown(text)) });
    }
}

fn dedent(lines: &[&str]) -> String {
    let indent = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min().unwrap_or(0);
    lines.iter().map(|l| if l.len() >= indent { &l[indent..] } else { l.trim() }).collect::<Vec<_>>().join("\n")
}

fn dedent_str(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match lines.split_first() {
        Some((first, rest)) => format!("{}\n{}", first.trim(), dedent(rest)),
        None => String::new(),
    }
}

/// The URL scheme of a soft cross-link: linked when the name resolves, plain code otherwise.
pub const SOFT_LINK: &str = "labbook-api-soft:";

/// Docstring text to the Markdown labbook renders: doctest sessions fenced as `pycon`, Sphinx
/// roles turned into soft cross-links, a paragraph's closing `::` (a reST literal block
/// marker) shown as `:`. Line count is preserved so positions stay right.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut in_fence = false;
    let mut in_doctest = false;
    let mut doctest_indent = 0;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if in_doctest {
            if trimmed.is_empty() {
                out.push_str("```\n");
                in_doctest = false;
                continue;
            } else {
                let cut = indent_of(line).min(doctest_indent);
                out.push_str(&line[cut..]);
                out.push('\n');
                continue;
            }
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if trimmed.starts_with(">>>") {
            // The opening fence takes the blank line before the session, so the lines after
            // keep their numbers (error positions stay right); the closing one takes the
            // blank line after it.
            in_doctest = true;
            doctest_indent = indent_of(line);
            if out.ends_with("\n\n") {
                out.pop();
            }
            out.push_str("```pycon\n");
            out.push_str(trimmed);
            out.push('\n');
            continue;
        }
        let line = match line.strip_suffix("::") {
            Some(before) if !before.trim().is_empty() && !before.ends_with(':') => format!("{before}:"),
            _ => line.to_string(),
        };
        out.push_str(&rewrite_roles(&line));
        out.push('\n');
    }
    if in_doctest {
        out.push_str("```\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// Sphinx roles: ``:func:`x` `` and ``:class:`~a.B` `` to soft links, ``:math:`x` `` and
/// unknown roles to code.
fn rewrite_roles(line: &str) -> String {
    if !line.contains(":`") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(tick) = rest.find(":`") {
        // The role name runs back from the colon to the previous colon.
        let before = &rest[..tick];
        let Some(mut open) = before.rfind(':') else {
            out.push_str(&rest[..tick + 2]);
            rest = &rest[tick + 2..];
            continue;
        };
        // A domain before the role (`:py:meth:`, `:c:func:`) belongs to it.
        if let Some(domain) = before[..open].rfind(':') {
            let name = &before[domain + 1..open];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) && open + 1 < before.len() {
                open = domain;
            }
        }
        let role = &before[open + 1..];
        let Some(close) = rest[tick + 2..].find('`') else { break };
        if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-') {
            out.push_str(&rest[..tick + 2]);
            rest = &rest[tick + 2..];
            continue;
        }
        let target = &rest[tick + 2..tick + 2 + close];
        out.push_str(&before[..open]);
        let role = role.rsplit(':').next().unwrap_or(role);
        let xref = matches!(role, "func" | "class" | "meth" | "attr" | "mod" | "obj" | "exc" | "data" | "const");
        // `title <target>` gives a link text of its own.
        let (title, name) = match (target.rfind('<'), target.ends_with('>')) {
            (Some(lt), true) => (Some(target[..lt].trim()), &target[lt + 1..target.len() - 1]),
            _ => (None, target),
        };
        let name = name.trim_start_matches('!');
        // Only a dotted name can be a link destination; anything else stays code.
        if xref && super::xref::parse_name(name).is_some() {
            let shown = title.map_or_else(|| format!("`{name}`"), |t| t.to_string());
            out.push_str(&format!("[{shown}]({SOFT_LINK}{name})"));
        } else {
            out.push('`');
            out.push_str(target);
            out.push('`');
        }
        rest = &rest[tick + 3 + close..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_doc(text: &str) -> (Doc, Vec<Diagnostic>) {
        parse(&clean(text, 10), Path::new("m.py"))
    }

    fn items_of(doc: &Doc, section: ItemSection) -> Vec<(String, Option<String>, String)> {
        doc.blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Items { section: s, items } if *s == section => Some(items),
                _ => None,
            })
            .flatten()
            .map(|it| (it.name.clone(), it.ty.clone(), it.text.clone()))
            .collect()
    }

    /// Written as huggingface_hub writes them (Apache-2.0; shapes from `hf_api.py` and
    /// `_sandbox.py`).
    #[test]
    fn hugging_face_conventions() {
        let text = "Create a sandbox.\n\n    Args:\n        image (`str`, *optional*, defaults to `\"python:3.12\"`):\n            Any Docker image.\n        additions (`Iterable` of :class:`CommitOperationAdd`):\n            Files to add.\n        *args, **kwargs:\n            Passed on.\n\n    Returns:\n        [`CommitInfo`]:\n            Instance of [`CommitInfo`] with information about the commit.\n\n    Raises:\n        [`~utils.RepositoryNotFoundError`]\n            If the repository to download from cannot be found.\n        [`~errors.HfUriError`]: If the URI is invalid.\n        [`ValueError`](https://docs.python.org/3/library/exceptions.html#ValueError) if the value is bad.\n        `InferenceTimeoutError`:\n            If the request times out.\n        :class:`TypeError`: If the type is wrong.\n\n    > [!TIP]\n    > Pass `token=False` to disable authentication.\n\n    Example:\n\n    ```py\n    >>> from huggingface_hub import HfApi\n    >>> HfApi().whoami()\n    ```\n    ";
        let (doc, warnings) = parse_doc(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        let params = items_of(&doc, ItemSection::Params);
        assert_eq!(
            params.iter().map(|(n, t, _)| (n.as_str(), t.as_deref())).collect::<Vec<_>>(),
            [
                ("image", Some("str")),
                ("additions", Some("`Iterable` of :class:`CommitOperationAdd`")),
                ("*args, **kwargs", None)
            ]
        );
        let returns = items_of(&doc, ItemSection::Returns);
        assert_eq!(returns[0].1.as_deref(), Some("CommitInfo"));
        assert!(returns[0].2.starts_with("Instance of [`CommitInfo`]"), "{returns:?}");
        let raises = items_of(&doc, ItemSection::Raises);
        let names: Vec<&str> = raises.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["utils.RepositoryNotFoundError", "errors.HfUriError", "ValueError", "InferenceTimeoutError", "TypeError"]
        );
        assert_eq!(raises[0].2, "If the repository to download from cannot be found.");
        assert_eq!(raises[2].2, "if the value is bad.");
        // The tip stays a GitHub alert for the Markdown stage; the example's fence is kept.
        assert!(
            doc.blocks.iter().any(|b| matches!(&b.kind, BlockKind::Text(t) if t.starts_with("> [!TIP]"))),
            "{doc:?}"
        );
        let example = doc.blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Titled { title, text } if title == "Examples" => Some(text.clone()),
            _ => None,
        });
        assert_eq!(example.as_deref(), Some("```py\n>>> from huggingface_hub import HfApi\n>>> HfApi().whoami()\n```"));
    }

    #[test]
    fn fences_under_a_misindented_entry_are_not_entries() {
        let text = "Do it.\n\n    Args:\n        name (`str`):\n            The name.\n\n        ```python\n        >>> f(1)\n        ```\n    ";
        let (doc, warnings) = parse_doc(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(items_of(&doc, ItemSection::Params).len(), 1);
    }

    #[test]
    fn cleans_like_inspect() {
        let c = clean("\n    Summary.\n\n    More\n      indented\n    ", 4);
        assert_eq!(c.text, "Summary.\n\nMore\n  indented");
        assert_eq!((c.line, c.indent), (5, 4));
    }

    #[test]
    fn google_sections() {
        let (doc, warnings) = parse_doc(
            "Do it.\n\n    Longer text.\n\n    Args:\n        x (int): The x.\n            More about x.\n        *rest: Others.\n\n    Returns:\n        float: The result.\n\n    Raises:\n        ValueError: If bad.\n\n    Note:\n        Be careful.\n\n    Added in version 1.2.\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc.summary, "Do it.");
        let kinds: Vec<_> = doc.blocks.iter().map(|b| std::mem::discriminant(&b.kind)).collect();
        assert_eq!(kinds.len(), 6, "{:#?}", doc.blocks);
        let BlockKind::Items { section: ItemSection::Params, items } = &doc.blocks[1].kind else { panic!() };
        assert_eq!(items[0].name, "x");
        assert_eq!(items[0].ty.as_deref(), Some("int"));
        assert_eq!(items[0].text, "The x.\nMore about x.");
        assert_eq!(items[0].line, 15);
        assert_eq!(items[1].name, "*rest");
        let BlockKind::Items { section: ItemSection::Returns, items } = &doc.blocks[2].kind else { panic!() };
        assert_eq!((items[0].ty.as_deref(), items[0].text.as_str()), (Some("float"), "The result."));
        assert!(matches!(&doc.blocks[4].kind, BlockKind::Admonition { class: "note", .. }));
        let BlockKind::Version { change, version, .. } = &doc.blocks[5].kind else { panic!() };
        assert_eq!((*change, version.as_str()), (VersionChange::Added, "1.2"));
    }

    #[test]
    fn numpy_sections() {
        let (doc, warnings) = parse_doc(
            "Sum.\n\nParameters\n----------\nx, y : float\n    The numbers.\nflag : bool, optional\n\nReturns\n-------\nfloat\n    Their sum.\n\n.. deprecated:: 2.0\n   Use `add`.\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let BlockKind::Items { items, .. } = &doc.blocks[1].kind else { panic!("{:#?}", doc.blocks) };
        assert_eq!(items[0].name, "x, y");
        assert_eq!(items[1].ty.as_deref(), Some("bool, optional"));
        let BlockKind::Items { section: ItemSection::Returns, items } = &doc.blocks[2].kind else { panic!() };
        assert_eq!(items[0].ty.as_deref(), Some("float"));
        assert_eq!(items[0].text, "Their sum.");
        let BlockKind::Version { change: VersionChange::Deprecated, version, text } = &doc.blocks[3].kind else {
            panic!()
        };
        assert_eq!((version.as_str(), text.as_str()), ("2.0", "Use `add`."));
    }

    #[test]
    fn numpy_prose_between_entries_is_text() {
        let (doc, _) = parse_doc("F.\n\nParameters\n----------\nn: int\n    Count.\nThe two sets share no node.\n");
        let BlockKind::Items { items, .. } = &doc.blocks[1].kind else { panic!() };
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0].ty.as_deref(), Some("int"));
        assert!(items[0].text.ends_with("The two sets share no node."), "{}", items[0].text);
    }

    #[test]
    fn malformed_entries_warn_with_lines() {
        let (doc, warnings) = parse_doc("F.\n\nArgs:\n    x the value without a colon\n\nReturns:\n");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(warnings[0].line, 13);
        assert!(warnings[0].message.contains("malformed `Parameters` entry"), "{}", warnings[0]);
        assert!(warnings[1].message.contains("`Returns` section of the docstring is empty"), "{}", warnings[1]);
        assert_eq!(doc.blocks.len(), 2);
    }

    #[test]
    fn types_lose_their_markup() {
        assert_eq!(plain_type(":py:class:`~xarray.Index`"), "xarray.Index");
        assert_eq!(plain_type("list of :class:`Node`, optional"), "list of Node, optional");
        assert_eq!(plain_type("`Iterable` of :class:`CommitOperationAdd`"), "Iterable of CommitOperationAdd");
        assert_eq!(plain_type(":class:`the index <pkg.Index>` or ``None``"), "pkg.Index or None");
        assert_eq!(plain_type("`str`, *optional*"), "str, optional");
        assert_eq!(plain_type("dict[str, int]"), "dict[str, int]");
    }

    #[test]
    fn doctests_are_fenced_and_roles_rewritten() {
        assert_eq!(
            markdown(":func:`f(x) + 1` and :class:`the model <pkg.Model>`"),
            "`f(x) + 1` and [the model](labbook-api-soft:pkg.Model)"
        );
        // xarray writes the Python domain: `:py:meth:`, `:py:class:`.
        assert_eq!(
            markdown("Use :py:meth:`~xarray.RangeIndex.arange` or :py:class:`pandas.RangeIndex`: x:`y`."),
            "Use [`~xarray.RangeIndex.arange`](labbook-api-soft:~xarray.RangeIndex.arange) or [`pandas.RangeIndex`](labbook-api-soft:pandas.RangeIndex): x:`y`."
        );
        let md = markdown("See :func:`~pkg.f` and :math:`x^2`.\n\n>>> f(1)\n2\n\nAfter::\n\n    code");
        assert_eq!(
            md,
            "See [`~pkg.f`](labbook-api-soft:~pkg.f) and `x^2`.\n```pycon\n>>> f(1)\n2\n```\nAfter:\n\n    code"
        );
    }
}
