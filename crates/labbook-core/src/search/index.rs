//! The index files: postings grouped into shards by term range, one fragment per page, a
//! filter file and a small meta file that ties them together.
//!
//! Every file is JavaScript that hands its data to `window.__labbookSearch`, so the
//! browser loads it with a `<script>` tag, which works from `file://` where `fetch` does not.
//!
//! Postings are a compact string: for each section holding the term, four numbers in a
//! base-64 varint (5 data bits per character, the sixth says "more follows"): the page
//! number minus the previous posting's, the section number, `tf * 8 + flags` (1 = in the
//! page title, 2 = in the section heading, 4 = only in code or examples in the section's body) and the section's length in indexed words divided by 8 (rounded).

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::text::{self, Section};
use super::tokenize::Tokenizer;
use super::SearchDoc;
use crate::config::SearchBoost;
use crate::output::OutFile;

/// A shard is closed once its entries pass this many bytes (one frequent term may exceed it).
pub const SHARD_TARGET_BYTES: usize = 24 * 1024;
/// A term's entry keeps at most this many sections: its best ones for that term alone
/// (BM25 with the title and heading boosts). A word in nearly every section would
/// otherwise cost tens of kilobytes per query while telling the ranking almost nothing;
/// the entry records its true counts, and the query treats such a word as optional when
/// the query has rarer words, as it does stop words.
pub const MAX_POSTINGS: usize = 1000;
/// Section text kept in page fragments for excerpts and phrase checks, in bytes: enough for
/// an excerpt, small enough that the fragments of ten results stay light. A section cut
/// short says so, and a phrase check gives it the benefit of the doubt.
pub const MAX_SECTION_TEXT: usize = 1200;
/// Page fragments per hash in their names ([`Meta`]'s `page_hashes`): an edit renames (and
/// a rebuild writes again) this many fragments, and the meta file, which every query loads,
/// carries 13 bytes per this many pages (about 2 KB for 10,000 pages).
pub const PAGE_BUCKET: usize = 64;
/// Spelling-dictionary shards are closed once they pass this many bytes.
pub const DICTIONARY_TARGET_BYTES: usize = 8 * 1024;
/// The shortest word a typo may be corrected to (a 4-letter query word, less one letter).
pub const MIN_SPELLING_CHARS: usize = 3;
/// The longest word kept in the spelling dictionary.
pub const MAX_SPELLING_CHARS: usize = 30;
/// The characters of the posting varints, in value order.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Flag: the term is in the page title.
const IN_TITLE: u32 = 1;
/// Flag: the term is in the section heading.
const IN_HEADING: u32 = 2;
/// Flag: every occurrence in the section's body is inside code (`<code>`, `<pre>`): an
/// example, a listing or an identifier, which ranks below the same words in prose.
const ONLY_IN_CODE: u32 = 4;
/// How much a body match that is [`ONLY_IN_CODE`] counts, against one in prose (search.js
/// uses the same factor).
pub const CODE_WEIGHT: f64 = 0.3;

/// One section holding a term: 12 bytes, of which a 10,000-page book holds millions until
/// they are encoded. The section's length is its page's ([`PageTerms::lens`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Posting {
    page: u32,
    section: u32,
    /// At most 255 ([`Terms::count`]).
    tf: u16,
    flags: u16,
}

/// What one page contributes to the index. Its sections' text is kept only as its page
/// fragment (cut to [`MAX_SECTION_TEXT`] a section), and its postings in 12 bytes each:
/// a 10,000-page book holds millions of them until they are merged.
struct PageTerms {
    /// Sections of the page.
    sections: usize,
    /// The page's fragment file (`search/page-<n>.<hash>.js`, the hash of its bucket).
    fragment: String,
    /// One per section holding a term, sections in order.
    hits: Vec<Hit>,
    /// Indexed words in each section.
    lens: Vec<u32>,
    /// Indexed words in all sections.
    words: u64,
}

/// A term in a section of a page: a [`Posting`] before the page number is known, its
/// section's length apart.
#[derive(Clone, Copy)]
struct Hit {
    /// The worker's term number.
    term: u32,
    section: u32,
    /// At most 255 ([`Terms::count`]).
    tf: u16,
    flags: u16,
}

/// What one worker made of its run of pages, ready to merge with the other workers': its
/// terms in key order and its postings by term, made on its own core.
struct Part {
    /// Term number -> term.
    names: Vec<String>,
    /// The term numbers, in key order ([`key_order`]).
    sorted: Vec<u32>,
    /// The words that are not their own term, with their term number, in key order.
    forms: Vec<(String, u32)>,
    /// Per term number, where its postings start in `postings`; then their end.
    starts: Vec<usize>,
    /// The postings of every term, term by term, each term's sorted by page then section.
    postings: Vec<Posting>,
    /// The pages, in order, their hits now in `postings`.
    pages: Vec<PageTerms>,
    /// The hash of each bucket of fragments written.
    hashes: Vec<String>,
}

impl Part {
    /// The part of pages numbered from `first`, whose terms `terms` numbered.
    fn new(first: usize, terms: Terms, mut pages: Vec<PageTerms>, hashes: Vec<String>) -> Part {
        let Terms { words, names, .. } = terms;
        let mut starts = vec![0usize; names.len() + 1];
        for page in &pages {
            for hit in &page.hits {
                starts[hit.term as usize + 1] += 1;
            }
        }
        for t in 1..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![Posting::default(); starts[names.len()]];
        for (k, page) in pages.iter_mut().enumerate() {
            for hit in std::mem::take(&mut page.hits) {
                let at = &mut next[hit.term as usize];
                postings[*at] =
                    Posting { page: (first + k) as u32, section: hit.section, tf: hit.tf, flags: hit.flags };
                *at += 1;
            }
        }
        // Sorted with the terms beside their numbers, not looked up at each comparison.
        let by_key: Vec<(&str, u32)> = names.iter().zip(0..).map(|(name, id)| (name.as_str(), id)).collect();
        let sorted: Vec<u32> = in_key_order(by_key, |t| t.0).into_iter().map(|(_, id)| id).collect();
        let forms: Vec<(String, u32)> =
            words.seen.into_iter().filter(|(word, id)| names[*id as usize] != *word).collect();
        let forms = in_key_order(forms, |f| &f.0);
        Part { names, sorted, forms, starts, postings, pages, hashes }
    }

    /// The postings of term number `term`.
    fn postings(&self, term: u32) -> &[Posting] {
        &self.postings[self.starts[term as usize]..self.starts[term as usize + 1]]
    }
}

/// A key of the index: a term, the form of a word whose term differs, or both.
struct Key<'p> {
    key: &'p str,
    /// Where the term's (part, term number) pairs are in [`Keys::homes`], parts in order.
    homes: std::ops::Range<usize>,
    /// The term of the word, when it is a form.
    form: Option<&'p str>,
}

/// Every key of the parts, in key order.
struct Keys<'p> {
    keys: Vec<Key<'p>>,
    homes: Vec<(u32, u32)>,
}

/// The order of the index's keys: the order JS compares strings in (UTF-16 code units).
/// That is the order of their UTF-8 bytes but where, at the first character that differs,
/// one is above U+FFFF (a lead byte of 0xF0 or more, a surrogate pair in UTF-16) and the
/// other is from U+E000 to U+FFFF (a lead byte of 0xEE or 0xEF): UTF-16's surrogates
/// come before those characters. (The strings agree up to the first byte that differs, so
/// that byte is in characters that start at the same place; if it is not their lead byte,
/// their lead bytes are the same and so are their lengths in either encoding.)
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match first_difference(x, y) {
        None => x.len().cmp(&y.len()),
        Some(i) => {
            let above_bmp = |c: u8| c >= 0xF0;
            let high_bmp = |c: u8| c == 0xEE || c == 0xEF;
            let (p, q) = (x[i], y[i]);
            if (above_bmp(p) && high_bmp(q)) || (high_bmp(p) && above_bmp(q)) {
                q.cmp(&p)
            } else {
                p.cmp(&q)
            }
        }
    }
}

