//! A doc-builder page (`.mdx`, or `.md` in a doc-builder folder) as labbook Markdown.
//!
//! | doc-builder                                   | labbook                                              |
//! |-----------------------------------------------|------------------------------------------------------|
//! | `# Title[[anchor]]`                           | `# Title {#anchor}`                                  |
//! | `<Tip>`, `<Tip warning={true}>`, `title="…"`  | `> [!TIP]` / `> [!WARNING]` admonition (title in bold first) |
//! | `<Question choices={[…]} />`                  | a `quiz` directive (several correct: `multiple`)     |
//! | `<Youtube id="…" />`                          | an offline link card                                 |
//! | `<iframe src="https://…">`                    | an offline link card (same-site frames pass through) |
//! | `<img src="https://…">`                       | an offline link card named by its `alt` (or file name) |
//! | `## Title` (no anchor)                        | `## Title {#title}`, doc-builder's id (`hf_token` -> `hftoken`) |
//! | `<CourseFloatingBanner notebooks={[…]} />`    | a row of "Open notebook" links                       |
//! | `<FrameworkSwitchCourse {fw} />`, `{#if fw === 'pt'}…{:else}…{/if}`, `<frameworkcontent><pt>…<tf>…` | a PyTorch/TensorFlow switch; both rendered, PyTorch shown |
//! | `<hfoptions id>` / `<hfoption value label>`   | tabs                                                 |
//! | `[[autodoc]] name` + `- method` lines         | an `autodoc` directive (`members`)                   |
//! | `[[open-in-colab]]`                           | a `docbuilder-colab` directive (notebook links)      |
//! | `\\( … \\)`, `\\[ … \\]`                      | `$…$`, `$$…$$` (other `$` stay text)                 |
//! | other `<Component>`                           | a warning; its inner Markdown is kept                |
//!
//! Code (fenced blocks, code spans) and HTML comments are left as written, so `<mask>` in
//! code is never a component. The switch, tabs and cards are raw HTML blocks whose Markdown
//! inside is separated by blank lines; the page ends with a `docbuilder` directive that asks
//! for `docbuilder.css`/`docbuilder.js` when it uses them. Lines are kept where they were
//! when a replacement fits in the lines it replaces, so later messages point close to the
//! source.

use std::path::Path;

use labbook_core::diagnostic::Diagnostic;
use labbook_core::escape::escape_html;
use labbook_core::i18n::strings::Words;
use serde_json::{json, Value};

use crate::jsvalue;
use crate::tag::{self, Tag};

/// A page converted.
#[derive(Debug, Default)]
pub struct Converted {
    /// The Markdown.
    pub markdown: String,
    /// Problems doc-builder tolerates.
    pub warnings: Vec<Diagnostic>,
    /// How many `<Question>`s became quizzes.
    pub quizzes: usize,
    /// The source line (1-based) of each line of `markdown`.
    pub source_lines: Vec<usize>,
}

#[derive(Debug)]
enum Open {
    Tip {
        line: usize,
        col: usize,
        indent: String,
    },
    If {
        line: usize,
        col: usize,
        seen_else: bool,
        /// Where a `{#else}` typo stood, read as the block's `{:else}`.
        typo_else: Option<(usize, usize)>,
        which: &'static str,
    },
    /// `name` is the radio group's; `options` are (value, label) in order.
    Options {
        line: usize,
        col: usize,
        name: String,
        options: Vec<(String, String)>,
    },
    Option {
        line: usize,
        col: usize,
    },
    Framework {
        line: usize,
        col: usize,
    },
    Fw {
        line: usize,
        col: usize,
        which: &'static str,
    },
    Unknown {
        line: usize,
        col: usize,
        name: String,
    },
}

impl Open {
    fn describe(&self) -> (usize, usize, String, &'static str) {
        match self {
            Open::Tip { line, col, .. } => (*line, *col, "`<Tip>`".into(), "`</Tip>`"),
            Open::If { line, col, .. } => (*line, *col, "`{#if}`".into(), "`{/if}`"),
            Open::Options { line, col, .. } => (*line, *col, "`<hfoptions>`".into(), "`</hfoptions>`"),
            Open::Option { line, col } => (*line, *col, "`<hfoption>`".into(), "`</hfoption>`"),
            Open::Framework { line, col } => (*line, *col, "`<frameworkcontent>`".into(), "`</frameworkcontent>`"),
            Open::Fw { line, col, which } => {
                (*line, *col, format!("`<{which}>`"), if *which == "pt" { "`</pt>`" } else { "`</tf>`" })
            }
            Open::Unknown { line, col, name } => (*line, *col, format!("`<{name}>`"), "its closing tag"),
        }
    }
}

struct Converter<'a> {
    text: &'a str,
    display: &'a Path,
    /// The book's words in the page's language: the converter's own labels.
    words: &'a Words,
    /// Byte range of each line, without its newline.
    lines: Vec<(usize, usize)>,
    out: Vec<String>,
    /// The source line (1-based) each line of `out` stands for.
    out_lines: Vec<usize>,
    /// The source line being converted: what [`Converter::emit`] records.
    current: usize,
    warnings: Vec<Diagnostic>,
    stack: Vec<Open>,
    /// The next emitted line must be preceded by a blank one (after a raw HTML tag line).
    pending_blank: bool,
    quizzes: usize,
    groups: usize,
    uses_assets: bool,
    /// Heading anchors given so far.
    anchors: std::collections::HashSet<String>,
    /// A framework switch written before the page's title, placed after it (so the title
    /// opens the page and the theme does not add a second one).
    deferred_switch: Option<String>,
    /// Whether a `#` heading was written.
    seen_h1: bool,
    /// Objects `[[autodoc]]` placed on the page.
    autodocs: std::collections::HashSet<String>,
}

