//! A notebook as the Markdown of a page. What maps to what:
//!
//! | notebook                         | page                                                          |
//! |----------------------------------|---------------------------------------------------------------|
//! | markdown cell                    | its Markdown, through labbook's Markdown (math, admonitions, directives, link check) |
//! | code cell                        | a fenced block in the kernel's language (highlighted)         |
//! | `stream`                         | `<pre>`, ANSI colours as `ansi-*` classes, stderr marked      |
//! | `execute_result`, `display_data` | the first of text/html (sanitised with ammonia), image/svg+xml, image/png, image/jpeg, text/plain |
//! | `error`                          | the traceback in `<pre>`, with its ANSI colours               |
//! | tags `hide-input`/`hide-output`  | the part in a collapsed `<details>` (also Jupyter's `source_hidden`/`outputs_hidden`) |
//! | tags `remove-input`/`remove-output`/`remove-cell` | the part left out                            |
//! | raw cell                         | left out                                                      |
//! | `metadata.labbook`, `metadata.title` | front matter (`labbook`: title, description, tags, draft, weight) |
//! | image over [`INLINE_LIMIT`] bytes | a file `<page>_files/output_<cell>_<n>.<ext>` beside the page |
//! | `attachment:<name>` in a markdown cell | the cell's attachment, inline or a file `<page>_files/attachment_<cell>_<name>` |
//!
//! Outputs are written as one-line raw HTML blocks, so the Markdown stage passes them through
//! and the search index reads their text like the page's own. Blank lines before a markdown
//! cell put its first line on the line it has in the `.ipynb` file, so the Markdown stage's
//! errors and warnings (a broken link, bad maths) name the notebook's own line.

use std::sync::Arc;

use base64::Engine;
use labbook_core::content::{FrontMatter, PageFile};
use labbook_core::escape::escape_html;
use labbook_core::feature::PageSource;

use crate::ansi;
use crate::notebook::{Cell, CellMeta, Notebook, Output};

/// Decoded images up to this size stay inline (`data:` URLs); larger ones become files.
pub const INLINE_LIMIT: usize = 8 * 1024;

/// The page a notebook reads as. `output` is the page's output path (`ml/intro.html`);
/// `lines` gives each cell's source lines their lines in the file ([`crate::lines`]).
pub fn to_page(nb: &Notebook, output: &str, lines: Option<&[Vec<usize>]>) -> PageSource {
    let language = nb
        .metadata
        .kernelspec
        .as_ref()
        .and_then(|k| k.language.clone())
        .or_else(|| nb.metadata.language_info.as_ref().and_then(|l| l.name.clone()))
        .unwrap_or_else(|| "python".to_string());
    let mut front: FrontMatter = nb.metadata.labbook.clone().unwrap_or_default();
    if front.title.is_none() {
        front.title = nb.metadata.title.clone().filter(|t| !t.trim().is_empty());
    }
    let stem = output.rsplit('/').next().unwrap_or(output).trim_end_matches(".html");
    let folder = match output.rfind('/') {
        Some(i) => &output[..=i],
        None => "",
    };
    let mut writer = Writer { files: Vec::new(), files_dir: format!("{stem}_files"), folder: folder.to_string() };
    let mut body = String::new();
    let mut counted = (0, 0);
    for (index, cell) in nb.cells.iter().enumerate() {
        let number = index + 1;
        match cell {
            Cell::Markdown { source, metadata, attachments } => {
                if metadata.has("remove-cell") {
                    continue;
                }
                let file_line = lines.and_then(|l| l.get(index)).and_then(|l| l.first()).copied();
                if let Some(target) = file_line {
                    // Lines counted so far, and the bytes they were counted in: each byte once.
                    counted.1 += body[counted.0..].matches('\n').count();
                    counted.0 = body.len();
                    let padding = target.saturating_sub(counted.1 + 1);
                    body.push_str(&"\n".repeat(padding));
                    counted = (body.len(), counted.1 + padding);
                }
                let mut text = source.0.trim_end().to_string();
                for (name, bundle) in attachments {
                    if let Some(src) = writer.attachment(name, bundle, number) {
                        for written in [name.clone(), name.replace(' ', "%20")] {
                            text = text.replace(&format!("attachment:{written}"), &src);
                        }
                    }
                }
                body.push_str(&text);
                body.push_str("\n\n");
            }
            Cell::Code { source, metadata, outputs } => {
                if metadata.has("remove-cell") {
                    continue;
                }
                if !metadata.has("remove-input") && !source.0.trim().is_empty() {
                    let code = fenced(&language, &source.0);
                    body.push_str(&collapsible(hides_input(metadata), "Show code", &code));
                }
                if !metadata.has("remove-output") {
                    let html: String =
                        outputs.iter().enumerate().filter_map(|(n, o)| writer.output(o, number, n + 1)).collect();
                    if !html.is_empty() {
                        body.push_str(&collapsible(hides_output(metadata), "Show output", &html));
                    }
                }
            }
            Cell::Raw { .. } => {}
        }
    }
    let kernel = nb.metadata.kernelspec.as_ref().and_then(|k| k.display_name.clone()).unwrap_or(language);
    body.push_str(&format!("```notebook\nkernel: {}\n```\n", serde_json::to_string(&kernel).expect("a string")));
    PageSource { front, body, files: writer.files, warnings: Vec::new(), source_lines: Vec::new() }
}

