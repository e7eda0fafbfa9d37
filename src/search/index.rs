//! The index files: postings grouped into shards by term range, one fragment per page, a
//! filter file and a small meta file that ties them together.
//!
//! Every file is JavaScript that hands its data to `window.__labbookSearch`, so the
//! browser loads it with a `<script>` tag, which works from `file://` where `fetch` does not.
//!
//! Postings are a compact string: for each section holding the term, four numbers in a
//! base-64 varint (5 data bits per character, the sixth says "more follows"): the page
//! number minus the previous posting's, the section number, `tf * 4 + flags` (1 = in the
//! page title, 2 = in the section heading) and the section's length in indexed words.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::text::{self, Section};
use super::tokenize::Tokenizer;
use super::{Kind, SearchDoc};
use crate::config::SearchBoost;
use crate::output::OutFile;

/// A shard is closed once its entries pass this many bytes (one frequent term may exceed it).
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;
/// Section text kept in page fragments for excerpts and phrase checks.
pub const MAX_SECTION_TEXT: usize = 3000;
/// The characters of the posting varints, in value order.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Flag: the term is in the page title.
const IN_TITLE: u32 = 1;
/// Flag: the term is in the section heading.
const IN_HEADING: u32 = 2;

/// One section holding a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    page: u32,
    section: u32,
    tf: u32,
    flags: u32,
    len: u32,
}

/// What one page contributes to the index.
struct PageTerms {
    sections: Vec<Section>,
    /// term -> one posting per section (page number filled in when merging).
    postings: Vec<(String, Posting)>,
    /// surface word -> term, where they differ.
    forms: Vec<(String, String)>,
    /// Indexed words in all sections.
    words: u64,
}

/// The index of a set of pages, ready to write.
pub struct Index {
    /// Files under `search/`, paths relative to the site root.
    pub files: Vec<OutFile>,
    /// The meta file's name inside `search/`.
    pub meta_name: String,
}

/// Builds every index file for `docs`.
pub fn build(docs: &[SearchDoc], tokenizer: &Tokenizer, boost: &SearchBoost) -> Index {
    let pages: Vec<PageTerms> = docs.par_iter().map(|d| page_terms(d, tokenizer)).collect();

    // Merge: pages in order, so every posting list is sorted by page then section.
    let mut postings: HashMap<String, Vec<Posting>> = HashMap::new();
    let mut forms: HashMap<String, String> = HashMap::new();
    let mut sections_total = 0u64;
    let mut words_total = 0u64;
    for (n, page) in pages.iter().enumerate() {
        sections_total += page.sections.len() as u64;
        words_total += page.words;
        for (term, p) in &page.postings {
            postings.entry(term.clone()).or_default().push(Posting { page: n as u32, ..*p });
        }
        for (word, term) in &page.forms {
            forms.entry(word.clone()).or_insert_with(|| term.clone());
        }
    }

    let mut keys: Vec<&String> = postings.keys().chain(forms.keys()).collect();
    keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    keys.dedup();

    // Shards: consecutive key ranges of about SHARD_TARGET_BYTES.
    let mut files = Vec::new();
    let mut shard_list: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    let mut first_key: Option<&str> = None;
    for key in keys {
        let mut value = postings.get(key).map(|p| encode_postings(p)).unwrap_or_default();
        if let Some(term) = forms.get(key) {
            value.push('=');
            value.push_str(term);
        }
        let entry = format!("{}:{}", json(key), json(&value));
        if !body.is_empty() && body.len() + entry.len() > SHARD_TARGET_BYTES {
            write_shard(&mut body, first_key.unwrap_or(""), &mut shard_list, &mut files);
            first_key = None;
        }
        if first_key.is_none() {
            first_key = Some(key);
        }
        if !body.is_empty() {
            body.push(',');
        }
        body.push_str(&entry);
    }
    if !body.is_empty() || shard_list.is_empty() {
        write_shard(&mut body, first_key.unwrap_or(""), &mut shard_list, &mut files);
    }

    // Page fragments share one hash, so the meta file names them all with one string.
    let fragments: Vec<String> =
        docs.iter().zip(&pages).enumerate().map(|(n, (doc, page))| fragment(n, doc, &page.sections)).collect();
    let mut hasher = Sha256::new();
    for f in &fragments {
        hasher.update(f.as_bytes());
    }
    let page_hash: String = hasher.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect();
    for (n, f) in fragments.into_iter().enumerate() {
        files.push(OutFile::bytes(&format!("search/page-{n}.{page_hash}.js"), f));
    }

    // Filters: which pages have which kind and tag; loaded when a reader filters.
    let mut kinds: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut tags: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (n, doc) in docs.iter().enumerate() {
        kinds.entry(doc.kind.name()).or_default().push(n as u32);
        for tag in &doc.tags {
            let list = tags.entry(tag.as_str()).or_default();
            if list.last() != Some(&(n as u32)) {
                list.push(n as u32);
            }
        }
    }
    let encode_lists = |lists: &BTreeMap<&str, Vec<u32>>| -> BTreeMap<String, String> {
        lists.iter().map(|(k, pages)| (k.to_string(), encode_page_list(pages))).collect()
    };
    let filters_js = format!(
        "window.__labbookSearch.filters({});\n",
        serde_json::json!({ "kind": encode_lists(&kinds), "tag": encode_lists(&tags) })
    );
    let filters_name = format!("filters.{}.js", hash(filters_js.as_bytes()));
    files.push(OutFile::bytes(&format!("search/{filters_name}"), filters_js));

    let counts = |lists: &BTreeMap<&str, Vec<u32>>| -> BTreeMap<String, usize> {
        lists.iter().map(|(k, v)| (k.to_string(), v.len())).collect()
    };
    let meta = Meta {
        version: 1,
        stemmer: tokenizer.algorithm,
        pages: docs.len(),
        sections: sections_total,
        avg_len: if sections_total == 0 {
            0.0
        } else {
            (words_total as f64 / sections_total as f64 * 10.0).round() / 10.0
        },
        boost: [boost.title, boost.heading],
        stop: tokenizer.stop_words(),
        shards: shard_list,
        page_hash,
        filters: filters_name,
        kinds: counts(&kinds),
        tags: counts(&tags),
    };
    let meta_js = format!("window.__labbookSearch.meta({});\n", serde_json::to_string(&meta).expect("meta serializes"));
    let meta_name = format!("meta.{}.js", hash(meta_js.as_bytes()));
    files.push(OutFile::bytes(&format!("search/{meta_name}"), meta_js));
    Index { files, meta_name }
}

