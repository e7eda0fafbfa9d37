//! Pages reused between builds, kept in the book's `.labbook-cache/pages.bin`.
//!
//! A rebuild after an edit changes few pages, yet every page went through the Markdown
//! stage and the theme again, and the site was compared file by file. This cache keeps,
//! for every page, its Markdown stage's result ([`Rendered`]) and the size and hash of the
//! page file written from it, under a key that covers everything either may depend on:
//!
//! - the page itself: its source text and every field the load stage gave it;
//! - the book: its configuration, navigation, every page's path and title, its words, the
//!   features it was built with, and the size and modification time of every other file
//!   under the book root and the folders features read (`Feature::watch`): templates,
//!   `book.yaml`, `SUMMARY.md`, exercises, images, the other languages' pages;
//! - labbook itself (the executable's size and time, the `LABBOOK_*` settings).
//!
//! So editing one page's text leaves every other page's key alone, and any other change
//! (a template, the navigation, `book.yaml`, an included file of the page) changes the
//! keys it touches. When a key is found, the page is not transformed again; when its page
//! file was recorded too and the previous site still holds exactly those bytes, that file
//! is linked into the new site (`output::Sink::put_previous`) instead of rendered again.
//! Pages a feature writes with its own view (`Feature::page_view`) are always rendered,
//! since their view may read other pages.
//!
//! Two more things are kept the same way: each print part's file, under a key of the pages
//! it prints and how the book is cut into parts (`render`), and each search document's
//! terms and fragment, under a key of the document itself (`search::index::TermsMemo`), so
//! that only the edited pages are split and tokenized again; the index is then merged and
//! written as before, and is the same as a build without the cache writes.
//!
//! There are two files, `pages.bin` and `terms.bin`, never held in memory whole: a build
//! reads each once, record by record, to learn where its records are, and then reads a
//! record when a stage asks for it. Each is a log: a build streams what it adds to a file
//! beside it (so a first build of a big book does not hold its whole cache in memory),
//! appends that at the end, and rewrites the whole file only when most of it is stale. Each
//! record carries a checksum, checked again when it is read; a damaged or foreign file is
//! an empty cache, since the cache can always be rebuilt.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::markdown::directive::{DirectiveRecord, Landmark, ProgressItem, QuizKey};
use crate::markdown::highlight_cache::{self, HighlightCache};
use crate::markdown::{Heading, Link, Rendered};

/// Changes whenever the records' layout does.
const HEADER: &str = concat!("labbook page cache ", env!("CARGO_PKG_VERSION"), " format 1\n");

/// A page's key.
pub type Key = [u8; 16];

/// Record kinds: a page's [`Rendered`], a file's length and hash, a page's search terms.
const RENDERED: u8 = 1;
const OUTPUT: u8 = 2;
const TERMS: u8 = 3;

/// The pages of the previous builds, and what this build adds.
pub struct PageCache {
    /// The output folder, whose files are no input of the book.
    out: PathBuf,
    /// What the outputs depend on besides the book: labbook itself and its settings.
    tool: Key,
    /// `pages.bin`: each page's `Rendered` and the files' lengths and hashes.
    pages: Store,
    /// `terms.bin`: each search document's terms.
    terms: Store,
    /// Keys this build used, with their records (new or old).
    used: Mutex<HashSet<Key>>,
    reused: std::sync::atomic::AtomicUsize,
    linked: std::sync::atomic::AtomicUsize,
}

/// One cache file. Its records are read one at a time, when a stage asks for one, and what
/// the build adds goes to a file beside it as it comes, so that a big book's cache never
/// sits in memory whole (the warm build of 10,000 pages held 220 MB of it).
struct Store {
    path: PathBuf,
    /// The file as this build opened it, when it is a cache file of this labbook.
    file: Option<std::fs::File>,
    /// The file's length when read.
    len: usize,
    /// (kind, key) -> the span of its record in the file.
    records: HashMap<(u8, Key), (usize, usize)>,
    /// Key -> the length and hash of its file.
    outputs: HashMap<Key, (u64, u128)>,
    /// The records this build adds, written as they come (`<file>.new<pid>`); `None` once
    /// that file failed (the cache then only misses them).
    new: Mutex<Option<std::io::BufWriter<std::fs::File>>>,
}

