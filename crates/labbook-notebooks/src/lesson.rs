//! A lesson page as a sequence of cells, the way a notebook sees it: prose, code blocks,
//! exercises. One reading of a page's Markdown (its includes expanded, as the Markdown stage
//! expands them) serves the notebook export, `labbook test`'s runnable blocks and the round
//! trip test.

use std::path::Path;

use labbook_core::content::Page;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::markdown::include::expand_includes;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// One part of a lesson page, in page order.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Markdown between code blocks, as written (includes expanded).
    Prose(String),
    /// A fenced or indented code block that is not a directive.
    Code(CodeBlock),
    /// A directive block (`exercise`, `quiz`...): its name and YAML body.
    Directive {
        /// The info string's first word.
        name: String,
        /// The YAML body.
        body: String,
        /// The line of the page's file where the block starts.
        line: usize,
    },
}

/// A code block of a lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    /// The info string's first word (`python`), empty for none.
    pub lang: String,
    /// The whole info string.
    pub info: String,
    /// The code, without the fence.
    pub code: String,
    /// The line of the page's file where the block starts (its fence).
    pub line: usize,
}

/// Whether a code block with this info string is runnable: a `python` block marked
/// `runnable`, or any `python` block when `all` (`book.yaml` `runnable: true`).
pub fn is_runnable(info: &str, all: bool) -> bool {
    let mut words = info.split([' ', ',', '\t']).filter(|w| !w.is_empty());
    let lang = words.next().unwrap_or("");
    if lang != "python" {
        return false;
    }
    all || words.any(|w| w == "runnable")
}

/// The output a runnable block says it prints: its trailing `# expect: <line>` comments, one
/// line of output each (`None` when it states none).
pub fn expected_output(code: &str) -> Option<String> {
    let lines: Vec<&str> = code.trim_end().lines().collect();
    let start = lines.iter().rposition(|l| !l.trim_start().starts_with("# expect:")).map_or(0, |i| i + 1);
    if start == lines.len() {
        return None;
    }
    let mut out = String::new();
    for line in &lines[start..] {
        let rest = line.trim_start().trim_start_matches("# expect:");
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    Some(out)
}

/// The parts of `page`, its includes expanded; `is_directive` tells a directive's name from a
/// language. Errors are the include errors the build reports too.
pub fn parts(page: &Page, is_directive: &dyn Fn(&str) -> bool) -> Result<Vec<Part>, Diagnostic> {
    parts_of(&page.body, &page.abs, &page.display, page.body_line, is_directive)
}

/// The parts of a page's Markdown `body` (the file `abs`, named `display` in messages, the
/// body starting at line `body_line`).
pub fn parts_of(
    body: &str,
    abs: &Path,
    display: &Path,
    body_line: usize,
    is_directive: &dyn Fn(&str) -> bool,
) -> Result<Vec<Part>, Diagnostic> {
    // In a translation, a listing the translation lacks is the default language's.
    let mut read = |p: &Path| labbook_core::i18n::read_include(p);
    let expanded = expand_includes(body, abs, display, body_line, &mut read)?;
    let text = expanded.text.as_str();
    // The blocks come in order: the lines before each are counted on from the last one's.
    let (mut counted, mut lines) = (0, 1);
    let mut line_of = |offset: usize| {
        lines += text.as_bytes()[counted..offset].iter().filter(|&&b| b == b'\n').count();
        counted = offset;
        expanded.line_map.original_line(lines)
    };
    let mut parts = Vec::new();
    let mut prose_start = 0;
    let mut parser = Parser::new_ext(text, labbook_core::markdown::options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else { continue };
        let mut code = String::new();
        let mut end = range.end;
        for (e, r) in parser.by_ref() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    end = r.end;
                    break;
                }
                _ => {}
            }
        }
        push_prose(&mut parts, &text[prose_start..range.start]);
        prose_start = end;
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let lang = info.split([',', ' ', '{']).next().unwrap_or("").trim().to_string();
        let line = line_of(range.start);
        if is_directive(&lang) {
            parts.push(Part::Directive { name: lang, body: code, line });
        } else {
            parts.push(Part::Code(CodeBlock { lang, info: info.trim().to_string(), code, line }));
        }
    }
    push_prose(&mut parts, &text[prose_start..]);
    Ok(parts)
}

fn push_prose(parts: &mut Vec<Part>, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        parts.push(Part::Prose(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runnable_blocks_are_python_marked_or_all() {
        assert!(is_runnable("python runnable", false));
        assert!(is_runnable("python,runnable", false));
        assert!(!is_runnable("python", false));
        assert!(is_runnable("python", true));
        assert!(!is_runnable("text runnable", true));
        assert!(!is_runnable("", true));
    }

    #[test]
    fn expected_output_is_the_trailing_expect_comments() {
        assert_eq!(expected_output("print(1)\n# expect: 1\n"), Some("1\n".to_string()));
        assert_eq!(expected_output("print(1); print()\n# expect: 1\n# expect:\n\n"), Some("1\n\n".to_string()));
        assert_eq!(expected_output("# expect: 1\nprint(1)\n"), None);
        assert_eq!(expected_output("print(1)\n"), None);
    }
}