/// Writes the entries gathered in `body` as the next shard, starting at key `first`.
fn write_shard(body: &mut String, first: &str, shard_list: &mut Vec<(String, String)>, files: &mut Vec<OutFile>) {
    let n = shard_list.len();
    let js = format!("window.__labbookSearch.shard({n},{{{body}}});\n");
    let name = format!("shard-{n}.{}.js", hash(js.as_bytes()));
    // The first shard starts at the beginning of the key space.
    let from = if n == 0 { String::new() } else { first.to_string() };
    shard_list.push((from, name.clone()));
    files.push(OutFile::bytes(&format!("search/{name}"), js));
    body.clear();
}

/// The meta file: everything a query needs before it knows which shards to load.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    version: u32,
    /// The Snowball algorithm the index was stemmed with, or null.
    stemmer: Option<&'static str>,
    pages: usize,
    sections: u64,
    /// Average indexed words per section, for BM25's length normalization.
    avg_len: f64,
    /// [title, heading] boosts.
    boost: [f64; 2],
    /// Stop words: dropped from queries that have other words.
    stop: &'static [&'static str],
    /// [first key, file name] per shard, in key order (UTF-16 code units, as JS compares).
    shards: Vec<(String, String)>,
    /// The hash every `page-<n>.<hash>.js` carries.
    page_hash: String,
    /// The filter file's name.
    filters: String,
    /// Pages per kind and per tag, for the filter buttons.
    kinds: BTreeMap<String, usize>,
    tags: BTreeMap<String, usize>,
}