impl Store {
    /// Opens the file and learns where its records are (a missing, foreign or damaged one
    /// is an empty cache).
    fn open(path: PathBuf) -> Store {
        let parsed = std::fs::File::open(&path).ok().and_then(|file| {
            let (records, outputs, len) = parse(&mut std::io::BufReader::with_capacity(1 << 16, &file))?;
            Some((file, records, outputs, len))
        });
        let (file, records, outputs, len) = match parsed {
            Some((file, records, outputs, len)) if !(records.is_empty() && outputs.is_empty()) => {
                (Some(file), records, outputs, len)
            }
            _ => (None, HashMap::new(), HashMap::new(), 0),
        };
        Store { path, file, len, records, outputs, new: Mutex::new(None) }
    }

    /// The payload of record (kind, key), read from the file, if it has it and the record is
    /// still whole.
    fn get(&self, kind: u8, key: &Key) -> Option<Vec<u8>> {
        let &(start, len) = self.records.get(&(kind, *key))?;
        let mut record = vec![0; RECORD_HEAD + len + 8];
        read_at(self.file.as_ref()?, &mut record, (start - RECORD_HEAD) as u64).ok()?;
        let sum = u64::from_le_bytes(record[RECORD_HEAD + len..].try_into().ok()?);
        if record[0] != kind || record[1..17] != key[..] || xxh3_64(&record[..RECORD_HEAD + len]) != sum {
            return None;
        }
        record.truncate(RECORD_HEAD + len);
        record.drain(..RECORD_HEAD);
        Some(record)
    }

    fn temp(&self) -> PathBuf {
        self.path.with_extension(format!("new{}", std::process::id()))
    }

    /// Adds a record.
    fn put(&self, kind: u8, key: &Key, payload: &[u8]) {
        let mut record = Vec::with_capacity(payload.len() + 29);
        push_record(&mut record, kind, key, payload);
        let mut new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        if new.is_none() {
            let made = self.path.parent().map_or(Ok(()), std::fs::create_dir_all);
            *new = made.and_then(|()| std::fs::File::create(self.temp())).ok().map(std::io::BufWriter::new);
        }
        if let Some(file) = new.as_mut() {
            if file.write_all(&record).is_err() {
                *new = None;
            }
        }
    }

    /// Writes what this build added into the file, dropping the records `used` does not
    /// name once they are most of it.
    fn save(&self, used: &HashSet<Key>) -> Result<()> {
        let new = self.new.lock().unwrap_or_else(|e| e.into_inner()).take();
        let temp = self.temp();
        let added = match new {
            Some(file) => {
                file.into_inner().map_err(|e| e.into_error()).with_context(|| format!("writing {}", temp.display()))?;
                true
            }
            None => false,
        };
        let live: usize =
            self.records.iter().filter(|((_, key), _)| used.contains(key)).map(|(_, &(_, len))| len + 29).sum();
        let appendable = self.len > 0 && live * 2 >= self.len;
        let result = if appendable {
            if !added {
                return Ok(());
            }
            std::fs::OpenOptions::new()
                .append(true)
                .open(&self.path)
                .and_then(|mut file| std::io::copy(&mut std::fs::File::open(&temp)?, &mut file))
                .map(|_| ())
                .with_context(|| format!("writing {}", self.path.display()))
        } else {
            self.rewrite(used, added.then_some(temp.as_path()))
        };
        let _ = std::fs::remove_file(&temp);
        result
    }

