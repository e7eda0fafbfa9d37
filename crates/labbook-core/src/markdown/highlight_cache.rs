//! A cache of highlighted code blocks, kept between builds in the book's `.labbook-cache/`.
//!
//! Highlighting is most of a build's work (syntect runs dozens of regular expressions per
//! line), yet between two builds almost every code block is unchanged. Entries are keyed by
//! a hash of the grammar and the code; a build keeps the entries it used and adds new ones,
//! so the file never grows beyond the book's current code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// Changes whenever the highlighted HTML could change: labbook's version covers the
/// grammars, the themes and the HTML shape.
const HEADER: &str = concat!("labbook highlight cache ", env!("CARGO_PKG_VERSION"), " format 2\n");

/// The folder, inside the book root, that holds labbook's caches.
pub const CACHE_DIR: &str = ".labbook-cache";

/// A block's key: a hash of its grammar and code.
pub type Key = [u8; 16];

thread_local! {
    /// The keys of the blocks highlighted on this thread since [`HighlightCache::recording`]
    /// began, when it did: a page's blocks, kept with the page in the page cache so that a
    /// page reused whole still keeps its blocks in this cache.
    static RECORDED: std::cell::RefCell<Option<Vec<Key>>> = const { std::cell::RefCell::new(None) };
}

/// Highlighted blocks from the previous build, plus the ones this build adds. The previous
/// build's file is not held in memory (52 MB for a 10,000-page book): an entry is read from
/// it when a block asks for it.
pub struct HighlightCache {
    path: PathBuf,
    /// The previous build's file, open, when it is a cache file of this labbook.
    file: Option<std::fs::File>,
    /// Key -> (offset, length, number) of its entry in `file`.
    old: HashMap<Key, (usize, usize, usize)>,
    used: Vec<AtomicBool>,
    new: Mutex<Vec<(Key, String)>>,
}

static ACTIVE: RwLock<Option<Arc<HighlightCache>>> = RwLock::new(None);

impl HighlightCache {
    /// Opens the cache file of the book at `root`; a missing, stale or damaged file is an
    /// empty cache (the cache can always be rebuilt).
    pub fn open(root: &Path) -> HighlightCache {
        let path = root.join(CACHE_DIR).join("highlight.bin");
        let file = std::fs::File::open(&path).ok();
        let old = file
            .as_ref()
            .and_then(|f| parse(&mut std::io::BufReader::with_capacity(1 << 16, f), f.metadata().ok()?.len()))
            .unwrap_or_default();
        let file = file.filter(|_| !old.is_empty());
        let used = (0..old.len()).map(|_| AtomicBool::new(false)).collect();
        HighlightCache { path, file, old, used, new: Mutex::new(Vec::new()) }
    }

    /// The cache key of a block.
    pub fn key(syntax: &str, code: &str) -> Key {
        let digest =
            Sha256::new().chain_update(syntax.as_bytes()).chain_update([0]).chain_update(code.as_bytes()).finalize();
        digest[..16].try_into().expect("16 bytes")
    }

    /// The cached HTML of a block, if any.
    pub fn get(&self, key: &Key) -> Option<String> {
        let &(start, len, index) = self.old.get(key)?;
        let html = self.read(start, len)?;
        self.used[index].store(true, Ordering::Relaxed);
        Some(html)
    }

