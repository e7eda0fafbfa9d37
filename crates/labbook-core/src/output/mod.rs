//! Writing the site: every file into a temporary sibling folder, then one swap, so a failed
//! build never leaves a half-written site and the previous output stays until the new one is
//! complete. labbook only ever replaces or deletes a folder that carries its marker file.
//!
//! The marker also lists every file labbook wrote. Anything else in the folder (a `CNAME`,
//! a `.git` to publish from, a file someone dropped in) is the user's: a rebuild carries it
//! into the new site unchanged, `labbook clean` leaves it, and a build that would write a
//! file at the same path stops with an error instead of overwriting it.
//!
//! A rebuild changes few files. A file whose bytes equal the previous site's file at the
//! same path is hard-linked from it into the new folder instead of written: no new inode,
//! no data written (creating files is most of the write stage's cost), and the swap stays
//! atomic, since the previous folder is untouched until the new one is complete.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

pub mod minify;

/// The marker file that says "labbook wrote this folder".
pub const MARKER: &str = ".labbook";

/// One file of the site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// What to write.
    pub content: OutContent,
}

/// Bytes made by the build, or a file copied from the book.
#[derive(Debug, Clone)]
pub enum OutContent {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file to copy as it is.
    Copy(PathBuf),
}

impl OutFile {
    /// A generated file.
    pub fn bytes(path: &str, bytes: impl Into<Vec<u8>>) -> OutFile {
        OutFile { path: path.to_string(), content: OutContent::Bytes(bytes.into()) }
    }

    /// A file copied from `source`.
    pub fn copy(path: &str, source: PathBuf) -> OutFile {
        OutFile { path: path.to_string(), content: OutContent::Copy(source) }
    }
}

/// Checks that `out` may be (re)written: it does not exist, is empty, or carries the marker.
pub fn check_writable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder; labbook will not overwrite it", out.display());
    }
    if out.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?.next().is_none();
    if empty {
        return Ok(());
    }
    bail!(
        "{} exists and was not written by labbook (no {MARKER} marker inside); refusing to replace it. Choose another --out or move the folder away",
        out.display()
    )
}

/// The marker's text; the list of the files labbook wrote follows it, one path a line.
const MARKER_TEXT: &str = "This folder was written by labbook. `labbook build` replaces the files listed below and \
`labbook clean` deletes them; anything else in this folder is yours, and labbook keeps it.\n\n";

/// The files a labbook build recorded in `dir`'s marker; `None` when the marker has no list
/// (an older labbook's: every file in the folder is then labbook's).
fn written_files(dir: &Path) -> Option<HashSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let (_, list) = text.split_once("\n\n")?;
    Some(list.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
}

