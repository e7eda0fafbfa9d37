//! mdBook's braces directives, expanded in a page's text before Markdown parsing:
//! `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`. Any other
//! `{{#name …}}` is an error at its position (write `\{{#name …}}` to show it as text).
//!
//! `{{#rustdoc_include path:selection}}` takes the whole file, and the lines outside the
//! selection become hidden `# ` lines of a Rust code block (shown with a toggle).
//! `{{#playground path attr…}}` is the file in a ```` ```rust,attr… ```` block.
//! `{{#title Text}}` is removed from the text and sets the page's `<title>`.
//!
//! Include forms (the path is relative to the file holding the directive; line numbers start at 1
//! and ranges are inclusive, as in mdBook):
//!
//! | directive                      | includes                                            |
//! | ------------------------------ | --------------------------------------------------- |
//! | `{{#include path}}`            | the whole file                                      |
//! | `{{#include path:5}}`          | line 5 only                                         |
//! | `{{#include path:5:}}`         | line 5 to the end                                   |
//! | `{{#include path::10}}`        | the start to line 10                                |
//! | `{{#include path:5:10}}`       | lines 5 to 10                                       |
//! | `{{#include path:name}}`       | the lines between `ANCHOR: name` and `ANCHOR_END: name` |
//!
//! Lines holding `ANCHOR:` or `ANCHOR_END:` markers are never part of what is included.
//! `\{{#include …}}` stands for the directive's text itself. An included Markdown file's own
//! includes are expanded too (relative to that file); other files are included verbatim.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{line_column, Diagnostic};

/// Includes nested deeper than this are reported, in case a cycle hides behind symlinks.
const MAX_DEPTH: usize = 32;

/// A page's text with its includes expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The text to parse as Markdown.
    pub text: String,
    /// Every file read to build `text` (absolute, lexically normalised, without repeats), so
    /// `serve` knows to rebuild the page when one of them changes.
    pub dependencies: Vec<PathBuf>,
    /// Lines of `text` back to lines of the page's file.
    pub line_map: LineMap,
    /// The `<title>` a `{{#title …}}` directive set.
    pub title: Option<String>,
}

/// Translates lines of the expanded text back to lines of the page's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    /// Sorted by `expanded`, lines counted within the text; empty when there was no include.
    segments: Vec<Segment>,
    /// Lines of the file before the text (its front matter): `first_line - 1`.
    offset: usize,
}

/// From expanded line `expanded` on, until the next segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    expanded: usize,
    original: usize,
    /// The lines came from an include: all of them map to `original`, the directive's line.
    included: bool,
}

impl LineMap {
    /// The line of the page's file (1-based, front matter counted, like `first_line`) that
    /// line `expanded_line` (1-based) of the expanded text came from. A line that came from
    /// an include maps to the line of its `{{#include}}`.
    pub fn original_line(&self, expanded_line: usize) -> usize {
        let index = self.segments.partition_point(|segment| segment.expanded <= expanded_line);
        let line = match index.checked_sub(1).map(|i| self.segments[i]) {
            None => expanded_line,
            Some(segment) if segment.included => segment.original,
            Some(segment) => segment.original + (expanded_line - segment.expanded),
        };
        line + self.offset
    }
}