/// A number whose order is [`key_order`]'s over the first eight bytes of a key: those bytes
/// big-endian, padded with zeros, with the lead bytes of characters from U+E000 to U+FFFF
/// (0xEE, 0xEF) moved above those of characters above U+FFFF (0xF0 to 0xF4), as UTF-16
/// orders them. Keys with different prefixes are in the prefixes' order; keys with the same
/// prefix need [`key_order`]. Sorting a part's terms compares these numbers first
/// ([`in_key_order`]): tens of thousands of keys, each comparison otherwise reading two
/// strings elsewhere in memory.
fn order_prefix(key: &str) -> u64 {
    let mut prefix = 0u64;
    for k in 0..8 {
        let byte = key.as_bytes().get(k).map_or(0, |&b| match b {
            0xEE | 0xEF => b + 0x10,
            0xF0.. => b - 2,
            _ => b,
        });
        prefix = prefix << 8 | u64::from(byte);
    }
    prefix
}

/// `items`, whose keys are all different, sorted by [`key_order`] of their keys, comparing
/// their [`order_prefix`]es first.
fn in_key_order<T>(items: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<T> {
    let mut items: Vec<(u64, T)> = items.into_iter().map(|item| (order_prefix(key(&item)), item)).collect();
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| key_order(key(&a.1), key(&b.1))));
    items.into_iter().map(|(_, item)| item).collect()
}

/// Where `x` and `y` first differ, if not within the shorter one's length: eight bytes at a
/// time (the index sorts and merges its keys with [`key_order`], hundreds of thousands of
/// comparisons).
fn first_difference(x: &[u8], y: &[u8]) -> Option<usize> {
    let n = x.len().min(y.len());
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("eight bytes"));
    let mut i = 0;
    while i + 8 <= n {
        let differ = word(x, i) ^ word(y, i);
        if differ != 0 {
            // Little-endian: the lowest set bit is in the first byte that differs.
            return Some(i + differ.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..n).find(|&k| x[k] != y[k])
}

/// The parts' terms and forms merged into one list of keys in key order (each part's are
/// sorted already, on its own core).
fn merge_keys(parts: &[Part]) -> Keys<'_> {
    // Per part, the next of its terms and of its forms.
    let mut at: Vec<(usize, usize)> = vec![(0, 0); parts.len()];
    let capacity = parts.iter().map(|p| p.sorted.len() + p.forms.len()).max().unwrap_or(0);
    let mut keys = Keys { keys: Vec::with_capacity(capacity + capacity / 4), homes: Vec::with_capacity(capacity) };
    loop {
        let mut least: Option<&str> = None;
        for (part, &(t, f)) in parts.iter().zip(&at) {
            let heads = [
                part.sorted.get(t).map(|&id| part.names[id as usize].as_str()),
                part.forms.get(f).map(|f| f.0.as_str()),
            ];
            for head in heads.into_iter().flatten() {
                if least.is_none_or(|l| key_order(head, l).is_lt()) {
                    least = Some(head);
                }
            }
        }
        let Some(key) = least else { break };
        let start = keys.homes.len();
        let mut form = None;
        for (p, (part, (t, f))) in parts.iter().zip(&mut at).enumerate() {
            if let Some(&id) = part.sorted.get(*t).filter(|&&id| part.names[id as usize] == key) {
                keys.homes.push((p as u32, id));
                *t += 1;
            }
            if let Some((_, id)) = part.forms.get(*f).filter(|(word, _)| word == key) {
                form.get_or_insert(part.names[*id as usize].as_str());
                *f += 1;
            }
        }
        keys.keys.push(Key { key, homes: start..keys.homes.len(), form });
    }
    keys
}

/// The index of a set of pages, ready to write.
pub struct Index {
    /// Files under `search/`, paths relative to the site root.
    pub files: Vec<OutFile>,
    /// The meta file's name inside `search/`.
    pub meta_name: String,
}

/// Where the index keeps what each page contributed between builds, by a key of the page's
/// document: a page whose document is unchanged is not split and tokenized again. The
/// bytes are the index's own ([`build_reusing`] writes and reads them).
pub trait TermsMemo: Sync {
    /// A salt for the keys: what else the bytes depend on (the version of labbook).
    fn salt(&self) -> [u8; 16];
    /// The bytes kept under `key`, if any.
    fn get(&self, key: &[u8; 16]) -> Option<Vec<u8>>;
    /// Keeps `bytes` under `key`.
    fn put(&self, key: [u8; 16], bytes: Vec<u8>);
}

/// Builds every index file for `docs`.
pub fn build(docs: &[SearchDoc], tokenizer: &Tokenizer, boost: &SearchBoost) -> Index {
    build_reusing(docs, tokenizer, boost, None)
}

/// [`build`], taking each page's terms from `memo` when its document is unchanged and
/// keeping the others' there. The index is the same either way.
pub fn build_reusing(
    docs: &[SearchDoc],
    tokenizer: &Tokenizer,
    boost: &SearchBoost,
    memo: Option<&dyn TermsMemo>,
) -> Index {
    let files = crate::output::Collect::default();
    let mut lent: Vec<SearchDoc> = docs.iter().map(SearchDoc::lend).collect();
    let meta_name = build_into(&mut lent, tokenizer, boost, memo, &files).expect("collecting files cannot fail");
    Index { files: files.into_files(), meta_name }
}

/// [`build_reusing`], each file given to `sink` as soon as it is made (the page fragments,
/// most of the index's bytes, before the postings are merged), so that they are not held
/// while the postings are. Each document's HTML is dropped (left empty) once its page is
/// indexed: a build that gives its pages' HTML away ([`super::book_docs_taking`]) holds it
/// and the index of the pages indexed so far, not the HTML of all pages and the whole
/// index at once. Returns the meta file's name inside `search/`.
pub fn build_into(
    docs: &mut [SearchDoc],
    tokenizer: &Tokenizer,
    boost: &SearchBoost,
    memo: Option<&dyn TermsMemo>,
    sink: &dyn crate::output::Sink,
) -> anyhow::Result<String> {
    build_into_splitting(docs, tokenizer, boost, memo, sink, SMALL_INDEX_PAGES)
}

