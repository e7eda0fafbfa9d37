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
    /// With [`Section::code`], the section's code text: what is inside code (`<code>`,
    /// `<pre>`, `<kbd>`, `<samp>`) or inside an element marked `data-search-example`
    /// (examples and listings, which rank below prose), its whitespace collapsed apart from
    /// the prose. Where that text has the same words as `text` (a run of `text` between
    /// spaces that is all code, with no other code run into it), it is given as ranges of
    /// `text`, in order, so that it is not split into words twice (a listing's words are
    /// a third of a book's).
    pub code_spans: Vec<std::ops::Range<usize>>,
    /// The rest of the section's code text: code that runs into the prose around it
    /// (`` `x`. ``), or pieces of code that the prose between them has no space in, which
    /// join (as they did when the whole code text was collapsed on its own).
    pub code: String,
    /// The whole code text, collapsed on its own: what `code_spans` and `code` give.
    #[cfg(test)]
    whole_code: String,
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
            // Most of a book's text: its stretches of words with single spaces between them
            // are already collapsed, and are copied whole.
            let bytes = piece.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if is_ascii_space(bytes[i]) {
                    self.space = true;
                    i += 1;
                    continue;
                }
                let start = i;
                loop {
                    i += single_spaced(&bytes[i..]);
                    while i < bytes.len() && !is_ascii_space(bytes[i]) {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b' ') && bytes.get(i + 1).is_some_and(|&b| !is_ascii_space(b)) {
                        i += 1;
                        continue;
                    }
                    break;
                }
                self.word(&piece[start..i]);
            }
            return;
        }
        each_run(piece, |run| match run {
            Some(word) => self.word(word),
            None => self.space = true,
        });
    }

    /// Adds a run of non-whitespace, after a space when whitespace came before it.
    fn word(&mut self, word: &str) {
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push_str(word);
    }
}