/// Expands the `{{#include}}` directives of `text`, the body of the page `file`.
///
/// `file` is the page's absolute path (includes resolve relative to its folder),
/// `display_path` names it in errors, `first_line` is the line of the file where `text`
/// starts (after the front matter), and `read` loads an included file (so the caller can cache
/// and track reads). Errors are positioned at the directive: a missing file, an unknown
/// anchor, a line range outside the file, an include cycle.
pub fn expand_includes(
    text: &str,
    file: &Path,
    display_path: &Path,
    first_line: usize,
    read: &mut dyn FnMut(&Path) -> io::Result<String>,
) -> Result<Expanded, Diagnostic> {
    if !text.contains("{{") {
        return Ok(Expanded {
            text: text.to_string(),
            dependencies: Vec::new(),
            line_map: LineMap { segments: Vec::new(), offset: first_line.saturating_sub(1) },
            title: None,
        });
    }
    let page = Source { path: normalize(file), display: display_path.to_path_buf(), first_line };
    let mut expander = Expander { read, stack: vec![page.clone()], dependencies: Vec::new(), title: None };
    let mut line_map = LineMapBuilder::default();
    let text = expander.expand(text, &page, Some(&mut line_map))?;
    Ok(Expanded {
        text,
        dependencies: expander.dependencies,
        line_map: line_map.finish(first_line),
        title: expander.title,
    })
}

/// A file whose text is being expanded.
#[derive(Debug, Clone)]
struct Source {
    /// Absolute and normalised: the key for cycle detection.
    path: PathBuf,
    /// How errors name it.
    display: PathBuf,
    /// The file line of the text's first line.
    first_line: usize,
}

impl Source {
    /// An error at byte `offset` of `text`, this source's contents.
    fn error(&self, text: &str, offset: usize, message: String) -> Diagnostic {
        let (line, column) = line_column(text, offset);
        Diagnostic::new(&self.display, line + self.first_line - 1, column, message)
    }
}

struct Expander<'a> {
    read: &'a mut dyn FnMut(&Path) -> io::Result<String>,
    /// The chain of files being expanded, the page first.
    stack: Vec<Source>,
    dependencies: Vec<PathBuf>,
    title: Option<String>,
}

impl Expander<'_> {
    /// `text` (the contents of `source`) with its directives replaced. The line map is only
    /// built for the page itself: nested includes all map to the page's directive.
    fn expand(
        &mut self,
        text: &str,
        source: &Source,
        mut line_map: Option<&mut LineMapBuilder>,
    ) -> Result<String, Diagnostic> {
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        let mut copied = 0;
        let mut search = 0;
        while let Some(found) = text[search..].find("{{") {
            let start = search + found;
            let Some(directive) = Directive::parse(text, start) else {
                search = start + 2;
                continue;
            };
            search = directive.end;
            let escaped = start > 0 && text.as_bytes()[start - 1] == b'\\';
            if escaped {
                // Drop the backslash, keep the directive as written.
                push_copied(&mut out, &mut line_map, &text[copied..start - 1]);
                push_copied(&mut out, &mut line_map, &text[start..directive.end]);
            } else {
                let replacement = match directive.name {
                    "include" | "rustdoc_include" | "playground" => self.include(text, source, start, &directive)?,
                    "title" if directive.arguments.is_empty() => {
                        return Err(source.error(text, start, "`{{#title}}` needs the title text".into()));
                    }
                    "title" => {
                        self.title = Some(directive.arguments.to_string());
                        String::new()
                    }
                    other => {
                        return Err(source.error(
                            text,
                            start,
                            format!(
                                "unknown directive `{{{{#{other}}}}}`: expected `include`, `rustdoc_include`, \
                                 `playground` or `title` (write `\\{{{{#{other} …}}}}` to show it as text)"
                            ),
                        ));
                    }
                };
                push_copied(&mut out, &mut line_map, &text[copied..start]);
                if let Some(map) = line_map.as_deref_mut() {
                    map.included(&replacement, &text[start..directive.end]);
                }
                out.push_str(&replacement);
            }
            copied = directive.end;
        }
        push_copied(&mut out, &mut line_map, &text[copied..]);
        Ok(out)
    }

    /// The text one `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}` stands for.
    fn include(
        &mut self,
        text: &str,
        source: &Source,
        start: usize,
        directive: &Directive,
    ) -> Result<String, Diagnostic> {
        let error = |message: String| source.error(text, start, message);
        let (arguments, attributes) = match directive.name {
            // `{{#playground path editable}}`: the path, then the code block's attributes.
            "playground" => match directive.arguments.split_once(char::is_whitespace) {
                Some((path, attributes)) => (path, attributes.split_whitespace().collect::<Vec<_>>()),
                None => (directive.arguments, Vec::new()),
            },
            _ => (directive.arguments, Vec::new()),
        };
        let spec = IncludeSpec::parse(arguments).map_err(&error)?;
        let folder = source.path.parent().unwrap_or(Path::new(""));
        let path = normalize(&folder.join(spec.path));
        let display = normalize(&source.display.parent().unwrap_or(Path::new("")).join(spec.path));

        if let Some(first) = self.stack.iter().position(|s| s.path == path) {
            let chain: Vec<String> = self.stack[first..]
                .iter()
                .map(|s| s.display.display().to_string())
                .chain([display.display().to_string()])
                .collect();
            return Err(error(format!("cannot include `{}`: include cycle {}", spec.path, chain.join(" -> "))));
        }
        if self.stack.len() > MAX_DEPTH {
            return Err(error(format!(
                "cannot include `{}`: includes are nested more than {MAX_DEPTH} deep",
                spec.path
            )));
        }

        let contents = (self.read)(&path).map_err(|e| {
            error(match e.kind() {
                io::ErrorKind::NotFound => {
                    format!("cannot include `{}`: file not found", spec.path)
                }
                _ => format!("cannot include `{}`: {e}", spec.path),
            })
        })?;
        if !self.dependencies.contains(&path) {
            self.dependencies.push(path.clone());
        }

        let selected = match directive.name {
            "rustdoc_include" => spec.selection.select_rustdoc(&contents),
            _ => spec.selection.select(&contents),
        }
        .map_err(|why| error(format!("cannot include `{}`: {why}", directive.arguments)))?;
        if directive.name == "playground" {
            let info = std::iter::once("rust").chain(attributes).collect::<Vec<_>>().join(",");
            return Ok(format!("```{info}\n{selected}\n```"));
        }
        if directive.name != "include" || !is_markdown(&path) {
            return Ok(selected);
        }
        let nested = Source { path, display, first_line: 1 };
        self.stack.push(nested.clone());
        let expanded = self.expand(&selected, &nested, None);
        self.stack.pop();
        expanded
    }
}