/// Splits one page into sections and counts its terms.
fn page_terms(doc: &SearchDoc, tokenizer: &Tokenizer) -> PageTerms {
    let sections = text::sections(doc.html);
    let mut postings: Vec<(String, Posting)> = Vec::new();
    let mut forms: HashMap<String, String> = HashMap::new();
    let mut words = 0u64;
    let title_terms: Vec<String> = tokenizer
        .tokens(&doc.title)
        .into_iter()
        .map(|t| {
            if t.word != t.term {
                forms.insert(t.word, t.term.clone());
            }
            t.term
        })
        .collect();
    for (s, section) in sections.iter().enumerate() {
        // term -> (tf, flags)
        let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let mut len = 0u32;
        for token in tokenizer.tokens(&section.text) {
            if token.word != token.term {
                forms.insert(token.word.clone(), token.term.clone());
            }
            if token.stop {
                continue;
            }
            len += 1;
            let c = counts.entry(token.term).or_default();
            c.0 = (c.0 + 1).min(255);
        }
        for token in tokenizer.tokens(&section.heading) {
            if token.word != token.term {
                forms.insert(token.word, token.term.clone());
            }
            counts.entry(token.term).or_default().1 |= IN_HEADING;
        }
        if s == 0 {
            for term in &title_terms {
                counts.entry(term.clone()).or_default().1 |= IN_TITLE;
            }
        }
        words += u64::from(len);
        for (term, (tf, flags)) in counts {
            postings.push((term, Posting { page: 0, section: s as u32, tf, flags, len }));
        }
    }
    // The merge wants each term's sections in order: sort by term, keep section order.
    postings.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.section.cmp(&b.1.section)));
    PageTerms { sections, postings, forms: forms.into_iter().collect(), words }
}

/// `window.__labbookSearch.page(n, {...})`: what a result shows and links to.
fn fragment(n: usize, doc: &SearchDoc, sections: &[Section]) -> String {
    let sections: Vec<serde_json::Value> = sections
        .iter()
        .map(|s| serde_json::json!([s.anchor, s.heading, truncate(&s.text, MAX_SECTION_TEXT)]))
        .collect();
    let data = serde_json::json!({
        "title": doc.title,
        "url": doc.url,
        "crumbs": doc.breadcrumb,
        "kind": doc.kind.name(),
        "tags": doc.tags,
        "sections": sections,
    });
    format!("window.__labbookSearch.page({n},{data});\n")
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 6);
    let mut last_page = 0;
    for p in postings {
        push_varint(&mut out, p.page - last_page);
        push_varint(&mut out, p.section);
        push_varint(&mut out, p.tf * 4 + p.flags);
        push_varint(&mut out, p.len);
        last_page = p.page;
    }
    out
}

/// Sorted page numbers as deltas.
fn encode_page_list(pages: &[u32]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, &p) in pages.iter().enumerate() {
        push_varint(&mut out, if i == 0 { p } else { p - last });
        last = p;
    }
    out
}

/// Five bits per character, low bits first; the 32 bit marks "more characters follow".
fn push_varint(out: &mut String, mut value: u32) {
    loop {
        let low = value & 31;
        value >>= 5;
        if value == 0 {
            out.push(DIGITS[low as usize] as char);
            return;
        }
        out.push(DIGITS[(low | 32) as usize] as char);
    }
}

/// A JSON string literal.
fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// Ten hex digits of SHA-256, as the theme's asset names use.
fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(5).fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Kind {
    /// The name used in the index and the filter buttons.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Lesson => "lesson",
            Kind::Exercise => "exercise",
            Kind::Model => "model",
            Kind::Api => "api",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut value, mut shift) = (0u32, 0);
        for c in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u32;
            value |= (d & 31) << shift;
            shift += 5;
            if d & 32 == 0 {
                out.push(value);
                value = 0;
                shift = 0;
            }
        }
        out
    }

    #[test]
    fn varints_round_trip() {
        let mut s = String::new();
        for v in [0, 1, 31, 32, 1000, 123_456] {
            push_varint(&mut s, v);
        }
        assert_eq!(decode(&s), [0, 1, 31, 32, 1000, 123_456]);
        assert_eq!(&s[..3], "ABf");
    }

    #[test]
    fn postings_carry_page_deltas_and_flags() {
        let p = |page, section, tf, flags, len| Posting { page, section, tf, flags, len };
        let s = encode_postings(&[p(2, 0, 1, IN_TITLE, 10), p(2, 3, 2, 0, 40), p(7, 1, 0, IN_HEADING, 5)]);
        assert_eq!(decode(&s), [2, 0, 5, 10, 0, 3, 8, 40, 5, 1, 2, 5]);
    }
}
