//! Writing the site: every file into a temporary sibling folder, then one swap, so a failed
//! build never leaves a half-written site and the previous output stays until the new one is
//! complete. labbook only ever replaces or deletes a folder that carries its marker file.
//!
//! A rebuild changes few files. A file whose bytes equal the previous site's file at the
//! same path is hard-linked from it into the new folder instead of written: no new inode,
//! no data written (creating files is most of the write stage's cost), and the swap stays
//! atomic, since the previous folder is untouched until the new one is complete.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

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

/// Writes `files` as the site at `out`, atomically replacing a previous labbook output.
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
}

impl Sink for Staging {
    fn put(&self, file: OutFile) -> Result<()> {
        Staging::put(self, &file)
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
/// in memory; [`Staging::finish`] swaps the folder into place. Dropped unfinished (a failed
/// build), it removes the temporary folder and leaves the previous site alone.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    minify: bool,
    /// The previous site, when there is one labbook wrote: its unchanged files are linked.
    previous: Option<PathBuf>,
    /// Folders made so far inside `dir`.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    finished: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and makes the temporary folder, with the marker.
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
        let staging = Staging {
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            minify,
            previous,
            made: Default::default(),
            finished: false,
        };
        std::fs::create_dir_all(&staging.dir).with_context(|| format!("creating {}", staging.dir.display()))?;
        let marker = staging.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder was written by labbook. `labbook build` replaces it and `labbook clean` deletes it.\n",
        )
        .with_context(|| format!("writing {}", marker.display()))?;
        Ok(staging)
    }

    /// Writes one file of the new site (or links the previous site's identical file).
    pub fn put(&self, file: &OutFile) -> Result<()> {
        let target = self.dir.join(&file.path);
        if let Some(folder) = Path::new(&file.path).parent().filter(|p| !p.as_os_str().is_empty()) {
            let new = self.made.lock().map(|mut made| made.insert(folder.to_path_buf())).unwrap_or(true);
            if new {
                let folder = self.dir.join(folder);
                std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
            }
        }
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
                if old.as_deref().is_some_and(|old| link_if_same(old, &target, len, |old| same_as_bytes(old, bytes))) {
                    return Ok(());
                }
                std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
            }
            OutContent::Copy(source) => {
                let len = std::fs::metadata(source).map(|m| m.len());
                let same = |old: &Path| {
                    len.as_ref().is_ok_and(|&len| link_if_same(old, &target, len, |old| same_as_file(old, source)))
                };
                if old.as_deref().is_some_and(same) {
                    return Ok(());
                }
                std::fs::copy(source, &target)
                    .map(|_| ())
                    .with_context(|| format!("copying {} to {}", source.display(), target.display()))
            }
        }
    }

    /// Moves the new site into place, replacing the previous one.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        let result = swap_into_place(&self.dir, &self.out, &self.parent, &self.name);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
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

fn swap_into_place(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out).with_context(|| format!("moving the new site to {}", out.display()));
    }
    // Re-check right before touching it: only a marked (or empty) folder is ours to replace.
    check_writable(out)?;
    let old = parent.join(format!(".{name}.labbook-old-{}", std::process::id()));
    std::fs::rename(out, &old).with_context(|| format!("moving the previous site {} aside", out.display()))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the reader still has one.
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(|| format!("moving the new site to {}", out.display()));
    }
    remove_owned(&old)
}

/// Deletes a folder only if it carries the marker (or is empty).
pub fn remove_owned(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    check_writable(dir)?;
    std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
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