/// `{{#name arguments}}` found at some offset of a text.
struct Directive<'t> {
    name: &'t str,
    arguments: &'t str,
    /// Byte offset just past the closing `}}`.
    end: usize,
}

impl<'t> Directive<'t> {
    /// The directive starting with the `{{` at `start`, if the text there is one: as in
    /// mdBook, `{{`, optional spaces, `#name`, spaces, arguments up to `}}`, on one line.
    fn parse(text: &'t str, start: usize) -> Option<Directive<'t>> {
        let rest = &text[start + 2..];
        let after_space = rest.trim_start_matches([' ', '\t']);
        let after_hash = after_space.strip_prefix('#')?;
        let name_len = after_hash.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after_hash.len());
        let (name, after_name) = after_hash.split_at(name_len);
        let arguments_and_rest = after_name.trim_start_matches([' ', '\t']);
        if name.is_empty() || (arguments_and_rest.len() == after_name.len() && !after_name.starts_with('}')) {
            return None;
        }
        let close = arguments_and_rest.find('}')?;
        let arguments = &arguments_and_rest[..close];
        if !arguments_and_rest[close..].starts_with("}}") || arguments.contains('\n') {
            return None;
        }
        let arguments = arguments.trim_end();
        let end = text.len() - arguments_and_rest.len() + close + 2;
        Some(Directive { name, arguments, end })
    }
}

/// The arguments of an include: a path and what part of the file.
struct IncludeSpec<'t> {
    path: &'t str,
    selection: Selection<'t>,
}