/// [`build_into`], a book of at most `small` pages being split by its text.
fn build_into_splitting(
    docs: &mut [SearchDoc],
    tokenizer: &Tokenizer,
    boost: &SearchBoost,
    memo: Option<&dyn TermsMemo>,
    sink: &dyn crate::output::Sink,
    small: usize,
) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    // Each worker numbers the terms of the pages it indexes and stems each word once:
    // a book repeats its words, so the hot loop neither stems nor allocates. One run of
    // pages per part, so that a word is stemmed at most once per part (a finer split
    // would start a fresh cache for every piece).
    let threads = rayon::current_num_threads().max(1);
    let parts: Vec<Part> = if docs.len() <= small {
        // A small book: runs of about equal text, whatever their number of pages (a
        // chapter can hold ten times another's text), so the cores finish together; the
        // fragments, a few megabytes, are written once all runs are done.
        let total: usize = docs.iter().map(|d| d.html.len()).sum();
        let runs = threads * 2;
        let mut chunks: Vec<(usize, &mut [SearchDoc])> = Vec::with_capacity(runs);
        let (mut rest, mut start, mut before) = (&mut docs[..], 0, 0usize);
        while !rest.is_empty() {
            // The run ends after the page that takes the text past its share.
            let share = total * (chunks.len() + 1) / runs;
            let mut len = 0;
            while len < rest.len() && (len == 0 || before < share) {
                before += rest[len].html.len();
                len += 1;
            }
            let (chunk, after) = std::mem::take(&mut rest).split_at_mut(len);
            chunks.push((start, chunk));
            start += len;
            rest = after;
        }
        let mut parts = chunks
            .into_par_iter()
            .map(|(start, chunk)| index_run(start, chunk, tokenizer, memo, None))
            .collect::<anyhow::Result<Vec<Part>>>()?;
        let mut fragments: Vec<String> =
            parts.iter_mut().flat_map(|p| p.pages.iter_mut().map(|page| std::mem::take(&mut page.fragment))).collect();
        let hashes = fragments
            .par_chunks_mut(PAGE_BUCKET)
            .enumerate()
            .map(|(b, bucket)| {
                let mut bucket: Vec<String> = bucket.iter_mut().map(std::mem::take).collect();
                write_fragments(b * PAGE_BUCKET, &mut bucket, sink)
            })
            .collect::<anyhow::Result<Vec<String>>>()?;
        if let Some(first) = parts.first_mut() {
            first.hashes = hashes;
        }
        parts
    } else {
        // Each run is whole buckets of PAGE_BUCKET pages, so that a worker writes a bucket's
        // fragments as soon as it has indexed its pages: they are most of the index's bytes
        // (48 MB of a 10,000-page book), and are then never held all at once.
        let per_part = docs.len().div_ceil(threads).div_ceil(PAGE_BUCKET).max(1) * PAGE_BUCKET;
        docs.par_chunks_mut(per_part)
            .enumerate()
            .map(|(part, chunk)| index_run(part * per_part, chunk, tokenizer, memo, Some(sink)))
            .collect::<anyhow::Result<_>>()?
    };
    timing("index terms", started);

    // The parts' keys merged in key order: each part's postings of a term follow the
    // earlier parts' (pages in order), so every posting list is sorted by page then section.
    let keys = merge_keys(&parts);
    let mut sections_total = 0u64;
    let mut words_total = 0u64;
    // Per page, its sections' lengths in indexed words.
    let mut lens: Vec<&[u32]> = Vec::with_capacity(docs.len());
    let mut page_hashes = Vec::with_capacity(docs.len().div_ceil(PAGE_BUCKET));
    for part in &parts {
        page_hashes.extend(part.hashes.iter().cloned());
        for page in &part.pages {
            sections_total += page.sections as u64;
            words_total += page.words;
            lens.push(&page.lens);
        }
    }

    timing("index merge", started);
    let avg_len = if sections_total == 0 { 1.0 } else { words_total as f64 / sections_total as f64 };

    // The shards, and beside them the spelling dictionaries (which need only the keys).
    let (shards, ((dictionary, words_files), (reversed, rwords_files))) = rayon::join(
        || {
            // Shards: consecutive key ranges of about SHARD_TARGET_BYTES. Every entry is encoded on
            // every core, the shards are cut from their lengths (the one step in key order), then
            // each shard is joined and hashed on every core.
            let entries: Vec<String> = keys
                .keys
                .par_iter()
                .map_init(Vec::new, |joined: &mut Vec<Posting>, key| {
                    let homes = &keys.homes[key.homes.clone()];
                    let mut value = match homes {
                        [] => String::new(),
                        [(part, term)] => encode_entry(parts[*part as usize].postings(*term), &lens, avg_len, boost),
                        _ => {
                            joined.clear();
                            for &(part, term) in homes {
                                joined.extend_from_slice(parts[part as usize].postings(term));
                            }
                            encode_entry(joined, &lens, avg_len, boost)
                        }
                    };
                    if let Some(term) = key.form {
                        value.push('=');
                        value.push_str(term);
                    }
                    let mut entry = String::with_capacity(key.key.len() + value.len() + 8);
                    push_json(&mut entry, key.key);
                    entry.push(':');
                    push_json(&mut entry, &value);
                    entry
                })
                .collect();
            // Where each shard starts in `entries`: a shard takes entries while they fit in
            // SHARD_TARGET_BYTES (with their commas), and at least one.
            let mut cuts: Vec<usize> = Vec::new();
            let mut body_len = 0usize;
            for (i, entry) in entries.iter().enumerate() {
                if cuts.is_empty() || (body_len > 0 && body_len + entry.len() > SHARD_TARGET_BYTES) {
                    cuts.push(i);
                    body_len = 0;
                }
                if body_len > 0 {
                    body_len += 1;
                }
                body_len += entry.len();
            }
            if cuts.is_empty() {
                cuts.push(0);
            }
            (0..cuts.len())
                .into_par_iter()
                .map(|n| {
                    let range = cuts[n]..cuts.get(n + 1).copied().unwrap_or(entries.len());
                    let body_len: usize = entries[range.clone()].iter().map(|e| e.len() + 1).sum();
                    let mut js = String::with_capacity(body_len + 48);
                    js.push_str("window.__labbookSearch.shard(");
                    js.push_str(&n.to_string());
                    js.push_str(",{");
                    for (k, entry) in entries[range.clone()].iter().enumerate() {
                        if k > 0 {
                            js.push(',');
                        }
                        js.push_str(entry);
                    }
                    js.push_str("});\n");
                    let digest = hash(js.as_bytes());
                    let file = OutFile::bytes(&format!("search/shard-{n}.{digest}.js"), js);
                    // The first shard starts at the beginning of the key space.
                    let from = if n == 0 { String::new() } else { keys.keys[range.start].key.to_string() };
                    ((from, digest), file)
                })
                .collect::<Vec<((String, String), OutFile)>>()
        },
        || {
            let keys: Vec<&str> = keys.keys.iter().map(|k| k.key).collect();
            let words = spelling_words(&keys);
            // The two dictionaries side by side.
            rayon::join(
                || {
                    let mut files = Vec::new();
                    (write_dictionary("words", words.clone(), &mut files), files)
                },
                || {
                    let mut files = Vec::new();
                    (
                        write_dictionary(
                            "rwords",
                            words.iter().map(|w| w.chars().rev().collect::<String>()).collect(),
                            &mut files,
                        ),
                        files,
                    )
                },
            )
        },
    );
    let (shard_list, mut files): (Vec<(String, String)>, Vec<OutFile>) = shards.into_iter().unzip();
    files.extend(words_files);
    files.extend(rwords_files);

    // Filters: which pages have which kind and tag; loaded when a reader filters.
    let mut kinds: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut tags: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (n, doc) in docs.iter().enumerate() {
        kinds.entry(doc.kind.as_str()).or_default().push(n as u32);
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
        version: 2,
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
        elisions: tokenizer.elisions(),
        shards: shard_list,
        words: dictionary,
        rwords: reversed,
        page_bucket: PAGE_BUCKET,
        page_hashes,
        filters: filters_name,
        kinds: counts(&kinds),
        tags: counts(&tags),
    };
    let meta_js = format!("window.__labbookSearch.meta({});\n", serde_json::to_string(&meta).expect("meta serializes"));
    let meta_name = format!("meta.{}.js", hash(meta_js.as_bytes()));
    files.push(OutFile::bytes(&format!("search/{meta_name}"), meta_js));
    files.into_par_iter().try_for_each(|file| sink.put(file))?;
    timing("index files", started);
    Ok(meta_name)
}

/// Books of at most this many pages are indexed in runs of equal text, their fragments
/// written at the end ([`build_into`]).
const SMALL_INDEX_PAGES: usize = 8 * PAGE_BUCKET;

/// The part of the index made of `chunk`, the pages numbered from `start`. With a `sink`
/// (and `start` a multiple of [`PAGE_BUCKET`]), each bucket's fragments are written as soon
/// as its pages are indexed; without one, each page keeps its fragment.
fn index_run(
    start: usize,
    chunk: &mut [SearchDoc],
    tokenizer: &Tokenizer,
    memo: Option<&dyn TermsMemo>,
    sink: Option<&dyn crate::output::Sink>,
) -> anyhow::Result<Part> {
    let mut terms = Terms::default();
    let mut pages = Vec::with_capacity(chunk.len());
    // The hash of each bucket done, and the fragments of the one under way.
    let mut hashes = Vec::with_capacity(chunk.len().div_ceil(PAGE_BUCKET));
    let mut bucket: Vec<String> = Vec::with_capacity(if sink.is_some() { PAGE_BUCKET } else { 0 });
    let len = chunk.len();
    for (k, doc) in chunk.iter_mut().enumerate() {
        let n = start + k;
        let mut page = match memo {
            None => page_terms(n, doc, tokenizer, &mut terms),
            Some(memo) => {
                let key = doc_key(memo.salt(), doc, tokenizer);
                match memo.get(&key).and_then(|bytes| replay(n, &bytes, tokenizer, &mut terms)) {
                    Some(page) => page,
                    None => {
                        terms.recorded = Some(FxHashMap::default());
                        let page = page_terms(n, doc, tokenizer, &mut terms);
                        memo.put(key, record(n, &page, &mut terms));
                        page
                    }
                }
            }
        };
        doc.html = std::borrow::Cow::Borrowed("");
        if let Some(sink) = sink {
            bucket.push(std::mem::take(&mut page.fragment));
            if bucket.len() == PAGE_BUCKET || k + 1 == len {
                hashes.push(write_fragments(n + 1 - bucket.len(), &mut bucket, sink)?);
            }
        }
        pages.push(page);
    }
    Ok(Part::new(start, terms, pages, hashes))
}