    /// The entry at `start` of the previous build's file.
    fn read(&self, start: usize, len: usize) -> Option<String> {
        let mut bytes = vec![0; len];
        crate::page_cache::read_at(self.file.as_ref()?, &mut bytes, start as u64).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Remembers a block highlighted by this build.
    pub fn insert(&self, key: Key, html: &str) {
        self.new.lock().expect("cache lock").push((key, html.to_string()));
    }

    /// Runs `f` (one page's Markdown stage, on this thread) and returns with its result the
    /// keys of the blocks it highlighted through the active cache.
    pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Key>) {
        let outer = RECORDED.with(|r| r.borrow_mut().replace(Vec::new()));
        let result = f();
        let keys = RECORDED.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer)).unwrap_or_default();
        (result, keys)
    }

    /// Notes that the block `key` is on the page being recorded, if one is.
    pub(crate) fn note(key: &Key) {
        RECORDED.with(|r| {
            if let Some(keys) = r.borrow_mut().as_mut() {
                keys.push(*key);
            }
        });
    }

    /// Keeps the blocks `keys` (of a page this build reused without highlighting it) as if
    /// this build had used them.
    pub fn keep(&self, keys: &[Key]) {
        for key in keys {
            if let Some(&(_, _, index)) = self.old.get(key) {
                self.used[index].store(true, Ordering::Relaxed);
            }
        }
    }

    /// Writes the entries this build used or added; unused ones are dropped.
    pub fn save(&self) -> Result<()> {
        let dir = self.path.parent().expect("the cache file has a folder");
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // Keep the cache out of version control without touching the book's own .gitignore.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# Written by labbook: a cache that is safe to delete.\n*\n")
                .with_context(|| format!("writing {}", ignore.display()))?;
        }
        let new = self.new.lock().expect("cache lock");
        // Nothing added and every entry used: the file is already what it would be written as.
        if new.is_empty() && self.file.is_some() && self.used.iter().all(|u| u.load(Ordering::Relaxed)) {
            return Ok(());
        }
        let mut out = Vec::new();
        out.extend_from_slice(HEADER.as_bytes());
        for (key, &(start, len, index)) in &self.old {
            if self.used[index].load(Ordering::Relaxed) {
                if let Some(html) = self.read(start, len) {
                    push_entry(&mut out, key, html.as_bytes());
                }
            }
        }
        // Two blocks with the same code, highlighted at once by two threads, are added twice.
        let mut written = std::collections::HashSet::new();
        for (key, html) in new.iter() {
            if !self.old.contains_key(key) && written.insert(*key) {
                push_entry(&mut out, key, html.as_bytes());
            }
        }
        let temp = self.path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temp, &out).with_context(|| format!("writing {}", temp.display()))?;
        std::fs::rename(&temp, &self.path).with_context(|| format!("writing {}", self.path.display()))
    }

    /// How many blocks came from the cache and how many were highlighted anew.
    pub fn stats(&self) -> (usize, usize) {
        let hits = self.used.iter().filter(|u| u.load(Ordering::Relaxed)).count();
        (hits, self.new.lock().expect("cache lock").len())
    }

    /// Makes this cache the one [`super::highlight::Highlighter::highlight`] consults,
    /// until [`HighlightCache::deactivate`].
    pub fn activate(self: &Arc<Self>) {
        *ACTIVE.write().expect("cache lock") = Some(Arc::clone(self));
    }

    /// Stops consulting any cache.
    pub fn deactivate() {
        *ACTIVE.write().expect("cache lock") = None;
    }

    /// The active cache, if a build installed one.
    pub fn active() -> Option<Arc<HighlightCache>> {
        ACTIVE.read().expect("cache lock").clone()
    }
}

fn push_entry(out: &mut Vec<u8>, key: &Key, html: &[u8]) {
    out.extend_from_slice(key);
    out.extend_from_slice(&(html.len() as u32).to_le_bytes());
    out.extend_from_slice(html);
}

/// Entry offsets of a cache file of `size` bytes, or `None` if it is from another version
/// or damaged. Only the entries' heads are read.
fn parse(
    file: &mut std::io::BufReader<impl std::io::Read + std::io::Seek>,
    size: u64,
) -> Option<HashMap<Key, (usize, usize, usize)>> {
    use std::io::Read;
    let mut head = vec![0; HEADER.len()];
    file.read_exact(&mut head).ok()?;
    if head != HEADER.as_bytes() {
        return None;
    }
    let mut pos = HEADER.len();
    let mut entries = HashMap::new();
    let mut entry = [0u8; 20];
    while (pos as u64) < size {
        file.read_exact(&mut entry).ok()?;
        let key: Key = entry[..16].try_into().ok()?;
        let len = u32::from_le_bytes(entry[16..].try_into().ok()?) as usize;
        let start = pos + 20;
        if start as u64 + len as u64 > size {
            return None;
        }
        file.seek_relative(len as i64).ok()?;
        // A key written twice (by a build before duplicates were dropped) keeps its first
        // entry, so every index stays below the number of entries.
        let index = entries.len();
        entries.entry(key).or_insert((start, len, index));
        pos = start + len;
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_used_entries_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HighlightCache::open(dir.path());
        let (a, b) = (HighlightCache::key("Python", "x = 1"), HighlightCache::key("Python", "y = 2"));
        assert!(cache.get(&a).is_none());
        cache.insert(a, "<span>x</span>");
        cache.insert(b, "<span>y</span>");
        cache.save().unwrap();
        assert!(dir.path().join(".labbook-cache/.gitignore").is_file());

        let cache = HighlightCache::open(dir.path());
        assert_eq!(cache.get(&a).as_deref(), Some("<span>x</span>"));
        cache.save().unwrap();
        let cache = HighlightCache::open(dir.path());
        assert_eq!(cache.get(&a).as_deref(), Some("<span>x</span>"));
        assert!(cache.get(&b).is_none(), "an entry unused by the last build is dropped");
    }

    #[test]
    fn a_block_highlighted_twice_is_saved_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HighlightCache::open(dir.path());
        let a = HighlightCache::key("Python", "x = 1");
        cache.insert(a, "<span>x</span>");
        cache.insert(a, "<span>x</span>");
        cache.save().unwrap();
        let cache = HighlightCache::open(dir.path());
        assert_eq!(cache.get(&a).as_deref(), Some("<span>x</span>"));
        assert_eq!(cache.stats(), (1, 0));
    }

    #[test]
    fn damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(CACHE_DIR)).unwrap();
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(&[1, 2, 3]);
        std::fs::write(dir.path().join(CACHE_DIR).join("highlight.bin"), bytes).unwrap();
        let cache = HighlightCache::open(dir.path());
        assert_eq!(cache.stats(), (0, 0));
    }
}