/// Paths (relative, `/`-separated) in `dir` that labbook did not write: files and folders
/// outside `written` and its folders. A folder wholly the user's is one entry.
fn foreign_entries(dir: &Path, written: &HashSet<String>) -> Result<Vec<String>> {
    let folders = folders_of(written);
    let mut foreign = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if rel == MARKER {
            continue;
        }
        if entry.file_type().is_dir() {
            if !folders.contains(rel.as_str()) {
                foreign.push(rel);
                walk.skip_current_dir();
            }
        } else if !written.contains(&rel) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// The folders (relative) that hold the files `written`.
fn folders_of(written: &HashSet<String>) -> HashSet<&str> {
    let mut folders = HashSet::new();
    for path in written {
        let mut rest = path.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    folders
}

/// Moves the user's entries `foreign` from `from` into `to` (the new site), merging a
/// folder of theirs into a folder the new site also has. A path where the new site has a
/// file is an error, checked for every entry before anything moves. Returns the moves made,
/// so they can be undone.
fn carry_foreign(from: &Path, to: &Path, foreign: &[String]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut moves = Vec::new();
    let mut pending: Vec<PathBuf> = foreign.iter().map(PathBuf::from).collect();
    while let Some(rel) = pending.pop() {
        let (source, target) = (from.join(&rel), to.join(&rel));
        let theirs = std::fs::symlink_metadata(&source).with_context(|| format!("reading {}", source.display()))?;
        match std::fs::symlink_metadata(&target) {
            Err(_) => moves.push((source, target)),
            Ok(ours) if ours.is_dir() && theirs.is_dir() => {
                for entry in std::fs::read_dir(&source).with_context(|| format!("reading {}", source.display()))? {
                    pending.push(rel.join(entry?.file_name()));
                }
            }
            Ok(_) => bail!(
                "{} was not written by labbook, and the book now writes {} at the same path; labbook will not overwrite it. Move it out of the output folder and build again",
                source.display(),
                rel.display()
            ),
        }
    }
    let mut done = Vec::new();
    for (source, target) in moves {
        let moved =
            target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::rename(&source, &target));
        if let Err(e) = moved {
            undo_moves(&done);
            return Err(e).with_context(|| format!("keeping {} in the new site", source.display()));
        }
        done.push((source, target));
    }
    Ok(done)
}

fn undo_moves(moves: &[(PathBuf, PathBuf)]) {
    for (source, target) in moves.iter().rev() {
        let _ = std::fs::rename(target, source);
    }
}

/// Writes `files` as the site at `out`, atomically replacing a previous labbook output.
/// Files in `out` that labbook did not write are kept (see the module's notes).
pub fn write_site(out: &Path, files: &[OutFile], minify: bool) -> Result<()> {
    let staging = Staging::begin(out, minify)?;
    files.par_iter().try_for_each(|file| staging.put(file))?;
    staging.finish()
}

/// Where a build puts the files it makes, as it makes them: a [`Staging`] folder (`build`),
/// or a list ([`Collect`], for callers that want the files in memory).
pub trait Sink: Sync {
    /// Takes one file of the site.
    fn put(&self, file: OutFile) -> Result<()>;

    /// Takes the previous site's file at `path` as this site's, if it holds exactly the
    /// `len` bytes of hash `hash` (`xxh3_128`) that the build would write there; false when
    /// it cannot (the caller then makes the file and puts it). A sink with no previous site
    /// never can.
    fn put_previous(&self, _path: &str, _len: u64, _hash: u128) -> Result<bool> {
        Ok(false)
    }
}

impl Sink for Staging {
    fn put(&self, file: OutFile) -> Result<()> {
        Staging::put(self, &file)
    }

    fn put_previous(&self, path: &str, len: u64, hash: u128) -> Result<bool> {
        Staging::put_previous(self, path, len, hash)
    }
}

/// A [`Sink`] that keeps every file in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutFile>>);

impl Collect {
    /// The files put so far, in the order they came.
    pub fn into_files(self) -> Vec<OutFile> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, file: OutFile) -> Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// A site being written: files go into a temporary sibling folder of the output as the
/// build makes them ([`Staging::put`], from any thread), so no stage has to hold every page
/// in memory; [`Staging::finish`] writes the marker with the list of files, carries the
/// user's files over and swaps the folder into place. Dropped unfinished (a failed build),
/// it removes the temporary folder and leaves the previous site alone.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    minify: bool,
    /// The previous site, when there is one labbook wrote: its unchanged files are linked.
    previous: Option<PathBuf>,
    /// Folders made so far inside `dir`.
    made: std::sync::Mutex<HashSet<PathBuf>>,
    /// Every file put, for the marker.
    written: std::sync::Mutex<Vec<String>>,
    /// The first file of this build with given contents ([`Same`]): a later file with the
    /// same bytes is a hard link to it. A translated book writes each language's site whole
    /// (so each language's folder works alone, from `file://` too), and much of it is the
    /// same in every language (a dataset's files, its viewer's shards, the splits code
    /// loads, style sheets): on disk there is one copy.
    ///
    /// Each entry's own lock is held while its first file is written, so that files with the
    /// same contents put at the same time on other threads wait for it and link to it.
    same: std::sync::Mutex<std::collections::HashMap<Same, std::sync::Arc<std::sync::Mutex<Option<PathBuf>>>>>,
    finished: bool,
}

/// What makes two files of a build the same: bytes of one length and hash (checked byte by
/// byte before linking), or a copy of the same source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Same {
    Bytes(u64, u64),
    Copy(PathBuf),
}

/// Files smaller than this are written, not linked: a link saves little on them.
const SAME_MIN: usize = 1024;

