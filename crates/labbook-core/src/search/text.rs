//! A rendered page's HTML to search sections: the text before the first `<h2>`/`<h3>`,
//! then one section per such heading, with its anchor id and its heading as plain text.
//!
//! The HTML is the Markdown stage's own output, so a small scanner is enough: tags are
//! dropped, block tags separate words, entities are decoded, and what a reader never sees
//! as prose (`<script>`, `<style>`, `<noscript>`, the heading's `§` link, MathML
//! annotations, and any element marked `data-search-ignore`, such as an exercise block,
//! which has a search record of its own) is skipped. Text in code and in elements marked
//! `data-search-example` is also kept apart, so that examples rank below prose. Maths becomes readable linear text
//! (`∂L/∂w = (2/n) ∑_i e_i x_i`), not the flattened tokens of its MathML.

/// One section of a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The heading's id; empty for the text before the first heading.
    pub anchor: String,
    /// The heading as plain text; empty for the text before the first heading.
    pub heading: String,
    /// The section's text with whitespace collapsed.
    pub text: String,
    /// The part of `text` inside code (`<code>`, `<pre>`, `<kbd>`, `<samp>`) or inside an
    /// element marked `data-search-example`: examples and listings, which rank below prose.
    pub code: String,
}

/// Elements whose content is not indexed.
/// `<h1>` is the page title, which the index holds on its own.
fn is_skipped(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "annotation" | "template" | "h1")
}

/// Elements that separate words (everything else is inline).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "thead"
            | "tbody"
            | "pre"
            | "br"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "dt"
            | "dd"
            | "dl"
            | "section"
            | "figure"
            | "figcaption"
            | "hr"
            | "math"
            | "mrow"
            | "mi"
            | "mo"
            | "mn"
            | "label"
            | "button"
            | "details"
            | "summary"
    )
}

/// Text with its whitespace collapsed as it is added: runs of whitespace become one space,
/// none at either end. The same as collapsing the whole text at once, without keeping it.
#[derive(Default)]
struct Collapsed {
    text: String,
    /// Whitespace was seen since the last word character.
    space: bool,
}

impl Collapsed {
    /// Room for `bytes` of text up front: a section's text grows from the HTML after its
    /// heading, and is never longer than that HTML but for a rare entity or formula.
    fn with_capacity(bytes: usize) -> Collapsed {
        Collapsed { text: String::with_capacity(bytes.min(MAX_SECTION_CAPACITY)), space: false }
    }

    fn push(&mut self, piece: &str) {
        if piece.is_ascii() {
            let mut rest = piece;
            while !rest.is_empty() {
                let word = rest.bytes().position(is_ascii_space).unwrap_or(rest.len());
                if word > 0 {
                    if self.space && !self.text.is_empty() {
                        self.text.push(' ');
                    }
                    self.space = false;
                    self.text.push_str(&rest[..word]);
                }
                rest = &rest[word..];
                let gap = rest.bytes().position(|b| !is_ascii_space(b)).unwrap_or(rest.len());
                if gap > 0 {
                    self.space = true;
                }
                rest = &rest[gap..];
            }
            return;
        }
        for (i, part) in piece.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if !part.is_empty() {
                if self.space && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.space = false;
                self.text.push_str(part);
            }
        }
    }
}

/// The most a section's text and code get up front ([`Collapsed::with_capacity`]): the
/// sections of a long page grow as they need beyond it.
const MAX_SECTION_CAPACITY: usize = 8 * 1024;

/// The ASCII characters [`char::is_whitespace`] accepts (which include the vertical tab).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The sections being read.
struct Reader {
    out: Vec<(String, String, Collapsed, Collapsed)>,
    /// The heading being read: its level, id and text so far.
    heading: Option<(u8, String, Collapsed)>,
    /// Entities decoded, reused from one run of text to the next.
    decoded: String,
}

impl Reader {
    /// Adds raw HTML text (entities not yet decoded) to the heading being read or to the
    /// last section, and to its code text too when `code`.
    fn push_text(&mut self, skipping: bool, code: bool, raw: &str) {
        if skipping || raw.is_empty() {
            return;
        }
        if raw.contains('&') {
            let mut decoded = std::mem::take(&mut self.decoded);
            decoded.clear();
            decode_entities_into(raw, &mut decoded);
            self.push_plain(code, &decoded);
            self.decoded = decoded;
        } else {
            self.push_plain(code, raw);
        }
    }