    /// Writes the file afresh: the used records of the old one, then the new ones.
    fn rewrite(&self, used: &HashSet<Key>, new: Option<&Path>) -> Result<()> {
        let temp = self.path.with_extension(format!("tmp{}", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&temp)?);
            out.write_all(HEADER.as_bytes())?;
            let mut record = Vec::new();
            // The used records of the old file, each read and checked again: one that is no
            // longer whole is left out.
            for &(kind, key) in self.records.keys() {
                if used.contains(&key) {
                    if let Some(payload) = self.get(kind, &key) {
                        record.clear();
                        push_record(&mut record, kind, &key, &payload);
                        out.write_all(&record)?;
                    }
                }
            }
            for (key, &(len, hash)) in &self.outputs {
                if used.contains(key) {
                    record.clear();
                    push_record(&mut record, OUTPUT, key, &output_payload(len, hash));
                    out.write_all(&record)?;
                }
            }
            // What this build added, streamed: it may be most of a big book's cache.
            if let Some(new) = new {
                std::io::copy(&mut std::fs::File::open(new)?, &mut out)?;
            }
            out.flush()
        })();
        written.with_context(|| format!("writing {}", temp.display()))?;
        std::fs::rename(&temp, &self.path).with_context(|| format!("writing {}", self.path.display()))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // A build that stopped before saving leaves no half-written file behind.
        if self.new.get_mut().map(|n| n.is_some()).unwrap_or(true) {
            let _ = std::fs::remove_file(self.temp());
        }
    }
}

/// The keys of one book's pages (`pages[i]` is `book.pages[i]`'s).
pub struct BookKeys<'c> {
    cache: &'c PageCache,
    /// What every page depends on.
    book: Key,
    /// Per page.
    pub pages: Vec<Key>,
    /// Per page: whether this build took its Markdown stage from the cache. Only then is its
    /// recorded file still its file: a page transformed again (a file it includes changed,
    /// which its key does not cover) is rendered again too.
    reused: Vec<std::sync::atomic::AtomicBool>,
}

impl PageCache {
    /// Opens the cache of the book at `root`, built into `out`.
    pub fn open(root: &Path, out: &Path) -> PageCache {
        let dir = root.join(highlight_cache::CACHE_DIR);
        let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
        let (pages, terms) = (Store::open(dir.join("pages.bin")), Store::open(dir.join("terms.bin")));
        PageCache {
            out,
            tool: tool_key(),
            pages,
            terms,
            used: Default::default(),
            reused: Default::default(),
            linked: Default::default(),
        }
    }

    /// The keys of `book`'s pages for this build.
    pub fn keys(&self, book: &Book) -> BookKeys<'_> {
        let global = book_key(self.tool, book, &self.out);
        let pages: Vec<Key> = book
            .pages
            .iter()
            .map(|page| {
                let mut h = Xxh3::new();
                h.update(&global);
                field(&mut h, page.output.as_bytes());
                field(&mut h, page.body.as_bytes());
                field(&mut h, format!("{} {:?}", page.body_line, page.source_lines).as_bytes());
                h.digest128().to_le_bytes()
            })
            .collect();
        let reused = pages.iter().map(|_| Default::default()).collect();
        BookKeys { cache: self, book: global, pages, reused }
    }

    /// How many pages this build reused, and how many of their files it linked.
    pub fn stats(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.reused.load(Relaxed), self.linked.load(Relaxed))
    }

    /// Writes what this build added, dropping what it no longer uses once that is most of
    /// a file.
    pub fn save(&self) -> Result<()> {
        let dir = self.pages.path.parent().expect("the cache file has a folder");
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        self.pages.save(&used)?;
        self.terms.save(&used)
    }
}