/// The part of a file an include takes.
#[derive(Debug, PartialEq, Eq)]
enum Selection<'t> {
    /// Lines `start..=end` (1-based, `None` for the file's first or last line).
    Lines { start: Option<usize>, end: Option<usize> },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(&'t str),
}

impl<'t> IncludeSpec<'t> {
    fn parse(arguments: &'t str) -> Result<IncludeSpec<'t>, String> {
        let mut words = arguments.split_whitespace();
        let target = words.next().unwrap_or_default();
        if let Some(extra) = words.next() {
            return Err(format!(
                "unexpected `{extra}` after `{target}` (expected `{{{{#include path}}}}`, \
                 `path:start:end` or `path:anchor`; paths cannot contain spaces)"
            ));
        }
        let (path, part) = match target.split_once(':') {
            Some((path, part)) => (path, Some(part)),
            None => (target, None),
        };
        if path.is_empty() {
            return Err(format!("expected a file path in `{target}`"));
        }
        let selection = match part {
            // `path:` is the whole file, as in mdBook.
            None | Some("") => Selection::Lines { start: None, end: None },
            Some(part) => Selection::parse(part).map_err(|why| format!("`{target}`: {why}"))?,
        };
        Ok(IncludeSpec { path, selection })
    }
}

impl<'t> Selection<'t> {
    /// What follows the path's `:`: `5`, `5:`, `:10`, `5:10` or an anchor name.
    fn parse(part: &'t str) -> Result<Selection<'t>, String> {
        let line = |s: &str| -> Result<Option<usize>, String> {
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<usize>() {
                Ok(0) => Err("line numbers start at 1".to_string()),
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(format!("`{s}` is not a line number")),
            }
        };
        let Some((start, end)) = part.split_once(':') else {
            if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() {
                let only = line(part)?;
                return Ok(Selection::Lines { start: only, end: only });
            }
            if part.is_empty() || !part.chars().all(is_anchor_char) {
                return Err(format!(
                    "expected a line range or an anchor name (letters, digits, `_`, `-`), \
                     found `{part}`"
                ));
            }
            return Ok(Selection::Anchor(part));
        };
        let (start, end) = (line(start)?, line(end)?);
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                return Err(format!("the range starts after it ends ({s} > {e})"));
            }
        }
        Ok(Selection::Lines { start, end })
    }

    /// The selected lines of `contents`, joined by `\n` without a final newline (as mdBook
    /// does, so the directive's own line break follows), anchor markers left out.
    fn select(&self, contents: &str) -> Result<String, String> {
        let kept = |line: &&str| anchor_marker(line).is_none();
        let lines: Vec<&str> = match *self {
            Selection::Lines { start, end } => {
                let count = contents.lines().count();
                let first = start.unwrap_or(1);
                if first > count.max(1) {
                    return Err(format!("line {first} is past the end of the file, which has {count} lines"));
                }
                let last = end.unwrap_or(usize::MAX);
                contents.lines().skip(first - 1).take(last - first + 1).filter(kept).collect()
            }
            Selection::Anchor(name) => {
                let mut lines = contents.lines();
                if !lines.by_ref().any(|l| anchor_marker(l) == Some(Marker::Start(name))) {
                    return Err(format!("no anchor `{name}` in the file (expected a line with `ANCHOR: {name}`)"));
                }
                // Without `ANCHOR_END`, mdBook takes the rest of the file: so do we.
                lines.take_while(|l| anchor_marker(l) != Some(Marker::End(name))).filter(kept).collect()
            }
        };
        Ok(lines.join("\n"))
    }
}