/// Converts the page `text` (`display` names it in messages); the labels the converter
/// writes itself (the framework switch, "Open notebook:", the offline cards) are `words`'
/// `docbuilder_*`, in the language of the book the page is built into.
pub fn convert(text: &str, display: &Path, words: &Words) -> Result<Converted, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' { i - 1 } else { i };
            lines.push((start, end));
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    let mut c = Converter {
        text,
        display,
        words,
        lines,
        out: Vec::new(),
        out_lines: Vec::new(),
        current: 1,
        warnings: Vec::new(),
        stack: Vec::new(),
        pending_blank: false,
        quizzes: 0,
        groups: 0,
        uses_assets: false,
        anchors: Default::default(),
        deferred_switch: None,
        seen_h1: false,
        autodocs: Default::default(),
    };
    c.run()?;
    if let Some(open) = c.stack.last() {
        let (line, col, what, closer) = open.describe();
        return Err(Diagnostic::new(display, line, col, format!("{what} opened here is never closed with {closer}")));
    }
    if let Some(switch) = c.deferred_switch.take() {
        c.out.splice(0..0, [switch, String::new()]);
        c.out_lines.splice(0..0, [1, 1]);
    }
    let mut markdown = c.out.join("\n");
    markdown.push('\n');
    if c.uses_assets {
        markdown.push_str("\n```docbuilder\nassets: true\n```\n");
    }
    // An emitted line may hold several (a framework switch); each stands for its source line.
    let mut source_lines = Vec::with_capacity(c.out.len());
    for (line, &from) in c.out.iter().zip(&c.out_lines) {
        source_lines.extend(std::iter::repeat_n(from, line.matches('\n').count() + 1));
    }
    let last = c.lines.len().max(1);
    source_lines.resize(markdown.lines().count().max(source_lines.len()), last);
    Ok(Converted { markdown, warnings: c.warnings, quizzes: c.quizzes, source_lines })
}

/// Splits a source blockquote prefix (`> > `) from a line.
fn quote_prefix(line: &str) -> (&str, &str) {
    let mut end = 0;
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i] == b' ' && i - end < 3 {
            i += 1;
        }
        if i < b.len() && b[i] == b'>' {
            i += 1;
            if i < b.len() && b[i] == b' ' {
                i += 1;
            }
            end = i;
        } else {
            break;
        }
    }
    (&line[..end], &line[end..])
}