impl BookKeys<'_> {
    /// Page `i`'s Markdown stage from a previous build, if its key and the files it
    /// included are unchanged; its highlighted blocks stay in `highlight`.
    pub fn rendered(&self, i: usize, highlight: Option<&HighlightCache>) -> Option<Rendered> {
        let key = &self.pages[i];
        let bytes = self.cache.pages.get(RENDERED, key)?;
        let mut reader = Reader { buf: &bytes, pos: 0 };
        let (rendered, blocks) = decode_entry(&mut reader)?;
        if !rendered.dependencies.iter().zip(&blocks.1).all(|(path, &stamp)| file_stamp(path) == stamp) {
            return None;
        }
        if let Some(highlight) = highlight {
            highlight.keep(&blocks.0);
        }
        self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        self.cache.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.reused[i].store(true, std::sync::atomic::Ordering::Relaxed);
        Some(rendered)
    }

    /// Remembers page `i`'s Markdown stage, with the blocks it highlighted.
    pub fn remember(&self, i: usize, rendered: &Rendered, blocks: &[highlight_cache::Key]) {
        let key = self.pages[i];
        let mut w = Writer(Vec::with_capacity(rendered.html.len() + 1024));
        encode_entry(&mut w, rendered, blocks);
        self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
        self.cache.pages.put(RENDERED, &key, &w.0);
    }

    /// The length and hash of page `i`'s file as a previous build with the same key wrote it,
    /// if this build reused the page's Markdown stage.
    pub fn output(&self, i: usize) -> Option<(u64, u128)> {
        self.output_of(&self.pages[i], &[i])
    }

    /// Whether this build reused the Markdown stage of every page of `pages`.
    fn all_reused(&self, pages: &[usize]) -> bool {
        pages.iter().all(|&i| self.reused[i].load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Counts a page file linked from the previous site.
    pub fn linked(&self) {
        self.cache.linked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Remembers the file written for page `i`.
    pub fn remember_output(&self, i: usize, bytes: &[u8]) {
        self.remember_output_of(&self.pages[i], bytes);
    }

    /// The key of a file made from the pages `pages` alone (a print part), named `name`,
    /// with `extra` saying anything else it depends on.
    pub fn key_of(&self, name: &str, pages: &[usize], extra: &[u8]) -> Key {
        let mut h = Xxh3::new();
        h.update(&self.book);
        field(&mut h, name.as_bytes());
        field(&mut h, extra);
        for &i in pages {
            h.update(&self.pages[i]);
        }
        h.digest128().to_le_bytes()
    }

    /// The length and hash of the file of key `key`, made from `pages`, as a previous build
    /// wrote it, if this build reused every one of those pages; the key stays in the cache.
    pub fn output_of(&self, key: &Key, pages: &[usize]) -> Option<(u64, u128)> {
        let found = self.cache.pages.outputs.get(key).copied().filter(|_| self.all_reused(pages));
        if found.is_some() {
            self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        }
        found
    }

    /// Remembers the file of key `key`.
    pub fn remember_output_of(&self, key: &Key, bytes: &[u8]) {
        let (len, hash) = (bytes.len() as u64, xxh3_128(bytes));
        self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        if self.cache.pages.outputs.get(key) != Some(&(len, hash)) {
            self.cache.pages.put(OUTPUT, key, &output_payload(len, hash));
        }
    }
}

/// What every output depends on besides the book: this labbook (its executable's size and
/// time) and its `LABBOOK_*` settings.
fn tool_key() -> Key {
    let mut h = Xxh3::new();
    field(&mut h, HEADER.as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        field(&mut h, format!("{:?}", file_stamp(&exe)).as_bytes());
    }
    let mut settings: Vec<(String, String)> =
        std::env::vars().filter(|(k, _)| k.starts_with("LABBOOK_") && k != "LABBOOK_TIMINGS").collect();
    settings.sort();
    field(&mut h, format!("{settings:?}").as_bytes());
    h.digest128().to_le_bytes()
}

impl crate::search::index::TermsMemo for BookKeys<'_> {
    fn salt(&self) -> [u8; 16] {
        self.cache.tool
    }

    fn get(&self, key: &[u8; 16]) -> Option<Vec<u8>> {
        let bytes = self.cache.terms.get(TERMS, key)?;
        self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        Some(bytes)
    }

    fn put(&self, key: [u8; 16], bytes: Vec<u8>) {
        self.cache.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
        self.cache.terms.put(TERMS, &key, &bytes);
    }
}

/// What every page of `book` depends on besides its own source (see the module's notes).
fn book_key(tool: Key, book: &Book, out: &Path) -> Key {
    let mut h = Xxh3::new();
    h.update(&tool);
    field(&mut h, format!("{:?}", book.config).as_bytes());
    field(&mut h, format!("{:?} {:?} {}", book.nav, book.reading_order, book.listed).as_bytes());
    field(&mut h, format!("{:?}", book.assets).as_bytes());
    if let Some(language) = &book.language {
        field(&mut h, language_text(language).as_bytes());
    }
    field(&mut h, format!("{:?}", book.words).as_bytes());
    for feature in book.features.iter() {
        field(&mut h, feature.name().as_bytes());
    }
    for page in &book.pages {
        let files: Vec<(&str, u64)> = page.files.iter().map(|f| (f.output.as_str(), xxh3_64(&f.bytes))).collect();
        field(
            &mut h,
            format!(
                "{:?} {:?} {:?} {} {} {:?} {} {:?} {:?}",
                page.rel,
                page.display,
                page.abs,
                page.output,
                page.title,
                page.front,
                page.has_h1,
                (page.lenient_links, &page.template_ids),
                files
            )
            .as_bytes(),
        );
    }
    // Every other file the book may read: its own pages are keyed by their text instead.
    // Only the book's own pages: a generated page's `abs` (a card, a module's source) may
    // hold more than its page shows.
    let own = &book.pages[..book.own_pages.min(book.pages.len())];
    let pages: HashSet<&Path> = own.iter().map(|p| p.abs.as_path()).collect();
    let mut folders = vec![book.root.clone()];
    folders.extend(book.features.iter().flat_map(|f| f.watch(book)).map(|(path, _)| path));
    for folder in folders {
        field(&mut h, folder.as_os_str().as_encoded_bytes());
        // Not the output folder, nor hidden entries (`.git`, the caches, a build's staging
        // folder beside its output).
        let walk = walkdir::WalkDir::new(&folder).sort_by_file_name().into_iter().filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || (e.file_type().is_dir() && std::fs::canonicalize(e.path()).is_ok_and(|p| p == out)))
        });
        for entry in walk {
            let Ok(entry) = entry else {
                field(&mut h, b"unreadable");
                continue;
            };
            if entry.file_type().is_dir() || pages.contains(entry.path()) {
                continue;
            }
            field(&mut h, entry.path().as_os_str().as_encoded_bytes());
            field(&mut h, format!("{:?}", file_stamp(entry.path())).as_bytes());
        }
    }
    h.digest128().to_le_bytes()
}