/// Writes the fragments of the bucket of pages starting at page `first` (`bucket`, emptied),
/// and returns the hash their names carry. The fragments of each run of [`PAGE_BUCKET`]
/// pages share one hash, so the meta file names them all with a short list, and an edit
/// renames only its own run's fragments: a rebuild finds the others under the same name in
/// the previous site and keeps them.
fn write_fragments(first: usize, bucket: &mut Vec<String>, sink: &dyn crate::output::Sink) -> anyhow::Result<String> {
    let mut hasher = Xxh3::new();
    for fragment in bucket.iter() {
        hasher.update(fragment.as_bytes());
    }
    let hash = format!("{:010x}", hasher.digest() >> 24);
    for (k, fragment) in bucket.drain(..).enumerate() {
        sink.put(OutFile::bytes(&format!("search/page-{}.{hash}.js", first + k), fragment))?;
    }
    Ok(hash)
}

/// With `LABBOOK_TIMINGS=1`, prints how long a part of indexing took.
fn timing(name: &str, since: std::time::Instant) {
    if std::env::var_os("LABBOOK_TIMINGS").is_some() {
        eprintln!("{name:>18}: {:>7.1} ms{}", since.elapsed().as_secs_f64() * 1000.0, crate::pipeline::usage_so_far());
    }
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
    /// Elided words (`l`, `qu`): a query's `l'erreur` is looked up as `erreur`.
    elisions: &'static [&'static str],
    /// [first key, hash] per shard, in key order (UTF-16 code units, as JS compares); shard n
    /// is `shard-<n>.<hash>.js`.
    shards: Vec<(String, String)>,
    /// [first word, hash] per spelling-dictionary shard (`words-<n>.<hash>.js`), for typos.
    words: Vec<(String, String)>,
    /// The same words spelt backwards (`rwords-<n>.<hash>.js`), for typos near a word's start.
    rwords: Vec<(String, String)>,
    /// Pages per entry of `page_hashes`.
    page_bucket: usize,
    /// The hash `page-<n>.<hash>.js` carries, for each run of `page_bucket` pages: page n's
    /// is entry `n / page_bucket`.
    page_hashes: Vec<String>,
    /// The filter file's name.
    filters: String,
    /// Pages per kind and per tag, for the filter buttons.
    kinds: BTreeMap<String, usize>,
    tags: BTreeMap<String, usize>,
}

/// A word of up to [`WordKey::MAX`] bytes as a fixed-size key: its bytes as one or two
/// machine words, the last with the word's length in its top byte, which together determine
/// it. A worker looks up every word of every page (millions in a big book), and the lookup
/// waits on memory: a key that holds the word is hashed and compared where it lies in the
/// table, without reaching for a string elsewhere in memory (which cost a quarter of
/// indexing when the table's keys were `String`s), and the small keys of most words (up to
/// seven bytes) make entries of 16 bytes, so that more of the table stays in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WordKey {
    /// Up to seven bytes.
    Tiny(u64),
    /// Eight to fifteen: the first eight, then the rest.
    Short(u64, u64),
}

impl WordKey {
    /// The longest word made a key; longer ones are looked up by their text.
    const MAX: usize = 15;

    #[inline(always)]
    fn of(word: &str) -> Option<WordKey> {
        let b = word.as_bytes();
        let len = b.len();
        let with_len = |rest: &[u8]| small_bytes(rest) | (len as u64) << 56;
        match len {
            0..=7 => Some(WordKey::Tiny(with_len(b))),
            8..=Self::MAX => {
                Some(WordKey::Short(u64::from_le_bytes(b[..8].try_into().expect("eight bytes")), with_len(&b[8..])))
            }
            _ => None,
        }
    }
}

/// Up to seven bytes as a little-endian number, read as at most three overlapping loads.
#[inline(always)]
fn small_bytes(b: &[u8]) -> u64 {
    let len = b.len();
    let u32_at = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes")));
    match len {
        0 => 0,
        // The loads overlap where their bytes are the same, so OR puts each byte in place.
        1..=3 => u64::from(b[0]) | u64::from(b[len / 2]) << (8 * (len / 2)) | u64::from(b[len - 1]) << (8 * (len - 1)),
        _ => u32_at(0) | u32_at(len - 4) << (8 * (len - 4)),
    }
}

/// Lowercased words -> (term number, stop word?), and the words in the order first met.
/// Values are term numbers with [`STOP_BIT`] set for stop words.
#[derive(Default)]
struct WordIds {
    tiny: FxHashMap<u64, u32>,
    short: FxHashMap<(u64, u64), u32>,
    long: FxHashMap<String, u32>,
    /// Every word with its term number.
    seen: Vec<(String, u32)>,
}

/// Marks a stop word's entry in [`WordIds`] (term numbers stay far below it).
const STOP_BIT: u32 = 1 << 31;

impl WordIds {
    #[inline(always)]
    fn get(&self, word: &str) -> Option<(u32, bool)> {
        let value = match WordKey::of(word) {
            Some(WordKey::Tiny(key)) => self.tiny.get(&key),
            Some(WordKey::Short(head, tail)) => self.short.get(&(head, tail)),
            None => self.long.get(word),
        };
        value.map(|&v| (v & !STOP_BIT, v & STOP_BIT != 0))
    }

    fn insert(&mut self, word: &str, (id, stop): (u32, bool)) {
        assert!(id < STOP_BIT, "fewer than 2^31 terms");
        let value = id | if stop { STOP_BIT } else { 0 };
        match WordKey::of(word) {
            Some(WordKey::Tiny(key)) => self.tiny.insert(key, value),
            Some(WordKey::Short(head, tail)) => self.short.insert((head, tail), value),
            None => self.long.insert(word.to_string(), value),
        };
        self.seen.push((word.to_string(), id));
    }
}

/// The terms one worker has seen: words to term numbers, and the terms by number.
#[derive(Default)]
struct Terms {
    /// Lowercased word -> (term number, stop word?).
    words: WordIds,
    /// Term number -> term.
    names: Vec<String>,
    /// Term number -> its number in `names`, found by term text.
    by_name: FxHashMap<String, u32>,
    /// Per term number: (tf, flags) in the section being counted.
    counts: Vec<(u32, u32)>,
    /// Per term number: occurrences inside code in the section being counted.
    in_code: Vec<u32>,
    /// Term numbers with non-zero counts in the section being counted.
    touched: Vec<u32>,
    /// The hits of the page being counted (kept for its capacity between pages).
    hits: Vec<Hit>,
    /// While a page's terms are recorded for a [`TermsMemo`]: every word it looked up, once,
    /// with whether it is a CJK bigram.
    recorded: Option<FxHashMap<String, bool>>,
}

impl Terms {
    /// The term number of a word, stemming it the first time.
    #[inline(always)]
    fn id(&mut self, word: &str, cjk: bool, tokenizer: &Tokenizer) -> (u32, bool) {
        // Inlined where words are counted: most are known, and only recorded pages and new
        // words take the call below.
        if self.recorded.is_none() {
            if let Some(known) = self.words.get(word) {
                return known;
            }
        }
        self.record_or_add(word, cjk, tokenizer)
    }

    /// [`Terms::id`] of a word being recorded or not yet known. A new word is looked up a
    /// second time here: splitting the call into the recording and the numbering of a new
    /// word, each called from [`Terms::id`], cost the counting loop 0.9% more instructions
    /// (cachegrind, Rust book and search book) than the second lookup saved.
    #[inline(never)]
    fn record_or_add(&mut self, word: &str, cjk: bool, tokenizer: &Tokenizer) -> (u32, bool) {
        if let Some(recorded) = &mut self.recorded {
            if !recorded.contains_key(word) {
                recorded.insert(word.to_string(), cjk);
            }
        }
        if let Some(known) = self.words.get(word) {
            return known;
        }
        let (term, stop) = if cjk { (word.to_string(), false) } else { tokenizer.stem(word) };
        let next = self.names.len() as u32;
        let id = *self.by_name.entry(term.clone()).or_insert(next);
        if id == next {
            self.names.push(term);
            self.counts.push((0, 0));
            self.in_code.push(0);
        }
        self.words.insert(word, (id, stop));
        (id, stop)
    }

    #[inline(always)]
    fn count(&mut self, id: u32, tf: u32, flags: u32) {
        let c = &mut self.counts[id as usize];
        if *c == (0, 0) {
            self.touched.push(id);
        }
        c.0 = (c.0 + tf).min(255);
        c.1 |= flags;
    }
}