/// A fence opener or closer (```` ``` ````, `~~~`): its character and length.
fn fence(rest: &str) -> Option<(u8, usize)> {
    let t = rest.trim_start();
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

impl Converter<'_> {
    fn line(&self, i: usize) -> &str {
        let (s, e) = self.lines[i];
        &self.text[s..e]
    }

    /// 1-based line and column of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let i = self.lines.partition_point(|&(s, _)| s <= offset).saturating_sub(1);
        let (s, _) = self.lines.get(i).copied().unwrap_or((0, 0));
        let col = self.text.get(s..offset.max(s)).map_or(1, |t| t.chars().count() + 1);
        (i + 1, col)
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.position(offset);
        Diagnostic::new(self.display, line, col, message)
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let d = self.error(offset, message);
        self.warnings.push(d);
    }

    /// The prefix every emitted line gets for the open `<Tip>`s.
    fn tip_prefix(&self) -> String {
        let mut p = String::new();
        for open in &self.stack {
            if let Open::Tip { indent, .. } = open {
                p.push_str(indent);
                p.push_str("> ");
            }
        }
        p
    }

    /// Emits one output line under the source prefix `quote` (and the open tips').
    fn emit(&mut self, quote: &str, s: &str) {
        let prefix = format!("{}{quote}", self.tip_prefix());
        if self.pending_blank && !s.trim().is_empty() {
            self.out.push(prefix.trim_end().to_string());
            self.out_lines.push(self.current);
        }
        self.pending_blank = false;
        let line = format!("{prefix}{s}");
        self.out.push(if s.is_empty() { line.trim_end().to_string() } else { line });
        self.out_lines.push(self.current);
    }

    /// Emits a raw HTML tag line, which must stand apart from the Markdown after it.
    fn emit_tag(&mut self, quote: &str, indent: &str, html: &str) {
        self.emit(quote, &format!("{indent}{html}"));
        self.pending_blank = true;
    }

    /// Emits `block` in place of the source lines `first..=last`: extra lines are taken
    /// from blank source lines after it, missing ones are blank.
    fn replace(&mut self, quote: &str, block: &[String], first: usize, last: usize) -> usize {
        let mut last = last;
        let mut have = last + 1 - first;
        while have < block.len() && last + 1 < self.lines.len() && self.line(last + 1).trim().is_empty() {
            last += 1;
            have += 1;
        }
        // The block stands for its first line (an error in it names the component's line);
        // the blank lines after it for their own.
        self.current = first + 1;
        for l in block {
            self.emit(quote, l);
        }
        for n in block.len()..have {
            self.current = first + 1 + n;
            self.emit(quote, "");
        }
        last
    }

    fn run(&mut self) -> Result<(), Diagnostic> {
        let mut fence_open: Option<(u8, usize)> = None;
        let mut in_comment = false;
        let mut i = 0;
        while i < self.lines.len() {
            self.current = i + 1;
            let raw = self.line(i).to_string();
            let (quote, rest) = quote_prefix(&raw);
            let (quote, rest) = (quote.to_string(), rest.to_string());
            // Inside code or an HTML comment: as written.
            if let Some((c, n)) = fence_open {
                if fence(&rest).is_some_and(|(c2, n2)| c2 == c && n2 >= n) && rest.trim().bytes().all(|b| b == c) {
                    fence_open = None;
                }
                self.emit(&quote, &rest);
                i += 1;
                continue;
            }
            // HTML comments (doc-builder pages often open with one) are left out, line for
            // line, so the title heading still opens the page.
            if in_comment {
                if rest.contains("-->") {
                    in_comment = false;
                }
                self.emit(&quote, "");
                i += 1;
                continue;
            }
            if let Some(f) = fence(&rest) {
                fence_open = Some(f);
                self.emit(&quote, &rest);
                i += 1;
                continue;
            }
            if rest.trim_start().starts_with("<!--") {
                match rest.find("-->") {
                    None => in_comment = true,
                    Some(end) if !rest[end + 3..].trim().is_empty() => {
                        self.emit(&quote, &rest);
                        i += 1;
                        continue;
                    }
                    Some(_) => {}
                }
                self.emit(&quote, "");
                i += 1;
                continue;
            }
            i = self.block_line(i, &quote, &rest)?;
        }
        Ok(())
    }

    /// Handles the line `i` (outside code); returns the next line to read.
    fn block_line(&mut self, i: usize, quote: &str, rest: &str) -> Result<usize, Diagnostic> {
        let t = rest.trim();
        let indent = &rest[..rest.len() - rest.trim_start().len()];
        let line_start = self.lines[i].0 + (self.line(i).len() - rest.len());
        let at = line_start + indent.len();
        let (line_no, col) = self.position(at);

        // Svelte framework blocks; text after `{:else}` or `{/if}` on its line (a translation
        // that lost a line break) goes on as a line of its own.
        for tag in ["{:else}", "{/if}"] {
            if let Some(after) = t.strip_prefix(tag).filter(|a| !a.trim().is_empty()) {
                let after = after.trim_start().to_string();
                let next = self.block_line_text(i, quote, indent, tag)?;
                let s = self.inline(&after);
                self.emit(quote, &s);
                return Ok(next);
            }
        }
        // Svelte framework blocks.
        if let Some(which) = if_condition(t) {
            self.stack.push(Open::If { line: line_no, col, seen_else: false, typo_else: None, which });
            self.uses_assets = true;
            self.emit_tag(quote, indent, &format!("<div class=\"hf-fw\" data-fw=\"{which}\">"));
            return Ok(i + 1);
        }
        if t == "{:else}" {
            let which = match self.stack.last_mut() {
                Some(Open::If { seen_else, which, .. }) if !*seen_else => {
                    *seen_else = true;
                    if *which == "pt" {
                        "tf"
                    } else {
                        "pt"
                    }
                }
                Some(Open::If { typo_else: Some((line, col)), .. }) => {
                    // `{#else}` then the real `{:else}` (a translation of the course does
                    // this): the typo already switched the branch.
                    let (line, col) = (*line, *col);
                    self.warn(at, format!("a `{{:else}}` after the `{{#else}}` at {line}:{col}, which was read as it; this one is ignored"));
                    return Ok(i + 1);
                }
                Some(Open::If { line, col, .. }) => {
                    let (line, col) = (*line, *col);
                    return Err(self.error(at, format!("a second `{{:else}}` in the `{{#if}}` opened at {line}:{col}")));
                }
                _ => return Err(self.error(at, "`{:else}` outside an `{#if}` block")),
            };
            self.emit_tag(quote, indent, &format!("</div><div class=\"hf-fw\" data-fw=\"{which}\">"));
            return Ok(i + 1);
        }
        if t == "{/if}" {
            self.close(at, |o| matches!(o, Open::If { .. }), "`{/if}`")?;
            self.emit_tag(quote, indent, "</div>");
            return Ok(i + 1);
        }
        if t == "{#else}" {
            // A typo translations make; read as `{:else}`.
            self.warn(at, "`{#else}` is read as `{:else}`");
            let next = self.block_line_text(i, quote, indent, "{:else}")?;
            if let Some(Open::If { typo_else, .. }) = self.stack.last_mut() {
                *typo_else = Some((line_no, col));
            }
            return Ok(next);
        }
        if t.starts_with("{#") || t.starts_with("{:") {
            return Err(self.error(
                at,
                format!("`{t}` is a Svelte block labbook cannot read; only `{{#if fw === 'pt'}}` (or 'tf'), `{{:else}}` and `{{/if}}` are known"),
            ));
        }

        if t.starts_with("[[autodoc]]") {
            return Ok(self.autodoc(i, quote, t));
        }
        if t == "[[open-in-colab]]" {
            self.uses_assets = true;
            let block: Vec<String> = vec!["```docbuilder-colab".into(), "{}".into(), "```".into()];
            return Ok(self.replace(quote, &block, i, i) + 1);
        }

        // Headings with doc-builder anchors.
        if t.starts_with('#') {
            if let Some((head, anchor)) = heading_anchor(rest) {
                let anchor = self.unique_anchor(&anchor, at, true);
                let h = format!("{} {{#{anchor}}}", self.inline(&head));
                self.emit(quote, &h);
                self.after_heading(quote, t);
                return Ok(i + 1);
            }
            // Without `[[anchor]]`, doc-builder's own id for the heading, so links written
            // for huggingface.co (`#the-hftoken-argument`) keep working.
            if let Some((head, slug)) = heading_slug(rest) {
                let anchor = self.unique_anchor(&slug, at, false);
                let h = format!("{} {{#{anchor}}}", self.inline(&head));
                self.emit(quote, &h);
                self.after_heading(quote, t);
                return Ok(i + 1);
            }
        }

        if let Some(after) = t.strip_prefix('<') {
            let closing = after.starts_with('/');
            let name: String = after
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            if !name.is_empty() {
                if let Some(next) = self.component(i, quote, indent, at, &name, closing)? {
                    return Ok(next);
                }
            }
        }

        // A content line: inline rewriting, and a `</Tip>` that ends it.
        let body = rest.trim_end();
        if let Some(stripped) = body.strip_suffix("</Tip>") {
            if matches!(self.stack.last(), Some(Open::Tip { .. })) {
                if !stripped.trim().is_empty() {
                    let s = self.inline(stripped);
                    self.emit(quote, &s);
                } else {
                    self.emit(quote, "");
                }
                self.stack.pop();
                self.pending_blank = true;
                return Ok(i + 1);
            }
        }
        if t.starts_with('<') {
            // Raw HTML: as written, but for images on the web.
            let s = self.remote_images(rest, false);
            self.emit(quote, &s);
        } else {
            let s = self.inline(rest);
            let s = self.remote_images(&s, true);
            self.emit(quote, &s);
            self.after_heading(quote, t);
        }
        Ok(i + 1)
    }

    /// Handles `tag` (`{:else}`, `{/if}`) as if it stood alone on line `i`.
    fn block_line_text(&mut self, i: usize, quote: &str, indent: &str, tag: &str) -> Result<usize, Diagnostic> {
        self.block_line(i, quote, &format!("{indent}{tag}"))
    }

    /// After the page's first `#` heading: the framework switch written before it.
    fn after_heading(&mut self, quote: &str, t: &str) {
        if !(t.starts_with("# ") && self.stack.is_empty()) || self.seen_h1 {
            return;
        }
        self.seen_h1 = true;
        if let Some(switch) = self.deferred_switch.take() {
            self.emit(quote, "");
            self.emit(quote, &switch);
            self.pending_blank = true;
        }
    }

    /// A heading anchor unique on the page. Both framework versions are on the page, so a
    /// heading of the second one gets `-tf` (or `-pt`); a page that repeats an anchor
    /// elsewhere (doc-builder writes both ids) gets a warning and `-2`, `-3`...
    fn unique_anchor(&mut self, anchor: &str, at: usize, written: bool) -> String {
        if self.anchors.insert(anchor.to_string()) {
            return anchor.to_string();
        }
        let branch = self.stack.iter().rev().find_map(|o| match o {
            Open::If { seen_else: false, which, .. } => Some(*which),
            Open::If { seen_else: true, which, .. } => Some(if *which == "pt" { "tf" } else { "pt" }),
            Open::Fw { which, .. } => Some(*which),
            _ => None,
        });
        if let Some(which) = branch {
            let id = format!("{anchor}-{which}");
            if self.anchors.insert(id.clone()) {
                return id;
            }
        }
        let mut n = 2;
        while !self.anchors.insert(format!("{anchor}-{n}")) {
            n += 1;
        }
        if !written {
            // Headings that repeat a title: doc-builder gives them one id, labbook numbers them.
            return format!("{anchor}-{n}");
        }
        self.warn(
            at,
            format!("the heading anchor `{anchor}` is used twice on this page; the second is `{anchor}-{n}`"),
        );
        format!("{anchor}-{n}")
    }

    /// Pops the innermost open block if `matches` it; else a located error naming what is open.
    fn close(&mut self, at: usize, matches: impl Fn(&Open) -> bool, closer: &str) -> Result<Open, Diagnostic> {
        match self.stack.last() {
            Some(o) if matches(o) => Ok(self.stack.pop().expect("checked")),
            Some(o) => {
                let (line, col, what, expected) = o.describe();
                Err(self.error(at, format!("{closer} closes nothing here: {what} opened at {line}:{col} must be closed first with {expected}")))
            }
            None => Err(self.error(at, format!("{closer} closes nothing: no block is open"))),
        }
    }

    /// A line starting with `<name` or `</name`; `None` when it is ordinary HTML.
    fn component(
        &mut self,
        i: usize,
        quote: &str,
        indent: &str,
        at: usize,
        name: &str,
        closing: bool,
    ) -> Result<Option<usize>, Diagnostic> {
        let (line_no, col) = self.position(at);
        if closing {
            match name {
                "Tip" => {
                    self.close(at, |o| matches!(o, Open::Tip { .. }), "`</Tip>`")?;
                    self.emit(quote, "");
                    return Ok(Some(i + 1));
                }
                "hfoptions" => {
                    self.close(at, |o| matches!(o, Open::Options { .. }), "`</hfoptions>`")?;
                }
                "hfoption" => {
                    self.close(at, |o| matches!(o, Open::Option { .. }), "`</hfoption>`")?;
                    // The panel and its label's wrapper.
                    self.emit_tag(quote, indent, "</div></div>");
                    return Ok(Some(i + 1));
                }
                "frameworkcontent" => {
                    self.close(at, |o| matches!(o, Open::Framework { .. }), "`</frameworkcontent>`")?;
                }
                "pt" | "tf" => {
                    let which = if name == "pt" { "pt" } else { "tf" };
                    self.close(at, |o| matches!(o, Open::Fw { which: w, .. } if *w == which), &format!("`</{name}>`"))?;
                }
                n if n.starts_with(char::is_uppercase) => {
                    let n = n.to_string();
                    self.close(at, |o| matches!(o, Open::Unknown { name, .. } if *name == n), &format!("`</{n}>`"))?;
                    self.emit(quote, "");
                    return Ok(Some(i + 1));
                }
                _ => return Ok(None),
            }
            self.emit_tag(quote, indent, "</div>");
            return Ok(Some(i + 1));
        }
        let is_custom = name.starts_with(char::is_uppercase)
            || matches!(name, "hfoptions" | "hfoption" | "frameworkcontent" | "pt" | "tf" | "iframe");
        if !is_custom {
            return Ok(None);
        }
        let tag = tag::read(self.text, at).map_err(|(o, m)| self.error(o, m))?;
        let (end_line, _) = self.position(tag.end.saturating_sub(1));
        let last = end_line - 1;
        let trailing = self.text[tag.end..self.lines[last].1].trim().to_string();
        match name {
            "Question" => {
                let block = self.question(&tag, at)?;
                let next = self.replace(quote, &block, i, last) + 1;
                return Ok(Some(next));
            }
            "Youtube" => {
                let id = tag.text("id").unwrap_or_default().to_string();
                if id.is_empty() {
                    return Err(self.error(at, "`<Youtube>` needs an `id`"));
                }
                let title = tag.text("title").map(str::to_string);
                self.uses_assets = true;
                let url = format!("https://www.youtube.com/watch?v={id}");
                let shown = title.unwrap_or_else(|| format!("youtube.com/watch?v={id}"));
                let html = card(
                    "hf-video",
                    self.words.get("docbuilder_video"),
                    &url,
                    &shown,
                    self.words.get("docbuilder_video_note"),
                );
                let next = self.replace(quote, &[format!("{indent}{html}")], i, last) + 1;
                self.pending_blank = true;
                return Ok(Some(next));
            }
            "iframe" => {
                let src = tag.text("src").unwrap_or_default().to_string();
                // The frame's end tag, possibly on a later line.
                let mut end = tag.end;
                if !tag.self_closing {
                    match self.text[end..].find("</iframe>") {
                        Some(k) if self.text[end..end + k].trim().is_empty() => end += k + "</iframe>".len(),
                        _ => return Err(self.error(at, "`<iframe>` is not closed with `</iframe>`")),
                    }
                }
                let (end_line, _) = self.position(end - 1);
                let last = end_line - 1;
                if !(src.starts_with("http://") || src.starts_with("https://") || src.starts_with("//")) {
                    for k in i..=last {
                        let l = self.line(k).to_string();
                        let (_, r) = quote_prefix(&l);
                        self.emit(quote, r);
                    }
                    return Ok(Some(last + 1));
                }
                self.uses_assets = true;
                let url = if src.starts_with("//") { format!("https:{src}") } else { src.clone() };
                let host = url.split('/').nth(2).unwrap_or(&url).to_string();
                let title = tag.text("title").map(str::to_string).unwrap_or_else(|| host.clone());
                let html = card(
                    "hf-embed",
                    self.words.get("docbuilder_embed"),
                    &url,
                    &title,
                    &self.words.fill("docbuilder_embed_note", &[("host", &host)]),
                );
                let next = self.replace(quote, &[format!("{indent}{html}")], i, last) + 1;
                self.pending_blank = true;
                return Ok(Some(next));
            }
            "CourseFloatingBanner" => {
                let block = match tag.attr("notebooks") {
                    Some(tag::AttrValue::Expr(e, offset)) => {
                        let (value, _) = jsvalue::parse(self.text, *offset)
                            .map_err(|e| self.error(e.offset, format!("in `notebooks`: {}", e.message)))?;
                        let _ = e;
                        let links: Vec<String> = value
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|n| Some((n.get("label")?.as_str()?, n.get("value")?.as_str()?)))
                                    .map(|(label, url)| {
                                        format!("<a href=\"{}\">{}</a>", escape_html(url), escape_html(label))
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        if links.is_empty() {
                            Vec::new()
                        } else {
                            self.uses_assets = true;
                            vec![format!(
                                "{indent}<p class=\"hf-notebooks\">{} {}</p>",
                                escape_html(self.words.get("docbuilder_open_notebook")),
                                links.join(" · ")
                            )]
                        }
                    }
                    _ => Vec::new(),
                };
                let next = self.replace(quote, &block, i, last) + 1;
                self.pending_blank = !block.is_empty();
                return Ok(Some(next));
            }
            "FrameworkSwitchCourse" => {
                self.uses_assets = true;
                self.groups += 1;
                let html = framework_switch(self.groups, self.words);
                if !self.seen_h1 && self.stack.is_empty() && quote.is_empty() {
                    self.deferred_switch = Some(html);
                    let next = self.replace(quote, &[], i, last) + 1;
                    return Ok(Some(next));
                }
                let next = self.replace(quote, &[format!("{indent}{html}")], i, last) + 1;
                self.pending_blank = true;
                return Ok(Some(next));
            }
            "frameworkcontent" => {
                self.uses_assets = true;
                self.groups += 1;
                self.stack.push(Open::Framework { line: line_no, col });
                let html = format!("<div class=\"hf-fwc\">{}", framework_switch(self.groups, self.words));
                self.emit_tag(quote, indent, &html);
                self.rest_of_line(quote, &trailing)?;
                return Ok(Some(last + 1));
            }
            "pt" | "tf" => {
                let which = if name == "pt" { "pt" } else { "tf" };
                self.stack.push(Open::Fw { line: line_no, col, which });
                self.emit_tag(quote, indent, &format!("<div class=\"hf-fw\" data-fw=\"{which}\">"));
                self.rest_of_line(quote, &trailing)?;
                return Ok(Some(last + 1));
            }
            "hfoptions" => {
                self.uses_assets = true;
                self.groups += 1;
                let id = tag.text("id").unwrap_or("options").to_string();
                let options = self.options_of(last + 1);
                if options.is_empty() {
                    return Err(self.error(at, "`<hfoptions>` holds no `<hfoption>`"));
                }
                let name = format!("hf-tabs-{}", self.groups);
                // Each option's radio button (in its label) stands right before its panel, so
                // one CSS rule shows the checked one's panel however many there are; the pair's
                // wrapper is `display: contents` and flex `order` lines the labels up above.
                let group = format!(
                    "<div class=\"hf-tabs\" data-group=\"{}\" role=\"group\" aria-label=\"{}\">",
                    escape_html(&id),
                    escape_html(&id.replace(['-', '_'], " "))
                );
                self.stack.push(Open::Options { line: line_no, col, name, options });
                self.emit_tag(quote, indent, &group);
                return Ok(Some(last + 1));
            }
            "hfoption" => {
                let Some(Open::Options { name, options, .. }) = self.stack.last() else {
                    return Err(self.error(at, "`<hfoption>` outside an `<hfoptions>` block"));
                };
                let value = tag.text("value").or(tag.text("id")).unwrap_or_default().to_string();
                let k = options.iter().position(|(v, _)| *v == value).unwrap_or(0);
                let label = options.get(k).map_or(value.as_str(), |(_, l)| l.as_str());
                let html = format!(
                    "<div class=\"hf-tab-pair\"><label class=\"hf-tab-label\"><input type=\"radio\" name=\"{name}\" value=\"{}\"{}> {}</label><div class=\"hf-tab\" data-value=\"{}\">",
                    escape_html(&value),
                    if k == 0 { " checked" } else { "" },
                    escape_html(label),
                    escape_html(&value)
                );
                self.stack.push(Open::Option { line: line_no, col });
                self.emit_tag(quote, indent, &html);
                self.rest_of_line(quote, &trailing)?;
                return Ok(Some(last + 1));
            }
            "Tip" => {
                let kind = if tag.flag("warning") { "WARNING" } else { "TIP" };
                self.emit(quote, &format!("{indent}> [!{kind}]"));
                self.stack.push(Open::Tip { line: line_no, col, indent: indent.to_string() });
                if let Some(title) = tag.text("title") {
                    let title = self.inline(title);
                    self.emit(quote, &format!("**{}**", title.trim()));
                    self.emit(quote, "");
                }
                for _ in i + 1..=last {
                    self.emit(quote, "");
                }
                if !trailing.is_empty() {
                    self.rest_of_line(quote, &trailing)?;
                }
                return Ok(Some(last + 1));
            }
            _ => {}
        }
        // Not a component labbook knows.
        self.warn(
            at,
            format!(
                "unknown component `<{name}>`: labbook does not render it{}",
                if tag.self_closing { "" } else { " and keeps the Markdown inside it" }
            ),
        );
        if !tag.self_closing {
            self.stack.push(Open::Unknown { line: line_no, col, name: name.to_string() });
        }
        for _ in i..=last {
            self.emit(quote, "");
        }
        if !trailing.is_empty() {
            self.rest_of_line(quote, &trailing)?;
        }
        Ok(Some(last + 1))
    }

    /// Content written after an opening tag on its line: an extra line of its own.
    fn rest_of_line(&mut self, quote: &str, trailing: &str) -> Result<(), Diagnostic> {
        if trailing.is_empty() {
            return Ok(());
        }
        if let Some(inner) = trailing.strip_suffix("</Tip>") {
            let s = self.inline(inner);
            self.emit(quote, &s);
            self.stack.pop();
            self.pending_blank = true;
        } else {
            let s = self.inline(trailing);
            self.emit(quote, &s);
        }
        Ok(())
    }

    /// The `<hfoption>`s of the `<hfoptions>` starting before line `from`: value and label.
    fn options_of(&self, from: usize) -> Vec<(String, String)> {
        let mut options = Vec::new();
        let mut depth = 0usize;
        let mut fence_open: Option<(u8, usize)> = None;
        for k in from..self.lines.len() {
            let (_, rest) = quote_prefix(self.line(k));
            if let Some((c, n)) = fence_open {
                if fence(rest).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                    fence_open = None;
                }
                continue;
            }
            if let Some(f) = fence(rest) {
                fence_open = Some(f);
                continue;
            }
            let t = rest.trim_start();
            if t.starts_with("</hfoptions") {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if t.starts_with("<hfoptions") {
                depth += 1;
            } else if depth == 0 && t.starts_with("<hfoption") {
                let offset = self.lines[k].0 + (self.line(k).len() - t.len());
                if let Ok(tag) = tag::read(self.text, offset) {
                    let value = tag.text("value").or(tag.text("id")).unwrap_or_default().to_string();
                    let label = tag.text("label").map(str::to_string).unwrap_or_else(|| value.clone());
                    options.push((value, label));
                }
            }
        }
        options
    }

    /// `<Question choices={[…]} />` as a `quiz` directive block.
    fn question(&mut self, tag: &Tag, at: usize) -> Result<Vec<String>, Diagnostic> {
        let Some(tag::AttrValue::Expr(_, offset)) = tag.attr("choices") else {
            return Err(self.error(at, "`<Question>` needs `choices={[…]}`"));
        };
        let (value, _) = jsvalue::parse(self.text, *offset)
            .map_err(|e| self.error(e.offset, format!("`choices` of `<Question>` does not read: {}", e.message)))?;
        let Some(items) = value.as_array() else {
            return Err(
                self.error(*offset, "`choices` of `<Question>` must be an array of `{ text, explain, correct }`")
            );
        };
        let mut choices = Vec::new();
        let mut correct = 0;
        for (k, item) in items.iter().enumerate() {
            let Some(text) = item.get("text").and_then(Value::as_str) else {
                return Err(self.error(*offset, format!("choice {} of `<Question>` has no `text`", k + 1)));
            };
            let is_correct = item.get("correct").and_then(Value::as_bool).unwrap_or(false);
            correct += usize::from(is_correct);
            let mut choice = json!({ "text": text, "correct": is_correct });
            if let Some(explain) = item.get("explain").and_then(Value::as_str).filter(|e| !e.trim().is_empty()) {
                choice["explain"] = json!(explain);
            }
            for key in item.as_object().into_iter().flat_map(|o| o.keys()) {
                if !matches!(key.as_str(), "text" | "explain" | "correct") {
                    self.warn(*offset, format!("choice {} of `<Question>`: labbook ignores `{key}`", k + 1));
                }
            }
            choices.push(choice);
        }
        if choices.len() < 2 {
            return Err(self.error(at, "a `<Question>` needs at least two choices"));
        }
        if correct == 0 {
            // doc-builder shows it (no answer is ever right): a list of the choices here.
            self.warn(at, "no choice of this `<Question>` has `correct: true`; its choices are shown as a list");
            return Ok(choices
                .iter()
                .map(|c| format!("- {}", c["text"].as_str().unwrap_or_default().replace('\n', " ")))
                .collect());
        }
        self.quizzes += 1;
        let spec = json!({ "multiple": correct > 1, "choices": choices });
        Ok(vec!["```quiz".into(), spec.to_string(), "```".into()])
    }

    /// `[[autodoc]] name` and its `- member` lines as an `autodoc` directive.
    fn autodoc(&mut self, i: usize, quote: &str, t: &str) -> usize {
        let object = t["[[autodoc]]".len()..].trim().to_string();
        let mut members = Vec::new();
        let mut last = i;
        while last + 1 < self.lines.len() {
            let (_, r) = quote_prefix(self.line(last + 1));
            match r.trim().strip_prefix("- ") {
                Some(m) if !m.trim().is_empty() => {
                    members.push(m.trim().to_string());
                    last += 1;
                }
                _ => break,
            }
        }
        // doc-builder documents every public method unless `- name` lines pick some (`all`
        // keeps every one).
        let members =
            if members.is_empty() || members.iter().any(|m| m == "all") { json!("all") } else { json!(members) };
        if !self.autodocs.insert(object.clone()) {
            // doc-builder writes the object twice (two ids alike); labbook places it once.
            let offset = self.lines[i].0 + self.line(i).find("[[").unwrap_or(0);
            self.warn(offset, format!("`[[autodoc]] {object}` is already on this page; it is placed once"));
            let note = format!("`{object}` is documented above.");
            return self.replace(quote, &[note], i, last) + 1;
        }
        let spec = json!({ "object": object, "members": members, "if-missing": "warn" });
        let block = vec!["```autodoc".to_string(), spec.to_string(), "```".to_string()];
        self.replace(quote, &block, i, last) + 1
    }

    /// Inline rewriting of a line outside code spans: maths delimiters, lone `$`.
    /// Every `<img>` of `line` (outside code spans) whose `src` is on the web becomes a link
    /// card ([`remote_img`]): the site works offline and loads nothing from elsewhere.
    fn remote_images(&mut self, line: &str, markdown: bool) -> String {
        let line = &if markdown { self.remote_markdown_images(line) } else { line.to_string() };
        if !line.contains("<img") {
            return line.to_string();
        }
        // Byte ranges of the code spans (in Markdown text; a raw HTML line has none), where an
        // `<img` is text. An attribute may hold backticks (`alt="The `x` interface"`).
        let mut code = Vec::new();
        if markdown {
            let base = line.as_ptr() as usize;
            for (is_code, part) in code_spans(line) {
                if is_code {
                    let start = part.as_ptr() as usize - base;
                    code.push(start..start + part.len());
                }
            }
        }
        let mut out = String::with_capacity(line.len() + 64);
        let mut copied = 0;
        let mut from = 0;
        while let Some(found) = line[from..].find("<img") {
            let at = from + found;
            from = at + 4;
            if code.iter().any(|r| r.contains(&at))
                || !line[from..].starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>')
            {
                continue;
            }
            let Ok(tag) = tag::read(line, at) else { continue };
            let src = tag.text("src").unwrap_or_default();
            if !(src.starts_with("http://") || src.starts_with("https://") || src.starts_with("//")) {
                continue;
            }
            self.uses_assets = true;
            out.push_str(&line[copied..at]);
            out.push_str(&remote_img(&tag, src, self.words));
            copied = tag.end;
            from = tag.end;
        }
        out.push_str(&line[copied..]);
        out
    }

    /// `![alt](https://…)` (outside code spans) as the same card as an off-site `<img>`.
    fn remote_markdown_images(&mut self, line: &str) -> String {
        if !line.contains("![") {
            return line.to_string();
        }
        let mut out = String::with_capacity(line.len());
        for (code, part) in code_spans(line) {
            if code {
                out.push_str(part);
                continue;
            }
            let mut rest = part;
            while let Some(at) = rest.find("![") {
                let after = &rest[at + 2..];
                let image = after.find("](").and_then(|close| {
                    let alt = &after[..close];
                    let target = &after[close + 2..];
                    let end = target.find(')')?;
                    let url = target[..end].split_whitespace().next().unwrap_or_default();
                    let remote = url.starts_with("http://") || url.starts_with("https://");
                    (remote && !alt.contains('[')).then(|| (alt, url, close + 2 + end + 1))
                });
                match image {
                    Some((alt, url, len)) => {
                        let tag = tag::Tag {
                            attrs: vec![("alt".into(), tag::AttrValue::Str(alt.to_string()))],
                            self_closing: true,
                            end: 0,
                        };
                        self.uses_assets = true;
                        out.push_str(&rest[..at]);
                        out.push_str(&remote_img(&tag, url, self.words));
                        rest = &after[len..];
                    }
                    None => {
                        out.push_str(&rest[..at + 2]);
                        rest = after;
                    }
                }
            }
            out.push_str(rest);
        }
        out
    }

    fn inline(&self, line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        for (code, part) in code_spans(line) {
            if code {
                out.push_str(part);
            } else {
                out.push_str(&math(part));
            }
        }
        out
    }
}