impl Staging {
    /// Checks that `out` may be replaced and makes the temporary folder.
    pub fn begin(out: &Path, minify: bool) -> Result<Staging> {
        check_writable(out)?;
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = out.file_name().context("the output folder needs a name")?.to_string_lossy().into_owned();
        let dir = parent.join(format!(".{name}.labbook-new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing the stale {}", dir.display()))?;
        }
        // Only a folder labbook wrote may lend its files (an empty one has none).
        let previous = out.join(MARKER).is_file().then(|| out.to_path_buf());
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            minify,
            previous,
            made: Default::default(),
            written: Default::default(),
            same: Default::default(),
            finished: false,
        })
    }

    /// Makes the folder of the site file `path` in the new site.
    fn make_folder(&self, path: &str) -> Result<()> {
        if let Some(folder) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            // The folder is made while the lock is held: another thread that finds it in
            // `made` must also find it on disk (marking it first raced with that thread's write).
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(folder) {
                let path = self.dir.join(folder);
                std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
                made.insert(folder.to_path_buf());
            }
        }
        Ok(())
    }

    /// Links the previous site's file at `path` into the new site if its bytes are the `len`
    /// bytes of hash `hash` (`xxh3_128`) that would be written there (see [`Sink::put_previous`]).
    /// Never with `--minify`, whose files differ from the bytes given.
    pub fn put_previous(&self, path: &str, len: u64, hash: u128) -> Result<bool> {
        let Some(old) = self.previous.as_ref().map(|p| p.join(path)).filter(|_| !self.minify) else {
            return Ok(false);
        };
        let target = self.dir.join(path);
        self.make_folder(path)?;
        let same = |old: &mut std::fs::File| {
            let mut bytes = Vec::with_capacity(len as usize);
            std::io::Read::read_to_end(old, &mut bytes).is_ok() && xxhash_rust::xxh3::xxh3_128(&bytes) == hash
        };
        if !link_if_same(&old, &target, len, same) {
            return Ok(false);
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
        Ok(true)
    }

    /// Writes one file of the new site (or links the previous site's identical file).
    pub fn put(&self, file: &OutFile) -> Result<()> {
        let target = self.dir.join(&file.path);
        self.make_folder(&file.path)?;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(file.path.clone());
        let old = self.previous.as_ref().map(|p| p.join(&file.path));
        match &file.content {
            OutContent::Bytes(bytes) => {
                let minified;
                let bytes = if self.minify && file.path.ends_with(".html") {
                    minified = minify_html(bytes);
                    &minified
                } else {
                    bytes
                };
                let len = bytes.len() as u64;
                let key = (bytes.len() >= SAME_MIN).then(|| Same::Bytes(len, xxhash_rust::xxh3::xxh3_64(bytes)));
                self.put_shared(
                    key,
                    &target,
                    |first| same_as_bytes(first, bytes),
                    || {
                        if !old
                            .as_deref()
                            .is_some_and(|old| link_if_same(old, &target, len, |old| same_as_bytes(old, bytes)))
                        {
                            std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
                        }
                        Ok(())
                    },
                )
            }
            OutContent::Copy(source) => {
                let len = std::fs::metadata(source).map(|m| m.len());
                let key = len.as_ref().is_ok_and(|&l| l >= SAME_MIN as u64).then(|| Same::Copy(source.clone()));
                self.put_shared(
                    key,
                    &target,
                    |first| same_as_file(first, source),
                    || {
                        let same = |old: &Path| {
                            len.as_ref()
                                .is_ok_and(|&len| link_if_same(old, &target, len, |old| same_as_file(old, source)))
                        };
                        if !old.as_deref().is_some_and(same) {
                            std::fs::copy(source, &target)
                                .with_context(|| format!("copying {} to {}", source.display(), target.display()))?;
                        }
                        Ok(())
                    },
                )
            }
        }
    }

    /// Puts `target`, whose contents `key` names (none for files too small to share): a hard
    /// link to this build's first file with those contents when `same` finds its bytes are
    /// the new ones, else what `write` makes (which may link the previous site's file), then
    /// the first file with them. The entry's lock is held throughout, so a file with these
    /// contents being written on another thread is finished before it is looked at.
    fn put_shared(
        &self,
        key: Option<Same>,
        target: &Path,
        same: impl FnOnce(&mut std::fs::File) -> bool,
        write: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        let Some(key) = key else { return write() };
        let entry = self.same.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
        let mut first = entry.lock().unwrap_or_else(|e| e.into_inner());
        let linked = first.as_ref().is_some_and(|first| {
            std::fs::File::open(first).is_ok_and(|mut file| same(&mut file))
                && std::fs::hard_link(first, target).is_ok()
        });
        if !linked {
            write()?;
            first.get_or_insert_with(|| target.to_path_buf());
        }
        Ok(())
    }

    /// Writes the marker, carries the user's files of the previous site over and moves the
    /// new site into place, replacing the previous one.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        let mut marker = String::from(MARKER_TEXT);
        let mut paths = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        paths.sort_unstable();
        for path in paths {
            marker.push_str(&path);
            marker.push('\n');
        }
        let marker_path = self.dir.join(MARKER);
        let previous = self.previous.as_deref();
        let carried = std::fs::write(&marker_path, marker)
            .with_context(|| format!("writing {}", marker_path.display()))
            .and_then(|()| match previous.and_then(written_files) {
                Some(written) => carry_foreign(&self.out, &self.dir, &foreign_entries(&self.out, &written)?),
                None => Ok(Vec::new()),
            });
        match carried {
            Ok(carried) => swap_into_place(&self.dir, &self.out, &self.parent, &self.name, &carried),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&self.dir);
                Err(e)
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Hard-links the previous site's file `old` to `target` when `same(old)` says its bytes are
/// the new ones; false (and nothing done) when they differ, `old` is missing, is not a plain
/// file, has other links (a copy someone else keeps of it must not come to share the new
/// site's file), or the file system cannot link (the caller then writes the file).
fn link_if_same(old: &Path, target: &Path, len: u64, same: impl FnOnce(&mut std::fs::File) -> bool) -> bool {
    #[cfg(unix)]
    let alone = |m: &std::fs::Metadata| std::os::unix::fs::MetadataExt::nlink(m) == 1;
    #[cfg(not(unix))]
    let alone = |_: &std::fs::Metadata| true;
    let candidate =
        std::fs::symlink_metadata(old).is_ok_and(|m| m.file_type().is_file() && m.len() == len && alone(&m));
    candidate
        && std::fs::File::open(old).is_ok_and(|mut file| same(&mut file))
        && std::fs::hard_link(old, target).is_ok()
}

/// Bytes compared at a time: files are streamed, so a large copied file (model weights)
/// is never held in memory whole.
const CHUNK: usize = 64 * 1024;

/// Whether `file` holds exactly `bytes`.
fn same_as_bytes(file: &mut std::fs::File, bytes: &[u8]) -> bool {
    use std::io::Read;
    let mut buffer = vec![0; CHUNK.min(bytes.len() + 1)];
    let mut rest = bytes;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buffer[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Whether `file` holds the same bytes as the file at `source`.
fn same_as_file(file: &mut std::fs::File, source: &Path) -> bool {
    use std::io::Read;
    let Ok(mut source) = std::fs::File::open(source) else { return false };
    let mut chunk = vec![0; CHUNK];
    let mut theirs = vec![0; CHUNK];
    loop {
        let n = match source.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if n == 0 {
            // Both ended: `file` has no byte left over.
            return file.read(&mut [0]).is_ok_and(|extra| extra == 0);
        }
        if file.read_exact(&mut theirs[..n]).is_err() || theirs[..n] != chunk[..n] {
            return false;
        }
    }
}

fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    // Keep what browsers need to parse pages opened from file:// exactly as written.
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(bytes, &cfg)
}

fn swap_into_place(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
    carried: &[(PathBuf, PathBuf)],
) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out).with_context(|| format!("moving the new site to {}", out.display()));
    }
    // Re-check right before touching it: only a marked (or empty) folder is ours to replace.
    let fail = |e: std::io::Error, what: String| {
        // Give the user's files back to the previous site, which stays in place.
        undo_moves(carried);
        let _ = std::fs::remove_dir_all(staging);
        Err(e).context(what)
    };
    if let Err(e) = check_writable(out) {
        undo_moves(carried);
        let _ = std::fs::remove_dir_all(staging);
        return Err(e);
    }
    let old = parent.join(format!(".{name}.labbook-old-{}", std::process::id()));
    if let Err(e) = std::fs::rename(out, &old) {
        return fail(e, format!("moving the previous site {} aside", out.display()));
    }
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the reader still has one.
        let _ = std::fs::rename(&old, out);
        return fail(e, format!("moving the new site to {}", out.display()));
    }
    // Everything of the user's has moved into the new site: the rest is labbook's.
    remove_tree(&old).with_context(|| format!("removing {}", old.display()))
}