/// How many bytes at the start of `bytes` (ASCII) are, eight at a time, already collapsed
/// text: bytes other than whitespace, and single spaces before such bytes. It stops at or
/// before the first byte that is whitespace and not such a space (and eight or fewer bytes
/// before the end), where a byte-by-byte look decides. Control characters other than
/// whitespace stop it too, and the byte-by-byte look goes on past them.
fn single_spaced(bytes: &[u8]) -> usize {
    use crate::search::tokenize::{bytes_at_least, HIGH_BITS, ONE_BYTES};
    let mut i = 0;
    // Each byte is read with the one after it, so the last byte is never in a chunk.
    while let (Some(here), Some(next)) = (bytes.get(i..i + 8), bytes.get(i + 1..i + 9)) {
        let here = u64::from_le_bytes(here.try_into().expect("eight bytes"));
        let next = u64::from_le_bytes(next.try_into().expect("eight bytes"));
        // A byte above the space goes on; so does a space with such a byte after it.
        let goes_on = bytes_at_least(here, b' ' + 1);
        let space = !bytes_at_least(here ^ (ONE_BYTES * u64::from(b' ')), 1) & HIGH_BITS;
        let stops = !goes_on & HIGH_BITS & !(space & bytes_at_least(next, b' ' + 1));
        if stops != 0 {
            return i + stops.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i
}

/// Calls `f` with each run of non-whitespace of `piece` and with `None` for whitespace
/// between, before or after them, in order.
fn each_run<'p>(piece: &'p str, mut f: impl FnMut(Option<&'p str>)) {
    if piece.is_ascii() {
        let mut rest = piece;
        while !rest.is_empty() {
            let word = rest.bytes().position(is_ascii_space).unwrap_or(rest.len());
            if word > 0 {
                f(Some(&rest[..word]));
            }
            rest = &rest[word..];
            let gap = rest.bytes().position(|b| !is_ascii_space(b)).unwrap_or(rest.len());
            if gap > 0 {
                f(None);
            }
            rest = &rest[gap..];
        }
        return;
    }
    for (i, part) in piece.split(char::is_whitespace).enumerate() {
        if i > 0 {
            f(None);
        }
        if !part.is_empty() {
            f(Some(part));
        }
    }
}

/// A section's body as it is read: its text, and its code text as [`Section::code_spans`]
/// and [`Section::code`].
///
/// The code text is collapsed on its own: whitespace in code or at a block's edge separates
/// its words, whitespace in prose does not. A run of words of it (between its spaces) is a
/// run of `text` as it stands when it starts a run of `text` (between spaces), ends with it,
/// and the prose adds nothing to that run of `text`. Whether it does is known when the code
/// text's next run begins (or the section ends), so the run being read is added to `code`
/// and taken off again when it turns out to be one of `text`.
struct Body {
    text: Collapsed,
    code: Collapsed,
    spans: Vec<std::ops::Range<usize>>,
    /// The run of the code text being read, from its first word on.
    run: Option<CodeRun>,
    #[cfg(test)]
    whole_code: Collapsed,
}

/// A run of the code text (between its spaces).
struct CodeRun {
    /// Where it starts in `code` (before the space that separates it).
    code_start: usize,
    /// The run of `text` it is word for word, while it can still be one.
    text: Option<std::ops::Range<usize>>,
}

impl Body {
    /// Room for a section whose HTML is `rest` at most.
    fn new(rest: &str) -> Body {
        Body {
            text: Collapsed::with_capacity(rest.len()),
            code: Collapsed::with_capacity(rest.len() / 8),
            spans: Vec::new(),
            run: None,
            #[cfg(test)]
            whole_code: Collapsed::default(),
        }
    }

    /// Adds text, which is code when `code`.
    fn push(&mut self, piece: &str, code: bool) {
        #[cfg(test)]
        if code {
            self.whole_code.push(piece);
        }
        if !code {
            // Prose joined to a run of `text` makes it more than the code run in it.
            if let Some(CodeRun { text: candidate @ Some(_), .. }) = &mut self.run {
                let joins = !self.text.space && piece.chars().next().is_some_and(|c| !c.is_whitespace());
                if joins && candidate.as_ref().is_some_and(|t| t.end == self.text.text.len()) {
                    *candidate = None;
                }
            }
            self.text.push(piece);
            return;
        }
        each_run(piece, |run| match run {
            None => {
                self.text.space = true;
                self.code.space = true;
            }
            Some(word) => self.code_word(word),
        });
    }

    fn code_word(&mut self, word: &str) {
        let starts_text_run = self.text.text.is_empty() || self.text.space;
        self.text.word(word);
        let end = self.text.text.len();
        let start = end - word.len();
        match &mut self.run {
            Some(run) if !self.code.space => {
                self.code.word(word);
                // Still word for word if the word follows the run's last one in `text` directly.
                run.text = match run.text.take() {
                    Some(text) if !starts_text_run && text.end == start => Some(text.start..end),
                    _ => None,
                };
            }
            _ => {
                self.end_code_run();
                let code_start = self.code.text.len();
                self.code.word(word);
                self.run = Some(CodeRun { code_start, text: starts_text_run.then_some(start..end) });
            }
        }
    }

    /// Decides the code run being read: a run of `text`, or code text apart.
    fn end_code_run(&mut self) {
        if let Some(CodeRun { code_start, text: Some(text) }) = self.run.take() {
            self.code.text.truncate(code_start);
            self.spans.push(text);
        }
    }

    fn finish(mut self, anchor: String, heading: String) -> Section {
        self.end_code_run();
        Section {
            anchor,
            heading,
            text: self.text.text,
            code_spans: self.spans,
            code: self.code.text,
            #[cfg(test)]
            whole_code: self.whole_code.text,
        }
    }
}

/// The most a section's text and code get up front ([`Collapsed::with_capacity`]): the
/// sections of a long page grow as they need beyond it.
const MAX_SECTION_CAPACITY: usize = 8 * 1024;

/// The ASCII characters [`char::is_whitespace`] accepts (which include the vertical tab).
fn is_ascii_space(b: u8) -> bool {
    // One compare and one bit test: the six are all at or below the space.
    const SPACES: u64 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << 0x0b | 1 << 0x0c | 1 << b'\r';
    b <= b' ' && SPACES >> b & 1 != 0
}

/// The sections being read.
struct Reader {
    /// The sections done.
    done: Vec<Section>,
    /// The section being read: its anchor, heading and body.
    current: (String, String, Body),
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
            None => self.current.2.push(text, code),
        }
    }

    /// Ends the section being read and starts the next, with `anchor`, `heading` and a
    /// body of at most `rest`.
    fn next_section(&mut self, anchor: String, heading: String, rest: &str) {
        let (anchor, heading, body) = std::mem::replace(&mut self.current, (anchor, heading, Body::new(rest)));
        self.done.push(body.finish(anchor, heading));
    }
}