/// An off-site `<img>` as a card that names the image (its `alt`, else its file name:
/// `gpt2_architecture.png` -> "gpt2 architecture") and links to it, so an offline reader
/// knows what is missing and the page makes no request. The dark-theme twin of a pair
/// (`class="hidden dark:block"`) gives nothing: its light twin's card stands for both.
fn remote_img(tag: &tag::Tag, src: &str, labels: &Words) -> String {
    let class = tag.text("class").unwrap_or_default();
    let words: Vec<&str> = class.split_whitespace().collect();
    if words.contains(&"hidden") && words.contains(&"dark:block") {
        return String::new();
    }
    let url = if src.starts_with("//") { format!("https:{src}") } else { src.to_string() };
    let host = url.split('/').nth(2).unwrap_or(&url).to_string();
    let generic = |a: &&str| a.is_empty() || ["image", "img", "alt text"].contains(&a.to_lowercase().as_str());
    let shown = match tag.text("alt").map(str::trim).filter(|a| !generic(a)) {
        Some(alt) => alt.to_string(),
        None => {
            let file = url.rsplit('/').next().unwrap_or(&url).split(['?', '#']).next().unwrap_or_default();
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            // `1.png` says more than `1`.
            if stem.chars().any(char::is_alphabetic) {
                stem.replace(['_', '-'], " ")
            } else {
                file.to_string()
            }
        }
    };
    format!(
        "<span class=\"hf-card hf-image\"><span class=\"hf-card-title\">{} <a href=\"{}\">{}</a></span><span class=\"hf-card-note\">{}</span></span>",
        escape_html(labels.get("docbuilder_image")),
        escape_html(&url),
        escape_html(&shown),
        escape_html(&labels.fill("docbuilder_image_note", &[("host", &host)]))
    )
}