/// A book's language settings, written the same way in every process (its sets sorted).
fn language_text(l: &crate::i18n::BookLanguage) -> String {
    let mut pages: Vec<String> = l.pages.iter().map(|(page, state)| format!("{page:?}={state:?}")).collect();
    pages.sort_unstable();
    let mut assets: Vec<&PathBuf> = l.fallback_assets.iter().collect();
    assets.sort_unstable();
    let outputs: Vec<(&String, Vec<&String>)> = l
        .outputs
        .iter()
        .map(|(code, set)| {
            let mut list: Vec<&String> = set.iter().collect();
            list.sort_unstable();
            (code, list)
        })
        .collect();
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {pages:?} {assets:?} {outputs:?}",
        l.current, l.default, l.all, l.content_dir, l.default_content_dir, l.skip_in_default
    )
}

/// A length-prefixed field of a key.
fn field(h: &mut Xxh3, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// A file's size and modification time, or `None` when it cannot be read.
fn file_stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    Some((meta.len(), modified))
}

fn output_payload(len: u64, hash: u128) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(24));
    w.u64(len);
    w.0.extend_from_slice(&hash.to_le_bytes());
    w.0
}

/// Bytes of a record before its payload: its kind, key and payload length.
const RECORD_HEAD: usize = 21;

/// Reads exactly `buf.len()` bytes of `file` at `offset`, from any thread.
pub(crate) fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut done = 0;
        while done < buf.len() {
            match std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => done += n,
            }
        }
        Ok(())
    }
}

fn push_record(out: &mut Vec<u8>, kind: u8, key: &Key, payload: &[u8]) {
    let start = out.len();
    out.push(kind);
    out.extend_from_slice(key);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    let sum = xxh3_64(&out[start..]);
    out.extend_from_slice(&sum.to_le_bytes());
}