fn hides_input(meta: &CellMeta) -> bool {
    meta.has("hide-input") || meta.has("hide-cell") || meta.jupyter.source_hidden
}

fn hides_output(meta: &CellMeta) -> bool {
    meta.has("hide-output") || meta.has("hide-cell") || meta.jupyter.outputs_hidden
}

/// `content` (Markdown blocks ending in a blank line), in a collapsed `<details>` when `hide`.
fn collapsible(hide: bool, summary: &str, content: &str) -> String {
    if hide {
        format!("<details class=\"nb-hidden\"><summary>{summary}</summary>\n\n{content}</details>\n\n")
    } else {
        content.to_string()
    }
}

/// A fenced code block longer than any backtick run in `code`.
fn fenced(language: &str, code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{language}\n{}\n{fence}\n\n", code.trim_end_matches('\n'))
}

struct Writer {
    files: Vec<PageFile>,
    /// `<stem>_files`, relative to the page.
    files_dir: String,
    /// The page's folder in the site (`ml/`), for the files' output paths.
    folder: String,
}

impl Writer {
    /// One output as a one-line raw HTML block followed by a blank line; `None` when it has
    /// no representation a page can show (a widget's state).
    fn output(&mut self, output: &Output, cell: usize, n: usize) -> Option<String> {
        let html = match output {
            Output::Stream { name, text } => {
                let class = if name == "stderr" { "nb-stream nb-stderr" } else { "nb-stream" };
                format!("<div class=\"nb-output {class}\"><pre>{}</pre></div>", ansi::to_html(&text.0))
            }
            Output::Error { traceback, ename, evalue } => {
                let text = if traceback.is_empty() { format!("{ename}: {evalue}") } else { traceback.join("\n") };
                format!("<div class=\"nb-output nb-error\"><pre>{}</pre></div>", ansi::to_html(&text))
            }
            Output::DisplayData { data } | Output::ExecuteResult { data } => self.rich(data, cell, n)?,
        };
        // One line: an HTML block ends at a blank line, and <pre> keeps its newlines as &#10;.
        Some(format!("{}\n\n", html.replace('\n', "&#10;")))
    }