/// Splits one page into sections and counts its terms (numbered in `terms`).
fn page_terms(n: usize, doc: &SearchDoc, tokenizer: &Tokenizer, terms: &mut Terms) -> PageTerms {
    let sections = text::sections(&doc.html);
    let mut ids = Vec::new();
    tokenizer.each_word(&doc.title, |w, cjk| ids.push(terms.id(w, cjk, tokenizer).0));
    let title_ids = std::mem::take(&mut ids);
    let mut hits: Vec<Hit> = std::mem::take(&mut terms.hits);
    let mut lens: Vec<u32> = Vec::with_capacity(sections.len());
    let mut words = 0u64;
    for (s, section) in sections.iter().enumerate() {
        let mut len = 0u32;
        // Code text that is word for word a run of the text is counted as it is met there.
        let mut spans = section.code_spans.iter().peekable();
        tokenizer.each_word_at(&section.text, |w, cjk, at| {
            let (id, stop) = terms.id(w, cjk, tokenizer);
            if !stop {
                len += 1;
                terms.count(id, 1, 0);
                while spans.next_if(|span| span.end <= at).is_some() {}
                if spans.peek().is_some_and(|span| span.start <= at) {
                    terms.in_code[id as usize] += 1;
                }
            }
        });
        tokenizer.each_word(&section.heading, |w, cjk| ids.push(terms.id(w, cjk, tokenizer).0));
        for id in ids.drain(..) {
            terms.count(id, 0, IN_HEADING);
        }
        if s == 0 {
            for &id in &title_ids {
                terms.count(id, 0, IN_TITLE);
            }
        }
        words += u64::from(len);
        lens.push(len);
        tokenizer.each_word(&section.code, |w, cjk| {
            let (id, stop) = terms.id(w, cjk, tokenizer);
            // Only words the section's text counted (code that joins apart from the prose
            // makes words of its own).
            if !stop && terms.counts[id as usize].0 > 0 {
                terms.in_code[id as usize] += 1;
            }
        });
        // Taken and given back, so that the list keeps its capacity from section to section.
        let mut touched = std::mem::take(&mut terms.touched);
        for &id in &touched {
            let (tf, mut flags) = std::mem::take(&mut terms.counts[id as usize]);
            let in_code = std::mem::take(&mut terms.in_code[id as usize]);
            if tf > 0 && in_code >= tf {
                flags |= ONLY_IN_CODE;
            }
            // `count` keeps tf under 256 and the flags are three bits.
            hits.push(Hit { term: id, section: s as u32, tf: tf as u16, flags: flags as u16 });
        }
        touched.clear();
        terms.touched = touched;
    }
    // The page's hits at their final size, copied once out of the worker's list.
    let page_hits = hits.clone();
    hits.clear();
    terms.hits = hits;
    PageTerms { sections: sections.len(), fragment: fragment(n, doc, &sections), hits: page_hits, lens, words }
}

/// The key of what `doc` contributes to an index made with `tokenizer`.
fn doc_key(salt: [u8; 16], doc: &SearchDoc, tokenizer: &Tokenizer) -> [u8; 16] {
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&salt);
    field(format!("{:?} {:?} {:?}", tokenizer.algorithm, tokenizer.stop_words(), tokenizer.elisions()).as_bytes());
    let SearchDoc { url, title, breadcrumb, kind, tags, html, language } = doc;
    field(format!("{url:?} {title:?} {breadcrumb:?} {kind:?} {tags:?} {language:?}").as_bytes());
    field(html.as_bytes());
    h.digest128().to_le_bytes()
}

/// The bytes a [`TermsMemo`] keeps of page `n`'s terms, whose words `terms.recorded` holds
/// (and stops recording): the words, so that another build's worker numbers them itself,
/// and each hit naming one of the words of its term.
fn record(n: usize, page: &PageTerms, terms: &mut Terms) -> Vec<u8> {
    let words: Vec<(String, bool)> = terms.recorded.take().unwrap_or_default().into_iter().collect();
    let mut word_of: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, (word, _)) in words.iter().enumerate() {
        word_of.entry(terms.words.get(word).expect("a recorded word was looked up").0).or_insert(i as u32);
    }
    let mut out = Vec::with_capacity(page.fragment.len() + 16 * words.len() + 16 * page.hits.len());
    /// A LEB128 number.
    fn number(out: &mut Vec<u8>, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    number(&mut out, page.sections as u64);
    number(&mut out, page.words);
    number(&mut out, page.lens.len() as u64);
    for &len in &page.lens {
        number(&mut out, u64::from(len));
    }
    number(&mut out, words.len() as u64);
    for (word, cjk) in &words {
        number(&mut out, word.len() as u64 * 2 + u64::from(*cjk));
        out.extend_from_slice(word.as_bytes());
    }
    number(&mut out, page.hits.len() as u64);
    for hit in &page.hits {
        number(&mut out, u64::from(word_of[&hit.term]));
        number(&mut out, u64::from(hit.section));
        number(&mut out, u64::from(hit.tf));
        number(&mut out, u64::from(hit.flags));
    }
    let prefix = format!("window.__labbookSearch.page({n},");
    let rest = page.fragment.strip_prefix(&prefix).expect("a fragment starts with its call");
    number(&mut out, rest.len() as u64);
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Page `n`'s terms from the bytes [`record`] made (for whichever page number), numbered in
/// `terms`; `None` if they are damaged.
fn replay(n: usize, bytes: &[u8], tokenizer: &Tokenizer, terms: &mut Terms) -> Option<PageTerms> {
    let mut cursor = Cursor { bytes, pos: 0 };
    let sections = usize::try_from(cursor.number()?).ok()?;
    let words = cursor.number()?;
    let lens = (0..cursor.number()?).map(|_| cursor.small()).collect::<Option<Vec<u32>>>()?;
    let mut ids = Vec::new();
    for _ in 0..cursor.number()? {
        let tag = cursor.number()?;
        let word = std::str::from_utf8(cursor.take(usize::try_from(tag / 2).ok()?)?).ok()?;
        ids.push(terms.id(word, tag % 2 == 1, tokenizer).0);
    }
    let count = usize::try_from(cursor.number()?).ok()?;
    // At its final size (a hit takes at least four bytes of the record).
    let mut hits = Vec::with_capacity(count.min(bytes.len() / 4));
    for _ in 0..count {
        let term = *ids.get(usize::try_from(cursor.number()?).ok()?)?;
        let (section, tf, flags) = (cursor.small()?, cursor.small()?, cursor.small()?);
        hits.push(Hit { term, section, tf: u16::try_from(tf).ok()?, flags: u16::try_from(flags).ok()? });
    }
    let rest = usize::try_from(cursor.number()?).ok()?;
    if cursor.pos + rest != bytes.len() {
        return None;
    }
    let json = std::str::from_utf8(&bytes[cursor.pos..]).ok()?;
    let fragment = format!("window.__labbookSearch.page({n},{json}");
    Some(PageTerms { sections, fragment, hits, lens, words })
}

/// Reads what [`record`] wrote.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A LEB128 number.
    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.pos)?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn small(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(bytes)
    }
}

/// `window.__labbookSearch.page(n, {...})`: what a result shows and links to. The object's
/// fields, in order: `title`, `url`, `crumbs`, `kind`, `tags`, `sections` (each
/// `[anchor, heading, text]`, plus a 1 when the text was cut short) and, for a page in
/// another language than the site's, `lang`. Written by hand rather than through serde: a
/// book's fragments are most of its index's bytes.
fn fragment(n: usize, doc: &SearchDoc, sections: &[Section]) -> String {
    let text_len: usize = sections.iter().map(|s| s.text.len().min(MAX_SECTION_TEXT) + s.heading.len() + 16).sum();
    let mut out = String::with_capacity(text_len + doc.title.len() + doc.url.len() + 128);
    out.push_str("window.__labbookSearch.page(");
    out.push_str(&n.to_string());
    out.push_str(",{\"title\":");
    push_json(&mut out, &doc.title);
    out.push_str(",\"url\":");
    push_json(&mut out, &doc.url);
    out.push_str(",\"crumbs\":");
    push_json_list(&mut out, &doc.breadcrumb);
    out.push_str(",\"kind\":");
    push_json(&mut out, &doc.kind);
    out.push_str(",\"tags\":");
    push_json_list(&mut out, &doc.tags);
    out.push_str(",\"sections\":[");
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = truncate(&s.text, MAX_SECTION_TEXT);
        out.push('[');
        push_json(&mut out, &s.anchor);
        out.push(',');
        push_json(&mut out, &s.heading);
        out.push(',');
        push_json(&mut out, text);
        if text.len() < s.text.len() {
            out.push_str(",1");
        }
        out.push(']');
    }
    out.push(']');
    if let Some(lang) = &doc.language {
        out.push_str(",\"lang\":");
        push_json(&mut out, lang);
    }
    out.push_str("});\n");
    out
}