/// Where each record's payload is (offset, length) by (kind, key), and each file's length
/// and hash by key, and the file's length.
type Parsed = (HashMap<(u8, Key), (usize, usize)>, HashMap<Key, (u64, u128)>, usize);

/// The records of a cache file (later ones win), or `None` if it is another version's or
/// damaged. The file is read one record at a time.
fn parse(file: &mut impl std::io::Read) -> Option<Parsed> {
    let mut head = vec![0; HEADER.len()];
    file.read_exact(&mut head).ok()?;
    if head != HEADER.as_bytes() {
        return None;
    }
    let mut pos = HEADER.len();
    let (mut records, mut outputs) = (HashMap::new(), HashMap::new());
    let mut record = Vec::new();
    loop {
        record.resize(RECORD_HEAD, 0);
        match file.read(&mut record[..1]) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) => return None,
        }
        file.read_exact(&mut record[1..]).ok()?;
        let kind = record[0];
        let key: Key = record[1..17].try_into().ok()?;
        let len = u32::from_le_bytes(record[17..RECORD_HEAD].try_into().ok()?) as usize;
        record.resize(RECORD_HEAD + len + 8, 0);
        file.read_exact(&mut record[RECORD_HEAD..]).ok()?;
        let end = RECORD_HEAD + len;
        let sum = u64::from_le_bytes(record[end..].try_into().ok()?);
        if xxh3_64(&record[..end]) != sum {
            return None;
        }
        let start = pos + RECORD_HEAD;
        match kind {
            RENDERED | TERMS => {
                records.insert((kind, key), (start, len));
            }
            OUTPUT if len == 24 => {
                let payload = &record[RECORD_HEAD..end];
                let len = u64::from_le_bytes(payload[..8].try_into().ok()?);
                let hash = u128::from_le_bytes(payload[8..24].try_into().ok()?);
                outputs.insert(key, (len, hash));
            }
            _ => return None,
        }
        pos = start + len + 8;
    }
    Some((records, outputs, pos))
}

/// Bytes being encoded.
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn strs(&mut self, list: &[String]) {
        self.u64(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }
    fn path(&mut self, p: &Path) {
        self.str(&p.to_string_lossy());
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }
}

/// Bytes being decoded; every read is `None` past the end.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.buf.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(bytes)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    fn str(&mut self) -> Option<String> {
        let len = self.usize()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.usize()?;
        (0..n).map(|_| self.str()).collect()
    }
    fn path(&mut self) -> Option<PathBuf> {
        self.str().map(PathBuf::from)
    }
    fn opt(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.usize()?;
        (0..n).map(|_| item(self)).collect()
    }
}

/// The stamps of the files a page included, and the blocks it highlighted.
type Blocks = (Vec<highlight_cache::Key>, Vec<Option<(u64, u128)>>);