/// `{#if fw === 'pt'}` -> `pt`.
fn if_condition(t: &str) -> Option<&'static str> {
    let inner = t.strip_prefix("{#if")?.strip_suffix('}')?.trim();
    let inner = inner.strip_prefix("fw")?.trim_start();
    let inner = inner.strip_prefix("===").or_else(|| inner.strip_prefix("=="))?.trim();
    match inner.trim_matches(['\'', '"']) {
        "pt" => Some("pt"),
        "tf" => Some("tf"),
        _ => None,
    }
}

/// `## Title[[anchor]]` -> (`## Title`, `anchor`). An anchor with spaces, as translations
/// write them (`[[欢迎来到🤗 Hugging Face 课程]]`), has each run of whitespace as one `-`, since an
/// id has no spaces.
fn heading_anchor(line: &str) -> Option<(String, String)> {
    let t = line.trim_end();
    let open = t.rfind("[[")?;
    let anchor = t[open..].strip_prefix("[[")?.strip_suffix("]]")?;
    if anchor.trim().is_empty() || anchor.contains(['{', '}', '[', ']']) {
        return None;
    }
    Some((t[..open].trim_end().to_string(), anchor.split_whitespace().collect::<Vec<_>>().join("-")))
}

/// An ATX heading without an anchor (`## The `hf_token` argument ##`) -> (`## The `hf_token`
/// argument`, `the-hftoken-argument`): doc-builder's id, made from the heading's text
/// (code, link texts and image alts kept, tags and link targets dropped), trimmed and
/// lower-cased, each run of whitespace one `-`, then every character that is not a letter, a
/// digit or `-` dropped. `None` for a line that is no heading, one that gives its own id
/// (`{#id}`), or one whose id would be empty.
fn heading_slug(line: &str) -> Option<(String, String)> {
    let t = line.trim_end();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    let after = &t[hashes..];
    if !(1..=6).contains(&hashes) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    // An optional closing sequence: `#`s after a space.
    let mut body = after.trim();
    let stripped = body.trim_end_matches('#');
    if stripped.len() < body.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
        body = stripped.trim_end();
    }
    if body.ends_with('}') && body.contains("{#") {
        return None;
    }
    let text = heading_text(body);
    let slug: String = text
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    if slug.is_empty() {
        return None;
    }
    Some((format!("{} {body}", &t[..hashes]), slug))
}