impl Selection<'_> {
    /// mdBook's `rustdoc_include`: every line of the file (anchor markers left out), those
    /// outside the selection turned into hidden `# ` lines, so the listing still compiles.
    fn select_rustdoc(&self, contents: &str) -> Result<String, String> {
        let lines: Vec<&str> = contents.lines().collect();
        let selected: Vec<bool> = match *self {
            Selection::Lines { start, end } => {
                let first = start.unwrap_or(1);
                if first > lines.len().max(1) {
                    return Err(format!("line {first} is past the end of the file, which has {} lines", lines.len()));
                }
                let last = end.unwrap_or(usize::MAX);
                (1..=lines.len()).map(|n| n >= first && n <= last).collect()
            }
            Selection::Anchor(name) => {
                if !lines.iter().any(|l| anchor_marker(l) == Some(Marker::Start(name))) {
                    return Err(format!("no anchor `{name}` in the file (expected a line with `ANCHOR: {name}`)"));
                }
                let mut inside = false;
                lines
                    .iter()
                    .map(|line| {
                        match anchor_marker(line) {
                            Some(Marker::Start(n)) if n == name => inside = true,
                            Some(Marker::End(n)) if n == name => inside = false,
                            _ => {}
                        }
                        inside
                    })
                    .collect()
            }
        };
        let out: Vec<String> = lines
            .iter()
            .zip(&selected)
            .filter(|(line, _)| anchor_marker(line).is_none())
            .map(|(line, &keep)| if keep { line.to_string() } else { format!("# {line}") })
            .collect();
        Ok(out.join("\n"))
    }
}

/// An anchor marker found in a line.
#[derive(Debug, PartialEq, Eq)]
enum Marker<'l> {
    Start(&'l str),
    End(&'l str),
}

/// The marker a line holds, in whatever comment syntax: like mdBook, `ANCHOR: name` or
/// `ANCHOR_END: name` anywhere in the line (spaces after the colon optional).
fn anchor_marker(line: &str) -> Option<Marker<'_>> {
    let mut search = 0;
    while let Some(found) = line[search..].find("ANCHOR") {
        let at = search + found + "ANCHOR".len();
        search = at;
        let rest = &line[at..];
        let (is_end, rest) = match rest.strip_prefix("_END:") {
            Some(rest) => (true, rest),
            None => match rest.strip_prefix(':') {
                Some(rest) => (false, rest),
                None => continue,
            },
        };
        let rest = rest.trim_start();
        let len = rest.find(|c: char| !is_anchor_char(c)).unwrap_or(rest.len());
        if len == 0 {
            continue;
        }
        let name = &rest[..len];
        return Some(if is_end { Marker::End(name) } else { Marker::Start(name) });
    }
    None
}

/// The characters of an anchor name, mdBook's `[\w_-]`.
fn is_anchor_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn is_markdown(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}

/// `path` with `.` dropped and `..` applied, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

fn push_copied(out: &mut String, line_map: &mut Option<&mut LineMapBuilder>, text: &str) {
    if let Some(map) = line_map.as_deref_mut() {
        map.copied(text);
    }
    out.push_str(text);
}

/// Builds a [`LineMap`] while the page's text is copied and its includes inserted.
#[derive(Default)]
struct LineMapBuilder {
    segments: Vec<Segment>,
    /// Newlines written to the expanded text so far.
    expanded_newlines: usize,
    /// Newlines of the page's text passed so far.
    original_newlines: usize,
}

impl LineMapBuilder {
    /// Text of the page copied unchanged.
    fn copied(&mut self, text: &str) {
        let newlines = text.matches('\n').count();
        if newlines > 0 {
            // The copied text's lines after its first one map one to one (its first line
            // goes on the line already under way).
            self.push(Segment {
                expanded: self.expanded_newlines + 2,
                original: self.original_newlines + 2,
                included: false,
            });
        }
        self.expanded_newlines += newlines;
        self.original_newlines += newlines;
    }

    /// `included` replaced `directive` (a one-line directive of the page).
    fn included(&mut self, included: &str, directive: &str) {
        let newlines = included.matches('\n').count();
        let line = self.original_newlines + 1;
        if newlines > 0 {
            // From the directive's line to the line the included text ends on (which the
            // rest of the directive's line continues), everything is the directive's line.
            self.push(Segment { expanded: self.expanded_newlines + 1, original: line, included: true });
            self.expanded_newlines += newlines;
        }
        self.original_newlines += directive.matches('\n').count();
    }