/// A JSON array of strings, added to `out`.
fn push_json_list(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json(out, item);
    }
    out.push(']');
}

/// At most `max` bytes of `text`, cut after a whole word when there is one.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(' ') {
        Some(space) if space > max / 2 => &text[..space],
        _ => &text[..end],
    }
}

/// The index keys a misspelt query word may be corrected to: words of letters only, of
/// [`MIN_SPELLING_CHARS`] to [`MAX_SPELLING_CHARS`] characters (identifiers with digits or
/// underscores, file names and CJK bigrams are not worth a correction).
fn spelling_words<'k>(keys: &[&'k str]) -> Vec<&'k str> {
    keys.iter()
        .copied()
        .filter(|k| {
            if k.is_ascii() {
                return (MIN_SPELLING_CHARS..=MAX_SPELLING_CHARS).contains(&k.len())
                    && k.bytes().all(|b| b.is_ascii_alphabetic());
            }
            let n = k.chars().count();
            (MIN_SPELLING_CHARS..=MAX_SPELLING_CHARS).contains(&n)
                && k.chars().all(|c| c.is_alphabetic() && !super::tokenize::is_cjk(c))
        })
        .collect()
}

/// Writes a spelling dictionary as shards of about [`DICTIONARY_TARGET_BYTES`]:
/// `window.__labbookSearch.words("<name>", n, "<words>")`, the words sorted and front-coded
/// (each word is one character giving how many leading characters it shares with the word
/// before, in [`DIGITS`], then the rest of it, then a space). Returns [first word, hash]
/// per shard. A query finds words sharing a prefix with it in `words` and words sharing a
/// suffix in `rwords` (the same words spelt backwards), so only a shard or two of each loads.
fn write_dictionary<W: AsRef<str>>(name: &str, words: Vec<W>, files: &mut Vec<OutFile>) -> Vec<(String, String)> {
    // The spelling words come in key order already (the sort only checks them); their
    // reversals do not.
    let words = in_key_order(words, |w| w.as_ref());
    let mut shards = Vec::new();
    let mut body = String::new();
    let mut first = String::new();
    let mut previous = String::new();
    let mut flush = |body: &mut String, first: &str, shards: &mut Vec<(String, String)>| {
        let n = shards.len();
        let js = format!("window.__labbookSearch.words({},{n},{});\n", json(name), json(body));
        let digest = hash(js.as_bytes());
        files.push(OutFile::bytes(&format!("search/{name}-{n}.{digest}.js"), js));
        shards.push((if n == 0 { String::new() } else { first.to_string() }, digest));
        body.clear();
    };
    for word in &words {
        let word = word.as_ref();
        if body.len() >= DICTIONARY_TARGET_BYTES {
            flush(&mut body, &first, &mut shards);
            previous.clear();
        }
        if body.is_empty() {
            first = word.to_string();
        }
        let shared = previous.chars().zip(word.chars()).take_while(|(a, b)| a == b).count().min(DIGITS.len() - 1);
        body.push(DIGITS[shared] as char);
        body.push_str(&word[word.char_indices().nth(shared).map_or(word.len(), |(at, _)| at)..]);
        body.push(' ');
        previous.clear();
        previous.push_str(word);
    }
    if !body.is_empty() || shards.is_empty() {
        flush(&mut body, &first, &mut shards);
    }
    shards
}

/// A term's entry: its postings, cut to the [`MAX_POSTINGS`] best sections when longer,
/// with the true section and page counts in front (`!<sections>.<pages>!`).
fn encode_entry<L: AsRef<[u32]>>(postings: &[Posting], lens: &[L], avg_len: f64, boost: &SearchBoost) -> String {
    let len = |p: &Posting| lens[p.page as usize].as_ref()[p.section as usize];
    if postings.len() <= MAX_POSTINGS {
        return encode_postings(postings, lens);
    }
    // The query ranks with BM25 (k1 1.2, b 0.75); the term's idf is the same for all.
    let impact = |p: &Posting| {
        let flags = u32::from(p.flags);
        let norm = 1.2 * (0.25 + 0.75 * f64::from(len(p).max(1)) / avg_len.max(1.0));
        let body = f64::from(p.tf) * 2.2 / (f64::from(p.tf) + norm)
            * if flags & ONLY_IN_CODE != 0 { CODE_WEIGHT } else { 1.0 };
        body + if flags & IN_TITLE != 0 { boost.title } else { 0.0 }
            + if flags & IN_HEADING != 0 { boost.heading } else { 0.0 }
    };
    // The best by impact, ties to the earlier section: a total order (a section holds a term
    // once), so the sections kept are the same however they are found. Each impact is
    // computed once, and only the kept ones are sorted.
    let mut ranked: Vec<(f64, &Posting)> = postings.iter().map(|p| (impact(p), p)).collect();
    let order = |a: &(f64, &Posting), b: &(f64, &Posting)| {
        b.0.total_cmp(&a.0).then(a.1.page.cmp(&b.1.page)).then(a.1.section.cmp(&b.1.section))
    };
    ranked.select_nth_unstable_by(MAX_POSTINGS - 1, order);
    let mut best: Vec<Posting> = ranked[..MAX_POSTINGS].iter().map(|&(_, p)| *p).collect();
    best.sort_unstable_by_key(|p| (p.page, p.section));
    let mut pages = 0;
    let mut last = None;
    for p in postings {
        if last != Some(p.page) {
            pages += 1;
            last = Some(p.page);
        }
    }
    format!("!{}.{}!{}", postings.len(), pages, encode_postings(&best, lens))
}