    fn rich(&mut self, data: &serde_json::Map<String, serde_json::Value>, cell: usize, n: usize) -> Option<String> {
        let text = |mime: &str| -> Option<String> {
            match data.get(mime)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Array(lines) => Some(lines.iter().filter_map(|l| l.as_str()).collect()),
                _ => None,
            }
        };
        let plain = text("text/plain");
        let alt = plain
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.starts_with('<') && p.len() < 200)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Output {n} of cell {cell}"));
        if let Some(html) = text("text/html") {
            // Sanitised, then kept as one line: only a <pre> inside cares about its newlines,
            // which &#10; keeps.
            let clean = ammonia::clean(&html);
            if clean.trim().is_empty() {
                // Nothing survives (a video embed, a script): the output shows nothing.
                return None;
            }
            return Some(format!("<div class=\"nb-output nb-html\">{}</div>", clean.replace('\n', "&#10;")));
        }
        if let Some(svg) = text("image/svg+xml") {
            let src = self.image(svg.into_bytes(), "svg", "image/svg+xml", cell, n);
            return Some(image_html(&src, &alt));
        }
        for (mime, ext) in [("image/png", "png"), ("image/jpeg", "jpg")] {
            if let Some(b64) = text(mime) {
                let compact: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) else {
                    continue;
                };
                let src = self.image(bytes, ext, mime, cell, n);
                return Some(image_html(&src, &alt));
            }
        }
        let plain = plain?;
        Some(format!("<div class=\"nb-output nb-text\"><pre>{}</pre></div>", ansi::to_html(&plain)))
    }

    /// The `src` of a markdown cell's attachment `name` (the first image type it has).
    fn attachment(
        &mut self,
        name: &str,
        bundle: &serde_json::Map<String, serde_json::Value>,
        cell: usize,
    ) -> Option<String> {
        let types = [("image/png", "png"), ("image/jpeg", "jpg"), ("image/gif", "gif"), ("image/svg+xml", "svg")];
        let (mime, ext, data) =
            types.iter().find_map(|(mime, ext)| Some((*mime, *ext, bundle.get(*mime)?.as_str()?)))?;
        let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let bytes = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            Ok(bytes) => bytes,
            Err(_) if ext == "svg" => data.as_bytes().to_vec(),
            Err(_) => return None,
        };
        let safe: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        let stem = safe.strip_suffix(&format!("_{ext}")).unwrap_or(&safe).to_string();
        Some(self.file_src(bytes, &format!("attachment_{cell}_{stem}.{ext}"), mime))
    }

    /// The `src` of an image: a `data:` URL when small, else a file beside the page.
    fn image(&mut self, bytes: Vec<u8>, ext: &str, mime: &str, cell: usize, n: usize) -> String {
        self.file_src(bytes, &format!("output_{cell}_{n}.{ext}"), mime)
    }

    /// The `src` of the file `file` of the page: a `data:` URL when small, else the file.
    fn file_src(&mut self, bytes: Vec<u8>, file: &str, mime: &str) -> String {
        if bytes.len() <= INLINE_LIMIT {
            return format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(&bytes));
        }
        let name = format!("{}/{file}", self.files_dir);
        self.files.push(PageFile { output: format!("{}{name}", self.folder), bytes: Arc::new(bytes) });
        name
    }
}