    fn push_plain(&mut self, code: bool, text: &str) {
        match &mut self.heading {
            Some((_, _, h)) => h.push(text),
            None => {
                let section = self.out.last_mut().expect("one section");
                section.2.push(text);
                if code {
                    section.3.push(text);
                }
            }
        }
    }
}

/// Splits a page's HTML into sections at its `<h2>` and `<h3>` headings.
pub fn sections(html: &str) -> Vec<Section> {
    // A section's text and code, made room for from the HTML that follows.
    let bodies = |rest: &str| (Collapsed::with_capacity(rest.len()), Collapsed::with_capacity(rest.len() / 4));
    let (text, code) = bodies(html);
    let mut reader =
        Reader { out: vec![(String::new(), String::new(), text, code)], heading: None, decoded: String::new() };
    let mut skip_depth: Option<(String, usize)> = None; // element being skipped, nesting
    let mut in_anchor_link = false;
    let mut code_depth = 0usize; // open <code>, <pre>, <kbd>, <samp> elements
    let mut example: Option<(String, usize)> = None; // element marked data-search-example, nesting
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            reader.push_text(skip_depth.is_some() || in_anchor_link, code_depth > 0, rest);
            break;
        };
        reader.push_text(skip_depth.is_some() || in_anchor_link, code_depth > 0, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', rest.as_bytes()) else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        // Borrowed: a highlighted code block is thousands of `<span>`s.
        let raw = tag.trim_start_matches('/');
        let raw = &raw[..raw.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(raw.len())];
        let name: std::borrow::Cow<str> =
            if raw.bytes().any(|b| b.is_ascii_uppercase()) { raw.to_ascii_lowercase().into() } else { raw.into() };
        if let Some((skipped, depth)) = &mut skip_depth {
            if *name == **skipped {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip_depth = None;
                    }
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && (is_skipped(&name) || has(tag, " data-search-ignore")) && !tag.ends_with('/') {
            skip_depth = Some((name.into_owned(), 1));
            continue;
        }
        if !closing && name == "math" && !in_anchor_link {
            let end = rest.find("</math>").unwrap_or(rest.len());
            let text = format!(" {} ", crate::markdown::math_text::linear(&rest[..end]));
            reader.push_plain(code_depth > 0, &text);
            rest = rest.get(end + "</math>".len()..).unwrap_or("");
            continue;
        }
        let level = match name.as_ref() {
            "h2" => Some(2),
            "h3" => Some(3),
            _ => None,
        };
        match (level, closing) {
            (Some(level), false) => {
                reader.heading = Some((level, attribute(tag, "id").unwrap_or_default(), Collapsed::default()));
                continue;
            }
            (Some(_), true) => {
                if let Some((_, id, text)) = reader.heading.take() {
                    let (body, code) = bodies(rest);
                    reader.out.push((id, text.text, body, code));
                }
                continue;
            }
            _ => {}
        }
        // The `§` link a heading carries is not part of its text.
        if name == "a" {
            if closing {
                in_anchor_link = false;
            } else if attribute(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "anchor")) {
                in_anchor_link = true;
            }
            continue;
        }
        if in_anchor_link {
            continue;
        }
        // An author's example (`data-search-example`) ranks like code.
        if !tag.ends_with('/') {
            if let Some((marked, depth)) = &mut example {
                if *name == **marked {
                    if closing {
                        *depth -= 1;
                    } else {
                        *depth += 1;
                    }
                    if *depth == 0 {
                        example = None;
                        code_depth = code_depth.saturating_sub(1);
                    }
                }
            } else if !closing && has(tag, " data-search-example") {
                example = Some((name.to_string(), 1));
                code_depth += 1;
            }
        }
        if matches!(name.as_ref(), "code" | "pre" | "kbd" | "samp") && !tag.ends_with('/') {
            code_depth = if closing { code_depth.saturating_sub(1) } else { code_depth + 1 };
        }
        if is_block(&name) {
            reader.push_text(false, true, " ");
        }
    }
    let mut out: Vec<Section> = reader
        .out
        .into_iter()
        .map(|(anchor, heading, text, code)| Section { anchor, heading, text: text.text, code: code.text })
        .collect();
    // A page that starts with its heading has nothing before it.
    if out.len() > 1 && out[0].text.is_empty() {
        out.remove(0);
    }
    out
}