/// The text a reader sees of a heading's Markdown: `[text](url)` and `![alt](src)` give their
/// text, HTML tags and code-span backticks go.
fn heading_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') && rest.contains('>') => {
                rest = &rest[rest.find('>').expect("checked") + 1..];
            }
            ']' if rest[1..].starts_with('(') && rest.contains(')') => {
                rest = &rest[rest.find(')').expect("checked") + 1..];
            }
            '!' if rest[1..].starts_with('[') => rest = &rest[1..],
            '[' | '`' => rest = &rest[1..],
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// A line split into code spans (`true`) and the text between them.
fn code_spans(line: &str) -> Vec<(bool, &str)> {
    let b = line.as_bytes();
    let mut parts = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let n = b[i..].iter().take_while(|&&c| c == b'`').count();
            // The closing run of exactly n backticks.
            let mut j = i + n;
            let mut close = None;
            while j < b.len() {
                if b[j] == b'`' {
                    let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                    if m == n {
                        close = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(end) => {
                    parts.push((false, &line[text_start..i]));
                    parts.push((true, &line[i..end]));
                    i = end;
                    text_start = end;
                }
                None => i += n,
            }
        } else {
            i += 1;
        }
    }
    parts.push((false, &line[text_start..]));
    parts
}

/// `\\( x \\)` -> `$x$`, `\\[ x \\]` -> `$$x$$`; a lone `$` (a price) stays text.
fn math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("\\\\(") {
            if let Some(end) = after.find("\\\\)") {
                out.push('$');
                out.push_str(&math(after[..end].trim()).replace("\\$", "$"));
                out.push('$');
                rest = &after[end + 3..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("\\\\[") {
            out.push_str("$$");
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("\\\\]") {
            out.push_str("$$");
            rest = after;
            continue;
        }
        // KaTeX's `\space`, which labbook's MathML writer does not know: a space.
        if let Some(after) = rest.strip_prefix("\\space") {
            if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                out.push_str("\\ ");
                rest = after;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("$$") {
            out.push_str("$$");
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("\\$") {
            out.push_str("\\$");
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('$') {
            out.push_str("\\$");
            rest = after;
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// An offline card for something that would load from the network; `kind` is its label
/// with the language's colon (`Video:`, `Vidéo :`).
fn card(class: &str, kind: &str, url: &str, shown: &str, note: &str) -> String {
    format!(
        "<div class=\"hf-card {class}\"><p class=\"hf-card-title\">{} <a href=\"{}\">{}</a></p><p class=\"hf-card-note\">{}</p></div>",
        escape_html(kind),
        escape_html(url),
        escape_html(shown),
        escape_html(note)
    )
}

/// The PyTorch/TensorFlow switch (radio buttons: it works with JS off through CSS `:has`).
fn framework_switch(n: usize, words: &Words) -> String {
    format!(
        "<div class=\"hf-fw-switch\" role=\"radiogroup\" aria-label=\"{}\"><label><input type=\"radio\" name=\"hf-fw-{n}\" value=\"pt\" checked> PyTorch</label><label><input type=\"radio\" name=\"hf-fw-{n}\" value=\"tf\"> TensorFlow</label></div>",
        escape_html(words.get("docbuilder_framework"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Words {
        Words::shipped("en", crate::STRINGS)
    }

    fn md(text: &str) -> String {
        convert(text, Path::new("p.mdx"), &english()).unwrap().markdown
    }

    #[test]
    fn headings_without_anchors_get_doc_builders_ids() {
        for (line, id) in [
            ("## The `hf_token` argument", "the-hftoken-argument"),
            ("### Using [pipelines](https://x.org/a_b) & <b>tools</b> ###", "using-pipelines--tools"),
            ("# Résumé   2.0", "résumé-20"),
            ("## 什么是 Transformers？", "什么是-transformers"),
        ] {
            assert_eq!(heading_slug(line).map(|(_, id)| id).as_deref(), Some(id), "{line}");
        }
        for not in ["#hashtag", "####### seven", "## Given {#mine}", "## ***"] {
            assert!(heading_slug(not).is_none(), "{not}");
        }
        let out = md("# Title\n\n## Setup\n\n## Setup\n");
        assert!(out.contains("## Setup {#setup}") && out.contains("## Setup {#setup-2}"), "{out}");
        let c = convert("## Setup\n\n## Setup\n", Path::new("p.mdx"), &english()).unwrap();
        assert!(c.warnings.is_empty(), "repeated titles are numbered quietly: {:?}", c.warnings);
    }

    /// Translations write anchors with spaces (the real zh-CN course: 63 pages); each run of
    /// whitespace becomes one `-`, and the brackets never show.
    #[test]
    fn anchors_with_spaces_become_ids() {
        let out = md("# 本章简介 [[本章简介]]\n\n## 欢迎来到🤗 Hugging Face 课程 [[欢迎来到🤗 Hugging Face 课程]]\n");
        assert!(out.contains("## 欢迎来到🤗 Hugging Face 课程 {#欢迎来到🤗-Hugging-Face-课程}"), "{out}");
        assert!(!out.contains("[["), "{out}");
        assert!(heading_anchor("## A [[ ]]").is_none() && heading_anchor("## A [[a{b}]]").is_none());
    }

    #[test]
    fn every_markdown_line_names_its_source_line() {
        let text = "# A\n\n[[autodoc]] pkg.One\n\n[[autodoc]] pkg.Two\n    - run\nLast [x](#y)\n";
        let c = convert(text, Path::new("p.mdx"), &english()).unwrap();
        let lines: Vec<&str> = c.markdown.lines().collect();
        assert_eq!(lines.len(), c.source_lines.len());
        let at = |needle: &str| c.source_lines[lines.iter().position(|l| l.contains(needle)).unwrap()];
        assert_eq!(at("pkg.One"), 3);
        assert_eq!(at("pkg.Two"), 5);
        assert_eq!(at("Last"), 7, "after two autodocs: {:?}\n{}", c.source_lines, c.markdown);
    }

    #[test]
    fn off_site_images_become_cards() {
        let out = md("<div>\n<img class=\"block dark:hidden\" src=\"https://h.co/a.svg\" alt=\"The `x` model\"/>\n<img class=\"hidden dark:block\" src=\"https://h.co/a-dark.svg\" alt=\"x\"/>\n</div>\n\nSee ![image](https://h.co/p/tok_en.png) and `<img src=\"https://h.co/c.png\">`, <img src=\"local.png\">.\n");
        assert_eq!(out.matches("<img src=\"https").count(), 1, "only the one in code: {out}");
        assert!(!out.contains("a-dark.svg"), "the dark twin gives nothing: {out}");
        assert!(out.contains(">The `x` model</a>") && out.contains(">tok en</a>"), "{out}");
        assert!(out.contains("`<img src=\"https://h.co/c.png\">`") && out.contains("<img src=\"local.png\">"), "{out}");
    }

    #[test]
    fn anchors_maths_and_code() {
        let out = md("# Behind the pipeline[[behind]]\n\nA \\\\(x_1\\\\) costs $5 and `<mask>` \\\\(y\\\\) `\\\\(z\\\\)`.\n```\n<Tip> \\\\(a\\\\)\n```\n");
        assert!(out.starts_with("# Behind the pipeline {#behind}\n"), "{out}");
        assert!(out.contains("A $x_1$ costs \\$5 and `<mask>` $y$ `\\\\(z\\\\)`."), "{out}");
        assert!(out.contains("```\n<Tip> \\\\(a\\\\)\n```"), "{out}");
    }

    #[test]
    fn lines_stay_in_place() {
        let src =
            "# T\n\n<Question\n\tchoices={[\n\t\t{text: 'a', correct: true},\n\t\t{text: 'b'},\n\t]}\n/>\n\nlast\n";
        let out = md(src);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[2], "```quiz");
        assert_eq!(lines[9], "last", "{out}");
    }

    #[test]
    fn tips_become_admonitions() {
        let out = md("<Tip warning={true}>\n\nBe careful.\n\n</Tip>\nafter\n");
        assert!(out.starts_with("> [!WARNING]\n>\n> Be careful.\n>\n\nafter"), "{out}");
        let e = convert("<Tip>\n\nnever closed\n", Path::new("p.mdx"), &english()).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1), "{e}");
    }

    #[test]
    fn a_question_without_a_right_answer_is_a_list_and_a_warning() {
        let c = convert(
            "<Question\n choices={[{text: 'a', corect: true}, {text: 'b'}]}\n/>\n",
            Path::new("p.mdx"),
            &english(),
        )
        .unwrap();
        assert!(c.markdown.starts_with("- a\n- b\n"), "{}", c.markdown);
        assert!(c.warnings.iter().any(|w| w.line == 1 && w.message.contains("correct: true")), "{:?}", c.warnings);
        assert!(c.warnings.iter().any(|w| w.message.contains("`corect`")), "{:?}", c.warnings);
    }

    #[test]
    fn text_after_else_goes_on() {
        let out = md("{#if fw === 'pt'}\na\n{:else}   b\n{/if}\n");
        assert!(out.contains("</div><div class=\"hf-fw\" data-fw=\"tf\">\n\nb\n"), "{out}");
    }

    #[test]
    fn framework_blocks_need_their_end() {
        let e = convert("x\n\n> {#if fw === 'pt'}\n> a\n", Path::new("p.mdx"), &english()).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3), "{e}");
        assert!(e.message.contains("{/if}"), "{e}");
    }
}