fn encode_entry(w: &mut Writer, r: &Rendered, blocks: &[highlight_cache::Key]) {
    // Every field, named: a field added to `Rendered` fails to compile here until it is kept.
    let Rendered {
        html,
        headings,
        links,
        dependencies,
        warnings,
        records,
        progress,
        directives,
        title,
        scripts,
        styles,
        landmarks,
        ids,
        first_paragraph,
    } = r;
    w.str(html);
    w.u64(headings.len() as u64);
    for Heading { level, id, html, text } in headings {
        w.0.push(*level);
        w.str(id);
        w.str(html);
        w.str(text);
    }
    w.u64(links.len() as u64);
    for Link { line, column, written, target, anchor } in links {
        w.u64(*line as u64);
        w.u64(*column as u64);
        w.str(written);
        w.str(target);
        w.opt(anchor.as_deref());
    }
    w.u64(dependencies.len() as u64);
    for path in dependencies {
        w.path(path);
        match file_stamp(path) {
            Some((len, time)) => {
                w.0.push(1);
                w.u64(len);
                w.0.extend_from_slice(&time.to_le_bytes());
            }
            None => w.0.push(0),
        }
    }
    w.u64(warnings.len() as u64);
    for Diagnostic { file, line, column, message } in warnings {
        w.path(file);
        w.u64(*line as u64);
        w.u64(*column as u64);
        w.str(message);
    }
    w.u64(records.len() as u64);
    for DirectiveRecord { kind, key, anchor, title, html, page_only } in records {
        for s in [kind, key, anchor, title, html] {
            w.str(s);
        }
        w.0.push(u8::from(*page_only));
    }
    w.u64(progress.len() as u64);
    for ProgressItem { kind, id, points, key } in progress {
        w.str(kind);
        w.str(id);
        w.u64(points.to_bits());
        let key = key.as_ref().map(|k| serde_json::to_string(k).expect("a quiz key serializes"));
        w.opt(key.as_deref());
    }
    w.strs(directives);
    w.opt(title.as_deref());
    w.strs(scripts);
    w.strs(styles);
    w.u64(landmarks.len() as u64);
    for Landmark { label, anchor } in landmarks {
        w.str(label);
        w.str(anchor);
    }
    w.strs(ids);
    w.str(first_paragraph);
    w.u64(blocks.len() as u64);
    for key in blocks {
        w.0.extend_from_slice(key);
    }
}