    fn push(&mut self, segment: Segment) {
        match self.segments.last_mut() {
            Some(last) if last.expanded == segment.expanded => *last = segment,
            _ => self.segments.push(segment),
        }
    }

    fn finish(self, first_line: usize) -> LineMap {
        let identity = self.segments.iter().all(|s| !s.included && s.expanded == s.original);
        LineMap { segments: if identity { Vec::new() } else { self.segments }, offset: first_line.saturating_sub(1) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const PAGE: &str = "/book/content/ch/page.md";
    const DISPLAY: &str = "content/ch/page.md";

    /// An in-memory book: absolute path -> contents.
    fn files(entries: &[(&str, &str)]) -> HashMap<PathBuf, String> {
        entries.iter().map(|(path, text)| (PathBuf::from(path), text.to_string())).collect()
    }

    fn expand_with(text: &str, first_line: usize, files: &HashMap<PathBuf, String>) -> Result<Expanded, Diagnostic> {
        let mut read = |path: &Path| {
            files.get(path).cloned().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
        };
        expand_includes(text, Path::new(PAGE), Path::new(DISPLAY), first_line, &mut read)
    }

    fn expand(text: &str, files: &HashMap<PathBuf, String>) -> String {
        expand_with(text, 1, files).unwrap_or_else(|e| panic!("{e}")).text
    }

    fn error(text: &str, first_line: usize, files: &HashMap<PathBuf, String>) -> String {
        expand_with(text, first_line, files).expect_err("expected an error").to_string()
    }

    const CODE: &str = "\
# ANCHOR: all
import math
# ANCHOR: square
def square(x):
    return x * x
# ANCHOR_END: square

def cube(x):  # line 8
    return x ** 3
# ANCHOR_END: all
";

    fn book() -> HashMap<PathBuf, String> {
        files(&[("/book/content/ch/code/sq.py", CODE)])
    }

    #[test]
    fn text_without_includes_is_unchanged() {
        let text = "# Title\n\nNo {directives} here, not even {{ this }}.\n";
        let expanded = expand_with(text, 3, &book()).unwrap();
        assert_eq!(expanded.text, text);
        assert!(expanded.dependencies.is_empty());
        assert!(expanded.line_map.segments.is_empty());
        // Line 3 of the text is line 5 of a file whose text starts on line 3.
        assert_eq!(expanded.line_map.original_line(3), 5);
    }

    #[test]
    fn whole_file_drops_anchor_lines() {
        let out = expand("```python\n{{#include code/sq.py}}\n```\n", &book());
        assert_eq!(
            out,
            "```python\nimport math\ndef square(x):\n    return x * x\n\n\
             def cube(x):  # line 8\n    return x ** 3\n```\n"
        );
    }

    #[test]
    fn line_forms() {
        let book = book();
        assert_eq!(expand("{{#include code/sq.py:4}}", &book), "def square(x):");
        assert_eq!(expand("{{#include code/sq.py:8:}}", &book), "def cube(x):  # line 8\n    return x ** 3");
        assert_eq!(expand("{{#include code/sq.py::3}}", &book), "import math");
        assert_eq!(expand("{{#include code/sq.py:4:5}}", &book), "def square(x):\n    return x * x");
        // The end may run past the file, as in mdBook.
        assert_eq!(expand("{{#include code/sq.py:9:99}}", &book), "    return x ** 3");
    }

    #[test]
    fn anchors() {
        let book = book();
        assert_eq!(expand("{{#include code/sq.py:square}}", &book), "def square(x):\n    return x * x");
        // Nested anchors' markers are left out.
        assert_eq!(
            expand("{{#include code/sq.py:all}}", &book),
            "import math\ndef square(x):\n    return x * x\n\n\
             def cube(x):  # line 8\n    return x ** 3"
        );
    }

    #[test]
    fn anchor_markers_in_any_comment_style() {
        let book = files(&[(
            "/book/content/ch/a.rs",
            "/* ANCHOR: one */\nlet x = 1;\n// ANCHOR_END: one\n<!-- ANCHOR:two -->\nb\n<!-- ANCHOR_END:two -->\n",
        )]);
        assert_eq!(expand("{{#include a.rs:one}}", &book), "let x = 1;");
        assert_eq!(expand("{{#include a.rs:two}}", &book), "b");
    }

    #[test]
    fn spaces_inside_the_braces_are_allowed() {
        assert_eq!(expand("{{ #include  code/sq.py:4 }}", &book()), "def square(x):");
    }

    #[test]
    fn escaped_directive_is_literal() {
        assert_eq!(
            expand(r"Write `\{{#include file.rs:2:5}}` to include lines.", &book()),
            "Write `{{#include file.rs:2:5}}` to include lines."
        );
    }

    #[test]
    fn other_double_braces_are_left_alone() {
        let text = "{{this}}{{/each}} {{ name }} {{#include x\n}}";
        assert_eq!(expand(text, &book()), text);
    }

    #[test]
    fn unknown_directives_are_located_errors() {
        assert_eq!(
            error("Text\n\n  {{#each items}}\n", 4, &book()),
            "content/ch/page.md:6:3: unknown directive `{{#each}}`: expected `include`, `rustdoc_include`, \
             `playground` or `title` (write `\\{{#each …}}` to show it as text)"
        );
        assert!(
            error("{{#include}}", 1, &book()).contains("expected a file path"),
            "{}",
            error("{{#include}}", 1, &book())
        );
        assert_eq!(expand("\\{{#each items}}", &book()), "{{#each items}}");
    }

    #[test]
    fn rustdoc_include_hides_the_lines_outside_the_selection() {
        let files = files(&[(
            "/book/content/ch/main.rs",
            "use std::io;\n// ANCHOR: here\nfn main() {\n    run();\n}\n// ANCHOR_END: here\nfn run() {}\n",
        )]);
        assert_eq!(
            expand("{{#rustdoc_include main.rs:here}}", &files),
            "# use std::io;\nfn main() {\n    run();\n}\n# fn run() {}"
        );
        assert_eq!(
            expand("{{#rustdoc_include main.rs:3:4}}", &files),
            "# use std::io;\nfn main() {\n    run();\n# }\n# fn run() {}"
        );
        assert_eq!(
            expand("{{#rustdoc_include main.rs}}", &files),
            "use std::io;\nfn main() {\n    run();\n}\nfn run() {}"
        );
        assert!(error("{{#rustdoc_include main.rs:nope}}", 1, &files).contains("no anchor `nope`"));
    }

    #[test]
    fn playground_wraps_the_file_in_a_rust_block() {
        let files = files(&[("/book/content/ch/ex.rs", "fn main() {}\n")]);
        assert_eq!(expand("{{#playground ex.rs}}\n", &files), "```rust\nfn main() {}\n```\n");
        assert_eq!(expand("{{#playground ex.rs editable}}", &files), "```rust,editable\nfn main() {}\n```");
    }

    #[test]
    fn title_sets_the_page_title_and_leaves_no_text() {
        let expanded = expand_with("{{#title Ownership, in short}}\n# Ownership\n", 1, &book()).unwrap();
        assert_eq!(expanded.title.as_deref(), Some("Ownership, in short"));
        assert_eq!(expanded.text, "\n# Ownership\n");
        assert!(error("{{#title}}", 1, &book()).contains("needs the title text"));
    }

    #[test]
    fn nested_markdown_includes_resolve_relative_to_their_file() {
        let book = files(&[
            ("/book/content/shared/intro.md", "Intro.\n{{#include ../code/x.py}}\n"),
            ("/book/content/code/x.py", "print('{{#include not-expanded.py}}')\n"),
        ]);
        let expanded = expand_with("A\n{{#include ../shared/intro.md}}\nB\n", 1, &book).unwrap();
        assert_eq!(expanded.text, "A\nIntro.\nprint('{{#include not-expanded.py}}')\nB\n");
        assert_eq!(
            expanded.dependencies,
            vec![PathBuf::from("/book/content/shared/intro.md"), PathBuf::from("/book/content/code/x.py"),]
        );
    }

    #[test]
    fn cycle_is_an_error_naming_the_chain() {
        let book = files(&[
            ("/book/content/ch/a.md", "a\n{{#include b.md}}\n"),
            ("/book/content/ch/b.md", "b\n\n  {{#include a.md}}\n"),
        ]);
        assert_eq!(
            error("x\n{{#include a.md}}", 1, &book),
            "content/ch/b.md:3:3: cannot include `a.md`: include cycle \
             content/ch/a.md -> content/ch/b.md -> content/ch/a.md"
        );
        let page = files(&[(PAGE, "")]);
        assert_eq!(
            error("{{#include page.md}}", 1, &page),
            "content/ch/page.md:1:1: cannot include `page.md`: include cycle \
             content/ch/page.md -> content/ch/page.md"
        );
    }

    #[test]
    fn missing_file_is_reported_at_the_directive() {
        assert_eq!(
            error("---\n\ntext\n  {{#include ../code/x.py}}\n", 3, &book()),
            "content/ch/page.md:6:3: cannot include `../code/x.py`: file not found"
        );
    }

    #[test]
    fn unknown_anchor_is_an_error() {
        assert_eq!(
            error("{{#include code/sq.py:nope}}", 1, &book()),
            "content/ch/page.md:1:1: cannot include `code/sq.py:nope`: no anchor `nope` in \
             the file (expected a line with `ANCHOR: nope`)"
        );
    }

    #[test]
    fn bad_line_ranges_are_errors() {
        let book = book();
        let message = |text: &str| error(text, 1, &book);
        assert!(message("{{#include code/sq.py:5:3}}").contains("starts after it ends"));
        assert!(message("{{#include code/sq.py:0}}").contains("start at 1"));
        assert!(
            message("{{#include code/sq.py:11}}").contains("line 11 is past the end of the file, which has 10 lines")
        );
        assert!(message("{{#include code/sq.py:2:x}}").contains("`x` is not a line number"));
        assert!(message("{{#include code/sq.py:a b}}").contains("unexpected `b`"));
        assert!(message("{{#include :3}}").contains("expected a file path"));
    }

    #[test]
    fn line_map_points_included_lines_at_the_directive() {
        let text = "one\ntwo {{#include code/sq.py:4:5}} tail\nthree\n{{#include code/sq.py::3}}\nfour\n";
        let expanded = expand_with(text, 3, &book()).unwrap();
        assert_eq!(expanded.text, "one\ntwo def square(x):\n    return x * x tail\nthree\nimport math\nfour\n");
        let map = &expanded.line_map;
        let original: Vec<usize> = (1..=7).map(|l| map.original_line(l)).collect();
        assert_eq!(original, vec![3, 4, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn line_map_with_multiline_includes_in_a_row() {
        let text = "{{#include code/sq.py:4:5}}\n{{#include code/sq.py:8:9}}\nend";
        let expanded = expand_with(text, 1, &book()).unwrap();
        let map = &expanded.line_map;
        let original: Vec<usize> = (1..=5).map(|l| map.original_line(l)).collect();
        assert_eq!(original, vec![1, 1, 2, 2, 3]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/b/./../c/d.md")), PathBuf::from("/a/c/d.md"));
        assert_eq!(normalize(Path::new("a/../../x")), PathBuf::from("../x"));
    }
}