fn image_html(src: &str, alt: &str) -> String {
    format!("<div class=\"nb-output nb-image\"><img src=\"{}\" alt=\"{}\"></div>", escape_html(src), escape_html(alt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::parse;
    use std::path::Path;

    fn page(cells: &str) -> PageSource {
        let text = format!(
            r#"{{"nbformat": 4, "nbformat_minor": 5, "metadata": {{"kernelspec": {{"language": "python", "display_name": "Python 3"}}, "title": "From metadata"}}, "cells": [{cells}]}}"#
        );
        to_page(&parse(Path::new("nb.ipynb"), &text).unwrap(), "ml/nb.html", None)
    }

    #[test]
    fn cells_map_to_markdown_code_and_outputs() {
        let p = page(
            r##"{"cell_type": "markdown", "metadata": {}, "source": "# Title\nSee $x^2$."},
               {"cell_type": "code", "metadata": {}, "source": "print('a')", "outputs": [
                 {"output_type": "stream", "name": "stderr", "text": ["\u001b[31mwarn\u001b[0m\n", "two\n"]},
                 {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": ["1 < 2"]}},
                 {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["\u001b[1;31mE\u001b[0m: v"]}]}"##,
        );
        assert_eq!(p.front.title.as_deref(), Some("From metadata"));
        assert!(p.body.starts_with("# Title\nSee $x^2$.\n\n```python\nprint('a')\n```\n\n"), "{}", p.body);
        assert!(p.body.contains("<div class=\"nb-output nb-stream nb-stderr\"><pre><span class=\"ansi-fg-red\">warn</span>&#10;two&#10;</pre></div>\n\n"), "{}", p.body);
        assert!(p.body.contains("<pre>1 &lt; 2</pre>"), "{}", p.body);
        assert!(
            p.body.contains(
                "<div class=\"nb-output nb-error\"><pre><span class=\"ansi-bold ansi-fg-red\">E</span>: v</pre></div>"
            ),
            "{}",
            p.body
        );
        assert!(p.body.ends_with("```notebook\nkernel: \"Python 3\"\n```\n"), "{}", p.body);
    }

    #[test]
    fn tags_hide_and_remove() {
        let cell = |tags: &str| {
            page(&format!(
                r#"{{"cell_type": "code", "metadata": {{"tags": [{tags}]}}, "source": "x = 1", "outputs": [{{"output_type": "stream", "name": "stdout", "text": "out"}}]}}"#
            ))
            .body
        };
        let body = cell("\"hide-input\"");
        assert!(body.starts_with("<details class=\"nb-hidden\"><summary>Show code</summary>\n\n```python\nx = 1\n```\n\n</details>\n\n<div class=\"nb-output nb-stream\"><pre>out</pre></div>"), "{body}");
        let body = cell("\"hide-output\"");
        assert!(
            body.starts_with(
                "```python\nx = 1\n```\n\n<details class=\"nb-hidden\"><summary>Show output</summary>\n\n<div"
            ),
            "{body}"
        );
        let body = cell("\"remove-input\"");
        assert!(body.starts_with("<div class=\"nb-output nb-stream\"><pre>out</pre></div>"), "{body}");
        let body = cell("\"remove-output\"");
        assert!(body.starts_with("```python\nx = 1\n```\n\n```notebook"), "{body}");
        let body = cell("\"remove-cell\"");
        assert!(body.starts_with("```notebook"), "{body}");
    }

    #[test]
    fn html_is_sanitised_and_large_images_become_files() {
        let big = base64::engine::general_purpose::STANDARD.encode(vec![7u8; INLINE_LIMIT + 1]);
        let small = base64::engine::general_purpose::STANDARD.encode(b"tiny");
        let p = page(&format!(
            r#"{{"cell_type": "code", "metadata": {{}}, "source": "df", "outputs": [
                {{"output_type": "execute_result", "metadata": {{}}, "data": {{"text/html": "<table onclick=\"x()\"><tr><td>1</td></tr></table><script>alert(1)</script>", "text/plain": "df"}}}},
                {{"output_type": "display_data", "metadata": {{}}, "data": {{"image/png": "{big}", "text/plain": "<Figure size 640x480>"}}}},
                {{"output_type": "display_data", "metadata": {{}}, "data": {{"image/jpeg": "{small}", "text/plain": "a photo"}}}}]}}"#
        ));
        assert!(
            p.body.contains("<div class=\"nb-output nb-html\"><table><tbody><tr><td>1</td></tr></tbody></table></div>"),
            "{}",
            p.body
        );
        assert!(!p.body.contains("script") && !p.body.contains("onclick"), "{}", p.body);
        assert!(p.body.contains("<img src=\"nb_files/output_1_2.png\" alt=\"Output 2 of cell 1\">"), "{}", p.body);
        assert_eq!(p.files.len(), 1);
        assert_eq!(p.files[0].output, "ml/nb_files/output_1_2.png");
        assert_eq!(p.files[0].bytes.len(), INLINE_LIMIT + 1);
        assert!(p.body.contains("<img src=\"data:image/jpeg;base64,dGlueQ==\" alt=\"a photo\">"), "{}", p.body);
    }

    #[test]
    fn code_with_backticks_gets_a_longer_fence() {
        assert_eq!(fenced("python", "s = '```'\n"), "````python\ns = '```'\n````\n\n");
    }
}