/// Removes the folder `dir` and everything in it, its top-level entries on every core: the
/// previous site of a 10,000-page book is 30,000 files, and folders apart do not wait for
/// each other's locks.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Deletes what labbook wrote in `dir`, only if it carries the marker (or is empty): the
/// listed files, then the marker and the folders left empty. Returns the user's entries
/// kept; the folder itself goes when none are.
pub fn remove_owned(dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    check_writable(dir)?;
    let Some(written) = written_files(dir) else {
        // An empty folder, or an older labbook's marker without a list: all of it is labbook's.
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        return Ok(Vec::new());
    };
    let kept = foreign_entries(dir, &written)?;
    if kept.is_empty() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        return Ok(kept);
    }
    for path in &written {
        let file = dir.join(path);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", file.display()))
            }
            _ => {}
        }
    }
    // labbook's folders left empty, deepest first; one still holding the user's files stays,
    // and a folder of the user's is never touched.
    let mut folders: Vec<&str> = folders_of(&written).into_iter().collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in folders {
        let _ = std::fs::remove_dir(dir.join(folder));
    }
    // The folder stays labbook's, with no file of its own, so the next build may write it.
    std::fs::write(dir.join(MARKER), MARKER_TEXT).with_context(|| format!("writing {}", dir.join(MARKER).display()))?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_replaces_a_marked_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutFile::bytes("a/b.html", "one")], false).unwrap();
        assert!(out.join(MARKER).is_file());
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        write_site(&out, &[OutFile::bytes("c.html", "two")], false).unwrap();
        assert!(!out.join("a/b.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_unchanged_files_and_writes_the_others() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let image = tmp.path().join("img.png");
        std::fs::write(&image, "png").unwrap();
        let site = |page: &str| {
            vec![
                OutFile::bytes("same.html", "<p>same</p>"),
                OutFile::bytes("a/page.html", page),
                OutFile::copy("img.png", image.clone()),
            ]
        };
        write_site(&out, &site("one"), false).unwrap();
        let inode = |path: &str| std::fs::metadata(out.join(path)).unwrap().ino();
        let before = (inode("same.html"), inode("a/page.html"), inode("img.png"));
        write_site(&out, &site("two"), false).unwrap();
        assert_eq!(inode("same.html"), before.0, "an unchanged page is the previous file, linked");
        assert_eq!(inode("img.png"), before.2, "an unchanged copy is linked too");
        assert_ne!(inode("a/page.html"), before.1);
        assert_eq!(std::fs::read_to_string(out.join("a/page.html")).unwrap(), "two");
        assert_eq!(std::fs::metadata(out.join("same.html")).unwrap().nlink(), 1, "the previous site is gone");

        // Same length, other bytes: written, not linked. A changed image likewise.
        std::fs::write(&image, "gif").unwrap();
        write_site(&out, &site("six"), false).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/page.html")).unwrap(), "six");
        assert_eq!(std::fs::read_to_string(out.join("img.png")).unwrap(), "gif");
        assert_ne!(inode("img.png"), before.2);
        // Minified pages are compared as written.
        write_site(&out, &[OutFile::bytes("same.html", "<p>same</p>  ")], true).unwrap();
        let minified = std::fs::read(out.join("same.html")).unwrap();
        let kept = inode("same.html");
        write_site(&out, &[OutFile::bytes("same.html", "<p>same</p>  ")], true).unwrap();
        assert_eq!(inode("same.html"), kept);
        assert_eq!(std::fs::read(out.join("same.html")).unwrap(), minified);
    }

    #[cfg(unix)]
    #[test]
    fn identical_files_of_one_build_are_one_file_on_disk() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let data = tmp.path().join("train.csv");
        std::fs::write(&data, "x,y\n".repeat(1000)).unwrap();
        let shard = "r(".to_string() + &"[1,2,3],".repeat(300) + ")";
        // Two languages' sites, as a translated book writes them.
        let site = |shard: &str| -> Vec<OutFile> {
            ["en", "fr"]
                .iter()
                .flat_map(|code| {
                    [
                        OutFile::bytes(&format!("{code}/datasets/d/viewer/0/r-0.js"), shard.to_string()),
                        OutFile::bytes(&format!("{code}/index.html"), format!("<p>{code}</p>{}", "-".repeat(2000))),
                        OutFile::bytes(&format!("{code}/small.js"), "tiny"),
                        OutFile::copy(&format!("{code}/datasets/d/data/train.csv"), data.clone()),
                    ]
                })
                .collect()
        };
        write_site(&out, &site(&shard), false).unwrap();
        let meta = |path: &str| std::fs::metadata(out.join(path)).unwrap();
        let one = |path: &str| meta(&format!("en/{path}")).ino() == meta(&format!("fr/{path}")).ino();
        assert!(one("datasets/d/viewer/0/r-0.js"), "the same bytes are one file");
        assert!(one("datasets/d/data/train.csv"), "the same source's copies are one file");
        assert!(!one("index.html"), "other bytes are another file");
        assert!(!one("small.js"), "a small file is written");
        assert_eq!(meta("fr/datasets/d/viewer/0/r-0.js").nlink(), 2);
        assert_eq!(std::fs::read_to_string(out.join("fr/datasets/d/viewer/0/r-0.js")).unwrap(), shard);
        // A rebuild links the previous site's files and still keeps one copy.
        write_site(&out, &site(&shard), false).unwrap();
        assert!(one("datasets/d/viewer/0/r-0.js") && one("datasets/d/data/train.csv"));
        assert_eq!(meta("en/datasets/d/viewer/0/r-0.js").nlink(), 2, "the previous site is gone");
        // Changed bytes: a new file, shared again.
        let changed = shard.replace("[1,2,3]", "[1,2,4]");
        write_site(&out, &site(&changed), false).unwrap();
        assert!(one("datasets/d/viewer/0/r-0.js"));
        assert_eq!(std::fs::read_to_string(out.join("en/datasets/d/viewer/0/r-0.js")).unwrap(), changed);
    }

    #[test]
    fn files_put_from_many_threads_find_their_folders() {
        // Many threads putting files into the same new folders at once: each must find its
        // folder made, whichever thread made it.
        for round in 0..5 {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("site");
            let files: Vec<OutFile> =
                (0..3000).map(|i| OutFile::bytes(&format!("l{round}/d{}/e{}/f{i}.txt", i % 40, i % 7), "x")).collect();
            write_site(&out, &files, false).unwrap();
            assert!(out.join(format!("l{round}/d39/e3/f2999.txt")).is_file());
        }
    }

    #[test]
    fn keeps_what_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
        write_site(&out, &[OutFile::bytes("a.html", "one"), OutFile::bytes("css/x.css", "x")], false).unwrap();
        // The user adds their own files: at the top, in a folder of labbook's, a folder of their own.
        std::fs::write(out.join("CNAME"), "course.example.org").unwrap();
        std::fs::write(out.join("css/custom.css"), "mine").unwrap();
        std::fs::create_dir_all(out.join(".git/refs")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref: main").unwrap();
        std::fs::create_dir(out.join("drafts")).unwrap();
        let site = [OutFile::bytes("a.html", "two"), OutFile::bytes("css/x.css", "y"), OutFile::bytes("b/c.html", "c")];
        write_site(&out, &site, false).unwrap();
        assert_eq!((read("a.html"), read("css/x.css"), read("b/c.html")), ("two".into(), "y".into(), "c".into()));
        assert_eq!(
            (read("CNAME"), read("css/custom.css"), read(".git/HEAD")),
            ("course.example.org".into(), "mine".into(), "ref: main".into())
        );
        assert!(out.join(".git/refs").is_dir() && out.join("drafts").is_dir());
        // A page no longer built goes; the user's files stay through any number of builds.
        write_site(&out, &[OutFile::bytes("a.html", "three"), OutFile::bytes("css/x.css", "y")], false).unwrap();
        assert!(!out.join("b").exists());
        assert_eq!(read("css/custom.css"), "mine");

        // The book now writes a path the user holds: an error, and nothing changes.
        let e =
            write_site(&out, &[OutFile::bytes("a.html", "four"), OutFile::bytes("CNAME", "other")], false).unwrap_err();
        assert!(e.to_string().contains("was not written by labbook") && e.to_string().contains("CNAME"), "{e}");
        assert_eq!(
            (read("a.html"), read("CNAME"), read("css/custom.css")),
            ("three".into(), "course.example.org".into(), "mine".into())
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);

        // Clean deletes labbook's files only; the folder stays labbook's to build into again.
        let mut kept = remove_owned(&out).unwrap();
        kept.sort();
        assert_eq!(kept, vec![".git", "CNAME", "css/custom.css", "drafts"]);
        assert!(!out.join("a.html").exists() && !out.join("css/x.css").exists());
        assert_eq!(
            (read("CNAME"), read("css/custom.css"), read(".git/HEAD")),
            ("course.example.org".into(), "mine".into(), "ref: main".into())
        );
        assert!(out.join("drafts").is_dir());
        write_site(&out, &[OutFile::bytes("a.html", "five")], false).unwrap();
        assert_eq!((read("a.html"), read("CNAME")), ("five".into(), "course.example.org".into()));
    }

    #[test]
    fn an_older_marker_without_a_list_means_every_file_is_labbooks() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(MARKER), "This folder was written by labbook.\n").unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        write_site(&out, &[OutFile::bytes("new.html", "new")], false).unwrap();
        assert!(!out.join("old.html").exists());
        assert!(written_files(&out).unwrap().contains("new.html"));
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let e = write_site(tmp.path(), &[OutFile::bytes("x.html", "x")], false).unwrap_err();
        assert!(e.to_string().contains("refusing"), "{e}");
        assert!(tmp.path().join("precious.txt").is_file());
        assert!(remove_owned(tmp.path()).is_err());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutFile::bytes("a.html", "old")], false).unwrap();
        let missing = OutFile::copy("img.png", tmp.path().join("does-not-exist.png"));
        assert!(write_site(&out, &[OutFile::bytes("a.html", "new"), missing], false).is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_write_after_links_keeps_the_previous_site_whole() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let site: Vec<OutFile> = (0..50).map(|i| OutFile::bytes(&format!("p/{i}.html"), format!("page {i}"))).collect();
        write_site(&out, &site, false).unwrap();
        // Every page would be linked; then a copy fails.
        let mut broken = site.clone();
        broken.push(OutFile::copy("img.png", tmp.path().join("does-not-exist.png")));
        assert!(write_site(&out, &broken, false).is_err());
        for i in 0..50 {
            let path = out.join(format!("p/{i}.html"));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("page {i}"));
            assert_eq!(std::fs::metadata(&path).unwrap().nlink(), 1, "the staging folder's links are gone");
        }
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_linked_elsewhere_is_written_afresh() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutFile::bytes("a.html", "same")], false).unwrap();
        // Someone keeps a hard-linked copy of the site (`cp -al`, a deploy tool).
        let kept = tmp.path().join("backup-a.html");
        std::fs::hard_link(out.join("a.html"), &kept).unwrap();
        write_site(&out, &[OutFile::bytes("a.html", "same")], false).unwrap();
        assert_ne!(std::fs::metadata(out.join("a.html")).unwrap().ino(), std::fs::metadata(&kept).unwrap().ino());
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "same");
        assert_eq!(std::fs::metadata(&kept).unwrap().nlink(), 1);
    }

    #[test]
    fn files_are_compared_to_the_last_byte() {
        let tmp = tempfile::tempdir().unwrap();
        // Longer than one chunk, and differing only after it.
        let big: Vec<u8> = (0..CHUNK * 2 + 17).map(|i| (i % 251) as u8).collect();
        let mut other = big.clone();
        *other.last_mut().unwrap() ^= 1;
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::write(&a, &big).unwrap();
        std::fs::write(&b, &other).unwrap();
        let open = |p: &Path| std::fs::File::open(p).unwrap();
        assert!(same_as_bytes(&mut open(&a), &big));
        assert!(!same_as_bytes(&mut open(&a), &other));
        assert!(!same_as_bytes(&mut open(&a), &big[..big.len() - 1]));
        assert!(same_as_file(&mut open(&a), &a));
        assert!(!same_as_file(&mut open(&a), &b));
        std::fs::write(&b, &big[..CHUNK]).unwrap();
        assert!(!same_as_file(&mut open(&a), &b), "a prefix is not the same file");
        assert!(!same_as_file(&mut open(&b), &a));
        assert!(same_as_bytes(&mut open(&b), &big[..CHUNK]));
        std::fs::write(&a, "").unwrap();
        assert!(same_as_bytes(&mut open(&a), b""));
    }
}