/// Whether `tag` holds `needle`, which starts with a space: [`str::contains`] for a tag's
/// text, which has few spaces (a highlighted code block is thousands of `<span>`s).
fn has(tag: &str, needle: &str) -> bool {
    let bytes = tag.as_bytes();
    memchr::memchr_iter(b' ', bytes).any(|i| bytes[i..].starts_with(needle.as_bytes()))
}

/// The value of `name="..."` in a start tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(decode_entities(&tag[start..end]))
}

/// Decodes the entities an HTML writer emits: named basics and numeric references.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    decode_entities_into(text, &mut out);
    out
}

/// [`decode_entities`], added to `out`.
fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&name[2..], 16).ok()?)?
                }
                _ if name.starts_with('#') => char::from_u32(name[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_h2_and_h3_and_drops_markup() {
        let html = r##"<h1>Loss</h1>
<p>A <em>loss</em> function &amp; its <code>grad</code>.</p>
<h2 id="mse">Mean squared error<a class="anchor" href="#mse" aria-label="Link to this section">§</a></h2>
<p>Average of squares.</p><ul><li>one</li><li>two</li></ul>
<h3 id="why">Why <code>x²</code>?<a class="anchor" href="#why">§</a></h3>
<script>var ignored = 1;</script><p>Smooth&#x21;</p><noscript><p>hidden</p></noscript>
<h4 id="deep">Deeper</h4><p>still why</p>"##;
        let s = sections(html);
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].anchor, "");
        assert_eq!(s[0].text, "A loss function & its grad.");
        assert_eq!((s[1].anchor.as_str(), s[1].heading.as_str()), ("mse", "Mean squared error"));
        assert_eq!(s[1].text, "Average of squares. one two");
        assert_eq!(s[2].heading, "Why x²?");
        assert_eq!(s[2].text, "Smooth! Deeper still why");
        assert_eq!(s[0].code, "grad");
        let s = sections(
            r#"<p>Prose <code>x</code>.</p><div class="demo" data-search-example><div><p>Shown</p></div><p>too</p></div><p>after</p>"#,
        );
        assert_eq!(s[0].text, "Prose x. Shown too after");
        assert_eq!(s[0].code, "x Shown too");
    }

    #[test]
    fn a_page_starting_with_a_section_has_no_empty_intro() {
        let s = sections("<h2 id=\"a\">A</h2><p>x</p>");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].anchor, "a");
    }

    #[test]
    fn maths_reads_as_linear_text_and_ignored_blocks_are_skipped() {
        let html = r#"<p>The gradient <math><mfrac><mrow><mi>∂</mi><mi>L</mi></mrow><mrow><mi>∂</mi><mi>w</mi></mrow></mfrac><mo>=</mo><msub><mi>e</mi><mi>i</mi></msub></math> here.</p>
<section class="lb-exercise" data-search-ignore><h3>Exercise</h3><div><p>inner <section>nested</section> text</p></div></section><p>after</p>"#;
        let s = sections(html);
        assert_eq!(s.len(), 1, "{s:#?}");
        assert_eq!(s[0].text, "The gradient ∂L/∂w = e_i here. after");
    }

    #[test]
    fn whitespace_collapses_as_it_is_added_as_it_would_all_at_once() {
        let pieces =
            ["", " ", "a", " b  c ", "\u{b}d\u{c}", "e\u{a0}f", "\t\n", "g\u{3000}", "ü  ", "h", " \r\ni ", "\u{2028}"];
        // Every ordered pair and triple of pieces.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let mut collapsed = Collapsed::default();
                    collapsed.push(a);
                    collapsed.push(b);
                    collapsed.push(c);
                    let whole = format!("{a}{b}{c}");
                    let expected = whole.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert_eq!(collapsed.text, expected, "{whole:?}");
                }
            }
        }
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &lt;b&gt; &#39;c&#39; &unknown; &"), "a <b> 'c' &unknown; &");
    }
}