fn encode_postings<L: AsRef<[u32]>>(postings: &[Posting], lens: &[L]) -> String {
    let mut out = String::with_capacity(postings.len() * 6);
    let mut last_page = 0;
    for p in postings {
        push_varint(&mut out, p.page - last_page);
        push_varint(&mut out, p.section);
        push_varint(&mut out, u32::from(p.tf) * 8 + u32::from(p.flags));
        // Lengths in units of 8 words: precise enough for BM25, one character less.
        push_varint(&mut out, (lens[p.page as usize].as_ref()[p.section as usize] + 4) / 8);
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
    let mut out = String::new();
    push_json(&mut out, text);
    out
}

/// [`json`], added to `out`: the same escapes as serde_json's (`\"`, `\\`, the short forms
/// of five control characters, `\u00xx` for the others), the runs between them copied whole.
fn push_json(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs an escape (the text of a page has few).
        if let Some(chunk) = bytes.get(i..i + 8) {
            if !needs_escape(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let i = i - 1;
        // Only ASCII bytes are escaped, so `i` is a character boundary.
        out.push_str(&text[from..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        from = i + 1;
    }
    out.push_str(&text[from..]);
    out.push('"');
}

/// Whether any of eight bytes is a control character, `"` or `\\` (bit tricks: a byte below
/// 0x20 sets its high bit in `x - 0x20` where `x` had it clear; the other two are bytes that
/// are zero once XORed with them).
fn needs_escape(x: u64) -> bool {
    use super::tokenize::{HIGH_BITS, ONE_BYTES};
    // Not `tokenize::bytes_at_least`, which needs ASCII: JSON text has UTF-8's upper bytes.
    let below = |v: u64, n: u64| v.wrapping_sub(ONE_BYTES * n) & !v & HIGH_BITS;
    (below(x, 0x20) | below(x ^ (ONE_BYTES * u64::from(b'"')), 1) | below(x ^ (ONE_BYTES * u64::from(b'\\')), 1)) != 0
}

/// Ten hex digits of a file's content hash, for its name. XXH3 rather than SHA-256: the
/// names only need to change with the content, and the software SHA-256 of this CPU was
/// 40% of indexing.
fn hash(bytes: &[u8]) -> String {
    format!("{:010x}", xxh3_64(bytes) >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Page `n` of a test book: `p<n>.html`, titled `Page <n>`, a lesson without crumbs or tags.
    fn page(n: usize, html: String) -> SearchDoc<'static> {
        SearchDoc {
            url: format!("p{n}.html"),
            title: format!("Page {n}"),
            breadcrumb: Vec::new(),
            kind: "lesson".into(),
            tags: Vec::new(),
            html: html.into(),
            language: None,
        }
    }

    #[test]
    fn a_small_book_split_by_its_text_gets_the_index_of_whole_buckets() {
        // 300 pages of very unequal length (five buckets, the last one short), indexed in
        // runs of equal text and in runs of whole buckets: the same files.
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| SearchDoc {
                breadcrumb: vec!["Part".into()],
                tags: if i % 7 == 0 { vec!["seven".into()] } else { Vec::new() },
                ..page(
                    i,
                    format!(
                        "<p>{}</p><h2 id=\"s\">Section {i}</h2><p>gradient descent{}</p>",
                        "word ".repeat(1 + (i * 37) % 200),
                        " momentum".repeat(i % 3)
                    ),
                )
            })
            .collect();
        let tokenizer = Tokenizer::new("en");
        let boost = SearchBoost::default();
        let index = |small: usize| {
            let files = crate::output::Collect::default();
            let mut lent: Vec<SearchDoc> = docs.iter().map(SearchDoc::lend).collect();
            let meta_name = build_into_splitting(&mut lent, &tokenizer, &boost, None, &files, small).expect("collects");
            files_by_path(Index { files: files.into_files(), meta_name })
        };
        let split = index(usize::MAX);
        assert_eq!(split, index(0));
        assert_eq!(split.iter().filter(|(p, _)| p.starts_with("search/page-")).count(), 300);
    }

    #[test]
    fn word_keys_tell_every_word_apart() {
        // Every word of up to four letters from a small alphabet (their keys read the
        // same bytes twice), and longer ones that differ in one byte anywhere.
        let letters = ["a", "b", "é"];
        let mut words: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> =
                words.iter().flat_map(|w| letters.iter().map(move |l| format!("{w}{l}"))).collect();
            words.extend(longer);
        }
        words.sort();
        words.dedup();
        let base = "abcdefghijklmnop";
        for len in 5..=WordKey::MAX {
            for at in 0..len {
                let mut bytes = base.as_bytes()[..len].to_vec();
                bytes[at] = b'z';
                words.push(String::from_utf8(bytes).expect("ascii"));
            }
            words.push(base[..len].to_string());
        }
        // Runs of one letter, and words with NUL bytes, of every length a key holds.
        for len in 8..=WordKey::MAX {
            words.push("a".repeat(len));
            words.push("\0".repeat(len));
        }
        words.extend((1..8).map(|len| "\0".repeat(len)));
        let mut keys = std::collections::HashMap::new();
        for word in &words {
            let key = WordKey::of(word).expect("short enough");
            assert_eq!(Some(key), WordKey::of(&word.clone()), "the same word, the same key");
            if let Some(other) = keys.insert(key, word) {
                panic!("`{other}` and `{word}` have one key");
            }
        }
        assert!(WordKey::of(&"x".repeat(WordKey::MAX + 1)).is_none());
        // Looked up either way, a word finds what was put under it.
        let mut ids = WordIds::default();
        let long = "a".repeat(WordKey::MAX + 5);
        for (n, word) in words.iter().chain([&long]).enumerate() {
            ids.insert(word, (n as u32, n % 2 == 0));
        }
        for (n, word) in words.iter().chain([&long]).enumerate() {
            assert_eq!(ids.get(word), Some((n as u32, n % 2 == 0)), "{word}");
        }
        assert_eq!(ids.get("zzz"), None);
        assert_eq!(ids.seen.len(), words.len() + 1);
    }

    /// An index's files as (path, bytes), sorted by path: they are made on every core.
    fn files_by_path(index: Index) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = index
            .files
            .into_iter()
            .map(|f| match f.content {
                crate::output::OutContent::Bytes(b) => (f.path, b),
                crate::output::OutContent::Copy(_) => unreachable!(),
            })
            .collect();
        files.sort();
        files
    }

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
    fn json_strings_and_fragments_are_serde_json_s() {
        // Every ASCII character at every place in a run of eight bytes, and in short strings.
        let mut samples: Vec<String> = (0u8..0x80)
            .flat_map(|b| (0..10).map(move |k| format!("{}{}{}", "x".repeat(k), char::from(b), "é".repeat(5))))
            .collect();
        samples.extend((0u8..0x80).map(|b| format!("a{}b", char::from(b))));
        samples.extend(
            ["", "plain", "\"quoted\" \\ back", "ünïcödé \u{2028} 学习 \u{1F600}", "\u{7f}\u{80}\u{9f}"]
                .map(String::from),
        );
        for s in &samples {
            assert_eq!(json(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // The fragment as serde_json writes the same object.
        let doc = SearchDoc {
            url: "a/b.html".into(),
            title: "T \"x\"".into(),
            breadcrumb: vec!["Part\t1".into(), "Ch".into()],
            kind: "lesson".into(),
            tags: vec![],
            html: std::borrow::Cow::Borrowed(""),
            language: Some("fr".into()),
        };
        let long = "word ".repeat(400);
        let section = |anchor: &str, heading: &str, text: &str| {
            let mut s = Section::default();
            (s.anchor, s.heading, s.text) = (anchor.into(), heading.into(), text.into());
            s
        };
        let sections = [section("", "", "intro\n\u{1}"), section("h", "H \\ x", &long)];
        // The fragment as the serde structs it was once written with give it.
        #[derive(Serialize)]
        struct FragmentSection<'a>(
            &'a str,
            &'a str,
            &'a str,
            #[serde(skip_serializing_if = "Option::is_none")] Option<u8>,
        );
        #[derive(Serialize)]
        struct Fragment<'a> {
            title: &'a str,
            url: &'a str,
            crumbs: &'a [String],
            kind: &'a str,
            tags: &'a [String],
            sections: Vec<FragmentSection<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            lang: Option<&'a str>,
        }
        let by_serde = |n: usize, doc: &SearchDoc, sections: &[Section]| {
            let sections = sections
                .iter()
                .map(|s| {
                    let text = truncate(&s.text, MAX_SECTION_TEXT);
                    FragmentSection(&s.anchor, &s.heading, text, (text.len() < s.text.len()).then_some(1))
                })
                .collect();
            let data = Fragment {
                title: &doc.title,
                url: &doc.url,
                crumbs: &doc.breadcrumb,
                kind: &doc.kind,
                tags: &doc.tags,
                sections,
                lang: doc.language.as_deref(),
            };
            format!("window.__labbookSearch.page({n},{});\n", serde_json::to_string(&data).unwrap())
        };
        assert_eq!(fragment(7, &doc, &sections), by_serde(7, &doc, &sections));
        let no_lang = SearchDoc { language: None, tags: vec!["t".into(), "u".into()], ..doc.clone() };
        assert_eq!(fragment(0, &no_lang, &sections[..1]), by_serde(0, &no_lang, &sections[..1]));
        assert_eq!(fragment(1, &no_lang, &[]), by_serde(1, &no_lang, &[]));
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
        let p = |page, section, tf, flags: u32| Posting { page, section, tf, flags: flags as u16 };
        // Section lengths by page and section.
        let mut lens = vec![Vec::new(); 8];
        lens[2] = vec![10, 0, 0, 40];
        lens[7] = vec![0, 5];
        let s = encode_postings(&[p(2, 0, 1, IN_TITLE), p(2, 3, 2, 0), p(7, 1, 0, IN_HEADING)], &lens);
        assert_eq!(decode(&s), [2, 0, 9, 1, 0, 3, 16, 5, 5, 1, 2, 1]);
    }

    #[test]
    fn a_common_term_keeps_its_best_sections_and_its_true_counts() {
        let boost = SearchBoost::default();
        // Three sections per page over 600 pages: 1,800 postings, every 7th page has the
        // word in its title and should survive the cut.
        let postings: Vec<Posting> = (0..600u32)
            .flat_map(|page| {
                (0..3).map(move |section| Posting {
                    page,
                    section,
                    tf: 1,
                    flags: if page % 7 == 0 && section == 0 { IN_TITLE as u16 } else { 0 },
                })
            })
            .collect();
        let lens: Vec<Vec<u32>> = (0..600).map(|_| (0..3).map(|section| 40 + section * 30).collect()).collect();
        let entry = encode_entry(&postings, &lens, 70.0, &boost);
        let rest = entry.strip_prefix("!1800.600!").expect("true counts in front");
        let nums = decode(rest);
        assert_eq!(nums.len(), MAX_POSTINGS * 4);
        let mut page = 0;
        let kept: Vec<(u32, u32, u32)> = nums
            .chunks(4)
            .map(|c| {
                page += c[0];
                (page, c[1], c[2] & 3)
            })
            .collect();
        assert!(kept.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)), "kept in page order");
        let titled = kept.iter().filter(|k| k.2 == IN_TITLE).count();
        assert_eq!(titled, 600 / 7 + 1, "every title match is among the best");
        // Short sections beat long ones for the same count.
        assert!(kept.iter().filter(|k| k.1 == 2 && k.2 == 0).count() < kept.iter().filter(|k| k.1 == 0).count());
        // A short list is written whole, with no counts.
        assert!(!encode_entry(&postings[..30], &lens, 70.0, &boost).starts_with('!'));
    }

    #[test]
    fn fragments_share_one_hash_per_bucket_of_pages() {
        let docs: Vec<SearchDoc> = (0..150).map(|n| page(n, format!("<p>Word{n} here.</p>"))).collect();
        let index = build(&docs, &Tokenizer::new("en"), &SearchBoost::default());
        let mut fragments: Vec<(usize, String, Vec<u8>)> = index
            .files
            .into_iter()
            .filter_map(|f| {
                let name = f.path.strip_prefix("search/page-")?.to_string();
                let n = name.split('.').next()?.parse().ok()?;
                let crate::output::OutContent::Bytes(bytes) = f.content else { return None };
                Some((n, name.split('.').nth(1)?.to_string(), bytes))
            })
            .collect();
        fragments.sort();
        assert_eq!(fragments.iter().map(|f| f.0).collect::<Vec<_>>(), (0..150).collect::<Vec<_>>());
        // Buckets 0..64, 64..128 and 128..150, each named by the hash of its fragments.
        for bucket in fragments.chunks(PAGE_BUCKET) {
            let mut hasher = Xxh3::new();
            for (_, _, bytes) in bucket {
                hasher.update(bytes);
            }
            let hash = format!("{:010x}", hasher.digest() >> 24);
            assert!(bucket.iter().all(|f| f.1 == hash), "bucket from page {}", bucket[0].0);
        }
        assert_ne!(fragments[0].1, fragments[64].1);
        assert!(String::from_utf8_lossy(&fragments[70].2).starts_with("window.__labbookSearch.page(70,"));
    }

    #[test]
    fn the_index_is_the_same_however_many_workers_make_it() {
        // Pages sharing some words and forms (runs, running, ran), each with words of its own
        // and a few non-ASCII keys, so that the workers' keys interleave when merged.
        let docs: Vec<SearchDoc> = (0..300)
            .map(|n| SearchDoc {
                title: format!("Page {n} runs"),
                kind: if n % 3 == 0 { "lesson".into() } else { "exercise".into() },
                tags: vec![format!("t{}", n % 7)],
                ..page(
                    n,
                    format!(
                        "<p>Running models {n} and w{} learn; café{} 学习{}.</p><h2 id=\"x\">Loss {}</h2>\
                     <p>The <code>loss_{n}</code> runs{} and ran. Ölçek 𝔸{}</p>",
                        n % 11,
                        n % 5,
                        n % 13,
                        n % 17,
                        n % 2,
                        n % 3
                    ),
                )
            })
            .collect();
        let with = |threads: usize| -> Vec<(String, Vec<u8>)> {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            files_by_path(pool.install(|| build(&docs, &Tokenizer::new("en"), &SearchBoost::default())))
        };
        let one = with(1);
        assert!(one.iter().any(|(_, b)| String::from_utf8_lossy(b).contains("\"running\":\"=run\"")));
        assert_eq!(with(2), one);
        assert_eq!(with(3), one);
    }

    #[test]
    fn keys_are_in_utf16_order() {
        // Strings over characters from each UTF-8 length and both sides of U+E000 and U+FFFF.
        let alphabet = [
            'a',
            'z',
            '_',
            'é',
            'ß',
            'λ',
            '学',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fb01}',
            '\u{ffef}',
            '𝐰',
            '😀',
            '\u{10ffff}',
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let strings: Vec<String> = (0..400)
            .map(|_| {
                let len = next() % 4;
                (0..len).map(|_| alphabet[next() % alphabet.len()]).collect()
            })
            .collect();
        for a in &strings {
            for b in &strings {
                let utf16 = a.encode_utf16().cmp(b.encode_utf16());
                assert_eq!(key_order(a, b), utf16, "{a:?} {b:?}");
                // The prefixes never disagree with the order, and tell apart what they hold.
                let (pa, pb) = (order_prefix(a), order_prefix(b));
                assert!(pa == pb || pa.cmp(&pb) == utf16, "{a:?} {b:?}");
                assert_eq!(pa == pb, a.as_bytes()[..a.len().min(8)] == b.as_bytes()[..b.len().min(8)], "{a:?} {b:?}");
                // After a shared prefix, so that the first difference is past eight bytes.
                for prefix in ["abcdefgh", "学习abcdefghi", "😀𝐰x", "a", "学", "😀"] {
                    let (a, b) = (format!("{prefix}{a}"), format!("{prefix}{b}"));
                    let utf16 = a.encode_utf16().cmp(b.encode_utf16());
                    assert_eq!(key_order(&a, &b), utf16, "{a:?} {b:?}");
                    let (pa, pb) = (order_prefix(&a), order_prefix(&b));
                    assert!(pa == pb || pa.cmp(&pb) == utf16, "{a:?} {b:?}");
                }
            }
        }
    }

    /// A [`TermsMemo`] in memory.
    #[derive(Default)]
    struct Memo(std::sync::Mutex<std::collections::HashMap<[u8; 16], Vec<u8>>>);

    impl TermsMemo for Memo {
        fn salt(&self) -> [u8; 16] {
            [3; 16]
        }
        fn get(&self, key: &[u8; 16]) -> Option<Vec<u8>> {
            self.0.lock().unwrap().get(key).cloned()
        }
        fn put(&self, key: [u8; 16], bytes: Vec<u8>) {
            self.0.lock().unwrap().insert(key, bytes);
        }
    }

    #[test]
    fn terms_kept_between_builds_give_the_same_index() {
        let doc = |n: usize, extra: &str| SearchDoc {
            title: format!("Page {n}: running models"),
            breadcrumb: vec!["Part".into()],
            tags: if n.is_multiple_of(2) { vec!["even".into()] } else { Vec::new() },
            ..page(
                n,
                format!(
                    "<p>Intro {n} runs and ran {extra}.</p><h2 id=\"a\">Loss {n}</h2><p>The loss <code>mse_{n}</code> \
                     falls; 学习率 changes.</p><h3 id=\"b\">Runner</h3><p>Runners run quickly.</p>"
                ),
            )
        };
        let tokenizer = Tokenizer::new("en");
        let boost = SearchBoost::default();
        let files = files_by_path;
        let memo = Memo::default();
        let docs: Vec<SearchDoc> = (0..40).map(|n| doc(n, "")).collect();
        let first = files(build_reusing(&docs, &tokenizer, &boost, Some(&memo)));
        assert_eq!(first, files(build(&docs, &tokenizer, &boost)), "recording changes nothing");
        assert_eq!(memo.0.lock().unwrap().len(), 40);
        // Every page replayed, on other workers and at other page numbers.
        let mut moved = docs.clone();
        moved.rotate_left(7);
        assert_eq!(
            files(build_reusing(&moved, &tokenizer, &boost, Some(&memo))),
            files(build(&moved, &tokenizer, &boost))
        );
        // One page edited: it alone is indexed again.
        let mut edited = docs.clone();
        edited[3] = doc(3, "and a new word, zebra");
        let again = files(build_reusing(&edited, &tokenizer, &boost, Some(&memo)));
        assert_eq!(memo.0.lock().unwrap().len(), 41);
        assert_eq!(again, files(build(&edited, &tokenizer, &boost)));
        assert!(again.iter().any(|(_, b)| String::from_utf8_lossy(b).contains("zebra")));
        // A damaged record is indexed afresh.
        for bytes in memo.0.lock().unwrap().values_mut() {
            bytes.truncate(bytes.len() / 3);
        }
        assert_eq!(files(build_reusing(&edited, &tokenizer, &boost, Some(&memo))), again);
    }
}