/// Splits a page's HTML into sections at its `<h2>` and `<h3>` headings.
pub fn sections(html: &str) -> Vec<Section> {
    let mut reader = Reader {
        done: Vec::new(),
        current: (String::new(), String::new(), Body::new(html)),
        heading: None,
        decoded: String::new(),
    };
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
        let raw = &raw[..raw.bytes().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(raw.len())];
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
        // Most of a page's tags are the `<span>`s of its highlighted code: inline, and marking
        // nothing unless an author's span carries a mark (or is an example whose nesting
        // is being counted).
        if name == "span"
            && (closing || !has(tag, " data-search-"))
            && example.as_ref().is_none_or(|(marked, _)| marked != "span")
        {
            continue;
        }
        // One look for both marks: most tags have neither.
        let marked = !closing && has(tag, " data-search-");
        if !closing && (is_skipped(&name) || (marked && has(tag, " data-search-ignore"))) && !tag.ends_with('/') {
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
                reader.heading = Some((
                    level,
                    attribute(tag, "id").map(std::borrow::Cow::into_owned).unwrap_or_default(),
                    Collapsed::default(),
                ));
                continue;
            }
            (Some(_), true) => {
                if let Some((_, id, text)) = reader.heading.take() {
                    reader.next_section(id, text.text, rest);
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
            } else if marked && has(tag, " data-search-example") {
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
    let (anchor, heading, body) = reader.current;
    let mut out = reader.done;
    out.push(body.finish(anchor, heading));
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

/// The value of `name="..."` (after a space) in a start tag's text, found as [`has`] finds
/// its needle; borrowed when it has no entity (read for every heading and link of a book).
fn attribute<'t>(tag: &'t str, name: &str) -> Option<std::borrow::Cow<'t, str>> {
    let value = memchr::memchr_iter(b' ', tag.as_bytes())
        .find_map(|space| tag[space + 1..].strip_prefix(name)?.strip_prefix("=\""))?;
    Some(decode_entities(&value[..value.find('"')?]))
}

/// Decodes the entities an HTML writer emits: named basics and numeric references. The text
/// is borrowed when it has none (most of it).
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    decode_entities_into(text, &mut out);
    out.into()
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
        // `grad.`: the code runs into the prose.
        assert_eq!((s[0].code.as_str(), &s[0].code_spans[..]), ("grad", &[][..]));
        let s = sections(
            r#"<p>Prose <code>x</code>.</p><div class="demo" data-search-example><div><p>Shown</p></div><p>too</p></div><p>after</p>"#,
        );
        assert_eq!(s[0].text, "Prose x. Shown too after");
        assert_eq!(s[0].whole_code, "x Shown too");
        // `Shown` and `too` are runs of the text as they stand; `x.` is not.
        assert_eq!(s[0].code, "x");
        let spans: Vec<&str> = s[0].code_spans.iter().map(|r| &s[0].text[r.clone()]).collect();
        assert_eq!(spans, ["Shown", "too"]);
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
    fn long_ascii_pieces_collapse_as_they_would_all_at_once() {
        // Pieces long enough for the eight-at-a-time skip, with every kind of space and
        // control character at every place in its chunks.
        let bits =
            ["abcdefgh", "ij", "k", " ", "  ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{1}", "\u{1f}", "!", "~"];
        for text in crate::testing::random_pieces(&bits, 29, 4000) {
            // Pushed as two pieces: every seventh bit goes to the second.
            let mut pieces = vec![String::new(), String::new()];
            for (k, bit) in text.iter().enumerate() {
                pieces[usize::from(k % 7 == 6)].push_str(bit);
            }
            let mut collapsed = Collapsed::default();
            collapsed.push(&pieces[0]);
            collapsed.push(&pieces[1]);
            let whole = pieces.concat();
            let expected = whole.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapsed.text, expected, "{pieces:?}");
        }
    }

    #[test]
    fn code_text_is_the_spans_of_the_text_and_the_rest_word_for_word() {
        let tokenizer = crate::search::tokenize::Tokenizer::new("en");
        let words = |text: &str| -> Vec<String> {
            let mut words = Vec::new();
            tokenizer.each_word(text, |w, _| words.push(w.to_string()));
            words
        };
        // The words of the text that start inside a span, as the index counts them.
        let in_spans = |section: &Section| -> Vec<String> {
            let mut words = Vec::new();
            tokenizer.each_word_at(&section.text, |w, _, at| {
                if section.code_spans.iter().any(|r| r.contains(&at)) {
                    words.push(w.to_string());
                }
            });
            words
        };
        let s = sections(
            "<p><code>a</code>, <code>b</code> c</p><pre><code>fn x() {}\n</code></pre><p>d<code>e</code></p>",
        );
        assert_eq!(s[0].whole_code, "ab fn x() {} e");
        assert_eq!(s[0].code, "ab e", "joined apart from the prose, or run into it");
        let spans: Vec<&str> = s[0].code_spans.iter().map(|r| &s[0].text[r.clone()]).collect();
        assert_eq!(spans, ["fn", "x()", "{}"]);
        // Pieces of HTML in every order: the words of the spans and of the rest are the words
        // of the code text collapsed on its own.
        let pieces = [
            "<p>",
            "</p>",
            "<code>",
            "</code>",
            "<pre>",
            "</pre>",
            "<span>",
            "</span>",
            " ",
            "a",
            "b.",
            ",",
            "x_1",
            "\n",
            "&amp;",
            "<br>",
            "<div data-search-example>",
            "</div>",
            "学习",
            "\u{a0}",
            "<h2 id=\"h\">",
            "</h2>",
            "<em>",
            "</em>",
            "don't",
            "l.",
            "9",
        ];
        for html in crate::testing::random_pieces(&pieces, 23, 3000) {
            let html = html.concat();
            for section in sections(&html) {
                let mut got = in_spans(&section);
                let whole_spans: Vec<String> =
                    section.code_spans.iter().flat_map(|r| words(&section.text[r.clone()])).collect();
                assert_eq!(got, whole_spans, "{html:?}: a span holds whole words of the text");
                got.extend(words(&section.code));
                let mut expected = words(&section.whole_code);
                got.sort();
                expected.sort();
                assert_eq!(got, expected, "{html:?}: {section:?}");
                assert!(section.code_spans.windows(2).all(|w| w[0].end < w[1].start), "{html:?}");
            }
        }
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &lt;b&gt; &#39;c&#39; &unknown; &"), "a <b> 'c' &unknown; &");
    }

    #[test]
    fn attributes_are_found_after_a_space_and_decoded() {
        let tag = r#"h2 data-id="no" idea="no" id="a&amp;b" class="x anchor""#;
        assert_eq!(attribute(tag, "id").as_deref(), Some("a&b"));
        assert!(matches!(attribute(tag, "class"), Some(std::borrow::Cow::Borrowed("x anchor"))));
        assert_eq!(attribute(tag, "href"), None);
        assert_eq!(attribute(r#"a id="unclosed"#, "id"), None);
        assert_eq!(attribute(r#"aid="x""#, "id"), None);
    }
}