fn decode_entry(r: &mut Reader) -> Option<(Rendered, Blocks)> {
    let html = r.str()?;
    let headings = r.list(|r| Some(Heading { level: r.u8()?, id: r.str()?, html: r.str()?, text: r.str()? }))?;
    let links = r.list(|r| {
        Some(Link { line: r.usize()?, column: r.usize()?, written: r.str()?, target: r.str()?, anchor: r.opt()? })
    })?;
    let mut stamps = Vec::new();
    let dependencies = r.list(|r| {
        let path = r.path()?;
        stamps.push(match r.u8()? {
            0 => None,
            1 => Some((r.u64()?, u128::from_le_bytes(r.take(16)?.try_into().ok()?))),
            _ => return None,
        });
        Some(path)
    })?;
    let warnings =
        r.list(|r| Some(Diagnostic { file: r.path()?, line: r.usize()?, column: r.usize()?, message: r.str()? }))?;
    let records = r.list(|r| {
        Some(DirectiveRecord {
            kind: r.str()?,
            key: r.str()?,
            anchor: r.str()?,
            title: r.str()?,
            html: r.str()?,
            page_only: r.u8()? != 0,
        })
    })?;
    let progress = r.list(|r| {
        let (kind, id, points) = (r.str()?, r.str()?, f64::from_bits(r.u64()?));
        let key = match r.opt()? {
            Some(json) => Some(serde_json::from_str::<QuizKey>(&json).ok()?),
            None => None,
        };
        Some(ProgressItem { kind, id, points, key })
    })?;
    let directives = r.strs()?;
    let title = r.opt()?;
    let scripts = r.strs()?;
    let styles = r.strs()?;
    let landmarks = r.list(|r| Some(Landmark { label: r.str()?, anchor: r.str()? }))?;
    let ids = r.strs()?;
    let first_paragraph = r.str()?;
    let blocks = r.list(|r| r.take(16)?.try_into().ok())?;
    let rendered = Rendered {
        html,
        headings,
        links,
        dependencies,
        warnings,
        records,
        progress,
        directives,
        title,
        scripts,
        styles,
        landmarks,
        ids,
        first_paragraph,
    };
    Some((rendered, (blocks, stamps)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rendered {
        Rendered {
            html: "<h2 id=\"a\">A</h2><p>é</p>".into(),
            headings: vec![Heading { level: 2, id: "a".into(), html: "A".into(), text: "A".into() }],
            links: vec![Link {
                line: 3,
                column: 7,
                written: "b.md#x".into(),
                target: "b.html".into(),
                anchor: Some("x".into()),
            }],
            dependencies: vec![PathBuf::from("/nowhere/listing.rs")],
            warnings: vec![Diagnostic::new("content/a.md", 4, 2, "odd maths")],
            records: vec![DirectiveRecord {
                kind: "exercise".into(),
                key: "softmax".into(),
                anchor: "ex-softmax".into(),
                title: "Softmax".into(),
                html: "<p>do it</p>".into(),
                page_only: true,
            }],
            progress: vec![ProgressItem {
                kind: "quiz".into(),
                id: "q1".into(),
                points: 2.5,
                key: Some(QuizKey {
                    question: "Why?".into(),
                    multiple: false,
                    choices: vec![crate::markdown::directive::QuizChoice {
                        text: "Because".into(),
                        correct: true,
                        explain: String::new(),
                    }],
                }),
            }],
            directives: vec!["quiz".into()],
            title: Some("T".into()),
            scripts: vec!["x.js".into()],
            styles: vec!["x.css".into()],
            landmarks: vec![Landmark { label: "exercise: Softmax".into(), anchor: "ex-softmax".into() }],
            ids: vec!["a".into(), "ex-softmax".into()],
            first_paragraph: "é".into(),
        }
    }

    #[test]
    fn a_page_round_trips_through_the_file() {
        let r = sample();
        let mut w = Writer(Vec::new());
        encode_entry(&mut w, &r, &[[7; 16]]);
        let (back, (blocks, stamps)) = decode_entry(&mut Reader { buf: &w.0, pos: 0 }).unwrap();
        assert_eq!(format!("{back:?}"), format!("{r:?}"));
        assert_eq!(blocks, vec![[7; 16]]);
        assert_eq!(stamps, vec![None]);
        // A cut record is no record.
        assert!(decode_entry(&mut Reader { buf: &w.0[..w.0.len() - 1], pos: 0 }).is_none());
    }

    #[test]
    fn records_carry_checksums_and_later_ones_win() {
        let mut file = HEADER.as_bytes().to_vec();
        push_record(&mut file, OUTPUT, &[1; 16], &output_payload(10, 99));
        push_record(&mut file, OUTPUT, &[1; 16], &output_payload(11, 98));
        let (_, outputs, len) = parse(&mut &file[..]).unwrap();
        assert_eq!(outputs[&[1; 16]], (11, 98));
        assert_eq!(len, file.len());
        let last = file.len() - 9;
        file[last] ^= 1;
        assert!(parse(&mut &file[..]).is_none(), "a damaged record makes the file an empty cache");
        file[last] ^= 1;
        assert!(parse(&mut &file[..file.len() - 1]).is_none(), "so does a cut one");
    }

    #[test]
    fn records_are_read_from_the_file_when_asked_for_and_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let mut file = HEADER.as_bytes().to_vec();
        push_record(&mut file, TERMS, &[1; 16], b"first");
        push_record(&mut file, TERMS, &[2; 16], b"second");
        push_record(&mut file, TERMS, &[1; 16], b"first, again");
        std::fs::write(&path, &file).unwrap();
        let store = Store::open(path.clone());
        assert_eq!(store.get(TERMS, &[1; 16]).as_deref(), Some(&b"first, again"[..]), "the later record wins");
        assert_eq!(store.get(TERMS, &[2; 16]).as_deref(), Some(&b"second"[..]));
        assert_eq!(store.get(RENDERED, &[2; 16]), None);
        // Damaged after it was opened: that record is missing, the others are still read.
        let second = file.windows(6).position(|w| w == b"second").unwrap();
        file[second] ^= 1;
        std::fs::write(&path, &file).unwrap();
        assert_eq!(store.get(TERMS, &[2; 16]), None);
        assert_eq!(store.get(TERMS, &[1; 16]).as_deref(), Some(&b"first, again"[..]));
        // Saved with both keys used: the damaged record is left out of the rewritten file.
        store.rewrite(&[[1; 16], [2; 16]].into_iter().collect(), None).unwrap();
        let again = Store::open(path);
        assert_eq!(again.get(TERMS, &[1; 16]).as_deref(), Some(&b"first, again"[..]));
        assert_eq!(again.get(TERMS, &[2; 16]), None);
    }
}
